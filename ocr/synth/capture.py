"""How a flat card becomes a picture: a flatbed scan or a phone photo.

Scan: small rotation, even light, a white margin, mild softness, high JPEG quality.
Photo: perspective tilt and rotation, a surface with clutter, the card's shadow, uneven or
low light, glare, defocus (sometimes a depth-of-field gradient), motion blur, sensor noise,
JPEG. Every step is a function of its own so the video maker reuses them frame by frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocr.synth import draw, scene
from ocr.synth.fonts import Face

FRAME_SIZES = (
    (1280, 720),
    (1280, 960),
    (1440, 810),
    (1600, 1200),
    (1920, 1080),
    (2048, 1536),
    (2400, 1350),
    (2560, 1920),
    (3200, 2400),
)
HARD_SIZES = ((1280, 720), (1280, 960), (1152, 864), (1440, 810), (1600, 1200), (1920, 1080))


@dataclass
class Plan:
    mode: str  # scan | photo
    frame: tuple[int, int]  # w, h
    card_w: float  # the card's width in the picture, px
    tier: str


def plan(rng: np.random.Generator, tier: str) -> Plan:
    """Pick the capture before the card is drawn, so it is drawn at the size it will have."""
    if tier == "clean" or (tier == "scratched" and rng.random() < 0.6):
        dpi = rng.uniform(225, 310)
        card_w = 85.6 / 25.4 * dpi
        margin = rng.uniform(1.06, 1.22)
        w = int(card_w * margin)
        h = int(card_w / 1.585 * rng.uniform(margin, margin + 0.25))
        return Plan("scan", (w, h), card_w, tier)
    if tier == "hard":
        w, h = HARD_SIZES[int(rng.integers(len(HARD_SIZES)))]
        if rng.random() < 0.25:
            w, h = h, w
        pin_px = rng.uniform(12, 18)
        return Plan("photo", (w, h), pin_px / rng.uniform(0.03, 0.038), tier)
    w, h = FRAME_SIZES[int(rng.integers(len(FRAME_SIZES)))]
    if rng.random() < 0.25:
        w, h = h, w
    fill = rng.uniform(0.3, 0.9)
    card_w = min(max(fill * w, 600.0), 0.9 * w, 0.85 * h * 1.585)
    return Plan("photo", (w, h), card_w, tier)


def pose(
    size: tuple[int, int],
    centre: tuple[float, float],
    width: float,
    *,
    rot: float,
    tilt_x: float,
    tilt_y: float,
    focal: float,
) -> np.ndarray:
    """Where the card's corners land: a card `width` px wide, turned and tilted (degrees),
    seen by a pinhole camera; returns the 4x2 corners TL, TR, BR, BL."""
    cw, ch = size
    s = width / cw
    rx, ry, rz = (math.radians(v) for v in (tilt_x, tilt_y, rot))
    Rx = np.array([[1, 0, 0], [0, math.cos(rx), -math.sin(rx)], [0, math.sin(rx), math.cos(rx)]])
    Ry = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    Rz = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0], [0, 0, 1]])
    R = Rz @ Ry @ Rx
    out = []
    for x, y in ((0, 0), (cw, 0), (cw, ch), (0, ch)):
        p = R @ np.array([(x - cw / 2) * s, (y - ch / 2) * s, 0.0])
        z = focal + p[2]
        out.append((centre[0] + focal * p[0] / z, centre[1] + focal * p[1] / z))
    return np.array(out, np.float32)


def homography(card_shape: tuple[int, ...], corners: np.ndarray) -> np.ndarray:
    ch, cw = card_shape[:2]
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    return np.asarray(cv2.getPerspectiveTransform(src, corners.astype(np.float32)), np.float64)


@dataclass
class Warped:
    """The card warped into the frame, kept to the region it covers."""

    image: np.ndarray  # float32 BGR, the region only
    alpha: np.ndarray  # float32 0..1
    origin: tuple[int, int]  # the region's top-left corner in the frame


def warp(
    card: np.ndarray, shape: np.ndarray, Hm: np.ndarray, frame: tuple[int, int], margin: int = 0
) -> Warped:
    """The card and its outline mask in the frame. A card shrunk by the warp is first
    shrunk with area averaging, so fine print does not alias."""
    ch, cw = card.shape[:2]
    corners = cv2.perspectiveTransform(
        np.array([[[0, 0]], [[cw, 0]], [[cw, ch]], [[0, ch]]], np.float32), Hm
    ).reshape(4, 2)
    width = max(np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[2] - corners[3]))
    scale = width / cw
    if scale < 0.8:
        f = min(1.0, scale * 1.15)
        size = (max(8, round(cw * f)), max(8, round(ch * f)))
        card = cv2.resize(card, size, interpolation=cv2.INTER_AREA)
        shape = cv2.resize(shape, size, interpolation=cv2.INTER_AREA)
        Hm = Hm @ np.diag([cw / size[0], ch / size[1], 1.0])
    W, H = frame
    x0 = int(np.clip(np.floor(corners[:, 0].min()) - margin, 0, W))
    y0 = int(np.clip(np.floor(corners[:, 1].min()) - margin, 0, H))
    x1 = int(np.clip(np.ceil(corners[:, 0].max()) + margin + 1, 0, W))
    y1 = int(np.clip(np.ceil(corners[:, 1].max()) + margin + 1, 0, H))
    if x1 <= x0 or y1 <= y0:
        return Warped(np.zeros((1, 1, 3), np.float32), np.zeros((1, 1), np.float32), (0, 0))
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ Hm
    size = (x1 - x0, y1 - y0)
    img = cv2.warpPerspective(card, shift, size, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(shape, shift, size, flags=cv2.INTER_LINEAR)
    return Warped(img, alpha, (x0, y0))


def composite(
    bg: np.ndarray, card: Warped, shadow: float, offset: tuple[float, float], blur: float
) -> np.ndarray:
    """Card over background, with a soft drop shadow; returns a new frame."""
    out = bg.copy()
    x0, y0 = card.origin
    h, w = card.alpha.shape
    roi = out[y0 : y0 + h, x0 : x0 + w]
    if shadow > 0:
        m = np.array([[1, 0, offset[0]], [0, 1, offset[1]]], np.float32)
        sh = cv2.warpAffine(card.alpha, m, (w, h))
        sh = scene.soft_blur(sh, blur)
        roi *= (1 - shadow * sh)[..., None]
    roi += (card.image - roi) * card.alpha[..., None]
    return out


def illumination(
    rng: np.random.Generator, h: int, w: int, *, unevenness: float, level: float, warmth: float
) -> np.ndarray:
    """A smooth light field (h x w x 3) with an overall level and colour cast."""
    small = draw.smooth_noise(rng, 6, 8, 2.5) * unevenness
    grad = np.linspace(-1, 1, 8, dtype=np.float32)[None, :] * rng.uniform(-1, 1) * unevenness
    field = cv2.resize((1 + small + grad).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    gains = np.array([1 - 0.06 * warmth, 1.0, 1 + 0.06 * warmth], np.float32) * level
    return np.clip(field, 0.5, 1.3)[..., None] * gains


def hand_shadow(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A big soft shadow (a hand or the phone) over part of the frame: multiply by it."""
    pts = np.array(
        [(rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h) for _ in range(5)], np.int32
    )
    m = np.zeros((h, w), np.float32)
    cv2.fillPoly(m, [cv2.convexHull(pts)], 1.0)
    m = scene.soft_blur(m, 0.05 * max(h, w))
    return (1 - rng.uniform(0.2, 0.45) * m)[..., None]


def glare(
    img: np.ndarray,
    centre: tuple[float, float],
    radius: tuple[float, float],
    angle: float,
    strength: float,
) -> None:
    """A specular highlight: brightens towards white, strongest at the centre."""
    h, w = img.shape[:2]
    rx, ry = radius
    x0, x1 = max(0, int(centre[0] - 3 * rx)), min(w, int(centre[0] + 3 * rx) + 1)
    y0, y1 = max(0, int(centre[1] - 3 * ry)), min(h, int(centre[1] + 3 * ry) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    a = math.radians(angle)
    dx, dy = xx - centre[0], yy - centre[1]
    u = (dx * math.cos(a) + dy * math.sin(a)) / rx
    v = (-dx * math.sin(a) + dy * math.cos(a)) / ry
    g = np.exp(-(u * u + v * v)) * strength
    roi = img[y0:y1, x0:x1]
    roi += (255.0 - roi) * g[..., None]


def optics(
    img: np.ndarray, rng: np.random.Generator, defocus: float, dof: bool, motion_px: float
) -> np.ndarray:
    if defocus > 0.15:
        blurred = cv2.GaussianBlur(img, (0, 0), defocus)
        if dof:  # sharper on one side of the frame than the other
            h, w = img.shape[:2]
            a = rng.uniform(0, 2 * math.pi)
            yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
            ramp = ((xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a)) + 0.5
            ramp = cv2.resize(np.clip(ramp, 0, 1), (w, h))
            more = cv2.GaussianBlur(img, (0, 0), defocus * 2.2)
            blurred = blurred + (more - blurred) * ramp[..., None]
        img = blurred
    if motion_px >= 1.0:
        k = math.ceil(motion_px) | 1
        kern = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kern = np.asarray(cv2.warpAffine(kern, rot, (k, k)), np.float32)
        img = cv2.filter2D(img, -1, kern / max(float(kern.sum()), 1e-6))
    return img


def motion_blur(img: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Blur along the movement (dx, dy) in px during the exposure. Long streaks use a box
    filter along the dominant axes, which costs the same whatever their length."""
    length = math.hypot(dx, dy)
    if length < 1.0:
        return img
    if length <= 6:
        k = math.ceil(length) | 1
        kern = np.zeros((k, k), np.float32)
        c = k // 2
        cv2.line(
            kern,
            (round(c - dx / 2), round(c - dy / 2)),
            (round(c + dx / 2), round(c + dy / 2)),
            1.0,
            1,
        )
        return np.asarray(cv2.filter2D(img, -1, kern / max(float(kern.sum()), 1e-6)), np.float32)
    size = (max(1, round(abs(dx))), max(1, round(abs(dy))))
    return np.asarray(cv2.blur(img, size), np.float32)


def sensor(
    img: np.ndarray,
    rng: np.random.Generator,
    noise: float,
    jpeg: int | None,
) -> np.ndarray:
    """Shot and read noise (noise = sigma on a 0..1 scale), then JPEG; returns uint8."""
    if noise > 0:
        h, w = img.shape[:2]
        # OpenCV's generator, seeded from ours: as repeatable, and far faster on big frames.
        cv2.setRNGSeed(int(rng.integers(1, 2**31)))
        lum = np.empty((h, w), np.float32)
        cv2.randn(lum, 0.0, noise * 255.0)  # type: ignore[call-overload]
        grey = cv2.cvtColor(np.clip(img, 1, 255), cv2.COLOR_BGR2GRAY)
        lum *= cv2.sqrt(grey * (1 / 255.0))  # brighter pixels carry more shot noise
        chroma = np.empty((h, w, 3), np.float32)
        cv2.randn(chroma, (0.0,) * 3, (noise * 255.0 * 0.35,) * 3)  # type: ignore[call-overload]
        chroma += lum[..., None]
        img = img + chroma
    out = np.clip(img, 0, 255).astype(np.uint8)
    if jpeg:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg)])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return np.asarray(out, np.uint8)


def scan(
    rng: np.random.Generator,
    card: np.ndarray,
    shape: np.ndarray,
    p: Plan,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    w, h = p.frame
    rot = float(rng.uniform(-2.0, 2.0))
    centre = (w / 2 + rng.uniform(-0.03, 0.03) * w, h / 2 + rng.uniform(-0.03, 0.03) * h)
    corners = pose(
        (card.shape[1], card.shape[0]), centre, p.card_w, rot=rot, tilt_x=0, tilt_y=0, focal=1e6
    )
    Hm = homography(card.shape, corners)
    warped = warp(card, shape, Hm, (w, h), margin=8)
    tone = rng.uniform(236, 252)
    bg = np.empty((h, w, 3), np.float32)
    bg[:] = tone + rng.uniform(-3, 3, 3).astype(np.float32)
    bg *= (1 + 0.015 * draw.smooth_noise(rng, h, w, w / 3))[..., None]
    img = composite(
        bg, warped, rng.uniform(0.15, 0.35), (rng.uniform(-2, 3), rng.uniform(0, 3)), 2.0
    )
    img = optics(img, rng, float(rng.uniform(0.35, 0.75)), False, 0.0)
    noise = float(rng.uniform(0.002, 0.008))
    q = int(rng.integers(80, 96))
    out = sensor(img, rng, noise, q)
    params = {
        "capture": "scan",
        "dpi": round(p.card_w / (85.6 / 25.4)),
        "rotation_deg": round(rot, 2),
        "noise": round(noise, 4),
        "jpeg_quality": q,
    }
    return out, Hm, params


def photo(
    rng: np.random.Generator,
    card: np.ndarray,
    shape: np.ndarray,
    p: Plan,
    pin_rect: tuple[float, float, float, float],
    *,
    faces: list[Face],
    mono: Face,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    w, h = p.frame
    hard = p.tier == "hard"
    rot = float(rng.normal(0, 10 if hard else 7))
    tilt_x = float(rng.uniform(-18, 18))
    tilt_y = float(rng.uniform(-20, 20))
    focal = max(w, h) * rng.uniform(0.8, 1.3)
    size = (card.shape[1], card.shape[0])
    corners = pose(size, (0, 0), p.card_w, rot=rot, tilt_x=tilt_x, tilt_y=tilt_y, focal=focal)
    span = corners.max(0) - corners.min(0)
    if span[0] > 0.94 * w or span[1] > 0.94 * h:  # too big once tilted: shrink to fit
        f = 0.94 * min(w / span[0], h / span[1])
        corners = pose(
            size, (0, 0), p.card_w * f, rot=rot, tilt_x=tilt_x, tilt_y=tilt_y, focal=focal
        )
        span = corners.max(0) - corners.min(0)
    lo = -corners.min(0) + 0.03 * np.array([w, h])
    hi = np.array([w, h]) - corners.max(0) - 0.03 * np.array([w, h])
    shift = lo + (hi - lo) * rng.uniform(0.1, 0.9, 2)
    corners = corners + shift.astype(np.float32)
    Hm = homography(card.shape, corners)
    kind = str(rng.choice(scene.BACKGROUNDS, p=[0.3, 0.25, 0.15, 0.15, 0.15]))
    bg = scene.surface(rng, h, w, kind)
    n_clutter = int(rng.integers(2, 6) if hard else rng.integers(0, 4))
    weights = [0.3, 0.3, 0.1, 0.1, 0.1, 0.1] if hard else [0.35, 0.15, 0.15, 0.1, 0.1, 0.15]
    kinds = [str(k) for k in rng.choice(scene.CLUTTER, n_clutter, p=weights)]
    x0, y0 = corners.min(0)
    x1, y1 = corners.max(0)
    scene.clutter(
        rng,
        bg,
        kinds,
        faces,
        mono=mono,
        keep_clear=(x0, y0, x1, y1),
        card_w=float(np.linalg.norm(corners[1] - corners[0])),
    )
    card_w = float(np.linalg.norm(corners[1] - corners[0]))
    warped = warp(card, shape, Hm, (w, h), margin=round(0.08 * card_w))
    img = composite(
        bg,
        warped,
        rng.uniform(0.25, 0.5),
        (rng.uniform(-0.02, 0.03) * card_w, rng.uniform(0.0, 0.03) * card_w),
        0.015 * card_w,
    )
    low = hard and rng.random() < 0.5
    level = float(rng.uniform(0.4, 0.65)) if low else float(rng.uniform(0.8, 1.02))
    img *= illumination(
        rng,
        h,
        w,
        unevenness=rng.uniform(0.05, 0.3 if hard else 0.2),
        level=level,
        warmth=rng.uniform(-1, 1),
    )
    if rng.random() < (0.35 if hard else 0.15):
        img *= hand_shadow(rng, h, w)
    glare_s = 0.0
    if rng.random() < (0.75 if hard else 0.3):
        px0, py0, px1, py1 = pin_rect
        pts = cv2.perspectiveTransform(
            np.array([[[px0, py0]], [[px1, py0]], [[px1, py1]], [[px0, py1]]], np.float32), Hm
        ).reshape(4, 2)
        (gx0, gy0), (gx1, gy1) = pts.min(0), pts.max(0)
        if hard:  # over part of the code
            cx, cy = rng.uniform(gx0, gx1), rng.uniform(gy0, gy1)
        else:  # somewhere on the card
            cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        cap = float(np.linalg.norm(pts[3] - pts[0]))
        glare_s = float(rng.uniform(0.25, 0.5) if hard else rng.uniform(0.2, 0.5))
        glare(
            img,
            (cx, cy),
            (cap * rng.uniform(1.5, 5), cap * rng.uniform(0.8, 2.0)),
            float(rng.uniform(-40, 40)),
            glare_s,
        )
    defocus = float(rng.uniform(0.4, 1.4) if hard else rng.uniform(0.3, 1.2))
    dof = bool(rng.random() < 0.35)
    motion = float(rng.uniform(0.0, 3.0)) if hard and rng.random() < 0.6 else 0.0
    img = optics(img, rng, defocus, dof, motion)
    noise = float(rng.uniform(0.012, 0.03) if hard else rng.uniform(0.004, 0.016))
    if low:
        noise *= 1.3
    q = int(rng.integers(45, 86) if hard else rng.integers(60, 93))
    out = sensor(img, rng, noise, q)
    params = {
        "capture": "photo",
        "tilt_x_deg": round(tilt_x, 1),
        "tilt_y_deg": round(tilt_y, 1),
        "rotation_deg": round(rot, 1),
        "background": kind,
        "clutter": kinds,
        "defocus_sigma": round(defocus, 2),
        "motion_px": round(motion, 2),
        "dof_gradient": dof,
        "noise": round(noise, 4),
        "glare": round(glare_s, 2),
        "light_level": round(level, 2),
        "jpeg_quality": q,
    }
    return out, Hm, params
