"""Common shape of a screen in the flow: a heading, a body, re-translation and theming."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.theme import Metrics, theme
from gui.widgets.button_row import ButtonRow
from gui.widgets.page import space_page


class Screen(QWidget):
    """One task per screen (elder-mode rule); the main window stacks them."""

    #: ask the window to show a message through the one bridge
    message = Signal(str, str)  # level, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.heading)
        # The screen's main buttons sit in a bar the window keeps in view below the
        # (scrolling) screen, so "Continue" is never scrolled away at large sizes; when
        # they do not fit side by side (a small screen in 长辈版) they stack.
        self.action_bar = ButtonRow(self)
        self.action_row = self.action_bar.row
        theme().changed.connect(self._theme_changed)

    def title(self) -> str:
        return ""

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.heading.setAccessibleName(self.title())

    def apply_metrics(self, m: Metrics) -> None:
        space_page(self.body, self.action_row, m)

    def _theme_changed(self) -> None:
        self.apply_metrics(theme().metrics)

    def entered(self) -> None:
        """Called when the screen becomes the current one."""

    def left(self) -> None:
        """Called when another screen replaces this one."""

    def first_focus(self) -> QWidget | None:
        return None
