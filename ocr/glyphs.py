"""Glyph self-consistency: the characters of one card share one font, so a glyph can be
compared with the card's other glyphs of the same and of other classes.

A code line is cut into glyph windows (located from the line's own ink, scaled to the
local glyph height so a card seen at an angle still lines up), each with a mask of what
is hidden under scratch-off residue. Two glyphs are compared only where both are seen,
with a small shift allowed. Clean glyphs read for certain on the card are the exemplars
(templates); any other glyph can then be asked which exemplar class it resembles, and
by how much more than the others.

Used by the pipeline in two directions: to confirm a reading (a glyph that matches its
own class's exemplars and none of its look-alikes') and to doubt one (a glyph that looks
more like another class's exemplars than like its own, or that is hidden under residue
with nothing on the card to compare it with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.prep import local_contrast

Box = tuple[int, int, int, int]

TEXT_H = 34  # canonical glyph height of a window (the strips' own text height)
WIN_W = 26  # compared width
SHIFT = 2  # compared at every shift up to this many pixels each way
PAD_Y = 5
WW, WH = WIN_W + 2 * SHIFT, TEXT_H + 2 * PAD_Y
INK_BELOW = 0.45  # local contrast under this is ink
MID = (0.42, 0.85)  # a thick area in this range is residue (or glare) over the print


@dataclass
class Glyph:
    ink: np.ndarray  # WH×WW float32, 0 paper … 1 ink (slightly blurred)
    seen: np.ndarray  # WH×WW float32, 1 where the print is visible
    hidden: float  # share of the glyph's own box that is hidden under residue
    ok: bool  # whether the glyph could be located at all


def _robust_line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """y = a·x + b through the points, ignoring outliers (a glyph cut by residue)."""
    x = np.asarray(xs, np.float64)
    y = np.asarray(ys, np.float64)
    if len(x) < 3:
        return 0.0, float(np.median(y)) if len(y) else 0.0
    keep = np.ones(len(x), bool)
    a, b = 0.0, float(np.median(y))
    for _ in range(3):
        a, b = (float(v) for v in np.polyfit(x[keep], y[keep], 1))
        r = np.abs(y - (a * x + b))
        new = r <= max(2.0, 2.5 * float(np.median(r[keep])))
        if new.sum() < 3 or (new == keep).all():
            break
        keep = new
    return a, b


class Sheet:
    """One strip's glyphs: maps of ink and of what residue hides, and glyph windows."""

    def __init__(self, bgr: np.ndarray, text_h: int = TEXT_H) -> None:
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
        self.text_h = text_h
        n = local_contrast(grey, text_h)
        self.ink = np.clip((0.62 - n) / 0.35, 0.0, 1.0).astype(np.float32)
        mid = ((n > MID[0]) & (n < MID[1])).astype(np.uint8)
        # Residue covers areas; the grey rim of a stroke is a line a pixel or two wide.
        core = cv2.morphologyEx(mid, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        self.hidden = cv2.dilate(core, np.ones((3, 3), np.uint8)) > 0
        strong = ((n < INK_BELOW) & ~self.hidden).astype(np.uint8)
        horiz = cv2.morphologyEx(strong, cv2.MORPH_OPEN,
                                 np.ones((1, int(text_h * 1.5)), np.uint8))
        vert = cv2.morphologyEx(strong, cv2.MORPH_OPEN,
                                np.ones((int(text_h * 1.3), 1), np.uint8))
        rules = ((horiz > 0) | (vert > 0)).astype(np.uint8)
        strong[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
        self.strong = strong
        self.soft = cv2.GaussianBlur(self.ink, (0, 0), 1.0)

    def glyphs(self, centres: Sequence[float]) -> list[Glyph]:
        """Windows of the glyphs whose rough x centres (from the recognizer) are given,
        in reading order."""
        cents = np.asarray(centres, np.float64)
        if len(cents) == 0:
            return []
        pitch = float(np.median(np.diff(cents))) if len(cents) > 1 else 0.7 * self.text_h
        pitch = max(pitch, 0.3 * self.text_h)
        n, _lab, stats, _c = cv2.connectedComponentsWithStats(self.strong, connectivity=8)
        boxes = [[1e9, 1e9, -1e9, -1e9] for _ in cents]
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if area < 4 or h > 1.6 * self.text_h or w > 1.2 * self.text_h:
                continue
            cx = x + w / 2
            j = int(np.argmin(np.abs(cents - cx)))
            if abs(cents[j] - cx) > 0.6 * pitch:
                continue
            b = boxes[j]
            b[0], b[1] = min(b[0], x), min(b[1], y)
            b[2], b[3] = max(b[2], x + w), max(b[3], y + h)
        xs, tops, bottoms = [], [], []
        for b in boxes:
            if b[2] > b[0] and b[3] - b[1] > 0.6 * self.text_h:
                xs.append((b[0] + b[2]) / 2)
                tops.append(b[1])
                bottoms.append(b[3])
        if len(xs) < 2:
            return [Glyph(np.zeros((WH, WW), np.float32), np.zeros((WH, WW), np.float32),
                          1.0, False) for _ in cents]
        at, bt = _robust_line(xs, tops)
        ab, bb = _robust_line(xs, bottoms)
        out = []
        for j, b in enumerate(boxes):
            found = b[2] > b[0] and b[2] - b[0] > 0.2 * self.text_h
            cx = (b[0] + b[2]) / 2 if found else float(cents[j])
            top, bottom = at * cx + bt, ab * cx + bb
            s = max(8.0, bottom - top) / TEXT_H
            my = (top + bottom) / 2
            m = np.array([[s, 0, cx - WW / 2 * s], [0, s, my - WH / 2 * s]], np.float32)
            flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
            ink = cv2.warpAffine(self.soft, m, (WW, WH), flags=flags, borderValue=0)
            seen = cv2.warpAffine((~self.hidden).astype(np.float32), m, (WW, WH),
                                  flags=flags, borderValue=0)
            seen = (seen > 0.5).astype(np.float32)
            core = seen[PAD_Y: WH - PAD_Y, SHIFT + 3: WW - SHIFT - 3]
            out.append(Glyph(ink, seen, float(1.0 - core.mean()), True))
        return out


def distances(g: Glyph, exemplars: Sequence[Glyph]) -> np.ndarray:
    """How unlike each exemplar the glyph is (0 same … 1), over the pixels both show,
    at the best small shift; 9 where they share too little to say."""
    if not exemplars:
        return np.zeros(0)
    c = g.ink[SHIFT: WH - SHIFT, SHIFT: SHIFT + WIN_W]
    cs = g.seen[SHIFT: WH - SHIFT, SHIFT: SHIFT + WIN_W]
    e_ink = np.stack([e.ink for e in exemplars])
    e_seen = np.stack([e.seen for e in exemplars])
    best = np.full(len(exemplars), 9.0)
    h, w = c.shape
    for dy in range(2 * SHIFT + 1):
        for dx in range(2 * SHIFT + 1):
            ei = e_ink[:, dy: dy + h, dx: dx + w]
            es = e_seen[:, dy: dy + h, dx: dx + w]
            m = cs[None] * es
            cover = m.mean(axis=(1, 2))
            wgt = m * (np.maximum(c[None], ei) + 0.05)
            d = (wgt * np.abs(c[None] - ei)).sum(axis=(1, 2)) / np.maximum(
                wgt.sum(axis=(1, 2)), 1e-6)
            d = np.where(cover >= 0.4, d, 9.0)
            best = np.minimum(best, d)
    return best
