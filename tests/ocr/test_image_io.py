"""Files a user may drop on the app that are not usable pictures: one clear error each."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.i18n import set_language
from ocr import OcrError, UnreadableImageError, read_file, read_image
from ocr.image_io import as_bgr, decode_image, load_image


def _png_header_only(w: int, h: int) -> bytes:
    """A PNG whose header claims w×h pixels (no pixel data): costs nothing to make."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


@pytest.fixture
def jpeg_bytes() -> bytes:
    img = np.full((120, 200, 3), 200, np.uint8)
    cv2.putText(img, "1234", (10, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 0), 3)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok
    return buf.tobytes()


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("empty.jpg", lambda j: b"", "empty"),
        ("cut.jpg", lambda j: j[: len(j) // 2], "incomplete"),
        ("notes.png", lambda j: b"this is not a picture at all", "not a picture"),
        ("scan.pdf", lambda j: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (
            "dot.png",
            lambda j: cv2.imencode(".png", np.zeros((1, 1, 3), np.uint8))[1].tobytes(),
            "too small",
        ),
        ("huge.png", lambda j: _png_header_only(40000, 40000), "too large"),
    ],
)
def test_unusable_files_give_one_plain_error(
    tmp_path: Path, jpeg_bytes: bytes, name: str, make: object, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make(jpeg_bytes))  # type: ignore[operator]
    with pytest.raises(UnreadableImageError) as err:
        read_file(path)
    message = str(err.value)
    assert words in message
    assert name in message
    assert "Traceback" not in message
    assert "cv2" not in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableImageError, match="does not exist"):
        load_image(tmp_path / "nope.png")
    with pytest.raises(UnreadableImageError, match="folder"):
        load_image(tmp_path)


def test_errors_are_translated(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    set_language("zh_CN")
    with pytest.raises(OcrError) as err:
        read_file(path)
    assert "empty.png" in str(err.value)
    assert "empty" not in str(err.value).replace("empty.png", "")


def test_big_jpeg_is_decoded_at_reduced_size() -> None:
    big = np.full((4400, 5000, 3), 230, np.uint8)
    ok, buf = cv2.imencode(".jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 50])
    assert ok
    img = decode_image(buf.tobytes(), "big.jpg")
    assert img.shape[1] < 5000
    assert img.shape[1] >= 1250


def test_arrays_of_every_usual_layout_are_accepted_and_others_refused() -> None:
    grey = np.zeros((40, 60), np.uint8)
    assert as_bgr(grey).shape == (40, 60, 3)
    assert as_bgr(np.zeros((40, 60, 4), np.uint8)).shape == (40, 60, 3)
    with pytest.raises(UnreadableImageError):
        as_bgr(np.zeros((40, 60), np.float32))
    with pytest.raises(UnreadableImageError):
        read_image(np.zeros((1, 1, 3), np.uint8))
