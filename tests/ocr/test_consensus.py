"""FrameConsensus over camera frame sequences (card.io's decayed per-position votes)."""

from __future__ import annotations

from ocr.consensus import FrameConsensus
from ocr.reading import CharReading, FieldReading, Reading

CODE = "E71D5E4733ED50BA"


def locked(fc: FrameConsensus) -> bool:
    # A function call, so the type checker does not carry one answer over to the next.
    return fc.locked


def frame(
    value: str,
    flagged: dict[int, tuple[str, ...]] | None = None,
    conf: float = 0.98,
    platform: str = "jd",
    *,
    followed: bool = False,
    told_apart: bool = True,
    doubt: str | None = None,
) -> Reading:
    flagged = flagged or {}
    chars = [
        CharReading(
            ch,
            0.6 if i in flagged else conf,
            flagged.get(i, ()),
            (i * 10, 0, 8, 12),
            "check" if i in flagged else "certain",
        )
        for i, ch in enumerate(value)
    ]
    pin = FieldReading("pin", value, chars, 0.9, None, True, doubt=doubt, told_apart=told_apart)
    # A followed frame (ocr/frames.py) says so in its timings, as the pipeline does.
    timings = {"track": 40.0} if followed else {}
    return Reading(platform, {"pin": pin}, timings_ms=timings)


def test_locks_after_consistent_frames_with_the_right_code() -> None:
    fc = FrameConsensus("jd")
    for _ in range(2):
        fc.add(frame(CODE))
        assert not locked(fc)  # one or two frames are not enough, however sure
    fc.add(frame(CODE))
    assert locked(fc)
    assert fc.value == CODE
    assert all(s >= 0.7 for s in fc.stability())
    reading = fc.reading()
    assert reading is not None
    assert reading.value == CODE
    assert not reading.ambiguous()


def test_a_misread_frame_does_not_lock_a_wrong_code() -> None:
    wrong = CODE[:5] + "F" + CODE[6:]  # E read as F in one frame, and confidently
    fc = FrameConsensus("jd")
    fc.add(frame(CODE))
    fc.add(frame(wrong))
    fc.add(frame(CODE))
    # Position 5 is split between two readings: not stable, not locked.
    assert fc.stability()[5] < 0.7
    assert not locked(fc)
    for _ in range(3):
        fc.add(frame(CODE))
    assert locked(fc)
    assert fc.value == CODE


def test_misreads_first_never_lock_the_misread() -> None:
    wrong = CODE[:5] + "F" + CODE[6:]
    fc = FrameConsensus("jd")
    seen_values = set()
    for f in (wrong, wrong, CODE, CODE, CODE, CODE):
        fc.add(frame(f))
        if locked(fc):
            seen_values.add(fc.value)
    assert seen_values == {CODE}


def test_frames_with_a_dropped_character_do_not_vote() -> None:
    fc = FrameConsensus("jd")
    for _ in range(3):
        fc.add(frame(CODE))
    assert fc.add(frame(CODE[:-1])) is False
    assert locked(fc)
    assert fc.value == CODE


def test_flagged_characters_stay_flagged_in_the_consensus() -> None:
    fc = FrameConsensus("jd")
    for _ in range(4):
        fc.add(frame(CODE, {3: ("0",)}))
    reading = fc.reading()
    assert reading is not None
    assert reading.chars[3].flagged
    assert "0" in reading.chars[3].alternatives


def test_a_flagged_character_is_shown_as_the_frames_read_it() -> None:
    # Each frame shows "D" at position 3 and flags it: Tesseract read "0" there, so the
    # frame's confidence in its "D" is near nothing. The camera shows what the frames
    # show, with "0" offered, not the other way round.
    fc = FrameConsensus("jd")
    for _ in range(4):
        r = frame(CODE, {3: ("0", "B")})
        pin = r.fields["pin"]
        pin.chars[3] = CharReading("D", 0.0, ("0", "B"), (30, 0, 8, 12), "check")
        fc.add(r)
    reading = fc.reading()
    assert reading is not None
    assert reading.value == CODE
    assert reading.chars[3].flagged
    assert reading.chars[3].alternatives[0] == "0"
    assert not locked(fc)


def test_a_value_that_breaks_the_format_never_locks() -> None:
    fc = FrameConsensus("jd")
    for _ in range(5):
        fc.add(frame("E71D5E4733ED50B"))  # 15 characters
    assert all(s >= 0.7 for s in fc.stability())
    assert not locked(fc)


def test_frames_of_another_platform_or_without_code_are_ignored() -> None:
    fc = FrameConsensus("jd")
    assert fc.add(frame(CODE, platform="cmcc")) is False
    assert fc.add(Reading("jd", {"pin": FieldReading("pin", None)})) is False
    assert fc.add(None) is False
    assert fc.value is None
    assert not locked(fc)
    fc.reset()
    assert fc.frames == 0


NUMBER = "2003948571620394"  # a card number of the same length and alphabet


def test_followed_frames_alone_never_lock() -> None:
    # The card entered the frame card-number first: the only row a whole frame saw was
    # the card number, so the password in view was not told apart, and the frames that
    # followed that row agree on it however long they go on.
    fc = FrameConsensus("jd")
    fc.add(frame(NUMBER, told_apart=False))
    for _ in range(6):
        fc.add(frame(NUMBER, followed=True))
        assert not locked(fc)
    # A whole frame with both rows in view tells the password apart: it takes over.
    for _ in range(6):
        fc.add(frame(CODE))
    assert locked(fc)
    assert fc.value == CODE


def test_a_whole_frame_in_doubt_about_the_row_withdraws_the_confirmation() -> None:
    fc = FrameConsensus("jd")
    fc.add(frame(CODE))
    fc.add(frame(CODE, followed=True))
    fc.add(frame(CODE, doubt="row"))  # this whole frame could not tell the rows apart
    for _ in range(3):
        fc.add(frame(CODE, followed=True))
        assert not locked(fc)
    fc.add(frame(CODE))
    assert locked(fc)


def test_a_whole_frame_confirms_the_same_row_despite_one_misread_character() -> None:
    fc = FrameConsensus("jd")
    fc.add(frame(CODE[:3] + "8" + CODE[4:], {3: ("B",)}))
    for _ in range(4):
        fc.add(frame(CODE, followed=True))
    assert locked(fc)
    assert fc.value == CODE


def test_a_position_every_frame_flags_is_left_to_the_user() -> None:
    # Stable (every frame reads the same), but never certain: no lock; the camera screen
    # keeps its button to take the picture, and the review asks about the position.
    fc = FrameConsensus("jd")
    for _ in range(8):
        fc.add(frame(CODE, {1: ()}))
    assert all(s >= 0.7 for s in fc.stability())
    assert not locked(fc)
