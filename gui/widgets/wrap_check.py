"""A check box whose text wraps (QCheckBox text never does, so long or zoomed text would
push the window wider). Clicking the text toggles the box, as with a normal check box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget


class _Text(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()


class WrapCheckBox(QWidget):
    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(self)
        self.label = _Text(self)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self.label.clicked.connect(self.box.toggle)
        self.box.toggled.connect(self.toggled)
        self.setFocusProxy(self.box)

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.box.setAccessibleName(text.replace("&", ""))

    def text(self) -> str:
        return self.label.text()

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, on: bool) -> None:
        self.box.setChecked(on)
