"""Tesseract on the code rows: the second reader, with per-character alternatives.

Each chosen row (the password, the card number) is cut again from the full picture at a
size Tesseract reads well, in a few preprocessing variants (ocr/prep.py), and all of them
go to one Tesseract process as a multi-page TIFF on stdin: no card image is written to
disk. Tesseract is told the alphabet the row may hold, so its alternatives are characters
the code can have.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr import prep as P
from ocr.hocr import OcrChar, OcrLine, parse_hocr
from ocr.lines import Line
from ocr.ppocr import crop_quad
from ocr.tess_spares import SPARES
from ocr.tesseract import Tesseract, run

TEXT_H = 36  # glyph height Tesseract's LSTM reads best at (about its training size)
PAD = 16
VARIANTS = ("lum", "soft", "bold")
FAST_VARIANTS = ("soft",)  # camera frames: one variant; the frames vote instead
ARGS = (
    "--psm",
    "7",
    "-c",
    "lstm_choice_mode=2",
    "-c",
    "hocr_char_boxes=1",
    "-c",
    "tessedit_do_invert=0",
)


@dataclass
class RowRead:
    """Tesseract's readings of one row, per variant, with boxes in line-crop pixels."""

    line: Line
    x0: float  # the row's extent in the line crop
    x1: float
    reads: dict[str, list[OcrChar]] = field(default_factory=dict)


def _args(alphabet: str) -> tuple[str, ...]:
    return (*ARGS, "-c", f"tessedit_char_whitelist={alphabet} -", "hocr")


def prepare(tess: Tesseract, alphabet: str) -> None:
    """Start the processes the next read of rows in this alphabet will use, ahead of it
    (ocr/tess_spares.py): the first picture after start-up is then read warm too."""
    SPARES.leave((tess.cmd, "stdin", "stdout", *_args(alphabet)), tess.env())


def _row_pages(
    image: np.ndarray,
    line: Line,
    x0: float,
    x1: float,
    glyph_h: float,
    *,
    variants: Sequence[str] = VARIANTS,
) -> tuple[list[np.ndarray], float]:
    """The row cut straight from the picture with glyphs TEXT_H tall, in each variant;
    and the scale from line-crop pixels to page pixels."""
    quad = line.sub_quad(x0, x1)
    crop_h_line = float(line.crop.shape[0])
    # The line crop is CROP_H tall for the line's box; glyphs fill about 60 % of it.
    target = round(crop_h_line * TEXT_H / max(glyph_h, 1.0))
    crop, _ = crop_quad(image, quad, pad=0.0, height=target)
    scale = crop.shape[1] / max(1.0, x1 - x0)
    pages = []
    for name in variants:
        img = P.VARIANTS[name](crop, TEXT_H)
        pages.append(cv2.copyMakeBorder(img, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255))
    return pages, scale


def read_rows(
    tess: Tesseract,
    image: np.ndarray,
    rows: Sequence[tuple[Line, float, float, float]],
    alphabet: str,
    *,
    timeout_s: float,
    fast: bool = False,
) -> list[RowRead]:
    """Read every (line, x0, x1, glyph height) row in every variant; two Tesseract
    processes when there is more than one row (one per core)."""
    out = [RowRead(ln, x0, x1) for ln, x0, x1, _gh in rows]
    jobs: list[tuple[int, str, np.ndarray, float]] = []
    variants = FAST_VARIANTS if fast else VARIANTS
    for i, (ln, x0, x1, gh) in enumerate(rows):
        pages, scale = _row_pages(image, ln, x0, x1, gh, variants=variants)
        for name, page in zip(variants, pages, strict=True):
            jobs.append((i, name, page, scale))
    if not jobs:
        return out
    args = _args(alphabet)
    halves = [jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :]] if len(rows) > 1 else [jobs]

    def work(part: list[tuple[int, str, np.ndarray, float]]) -> list[OcrLine | None]:
        if not part:
            return []
        ok, buf = cv2.imencodemulti(".tiff", [p for _i, _n, p, _s in part])
        if not ok:
            return [None] * len(part)
        lines = parse_hocr(run(tess, buf.tobytes(), args, timeout_s))
        res: list[OcrLine | None] = [None] * len(part)
        for ln in lines:
            if 0 <= ln.page < len(part):
                prev = res[ln.page]
                if prev is None or len(ln.chars) > len(prev.chars):
                    res[ln.page] = ln
        return res

    if len(halves) == 1:
        results = [work(halves[0])]
    else:
        with ThreadPoolExecutor(max_workers=2) as ex:
            results = list(ex.map(work, halves))
    flat = [r for part in results for r in part]
    for (i, name, _page, scale), line in zip(jobs, flat, strict=True):
        row = out[i]
        chars: list[OcrChar] = []
        if line is not None:
            for c in line.chars:
                if not c.text or c.text in " -":
                    continue
                x, y, w, h = c.box
                # Page pixels back to line-crop pixels.
                bx = row.x0 + (x - PAD) / scale
                chars.append(
                    OcrChar(c.text, c.conf, (round(bx), y, max(1, round(w / scale)), h), c.choices)
                )
        row.reads[name] = chars
    return out
