"""Errors reach the user in words, never as a traceback."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from core.bind.outcomes import BadOutcome
from core.logs import log_file
from core.secrets import SecretsUnavailable
from gui import app as app_module
from gui.main_window import MainWindow
from ocr.errors import UnreadableImageError
from ocr.reading import Reading
from tests.gui.fakes import make_services
from tests.gui.told import Told


def told_after_reading(qtbot: QtBot, told: Told, error: Exception) -> str:
    """Read a picture with a reader that raises `error`; what the window was told."""

    def broken_reader(_image: np.ndarray, _platform: str | None) -> Reading:
        raise error

    services = make_services()
    services.read_image = broken_reader
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.read_file(Path("card.png"), None)
    qtbot.waitUntil(lambda: bool(told.to(w)), timeout=10_000)
    return told.last(w).text


def test_unexpected_worker_error_gives_a_plain_message(qtbot: QtBot, told: Told) -> None:
    text = told_after_reading(
        qtbot, told, RuntimeError("internal detail E71D5E4733ED50BA at 0xdeadbeef")
    )
    assert "Something went wrong" in text
    assert "Nothing was sent" in text
    assert "E71D" not in text
    assert "0xdeadbeef" not in text
    assert "Traceback" not in text


def test_an_error_written_for_the_user_is_shown_in_its_own_words(qtbot: QtBot, told: Told) -> None:
    text = told_after_reading(
        qtbot,
        told,
        UnreadableImageError(
            "card.png is a PDF, not a picture. Take a photo or a screenshot of the card."
        ),
    )
    assert "card.png is a PDF, not a picture." in text
    assert "Something went wrong" not in text


def test_an_internal_error_shows_a_plain_sentence_not_its_log_text(
    qtbot: QtBot, told: Told
) -> None:
    text = told_after_reading(qtbot, told, BadOutcome("field 'kind' is not a short text"))
    assert "Something went wrong" in text
    assert "short text" not in text


def test_an_uncaught_error_for_the_user_is_shown_in_words_not_as_a_crash(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    crashed: list[str] = []
    monkeypatch.setattr(
        "gui.app.QMessageBox.warning", lambda _parent, _title, text: warned.append(text)
    )
    monkeypatch.setattr(
        "gui.app.QMessageBox.critical", lambda _parent, _title, text: crashed.append(text)
    )
    exc = SecretsUnavailable()
    app_module._show_crash(type(exc), exc, None)
    assert warned == [exc.user_message()]
    assert crashed == []


@pytest.mark.parametrize("via", ["sys", "thread"])
def test_crash_hooks_show_a_dialog_with_the_log_location(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "gui.app.QMessageBox.critical", lambda _parent, _title, text: shown.append(text)
    )
    old_sys, old_thread = sys.excepthook, threading.excepthook
    try:
        app_module.install_excepthooks()
        try:
            raise ValueError("card E71D5E4733ED50BA broke")
        except ValueError as exc:
            if via == "sys":
                sys.excepthook(type(exc), exc, exc.__traceback__)
            else:
                threading.excepthook(
                    threading.ExceptHookArgs((type(exc), exc, exc.__traceback__, None))
                )
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_thread
    assert len(shown) == 1
    assert str(log_file()) in shown[0]
    assert "E71D5E4733ED50BA" not in shown[0]
    assert "Traceback" not in shown[0]
