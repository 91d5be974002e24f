"""How much of each glyph lies under scratch-off residue.

Residue hides strokes without adding ink: an 8 with its left half under silver flakes
is a 3 to every reader, and both readers then agree, confidently and wrongly. What
gives it away is in the pixels: the glyph's box holds grey that is neither ink nor clean
paper. For each character we measure that share; a character with a look-alike that
such hiding can produce (3/8, 5/6, C/G, E/F …) is not certain when much of it is hidden
(thresholds calibrated on generated cards whose residue is known, benchmarks/calibrate.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ocr.prep import v_lum

INK = 0.35  # of the way from ink to paper: darker is ink
PAPER = 0.80  # lighter is paper; between the two, over a glyph, is residue
GLYPH_SHARE = 0.62  # glyphs fill about this much of a detected line's height


def hidden_shares(crop: np.ndarray, spans: Sequence[tuple[float, float]]) -> list[float]:
    """For each (x0, x1) span of a straight line crop, the share of its pixels that are
    neither ink (nor ink's soft edge) nor paper."""
    # Light evened out first (divided by the local paper level): shade and glare would
    # otherwise pass for residue.
    g = v_lum(crop, round(crop.shape[0] * GLYPH_SHARE)).astype(np.float32)
    ink = float(np.percentile(g, 3))
    paper = float(np.percentile(g, 92))
    span = max(paper - ink, 1.0)
    inky = (g <= ink + INK * span).astype(np.uint8)
    k = 3
    edge = cv2.dilate(inky, np.ones((k, k), np.uint8)) > 0
    mid = (g > ink + INK * span) & (g < ink + PAPER * span) & ~edge
    h = crop.shape[0]
    band = mid[h // 6 : h - h // 6]
    out = []
    for x0, x1 in spans:
        a, b = max(0, int(x0)), min(crop.shape[1], int(np.ceil(x1)))
        out.append(float(band[:, a:b].mean()) if b > a else 0.0)
    return out
