"""Which of a picture's lines hold the card's codes, and which card it is.

The lines are read in the order ocr/plan.py gives until the card's labelled codes are
found; a label's row is read again whole where the detector broke its code in pieces,
and a label whose value no line held is looked right of and below; a camera frame is
read only around the password the frame before showed (docs/ocr.md, "The pipeline").
"""

from __future__ import annotations

import numpy as np

from core.codes.profiles import get_profile
from ocr import fields as F
from ocr import labels as LB
from ocr.lines import Line, find_lines, gap_along, probe, row_extension, same_row, shifted
from ocr.plan import Plan, enough
from ocr.ppocr import PPOCR

TRACK_MARGIN_X = 0.25  # of the password's width, either side, for a card that moved
TRACK_MARGIN_Y = 1.0  # of its height, above and below
TRACK_ROW = 0.6  # a line whose middle is this many heights off the password's is another row


def track(
    img: np.ndarray,
    engine: PPOCR,
    hint: tuple[int, int, int, int],
    platform: str | None,
) -> tuple[list[Line], list[F.Candidate], F.Assignment] | None:
    """A camera frame read where the password was in the frame before: the detector and
    the recogniser see only that neighbourhood (a few lines instead of the whole card).
    None when the password is not found there (the card moved away): read it all."""
    x, y, bw, bh = hint
    ih, iw = img.shape[:2]
    x0 = max(0, int(x - TRACK_MARGIN_X * bw))
    x1 = min(iw, int(x + bw + TRACK_MARGIN_X * bw))
    y0 = max(0, int(y - TRACK_MARGIN_Y * bh))
    y1 = min(ih, int(y + bh + TRACK_MARGIN_Y * bh))
    if x1 - x0 < 16 or y1 - y0 < 8:
        return None
    near = find_lines(img[y0:y1, x0:x1], engine, max_side=max(x1 - x0, y1 - y0, 32))
    centre = np.array([x + bw / 2, y + bh / 2])
    # Only the row the password was on: the notes above and below cost more to read
    # than the code.
    lines = [
        ln
        for ln in (shifted(n, x0, y0) for n in near)
        if abs(float(ln.centre[1] - centre[1])) < TRACK_ROW * bh
    ]
    if not lines:
        return None
    for ln, tx in zip(lines, engine.recognize([ln.crop for ln in lines]), strict=True):
        ln.text = tx
    fmt = get_profile(platform or "generic").fields["pin"]
    fitting = [c for c in F.candidates(lines) if F.fits(c, fmt) is not None]
    if not fitting:
        return None
    pin = min(fitting, key=lambda c: float(np.linalg.norm(c.line.centre - centre)))
    return lines, fitting, F.Assignment(pin=pin)


def read_lines(
    img: np.ndarray,
    engine: PPOCR,
    lines: list[Line],
    fast: bool,
    near: tuple[int, int, int, int] | None = None,
) -> list[F.Candidate]:
    """Read lines in the plan's order until the card's labelled codes are found, then
    look right of (and below) any label whose value no line held."""
    plan = Plan(lines, fast=fast, near=near)
    anchor: Line | None = None
    cands: list[F.Candidate] = []
    while stage := plan.next(anchor):
        for ln, tx in zip(stage, engine.recognize([ln.crop for ln in stage]), strict=True):
            ln.text = tx
        cands = F.candidates(lines)
        if enough(cands, lines, fast):
            return cands
        # The next lines read are those nearest the labelled password, or else the
        # labelled card number: a card prints its two codes beside each other, and the
        # taller lines elsewhere are a receipt's (generated camera video 406: the card
        # number found first, then a receipt's eight lines read instead of the
        # password's row just below it, and the frame gave no password).
        anchor = next(
            (c.line for c in cands if c.label == "pin"),
            next((c.line for c in cands if c.label == "card_number" and c.strong), anchor),
        )
    cands = _complete_rows(img, engine, lines, cands)
    for where in ("right", "below"):
        lonely = F.lonely_labels(lines, cands)
        probes = [p for ln, _lab in lonely if (p := probe(img, ln, where)) is not None]
        if not probes:
            continue
        for pr, tx in zip(probes, engine.recognize([p.crop for p in probes]), strict=True):
            pr.text = tx
        lines += probes
        cands = F.candidates(lines)
    return cands


def _complete_rows(
    img: np.ndarray, engine: PPOCR, lines: list[Line], cands: list[F.Candidate]
) -> list[F.Candidate]:
    """Each label's row is read again whole, from after the label to the last box that
    continues the row (the detector loses the middle of a code under residue or in
    dot-matrix print and finds its ends as separate boxes). The whole-row reading
    replaces the pieces when it holds a longer code."""
    probes: list[tuple[Line, LB.Label, Line]] = []
    for ln in list(lines):
        if ln.text is None or ln.index < 0:
            continue
        start = F.label_end_x(ln)
        if start is None:
            continue
        lab, x0 = start
        ext = row_extension(img, ln, x0, lines, cut_short=_cut_short(ln, x0))
        if ext is not None:
            probes.append((ln, lab, ext))
    if not probes:
        return cands
    texts = engine.recognize([p.crop for _ln, _lab, p in probes])
    for (ln, lab, p), tx in zip(probes, texts, strict=True):
        p.text = tx
        # Labelled by the label it was read after: a password with a single digit
        # ("APQF DOKO MTP4 HOBF") is its value too, not a word.
        got = F.candidates([p], label=lab)
        if not got:
            continue
        best = max(got, key=lambda c: len(c.value))
        pieces = [
            c
            for c in cands
            if (c.line is ln or same_row(ln, c.line)) and gap_along(ln, c.line) > -ln.height
        ]
        if best.value and len(best.value) > max((len(c.value) for c in pieces), default=0):
            best.label, best.label_how, best.strong = lab.kind, "inline", lab.strong
            cands = [c for c in cands if c not in pieces] + [best]
            lines.append(p)
    return cands


def detect_platform(lines: list[Line], cands: list[F.Candidate]) -> str:
    """The card's platform from its title (京东E卡, 中国移动 …) when the codes fit that
    platform's format, else from the codes alone, else "generic"."""
    named = LB.platform_of([ln.text.text for ln in lines if ln.text is not None])
    if named is not None:
        fmt = get_profile(named).fields["pin"]
        if any(F.fits(c, fmt) is not None for c in cands):
            return named
    cm = get_profile("cmcc").fields["pin"]
    # Not when the card names its password and that is no recharge password ("Password:
    # GHHY-3AXZ-…" on a store card whose card number has 18 digits).
    named_pins = [c for c in cands if c.label == "pin" and c.strong]
    if any(F.fits(c, cm) is None for c in named_pins):
        return "generic"
    for c in cands:
        if c.value.isdigit() and len(c.value) == 18 and F.fits(c, cm) is not None:
            return "cmcc"
    return "generic"


CUT_SHORT = 8  # a label's line whose value stops before this many characters


def _cut_short(line: Line, x0: float) -> bool:
    """The label's line holds the start of a value and no more: fewer characters after
    the label (from crop x0) than any code has (generated dot-matrix card 5550010:
    "卡密14EH·", the rest of its row without a box)."""
    assert line.text is not None
    n = sum(1 for c in line.text.chars if c.x0 >= x0 and c.char.isascii() and c.char.isalnum())
    return 0 < n < CUT_SHORT
