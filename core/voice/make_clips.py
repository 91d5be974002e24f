"""Make the read-back clips: `python -m core.voice.make_clips` (needs espeak-ng).

Writes resources/voice/<lang>/<name>.wav for every clip in core.voice.clips: 16 kHz
mono 16-bit, silence trimmed, all at the same peak level so a sequence of clips plays
evenly. Mandarin is spoken from pinyin by espeak-ng's cmn-latn-pinyin voice (its
Chinese-character reading is garbled); English by its en-us voice. The output is
deterministic for one espeak-ng version, so re-running leaves unchanged files as they are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.voice import clips, tts
from core.voice.pcm import write_wav

VOICES = {"en": "en-us", "zh_CN": "cmn-latn-pinyin"}
SPEED = 150  # words per minute; espeak-ng's default of 175 is too quick for read-back
PEAK = 0.7


def make(clip: str) -> bytes:
    lang, name = clip.split("/", 1)
    entry = clips.ALL[name]
    text = entry.pinyin if lang == "zh_CN" else entry.en
    audio = tts.trim(tts.espeak(text, VOICES[lang], speed=SPEED))
    return tts.to_pcm(audio, peak=PEAK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="make only clips whose id contains this text")
    args = parser.parse_args(argv)
    try:
        tts.require("espeak-ng")
    except tts.TtsUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    total = 0
    for clip in clips.clip_ids():
        if args.only and args.only not in clip:
            continue
        path = clips.clip_path(clip)
        path.parent.mkdir(parents=True, exist_ok=True)
        pcm = make(clip)
        write_wav(Path(path), pcm)
        total += path.stat().st_size
    print(f"wrote {len(clips.clip_ids())} clips, {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
