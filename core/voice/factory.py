"""The top layer of core.voice: the engine the settings name, built on demand.

The engines are imported here only, when chosen, so an engine that is not installed
(Vosk is optional) costs nothing until a user picks it (docs/voice.md).
"""

from __future__ import annotations

from core.i18n import _
from core.voice.models import ENGINES, EngineUnavailable, Recognizer


def create_recognizer(engine: str, vosk_model_dir: str = "") -> Recognizer:
    """The engine the settings name (`voice_engine`, `vosk_model_dir`).

    Raises EngineUnavailable with a message for the user when it cannot run.
    """
    if engine == "vosk":
        from core.voice.vosk_engine import VoskRecognizer

        return VoskRecognizer(vosk_model_dir)
    if engine == "pocketsphinx":
        from core.voice.pocketsphinx_engine import PocketsphinxRecognizer

        return PocketsphinxRecognizer()
    raise EngineUnavailable(
        _("Unknown speech engine “{engine}”. Choose one of: {choices}.").format(
            engine=engine, choices=", ".join(ENGINES)
        )
    )
