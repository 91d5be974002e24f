"""Make the recognizer test fixtures: `python -m benchmarks.voice_fixtures`.

Writes tests/fixtures/voice/<group>_<voice>.wav, each one group of four said as NATO
words and digits by espeak-ng or flite (our own synthetic output, 16 kHz mono 16-bit).
Needs espeak-ng and flite; CI only reads the committed files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.codes.spoken import DIGIT_WORDS, NATO_WORDS
from core.voice import synth
from core.voice.pcm import write_wav

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "voice"

# group, voice name in the file name, how to say it
FIXTURES: tuple[tuple[str, str], ...] = (
    ("7D3E", "espeak-en-us"),
    ("B8EF", "flite-slt"),
    ("1095", "flite-kal16"),
    ("C0A9", "espeak-en-us-slow"),
)


def words(group: str) -> str:
    return ", ".join(DIGIT_WORDS.get(c) or NATO_WORDS[c] for c in group).replace("nine", "niner")


def say(group: str, voice: str) -> bytes:
    text = words(group)
    if voice == "espeak-en-us":
        audio = synth.espeak(text, "en-us", speed=160)
    elif voice == "espeak-en-us-slow":
        audio = synth.espeak(text, "en-us", speed=120, gap=8)
    else:
        audio = synth.flite(text, voice.removeprefix("flite-"))
    return synth.to_pcm(synth.trim(audio, margin_s=0.2), peak=0.6)


def main() -> int:
    try:
        synth.require("espeak-ng")
        synth.require("flite")
    except synth.SynthUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for group, voice in FIXTURES:
        write_wav(OUT / f"{group}_{voice}.wav", say(group, voice))
    print(f"wrote {len(FIXTURES)} fixtures to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
