"""make_card: one seeded card picture with its ground truth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import cv2
import numpy as np

from core.codes.confusion import CONFUSABLE
from core.codes.profiles import get_profile
from ocr.synth import capture, compose, families, fonts, scratch
from ocr.synth.draw import Rect
from ocr.synth.fonts import Face

Tier = Literal["clean", "photo", "scratched", "hard"]
TIERS: tuple[Tier, ...] = ("clean", "photo", "scratched", "hard")
LAYOUTS = families.LAYOUTS
PLATFORMS = families.PLATFORMS
Box = tuple[int, int, int, int]  # x, y, w, h


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
    meta: dict[str, Any] = field(default_factory=dict)  # the truth entry (see truth())

    @property
    def entered_pin(self) -> str:
        """The password as the platform takes it: the profile's input map applied to what is
        printed (a JD card may print O; JD's own input turns it into 0)."""
        fmt = get_profile(self.platform).fields["pin"]
        return "".join(fmt.input_map.get(ch, ch) for ch in self.pin)

    @property
    def layout(self) -> str:
        return str(self.meta.get("layout", ""))

    def truth(self) -> dict[str, Any]:
        """The card's entry in a truth.json, as the benchmark samples have it (without
        "file"), plus platform, seed, brand, denomination, qr, labels and pin boxes."""
        return dict(self.meta)


def available_fonts(extra_fonts: bool = False) -> list[str]:
    """Names of the faces codes are printed in (pass one as make_card's `font`)."""
    return [f.name for f in fonts.code_faces(extra_fonts)]


def _pick(rng: np.random.Generator, faces: list[Face]) -> Face:
    return faces[int(rng.integers(len(faces)))]


def _faces(rng: np.random.Generator, font: str | None, extra: bool) -> families.Faces:
    code_faces = fonts.code_faces(extra)
    if font is None:
        code = _pick(rng, code_faces)
    else:
        named = [f for f in code_faces if f.name == font]
        if not named:
            raise ValueError(
                f"unknown font {font!r}; available: {', '.join(f.name for f in code_faces)}"
            )
        code = named[0]
    labels = fonts.label_faces(extra)
    latin = fonts.latin_faces(extra)
    bold_cjk = [f for f in labels if "Bold" in f.name and not f.mono] or labels
    bold_latin = [f for f in latin if "Bold" in f.name] or latin
    notes = [f for f in labels if not f.mono or rng.random() < 0.2]
    return families.Faces(
        code=code,
        label=_pick(rng, labels),
        latin=_pick(rng, latin),
        title_cjk=_pick(rng, bold_cjk),
        title_latin=_pick(rng, bold_latin),
        note=_pick(rng, notes),
    )


def _spec(
    rng: np.random.Generator, layout: str, faces: families.Faces, platform: str | None
) -> compose.Spec:
    if layout == "jd_ecard":
        return families.jd(rng, faces)
    if layout == "recharge":
        return families.recharge(rng, faces, platform)
    return families.gift(rng, faces, platform)


def _quad(Hm: np.ndarray, rect: Rect) -> list[list[float]]:
    x0, y0, x1, y1 = rect
    pts = np.array([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]], np.float32)
    q = cv2.perspectiveTransform(pts, Hm).reshape(4, 2)
    return [[round(float(x), 1), round(float(y), 1)] for x, y in q]


def _boxes(Hm: np.ndarray, rects: list[Rect]) -> tuple[list[Box], float]:
    """Axis-aligned image boxes of card rects, and their median height along the card."""
    out, heights = [], []
    for r in rects:
        q = np.array(_quad(Hm, r))
        x0, y0 = np.floor(q.min(0))
        x1, y1 = np.ceil(q.max(0))
        out.append((int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
        heights.append(float(np.linalg.norm((q[3] + q[2]) / 2 - (q[0] + q[1]) / 2)))
    return out, float(np.median(heights)) if heights else 0.0


@dataclass
class Drawn:
    """A flat card, drawn and scratched, before it is captured."""

    spec: compose.Spec
    flat: compose.Flat
    occlusion: list[float]
    scratch_params: dict[str, Any]
    faces: families.Faces


def draw_card(
    rng: np.random.Generator,
    scratch_level: str | None,
    card_w: float,
    *,
    platform: str | None = None,
    font: str | None = None,
    extra_fonts: bool = False,
    layout: str | None = None,
) -> Drawn:
    """Pick a card, draw it about `card_w` px wide and leave `scratch_level` residue on it
    (None, "look", "scratched" or "hard")."""
    lay = families.layout_for(platform, layout, rng)
    faces = _faces(rng, font, extra_fonts)
    spec = _spec(rng, lay, faces, platform)
    pin_row = next(r for r in spec.rows if r.name == "pin")
    if font is None and pin_row.position == "inline" and rng.random() < 0.3:
        spec.code_face = spec.label_face  # "卡密：XXXX-…" printed in one font
    width = int(np.clip(round(card_w * 1.1), 640, 2000))
    flat = compose.render(spec, rng, width)
    pin_ink = flat.inks["pin"]
    occ, params = (
        scratch.scratch(flat.image, rng, flat.panel, pin_ink, scratch_level)
        if scratch_level
        else ([0.0] * len(pin_ink.boxes), {})
    )
    return Drawn(spec, flat, occ, params, faces)


def truth_entry(
    d: Drawn,
    Hm: np.ndarray,
    size: tuple[int, int],
    *,
    tier: str,
    seed: int,
    capture_params: dict[str, Any],
) -> dict[str, Any]:
    """The card's truth.json entry (without "file") for a picture made with homography Hm."""
    spec, flat = d.spec, d.flat
    pin_ink = flat.inks["pin"]
    pin_boxes, pin_px = _boxes(Hm, pin_ink.boxes)
    number_ink = flat.inks.get("card_number")
    number_px = _boxes(Hm, number_ink.boxes)[1] if number_ink else 0.0
    pin_row = next(r for r in spec.rows if r.name == "pin")
    number_row = next((r for r in spec.rows if r.name == "card_number"), None)
    card_rect = (0.0, 0.0, float(flat.image.shape[1]), float(flat.image.shape[0]))
    quads = {"card": _quad(Hm, card_rect), "pin": _quad(Hm, pin_ink.rect)}
    if number_ink:
        quads["card_number"] = _quad(Hm, number_ink.rect)
    labels = {
        r.name: {
            "text": r.label,
            "printed": r.label + r.colon,
            "position": r.position,
            "inline": r.position == "inline",
        }
        for r in spec.rows
    }
    cap_all = {
        **capture_params,
        **d.scratch_params,
        "pin_char_px": round(pin_px, 1),
        "card_number_char_px": round(number_px, 1),
        "card_variant": spec.variant,
        "dotmatrix": spec.code_face.dotmatrix,
    }
    pin = pin_row.printed.code
    return {
        "tier": tier,
        "layout": spec.layout,
        "font": spec.code_face.name,
        "label_font": spec.label_face.name,
        "fields": {"card_number": number_row.printed.code if number_row else None, "pin": pin},
        "printed": {
            "card_number": number_row.printed.text if number_row else None,
            "pin": pin_row.printed.text,
        },
        "occlusion": d.occlusion,
        "occlusion_max": max(d.occlusion, default=0.0),
        "size": [size[0], size[1]],
        "quads": quads,
        "capture": cap_all,
        "pin_confusables": sum(ch in CONFUSABLE for ch in pin),
        "platform": spec.platform,
        "brand": spec.brand,
        "seed": seed,
        "denomination": spec.denomination,
        "qr": spec.qr,
        "labels": labels,
        "pin_boxes": [list(b) for b in pin_boxes],
        "label_quads": {k: _quad(Hm, r) for k, r in flat.meta["label_rects"].items()},
        "second_number_quad": _quad(Hm, flat.second_number) if flat.second_number else None,
        "title": spec.title,
    }


def make_card(
    seed: int,
    tier: Tier = "clean",
    platform: str | None = None,
    *,
    font: str | None = None,
    extra_fonts: bool = False,
    layout: str | None = None,
) -> SynthCard:
    """One card picture; the same arguments always give the same pixels.

    `platform` (jd, cmcc, tmall, taobao, pdd, suning, generic) or `layout` (jd_ecard,
    gift_card, recharge) narrow what is drawn; `font` names a code face from
    available_fonts(extra_fonts)."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
    rng = np.random.default_rng([seed, TIERS.index(tier)])
    plan = capture.plan(rng, tier)
    level = {"scratched": "scratched", "hard": "hard"}.get(tier)
    if level is None and rng.random() < 0.3:
        level = "look"  # a scratched-off panel with latex left only around the code
    d = draw_card(
        rng,
        level,
        plan.card_w,
        platform=platform,
        font=font,
        extra_fonts=extra_fonts,
        layout=layout,
    )
    flat = d.flat
    if plan.mode == "scan":
        image, Hm, cap_params = capture.scan(rng, flat.image, flat.shape, plan)
    else:
        mono = next((f for f in fonts.label_faces() if f.mono), d.faces.label)
        image, Hm, cap_params = capture.photo(
            rng,
            flat.image,
            flat.shape,
            plan,
            flat.inks["pin"].rect,
            faces=fonts.label_faces(extra_fonts),
            mono=mono,
        )
    h, w = image.shape[:2]
    meta = truth_entry(d, Hm, (w, h), tier=tier, seed=seed, capture_params=cap_params)
    spec = d.spec
    pin_boxes = [(b[0], b[1], b[2], b[3]) for b in meta["pin_boxes"]]
    return SynthCard(
        image,
        spec.platform,
        tier,
        seed,
        meta["fields"]["pin"],
        meta["fields"]["card_number"],
        spec.qr,
        pin_boxes,
        spec.code_face.name,
        meta,
    )


def make_set(
    n: int,
    tiers: tuple[Tier, ...] = TIERS,
    seed: int = 0,
    *,
    extra_fonts: bool = False,
    platform: str | None = None,
    layout: str | None = None,
) -> Iterator[SynthCard]:
    """`n` cards per tier, seeded: the same call always yields the same cards."""
    for tier in tiers:
        for i in range(n):
            yield make_card(
                seed * 100_000 + i, tier, platform=platform, extra_fonts=extra_fonts, layout=layout
            )
