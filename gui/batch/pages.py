"""The batch window's page frame: a scrolling body and an action bar that stays in
view (as the main window does), and a label that keeps the height its wrapped text
needs next to a stretching table."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.theme import Metrics
from gui.widgets.button_row import ButtonRow
from gui.widgets.page import scroll_area, space_page


class WrapLabel(QLabel):
    """A wrapping label that keeps the height its text needs at its real width, so a
    stretching neighbour (the table) gives way instead of the text being cut off."""

    def __init__(self, parent: QWidget | None = None, role: str = "") -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if role:
            self.setProperty("role", role)
        self._probe = QLabel()
        self._probe.setWordWrap(True)

    def _fit(self) -> None:
        # QLabel.heightForWidth never answers less than the minimum height it was given,
        # so the height is measured on a twin that has none.
        if not self.isVisible():
            return
        probe = self._probe
        probe.setFont(self.font())
        probe.setContentsMargins(self.contentsMargins())
        probe.setMargin(self.margin())
        probe.setText(self.text())
        height = probe.heightForWidth(self.width()) if self.text() else 0
        if height != self.minimumHeight():
            self.setMinimumHeight(max(0, height))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(80, super().minimumSizeHint().width()), self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()


class Page(QWidget):
    """A scrolling body and an action bar that stays in view (as the main window does)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget(self)
        self.body = QVBoxLayout(inner)
        # Named by the window for screen readers (a Tab stop: `retranslate`).
        self.area = scroll_area(inner, self)
        outer.addWidget(self.area, 1)
        self.action_bar = ButtonRow(self)
        self.actions_row = self.action_bar.row
        outer.addWidget(self.action_bar)

    def apply_metrics(self, m: Metrics) -> None:
        space_page(self.body, self.actions_row, m)
