"""Push-to-talk recording, with the sound device stood in for: no microphone needed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.i18n import set_language
from core.voice.models import VoiceError
from gui.voice.recorder import MicError, MicRecorder, QtMicrophone, no_microphone
from tests.gui.voice_fakes import FakeMic


def test_press_and_release_hands_the_recording_on(qtbot: QtBot) -> None:
    rec = MicRecorder(FakeMic(pcm=b"\1\0\2\0"))
    with qtbot.waitSignal(rec.recordingChanged) as changed:
        assert rec.start()
    assert changed.args == [True]
    assert rec.recording
    with qtbot.waitSignal(rec.recorded) as got:
        rec.stop()
    assert got.args == [b"\1\0\2\0"]
    assert not rec.recording


def test_a_cancelled_recording_is_thrown_away(qtbot: QtBot) -> None:
    rec = MicRecorder(FakeMic())
    rec.start()
    with qtbot.assertNotEmitted(rec.recorded):
        rec.cancel()
    assert not rec.recording


def test_no_microphone_is_said_in_words_in_the_users_language(qtbot: QtBot) -> None:
    rec = MicRecorder(FakeMic(fail_start=no_microphone()))
    with qtbot.waitSignal(rec.failed) as failed:
        assert not rec.start()
    assert "No microphone was found" in failed.args[0]
    assert not rec.recording
    set_language("zh_CN")
    rec = MicRecorder(FakeMic(fail_start=no_microphone()))
    with qtbot.waitSignal(rec.failed) as failed:
        rec.start()
    assert "麦克风" in failed.args[0]


@pytest.mark.multimedia
def test_the_qt_microphone_without_a_device_or_permission_explains_itself() -> None:
    from PySide6.QtMultimedia import QAudioDevice

    # QAudioDevice() is the null device Qt reports when the machine has no microphone.
    granted = QtMicrophone(device=QAudioDevice, permission=lambda: Qt.PermissionStatus.Granted)
    with pytest.raises(MicError, match="No microphone was found"):
        granted.start()
    denied = QtMicrophone(device=QAudioDevice, permission=lambda: Qt.PermissionStatus.Denied)
    with pytest.raises(MicError, match="privacy settings"):
        denied.start()
    asked = QtMicrophone(device=QAudioDevice, permission=lambda: Qt.PermissionStatus.Undetermined)
    with pytest.raises(VoiceError, match="allow cardbind"):
        asked.start()
    assert granted.stop() == b""
