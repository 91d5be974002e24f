"""A video file read as the camera reads (`cardbind ocr VIDEO`): its frames go through
`FrameReader` and vote in `FrameConsensus`, as in the camera screen, until the code
locks or the video ends. The fields then come from one whole, careful read of a frame:
the frame the lock came on (its password replaced by the consensus, which every frame
agreed on), or, without a lock, the frame whose password the camera read surest — a
single picture's reading, with its own marks (docs/ocr.md, "A video file").
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.i18n import _
from ocr.consensus import CardConsensus
from ocr.errors import UnreadableImageError
from ocr.frames import FrameReader
from ocr.image_io import MAX_FILE_BYTES, check_kind
from ocr.pipeline import read_image
from ocr.reading import Reading

# A video of a card held up lasts seconds; a film would cost minutes of reading.
MAX_VIDEO_BYTES = 4 * MAX_FILE_BYTES
MAX_FRAMES_READ = 60
MAX_FRAMES_DECODED = 1800  # a minute at 30 frames a second
READ_EVERY_S = 0.15  # about as often as the camera screen's reader is free
_AVI = (b"RIFF", b"AVI ")
_MATROSKA = b"\x1a\x45\xdf\xa3"  # MKV, WebM
_MPEG = (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")
# ISO media files ("ftyp") that hold a still picture, not a video.
_STILL_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


# FFmpeg writes its complaints about a damaged file straight to the terminal; the user
# gets ours, in words. OpenCV reads this once, when FFmpeg is first used in the process,
# so it is set on import, before any video is opened (a value already set is left).
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")


@dataclass
class VideoReading:
    reading: Reading
    frames_read: int
    locked: bool


def is_video(path: str | Path) -> bool:
    """Whether the file starts as a video container does (AVI, MP4/MOV/3GP, MKV/WebM,
    MPEG). Only a regular file's first bytes are looked at: a FIFO or a device is left
    to the picture loader, which refuses it in words."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as f:
            head = f.read(12)
    except OSError:
        return False
    if head[:4] == _AVI[0] and head[8:12] == _AVI[1]:
        return True
    if head[4:8] == b"ftyp":
        return head[8:12] not in _STILL_BRANDS
    return head[:4] == _MATROSKA or head[:4] in _MPEG


def read_video(
    path: str | Path,
    platform: str | None = None,
    *,
    tesseract_cmd: str = "",
    timeout_s: float = 20.0,
) -> VideoReading:
    """Play the video's frames through the camera's reader and consensus; bounded to
    MAX_FRAMES_READ frames read and MAX_FRAMES_DECODED decoded."""
    import cv2

    p = Path(path)
    name = p.name
    try:
        st = os.stat(p)
    except OSError:
        raise UnreadableImageError(_("The file {name} does not exist.").format(name=name)) from None
    check_kind(st.st_mode, name)
    if st.st_size > MAX_VIDEO_BYTES:
        raise UnreadableImageError(
            _(
                "The video {name} is too long to be a card held up to the camera "
                "({size} MB; at most {limit} MB)."
            ).format(
                name=name,
                size=max(1, round(st.st_size / 1024 / 1024)),
                limit=MAX_VIDEO_BYTES // 1024 // 1024,
            )
        )
    cap = cv2.VideoCapture(str(p))
    try:
        if not cap.isOpened():
            raise _unreadable(name)
        fps = cap.get(cv2.CAP_PROP_FPS)
        step = max(1, round((fps if 1 <= fps <= 240 else 15.0) * READ_EVERY_S))
        reader = FrameReader(platform, tesseract_cmd, timeout_s)
        votes = CardConsensus(platform)
        best: tuple[int, np.ndarray] | None = None  # certain characters, frame
        locked_frame: np.ndarray | None = None
        last: np.ndarray | None = None
        decoded = read = 0
        while read < MAX_FRAMES_READ and decoded < MAX_FRAMES_DECODED:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            decoded += 1
            if (decoded - 1) % step:
                continue
            reading = reader.read(frame)
            read += 1
            last = frame
            votes.add(reading)
            pin = reading.fields.get("pin")
            if pin is not None and pin.value:
                sure = sum(c.tier == "certain" for c in pin.chars)
                if best is None or sure >= best[0]:
                    best = (sure, frame)
            if votes.current.locked:
                locked_frame = frame
                break
    finally:
        cap.release()
    if last is None:
        raise _unreadable(name)
    consensus = votes.current
    if locked_frame is not None:
        final = read_image(
            locked_frame, consensus.platform, tesseract_cmd=tesseract_cmd, timeout_s=timeout_s
        )
        agreed = consensus.reading()
        if agreed is not None:
            final.fields["pin"] = agreed
        final.notes.append(
            _("Read from a video: every character was the same over {n} pictures.").format(
                n=consensus.frames
            )
        )
        return VideoReading(final, read, True)
    chosen = best[1] if best is not None else last
    final = read_image(chosen, platform, tesseract_cmd=tesseract_cmd, timeout_s=timeout_s)
    final.notes.append(
        _(
            "Read from a video: the pictures did not lock on the code, so the clearest "
            "one was read on its own; check any marked characters."
        )
    )
    return VideoReading(final, read, False)


def _unreadable(name: str) -> UnreadableImageError:
    return UnreadableImageError(
        _(
            "The video {name} cannot be played (damaged, or in a format this computer "
            "cannot decode). Take a photo of the card instead."
        ).format(name=name)
    )
