"""Validation tiers, ambiguity and the check result (docs/checks.md)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes.check import CheckWarning, check_code, luhn_ok
from core.codes.profiles import load_profiles
from core.i18n import set_language

GOOD = {
    "jd": "E71D5E4733ED50BA",
    "tmall": "1234567890123456",
    "taobao": "1234567890123456",
    "pdd": "1234567890123456",
    "suning": "1234567890123456",
    "cmcc": "123456789012345678",
    "generic": "ABCD1234",
}


def codes(result_warnings: Sequence[CheckWarning]) -> list[str]:
    return [w.code for w in result_warnings]


@pytest.mark.parametrize("pid", sorted(GOOD))
def test_a_well_formed_code_passes(pid: str) -> None:
    result = check_code(GOOD[pid], pid)
    assert result.ok, [w.message for w in result.warnings]
    assert result.value == GOOD[pid]
    assert result.display.replace(load_profiles()[pid].field("pin").separator, "") == GOOD[pid]


@pytest.mark.parametrize("pid", sorted(GOOD))
def test_wrong_length_blocks(pid: str) -> None:
    fmt = load_profiles()[pid].field("pin")
    result = check_code(GOOD[pid][: fmt.min_length - 1], pid)
    assert not result.ok
    assert "length" in codes(result.by_tier("block"))


def test_character_outside_the_alphabet_blocks_with_its_position() -> None:
    result = check_code("12345678901234567#", "cmcc")
    block = result.by_tier("block")
    assert [(w.code, w.index) for w in block] == [("not_allowed", 17)]
    assert "Character 18" in block[0].message


def test_out_of_alphabet_letter_with_twins_offers_them() -> None:
    result = check_code("12345678901234567S", "cmcc")
    (w,) = result.by_tier("block")
    assert w.code == "not_allowed_fix"
    assert "“5”" in w.message
    assert "“8”" in w.message
    assert result.ambiguous[-1].alternatives == ("S", "5", "8")


def test_jd_unusual_letter_must_be_confirmed_not_blocked() -> None:
    result = check_code("E71D5E4G33ED50BA", "jd")
    assert result.ok
    assert result.needs_confirmation
    (guide,) = result.by_tier("guide")
    assert (guide.code, guide.index) == ("unusual", 7)
    assert "“6”" in guide.message


def test_typed_look_alikes_are_flagged_with_their_twins() -> None:
    result = check_code("E71D5E4733ED50BA", "jd")
    flagged = {a.index: a.alternatives for a in result.ambiguous}
    assert flagged[14] == ("B", "8")  # B/8 are both hex
    assert flagged[3] == ("D", "0")
    assert 4 not in flagged  # 5: its twin S is not a usual JD character
    assert result.by_tier("hint")[0].code == "look_alikes"


def test_pasted_codes_have_no_visual_ambiguity() -> None:
    result = check_code("E71D5E4733ED50BA", "jd", source="pasted")
    assert result.ambiguous == []
    assert result.warnings == []


def test_platform_fix_is_a_hint_that_can_be_undone() -> None:
    result = check_code("E71D5E4733ED5OBA", "jd")
    assert result.value == "E71D5E4733ED50BA"
    hint = next(w for w in result.warnings if w.code == "changed")
    assert hint.index == 13
    undone = check_code("E71D5E4733ED5OBA", "jd", keep={(13, "platform")})
    assert undone.value == "E71D5E4733ED5OBA"
    assert not undone.ok


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("E71D\u202e5E4733ED50BA", "bidi"),
        ("E71D\x075E4733ED50BA", "control"),
        ("E71D😀5E4733ED50B", "not_allowed"),
        ("E71D5E4733ED50BA" * 200, "too_long"),
    ],
)
def test_bad_input_gets_a_block_not_a_traceback(text: str, code: str) -> None:
    result = check_code(text, "jd")
    assert not result.ok
    assert code in codes(result.by_tier("block"))
    assert all(w.message for w in result.warnings)


def test_ten_megabytes_is_refused_quickly_and_not_echoed() -> None:
    text = "A" * 10_000_000
    result = check_code(text, "jd")
    assert codes(result.warnings) == ["too_long"]
    assert len(result.to_json()["input"]) < 200


def test_messages_follow_the_language_when_read() -> None:
    result = check_code("123", "cmcc")
    english = result.warnings[0].message
    set_language("zh_CN")
    chinese = result.warnings[0].message
    assert english != chinese
    assert "中国移动充值卡" in chinese
    assert "China Mobile recharge card" in english


def test_json_shape_matches_the_contract() -> None:
    data = check_code("e71d 5e47 33ed 5oba", "jd").to_json()
    assert set(data) == {
        "platform",
        "field",
        "input",
        "value",
        "display",
        "changes",
        "ambiguous",
        "warnings",
        "ok",
    }
    assert data["value"] == "E71D5E4733ED50BA"
    assert data["display"] == "E71D-5E47-33ED-50BA"
    assert {"kind", "position", "from", "to"} <= set(data["changes"][0])
    assert {"index", "alternatives"} == set(data["ambiguous"][0])
    assert {"tier", "code", "index", "message"} == set(data["warnings"][0])
    assert data["ok"] is True


def test_luhn() -> None:
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")


# --- properties -------------------------------------------------------------------

PIDS = sorted(GOOD)


@settings(max_examples=300)
@given(st.sampled_from(PIDS), st.text(max_size=80))
def test_every_value_character_is_in_the_alphabet_or_flagged(pid: str, text: str) -> None:
    result = check_code(text, pid)
    fmt = load_profiles()[pid].field("pin")
    flagged = {w.index for w in result.warnings if w.tier == "block"}
    whole_blocked = any(w.tier == "block" and w.index is None for w in result.warnings)
    for i, c in enumerate(result.value):
        assert c in fmt.alphabet or i in flagged or whole_blocked


@settings(max_examples=300)
@given(st.sampled_from(PIDS), st.data())
def test_display_round_trips_to_value(pid: str, data: st.DataObject) -> None:
    fmt = load_profiles()[pid].field("pin")
    value = data.draw(st.text(alphabet=fmt.alphabet, min_size=1, max_size=fmt.max_length))
    result = check_code(value, pid, source="pasted")
    assert result.value == value
    assert check_code(result.display, pid, source="pasted").value == value
