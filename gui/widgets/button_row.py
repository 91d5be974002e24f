"""A row of buttons that stacks them when they do not fit side by side (large zoom,
long translations), instead of cutting their words off."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QBoxLayout, QWidget


class ButtonRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(0, 0, 0, 0)

    def needed_width(self) -> int:
        margins = self.row.contentsMargins()
        items = [self.row.itemAt(i) for i in range(self.row.count())]
        shown = [item.widget() for item in items if item is not None]
        widths = [w.sizeHint().width() for w in shown if w is not None and not w.isHidden()]
        spacing = max(0, self.row.spacing()) * max(0, len(widths) - 1)
        return sum(widths) + spacing + margins.left() + margins.right()

    def fit(self) -> None:
        wanted = (
            QBoxLayout.Direction.TopToBottom
            if self.needed_width() > self.width()
            else QBoxLayout.Direction.LeftToRight
        )
        if self.row.direction() != wanted:
            self.row.setDirection(wanted)
            self.updateGeometry()  # the bar's height changes with its direction

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self.fit()
        return super().event(event)
