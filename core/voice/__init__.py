"""Voice: check and fix flagged groups by speech, and read codes back (docs/voice.md).

Qt-free, in layers that import downwards only (an import-linter contract):
models.py (audio format, `Recognition`, `Recognizer`, errors) at the bottom; pcm.py
(audio handling) on it; the engines pocketsphinx_engine.py and vosk_engine.py above;
factory.py (`create_recognizer`) on top. Each engine turns one spoken group into
characters under a grammar of what the group may hold (grammar.py); flow.py is the
"fix this group" state machine; readback.py says what to play, from the clips listed
in clips.py; tts.py makes those clips at build time. gui/voice holds the microphone,
worker thread and player.
"""

from core.voice.factory import create_recognizer
from core.voice.flow import GroupResult, GroupTask, State, VoiceFixFlow, tasks_for_code
from core.voice.grammar import GroupSpec, group_spec
from core.voice.models import EngineUnavailable, Recognition, Recognizer, VoiceError
from core.voice.readback import Readback, ReadbackOptions

__all__ = [
    "EngineUnavailable",
    "GroupResult",
    "GroupSpec",
    "GroupTask",
    "Readback",
    "ReadbackOptions",
    "Recognition",
    "Recognizer",
    "State",
    "VoiceError",
    "VoiceFixFlow",
    "create_recognizer",
    "group_spec",
    "tasks_for_code",
]
