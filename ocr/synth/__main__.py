"""python -m ocr.synth --out DIR --n N --seed S [--tiers ...] [--layouts ...] [--extra-fonts]

Writes N cards per tier and layout mix as JPEG images plus a truth.json in the format of
the benchmark samples, so the benchmark's score.py scores a reader on them the same way.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from typing import cast

from ocr.synth import texts
from ocr.synth.card import LAYOUTS, PLATFORMS, TIERS, SynthCard, Tier, make_card
from ocr.synth.io import write_set


def cards(
    n: int,
    seed: int,
    tiers: list[str],
    layouts: list[str] | None,
    *,
    platform: str | None,
    extra_fonts: bool,
) -> Iterator[SynthCard]:
    """`n` cards in all, spread over the tiers (and layouts) in turn."""
    for i in range(n):
        tier = tiers[i % len(tiers)]
        layout = layouts[(i // len(tiers)) % len(layouts)] if layouts else None
        yield make_card(
            seed * 100_000 + i,
            cast(Tier, tier),
            platform=platform,
            extra_fonts=extra_fonts,
            layout=layout,
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m ocr.synth",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", help="folder for the images and truth.json")
    ap.add_argument("--n", type=int, default=40, help="number of cards (default 40)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tiers", nargs="+", choices=TIERS, default=list(TIERS))
    ap.add_argument(
        "--layouts", nargs="+", choices=LAYOUTS, default=None, help="default: the natural mix"
    )
    ap.add_argument("--platform", choices=PLATFORMS, default=None)
    ap.add_argument(
        "--extra-fonts",
        action="store_true",
        help="also use the installed system fonts (see the module docstring)",
    )
    ap.add_argument(
        "--charset",
        action="store_true",
        help="print every character the generator can print (for the font subset)",
    )
    args = ap.parse_args(argv)
    if args.charset:
        sys.stdout.write(texts.charset() + "".join(chr(c) for c in range(32, 127)))
        return 0
    if not args.out:
        ap.error("--out is required")
    if args.layouts and args.platform:
        ap.error("give --layouts or --platform, not both")
    t0 = time.perf_counter()
    entries = write_set(
        args.out,
        cards(
            args.n,
            args.seed,
            args.tiers,
            args.layouts,
            platform=args.platform,
            extra_fonts=args.extra_fonts,
        ),
    )
    dt = time.perf_counter() - t0
    print(
        f"wrote {len(entries)} cards to {args.out} in {dt:.1f} s "
        f"({1000 * dt / max(1, len(entries)):.0f} ms per card)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
