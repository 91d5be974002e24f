"""An inline note (no pop-up) about batches a crash or a quit left unfinished: shown in
the main window at start-up and on the batch window's file page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.bind.batch.state import Unfinished, unfinished_batches
from core.bind.store import Store
from core.i18n import _, ngettext
from gui.accessibility import announce
from gui.icons import tier_icon

log = logging.getLogger(__name__)


class ResumeOffer(QFrame):
    """An inline note (no pop-up) about batches a crash or a quit left unfinished."""

    resume = Signal(int)  # batch id

    def __init__(
        self, store_factory: Callable[[], Store] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self._store_factory = store_factory
        self.batches: list[Unfinished] = []
        self._not_now: set[int] = set()
        layout = QHBoxLayout(self)
        self.icon = QLabel(self)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        buttons = QVBoxLayout()
        self.continue_button = QPushButton(self)
        self.later_button = QPushButton(self)
        self.aside_button = QPushButton(self)
        for b in (self.continue_button, self.later_button, self.aside_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.continue_button.clicked.connect(self._continue)
        self.later_button.clicked.connect(self._later)
        self.aside_button.clicked.connect(self._aside)
        self.hide()

    def _with_store(self, fn: Callable[[Store], Any]) -> Any:
        if self._store_factory is not None:
            return fn(self._store_factory())
        with Store() as store:
            return fn(store)

    def refresh(self) -> int:
        """Look for unfinished batches; shows itself when there is one. Returns how many."""
        try:
            found = self._with_store(unfinished_batches)
        except Exception as exc:  # a locked or damaged journal must not stop the app
            log.warning("unfinished batches cannot be read: %s", exc)
            found = []
        self.batches = [b for b in found if b.info.id not in self._not_now]
        self.retranslate()
        self.setVisible(bool(self.batches))
        if self.batches:
            announce(self, self.text.text())
        return len(self.batches)

    @property
    def current(self) -> Unfinished | None:
        return self.batches[0] if self.batches else None

    def _continue(self) -> None:
        if self.current is not None:
            batch_id = self.current.info.id
            self._not_now.add(batch_id)
            self.refresh()
            self.resume.emit(batch_id)

    def _later(self) -> None:
        if self.current is not None:
            self._not_now.add(self.current.info.id)
            self.refresh()

    def _aside(self) -> None:
        """Not offered again; the journal keeps it (`cardbind batch FILE --resume`)."""
        if self.current is not None:
            batch_id = self.current.info.id
            try:
                self._with_store(lambda s: s.set_batch_option(batch_id, "dismissed", True))
            except Exception as exc:
                log.warning("batch %s cannot be put aside: %s", batch_id, exc)
                self._not_now.add(batch_id)
            self.refresh()

    def retranslate(self) -> None:
        b = self.current
        size = max(16, self.text.fontMetrics().height() * 2)
        self.icon.setPixmap(tier_icon("guide").pixmap(size, size))
        self.continue_button.setText(_("Continue the batch"))
        self.later_button.setText(_("Not now"))
        self.aside_button.setText(_("Put it aside"))
        self.aside_button.setToolTip(
            _(
                "It is not offered again. The journal keeps it: "
                "cardbind batch FILE --resume still continues it."
            )
        )
        if b is None:
            self.text.setText("")
            return
        text = _(
            "A batch of cards did not finish: {file}, {done} of {total} rows done, "
            "{pending} still to bind. Cards already bound are never sent again."
        ).format(file=b.file_name, done=b.done, total=b.total, pending=b.pending)
        if b.running_elsewhere:
            text += " " + _("It is running in another cardbind right now (process {pid}).").format(
                pid=b.info.pid
            )
        more = len(self.batches) - 1
        if more:
            text += " " + ngettext(
                "{n} more unfinished batch after this one.",
                "{n} more unfinished batches after this one.",
                more,
            ).format(n=more)
        self.text.setText(text)
        self.setAccessibleName(text)
        self.continue_button.setEnabled(not b.running_elsewhere)
        for button, name in (
            (self.continue_button, _("Continue the unfinished batch")),
            (self.later_button, _("Not now")),
            (self.aside_button, _("Put the unfinished batch aside")),
        ):
            button.setAccessibleName(name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
