"""Parse Tesseract's hOCR (with `lstm_choice_mode=2`, `hocr_char_boxes=1`) into lines,
words and characters with their LSTM alternatives.

Kept separate from running Tesseract so fast tests can replay recorded output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

Box = tuple[int, int, int, int]  # x, y, w, h

_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_XBOXES = re.compile(r"x_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_XCONF = re.compile(r"x_conf ([\d.]+)")
_XCONFS = re.compile(r"x_confs ([\d.]+)")
_WCONF = re.compile(r"x_wconf ([\d.]+)")


@dataclass
class OcrChar:
    text: str
    conf: float  # 0..1, Tesseract's symbol confidence
    box: Box
    choices: list[tuple[str, float]] = field(default_factory=list)  # (char, 0..1), best first


@dataclass
class OcrWord:
    box: Box
    conf: float
    chars: list[OcrChar] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


@dataclass
class OcrLine:
    box: Box
    words: list[OcrWord] = field(default_factory=list)
    page: int = 0  # which image of a multi-page input it came from

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def chars(self) -> list[OcrChar]:
        return [c for w in self.words for c in w.chars]


def _box(title: str, pattern: re.Pattern[str] = _BBOX) -> Box | None:
    m = pattern.search(title)
    if not m:
        return None
    x0, y0, x1, y1 = (int(v) for v in m.groups())
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _float(title: str, pattern: re.Pattern[str], default: float = 0.0) -> float:
    m = pattern.search(title)
    return float(m.group(1)) if m else default


def _classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def parse_hocr(text: str) -> list[OcrLine]:
    """Lines in reading order. Unparseable or empty output gives an empty list."""
    text = text.strip()
    if not text:
        return []
    # The XHTML namespace only gets in the way of simple tag matching.
    text = re.sub(r'\sxmlns="[^"]*"', "", text, count=1)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text, count=1, flags=re.DOTALL)
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    lines: list[OcrLine] = []
    pages = [d for d in root.iter("div") if "ocr_page" in _classes(d)] or [root]
    for page_no, page in enumerate(pages):
        lines += _page_lines(page, page_no)
    return lines


def _page_lines(page: ET.Element, page_no: int) -> list[OcrLine]:
    lines: list[OcrLine] = []
    for el in page.iter("span"):
        cls = _classes(el)
        if not cls & {"ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"}:
            continue
        lbox = _box(el.get("title", ""))
        if lbox is None:
            continue
        line = OcrLine(lbox, page=page_no)
        for wel in el:
            if "ocrx_word" not in _classes(wel):
                continue
            wtitle = wel.get("title", "")
            word = OcrWord(_box(wtitle) or lbox, _float(wtitle, _WCONF) / 100.0)
            current: OcrChar | None = None
            for cel in wel:
                ctitle = cel.get("title", "")
                if "x_bboxes" in ctitle:
                    cbox = _box(ctitle, _XBOXES) or word.box
                    current = OcrChar(cel.text or "", _float(ctitle, _XCONF) / 100.0, cbox)
                    word.chars.append(current)
                elif (cel.get("id") or "").startswith("lstm_choices") and current is not None:
                    for ch in cel:
                        current.choices.append(
                            (ch.text or "", _float(ch.get("title", ""), _XCONFS) / 100.0)
                        )
            if word.chars:
                line.words.append(word)
        if line.words:
            lines.append(line)
    return lines
