"""The shipped clips: every one read-back can ask for exists and is playable audio."""

from __future__ import annotations

import wave

from core.resources import resource_path
from core.voice import clips, readback
from core.voice.readback import Clip


def test_every_clip_exists_as_short_16khz_mono_16bit_audio() -> None:
    ids = clips.clip_ids()
    # prompts and 36 characters in two languages, plus five radio digits in Chinese
    assert len(ids) == 2 * (len(clips.PROMPTS) + 36) + 5
    for cid in ids:
        with wave.open(str(clips.clip_path(cid)), "rb") as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2), cid
            seconds = w.getnframes() / w.getframerate()
            assert 0.15 < seconds < 6.0, cid


def test_no_stray_clip_files_and_the_set_stays_small() -> None:
    files = sorted(resource_path("voice").glob("*/*.wav"))
    assert {f"{f.parent.name}/{f.stem}" for f in files} == set(clips.clip_ids())
    assert sum(f.stat().st_size for f in files) < 3_000_000


def test_every_readback_uses_shipped_clips() -> None:
    for lang in clips.LANGS:
        opts = readback.ReadbackOptions(lang)
        rb = readback.code(["0123", "4567", "89AB", "CDEF", "GHIJ", "KLMNOPQRSTUVWXYZ"], opts)
        rb += readback.heard("1290", opts)
        for name in clips.PROMPTS:
            rb += readback.prompt(name, opts)
        for seg in rb.segments:
            if isinstance(seg, Clip):
                assert clips.clip_path(seg.id).is_file(), seg.id
                assert seg.text


def test_every_clip_has_both_languages_and_pinyin() -> None:
    for name, entry in clips.ALL.items():
        assert entry.en, name
        assert entry.zh_CN, name
        assert entry.pinyin, name
        # espeak-ng's pinyin voice needs a tone number on every syllable
        for syllable in entry.pinyin.replace(",", " ").replace(".", " ").replace("?", " ").split():
            assert syllable[-1] in "12345", (name, syllable)


def test_the_english_character_clips_say_the_right_word() -> None:
    # The default recognizer, allowed any of the 36 characters, must hear each English
    # clip as its own character: a wrong or garbled clip would read back a wrong code.
    import string

    from core.voice.grammar import GroupSpec
    from core.voice.pcm import read_wav
    from core.voice.pocketsphinx_engine import PocketsphinxRecognizer

    engine = PocketsphinxRecognizer(letter_names="never")
    spec = GroupSpec.uniform(string.digits + string.ascii_uppercase, 1)
    silence = b"\0\0" * 4000
    heard = {
        c: engine.recognize(
            silence + read_wav(clips.clip_path(f"en/char_{c}")) + silence, spec
        ).text
        for c in string.digits + string.ascii_uppercase
    }
    assert heard == {c: c for c in heard}
