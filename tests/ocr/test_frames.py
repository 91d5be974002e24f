"""Camera frames: after a good frame only the password's neighbourhood is read, and the
consensus over frames locks on the card's own code."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.consensus import FrameConsensus
from ocr.frames import FrameReader
from ocr.pipeline import Options, read
from ocr.ppocr import PPOCR
from ocr.synth import make_card, make_video

pytestmark = pytest.mark.tesseract


def test_a_still_card_is_followed_from_frame_to_frame_and_locks_on_its_code() -> None:
    video = make_video(301, "still", seconds=1.0)
    reader = FrameReader("jd")
    consensus = FrameConsensus("jd")
    tracked = []
    for frame in video.frames[:5]:
        reading = reader.read(frame)
        tracked.append("track" in reading.timings_ms)
        consensus.add(reading)
        if consensus.locked:
            break
    assert consensus.locked
    assert consensus.value == video.pin.replace("O", "0")
    assert tracked[0] is False  # the first frame is read whole
    assert all(tracked[1:])  # the next ones only where the password was


@pytest.mark.parametrize(
    ("seed", "kind", "first", "then"),
    [
        (405, "still", 0, 4),  # "PIN Code: 5107 …" cut to "de:5107 …"
        (401, "focus", 8, 12),  # "PIN Code 6961-…" cut to "INCode 6961-…"
    ],
)
@pytest.mark.extra_fonts
def test_a_label_cut_by_the_neighbourhoods_edge_does_not_stop_the_following(
    seed: int, kind: str, first: int, then: int
) -> None:
    # Store cards: the neighbourhood read after a good frame starts a quarter of the
    # code's width left of it and cuts the label before the code to its last letters,
    # which ran into the code as one run with lower-case letters, no code; every frame
    # was read whole again (three times the time).
    video = make_video(seed, kind, extra_fonts=True)
    whole = read(video.frames[first], Options("generic", fast=True))
    pin = whole.fields["pin"]
    assert pin.value == video.pin
    assert pin.box is not None
    followed = read(video.frames[then], Options("generic", fast=True, hint=pin.box))
    assert "track" in followed.timings_ms
    assert followed.fields["pin"].value == video.pin


def has_hint(reader: FrameReader) -> bool:
    # A call, not an attribute test, so the type checker does not keep the
    # first answer across reader.read(), which changes it.
    return reader.hint is not None


def test_when_the_card_leaves_the_frame_the_next_frame_is_read_whole() -> None:
    video = make_video(301, "still", seconds=1.0)
    reader = FrameReader("jd")
    reader.read(video.frames[0])
    assert has_hint(reader)
    blank = np.full_like(video.frames[0], 90)
    reading = reader.read(blank)
    assert reading.fields["pin"].value is None
    assert not has_hint(reader)
    assert "track" not in reader.read(video.frames[1]).timings_ms


def test_while_following_every_third_frame_is_read_whole() -> None:
    # Only a whole frame sees the card's other rows and labels: the following must not
    # go on for ever on a row that might be the card number.
    video = make_video(301, "still", seconds=1.0)
    reader = FrameReader("jd")
    kinds = ["track" in reader.read(f).timings_ms for f in video.frames[:7]]
    assert kinds == [False, True, True, False, True, True, False]


@pytest.mark.extra_fonts
def test_a_card_entering_number_first_locks_on_its_password_not_its_number() -> None:
    # Seed 305 enters the frame with its unlabelled card number (16 digits, like its
    # password) in view first; the password's label comes into view later.
    video = make_video(305, "enter", extra_fonts=True)
    reader = FrameReader("generic")
    consensus = FrameConsensus("generic")
    for frame in video.frames[::3]:
        consensus.add(reader.read(frame))
        if consensus.locked:
            break
    assert consensus.value != video.meta["fields"]["card_number"] or not consensus.locked
    # The frames read whole to check the followed row read the lines nearest to it first
    # (the card's), not the taller print of the document behind: they find the password
    # by its label, and the camera locks on it.
    assert consensus.locked
    assert consensus.value == video.pin


@pytest.mark.extra_fonts
def test_a_frame_read_whole_to_check_reads_the_card_before_the_document_behind_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seed 305's card lies on a document printed larger than the card: read whole in the
    # usual order, the camera's short plan spends itself on the document's lines. Read
    # nearest-first around the row being followed (here the card number's), it reaches
    # the password and its label. (Seen at the picture's view, as frames were when this
    # was found: at the camera's smaller view the detector boxes this frame otherwise,
    # and the usual order happens to reach the password too.)
    from ocr import pipeline
    from ocr.lines import DET_MAX_SIDE

    monkeypatch.setattr(pipeline, "FAST_DET_MAX_SIDE", DET_MAX_SIDE)
    video = make_video(305, "enter", extra_fonts=True)
    frame = video.frames[45]
    number_row = (340, 282, 267, 27)
    usual = read(frame, Options("generic", fast=True))
    # In the usual order the password is not reached; at most the card number's row is
    # offered in its place, in doubt (not told apart, so the camera would not follow it).
    assert usual.fields["pin"].value != video.pin
    assert usual.fields["pin"].value is None or usual.fields["pin"].doubt == "row"
    near = read(frame, Options("generic", fast=True, near=number_row))
    assert near.fields["pin"].value == video.pin


@pytest.mark.extra_fonts
def test_once_the_card_number_is_found_the_rows_beside_it_are_read_before_a_receipts() -> None:
    # Seed 406: a JD card lies on a receipt printed taller than the card's password row.
    # A frame's short plan found the card number by its label first; the lines read next
    # were the receipt's (taller), and the frame gave no password. Read nearest the
    # card number next, the password row just below it is read and told apart.
    video = make_video(406, "still", extra_fonts=True)
    got = read(video.frames[0], Options("jd", fast=True))
    assert got.fields["pin"].value == video.pin.replace("O", "0")
    assert got.fields["pin"].doubt is None


def test_a_camera_frame_is_seen_smaller_than_a_picture_and_still_locks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A camera frame read whole is seen at FAST_DET_MAX_SIDE, a picture at DET_MAX_SIDE:
    # the camera wants the password only, printed large, and its frames vote; the lock
    # comes sooner (benchmarks/camera_bench.py measures how much, docs/ocr.md). The
    # still card's frames still lock on its code at that view.
    from ocr.lines import DET_MAX_SIDE, FAST_DET_MAX_SIDE
    from ocr.ppocr import PPOCR

    seen: list[int] = []
    engine = PPOCR.get()
    detect = engine.detect

    def spy(image: np.ndarray, max_side: int) -> tuple[np.ndarray, np.ndarray]:
        seen.append(max_side)
        return detect(image, max_side)

    monkeypatch.setattr(engine, "detect", spy)
    video = make_video(301, "still", seconds=1.0)
    read(video.frames[0], Options("jd"))
    assert seen == [DET_MAX_SIDE]
    seen.clear()
    reader, consensus = FrameReader("jd"), FrameConsensus("jd")
    for frame in video.frames[::3]:
        consensus.add(reader.read(frame))
        if consensus.locked:
            break
    assert FAST_DET_MAX_SIDE < DET_MAX_SIDE
    assert seen[0] == FAST_DET_MAX_SIDE
    assert consensus.locked
    assert consensus.value == video.pin


def test_a_camera_frame_asks_the_second_recogniser_where_tesseract_alone_doubts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A clean JD card read as a camera frame: one Tesseract variant, which reads the 5 of
    # the password as an S. PP-OCR is sure of its 5; without a third reader the 5 stays
    # flagged in every frame, and a position every frame flags keeps the camera from
    # locking (docs/ocr.md, "The camera"). The older recogniser reads 5 too: certain.
    card = make_card(20, "clean")
    assert (card.platform, card.entered_pin[8]) == ("jd", "5")
    pin = read(card.image, Options("jd", fast=True)).fields["pin"]
    assert pin.value == card.entered_pin
    assert not pin.ambiguous()
    monkeypatch.setattr(PPOCR.get(), "second", None)
    pin = read(card.image, Options("jd", fast=True)).fields["pin"]
    assert pin.value == card.entered_pin
    assert [a["index"] for a in pin.ambiguous()] == [8]
