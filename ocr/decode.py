"""From Tesseract's per-variant readings of one line to code characters with honest tiers.

Three steps:

1. `align`: readings of the same strip by several preprocessing variants are matched
   glyph by glyph on their x position (they share the strip's geometry), giving slots.
2. `candidates`: slots are split into words at separators and wide gaps, and every run of
   whole words whose length fits the profile field is a candidate value (a label such as
   "SN:" or a misread 卡号 in front is a word of its own and falls outside the run).
3. `decide`: each position's evidence (LSTM confidence and alternatives, agreement of the
   variants, look-alikes that the field's alphabet accepts, unusual characters) gives
   the character and its tier. A character is `certain` only when all of it agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from core.codes.confusion import confusable_with
from core.codes.profiles import FieldFormat
from ocr.hocr import Box, OcrChar, OcrLine
from ocr.reading import CharReading, CharTier

# A character is certain on the recognizer's word only when every variant reads it the
# same with at least this mean LSTM confidence, and no usual look-alike got more than
# ALT_MAX in a variant that read it. Calibrated on synthetic cards of other seeds than the
# benchmark's (per-position evidence against ground truth): zero wrong characters called
# certain on clean and photo cards, while 98-99 % of right ones are. The LSTM's peaks for
# other characters are not probabilities (a clear "3" often shows "5" at 0.8), hence the
# high ALT_MAX; the glyph check (ocr/glyphs.py) then confirms or doubts each glyph
# against the card's own other glyphs.
CERTAIN_MIN = 0.90
TWIN_MIN = 0.95  # stricter when a valid look-alike exists (hex 8/B, 0/D, E/F, …)
ALT_MAX = 0.80
# Next to a character the variants split on (this many dissenters) a character needs its
# rival readings below this peak to stay certain: a "0" half under residue read as "9"
# by every variant, with "0" at 0.54, beside a "4" read three ways.
NEIGHBOUR_DISSENT = 2
NEIGHBOUR_ALT = 0.5
UNREADABLE_BELOW = 0.25
# A usual rival at this LSTM peak: seen by one of the first pass's two variants, the
# character goes to the second pass; seen by half the second pass's, it stays flagged.
RIVAL_PEAK = 0.5
SEPARATORS = frozenset("-—–_~=")


@dataclass
class Obs:
    """One variant's reading of one glyph."""

    variant: str
    char: str  # upper-cased
    conf: float
    box: Box
    choices: dict[str, float]  # upper-cased char → best LSTM probability seen
    word: int = 0  # index of the Tesseract word it belongs to


@dataclass
class Slot:
    obs: dict[str, Obs] = field(default_factory=dict)  # variant → observation
    x0: float = 0.0
    x1: float = 0.0

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    def top(self) -> str:
        """The most common reading (ties: the most confident)."""
        votes: dict[str, float] = {}
        for o in self.obs.values():
            votes[o.char] = votes.get(o.char, 0.0) + 1.0 + o.conf * 0.01
        return max(votes, key=lambda k: votes[k]) if votes else ""

    @property
    def is_glyph(self) -> bool:
        t = self.top()
        return bool(t) and t.isascii() and t.isalnum()

    @property
    def is_separator(self) -> bool:
        return self.top() in SEPARATORS

    def box(self) -> Box:
        boxes = [o.box for o in self.obs.values()]
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
        return x0, y0, x1 - x0, y1 - y0


def observations(line: OcrLine | None, variant: str) -> list[Obs]:
    if line is None:
        return []
    out = []
    for wi, word in enumerate(line.words):
        for c in word.chars:
            if c.text.strip():
                out.append(_obs(c, variant, wi))
    return out


def _obs(c: OcrChar, variant: str, word: int = 0) -> Obs:
    choices: dict[str, float] = {}
    for ch, p in c.choices:
        key = ch.upper()
        choices[key] = max(choices.get(key, 0.0), p)
    top = c.text.upper()
    choices[top] = max(choices.get(top, 0.0), c.conf)
    return Obs(variant, top, c.conf, c.box, choices, word)


def _cx(o: Obs) -> float:
    return o.box[0] + o.box[2] / 2


def _pair(ref: list[Obs], other: list[Obs], pitch: float) -> list[tuple[int | None, int | None]]:
    """Needleman-Wunsch alignment of two readings of the same strip.

    Tesseract's LSTM glyph boxes are only roughly placed, so neither the characters nor
    the x positions alone line the readings up; the cost uses both: a different
    character costs 1, a position off by one glyph pitch costs 1, a gap costs 1.2.
    """
    n, m = len(ref), len(other)
    gap = 1.2
    cost = np.zeros((n + 1, m + 1), np.float64)
    cost[:, 0] = np.arange(n + 1) * gap
    cost[0, :] = np.arange(m + 1) * gap
    for i in range(1, n + 1):
        a = ref[i - 1]
        for j in range(1, m + 1):
            b = other[j - 1]
            sub = (a.char != b.char) * 1.0 + min(2.0, abs(_cx(a) - _cx(b)) / pitch)
            cost[i, j] = min(cost[i - 1, j - 1] + sub, cost[i - 1, j] + gap,
                             cost[i, j - 1] + gap)
    out: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            a, b = ref[i - 1], other[j - 1]
            sub = (a.char != b.char) * 1.0 + min(2.0, abs(_cx(a) - _cx(b)) / pitch)
            if abs(cost[i, j] - (cost[i - 1, j - 1] + sub)) < 1e-9 and sub < 2.5:
                out.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i > 0 and (j == 0 or abs(cost[i, j] - (cost[i - 1, j] + gap)) < 1e-9):
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    out.reverse()
    return out


def align(readings: dict[str, list[Obs]]) -> list[Slot]:
    """Match the variants' glyphs into slots, left to right (see `_pair`)."""
    present = {v: sorted(obs, key=_cx) for v, obs in readings.items() if obs}
    if not present:
        return []
    all_obs = [o for obs in present.values() for o in obs]
    widths = sorted(o.box[2] for o in all_obs if o.char.isalnum())
    pitch = max(1.0, float(widths[len(widths) // 2]) if widths else 10.0)
    ref_name = max(present, key=lambda v: (len(present[v]), -list(readings).index(v)))
    slots = [Slot({ref_name: o}) for o in present[ref_name]]
    for v, obs in present.items():
        if v == ref_name:
            continue
        # Align against the slots' representative reading so far (the reference).
        ref = [next(iter(s.obs.values())) for s in slots]
        pairs = _pair(ref, obs, pitch)
        new_slots: list[Slot] = []
        for ri, oi in pairs:
            if ri is not None:
                slot = slots[ri]
                if oi is not None:
                    slot.obs[v] = obs[oi]
                new_slots.append(slot)
            elif oi is not None:
                new_slots.append(Slot({v: obs[oi]}))
        slots = new_slots
    for s in slots:
        centers = [_cx(o) for o in s.obs.values()]
        s.x0 = min(centers) - pitch / 2
        s.x1 = max(centers) + pitch / 2
    return slots


@dataclass
class Candidate:
    slots: list[Slot]
    words: list[int]  # word lengths, in glyphs
    raw: str  # top readings, before mapping to the alphabet
    start_word: int = 0
    label_words: list[str] = field(default_factory=list)  # words left out before the run


def supported(slots: list[Slot], n_variants: int) -> list[Slot]:
    """Slots that at least half of the variants saw (a glyph only one variant of several
    reports is usually residue or a split stroke); a tie keeps confident slots only."""
    out = []
    for s in slots:
        k = len(s.obs)
        tie_but_sure = 2 * k == n_variants and max(o.conf for o in s.obs.values()) >= 0.6
        if 2 * k > n_variants or tie_but_sure:
            out.append(s)
    return out


def words(slots: list[Slot]) -> list[list[Slot]]:
    """Glyph slots grouped into words: split at separator slots and at wide gaps."""
    glyphs = [s for s in slots if s.is_glyph or s.is_separator]
    centers = [s.center for s in glyphs if s.is_glyph]
    steps = sorted(b - a for a, b in pairwise(centers) if b > a)
    # The usual glyph advance: within a group most steps are one advance.
    advance = steps[len(steps) // 3] if steps else 10.0
    out: list[list[Slot]] = []
    cur: list[Slot] = []
    prev: Slot | None = None
    for s in glyphs:
        if s.is_separator:
            if cur:
                out.append(cur)
            cur = []
            prev = None
            continue
        if prev is not None and _space_between(prev, s, advance):
            out.append(cur)
            cur = []
        cur.append(s)
        prev = s
    if cur:
        out.append(cur)
    return out


def _space_between(a: Slot, b: Slot, advance: float) -> bool:
    """A word break where most variants that read both glyphs put one (Tesseract's own
    word breaks), or where the glyphs stand clearly further apart than their usual
    advance (a label is often run into the code's first group by Tesseract)."""
    if b.center - a.center > 1.35 * advance:
        return True
    common = set(a.obs) & set(b.obs)
    split = sum(1 for v in common if a.obs[v].word != b.obs[v].word)
    return bool(common) and 2 * split > len(common)


def candidates(slots: list[Slot], fmt: FieldFormat, n_variants: int = 1) -> list[Candidate]:
    """Every run of whole words whose glyph count is a length the field allows, read
    with and without the glyphs that only a minority of the variants saw, and as each
    single variant saw the row (one variant's stray glyph must not hide another's
    clean reading). Positions the other variants read differently are flagged later
    by `decide`, so a candidate taken from one variant is never more certain."""
    variants = sorted({v for s in slots for v in s.obs})
    views = [supported(slots, n_variants), slots]
    views += [[s for s in slots if v in s.obs] for v in variants]
    out: list[Candidate] = []
    seen: set[tuple[int, ...]] = set()
    for view in views:
        for c in _candidates(view, fmt):
            key = tuple(id(s) for s in c.slots)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


# Words closer than this (in glyph pitches) belong to one printed string.
SAME_STRING_GAP = 2.6
MAX_LABEL = 3  # glyphs of a label read as junk in front of a code ("SN", "卡号" → "#5")


def _candidates(slots: list[Slot], fmt: FieldFormat) -> list[Candidate]:
    ws = words(slots)
    pitch_list = sorted(s.x1 - s.x0 for w in ws for s in w)
    pitch = pitch_list[len(pitch_list) // 2] if pitch_list else 10.0
    # gap[k]: distance from word k to word k+1, in pitches
    gaps = [(ws[k + 1][0].center - ws[k][-1].center) / pitch - 1 for k in range(len(ws) - 1)]
    out: list[Candidate] = []
    for i in range(len(ws)):
        # Glyphs of the same printed string in front of the run: a label is short; a
        # longer run there means this would cut a code in two.
        left = ""
        k = i - 1
        while k >= 0 and gaps[k] < SAME_STRING_GAP:
            left = "".join(s.top() for s in ws[k]) + left
            k -= 1
        if len(left) > MAX_LABEL and not (len(left) <= 6 and _label_like(left, fmt)):
            continue
        total = 0
        for j in range(i, len(ws)):
            total += len(ws[j])
            if total > fmt.max_length:
                break
            # Nothing of the same string may follow: a code is never cut short.
            if j + 1 < len(ws) and gaps[j] < SAME_STRING_GAP:
                continue
            if total in fmt.lengths:
                run = [s for w in ws[i: j + 1] for s in w]
                out.append(Candidate(run, [len(w) for w in ws[i: j + 1]],
                                     "".join(s.top() for s in run), i,
                                     ["".join(s.top() for s in w) for w in ws[:i]]))
    return out


def _label_like(text: str, fmt: FieldFormat) -> bool:
    """Junk Tesseract makes of a Chinese label (卡号 → "F315", "#5"): characters the
    field cannot hold, or letters in front of an all-digit field."""
    digits_only = all(c.isdigit() for c in fmt.alphabet)
    return any(c not in fmt.alphabet or (digits_only and c.isalpha()) for c in text)


def _map_char(ch: str, fmt: FieldFormat) -> list[str]:
    """Characters of the field's alphabet that a raw reading `ch` stands for."""
    if ch in fmt.alphabet:
        return [ch]
    if ch in fmt.input_map:
        return [fmt.input_map[ch]]
    return sorted(a for a in confusable_with(ch) if a in fmt.alphabet)


def effective_usual(fmt: FieldFormat, raw: str) -> str:
    """The usual alphabet, narrowed to digits when the profile says nothing and the
    code reads as (nearly) all digits: a lone letter among digits is then a misread
    until shown otherwise."""
    usual = fmt.usual_alphabet
    if usual != fmt.alphabet:
        return usual
    digits = sum(c.isdigit() for c in raw)
    if raw and digits >= 0.8 * len(raw) and any(c.isdigit() for c in fmt.alphabet):
        return "".join(c for c in fmt.alphabet if c.isdigit())
    return usual


@dataclass
class Evidence:
    """Everything the tier rule looks at for one position (also used to calibrate it)."""

    best: str
    p: float  # mean probability over all variants (a missing variant counts 0)
    p_agree: float  # mean confidence of the variants that read `best`
    dissent: int  # variants that read something else, or nothing
    dissent_conf: float  # the most confident of those
    foreign: bool  # some variant read a character the alphabet lacks
    twins: bool  # a valid, usual look-alike exists (hex 8/B, 0/D …)
    strong_alt: float  # highest LSTM alternative peak, among usual characters
    usual: bool
    n_var: int
    alts: tuple[str, ...]
    rival: int = 0  # variants that saw one same usual rival at RIVAL_PEAK or more


def evidence(slot: Slot, fmt: FieldFormat, variants: Sequence[str], usual: str,
             ) -> Evidence | None:
    n_var = max(1, len(variants))
    dist: dict[str, float] = {}
    per_var: list[tuple[str, float, dict[str, float]]] = []  # (top, conf, alt peaks)
    foreign = False
    for v in variants:
        o = slot.obs.get(v)
        mapped_top = _map_char(o.char, fmt) if o is not None else []
        if o is None or not mapped_top:
            per_var.append(("", 0.0, {}))
            continue
        if o.char not in fmt.alphabet and o.char not in fmt.input_map:
            foreign = True
        share = o.conf / len(mapped_top)
        for m in mapped_top:
            dist[m] = dist.get(m, 0.0) + share / n_var
        peaks: dict[str, float] = {}
        for ch, q in o.choices.items():
            for m in _map_char(ch, fmt):
                if m not in mapped_top:
                    peaks[m] = max(peaks.get(m, 0.0), q)
        per_var.append((mapped_top[0] if len(mapped_top) == 1 else "?", o.conf, peaks))
    if not dist:
        return None
    best = max(dist, key=lambda k: dist[k])
    agreeing = [pv for pv in per_var if pv[0] == best]
    dissent = [pv for pv in per_var if pv[0] != best]
    alt_peak: dict[str, float] = {}
    for pv in per_var:
        for m, q in pv[2].items():
            alt_peak[m] = max(alt_peak.get(m, 0.0), q)
    twins = [a for a in confusable_with(best) if a in fmt.alphabet and a in usual]
    # Look-alikes outside the usual alphabet do not make a usual character doubtful
    # (a JD "1" is not in doubt because of the rarely used "I"); see
    # core.codes.confusion.valid_alternatives.
    strong_alt = max((q for pv in agreeing for m, q in pv[2].items()
                      if m != best and m in usual), default=0.0)
    # A rival the variants keep seeing (a serif "C" under every "0" they read).
    rival_votes: dict[str, int] = {}
    for pv in agreeing:
        for m, q in pv[2].items():
            if m != best and m in usual and q >= RIVAL_PEAK:
                rival_votes[m] = rival_votes.get(m, 0) + 1
    rival = max(rival_votes.values(), default=0)
    alts = sorted(
        {a for a in (set(dist) | {k for k, q in alt_peak.items() if q >= 0.05} | set(twins))
         if a != best and a in fmt.alphabet},
        key=lambda a: -(dist.get(a, 0.0) + alt_peak.get(a, 0.0)))
    return Evidence(best, min(1.0, dist[best]),
                    sum(pv[1] for pv in agreeing) / max(1, len(agreeing)),
                    len(dissent), max((pv[1] for pv in dissent), default=0.0), foreign,
                    bool(twins), strong_alt, best in usual, n_var, tuple(alts[:4]), rival)


def tier_of(e: Evidence) -> CharTier:
    # Two variants must agree outright; with four or more (second pass) one weak
    # dissenter is tolerated: the extra variants are deliberately harsh and each alone
    # misreads more often than the agreeing majority.
    tolerated = 1 if e.n_var >= 4 else 0
    agree = (e.dissent <= tolerated and e.dissent_conf < 0.8
             and e.n_var - e.dissent >= min(e.n_var, 2))
    need = TWIN_MIN if e.twins else CERTAIN_MIN
    steady_rival = e.rival >= (1 if e.n_var < 4 else (e.n_var + 1) // 2)
    if (agree and not e.foreign and e.p_agree >= need and e.strong_alt <= ALT_MAX
            and e.usual and not steady_rival):
        return "certain"
    return "unreadable" if e.p < UNREADABLE_BELOW else "check"


def decide(cand: Candidate, fmt: FieldFormat, variants: Sequence[str]) -> list[CharReading]:
    """Character and tier for every position of a candidate (boxes in strip pixels)."""
    usual = effective_usual(fmt, cand.raw)
    out: list[CharReading] = []
    evs = [evidence(slot, fmt, variants, usual) for slot in cand.slots]
    # Where the variants fall apart on a character, something (residue, glare) covers
    # that spot; its neighbour is only certain without a strong rival reading.
    troubled = [e is None or e.dissent >= NEIGHBOUR_DISSENT for e in evs]
    for i, (slot, e) in enumerate(zip(cand.slots, evs, strict=True)):
        if e is None:
            out.append(CharReading("", 0.0, (), _int_box(slot.box()), "unreadable"))
            continue
        char, alts, p = e.best, e.alts, e.p
        if not e.usual:
            # An unusual reading (JD "S", "I", "Z") with a usual look-alike that the
            # evidence also supports: the usual one is the likelier value. Still flagged.
            usual_alts = [a for a in e.alts if a in usual]
            if usual_alts:
                char = usual_alts[0]
                alts = (e.best, *[a for a in e.alts if a != char])[:4]
                p = min(p, 0.5)
        tier = tier_of(e)
        near = (i > 0 and troubled[i - 1]) or (i + 1 < len(evs) and troubled[i + 1])
        if tier == "certain" and near and e.strong_alt >= NEIGHBOUR_ALT:
            tier = "check"
        out.append(CharReading(char, round(p, 4), alts, _int_box(slot.box()), tier))
    return out


def _int_box(b: Box) -> Box:
    return int(b[0]), int(b[1]), int(b[2]), int(b[3])


def group_match(word_lengths: list[int], fmt: FieldFormat, *, extra_breaks: int = 0,
                ) -> bool:
    """Whether the printed grouping is the field's grouping (a strong hint it is that field).

    With `extra_breaks`, up to that many words that split a group further still match
    (a wide glyph such as a serif "7" makes Tesseract break a word): a group boundary
    that is missing or moved says a glyph was lost or gained."""
    if not fmt.groups:
        return False
    expected = list(fmt.groups)
    total = sum(word_lengths)
    while sum(expected) < total:
        expected.append(expected[-1])
    exp_prefix: list[int] = []
    acc = 0
    for g in expected:
        acc += g
        exp_prefix.append(acc)
        if acc >= total:
            break
    if exp_prefix[-1] != total:
        return False
    got = []
    acc = 0
    for n in word_lengths:
        acc += n
        got.append(acc)
    if extra_breaks:
        return set(exp_prefix) <= set(got) and len(got) - len(exp_prefix) <= extra_breaks
    return got == exp_prefix or len(word_lengths) == 1
