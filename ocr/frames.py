"""Camera frames, read one after another: once a frame has found the password, the next
frames read only its neighbourhood (the card barely moves between two frames), which
costs a fraction of a whole read; when the password is not found there, the next frame
is read whole again. Each frame's reading then votes in `FrameConsensus`.
"""

from __future__ import annotations

import numpy as np

from ocr.pipeline import Options, read
from ocr.reading import Box, Reading


class FrameReader:
    """Reads camera frames for one card type, carrying where the password was."""

    def __init__(
        self, platform: str | None, tesseract_cmd: str = "", timeout_s: float = 20.0
    ) -> None:
        self.requested = platform  # as asked: None recognises it from the first good frame
        self.platform = platform
        self.tesseract_cmd = tesseract_cmd
        self.timeout_s = timeout_s
        self.hint: Box | None = None

    def read(self, frame: np.ndarray) -> Reading:
        opts = Options(
            self.platform,
            fast=True,
            tesseract_cmd=self.tesseract_cmd,
            timeout_s=self.timeout_s,
            hint=self.hint,
        )
        reading = read(frame, opts)
        pin = reading.fields.get("pin")
        # Follow only a password that was told apart from the other rows: a row in
        # doubt might be the card number, and following it would keep reading that.
        good = pin is not None and pin.value and pin.box and pin.doubt != "row"
        self.hint = pin.box if good and pin is not None else None
        if self.platform is None and good:
            self.platform = reading.platform
        return reading

    def reset(self) -> None:
        self.hint = None
