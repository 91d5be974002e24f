"""The read, pixels in and a `Reading` out, as an orchestrator of the reader's parts:

lines (ocr/lines.py: PP-OCR's detector; every line cut out straight and the right way up)
→ line texts (ocr/ppocr.py: PP-OCR's recogniser, Chinese included), read in the order
ocr/plan.py gives until the card's labelled codes are found, and the card type
(ocr/scan.py) → candidates and fields (ocr/fields.py, ocr/labels.py: labels first, then
format, then place) → the chosen rows read again by Tesseract and, where it could help,
the second recogniser (ocr/readers.py) → the readings fused per character (ocr/fuse.py)
→ each field made with the doubts on its ends, count and row (ocr/finish.py) →
`Reading`. See docs/ocr.md, "The pipeline".
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from core.codes.check import check_code
from core.codes.profiles import Profile, get_profile
from core.i18n import _
from ocr import fields as F
from ocr import finish, fuse, readers, scan
from ocr import labels as LB
from ocr.errors import OcrEngineMissingError
from ocr.image_io import as_bgr, open_image
from ocr.lines import DET_MAX_SIDE, FAST_DET_MAX_SIDE, Line, find_lines, flip
from ocr.plan import upside_down
from ocr.ppocr import PPOCR
from ocr.qr import read_qr
from ocr.readers import prepare
from ocr.reading import CharReading, FieldReading, Reading
from ocr.residue import hidden_shares

# The QR search runs beside the read, on its own thread: OpenCV lets go of the
# interpreter while it looks, so it fills the moments the read spends in Python or
# waiting for Tesseract instead of adding to them (docs/ocr.md, "Speed").
_QR_SIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cardbind-qr")


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
    notes: list[str] = []
    tracked = scan.track(img, engine, opts.hint, opts.platform) if opts.hint is not None else None
    if tracked is not None:
        lines, _cands, chosen = tracked
        profile = get_profile(opts.platform or "generic")
        t = lap("track", t)
    else:
        lines, profile, chosen = _look(
            img, engine, opts, FAST_DET_MAX_SIDE if opts.fast else DET_MAX_SIDE
        )
        t = lap("look", t)
        side = _closer_side(img)
        if not opts.fast and side and _missing(chosen, profile):
            # A small card in a large picture: the detector, seeing the picture at 960
            # px, missed rows whose glyphs it saw a few pixels tall. A second look
            # sees it larger (docs/ocr.md, "A second, closer look").
            again = _look(img, engine, opts, side)
            if _found(again[2], again[1]) > _found(chosen, profile):
                lines, profile, chosen = again
            t = lap("closer", t)
    rows: list[tuple[str, F.Candidate]] = []
    # A code of digits read with letters a dotted or blurred digit looks like is read
    # again as digits, those positions marked (docs/ocr.md, "Digits read as letters").
    if chosen.pin is not None:
        rows.append(("pin", F.in_alphabet(chosen.pin, profile.fields["pin"])))
    if chosen.card_number is not None and not opts.fast:
        rows.append(
            ("card_number", F.in_alphabet(chosen.card_number, profile.fields["card_number"]))
        )
    tess_reads, tess_ok = readers.second_reading(
        img,
        rows,
        profile,
        notes,
        tesseract_cmd=opts.tesseract_cmd,
        timeout_s=opts.timeout_s,
        fast=opts.fast,
    )
    t = lap("tesseract", t)
    # Two readers first; the third reading only for the rows where it could make an
    # unsure character certain (on two cores it cannot hide behind Tesseract's
    # processes: docs/ocr.md, "A third reading"). Camera frames too: with one
    # Tesseract variant a frame leaves more to check, and a position every frame
    # leaves unsure keeps the camera from locking (docs/ocr.md, "The camera").
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
            hidden=hidden_shares(cand.line.crop, finish.glyph_spans(cand)),
        )
        seen: list[fuse.Evidence] = []
        decided.append((decide, decide(evidence=seen)))
        if opts.evidence is not None or fuse.third_could_help(seen, opts.thresholds):
            asked.append(k)
    thirds = readers.third_reading(engine, [rows[k] for k in asked]) if asked and tess_ok else []
    third_of = dict(zip(asked, thirds, strict=False))
    t = lap("third", t)
    fields: dict[str, FieldReading] = {}
    for k, (name, cand) in enumerate(rows):
        fmt = profile.fields[name]
        decide, chars = decided[k]
        ev: list[fuse.Evidence] | None = None if opts.evidence is None else []
        if k in third_of or ev is not None:
            chars = decide(evidence=ev, third=third_of.get(k))
        if opts.evidence is not None and ev is not None:
            opts.evidence[name] = ev
        if cand.converted:
            chars = [
                replace(ch, tier="check") if i in cand.converted else ch
                for i, ch in enumerate(chars)
            ]
        rivals = [r.value for r in chosen.pin_rivals] if name == "pin" else []
        fields[name] = finish.finish(
            name,
            chars,
            cand,
            fmt,
            profile,
            image=img,
            reads=reads_of[k],
            row_doubt=chosen.row_doubt if name == "pin" else chosen.number_doubt,
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
    pin = fields["pin"]
    if opts.platform is not None and pin.value:
        said = _card_type_note(profile, pin.value, lines)
        if said:
            notes.append(said)
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
    timings["total"] = round((time.perf_counter() - t0) * 1000, 1)
    reading = Reading(profile.id, fields, (w, h), timings, notes)
    denom = LB.denomination([ln.text.text for ln in lines if ln.text is not None])
    if denom is not None:
        reading.denomination = (denom.amount, denom.currency)
    return reading


def _look(
    img: np.ndarray, engine: PPOCR, opts: Options, side: int
) -> tuple[list[Line], Profile, F.Assignment]:
    """The picture's lines, its card type and which row is which, with the detector
    seeing the picture at most `side` px on its longer side."""
    lines = find_lines(img, engine, side)
    lines = flip(lines, upside_down(lines, engine), img)
    cands = scan.read_lines(img, engine, lines, opts.fast, opts.near)
    platform = opts.platform or scan.detect_platform(lines, cands)
    profile = get_profile(platform)
    chosen = F.assign(cands, profile)
    if chosen.pin is None and opts.platform is not None and not opts.fast:
        # The card type the user chose takes no row of this card as its password: the
        # row that would be, but for its length, is shown doubted with the card type
        # to check, not hidden (docs/ocr.md, "A card type that does not fit the card").
        loose = F.assign_any_length(cands, profile, chosen)
        if loose is not None and loose.pin is not None:
            chosen = loose
    return lines, profile, chosen


CLOSER_MAX_SIDE = 1920  # the second look's view of the picture, at most


def _missing(chosen: F.Assignment, profile: Profile) -> bool:
    """A code the card type has was not found: the password, or the card number."""
    return chosen.pin is None or (chosen.card_number is None and "card_number" in profile.fields)


def _closer_side(img: np.ndarray) -> int:
    """The detector's side for a second look, or 0 when the picture is not much larger
    than the first look saw it (nothing more to see)."""
    side = min(CLOSER_MAX_SIDE, max(img.shape[:2])) // 32 * 32
    return side if side >= 1.25 * DET_MAX_SIDE else 0


def _found(chosen: F.Assignment, profile: Profile) -> int:
    """How much of the card a look found: a password, a card number where the card type
    has one, and the password's row beyond doubt (not maybe the card number's)."""
    return (
        (chosen.pin is not None)
        + (chosen.card_number is not None or "card_number" not in profile.fields)
        + (chosen.pin is not None and not chosen.row_doubt)
    )


def _off_length(profile: Profile, n: int) -> int:
    """How many characters a password of `n` is off the card type's lengths."""
    return min(abs(n - k) for k in profile.fields["pin"].lengths)


def _card_type_note(profile: Profile, value: str, lines: list[Line]) -> str:
    """What to say of the card type chosen when the password found does not fit it:
    when it is further from the type's length than a lost or gained glyph makes it
    (labelled or not), or off at all while the card's print names another type that
    takes it as it is. Either way the card type is the likelier mistake."""
    n = len(value)
    off = _off_length(profile, n)
    named = _named_card(profile, value, lines)
    if off <= 2 and not (off and named is not None):
        return ""
    lengths = profile.fields["pin"].lengths
    lo, hi = lengths[0], lengths[-1]
    shown = str(lo) if lo == hi else f"{lo}–{hi}" if len(lengths) == hi - lo + 1 else None
    said = {
        "card": profile.display_name(),
        "lengths": shown or "/".join(str(k) for k in lengths),  # 16/19: one or the other
        "n": n,
    }
    if named is not None:
        return _(
            "The password found has {n} characters, and a {card} password has {lengths}. "
            "The card's print says it is a {named}: check that the card type is right."
        ).format(named=named.display_name(), **said)
    other = get_profile("generic")
    if profile.id != other.id and check_code(value, other, "pin", source="pasted").ok:
        return _(
            "The password found has {n} characters, and a {card} password has {lengths}. "
            "Check that the card type is right; for a card not in the list, choose "
            "“{other}”."
        ).format(other=other.display_name(), **said)
    return _(
        "The password found has {n} characters, and a {card} password has {lengths}. "
        "Check that the card type is right."
    ).format(**said)


def _named_card(profile: Profile, value: str, lines: list[Line]) -> Profile | None:
    """The card type the card's print names (京东, 中国移动 …), when it is not the one
    chosen and its password could be `value`."""
    named = LB.platform_of([ln.text.text for ln in lines if ln.text is not None])
    if named is None or named in (profile.id, "generic"):
        return None
    card = get_profile(named)
    return card if check_code(value, card, "pin", source="pasted").ok else None


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


__all__ = ["OcrEngineMissingError", "Options", "prepare", "read", "read_file", "read_image"]
