"""The code copied for browser-assist: marked as a password for clipboard managers, and
taken off the clipboard after the set time and when the app quits — if still there.
Time is a timer fired by hand: nothing sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.settings import Settings
from gui import secret_clipboard
from gui.secret_clipboard import SecretClipboard, password_hints
from gui.services import default_services

CODE = "E71D-5E46-33ED-50BA"


class FakeTimer(QObject):
    timeout = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.started: list[int] = []
        self.active = False

    def start(self, msec: int) -> None:
        self.started.append(msec)
        self.active = True

    def stop(self) -> None:
        self.active = False

    def fire(self) -> None:
        assert self.active, "the timer was not running"
        self.active = False
        self.timeout.emit()


class Quit(QObject):
    signal = Signal()


@pytest.fixture
def clip(qtbot: QtBot) -> Iterator[tuple[SecretClipboard, FakeTimer, Quit]]:
    QApplication.clipboard().clear()
    timer, quitting = FakeTimer(), Quit()
    yield SecretClipboard(timer=timer, quitting=quitting.signal, platform="linux"), timer, quitting
    QApplication.clipboard().clear()


def test_the_copy_is_marked_as_a_password(clip: tuple[SecretClipboard, FakeTimer, Quit]) -> None:
    board, _timer, _quit = clip
    board.copy(CODE)
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == CODE
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"


def test_each_system_gets_its_own_hint() -> None:
    assert password_hints("linux") == {"x-kde-passwordManagerHint": b"secret"}
    windows = password_hints("win32")
    assert windows["ExcludeClipboardContentFromMonitorProcessing"] == b"\x01\x00\x00\x00"
    assert windows["CanIncludeInClipboardHistory"] == b"\x00\x00\x00\x00"
    assert "application/x-nspasteboard-concealed-type" in password_hints("darwin")


def test_taken_off_after_the_set_time(clip: tuple[SecretClipboard, FakeTimer, Quit]) -> None:
    board, timer, _quit = clip
    board.copy(CODE, clear_after_s=60)
    assert timer.started == [60_000]
    assert QApplication.clipboard().text() == CODE
    timer.fire()
    assert QApplication.clipboard().text() == ""
    assert not board.holding


def test_what_the_user_copied_since_is_left_alone(
    clip: tuple[SecretClipboard, FakeTimer, Quit],
) -> None:
    board, timer, quitting = clip
    board.copy(CODE)
    QApplication.clipboard().setText("the user's own note")
    timer.fire()
    assert QApplication.clipboard().text() == "the user's own note"
    quitting.signal.emit()
    assert QApplication.clipboard().text() == "the user's own note"


def test_taken_off_when_the_app_quits(clip: tuple[SecretClipboard, FakeTimer, Quit]) -> None:
    board, timer, quitting = clip
    board.copy(CODE)
    quitting.signal.emit()
    assert QApplication.clipboard().text() == ""
    assert not timer.active  # nothing left to do later


def test_a_nonsense_wait_is_the_default_one(clip: tuple[SecretClipboard, FakeTimer, Quit]) -> None:
    board, timer, _quit = clip
    for wait in (0, -1, float("nan"), 10**9):
        board.copy(CODE, clear_after_s=wait)
    assert timer.started == [60_000] * 4


def test_the_app_copies_with_the_wait_from_settings(qtbot: QtBot) -> None:
    from gui import gui_thread

    gui_thread.install()
    services = default_services(Settings(clipboard_clear_s=15))
    assert services.copy_text is not None
    services.copy_text(CODE)
    shared = secret_clipboard.shared()
    assert shared.holding
    assert shared._timer.interval() == 15_000  # type: ignore[attr-defined]
    assert shared.clear()
    assert QApplication.clipboard().text() == ""


def test_the_wait_is_a_setting_with_sane_bounds() -> None:
    assert Settings().clipboard_clear_s == 60
    too_long = Settings(clipboard_clear_s=10**6)
    assert too_long.validate() == ["clipboard_clear_s"]
    assert too_long.clipboard_clear_s == 60


def test_settings_offer_the_wait_for_browser_assist(qtbot: QtBot) -> None:
    from gui.widgets.bind_settings import BindSettings

    settings = Settings(adapter="browser-assist")
    panel = BindSettings(settings)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.clipboard.isVisible()
    assert panel.clipboard.value() == 60
    with qtbot.waitSignal(panel.changed) as changed:
        panel.clipboard.setValue(30)
    assert changed.args == ["clipboard_clear_s"]
    assert settings.clipboard_clear_s == 30
    panel.method.setCurrentIndex(panel.method.findData("sandbox"))
    assert not panel.clipboard.isVisible()
