"""Silver scratch-off latex left on the password after a coin scratched it away.

The latex that remains is the panel minus the swaths of the coin strokes (their ragged
edges and the gaps between them), a rim along the panel's border, and loose flakes; thin
coin scratches cross the panel. Each password character records how much of its ink is
covered (0..1), and no character is covered beyond the tier's cap, so a person can still
read every character on the card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocr.synth.draw import CodeInk, Rect, smooth_noise


@dataclass(frozen=True)
class Level:
    latex: tuple[float, float]  # share of the panel left as flakes
    band_keep: tuple[float, float]  # share of that latex left over the code's line
    cap: tuple[float, float]  # the most any one character may be covered
    lines: tuple[int, int]  # coin scratches
    over_glyphs: bool  # False: latex stays off the characters (a cleanly scratched card)


LEVELS = {
    "look": Level((0.04, 0.14), (0.0, 0.0), (0.0, 0.0), (0, 4), False),
    "scratched": Level((0.05, 0.16), (0.2, 0.55), (0.2, 0.33), (4, 14), True),
    "hard": Level((0.1, 0.24), (0.4, 0.8), (0.25, 0.4), (6, 18), True),
}


def _rect(panel: Rect, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = panel
    H, W = shape[:2]
    return max(0, int(x0)), max(0, int(y0)), min(W, math.ceil(x1)), min(H, math.ceil(y1))


def latex_mask(
    rng: np.random.Generator,
    h: int,
    w: int,
    cap_px: float,
    *,
    amount: float,
    direction: float,
    strokes: int,
    sloppiness: float,
) -> np.ndarray:
    """0..1 float mask of the latex left on an h x w panel."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Coin strokes along `direction`: a stroke keeps latex where it does not reach.
    a = math.radians(direction)
    across = -xx * math.sin(a) + yy * math.cos(a)  # distance across the stroke direction
    span = float(across.max() - across.min()) or 1.0
    covered = np.zeros((h, w), np.float32) if strokes else np.ones((h, w), np.float32)
    width = span / max(1, strokes) * (1.25 - 0.5 * sloppiness)
    for k in range(strokes):
        centre = float(across.min()) + span * (k + 0.5) / strokes
        centre += rng.normal(0, 0.15 * sloppiness * span / max(1, strokes))
        wobble = smooth_noise(rng, h, w, max(4.0, cap_px)) * width * 0.15
        covered = np.maximum(covered, (np.abs(across - centre + wobble) < width / 2))
    rim = max(1.0, cap_px * rng.uniform(0.08, 0.3))
    edge = np.minimum.reduce([xx, yy, w - 1 - xx, h - 1 - yy])
    ragged = rim * (0.6 + 0.8 * (smooth_noise(rng, h, w, cap_px * 0.6) * 0.5 + 0.5))
    keep = np.maximum(1.0 - covered, (edge < ragged).astype(np.float32))
    # Flakes: a thresholded fine noise, denser where latex remains already.
    fine = smooth_noise(rng, h, w, max(2.0, cap_px * rng.uniform(0.12, 0.3)))
    thresh = float(np.quantile(fine, 1.0 - amount)) if amount > 0 else np.inf
    flakes = (fine > thresh).astype(np.float32)
    mask = np.maximum(keep, flakes)
    mask = cv2.GaussianBlur(mask, (0, 0), max(0.5, cap_px * 0.02))
    return np.asarray(np.clip(mask, 0.0, 1.0), np.float32)


def _latex_colour(rng: np.random.Generator, h: int, w: int, cap_px: float) -> np.ndarray:
    grey = rng.uniform(150, 200)
    tex = (
        grey
        + 14 * smooth_noise(rng, h, w, max(2.0, cap_px * 0.5))
        + 9 * rng.standard_normal((h, w), dtype=np.float32)
    )
    tint = rng.uniform(0.96, 1.04, 3).astype(np.float32)
    return np.clip(tex[..., None] * tint, 60, 245)


def occlusion(ink: CodeInk, alpha: np.ndarray, origin: tuple[int, int]) -> list[float]:
    """Share of each character's ink under `alpha` (a mask placed at `origin`)."""
    ox, oy = origin
    out = []
    for mask, gx, gy in ink.masks:
        m = mask.astype(np.float32) / 255.0
        a = _crop(alpha, gx - ox, gy - oy, m.shape)
        total = float(m.sum())
        out.append(float((m * a).sum()) / total if total else 0.0)
    return out


def _crop(alpha: np.ndarray, x: int, y: int, shape: tuple[int, ...]) -> np.ndarray:
    h, w = shape[:2]
    out = np.zeros((h, w), np.float32)
    H, W = alpha.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 > x0 and y1 > y0:
        out[y0 - y : y1 - y, x0 - x : x1 - x] = alpha[y0:y1, x0:x1]
    return out


def _clean_band(
    rng: np.random.Generator, alpha: np.ndarray, ink: CodeInk, origin: tuple[int, int], keep: float
) -> None:
    """People scratch until the code shows: over the code's line, keep only `keep` of the
    latex (whole flakes go, the rest stays opaque)."""
    oy = origin[1]
    ys = [b[1] for b in ink.boxes] + [b[3] for b in ink.boxes]
    y0, y1 = max(0, int(min(ys)) - oy), max(0, int(max(ys)) - oy)
    band = alpha[y0:y1]
    if band.size == 0:
        return
    noise = smooth_noise(rng, band.shape[0], band.shape[1], max(3.0, ink.cap * 0.3))
    band *= noise < float(np.quantile(noise, keep))


def _enforce_cap(
    rng: np.random.Generator, alpha: np.ndarray, ink: CodeInk, origin: tuple[int, int], cap: float
) -> None:
    """Remove flakes from every character covered beyond `cap` until it is not."""
    ox, oy = origin
    for _ in range(3):
        occ = occlusion(ink, alpha, origin)
        over = [i for i, o in enumerate(occ) if o > cap]
        if not over:
            return
        for i in over:
            gx0, gy0, gx1, gy1 = (int(v) for v in ink.boxes[i])
            sl = (
                slice(max(0, gy0 - oy), max(0, gy1 - oy)),
                slice(max(0, gx0 - ox), max(0, gx1 - ox)),
            )
            part = alpha[sl]
            if part.size == 0:
                continue
            noise = smooth_noise(rng, part.shape[0], part.shape[1], max(2.0, ink.cap * 0.2))
            for keep in (0.8, 0.6, 0.45, 0.3, 0.15, 0.0):
                trial = part * (noise < float(np.quantile(noise, keep)))
                alpha[sl] = trial
                if occlusion_one(ink, i, alpha, origin) <= cap:
                    break


def occlusion_one(ink: CodeInk, i: int, alpha: np.ndarray, origin: tuple[int, int]) -> float:
    mask, gx, gy = ink.masks[i]
    m = mask.astype(np.float32) / 255.0
    a = _crop(alpha, gx - origin[0], gy - origin[1], m.shape)
    total = float(m.sum())
    return float((m * a).sum()) / total if total else 0.0


def scratch(
    canvas: np.ndarray, rng: np.random.Generator, panel: Rect, ink: CodeInk, level_name: str
) -> tuple[list[float], dict[str, Any]]:
    """Leave latex and coin scratches on the panel; returns per-character occlusion."""
    level = LEVELS[level_name]
    x0, y0, x1, y1 = _rect(panel, canvas.shape)
    h, w = y1 - y0, x1 - x0
    n = len(ink.masks)
    if h < 4 or w < 4:
        return [0.0] * n, {}
    cap_px = ink.cap
    direction = float(rng.normal(0, 18))
    strokes = int(rng.integers(3, 11)) if level.over_glyphs else 0
    sloppiness = float(rng.uniform(0.0, 0.9))
    amount = float(rng.uniform(*level.latex))
    alpha = latex_mask(
        rng,
        h,
        w,
        cap_px,
        amount=amount,
        direction=direction,
        strokes=strokes,
        sloppiness=sloppiness,
    )
    # Coin scratches: thin lines, mostly along the strokes; they take ink off too.
    lines = np.zeros((h, w), np.uint8)
    n_lines = int(rng.integers(*level.lines)) if level.lines[1] > level.lines[0] else 0
    for _ in range(n_lines):
        ang = math.radians(direction + rng.normal(0, 12))
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        half = rng.uniform(0.2, 0.7) * w
        p0 = (int(cx - half * math.cos(ang)), int(cy - half * math.sin(ang)))
        p1 = (int(cx + half * math.cos(ang)), int(cy + half * math.sin(ang)))
        cv2.line(lines, p0, p1, 255, max(1, round(cap_px * rng.uniform(0.03, 0.07))), cv2.LINE_AA)
    line_alpha = lines.astype(np.float32) / 255.0 * float(rng.uniform(0.5, 0.9))
    cap = 0.0
    if not level.over_glyphs:
        keep_off = np.ones((h, w), np.float32)
        pad = max(2, round(cap_px * 0.25))
        for gx0, gy0, gx1, gy1 in ink.boxes:
            keep_off[
                max(0, int(gy0) - y0 - pad) : max(0, int(gy1) - y0 + pad),
                max(0, int(gx0) - x0 - pad) : max(0, int(gx1) - x0 + pad),
            ] = 0.0
        alpha *= keep_off
        line_alpha *= keep_off
    else:
        _clean_band(rng, alpha, ink, (x0, y0), float(rng.uniform(*level.band_keep)))
        cap = float(rng.uniform(*level.cap))
        both = np.maximum(alpha, line_alpha)
        _enforce_cap(rng, both, ink, (x0, y0), cap)
        removed = both < np.maximum(alpha, line_alpha)
        alpha[removed] = np.minimum(alpha, both)[removed]
        line_alpha[removed] = np.minimum(line_alpha, both)[removed]
    opacity = float(rng.uniform(0.85, 0.98))
    colour = _latex_colour(rng, h, w, cap_px)
    roi = canvas[y0:y1, x0:x1]
    roi += (colour - roi) * (alpha * opacity)[..., None]
    shade = rng.uniform(200, 240) if rng.random() < 0.7 else rng.uniform(90, 130)
    roi += (np.float32(shade) - roi) * line_alpha[..., None]
    occ = (
        occlusion(ink, np.maximum(alpha * opacity, line_alpha), (x0, y0))
        if level.over_glyphs
        else [0.0] * n
    )
    params = {
        "scratch_dir_deg": round(direction, 1),
        "strokes": strokes,
        "sloppiness": round(sloppiness, 2),
        "scratch_lines": n_lines,
        "latex_fraction_of_panel": round(float(alpha.mean()), 3),
        "occlusion_cap": round(cap, 3),
    }
    return [round(o, 3) for o in occ], params
