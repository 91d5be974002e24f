"""What the words on a card say: labels, lines that are never codes, titles, face value."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ocr import labels as LB
from ocr.synth import codes as K


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("卡号：", "card_number"),
        ("卡号: 2072 8264 6570 4537", "card_number"),
        ("序列号：", "card_number"),
        ("Card Number 7371 2575 2806 7722", "card_number"),
        ("CARD NO. 7668 5246 8856 5209", "card_number"),
        ("Card # 7637 9158 5325 2013", "card_number"),
        ("SN:1001225800173", "card_number"),
        ("密码：", "pin"),
        ("卡密：IP1Y-JLWY-9NEA-F61M", "pin"),
        ("充值密码", "pin"),
        ("卡密码：", "pin"),  # a password although it holds 卡
        ("激活码：", "pin"),
        ("Security PIN", "pin"),
        ("PIN:", "pin"),
        ("Password", "pin"),
        ("ＰＩＮ：", "pin"),  # full-width
        ("卡弓:", "card_number"),  # one character misread, the colon still says label
    ],
)
def test_labels_name_their_field(text: str, kind: str) -> None:
    lab = LB.find_label(text)
    assert lab is not None
    assert lab.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "PINE CARD SERVICES",
        "NOTE: keep safe",
        "京东E卡",
        "5WSZ42T3",
        "会员卡号8471171406",
        # A code whose first characters spell a label after a digit: the code, whole.
        "7PIN4ABCDEF12345",
        "Q7SN94ABCDEF1234",
        "K8CARD9XYZ123456",
    ],
)
def test_words_that_merely_start_like_a_label_are_not_labels(text: str) -> None:
    assert LB.find_label(text) is None


def test_an_inline_label_ends_where_its_value_begins() -> None:
    text = "卡密：XY1C-MTFK-H0QU-6K0K"
    lab = LB.find_label(text)
    assert lab is not None
    assert LB.norm(text)[lab.end :] == "XY1C-MTFK-H0QU-6K0K"


def test_a_label_alone_on_its_line() -> None:
    assert LB.label_only("密码：") is not None
    assert LB.label_only("Card No.") is not None
    assert LB.label_only("密码：908549 763735") is None


@pytest.mark.parametrize(
    "text",
    [
        "客服热线：400-606-5500",
        "400-606-5500",
        "or call 1-800-555-0194. Issued by",
        "服务热线：10086",
        "拨打13800138000",
        "www.jd.com",
        "有效期至：2029年12月31日",
        "2024-05-17 13:57",
        "面值¥500",
        "¥237.85",
        "使用说明：1.登录京东商城",
        "Use this card for purchases",
        "IMG_20240929_114316_jpg",
        "TOTAL 121.29",
        "会员卡号8471171406",  # a receipt's member number, not the card's
        "客服 95588",
        "Hotline400 606 5500.",
        "Bs 50",
        "VIVA Bs. 10",
        "Rs. 100 only",
        "500RMB",
        "TEL:4006065500",
        "EXP 12/28",
        "200 USD",
        "200 UsD",  # a currency read in mixed case (generated card 5600019, hard)
    ],
)
def test_hotlines_addresses_dates_amounts_and_notes_are_never_codes(text: str) -> None:
    assert LB.is_not_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "7371 2575 2806 7722",
        "LZ70 PUSC CPL5 AP00",
        "F4HRE819X7B2QE6J",
        "卡密：35D3-1J6U-KXJ1-D76O",
        "908549 763735 806408",
        # A code's own letters and groups that spell something else: a currency and an
        # amount (RS7, BS5), a service number as a group (95428, 10086), a mobile
        # number inside a long run, a word (TEL, EXP, TAX, VISA) — all codes.
        "卡密:5XI5DJSTNG9R 7RS7",
        "QWBS5TYU12345678",
        "1234 5678 RS12 ABCD",
        "RS12 5678 ABCD 1234",
        "KFP5  H9PO  LV80  BS13",
        "SCD5  D6ER  MIBS  0XNV",
        "T7CO  HEXP  BZJJ  LESM  3OKD",
        "17925 95428 26252",
        "12345 10086 67890",
        "7713 8001 3800 0123",
        "771380013800012345",
        "7TEL9ABC1234XYZ5",
        "A3EXP7QWERTY1234",
        "X9TAX2WWW5VISA77",
        "1234.5678.90",
        "USD2XQ39GHNH0JD5",
        "148633:484591157213",  # a speck read as a colon: not the time 33:48
        "13327441-31525586.58",  # … as a dot: not an amount of 31,525,586.58
    ],
)
def test_codes_are_not_taken_for_something_else(text: str) -> None:
    assert not LB.is_not_code(text)


@pytest.mark.parametrize(
    ("texts", "platform"),
    [
        (["京东E卡", "JD E-CARD"], "jd"),
        (["中国移动通信 充值卡"], "cmcc"),
        (["CHINA MOBILE RECHARGE CARD"], "cmcc"),
        (["天猫超市卡"], "tmall"),
        (["FreshCo Grocers", "GIFT CARD"], None),
    ],
)
def test_the_title_names_the_platform(texts: list[str], platform: str | None) -> None:
    assert LB.platform_of(texts) == platform


@pytest.mark.parametrize(
    ("texts", "amount", "currency"),
    [
        (["京东E卡", "¥200"], "200", "CNY"),
        (["面值¥1000"], "1000", "CNY"),
        (["面值50元"], "50", "CNY"),
        (["200元"], "200", "CNY"),
        (["RMB 500"], "500", "CNY"),
    ],
)
def test_the_face_value_is_read(texts: list[str], amount: str, currency: str) -> None:
    d = LB.denomination(texts)
    assert d is not None
    assert (d.amount, d.currency) == (amount, currency)


@pytest.mark.parametrize(
    "texts",
    [
        ["¥237.85", "Subtotal"],  # a receipt's amount, not a face value
        ["¥200", "面值¥500"],  # two values disagree: none is trusted
        ["有效期至：2029年12月31日"],
        ["使用说明：1.登录京东商城www.jd.com，输入卡密即可完成绑定，面值以卡面为准"],
    ],
)
def test_no_face_value_is_made_up(texts: list[str]) -> None:
    assert LB.denomination(texts) is None


def test_a_long_label_glued_to_its_code_is_still_a_label() -> None:
    # The reader lost the space: "PASSWORD" is the label and the code starts after it.
    lab = LB.find_label("PASSWORDEOZ0-5SEB-MITR-V89P")
    assert lab is not None
    assert lab.kind == "pin"
    assert lab.end == len("PASSWORD")
    # A speck read as a dot between the code's groups does not hide that (seed 2626).
    lab = LB.find_label("PASSWORDDO0G.MLYKB5WFVIAZ")
    assert lab is not None
    assert lab.end == len("PASSWORD")
    # A word that goes on, or a short label run into letters, is not a label.
    assert LB.find_label("PASSWORDS ARE SECRET") is None
    assert LB.find_label("PASSWORDS. ARE SECRET") is None
    assert LB.find_label("PINE1234") is None


def test_a_long_label_with_a_letter_read_as_a_digit_is_still_a_label() -> None:
    # A clean card (seed 70700007): the reader gave "PASSW0RD" glued to the digits, and
    # the label went into the password as eight extra characters, one of them marked.
    lab = LB.find_label("PASSW0RD8951932881152759")
    assert lab is not None
    assert lab.kind == "pin"
    assert lab.end == len("PASSWORD")
    assert LB.find_label("5ERIAL NUMBER: 1234 5678") is not None
    # A short label is not guessed from digits: "P1N" may start a code.
    assert LB.find_label("P1N3XK7Q2M") is None


def test_a_long_label_that_lost_its_space_is_still_a_label() -> None:
    # A scratched card (seed 101000013): "CARD NO" read "CARDNO" and glued to the digits;
    # the card number came out as "CARDNO3119…" with one mark.
    lab = LB.find_label("CARDNO311961368870975470")
    assert lab is not None
    assert lab.kind == "card_number"
    assert lab.end == len("CARDNO")


def test_a_long_label_read_in_mixed_case_is_still_a_label() -> None:
    # Generated card 5580000: "Password" read "PasSWOrd" and glued to the code; the
    # break put where a lower-case letter meets a capital split the label in two, and
    # the password had no label and was lost.
    lab = LB.find_label("PasSWOrdVT2SY1AR0JZI")
    assert lab is not None
    assert lab.kind == "pin"
    assert LB.norm("PasSWOrdVT2SY1AR0JZI")[lab.end :].strip() == "VT2SY1AR0JZI"


def test_a_label_cut_down_to_its_first_character_names_no_field() -> None:
    # "卡密:" read as "卡:": 卡号 and 卡密 both start so; a guess would swap the rows.
    assert LB.find_label("卡:RQXW GPYK G1CG 8RB9") is None
    # One of the label's own characters left is enough: 卡弓 is 卡号, 密 is the password.
    lab = LB.find_label("卡弓:2314 8067")
    assert lab is not None
    assert lab.kind == "card_number"
    lab = LB.find_label("密:RQXW")
    assert lab is not None
    assert lab.kind == "pin"
    # A label read half right names its field, but not beyond doubt.
    assert not lab.strong
    assert LB.find_label("卡号:2314 8067").strong  # type: ignore[union-attr]


def test_a_label_whose_other_character_belongs_to_neither_names_no_field() -> None:
    # Generated seed 20200026 (hard): "卡密:" in small print read "卡图:". 卡 starts 卡号 and
    # 卡密 alike; taking it for 卡号 gave the password's row to the card number and the
    # card number's 16 digits to the password, two of them flagged.
    assert LB.find_label("卡图:EZ8CV8TIE6VUZUYK") is None
    lab = LB.find_label("号码:8144740247166397")
    assert lab is not None
    assert lab.kind == "card_number"


def test_a_short_label_glued_to_a_code_in_equal_groups_is_still_a_label() -> None:
    # Fresh seed 4747: "PIN" printed against the scratch panel, read with no space: the
    # code's first group is then three characters longer than its others.
    lab = LB.find_label("PINZO7T-7KS3-QA3M-AQWT")
    assert lab is not None
    assert lab.kind == "pin"
    assert LB.norm("PINZO7T-7KS3-QA3M-AQWT")[lab.end :] == "ZO7T-7KS3-QA3M-AQWT"
    # A code that merely starts with the letters of a label keeps them: its groups are
    # not of one size once they are taken off.
    assert LB.find_label("PINX-YYY1-ZZZ2-WWW3") is None
    assert LB.find_label("PINE CARD SERVICES") is None


def test_codes_as_the_generator_prints_them_are_codes_with_or_without_a_label() -> None:
    # Six thousand codes of every kind our generator draws, in the groups it prints:
    # none may be taken for a hotline, an amount or a word, nor lose characters to a
    # label it seems to spell (before: about one in 250, among them every recharge
    # code with a group 95xxx).
    rng = np.random.default_rng(7)
    kinds = ("pin", "number", "recharge_pin", "recharge_number", "digits")
    lost = []
    for i in range(6000):
        kind = kinds[i % len(kinds)]
        if kind == "pin":
            code = K.jd_pin(rng) if i % 2 else K.gift_pin(rng, int(rng.integers(12, 21)), False)
        elif kind == "digits":
            code = K.gift_pin(rng, int(rng.integers(12, 21)), True)
        else:
            code = K.card_number(rng, int(rng.choice([14, 16, 17, 18, 19, 20])))
        sizes, sep = K.grouping(rng, len(code), "pin" if kind == "digits" else kind)
        shown = K.group(code, sizes, sep)
        for text in (shown, "卡密：" + shown, "PIN " + shown):
            lab = LB.find_label(text)
            value = LB.norm(text)[lab.end :] if lab else LB.norm(text)
            if LB.is_not_code(text) or re.sub(r"[\s-]", "", value) != code:
                lost.append(text)
    assert lost == []
