"""Which line holds the card number and which the password.

Labels decide first (卡号 / 密码 / PIN … inline, to the left on the same row, or just
above), then the profile's format (length, alphabet, grouping), then size and place.
Hotlines, web addresses, dates, amounts and notes are never candidates. When nothing
decides between two rows that both fit (no label, same length, same alphabet), the
password is flagged as a whole and the other row is kept as the alternative the review
shows: never a silent pick. See docs/ocr.md, "Which line is which".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import NamedTuple

import cv2
import numpy as np

from core.codes.profiles import FieldFormat, Profile
from ocr import labels as LB
from ocr.lines import Line, below, gap_along, same_row
from ocr.ppocr import CtcChar

CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPARATORS = " -"
OWN_SHAPE_LOWER = frozenset("abdefghijklmnqrty")  # c o p s u v w x z read like capitals
MIN_DIGITS = 2  # an unlabelled run needs this many digits to be a code
MIN_CODE = 6  # shorter runs are never a card code (a date part, a price, a page number)
# Characters before a run in which a word announcing something else (电话, TOTAL …) makes
# it no code: "Order # 2281802946" has its word eight characters before the run.
BEFORE_WINDOW = 8


def is_cjk(ch: str) -> bool:
    return bool(LB.CJK.match(ch))


@dataclass
class Candidate:
    """A run of code characters on one line, with what the card says about it."""

    line: Line
    x0: float  # extent of the value in the line crop's pixels
    x1: float
    chars: list[CtcChar]  # recogniser's reading restricted to code characters
    groups: tuple[int, ...]  # the grouping as printed (from separators and gaps)
    label: LB.Kind | None = None
    label_how: str = ""  # "inline", "left", "above"
    strong: bool = False  # the label names the field beyond doubt (not a bare "NO.")
    doubt: list[str] = field(default_factory=list)
    lost: tuple[bool, bool] = (False, False)  # a glyph at (start, end) was read as a symbol
    # Positions read as letters on a card type of digits and read again as digits
    # (`in_alphabet`): marked whatever the readers say.
    converted: tuple[int, ...] = ()

    @property
    def value(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def prob(self) -> float:
        return float(np.mean([c.prob for c in self.chars])) if self.chars else 0.0


GROUP_GAP = 1.45  # a step this many typical steps long between two characters is a gap
GAP_FRAMES = 1.5  # … and this many recogniser frames longer (one frame is jitter)
GLUED_GAP = 1.8  # neighbours this many typical steps apart have a space between them


def _norm_chars(chars: Sequence[CtcChar]) -> tuple[str, list[int]]:
    """The line's text normalised exactly as labels.norm does it (NFKC, a space where a
    lower-case letter meets a capital or digit, upper case, single spaces, no leading
    space) and, per normalised character, the index of the recognised character it came
    from, so that positions found in the text lead back to the picture. One more space
    goes after a label the recogniser glued to the code when the picture shows a wide
    gap there ("PIN|ET1R…" read "PINET1R…"): a short label is otherwise never taken off
    the start of a code, which may begin with the same letters."""
    out: list[str] = []
    src: list[int] = []
    prev = ""
    for i, c in enumerate(chars):
        for ch in unicodedata.normalize("NFKC", c.char):
            if (
                prev.islower()
                and prev.isascii()
                and (ch.isdigit() or (ch.isupper() and ch.isascii()))
            ):
                out.append(" ")
                src.append(i)
            prev = ch
            if ch.isspace():
                if not out or out[-1] == " ":
                    continue
                out.append(" ")
            else:
                out.append(ch.upper())
            src.append(i)
    while out and out[-1] == " ":
        out.pop()
        src.pop()
    text = "".join(out)
    if LB.find_label(text) is None:
        for g in sorted(_wide_gaps(chars)):
            k = src.index(g)
            if LB.label_only(text[:k]) is not None:
                return text[:k] + " " + text[k:], [*src[:k], g, *src[k:]]
    return text, src


def _wide_gaps(chars: Sequence[CtcChar]) -> set[int]:
    """Indices of Latin letters and digits that stand far right of the Latin letter or
    digit before them, with no space read between. (A Chinese glyph is twice as wide as
    a digit: "卡号5216" is not spaced out.)"""
    centres = [
        (i, (c.x0 + c.x1) / 2) for i, c in enumerate(chars) if c.char.isascii() and c.char.isalnum()
    ]
    steps = [
        (i, b - a)
        for (h, a), (i, b) in pairwise(centres)
        if i == h + 1  # neighbours: no space or other character read between them
    ]
    if len(steps) < 4:
        return set()
    typical = float(np.median([d for _i, d in steps]))
    return {i for i, d in steps if typical > 0 and d > GLUED_GAP * typical}


class Span(NamedTuple):
    """Where a line's value lies in its crop (x0, x1), the label read before it, and
    the stretch (lo, hi) between the marks printed right against it: characters the
    restricted reading finds outside it are those marks, not the code."""

    x0: float
    x1: float
    label: LB.Label | None
    lo: float
    hi: float
    lost: tuple[bool, bool] = (False, False)  # a glyph at (start, end) read as a symbol


def _value_span(line: Line) -> Span | None:
    """Where the value of a line lies (crop x range) after any inline label, or None
    when the line is no code (a label alone, a hotline, a note …)."""
    assert line.text is not None
    chars = line.text.chars
    if not chars:
        return None
    text, src = _norm_chars(chars)
    lab = LB.find_label(text)
    start = 0
    if lab is not None:
        start = len(text) if lab.end >= len(src) else lab.end
    body = text[start:]
    if not body.strip():
        return None
    # The longest stretch of code characters and separators in the body.
    best: tuple[int, int] = (0, 0)
    run_start = None

    def codeish(k: int) -> bool:
        return 0 <= k < len(text) and (text[k] in CODE_CHARS or text[k] in SEPARATORS + "_.·")

    for k in range(start, len(text) + 1):
        # One stray mark between code characters ("2806~7722", "47Z7=KKJB") is a misread
        # separator or speck, not the end of the code: the restricted reading below
        # reads those frames again.
        ok = codeish(k) or (
            k < len(text)
            and not is_cjk(text[k])
            and codeish(k - 1)
            and codeish(k + 1)
            and (text[k + 1] in CODE_CHARS or _group_ends_with_glyph(text, k))
            and not _word_end(chars, src, k)
        )
        if ok and run_start is None:
            run_start = k
        if not ok and run_start is not None:
            if k - run_start > best[1] - best[0]:
                best = (run_start, k)
            run_start = None
    a, b = _trim_words(text, *best)
    a, b = _trim_words(text, *_trim_lower_words(text, chars, src, a, b))
    n_code = sum(1 for ch in text[a:b] if ch in CODE_CHARS)
    if n_code < MIN_CODE:
        return None
    # A hotline, a web address, a date or an amount, or a run right after words that
    # announce one (热线, 电话, TEL …), is no code; words elsewhere on the line (a note,
    # "刮开涂层" glued to the code by the detector) do not make the code something else.
    raw_run = "".join(chars[k].char for k in sorted({src[j] for j in range(a, b)}))
    before = text[max(start, a - BEFORE_WINDOW) : a]
    if LB.is_not_code(raw_run) or LB.has_not_code_word(before):
        return None
    # Codes are printed in capitals; lower-case letters that look nothing like their
    # capitals (g, e, j, a …) inside the run make it words or a file name overlaid on
    # the picture ("gIMGe2522…"), not a code.
    if lab is None and _lower_case_word(raw_run):
        return None
    # A symbol glued to an end of the code ("兑换码：&TEKR…", generated seed 50500020:
    # the 8 read as &) is one of its glyphs misread, not a mark printed beside it: the
    # value takes it in, and that end is in doubt.
    lost = (
        a - 1 >= start and _glyph_like(text[a - 1]),
        b < len(text) and _glyph_like(text[b]),
    )
    a, b = a - lost[0], b + lost[1]
    first, last = chars[src[a]], chars[src[b - 1]]
    pitch = (last.x1 - first.x0) / max(1, n_code + sum(lost))
    # The recogniser fires on a glyph's left part: the value's ends are where its ink
    # ends, looked for within a glyph's width (a crop that clips the last glyph's right
    # side turns an S into a 5 for the second reader).
    x0 = ink_end(line.crop, first.x0, -1, 0.8 * pitch)
    x1 = ink_end(line.crop, last.x1, +1, 1.4 * pitch)
    # A mark printed right against the value (the colon of "CARD NO.:5310…") lies inside
    # that stretch; what the restricted reading makes of it is no code character.
    left = [c for c in chars[: src[a]] if not c.char.isspace()]
    right = [c for c in chars[src[b - 1] + 1 :] if not c.char.isspace()]
    return Span(
        max(0.0, x0 - 0.15 * pitch),
        min(float(line.text.width), x1 + 0.15 * pitch),
        lab,
        left[-1].x1 if left else 0.0,
        right[0].x0 if right else float("inf"),
        lost,
    )


# Marks printed around a code: a label's colon, brackets, separators, an asterisk.
PRINTED_MARKS = frozenset(":：.。,，;；#*·_-—~()（）[]【】<>《》\"'“”‘’")


def _group_ends_with_glyph(text: str, k: int) -> bool:
    """text[k], a symbol, ends a group after a code character and the next group follows
    a separator: a glyph misread, not the code's end ("LQ1! IW0K", an I read as !;
    generated card 5580006 lost its last group)."""
    return (
        _glyph_like(text[k])
        and text[k - 1] in CODE_CHARS
        and text[k + 1] in SEPARATORS
        and k + 2 < len(text)
        and text[k + 2] in CODE_CHARS
    )


def _glyph_like(ch: str) -> bool:
    """A character no card prints against its code, which the recogniser gives for a
    glyph it could not read (& for 8, $ for S, % for 8, | for I …)."""
    return not (ch.isspace() or ch in CODE_CHARS or ch in PRINTED_MARKS or is_cjk(ch))


def _lower_case_word(raw: str) -> bool:
    """Two or more letters that have their own lower-case shape: words, not a code
    (printed in capitals; one such letter may be a capital misread)."""
    return sum(ch in OWN_SHAPE_LOWER for ch in raw) >= 2


def _trim_lower_words(
    text: str, chars: Sequence[CtcChar], src: list[int], a: int, b: int
) -> tuple[int, int]:
    """The run without the words in lower case at its start: "INCode 6961-4438-…" is a
    label cut to its last letters by the edge of a camera frame's neighbourhood (video
    seed 401), then the code. Two letters that have their own lower-case shape make a
    word, as for a whole run; a group with digits stays ("4387ng": a word glued to the
    code, which no cut here would mend). Words after a run are left to the whole-run
    test: "of 2024 invoice please" is prose, not the code "OF2024"."""
    while True:
        first = text[a:b].split(" ", maxsplit=1)[0]
        raw = "".join(chars[src[k]].char for k in range(a, a + len(first)))
        word = _lower_case_word(raw) and not any(ch.isdigit() for ch in raw)
        if not word or a + len(first) >= b:
            return a, b
        a += len(first) + 1


def _word_end(chars: Sequence[CtcChar], src: list[int], k: int) -> bool:
    """The colon at text[k] ends a word in lower case ("…de:5107 …"): the end of a label
    cut off by the edge of a camera frame's neighbourhood ("PIN Code:"), not a speck
    inside a code, which is printed in capitals."""
    return chars[src[k]].char in ":：" and chars[src[k - 1]].char.islower()


def ink_end(crop: np.ndarray, x: float, step: int, reach: float) -> float:
    """From column x, going left (step -1) or right (+1), where the ink of the glyph at x
    ends: the first blank column run at least a tenth of the line's height wide, within
    `reach` pixels (else x ± reach)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    h, w = grey.shape
    band = grey[h // 6 : h - h // 6]
    _t, ink = cv2.threshold(band, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    cols = ink.sum(axis=0) > 0
    need = max(2, h // 10)
    blank = 0
    pos = round(x)
    for k in range(int(reach)):
        c = pos + step * k
        if not 0 <= c < w:
            return float(min(max(c, 0), w))
        blank = blank + 1 if not cols[c] else 0
        if blank >= need:
            return float(c - step * (need - 1))
    return float(x + step * reach)


# Words printed right beside a code, in its own row ("SCRATCH HERE" on the panel).
EDGE_WORDS = frozenset(
    {"SCRATCH", "HERE", "SCRATCHHERE", "GENTLY", "REVEAL", "RUB", "COIN", "OFF", "TO"}
)


def _trim_words(text: str, a: int, b: int) -> tuple[int, int]:
    """The run without separators or stray marks at its ends, and without the printed
    words that the detector joined to the code's row ("…ITBC SCRATCH HERE")."""
    while True:
        # A run starts and ends with a code character: a stray mark let into it at an
        # end (the colon of "NO.:4006…") is no part of it.
        while a < b and text[a] not in CODE_CHARS:
            a += 1
        while b > a and text[b - 1] not in CODE_CHARS:
            b -= 1
        tokens = text[a:b].split(" ")
        if len(tokens) > 1 and tokens[-1] in EDGE_WORDS:
            b = a + len(" ".join(tokens[:-1]))
        elif len(tokens) > 1 and tokens[0] in EDGE_WORDS:
            a += len(tokens[0]) + 1
        else:
            return a, b


def groups_of(
    chars: Sequence[CtcChar], frame: float = 0.0
) -> tuple[tuple[int, ...], list[CtcChar]]:
    """The code characters and how they are grouped as printed: a separator, or a gap
    clearly wider than the others between two neighbours, starts a new group. `frame`:
    the width of one of the recogniser's frames in the same pixels; a character's place
    is known to a frame only, so a step one frame longer than the others is no gap.
    Gaps that would make groups no card prints (4-2-2-1-3-4) are the recogniser's
    jitter: the separators alone decide then (docs/ocr.md, "The groups as printed")."""
    code = [c for c in chars if c.char in CODE_CHARS]
    if not code:
        return (), []
    centres = [(c.x0 + c.x1) / 2 for c in code]
    steps = [b - a for a, b in pairwise(centres)]
    typical = float(np.median(steps)) if steps else 0.0
    sep_after: set[int] = set()
    k = -1
    for c in chars:
        if c.char in CODE_CHARS:
            k += 1
        elif k >= 0:
            sep_after.add(k)
    wide = {
        i
        for i, step in enumerate(steps)
        if typical > 0 and step > GROUP_GAP * typical and step - typical > GAP_FRAMES * frame
    }
    sizes = _sizes(len(code), sep_after | wide)
    if wide - sep_after and not _printable(sizes):
        sizes = _sizes(len(code), sep_after)
    return sizes, code


def _sizes(n: int, ends: set[int]) -> tuple[int, ...]:
    """Group sizes of n characters, a group ending after each index in `ends`."""
    out: list[int] = []
    size = 0
    for i in range(n):
        size += 1
        if i == n - 1 or i in ends:
            out.append(size)
            size = 0
    return tuple(out)


def _printable(groups: tuple[int, ...]) -> bool:
    """Groups a card prints a code in: of two or more characters and one size, give or
    take one (5-4-5), the last one maybe shorter (4-4-4-4-2)."""
    if len(groups) < 2:
        return True
    body = groups[:-1]
    return min(body) >= 2 and max(body) - min(body) <= 1 and groups[-1] <= max(body) + 1


def candidates(lines: Sequence[Line], label: LB.Label | None = None) -> list[Candidate]:
    """Every run of code characters worth considering, labelled where the card says.
    `label`: the lines are read from right after this label (a row read again whole,
    after its label line), so their runs are its value whatever they hold."""
    out: list[Candidate] = []
    for ln in lines:
        if ln.text is None:
            continue
        span = _value_span(ln)
        if span is None:
            continue
        x0, x1, lab = span.x0, span.x1, span.label
        read = [
            c
            for c in ln.text.restricted(CODE_CHARS, x0, x1)
            if span.lo <= (c.x0 + c.x1) / 2 <= span.hi
        ]
        groups, code = groups_of(read, ln.text.width / max(1, ln.text.frames))
        if len(code) < MIN_CODE:
            continue
        cand = Candidate(ln, x0, x1, code, groups, lost=span.lost)
        lab = lab or label
        if lab is not None:
            cand.label, cand.label_how, cand.strong = lab.kind, "inline", lab.strong
        out.append(cand)
    # labels attach below
    _attach_labels(lines, out)
    # A run with (almost) no digits is a word ("THANK YOU", "ORIGINAL", a brand) unless
    # a label names it: card codes are mostly digits, and every one we know has some.
    return [
        c
        for c in out
        if c.label is not None or sum(ch.char.isdigit() for ch in c.chars) >= MIN_DIGITS
    ]


def _attach_labels(lines: Sequence[Line], cands: list[Candidate]) -> None:
    """A label standing alone names the value to its right on the same row, or else the
    value right below it; the nearest one wins, and one label names one value."""
    taken: set[int] = set()
    label_lines = _label_lines(lines)
    pairs: list[tuple[float, int, int, str]] = []
    for li, (ln, _lab) in enumerate(label_lines):
        for ci, c in enumerate(cands):
            if c.line is ln:
                continue
            if same_row(ln, c.line):
                g = gap_along(ln, c.line)
                if -0.5 * ln.height < g < 12 * ln.height:
                    pairs.append((g / ln.height, li, ci, "left"))
                continue
            d = below(ln, c.line)
            if d is not None and d < 2.6:
                pairs.append((10 + d, li, ci, "above"))
    used_labels: set[int] = set()
    for _dist, li, ci, how in sorted(pairs):
        if li in used_labels or ci in taken or cands[ci].label is not None:
            continue
        cands[ci].label = label_lines[li][1].kind
        cands[ci].label_how = how
        cands[ci].strong = label_lines[li][1].strong
        used_labels.add(li)
        taken.add(ci)


LABEL_CHAR_SPAN = 1.0  # line heights a label's character takes at most (CJK ~0.6)


def _label_lines(lines: Sequence[Line]) -> list[tuple[Line, LB.Label]]:
    """The lines that hold a label and nothing else, read from the whole line."""
    out = []
    for ln in lines:
        if ln.text is None:
            continue
        lab = LB.label_only(ln.text.text)
        if lab is not None and _reads_whole(ln):
            out.append((ln, lab))
    return out


def _reads_whole(line: Line) -> bool:
    """Whether the line's text can be all there is on it: a label read from a line far
    longer than its text is the recogniser's few sure characters of a line it could not
    read (a real photo's cut-off top line, 580 px long, read "NO", named the password
    below it the card number)."""
    assert line.text is not None
    n = len(LB.norm(line.text.text))
    return line.length <= (n + 2) * LABEL_CHAR_SPAN * line.height


def label_end_x(line: Line) -> tuple[LB.Label, float] | None:
    """The label a line starts with and where (crop x) its value would begin."""
    assert line.text is not None
    chars = line.text.chars
    text, src = _norm_chars(chars)
    lab = LB.find_label(text)
    if lab is None:
        return None
    if lab.end >= len(src):
        return lab, float(line.text.width)
    return lab, max(0.0, chars[src[lab.end]].x0 - 2.0)


def lonely_labels(
    lines: Sequence[Line],
    cands: Sequence[Candidate],
) -> list[tuple[Line, LB.Label]]:
    """Labels standing alone whose field no candidate has: the value was not found as
    a line of its own (worth looking for right next to the label). A field held only
    by a weakly labelled run ("NO.2892509" in a corner) does not count as found when
    the card also says "卡号：" alone on a line: the detector missed that value."""
    have = {c.label for c in cands}
    strong = {c.label for c in cands if c.strong}
    return [
        (ln, lab)
        for ln, lab in _label_lines(lines)
        if lab.kind not in (strong if lab.strong else have)
    ]


# -- fitting candidates to the profile's fields ---------------------------------------


def fits(c: Candidate, fmt: FieldFormat) -> float | None:
    """How well a candidate fits a field's format (higher is better), None if it cannot
    be that field at all."""
    value = "".join(fmt.input_map.get(ch, ch) for ch in c.value)
    n = len(value)
    fixed = fmt.min_length == fmt.max_length or len(fmt.lengths) > 2
    length_ok = n in fmt.lengths if fixed else fmt.min_length <= n <= fmt.max_length
    foreign = sum(1 for ch in value if ch not in fmt.alphabet)
    # Only a row whose every letter is one a digit is read as: letters of any other
    # kind beside them make a file name or a word (a real photo's overlaid
    # "IMG_2024…_jpg", read "FMG8382…", was taken for a recharge password).
    alike = sum(1 for ch in value if _digit_alike(ch, fmt))
    if alike < foreign:
        alike = 0
    foreign -= alike
    if foreign > max(1, n // 6) or alike > n // 3:
        return None
    score = 1.0 - 0.5 * foreign - 0.25 * alike
    if length_ok:
        score += 1.0
    else:
        off = (
            min(abs(n - k) for k in fmt.lengths)
            if fixed
            else (fmt.min_length - n if n < fmt.min_length else n - fmt.max_length)
        )
        if off > 2:
            return None
        score -= 0.5 * off
    if fixed and fmt.groups and c.groups == _printed_groups(fmt, n):
        score += 0.3
    usual = sum(1 for ch in value if ch in fmt.usual_alphabet) / max(1, n)
    score += 0.3 * usual
    return score


# Letters the recogniser gives for digits printed in dots or blurred: a dotted 8 is a
# B to it, a dotted 0 a D or an O (generated card 5560030, a China Mobile card printed
# in dots: five of its 18 digits read B, and the card was taken for another kind).
DIGIT_ALIKE = frozenset("BDOQILSZGT")


def _digit_alike(ch: str, fmt: FieldFormat) -> bool:
    """A letter in a code whose card type prints digits only, which a digit is read as."""
    return ch in DIGIT_ALIKE and ch not in fmt.alphabet and fmt.alphabet.isdigit()


def in_alphabet(c: Candidate, fmt: FieldFormat) -> Candidate:
    """The candidate read again within the field's alphabet when it was taken for a
    field of digits with digit look-alike letters in it; the positions changed are
    marked (`converted`). Unchanged when the new reading does not line up with the old
    one, character for character."""
    if not any(_digit_alike(ch.char, fmt) for ch in c.chars) or c.line.text is None:
        return c
    first, last = c.chars[0], c.chars[-1]
    pitch = (last.x1 - first.x0) / max(1, len(c.chars))
    again = [
        ch
        for ch in c.line.text.restricted(fmt.alphabet, c.x0, c.x1)
        if ch.char in fmt.alphabet
        and first.x0 - pitch / 2 <= (ch.x0 + ch.x1) / 2 <= last.x1 + pitch / 2
    ]
    if len(again) != len(c.chars):
        return c
    changed = tuple(
        i for i, (a, b) in enumerate(zip(c.chars, again, strict=True)) if a.char != b.char
    )
    if any(c.chars[i].char in fmt.alphabet for i in changed):
        return c  # a digit read as another digit: not the same reading
    return replace(c, chars=again, converted=changed)


def _printed_groups(fmt: FieldFormat, n: int) -> tuple[int, ...]:
    return tuple(len(g) for g in fmt.group("x" * n))


@dataclass
class Assignment:
    pin: Candidate | None = None
    card_number: Candidate | None = None
    # Rows that fit the password as well as the chosen one and nothing tells apart.
    pin_rivals: list[Candidate] = field(default_factory=list)
    row_doubt: bool = False
    number_doubt: bool = False  # another row would do as well for the card number


def _size(c: Candidate) -> float:
    return c.line.height


ROW_MARGIN = 1.0  # an unlabelled rival this close to the chosen password casts doubt


def assign(cands: Sequence[Candidate], profile: Profile) -> Assignment:
    """The password and the card number that fit the card best together: a row named by
    its label goes to that field; unlabelled rows go where their format fits (a row with
    letters cannot be a digits-only card number), the password being the more prominent
    code. Two different rows; the card number may be missing."""
    pin_fmt = profile.fields["pin"]
    num_fmt = profile.fields.get("card_number")
    tallest = max((c.line.height for c in cands), default=1.0)

    def score(c: Candidate, fmt: FieldFormat | None, name: str) -> float | None:
        sc = _field_score(c, fmt, name)
        if sc is None:
            return None
        # Not named beyond doubt, the codes are the most prominent rows on the card (a
        # serial in small print is not the card number), the password most of all.
        weight = 1.0 if name == "pin" else 0.5
        return sc + (0.0 if c.strong else weight * c.line.height / tallest)

    # A row repeating a labelled card number (printed again under a barcode) is the
    # card number, never the password.
    pins = [
        (sc, c)
        for c in cands
        if (sc := score(c, pin_fmt, "pin")) is not None and not _same_as_number(c, cands)
    ]
    nums = [(sc, c) for c in cands if (sc := score(c, num_fmt, "card_number")) is not None]
    result = Assignment()
    if not pins:
        result.card_number = max(nums, key=lambda sc_c: sc_c[0])[1] if nums else None
        return result
    best: tuple[float, Candidate, Candidate | None] | None = None
    for sp, p in pins:
        pair: tuple[float, Candidate | None] = (0.0, None)
        for sn, n in nums:
            if n.line is not p.line and n.value != p.value and sn > pair[0] and same_card(p, n):
                pair = (sn, n)
        total = sp + pair[0]
        if best is None or total > best[0]:
            best = (total, p, pair[1])
    assert best is not None
    total, pin, num = best
    result.pin, result.card_number = pin, num
    if not (pin.label == "pin" and pin.strong):
        # Nothing on the card names the password beyond doubt: another row that would
        # make about as good a reading could be it, and so could the card number's row
        # when no label names that one. A pick between them would be a guess.
        rivals = _rivals(pin, pins, nums, total)
        # Named by a label and shaped like one: a label over a row that is no card
        # number of this card type was misread, or names something else.
        number_named = any(
            c.label == "card_number"
            and c.strong
            and c.line is not pin.line
            and (num_fmt is None or fits(c, num_fmt) is not None)
            for c in cands
        )
        if num_fmt is not None and not number_named and _looks_like_number(pin, num_fmt):
            rivals = rivals or [c for c in cands if c is not pin and c.value != pin.value][:1]
            result.row_doubt = True
        rivals = [r for r in rivals if not _same_as_number(r, cands)]
        # The card names another row its password, one this card type's format does not
        # take (a store card's "Password: GHHY-3AXZ-…" read as a mobile recharge card,
        # whose passwords are digits): the row picked instead is a guess.
        named = [
            c
            for c in cands
            if c.label == "pin" and c.strong and c.line is not pin.line and same_card(pin, c)
        ]
        rivals += [c for c in named[:1] if c not in rivals]
        if rivals:
            result.pin_rivals = rivals
            result.row_doubt = True
    if num is not None and not (num.label == "card_number" and num.strong):
        # The card number is not bound with it, but a wrong one still misleads: doubt it
        # as a whole when another row would do as well.
        mine = next(sn for sn, n in nums if n is num)
        result.number_doubt = any(
            n is not num
            and n.value != num.value
            and n.line is not pin.line
            and n.label is None
            and sn >= mine - ROW_MARGIN
            and same_card(pin, n)
            for sn, n in nums
        )
        # The password may be the card number's row: then the card number may be the
        # password's row, the two swapped (generated seed 9191, a recharge card in
        # glare: the 18-digit password given as the card number, a few of its
        # characters marked, the rest shown as certain).
        if any(r.line is num.line for r in result.pin_rivals):
            result.number_doubt = True
    return result


# A row left open in length for a card type chosen by the user is still no shorter than
# this: fewer digits are a phone number, a date or an amount more often than a code.
ANY_LENGTH_MIN = 10
ANY_LENGTH_MAX = 32


def assign_any_length(
    cands: Sequence[Candidate], profile: Profile, strict: Assignment
) -> Assignment | None:
    """The card type was chosen, and no row has its password's length: the rows assigned
    again with that length left open (its alphabet kept). A recharge card of another
    operator read as China Mobile's has a 14- or 15-digit password that no 18-digit
    format takes; "no password found" would hide the row the user needs, while this row,
    its length breaking the chosen format, is shown doubted as a whole with the card type
    to check (docs/ocr.md, "A card type that does not fit the card"). None when this
    finds no password either, or only a row that makes a right card number."""
    pin_fmt = profile.fields["pin"]
    lo = min(ANY_LENGTH_MIN, pin_fmt.min_length)
    hi = max(ANY_LENGTH_MAX, pin_fmt.max_length)
    loose = replace(pin_fmt, lengths=tuple(range(lo, hi + 1)))
    other = assign(cands, replace(profile, fields={**profile.fields, "pin": loose}))
    if other.pin is None:
        return None
    num = strict.card_number
    num_fmt = profile.fields.get("card_number")
    if (
        num is not None
        and other.pin.line is num.line
        and num_fmt is not None
        and len(num.value) in num_fmt.lengths
    ):
        # A card number of the right length (a card whose password is still covered
        # shows only its serial) is no password of the wrong one.
        return None
    return other


SAME_CARD_COS = math.cos(math.radians(15))  # rows of one card run the same way
SAME_CARD_REACH = 3.0  # and lie within this many password-row lengths of each other


def same_card(pin: Candidate, other: Candidate) -> bool:
    """Whether `other` can be printed on the same card as `pin`: its text runs the same
    way and it is not farther than the card can reach. A receipt or another card beside
    the gift card has its own "卡号" rows, turned some other way or far off."""
    a, b = pin.line, other.line
    if float(np.dot(a.axis, b.axis)) < SAME_CARD_COS:
        return False
    reach = SAME_CARD_REACH * max(a.length, b.length)
    return float(np.linalg.norm(a.centre - b.centre)) <= reach


def _looks_like_number(c: Candidate, fmt: FieldFormat) -> bool:
    """The row could be a card number: it fits the format and is (nearly) all digits, as
    every card number we know is."""
    digits = sum(ch.isdigit() for ch in c.value) / max(1, len(c.value))
    return digits >= 0.9 and fits(c, fmt) is not None


def _rivals(
    pin: Candidate,
    pins: list[tuple[float, Candidate]],
    nums: list[tuple[float, Candidate]],
    total: float,
) -> list[Candidate]:
    """Unlabelled rows that, taken as the password, make a reading about as good."""
    out = []
    for sp, p in pins:
        if p is pin or p.label is not None or p.value == pin.value:
            continue
        rest = max(
            (sn for sn, n in nums if n.line is not p.line and n.value != p.value), default=0.0
        )
        if sp + rest >= total - ROW_MARGIN:
            out.append(p)
    return out


def _same_as_number(c: Candidate, cands: Sequence[Candidate]) -> bool:
    """A row that repeats a labelled card number (printed twice, e.g. under a barcode)."""
    return any(o.label == "card_number" and o.value == c.value for o in cands if o is not c)


def _kind_of(value: str) -> str:
    return "digits" if value.isdigit() else "mixed"


def _field_score(c: Candidate, fmt: FieldFormat | None, name: str) -> float | None:
    if fmt is None:
        return None
    if c.label is not None and c.label != name:
        return None
    f = fits(c, fmt)
    if f is None:
        # A label names it even though the value does not fit (a glyph lost or gained):
        # keep it, its characters will all be flagged.
        return 0.5 if c.label == name else None
    score = f + 0.2 * c.prob
    if c.label == name:
        return score + (5.0 if c.strong else 0.8)
    if _regular(c.groups):
        score += 1.0  # printed in even groups (4-4-4-4, 6-6-6): the way codes are printed
    # Unlabelled: a run with few digits is more likely words printed in capitals (a
    # slogan, a town) than a code; a card number is digits.
    n = len(c.value)
    digits = sum(ch.isdigit() for ch in c.value) / max(1, n)
    if digits < 0.3:
        score -= 2.0
    if name == "card_number":
        score -= 1.5 * (1.0 - digits)
    if fmt.min_length != fmt.max_length:
        score += 0.5 * min(1.0, n / 12)
    return score


def _regular(groups: tuple[int, ...]) -> bool:
    return len(groups) >= 3 and min(groups) >= 3 and max(groups) - min(groups) <= 1
