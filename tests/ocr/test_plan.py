"""When the reader stops reading lines (ocr/plan.py)."""

from __future__ import annotations

import numpy as np
import pytest

from ocr import fields as F
from ocr.lines import Line, shifted
from ocr.plan import NEAREST, Plan, enough, upside_down
from tests.ocr.test_fields import text_line


def card(*password_row: Line) -> list[Line]:
    """A card with the given password row and a labelled card number below it."""
    return [
        *password_row,
        text_line("卡号：", 40, 180),
        text_line("1234 5678 9012 3456", 140, 180),
    ]


def test_reading_stops_once_both_labelled_codes_are_found() -> None:
    lines = card(text_line("PIN:", 40, 100), text_line("5WSZ 42T3 GCNG E64S", 140, 100))
    assert enough(F.candidates(lines), lines)


def test_a_box_between_a_label_and_its_value_has_the_row_read_whole() -> None:
    # The detector found the password's first group as a box of its own and lost the
    # second: the rest alone looks like a whole, shorter code named by the label.
    lines = card(
        text_line("PIN:", 40, 100),
        text_line("APQF", 140, 100),
        text_line("MTP4 H0BF", 340, 100),
    )
    cands = F.candidates(lines)
    assert any(c.label == "pin" and c.value == "MTP4H0BF" for c in cands)
    assert not enough(cands, lines)


def test_after_a_code_is_found_the_next_stage_reads_the_few_lines_nearest_it() -> None:
    # A card's two codes stand beside each other: after the card number, the lines
    # nearest it are read, a few, not the taller lines of a receipt further off, nor a
    # full stage of eight (a card's notes near the code cost more than the password's
    # row, which is among the nearest).
    number = text_line("1234 5678 9012 3456", 140, 180)
    password = text_line("5WSZ 42T3 GCNG E64S", 140, 240)
    notes = [text_line(f"NOTE LINE NUMBER {k} HERE", 140, 300 + 50 * k) for k in range(6)]
    receipt = [text_line(f"RECEIPT ITEM {k} 12.50", 900, 100 + 80 * k, 70.0) for k in range(8)]
    for k, ln in enumerate([number, password, *notes, *receipt]):
        ln.index = k
    plan = Plan([number, password, *notes, *receipt])
    plan.done.add(id(number))
    plan.stage = 1
    stage = plan.next(number)
    assert stage[0] is password
    assert len(stage) == NEAREST
    assert not any(ln in receipt for ln in stage)


class _Classifier:
    """The orientation classifier's answers, one per line, in order."""

    def __init__(self, p: list[float]) -> None:
        self.p = p

    def upside_down(self, crops: list[object]) -> list[float]:
        return self.p[: len(crops)]


def _across(line: Line) -> Line:
    """The same line turned to run down the picture (a sheet lying across the card)."""
    q = line.quad
    h = float(q[3][1] - q[0][1])
    length = float(q[1][0] - q[0][0])
    x, y = float(q[0][0]), float(q[0][1])
    turned = np.array([[x, y], [x, y + length], [x - h, y + length], [x - h, y]], np.float32)
    return Line(line.index, turned, line.score, line.crop, line.to_image, line.text)


def test_a_sheet_lying_across_the_card_does_not_turn_the_cards_rows() -> None:
    # Fresh seed 3232: a receipt under a JD card, turned by more than a quarter, with
    # large lines the classifier was sure were upside down; their votes turned the card's
    # password row, which was then read upside down and lost.
    card_rows = [
        text_line("卡密：", 40, 300, height=40),
        text_line("ADK4 N3IN I7CP PEF6", 200, 300, height=40),
    ]
    receipt = [
        _across(text_line("会员卡号8471171406", 60 + 70 * k, 380, height=60)) for k in range(6)
    ]
    lines = card_rows + receipt
    turned = upside_down(lines, _Classifier([0.45, 0.4] + [0.99] * 6))  # type: ignore[arg-type]
    assert turned[:2] == [False, False]
    assert turned[2:] == [True] * 6


def test_a_row_the_classifier_half_believes_turned_does_not_outvote_lines_it_is_sure_of() -> None:
    # Generated card 5550035: both codes printed in dots, which the orientation
    # classifier took for turned (0.96 and 0.84, their label 0.71), while it was sure to
    # 1e-11 of the labels and title around them. The dot rows' larger boxes outweighed
    # them and the codes were read upside down.
    lines = [
        text_line("充值卡序列号", 40, 100, height=37),
        text_line("81036583636603436", 40, 150, height=44),
        text_line("卡密", 40, 230, height=42),
        text_line("421337-130529-325612", 40, 280, height=49),
        text_line("中国联通充值卡", 40, 20, height=54),
    ]
    sure = _Classifier([1.8e-11, 0.84, 0.71, 0.96, 1.1e-14])
    assert upside_down(lines, sure) == [False] * 5  # type: ignore[arg-type]
    # A card turned whole is still turned whole.
    turned = _Classifier([1 - 1.8e-11, 0.2, 0.4, 0.1, 1 - 1.1e-14])
    assert upside_down(lines, turned) == [True] * 5  # type: ignore[arg-type]


def test_a_line_keeps_its_place_once_made() -> None:
    # The plan and the field assignment ask every pair of lines where they stand, and a
    # line works its measures out once (ocr/lines.py): a line moved in place would keep
    # its old centre. A moved line is a new line instead.
    ln = text_line("卡号：", 40, 180)
    centre = ln.centre.copy()
    with pytest.raises(ValueError, match="read-only"):
        ln.quad[0, 0] = 0.0
    moved = shifted(ln, 10.0, 0.0)
    assert np.allclose(moved.centre, centre + np.array([10.0, 0.0]))
    assert np.allclose(ln.centre, centre)
