"""OCR benchmark: cardbind against what a user would use instead, on the same images in
one run — plain Tesseract on the whole picture, and a whole-picture RapidOCR run — each
followed by the same small field-picking script a user would write.

    .venv/bin/python -m benchmarks.ocr_bench --synth 25 --seed 101      # generated cards
    .venv/bin/python -m benchmarks.ocr_bench --set ../shared/bench/samples
    .venv/bin/python -m benchmarks.ocr_bench --real ../shared/bench/real/images

For each engine (and for cardbind in both ways the app reads: with the card type
recognised, and with it chosen first as a GUI user does) and each tier, it prints: both
fields exact (card_ok), the password exact, fields exact, *unsafe* fields (wrong with a
wrong character left unflagged — see benchmarks/metrics.py, the acceptance scorer's
definition), false flags, nulls, and milliseconds per image (p50 / p95), then the
ratio of cardbind's median time to RapidOCR's.

Tune on generated cards (`--synth`, seeds other than the reported ones); the sample set
and the real photos are for seeing what fails and for the report. Real photos are read
from their folder at run time and never copied; their codes (read by eye, REAL_TRUTH) are
never printed. RapidOCR's whole-picture run needs the `rapidocr` package (a dependency).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.metrics import Tally, percentile, score_field
from ocr import ppocr
from ocr.image_io import load_image

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = ROOT.parent / "shared" / "bench" / "real" / "images"
FIELDS = ("card_number", "pin")
# The card type a GUI user picks for each layout of card; the real photos are recharge
# cards (of other operators), and China Mobile's is the recharge card type offered.
CHOSEN = {"jd_ecard": "jd", "recharge": "cmcc", "gift_card": "generic", "real": "cmcc"}

# The real photos' codes, read by eye from the pictures (used recharge cards from public
# photos; none of these codes can be bound). Serial numbers where one is printed.
REAL_TRUTH: dict[str, dict[str, str]] = {
    "bo_entel_bs100_card_photo.png": {"pin": "897190535310815"},
    "bo_tigo_bs100_tile_3716.png": {"pin": "3716518074456525"},
    "bo_tigo_bs10_tile_2124.png": {"pin": "2124331097927"},
    "bo_tigo_bs10_tile_3369.png": {"pin": "3369661524437770"},
    "bo_tigo_bs10_tile_5373.png": {"pin": "5373534962910760"},
    "bo_tigo_bs50_tile_lowres_5030.png": {"pin": "5030984599705188"},
    "bo_tigo_tile_lowres_1672.png": {"pin": "1672697734683622"},
    "bo_tigo_tile_lowres_3223.png": {"pin": "3223520959207594"},
    "bo_viva_bs10_tile_4127.png": {"pin": "41277013987358"},
    "bo_viva_bs50_card_photo.png": {"pin": "17925642826252"},
    "kh_metfone_card_photo_a.jpg": {"pin": "216414682940740", "card_number": "1001225800173"},
    "kh_metfone_card_photo_b.jpg": {"pin": "216414682940740", "card_number": "1001225800173"},
    "kh_metfone_card_photo_c.jpg": {"pin": "216414682940740", "card_number": "1001225800173"},
    "kh_metfone_card_photo_d.jpg": {"pin": "216414682940740", "card_number": "1001225800173"},
    "lk_reload_pin_crop.png": {"pin": "02025331648137"},
    "np_ncell_a_pin_crop_1.jpg": {"pin": "9636448906657462"},
    "np_ncell_a_pin_crop_2.jpg": {"pin": "9636448906657462"},
    "np_ncell_b_binarized_rotated.png": {"pin": "1333255975340578"},
    "np_ncell_b_pin_crop.png": {"pin": "1333255975340578"},
    "np_ntc_pin_crop_hires_colorswap.png": {"pin": "7123131728333150"},
    "np_ntc_pin_crop_rot90.png": {"pin": "7123131728333150"},
    "np_ntc_pin_crop_skew.png": {"pin": "7123131728333150"},
    "np_ntc_pin_crop_tight.png": {"pin": "7123131728333150"},
    "np_ntc_pin_crop_wide.png": {"pin": "7123131728333150"},
}


@dataclass
class Case:
    name: str
    tier: str
    layout: str
    load: Callable[[], np.ndarray]
    truth: dict[str, str | None]
    scored: tuple[str, ...] = FIELDS  # real photos: the password only
    platform: str | None = None  # the card type printed on it, where the set says

    @property
    def chosen(self) -> str:
        """The card type a GUI user picks for this card: its own where the set names it
        (our generator draws recharge cards of other operators, whose codes have other
        lengths than CMCC's: a user holding one picks "generic", not CMCC), else the one
        for its layout."""
        return self.platform or CHOSEN.get(self.layout, "generic")


@dataclass
class Run:
    fields: dict[str, Any]
    ms: float
    error: str = ""


@dataclass
class Stats:
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    cards: int = 0
    cards_ok: int = 0
    ms: list[float] = field(default_factory=list)


# -- cases ---------------------------------------------------------------------------


def set_cases(folder: Path) -> list[Case]:
    """A folder of images with a truth.json in the samples' format (the sample set, or a
    set written by `python -m ocr.synth`)."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    if isinstance(truth, dict):
        truth = truth.get("images", [])
    out = []
    for e in truth:
        path = folder / e["file"]
        out.append(
            Case(
                e["file"],
                e.get("tier", "?"),
                e.get("layout", "gift_card"),
                partial(load_image, path),
                dict(e["fields"]),
                platform=e.get("platform"),
            )
        )
    return out


def synth_cases(n: int, seed: int) -> list[Case]:
    from ocr import synth

    out = []
    for card in synth.make_set(n, seed=seed, extra_fonts=True):
        layout = card.layout
        out.append(
            Case(
                f"{card.tier}-{card.seed}",
                card.tier,
                layout,
                partial(np.asarray, card.image),
                {"pin": card.pin, "card_number": card.card_number},
                platform=card.platform,
            )
        )
    return out


def real_cases(folder: Path) -> list[Case]:
    return [
        Case(
            name,
            "real",
            "real",
            partial(load_image, folder / name),
            {"pin": t["pin"], "card_number": t.get("card_number")},
            ("pin",),
        )
        for name, t in REAL_TRUTH.items()
        if (folder / name).exists()
    ]


# -- engines -------------------------------------------------------------------------


def settle_spares(deadline_s: float = 2.0) -> None:
    """Wait until every Tesseract started ahead (ocr/tess_spares.py) has loaded its model
    and waits on its stdin, so that its start-up is not timed as another engine's work.
    Linux only (it reads /proc); elsewhere --warm times are not comparable."""
    from ocr.tess_spares import SPARES

    end = time.monotonic() + deadline_s
    for proc in SPARES.waiting():
        wchan = Path(f"/proc/{proc.pid}/wchan")
        while time.monotonic() < end and proc.poll() is None:
            try:
                if "pipe_read" in wchan.read_text():
                    break
            except OSError:
                break
            time.sleep(0.002)


def cardbind(mode: str) -> Callable[[Case, np.ndarray], dict[str, Any]]:
    from ocr.pipeline import read_image

    def run(case: Case, image: np.ndarray) -> dict[str, Any]:
        platform = case.chosen if mode == "chosen" else None
        return read_image(image, platform).to_json()

    return run


NUMBER_LABEL = re.compile(r"(卡号|序列号|CARD\s*(NO|NUMBER|#)|SERIAL|S/?N)", re.I)
PIN_LABEL = re.compile(r"(密码|卡密|激活码|兑换码|PIN|PASSWORD|CODE)", re.I)


def pick_fields(lines: list[tuple[str, float, float, float]]) -> dict[str, Any]:
    """The field-picking script a user would write over any OCR's lines (text, x, y,
    height): a value after its label on the line, or on the next line to its right or
    below; without labels, the longest run with letters is the password and the longest
    run of digits the card number. Nothing is flagged: plain OCR gives no doubts."""

    def runs(text: str) -> list[str]:
        t = re.sub(r"(?<=[0-9A-Z])[\s\-](?=[0-9A-Z])", "", text.upper())
        return list(re.findall(r"[0-9A-Z]{8,}", t))

    found: dict[str, str] = {}
    for i, (text, x, y, h) in enumerate(lines):
        for name, pat in (("card_number", NUMBER_LABEL), ("pin", PIN_LABEL)):
            m = pat.search(text)
            if not m or name in found:
                continue
            rest = runs(text[m.end() :])
            if rest:
                found[name] = max(rest, key=len)
                continue
            nxt = sorted(
                (abs(yy - y) + abs(xx - x) * 0.1, t)
                for j, (t, xx, yy, hh) in enumerate(lines)
                if j != i and runs(t) and (abs(yy - y) < h or (0 < yy - y < 2.5 * h))
            )
            if nxt:
                found[name] = max(runs(nxt[0][1]), key=len)
    if "pin" not in found or "card_number" not in found:
        allruns = [r for t, *_ in lines for r in runs(t)]
        lettered = sorted(
            (r for r in allruns if re.search("[A-Z]", r) and re.search("[0-9]", r)), key=len
        )
        digits = sorted((r for r in allruns if r.isdigit()), key=len)
        found.setdefault("pin", lettered[-1] if lettered else (digits[-1] if digits else ""))
        rest = [d for d in digits if d != found.get("pin")]
        found.setdefault("card_number", rest[-1] if rest else "")
    return {
        k: ({"value": v, "confidence": 1.0, "ambiguous": []} if v else None)
        for k, v in found.items()
    }


_rapid: Any = None


def rapidocr_whole(case: Case, image: np.ndarray) -> dict[str, Any]:
    global _rapid
    if _rapid is None:
        from rapidocr import RapidOCR

        _rapid = RapidOCR(params={"Global.log_level": "error"})
    out = _rapid(image)
    lines = []
    for box, text in zip(out.boxes if out.boxes is not None else [], out.txts or (), strict=False):
        b = np.asarray(box)
        lines.append(
            (str(text), float(b[:, 0].min()), float(b[:, 1].mean()), float(np.ptp(b[:, 1])))
        )
    return pick_fields(lines)


def tesseract_whole(case: Case, image: np.ndarray) -> dict[str, Any]:
    import os

    import pytesseract

    from ocr.tesseract import find_tesseract

    tess = find_tesseract()
    pytesseract.pytesseract.tesseract_cmd = tess.cmd
    if tess.tessdata:
        os.environ["TESSDATA_PREFIX"] = tess.tessdata
    data = pytesseract.image_to_data(
        image[..., ::-1], config="--psm 3", timeout=60, output_type=pytesseract.Output.DICT
    )
    rows: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            rows.setdefault(
                (data["block_num"][i], data["par_num"][i], data["line_num"][i]), []
            ).append(i)
    lines = [
        (
            " ".join(data["text"][i] for i in ix),
            float(data["left"][ix[0]]),
            float(data["top"][ix[0]]),
            float(max(data["height"][i] for i in ix)),
        )
        for ix in rows.values()
    ]
    return pick_fields(lines)


ENGINES: dict[str, Callable[[], Callable[[Case, np.ndarray], dict[str, Any]]]] = {
    "cardbind": lambda: cardbind("detect"),
    "cardbind-chosen": lambda: cardbind("chosen"),
    "rapidocr": lambda: rapidocr_whole,
    "tesseract": lambda: tesseract_whole,
}


# -- the run -------------------------------------------------------------------------


def run_all(
    cases: list[Case],
    engines: list[str],
    verbose: bool = False,
    warm: bool = False,
) -> dict[str, dict[str, Stats]]:
    """Every case through every engine, image by image (so load and machine drift hit all
    engines alike). Returns stats per engine and tier.

    By default no Tesseract is started ahead: each read pays Tesseract's start-up, as a
    batch read back to back does (the start-up of a process started ahead would land in
    the next engine's time). With `warm`, processes are started ahead and each read
    waits until they are ready, untimed: the time of one read after a pause, as a user
    opening a picture sees it."""
    from ocr.tess_spares import SPARES

    SPARES.enabled = warm
    if not warm:
        SPARES.close()
    fns = {e: ENGINES[e]() for e in engines}
    stats: dict[str, dict[str, Stats]] = {e: {} for e in engines}
    for e, fn in fns.items():  # warm-up: model loading and probes stay out of the times
        try:
            fn(cases[0], cases[0].load())
        except ImportError as exc:
            print(f"skipping {e}: {exc}", file=sys.stderr)
            fns.pop(e)
    for case in cases:
        image = case.load()
        for e, fn in fns.items():
            if warm:
                settle_spares()
            t0 = time.perf_counter()
            try:
                got = fn(case, image)
                err = ""
            except Exception as exc:  # a benchmark reports failures, it does not stop
                got, err = {}, type(exc).__name__
            ms = (time.perf_counter() - t0) * 1000
            scores = {
                n: score_field(got.get(n), case.truth.get(n), case.layout, n) for n in case.scored
            }
            ok = all(s.correct for s in scores.values())
            for tier in (case.tier, "all"):
                st = stats[e].setdefault(tier, Stats())
                st.ms.append(ms)
                st.cards += 1
                for name, s in scores.items():
                    st.fields[name].add(s)
                st.cards_ok += ok
            if verbose:
                flags = {n: len((got.get(n) or {}).get("ambiguous") or []) for n in FIELDS}
                # An unsafe field is named: it is the one figure that must stay at zero.
                unsafe = [n for n, s in scores.items() if s.unsafe]
                state = "ok" if ok else f"UNSAFE {','.join(unsafe)}" if unsafe else "WRONG"
                print(
                    f"{e:16} {case.tier:9} {case.name:28} {ms:6.0f} ms {state}"
                    f" flags={flags}{' ' + err if err else ''}",
                    flush=True,
                )
    return stats


def table(stats: dict[str, dict[str, Stats]]) -> Iterator[str]:
    yield (
        "| engine | tier | cards | both exact | pin exact | fields exact | unsafe | "
        "false flags | null | p50 ms | p95 ms |"
    )
    yield "|---|---|---|---|---|---|---|---|---|---|---|"
    tiers = ["clean", "photo", "scratched", "hard", "real", "all"]
    for tier in tiers + sorted({t for s in stats.values() for t in s} - set(tiers)):
        for e, per in stats.items():
            st = per.get(tier)
            if st is None:
                continue
            both = Tally()
            for t in st.fields.values():
                for k in ("n", "exact", "flagged_right", "unsafe", "null"):
                    setattr(both, k, getattr(both, k) + getattr(t, k))
            r = both.row()
            pin = st.fields["pin"].row()
            yield (
                f"| {e} | {tier} | {st.cards} | {st.cards_ok / max(1, st.cards):.3f} | "
                f"{pin['exact']:.3f} | {r['exact']:.3f} | {r['unsafe']:.3f} "
                f"({r['unsafe_n']}) | {r['false_flag']:.3f} | {r['null']:.3f} | "
                f"{percentile(st.ms, 0.5):.0f} | {percentile(st.ms, 0.95):.0f} |"
            )


def add_detector_choice(ap: argparse.ArgumentParser) -> None:
    """`--float-detector`, in every benchmark that reads: compare the two detectors."""
    ap.add_argument(
        "--float-detector",
        action="store_true",
        help="the rapidocr wheel's float line detector instead of our 8-bit one",
    )


def use_detector_chosen(args: argparse.Namespace) -> None:
    if args.float_detector:
        ppocr.USE_INT8_DET = False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--set",
        type=Path,
        action="append",
        default=[],
        help="folder with images and truth.json (repeatable)",
    )
    ap.add_argument("--synth", type=int, default=0, help="generated cards per tier")
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--real", type=Path, default=None, help="folder of the real photos")
    ap.add_argument("--engines", default="cardbind,cardbind-chosen,rapidocr,tesseract")
    ap.add_argument("--limit", type=int, default=0, help="only the first N cases")
    ap.add_argument("--json", type=Path, help="write the table rows here")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--warm",
        action="store_true",
        help="start Tesseract ahead and time each read after a pause (a user's single read)",
    )
    add_detector_choice(ap)
    args = ap.parse_args(argv)
    use_detector_chosen(args)
    cases: list[Case] = []
    for folder in args.set:
        cases += set_cases(folder)
    if args.synth:
        cases += synth_cases(args.synth, args.seed)
    if args.real is not None:
        cases += real_cases(args.real)
    if args.limit:
        cases = cases[: args.limit]
    if not cases:
        ap.error("nothing to read: give --set, --synth or --real")
    engines = [e for e in args.engines.split(",") if e]
    stats = run_all(cases, engines, args.verbose, args.warm)
    rows = list(table(stats))
    print("\n".join(rows))
    per = {e: s.get("all") for e, s in stats.items()}
    cb, rp = per.get("cardbind"), per.get("rapidocr")
    if cb and rp and rp.ms:
        ratio = percentile(cb.ms, 0.5) / max(1e-9, percentile(rp.ms, 0.5))
        print(f"\nmedian time, cardbind / whole-picture RapidOCR: {ratio:.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
