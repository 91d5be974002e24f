"""Fix one doubtful character: its crop from the photo beside big buttons for each
plausible reading. Choosing is explicit; nothing is picked for the user."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.i18n import _
from gui.imaging import bgr_to_pixmap
from gui.theme import theme
from gui.widgets.paragraph import Paragraph


class GlyphPicker(QFrame):
    chosen = Signal(int, str)  # position, character
    confirmed = Signal(int)  # position: the current reading is right

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self.index = -1
        self._current = ""
        self._unreadable = False
        outer = QHBoxLayout(self)
        self.crop = QLabel(self)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumSize(96, 96)
        self.crop.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        outer.addWidget(self.crop)
        right = QVBoxLayout()
        self.question = Paragraph(self)
        self.question.setWordWrap(True)
        right.addWidget(self.question)
        self.buttons_row = QHBoxLayout()
        # The choices go before this one stretch, so they start at the same place for
        # every character (a stretch per character pushed them further right each time).
        self.buttons_row.addStretch(1)
        right.addLayout(self.buttons_row)
        self.hint = Paragraph(self)
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        right.addWidget(self.hint)
        outer.addLayout(right, 1)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_for(
        self,
        index: int,
        current: str,
        alternatives: tuple[str, ...],
        unreadable: bool,
        glyph: np.ndarray | None,
    ) -> None:
        self.index = index
        self._current = current
        self._unreadable = unreadable
        m = theme().metrics
        side = max(96, m.target_px * 2)
        if glyph is not None and glyph.size:
            pix = bgr_to_pixmap(glyph).scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.crop.setPixmap(pix)
            self.crop.setAccessibleName(
                _("Picture of character {position} from the photo").format(position=index + 1)
            )
        else:
            self.crop.setPixmap(QPixmap())
            self.crop.setText(_("(no picture)"))
        self.crop.setFixedSize(side, side)
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        choices = [c for c in alternatives if c and c != "?"]
        for ch in choices:
            b = QPushButton(ch, self)
            b.setProperty("role", "choice")
            b.setMinimumSize(round(m.target_px * 1.4), round(m.target_px * 1.4))
            b.setAccessibleName(_("Choose {char}").format(char=ch))
            b.setAccessibleDescription(
                _("Character {position} is “{char}”.").format(position=index + 1, char=ch)
            )
            b.clicked.connect(lambda _c=False, ch=ch: self._pick(ch))
            self.buttons_row.insertWidget(len(self.buttons), b)
            b.show()  # a child added to a visible parent stays hidden until shown
            self.buttons.append(b)
        self.retranslate()
        # Room for two lines of question, so a longer one does not move the choices.
        self.question.setMinimumHeight(self.question.fontMetrics().lineSpacing() * 2)
        self.show()

    def _pick(self, ch: str) -> None:
        if ch == self._current and not self._unreadable:
            self.confirmed.emit(self.index)
        else:
            self.chosen.emit(self.index, ch)

    def retranslate(self) -> None:
        if self.index < 0:
            return
        if self._unreadable:
            self.question.setText(
                _(
                    "Character {position} could not be read. What does the "
                    "card show? Pick it, or type it in the code field."
                ).format(position=self.index + 1)
            )
        else:
            self.question.setText(
                _("Character {position} is not certain. What does the card show?").format(
                    position=self.index + 1
                )
            )
        self.hint.setText(
            _(
                "Look at the card itself, not only at the picture. If none of "
                "these is right, type the character in the code field."
            )
        )
        self.setAccessibleName(self.question.text())
