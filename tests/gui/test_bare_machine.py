"""A computer without PulseAudio's library (or a keyring, fonts…): the app starts, says
once on the start screen what is off and how to turn it on, and everything else works
(docs/bare-machine.md)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import gui.multimedia
from core.capabilities import capabilities, check_machine
from core.capabilities.desktop import probe_audio, probe_fonts
from core.capabilities.report import Report
from core.capabilities.storage import probe_keyring
from core.i18n import set_language
from core.settings import Settings
from gui.audit import audit
from gui.i18n import apply_language
from gui.machine import SEEN_KEY, start_notice
from gui.main_window import MainWindow
from gui.services import default_voice
from tests.gui.fakes import make_services
from tests.gui.mnemonics import alt_keys

ROOT = Path(__file__).resolve().parents[2]
NO_PULSE = "libpulse.so.0: cannot open shared object file: No such file or directory"


def run_without_multimedia(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m tests.support.no_multimedia ARGS…`: Qt's multimedia modules fail to
    load as they do without libpulse.so.0."""
    env = {**os.environ, "CARDBIND_LANG": "en", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "tests.support.no_multimedia", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_without_pulseaudio_the_app_starts_says_what_is_off_and_reads_a_picture() -> None:
    done = run_without_multimedia("-m", "tests.gui.bare_start")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["window_visible"]
    assert not seen["multimedia_loaded"]
    assert not seen["voice_kit"]  # voice and read-back are off, not broken
    assert seen["notice_visible"]
    assert seen["notice_name"] == "Please note: some parts of cardbind are off on this computer"
    said = seen["notice_text"]
    assert "Voice fixes, read-back and the camera are off." in said
    assert "sudo apt install libpulse0" in said or "pulseaudio-libs" in said
    assert seen["notice_description"] == said  # what a screen reader reads
    assert not seen["camera_button_visible"]
    assert not seen["camera_action_visible"]
    # Reading a picture still works (the reader is a fake, the picture file is real).
    assert seen["screen_after_reading"] == "ReviewScreen"
    assert seen["reader_calls"] == 1
    assert "Traceback" not in done.stderr
    assert "Something went wrong" not in done.stderr


def test_the_multimedia_tests_are_skipped_with_the_reason_where_qt_cannot_load_them() -> None:
    done = run_without_multimedia(
        "-m",
        "pytest",
        "-rs",
        "-p",
        "no:cacheprovider",
        "tests/gui/test_voice_player.py",
        "tests/gui/test_voice_recorder.py",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "multimedia: cannot load (libpulse.so.0" in out  # the report header
    assert "SKIPPED" in out
    assert "libpulse.so.0: cannot open shared object file" in out
    assert "sudo apt install libpulse0" in out
    assert " passed" in out  # the recorder's tests with a stand-in microphone still run
    assert " failed" not in out
    assert " error" not in out


@pytest.fixture
def no_multimedia(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as the app would see a machine without libpulse.so.0."""
    monkeypatch.setattr(gui.multimedia, "multimedia_problem", lambda: NO_PULSE)


def test_no_voice_kit_without_multimedia(no_multimedia: None) -> None:
    assert default_voice(Settings()) is None


def test_the_camera_screen_says_why_it_is_off(
    qtbot: QtBot, no_multimedia: None, told: object
) -> None:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.open_camera("jd")
    status = w.camera.status.text()
    assert status.startswith("The camera is off on this computer.")
    assert "libpulse" in status


def report(*missing: str) -> Report:
    """A Debian machine lacking the named parts (audio, keyring, fonts)."""
    from ocr.tesseract import find_tesseract

    probes = {
        "audio": lambda: probe_audio(
            "linux", load=lambda _s: "gone" if "audio" in missing else None
        ),
        "keyring": lambda: probe_keyring(lambda: "keyring" not in missing),
        "fonts": lambda: probe_fonts(
            "linux", families=lambda: [] if "fonts" in missing else ["Noto"]
        ),
    }
    caps = [
        dataclasses.replace(cap, is_available=probes[cap.key])
        for cap in capabilities(find_tesseract)
        if cap.key in probes
    ]
    return check_machine(caps, system="debian")


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    yield w
    w.set_elder_mode(False)
    apply_language("en")


def show(qtbot: QtBot, w: MainWindow, found: Report, saves: list[int] | None = None) -> None:
    saved = saves if saves is not None else []
    start_notice(w, w.settings, lambda: saved.append(1), probe=lambda _s: found)
    notice = w.capture.machine_notice
    qtbot.waitUntil(lambda: notice.probe_task is None)


def test_the_notice_lists_what_is_off_with_how_to_turn_it_on(
    qtbot: QtBot, window: MainWindow
) -> None:
    show(qtbot, window, report("audio", "keyring"))
    notice = window.capture.machine_notice
    assert notice.isVisible()
    text = notice.text.text()
    assert text.splitlines() == [
        "• Sound (PulseAudio's library): libpulse.so.0 cannot be loaded. Voice fixes, "
        "read-back and the camera are off. To turn it on, on Debian or Ubuntu: "
        "sudo apt install libpulse0",
        "• Password store (keyring): no system password store (Secret Service, KWallet, "
        "Keychain or Credential Locker) was found. Practice cards in the sandbox work "
        "without it; real binds, the bind history and saved tokens need it. To turn it "
        "on, on Debian or Ubuntu: sudo apt install gnome-keyring, then log out and in "
        "again (or use KWallet on KDE)",
    ]
    # Words and an icon, not colour alone; a screen reader gets the same words.
    assert notice.heading.text().startswith("Please note:")
    assert not notice.icon.pixmap().isNull()
    assert notice.accessibleName() == notice.heading.text()
    assert notice.accessibleDescription() == text


def test_said_once_until_something_else_goes_missing(qtbot: QtBot, window: MainWindow) -> None:
    saves: list[int] = []
    show(qtbot, window, report("audio", "keyring"), saves)
    notice = window.capture.machine_notice
    qtbot.mouseClick(notice.ok_button, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()
    assert saves == [1]
    assert window.settings.extra[SEEN_KEY] == ["audio", "keyring"]
    # The next start with the same parts missing says nothing.
    show(qtbot, window, report("audio", "keyring"))
    assert not notice.isVisible()
    # A part that came back is forgotten; one newly missing is said.
    show(qtbot, window, report("audio"))
    assert not notice.isVisible()
    assert window.settings.extra[SEEN_KEY] == ["audio"]
    show(qtbot, window, report("audio", "fonts"))
    assert notice.isVisible()
    assert "sudo apt install fonts-noto-cjk" in notice.text.text()


def test_nothing_missing_nothing_said(qtbot: QtBot, window: MainWindow) -> None:
    show(qtbot, window, report())
    assert not window.capture.machine_notice.isVisible()
    # The camera button stays wherever Qt's camera loads.
    assert window.capture.camera_button.isVisible() == gui.multimedia.multimedia_available()


def test_in_chinese_and_after_a_language_switch(qtbot: QtBot, window: MainWindow) -> None:
    show(qtbot, window, report("audio", "keyring"))
    window.set_language("zh_CN")
    notice = window.capture.machine_notice
    assert "电脑上有些功能已关闭" in notice.heading.text()
    assert "语音修正、朗读和摄像头已关闭" in notice.text.text()
    assert "sudo apt install libpulse0" in notice.text.text()
    assert "知道了" in notice.ok_button.text()
    set_language("en")


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_start_screen_with_the_notice_passes_the_audit(
    qtbot: QtBot, window: MainWindow, elder: bool, lang: str
) -> None:
    window.set_language(lang)
    window.set_elder_mode(elder)
    show(qtbot, window, report("audio", "keyring"), [])
    window.capture.set_camera_available(False)
    if elder:
        found = audit(window, min_text_pt=18.0, min_target_px=60, min_contrast=7.0)
    else:
        found = audit(window, min_text_pt=10.0, min_target_px=44, min_contrast=4.5)
    assert [str(f) for f in found] == []
    keys = alt_keys(window, [a.text() for a in window.menuBar().actions()])
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    assert "g" in keys  # Got it
