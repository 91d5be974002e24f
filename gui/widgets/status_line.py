"""A status in an icon and words (never colour alone), read out as one text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from gui.icons import tier_icon


class StatusLine(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.tier = ""

    def show_text(self, tier: str, text: str) -> None:
        """tier: block, guide, hint or ok (as `gui.icons.tier_icon`); empty text hides it."""
        self.tier = tier
        size = max(16, self.text.fontMetrics().height())
        self.icon.setPixmap(tier_icon(tier).pixmap(size, size))
        self.text.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))
