"""Make the recognizer test fixtures: `python -m benchmarks.voice_fixtures [STEM...]`.

Writes tests/fixtures/voice/<group>_<voice>.wav, each one group of four said as NATO
words and digits by espeak-ng or flite (our own synthetic output, 16 kHz mono 16-bit).
Needs espeak-ng and flite; CI only reads the committed files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from benchmarks.voice_bench import add_noise
from core.codes.spoken import DIGIT_WORDS, NATO_WORDS
from core.voice import tts
from core.voice.pcm import write_wav

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "voice"

# group, voice name in the file name, how to say it
FIXTURES: tuple[tuple[str, str], ...] = (
    ("7D3E", "espeak-en-us"),
    ("B8EF", "flite-slt"),
    ("1095", "flite-kal16"),
    ("C0A9", "espeak-en-us-slow"),
    # under a loud hiss: both were misheard until the engine took steady noise out
    ("4F72", "flite-slt-noise20"),
    ("E4BC", "flite-slt-noise20"),
)
NOISE_SEED = 1


def words(group: str) -> str:
    return ", ".join(DIGIT_WORDS.get(c) or NATO_WORDS[c] for c in group).replace("nine", "niner")


def say(group: str, voice: str) -> bytes:
    text = words(group)
    if voice == "espeak-en-us":
        audio = tts.espeak(text, "en-us", speed=160)
    elif voice == "espeak-en-us-slow":
        audio = tts.espeak(text, "en-us", speed=120, gap=8)
    else:
        audio = tts.flite(text, voice.removeprefix("flite-").removesuffix("-noise20"))
    audio = tts.trim(audio, margin_s=0.2)
    if voice.endswith("-noise20"):
        # white noise 20 dB under the speech, as in benchmarks/voice_bench.py
        audio = add_noise(audio * (0.6 / np.abs(audio).max()), 20.0, NOISE_SEED)
        return tts.to_pcm(np.clip(audio, -1, 1))
    return tts.to_pcm(audio, peak=0.6)


def main() -> int:
    try:
        tts.require("espeak-ng")
        tts.require("flite")
    except tts.TtsUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])  # file stems to (re)write; default all
    chosen = [(g, v) for g, v in FIXTURES if not only or f"{g}_{v}" in only]
    for group, voice in chosen:
        write_wav(OUT / f"{group}_{voice}.wav", say(group, voice))
    print(f"wrote {len(chosen)} fixtures to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
