"""The per-group grammar: what a user may say for each position, and nothing else."""

from __future__ import annotations

import re

import pocketsphinx
import pytest

from core.codes.spoken import ENGLISH_DIGITS, LETTER_NAMES, NATO
from core.voice.grammar import (
    GroupSpec,
    char_for,
    group_spec,
    jsgf,
    parse_words,
    vocabulary,
    words_for,
)
from core.voice.lexicon import PRONUNCIATIONS, dictionary_text

HEX = "0123456789ABCDEF"


def rule_words(grammar: str) -> list[set[str]]:
    rules = dict(re.findall(r"<(p\d+)> = ([^;]+);", grammar))
    order = re.search(r"public <group> = ([^;]+);", grammar)
    assert order
    return [set(rules[name].split(" | ")) for name in re.findall(r"<(p\d+)>", order.group(1))]


def test_grammar_offers_exactly_the_allowed_characters_per_position() -> None:
    spec = GroupSpec.of(["8B", HEX, "0D", "7"])
    positions = rule_words(jsgf(spec))
    assert len(positions) == 4
    assert positions[0] == {"eight", "bravo", "bee"}
    assert positions[2] == {"zero", "oh", "delta", "dee"}
    assert positions[3] == {"seven"}
    # An open position takes digits and NATO words, but no rhyming letter names.
    assert {"alpha", "foxtrot", "nine", "niner"} <= positions[1]
    assert not positions[1] & set(LETTER_NAMES)
    assert "golf" not in positions[1]


def test_letter_names_can_be_allowed_everywhere_or_nowhere() -> None:
    spec = GroupSpec.uniform(HEX, 4)
    assert "bee" in vocabulary(spec, letter_names="always")
    assert "bee" not in vocabulary(spec, letter_names="narrow")
    assert "bee" not in vocabulary(GroupSpec.of(["8B"]), letter_names="never")


def test_oh_means_zero_or_the_letter_o_but_never_decides_between_them() -> None:
    assert "oh" in words_for("0", frozenset("0123"))
    assert "oh" in words_for("O", frozenset("OQ"))
    assert "oh" not in words_for("0", frozenset("0O"))
    assert char_for("oh", frozenset("0D")) == "0"
    assert char_for("oh", frozenset("OQ")) == "O"


def test_heard_words_become_characters_only_where_allowed() -> None:
    spec = GroupSpec.of(["8B", HEX, "0D", "7"])
    assert parse_words(["bravo", "foxtrot", "oh", "seven"], spec) == "BF07"
    assert parse_words(["bee", "niner", "dee", "seven"], spec) == "B9D7"
    assert parse_words(["three", "one", "zero", "seven"], spec) is None  # 3 not at 1
    assert parse_words(["eight", "one", "zero"], spec) is None  # too short


def test_group_spec_from_the_review_screen() -> None:
    # position 1 flagged 3/8 (read as 3), position 3 unreadable, the rest certain
    spec = group_spec("E3?D", {1: ["8"], 2: []}, HEX)
    assert spec.allowed[1] == frozenset("38")
    assert spec.allowed[2] == frozenset(HEX)
    assert spec.allowed[0] == frozenset(HEX)
    narrow = group_spec("E3?D", {1: ["8"], 2: []}, HEX, keep_certain=True)
    assert narrow.allowed[0] == frozenset("E")
    assert narrow.allowed[3] == frozenset("D")
    assert narrow.accepts("E8AD")
    assert not narrow.accepts("F8AD")


def test_group_spec_refuses_what_no_one_can_say() -> None:
    with pytest.raises(ValueError, match="at least one position"):
        GroupSpec.of([])
    with pytest.raises(ValueError, match="each position needs"):
        GroupSpec.of(["", "A"])
    with pytest.raises(ValueError, match="each position needs"):
        GroupSpec.of(["é"])


def test_every_spoken_word_has_a_pronunciation_in_the_models_phone_set() -> None:
    words = set(ENGLISH_DIGITS) | set(NATO) | set(LETTER_NAMES)
    assert words <= set(PRONUNCIATIONS)
    cmudict = pocketsphinx.get_model_path("en-us/cmudict-en-us.dict")
    with open(cmudict, encoding="utf-8") as f:
        phones = {p for line in f for p in line.split()[1:]}
    used = {p for prons in PRONUNCIATIONS.values() for pron in prons for p in pron.split()}
    assert used <= phones
    text = dictionary_text(["zero", "alpha"])
    assert "zero Z IH R OW\nzero(2) Z IY R OW\n" in text
