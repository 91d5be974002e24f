"""Which detected lines to read, and in which order (the recogniser costs about 4 ms per
100 pixels of line at its 48 px height, so reading every line of a photo full of receipts
would cost more than the rest of the read), and which way up the card lies.

A code sits on a line of its own or after its label, and a label is a short line just left
of or above it. So the first lines read are the tallest code-sized lines with a
label-shaped neighbour, those neighbours, and the tallest short lines (title, face value).
Once a code is found, the lines nearest to it come next: the other code of a card is
printed beside it, not on the receipt next to the card. Long lines (notes) are never read:
no code is that long for its height. See docs/ocr.md, "Reading only what matters".
"""

from __future__ import annotations

import numpy as np

from ocr import fields as F
from ocr import labels as LB
from ocr.lines import Line, below, gap_along, same_row
from ocr.ppocr import PPOCR

SHORT = 3.5  # a line this long for its height holds a few characters: a label, a badge
LONG = 32.0  # longer is a sentence of a note, never a code
STAGE_CODE = (4, 8, 12)  # code-sized lines read in each stage, most promising first
FAST_STAGES = 2  # camera frames: what two stages did not find waits for the next frame
TALL_SHORT = 3  # the tallest short lines (title, face value) are read in the first stage
NEAREST = 4  # code-sized lines read in a stage around a code already found


def aspect(ln: Line) -> float:
    return ln.length / max(ln.height, 1.0)


def label_spot(short: Line, code: Line) -> bool:
    """`short` stands where a code's label stands: left of it on its row, or above it."""
    if same_row(short, code):
        return -0.5 * short.height < gap_along(short, code) < 4 * short.height
    d = below(short, code)
    return d is not None and d < 2.6


class Plan:
    """The lines to read next, given the line of a code already found (if any)."""

    def __init__(
        self, lines: list[Line], fast: bool = False, near: tuple[int, int, int, int] | None = None
    ) -> None:
        self.code = [ln for ln in lines if SHORT <= aspect(ln) <= LONG]
        self.short = [ln for ln in lines if aspect(ln) < SHORT]
        self.neighbours = {id(c): [s for s in self.short if label_spot(s, c)] for c in self.code}
        heights = sorted((c.height for c in self.code), reverse=True)
        self.ref = heights[1 if len(heights) > 1 else 0] if heights else 1.0
        self.done: set[int] = set()
        self.stage = 0
        self.fast = fast
        self.near = near

    def next(self, anchor: Line | None) -> list[Line]:
        if self.fast and self.stage >= FAST_STAGES:
            return []
        todo = [c for c in self.code if id(c) not in self.done]
        if anchor is not None:
            todo.sort(
                key=lambda c: (
                    float(np.linalg.norm(c.centre - anchor.centre)) / max(anchor.height, 1.0)
                )
            )
        elif self.near is not None:
            x, y, w, h = self.near
            spot = np.array([x + w / 2, y + h / 2])
            todo.sort(key=lambda c: float(np.linalg.norm(c.centre - spot)) / max(h, 1))
        else:
            todo.sort(
                key=lambda c: -(c.height / self.ref + (0.6 if self.neighbours[id(c)] else 0.0))
            )
        n = STAGE_CODE[min(self.stage, len(STAGE_CODE) - 1)]
        if anchor is not None:
            n = min(n, NEAREST)
        stage: list[Line] = []
        for c in todo[:n]:
            stage.append(c)
            stage += self.neighbours[id(c)]
        if self.stage == 0:
            stage += sorted(self.short, key=lambda ln: -ln.height)[:TALL_SHORT]
        out = []
        for ln in stage:
            if id(ln) not in self.done:
                self.done.add(id(ln))
                out.append(ln)
        self.stage += 1
        return out


def enough(cands: list[F.Candidate], lines: list[Line], fast: bool = False) -> bool:
    """A password and a card number were read, each after a label that names it beyond
    doubt (for a camera frame, the password alone): the other lines cannot change the
    answer. A weak label ("NO.", "CODE") does not end the read: it also stands before a
    serial or a receipt's number (generated seed 1300125: a card's "NO.8876388" in small
    print, and its 卡号 line never read). Nor is it done when another box stands on the
    row between a label and the value it names: the detector may have found a code in
    pieces and lost its middle, so the row is to be read whole."""
    pin = any(c.label == "pin" and c.strong for c in cands)
    done = pin and (fast or any(c.label == "card_number" and c.strong for c in cands))
    return done and not any(_split_from_label(c, lines) for c in cands if c.label_how == "left")


def _split_from_label(cand: F.Candidate, lines: list[Line]) -> bool:
    """A box lies on the row between `cand` and the label line left of it that names it."""
    value = cand.line
    for lab in lines:
        if lab is value or lab.text is None or not same_row(lab, value):
            continue
        named = LB.label_only(lab.text.text)
        if named is None or named.kind != cand.label or gap_along(lab, value) < 0:
            continue
        for mid in lines:
            if mid is lab or mid is value or not same_row(lab, mid):
                continue
            slack = -0.5 * lab.height
            if gap_along(lab, mid) > slack and gap_along(mid, value) > slack:
                return True
    return False


NEIGHBOURHOOD = 6.0  # lines this many line heights apart vote on each other's orientation
# … when they run along the same direction (either way up): a receipt lying across the
# card under it is another sheet, whatever its size (fresh seed 3232: a receipt turned
# by more than a quarter outvoted the card's password row, which was then read upside
# down).
SAME_SHEET_COS = float(np.cos(np.radians(20)))
ORIENT_LOGIT_CAP = 12.0  # the surest vote: the classifier's odds of 1 in e^12 (6e-6)


def upside_down(lines: list[Line], engine: PPOCR) -> list[bool]:
    """For each line, whether it lies upside down (its card turned by half a turn, or by
    a quarter the wrong way). Every line of one card is turned the same way, but a
    receipt beside it may not be: each line takes the orientation its neighbourhood
    votes for, each vote weighted by the classifier's confidence and the line's size."""
    if not lines:
        return []
    p = np.array(engine.upside_down([ln.crop for ln in lines]), np.float64)
    size = np.array([ln.height * min(aspect(ln), 12.0) for ln in lines])
    # Each line votes with the classifier's log-odds, capped: a Chinese line it is
    # sure of to 1e-14 outweighs a dot-matrix row of digits it takes to be turned at
    # 0.96 (generated card 5550035: its two codes and their label, printed in dots,
    # outvoted the card's other lines and were read upside down).
    eps = np.exp(-ORIENT_LOGIT_CAP)
    q = np.clip(p, eps, 1 - eps)
    vote = size * np.log(q / (1 - q))
    centres = np.array([ln.centre for ln in lines])
    heights = np.array([ln.height for ln in lines])
    axes = np.array([ln.axis for ln in lines])
    out = []
    for i in range(len(lines)):
        d = np.linalg.norm(centres - centres[i], axis=1)
        near = d < NEIGHBOURHOOD * np.maximum(heights, heights[i])
        near &= np.abs(axes @ axes[i]) >= SAME_SHEET_COS
        out.append(bool(vote[near].sum() > 0))
    return out
