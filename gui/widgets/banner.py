"""Inline message banner: icon + words, never a pop-up, announced to screen readers.

Each window has one; it shows what the message bridge (gui/messages.py) says to that
window, and nothing said to another."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from core.i18n import _
from gui.accessibility import announce
from gui.icons import tier_icon
from gui.messages import Message, bridge
from gui.widgets.paragraph import Paragraph

LEVEL_TIER = {"error": "block", "warning": "guide", "info": "hint"}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        self.icon = QLabel(self)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.text = Paragraph(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.message: Message | None = None
        self.retranslate()
        self.hide()
        bridge().shown.connect(self._heard)
        bridge().dismissed.connect(self._dismissed)

    def _heard(self, message: Message) -> None:
        if message.window is not None and message.window is self.window():
            self.show_message(message)

    def _dismissed(self, window: QWidget | None) -> None:
        if window is not None and window is self.window():
            self.hide()

    def show_message(self, message: Message) -> None:
        self.message = message
        self.setProperty("role", f"banner-{message.level}")
        self.style().unpolish(self)
        self.style().polish(self)
        size = self.text.fontMetrics().height() * 2
        self.icon.setPixmap(tier_icon(LEVEL_TIER[message.level]).pixmap(size, size))
        self._words(message)
        self.show()
        announce(self, self.text.text())

    def _words(self, message: Message) -> None:
        prefix = {"error": _("Problem"), "warning": _("Please note"), "info": _("Note")}
        self.text.setText(
            _("{kind}: {text}").format(kind=prefix[message.level], text=message.current_text())
        )
        self.setAccessibleName(self.text.text())

    def retranslate(self) -> None:
        self.close_button.setText(_("&Dismiss"))
        self.close_button.setAccessibleName(_("Dismiss the message"))
        if self.message is not None and not self.isHidden():
            # Said again in the new language (a message that can be; others keep theirs).
            self._words(self.message)
