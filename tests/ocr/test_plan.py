"""When the reader stops reading lines (ocr/plan.py)."""

from __future__ import annotations

from ocr import fields as F
from ocr.lines import Line
from ocr.plan import enough
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
