"""Normalization of typed, pasted and dictated text (docs/normalization.md)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes.normalize import (
    BIDI_CONTROLS,
    MAX_INPUT_CHARS,
    ZERO_WIDTH,
    normalize,
)
from core.codes.profiles import get_profile

JD = get_profile("jd").field("pin")
CMCC = get_profile("cmcc").field("pin")
GENERIC = get_profile("generic").field("pin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # width, case, spaces, separators
        ("ＥＧ１Ｄ５Ｅ４７", "EG1D5E47"),
        ("e71d-5e47_33ed·50ba", "E71D5E4733ED50BA"),
        ("E71D—5E47/33ED 50BA", "E71D5E4733ED50BA"),
        ("E71D\u00a05E47\u300033ED\t50BA", "E71D5E4733ED50BA"),
        # zero-width and invisible characters
        ("E71D\u200b5E47\u200c33ED\u200d50BA\u2060\ufeff\u00ad", "E71D5E4733ED50BA"),
        # Chinese numerals and radio readings
        ("零〇洞", "000"),
        ("一幺", "11"),
        ("二两", "22"),
        ("三四五六", "3456"),
        ("七拐八九勾", "77899"),
        # English digit words, oh, double / triple
        ("zero one two three four five six seven eight nine", "0123456789"),
        ("oh oh seven", "007"),
        ("double five", "55"),
        ("triple zero", "000"),
        ("one double two triple three", "122333"),
        ("double 7", "77"),
        # NATO words, x-ray with its hyphen
        ("alpha bravo charlie delta echo foxtrot", "ABCDEF"),
        ("golf hotel india juliett kilo lima mike", "GHIJKLM"),
        ("november oscar papa quebec romeo sierra tango", "NOPQRST"),
        ("uniform victor whiskey x-ray yankee zulu", "UVWXYZ"),
        ("Alfa Juliet Whisky Xray", "AJWX"),
        ("Seven 五 two", "752"),
        ("double bravo", "BB"),
        # Chinese letter prefixes
        ("大写A字母b", "AB"),
        ("小写c", "C"),
        # English letter prefixes
        ("capital a letter b", "AB"),
        # labels people paste along
        ("卡密：E71D-5E47", "E71D5E47"),
        ("密码:1234", "1234"),
        # Cyrillic / Greek look-alikes
        ("ЕВ12", "EB12"),  # Cyrillic Ie, Ve
        ("ΑΒ12", "AB12"),  # Greek Alpha, Beta
        ("о0", "O0"),  # Cyrillic small o
    ],
)
def test_forms_become_code_characters(text: str, expected: str) -> None:
    assert normalize(text).value == expected


def test_words_inside_a_code_group_stay_letters() -> None:
    # "BEEF" is not a spoken word and "ONE" glued to digits is not dictation.
    assert normalize("BEEF 12ONE3").value == "BEEF12ONE3"
    # A code's group that happens to spell a word stays letters: capitals or separators.
    assert normalize("0000-OH").value == "0000OH"
    assert normalize("ABCD ECHO").value == "ABCDECHO"
    assert normalize("abcd-echo").value == "ABCDECHO"


def test_double_at_the_end_is_not_swallowed() -> None:
    assert normalize("12 double").value == "12DOUBLE"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("ＡB", ["width"]),
        ("a", ["case"]),
        ("a b", ["case", "space", "case"]),
        ("\u200bA", ["invisible"]),
        ("A-B", ["separator"]),
        ("seven", ["spoken"]),
        ("幺", ["spoken"]),
        ("Е", ["lookalike"]),
        ("卡号 1", ["label", "space"]),
    ],
)
def test_every_change_is_reported(text: str, kinds: list[str]) -> None:
    assert [c.kind for c in normalize(text).changes] == kinds


def test_change_positions_point_into_the_input_and_the_value() -> None:
    result = normalize("ab seven", JD)
    spoken = next(c for c in result.changes if c.kind == "spoken")
    assert (spoken.position, spoken.source, spoken.target) == (3, "seven", "7")
    assert result.value[spoken.index or 0] == "7"


def test_alphabet_fix_only_where_unambiguous() -> None:
    # CMCC passwords are digits only: O, I, L, Z, B, G have exactly one digit twin.
    result = normalize("OILZBG", CMCC)
    assert result.value == "011286"
    assert {c.kind for c in result.changes} >= {"autofix"}
    # S could be 5 or 8 (Apple lists both), so it is left for the user to decide.
    assert normalize("S", CMCC).value == "S"


def test_jd_maps_o_to_zero_like_jd_itself() -> None:
    result = normalize("5OBA", JD)
    assert result.value == "50BA"
    assert [c.kind for c in result.changes] == ["platform"]


def test_generic_keeps_letters_that_are_in_its_alphabet() -> None:
    assert normalize("OIL", GENERIC).value == "OIL"


def test_undo_keeps_the_original_character() -> None:
    first = normalize("5OBA", JD)
    change = first.changes[0]
    undone = normalize("5OBA", JD, keep={change.key})
    assert undone.value == "5OBA"
    assert undone.changes == []


def test_undo_of_a_spoken_word_keeps_the_letters() -> None:
    assert normalize("seven", keep={(0, "spoken")}).value == "SEVEN"


def test_too_long_input_is_refused_without_work() -> None:
    result = normalize("A" * (MAX_INPUT_CHARS + 1))
    assert result.too_long
    assert result.value == ""


def test_direction_controls_are_reported_not_hidden() -> None:
    result = normalize("E71D\u202e5E47")
    assert result.bidi_positions == [4]


# --- properties -------------------------------------------------------------------

code_text = st.lists(
    st.sampled_from(
        list("0123456789ABCDEFabcdefOoIl -_·—/")
        + list("\u200b\u00a0\u3000ＡＢ１２零幺两拐勾洞")
        + ["seven ", "double ", "bravo ", "大写", "卡密："]
    ),
    max_size=30,
).map("".join)
anything = st.text(max_size=200)


@settings(max_examples=300)
@given(code_text)
def test_normalizing_twice_changes_nothing(text: str) -> None:
    once = normalize(text, JD).value
    assert normalize(once, JD).value == once


@settings(max_examples=300)
@given(anything)
def test_no_invisible_or_space_survives(text: str) -> None:
    value = normalize(text, JD).value
    assert not (set(value) & (ZERO_WIDTH | BIDI_CONTROLS))
    assert not any(c.isspace() for c in value)


@settings(max_examples=300)
@given(anything)
def test_any_text_normalizes_without_error(text: str) -> None:
    result = normalize(text, CMCC)
    assert isinstance(result.value, str)
    assert all(0 <= c.position < max(len(text), 1) for c in result.changes)
