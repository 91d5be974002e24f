"""Camera benchmark: how fast the camera locks on a card, and whether a lock is ever wrong.

    .venv/bin/python -m benchmarks.camera_bench --videos 6 --seed 301

Each synthetic video (ocr/synth/video.py: a hand shaking the card, the lens hunting for
focus, glare sweeping across the code, the card entering the frame, and a still card for
reference) is played as the camera screen would receive it: frames arrive at the video's
frame rate, the reader always takes the newest frame when it is free (older ones are
dropped), and every reading votes in the camera's consensus (ocr/consensus.py). Time to
lock is the time from the first frame to the lock, with the reader's real time per frame;
a lock is right when its value is the card's code, wrong otherwise. A video that ends
without a lock counts as "no lock" (the user keeps holding the card, nothing is bound).

Before each video the card type's Tesseract is started ahead and waits, as in the app,
where choosing the card type (or the one the app starts with) gets it ready while the
user finds the card (gui/screens/capture.py). `--cold` leaves that out: the first frames
then also pay for starting Tesseract whenever the card type changes from one video to
the next.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from benchmarks.metrics import equivalent
from benchmarks.ocr_bench import CHOSEN, add_detector_choice, settle_spares, use_detector_chosen
from ocr.consensus import FrameConsensus
from ocr.frames import FrameReader
from ocr.pipeline import prepare, read_image


@dataclass
class KindStats:
    videos: int = 0
    locks: list[float] = field(default_factory=list)
    wrong: int = 0
    frames_read: list[int] = field(default_factory=list)
    ms_per_frame: list[float] = field(default_factory=list)


def play(
    frames: list[np.ndarray],
    fps: float,
    platform: str,
    truth: str,
    layout: str,
) -> tuple[float | None, bool, int, list[float]]:
    """Run the reader over the video as the camera screen does. Returns (time to lock or
    None, whether the lock was right, frames read, milliseconds per frame)."""
    cons = FrameConsensus(platform=platform, field_name="pin")
    reader = FrameReader(platform)
    t = 0.0
    duration = len(frames) / fps
    read = 0
    per: list[float] = []
    while t < duration:
        frame = frames[min(len(frames) - 1, int(t * fps))]
        t0 = time.perf_counter()
        reading = reader.read(frame)
        dt = time.perf_counter() - t0
        per.append(dt * 1000)
        t += dt
        read += 1
        cons.add(reading)
        if cons.locked:
            got = equivalent(cons.value, layout, "pin")
            return t, got == equivalent(truth, layout, "pin"), read, per
    return None, False, read, per


def main(argv: list[str] | None = None) -> int:
    from ocr.synth import video

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--videos", type=int, default=6, help="videos per kind")
    ap.add_argument("--seed", type=int, default=301)
    ap.add_argument("--kinds", default=",".join(video.VIDEO_KINDS))
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--cold", action="store_true", help="no Tesseract started ahead for the card type"
    )
    add_detector_choice(ap)
    args = ap.parse_args(argv)
    use_detector_chosen(args)
    stats: dict[str, KindStats] = {}
    read_image(video.make_video(args.seed, "still", seconds=0.2).frames[0], "jd", fast=True)
    for kind in args.kinds.split(","):
        st = stats.setdefault(kind, KindStats())
        for k in range(args.videos):
            v = video.make_video(args.seed + k, kind, extra_fonts=True)
            layout = str(v.meta.get("layout", "gift_card"))
            # The card's own type where the video says (as in ocr_bench: Case.chosen).
            platform = str(v.meta.get("platform") or CHOSEN.get(layout, "generic"))
            if not args.cold:
                prepare(platform)
                settle_spares()
            lock, right, n, per = play(v.frames, v.fps, platform, v.pin, layout)
            st.videos += 1
            st.frames_read.append(n)
            st.ms_per_frame += per
            if lock is not None:
                if right:
                    st.locks.append(lock)
                else:
                    st.wrong += 1
            if args.verbose:
                state = "no lock" if lock is None else ("right" if right else "WRONG")
                print(
                    f"{kind:6} {args.seed + k:5} {layout:10} {state:8} "
                    f"{'' if lock is None else f'{lock:.2f} s'} frames={n}",
                    flush=True,
                )
    print(
        "| video | n | locked right | wrong locks | no lock | median time to lock | "
        "ms per frame (p50) |"
    )
    print("|---|---|---|---|---|---|---|")
    all_locks: list[float] = []
    for kind, st in stats.items():
        all_locks += st.locks
        med = f"{statistics.median(st.locks):.2f} s" if st.locks else "–"
        print(
            f"| {kind} | {st.videos} | {len(st.locks)} | {st.wrong} | "
            f"{st.videos - len(st.locks) - st.wrong} | {med} | "
            f"{statistics.median(st.ms_per_frame):.0f} |"
        )
    total = sum(s.videos for s in stats.values())
    wrong = sum(s.wrong for s in stats.values())
    med = f"{statistics.median(all_locks):.2f} s" if all_locks else "–"
    print(
        f"| all | {total} | {len(all_locks)} | {wrong} | "
        f"{total - len(all_locks) - wrong} | {med} | |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
