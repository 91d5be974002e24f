"""PCM helpers: the speech check, pause shortening, format conversion, WAV files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.voice.models import VoiceError
from core.voice.pcm import (
    has_speech,
    read_wav,
    reduce_noise,
    shorten_pauses,
    to_recognizer_pcm,
    with_noise_floor,
    write_wav,
)

RATE = 16000


def tone(seconds: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return level * np.sin(2 * np.pi * 300 * t)


def pcm(*parts: np.ndarray) -> bytes:
    return (np.concatenate(parts) * 32767).astype("<i2").tobytes()


def seconds(data: bytes) -> float:
    return len(data) / 2 / RATE


def test_speech_is_told_from_silence_hiss_and_steady_noise() -> None:
    rng = np.random.default_rng(1)
    assert has_speech(pcm(np.zeros(RATE), tone(0.5), np.zeros(RATE)))
    assert not has_speech(pcm(np.zeros(2 * RATE)))
    assert not has_speech(pcm(rng.normal(0, 0.002, 2 * RATE)))  # a quiet room
    assert not has_speech(pcm(rng.normal(0, 0.05, 2 * RATE)))  # a fan: loud but steady
    assert not has_speech(pcm(np.zeros(RATE), tone(0.1), np.zeros(RATE)))  # a click


def test_long_pauses_are_cut_short_and_the_words_kept() -> None:
    slow = pcm(np.zeros(RATE), tone(0.4), np.zeros(RATE), tone(0.4), np.zeros(RATE))
    short = shorten_pauses(slow)
    # the pause between the words is cut to about 150 ms, the silence around them is kept
    assert seconds(short) == pytest.approx(2.8 + 0.15, abs=0.03)
    assert shorten_pauses(pcm(tone(0.4), tone(0.4))) == pcm(tone(0.4), tone(0.4))


def test_a_steady_hiss_is_taken_out_and_the_words_kept() -> None:
    rng = np.random.default_rng(2)
    clean = np.concatenate(
        [np.zeros(RATE // 2), tone(0.4), np.zeros(RATE // 2), tone(0.4), np.zeros(RATE // 2)]
    )
    hiss = rng.normal(0, 0.03, clean.size)  # about -30 dBFS, a loud fan or a bad sound card
    out = np.frombuffer(reduce_noise(pcm(clean + hiss)), dtype="<i2") / 32767
    assert out.size == clean.size
    pause = slice(RATE // 10, RATE * 4 // 10)
    word = slice(RATE // 2 + RATE // 10, RATE // 2 + RATE * 3 // 10)
    # the pause is at least 10 dB quieter, the word keeps its level within 2 dB
    assert out[pause].std() < hiss[pause].std() / np.sqrt(10)
    assert 10 ** (-2 / 20) < out[word].std() / clean[word].std() < 10 ** (2 / 20)


def test_a_quiet_recording_is_not_touched_by_noise_reduction() -> None:
    rng = np.random.default_rng(3)
    quiet = pcm(np.zeros(RATE // 2), tone(0.4), np.zeros(RATE // 2)) + b"\0"
    assert reduce_noise(quiet) == quiet
    faint = pcm(rng.normal(0, 0.001, RATE), tone(0.4), rng.normal(0, 0.001, RATE))
    assert reduce_noise(faint) == faint


def test_the_noise_floor_is_faint_and_always_the_same() -> None:
    silence = pcm(np.zeros(RATE))
    a = np.frombuffer(with_noise_floor(silence), dtype="<i2")
    assert 30 < a.std() < 70
    assert with_noise_floor(silence) == with_noise_floor(silence)


def test_device_audio_is_converted_to_16khz_mono_16bit() -> None:
    t = np.arange(48000) / 48000
    x = (0.5 * np.sin(2 * np.pi * 440 * t)).astype("<f4")
    out = to_recognizer_pcm(np.stack([x, x], 1).tobytes(), 48000, 2, "float32")
    a = np.frombuffer(out, dtype="<i2")
    assert a.size == RATE
    assert abs(int(a.max()) - 16384) < 300


def test_only_16khz_mono_16bit_wav_files_are_read(tmp_path: Path) -> None:
    good = tmp_path / "good.wav"
    write_wav(good, pcm(tone(0.2)))
    assert read_wav(good) == pcm(tone(0.2))
    write_wav(tmp_path / "8k.wav", pcm(tone(0.2)), rate=8000)
    with pytest.raises(VoiceError, match="not 16 kHz mono"):
        read_wav(tmp_path / "8k.wav")
    (tmp_path / "junk.wav").write_bytes(b"not a wav")
    with pytest.raises(VoiceError, match="Cannot read"):
        read_wav(tmp_path / "junk.wav")
