"""From a row's fused characters to the field's reading: the checks on its glyphs.

Where the code may go on past its first or last character (a group cut short, ink past
the end, a glyph the line's box cuts, a glyph the row lost), that character is marked;
where the readers disagree on the count on a card type of several lengths, the count is
the doubt; a faint speck at an end of a code too long is trimmed off; each character gets
the box of its glyph for the review; and the row's own doubts spread over every
character (docs/ocr.md, "Where a code ends, and which card it is on").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from core.codes.check import check_code
from core.codes.profiles import FieldFormat, Profile
from ocr import fields as F
from ocr import fuse
from ocr.reading import CharReading, FieldReading
from ocr.residue import cut_at_box_ends, ink_past_ends

EDGE_TRIM_P = 0.6  # a character at either end of a too-long code below this may go


def _box(cand: F.Candidate, x0: float, x1: float) -> tuple[int, int, int, int]:
    q = cand.line.sub_quad(x0, x1)
    bx0, by0 = np.floor(q.min(axis=0))
    bx1, by1 = np.ceil(q.max(axis=0))
    return int(bx0), int(by0), int(bx1 - bx0), int(by1 - by0)


def _trim(
    chars: list[CharReading],
    cand: F.Candidate,
    fmt: FieldFormat,
) -> tuple[list[CharReading], list[int]]:
    """A code longer than its format allows, with a faint character at an end (a speck
    of residue after the last glyph): that character goes. Returns the characters and
    the indices beside which one was taken away (they stay unsure)."""
    removed: list[int] = []
    fixed = fmt.min_length == fmt.max_length
    while chars and len(chars) > fmt.max_length and (fixed or len(chars) > fmt.max_length):
        ends = [(chars[0].confidence, 0), (chars[-1].confidence, len(chars) - 1)]
        p, i = min(ends)
        if p >= EDGE_TRIM_P:
            break
        del chars[i]
        del cand.chars[i]
        cand.groups = groups_without(cand.groups, i)
        removed.append(max(0, min(i, len(chars) - 1)))
    return chars, removed


def groups_without(groups: tuple[int, ...], i: int) -> tuple[int, ...]:
    """The printed grouping once the character at index `i`, the first or the last, is
    taken away."""
    if not groups:
        return groups
    if i == 0:
        return groups[1:] if groups[0] == 1 else (groups[0] - 1, *groups[1:])
    return groups[:-1] if groups[-1] == 1 else (*groups[:-1], groups[-1] - 1)


def glyph_spans(cand: F.Candidate) -> list[tuple[float, float]]:
    """Each character's stretch of the line crop: its centre ± nearly half a pitch (the
    recogniser's own extent covers only the frames it fired on)."""
    centres = [(c.x0 + c.x1) / 2 for c in cand.chars]
    if len(centres) < 2:
        return [(c.x0, c.x1) for c in cand.chars]
    pitch = float(np.median(np.diff(centres)))
    return [(x - 0.45 * pitch, x + 0.45 * pitch) for x in centres]


def _cut_short_ends(groups: tuple[int, ...], n: int) -> tuple[bool, bool]:
    """Whether the code's (first, last) group looks cut short: a group of one at an end
    of a code printed in groups of three or more is more likely the rest of the code
    running on under a thumb, another paper or the picture's edge than printed so."""
    if len(groups) < 2 or sum(groups) != n:
        return False, False
    return (
        groups[0] == 1 and min(groups[1:]) >= 3,
        groups[-1] == 1 and min(groups[:-1]) >= 3,
    )


def _mark_ends(chars: list[CharReading], first: bool, last: bool) -> list[CharReading]:
    """Mark the first and/or the last character, where a character may be missing past
    it (on a card type of several lengths the count cannot tell)."""
    out = list(chars)
    if out and first:
        out[0] = replace(out[0], tier="check")
    if out and last:
        out[-1] = replace(out[-1], tier="check")
    return out


def _marked_ends(
    image: np.ndarray, cand: F.Candidate, chars: list[CharReading], fmt: FieldFormat
) -> list[CharReading]:
    """The first and last characters marked where the row may go on past them."""
    if fmt.min_length != fmt.max_length:
        cut_first, cut_last = _cut_short_ends(cand.groups, len(chars))
        ink_first, ink_last = ink_past_ends(
            image, cand.line, cand.x0, cand.x1, len(chars), groups=len(cand.groups)
        )
        # Before a code labelled on its left the ink is its label ("卡号6234…"), not a
        # lost glyph; a label above leaves the row's start to the code.
        ink_first = ink_first and cand.label_how not in ("inline", "left")
        chars = _mark_ends(chars, cut_first or ink_first, cut_last or ink_last)
    chars = _mark_ends(chars, *cand.lost)
    # On every card type, fixed lengths too: a glyph the line's box cuts in two reads
    # as another character, surely (docs/ocr.md, "A glyph the line's box cuts").
    return _mark_ends(chars, *cut_at_box_ends(image, cand.line, cand.x0, cand.x1, len(chars)))


def _length_disputed(
    cand: F.Candidate, reads: dict[str, list[Any]], chars: list[CharReading], fmt: FieldFormat
) -> bool:
    """On a card type whose codes come in several lengths, the readers disagree on how
    many characters there are and no position was marked for it: the count itself is
    the doubt ("count the characters")."""
    if fmt.min_length == fmt.max_length or not reads:
        return False
    lengths = sorted(len(r) for r in reads.values())
    usual = lengths[len(lengths) // 2]
    return usual != len(cand.chars) and all(c.tier == "certain" for c in chars)


def finish(
    name: str,
    chars: list[CharReading],
    cand: F.Candidate,
    fmt: FieldFormat,
    profile: Profile,
    *,
    image: np.ndarray,
    reads: dict[str, list[Any]],
    row_doubt: bool,
    rivals: list[str],
) -> FieldReading:
    """One field's reading from its fused characters: the ends marked where a glyph may
    be missing past them, the count doubted where the readers disagree on it, a speck
    at an end trimmed off, each character boxed, and the row's doubts (another field's
    row, a broken format, a row read poorly) spread over every character."""
    chars = _marked_ends(image, cand, chars, fmt)
    length_doubt = _length_disputed(cand, reads, chars, fmt)
    chars, trimmed = _trim(list(chars), cand, fmt)
    # Each character's box is its glyph's whole stretch, not the few frames where the
    # recogniser fired (a sliver, often beside the glyph): the review shows the user this
    # box cut from the photo to compare with the card.
    spans = glyph_spans(cand)
    chars = [
        CharReading(
            c.char,
            c.confidence,
            c.alternatives,
            _box(cand, *span),
            "check" if i in trimmed else c.tier,
        )
        for i, (c, span) in enumerate(zip(chars, spans, strict=True))
    ]
    value = "".join(c.char for c in chars)
    ok = bool(value) and check_code(value, profile, name, source="pasted").ok
    doubt: str | None = (
        "row" if row_doubt else "format" if not ok else "length" if length_doubt else None
    )
    unsure = sum(c.tier != "certain" for c in chars)
    if doubt is not None or (chars and unsure >= fuse.POOR_ROW * len(chars)):
        # The row may be another field, or the value breaks the format (a glyph lost or
        # gained shifts every later one): no position can be trusted on its own. Nor
        # where the readers were unsure of a third of the row or more: such a row was
        # read poorly (residue, blur, dot-matrix print), and its other characters, where
        # the two readers agreed, are wrong far more often (docs/ocr.md).
        chars = [
            c
            if c.tier != "certain"
            else CharReading(c.char, min(c.confidence, 0.5), c.alternatives, c.box, "check")
            for c in chars
        ]
    conf = min((c.confidence for c in chars), default=0.0)
    if doubt == "row":
        conf = min(conf, 0.3)
    boxes = [b for b in (c.box for c in chars) if b]
    box = None
    if boxes:
        bx0 = min(b[0] for b in boxes)
        by0 = min(b[1] for b in boxes)
        bx1 = max(b[0] + b[2] for b in boxes)
        by1 = max(b[1] + b[3] for b in boxes)
        box = (bx0, by0, bx1 - bx0, by1 - by0)
    # The grouping seen when the row was read, separators included (cand.chars holds
    # the code characters only: grouping them again would go by gaps alone).
    groups = cand.groups if sum(cand.groups) == len(chars) else ()
    return FieldReading(
        name,  # type: ignore[arg-type]
        value,
        chars,
        float(conf),
        box,
        ok,
        groups=groups,
        doubt=doubt,
        rivals=rivals,
    )
