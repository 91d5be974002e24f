"""The read pipeline (DESIGN §3 "Read"): pixels in, a `Reading` out.

find the card and undo perspective → find text rows (turning the picture if needed) →
cut each likely code row into a straight strip → preprocessing variants → Tesseract's
LSTM on all strips in one multi-page call per core → align the variants glyph by glyph →
decode against the platform profile → assign card number / password → flag every
character the evidence does not make certain.

A second pass with more variants runs only for a code that still has unsure characters
(and not in `fast` mode, which camera frames use).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from core.codes.check import check_code
from core.codes.confusion import confusable_with
from core.codes.profiles import FieldFormat, Profile, get_profile
from core.i18n import _
from ocr import decode as D
from ocr import glyphs as G
from ocr import layout as L
from ocr import prep as P
from ocr.hocr import OcrLine, parse_hocr
from ocr.image_io import as_bgr, load_image
from ocr.qr import read_qr
from ocr.reading import CharReading, FieldReading, Reading
from ocr.tesseract import Tesseract, find_tesseract, run

# psm 7 (one text line) beat psm 13 (raw line) on the benchmark: 0.58 vs 0.52 exact.
TESS_ARGS = ("--psm", "7", "-c", "lstm_choice_mode=2", "-c", "hocr_char_boxes=1",
             "-c", "tessedit_do_invert=0", "hocr")
PASS1 = ("lum", "soft")
PASS2 = ("bin", "ink", "lum44")
MAX_LINES = 3
MAX_LINES_FAST = 2
# Labels in front of a serial number (Latin ones Tesseract can read; Chinese labels are
# handled by layout and format, since there is no Chinese model).
NUMBER_LABELS = ("SN", "S/N", "SERIAL", "SERIE", "NO", "N°", "NR", "LOTE", "NIT")
PIN_LABELS = ("PIN", "PASS", "PASSWORD", "CODE", "CODIGO")


@dataclass
class Options:
    platform: str | None = None
    fast: bool = False  # camera frames: one pass, fewer rows
    qr: bool | None = None  # None: look for a QR code where the platform binds by QR
    tesseract_cmd: str = ""
    timeout_s: float = 20.0
    workers: int = 2


@dataclass
class LineRead:
    index: int
    strip: L.Strip
    variants: list[str]
    obs: dict[str, list[D.Obs]] = field(default_factory=dict)
    slots: list[D.Slot] = field(default_factory=list)
    sheet: G.Sheet | None = None  # the strip's glyph maps, made when first needed

    def realign(self) -> None:
        self.slots = D.align({v: self.obs.get(v, []) for v in self.variants})


@dataclass
class Choice:
    field: str
    line: LineRead
    cand: D.Candidate
    chars: list[CharReading]
    score: float


def _pad(name: str) -> int:
    return round(0.35 * (44 if name == "lum44" else L.STRIP_TEXT_H))


def _variant_image(name: str, strip: L.Strip) -> np.ndarray:
    # Strips are cut close to the glyphs, so that neighbouring lines stay out of them;
    # white rows above and below give Tesseract the margin it expects.
    if name == "lum44":
        # The same strip at a larger scale: the LSTM's errors move with the scale.
        big = cv2.resize(strip.bgr, None, fx=44 / L.STRIP_TEXT_H, fy=44 / L.STRIP_TEXT_H,
                         interpolation=cv2.INTER_CUBIC)
        band = None if strip.band is None else (strip.band[0] * 44 / L.STRIP_TEXT_H,
                                                strip.band[1] * 44 / L.STRIP_TEXT_H)
        img = P.remove_frame(P.v_lum(big, 44), 44, band)
    else:
        img = P.remove_frame(P.VARIANTS[name](strip.bgr, L.STRIP_TEXT_H), L.STRIP_TEXT_H,
                             strip.band)
    pad = _pad(name)
    return cv2.copyMakeBorder(img, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=255)


def _scale_back(name: str, lines: list[OcrLine]) -> None:
    """Boxes of the padded (and maybe scaled) variant back into strip pixels."""
    f = L.STRIP_TEXT_H / 44 if name == "lum44" else 1.0
    pad = _pad(name)
    for ln in lines:
        for w in ln.words:
            for c in w.chars:
                x, y, bw, bh = c.box
                c.box = (round(x * f), round((y - pad) * f), round(bw * f), round(bh * f))


def _ocr_pages(tess: Tesseract, pages: list[np.ndarray], opts: Options) -> list[OcrLine | None]:
    """Recognize every page (one strip variant each); one Tesseract process per core."""
    if not pages:
        return []
    n = 2 if len(pages) >= 4 and opts.workers >= 2 else 1
    chunks = [list(range(len(pages)))[i::n] for i in range(n)]

    def work(idx: list[int]) -> dict[int, OcrLine | None]:
        ok, buf = cv2.imencodemulti(".tiff", [pages[i] for i in idx])
        if not ok:
            return dict.fromkeys(idx)
        out = run(tess, buf.tobytes(), TESS_ARGS, opts.timeout_s)
        lines = parse_hocr(out)
        res: dict[int, OcrLine | None] = dict.fromkeys(idx)
        for ln in lines:
            if 0 <= ln.page < len(idx):
                prev = res[idx[ln.page]]
                if prev is None or len(ln.chars) > len(prev.chars):
                    res[idx[ln.page]] = ln
        return res

    results: dict[int, OcrLine | None] = {}
    if n == 1:
        results = work(chunks[0])
    else:
        with ThreadPoolExecutor(max_workers=n) as ex:
            for part in ex.map(work, chunks):
                results.update(part)
    return [results.get(i) for i in range(len(pages))]


def _recognize(tess: Tesseract, reads: list[LineRead], names: Sequence[str],
               opts: Options) -> None:
    pages: list[np.ndarray] = []
    keys: list[tuple[LineRead, str]] = []
    for lr in reads:
        for name in names:
            pages.append(_variant_image(name, lr.strip))
            keys.append((lr, name))
    for (lr, name), line in zip(keys, _ocr_pages(tess, pages, opts), strict=True):
        if line is not None:
            _scale_back(name, [line])
        lr.obs[name] = D.observations(line, name)
        if name not in lr.variants:
            lr.variants.append(name)
    for lr in reads:
        lr.realign()


def _find_rows(rect: np.ndarray) -> tuple[list[L.Line], int, float]:
    """Text rows, trying quarter turns and then finer angles when the upright picture
    shows no convincing code row. Returns rows, quarter turns, extra angle (degrees)."""
    lines = L.find_lines(rect)
    best = lines[0].score if lines else 0.0
    strong = lines and len(lines[0].comps) >= 10
    if strong:
        return lines, 0, 0.0
    turned = L.find_lines(L.rotate_quarter(rect, 1), rotated=1)
    if turned and turned[0].score > best * 1.2:
        return turned, 1, 0.0
    if lines and len(lines[0].comps) >= 7:
        return lines, 0, 0.0
    # Neither way up shows a row: the card may lie at an angle. Coarse search.
    best_set: tuple[list[L.Line], int, float] = (lines, 0, 0.0)
    h, w = rect.shape[:2]
    for ang in (-60, -45, -30, -15, 15, 30, 45, 60):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
        m[0, 2] += nw / 2 - w / 2
        m[1, 2] += nh / 2 - h / 2
        rot = cv2.warpAffine(rect, m, (nw, nh), borderMode=cv2.BORDER_REPLICATE)
        cand = L.find_lines(rot)
        if cand and cand[0].score > (best_set[0][0].score if best_set[0] else 0) * 1.2:
            best_set = (cand, 0, float(ang))
    return best_set


def _rotation_matrix(rect_shape: tuple[int, ...], k: int, ang: float) -> np.ndarray:
    """3×3 map from rect pixels to the (turned) image where rows were found."""
    h, w = rect_shape[:2]
    if ang:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
        m[0, 2] += nw / 2 - w / 2
        m[1, 2] += nh / 2 - h / 2
        return np.vstack([m, [0, 0, 1]])
    return L.quarter_matrix(k, w, h)


def _profile_fields(profile: Profile) -> list[tuple[str, FieldFormat]]:
    return [(name, profile.fields[name]) for name in ("pin", "card_number")
            if name in profile.fields]


def _label_kind(labels: list[str]) -> str | None:
    text = " ".join(labels).upper().replace(":", " ").replace(".", " ")
    toks = text.split()
    if any(t in NUMBER_LABELS for t in toks) or "S/N" in text or "SN" in toks:
        return "card_number"
    if any(t in PIN_LABELS for t in toks):
        return "pin"
    return None


def _choices(reads: list[LineRead], profile: Profile) -> list[Choice]:
    out: list[Choice] = []
    max_h = max((lr.strip.line.height for lr in reads), default=1.0)
    for lr in reads:
        for fname, fmt in _profile_fields(profile):
            for cand in D.candidates(lr.slots, fmt, len(lr.variants)):
                chars = D.decide(cand, fmt, lr.variants)
                if not chars:
                    continue
                mean_p = sum(c.confidence for c in chars) / len(chars)
                certain = sum(1 for c in chars if c.tier == "certain") / len(chars)
                size = (lr.strip.line.height / max_h) ** 0.5
                score = mean_p + 0.5 * certain + 0.3 * size
                if D.group_match(cand.words, fmt):
                    score += 0.3
                if fmt.min_length != fmt.max_length:
                    # Open-length formats (generic): a long run is far likelier the code
                    # than a date or a phone number fragment, and card codes are mostly
                    # digits while words read from printed text are mostly letters.
                    score += 0.8 * min(1.0, len(chars) / 14)
                    digits = sum(c.char.isdigit() for c in chars) / len(chars)
                    score += 1.0 * digits - (1.0 if digits < 0.5 else 0.0)
                    # Whole rows, not a fragment of one.
                    score += 0.2 * (len(chars) / max(1, sum(len(w) for w in
                                                           D.words(lr.slots))))
                kind = _label_kind(cand.label_words)
                if kind == fname:
                    score += 0.5
                elif kind is not None:
                    score -= 0.5
                if fname == "pin" and "card_number" in profile.fields:
                    other = profile.fields["card_number"]
                    letters = [c.char for c in chars if c.char and c.char not in other.alphabet]
                    # A letter the card number cannot hold marks the password row.
                    if letters and all(c in fmt.usual_alphabet for c in letters):
                        score += 0.6
                out.append(Choice(fname, lr, cand, chars, score))
    return out


def _same_format(profile: Profile) -> bool:
    """Password and card number look alike (generic): layout rules say nothing then."""
    a, b = profile.fields.get("card_number"), profile.fields["pin"]
    return a is not None and (a.lengths, a.alphabet) == (b.lengths, b.alphabet)


def _assign(choices: list[Choice], profile: Profile) -> dict[str, Choice]:
    """The password and card number that fit best together: two different rows read the
    same way up (every row of a card is turned the same way), the best sum of scores. A
    row that reads well as the card number therefore leaves the password to another row,
    and a row read upside down cannot pair with one read upright."""
    pins = [c for c in choices if c.field == "pin"]
    nums = [c for c in choices if c.field == "card_number"]
    best: tuple[float, Choice | None, Choice | None] = (-1e9, None, None)
    for p in pins:
        total = p.score
        if total > best[0]:
            best = (total, p, None)
        for n in nums:
            if n.line.index == p.line.index or n.line.strip.flipped != p.line.strip.flipped:
                continue
            if p.score + n.score > best[0]:
                best = (p.score + n.score, p, n)
    picked: dict[str, Choice] = {}
    if best[1] is not None:
        picked["pin"] = best[1]
    if best[2] is not None:
        picked["card_number"] = best[2]
    if "pin" in picked and "card_number" in picked and not _same_format(profile):
        p, n = picked["pin"], picked["card_number"]
        swap = [c for c in choices if c.field == "pin" and c.line is n.line]
        swap_n = [c for c in choices if c.field == "card_number" and c.line is p.line]
        if swap and swap_n and _layout_says(p.line, n.line)[0] == "second":
            picked["pin"] = max(swap, key=lambda c: c.score)
            picked["card_number"] = max(swap_n, key=lambda c: c.score)
    return picked


def _layout_says(a: LineRead, b: LineRead) -> tuple[str, bool]:
    """Which of two rows that both fit both formats (all digits, same length) is the
    password by layout: on the cards we know the password (under the scratch-off) is
    printed below the card number and no smaller. Returns ("first"|"second", whether
    the two cues disagree)."""
    la, lb = a.strip.line, b.strip.line
    a_lower = la.center_y > lb.center_y
    if a.strip.flipped:
        a_lower = not a_lower  # an upside-down card: lower in the photo is higher on it
    ratio = la.height / max(lb.height, 1.0)
    by_size = "first" if ratio > 1.1 else "second" if ratio < 0.9 else None
    by_place = "first" if a_lower else "second"
    if by_size is None:
        return by_place, False
    return by_size, by_size != by_place


def _order_doubt(picked: dict[str, Choice], choices: list[Choice]) -> bool:
    """The two rows could be either field and size and position disagree on which."""
    p, n = picked.get("pin"), picked.get("card_number")
    if p is None or n is None:
        return False
    swap = any(c.field == "pin" and c.line is n.line and len(c.chars) == len(p.chars)
               for c in choices)
    return swap and _layout_says(p.line, n.line)[1]


def _row_in_doubt(picked: dict[str, Choice], choices: list[Choice], profile: Profile) -> bool:
    """Whether the password's row could just as well be the card number row.

    When the password's value also fits the card-number format and no other row was
    read convincingly as the card number, we may have taken the card number for the
    password (e.g. the password is under residue and unreadable). Every character is
    then shown as unsure: a whole wrong code shown as certain is the worst outcome.
    """
    pin = picked.get("pin")
    if pin is None or "card_number" not in profile.fields:
        return False
    if _same_format(profile):
        # One format for both (generic): the row choice rests on size and labels.
        return False
    fits_number = any(c.field == "card_number" and c.line is pin.line
                      and len(c.chars) == len(pin.chars) for c in choices)
    if not fits_number:
        return False
    num = picked.get("card_number")
    if num is None:
        return True
    if _order_doubt(picked, choices):
        return True
    sure = sum(1 for c in num.chars if c.tier == "certain") / max(1, len(num.chars))
    return sure < 0.75


def _mostly_unsure(picked: dict[str, Choice], choices: list[Choice], profile: Profile) -> bool:
    pin = picked.get("pin")
    if pin is None:
        return True
    flagged = sum(1 for c in pin.chars if c.tier != "certain")
    return flagged > len(pin.chars) / 4 or _row_in_doubt(picked, choices, profile)


def _row_quality(lr: LineRead, usual: str) -> float:
    """How well a row reads as code characters: glyphs the variants agree on, weighted by
    confidence, that are usual for the profile, less the unusual ones. Text read upside
    down turns digits into letters (2→Z, 5→S, 7→L) and reads with less confidence."""
    q = 0.0
    n_var = max(1, len(lr.variants))
    for s in D.supported(lr.slots, n_var):
        t = s.top()
        if not (t.isascii() and t.isalnum()):
            continue
        confs = [o.conf for o in s.obs.values() if o.char == t]
        agree = len(confs) / n_var
        if t in usual or (t == "O" and "0" in usual):
            q += agree * (sum(confs) / len(confs)) ** 2
        else:
            q -= 0.5 * agree
    return q


def _orientation(reads: list[LineRead], profile: Profile) -> bool | None:
    """Whether the card is upside down (True), upright (False) or undecided (None), from
    the rows read both ways: every row on a card is turned the same way, so the rows
    vote together, and a clear winner rules out every reading the other way up."""
    usual = "".join(sorted({c for f in profile.fields.values() for c in f.usual_alphabet}))
    if profile.id == "generic":
        usual = "0123456789"
    both = {lr.index for lr in reads if lr.strip.flipped} & {
        lr.index for lr in reads if not lr.strip.flipped}
    if not both:
        return None
    q = {False: 0.0, True: 0.0}
    for lr in reads:
        if lr.index in both:
            q[lr.strip.flipped] = max(q[lr.strip.flipped], 0.0) + _row_quality(lr, usual)
    hi, lo = max(q.values()), min(q.values())
    if hi >= 3 and hi >= 1.3 * max(lo, 0.0) + 2:
        return q[True] > q[False]
    return None


def _decide(reads: list[LineRead], profile: Profile) -> tuple[list[Choice], dict[str, Choice]]:
    flipped = _orientation(reads, profile)
    use = [lr for lr in reads if flipped is None or lr.strip.flipped == flipped]
    choices = _choices(use, profile)
    picked = _assign(choices, profile)
    if "pin" in picked:
        _glyph_check(picked, profile)
    return choices, picked


# Glyph check thresholds (distances of ocr.glyphs, 0 same … 1), calibrated like the tier
# rule on synthetic cards of other seeds than the benchmark's: with these, no wrong
# character was confirmed and a template that overrules the recognizer was right 29 times
# in 30 (the overruled character stays flagged).
CONFIRM_D = 0.08  # a glyph this close to its class's exemplars …
CONFIRM_MARGIN = 0.05  # … and this much closer than to any other class's
CONFIRM_HIDDEN = 0.3  # … with at most this share hidden under residue
CONFIRM_MARGIN_HIDDEN = 0.08  # more hidden (up to CONFIRM_HIDDEN_MAX): a wider margin,
CONFIRM_HIDDEN_MAX = 0.6  # and every usual look-alike must have exemplars to compare
EXEMPLAR_HIDDEN = 0.1  # exemplars: certain readings of glyphs this clean
SAME_FONT_D = 0.12  # the other row's glyphs are exemplars when its font matches


def _centres(slots: list[D.Slot]) -> list[float]:
    return [float(np.median([o.box[0] + o.box[2] / 2 for o in s.obs.values()]))
            for s in slots]


def _sheet(lr: LineRead) -> G.Sheet:
    if lr.sheet is None:
        lr.sheet = G.Sheet(lr.strip.bgr, L.STRIP_TEXT_H)
    return lr.sheet


def _glyph_check(picked: dict[str, Choice], profile: Profile) -> None:
    """Confirm, doubt or correct the password's characters against the card's own clean
    glyphs (ocr/glyphs.py): every character of a card is printed in the same font.

    A character becomes certain when its glyph matches the exemplars of its class and
    clearly no other class's (even if the recognizer wavered), and stops being certain
    when it is mostly hidden under residue with no exemplar to vouch for it, or when it
    looks more like another class's exemplars. A glyph that clearly matches another
    class the recognizer also considered takes that value, flagged.
    """
    pin = picked["pin"]
    fmt = profile.fields["pin"]
    usual = D.effective_usual(fmt, pin.cand.raw)
    rows = [pin]
    num = picked.get("card_number")
    if num is not None:
        rows.append(num)
    found = [_sheet(ch.line).glyphs(_centres(ch.cand.slots)) for ch in rows]
    exemplars: list[tuple[int, int, str, G.Glyph]] = []
    for r, (ch, gl) in enumerate(zip(rows, found, strict=True)):
        for i, (c, g) in enumerate(zip(ch.chars, gl, strict=True)):
            if c.tier == "certain" and c.char and g.ok and g.hidden < EXEMPLAR_HIDDEN:
                exemplars.append((r, i, c.char, g))
    if num is not None and not _same_font(exemplars):
        exemplars = [e for e in exemplars if e[0] == 0]
    if not exemplars:
        return
    new_chars: list[CharReading] = []
    for i, (c, g, slot) in enumerate(zip(pin.chars, found[0], pin.cand.slots, strict=True)):
        others = [e for e in exemplars if not (e[0] == 0 and e[1] == i)]
        if not g.ok or not c.char or not others:
            new_chars.append(c)
            continue
        dist = G.distances(g, [e[3] for e in others])
        per: dict[str, float] = {}
        for e, d in zip(others, dist, strict=True):
            per[e[2]] = min(per.get(e[2], 9.0), float(d))
        new_chars.append(_judge(c, g, per, slot, fmt, usual, pin.line.variants))
    pin.chars = new_chars


def _same_font(exemplars: list[tuple[int, int, str, G.Glyph]]) -> bool:
    """Whether the card number row is printed in the password's font: glyphs of a class
    certain in both rows match across them."""
    by_class: dict[str, list[list[G.Glyph]]] = {}
    for r, _i, ch, g in exemplars:
        by_class.setdefault(ch, [[], []])[r].append(g)
    ds = []
    for a, b in by_class.values():
        if a and b:
            ds.append(float(G.distances(a[0], b).min()))
    return bool(ds) and float(np.median(ds)) <= SAME_FONT_D


def _judge(  # noqa: PLR0917
    c: CharReading, g: G.Glyph, per: dict[str, float], slot: D.Slot, fmt: FieldFormat,
    usual: str, variants: Sequence[str],
) -> CharReading:
    b = c.char
    db = per.get(b, 9.0)
    do = min((d for k, d in per.items() if k != b), default=9.0)
    e = D.evidence(slot, fmt, variants, usual)
    clean_read = e is not None and not e.foreign and b in usual
    twins = [a for a in confusable_with(b) if a in usual]
    confirmed = clean_read and db <= CONFIRM_D and (
        (do - db >= CONFIRM_MARGIN and g.hidden <= CONFIRM_HIDDEN)
        or (do - db >= CONFIRM_MARGIN_HIDDEN and g.hidden <= CONFIRM_HIDDEN_MAX
            and all(per.get(a, 9.0) < 9.0 for a in twins)))
    if confirmed:
        return replace(c, tier="certain")
    best = min(per, key=lambda k: per[k])
    rest = min((d for k, d in per.items() if k != best), default=9.0)
    read = {o.char for o in slot.obs.values()} | set(c.alternatives)
    if (best != b and best in fmt.alphabet and best in read and per[best] <= CONFIRM_D
            and rest - per[best] >= CONFIRM_MARGIN and g.hidden <= CONFIRM_HIDDEN_MAX):
        # The glyph is clearly another class the recognizer also considered.
        alts = (b, *[a for a in c.alternatives if a not in (b, best)])[:4]
        return CharReading(best, min(c.confidence, 0.5), alts, c.box, "check")
    contradicted = do <= CONFIRM_D and do < db - 0.03
    if c.tier == "certain" and (contradicted or g.hidden > CONFIRM_HIDDEN):
        return replace(c, tier="check")
    return c


def _unsure(picked: dict[str, Choice], choices: list[Choice], profile: Profile) -> bool:
    """Whether the password is worth a second pass: missing, unsure characters, or a row
    that could as well be the card number."""
    pin = picked.get("pin")
    return pin is None or any(c.tier != "certain" for c in pin.chars) or _row_in_doubt(
        picked, choices, profile)


def _likeliest(reads: list[LineRead], n: int) -> list[LineRead]:
    """The rows that look most like a code (largest, longest rows first)."""
    return sorted(reads, key=lambda lr: -lr.strip.line.score)[:n]


def _detect_platform(reads: list[LineRead]) -> str:
    jd = get_profile("jd").fields["pin"]
    for lr in reads:
        for cand in D.candidates(lr.slots, jd, len(lr.variants)):
            raw = cand.raw.replace("O", "0")
            if any(c in "ABCDEF" for c in raw) and all(c in "0123456789ABCDEF" for c in raw):
                return "jd"
    cm = get_profile("cmcc").fields["pin"]
    for lr in reads:
        for cand in D.candidates(lr.slots, cm, len(lr.variants)):
            if cand.raw.isdigit() and D.group_match(cand.words, cm):
                return "cmcc"
    return "generic"


def _finish(choice: Choice, profile: Profile, doubt: bool = False) -> FieldReading:
    fmt = profile.fields[choice.field]
    strip = choice.line.strip
    chars = [CharReading(c.char, c.confidence, c.alternatives,
                         strip.box_to_orig(c.box) if c.box else None, c.tier)
             for c in choice.chars]
    value = "".join(c.char or "?" for c in chars)
    ok = all(c.char for c in chars) and check_code(value, profile, choice.field,
                                                   source="pasted").ok
    unusual = sum(1 for c in chars if c.char and c.char not in fmt.usual_alphabet)
    flagged = sum(1 for c in chars if c.flagged)
    words = choice.cand.words
    regrouped = (fmt.min_length == fmt.max_length and len(words) > 1
                 and not D.group_match(words, fmt)
                 # One extra word break in a row read wholly for certain is a wide glyph
                 # (a serif "7"), not a glyph lost or gained.
                 and not (flagged == 0 and D.group_match(words, fmt, extra_breaks=1)))
    if unusual >= 2 or flagged > len(chars) / 4 or regrouped:
        # Many unsure or unusual characters, or groups printed unlike this field's: the
        # row may be misread as a whole (a glyph lost or gained shifts every later one)
        # or not be this field at all, so its "sure" characters are no evidence either.
        doubt = True
    if not ok or doubt:
        # The value breaks the format (a missing character, a failed check digit): no
        # position can be trusted on its own, so none is shown as certain.
        chars = [c if c.tier != "certain" else CharReading(
            c.char, min(c.confidence, 0.5), c.alternatives, c.box, "check") for c in chars]
    conf = math.prod(c.confidence for c in chars) if chars else 0.0
    xs = [b for b in (c.box for c in chars) if b]
    box = None
    if xs:
        x0 = min(b[0] for b in xs)
        y0 = min(b[1] for b in xs)
        x1 = max(b[0] + b[2] for b in xs)
        y1 = max(b[1] + b[3] for b in xs)
        box = (x0, y0, x1 - x0, y1 - y0)
    return FieldReading(choice.field, value, chars, conf, box, ok)  # type: ignore[arg-type]


def read_image(image: np.ndarray, platform: str | None = None, *, fast: bool = False,
               qr: bool | None = None, tesseract_cmd: str = "",
               timeout_s: float = 20.0) -> Reading:
    """Read the card codes in `image` (BGR or grey uint8).

    `platform` is a profile id ("jd", "cmcc", …); None recognizes it from the card and
    falls back to "generic". `fast` is for camera frames: one pass, fewer rows. `qr`:
    True/False forces the QR search on/off; None searches when the platform binds by QR
    or is unknown.
    Raises `ocr.OcrError` subclasses (unreadable image, Tesseract missing / failed).
    """
    opts = Options(platform, fast, qr, tesseract_cmd, timeout_s)
    return _read(image, opts)


def _read(image: np.ndarray, opts: Options) -> Reading:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round((now - since) * 1000, 1)
        return now

    img = as_bgr(image)
    tess = find_tesseract(opts.tesseract_cmd)
    h, w = img.shape[:2]
    work, s = L.work_copy(img)
    t = lap("prepare", t0)
    # Camera frames look for a QR code only where the platform binds by QR.
    # By default only where the card is bound by scanning its QR code (Taobao), or the
    # platform is not known yet: the search costs tens of milliseconds per image.
    want_qr = opts.qr if opts.qr is not None else (
        opts.platform is None or "qr" in get_profile(opts.platform).verification)
    qr_field = read_qr(work, s) if want_qr else None
    if want_qr:
        t = lap("qr", t)
    corners = L.find_card(work)
    rect, work_to_rect = L.rectify(work, corners)
    rows, k, ang = _find_rows(rect)
    rect_to_rows = _rotation_matrix(rect.shape, k, ang)
    rows_to_orig = np.diag([1 / s, 1 / s, 1.0]) @ np.linalg.inv(work_to_rect) @ np.linalg.inv(
        rect_to_rows)
    t = lap("layout", t)
    pyr = L.Pyramid(img)
    rows = rows[: (MAX_LINES_FAST if opts.fast else MAX_LINES)]
    # Rows found only after turning the picture may be upside down: read both ways.
    flips = (False, True) if (k or ang) else (False,)
    reads = [LineRead(i, L.make_strip(pyr, rows_to_orig, ln, flip), [])
             for i, ln in enumerate(rows) for flip in flips]
    t = lap("strips", t)
    if reads:
        _recognize(tess, reads, PASS1, opts)
    t = lap("ocr", t)

    platform = opts.platform or _detect_platform(reads)
    profile = get_profile(platform)
    last_choices, picked = _decide(reads, profile)
    if reads and not (k or ang) and _mostly_unsure(picked, last_choices, profile):
        # No convincing code the right way up: the card may be upside down (upside-down
        # digits still read as digits, but as unsure ones). Both ways compete below.
        flipped = [LineRead(lr.index, L.make_strip(pyr, rows_to_orig, lr.strip.line, True),
                            []) for lr in _likeliest(reads, 2)]
        _recognize(tess, flipped, PASS1, opts)
        reads += flipped
        platform = opts.platform or _detect_platform(reads)
        profile = get_profile(platform)
        last_choices, picked = _decide(reads, profile)
        t = lap("ocr_flipped", t)
    pin = picked.get("pin")
    if not opts.fast and reads and _unsure(picked, last_choices, profile):
        # Unsure characters or no password: more preprocessing variants, on the
        # password's row, or on the two likeliest rows when none was convincing. The
        # extra variants vote: they can overturn a reading and add doubt.
        again = [pin.line] if pin is not None and not _row_in_doubt(
            picked, last_choices, profile) else _likeliest(reads, 2)
        _recognize(tess, again, PASS2, opts)
        last_choices, picked = _decide(reads, profile)
        t = lap("ocr_pass2", t)

    fields: dict[str, FieldReading] = {}
    doubt = _row_in_doubt(picked, last_choices, profile)
    for name in ("pin", "card_number"):
        if name in picked:
            fields[name] = _finish(picked[name], profile, doubt and name == "pin")
        elif name in profile.fields:
            fields[name] = FieldReading(name, None)
    if qr_field is not None:
        fields["qr"] = qr_field
    notes: list[str] = []
    if fields["pin"].value is None:
        notes.append(_("No card password was found. Hold the card flat, fill the frame with "
                       "the code area and avoid glare."))
    elif fields["pin"].ambiguous():
        notes.append(_("Some characters are unsure; compare the marked ones with the card."))
    timings["total"] = round((time.perf_counter() - t0) * 1000, 1)
    return Reading(profile.id, fields, (w, h), timings, notes)


def read_file(path: str | Path, platform: str | None = None, *, fast: bool = False,
              qr: bool | None = None, tesseract_cmd: str = "",
              timeout_s: float = 20.0) -> Reading:
    """Load and read an image file; unreadable files raise `UnreadableImageError`."""
    return read_image(load_image(path), platform, fast=fast, qr=qr,
                      tesseract_cmd=tesseract_cmd, timeout_s=timeout_s)
