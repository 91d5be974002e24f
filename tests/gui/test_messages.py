"""The message bridge: a message reaches the banner of the window that spoke, and no
other, and the log gets it with the code masked."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from gui import messages
from gui.widgets.banner import Banner
from tests.gui.told import Told

CODE = "E71D5E4633ED50BA"


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        central = QWidget(self)
        self.banner = Banner(central)
        QVBoxLayout(central).addWidget(self.banner)
        self.setCentralWidget(central)


@pytest.fixture
def windows(qtbot: QtBot) -> tuple[Window, Window]:
    pair = (Window(), Window())
    for w in pair:
        qtbot.addWidget(w)
        w.show()
    return pair


def test_a_message_shows_in_the_window_that_spoke_and_is_logged_masked(
    windows: tuple[Window, Window], told: Told, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = windows
    controller = QObject(second)  # not a widget: it speaks for the window it belongs to
    with caplog.at_level(logging.INFO, logger="gui.messages"):
        messages.error(f"Card {CODE} was refused.", controller)
    assert second.banner.isVisible()
    assert "was refused" in second.banner.text.text()
    assert not first.banner.isVisible()
    assert [(m.level, m.window) for m in told.messages] == [("error", second)]
    assert told.to(first) == []
    assert CODE not in caplog.text
    assert "E71D-****-****-50BA" in caplog.text


def test_dismiss_takes_only_that_windows_message_away(
    windows: tuple[Window, Window], told: Told
) -> None:
    first, second = windows
    messages.say("warning", "Look at row 3.", first)
    messages.say("shout", "Saved.", second)  # an unknown level is shown as a note
    assert told.last(second).level == "info"
    messages.dismiss(second.banner)
    assert first.banner.isVisible()
    assert not second.banner.isVisible()
