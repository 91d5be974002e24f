"""Lay out and draw one flat card from a Spec: header, codes with their labels, note, extras.

Coordinates are canvas pixels; sizes are given as shares of the card width (u = W / 1000)
so a card looks the same at any resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from ocr.synth import draw, fonts
from ocr.synth.codes import Printed
from ocr.synth.draw import CodeInk, Colour, Rect
from ocr.synth.fonts import Face

ASPECT = 85.6 / 54.0  # ID-1 card


@dataclass
class Row:
    """One code line: the label as printed and where it goes."""

    name: str  # card_number | pin
    printed: Printed
    label: str  # the label word, e.g. 卡密 ("" = no label)
    colon: str
    position: str  # left | above | inline | none


@dataclass
class Spec:
    layout: str
    platform: str
    brand: str
    variant: str
    colour: Colour
    title: str
    title_face: Face
    subtitle: str
    latin_face: Face
    code_face: Face
    label_face: Face
    note_face: Face
    rows: list[Row]
    note: str
    denomination: dict[str, Any] | None = None
    qr: str | None = None
    barcode: bool = False
    small_print: list[str] = field(default_factory=list)
    scratch_hint: str = ""
    panel_style: str = "none"  # none | border | tint | box
    on_colour_note: bool = False  # the note printed on the coloured body (white text)
    ink: Colour = (35.0, 35.0, 35.0)
    tracking: float = 0.06
    wobble: float = 0.0  # per-character baseline jitter (share of the cap), 0 = none
    pin_cap: float = 34.0  # in u (thousandths of the card width)


@dataclass
class Flat:
    """A drawn card and where its parts are (canvas pixels)."""

    image: np.ndarray  # float32 BGR
    shape: np.ndarray  # float32 0..1: the card's rounded outline
    inks: dict[str, CodeInk]
    panel: Rect
    second_number: Rect | None
    meta: dict[str, Any]


def _pick_cap(spec: Spec, u: float, avail: float, rows: list[Row]) -> float:
    """The largest pin cap height (<= the spec's) at which every row fits its width. Codes
    after a label on their left start in one column, after the widest such label and a
    gap of up to 1.8 caps (`_rows`): a row measured after its own label alone ran off
    the card (a recharge card's 18-digit password, "充值卡序列号：" above it, lost its last
    group at the card's edge)."""
    cap = spec.pin_cap * u
    left = [r.label + r.colon for r in rows if r.position == "left"]
    for _ in range(30):
        ok = True
        widest = max((fonts.text_width(spec.label_face, t, cap) for t in left), default=0.0)
        for row in rows:
            c = cap * (0.92 if row.name == "card_number" else 1.0)
            w = draw.code_width(spec.code_face, row.printed.text, c, spec.tracking) + 2.0 * c
            if row.position == "left":
                w += widest + cap * 1.8
            elif row.position == "inline":
                w += fonts.text_width(spec.label_face, row.label + row.colon, c) + c * 1.2
            if w > avail:
                ok = False
        if ok:
            break
        cap *= 0.93
    return cap


@dataclass
class Zones:
    header: Rect  # title, subtitle, denomination
    rows: Rect  # the code rows
    bottom: Rect  # note, barcode, QR
    title_colour: Colour
    note_colour: Colour
    rule: bool  # a line in the brand colour under the title


def _stacked(
    header: Rect, content: Rect, split: float, colours: tuple[Colour, Colour], rule: bool
) -> Zones:
    """Zones for a card whose codes sit above its note: `content` cut at `split`."""
    x0, y0, x1, y1 = content
    mid = y0 + (y1 - y0) * split
    return Zones(header, (x0, y0, x1, mid), (x0, mid, x1, y1), colours[0], colours[1], rule)


def _body(canvas: np.ndarray, rng: np.random.Generator, spec: Spec) -> Zones:
    """Paint the card body and header background; returns where things go."""
    H, W = canvas.shape[:2]
    u = W / 1000.0
    col = spec.colour
    light: Colour = tuple(float(v) for v in rng.uniform(238, 252, 3))  # type: ignore[assignment]
    white: Colour = (250.0, 250.0, 250.0)
    dark_note: Colour = tuple(float(v) for v in rng.uniform(60, 105, 3))  # type: ignore[assignment]
    canvas[:] = light
    v = spec.variant
    m = 45 * u
    split = rng.uniform(0.62, 0.7)
    if v in ("redbody", "full"):
        darker = (col[0] * 0.8, col[1] * 0.8, col[2] * 0.8)
        canvas[:] = draw.gradient(H, W, col, darker, float(rng.uniform(0, 180)))
        draw.arcs(canvas, rng, (0, 0, W, H), (255, 255, 255), int(rng.integers(4, 12)), 2 * u, 0.18)
        top, bottom = H * rng.uniform(0.27, 0.32), H * rng.uniform(0.72, 0.78)
        draw.rounded_rect(canvas, (m, top, W - m, bottom), 18 * u, light)
        return Zones(
            (m + 10 * u, 0.04 * H, W - m - 10 * u, top - 0.03 * H),
            (m + 30 * u, top + 12 * u, W - m - 30 * u, bottom - 12 * u),
            (m + 10 * u, bottom + 0.025 * H, W - m, H - 0.03 * H),
            white,
            white,
            False,
        )
    if v in ("band", "header", "mobile", "telecom", "unicom"):
        hb = H * rng.uniform(0.2, 0.28)
        canvas[: int(hb)] = draw.gradient(
            int(hb),
            W,
            col,
            (col[0] * 0.82, col[1] * 0.82, col[2] * 0.82),
            float(rng.uniform(-20, 20)),
        )
        if rng.random() < 0.6:  # an accent line under the band
            accent = (40.0, 180.0, 250.0) if v == "band" else (250.0, 250.0, 250.0)
            canvas[int(hb) : int(hb + 6 * u)] = accent
        if v in ("mobile", "telecom") and rng.random() < 0.7:
            draw.arcs(canvas, rng, (0, 0, W, hb), (255, 255, 255), 5, 1.5 * u, 0.25)
        return _stacked(
            (m + 10 * u, 0.02 * H, W - m - 10 * u, hb),
            (m, hb + 20 * u, W - m, H - 0.04 * H),
            split,
            (white, dark_note),
            False,
        )
    if v in ("whitestripe", "side"):
        sw = W * rng.uniform(0.05, 0.13)
        canvas[:, : int(sw)] = col
        if rng.random() < 0.5:  # a diagonal corner out of the stripe
            pts = np.array([[sw, 0], [sw + H * 0.12, 0], [sw, H * 0.12]], np.int32)
            cv2.fillPoly(canvas, [pts], col)
        hx0 = sw + m
        return _stacked(
            (hx0, 0.03 * H, W - m, 0.22 * H),
            (hx0, 0.27 * H, W - m, 0.96 * H),
            split,
            (col, dark_note),
            True,
        )
    if v == "stripe":  # the back of a card: a magnetic stripe at the top
        s0, s1 = H * rng.uniform(0.05, 0.09), H * rng.uniform(0.2, 0.25)
        canvas[int(s0) : int(s1)] = draw.gradient(
            int(s1) - int(s0), W, (30, 30, 35), (60, 55, 50), 90
        )
        return _stacked(
            (m, s1 + 0.01 * H, W - m, s1 + 0.09 * H),
            (m, s1 + 0.1 * H, W - m, 0.96 * H),
            split,
            (col, dark_note),
            False,
        )
    # plain: a light card with the title in the brand colour and a rule under it
    return _stacked(
        (m, 0.03 * H, W - m, 0.22 * H),
        (m, 0.27 * H, W - m, 0.96 * H),
        split,
        (col, dark_note),
        True,
    )


def _header(canvas: np.ndarray, rng: np.random.Generator, spec: Spec, z: Zones, u: float) -> Rect:
    """Title, subtitle and denomination inside the header zone; returns the title's rect."""
    hx0, hy0, hx1, hy1 = z.header
    hh = hy1 - hy0
    small = spec.variant == "stripe"
    cap = min(hh * (0.32 if small else 0.45), rng.uniform(34, 52) * u)
    den = spec.denomination["printed"] if spec.denomination and not small else ""
    den_face = spec.title_face if not den.isascii() else spec.latin_face
    den_cap = cap * rng.uniform(0.7, 0.95)
    den_w = fonts.text_width(den_face, den, den_cap) if den else 0.0
    avail = hx1 - hx0 - den_w - (40 * u if den else 0)
    while fonts.text_width(spec.title_face, spec.title, cap) > avail and cap > 8 * u:
        cap *= 0.92
    base = hy0 + hh * 0.5 + cap * 0.5
    if small:
        rect = draw.text_right(canvas, spec.title_face, spec.title, hx1, base, cap, spec.colour)
    else:
        rect = draw.text(canvas, spec.title_face, spec.title, hx0, base, cap, z.title_colour)
    if den:
        draw.text_right(canvas, den_face, den, hx1, base, den_cap, z.title_colour)
    if spec.subtitle and not small:
        sub_cap = cap * rng.uniform(0.38, 0.5)
        # Latin faces have no CJK glyphs: a Chinese subtitle goes in the label face.
        sub_face = spec.latin_face if spec.subtitle.isascii() else spec.label_face
        sw = fonts.text_width(sub_face, spec.subtitle, sub_cap)
        if rect[2] + 25 * u + sw < hx1 - den_w - 30 * u:
            draw.text(
                canvas, sub_face, spec.subtitle, rect[2] + 25 * u, base, sub_cap, z.title_colour
            )
        elif base + sub_cap * 2.2 < hy1 + (0 if z.rule else -4 * u):
            draw.text(
                canvas, sub_face, spec.subtitle, hx0, base + sub_cap * 2.0, sub_cap, z.title_colour
            )
    if z.rule:
        y = hy1 - 2 * u
        canvas[int(y) : int(y + 4 * u), int(hx0) : int(hx1)] = spec.colour
    return rect


def render(spec: Spec, rng: np.random.Generator, W: int) -> Flat:
    H = round(W / ASPECT)
    u = W / 1000.0
    canvas = np.empty((H, W, 3), np.float32)
    z = _body(canvas, rng, spec)
    title_rect = _header(canvas, rng, spec, z, u)
    rx0, ry0, rx1, ry1 = z.rows
    bx0, by0, bx1, by1 = z.bottom
    on_white = spec.variant not in ("redbody", "full")

    # Bottom zone: barcode with the second printing of the number, QR, note.
    note_rect = [bx0, by0, bx1, by1]
    second: Rect | None = None
    number = next((r for r in spec.rows if r.name == "card_number"), None)
    if spec.barcode and number is not None:
        bw = (bx1 - bx0) * rng.uniform(0.36, 0.46)
        bh = by1 - by0
        draw.rounded_rect(canvas, (bx0, by0, bx0 + bw, by1), 3 * u, (252, 252, 252))
        cap2 = min(bh * 0.16, 20 * u)
        bar_y1 = by1 - cap2 * 2.4
        draw.barcode(
            canvas, rng, (bx0 + 10 * u, by0 + 8 * u, bx0 + bw - 10 * u, bar_y1), (20, 20, 20)
        )
        face2 = spec.code_face if spec.code_face.mono else spec.latin_face
        w2 = draw.code_width(face2, number.printed.text, cap2, 0.05)
        second = draw.code(
            canvas,
            face2,
            number.printed.text,
            bx0 + (bw - w2) / 2,
            by1 - cap2 * 0.8,
            cap2,
            (20, 20, 20),
            0.05,
        ).rect
        note_rect[0] = bx0 + bw + 25 * u
    if spec.qr and not on_white:  # inside the white panel, right of the codes
        q = min((ry1 - ry0) * 0.8, 0.3 * H)
        qx, qy = rx1 - q, ry0 + (ry1 - ry0 - q) / 2
        draw.qr(canvas, spec.qr, qx, qy, q)
        rx1 = qx - 20 * u
    elif spec.qr:
        q = min(max(by1 - by0, 0.3 * H), 0.36 * H)
        qx, qy = bx1 - q, by1 - q
        draw.rounded_rect(
            canvas, (qx - 5 * u, qy - 5 * u, bx1 + 5 * u, by1 + 5 * u), 3 * u, (255, 255, 255)
        )
        draw.qr(canvas, spec.qr, qx, qy, q)
        note_rect[2] = qx - 20 * u
        if qy < ry1:
            rx1 = min(rx1, qx - 20 * u)
    note_cap = rng.uniform(11, 15) * u
    if spec.note:
        draw.paragraph(
            canvas,
            spec.note_face,
            spec.note,
            (note_rect[0], note_rect[1], note_rect[2], note_rect[3]),
            note_cap,
            z.note_colour,
            leading=rng.uniform(1.6, 1.9),
        )
    if spec.small_print and on_white and not spec.qr:
        s = spec.small_print[0]
        face = spec.note_face if spec.note_face.cjk or s.isascii() else spec.label_face
        draw.text_right(canvas, face, s, bx1, H - 0.015 * H, note_cap * 0.85, z.note_colour)

    inks, panel, labels = _rows(canvas, rng, spec, (rx0, ry0, rx1, ry1), u)
    # Card stock is never perfectly flat in tone: a faint mottle over everything.
    canvas *= (1 + rng.uniform(0.003, 0.012) * draw.smooth_noise(rng, H, W, 25 * u))[..., None]
    shape = draw.rounded_rect_mask(H, W, (0, 0, W, H), rng.uniform(25, 45) * u)
    meta = {"title_rect": title_rect, "note_rect": tuple(note_rect), "label_rects": labels}
    return Flat(canvas, shape, inks, panel, second, meta)


def _rows(
    canvas: np.ndarray, rng: np.random.Generator, spec: Spec, rect: Rect, u: float
) -> tuple[dict[str, CodeInk], Rect, dict[str, Rect]]:
    """Draw the code rows with their labels inside `rect`; returns the inks, the panel and
    the labels' rectangles."""
    x0, y0, x1, y1 = rect
    rows = spec.rows
    cap = _pick_cap(spec, u, x1 - x0, rows)
    lab_cap = cap * rng.uniform(0.8, 1.0)
    lab_w = max(
        (
            fonts.text_width(spec.label_face, r.label + r.colon, lab_cap)
            for r in rows
            if r.position == "left"
        ),
        default=0.0,
    )
    pad_x, pad_y = cap * rng.uniform(0.4, 0.8), cap * rng.uniform(0.35, 0.6)
    col_x = x0 + lab_w + (cap * rng.uniform(1.0, 1.8) if lab_w else pad_x)
    slot = (y1 - y0) / len(rows)
    inks: dict[str, CodeInk] = {}
    labels: dict[str, Rect] = {}
    panel: Rect = (0, 0, 0, 0)
    for i, row in enumerate(rows):
        c = cap * (rng.uniform(0.85, 1.0) if row.name == "card_number" else 1.0)
        base = y0 + slot * (i + 0.5) + c * 0.5
        if row.position == "above":
            base += c * 0.6
        label_txt = row.label + row.colon
        x = x0 + (pad_x if row.name == "pin" else 0)
        if row.position == "left":
            labels[row.name] = draw.text(
                canvas, spec.label_face, label_txt, x0, base, lab_cap, spec.ink
            )
            x = col_x
        elif row.position == "above":
            lift = c + (pad_y if row.name == "pin" else 0) + c * 0.4
            labels[row.name] = draw.text(
                canvas, spec.label_face, label_txt, x0, base - lift, lab_cap * 0.72, spec.ink
            )
        elif row.position == "inline":
            r = labels[row.name] = draw.text(
                canvas, spec.label_face, label_txt, x0, base, lab_cap, spec.ink
            )
            x = r[2] + c * rng.uniform(0.15, 0.45) + (pad_x if row.name == "pin" else 0)
        face = spec.code_face
        width = draw.code_width(face, row.printed.text, c, spec.tracking)
        if row.name == "pin":
            panel = (x - pad_x, base - c - pad_y, x + width + pad_x, base + pad_y)
            _panel_look(canvas, rng, spec, panel, u)
        n = len(row.printed.text)
        wobble = (rng.normal(0, spec.wobble, n), rng.uniform(0.8, 1.0, n)) if spec.wobble else None
        inks[row.name] = draw.code(
            canvas, face, row.printed.text, x, base, c, spec.ink, spec.tracking, wobble=wobble
        )
        if row.name == "pin" and spec.scratch_hint and panel[2] + c * 4 < canvas.shape[1]:
            draw.text(
                canvas,
                spec.note_face,
                spec.scratch_hint,
                panel[2] + 12 * u,
                base,
                c * 0.45,
                spec.ink,
                0.8,
            )
    return inks, panel, labels


def _panel_look(
    canvas: np.ndarray, rng: np.random.Generator, spec: Spec, panel: Rect, u: float
) -> None:
    style = spec.panel_style
    if style == "none":
        return
    radius = rng.uniform(0, 10) * u
    if style in ("tint", "box"):
        tone = rng.uniform(228, 245) if style == "tint" else 252
        draw.rounded_rect(canvas, panel, radius, (tone, tone, tone + 2))
    if style in ("border", "box"):
        draw.rounded_rect(
            canvas,
            panel,
            radius,
            spec.colour if style == "border" else spec.ink,
            0.8,
            outline=max(1.0, 2 * u),
        )
