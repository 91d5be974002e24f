"""The second and third readings of the rows chosen as the card's codes.

Tesseract (ocr/tess_rows.py) reads each chosen row again, over the code's stretch, with
per-character alternatives; PP-OCR's second recogniser (v4) reads a row again only where
it could make an unsure character certain (docs/ocr.md, "A third reading"). Either
missing, the read goes on with the readers it has and says so.
"""

from __future__ import annotations

import logging

import numpy as np

from core.codes.profiles import Profile, get_profile
from ocr import fields as F
from ocr.errors import TesseractError
from ocr.lines import GLYPH_SHARE
from ocr.ppocr import PPOCR, CtcChar
from ocr.tess_rows import RowRead, read_rows
from ocr.tess_rows import prepare as prepare_rows
from ocr.tesseract import find_tesseract

log = logging.getLogger(__name__)


def second_reading(
    img: np.ndarray,
    rows: list[tuple[str, F.Candidate]],
    profile: Profile,
    notes: list[str],
    *,
    tesseract_cmd: str,
    timeout_s: float,
    fast: bool,
) -> tuple[list[RowRead], bool]:
    """Tesseract's readings of the chosen rows; (…, False) when Tesseract is missing or
    failed, said once in the notes."""
    if not rows:
        return [], True
    try:
        tess = find_tesseract(tesseract_cmd)
        alphabet = rows_alphabet(profile, [name for name, _c in rows])
        specs = [(c.line, c.x0, c.x1, GLYPH_SHARE * c.line.crop.shape[0]) for _n, c in rows]
        return read_rows(tess, img, specs, alphabet, timeout_s=timeout_s, fast=fast), True
    except TesseractError as exc:
        notes.append(str(exc))
        return [], False


def third_reading(engine: PPOCR, rows: list[tuple[str, F.Candidate]]) -> list[list[CtcChar]]:
    """The second recogniser's reading of each row, restricted to code characters over
    the value's stretch, separators left out; none when it is not loaded or fails (the
    two readers then decide alone, as the log says)."""
    if engine.second is None or not rows:
        return []
    # The value's stretch only, half a line height of margin each side: a label or a
    # note beside it would cost recogniser time for nothing.
    spans = []
    for _n, c in rows:
        pad, width = c.line.crop.shape[0] // 2, c.line.crop.shape[1]
        a = min(max(0, int(c.x0) - pad), max(0, width - 2))
        spans.append((a, max(a + 2, min(width, int(c.x1) + pad))))
    try:
        lines = engine.recognize(
            [c.line.crop[:, a:b] for (_n, c), (a, b) in zip(rows, spans, strict=True)],
            second=True,
        )
    except Exception as exc:  # onnxruntime's own, untyped, errors: read on without it
        log.warning("the third reading failed: %s", exc)
        return []
    out: list[list[CtcChar]] = []
    for (_n, cand), (a, _b), lt in zip(rows, spans, lines, strict=False):
        x0, x1 = cand.x0 - a, cand.x1 - a
        out.append(
            [
                CtcChar(c.char, c.prob, c.x0 + a, c.x1 + a, c.alts)
                for c in lt.restricted(F.CODE_CHARS, x0, x1)
                if c.char not in " -" and x0 <= (c.x0 + c.x1) / 2 <= x1
            ]
        )
    return out


def rows_alphabet(profile: Profile, names: list[str]) -> str:
    """What Tesseract may read on these rows: their alphabets and the characters their
    input maps take in (JD's O, read as its 0)."""
    return "".join(
        sorted(
            {
                ch
                for name in names
                for ch in profile.fields[name].alphabet + "".join(profile.fields[name].input_map)
            }
        )
    )


def prepare(platform: str, tesseract_cmd: str = "") -> None:
    """Get Tesseract ready for the first picture of this card type: its processes start
    and load their model now, while the user is still choosing the picture. Quiet when
    Tesseract is missing: the read itself says so in words."""
    try:
        tess = find_tesseract(tesseract_cmd)
        profile = get_profile(platform)
    except (TesseractError, KeyError):  # an unknown card type reads as "generic" later
        return
    names = [n for n in ("pin", "card_number") if n in profile.fields]
    prepare_rows(tess, rows_alphabet(profile, names))
