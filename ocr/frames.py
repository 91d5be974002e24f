"""Camera frames, read one after another: once a frame has found the password, the next
frames read only its neighbourhood (the card barely moves between two frames), which
costs a fraction of a whole read; when the password is not found there, the next frame
is read whole again. Every WHOLE_EVERY-th frame is read whole even so: only a whole
frame sees the card's other rows and labels, so only it can tell that the row being
followed is the card number, and the consensus locks only on a value a whole frame
confirmed. Each frame's reading then votes in `FrameConsensus`.
"""

from __future__ import annotations

import numpy as np

from ocr.pipeline import Options, read
from ocr.reading import Box, Reading

WHOLE_EVERY = 3


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
        self.followed = 0  # frames read by following since the last whole one

    def read(self, frame: np.ndarray) -> Reading:
        follow = self.hint is not None and self.followed < WHOLE_EVERY - 1
        opts = Options(
            self.platform,
            fast=True,
            tesseract_cmd=self.tesseract_cmd,
            timeout_s=self.timeout_s,
            hint=self.hint if follow else None,
            near=None if follow else self.hint,
        )
        reading = read(frame, opts)
        self.followed = self.followed + 1 if "track" in reading.timings_ms else 0
        pin = reading.fields.get("pin")
        # Follow only a password that was told apart from the other rows: a row in
        # doubt might be the card number, and following it would keep reading that.
        good = pin is not None and pin.value and pin.box and pin.doubt != "row"
        found = pin is not None and bool(pin.value)
        if good and pin is not None:
            self.hint = pin.box
        elif follow or found:
            self.hint = None
        # else: a whole frame read only to check found nothing (a blurred frame reads
        # worse whole than in the followed row's neighbourhood): keep following.
        if self.platform is None and good:
            self.platform = reading.platform
        return reading

    def reset(self) -> None:
        self.hint = None
        self.followed = 0
