"""The review rules: every doubt is resolved by the user before a code can be bound."""

from __future__ import annotations

from core.codes.review import Flag, Review

PIN = "E71D5E4633ED50BA"


def review_with_doubts() -> Review:
    text = PIN[:13] + "?" + PIN[14:]
    return Review.from_reading("jd", "pin", text, {
        7: Flag(("6", "G")),
        13: Flag(("?", "0", "D"), unreadable=True),
    })


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
