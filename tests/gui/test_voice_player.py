"""Read-back playback, with the sound layer stood in for: the order of clips, pauses,
and the fallback to text-to-speech when clips cannot play."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from core.voice import readback
from core.voice.readback import Clip, Pause, Readback, ReadbackOptions
from gui.voice.player import ReadbackPlayer
from tests.gui.voice_fakes import FakeEffect, FakeSpeaker

# The player plays through Qt's sound module: skipped where it cannot load (conftest).
pytestmark = pytest.mark.multimedia

ZH = ReadbackOptions("zh_CN", rate=3.0)


def player(
    speaker: FakeSpeaker, effect: Callable[[], FakeEffect] = FakeEffect, output: bool = True
) -> ReadbackPlayer:
    FakeEffect.played = []
    return ReadbackPlayer(effect=effect, speaker=speaker, output_available=lambda: output)


def test_clips_play_in_order_with_the_pauses_between(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    p = player(speaker)
    rb = readback.heard("7D30", ZH)
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(rb)
        assert p.playing
    assert FakeEffect.played == rb.clip_ids()
    assert FakeEffect.played[1:5] == [
        "zh_CN/radio_7",
        "zh_CN/char_D",
        "zh_CN/char_3",
        "zh_CN/radio_0",
    ]
    assert speaker.said == []
    assert not p.playing


def test_the_volume_is_modest_by_default(qtbot: QtBot) -> None:
    made: list[FakeEffect] = []

    def effect() -> FakeEffect:
        made.append(FakeEffect())
        return made[-1]

    p = player(FakeSpeaker(), effect)
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(readback.characters("1", ZH))
    assert made
    assert all(0 < e.volume <= 0.7 for e in made)


def test_without_a_sound_device_the_whole_readback_is_spoken(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    p = player(speaker, output=False)
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(readback.characters("7D", ZH))
    assert speaker.said == [("zh_CN", "拐，D")]
    assert FakeEffect.played == []


def test_a_clip_that_fails_to_load_hands_the_rest_to_speech(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    calls = [0]

    def effect() -> FakeEffect:
        from PySide6.QtMultimedia import QSoundEffect

        calls[0] += 1  # the second clip is broken
        return FakeEffect(QSoundEffect.Status.Error if calls[0] == 2 else QSoundEffect.Status.Ready)

    p = player(speaker, effect)
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(readback.characters("E71D", ReadbackOptions("en", rate=3.0)))
    assert FakeEffect.played == ["en/char_E"]
    assert speaker.said == [("en", "seven, one, Delta")]


def test_a_missing_clip_file_is_spoken_instead(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    p = player(speaker)
    rb = Readback("en", (Clip("en/no_such_clip", "hello"), Pause(1)))
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(rb)
    assert speaker.said == [("en", "hello")]


def test_no_sound_at_all_is_said_in_words(qtbot: QtBot) -> None:
    p = player(FakeSpeaker(available=False), output=False)
    with qtbot.waitSignal(p.failed, timeout=5000) as failed:
        p.play(readback.characters("7", ZH))
    assert "read it on the screen" in failed.args[0]
    assert not p.playing


def test_stop_ends_playback_and_a_new_play_replaces_the_old(qtbot: QtBot) -> None:
    p = player(FakeSpeaker())
    p.play(readback.code(["E71D", "5E47"], ZH))
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.stop()
    assert not p.playing
    with qtbot.waitSignal(p.finished, timeout=5000):
        p.play(readback.characters("5", ZH))
    assert FakeEffect.played[-1] == "zh_CN/char_5"
