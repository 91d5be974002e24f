"""Files made to hurt: each is answered (a picture or one clear error) within a deadline
and under 600 MB of memory, measured in a child process so that a regression cannot
take the test run down with it."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from core.i18n import set_language
from ocr import UnreadableImageError
from ocr.image_io import MAX_PAGES_COUNTED, open_image, read_bytes

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero")

DEADLINE_S = 10.0
MAX_RSS_MB = 600

# Run in a child: open the file, print what the user would be told, or the size read.
CHILD = """
import json, sys
try:  # a regression must fail the test, not exhaust the machine
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
except ImportError:  # Windows: no limit, no measure
    resource = None
from ocr import UnreadableImageError
from ocr.image_io import open_image
try:
    im = open_image(sys.argv[1])
    said = {"shape": list(im.image.shape), "size": list(im.size), "notes": list(im.notes)}
except UnreadableImageError as exc:
    said = {"error": str(exc)}
try:  # this process's own peak: ru_maxrss would count the forking parent's pages too
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    said["rss_mb"] = int(hwm.split()[1]) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if resource else 0
    said["rss_mb"] = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # B / KB
print(json.dumps(said))
"""


def answer(path: Path) -> tuple[dict[str, object], float, str]:
    """(what the child printed, its peak RSS in MB, its stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CARDBIND_LANG": "en"},
    )
    try:
        out, err = proc.communicate(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"{path.name}: no answer within {DEADLINE_S:g} s")
    lines = out.strip().splitlines()
    assert lines, f"{path.name}: the child printed nothing; stderr: {err[-500:]}"
    said = json.loads(lines[-1])
    return said, float(said.pop("rss_mb")), err


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_of_size(path: Path, w: int, h: int, channels: int = 1, depth: int = 8) -> Path:
    """A real, complete PNG of w×h pixels, compressed row by row (tiny on disk)."""
    color = {1: 0, 3: 2, 4: 6}[channels]
    comp = zlib.compressobj(6)
    row = b"\x00" + b"\xc8" * (w * channels * depth // 8)
    idat = b"".join(comp.compress(row) for _ in range(h)) + comp.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, 0))
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )
    return path


def jpeg_claiming(path: Path, w: int, h: int) -> Path:
    """A small JPEG whose header claims w×h pixels."""
    small = cv2.imencode(".jpg", np.full((64, 64, 3), 200, np.uint8))[1].tobytes()
    sof = small.index(b"\xff\xc0")
    path.write_bytes(small[: sof + 5] + struct.pack(">HH", h, w) + small[sof + 9 :])
    return path


def tiff_pages(path: Path, pages: int) -> Path:
    """A TIFF of `pages` 64×64 grey pages sharing one strip of pixels."""
    pixels = b"\x80" * 4096
    first = 8 + len(pixels)
    tags = [
        (256, 3, 64),
        (257, 3, 64),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 8),
        (277, 3, 1),
        (278, 3, 64),
        (279, 4, 4096),
    ]
    size = 2 + 12 * len(tags) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", first) + pixels)
    for i in range(pages):
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        out += struct.pack("<I", first + (i + 1) * size if i + 1 < pages else 0)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    card = np.full((600, 950, 3), 235, np.uint8)
    cv2.putText(
        card, "E71D 5E47 33ED 50BA", (40, 320), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 4
    )
    jpeg = cv2.imencode(".jpg", card)[1].tobytes()
    png = cv2.imencode(".png", card)[1].tobytes()
    (d / "good.jpg").write_bytes(jpeg)
    (d / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (d / "truncated.png").write_bytes(png[: len(png) // 2])
    (d / "empty.jpg").write_bytes(b"")
    (d / "folder.jpg").mkdir()
    png_of_size(d / "13000x13000.png", 13000, 13000)
    png_of_size(d / "100000x1700.png", 100000, 1700)
    png_of_size(d / "49mp-rgba16.png", 7000, 7000, channels=4, depth=16)
    jpeg_claiming(d / "claims-30000x30000.jpg", 30000, 30000)
    jpeg_claiming(d / "claims-65000x65000.jpg", 65000, 65000)
    with open(d / "huge.jpg", "wb") as f:  # 1 GB, sparse: costs nothing on disk
        f.write(jpeg[:200])
        f.truncate(1024**3)
    pages = [Image.fromarray(card[..., ::-1]) for _ in range(3)]
    pages[0].save(d / "three-pages.tif", save_all=True, append_images=pages[1:])
    tiff_pages(d / "50000-pages.tif", 50_000)
    if sys.platform != "win32":
        (d / "z.jpg").symlink_to("/dev/zero")
        os.mkfifo(d / "f.jpg")
    return d


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.jpg", "is empty"),
        ("folder.jpg", "is a folder"),
        pytest.param("z.jpg", "not a picture file but a device, a pipe", marks=posix_only),
        pytest.param("f.jpg", "not a picture file but a device, a pipe", marks=posix_only),
        ("huge.jpg", "too large to be a photo of a card (1024 MB"),
        ("13000x13000.png", "too large: 13000×13000 pixels (169 megapixels)"),
        ("100000x1700.png", "too large: 100000×1700 pixels (170 megapixels)"),
        ("claims-65000x65000.jpg", "too large: 65000×65000 pixels"),
        ("truncated.jpg", "incomplete"),
        ("truncated.png", "incomplete"),
    ],
)
def test_a_hostile_file_gets_one_clear_error_in_time_and_memory(
    files: Path, name: str, words: str
) -> None:
    said, rss, err = answer(files / name)
    assert words in str(said.get("error")), said
    assert name in str(said["error"])
    assert rss < MAX_RSS_MB
    assert "DecompressionBomb" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "shape", "notes"),
    [
        ("good.jpg", [600, 950, 3], 0),
        ("49mp-rgba16.png", [7000, 7000, 3], 0),  # the largest full decode: bounded still
        ("claims-30000x30000.jpg", [3750, 3750, 3], 0),  # decoded by libjpeg at 1/8
        ("three-pages.tif", [600, 950, 3], 1),
        ("50000-pages.tif", [64, 64, 3], 1),
    ],
)
def test_a_big_or_odd_picture_is_read_within_bounds(
    files: Path, name: str, shape: list[int], notes: int
) -> None:
    said, rss, err = answer(files / name)
    assert said.get("shape") == shape, said
    assert len(said["notes"]) == notes  # type: ignore[arg-type]
    assert rss < MAX_RSS_MB
    assert "DecompressionBomb" not in err


def test_the_pages_left_unread_are_named(files: Path) -> None:
    assert open_image(files / "three-pages.tif").notes == (
        "three-pages.tif has 3 pages; only the first page was read. Save each page as its "
        "own picture to read the others.",
    )
    many = open_image(files / "50000-pages.tif")
    assert many.pages == MAX_PAGES_COUNTED
    assert f"{MAX_PAGES_COUNTED}+ pages" in many.notes[0]


def test_the_size_limit_is_checked_before_reading(files: Path) -> None:
    with pytest.raises(UnreadableImageError, match="too large"):
        read_bytes(files / "good.jpg", limit=1000)
    assert len(read_bytes(files / "good.jpg")) == (files / "good.jpg").stat().st_size


@posix_only
def test_a_pipe_is_refused_in_chinese_too(files: Path) -> None:
    set_language("zh_CN")
    with pytest.raises(UnreadableImageError) as err:
        open_image(files / "f.jpg")
    assert "f.jpg" in str(err.value)
    assert "device" not in str(err.value)
