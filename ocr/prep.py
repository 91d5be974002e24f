"""Preprocessing variants of one line strip, and stacking strips into one Tesseract page.

Each variant answers a different way a card goes wrong: `lum` keeps grey levels for the
LSTM (best on clean print), `ink` keeps only the darkest strokes in the colour channel
where ink and background differ most (silver scratch-off residue, coloured paper, glare),
`bin` is a local threshold (uneven light), `bold` thickens faint or dot-matrix strokes.
Disagreement between them is evidence that a character is unsure.
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
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
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
    block = (int(text_h * 1.5) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                 cv2.THRESH_BINARY, block, 12)


def v_bold(bgr: np.ndarray, text_h: int) -> np.ndarray:
    ink = v_ink(bgr, text_h)
    k = max(2, text_h // 14)
    return cv2.erode(cv2.GaussianBlur(ink, (3, 3), 0), np.ones((k, k), np.uint8))


def remove_rules(img: np.ndarray, text_h: int) -> np.ndarray:
    """Paint out long straight strokes: the frame printed around a scratch-off panel,
    underlines, the card's edge. Tesseract reads a box edge touching a line as glyphs
    (or drops the whole line); no character is that long in one direction."""
    dark = (img < 170).astype(np.uint8)
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, int(text_h * 2.2)), np.uint8))
    vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((int(text_h * 1.35), 1), np.uint8))
    rules = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    if not rules.any():
        return img
    out = img.copy()
    out[rules > 0] = 255
    return out


def _ruled(fn: Callable[[np.ndarray, int], np.ndarray]) -> Callable[[np.ndarray, int], np.ndarray]:
    def variant(bgr: np.ndarray, text_h: int) -> np.ndarray:
        return remove_rules(fn(bgr, text_h), text_h)

    return variant


VARIANTS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "lum": _ruled(v_lum),
    "ink": _ruled(v_ink),
    "bin": _ruled(v_bin),
    "bold": _ruled(v_bold),
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
        page[y: y + h, GAP: GAP + w] = im
        placed.append(Placed(key, y, y + h, GAP))
        y += h + GAP
    return page, placed
