"""What the main window needs of batches: the Tools-menu entry, the resume offer for its
start-up, and one batch window at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from core.bind.store import Store
from core.i18n import _
from core.settings import Settings
from gui.batch.offer import ResumeOffer
from gui.batch.service import MakePracticeService, MakeService
from gui.batch.window import BatchWindow


class BatchLauncher(QObject):
    """What the main window needs: a Tools-menu action, the resume offer for its start-up
    and one batch window at a time.

        self.batch = BatchLauncher(self.settings, make_service, self)
        self.tools_menu.addAction(self.batch.action)
        outer.insertWidget(outer.indexOf(self.banner) + 1, self.batch.offer)
        self.batch.offer.refresh()          # at start-up
        # retranslate(): self.batch.retranslate(); closeEvent(): self.batch.close()
    """

    def __init__(
        self,
        settings: Settings,
        make_service: MakeService,
        parent: QWidget | None = None,
        *,
        store_factory: Callable[[], Store] | None = None,
        make_practice_service: MakePracticeService | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.make_service = make_service
        self.make_practice_service = make_practice_service
        self._parent = parent
        self.window: BatchWindow | None = None
        self.action = QAction(parent)
        self.action.triggered.connect(self._from_menu)
        self.offer = ResumeOffer(store_factory, parent)
        self.offer.resume.connect(self.open)
        self.retranslate()

    def open(self, batch_id: int | None = None) -> BatchWindow:
        window = self.window
        if window is None or not window.isVisible():
            if window is not None:
                window.deleteLater()
            window = self.window = BatchWindow(
                self.settings,
                self.make_service,
                self._parent,
                make_practice_service=self.make_practice_service,
            )
        window.show()
        window.raise_()
        window.activateWindow()
        if batch_id is not None:
            window.controller.resume_batch(batch_id)
        return window

    def _from_menu(self) -> None:
        self.open()

    def retranslate(self) -> None:
        self.action.setText(_("&Batch of cards…"))
        self.offer.retranslate()

    def close(self) -> None:
        if self.window is not None:
            self.window.shutdown()
            self.window.close()
