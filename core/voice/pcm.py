"""16 kHz mono 16-bit PCM: WAV files in and out, and a speech check that needs no decoder."""

from __future__ import annotations

import array
import math
import sys
import wave
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from core.i18n import _
from core.voice.models import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, VoiceError

# 20 ms frames; there is speech when enough frames stand out from the quietest ones.
FRAME = SAMPLE_RATE // 50
MIN_SPEECH_S = 0.25
MIN_LEVEL = 120.0  # frame RMS of 32768, about -49 dBFS: soft speech far off still counts
ABOVE_FLOOR = 2.5
NOISE_FLOOR = 50.0  # standard deviation, of 32768
PAUSE_KEEP_MS = 150
PAUSE_BELOW_DB = -30.0
PAUSE_MIN_LEVEL = 60.0
# Noise reduction (reduce_noise): below this steady noise level (frame RMS of 32768, about
# -50 dBFS, twice the floor we add ourselves) a recording is left as it is.
DENOISE_ABOVE = 100.0
DENOISE_FFT = 512  # 32 ms windows, half overlapping
DENOISE_QUIET_SHARE = 10  # percent of the windows, the quietest, that tell the noise
DENOISE_FLOOR = 0.05  # the least a bin's power is scaled by: never carve silent holes
DENOISE_SMOOTH = 2  # gains averaged over ±2 windows and ±2 bins


def check_pcm(pcm: bytes) -> None:
    """Refuse audio that cannot be 16-bit samples rather than decode noise from it."""
    if len(pcm) % SAMPLE_WIDTH:
        raise VoiceError(_("The recording is damaged (an odd number of bytes). Please try again."))


def samples(pcm: bytes) -> array.array[int]:
    a = array.array("h")
    a.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":  # WAV and QAudioSource give little-endian samples
        a.byteswap()
    return a


def frame_levels(pcm: bytes) -> list[float]:
    s = samples(pcm)
    return [
        math.sqrt(sum(x * x for x in s[i : i + FRAME]) / FRAME)
        for i in range(0, len(s) - FRAME + 1, FRAME)
    ]


def has_speech(pcm: bytes) -> bool:
    """False for silence, a near-silent hiss or a steady noise, so that the grammar
    decoder, which always finds *some* group, is not asked to make one up from nothing."""
    levels = frame_levels(pcm)
    if not levels:
        return False
    floor = sorted(levels)[len(levels) // 10]
    loud = sum(1 for v in levels if v >= max(MIN_LEVEL, ABOVE_FLOOR * floor))
    return loud * FRAME >= MIN_SPEECH_S * SAMPLE_RATE


def shorten_pauses(
    pcm: bytes, keep_ms: int = PAUSE_KEEP_MS, below_db: float = PAUSE_BELOW_DB
) -> bytes:
    """`pcm` with every pause between words cut to `keep_ms`.

    Someone who says a group slowly, with long pauses between the words, gave the grammar
    decoder room to put a short word ("two", "oh") into a pause; a pause of normal length
    does not. Quiet means `below_db` under the loud part of the recording (its 95th
    percentile frame), so soft consonants inside a word are not cut.
    """
    a = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")
    n = a.size // FRAME
    if n == 0:
        return pcm
    frames = a[: n * FRAME].reshape(n, FRAME)
    levels = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1))
    quiet = levels < max(PAUSE_MIN_LEVEL, float(np.percentile(levels, 95)) * 10 ** (below_db / 20))
    keep = max(2, keep_ms * SAMPLE_RATE // 1000 // FRAME)
    chosen = np.ones(n, dtype=bool)
    i = 0
    while i < n:
        if not quiet[i]:
            i += 1
            continue
        end = i
        while end < n and quiet[end]:
            end += 1
        if end - i > keep and i > 0 and end < n:
            # Only pauses between words, cut in the middle: the edges hold the soft start
            # and end of the words around them, and the silence before the first word is
            # where the decoder learns the room's noise.
            chosen[i + keep // 2 : end - (keep - keep // 2)] = False
        i = end
    return frames[chosen].tobytes() + a[n * FRAME :].tobytes()


def reduce_noise(pcm: bytes, above: float = DENOISE_ABOVE) -> bytes:
    """`pcm` with a steady background noise (a fan, a hiss, a noisy sound card) taken out.

    The English model decodes speech under a loud hiss badly: with white noise 20 dB under
    flite's slt voice, 57 % of groups were right, 89 % after this. Spectral subtraction:
    the noise's spectrum is the mean of the quietest windows (the pauses around and
    between the words), and each bin keeps the share of its power that is above it. The
    gains are smoothed over neighbouring windows and bins, since single bins switching on
    and off ("musical noise") are themselves heard as speech sounds. Recordings with
    little noise (frame level under `above`) come back unchanged: there is nothing to gain
    and the words' soft edges could only be lost.
    """
    levels = frame_levels(pcm)
    if not levels or sorted(levels)[len(levels) * DENOISE_QUIET_SHARE // 100] < above:
        return pcm
    a = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
    n, hop = DENOISE_FFT, DENOISE_FFT // 2
    # A square-root Hann window on both analysis and synthesis; at half overlap the two
    # multiply to a Hann window whose copies add up to exactly one.
    window = np.sqrt(np.hanning(n + 1)[:n])
    count = -(-a.size // hop) + 1
    padded = np.concatenate([np.zeros(hop), a, np.zeros((count + 1) * hop - a.size - hop)])
    starts = hop * np.arange(count)
    spectra = np.fft.rfft(padded[starts[:, None] + np.arange(n)] * window, axis=1)
    power = np.abs(spectra) ** 2
    energy = power.sum(axis=1)
    noise = power[energy <= np.percentile(energy, DENOISE_QUIET_SHARE)].mean(axis=0)
    gain = np.maximum(1.0 - noise / np.maximum(power, 1e-9), DENOISE_FLOOR)
    k = DENOISE_SMOOTH
    gain = sliding_window_view(np.pad(gain, k, mode="edge"), (2 * k + 1, 2 * k + 1)).mean(
        axis=(2, 3)
    )
    frames = np.fft.irfft(spectra * gain, n, axis=1) * window
    out = np.zeros(padded.size)
    out[: count * hop] += frames[:, :hop].reshape(-1)
    out[hop : (count + 1) * hop] += frames[:, hop:].reshape(-1)
    out = out[hop : hop + a.size]
    return bytes(np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes()) + pcm[a.size * 2 :]


def with_noise_floor(pcm: bytes, sigma: float = NOISE_FLOOR) -> bytes:
    """`pcm` with a faint, fixed noise added (about -56 dBFS).

    The English model was trained on real recordings, which always carry some noise.
    Over-clean input (a noise-suppressing microphone driver, synthetic speech) decodes far
    worse without it: espeak-ng's en-us voice got 25 % of 60 groups right, 95 % with it. A real
    microphone is already noisier than this, so it changes little there. The noise is
    seeded, so one recording always decodes the same way.
    """
    if not pcm:
        return pcm
    a = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
    a += np.random.default_rng(0).normal(0.0, sigma, a.size)
    return np.clip(np.rint(a), -32768, 32767).astype("<i2").tobytes()


def resample(a: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling by FFT; padded so the wrap-around lands in silence."""
    if rate == target or a.size == 0:
        return a
    pad = rate // 10
    padded = np.concatenate([np.zeros(pad), a, np.zeros(pad)])
    n_out = round(padded.size * target / rate)
    spectrum = np.fft.rfft(padded)
    out = np.fft.irfft(spectrum[: n_out // 2 + 1], n_out) * (n_out / padded.size)
    cut = round(pad * target / rate)
    return np.asarray(out[cut : out.size - cut])


# numpy dtypes of the sample formats a sound card may deliver, and their full scale
SAMPLE_FORMATS: dict[str, tuple[str, float, float]] = {
    "uint8": ("u1", 128.0, 128.0),  # offset, scale
    "int16": ("<i2", 0.0, 32768.0),
    "int32": ("<i4", 0.0, 2147483648.0),
    "float32": ("<f4", 0.0, 1.0),
}


def to_recognizer_pcm(data: bytes, rate: int, channels: int, sample_format: str) -> bytes:
    """Audio as the microphone gave it → 16 kHz mono 16-bit, what every engine takes.

    Not every device records 16 kHz mono (Windows shared mode gives the mixer's format),
    so the recorder takes the device's own format and converts here.
    """
    dtype, offset, scale = SAMPLE_FORMATS[sample_format]
    width = np.dtype(dtype).itemsize * channels
    usable = len(data) - len(data) % width
    a = (np.frombuffer(data[:usable], dtype=dtype).astype(np.float64) - offset) / scale
    if channels > 1:
        a = a.reshape(-1, channels).mean(axis=1)
    a = resample(a, rate)
    return np.clip(np.rint(a * 32767), -32768, 32767).astype("<i2").tobytes()


def read_wav(path: Path) -> bytes:
    """The PCM of a 16 kHz mono 16-bit WAV file; anything else is refused, not converted."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (
                SAMPLE_RATE,
                CHANNELS,
                SAMPLE_WIDTH,
            ):
                raise VoiceError(
                    _("{file} is not 16 kHz mono 16-bit audio.").format(file=path.name)
                )
            return w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise VoiceError(_("Cannot read the sound file {file}.").format(file=path.name)) from exc


def write_wav(path: Path, pcm: bytes, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(rate)
        w.writeframes(pcm)
