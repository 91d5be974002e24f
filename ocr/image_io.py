"""Load an image file safely: every way a file can be unusable becomes one clear error,
and no file, however made, costs more than bounded time and memory.

The order matters (docs/hostile-input.md): only a regular file is opened (a FIFO, a
device or /dev/zero behind a friendly name is refused before anything is read); at most
`MAX_FILE_BYTES` are read; the format is told by its first bytes and only its header is
parsed; the size in the header is checked against the pixel budget BEFORE any decoding,
and a big JPEG is decoded at 1/2, 1/4 or 1/8 size by libjpeg itself.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from core.i18n import _
from ocr.errors import UnreadableImageError

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

# A phone photo is 2-30 MB, a scan of a card far less; a bigger file is not a card photo,
# and reading it whole would cost its size in memory.
MAX_FILE_BYTES = 100 * 1024 * 1024
# Pixels decoded at full size (3 bytes each in memory, about 1.3x that with the OCR's
# pyramid): a 600 dpi scan of an A4 page fits, a 13000x13000 picture does not.
MAX_DECODE_PIXELS = 50_000_000
# OpenCV refuses a header above this (CV_IO_MAX_IMAGE_PIXELS); a JPEG this big is
# refused even though 1/8 of it would fit, so the message can say why.
MAX_JPEG_PIXELS = 1 << 30
MAX_PAGES_COUNTED = 100
REDUCE_ABOVE = 16_000_000  # JPEGs above this are decoded at 1/2, 1/4 or 1/8 size
MIN_SIDE = 16

_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class LoadedImage:
    """A decoded picture (BGR uint8) and what the user should know about how it was read."""

    image: np.ndarray
    size: tuple[int, int]  # the picture's own width and height, before any reduction
    pages: int = 1
    # Translated sentences to show with the reading, e.g. that only page 1 was read.
    notes: tuple[str, ...] = field(default=())


def _format(data: bytes) -> str | None:
    """The format by its magic bytes: only the five the app promises, so that no other of
    Pillow's or OpenCV's decoders ever sees a file a user dropped on us."""
    if data.startswith(_JPEG):
        return "JPEG"
    if data.startswith(_PNG):
        return "PNG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data.startswith(b"BM"):
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _header(data: bytes, kind: str) -> Image.Image | None:
    """Pillow's reader for `kind`, which parses the header only (no pixels).

    The plugin class is used directly rather than `Image.open`, which would warn on
    stderr (DecompressionBombWarning) or refuse before telling the size; the size is
    checked here instead, against a tighter budget, before anything is decoded.
    """
    from PIL import BmpImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

    readers: dict[str, type[Image.Image]] = {
        "JPEG": JpegImagePlugin.JpegImageFile,
        "PNG": PngImagePlugin.PngImageFile,
        "TIFF": TiffImagePlugin.TiffImageFile,
        "BMP": BmpImagePlugin.BmpImageFile,
    }
    try:
        if kind == "WEBP":
            from PIL import WebPImagePlugin

            return WebPImagePlugin.WebPImageFile(io.BytesIO(data))
        return readers[kind](io.BytesIO(data))  # type: ignore[call-arg]
    except Exception:  # any malformed header: Pillow raises many kinds
        return None


def _truncated(data: bytes) -> bool:
    body = data.rstrip(b"\x00")
    if data.startswith(_JPEG):
        return not body.endswith(b"\xff\xd9")
    if data.startswith(_PNG):
        return b"IEND" not in data[-64:]
    return False


def _pages(im: Image.Image) -> int:
    """Pages in a TIFF, counted up to MAX_PAGES_COUNTED: Pillow's n_frames walks the
    whole chain, minutes for a small file holding 300,000 tiny pages."""
    pages = 1
    try:
        while pages < MAX_PAGES_COUNTED:
            im.seek(pages)
            pages += 1
    except EOFError:
        pass
    except Exception:  # a broken page chain: the pages before it are still there
        log.info("image: damaged page list after page %d", pages)
    return pages


def _reduced_flag(w: int, h: int) -> tuple[int, int]:
    """(cv2 flag, factor): libjpeg decodes at 1/2, 1/4, 1/8 directly, at a fraction of the
    time and memory of a full decode; the code text stays far above what OCR needs."""
    if w * h <= REDUCE_ABOVE:
        return cv2.IMREAD_COLOR, 1
    for factor, flag in (
        (8, cv2.IMREAD_REDUCED_COLOR_8),
        (4, cv2.IMREAD_REDUCED_COLOR_4),
        (2, cv2.IMREAD_REDUCED_COLOR_2),
    ):
        if w * h / factor**2 >= REDUCE_ABOVE / 4:
            return flag, factor
    return cv2.IMREAD_COLOR, 1  # not reached: w*h > REDUCE_ABOVE passes factor 2


def _too_large(name: str, w: int, h: int) -> UnreadableImageError:
    return UnreadableImageError(
        _(
            "The picture {name} is too large: {w}×{h} pixels ({mp} megapixels); cardbind "
            "reads pictures up to {limit} megapixels. Crop it to the card or save a smaller "
            "copy."
        ).format(name=name, w=w, h=h, mp=_megapixels(w * h), limit=MAX_DECODE_PIXELS // 1_000_000)
    )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.1f}" if pixels < 10_000_000 else str(round(pixels / 1e6))


def decode(data: bytes, name: str = "") -> LoadedImage:
    """Decode image bytes to BGR uint8, or raise UnreadableImageError in plain words."""
    if not data:
        raise UnreadableImageError(_("The file {name} is empty.").format(name=name))
    if len(data) > MAX_FILE_BYTES:
        raise _file_too_large(name, len(data))
    if data[:5] == b"%PDF-":
        raise UnreadableImageError(
            _(
                "The file {name} is a PDF. Save the page as a picture (PNG or JPEG) and open that."
            ).format(name=name)
        )
    kind = _format(data)
    header = _header(data, kind) if kind else None
    if header is None:
        raise UnreadableImageError(
            _(
                "The file {name} is not a picture cardbind can read (PNG, JPEG, BMP, TIFF or WebP)."
            ).format(name=name)
        )
    with header:
        w, h = (int(v) for v in header.size)
        pages = _pages(header) if kind == "TIFF" else 1
        orientation = _orientation(header) if kind == "JPEG" else 1
    if w < MIN_SIDE or h < MIN_SIDE:
        raise UnreadableImageError(
            _("The picture {name} is too small ({w}×{h} pixels) to hold a readable code.").format(
                name=name, w=w, h=h
            )
        )
    flag, factor = _reduced_flag(w, h) if kind == "JPEG" else (cv2.IMREAD_COLOR, 1)
    limit = MAX_JPEG_PIXELS if kind == "JPEG" else MAX_DECODE_PIXELS
    if w * h > limit or (w // factor) * (h // factor) > MAX_DECODE_PIXELS:
        raise _too_large(name, w, h)
    if _truncated(data):
        raise UnreadableImageError(
            _(
                "The file {name} is incomplete (cut off while saving or copying). Copy or "
                "save it again."
            ).format(name=name)
        )
    img = cv2.imdecode(np.frombuffer(data, np.uint8), flag | cv2.IMREAD_IGNORE_ORIENTATION)
    if img is None or img.ndim != 3 or img.shape[2] != 3:
        raise UnreadableImageError(
            _("The file {name} could not be decoded as a picture; it may be damaged.").format(
                name=name
            )
        )
    img = _upright(img, orientation)
    notes: tuple[str, ...] = ()
    if pages > 1:
        count = str(pages) if pages < MAX_PAGES_COUNTED else f"{MAX_PAGES_COUNTED}+"
        note = _(
            "{name} has {pages} pages; only the first page was read. Save each page "
            "as its own picture to read the others."
        ).format(name=name, pages=count)
        log.info("image %s: %s pages, the first one read", name, count)
        notes = (note,)
    return LoadedImage(img, (w, h), pages, notes)


def decode_image(data: bytes, name: str = "") -> np.ndarray:
    """`decode(...).image`, for callers that need the pixels only."""
    return decode(data, name).image


def _orientation(header: Image.Image) -> int:
    try:
        return int(header.getexif().get(0x0112, 1))
    except Exception:  # a damaged EXIF block: take the picture as it is stored
        return 1


def _upright(img: np.ndarray, orientation: int) -> np.ndarray:
    """Phones store portrait photos sideways with an EXIF note; turn them upright."""
    turns = {3: cv2.ROTATE_180, 6: cv2.ROTATE_90_CLOCKWISE, 8: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, turns[orientation]) if orientation in turns else img


def _file_too_large(name: str, size: int) -> UnreadableImageError:
    return UnreadableImageError(
        _(
            "The file {name} is too large to be a photo of a card ({size} MB; at most {limit} MB)."
        ).format(
            name=name, size=max(1, round(size / 1024 / 1024)), limit=MAX_FILE_BYTES // 1024 // 1024
        )
    )


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit`, or UnreadableImageError in words.

    Checked before reading: a FIFO would block for ever, /dev/zero never ends, a device
    may do something when opened. The file is opened without blocking and checked again
    on the open descriptor, so a name swapped in between cannot slip through.
    """
    p = Path(path)
    name = p.name
    try:
        before = os.stat(p)
        check_kind(before.st_mode, name)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableImageError(_("The file {name} does not exist.").format(name=name)) from None
    except PermissionError:
        raise UnreadableImageError(
            _("The file {name} cannot be read: cardbind is not allowed to open it.").format(
                name=name
            )
        ) from None
    except OSError as exc:
        raise UnreadableImageError(
            _("The file {name} cannot be read ({reason}).").format(
                name=name, reason=exc.strerror or exc
            )
        ) from None
    with open(fd, "rb", buffering=0) as f:
        try:
            st = os.fstat(fd)
            check_kind(st.st_mode, name)
            if st.st_size == 0:
                raise UnreadableImageError(_("The file {name} is empty.").format(name=name))
            if st.st_size > limit:
                raise _file_too_large(name, st.st_size)
            data = _read_at_most(f, limit + 1)
        except OSError as exc:
            raise UnreadableImageError(
                _("The file {name} cannot be read ({reason}).").format(
                    name=name, reason=exc.strerror or exc
                )
            ) from None
    if len(data) > limit:  # it grew while we read it
        raise _file_too_large(name, len(data))
    return data


def _read_at_most(f: io.RawIOBase, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = f.read(min(1 << 20, n - len(out)))
        if not chunk:
            break
        out += chunk
    return bytes(out)


def check_kind(mode: int, name: str) -> None:
    """A folder, a device, a pipe or a socket refused in words (`os.stat`'s mode): only
    a regular file is ever opened (ocr/video.py checks a video with it too)."""
    if stat.S_ISDIR(mode):
        raise UnreadableImageError(_("{name} is a folder, not a picture.").format(name=name))
    if not stat.S_ISREG(mode):
        raise UnreadableImageError(
            _(
                "{name} is not a picture file but a device, a pipe or a socket; open a "
                "picture file (PNG, JPEG, BMP, TIFF or WebP)."
            ).format(name=name)
        )


def open_image(path: str | Path) -> LoadedImage:
    """Read and decode a picture file; notes (e.g. pages left unread) come with it."""
    p = Path(path)
    return decode(read_bytes(p), p.name)


def load_image(path: str | Path) -> np.ndarray:
    """`open_image(path).image`, for callers that need the pixels only."""
    return open_image(path).image


def as_bgr(image: np.ndarray) -> np.ndarray:
    """Accept grey, BGR or BGRA uint8 arrays; anything else is refused in words."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise UnreadableImageError(_("The picture data is not an 8-bit image."))
    if image.ndim == 2:
        img = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.ndim == 3 and image.shape[2] == 3:
        img = image
    elif image.ndim == 3 and image.shape[2] == 4:
        img = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.ndim == 3 and image.shape[2] == 1:
        img = cv2.cvtColor(image[..., 0], cv2.COLOR_GRAY2BGR)
    else:
        raise UnreadableImageError(_("The picture data has an unexpected shape."))
    h, w = img.shape[:2]
    if w < MIN_SIDE or h < MIN_SIDE:
        raise UnreadableImageError(
            _("The picture is too small ({w}×{h} pixels) to hold a readable code.").format(w=w, h=h)
        )
    return img
