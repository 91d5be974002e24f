"""A wrapped label whose lines are spaced 1.5× in elder mode (docs/elder-mode.md).

Qt style sheets have no line-height, but Qt's rich text does: in elder mode the text is
shown as one HTML paragraph with 150 % line height (escaped, so no markup gets in).
`text()` still returns the plain text, and screen readers read the plain text too.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from gui.theme import theme

ELDER_LINE_HEIGHT = 150  # per cent


class Paragraph(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plain = ""
        self.setWordWrap(True)
        theme().changed.connect(self._render)

    def setText(self, text: str) -> None:
        self._plain = text
        self._render()

    def text(self) -> str:
        return self._plain

    def _render(self) -> None:
        if theme().metrics.elder and self._plain:
            body = html.escape(self._plain).replace("\n", "<br>")
            self.setTextFormat(Qt.TextFormat.RichText)
            super().setText(f'<p style="line-height:{ELDER_LINE_HEIGHT}%">{body}</p>')
        else:
            self.setTextFormat(Qt.TextFormat.PlainText)
            super().setText(self._plain)
        self.setAccessibleName(self._plain)
