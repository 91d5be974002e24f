"""Voice on the review screen: read-back, and fixing the marked groups by voice."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.settings import Settings
from core.voice.grammar import GroupSpec
from core.voice.models import Recognition
from gui.main_window import MainWindow
from gui.services import VoiceKit
from gui.voice.player import ReadbackPlayer
from gui.voice.recorder import MicRecorder
from tests.gui.fakes import FakeReader, card_image, make_services, reading_with_doubts
from tests.gui.voice_fakes import FakeEffect, FakeMic, FakeSpeaker

TIMEOUT = 10_000


class Heard:
    name = "scripted"

    def __init__(self, *groups: str) -> None:
        self.groups = list(groups)
        self.specs: list[GroupSpec] = []

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
        self.specs.append(spec)
        return Recognition(text=self.groups.pop(0), confidence=0.9)


def window(qtbot: QtBot, engine: Heard, settings: Settings) -> MainWindow:
    services = make_services(FakeReader(reading_with_doubts()), settings)
    FakeEffect.played = []

    def player(parent: Any) -> ReadbackPlayer:
        return ReadbackPlayer(
            parent,
            effect=FakeEffect,
            speaker=FakeSpeaker(),
            output_available=lambda: True,
            rate=3.0,
        )

    services.voice = VoiceKit(
        settings, player, lambda parent: MicRecorder(FakeMic(), parent), lambda: engine
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    return w


@pytest.mark.multimedia  # plays through Qt's sound module
def test_voice_is_offered_in_elder_mode_and_fixes_the_marked_groups(qtbot: QtBot) -> None:
    # The doubts are in group 2 (position 8: 6 or G) and group 4 (position 14: unreadable).
    engine = Heard("5E46", "50BA")
    w = window(qtbot, engine, Settings(elder_mode=True))
    editor = w.review.editors["pin"]
    panel = editor.voice
    assert panel is not None
    assert panel.fix_button.isVisible()
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    for _ in range(2):
        qtbot.waitUntil(panel.talk_button.isEnabled, timeout=TIMEOUT)
        qtbot.mousePress(panel.talk_button, Qt.MouseButton.LeftButton)
        qtbot.mouseRelease(panel.talk_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(panel.right_button.isVisible, timeout=TIMEOUT)
        qtbot.mouseClick(panel.right_button, Qt.MouseButton.LeftButton)
    assert editor.review.value == "E71D5E4633ED50BA"
    assert editor.review.unresolved() == []
    assert w.review.continue_button.isEnabled()
    # The grammar for group 2 allowed only what that group may hold at the doubtful place.
    assert set(engine.specs[0].allowed[3]) >= {"6", "G"}


@pytest.mark.multimedia  # plays through Qt's sound module
def test_read_back_plays_the_characters_one_by_one(qtbot: QtBot) -> None:
    w = window(qtbot, Heard(), Settings(voice_enabled=True, readback_language="en"))
    editor = w.review.editors["pin"]
    panel = editor.voice
    assert panel is not None
    assert not panel.read_button.isEnabled()  # position 14 is still to be typed
    editor.review.choose(13, "0")
    editor.refresh()
    qtbot.mouseClick(panel.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sum("char_" in p for p in FakeEffect.played) == 16, timeout=TIMEOUT)
    spoken = [p.rsplit("/", 1)[-1] for p in FakeEffect.played]
    chars = [c.removeprefix("char_") for c in spoken if c.startswith("char_")]
    assert "".join(chars) == "E71D5E4633ED50BA"  # one clip per character, in order
    assert (
        "overheard" in panel.read_button.accessibleDescription()
        or "hear" in panel.read_button.accessibleDescription()
    )


@pytest.mark.parametrize("settings", [Settings(), Settings(voice_enabled=False)])
def test_voice_stays_out_of_the_way_when_not_wanted(qtbot: QtBot, settings: Settings) -> None:
    w = window(qtbot, Heard(), settings)
    assert w.review.editors["pin"].voice is None
