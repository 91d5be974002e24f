"""Pixels to code candidates (OpenCV, PP-OCR and Tesseract). Qt-free: takes numpy arrays.

from ocr import read_image, read_file, FrameConsensus, OcrError
reading = read_file("card.jpg", platform="jd")
reading.fields["pin"].value, reading.fields["pin"].ambiguous()
"""

from ocr.consensus import FrameConsensus
from ocr.errors import (
    OcrError,
    TesseractError,
    TesseractFailedError,
    TesseractNotFoundError,
    TesseractTimeoutError,
    TesseractUnusableError,
    UnreadableImageError,
)
from ocr.pipeline import prepare, read_file, read_image
from ocr.reading import CharReading, FieldReading, Reading
from ocr.tesseract import Tesseract, find_tesseract

__all__ = [
    "CharReading",
    "FieldReading",
    "FrameConsensus",
    "OcrError",
    "Reading",
    "Tesseract",
    "TesseractError",
    "TesseractFailedError",
    "TesseractNotFoundError",
    "TesseractTimeoutError",
    "TesseractUnusableError",
    "UnreadableImageError",
    "find_tesseract",
    "prepare",
    "read_file",
    "read_image",
]
