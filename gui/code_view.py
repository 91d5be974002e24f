"""The code in very large type, one box per group, each doubtful character marked.

Marks never rely on colour alone: a character to check gets a thick frame and a “?”
badge, a character that cannot be right gets a frame and a “✕” badge, and an easy
look-alike is underlined with dots. Screen readers get the same facts in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.codes.check import CheckResult
from core.codes.mask import visible_ends
from core.codes.profiles import get_profile
from core.codes.review import UNREADABLE, Review
from core.i18n import _


class CharState(Enum):
    CERTAIN = "certain"
    CONFIRMED = "confirmed"
    LOOK_ALIKE = "look_alike"
    CHECK = "check"
    UNREADABLE = "unreadable"
    INVALID = "invalid"


STATE_WORDS = {
    CharState.CERTAIN: lambda: _("certain"),
    CharState.CONFIRMED: lambda: _("checked by you"),
    CharState.LOOK_ALIKE: lambda: _("easy to mix up"),
    CharState.CHECK: lambda: _("check on the card"),
    CharState.UNREADABLE: lambda: _("could not be read, type it"),
    CharState.INVALID: lambda: _("not possible here"),
}
BADGES = {
    CharState.CHECK: "?",
    CharState.UNREADABLE: "!",
    CharState.INVALID: "✕",
    CharState.CONFIRMED: "✓",
}


@dataclass(frozen=True)
class CodeChar:
    char: str
    state: CharState
    alternatives: tuple[str, ...] = ()


PLACEHOLDER = "·"
MASK = "•"


def chars_from_result(result: CheckResult) -> list[list[CodeChar]]:
    """Group the value as the field displays it, with a state per character.

    With nothing entered yet, empty boxes show the shape of the code to expect.
    """
    alts = {a.index: a.alternatives for a in result.ambiguous}
    states: dict[int, CharState] = {}
    for w in result.warnings:
        if w.index is None:
            continue
        if w.tier == "block":
            states[w.index] = CharState.INVALID
        elif w.tier == "guide":
            states.setdefault(w.index, CharState.CHECK)
    fmt = get_profile(result.platform).field(result.field)
    if not result.value:
        sizes = [len(g) for g in fmt.group("x" * fmt.min_length)]
        return [[CodeChar(PLACEHOLDER, CharState.CERTAIN)] * n for n in sizes]
    groups: list[list[CodeChar]] = []
    i = 0
    for group in fmt.group(result.value):
        row: list[CodeChar] = []
        for ch in group:
            state = states.get(i)
            if state is None:
                state = CharState.LOOK_ALIKE if i in alts else CharState.CERTAIN
            row.append(CodeChar(ch, state, tuple(a for a in alts.get(i, ()) if a != ch)))
            i += 1
        groups.append(row)
    return groups


def chars_from_review(review: Review) -> list[list[CodeChar]]:
    """Like `chars_from_result`, with the reader's flags and the user's confirmations,
    grouped as printed on the card when the reader saw how (easier to compare)."""
    groups = chars_from_result(review.result)
    if not review.value:
        return groups
    flat: list[CodeChar] = []
    for i, c in enumerate(c for g in groups for c in g):
        flag = review.flags.get(i)
        shown = c
        if flag is not None:
            state: CharState
            alts = tuple(a for a in flag.alternatives if a not in (c.char, UNREADABLE))
            if flag.resolved:
                state = CharState.CONFIRMED if c.state is not CharState.INVALID else c.state
            else:
                state = CharState.UNREADABLE if flag.unreadable else CharState.CHECK
            shown = CodeChar(c.char, state, alts)
        flat.append(shown)
    out: list[list[CodeChar]] = []
    start = 0
    for size in review.display_groups():
        out.append(flat[start : start + size])
        start += size
    return [g for g in out if g]


def mask_groups(groups: list[list[CodeChar]]) -> list[list[CodeChar]]:
    """Staff mode: the settled characters a masked code hides (docs/masking.md) become
    dots; characters still to be checked stay, since the staff must see them to fix them."""
    n = sum(len(g) for g in groups)
    keep = visible_ends(n)
    settled = (CharState.CERTAIN, CharState.CONFIRMED, CharState.LOOK_ALIKE)
    out: list[list[CodeChar]] = []
    i = 0
    for group in groups:
        row = []
        for c in group:
            hidden = keep <= i < n - keep and c.state in settled
            row.append(CodeChar(MASK, c.state, ()) if hidden else c)
            i += 1
        out.append(row)
    return out


def describe(groups: list[list[CodeChar]]) -> str:
    """The code in words, for screen readers: groups, then every doubtful character."""
    if not groups or all(c.char == PLACEHOLDER for g in groups for c in g):
        return _("No code yet.")
    if any(c.char == MASK for g in groups for c in g):
        groups = [
            [c if c.char != MASK else CodeChar(_("hidden"), c.state) for c in g] for g in groups
        ]
    parts = []
    pos = 0
    notes = []
    for n, group in enumerate(groups, start=1):
        parts.append(_("group {n}: {chars}").format(n=n, chars=" ".join(c.char for c in group)))
        for c in group:
            pos += 1
            if c.state is not CharState.CERTAIN:
                note = _("character {position} “{char}”: {state}").format(
                    position=pos, char=c.char, state=STATE_WORDS[c.state]()
                )
                if c.alternatives:
                    note += _(", could be {alternatives}").format(
                        alternatives=" / ".join(c.alternatives)
                    )
                notes.append(note)
    return "; ".join(parts) + (". " + "; ".join(notes) if notes else "")


class CodeView(QWidget):
    """Click a character or move with the arrow keys to select it; Enter activates it."""

    selected_changed = Signal(int)
    activated = Signal(int)
    typed = Signal(int, str)  # a letter or digit typed at the selected position

    def __init__(
        self,
        parent: QWidget | None = None,
        point_size: float = 28.0,
        selectable: bool = False,
        fit_width: bool = False,
    ) -> None:
        """`fit_width`: the text shrinks so that every group fits on one line at the
        widget's width (the customer's screen), instead of wrapping a group away."""
        super().__init__(parent)
        self._raw: list[list[CodeChar]] = []
        self._groups: list[list[CodeChar]] = []
        self._masked = False
        self._point_size = point_size
        self._fit_width = fit_width
        self._selectable = selectable
        self._selected = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if selectable else Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(_("Code"))

    def set_point_size(self, size: float) -> None:
        self._point_size = size
        self.updateGeometry()
        self.update()

    def groups(self) -> list[list[CodeChar]]:
        return self._groups

    def set_masked(self, masked: bool) -> None:
        """Staff mode: show a settled code as a mask does (hold to reveal)."""
        self._masked = masked
        self.set_groups(self._raw)

    def set_groups(self, groups: list[list[CodeChar]]) -> None:
        self._raw = groups
        if self._masked:
            groups = mask_groups(groups)
        self._groups = groups
        if self._selected >= self.count():
            self._selected = -1
        self.setAccessibleDescription(describe(groups))
        self.updateGeometry()
        self.update()

    def count(self) -> int:
        return sum(len(g) for g in self._groups)

    def char_at(self, index: int) -> CodeChar | None:
        for g in self._groups:
            if index < len(g):
                return g[index]
            index -= len(g)
        return None

    def selected(self) -> int:
        return self._selected

    def select(self, index: int) -> None:
        if not self._selectable or not -1 <= index < self.count():
            return
        if index != self._selected:
            self._selected = index
            self.update()
            self.selected_changed.emit(index)
            c = self.char_at(index)
            if c is not None:
                self.setAccessibleName(
                    _("Code, character {position} “{char}”: {state}").format(
                        position=index + 1, char=c.char, state=STATE_WORDS[c.state]()
                    )
                )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._selectable:
            return super().mousePressEvent(event)
        pos = event.position()
        i = 0
        for _box, cells in self._group_rects():
            for cell in cells:
                if cell.contains(pos):
                    self.setFocus(Qt.FocusReason.MouseFocusReason)
                    self.select(i)
                    self.activated.emit(i)
                    return None
                i += 1
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._selectable or not self.count():
            return super().keyPressEvent(event)
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.select(min(self.count() - 1, self._selected + 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.select(max(0, self._selected - 1) if self._selected >= 0 else 0)
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(self.count() - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._selected >= 0:
                self.activated.emit(self._selected)
        elif (
            self._selected >= 0
            and len(event.text()) == 1
            and event.text().isascii()
            and event.text().isalnum()
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.typed.emit(self._selected, event.text().upper())
        else:
            return super().keyPressEvent(event)
        return None

    def retranslate(self) -> None:
        self.setAccessibleName(_("Code"))
        self.setAccessibleDescription(describe(self._groups))

    # layout
    def _font(self, point_size: float | None = None) -> QFont:
        f = QFont("monospace")
        f.setStyleHint(QFont.StyleHint.Monospace)
        f.setPointSizeF(point_size if point_size is not None else self._shown_size())
        f.setBold(True)
        return f

    def _shown_size(self) -> float:
        """The point size drawn: the asked one, or less where one line must fit."""
        if not self._fit_width or not self._groups:
            return self._point_size
        avail = max(self.width(), 200) - 12  # the rows start 4 px in; 8 px to spare
        size = self._point_size
        width = self._line_width(size)
        if width <= avail:
            return size
        size = size * avail / width
        # Glyph widths do not scale exactly with the point size: step down until it fits.
        while size > 6.0 and self._line_width(size) > avail:
            size *= 0.95
        return max(6.0, size)

    def _line_width(self, point_size: float) -> float:
        cell_w, _cell_h, pad, gap = self._metrics(point_size)
        return sum(len(g) * cell_w + 2 * pad for g in self._groups) + gap * (len(self._groups) - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_width:
            self.updateGeometry()
            self.update()

    def _metrics(self, point_size: float | None = None) -> tuple[float, float, float, float]:
        fm = QFontMetricsF(self._font(point_size))
        cell_w = max(fm.horizontalAdvance("W"), fm.horizontalAdvance("0")) * 1.25
        cell_h = fm.height() * 1.35
        pad = cell_w * 0.25
        gap = cell_w * 0.5
        return cell_w, cell_h, pad, gap

    def _group_rects(self, width: int | None = None) -> list[tuple[QRectF, list[QRectF]]]:
        cell_w, cell_h, pad, gap = self._metrics()
        # Room above the boxes for the badges that mark doubtful characters.
        top = 4.0 + cell_w * 0.25
        x, y = 4.0, top
        avail = max(self.width() if width is None else width, 200) - 8
        rects: list[tuple[QRectF, list[QRectF]]] = []
        for group in self._groups:
            w = len(group) * cell_w + 2 * pad
            if rects and x + w > avail:
                x = 4.0
                y += cell_h + 2 * pad + gap + cell_w * 0.25
            cells = [
                QRectF(x + pad + k * cell_w, y + pad, cell_w, cell_h) for k in range(len(group))
            ]
            rects.append((QRectF(x, y, w, cell_h + 2 * pad), cells))
            x += w + gap
        return rects

    def sizeHint(self) -> QSize:
        cell_w, cell_h, pad, gap = self._metrics()
        n = sum(len(g) for g in self._groups) or 16
        groups = max(len(self._groups), 4)
        return QSize(
            int(n * cell_w + groups * (2 * pad + gap)), int(cell_h + 2 * pad + cell_w * 0.25 + 12)
        )

    def minimumSizeHint(self) -> QSize:
        # One row of boxes: the height the groups really need at a width comes from
        # heightForWidth. (Measured at the widget's width before it was laid out, a
        # hidden screen's code view once asked for four rows and kept them.)
        cell_w, cell_h, pad, _gap = self._metrics()
        width = int(4 * cell_w + 2 * pad + 8)
        return QSize(width, int(cell_h + 2 * pad + cell_w * 0.25 + 12))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._group_rects(width)
        _cw, cell_h, pad, _g = self._metrics()
        return int(max((r.bottom() for r, _c in rects), default=cell_h + 2 * pad) + 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        base = pal.color(QPalette.ColorRole.Base)
        mid = pal.color(QPalette.ColorRole.Mid)
        font = self._font()
        p.setFont(font)
        badge_font = QFont(font)
        badge_font.setPointSizeF(self._shown_size() * 0.42)
        warn = pal.color(QPalette.ColorRole.Highlight)
        _cw, _ch, pad, _gap = self._metrics()
        index = 0
        for (box, cells), group in zip(self._group_rects(), self._groups, strict=True):
            p.setPen(QPen(mid, 2))
            p.setBrush(base)
            p.drawRoundedRect(box, 8, 8)
            for cell, ch in zip(cells, group, strict=True):
                index += 1
                p.setPen(text)
                p.setFont(font)
                p.drawText(cell, Qt.AlignmentFlag.AlignCenter, ch.char)
                if ch.state is CharState.LOOK_ALIKE:
                    p.setPen(QPen(text, 2, Qt.PenStyle.DotLine))
                    yline = cell.bottom() - cell.height() * 0.08
                    p.drawLine(QPointF(cell.left() + 4, yline), QPointF(cell.right() - 4, yline))
                elif ch.state in BADGES:
                    if ch.state is not CharState.CONFIRMED:
                        p.setPen(QPen(warn, 4))
                        p.setBrush(Qt.BrushStyle.NoBrush)
                        p.drawRoundedRect(cell.adjusted(2, 2, -2, -2), 6, 6)
                    p.setFont(badge_font)
                    d = cell.width() * 0.62
                    r = QRectF(cell.right() - d * 0.7, cell.top() - d * 0.55, d, d)
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(warn if ch.state is not CharState.CONFIRMED else mid)
                    p.drawEllipse(r)
                    p.setPen(
                        pal.color(QPalette.ColorRole.HighlightedText)
                        if ch.state is not CharState.CONFIRMED
                        else base
                    )
                    p.drawText(r, Qt.AlignmentFlag.AlignCenter, BADGES[ch.state])
                if index - 1 == self._selected:
                    p.setPen(QPen(text, 3))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    yline = cell.bottom() + pad * 0.5
                    p.drawLine(QPointF(cell.left() + 2, yline), QPointF(cell.right() - 2, yline))
                    p.drawLine(
                        QPointF(cell.left() + 2, yline - 3), QPointF(cell.right() - 2, yline - 3)
                    )
        if self.hasFocus():
            p.setPen(QPen(warn, 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        p.end()
