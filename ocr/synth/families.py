"""The three kinds of card (JD E-card, gift card, recharge card) as random Specs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ocr.synth import codes, texts
from ocr.synth.codes import Printed
from ocr.synth.compose import Row, Spec
from ocr.synth.fonts import Face
from ocr.synth.texts import pick

LAYOUTS = ("jd_ecard", "gift_card", "recharge")
LAYOUT_WEIGHTS = (0.45, 0.33, 0.22)
GIFT_PLATFORMS = ("tmall", "taobao", "pdd", "suning")
PLATFORMS = ("jd", "cmcc", *GIFT_PLATFORMS, "generic")


def layout_for(platform: str | None, layout: str | None, rng: np.random.Generator) -> str:
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}")
    if layout:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
        allowed = {
            "jd_ecard": ("jd",),
            "recharge": ("cmcc", "generic"),
            "gift_card": (*GIFT_PLATFORMS, "generic"),
        }[layout]
        if platform is not None and platform not in allowed:
            raise ValueError(f"a {layout} card cannot be a {platform} card")
        return layout
    if platform == "jd":
        return "jd_ecard"
    if platform == "cmcc":
        return "recharge"
    if platform in GIFT_PLATFORMS:
        return "gift_card"
    if platform == "generic":
        return "gift_card" if rng.random() < 0.7 else "recharge"
    return LAYOUTS[int(rng.choice(len(LAYOUTS), p=LAYOUT_WEIGHTS))]


@dataclass(frozen=True)
class Faces:
    """The faces one card is drawn with."""

    code: Face
    label: Face  # CJK-capable
    latin: Face
    title_cjk: Face
    title_latin: Face
    note: Face


def _tone(
    rng: np.random.Generator,
    colour: tuple[int, int, int],
    spread: float = 18,
) -> tuple[float, float, float]:
    c = np.clip(np.asarray(colour, np.float32) + rng.uniform(-spread, spread, 3), 0, 255)
    return (float(c[0]), float(c[1]), float(c[2]))


def _positions(rng: np.random.Generator, weights: tuple[float, float, float]) -> list[str]:
    """Label positions for (card number, pin): mostly the same for both rows."""
    choices = ("left", "inline", "above")
    first = choices[int(rng.choice(3, p=weights))]
    second = first if rng.random() < 0.8 else choices[int(rng.choice(3, p=weights))]
    return [first, second]


def _ink(rng: np.random.Generator) -> tuple[float, float, float]:
    r = rng.random()
    if r < 0.7:
        g = float(rng.uniform(15, 60))
        return (g, g, g)
    if r < 0.85:
        return (float(rng.uniform(70, 110)), float(rng.uniform(30, 50)), float(rng.uniform(10, 30)))
    return _tone(rng, (45, 45, 60), 10)


def _denomination(
    rng: np.random.Generator,
    values: tuple[int, ...],
    currency: str,
) -> dict[str, Any]:
    v = int(rng.choice(values))
    fmt = pick(
        rng, texts.DENOMINATION_FORMATS_CNY if currency == "CNY" else texts.DENOMINATION_FORMATS_USD
    )
    return {"amount": v, "currency": currency, "printed": fmt.format(v=v)}


def _small_print(rng: np.random.Generator, lang: str = "zh") -> list[str]:
    out = []
    if rng.random() < 0.5:
        if lang == "en":
            out.append(pick(rng, texts.EXPIRY_LABELS_EN) + texts.date_text(rng, "{y}-{m:02d}"))
        else:
            out.append(pick(rng, texts.EXPIRY_LABELS) + texts.date_text(rng))
    if rng.random() < 0.4:
        out.append(f"NO.{int(rng.integers(0, 10**7)):07d}")
    return out


def _finish(  # noqa: PLR0917 - one call per kind of card, its numbers in a row
    rng: np.random.Generator,
    hints: tuple[str, ...],
    hint_p: float,
    panel_p: tuple[float, float, float, float],
    tracking_max: float,
    cap_range: tuple[float, float],
) -> dict[str, Any]:
    """The print details every kind of card draws, in this order (so a seed keeps its card):
    a scratch hint beside the panel, the panel's look, the ink, letter spacing, code size."""
    hint = pick(rng, hints) if rng.random() < hint_p else ""
    return {
        "scratch_hint": hint,
        "panel_style": str(rng.choice(["none", "border", "tint", "box"], p=list(panel_p))),
        "ink": _ink(rng),
        "tracking": float(rng.uniform(0.0, tracking_max)),
        "pin_cap": float(rng.uniform(*cap_range)),
        "wobble": float(rng.uniform(0.015, 0.05)) if rng.random() < 0.25 else 0.0,
    }


def _rows(
    rng: np.random.Generator,
    number: Printed,
    pin: Printed,
    labels: tuple[str, str],
    *,
    colon: str,
    weights: tuple[float, float, float],
) -> list[Row]:
    """The two code rows with their labels; where the labels go is drawn here."""
    positions = _positions(rng, weights)
    rows = [
        Row(
            "card_number",
            number,
            labels[0],
            colon if labels[0] else "",
            positions[0] if labels[0] else "none",
        ),
        Row("pin", pin, labels[1], colon, positions[1]),
    ]
    if rng.random() < 0.08:  # a few cards print the password first
        rows.reverse()
    return rows


def jd(rng: np.random.Generator, f: Faces) -> Spec:
    variant = str(
        rng.choice(
            ["redbody", "band", "whitestripe", "plain", "stripe"], p=[0.34, 0.3, 0.14, 0.11, 0.11]
        )
    )
    n_len = 16 if rng.random() < 0.93 else 19
    number = codes.card_number(rng, n_len)
    pin = codes.jd_pin(rng)
    sizes, sep = codes.grouping(rng, len(number), "number")
    psizes, psep = codes.grouping(rng, 16, "pin")
    colon = pick(rng, texts.COLONS)
    labels = (pick(rng, texts.JD_NUMBER_LABELS), pick(rng, texts.JD_PIN_LABELS))
    site, hotline = pick(rng, texts.JD_SITES), pick(rng, texts.JD_HOTLINES)
    note = pick(rng, texts.JD_NOTES).format(site=site, hotline=hotline)
    qr = None
    if rng.random() < 0.2:
        qr = pick(
            rng,
            (
                f"https://{site.lower()}/giftcard?no={number}",
                "https://m.jd.com/ecard/bind",
                f"JDECARD:{number}",
            ),
        )
    title = pick(rng, texts.JD_TITLES)
    return Spec(
        layout="jd_ecard",
        platform="jd",
        brand="jd",
        variant=variant,
        colour=_tone(rng, (35, 30, 215), 15),
        title=title,
        title_face=f.title_cjk,
        subtitle=pick(rng, texts.JD_SUBTITLES) if variant != "stripe" else "",
        latin_face=f.title_latin,
        code_face=f.code,
        label_face=f.label,
        note_face=f.note,
        rows=_rows(
            rng,
            codes.printed(number, sizes, sep),
            codes.printed(pin, psizes, psep),
            labels,
            colon=colon,
            weights=(0.68, 0.2, 0.12),
        ),
        note=note,
        denomination=_denomination(rng, (50, 100, 200, 300, 500, 800, 1000), "CNY"),
        qr=qr,
        barcode=variant == "stripe" and rng.random() < 0.6,
        small_print=_small_print(rng),
        **_finish(rng, texts.SCRATCH_HINTS, 0.2, (0.4, 0.2, 0.25, 0.15), 0.18, (30, 44)),
    )


def gift(rng: np.random.Generator, f: Faces, platform: str | None) -> Spec:
    r = rng.random()
    if platform in GIFT_PLATFORMS or (platform is None and r < 0.4):
        cands = [b for b in texts.PLATFORM_BRANDS if platform in (None, b[0])]
        pid, title, subtitle, colour, site = cands[int(rng.integers(len(cands)))]
        lang, brand, domain = "zh", pid, site.removeprefix("www.")
        title_face = f.title_cjk
    elif r < 0.65 or (platform == "generic" and rng.random() < 0.4):
        name, kind, colour, site = texts.INVENTED_BRANDS_ZH[
            int(rng.integers(len(texts.INVENTED_BRANDS_ZH)))
        ]
        pid, lang, brand, title = "generic", "zh", name, f"{name} {kind}"
        subtitle, domain, title_face = (
            pick(rng, ("GIFT CARD", "PREPAID CARD", "")),
            site,
            f.title_cjk,
        )
        domain = site.removeprefix("www.")
    else:
        name, subtitle, colour, domain = texts.INVENTED_BRANDS_EN[
            int(rng.integers(len(texts.INVENTED_BRANDS_EN)))
        ]
        pid, lang, brand, title, title_face = "generic", "en", name, name, f.title_latin
        site = pick(rng, (f"www.{domain}", domain, f"{domain}/giftcard"))
    n_len = 16 if pid != "generic" or rng.random() < 0.8 else int(rng.choice([12, 18, 19]))
    number = codes.card_number(rng, n_len)
    digits_only = rng.random() < 0.25
    p_len = (
        16
        if pid != "generic"
        else (n_len if digits_only else int(rng.choice([16, 16, 16, 12, 18, 20])))
    )
    pin = codes.gift_pin(rng, p_len, digits_only)
    sizes, sep = codes.grouping(rng, n_len, "number")
    psizes, psep = codes.grouping(rng, p_len, "pin")
    english_labels = (lang == "en" and rng.random() < 0.85) or (lang == "zh" and rng.random() < 0.1)
    if english_labels:
        labels = (pick(rng, texts.NUMBER_LABELS_EN), pick(rng, texts.PIN_LABELS_EN))
        colon = pick(rng, ("", "", ":", " :"))
        label_face = f.latin if rng.random() < 0.6 else f.label
    else:
        labels = (pick(rng, texts.NUMBER_LABELS_ZH), pick(rng, texts.PIN_LABELS_ZH))
        colon, label_face = pick(rng, texts.COLONS), f.label
    if rng.random() < 0.04:
        labels = ("", labels[1])  # the number printed with no label at all
    phone = texts.phone_800(rng) if lang == "en" else texts.phone_400(rng)
    terms = texts.GIFT_TERMS_EN if lang == "en" else texts.GIFT_TERMS_ZH
    note = pick(rng, terms).format(
        site=site,
        phone=phone,
        brand=brand if lang == "en" else title,
        domain=domain,
        date=texts.date_text(rng),
    )
    variant = str(
        rng.choice(["stripe", "header", "full", "side", "plain"], p=[0.3, 0.3, 0.15, 0.13, 0.12])
    )
    qr = None
    if rng.random() < (0.7 if pid == "taobao" else 0.3):
        qr = pick(
            rng,
            (
                f"https://{domain}/bind?card={number}",
                f"https://{domain}/app",
                f"https://{domain}/gc?c={number}&p={pin[:4]}****",
            ),
        )
    den = (
        _denomination(rng, (10, 25, 50, 100, 200), "USD")
        if lang == "en"
        else _denomination(rng, (50, 100, 200, 300, 500, 1000), "CNY")
    )
    return Spec(
        layout="gift_card",
        platform=pid,
        brand=brand,
        variant=variant,
        colour=_tone(rng, colour, 20),
        title=title,
        title_face=title_face,
        subtitle=subtitle,
        latin_face=f.title_latin,
        code_face=f.code,
        label_face=label_face,
        note_face=f.note if lang == "zh" else f.latin,
        rows=_rows(
            rng,
            codes.printed(number, sizes, sep),
            codes.printed(pin, psizes, psep),
            labels,
            colon=colon,
            weights=(0.62, 0.18, 0.2),
        ),
        note=note,
        denomination=den if rng.random() < 0.85 else None,
        qr=qr,
        barcode=rng.random() < (0.45 if lang == "en" else 0.25),
        small_print=_small_print(rng, lang),
        **_finish(
            rng,
            texts.SCRATCH_HINTS if lang == "zh" else texts.SCRATCH_HINTS_EN,
            0.15,
            (0.3, 0.2, 0.2, 0.3),
            0.2,
            (28, 42),
        ),
    )


def recharge(rng: np.random.Generator, f: Faces, platform: str | None) -> Spec:
    cands = [
        b
        for b in texts.RECHARGE_BRANDS
        if platform is None or (platform == "cmcc") == (b[0] == "cmcc")
    ]
    brand, title, subtitle, colour, hotline, service = cands[int(rng.integers(len(cands)))]
    pid = "cmcc" if brand == "cmcc" else "generic"
    if pid == "cmcc" or rng.random() < 0.8:
        n_len, p_len = 17, 18
    else:
        n_len, p_len = int(rng.integers(15, 21)), int(rng.integers(15, 20))
    number = codes.card_number(rng, n_len)
    pin = codes.gift_pin(rng, p_len, digits_only=True)
    sizes, sep = codes.grouping(rng, n_len, "recharge_number")
    psizes, psep = codes.grouping(rng, p_len, "recharge_pin")
    labels = (pick(rng, texts.RECHARGE_NUMBER_LABELS), pick(rng, texts.RECHARGE_PIN_LABELS))
    note = pick(rng, texts.RECHARGE_NOTES).format(
        hotline=hotline, service=service, date=texts.date_text(rng), pinlen=p_len
    )
    variant = {"cmcc": "mobile", "ctcc": "telecom", "cucc": "unicom"}[brand]
    if rng.random() < 0.25:
        variant = str(rng.choice(["plain", "side", "full"]))
    return Spec(
        layout="recharge",
        platform=pid,
        brand=brand,
        variant=variant,
        colour=_tone(rng, colour, 15),
        title=title,
        title_face=f.title_cjk,
        subtitle=subtitle,
        latin_face=f.title_latin,
        code_face=f.code,
        label_face=f.label,
        note_face=f.note,
        rows=_rows(
            rng,
            codes.printed(number, sizes, sep),
            codes.printed(pin, psizes, psep),
            labels,
            colon=pick(rng, texts.COLONS),
            weights=(0.72, 0.13, 0.15),
        ),
        note=note,
        denomination=_denomination(rng, (20, 30, 50, 100, 200, 300, 500), "CNY")
        if rng.random() < 0.95
        else None,
        qr=f"https://{pick(rng, ('recharge', 'pay', 'm'))}.example.cn/r?sn={number}"
        if rng.random() < 0.1
        else None,
        barcode=rng.random() < 0.15,
        small_print=_small_print(rng),
        **_finish(rng, texts.SCRATCH_HINTS, 0.25, (0.45, 0.15, 0.3, 0.1), 0.15, (28, 40)),
    )
