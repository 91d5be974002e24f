"""How much of each glyph lies under scratch-off residue.

Residue hides strokes without adding ink: an 8 with its left half under silver flakes
is a 3 to every reader, and both readers then agree, confidently and wrongly. What
gives it away is in the pixels: the glyph's box holds grey that is neither ink nor clean
paper. For each character we measure that share; a character with a look-alike that
such hiding can produce (3/8, 5/6, C/G, E/F …) is not certain when much of it is hidden
(thresholds calibrated on generated cards whose residue is known, benchmarks/calibrate.py).

The same pixels say when a code goes on past what was read: ink right after its last
character (or right before its first), in the row's own band, is a glyph nobody read.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ocr.lines import GLYPH_SHARE, Line
from ocr.ppocr import crop_quad
from ocr.prep import v_lum

INK = 0.35  # of the way from ink to paper: darker is ink
PAPER = 0.80  # lighter is paper; between the two, over a glyph, is residue
LOCAL_INK_REACH = 5.0  # glyph pitches either side where a glyph's ink level is looked for


def hidden_shares(crop: np.ndarray, spans: Sequence[tuple[float, float]]) -> list[float]:
    """For each (x0, x1) span of a straight line crop, the share of its pixels that are
    neither ink (nor ink's soft edge) nor paper. The spans are the glyphs of one code,
    left to right."""
    # Light evened out first (divided by the local paper level): shade and glare would
    # otherwise pass for residue.
    g = v_lum(crop, round(crop.shape[0] * GLYPH_SHARE)).astype(np.float32)
    h = crop.shape[0]
    rows = slice(h // 6, h - h // 6)
    paper = float(np.percentile(g, 92))
    # Only the code's own stretch lends an ink level: a label before it ("卡号：") is
    # often printed bolder and darker than the code.
    lo = max(0, int(min((x0 for x0, _x1 in spans), default=0)))
    hi = min(g.shape[1], int(np.ceil(max((x1 for _x0, x1 in spans), default=0))))
    centres = [(x0 + x1) / 2 for x0, x1 in spans]
    pitch = float(np.median(np.diff(centres))) if len(spans) > 1 else hi - lo
    out = []
    for x0, x1 in spans:
        a, b = max(0, int(x0)), min(crop.shape[1], int(np.ceil(x1)))
        if b <= a:
            out.append(0.0)
            continue
        # The ink's own level around the glyph, not the row's: glare that fades half a
        # row fades its ink to grey too, which is no residue. Residue leaves most of a
        # glyph's strokes, and its neighbours', as dark as ever (docs/ocr.md, "Faded
        # ink is no residue").
        reach = LOCAL_INK_REACH * pitch
        c = (x0 + x1) / 2
        near = g[rows, max(lo, int(c - reach)) : min(hi, int(np.ceil(c + reach)))]
        ink = float(np.percentile(near if near.size else g[rows], 3))
        span = max(paper - ink, 1.0)
        # One pixel more either side: ink's soft edge reaches in from beside the span.
        a1, b1 = max(0, a - 1), min(g.shape[1], b + 1)
        part = g[:, a1:b1]
        inky = (part <= ink + INK * span).astype(np.uint8)
        edge = cv2.dilate(inky, np.ones((3, 3), np.uint8)) > 0
        mid = (part > ink + INK * span) & (part < ink + PAPER * span) & ~edge
        out.append(float(mid[rows, a - a1 : a - a1 + b - a].mean()))
    return out


END_H = 32  # px: the height the row's ends are looked at
END_GAP = 0.25  # of a character's pitch: the space between two glyphs of the code
END_REACH = 1.1  # … and how far past the end a next glyph would reach
END_INK = 0.35  # a window this inky, against the code's own ink, holds a glyph
END_GROUP = 1.0  # of a pitch: a code printed in groups may go on after one more gap
END_WINDOW = 0.85  # of a pitch: the stretch judged at a time (one glyph and its margin)
# A glyph of the code is printed in the code's own ink: dark in colour as much as in
# brightness. A panel's red or blue edge beside the code is as dark as ink in grey but
# far more coloured (max − min of B, G, R); it is no glyph (docs/ocr.md, "Where a code
# ends").
END_CHROMA = 60


def _code_ink(crop: np.ndarray, a: int, b: int) -> np.ndarray | None:
    """Where a crop of a row (its glyphs across the middle two thirds of its height) is
    as dark as the code's own ink between columns a and b, light evened out, and in the
    code's own colour: a panel's red or blue edge is as dark in grey but far more
    coloured. None when the code's stretch is empty."""
    h = crop.shape[0]
    rows = slice(h // 6, h - h // 6)
    g = v_lum(crop, round(h * GLYPH_SHARE)).astype(np.float32)
    code = g[rows, a:b]
    if code.size == 0:
        return None
    ink = float(np.percentile(code, 3))
    paper = float(np.percentile(code, 92))
    dark = g <= ink + INK * max(paper - ink, 1.0)
    if crop.ndim == 3:
        c = crop.astype(np.int16)
        chroma = c.max(axis=2) - c.min(axis=2)
        own = chroma[rows, a:b][dark[rows, a:b]]
        if own.size:
            dark &= chroma <= float(np.median(own)) + END_CHROMA
    return dark


def ink_past_ends(
    image: np.ndarray, line: Line, x0: float, x1: float, n: int, *, groups: int = 1
) -> tuple[bool, bool]:
    """Whether the row goes on printing right before the code's first character and right
    after its last (code between crop x0 and x1 of `line`, `n` characters in `groups`
    groups): a glyph the readers did not read, lost to the detector's box, residue or a
    dot-matrix print whose dots fall apart — or, after the end, a whole last group the
    detector left out one group gap further on ("… 8463  11", fresh seed 2121). Past the
    picture's edge counts as ink (nothing is known)."""
    if n <= 0 or x1 <= x0:
        return False, False
    pitch = (x1 - x0) / n
    reach = END_REACH * pitch
    # Past the end only: before the start stand the label, an icon, the panel's edge.
    after = (END_REACH + (END_GROUP if groups > 1 else 0.0)) * pitch
    crop, _m = crop_quad(image, line.sub_quad(x0 - reach, x1 + after), height=END_H)
    scale = crop.shape[1] / (x1 - x0 + reach + after)
    a, b = round(reach * scale), round((reach + x1 - x0) * scale)
    inked = _code_ink(crop, a, b)
    if inked is None:
        return False, False
    dark = inked[END_H // 6 : END_H - END_H // 6]
    density = float(dark[:, a:b].mean())
    if density <= 0.0:
        return False, False
    gap = round(END_GAP * pitch * scale)
    left = dark[:, : max(0, a - gap)]
    right = dark[:, min(dark.shape[1], b + gap) :]

    width = max(1, round(END_WINDOW * pitch * scale))

    def inky(win: np.ndarray) -> bool:
        # The inkiest glyph-wide stretch: a thin "1" a group gap away fills a glyph's
        # width well enough, but not the whole stretch looked over. A glyph of the row
        # stands in both halves of its band; the foot of a line of text above (a
        # brand name past the code's end on a tilted card) only in the upper one.
        if win.size == 0:
            return False
        half = win.shape[0] // 2
        parts = [win.mean(axis=0), win[:half].mean(axis=0), win[half:].mean(axis=0)]
        if win.shape[1] > width:
            k = np.ones(width) / width
            parts = [np.convolve(p, k, mode="valid") for p in parts]
        whole, top, bottom = parts
        bar = END_INK * density
        return bool(np.any((whole >= bar) & (top >= bar / 2) & (bottom >= bar / 2)))

    return inky(left), inky(right)


# A line box that ends inside a glyph: the detector drew the box a little short and the
# glyph's far side lies past it (a Q cut into a C, read so by every reader surely, on a
# clean card at 736 px: docs/ocr.md, "A glyph the line's box cuts"). Looked for only where the
# code runs to the box's edge …
EDGE_NEAR = 0.6  # … its first or last glyph within this of the edge (of a pitch)
EDGE_H = 48  # px: the height the edge is looked at
EDGE_PAST = 2  # px at EDGE_H: a glyph reaching this far past the edge was cut by it
EDGE_TALL = 0.4  # of the glyph height: smaller ink (a dot of residue, a speck) is no glyph
EDGE_TALLER = 1.35  # … and a stroke taller than the glyphs inside (a Q's tail allowed) …
EDGE_WIDE = 1.5  # … or wider than this many pitches is a frame, not a glyph
EDGE_INTO = 0.5  # of a pitch: how far inside the edge a cut glyph's stroke reaches


def cut_at_box_ends(
    image: np.ndarray, line: Line, x0: float, x1: float, n: int
) -> tuple[bool, bool]:
    """Whether the line's box cuts through the code's first or last glyph (code between
    crop x0 and x1 of `line`, `n` characters): one connected stroke of the code's own
    darkness and colour, glyph-tall, that crosses the box's edge and goes on past it. A
    frame line standing clear of the box does not cross the edge."""
    width = float(line.crop.shape[1])
    if n <= 0 or x1 <= x0:
        return False, False
    pitch = (x1 - x0) / n
    first = x0 <= EDGE_NEAR * pitch and _crossed(image, line, 0.0, pitch, -1)
    last = width - x1 <= EDGE_NEAR * pitch and _crossed(image, line, width, pitch, 1)
    return first, last


def _crossed(image: np.ndarray, line: Line, edge: float, pitch: float, out: int) -> bool:
    """Whether a glyph runs on across crop x `edge` of `line`, going `out` (-1: to the
    left): one glyph-sized stroke from half a glyph inside the edge to past it. Looked at
    over two glyphs inside the edge (the ink's and the paper's levels) and half a glyph
    past it."""
    inside, past = edge - out * 2 * pitch, edge + out * pitch / 2
    lo, hi = min(inside, past), max(inside, past)
    crop, _m = crop_quad(image, line.sub_quad(lo, hi), height=EDGE_H)
    scale = crop.shape[1] / (hi - lo)
    at = round((edge - lo) * scale)
    a, b = (0, at) if out > 0 else (at, crop.shape[1])
    dark = _code_ink(crop, a, b)
    if dark is None:
        return False
    count, _labels, stats, _c = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(dark, dtype=np.uint8), connectivity=8
    )
    tall = EDGE_TALL * GLYPH_SHARE * EDGE_H
    left = stats[1:count, cv2.CC_STAT_LEFT]
    right = left + stats[1:count, cv2.CC_STAT_WIDTH]
    height = stats[1:count, cv2.CC_STAT_HEIGHT]
    # The glyphs wholly inside give the size a glyph has here; a panel's frame, joined
    # at its corner into one stroke across the edge, is taller or far wider.
    whole = height[(height >= tall) & ((right < at) if out > 0 else (left > at))]
    glyph_h = float(np.median(whole)) if whole.size else GLYPH_SHARE * EDGE_H
    glyph_w = pitch * scale * EDGE_WIDE
    # A frame line beside the box's edge does not reach half a glyph into it.
    into = max(EDGE_PAST, round(EDGE_INTO * pitch * scale))
    if out > 0:
        crosses = (left <= at - into) & (right >= at + EDGE_PAST)
    else:
        crosses = (left <= at - EDGE_PAST) & (right >= at + into)
    sized = (height >= tall) & (height <= EDGE_TALLER * glyph_h) & (right - left <= glyph_w)
    return bool(np.any(sized & crosses))
