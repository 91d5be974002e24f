"""The second engine: Vosk (Kaldi), with a model folder the user downloaded and points to.

Optional: `pip install "cardbind[vosk]"`. A small Chinese model lets users say digits in
Mandarin (幺/两/拐/勾/洞 too). The model is only ever loaded from the given folder:
Vosk's own download-by-name is never used, so the app stays offline.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from core.codes.spoken import CHINESE_DIGITS
from core.i18n import _
from core.voice.grammar import GroupSpec, char_for, vocabulary
from core.voice.models import NOTHING, SAMPLE_RATE, EngineUnavailable, Recognition
from core.voice.pcm import check_pcm, has_speech

# What every Vosk model folder holds (acoustic model and feature settings); the graph
# differs between big and small models, so it is not checked.
MODEL_MARKERS = ("am/final.mdl", "conf/mfcc.conf")


def check_model_dir(folder: str) -> Path:
    """The model folder as a Path, or EngineUnavailable saying what is wrong with it."""
    if not folder.strip():
        raise EngineUnavailable(
            _(
                "No Vosk model folder is set. Choose the folder of a Vosk model in the "
                "settings, or use the built-in speech engine."
            )
        )
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise EngineUnavailable(
            _("The Vosk model folder {folder} does not exist.").format(folder=str(path))
        )
    missing = [m for m in MODEL_MARKERS if not (path / m).is_file()]
    if missing:
        raise EngineUnavailable(
            _(
                "{folder} is not a Vosk model folder: it has no {file}. Choose the folder "
                "that holds the am, conf and graph folders."
            ).format(folder=str(path), file=missing[0])
        )
    return path


def _chars_from_text(text: str, spec: GroupSpec) -> str | None:
    """Vosk's words → the group's characters: English words, single letters, and Chinese
    digits, which a Chinese model may run together ("七八")."""
    tokens: list[str] = []
    for word in text.split():
        if all(ch in CHINESE_DIGITS for ch in word):
            tokens.extend(word)
        else:
            tokens.append(word)
    if len(tokens) != len(spec):
        return None
    chars: list[str] = []
    for token, allowed in zip(tokens, spec.allowed, strict=True):
        if token in CHINESE_DIGITS:
            char: str | None = CHINESE_DIGITS[token]
        elif len(token) == 1 and token.isascii() and token.isalnum():
            char = token.upper()
        else:
            char = char_for(token.lower(), allowed)
        if char is None or char not in allowed:
            return None
        chars.append(char)
    return "".join(chars)


def _grammar(spec: GroupSpec) -> str:
    allowed = set().union(*spec.allowed)
    words = vocabulary(spec, letter_names="always")
    words |= {zh for zh, digit in CHINESE_DIGITS.items() if digit in allowed}
    words |= {c.lower() for c in allowed if c.isalpha()}
    # Words a model does not know are dropped by Vosk with a log line, which is why
    # one list can serve English and Chinese models; [unk] absorbs anything else.
    return json.dumps([*sorted(words), "[unk]"], ensure_ascii=False)


class VoskRecognizer:
    name = "vosk"

    def __init__(self, model_dir: str) -> None:
        try:
            import vosk
        except ImportError as exc:
            raise EngineUnavailable(
                _(
                    "The Vosk speech engine is not installed. Install it with "
                    'pip install "cardbind[vosk]", or use the built-in speech engine.'
                )
            ) from exc
        path = check_model_dir(model_dir)
        vosk.SetLogLevel(-1)
        try:
            self._model: Any = vosk.Model(str(path))
        except Exception as exc:  # Vosk raises a bare Exception for any load failure
            raise EngineUnavailable(
                _(
                    "Vosk could not load the model in {folder}. It may be damaged or made "
                    "for another Vosk version."
                ).format(folder=str(path))
            ) from exc
        self._vosk = vosk
        self._lock = threading.Lock()

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
        check_pcm(pcm)
        if not has_speech(pcm):
            return NOTHING
        with self._lock:
            rec = self._vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE), _grammar(spec))
            rec.SetWords(True)
            rec.AcceptWaveform(pcm)
            result = json.loads(rec.FinalResult())
        text = _chars_from_text(str(result.get("text", "")), spec)
        if text is None:
            return NOTHING
        confs = [float(w.get("conf", 0.0)) for w in result.get("result", [])]
        # A Chinese model may return "七八" as one word: spread its confidence.
        per_char: list[float] = []
        for w, conf in zip(result.get("result", []), confs, strict=True):
            word = str(w.get("word", ""))
            n = len(word) if all(ch in CHINESE_DIGITS for ch in word) else 1
            per_char.extend([conf] * n)
        if len(per_char) != len(text):
            per_char = [0.0] * len(text)
        return Recognition(
            text=text,
            confidence=min(per_char),
            char_confidence=tuple(per_char),
        )
