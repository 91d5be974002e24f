"""Help: how to use cardbind, in the user's language, as a screen of its own (no pop-up,
readable with the keyboard and a screen reader). The text is resources/help/*.md."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QWidget

from core.i18n import _, current_language
from core.resources import resource_path
from gui.screens.base import Screen


def how_to_text(lang: str) -> str:
    """The how-to in `lang` (English when there is none in that language)."""
    for name in (f"how-to.{lang}.md", "how-to.en.md"):
        path = resource_path("help", name)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


class HelpScreen(Screen):
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.body.addWidget(self.text, 1)
        self.back_button = QPushButton(self.action_bar)
        self.action_row.addWidget(self.back_button)
        self.action_row.addStretch(1)
        self.back_button.clicked.connect(self.back)
        self.retranslate()

    def title(self) -> str:
        return _("How to use cardbind")

    def retranslate(self) -> None:
        super().retranslate()
        self.text.setMarkdown(how_to_text(current_language()))
        self.text.setAccessibleName(_("How to use cardbind"))
        self.back_button.setText(_("&Back"))

    def first_focus(self) -> QWidget | None:
        return self.text
