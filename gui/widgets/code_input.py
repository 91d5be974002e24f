"""The code text field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget

from core.i18n import _


class CodeInput(QLineEdit):
    """A line edit that remembers whether its text came from the clipboard."""

    pasted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.from_clipboard = False
        self.textEdited.connect(self._typed)

    def setClearButtonEnabled(self, enable: bool) -> None:
        super().setClearButtonEnabled(enable)
        # Qt's clear button has no accessible name of its own.
        for button in self.findChildren(QToolButton):
            button.setAccessibleName(_("Clear the code"))

    def _typed(self, _text: str) -> None:
        self.from_clipboard = False

    def paste(self) -> None:
        super().paste()
        self.from_clipboard = True
        self.pasted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            event.accept()
            return
        super().keyPressEvent(event)
