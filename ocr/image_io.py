"""Load an image file safely: every way a file can be unusable becomes one clear error,
and a huge photo is decoded at reduced size so it costs bounded time and memory."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np

from core.i18n import _
from ocr.errors import UnreadableImageError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 400_000_000  # beyond this we refuse outright
REDUCE_ABOVE = 16_000_000  # JPEGs above this are decoded at 1/2, 1/4 or 1/8 size
MIN_SIDE = 16


def _header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the file header, without decoding the pixels."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            return int(im.size[0]), int(im.size[1])
    except Image.DecompressionBombError:
        # Pillow refuses to even open pictures this big; report it as too large.
        return 100_000, 100_000
    except Exception:
        return None


def _truncated(data: bytes) -> bool:
    body = data.rstrip(b"\x00")
    if data[:3] == b"\xff\xd8\xff":
        return not body.endswith(b"\xff\xd9")
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return b"IEND" not in data[-64:]
    return False


def decode_image(data: bytes, name: str = "") -> np.ndarray:
    """Decode image bytes to BGR uint8, or raise UnreadableImageError in plain words."""
    if not data:
        raise UnreadableImageError(_("The file {name} is empty.").format(name=name))
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableImageError(
            _("The file {name} is too large to be a photo of a card.").format(name=name))
    if data[:5] == b"%PDF-":
        raise UnreadableImageError(
            _("The file {name} is a PDF. Save the page as a picture (PNG or JPEG) and open "
              "that.").format(name=name))
    size = _header_size(data)
    if size is None:
        raise UnreadableImageError(
            _("The file {name} is not a picture cardbind can read (PNG, JPEG, BMP, TIFF or "
              "WebP).").format(name=name))
    w, h = size
    if w * h > MAX_PIXELS:
        raise UnreadableImageError(
            _("The picture {name} is too large ({mp} megapixels). Use a smaller photo.")
            .format(name=name, mp=round(w * h / 1e6)))
    if w < MIN_SIDE or h < MIN_SIDE:
        raise UnreadableImageError(
            _("The picture {name} is too small ({w}×{h} pixels) to hold a readable code.")
            .format(name=name, w=w, h=h))
    if _truncated(data):
        raise UnreadableImageError(
            _("The file {name} is incomplete (cut off while saving or copying). Copy or "
              "save it again.").format(name=name))
    flags = cv2.IMREAD_COLOR
    if data[:3] == b"\xff\xd8\xff" and w * h > REDUCE_ABOVE:
        # libjpeg can decode at 1/2, 1/4, 1/8 scale directly, at a fraction of the time
        # and memory of a full decode; the code text stays far above what we need.
        for factor, flag in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                             (2, cv2.IMREAD_REDUCED_COLOR_2)):
            if w * h / factor**2 >= REDUCE_ABOVE / 4:
                flags = flag
                break
    buf = np.frombuffer(data, np.uint8)
    img = cv2.imdecode(buf, flags | cv2.IMREAD_IGNORE_ORIENTATION)
    if img is None:
        raise UnreadableImageError(
            _("The file {name} could not be decoded as a picture; it may be damaged.")
            .format(name=name))
    if flags == cv2.IMREAD_COLOR:
        img = _apply_exif_orientation(data, img)
    return img


def _apply_exif_orientation(data: bytes, img: np.ndarray) -> np.ndarray:
    """Phones store portrait photos sideways with an EXIF note; turn them upright."""
    if data[:3] != b"\xff\xd8\xff":
        return img
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            orientation = int(im.getexif().get(0x0112, 1))
    except Exception:
        return img
    turns = {3: cv2.ROTATE_180, 6: cv2.ROTATE_90_CLOCKWISE, 8: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, turns[orientation]) if orientation in turns else img


def load_image(path: str | Path) -> np.ndarray:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise UnreadableImageError(_("The file {name} does not exist.").format(name=p.name)) \
            from None
    except IsADirectoryError:
        raise UnreadableImageError(_("{name} is a folder, not a picture.").format(name=p.name)) \
            from None
    except OSError as exc:
        raise UnreadableImageError(_("The file {name} cannot be read ({reason}).").format(
            name=p.name, reason=exc.strerror or exc)) from None
    return decode_image(data, p.name)


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
            _("The picture is too small ({w}×{h} pixels) to hold a readable code.")
            .format(w=w, h=h))
    return img
