"""Live picture with a guide frame over the code area and per-position stability."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.imaging import bgr_to_qimage
from ocr.consensus import STABLE  # the frames' own bar for a settled position

__all__ = ["STABLE", "FrameView"]


class FrameView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._stability: list[float] = []
        self._doubted: tuple[int, ...] = ()
        self._chars = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Low enough that 长辈版 on a 768 px tall laptop screen keeps the advice under the
        # picture in view (tests/gui/test_main_window.py).
        self.setMinimumSize(320, 160)

    def sizeHint(self) -> QSize:
        # Its minimum, on purpose: the page scrolls in a QScrollArea that sizes it by
        # its preferred height (its wrapped labels ask height-for-width), so any taller
        # hint here pushed the camera's advice below the fold in 长辈版 on a laptop's
        # screen. The view is Expanding: it still fills whatever room the page has.
        return self.minimumSize()

    @property
    def doubted(self) -> tuple[int, ...]:
        """The positions shown as settled but flagged by the frames."""
        return self._doubted

    def set_frame(self, frame: np.ndarray) -> None:
        self._image = bgr_to_qimage(frame)
        self.update()

    def set_progress(
        self, chars: str, stability: list[float], doubted: tuple[int, ...] = ()
    ) -> None:
        """Per position: how settled it is, and which settled ones the frames keep
        flagging (drawn with a dashed amber box and a "?" beside the character)."""
        self._chars = chars
        self._stability = list(stability)
        self._doubted = tuple(doubted)
        self.update()

    def clear(self) -> None:
        self._image = None
        self._stability = []
        self._doubted = ()
        self._chars = ""
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#000000"))
        area = QRectF(self.rect())
        if self._image is not None:
            img = self._image
            scale = min(area.width() / img.width(), area.height() / img.height())
            w, h = img.width() * scale, img.height() * scale
            target = QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h)
            p.drawImage(target, img)
        # Guide frame: a card's shape (85.6 × 54 mm), the code usually in its lower half.
        gw = area.width() * 0.8
        gh = min(gw / 1.585, area.height() * 0.8)
        gw = gh * 1.585
        guide = QRectF((area.width() - gw) / 2, (area.height() - gh) / 2, gw, gh)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        p.setPen(QPen(QColor("#ffffff"), 3, Qt.PenStyle.DashLine))
        p.drawRoundedRect(guide, 12, 12)
        code_band = QRectF(guide.left() + gw * 0.08, guide.top() + gh * 0.55, gw * 0.84, gh * 0.2)
        p.setPen(QPen(accent, 3))
        p.drawRect(code_band)
        # Stability strip: one box per position, filled as it settles; "?" until stable.
        n = len(self._stability)
        if n:
            cell = min(40.0, (area.width() - 20) / n)
            x0 = (area.width() - cell * n) / 2
            y0 = area.height() - cell - 8
            font = QFont(self.font())
            font.setPointSizeF(cell * 0.45)
            font.setBold(True)
            p.setFont(font)
            for i, s in enumerate(self._stability):
                r = QRectF(x0 + i * cell + 2, y0, cell - 4, cell)
                p.fillRect(r, QColor(0, 0, 0, 190))
                fill = QRectF(
                    r.left(),
                    r.bottom() - r.height() * min(1.0, s),
                    r.width(),
                    r.height() * min(1.0, s),
                )
                p.fillRect(fill, QColor(accent.red(), accent.green(), accent.blue(), 110))
                doubted = i in self._doubted
                p.setPen(
                    QPen(
                        QColor("#ffb000") if doubted else QColor("#ffffff"),
                        3 if doubted else 2 if s >= STABLE else 1,
                        Qt.PenStyle.DashLine
                        if doubted
                        else Qt.PenStyle.SolidLine
                        if s >= STABLE
                        else Qt.PenStyle.DotLine,
                    )
                )
                p.drawRect(r)
                ch = self._chars[i] if i < len(self._chars) and s >= STABLE else "?"
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, ch + "?" if doubted else ch)
        p.end()
