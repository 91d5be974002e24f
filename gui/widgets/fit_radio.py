"""A radio button whose width holds its whole label at any text size.

QRadioButton's size hint does not count the padding and focus border the app's style
sheet gives it, so at elder-mode sizes the end of a short label ("Yes") was cut off."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QRadioButton

from gui.theme import theme


class FitRadioButton(QRadioButton):
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        m = theme().metrics
        text = self.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        # indicator + spacing + text + the style sheet's padding and focus border
        needed = (
            round(m.target_px * 0.5)
            + m.gap_px
            + self.fontMetrics().horizontalAdvance(text)
            + 2 * max(4, m.gap_px // 2)
            + 2 * m.focus_px
            + 4
        )
        return QSize(max(hint.width(), needed), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
