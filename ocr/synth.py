"""Seeded synthetic gift / recharge cards with ground truth, for tests and the benchmark.

Layouts: JD-E-card-like (卡号 + 卡密 under a scratch-off panel), gift cards (Tmall,
Taobao with a QR code, Pinduoduo, Suning: 卡号 + 密码) and China Mobile recharge cards
(序列号 + 密码). Degradations come in four tiers:

clean     — a flat scan: small rotation, even light;
photo     — a phone photo: perspective tilt, background clutter, uneven light, mild blur,
            sensor noise, JPEG;
scratched — photo + silver scratch-off residue partly over glyphs and coin scratches;
hard      — scratched + glare over the code, low resolution, motion blur, heavier
            residue, stronger noise and JPEG.

Fonts: OpenCV's Hershey fonts and Pillow's bundled font, so tests need no system fonts;
`extra_fonts=True` adds TrueType fonts found on the machine (benchmark only). Chinese
labels are committed bitmaps (resources/synth/README.md).
"""

from __future__ import annotations

import glob
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import cv2
import numpy as np

from core.resources import resource_path

Tier = Literal["clean", "photo", "scratched", "hard"]
TIERS: tuple[Tier, ...] = ("clean", "photo", "scratched", "hard")
LAYOUTS = ("jd", "tmall", "taobao", "pdd", "suning", "cmcc")
HEX = "0123456789ABCDEF"
DIGITS = "0123456789"
Box = tuple[int, int, int, int]

_HERSHEY = {
    "hershey_simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "hershey_duplex": cv2.FONT_HERSHEY_DUPLEX,
    "hershey_complex": cv2.FONT_HERSHEY_COMPLEX,
    "hershey_triplex": cv2.FONT_HERSHEY_TRIPLEX,
}
BUILTIN_FONTS = (*_HERSHEY, "pil_default")
_SYSTEM_FONT_GLOBS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation*/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
)


@dataclass
class SynthCard:
    image: np.ndarray  # BGR uint8
    platform: str
    tier: Tier
    seed: int
    pin: str
    card_number: str | None
    qr: str | None = None
    pin_boxes: list[Box] = field(default_factory=list)  # per character, image pixels
    font: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def truth(self) -> dict[str, Any]:
        return {"platform": self.platform, "tier": self.tier, "seed": self.seed,
                "pin": self.pin, "card_number": self.card_number, "qr": self.qr,
                "font": self.font}


def available_fonts(extra_fonts: bool = False) -> list[str]:
    fonts = list(BUILTIN_FONTS)
    if extra_fonts:
        for pattern in _SYSTEM_FONT_GLOBS:
            fonts += [f"ttf:{p}" for p in sorted(glob.glob(pattern))]
    return fonts


@cache
def _label(name: str) -> np.ndarray:
    img = cv2.imread(str(resource_path("synth", f"{name}.png")), cv2.IMREAD_GRAYSCALE)
    if img is None:  # pragma: no cover - the files ship with the package
        raise FileNotFoundError(name)
    return img


@cache
def _pil_font(spec: str, size: int) -> Any:
    from PIL import ImageFont

    if spec == "pil_default":
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(spec.removeprefix("ttf:"), size)


def _glyph_mask(ch: str, font: str, height: int) -> np.ndarray:
    """Coverage mask (0..255) of one character whose digit cap height is ~`height` px."""
    if font in _HERSHEY:
        face = _HERSHEY[font]
        scale = height / 22.0
        thick = max(1, round(height / 11))
        (w, h), base = cv2.getTextSize(ch, face, scale, thick)
        canvas = np.zeros((h + base + 2 * thick + 4, w + 2 * thick + 4), np.uint8)
        cv2.putText(canvas, ch, (thick + 2, h + thick + 2), face, scale, 255, thick,
                    cv2.LINE_AA)
        return _tight(canvas)
    from PIL import Image, ImageDraw

    size = max(8, round(height * 1.42))
    pf = _pil_font(font, size)
    left, top, right, bottom = pf.getbbox(ch)
    im = Image.new("L", (right - left + 8, bottom - top + 8), 0)
    ImageDraw.Draw(im).text((4 - left, 4 - top), ch, fill=255, font=pf)
    return _tight(np.asarray(im))


def _tight(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask > 20)
    if len(xs) == 0:
        return mask[:1, :1]
    return mask[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1]


def _blend(img: np.ndarray, mask: np.ndarray, x: int, y: int, colour: tuple[int, ...]) -> None:
    h, w = mask.shape
    H, W = img.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    m = mask[y0 - y: y1 - y, x0 - x: x1 - x].astype(np.float32)[..., None] / 255.0
    roi = img[y0:y1, x0:x1].astype(np.float32)
    img[y0:y1, x0:x1] = (roi * (1 - m) + np.array(colour, np.float32) * m).astype(np.uint8)


def _draw_text(  # noqa: PLR0917 - a drawing call reads best with its arguments in order
    img: np.ndarray, text: str, x: int, baseline: int, height: int, font: str,
    colour: tuple[int, ...], gap_chars: str = " -", spacing: float = 0.12,
) -> tuple[list[Box], int]:
    """Draw `text` glyph by glyph; returns the boxes of non-gap characters and the end x."""
    boxes: list[Box] = []
    digit_w = _glyph_mask("0", font, height).shape[1]
    for ch in text:
        if ch == " ":
            x += int(digit_w * 0.9)
            continue
        mask = _glyph_mask(ch, font, height)
        h, w = mask.shape
        y = baseline - height // 2 - h // 2 if ch == "-" else baseline - h
        # Monospaced-ish advance keeps groups aligned like printed codes.
        adv = max(w, int(digit_w * 0.8))
        ox = x + (adv - w) // 2
        _blend(img, mask, ox, y, colour)
        if ch not in gap_chars:
            boxes.append((ox, y, w, h))
        x += adv + max(1, int(height * spacing))
    return boxes, x


def _draw_label(  # noqa: PLR0917
    img: np.ndarray, name: str, x: int, baseline: int, height: float,
    colour: tuple[int, ...],
) -> int:
    lab = _label(name)
    scale = height * 1.25 / lab.shape[0]
    lab = cv2.resize(lab, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _blend(img, lab, x, baseline - lab.shape[0] + int(height * 0.15), colour)
    return x + int(lab.shape[1])


def _group(code: str, sizes: tuple[int, ...], sep: str) -> str:
    out, pos, i = [], 0, 0
    while pos < len(code):
        n = sizes[min(i, len(sizes) - 1)]
        out.append(code[pos: pos + n])
        pos += n
        i += 1
    return sep.join(out)


def _random_code(rng: np.random.Generator, alphabet: str, n: int) -> str:
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), n))


def _luhn_complete(rng: np.random.Generator, n: int) -> str:
    body = _random_code(rng, DIGITS, n - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _texture(rng: np.random.Generator, shape: tuple[int, int], base: float, amp: float,
             scale: int) -> np.ndarray:
    small = rng.normal(0, 1, (max(2, shape[0] // scale), max(2, shape[1] // scale)))
    tex = cv2.resize(small.astype(np.float32), (shape[1], shape[0]),
                     interpolation=cv2.INTER_CUBIC)
    return np.asarray(np.clip(base + amp * tex, 0, 255), dtype=np.float32)


def _residue(  # noqa: PLR0917
    rng: np.random.Generator, card: np.ndarray, panel: Box, amount: float,
             text_boxes: list[Box], heavy: bool = False) -> None:
    """Silver scratch-off residue: irregular textured flakes, partly over glyphs.

    The flakes are lighter than the ink, and each glyph keeps most of its strokes visible,
    as on a card scratched with a coin: a person can still read every character.
    """
    x, y, w, h = panel
    n = int(3 + amount * 14)
    for _ in range(n):
        if text_boxes and rng.random() < 0.6:
            bx, by, bw, bh = text_boxes[int(rng.integers(len(text_boxes)))]
            cx = bx + rng.uniform(-0.5, 1.5) * bw
            cy = by + rng.choice([rng.uniform(-0.4, 0.1), rng.uniform(0.9, 1.3)]) * bh
            # Scratched: flakes clipping a glyph's top or bottom; hard: bigger flakes
            # that can hide a good part of a stroke.
            rad = (rng.uniform(0.2, 0.5) if heavy else rng.uniform(0.1, 0.28)) * bh
        else:
            cx, cy = x + rng.uniform(0, w), y + rng.uniform(0, h)
            rad = rng.uniform(0.1, 0.25) * h
        pts = []
        k = int(rng.integers(5, 10))
        for j in range(k):
            a = 2 * math.pi * j / k + rng.uniform(-0.3, 0.3)
            r = rad * rng.uniform(0.5, 1.3)
            pts.append((cx + r * math.cos(a) * rng.uniform(1.0, 2.5), cy + r * math.sin(a)))
        mask = np.zeros(card.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.array(pts, np.int32)], 255)
        x0, y0, bw_, bh_ = cv2.boundingRect(np.array(pts, np.int32))
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(card.shape[1], x0 + bw_), min(card.shape[0], y0 + bh_)
        if x1 <= x0 or y1 <= y0:
            continue
        sub = mask[y0:y1, x0:x1]
        grey = rng.uniform(150, 195)
        tex = _texture(rng, sub.shape, grey, 18, 3)
        colour = np.stack([tex * rng.uniform(0.98, 1.04), tex, tex * rng.uniform(0.96, 1.0)], -1)
        roi = card[y0:y1, x0:x1].astype(np.float32)
        alpha = (sub.astype(np.float32) / 255.0 * rng.uniform(0.75, 0.95))[..., None]
        card[y0:y1, x0:x1] = (roi * (1 - alpha) + colour * alpha).astype(np.uint8)


def _coin_scratches(rng: np.random.Generator, card: np.ndarray, panel: Box, n: int) -> None:
    x, y, w, h = panel
    for _ in range(n):
        p0 = (int(x + rng.uniform(0, w)), int(y + rng.uniform(0, h)))
        ang = rng.uniform(-0.6, 0.6)
        length = rng.uniform(0.2, 0.6) * w
        p1 = (int(p0[0] + length * math.cos(ang)), int(p0[1] + length * math.sin(ang)))
        shade = int(rng.uniform(200, 245)) if rng.random() < 0.7 else int(rng.uniform(110, 150))
        cv2.line(card, p0, p1, (shade, shade, shade), 1, cv2.LINE_AA)


@dataclass
class _Layout:
    platform: str
    pin: str
    card_number: str | None
    pin_text: str
    number_text: str | None
    pin_label: str
    number_label: str
    title: str
    qr: str | None


def _make_layout(rng: np.random.Generator, platform: str) -> _Layout:
    if platform == "jd":
        pin = _random_code(rng, HEX, 16)
        number = _random_code(rng, DIGITS, int(rng.choice([16, 19])))
        sep = str(rng.choice(["-", " ", "  "]))
        return _Layout("jd", pin, number, _group(pin, (4,), sep), _group(number, (4,), " "),
                       "kami", "kahao", "jd_ecard", None)
    if platform == "cmcc":
        pin = _random_code(rng, DIGITS, 18)
        number = _random_code(rng, DIGITS, 17)
        return _Layout("cmcc", pin, number, _group(pin, (6,), " "),
                       _group(number, (5, 4, 4, 4), " "), "mima", "xuliehao", "cmcc", None)
    pin = _random_code(rng, DIGITS, 16)
    number = _random_code(rng, DIGITS, 16)
    titles = {"tmall": "tmall", "taobao": "taobao", "pdd": "pdd", "suning": "suning"}
    pin_label = "kami" if platform in ("pdd", "suning", "taobao") else "mima"
    qr = f"https://gift.example.invalid/bind?c={pin}" if platform == "taobao" else None
    return _Layout(platform, pin, number, _group(pin, (4,), " "), _group(number, (4,), " "),
                   pin_label, "kahao", titles[platform], qr)


def _render_card(rng: np.random.Generator, lay: _Layout, font: str, tier: Tier,
                 ) -> tuple[np.ndarray, list[Box], dict[str, Any]]:
    W, H = 1000, 630
    paper = rng.uniform(225, 250)
    tint = rng.uniform(-8, 8, 3)
    card = np.empty((H, W, 3), np.uint8)
    card[:] = np.clip(paper + tint, 0, 255)
    # A coloured title band (JD red, Tmall red, PDD red-orange, Suning yellow, CMCC blue).
    band = {"jd": (40, 30, 200), "tmall": (50, 20, 190), "taobao": (20, 90, 240),
            "pdd": (40, 50, 225), "suning": (40, 190, 250), "cmcc": (170, 90, 20)}[lay.platform]
    band_h = int(rng.uniform(90, 140))
    card[:band_h] = band
    _draw_label(card, lay.title, 40, band_h - 25, 48, (255, 255, 255))
    ink = tuple(int(v) for v in rng.uniform(10, 60, 3))
    # Decorations: small text-like marks and a denomination, so lines other than the codes
    # exist (line finding has to choose).
    _draw_text(card, f"{int(rng.choice([50, 100, 200, 500]))}", W - 220, band_h - 25, 44,
               "hershey_duplex", (255, 255, 255))
    _draw_label(card, "youxiaoqi", 40, H - 40, 18, ink)
    _draw_text(card, f"20{int(rng.integers(26, 30))}-{int(rng.integers(1, 13)):02d}-28",
               140, H - 40, 18, "hershey_simplex", ink)
    h_num = int(rng.uniform(26, 34))
    y_num = band_h + int(rng.uniform(80, 120))
    x = _draw_label(card, lay.number_label, 40, y_num, h_num, ink) + 20
    if lay.number_text:
        _draw_text(card, lay.number_text, x, y_num, h_num, font, ink)
    # The scratch-off panel and the code under it.
    h_pin = int(rng.uniform(34, 44))
    y_pin = y_num + int(rng.uniform(110, 150))
    lx = _draw_label(card, lay.pin_label, 40, y_pin, h_pin * 0.8, ink) + 24
    probe = np.zeros_like(card)
    _, end = _draw_text(probe, lay.pin_text, lx, y_pin, h_pin, font, (255, 255, 255))
    panel = (lx - 18, y_pin - h_pin - 20, end - lx + 36, h_pin + 40)
    px, py, pw, ph = panel
    panel_tone = rng.uniform(232, 250)
    card[py: py + ph, px: px + pw] = np.clip(panel_tone + tint, 0, 255)
    cv2.rectangle(card, (px, py), (px + pw, py + ph), tuple(int(v) for v in ink), 1)
    boxes, _ = _draw_text(card, lay.pin_text, lx, y_pin, h_pin, font, ink)
    if lay.qr:
        qr = cv2.QRCodeEncoder.create().encode(lay.qr)
        size = 170
        qr = cv2.resize(qr, (size, size), interpolation=cv2.INTER_NEAREST)
        card[H - size - 30: H - 30, W - size - 40: W - 40] = qr[..., None]
    if tier in ("scratched", "hard"):
        amount = rng.uniform(0.3, 0.7) if tier == "scratched" else rng.uniform(0.6, 1.0)
        _residue(rng, card, panel, amount, boxes, heavy=tier == "hard")
        _coin_scratches(rng, card, panel, int(rng.integers(2, 7)))
    return card, boxes, {"panel": panel}


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = rng.uniform(40, 200, 3)
    bg = np.empty((h, w, 3), np.float32)
    for c in range(3):
        bg[..., c] = _texture(rng, (h, w), float(base[c]), 25, 40)
    bg = bg.astype(np.uint8)
    for _ in range(int(rng.integers(4, 14))):
        colour = tuple(int(v) for v in rng.uniform(0, 255, 3))
        kind = rng.random()
        p = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        if kind < 0.4:
            q = (int(p[0] + rng.uniform(-300, 300)), int(p[1] + rng.uniform(-300, 300)))
            cv2.line(bg, p, q, colour, int(rng.integers(1, 6)), cv2.LINE_AA)
        elif kind < 0.7:
            cv2.circle(bg, p, int(rng.uniform(10, 120)), colour, -1, cv2.LINE_AA)
        else:
            # Text-like clutter (a receipt, a keyboard): digits that are not the code.
            txt = _random_code(rng, DIGITS + "ABCXYZ", int(rng.integers(3, 9)))
            cv2.putText(bg, txt, p, cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.6, 1.6), colour,
                        2, cv2.LINE_AA)
    return bg


def _warp_boxes(boxes: list[Box], m: np.ndarray) -> list[Box]:
    out = []
    for x, y, w, h in boxes:
        pts = np.array([[[x, y]], [[x + w, y]], [[x, y + h]], [[x + w, y + h]]], np.float32)
        if m.shape == (3, 3):
            q = cv2.perspectiveTransform(pts, m).reshape(-1, 2)
        else:
            q = cv2.transform(pts, m).reshape(-1, 2)
        x0, y0 = q.min(0)
        x1, y1 = q.max(0)
        out.append((int(x0), int(y0), math.ceil(x1 - x0), math.ceil(y1 - y0)))
    return out


def make_card(seed: int, tier: Tier = "clean", platform: str | None = None,
              font: str | None = None, extra_fonts: bool = False) -> SynthCard:
    """One synthetic card photo; the same arguments always give the same image."""
    rng = np.random.default_rng([seed, TIERS.index(tier)])
    platform = platform or str(rng.choice(LAYOUTS, p=[0.4, 0.12, 0.12, 0.12, 0.12, 0.12]))
    fonts = available_fonts(extra_fonts)
    font = font or str(rng.choice(fonts))
    lay = _make_layout(rng, platform)
    card, boxes, meta = _render_card(rng, lay, font, tier)
    ch, cw = card.shape[:2]

    if tier == "clean":
        out_w = int(rng.uniform(900, 1300))
        scale = out_w / (cw * rng.uniform(1.05, 1.2))
        angle = rng.uniform(-2, 2)
        m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, scale)
        out_h = int(out_w * rng.uniform(0.68, 0.8))
        m[0, 2] += out_w / 2 - cw / 2
        m[1, 2] += out_h / 2 - ch / 2
        tone = float(rng.uniform(235, 255))
        img = cv2.warpAffine(card, m, (out_w, out_h), flags=cv2.INTER_AREA,
                             borderValue=(tone, tone, tone))
        return SynthCard(img, lay.platform, tier, seed, lay.pin, lay.card_number, lay.qr,
                         _warp_boxes(boxes, m), font, meta)

    hard = tier == "hard"
    out_w = int(rng.uniform(640, 900) if hard else rng.uniform(960, 1400))
    out_h = int(out_w * rng.uniform(0.7, 0.8))
    bg = _background(rng, out_h, out_w)
    frac = rng.uniform(0.6, 0.85) if not hard else rng.uniform(0.55, 0.9)
    cw_out = out_w * frac
    ch_out = cw_out * ch / cw
    cx = out_w / 2 + rng.uniform(-0.08, 0.08) * out_w
    cy = out_h / 2 + rng.uniform(-0.05, 0.05) * out_h
    jitter = (0.06 if not hard else 0.1) * cw_out
    ang = math.radians(rng.uniform(-6, 6) if not hard else rng.uniform(-12, 12))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = sx * cw_out / 2, sy * ch_out / 2
        rx = px * math.cos(ang) - py * math.sin(ang)
        ry = px * math.sin(ang) + py * math.cos(ang)
        corners.append((cx + rx + rng.uniform(-jitter, jitter) / 2,
                        cy + ry + rng.uniform(-jitter, jitter) / 2))
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, np.array(corners, np.float32))
    warped = cv2.warpPerspective(card, m, (out_w, out_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (out_w, out_h),
                               flags=cv2.INTER_AREA)
    a = (mask.astype(np.float32) / 255.0)[..., None]
    img = bg.astype(np.float32) * (1 - a) + warped.astype(np.float32) * a
    char_boxes = _warp_boxes(boxes, m)

    # Uneven light: a gradient across the image.
    gx = np.linspace(0, 1, out_w, dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, out_h, dtype=np.float32)[:, None]
    t = rng.uniform(0, 2 * math.pi)
    light = 1.0 - rng.uniform(0.1, 0.35 if not hard else 0.5) * (
        0.5 + 0.5 * np.cos(t) * (gx - 0.5) * 2 * 0.5 + 0.5 * np.sin(t) * (gy - 0.5))
    img *= np.clip(light, 0.4, 1.1)[..., None]
    if hard and char_boxes:
        # Glare: a bright soft spot over part of the code.
        bx, by, bw, bh = char_boxes[int(rng.integers(len(char_boxes)))]
        yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
        r = rng.uniform(1.0, 2.5) * bh
        g = np.exp(-(((xx - bx - bw / 2) / (r * 1.8)) ** 2 + ((yy - by - bh / 2) / r) ** 2))
        img = img + (rng.uniform(60, 120) * g)[..., None]
    img = np.clip(img, 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.3, 1.0) if not hard else rng.uniform(0.6, 1.4)
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    if hard and rng.random() < 0.5:
        k = int(rng.integers(3, 6))
        kern = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1)
        turned = cv2.warpAffine(kern, rot, (k, k))
        norm = np.asarray(turned / max(float(turned.sum()), 1e-6), dtype=np.float32)
        img = cv2.filter2D(img, -1, norm)
    noise = rng.normal(0, rng.uniform(2, 6) if not hard else rng.uniform(5, 10), img.shape)
    img = np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    q = int(rng.uniform(60, 92) if not hard else rng.uniform(40, 70))
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    if decoded is not None:
        img = decoded
    return SynthCard(img, lay.platform, tier, seed, lay.pin, lay.card_number, lay.qr,
                     char_boxes, font, meta)


def make_set(n: int, tiers: tuple[Tier, ...] = TIERS, seed: int = 0,
             extra_fonts: bool = False, platform: str | None = None) -> Iterator[SynthCard]:
    """`n` cards per tier, seeded: the same call always yields the same cards."""
    for tier in tiers:
        for i in range(n):
            yield make_card(seed * 100_000 + i, tier, platform=platform,
                            extra_fonts=extra_fonts)
