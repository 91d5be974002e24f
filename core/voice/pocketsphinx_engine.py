"""The default engine: pocketsphinx with the English model its wheel ships.

One decoder per recognizer, with a dictionary of only the words a code character can be
said as (core.voice.lexicon) and a JSGF grammar made for the group being fixed.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from core.i18n import _
from core.voice.grammar import GroupSpec, LetterNames, jsgf, parse_words
from core.voice.lexicon import PRONUNCIATIONS, dictionary_text
from core.voice.models import NOTHING, EngineUnavailable, Recognition
from core.voice.pcm import check_pcm, has_speech, reduce_noise, shorten_pauses, with_noise_floor

# Tuned on synthetic voices (benchmarks/voice_bench.py, 300 groups of 5 voices): a likelier
# silence lets a slow speaker pause between words without a short word ("two", "oh") being
# put into the pause, a word insertion weight of 1 keeps the silence from swallowing a
# short word ("eight") instead, and more Gaussians per frame help voices far from the
# model's training speakers. Together 87 % of those groups right, 81 % with the defaults.
DECODER_OPTIONS: dict[str, Any] = {"wip": 1.0, "silprob": 0.1, "topn": 8}
# A group whose least sure word has a lattice posterior under this is answered "not heard":
# the grammar decoder always finds some group, and a re-ask costs the user less than a
# wrong group read back. On 1300 synthetic groups (seed 2, not the reported one) every
# group under it was wrong, and 7 of 56 wrong ones were under it.
MIN_CONFIDENCE = 0.25
NBEST_PATHS = 200  # partial paths come first; this many are looked at for full ones
NBEST_KEEP = 4


class PocketsphinxRecognizer:
    name = "pocketsphinx"

    def __init__(self, *, letter_names: LetterNames = "narrow") -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise EngineUnavailable(
                _(
                    "The built-in speech engine (pocketsphinx) is not installed. "
                    "Reinstall cardbind to get it back."
                )
            ) from exc
        self._letter_names = letter_names
        self._lock = threading.Lock()
        self._grammar = ""
        model = Path(pocketsphinx.get_model_path("en-us/en-us"))
        if not (model / "mdef").is_file():
            raise EngineUnavailable(
                _(
                    "The English speech model of pocketsphinx is missing. "
                    "Reinstall cardbind to get it back."
                )
            )
        # The decoder reads the dictionary from a file; it is ours and tiny.
        self._tmp = tempfile.TemporaryDirectory(prefix="cardbind-voice-")
        dict_path = Path(self._tmp.name) / "words.dict"
        dict_path.write_text(dictionary_text(PRONUNCIATIONS), encoding="ascii")
        config = pocketsphinx.Config(
            hmm=str(model), dict=str(dict_path), lm=None, loglevel="FATAL", **DECODER_OPTIONS
        )
        self._decoder: Any = pocketsphinx.Decoder(config)

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
        check_pcm(pcm)
        if not has_speech(pcm):
            return NOTHING
        grammar = jsgf(spec, letter_names=self._letter_names)
        with self._lock:
            d = self._decoder
            if grammar != self._grammar:
                d.add_jsgf_string("group", grammar)
                d.activate_search("group")
                self._grammar = grammar
            d.start_utt()
            audio = with_noise_floor(shorten_pauses(reduce_noise(pcm)))
            d.process_raw(audio, no_search=False, full_utt=True)
            d.end_utt()
            hyp = d.hyp()
            if hyp is None:
                return NOTHING
            text = parse_words(hyp.hypstr.split(), spec)
            if text is None:
                return NOTHING
            # Word posteriors from the lattice; fillers (<s>, <sil>, [NOISE]) are skipped.
            probs = [
                min(1.0, max(0.0, float(s.prob)))
                for s in d.seg()
                if s.word.split("(")[0] in PRONUNCIATIONS
            ]
            alternatives: list[str] = []
            for i, h in enumerate(d.nbest()):
                if i >= NBEST_PATHS or len(alternatives) >= NBEST_KEEP:
                    break
                alt = parse_words(h.hypstr.split(), spec)
                if alt is not None and alt != text and alt not in alternatives:
                    alternatives.append(alt)
        if len(probs) != len(text):
            # The lattice did not give one posterior per word: no measure, so no rejection.
            probs = [0.0] * len(text)
        elif min(probs) < MIN_CONFIDENCE:
            return NOTHING
        return Recognition(
            text=text,
            confidence=min(probs),
            char_confidence=tuple(probs),
            nbest=tuple(alternatives),
        )
