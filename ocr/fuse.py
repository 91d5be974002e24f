"""Two readings of a code row become one, with a tier for every character.

PP-OCR's reading (restricted to the code's alphabet) gives the characters and their
positions; Tesseract's readings in several preprocessing variants are aligned to it,
glyph by glyph (characters and x positions, Needleman-Wunsch). A character is `certain`
only when both readers agree on it (after the profile's input map) and each is confident;
otherwise it is `check`, with every reading either reader gave as its alternatives. A glyph
one reader saw and the other did not, at the same place, flags the position beside it (an
extra or missing character is a doubt too). A third reading, by PP-OCR's older v4
recogniser, may co-sign a character Tesseract misread (`third_signed`). The thresholds
are calibrated on generated cards (benchmarks/calibrate.py); see docs/ocr.md, "When is a
character certain?" and "A third reading".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from core.codes.confusion import confusable_with
from ocr.hocr import OcrChar
from ocr.ppocr import CtcChar
from ocr.reading import CharReading

DRAWN_ALIKE = (("O", "0"), ("I", "1"))  # pairs many fonts draw the same
# … and a pair small print out of focus draws the same in fonts whose 0 has a dot or a
# bar inside (Liberation Mono, dot-matrix print): shared doubt only (`share_twin_doubt`).
BLURRED_ALIKE = (("0", "8"),)
SAME_DRAWN = {x: y for a, b in DRAWN_ALIKE for x, y in ((a, b), (b, a))}
# O and 0 where both are valid are never certain from a picture: several fonts cards are
# printed in draw them the same (Noto Sans Mono CJK: the same outline, 3 % apart in
# height), so both readers can be sure and wrong, and no threshold tells such a font
# from one that draws them apart (docs/ocr.md, "When is a character certain?", 9).
NEVER_TOLD = frozenset("O0")
# A Q whose tail lies under residue is an O, or a 0, to both readers, each sure (fresh
# seeds 4040 and 4848: 8–9 % of the glyph hidden). An O or 0 where Q is valid is certain
# only with (next to) no residue on it (Thresholds.hidden_max_tail).
TAIL_HIDDEN = {"O": "Q", "0": "Q"}
# Residue hides strokes and adds no ink: what a character read may be with some of its
# strokes under residue. A 6 whose lower left stroke is hidden is a 5 to both readers,
# each sure (generated card 232300015, hard, drawn in DejaVu Sans Bold: a 6 read 5 with a
# quarter of it hidden). These count as look-alikes for the residue check
# (Thresholds.hidden_max), beside the misreadings of core/codes/confusion.py.
STROKES_HIDDEN = {
    "3": "89",
    "5": "689",
    "6": "8",
    "9": "8",
    "0": "8",
    "C": "GO0",
    "F": "E",
    "P": "BR",
    "L": "E",
}


@dataclass(frozen=True)
class Thresholds:
    """Calibrated on generated cards (benchmarks/calibrate.py, seed 13, 200 cards, 368
    fields): the cheapest in false flags among those that left no wrong character
    unflagged, with a margin on the residue and look-alike checks. The co-signs of a
    row read well (`tess_one`, the `_all` three) on seeds 11, 12 and 13 (1,224 fields),
    with no unsafe field anywhere in the grid searched. The third reading's (`third_*`)
    on seeds 11–13 (1,389 fields), a step short of the cheapest (0.95 and 0.90 where
    0.90 and 0.80 left no new unsafe field either), checked on fresh seeds 9191 and 9292.
    `third_all` and `pp_min_third` on the same seeds collected again (twelfth session),
    checked on fresh seed 9393."""

    pp_min: float = 0.99  # PP-OCR's probability against the best other valid character
    pp_rival: float = 0.05  # no other valid character above this at its frames
    tess_min: float = 0.50  # Tesseract's belief in the same character (variants averaged)
    tess_margin: float = 0.20  # … ahead of any other character
    # Or: one variant alone reads the same character this surely, where PP-OCR is sure,
    # the character has no drawn-alike twin in the alphabet and the row is read well
    # otherwise. Tesseract's variants often split on a scratched glyph (one right, two
    # misled by the residue); the one that agrees is still a second reading of the same
    # glyph (docs/ocr.md).
    tess_one: float = 0.70
    # Or the other way round: every variant reads the same character, this surely on
    # average, where PP-OCR read it too with a little less certainty.
    tess_all: float = 0.90
    pp_min_all: float = 0.90
    pp_rival_all: float = 0.10
    # … or leaning to it only, where the second recogniser reads it this surely: three
    # readers of three agree, two of them surely (docs/ocr.md, "Every variant and the
    # second recogniser"; twelfth session, seeds 11–13, checked on fresh 9191–9393).
    third_all: float = 0.99
    pp_min_third: float = 0.60  # … PP-OCR's share against its best rival
    # O/0 and I/1 are drawn alike in many narrow and monospaced fonts: where both are
    # valid, the recogniser must be this sure.
    twin_pp_min: float = 0.998
    hidden_max: float = 0.22  # a glyph more hidden by residue than this, with a look-alike
    # that hiding strokes could make of it, is not certain (ocr/residue.py). Ninth
    # session, with STROKES_HIDDEN: 0.30 left a 6 read 5 a quarter hidden unflagged;
    # on calibration seeds 11–13 (1,389 fields) both cost 0.013 in false flags.
    # … and the every-variant co-sign, which outweighs PP-OCR's hesitation, holds only for
    # a glyph with a look-alike when no more than this of it is under residue: there the
    # hesitation may be a stroke the residue hides (fresh seed 4040: a Q whose tail lay
    # under residue, read 0 by every variant and by PP-OCR at 0.976, Q its rival).
    hidden_max_all: float = 0.05
    # … and no reading at all holds for an O or 0 where Q is valid, more than this of it
    # under residue (the same "residue measurable at all": the failing cards had 8–9 %).
    hidden_max_tail: float = 0.05
    # The third reading (PP-OCRv4) co-signs where it reads the same character this
    # surely (docs/ocr.md, "A third reading") …
    third_min: float = 0.95
    third_pp_min: float = 0.90  # … where PP-OCR (v6) is this sure, its rival as low …
    # … unless Tesseract's belief in another character is above this (no veto: on
    # seeds 11–13 a veto only added false flags) …
    third_veto: float = 1.01
    # … and, unless this is on, only in a row the two readers read well otherwise.
    third_any_row: bool = False


DEFAULT = Thresholds()
POOR_ROW = 1 / 3  # a row with this share of its characters unsure is unsure throughout


@dataclass(frozen=True)
class Evidence:
    """What decided one character's tier (kept for calibration, never shown)."""

    char: str  # PP's reading, mapped
    pp: float  # PP's peak probability
    pp_rival: float  # best other valid character at PP's frames
    tess: float  # Tesseract's belief in the same character
    tess_rival: float  # Tesseract's belief in its best other character
    gap: bool  # one reader saw a glyph beside it that the other did not
    certain: bool
    tess_best: float = 0.0  # the most confident single variant's belief in the character
    tess_best_rival: float = 0.0  # … and the most confident variant's belief in another
    agree: int = 0  # variants whose first choice is the character
    variants: int = 0
    hidden: float = 0.0  # share of the glyph under residue (ocr/residue.py)
    twin: bool = False  # a look-alike of it is valid in the alphabet
    alike: bool = False  # … one that many fonts draw the same (O/0, I/1)
    valid: bool = True  # the character is in the field's alphabet
    tail: bool = False  # a Q is valid here, which hidden residue would make of it (O, 0)
    # The second recogniser's (PP-OCRv4's) probability of the same character at the same
    # place; 0 where it read another or none, or was not run.
    third: float = 0.0


def _strokes_hidden(e: Evidence, th: Thresholds) -> bool:
    """A glyph so far under residue that a look-alike of it may lie beneath."""
    return e.twin and e.hidden > th.hidden_max


def _tail_hidden(e: Evidence, th: Thresholds) -> bool:
    """An O or 0 that may be a Q with its tail under residue."""
    return e.tail and e.hidden > th.hidden_max_tail


def _mixed(row: Sequence[Evidence]) -> bool:
    """A code of letters and digits: a letter other than O in the row. (In a row of
    digits, and O or 0, the 0 is what the code is made of.)"""
    return any(e.char.isalpha() and e.char not in NEVER_TOLD for e in row)


def _clear(e: Evidence, th: Thresholds) -> bool:
    """Both readers saw this glyph, no glyph beside it that only one saw, not much of it
    under residue where residue makes a look-alike of it."""
    return (
        e.valid
        and e.variants > 0
        and not e.gap
        and not _strokes_hidden(e, th)
        and not _tail_hidden(e, th)
    )


def _pp_sure(e: Evidence, th: Thresholds) -> bool:
    return (
        _clear(e, th)
        and not (e.alike and e.pp < th.twin_pp_min)
        and e.pp >= th.pp_min
        and e.pp_rival <= th.pp_rival
    )


def strict_sure(e: Evidence, th: Thresholds) -> bool:
    """Both readers agree, each confident (Tesseract's variants averaged)."""
    return _pp_sure(e, th) and e.tess >= th.tess_min and e.tess - e.tess_rival >= th.tess_margin


def co_signed(e: Evidence, th: Thresholds) -> bool:
    """Certain in a row read well otherwise, though not by the strict rule: one variant
    reads the character surely where PP-OCR is sure, or every variant, all sure, where
    PP-OCR nearly is — or only leans to it and the second recogniser is sure. Never an
    O/0 or I/1 where both are valid."""
    if e.alike:
        return False
    one = _pp_sure(e, th) and e.tess_best >= th.tess_one
    every = (
        _clear(e, th)
        and not (e.twin and e.hidden > th.hidden_max_all)
        and e.variants >= 2
        and e.agree == e.variants
        and e.tess >= th.tess_all
        and (
            (e.pp >= th.pp_min_all and e.pp_rival <= th.pp_rival_all)
            or (
                e.third >= th.third_all
                and e.pp >= th.pp_min_third
                and e.pp_rival <= 1 - th.pp_min_third
            )
        )
    )
    return one or every


def third_signed(e: Evidence, th: Thresholds) -> bool:
    """Certain by PP-OCR's two recognisers: v6 nearly sure with no valid rival, the glyph
    clear (no glyph beside it one reader saw alone, not under residue with a look-alike),
    v4 reading the same character surely (and Tesseract no surer than `third_veto` of
    another; no veto as shipped). Never an O/0 or I/1 where both are valid: a font that
    draws them alike misleads every recogniser alike."""
    return (
        not e.alike
        and _clear(e, th)
        and e.pp >= th.third_pp_min
        and e.pp_rival <= max(th.pp_rival, 1.0 - th.third_pp_min)
        and e.third >= th.third_min
        and e.tess_rival <= th.third_veto
    )


def third_could_help(row: Sequence[Evidence], th: Thresholds) -> bool:
    """Whether a third reading could make a character of this row certain that is not:
    one that read every character surely would. (Not worth its time where every unsure
    character is an O/0, under residue, beside a lost glyph or in a row read poorly.)"""
    now = sure_of(row, th)
    best = sure_of([replace(e, third=1.0) for e in row], th)
    return any(b and not n for n, b in zip(now, best, strict=True))


def sure_of(row: Sequence[Evidence], th: Thresholds) -> list[bool]:
    """Which characters of a row are certain. A co-sign holds only in a row the two
    readers read well otherwise: where a third or more of the row is unsure by the strict
    rule (blur, heavy residue), a variant that happens to agree is no evidence (fresh
    seed 2323: a blurred 6 read 5 by PP-OCR and by one variant, 6 by another;
    docs/ocr.md)."""
    strict = [strict_sure(e, th) for e in row]
    well_read = strict.count(False) < POOR_ROW * len(row)
    sure = [
        s
        or (well_read and co_signed(e, th))
        or ((well_read or th.third_any_row) and third_signed(e, th))
        for s, e in zip(strict, row, strict=True)
    ]
    # In a code of letters and digits an O may stand where a 0 could; in a row of digits
    # the 0 is what the code is made of.
    if _mixed(row):
        sure = [
            s and not (e.alike and e.char in NEVER_TOLD) for s, e in zip(sure, row, strict=True)
        ]
    return sure


def _mapped(ch: str, input_map: Mapping[str, str]) -> str:
    return input_map.get(ch, ch)


def align(
    pp: Sequence[CtcChar],
    tess: Sequence[OcrChar],
) -> tuple[list[OcrChar | None], list[int]]:
    """Match Tesseract's characters to PP's by order, identity and position. Returns, per
    PP character, the Tesseract character matched to it (or None), and the PP indices
    after which Tesseract saw a glyph PP did not (index -1: before the first)."""
    n, m = len(pp), len(tess)
    if n == 0:
        return [], list(range(-1, m - 1)) if m else []
    pitch = (pp[-1].x1 - pp[0].x0) / max(1, n)
    # The cost of matching PP's i-th character with Tesseract's j-th: how different the
    # characters are (a look-alike costs less) plus how far apart they stand, in pitches.
    ca = np.array([(a.x0 + a.x1) / 2 for a in pp])
    cb = np.array([b.box[0] + b.box[2] / 2 for b in tess])
    far = np.minimum(2.0, np.abs(ca[:, None] - cb[None, :]) / max(pitch, 1.0))
    unlike = np.ones((n, m))
    for i, a in enumerate(pp):
        alike = confusable_with(a.char)
        for j, b in enumerate(tess):
            if b.text == a.char:
                unlike[i, j] = 0.0
            elif b.text in alike:
                unlike[i, j] = 0.6
    cost = (unlike + far).tolist()

    gap = 1.3
    inf = 1e9
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    bt = [[0] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j and d[i - 1][j - 1] + cost[i - 1][j - 1] < d[i][j]:
                d[i][j] = d[i - 1][j - 1] + cost[i - 1][j - 1]
                bt[i][j] = 0
            if i and d[i - 1][j] + gap < d[i][j]:
                d[i][j] = d[i - 1][j] + gap
                bt[i][j] = 1
            if j and d[i][j - 1] + gap < d[i][j]:
                d[i][j] = d[i][j - 1] + gap
                bt[i][j] = 2
    match: list[OcrChar | None] = [None] * n
    extra: list[int] = []
    i, j = n, m
    while i or j:
        step = bt[i][j] if i and j else (1 if i else 2)
        if step == 0:
            match[i - 1] = tess[j - 1]
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            extra.append(i - 1)
            j -= 1
    return match, sorted(extra)


def tess_posterior(
    matched: Sequence[OcrChar | None], input_map: Mapping[str, str], alphabet: str
) -> dict[str, float]:
    """Tesseract's belief about one position, averaged over its variants: each variant
    votes for its first choice with its confidence; a variant that saw nothing there
    votes for nothing. (Its other LSTM choices are not a distribution — they do not add
    up to one — so they only supply the alternatives shown to the user.)"""
    q: dict[str, float] = {}
    n = len(matched)
    for t in matched:
        if t is None:
            continue
        top = _mapped(t.text.upper(), input_map)
        if top in alphabet:
            q[top] = q.get(top, 0.0) + t.conf / n
    return q


def tess_choices(
    matched: Sequence[OcrChar | None], input_map: Mapping[str, str], alphabet: str
) -> dict[str, float]:
    """Every character any variant offered at a position, with its best probability."""
    out: dict[str, float] = {}
    for t in matched:
        if t is None:
            continue
        for ch, p in [(t.text, t.conf), *t.choices]:
            mc = _mapped(ch.upper(), input_map)
            if mc in alphabet:
                out[mc] = max(out.get(mc, 0.0), p)
    return out


def decide(
    pp: Sequence[CtcChar],
    tess_reads: Mapping[str, Sequence[OcrChar]],
    alphabet: str,
    input_map: Mapping[str, str],
    th: Thresholds = DEFAULT,
    *,
    hidden: Sequence[float] | None = None,
    evidence: list[Evidence] | None = None,
    third: Sequence[CtcChar] | None = None,
) -> list[CharReading]:
    """One CharReading per PP character, tiered by the agreement of the two readers.
    `third`: the second recogniser's reading of the same row (its restricted reading,
    positions in the same crop's pixels), a co-signer (`third_signed`)."""
    # A variant that read nothing at all on the row did not read it (scratch lines across
    # the row can make Tesseract's line finder drop the whole page): it is no vote against
    # every character, only one reading fewer (docs/ocr.md, "When is a character certain?").
    if any(tess_reads.values()):
        tess_reads = {name: chars for name, chars in tess_reads.items() if chars}
    matches: dict[str, list[OcrChar | None]] = {}
    extras: dict[str, list[int]] = {}
    for name, chars in tess_reads.items():
        matches[name], extras[name] = align(pp, chars)
    n = len(pp)
    thirds = [0.0] * n
    if third:
        v4 = [
            OcrChar(c.char, c.prob, (round(c.x0), 0, max(1, round(c.x1 - c.x0)), 1)) for c in third
        ]
        for i, t in enumerate(align(pp, v4)[0]):
            if t is not None and _mapped(t.text, input_map) == _mapped(pp[i].char, input_map):
                thirds[i] = t.conf
    # A glyph Tesseract saw between two PP characters in most variants: PP may have
    # dropped one there. The characters on both sides become unsure.
    gap_votes = [0] * (n + 1)
    for ex in extras.values():
        for k in set(ex):
            gap_votes[k + 1] += 1
    need = max(1, (len(tess_reads) + 1) // 2)
    found: list[Evidence] = []
    alt_lists: list[tuple[str, ...]] = []
    for i, c in enumerate(pp):
        mine = _mapped(c.char, input_map)
        alts: dict[str, float] = {}
        own = c.prob  # the character's probability, its twins under the input map added
        for a, p in c.alts:
            ma = _mapped(a.upper(), input_map)
            if ma == mine:
                own += p  # JD's O is its 0: not a rival
            elif ma in alphabet:
                alts[ma] = max(alts.get(ma, 0.0), p)
        purity = own / max(own + max(alts.values(), default=0.0), 1e-9)
        seen = [matches[name][i] for name in tess_reads]
        q = tess_posterior(seen, input_map, alphabet)
        q_mine = q.get(mine, 0.0)
        q_rival = max((v for k, v in q.items() if k != mine), default=0.0)
        pp_rival = max(alts.values(), default=0.0)
        gap_here = gap_votes[i] >= need or gap_votes[i + 1] >= need
        twin = any(t in alphabet for t in (*confusable_with(mine), *STROKES_HIDDEN.get(mine, "")))
        drawn_alike = any(t in alphabet for t in SAME_DRAWN.get(mine, ""))
        tail = mine in TAIL_HIDDEN and TAIL_HIDDEN[mine] in alphabet
        covered = hidden[i] if hidden is not None and i < len(hidden) else 0.0
        singles = [tess_posterior([t], input_map, alphabet) for t in seen]
        best = max((d.get(mine, 0.0) for d in singles), default=0.0)
        agree = sum(1 for t in seen if t is not None and _mapped(t.text.upper(), input_map) == mine)
        merged: dict[str, float] = dict(alts)
        for other, belief in tess_choices(seen, input_map, alphabet).items():
            if other != mine:
                merged[other] = max(merged.get(other, 0.0), belief)
        alt_lists.append(tuple(a for a, _p in sorted(merged.items(), key=lambda kv: -kv[1]))[:4])
        found.append(
            Evidence(
                mine,
                purity,
                pp_rival,
                q_mine,
                q_rival,
                gap_here,
                False,
                tess_best=best,
                tess_best_rival=max(
                    (v for d in singles for k, v in d.items() if k != mine), default=0.0
                ),
                hidden=covered,
                twin=twin,
                alike=drawn_alike,
                tail=tail,
                agree=agree,
                variants=len(tess_reads),
                valid=mine in alphabet,
                third=thirds[i],
            )
        )
    mixed = _mixed(found)
    if not mixed:
        # No Q whose tail is hidden in a row of digits (a real photo's 14-digit PIN under
        # light residue), nor an I drawn like its 1 or an O like its 0: the row is made
        # of digits (a store card's number, its 1s with one Tesseract variant reading I).
        found = [replace(e, tail=False, alike=False) for e in found]
    sure_row = sure_of(found, th)
    out: list[CharReading] = []
    for i, e in enumerate(found):
        sure = sure_row[i]
        conf = e.pp if sure else min(e.pp, e.tess, 0.6)
        offered = alt_lists[i]
        other = SAME_DRAWN.get(e.char, "")
        if not sure and e.alike and other not in offered:
            offered = (other, *offered)[:4]  # both readers sure of a 0: the O is the question
        if not sure and _tail_hidden(e, th) and "Q" not in offered:
            offered = (*offered[:1], "Q", *offered[1:])[:4]  # … or a Q, its tail hidden
        if not sure and _strokes_hidden(e, th):
            # … or what residue could have made this of: a 5 may be a 6, 8 or 9 with a
            # stroke hidden, though neither reader named them (the review lists them).
            under = [h for h in STROKES_HIDDEN.get(e.char, "") if h in alphabet]
            offered = (*offered[:1], *[h for h in under if h not in offered], *offered[1:])[:4]
        out.append(
            CharReading(
                e.char, round(float(conf), 4), offered, None, "certain" if sure else "check"
            )
        )
        if evidence is not None:
            evidence.append(replace(e, certain=sure))
    return share_twin_doubt(out, alphabet, DRAWN_ALIKE + BLURRED_ALIKE if mixed else BLURRED_ALIKE)


def share_twin_doubt(
    chars: list[CharReading],
    alphabet: str,
    pairs: Sequence[tuple[str, str]],
) -> list[CharReading]:
    """Where the readers could not tell a drawn-alike pair apart at one position of a row
    (an O marked with 0 as its alternative), every character of that pair in the row is
    marked: the row's font draws the two alike, so the positions both readers called
    sure are no safer (a generated card in Noto Sans Mono: O read 0 by both, sure, two
    places before a 0 the readers split on; dot-matrix card numbers out of focus, a 0
    read 8 and marked, the next 0s read 8 by both, sure: calibration card 1200019,
    generated seed 50500007). A row already marked gains no new field flag, only the
    user's look at each character of the pair (docs/ocr.md)."""
    out = list(chars)
    for a, b in pairs:
        if a not in alphabet or b not in alphabet:
            continue
        pair = {a, b}
        spots = [i for i, c in enumerate(out) if c.char in pair]
        split = any(
            out[i].flagged and (pair - {out[i].char}) & set(out[i].alternatives) for i in spots
        )
        if not split:
            continue
        for i in spots:
            c = out[i]
            if c.flagged:
                continue
            twin = (pair - {c.char}).pop()
            alts = c.alternatives if twin in c.alternatives else (twin, *c.alternatives)
            out[i] = CharReading(c.char, min(c.confidence, 0.6), alts, c.box, "check")
    return out
