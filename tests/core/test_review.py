"""The review rules: every doubt is resolved by the user before a code can be bound."""

from __future__ import annotations

from core.codes.review import Flag, Review

PIN = "E71D5E4633ED50BA"


def review_with_doubts() -> Review:
    text = PIN[:13] + "?" + PIN[14:]
    return Review.from_reading(
        "jd",
        "pin",
        text,
        {
            7: Flag(("6", "G")),
            13: Flag(("?", "0", "D"), unreadable=True),
        },
    )


def test_doubts_block_until_resolved_one_by_one() -> None:
    r = review_with_doubts()
    assert r.blockers()
    assert r.unresolved() == [7, 13]
    r.confirm(7)
    assert r.unresolved() == [13]
    r.confirm(13)  # an unreadable character cannot be "confirmed" as "?"
    assert r.unresolved() == [13]
    r.choose(13, "0")
    assert r.ready
    assert r.value == PIN


def test_unreadable_is_explained_once_in_words() -> None:
    messages = review_with_doubts().blockers()
    assert sum("Character 14" in m for m in messages) == 1
    assert any("could not be read" in m for m in messages)


def test_marks_follow_their_characters_through_edits() -> None:
    r = review_with_doubts()
    # the user deletes the first group's first character and types it again
    r.set_text(PIN[1:13] + "?" + PIN[14:])
    assert sorted(r.flags) == [6, 12]
    r.set_text(PIN[:13] + "0" + PIN[14:])
    assert r.unresolved() == [7]  # the typed "0" is the user's own reading


def test_retyping_everything_drops_the_readers_marks() -> None:
    r = review_with_doubts()
    r.set_text("")
    r.set_text(PIN)
    assert r.flags == {}
    assert r.ready


def test_confirm_all_skips_characters_still_to_be_typed() -> None:
    r = review_with_doubts()
    assert r.confirm_all_readable() == [7]
    assert r.unresolved() == [13]


def test_guides_need_one_confirmation() -> None:
    r = Review("jd", "pin")
    r.set_text("E71D5E4G33ED50BA")
    assert r.blockers()
    assert any("Confirm that you checked" in m for m in r.blockers())
    r.guides_confirmed = True
    assert r.ready
    r.set_text("E71D5E4G33ED50BB")  # a new edit needs a new look
    assert not r.guides_confirmed


# -- doubts about the whole field (the count, the row) ----------------------------------

MISREAD = "1792564282625212"  # the card shows 17925 6428 26252: two characters too many


def misread_other_card() -> Review:
    """The reader's result on a photo of an "Other card": only character 15 marked."""
    return Review.from_reading("generic", "pin", MISREAD, {14: Flag(("1", "7"))}, groups=(5, 4, 5))


def test_a_length_range_keeps_the_count_open_after_every_character_is_picked() -> None:
    r = misread_other_card()
    r.confirm(14)
    assert r.unresolved() == []
    # One marked character checked is not the whole code checked.
    assert any("number of characters" in b for b in r.blockers())
    question = r.count_question()
    assert "16 characters" in question
    assert "(5 + 4 + 5) add up to 14" in question
    r.confirm_count()
    assert r.ready


def test_the_count_question_shows_the_grouping_as_printed() -> None:
    r = Review.from_reading("generic", "pin", "17925642826252", {}, groups=(5, 4, 5))
    assert r.display_groups() == [5, 4, 5]
    assert "14 characters, printed in groups of 5 + 4 + 5" in r.count_question()
    r.set_text("1792564282625")  # the user deletes one: the count needs a new look
    r.confirm_count()
    r.set_text("17925642826252")
    assert not r.count_confirmed


def test_a_length_doubt_on_a_fixed_length_card_is_asked_too() -> None:
    r = Review.from_reading("jd", "pin", PIN, {}, doubt="length")
    assert r.blockers()
    r.confirm_count()
    assert r.blockers() == []
    assert Review.from_reading("jd", "pin", PIN, {}).ready  # no doubt, nothing to ask


def test_a_row_doubt_asks_which_row_and_a_rival_is_checked_in_full() -> None:
    rival = "0A1B2C3D4E5F6A7B"
    r = Review.from_reading("jd", "pin", PIN, {}, doubt="row", rivals=(rival,))
    assert r.candidates() == [PIN, rival]
    assert any("Choose which row" in b for b in r.blockers())
    r.choose_row(rival)
    assert r.value == rival
    assert r.unresolved() == list(range(16))  # read with no marks: every one to check
    assert r.confirm_all_readable() == list(range(16))
    assert r.ready


def test_choosing_the_readers_own_row_keeps_its_marks() -> None:
    r = Review.from_reading(
        "jd", "pin", PIN, {7: Flag(("6", "G"))}, doubt="row", rivals=("0A1B2C3D4E5F6A7B",)
    )
    r.choose_row(PIN)
    assert r.value == PIN
    assert r.unresolved() == [7]


def test_a_row_doubt_without_rivals_marks_every_character() -> None:
    r = Review.from_reading("jd", "pin", PIN, {}, doubt="row")
    assert r.unresolved() == list(range(16))


def test_a_guide_on_a_character_checked_in_the_picker_needs_no_second_yes() -> None:
    # "G" is unusual in a JD code (a guide); the reader marked it, the user checked it.
    text = PIN[:7] + "G" + PIN[8:]
    r = Review.from_reading("jd", "pin", text, {7: Flag(("G", "6"))})
    assert r.result.by_tier("guide")
    r.confirm(7)
    assert r.blockers() == []
    assert r.ready


def test_another_card_type_keeps_the_marks_and_asks_the_count_as_that_type_does() -> None:
    code = "17925642826252"
    read = Review.from_reading(
        "cmcc", "pin", code, {i: Flag((c,)) for i, c in enumerate(code)}, doubt="format"
    )
    read.confirm(0)
    other = read.for_platform("generic")
    assert other.value == code
    assert other.unresolved() == list(range(1, len(code)))  # the answer given stays
    assert other.source == "ocr"
    assert other.count_doubt  # "Other card" codes come in many lengths
    assert not read.for_platform("generic").for_platform("jd").count_doubt
    # The copies do not share the marks: an answer given in one is not given in both.
    other.confirm(1)
    assert 1 in read.unresolved()


def test_the_readers_own_count_doubt_stays_with_every_card_type() -> None:
    read = Review.from_reading("generic", "pin", "ABCD1234EFGH567", {}, doubt="length")
    assert read.for_platform("jd").count_doubt
