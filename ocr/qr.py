"""QR codes on cards (Taobao binds by scanning one): found and decoded with OpenCV.

A decoded QR payload is certain (QR carries its own error correction), but it is bearer
money like any code: it is returned, never logged.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.reading import Box, FieldReading


def read_qr(work: np.ndarray, to_orig_scale: float = 1.0) -> FieldReading | None:
    """The QR payload in `work` (the image, or a copy scaled by `to_orig_scale`), or None
    when there is none or it cannot be decoded. The box is in original-image pixels."""
    det = cv2.QRCodeDetector()
    grey = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY) if work.ndim == 3 else work
    # A card's QR code is large; finding it on a small copy costs a fraction of the time.
    f = min(1.0, 900 / max(grey.shape[:2]))
    if f < 1.0:
        grey = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        to_orig_scale *= f
    try:
        found, pts = det.detect(grey)
        if not found or pts is None:
            return None
        payload, pts2, _ = det.detectAndDecode(grey)
    except cv2.error:
        return None
    if not payload:
        return None
    quad = (pts2 if pts2 is not None else pts).reshape(-1, 2) / to_orig_scale
    x0, y0 = quad.min(0)
    x1, y1 = quad.max(0)
    box: Box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
    return FieldReading(name="qr", value=payload, chars=[], confidence=1.0, box=box, format_ok=True)
