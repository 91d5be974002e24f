"""Preprocessing variants of one line strip, and stacking strips into one Tesseract page.

Each variant answers a different way a card goes wrong: `lum` keeps grey levels for the
LSTM (best on clean print), `soft` is the local contrast of every pixel between the ink
and paper levels around it, through a steep curve (glare, shade, mid-grey residue),
`ink` keeps only the darkest strokes in the colour channel where ink and background
differ most (coloured paper), `bin` is a local threshold (uneven light), `bold` thickens
faint or dot-matrix strokes. Disagreement between them is evidence that a character is
unsure. `remove_frame` then paints out what cannot be a glyph of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

GAP = 24  # white rows between stacked strips, so Tesseract keeps them as separate lines


def _flatten(grey: np.ndarray, k: int) -> np.ndarray:
    """Divide by the local paper level: paper becomes 255 whatever the light was."""
    k = max(3, k | 1)
    paper = cv2.morphologyEx(
        grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    )
    paper = cv2.GaussianBlur(paper, (k, k), 0)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


def _stretch(grey: np.ndarray) -> np.ndarray:
    lo = float(np.percentile(grey, 1))
    hi = float(np.percentile(grey, 60))
    if hi - lo < 10:
        return grey
    out = (grey.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def best_channel(bgr: np.ndarray) -> np.ndarray:
    """The colour channel (or luma) where dark ink stands out most from its background.

    Blue ink on a yellow-green card vanishes in one channel and is crisp in another; grey
    residue is about equally bright in all three, so picking by ink contrast also helps
    against it.
    """
    if bgr.ndim == 2:
        return bgr
    chans = [*cv2.split(bgr), cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)]
    best, best_c = chans[-1], -1.0
    for c in chans:
        lo, hi = np.percentile(c, (3, 70))
        spread = float(hi - lo) / (float(np.std(c)) + 1.0)
        contrast = float(hi - lo) + 10 * spread
        if contrast > best_c:
            best, best_c = c, contrast
    return best


def v_lum(bgr: np.ndarray, text_h: int) -> np.ndarray:
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    return _stretch(_flatten(grey, int(text_h * 1.2)))


def v_ink(bgr: np.ndarray, text_h: int) -> np.ndarray:
    """Only the darkest strokes, as soft grey: residue and glare fade to paper."""
    flat = _flatten(best_channel(bgr), int(text_h * 1.2))
    dark = float(np.percentile(flat, 2))
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    lo = dark
    hi = dark + 0.75 * max(10.0, float(otsu) - dark)
    out = (flat.astype(np.float32) - lo) * (255.0 / max(1.0, hi - lo))
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def v_bin(bgr: np.ndarray, text_h: int) -> np.ndarray:
    grey = _flatten(best_channel(bgr), int(text_h * 1.2))
    block = int(text_h * 1.5) | 1
    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12
    )


def v_bold(bgr: np.ndarray, text_h: int) -> np.ndarray:
    ink = v_ink(bgr, text_h)
    k = max(2, text_h // 14)
    return cv2.erode(cv2.GaussianBlur(ink, (3, 3), 0), np.ones((k, k), np.uint8))


def local_contrast(grey: np.ndarray, text_h: int, floor: float = 40.0) -> np.ndarray:
    """0 (darkest ink nearby) … 1 (brightest paper nearby), per pixel: the local ink and
    paper levels come from a min and max filter about a glyph wide. Glare lifts ink and
    paper together and shade lowers both, so both leave this ratio alone; `floor` keeps
    flat paper (no ink nearby) from being stretched into noise."""
    g = grey.astype(np.float32)
    k = max(3, int(text_h * 1.2) | 1)
    se = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    paper = cv2.GaussianBlur(cv2.dilate(g, se), (k, k), 0)
    ink = cv2.GaussianBlur(cv2.erode(g, se), (k, k), 0)
    out = (g - ink) / np.maximum(paper - ink, floor)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float32)


def v_soft(bgr: np.ndarray, text_h: int) -> np.ndarray:
    """Local contrast through a steep curve: ink black, paper white, the mid-grey of
    residue and glare pushed towards paper, whatever the light over each glyph."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    n = local_contrast(grey, text_h)
    out = 255.0 / (1.0 + np.exp(-(n - 0.45) * 12.0))
    return np.asarray(out, dtype=np.uint8)


def remove_frame(img: np.ndarray, text_h: int, band: tuple[float, float] | None) -> np.ndarray:
    """Paint out what cannot be a glyph of the row: straight vertical strokes running past
    the glyph band at both ends (a panel's sides, the card's edge) and long horizontal
    strokes outside the band (a panel's top and bottom, underlines). Inside the band a
    long horizontal run is left alone: blurred bold glyphs run into one along their
    middles."""
    h = img.shape[0]
    if band is None:
        top, bottom = (h - text_h) / 2, (h + text_h) / 2
    else:
        top, bottom = band
    t0, b0 = int(max(0, top - 5)), int(min(h, bottom + 5))
    dark = (img < 170).astype(np.uint8)
    out = img.copy()
    if b0 - t0 >= text_h // 2:
        vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((b0 - t0, 1), np.uint8))
        hit = np.asarray(vert.any(axis=0, keepdims=True), dtype=np.uint8)
        if hit.any():
            out[:, cv2.dilate(hit, np.ones((1, 3), np.uint8))[0] > 0] = 255
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, int(text_h * 2.2)), np.uint8))
    horiz[int(top + 3) : int(max(top + 3, bottom - 3))] = 0
    if horiz.any():
        out[cv2.dilate(horiz, np.ones((3, 3), np.uint8)) > 0] = 255
    return out


VARIANTS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "lum": v_lum,
    "soft": v_soft,
    "ink": v_ink,
    "bin": v_bin,
    "bold": v_bold,
}


@dataclass
class Placed:
    key: tuple[int, str]  # (strip index, variant name)
    y0: int
    y1: int
    x0: int


def stack(images: list[tuple[tuple[int, str], np.ndarray]]) -> tuple[np.ndarray, list[Placed]]:
    """One white page with every strip on its own band, and where each one went."""
    width = max(im.shape[1] for _, im in images) + 2 * GAP
    height = sum(im.shape[0] + GAP for _, im in images) + GAP
    page = np.full((height, width), 255, np.uint8)
    placed = []
    y = GAP
    for key, im in images:
        h, w = im.shape[:2]
        page[y : y + h, GAP : GAP + w] = im
        placed.append(Placed(key, y, y + h, GAP))
        y += h + GAP
    return page, placed
