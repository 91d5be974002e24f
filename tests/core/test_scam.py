"""When the scam question is asked for a card's value (docs/scam-check.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.bind.scam import high_amount_first_time, largest_bound, parse_face_value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500", Decimal(500)),
        ("1,000", Decimal(1000)),
        ("¥200", Decimal(200)),
        ("￥200", Decimal(200)),
        ("１０００元", Decimal(1000)),
        (" 1000 元 ", Decimal(1000)),
        ("RMB 2000", Decimal(2000)),
        ("50.5", Decimal("50.5")),
    ],
)
def test_values_as_people_type_them(text: str, value: Decimal) -> None:
    assert parse_face_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "0", "-5", "1e9", "五百", "12.345", "\u200b"])
def test_anything_else_is_not_a_value(text: str) -> None:
    assert parse_face_value(text) is None


def test_largest_bound_ignores_garbage() -> None:
    assert largest_bound([None, "100.00", "oops", "NaN", "2000.00", "50"]) == Decimal(2000)
    assert largest_bound([]) == 0


def test_only_a_high_value_above_everything_bound_before_is_asked_about() -> None:
    assert high_amount_first_time(Decimal(1000), Decimal(0), 1000)
    assert not high_amount_first_time(Decimal(999), Decimal(0), 1000)
    assert not high_amount_first_time(Decimal(1000), Decimal(1000), 1000)
    assert high_amount_first_time(Decimal(2000), Decimal(1000), 1000)
    assert not high_amount_first_time(None, Decimal(0), 1000)
