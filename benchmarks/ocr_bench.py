"""OCR benchmark: cardbind vs plain Tesseract vs RapidOCR on the same images, one run.

    .venv/bin/python -m benchmarks.ocr_bench                 # 50 synthetic cards per tier
    .venv/bin/python -m benchmarks.ocr_bench --n 10 --engines cardbind
    .venv/bin/python -m benchmarks.ocr_bench --real ../shared/bench/real/images

Per tier and engine it prints: PIN exact match, character accuracy, silent errors (a
wrong value with no flag on the wrong characters — the failure that matters most),
false flags (right value, some character flagged, as a share of right values), misses
(no value), and milliseconds per image (p50 / p95). Plain Tesseract and RapidOCR give
no flags, so every wrong value of theirs is a silent error.

Real photos are read from their folder at run time and never copied anywhere; their
codes (read by eye, see REAL_TRUTH) are printed masked. RapidOCR comes from the optional
`bench` extra (`pip install -e '.[bench]'`); without it that column is skipped.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.codes.mask import mask_code
from core.codes.profiles import get_profile
from ocr import synth
from ocr.image_io import load_image
from ocr.pipeline import read_image

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = ROOT.parent / "shared" / "bench" / "real" / "images"

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
    image: np.ndarray
    platform: str | None
    pin: str
    card_number: str | None = None


@dataclass
class Result:
    value: str | None
    flagged: set[int] = field(default_factory=set)
    ms: float = 0.0
    error: str = ""
    cpu_ms: float = 0.0  # CPU time of this process and its Tesseract children


def _cpu() -> float:
    """CPU seconds used so far by this process (all threads) and its waited-for
    children: unlike wall time, barely affected by other work on the machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[Case], Result]) -> Callable[[Case], Result]:
    def run(case: Case) -> Result:
        c0, t0 = _cpu(), time.perf_counter()
        r = fn(case)
        r.ms = (time.perf_counter() - t0) * 1000
        r.cpu_ms = (_cpu() - c0) * 1000
        return r

    return run


@dataclass
class Tally:
    n: int = 0
    exact: int = 0
    char_ok: float = 0.0
    silent: int = 0
    false_flag: int = 0
    missed: int = 0
    ms: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, truth: str, r: Result) -> None:
        self.n += 1
        self.ms.append(r.ms)
        self.cpu.append(r.cpu_ms)
        if r.value is None:
            self.missed += 1
            return
        self.char_ok += max(0.0, 1 - _lev(r.value, truth) / len(truth))
        if r.value == truth:
            self.exact += 1
            if r.flagged:
                self.false_flag += 1
            return
        if len(r.value) != len(truth):
            wrong = set(range(len(r.value)))  # nothing lines up: any flag is a warning
            if not r.flagged:
                self.silent += 1
            return
        wrong = {i for i, (a, b) in enumerate(zip(r.value, truth, strict=True)) if a != b}
        if wrong - r.flagged:
            self.silent += 1

    def row(self) -> dict[str, Any]:
        n = max(1, self.n)
        ms = sorted(self.ms) or [0.0]
        return {
            "n": self.n,
            "exact": round(self.exact / n, 3),
            "char_acc": round(self.char_ok / n, 3),
            "silent": self.silent,
            "false_flag": round(self.false_flag / max(1, self.exact), 3),
            "missed": self.missed,
            "p50_ms": round(statistics.median(ms)),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))]),
            "cpu_p50_ms": round(statistics.median(self.cpu or [0.0])),
        }


def _lev(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- engines -------------------------------------------------------------------------

def run_cardbind(case: Case) -> Result:
    reading = read_image(case.image, case.platform)
    pin = reading.fields.get("pin")
    if pin is None or pin.value is None:
        return Result(None)
    return Result(pin.value, {i for i, c in enumerate(pin.chars) if c.flagged})


def extract_pin(lines: Iterable[tuple[str, float]], platform: str | None) -> str | None:
    """The baselines' field rule, as close to cardbind's as plain text allows: on each
    line the runs of code characters that fit the password's length (for unknown cards:
    10+ digits); a run with letters wins on JD (the card number is digits only); then the
    tallest line (the password is printed larger than the card number on these cards)."""
    fmt = get_profile(platform or "generic").fields["pin"]
    found: list[tuple[int, float, str]] = []
    for line, height in lines:
        text = re.sub(r"[\s\-–—_.]", "", line.upper())
        if platform == "jd":
            text = text.replace("O", "0")
        for whole in re.findall(f"[{re.escape(fmt.alphabet)}]+", text):
            if platform is None or platform == "generic":
                digits = re.sub(r"\D", "", whole)
                if len(digits) >= 10:
                    found.append((len(digits), height, digits))
                continue
            # A label read into the run ("卡密" as junk): keep the tail.
            run = whole[-fmt.max_length:]
            if len(run) in fmt.lengths:
                found.append((int(any(c.isalpha() for c in run)), height, run))
    if not found:
        return None
    return max(found, key=lambda f: (f[0], f[1]))[2]


def run_tesseract(case: Case) -> Result:
    import os

    import pytesseract

    from ocr.tesseract import find_tesseract

    tess = find_tesseract()
    pytesseract.pytesseract.tesseract_cmd = tess.cmd
    if tess.tessdata:
        os.environ["TESSDATA_PREFIX"] = tess.tessdata
    data = pytesseract.image_to_data(case.image[..., ::-1], config="--psm 3", timeout=60,
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append((word, float(data["height"][i])))
    joined = [(" ".join(w for w, _ in ws), max(h for _, h in ws)) for ws in lines.values()]
    return Result(extract_pin(joined, case.platform))


_rapid: Any = None


def run_rapidocr(case: Case) -> Result:
    global _rapid
    if _rapid is None:
        import logging

        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        _rapid = RapidOCR()
    out = _rapid(case.image)
    boxes = out.boxes if out.boxes is not None else []
    heights = [float(np.ptp(np.asarray(b)[:, 1])) for b in boxes]
    return Result(extract_pin(zip(out.txts or (), heights, strict=False), case.platform))


ENGINES: dict[str, Callable[[Case], Result]] = {
    "cardbind": run_cardbind,
    "tesseract": run_tesseract,
    "rapidocr": run_rapidocr,
}


def synthetic_cases(n: int, seed: int, extra_fonts: bool) -> list[Case]:
    return [Case(f"{c.tier}-{c.seed}-{c.platform}-{c.font}", c.tier, c.image, c.platform,
                 c.pin, c.card_number)
            for c in synth.make_set(n, seed=seed, extra_fonts=extra_fonts)]


def real_cases(folder: Path) -> list[Case]:
    out = []
    for name, truth in REAL_TRUTH.items():
        path = folder / name
        if not path.exists():
            continue
        out.append(Case(name, "real", load_image(path), None, truth["pin"],
                        truth.get("card_number")))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cardbind OCR benchmark")
    ap.add_argument("--n", type=int, default=50, help="synthetic cards per tier")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engines", default="cardbind,tesseract,rapidocr")
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL,
                    help="folder of real photos ('' to skip)")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--extra-fonts", action="store_true",
                    help="also use TrueType fonts installed on this machine")
    ap.add_argument("--json", type=Path, help="write the table and every case here")
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    args = ap.parse_args(argv)

    cases: list[Case] = []
    if not args.no_synthetic and args.n > 0:
        cases += synthetic_cases(args.n, args.seed, args.extra_fonts)
    if str(args.real) and args.real.is_dir():
        cases += real_cases(args.real)
    engines = [e for e in args.engines.split(",") if e]
    tallies: dict[tuple[str, str], Tally] = {}
    details: list[dict[str, Any]] = []
    for eng in engines:
        fn = timed(ENGINES[eng])
        try:
            fn(cases[0])  # warm up (model loading, Tesseract probe) outside the timings
        except ImportError as exc:
            print(f"skipping {eng}: {exc}", file=sys.stderr)
            continue
        for case in cases:
            try:
                r = fn(case)
            except Exception as exc:  # a benchmark reports failures, it does not stop
                r = Result(None, error=type(exc).__name__)
            for tier in (case.tier, "all-synthetic") if case.tier != "real" else ("real",):
                tallies.setdefault((eng, tier), Tally()).add(case.pin, r)
            wrong = r.value is not None and r.value != case.pin
            if args.verbose:
                mark = "OK " if r.value == case.pin else ("MISS" if r.value is None else "ERR")
                flags = f" flagged={sorted(r.flagged)}" if r.flagged else ""
                print(f"{eng:9} {case.tier:9} {mark} {case.name} "
                      f"{mask_code(r.value) if r.value else '-'}{flags} {r.ms:.0f}ms"
                      + (f" wrong={[i for i, (a, b) in enumerate(zip(r.value or '', case.pin, strict=False)) if a != b]}"  # noqa: E501
                         if wrong else ""), flush=True)
            details.append({"engine": eng, "case": case.name, "tier": case.tier,
                            "ok": r.value == case.pin, "missed": r.value is None,
                            "flagged": sorted(r.flagged), "ms": round(r.ms, 1),
                            "error": r.error})
    tiers = ["clean", "photo", "scratched", "hard", "all-synthetic", "real"]
    table = []
    print()
    print(f"{'engine':10}{'tier':15}{'n':>4}{'exact':>7}{'chars':>7}{'silent':>7}"
          f"{'falseflag':>10}{'missed':>7}{'p50ms':>7}{'p95ms':>7}{'cpu50':>7}")
    for tier in tiers:
        for eng in engines:
            t = tallies.get((eng, tier))
            if not t:
                continue
            row = {"engine": eng, "tier": tier, **t.row()}
            table.append(row)
            print(f"{eng:10}{tier:15}{row['n']:>4}{row['exact']:>7.3f}{row['char_acc']:>7.3f}"
                  f"{row['silent']:>7}{row['false_flag']:>10.3f}{row['missed']:>7}"
                  f"{row['p50_ms']:>7}{row['p95_ms']:>7}{row['cpu_p50_ms']:>7}")
    if args.json:
        args.json.write_text(json.dumps({"table": table, "cases": details}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
