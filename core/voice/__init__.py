"""Voice: check and fix flagged groups by speech, and read codes back (DESIGN §5).

Qt-free. The engines (engine.py, pocketsphinx_engine.py, vosk_engine.py) turn one
spoken group into characters under a grammar of what the group may hold (grammar.py);
flow.py is the "fix this group" state machine; readback.py says what to play, from the
clips listed in clips.py. gui/voice holds the microphone, worker thread and player.
"""

from core.voice.engine import (
    EngineUnavailable,
    Recognition,
    Recognizer,
    VoiceError,
    create_recognizer,
)
from core.voice.flow import GroupResult, GroupTask, State, VoiceFixFlow, tasks_for_code
from core.voice.grammar import GroupSpec, group_spec
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
