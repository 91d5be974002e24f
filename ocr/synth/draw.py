"""Drawing primitives on a float32 BGR canvas: masks, text runs, codes, panels, barcodes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.synth import fonts
from ocr.synth.fonts import Face

Colour = tuple[float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def blend(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray, mask: np.ndarray, x: int, y: int, colour: Colour, opacity: float = 1.0
) -> None:
    """Paint `colour` through a coverage mask (0..255) with its top-left corner at (x, y)."""
    h, w = mask.shape
    H, W = canvas.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    m = mask[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.float32)[..., None] * (opacity / 255.0)
    roi = canvas[y0:y1, x0:x1]
    roi += (np.asarray(colour, np.float32) - roi) * m


def text(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray,
    face: Face,
    s: str,
    x: float,
    baseline: float,
    cap: float,
    colour: Colour,
    opacity: float = 1.0,
    stroke: int = 0,
) -> Rect:
    """Draw one line; returns its ink rectangle."""
    if not face.cjk and not s.isascii():
        # A Latin face would print missing-glyph boxes: a bug in the layout, not a look.
        raise ValueError(f"{face.name} cannot print {s!r}")
    if not s:
        return (x, baseline, x, baseline)
    mask, base = fonts.text_mask(face, s, cap, stroke)
    ix, iy = round(x), round(baseline) - base
    blend(canvas, mask, ix, iy, colour, opacity)
    ys, xs = np.nonzero(mask > 40)
    if len(xs) == 0:
        return (x, baseline, x, baseline)
    return (ix + xs.min(), iy + ys.min(), ix + xs.max() + 1, iy + ys.max() + 1)


def text_right(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray, face: Face, s: str, x1: float, baseline: float, cap: float, colour: Colour
) -> Rect:
    return text(canvas, face, s, x1 - fonts.text_width(face, s, cap), baseline, cap, colour)


def paragraph(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray,
    face: Face,
    s: str,
    rect: Rect,
    cap: float,
    colour: Colour,
    leading: float = 1.9,
) -> float:
    """Wrap `s` into `rect` (lines that do not fit are dropped); returns the bottom y."""
    x0, y0, x1, y1 = rect
    y = y0 + cap * 1.25
    for line in fonts.wrap(face, s, cap, x1 - x0):
        if y > y1:
            break
        text(canvas, face, line, x0, y, cap, colour)
        y += cap * leading
    return y - cap * leading + cap * 0.4


@dataclass
class CodeInk:
    """Where the characters of a printed code are, in canvas pixels."""

    boxes: list[Rect] = field(default_factory=list)  # ink box per code character
    masks: list[tuple[np.ndarray, int, int]] = field(default_factory=list)  # mask, x, y
    rect: Rect = (0.0, 0.0, 0.0, 0.0)  # the whole printed text, separators included
    cap: float = 0.0


def code_width(face: Face, printed: str, cap: float, tracking: float) -> float:
    return _layout_code(face, printed, cap, tracking)[1]


def _layout_code(
    face: Face,
    printed: str,
    cap: float,
    tracking: float,
) -> tuple[list[float], float]:
    """Pen x of each printed character (from 0) and the total advance."""
    digit = fonts.glyph(face, "0", round(cap))
    xs, x = [], 0.0
    for ch in printed:
        xs.append(x)
        if ch == " ":
            x += digit.advance * 0.75
            continue
        g = fonts.glyph(face, ch, round(cap))
        adv = digit.advance if face.mono else g.advance
        x += adv + tracking * cap
    return xs, x - tracking * cap


def code(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray,
    face: Face,
    printed: str,
    x: float,
    baseline: float,
    cap: float,
    colour: Colour,
    tracking: float = 0.0,
    *,
    wobble: tuple[np.ndarray, np.ndarray] | None = None,
) -> CodeInk:
    """Draw a code glyph by glyph; separators (space, dash) get no box. `wobble` gives
    each printed character a baseline shift (share of the cap height) and an ink density
    (0..1), as codes printed by a separate inkjet or thermal pass have."""
    ink = CodeInk(cap=cap)
    pens, total = _layout_code(face, printed, cap, tracking)
    rx0, ry0, rx1, ry1 = math.inf, math.inf, -math.inf, -math.inf
    for i, (ch, pen) in enumerate(zip(printed, pens, strict=True)):
        if ch == " ":
            continue
        g = fonts.glyph(face, ch, round(cap))
        shift, density = (0.0, 1.0) if wobble is None else (wobble[0][i], wobble[1][i])
        gx, gy = round(x + pen + g.dx), round(baseline + g.dy + shift * cap)
        blend(canvas, g.mask, gx, gy, colour, float(density))
        h, w = g.mask.shape
        rx0, ry0 = min(rx0, gx), min(ry0, gy)
        rx1, ry1 = max(rx1, gx + w), max(ry1, gy + h)
        if ch != "-":
            ink.boxes.append((gx, gy, gx + w, gy + h))
            ink.masks.append((g.mask, gx, gy))
    ink.rect = (rx0, min(ry0, baseline - cap), max(rx1, x + total), max(ry1, baseline))
    return ink


def rounded_rect_mask(h: int, w: int, rect: Rect, radius: float) -> np.ndarray:
    """A float32 0..1 mask of a rounded rectangle, anti-aliased."""
    x0, y0, x1, y1 = rect
    scale = 4
    small_w, small_h = max(1, math.ceil(x1 - x0) + 2), max(1, math.ceil(y1 - y0) + 2)
    big = np.zeros((small_h * scale, small_w * scale), np.uint8)
    r = max(0, int(radius * scale))
    bw, bh = int((x1 - x0) * scale), int((y1 - y0) * scale)
    r = min(r, bw // 2, bh // 2)
    cv2.rectangle(big, (r, 0), (bw - r, bh), 255, -1)
    cv2.rectangle(big, (0, r), (bw, bh - r), 255, -1)
    for cx, cy in ((r, r), (bw - r, r), (r, bh - r), (bw - r, bh - r)):
        cv2.circle(big, (cx, cy), r, 255, -1, cv2.LINE_AA)
    small = cv2.resize(big, (small_w, small_h), interpolation=cv2.INTER_AREA)
    out = np.zeros((h, w), np.float32)
    ix, iy = int(x0), int(y0)
    xa, ya = max(0, ix), max(0, iy)
    xb, yb = min(w, ix + small_w), min(h, iy + small_h)
    if xb > xa and yb > ya:
        out[ya:yb, xa:xb] = small[ya - iy : yb - iy, xa - ix : xb - ix] / 255.0
    return out


def rounded_rect(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray,
    rect: Rect,
    radius: float,
    colour: Colour,
    opacity: float = 1.0,
    outline: float = 0.0,
) -> None:
    """Paint a rounded rectangle (or only its outline, `outline` px wide) in place."""
    H, W = canvas.shape[:2]
    x0, y0 = max(0, int(rect[0]) - 1), max(0, int(rect[1]) - 1)
    x1, y1 = min(W, math.ceil(rect[2]) + 2), min(H, math.ceil(rect[3]) + 2)
    if x1 <= x0 or y1 <= y0:
        return
    local = (rect[0] - x0, rect[1] - y0, rect[2] - x0, rect[3] - y0)
    mask = rounded_rect_mask(y1 - y0, x1 - x0, local, radius)
    if outline > 0:
        k = max(1, round(outline))
        inner = cv2.erode(mask, np.ones((2 * k + 1, 2 * k + 1), np.uint8))
        mask = mask - inner
    fill(canvas[y0:y1, x0:x1], mask, colour, opacity)


def fill(
    canvas: np.ndarray, mask: np.ndarray, colour: Colour | np.ndarray, opacity: float = 1.0
) -> None:
    """Paint a colour (or an image of the canvas' size) through a 0..1 float mask."""
    m = mask[..., None] * opacity
    canvas += (np.asarray(colour, np.float32) - canvas) * m


def gradient(h: int, w: int, c0: Colour, c1: Colour, angle_deg: float) -> np.ndarray:
    a = math.radians(angle_deg)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = xx * math.cos(a) + yy * math.sin(a)
    t = (t - t.min()) / max(1.0, float(t.max() - t.min()))
    out = (
        np.asarray(c0, np.float32) * (1 - t[..., None]) + np.asarray(c1, np.float32) * t[..., None]
    )
    return np.asarray(out, np.float32)


def smooth_noise(rng: np.random.Generator, h: int, w: int, cell: float) -> np.ndarray:
    """Zero-mean, unit-ish smooth noise with features about `cell` pixels wide."""
    gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
    small = rng.standard_normal((gh, gw), dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def arcs(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    canvas: np.ndarray,
    rng: np.random.Generator,
    rect: Rect,
    colour: Colour,
    n: int,
    thickness: float,
    opacity: float,
) -> None:
    """Decorative circle arcs (the guilloche look of printed cards)."""
    x0, y0, x1, y1 = (int(v) for v in rect)
    layer = np.zeros(canvas.shape[:2], np.uint8)
    for _ in range(n):
        cx = int(rng.uniform(x0 - 0.3 * (x1 - x0), x1 + 0.3 * (x1 - x0)))
        cy = int(rng.uniform(y0 - 0.5 * (y1 - y0), y1 + 0.5 * (y1 - y0)))
        r = int(rng.uniform(0.2, 0.9) * (x1 - x0))
        cv2.circle(layer, (cx, cy), r, 255, max(1, round(thickness)), cv2.LINE_AA)
    clip = np.zeros_like(layer)
    clip[max(0, y0) : y1, max(0, x0) : x1] = 1
    fill(canvas, (layer * clip).astype(np.float32) / 255.0, colour, opacity)


def barcode(canvas: np.ndarray, rng: np.random.Generator, rect: Rect, colour: Colour) -> None:
    """Bars of random widths (a look, not a decodable symbol)."""
    x0, y0, x1, y1 = rect
    x = x0
    module = max(1.0, (x1 - x0) / 190)
    while x < x1 - 3 * module:
        w = module * float(rng.choice([1, 1, 2, 3]))
        if x + w > x1:
            break
        cv2.rectangle(canvas, (round(x), round(y0)), (round(x + w) - 1, round(y1)), colour, -1)
        x += w + module * float(rng.choice([1, 1, 2, 3]))


def qr(canvas: np.ndarray, payload: str, x: float, y: float, size: float) -> Rect:
    """A real, decodable QR code of `payload` with its quiet zone, `size` px wide."""
    import segno

    code = segno.make(payload, error="m", micro=False)
    matrix = np.pad(np.asarray(code.matrix, np.uint8), 2)  # a 2-module quiet zone
    n = int(size)
    img = cv2.resize((1 - matrix) * 255, (n, n), interpolation=cv2.INTER_NEAREST)
    ix, iy = round(x), round(y)
    h, w = canvas.shape[:2]
    if ix < 0 or iy < 0 or ix + n > w or iy + n > h:
        return (x, y, x, y)
    canvas[iy : iy + n, ix : ix + n] = img.astype(np.float32)[..., None]
    return (ix, iy, ix + n, iy + n)
