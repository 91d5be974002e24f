"""Seeded synthetic prepaid cards with ground truth, for tests and benchmarks.

Cards of the kinds people hold, in three layouts:

jd_ecard  — JD E-cards (京东E卡): red body, red band or red stripe, a white panel with 卡号 and
            the 16-character 卡密 / 密码 (0-9A-Z with O, sometimes hex only), a Chinese
            usage note with www.jd.com and 400-606-5500, a denomination, sometimes a QR code.
gift_card — gift cards of brands we made up (English and Chinese) and Tmall / Taobao /
            Pinduoduo / Suning cards: Card Number / PIN / 卡号 / 密码 / 激活码 … left of, above
            or inline with the value, letters-and-digits or digit-only passwords (as long
            as the card number), terms with web addresses and 1-800 / 400 numbers, barcodes
            with a second printing of the number, QR codes, denominations.
recharge  — 中国移动 / 中国电信 / 中国联通 充值卡: 序列号 / 卡号 + 17-digit serial, 密码 + 18-digit
            password, 充值方法 note with 13800138000 / 10086 / 10000, 有效期至 dates, 面值.

Four tiers: clean (flat scan), photo (phone photo on a surface with clutter), scratched
(scan or photo with silver scratch-off residue over the password, per-character occlusion
recorded), hard (small card in a big frame, glare, low light, motion blur, heavy residue,
strong noise and JPEG, text-heavy clutter). Videos for the camera: make_video (video.py).

Fonts: the default mode needs only DejaVu (Debian fonts-dejavu-core), Pillow's bundled font
and the Noto CJK subset shipped in resources/synth/fonts/. `extra_fonts=True` adds the
system fonts of the Debian packages fonts-noto-cjk, fonts-liberation, fonts-liberation2,
fonts-freefont-ttf and fonts-dejavu-extra, where installed.

    card = make_card(7, "photo", platform="jd")
    card.image, card.pin, card.card_number, card.pin_boxes, card.truth()
    write_set("out", make_set(10))          # images + truth.json, as the benchmark samples
    python -m ocr.synth --out DIR --n 40 --seed 1
"""

from ocr.synth.card import (
    LAYOUTS,
    PLATFORMS,
    TIERS,
    Box,
    SynthCard,
    Tier,
    available_fonts,
    make_card,
    make_set,
)
from ocr.synth.io import write_set
from ocr.synth.video import VIDEO_KINDS, SynthVideo, make_video, write_video

__all__ = [
    "LAYOUTS",
    "PLATFORMS",
    "TIERS",
    "VIDEO_KINDS",
    "Box",
    "SynthCard",
    "SynthVideo",
    "Tier",
    "available_fonts",
    "make_card",
    "make_set",
    "make_video",
    "write_set",
    "write_video",
]
