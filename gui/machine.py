"""What this computer lacks, said once on the start screen (docs/bare-machine.md).

The probes are those in core/capabilities/, the same `cardbind doctor` runs, plus the app's
own attempt to load Qt's multimedia modules. They run off the GUI thread once the
window is up; the start screen then lists what is off, in words, with how to turn it
on. "Got it" remembers which parts were said, so the notice comes back only when
something else goes missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from core.capabilities import capabilities, check_machine, sound_capability
from core.capabilities.desktop import probe_audio
from core.capabilities.report import Check, Report
from core.settings import Settings
from gui import multimedia
from gui.menus import MainMenus
from gui.screens.capture import CaptureScreen
from gui.workers import Task, start

log = logging.getLogger(__name__)

# Where the keys of the parts already said are kept (Settings.extra, no schema change).
SEEN_KEY = "machine_notice_seen"
# The window is up, so Qt's window libraries are there; a missing camera is nothing to
# install, and the sound line already says when the camera is off.
NOTICE_KEYS = ("tesseract", "second_reader", "models", "audio", "keyring", "fonts", "folders")


def machine_report(settings: Settings) -> Report:
    """The probes the start screen needs (slow ones included: run off the GUI thread)."""
    from ocr.ppocr import own_models, wheel_models
    from ocr.tesseract import find_tesseract

    caps = capabilities(
        lambda: find_tesseract(settings.tesseract_cmd),
        wheel_models=wheel_models,
        own_models=own_models,
        qt_multimedia_problem=multimedia.multimedia_problem,
    )
    return check_machine(caps, keys=NOTICE_KEYS)


def sound_check() -> Check:
    """Qt's sound module as the app sees it (fast: no program is run)."""
    cap = sound_capability(lambda: probe_audio(qt_problem=multimedia.multimedia_problem))
    return check_machine([cap]).checks[0]


def to_say(report: Report, settings: Settings) -> list[Check]:
    """The missing parts not said before. Parts that came back are forgotten, so that
    they are said again should they go missing later."""
    missing = report.missing()
    keys = [c.key for c in missing]
    seen = settings.extra.get(SEEN_KEY)
    seen_keys = {k for k in seen if isinstance(k, str)} if isinstance(seen, list) else set()
    if set(keys) <= seen_keys:
        if seen_keys != set(keys):
            settings.extra[SEEN_KEY] = sorted(keys)
        return []
    return missing


def remember_said(checks: list[Check], settings: Settings) -> None:
    settings.extra[SEEN_KEY] = sorted(c.key for c in checks)


class _Window(Protocol):
    capture: CaptureScreen
    menus: MainMenus


def start_notice(
    window: _Window,
    settings: Settings,
    save: Callable[[], None],
    probe: Callable[[Settings], Report] = machine_report,
) -> Task:
    """Turn the camera button off where Qt's camera cannot load, then probe off the GUI
    thread and show the start screen's notice of what is off (once)."""
    capture = window.capture
    camera = multimedia.multimedia_available() or bool(settings.camera_file)
    capture.set_camera_available(camera)
    window.menus.camera_action.setVisible(camera)
    multimedia.multimedia_problem()  # import Qt's multimedia modules here, on the GUI thread

    def shown(report: Report) -> None:
        capture.machine_notice.probe_task = None
        checks = to_say(report, settings)
        if not checks:
            return
        notice = capture.machine_notice

        def dismissed() -> None:
            remember_said(checks, settings)
            save()

        notice.dismissed.connect(dismissed)
        notice.show_checks(checks)

    task = Task(probe, settings)
    task.signals.finished.connect(shown)
    task.signals.failed.connect(lambda text: log.warning("machine probe: %s", text))
    # Held until it reports: a task nobody holds loses its signals on the way.
    capture.machine_notice.probe_task = task
    return start(task)
