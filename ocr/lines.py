"""Text lines of a picture: PP-OCR's detector finds them, each one is cut out straight
(perspective and slant undone, text running left to right) and described by its place on
the card, so that the field assignment can ask which line is beside, above or below which.

The detector sees a reduced copy of the picture; every line is cut from the full picture,
so small print keeps all its pixels. A card photographed turned by a quarter or upside
down is read the right way up: crops are made horizontal, and the global 0°/180° choice
is made once per picture (every line of a card is turned the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ocr.ppocr import PPOCR, LineText, crop_quad

# The detector's view of the picture, longer side: 1280 found no more codes on generated
# cards than 960, at twice the cost; 800 lost small print.
DET_MAX_SIDE = 960
# … and for a camera frame read whole: the camera asks for the password alone, printed
# large, and three frames vote; a smaller view is a faster lock (docs/ocr.md, "The
# camera": on video seeds 301, 401 and 501, median time to lock 0.65–0.87 s against
# 0.89–1.50 s at 960; 50 right locks against 51, none wrong).
FAST_DET_MAX_SIDE = 736
CROP_H = 48  # line crops are cut at the recogniser's height (text plus its margin)
GLYPH_SHARE = 0.62  # glyphs fill about this much of a detected line's height


@dataclass
class Line:
    index: int
    quad: np.ndarray  # (4, 2) image pixels: top-left, top-right, bottom-right, bottom-left
    score: float
    crop: np.ndarray = field(repr=False)  # straight BGR line image, CROP_H tall
    to_image: np.ndarray = field(repr=False)  # 3×3: crop pixels → image pixels
    text: LineText | None = None

    # A line's place never changes once it is made (a line moved or turned is a new
    # Line: `shifted`, `flip`), so its measures are worked out once: the plan and the
    # field assignment ask them of every pair of lines. The quad is made read-only to
    # keep it so.
    def __post_init__(self) -> None:
        self.quad = np.asarray(self.quad)
        self.quad.flags.writeable = False

    @cached_property
    def height(self) -> float:
        q = self.quad
        return float((np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2)

    @cached_property
    def length(self) -> float:
        q = self.quad
        return float((np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2)

    @cached_property
    def centre(self) -> np.ndarray:
        return np.asarray(self.quad.mean(axis=0), dtype=np.float64)

    @cached_property
    def axis(self) -> np.ndarray:
        """Unit vector along the text (left to right)."""
        v = (self.quad[1] - self.quad[0]) + (self.quad[2] - self.quad[3])
        n = float(np.linalg.norm(v))
        return np.asarray(v / n if n else np.array([1.0, 0.0]), dtype=np.float64)

    @cached_property
    def normal(self) -> np.ndarray:
        """Unit vector from the line's top to its bottom."""
        a = self.axis
        return np.array([-a[1], a[0]])

    def image_point(self, x: float, y: float | None = None) -> np.ndarray:
        """A point of the crop (x along the line; y by default mid-height) in image pixels."""
        yy = self.crop.shape[0] / 2 if y is None else y
        p = self.to_image @ np.array([x, yy, 1.0])
        return np.asarray(p[:2] / p[2], dtype=np.float64)

    def sub_quad(self, x0: float, x1: float) -> np.ndarray:
        """The part of the line between crop x0 and x1, as an image quadrilateral."""
        h = float(self.crop.shape[0])
        pts = [
            self.image_point(x0, 0),
            self.image_point(x1, 0),
            self.image_point(x1, h),
            self.image_point(x0, h),
        ]
        return np.asarray(pts, dtype=np.float32)


def _oriented(quad: np.ndarray) -> np.ndarray:
    """The quad's corners starting so that the first edge runs along the text."""
    q = np.asarray(quad, np.float32)
    if np.linalg.norm(q[1] - q[0]) < 0.9 * np.linalg.norm(q[2] - q[1]):
        q = np.roll(q, -1, axis=0)  # a standing line (a card turned by a quarter)
    return q


def turn_half(quad: np.ndarray) -> np.ndarray:
    """The same quad read the other way up."""
    return np.roll(np.asarray(quad, np.float32), 2, axis=0)


MERGE_GAP = 1.4  # boxes of one row closer than this many heights are one line


def _merge_row(quads: list[np.ndarray]) -> list[np.ndarray]:
    """Boxes that continue each other on one row become one line: the detector splits a
    code at its wide group gaps and a label from its value, and a code read in pieces
    would look like several short codes."""
    qs = [np.asarray(q, np.float32) for q in quads]
    while (pair := _continuing(qs)) is not None:
        i, j = pair
        a, b = qs[i], qs[j]
        qs[i] = np.array([a[0], b[1], b[2], a[3]], np.float32)
        del qs[j]
    return qs


def _continuing(qs: list[np.ndarray]) -> tuple[int, int] | None:
    """The first pair (i, j) where box j continues box i's row after its end."""
    if len(qs) < 2:
        return None
    q = np.stack(qs).astype(np.float64)
    h = np.linalg.norm(q[:, 3] - q[:, 0], axis=1)
    ax = q[:, 1] - q[:, 0]
    ax /= np.maximum(np.linalg.norm(ax, axis=1), 1e-6)[:, None]
    mid = q.mean(axis=1)
    start = (q[:, 0] + q[:, 3]) / 2
    end = (q[:, 1] + q[:, 2]) / 2
    length = np.linalg.norm(q[:, 1] - q[:, 0], axis=1)
    normals = np.stack([-ax[:, 1], ax[:, 0]], axis=1)
    for i in range(len(qs)):
        ratio = h / max(h[i], 1.0)
        hmax = np.maximum(h, h[i])
        # Across the longer box's direction (a short box's own slant is a poor guide,
        # as in same_row): a receipt's word lying at 8° under the card pointed at the
        # card's password row along its own slant, and was read into it (generated
        # card 5560037, the password lost).
        normal = np.where((length > length[i])[:, None], normals, normals[i])
        across = np.abs(np.sum((mid - mid[i]) * normal, axis=1))
        gap = start @ ax[i] - end[i] @ ax[i]
        ok = (
            (ratio > 0.7)
            & (ratio < 1.4)
            & (ax @ ax[i] >= 0.98)
            & (across <= 0.35 * hmax)
            & (gap > -1.0 * h[i])
            & (gap < MERGE_GAP * hmax)
        )
        ok[i] = False
        hits = np.flatnonzero(ok)
        if hits.size:
            return i, int(hits[0])
    return None


def find_lines(image: np.ndarray, engine: PPOCR, max_side: int | None = None) -> list[Line]:
    """Every text line the detector finds, cut out straight at the recogniser's height."""
    quads, _scores = engine.detect(image, max_side or DET_MAX_SIDE)
    oriented = _merge_row([_oriented(q) for q in quads])
    lines: list[Line] = []
    for i, oq in enumerate(oriented):
        s = 1.0
        crop, to_img = crop_quad(image, oq, pad=0.0, height=CROP_H)
        if crop.shape[1] < 4:
            continue
        lines.append(Line(i, oq, s, crop, to_img))
    return lines


def shifted(line: Line, dx: float, dy: float) -> Line:
    """A line found in a part of the picture, in the whole picture's pixels."""
    move = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])
    quad = line.quad + np.array([dx, dy], np.float32)
    return Line(line.index, quad, line.score, line.crop, move @ line.to_image, line.text)


def flip(lines: list[Line], which: list[bool], image: np.ndarray) -> list[Line]:
    """The lines marked in `which` turned by half a turn (they lie upside down)."""
    out = []
    for ln, turn in zip(lines, which, strict=True):
        if not turn:
            out.append(ln)
            continue
        q = turn_half(ln.quad)
        crop, to_img = crop_quad(image, q, pad=0.0, height=CROP_H)
        out.append(Line(ln.index, q, ln.score, crop, to_img))
    return out


def same_row(a: Line, b: Line) -> bool:
    """b continues a's row: their mid-lines nearly coincide across the text direction
    (the direction of the longer line: a short label's own slant is a poor guide)."""
    d = b.centre - a.centre
    normal = a.normal if a.length >= b.length else b.normal
    across = abs(float(d @ normal))
    return across < 0.5 * min(a.height, b.height) + 0.15 * abs(a.height - b.height)


def gap_along(a: Line, b: Line) -> float:
    """How far b starts after a ends, along a's text direction (negative: overlap)."""
    a_end = float(a.axis @ ((a.quad[1] + a.quad[2]) / 2))
    b_start = float(a.axis @ ((b.quad[0] + b.quad[3]) / 2))
    return b_start - a_end


def below(a: Line, b: Line) -> float | None:
    """How far b lies below a (in a's line heights), when b starts under a's start or
    overlaps it sideways; None when b is not under a."""
    d = b.centre - a.centre
    down = float(d @ a.normal)
    if down <= 0.3 * a.height:
        return None
    a0 = float(a.axis @ a.quad[0])
    a1 = float(a.axis @ a.quad[1])
    b0 = float(a.axis @ b.quad[0])
    b1 = float(a.axis @ b.quad[1])
    overlap = min(a1, b1) - max(a0, b0)
    if overlap < -0.5 * a.height and abs(b0 - a0) > 1.5 * a.height:
        return None
    return down / max(a.height, 1.0)


PROBE_LENGTH = 22.0  # how far (in label heights) a value may run after its label
PROBE_HEIGHT = 1.6  # a value may be printed taller than its label


def probe(image: np.ndarray, label: Line, where: str) -> Line | None:
    """The place where a label's value must be ("right" of it on its row, or "below"
    it), as a line to read, for a value the detector did not see (dot-matrix print, a
    code half under residue). None when that place lies outside the picture."""
    a, n = label.axis, label.normal
    h = label.height
    if where == "right":
        start = (label.quad[1] + label.quad[2]) / 2 + a * 0.3 * h
    else:
        start = (label.quad[0] + label.quad[3]) / 2 + n * 1.3 * h
    ih, iw = image.shape[:2]
    length = PROBE_LENGTH * h
    # Stop at the picture's edge.
    for t in np.linspace(length, 2 * h, 24):
        end = start + a * t
        if 0 <= end[0] < iw and 0 <= end[1] < ih:
            length = float(t)
            break
    else:
        return None
    half = n * PROBE_HEIGHT * h / 2
    quad = np.array(
        [start - half, start + a * length - half, start + a * length + half, start + half],
        np.float32,
    )
    crop, to_img = crop_quad(image, quad, pad=0.0, height=CROP_H)
    return Line(-1, quad, 0.0, crop, to_img)


ROW_REACH = 8.0  # a box this many heights beyond a value, on its row, may continue it
ROW_TAIL = 3.0  # and the row is read this many heights past the last such box


def row_extension(
    image: np.ndarray, value: Line, x0: float, lines: list[Line], *, cut_short: bool = False
) -> Line | None:
    """The value's row read whole, from where the value starts (crop x0) to the end of
    the last box continuing it on the same row: the detector loses the middle of a code
    under residue or in dot-matrix print and finds its ends as separate boxes. None when
    nothing continues the row — unless the value is `cut_short` (a label's line whose
    code stops after a few characters: the detector saw no box for the rest), then the
    row is read as far as a label's value may run (PROBE_LENGTH)."""
    h = value.height
    end = float(value.axis @ ((value.quad[1] + value.quad[2]) / 2))
    far = end
    # Boxes in the order they stand along the row, not the detector's: a far piece
    # is in reach only through the pieces between (generated card 5, dot-matrix print:
    # the last group, listed first, was left out and the code cut after 11 of 18).
    row = [
        (
            float(value.axis @ ((ln.quad[0] + ln.quad[3]) / 2)),
            float(value.axis @ ((ln.quad[1] + ln.quad[2]) / 2)),
        )
        for ln in lines
        if ln is not value and same_row(value, ln)
    ]
    for start, stop in sorted(row):
        if end - h < start < far + ROW_REACH * h and stop > far:
            far = stop
    a, n = value.axis, value.normal
    left = value.image_point(x0)
    if far > end + 0.5 * h:
        # A few glyphs past the last box: its end may be as faint as the missed middle.
        length = far - float(a @ left) + ROW_TAIL * h
    elif cut_short:
        # From a little before the value's first character: the recogniser places a
        # character where it sees it, often well inside a narrow glyph (a 1 lost).
        left = value.image_point(max(0.0, x0 - 0.3 * value.crop.shape[0]))
        length = PROBE_LENGTH * h
    else:
        return None
    ih, iw = image.shape[:2]
    while length > h:
        tip = left + a * length
        if 0 <= tip[0] < iw and 0 <= tip[1] < ih:
            break
        length -= 0.5 * h
    half = n * 0.65 * h
    quad = np.array(
        [left - half, left + a * length - half, left + a * length + half, left + half], np.float32
    )
    crop, to_img = crop_quad(image, quad, pad=0.0, height=CROP_H)
    return Line(-2, quad, 0.0, crop, to_img)
