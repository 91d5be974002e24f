"""A whole voice fix through the Qt parts, with microphone, engine and sound stood in for."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from core.voice.flow import GroupTask, State
from core.voice.grammar import GroupSpec
from core.voice.models import Recognition
from core.voice.readback import ReadbackOptions
from gui.voice.player import ReadbackPlayer
from gui.voice.recorder import MicRecorder, no_microphone
from gui.voice.session import VoiceFixSession
from gui.voice.worker import RecognitionRunner
from tests.gui.voice_fakes import FakeEffect, FakeMic, FakeSpeaker

HEX = "0123456789ABCDEF"


class ScriptedEngine:
    """Hears, in turn, what the test says the user said (the PCM is ignored)."""

    name = "scripted"

    def __init__(self, *heard: str) -> None:
        self.heard = list(heard)

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
        return Recognition(text=self.heard.pop(0), confidence=0.9)


def session(mic: FakeMic, engine: ScriptedEngine) -> VoiceFixSession:
    FakeEffect.played = []
    tasks = [
        GroupTask(1, GroupSpec.uniform(HEX, 4), "5E47"),
        GroupTask(3, GroupSpec.of(["38", HEX, HEX, HEX]), "3ED5"),
    ]
    return VoiceFixSession(
        tasks,
        ReadbackOptions("zh_CN", rate=3.0),
        recorder=MicRecorder(mic),
        runner=RecognitionRunner(lambda: engine),
        player=ReadbackPlayer(
            effect=FakeEffect, speaker=FakeSpeaker(), output_available=lambda: True
        ),
    )


def talk(qtbot: QtBot, s: VoiceFixSession) -> None:
    s.press()
    assert s.state is State.LISTENING
    with qtbot.waitSignal(
        s.stateChanged, timeout=5000, check_params_cb=lambda v: v in ("confirming", "ready")
    ):
        s.release()


@pytest.mark.multimedia  # plays through Qt's sound module
def test_two_groups_fixed_by_voice_with_one_again(qtbot: QtBot) -> None:
    s = session(FakeMic(), ScriptedEngine("5E41", "5E47", "8ED5"))
    done: list[tuple[int, str, str]] = []
    s.groupDone.connect(lambda i, t, h: done.append((i, t, h)))
    s.start()
    talk(qtbot, s)
    assert s.state is State.CONFIRMING
    s.again()
    talk(qtbot, s)
    s.right()
    assert done == [(1, "5E47", "voice")]
    talk(qtbot, s)
    with qtbot.waitSignal(s.finished):
        s.right()
    assert done[-1] == (3, "8ED5", "voice")


@pytest.mark.multimedia  # plays through Qt's sound module
def test_a_missing_microphone_is_reported_and_the_group_asked_again(qtbot: QtBot) -> None:
    s = session(FakeMic(fail_start=no_microphone()), ScriptedEngine())
    s.start()
    with qtbot.waitSignal(s.error) as error:
        s.press()
    assert "No microphone" in error.args[0]
    assert s.state is State.READY
    s.pick("5e47")
    assert s.flow.results[0].how == "picked"
