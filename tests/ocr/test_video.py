"""`cardbind ocr VIDEO`: a video file is played as the camera plays it, and refused in
words when it cannot be."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from cli.main import main
from ocr.synth import SynthVideo, make_video, write_video
from ocr.video import is_video, read_video

pytestmark = pytest.mark.tesseract


def test_a_video_of_a_card_locks_and_gives_both_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A JD card held still: the frames agree on every character and lock, as on the
    # camera screen; the card number comes from a whole read of the frame it locked on.
    video = make_video(301, "still", seconds=1.0)
    path = tmp_path / "card.avi"
    write_video(str(path), video)
    code = main(["ocr", "--json", "--platform", "jd", str(path)])
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert code == 0
    assert line["video"]["locked"] is True
    assert line["fields"]["pin"]["value"] == video.pin
    assert line["fields"]["pin"]["ambiguous"] == []
    assert line["fields"]["card_number"]["value"] == video.meta["fields"]["card_number"]


def test_a_video_that_never_locks_gives_a_single_pictures_reading(tmp_path: Path) -> None:
    # No card in view: nothing agrees, nothing locks; the reading is one picture's, with
    # nothing found and a note that says what happened, not an error.
    blank = np.full((360, 640, 3), 128, np.uint8)
    path = tmp_path / "wall.avi"
    write_video(str(path), SynthVideo([blank] * 8, 15.0, "still", 0, "", None, "jd"))
    played = read_video(path, "jd")
    assert not played.locked
    assert played.frames_read == 4  # every other frame at 15 frames a second
    assert played.reading.fields["pin"].value is None
    assert any("did not lock" in note for note in played.reading.notes)


def test_a_damaged_video_is_refused_in_words(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "clip.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(4000))
    code = main(["ocr", str(junk)])
    err = capfd.readouterr().err
    assert code == 1
    assert "The video clip.mp4 cannot be played" in err
    assert "moov" not in err  # FFmpeg's own complaint stays out of the terminal


def test_videos_are_told_from_pictures_by_their_first_bytes(tmp_path: Path) -> None:
    def file(name: str, head: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(head + bytes(64))
        return p

    assert is_video(file("a.avi", b"RIFF\x00\x00\x00\x00AVI LIST"))
    assert is_video(file("a.mp4", b"\x00\x00\x00\x18ftypisom"))
    assert is_video(file("a.mov", b"\x00\x00\x00\x14ftypqt  "))
    assert is_video(file("a.webm", b"\x1a\x45\xdf\xa3"))
    # A WebP is RIFF too, and an iPhone's HEIC photo is an "ftyp" file: both pictures.
    assert not is_video(file("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "))
    assert not is_video(file("a.heic", b"\x00\x00\x00\x18ftypheic"))
    assert not is_video(file("a.png", b"\x89PNG\r\n\x1a\n"))
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    assert not is_video(fifo)  # never opened: the picture loader refuses it in words
