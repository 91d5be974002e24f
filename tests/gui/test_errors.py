"""Errors reach the user in words, never as a traceback."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from core.logs import log_file
from gui import app as app_module
from gui.main_window import MainWindow
from ocr.reading import Reading
from tests.gui.fakes import make_services
from tests.gui.told import Told


def test_unexpected_worker_error_gives_a_plain_message(qtbot: QtBot, told: Told) -> None:
    def broken_reader(_image: np.ndarray, _platform: str | None) -> Reading:
        raise RuntimeError("internal detail E71D5E4733ED50BA at 0xdeadbeef")

    services = make_services()
    services.read_image = broken_reader
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.read_file(Path("card.png"), None)
    qtbot.waitUntil(lambda: bool(told.to(w)), timeout=10_000)
    text = told.last(w).text
    assert "Something went wrong" in text
    assert "Nothing was sent" in text
    assert "E71D" not in text
    assert "0xdeadbeef" not in text
    assert "Traceback" not in text


@pytest.mark.parametrize("via", ["sys", "thread"])
def test_crash_hooks_show_a_dialog_with_the_log_location(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("gui.app.QMessageBox.critical",
                        lambda _parent, _title, text: shown.append(text))
    old_sys, old_thread = sys.excepthook, threading.excepthook
    try:
        app_module.install_excepthooks()
        try:
            raise ValueError("card E71D5E4733ED50BA broke")
        except ValueError as exc:
            if via == "sys":
                sys.excepthook(type(exc), exc, exc.__traceback__)
            else:
                threading.excepthook(threading.ExceptHookArgs(
                    (type(exc), exc, exc.__traceback__, None)))
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_thread
    assert len(shown) == 1
    assert str(log_file()) in shown[0]
    assert "E71D5E4733ED50BA" not in shown[0]
    assert "Traceback" not in shown[0]
