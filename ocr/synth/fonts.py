"""Fonts for the generated cards, and glyph and text rendering with them.

Default mode needs no font beyond DejaVu (Debian's fonts-dejavu-core) and what the
repository ships: Pillow's bundled font and a subset of Noto Sans CJK SC / Noto Sans Mono
CJK SC under resources/synth/fonts/ that covers every character of texts.py. Without
DejaVu it still works, on the shipped fonts alone. `extra=True` adds the system fonts of
the packages named in ocr/synth/__init__.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.resources import resource_path

# Where installed fonts are looked up; tests empty it to prove the default mode needs none.
FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts", "/usr/local/share/fonts")
SUBSET_DIR = ("synth", "fonts")


@dataclass(frozen=True)
class Face:
    """One way of drawing text: a font file plus an optional synthetic style."""

    name: str
    path: str  # "" = Pillow's bundled font
    index: int = 0
    cjk: bool = False  # has the CJK glyphs of texts.py
    mono: bool = False
    xscale: float = 1.0  # < 1: a condensed cut made by squeezing the glyphs
    embolden: float = 0.0  # stroke width as a share of the em: a bold cut
    dotmatrix: bool = False  # glyphs resampled onto a dot grid


def _subset(name: str) -> str:
    return str(resource_path(*SUBSET_DIR, name))


# The shipped CJK subsets (resources/synth/fonts/README.md).
NOTO_SANS = "NotoSansCJKsc-Regular.subset.otf"
NOTO_SANS_BOLD = "NotoSansCJKsc-Bold.subset.otf"
NOTO_MONO = "NotoSansMonoCJKsc-Regular.subset.otf"
NOTO_MONO_BOLD = "NotoSansMonoCJKsc-Bold.subset.otf"


def find_font(filename: str) -> str | None:
    """The path of an installed font file, or None."""
    return _find_font(filename, FONT_DIRS)


@cache
def _find_font(filename: str, dirs: tuple[str, ...]) -> str | None:
    for root in dirs:
        for dirpath, _dirs, files in os.walk(root):
            if filename in files:
                return os.path.join(dirpath, filename)
    return None


# (display name, file, mono, xscale, embolden): DejaVu as in fonts-dejavu-core.
_DEJAVU = (
    ("DejaVu Sans", "DejaVuSans.ttf", False, 1.0, 0.0),
    ("DejaVu Sans Bold", "DejaVuSans-Bold.ttf", False, 1.0, 0.0),
    ("DejaVu Sans Mono", "DejaVuSansMono.ttf", True, 1.0, 0.0),
    ("DejaVu Sans Mono Bold", "DejaVuSansMono-Bold.ttf", True, 1.0, 0.0),
    ("DejaVu Serif", "DejaVuSerif.ttf", False, 1.0, 0.0),
    ("DejaVu Serif Bold", "DejaVuSerif-Bold.ttf", False, 1.0, 0.0),
    ("DejaVu Sans (narrowed)", "DejaVuSans.ttf", False, 0.8, 0.0),
    ("DejaVu Sans Bold (narrowed)", "DejaVuSans-Bold.ttf", False, 0.82, 0.0),
)
# Extra system fonts (benchmarks): fonts-liberation(2), fonts-freefont-ttf,
# fonts-dejavu-extra, fonts-noto-cjk.
_EXTRA = (
    ("Liberation Sans", "LiberationSans-Regular.ttf", False),
    ("Liberation Sans Bold", "LiberationSans-Bold.ttf", False),
    ("Liberation Sans Narrow", "LiberationSansNarrow-Regular.ttf", False),
    ("Liberation Sans Narrow Bold", "LiberationSansNarrow-Bold.ttf", False),
    ("Liberation Serif", "LiberationSerif-Regular.ttf", False),
    ("Liberation Serif Bold", "LiberationSerif-Bold.ttf", False),
    ("Liberation Mono", "LiberationMono-Regular.ttf", True),
    ("Liberation Mono Bold", "LiberationMono-Bold.ttf", True),
    ("FreeSans", "FreeSans.ttf", False),
    ("FreeSans Bold", "FreeSansBold.ttf", False),
    ("FreeSerif Bold", "FreeSerifBold.ttf", False),
    ("FreeMono", "FreeMono.ttf", True),
    ("FreeMono Bold", "FreeMonoBold.ttf", True),
    ("DejaVu Sans Condensed", "DejaVuSansCondensed.ttf", False),
    ("DejaVu Sans Condensed Bold", "DejaVuSansCondensed-Bold.ttf", False),
    ("DejaVu Serif Condensed Bold", "DejaVuSerifCondensed-Bold.ttf", False),
)
# (display name, ttc file, index in the collection, mono)
_EXTRA_CJK = (
    ("Noto Sans CJK SC (full)", "NotoSansCJK-Regular.ttc", 2, False),
    ("Noto Sans CJK SC Bold (full)", "NotoSansCJK-Bold.ttc", 2, False),
    ("Noto Sans Mono CJK SC (full)", "NotoSansCJK-Regular.ttc", 7, True),
    ("Noto Sans Mono CJK SC Bold (full)", "NotoSansCJK-Bold.ttc", 7, True),
    ("Noto Serif CJK SC (full)", "NotoSerifCJK-Regular.ttc", 2, False),
    ("Noto Serif CJK SC Bold (full)", "NotoSerifCJK-Bold.ttc", 2, False),
)


def _shipped_cjk() -> list[Face]:
    return [
        Face("Noto Sans CJK SC", _subset(NOTO_SANS), cjk=True),
        Face("Noto Sans CJK SC Bold", _subset(NOTO_SANS_BOLD), cjk=True),
        Face("Noto Sans Mono CJK SC", _subset(NOTO_MONO), cjk=True, mono=True),
        Face("Noto Sans Mono CJK SC Bold", _subset(NOTO_MONO_BOLD), cjk=True, mono=True),
    ]


def code_faces(extra: bool = False) -> list[Face]:
    """Faces for the codes, in a fixed order (seeds pick by index)."""
    faces = [
        Face("Pillow default (Aileron)", ""),
        Face("Pillow default (Aileron) Bold", "", embolden=0.03),
    ]
    mono_for_dots: list[Face] = []
    for name, file, mono, xscale, bold in _DEJAVU:
        path = find_font(file)
        if path:
            faces.append(Face(name, path, mono=mono, xscale=xscale, embolden=bold))
            if mono and "Bold" not in name:
                mono_for_dots.append(faces[-1])
    shipped = _shipped_cjk()
    faces += [f for f in shipped if f.mono] + [shipped[1]]
    mono_for_dots.append(shipped[2])
    if extra:
        for name, file, mono in _EXTRA:
            path = find_font(file)
            if path:
                faces.append(Face(name, path, mono=mono))
                if mono and "Bold" not in name:
                    mono_for_dots.append(faces[-1])
        for name, file, index, mono in _EXTRA_CJK:
            path = find_font(file)
            if path:
                faces.append(Face(name, path, index, cjk=True, mono=mono))
    faces += [
        Face(f"{f.name} (dot matrix)", f.path, f.index, f.cjk, True, dotmatrix=True)
        for f in mono_for_dots[:3]
    ]
    return faces


# The Debian and Ubuntu packages `extra=True` draws with (ocr/synth/__init__.py).
EXTRA_PACKAGES = (
    "fonts-noto-cjk",
    "fonts-liberation",
    "fonts-liberation2",
    "fonts-freefont-ttf",
    "fonts-dejavu-extra",
)


def missing_extra_fonts() -> list[str]:
    """The font files of `extra=True` this machine lacks. Where any is missing the same
    seed draws another card, so a test pinned to a card drawn with them cannot run here."""
    files = [file for _name, file, _mono in _EXTRA]
    files += [file for _name, file, _index, _mono in _EXTRA_CJK]
    return [file for file in dict.fromkeys(files) if find_font(file) is None]


def label_faces(extra: bool = False) -> list[Face]:
    """CJK-capable faces for labels, titles and notes."""
    faces = _shipped_cjk()
    if extra:
        for name, file, index, mono in _EXTRA_CJK:
            path = find_font(file)
            if path:
                faces.append(Face(name, path, index, cjk=True, mono=mono))
    return faces


def latin_faces(extra: bool = False) -> list[Face]:
    """Faces for English titles, labels and terms (no CJK)."""
    return [f for f in code_faces(extra) if not f.dotmatrix and not f.mono] or code_faces()


@lru_cache(maxsize=256)
def pil_font(path: str, index: int, size: int) -> Any:
    if not path:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size, index=index)


@lru_cache(maxsize=64)
def cap_ratio(face: Face) -> float:
    """Height of a capital / digit as a share of the em (so sizes are given by cap height)."""
    font = pil_font(face.path, face.index, 100)
    _, top, _, bottom = font.getbbox("H08", anchor="ls")
    return max(0.3, float(bottom - top) / 100.0)


def em_for_cap(face: Face, cap_px: float) -> int:
    return max(6, round(cap_px / cap_ratio(face)))


@dataclass(frozen=True)
class Glyph:
    mask: np.ndarray  # uint8 coverage, tight around the ink
    dx: int  # ink left edge relative to the pen position
    dy: int  # ink top relative to the baseline (negative: above it)
    advance: float


def _render(
    face: Face, text: str, cap_px: float, stroke: int = -1
) -> tuple[np.ndarray, int, int, Any]:
    """`text` drawn at the size whose capitals are `cap_px` high, squeezed if the face is
    narrowed; returns (mask, x of the pen origin in the mask, baseline row, font)."""
    em = em_for_cap(face, cap_px)
    font = pil_font(face.path, face.index, em)
    stroke = round(em * face.embolden) if stroke < 0 else stroke
    left, top, right, bottom = font.getbbox(text, anchor="ls", stroke_width=stroke)
    pad = 2 + stroke
    w, h = max(1, right - left + 2 * pad), max(1, bottom - top + 2 * pad)
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).text(
        (pad - left, pad - top),
        text,
        fill=255,
        font=font,
        anchor="ls",
        stroke_width=stroke,
        stroke_fill=255,
    )
    mask = np.asarray(im)
    origin = pad - left
    if face.xscale != 1.0:
        mask = cv2.resize(mask, (max(1, round(w * face.xscale)), h), interpolation=cv2.INTER_AREA)
        origin = round(origin * face.xscale)
    return mask, origin, pad - top, font


@lru_cache(maxsize=8192)
def glyph(face: Face, ch: str, cap_px: int) -> Glyph:
    """One character whose capitals are `cap_px` high."""
    mask, origin, base, font = _render(face, ch, cap_px)
    stroke = round(em_for_cap(face, cap_px) * face.embolden)
    advance = (float(font.getlength(ch)) + 2 * stroke) * face.xscale
    if face.dotmatrix:
        mask = _dots(mask, cap_px)
    ys, xs = np.nonzero(mask > 24)
    if len(xs) == 0:  # a space
        return Glyph(np.zeros((1, 1), np.uint8), 0, 0, advance)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return Glyph(
        np.ascontiguousarray(mask[y0:y1, x0:x1]), int(x0) - origin, int(y0) - base, advance
    )


def _dots(mask: np.ndarray, cap_px: int) -> np.ndarray:
    """Resample a glyph onto a dot grid, as a dot-matrix or inkjet printer prints it: the
    glyph is averaged into cells about an eighth of the capital height, and each cell
    with enough ink becomes one round dot."""
    h, w = mask.shape
    pitch = max(1.5, cap_px / 9.0)
    rows, cols = max(1, round(h / pitch)), max(1, round(w / pitch))
    cells = cv2.resize(mask, (cols, rows), interpolation=cv2.INTER_AREA) > 100
    scale = 4  # drawn at 4x and shrunk, so small dots stay round
    big = np.zeros((h * scale, w * scale), np.uint8)
    radius = max(1, round(0.45 * pitch * scale))
    for i, j in zip(*np.nonzero(cells), strict=True):
        centre = (round((j + 0.5) * w / cols * scale), round((i + 0.5) * h / rows * scale))
        cv2.circle(big, centre, radius, 255, -1, cv2.LINE_AA)
    return cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA)


def text_mask(face: Face, text: str, cap_px: float, stroke: int = 0) -> tuple[np.ndarray, int]:
    """A whole line of text as a coverage mask; returns (mask, baseline row in the mask)."""
    mask, _, base, _ = _render(face, text, cap_px, stroke or -1)
    return mask, base


def text_width(face: Face, text: str, cap_px: float) -> float:
    font = pil_font(face.path, face.index, em_for_cap(face, cap_px))
    return float(font.getlength(text)) * face.xscale


def wrap(face: Face, text: str, cap_px: float, width: float) -> list[str]:
    """Greedy line breaking: CJK anywhere, Latin at spaces (long words are cut)."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) < 128 and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    lines, cur = [], ""
    for tok in tokens:
        trial = cur + tok
        if cur and text_width(face, trial, cap_px) > width:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur = trial
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def covers(face: Face, ch: str) -> bool:
    """Does the face draw `ch` (not its missing-glyph box)?"""
    font = pil_font(face.path, face.index, 40)

    def draw_one(c: str) -> np.ndarray:
        im = Image.new("L", (80, 80), 0)
        ImageDraw.Draw(im).text((10, 60), c, fill=255, font=font, anchor="ls")
        return np.asarray(im)

    return not np.array_equal(draw_one(ch), draw_one("\ue000"))
