"""Offline speech synthesis for the build and the benchmark (espeak-ng, flite).

Used to make the shipped clips (make_clips), the test fixtures and the benchmark's
utterances. The app itself never calls these: a user's machine needs neither program.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from core.errors import MissingDependency
from core.voice.models import SAMPLE_RATE
from core.voice.pcm import resample


class TtsUnavailable(MissingDependency, RuntimeError):
    pass


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        hint = {"espeak-ng": "apt-get install espeak-ng", "flite": "apt-get install flite"}
        raise TtsUnavailable(
            f"{program} is not installed; it is needed only to make audio "
            f"({hint.get(program, 'install it')})."
        )
    return path


def _wav_to_float(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError("expected 16-bit audio")
        rate = w.getframerate()
        a = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        if w.getnchannels() > 1:
            a = a.reshape(-1, w.getnchannels()).mean(axis=1)
    return a / 32768.0, rate


def trim(
    a: np.ndarray, rate: int = SAMPLE_RATE, threshold: float = 0.01, margin_s: float = 0.03
) -> np.ndarray:
    """Cut leading and trailing silence, keeping a short margin so nothing clicks."""
    loud = np.flatnonzero(np.abs(a) > threshold)
    if loud.size == 0:
        return a[:0]
    margin = int(margin_s * rate)
    return a[max(0, loud[0] - margin) : loud[-1] + margin]


def to_pcm(a: np.ndarray, peak: float | None = None) -> bytes:
    if peak is not None and a.size and np.abs(a).max() > 0:
        a = a * (peak / np.abs(a).max())
    return bytes(np.clip(np.rint(a * 32767), -32768, 32767).astype("<i2").tobytes())


def espeak(
    text: str, voice: str = "en-us", speed: int = 150, pitch: int = 50, gap: int = 0
) -> np.ndarray:
    """`text` spoken by espeak-ng at 16 kHz, as floats in -1..1."""
    exe = require("espeak-ng")
    out = subprocess.run(
        [exe, "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(gap), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    a, rate = _wav_to_float(out)
    return resample(a, rate)


def flite(text: str, voice: str = "slt") -> np.ndarray:
    """`text` spoken by flite at 16 kHz, as floats in -1..1."""
    exe = require("flite")
    out = subprocess.run(
        [exe, "-voice", voice, "-t", text, "-o", "/dev/stdout"],
        check=True,
        capture_output=True,
    ).stdout
    a, rate = _wav_to_float(out)
    return resample(a, rate)
