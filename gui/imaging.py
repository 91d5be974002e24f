"""QImage ↔ numpy conversions. They live in gui/ so that ocr/ and core/ stay Qt-free."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QColor, QImage, QPixmap


def qimage_to_bgr(image: QImage) -> np.ndarray:
    """A QImage of any format as a BGR uint8 array (a copy; the QImage may go away)."""
    if image.isNull():
        raise ValueError("null image")
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * h)
    arr = buf.reshape(h, stride)[:, : w * 3].reshape(h, w, 3)
    return np.ascontiguousarray(arr[:, :, ::-1])


def bgr_to_qimage(array: np.ndarray) -> QImage:
    """A BGR (or grey) uint8 array as a QImage that owns its pixels."""
    if array.ndim == 2:
        h, w = array.shape
        gray = np.ascontiguousarray(array)
        return QImage(gray.data, w, h, gray.strides[0], QImage.Format.Format_Grayscale8).copy()
    h, w = array.shape[:2]
    if array.shape[2] == 4:
        array = array[:, :, :3]
    rgb = np.ascontiguousarray(array[:, :, ::-1])
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888).copy()


def bgr_to_pixmap(array: np.ndarray) -> QPixmap:
    return QPixmap.fromImage(bgr_to_qimage(array))


def crop(
    array: np.ndarray,
    box: tuple[int, int, int, int],
    pad: float = 0.25,
    mark: str | None = None,
) -> np.ndarray:
    """The region `box` (x, y, w, h) with some margin, clipped to the image. A box taller
    than wide (a character of a code row) is widened about its centre to a square: the
    review shows it in a square, so the glyph is shown larger, with its neighbours as the
    user sees them on the card — and with `mark` (a colour, "#rrggbb") a frame drawn
    round the glyph itself, so the one asked about is plain among them."""
    gx, gy, gw, gh = box
    x, y, w, h = box
    if h > w:
        x, w = x - (h - w) // 2, h
    px, py = int(w * pad), int(h * pad)
    H, W = array.shape[:2]
    x0, y0 = max(0, x - px), max(0, y - py)
    x1, y1 = min(W, x + w + px), min(H, y + h + py)
    if x1 <= x0 or y1 <= y0:
        return array[0:1, 0:1].copy()
    out = array[y0:y1, x0:x1].copy()
    if mark is not None:
        out = _frame(out, (gx - x0, gy - y0, gw, gh), mark)
    return out


def _frame(piece: np.ndarray, box: tuple[int, int, int, int], colour: str) -> np.ndarray:
    """`piece` with a frame of `colour` round `box` (clipped), as thick as a stroke."""
    if piece.ndim == 2:
        piece = cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)
    q = QColor(colour)
    bgr = (q.blue(), q.green(), q.red())
    x, y, w, h = box
    t = max(1, round(h / 20))
    H, W = piece.shape[:2]
    cv2.rectangle(
        piece,
        (max(0, x - t), max(0, y)),
        (min(W - 1, x + w + t), min(H - 1, y + h)),
        bgr,
        t,
    )
    return piece
