"""What lies around the card in a photo: a surface (plain, wood, fabric, marble, dark) and
clutter (receipts and printed pages with Chinese and English text, pens, coins, a phone,
sticky notes). Everything is float32 BGR."""

from __future__ import annotations

import math

import cv2
import numpy as np

from ocr.synth import draw, texts
from ocr.synth.fonts import Face
from ocr.synth.texts import pick

BACKGROUNDS = ("plain", "wood", "fabric", "marble", "dark")
CLUTTER = ("receipt", "document", "pen", "coin", "phone", "note")


def _muted(rng: np.random.Generator, lo: float, hi: float) -> np.ndarray:
    """A desk or cloth colour: a grey level with a mild tint (no neon surfaces)."""
    grey = rng.uniform(lo, hi)
    tint = rng.uniform(-0.18, 0.18, 3) * grey
    return np.asarray(np.clip(grey + tint, 0, 255), np.float32)


def surface(rng: np.random.Generator, h: int, w: int, kind: str) -> np.ndarray:
    """A table or cloth under the card, drawn at half size and enlarged (it is never sharp)."""
    sh, sw = max(8, h // 2), max(8, w // 2)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    if kind == "wood":
        base = np.array(rng.uniform([25, 50, 80], [70, 100, 150]), np.float32)
        warp = draw.smooth_noise(rng, sh, sw, sw / 6) * rng.uniform(10, 40)
        a = math.radians(rng.uniform(-10, 10) + (90 if rng.random() < 0.5 else 0))
        u = xx * math.cos(a) + yy * math.sin(a) + warp
        grain = np.sin(u * rng.uniform(0.08, 0.2)) * 0.5 + 0.5
        fine = draw.smooth_noise(rng, sh, sw, 2.0)
        shade = 0.75 + 0.35 * grain + 0.06 * fine
        img = base * shade[..., None]
    elif kind == "fabric":
        base = _muted(rng, 40, 200)
        f = rng.uniform(0.6, 1.4)
        weave = (np.sin(xx * f) * np.sin(yy * f)) * 0.06
        folds = draw.smooth_noise(rng, sh, sw, sw / 4) * 0.12
        img = base * (1 + weave + folds + 0.04 * draw.smooth_noise(rng, sh, sw, 1.5))[..., None]
    elif kind == "marble":
        base = np.array(rng.uniform(185, 235, 3), np.float32)
        turb = draw.smooth_noise(rng, sh, sw, sw / 5) * 4 + draw.smooth_noise(rng, sh, sw, 30)
        veins = np.abs(np.sin(xx * rng.uniform(0.004, 0.012) + yy * 0.004 + turb))
        img = base * (1 - 0.35 * np.exp(-veins * 25))[..., None]
    elif kind == "dark":
        base = np.array(rng.uniform(15, 45, 3), np.float32)
        img = base * (1 + 0.15 * draw.smooth_noise(rng, sh, sw, sw / 3))[..., None]
    else:  # plain
        base = _muted(rng, 60, 230)
        img = base * (1 + 0.06 * draw.smooth_noise(rng, sh, sw, sw / 3))[..., None]
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(np.clip(img, 0, 255), np.float32)


def soft_blur(mask: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur of a mask, done at a quarter size (shadows need no detail)."""
    if sigma < 6:
        return cv2.GaussianBlur(mask, (0, 0), max(0.5, sigma))
    h, w = mask.shape[:2]
    f = int(np.clip(sigma / 4, 4, 32))
    small = cv2.resize(mask, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / f)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _paste(
    bg: np.ndarray,
    item: np.ndarray,
    alpha: np.ndarray,
    centre: tuple[float, float],
    *,
    angle: float,
    scale: float,
) -> None:
    """Rotate and scale an item onto the background with a soft shadow (only the region
    the item lands on is touched)."""
    h, w = item.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[0, 2] += centre[0] - w / 2
    m[1, 2] += centre[1] - h / 2
    H, W = bg.shape[:2]
    corners = cv2.transform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float32), m)[0]
    off = max(2, round(0.01 * max(h, w) * scale))
    pad = 6 * off
    x0, y0 = (max(0, int(v) - pad) for v in corners.min(0))
    x1, y1 = (int(v) + pad for v in corners.max(0))
    x1, y1 = min(W, x1), min(H, y1)
    if x1 <= x0 or y1 <= y0:
        return
    m[0, 2] -= x0
    m[1, 2] -= y0
    size = (x1 - x0, y1 - y0)
    a = cv2.warpAffine(alpha, m, size, flags=cv2.INTER_LINEAR)
    it = cv2.warpAffine(item, m, size, flags=cv2.INTER_LINEAR)
    shadow = soft_blur(np.roll(a, (off, off), (0, 1)), off * 1.5)
    roi = bg[y0:y1, x0:x1]
    roi *= (1 - 0.35 * shadow)[..., None]
    roi += (it - roi) * a[..., None]


def _text_sheet(
    rng: np.random.Generator,
    w: int,
    h: int,
    lines: list[str],
    *,
    face: Face,
    latin: Face,
    cap: float,
    paper: float,
) -> tuple[np.ndarray, np.ndarray]:
    sheet = np.full((h, w, 3), paper, np.float32)
    sheet += rng.uniform(-6, 4, 3).astype(np.float32)
    y = cap * 3
    ink = tuple(float(v) for v in rng.uniform(20, 70, 3))
    for line in lines:
        if y > h - cap:
            break
        f = face if not line.isascii() else latin
        draw.text(sheet, f, line, cap * 1.5, y, cap, ink)  # type: ignore[arg-type]
        y += cap * rng.uniform(1.8, 2.3)
    return sheet, np.ones((h, w), np.float32)


def receipt(
    rng: np.random.Generator,
    cjk: Face,
    mono: Face,
    size: float,
) -> tuple[np.ndarray, np.ndarray]:
    """A shop receipt: header, date, items with prices, totals."""
    lines = [
        pick(rng, texts.RECEIPT_HEADERS),
        f"20{int(rng.integers(23, 27))}-{int(rng.integers(1, 13)):02d}-"
        f"{int(rng.integers(1, 29)):02d} {int(rng.integers(8, 22))}:"
        f"{int(rng.integers(0, 60)):02d}",
    ]
    for _ in range(int(rng.integers(5, 14))):
        lines.append(f"{pick(rng, texts.RECEIPT_ITEMS)}  {rng.uniform(1, 99):.2f}")
    for _ in range(int(rng.integers(2, 5))):
        foot = pick(rng, texts.RECEIPT_FOOTERS)
        value = (
            f"{int(rng.integers(10**9, 10**10))}"
            if foot in ("会员卡号", "Order #")
            else f"¥{rng.uniform(10, 400):.2f}"
        )
        lines.append(f"{foot} {value}")
    w, h = int(size * 0.38), int(size)
    return _text_sheet(
        rng, w, h, lines, face=cjk, latin=mono, cap=size * 0.022, paper=rng.uniform(225, 250)
    )


def document(
    rng: np.random.Generator,
    cjk: Face,
    latin: Face,
    size: float,
) -> tuple[np.ndarray, np.ndarray]:
    """A printed page of mixed Chinese and English text."""
    words = list(texts.DOC_WORDS_ZH + texts.DOC_WORDS_EN)
    lines = []
    for _ in range(40):
        n = int(rng.integers(5, 11))
        lines.append(" ".join(words[int(i)] for i in rng.integers(0, len(words), n)))
    w, h = int(size * 0.72), int(size)
    return _text_sheet(
        rng, w, h, lines, face=cjk, latin=cjk, cap=size * 0.018, paper=rng.uniform(225, 248)
    )


def _pen(rng: np.random.Generator, size: float) -> tuple[np.ndarray, np.ndarray]:
    L, t = int(size * 0.55), max(6, int(size * 0.035))
    img = np.zeros((t, L, 3), np.float32)
    col = np.array(rng.uniform(20, 230, 3), np.float32)
    shade = 0.6 + 0.5 * np.sin(np.linspace(0, math.pi, t))[:, None]
    img[:] = col * shade[..., None]
    img[:, int(L * 0.75) :] = np.array(rng.uniform(150, 230, 3), np.float32) * shade[..., None]
    alpha = draw.rounded_rect_mask(t, L, (0, 0, L, t), t / 2)
    return img, alpha


def _coin(rng: np.random.Generator, size: float) -> tuple[np.ndarray, np.ndarray]:
    d = max(12, int(size * rng.uniform(0.08, 0.12)))
    yy, xx = np.mgrid[0:d, 0:d].astype(np.float32)
    r = np.hypot(xx - d / 2, yy - d / 2) / (d / 2)
    base = np.array([175, 180, 190] if rng.random() < 0.6 else [80, 150, 200], np.float32)
    tex = 1 + 0.08 * draw.smooth_noise(rng, d, d, max(2.0, d / 10))
    light = 0.75 + 0.3 * (1 - (xx + yy) / (2 * d))
    img = base * (tex * light * np.where(r > 0.88, 0.8, 1.0))[..., None]
    alpha = np.clip((1 - r) * d / 2, 0, 1).astype(np.float32)
    return img, alpha


def _phone(rng: np.random.Generator, size: float) -> tuple[np.ndarray, np.ndarray]:
    w, h = int(size * 0.35), int(size * 0.72)
    img = np.full((h, w, 3), rng.uniform(8, 25), np.float32)
    img += draw.gradient(h, w, (0, 0, 0), (25, 25, 30), rng.uniform(0, 90))
    return img, draw.rounded_rect_mask(h, w, (0, 0, w, h), w * 0.12)


def _note(rng: np.random.Generator, size: float) -> tuple[np.ndarray, np.ndarray]:
    s = int(size * 0.3)
    col = np.array([rng.uniform(60, 120), rng.uniform(200, 240), rng.uniform(230, 255)], np.float32)
    img = np.empty((s, s, 3), np.float32)
    img[:] = col
    for _ in range(int(rng.integers(0, 5))):
        y = int(rng.uniform(0.2, 0.9) * s)
        cv2.line(
            img,
            (int(s * 0.1), y),
            (int(s * rng.uniform(0.4, 0.9)), y + int(rng.integers(-3, 4))),
            (90, 60, 40),
            max(1, s // 60),
            cv2.LINE_AA,
        )
    return img, np.ones((s, s), np.float32)


def clutter(
    rng: np.random.Generator,
    bg: np.ndarray,
    kinds: list[str],
    faces: list[Face],
    *,
    mono: Face,
    keep_clear: tuple[float, float, float, float] | None = None,
    card_w: float = 500.0,
) -> None:
    """Lay clutter on the background, mostly around the card's place."""
    H, W = bg.shape[:2]
    size = card_w * rng.uniform(1.2, 1.8)  # clutter and its print at the card's scale
    for kind in kinds:
        cjk = faces[int(rng.integers(len(faces)))]
        if kind == "receipt":
            item, alpha = receipt(rng, cjk, mono, size * rng.uniform(0.7, 1.0))
        elif kind == "document":
            item, alpha = document(rng, cjk, mono, size * rng.uniform(0.9, 1.3))
        elif kind == "pen":
            item, alpha = _pen(rng, size)
        elif kind == "coin":
            item, alpha = _coin(rng, size)
        elif kind == "phone":
            item, alpha = _phone(rng, size)
        else:
            item, alpha = _note(rng, size)
        for _ in range(8):  # prefer a place that leaves the card's spot free
            cx, cy = rng.uniform(-0.1, 1.1) * W, rng.uniform(-0.1, 1.1) * H
            if keep_clear is None or not (
                keep_clear[0] < cx < keep_clear[2] and keep_clear[1] < cy < keep_clear[3]
            ):
                break
        scale = 1.0 if kind in ("receipt", "document") else rng.uniform(0.8, 1.2)
        _paste(bg, item, alpha, (cx, cy), angle=float(rng.uniform(-180, 180)), scale=scale)
    np.clip(bg, 0, 255, out=bg)
