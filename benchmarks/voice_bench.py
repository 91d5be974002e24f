"""Voice-fix benchmark: `python -m benchmarks.voice_bench` (needs espeak-ng; flite optional).

50 random JD codes (16 hex characters, 4 groups) are said group by group, digits as
words and letters as NATO words, by several synthetic voices: espeak-ng variants (accent,
speed, pitch, a different synthesizer), flite's voices when installed, and two with
white noise at 20 dB SNR. Each group goes through the voice-fix flow
(core.voice.flow) with the default engine (pocketsphinx), in two grammars:

- flagged: the realistic case. One or two positions of the group are flagged by "OCR"
  with their look-alikes as alternatives; the others may be any 0-9A-F.
- open: every position may be any 0-9A-F (nothing known about the group).

It prints, per voice: group accuracy at the first try, how often nothing was heard
(the user is asked again), how often a wrong group was read back (the user must say
重说), and the decode time per group. Synthetic speech is a best case for timing and
a poor stand-in for a real elderly voice; see docs/voice.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from core.codes.confusion import confusable_with
from core.codes.spoken import DIGIT_WORDS, NATO_WORDS
from core.voice import tts
from core.voice.flow import GroupTask, State, VoiceFixFlow
from core.voice.grammar import GroupSpec, group_spec
from core.voice.readback import ReadbackOptions

HEX = "0123456789ABCDEF"


@dataclass(frozen=True)
class Voice:
    name: str
    program: str
    say: Callable[[str], np.ndarray]
    snr_db: float | None = None


def _espeak(
    voice: str, speed: int = 150, pitch: int = 50, gap: int = 0
) -> Callable[[str], np.ndarray]:
    return lambda text: tts.espeak(text, voice, speed=speed, pitch=pitch, gap=gap)


def _flite(voice: str) -> Callable[[str], np.ndarray]:
    return lambda text: tts.flite(text, voice)


VOICES: tuple[Voice, ...] = (
    Voice("espeak en-us", "espeak-ng", _espeak("en-us")),
    Voice("espeak en-us slow, pauses", "espeak-ng", _espeak("en-us", speed=115, gap=10)),
    Voice("espeak en-us fast", "espeak-ng", _espeak("en-us", speed=200)),
    Voice("espeak en-gb", "espeak-ng", _espeak("en-gb")),
    Voice("espeak en-us low pitch", "espeak-ng", _espeak("en-us+m3", pitch=25)),
    Voice("espeak en-us female", "espeak-ng", _espeak("en-us+f2", pitch=60)),
    Voice("espeak en-us klatt", "espeak-ng", _espeak("en-us+klatt")),
    Voice("espeak en-us + noise 20dB", "espeak-ng", _espeak("en-us"), snr_db=20.0),
    Voice("flite slt", "flite", _flite("slt")),
    Voice("flite kal16", "flite", _flite("kal16")),
    Voice("flite awb", "flite", _flite("awb")),
    Voice("flite rms", "flite", _flite("rms")),
    Voice("flite slt + noise 20dB", "flite", _flite("slt"), snr_db=20.0),
)


def codes(n: int, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(HEX) for _ in range(16)) for _ in range(n)]


def spoken(group: str) -> str:
    return ", ".join(DIGIT_WORDS.get(c) or NATO_WORDS[c] for c in group)


def flagged_spec(group: str, rng: random.Random) -> GroupSpec:
    """What the review screen would build: 1-2 flagged positions with look-alikes."""
    flagged: dict[int, list[str]] = {}
    for pos in rng.sample(range(len(group)), rng.choice((1, 2))):
        alts = sorted(c for c in confusable_with(group[pos]) if c in HEX)
        if not alts:  # a character with no hex look-alike: two random others
            alts = rng.sample([c for c in HEX if c != group[pos]], 2)
        flagged[pos] = alts
    return group_spec(group, flagged, HEX)


def add_noise(audio: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    power = float(np.mean(audio**2)) or 1e-12
    noise = np.random.default_rng(seed).normal(
        0.0, np.sqrt(power / 10 ** (snr_db / 10)), audio.size
    )
    return audio + noise


_recognizer = None


def _job(args: tuple[int, int, str, str]) -> tuple[int, str, str, float]:
    """(voice index, seed, group, scenario) → (voice index, scenario, outcome, seconds)."""
    global _recognizer
    vi, seed, group, scenario = args
    if _recognizer is None:
        from core.voice.pocketsphinx_engine import PocketsphinxRecognizer

        _recognizer = PocketsphinxRecognizer()
    voice = VOICES[vi]
    audio = voice.say(spoken(group))
    if voice.snr_db is not None:
        audio = add_noise(audio, voice.snr_db, seed)
    pcm = tts.to_pcm(np.clip(audio, -1, 1))
    rng = random.Random(seed)
    spec = flagged_spec(group, rng) if scenario == "flagged" else GroupSpec.uniform(HEX, 4)
    flow = VoiceFixFlow([GroupTask(0, spec, group)], ReadbackOptions("en"))
    flow.start()
    flow.listen()
    flow.stop()
    t0 = time.perf_counter()
    result = _recognizer.recognize(pcm, spec)
    took = time.perf_counter() - t0
    flow.recognized(result)
    if flow.state is State.READY:
        outcome = "nothing"
    else:
        outcome = "right" if flow.heard is not None and flow.heard.text == group else "wrong"
    return vi, scenario, outcome, took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="voice-fix group accuracy and decode time")
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument(
        "--seed",
        type=int,
        default=6,
        help="seed of the random codes: tune on another seed than the one reported (default 6)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--voice", action="append", help="only voices containing this text")
    parser.add_argument("--scenario", choices=("flagged", "open", "both"), default="both")
    args = parser.parse_args(argv)
    try:
        tts.require("espeak-ng")
    except tts.TtsUnavailable as exc:
        print(f"voice_bench: {exc}", file=sys.stderr)
        return 2
    voices = [
        i for i, v in enumerate(VOICES) if (not args.voice or any(s in v.name for s in args.voice))
    ]
    missing = sorted({VOICES[i].program for i in voices} - {"espeak-ng"})
    for program in missing:
        try:
            tts.require(program)
        except tts.TtsUnavailable as exc:
            print(f"voice_bench: skipping {program} voices: {exc}", file=sys.stderr)
            voices = [i for i in voices if VOICES[i].program != program]
    scenarios = ("flagged", "open") if args.scenario == "both" else (args.scenario,)
    groups = [c[i : i + 4] for c in codes(args.codes, args.seed) for i in range(0, 16, 4)]
    work = [(vi, seed, g, s) for vi in voices for s in scenarios for seed, g in enumerate(groups)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(_job, work, chunksize=8))
    wall = time.perf_counter() - t0

    print(
        f"{args.codes} codes (seed {args.seed}), {len(groups)} groups per voice and grammar; "
        f"pocketsphinx {_version()}; {wall:.0f} s wall on {args.jobs} processes\n"
    )
    header = (
        f"{'voice':28} {'grammar':8} {'right':>7} {'nothing':>8} {'wrong':>7} "
        f"{'mean ms':>8} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    rows = [(vi, s) for s in scenarios for vi in voices] + [(-1, s) for s in scenarios]
    for vi, s in rows:
        sel = [r for r in results if r[1] == s and (vi < 0 or r[0] == vi)]
        n = len(sel)
        times = sorted(r[3] * 1000 for r in sel)
        count = {k: sum(1 for r in sel if r[2] == k) for k in ("right", "nothing", "wrong")}
        name = "ALL VOICES" if vi < 0 else VOICES[vi].name
        print(
            f"{name:28} {s:8} {100 * count['right'] / n:6.1f}% "
            f"{100 * count['nothing'] / n:7.1f}% {100 * count['wrong'] / n:6.1f}% "
            f"{statistics.fmean(times):8.0f} {times[int(0.95 * (n - 1))]:7.0f}"
        )
        if vi == voices[-1]:
            print()
    return 0


def _version() -> str:
    from importlib.metadata import version

    return version("pocketsphinx")


if __name__ == "__main__":
    sys.exit(main())
