"""The read, pixels in and a `Reading` out, as an orchestrator of the reader's parts:

lines (ocr/lines.py: PP-OCR's detector; every line cut out straight and the right way up)
→ line texts (ocr/ppocr.py: PP-OCR's recogniser, Chinese included), read in the order
ocr/plan.py gives, until the card's labelled codes are found → candidates and fields
(ocr/fields.py, ocr/labels.py: labels first, then format, then place; a label whose value
the detector missed is read where its value must be) → the chosen rows again through
Tesseract (ocr/tess_rows.py) → both readings fused per character (ocr/fuse.py) → length,
format and row doubts → `Reading`. See docs/ocr.md.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from core.codes.check import check_code
from core.codes.profiles import FieldFormat, Profile, get_profile
from core.i18n import _
from ocr import fields as F
from ocr import fuse
from ocr import labels as LB
from ocr.errors import OcrEngineMissingError, TesseractError
from ocr.image_io import as_bgr, open_image
from ocr.lines import (
    FAST_DET_MAX_SIDE,
    Line,
    find_lines,
    flip,
    gap_along,
    probe,
    row_extension,
    same_row,
    shifted,
)
from ocr.plan import Plan, enough, upside_down
from ocr.ppocr import PPOCR, CtcChar
from ocr.qr import read_qr
from ocr.reading import CharReading, FieldReading, Reading
from ocr.residue import cut_at_box_ends, hidden_shares, ink_past_ends
from ocr.tess_rows import RowRead, read_rows
from ocr.tess_rows import prepare as prepare_rows
from ocr.tesseract import find_tesseract

GLYPH_SHARE = 0.62  # a detected line box is about 1.6 × its glyphs' height
EDGE_TRIM_P = 0.6  # a character at either end of a too-long code below this may go

# The QR search runs beside the read, on its own thread: OpenCV lets go of the
# interpreter while it looks, so it fills the moments the read spends in Python or
# waiting for Tesseract instead of adding to them (docs/ocr.md, "Speed").
_QR_SIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cardbind-qr")
log = logging.getLogger(__name__)


@dataclass
class Options:
    platform: str | None = None
    # Camera frames: the password row only, one Tesseract variant, a smaller view.
    fast: bool = False
    qr: bool | None = None  # None: look for a QR code where the platform binds by QR
    tesseract_cmd: str = ""
    timeout_s: float = 20.0
    thresholds: fuse.Thresholds = field(default_factory=lambda: fuse.DEFAULT)
    # Filled per field for calibration (benchmarks/calibrate.py) when given.
    evidence: dict[str, list[fuse.Evidence]] | None = None
    # Camera frames after a good read: where the password was (image pixels). Only that
    # neighbourhood is read, as long as the password is still found there.
    hint: tuple[int, int, int, int] | None = None
    # A camera frame read whole to check the row being followed (ocr/frames.py): the
    # lines nearest to this box are read first, so the card's own rows and labels come
    # before a poster or a document behind it.
    near: tuple[int, int, int, int] | None = None


def read_image(
    image: np.ndarray,
    platform: str | None = None,
    *,
    fast: bool = False,
    qr: bool | None = None,
    tesseract_cmd: str = "",
    timeout_s: float = 20.0,
) -> Reading:
    """Read the card codes in `image` (BGR or grey uint8).

    `platform` is a profile id ("jd", "cmcc", …); None recognizes it from the card (its
    title, then its codes) and falls back to "generic". `fast` is for camera frames.
    `qr`: True/False forces the QR search on/off; None searches when the platform binds
    by QR or is unknown. Raises `ocr.OcrError` subclasses (unreadable image, no reader).
    """
    return read(image, Options(platform, fast, qr, tesseract_cmd, timeout_s))


def read_file(
    path: str | Path,
    platform: str | None = None,
    *,
    fast: bool = False,
    qr: bool | None = None,
    tesseract_cmd: str = "",
    timeout_s: float = 20.0,
) -> Reading:
    """Load and read an image file; unreadable files raise `UnreadableImageError`. What
    loading had to say (only the first page of a TIFF was read) joins the notes."""
    loaded = open_image(path)
    reading = read_image(
        loaded.image,
        platform,
        fast=fast,
        qr=qr,
        tesseract_cmd=tesseract_cmd,
        timeout_s=timeout_s,
    )
    reading.notes[:0] = list(loaded.notes)
    return reading


def read(image: np.ndarray, opts: Options) -> Reading:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round((now - since) * 1000, 1)
        return now

    img = as_bgr(image)
    h, w = img.shape[:2]
    engine = PPOCR.get()
    t = lap("load", t0)
    want_qr = (
        opts.qr
        if opts.qr is not None
        else (opts.platform is None or "qr" in get_profile(opts.platform).verification)
    )
    qr_job = _QR_SIDE.submit(read_qr, img) if want_qr and not opts.fast else None
    tracked = _track(img, engine, opts) if opts.hint is not None else None
    if tracked is not None:
        lines, cands, chosen = tracked
        profile = get_profile(opts.platform or "generic")
        t = lap("track", t)
    else:
        lines = find_lines(img, engine, FAST_DET_MAX_SIDE if opts.fast else None)
        lines = flip(lines, upside_down(lines, engine), img)
        t = lap("detect", t)
        cands = _read_lines(img, engine, lines, opts.fast, opts.near)
        t = lap("recognize", t)
        platform = opts.platform or _detect_platform(lines, cands)
        profile = get_profile(platform)
        chosen = F.assign(cands, profile)
    rows: list[tuple[str, F.Candidate]] = []
    if chosen.pin is not None:
        rows.append(("pin", chosen.pin))
    if chosen.card_number is not None and not opts.fast:
        rows.append(("card_number", chosen.card_number))
    notes: list[str] = []
    tess_reads, tess_ok = _second_reading(img, rows, profile, opts, notes)
    t = lap("tesseract", t)
    # Two readers first; the third reading only for the rows where it could make an
    # unsure character certain (on two cores it cannot hide behind Tesseract's
    # processes: docs/ocr.md, "A third reading").
    reads_of = [r.reads for r in tess_reads] if tess_ok else [{} for _r in rows]
    decided: list[tuple[partial[list[CharReading]], list[CharReading]]] = []
    asked: list[int] = []
    for k, (name, cand) in enumerate(rows):
        fmt = profile.fields[name]
        decide = partial(
            fuse.decide,
            cand.chars,
            reads_of[k],
            fmt.alphabet,
            fmt.input_map,
            opts.thresholds,
            hidden=hidden_shares(cand.line.crop, _glyph_spans(cand)),
        )
        seen: list[fuse.Evidence] = []
        decided.append((decide, decide(evidence=seen)))
        if opts.evidence is not None or fuse.third_could_help(seen, opts.thresholds):
            asked.append(k)
    thirds = (
        _third_reading(engine, [rows[k] for k in asked])
        if asked and tess_ok and not opts.fast
        else []
    )
    third_of = dict(zip(asked, thirds, strict=False))
    t = lap("third", t)
    fields: dict[str, FieldReading] = {}
    for k, (name, cand) in enumerate(rows):
        fmt = profile.fields[name]
        decide, chars = decided[k]
        reads = reads_of[k]
        ev: list[fuse.Evidence] | None = None if opts.evidence is None else []
        if k in third_of or ev is not None:
            chars = decide(evidence=ev, third=third_of.get(k))
        if opts.evidence is not None and ev is not None:
            opts.evidence[name] = ev
        rivals = [r.value for r in chosen.pin_rivals] if name == "pin" else []
        if fmt.min_length != fmt.max_length:
            cut_first, cut_last = _cut_short_ends(cand.groups, len(chars))
            ink_first, ink_last = ink_past_ends(
                img, cand.line, cand.x0, cand.x1, len(chars), groups=len(cand.groups)
            )
            # Before a code labelled on its left the ink is its label ("卡号6234…"), not a
            # lost glyph; a label above leaves the row's start to the code.
            ink_first = ink_first and cand.label_how not in ("inline", "left")
            chars = _mark_ends(chars, cut_first or ink_first, cut_last or ink_last)
        chars = _mark_ends(chars, *cand.lost)
        # On every card type, fixed lengths too: a glyph the line's box cuts in two reads
        # as another character, surely (docs/ocr.md, "A glyph the line's box cuts").
        chars = _mark_ends(chars, *cut_at_box_ends(img, cand.line, cand.x0, cand.x1, len(chars)))
        length_doubt = _length_disputed(cand, reads, chars, fmt)
        fields[name] = _finish(
            name,
            chars,
            cand,
            fmt,
            profile,
            row_doubt=chosen.row_doubt if name == "pin" else chosen.number_doubt,
            length_doubt=length_doubt,
            rivals=rivals,
        )
        if name == "pin":
            fields[name].told_apart = (
                cand.label == "pin"
                or chosen.card_number is not None
                or "card_number" not in profile.fields
            )
    for name in ("pin", "card_number"):
        if name not in fields and name in profile.fields:
            fields[name] = FieldReading(name, None)  # type: ignore[arg-type]
    qr_field = _qr_result(qr_job, opts.timeout_s)
    if qr_field is not None:
        fields["qr"] = qr_field
    if not tess_ok and rows:
        notes.append(
            _(
                "Only one text reader could read this picture, so every character "
                "is marked for checking."
            )
        )
    if fields["pin"].value is None:
        notes.append(
            _(
                "No card password was found. Hold the card flat, fill the frame with "
                "the code area and avoid glare."
            )
        )
    elif fields["pin"].ambiguous():
        notes.append(_("Some characters are unsure; compare the marked ones with the card."))
    timings["total"] = round((time.perf_counter() - t0) * 1000, 1)
    reading = Reading(profile.id, fields, (w, h), timings, notes)
    denom = LB.denomination([ln.text.text for ln in lines if ln.text is not None])
    if denom is not None:
        reading.denomination = (denom.amount, denom.currency)
    return reading


def _qr_result(job: Future[FieldReading | None] | None, timeout_s: float) -> FieldReading | None:
    """The QR search's answer; none when it is still looking at the read's deadline (a
    QR code cannot be what the card's password depends on)."""
    if job is None:
        return None
    try:
        return job.result(timeout=timeout_s)
    except FutureTimeout:
        job.cancel()
        return None


TRACK_MARGIN_X = 0.25  # of the password's width, either side, for a card that moved
TRACK_MARGIN_Y = 1.0  # of its height, above and below
TRACK_ROW = 0.6  # a line whose middle is this many heights off the password's is another row


def _track(
    img: np.ndarray, engine: PPOCR, opts: Options
) -> tuple[list[Line], list[F.Candidate], F.Assignment] | None:
    """A camera frame read where the password was in the frame before: the detector and
    the recogniser see only that neighbourhood (a few lines instead of the whole card).
    None when the password is not found there (the card moved away): read it all."""
    assert opts.hint is not None
    x, y, bw, bh = opts.hint
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
    fmt = get_profile(opts.platform or "generic").fields["pin"]
    fitting = [c for c in F.candidates(lines) if F.fits(c, fmt) is not None]
    if not fitting:
        return None
    pin = min(fitting, key=lambda c: float(np.linalg.norm(c.line.centre - centre)))
    return lines, fitting, F.Assignment(pin=pin)


def _read_lines(
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
        ext = row_extension(img, ln, x0, lines)
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


def _second_reading(
    img: np.ndarray,
    rows: list[tuple[str, F.Candidate]],
    profile: Profile,
    opts: Options,
    notes: list[str],
) -> tuple[list[RowRead], bool]:
    """Tesseract's readings of the chosen rows; (…, False) when Tesseract is missing or
    failed, said once in the notes."""
    if not rows:
        return [], True
    try:
        tess = find_tesseract(opts.tesseract_cmd)
        alphabet = _rows_alphabet(profile, [name for name, _c in rows])
        specs = [(c.line, c.x0, c.x1, GLYPH_SHARE * c.line.crop.shape[0]) for _n, c in rows]
        return read_rows(tess, img, specs, alphabet, timeout_s=opts.timeout_s, fast=opts.fast), True
    except TesseractError as exc:
        notes.append(str(exc))
        return [], False


def _third_reading(engine: PPOCR, rows: list[tuple[str, F.Candidate]]) -> list[list[CtcChar]]:
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


def _rows_alphabet(profile: Profile, names: list[str]) -> str:
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
    prepare_rows(tess, _rows_alphabet(profile, names))


def _detect_platform(lines: list[Line], cands: list[F.Candidate]) -> str:
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
        cand.groups = _groups_without(cand.groups, i)
        removed.append(max(0, min(i, len(chars) - 1)))
    return chars, removed


def _groups_without(groups: tuple[int, ...], i: int) -> tuple[int, ...]:
    """The printed grouping once the character at index `i`, the first or the last, is
    taken away."""
    if not groups:
        return groups
    if i == 0:
        return groups[1:] if groups[0] == 1 else (groups[0] - 1, *groups[1:])
    return groups[:-1] if groups[-1] == 1 else (*groups[:-1], groups[-1] - 1)


def _glyph_spans(cand: F.Candidate) -> list[tuple[float, float]]:
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


def _finish(
    name: str,
    chars: list[CharReading],
    cand: F.Candidate,
    fmt: FieldFormat,
    profile: Profile,
    *,
    row_doubt: bool,
    rivals: list[str],
    length_doubt: bool = False,
) -> FieldReading:
    chars, trimmed = _trim(list(chars), cand, fmt)
    # Each character's box is its glyph's whole stretch, not the few frames where the
    # recogniser fired (a sliver, often beside the glyph): the review shows the user this
    # box cut from the photo to compare with the card.
    spans = _glyph_spans(cand)
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


__all__ = ["OcrEngineMissingError", "Options", "read", "read_file", "read_image"]
