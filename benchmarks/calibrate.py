"""Calibrate when a character is `certain` (ocr/fuse.py Thresholds) on generated cards.

    .venv/bin/python -m ocr.synth --out /tmp/cal --n 240 --seed 11 --extra-fonts
    .venv/bin/python -m benchmarks.calibrate collect /tmp/cal --out /tmp/cal.json
    .venv/bin/python -m benchmarks.calibrate search /tmp/cal.json

`collect` reads every card once (with the card type chosen, as a GUI user does, and
recognised) and keeps, per field, what each character's tier rests on: PP-OCR's peak
probability and its best rival, Tesseract's belief in the same character and in its
best other one, and whether one reader saw a glyph the other did not. `search` then
replays the tier rule under a grid of thresholds and prints, for each, the unsafe fields
(wrong with a wrong character left unflagged — the figure that must be zero) and the
false flags (right fields with something flagged); the thresholds shipped are the
cheapest in false flags among those with no unsafe field and a safety margin.

Calibrate on generated cards only, never on the sample set or the real photos: those are
for reporting (docs/ocr.md, "How the thresholds were chosen").
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from benchmarks.metrics import CONF_FLAG, equivalent, norm, unsafe
from benchmarks.ocr_bench import set_cases
from ocr import fuse
from ocr.pipeline import Options, read

MODES = ("chosen",)  # the GUI user's way; "detect" reads the same rows


def collect(folder: Path, out: Path, limit: int = 0) -> None:
    cases = set_cases(folder)[: limit or None]
    records: list[dict[str, Any]] = []
    for k, case in enumerate(cases):
        image = case.load()
        for mode in MODES:
            ev: dict[str, list[fuse.Evidence]] = {}
            platform = case.chosen if mode == "chosen" else None
            reading = read(image, Options(platform=platform, evidence=ev))
            for name in ("pin", "card_number"):
                f = reading.fields.get(name)
                if f is None or f.value is None:
                    continue
                records.append(
                    {
                        "case": case.name,
                        "tier": case.tier,
                        "layout": case.layout,
                        "mode": mode,
                        "field": name,
                        "value": f.value,
                        "truth": case.truth.get(name),
                        "doubt": f.doubt,
                        "tiers": [c.tier for c in f.chars],
                        "confidence": f.confidence,
                        "evidence": [asdict(e) for e in ev.get(name, [])],
                    }
                )
        print(f"{k + 1}/{len(cases)}", end="\r", file=sys.stderr, flush=True)
    out.write_text(json.dumps(records))
    print(f"\n{len(records)} fields written to {out}", file=sys.stderr)


def replay(rec: dict[str, Any], th: fuse.Thresholds) -> tuple[bool, bool, bool]:
    """(correct, flagged, unsafe) of one field under thresholds `th`."""
    value = equivalent(norm(rec["value"]), rec["layout"], rec["field"])
    truth = equivalent(norm(rec["truth"]), rec["layout"], rec["field"]) or ""
    ev = rec["evidence"]
    if rec["doubt"] or len(ev) != len(rec["value"]):
        marks = [i for i, t in enumerate(rec["tiers"]) if t != "certain"]
    else:
        sure = fuse.sure_of([fuse.Evidence(**e) for e in ev], th)
        marks = [
            i
            for i, (e, t) in enumerate(zip(ev, rec["tiers"], strict=True))
            if not sure[i] or (t != "certain" and e["certain"])
        ]
        if len(marks) >= fuse.POOR_ROW * len(ev):  # ocr/finish.py: a poorly read row
            marks = list(range(len(ev)))
    conf = rec["confidence"] if rec["doubt"] == "row" else 1.0
    flagged = bool(marks) or conf < CONF_FLAG
    return value == truth, flagged, unsafe(value, truth, marks, flagged)


def search(path: Path, vary: list[str] | None = None) -> None:
    """Replay the tier rule over a grid; `vary` names the thresholds to search (the rest
    stay as shipped), since the whole grid grows with every threshold added."""
    records = json.loads(path.read_text())
    grid: dict[str, tuple[Any, ...]] = {  # thresholds, and a switch
        "pp_min": (0.90, 0.95, 0.97, 0.99),
        "pp_rival": (0.02, 0.05, 0.10, 0.20),
        "tess_min": (0.40, 0.50, 0.60, 0.70, 0.80),
        "tess_margin": (0.10, 0.20, 0.30, 0.40, 0.60),
        "tess_one": (0.3, 0.5, 0.7, 0.9, 1.01),
        "tess_all": (0.8, 0.9, 0.95, 1.01),
        "pp_min_all": (0.5, 0.7, 0.8, 0.9),
        "pp_rival_all": (0.1, 0.2, 0.3, 0.5),
        "hidden_max": (0.05, 0.10, 0.15, 0.20, 0.22, 0.25, 0.30, 1.0),
        "hidden_max_all": (0.02, 0.05, 0.10, 0.30, 1.0),
        "hidden_max_tail": (0.03, 0.05, 0.07, 0.10, 1.0),
        "twin_pp_min": (0.99, 0.995, 0.998, 0.999),
        "third_min": (0.90, 0.95, 0.97, 0.99, 0.995, 1.01),
        "third_veto": (0.3, 0.5, 0.7, 0.9, 1.01),
        "third_any_row": (False, True),
        "third_pp_min": (0.8, 0.9, 0.95, 0.99),
        "third_all": (0.95, 0.97, 0.99, 0.995, 1.01),
        "pp_min_third": (0.5, 0.6, 0.7, 0.8),
    }
    if vary:
        grid = {k: v for k, v in grid.items() if k in vary}
    rows = []
    for values in itertools.product(*grid.values()):
        th = replace(fuse.DEFAULT, **dict(zip(grid, values, strict=True)))
        right = flagged_right = bad = 0
        for rec in records:
            ok, fl, uns = replay(rec, th)
            right += ok
            flagged_right += ok and fl
            bad += uns
        rows.append((bad, flagged_right / max(1, right), th))
    rows.sort(key=lambda r: (r[0], r[1]))
    print(f"{len(records)} fields; unsafe, false flags, thresholds (best 15):")
    for bad, ff, th in rows[:15]:
        print(f"  {bad:3d}  {ff:.3f}  {th}")
    cur = fuse.DEFAULT
    n_bad = sum(replay(r, cur)[2] for r in records)
    right_recs = [r for r in records if replay(r, cur)[0]]
    ff = sum(replay(r, cur)[1] for r in right_recs) / max(1, len(right_recs))
    print(f"shipped: unsafe {n_bad}, false flags {ff:.3f}  {cur}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("folder", type=Path)
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--limit", type=int, default=0)
    s = sub.add_parser("search")
    s.add_argument("records", type=Path)
    s.add_argument("--vary", nargs="+", help="only these thresholds (default: all)")
    args = ap.parse_args(argv)
    if args.cmd == "collect":
        collect(args.folder, args.out, args.limit)
    else:
        search(args.records, args.vary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
