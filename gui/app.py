"""Start the desktop app."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.codes.mask import redact
from core.errors import InternalError, UserFacingError
from core.i18n import _, current_language, set_language
from core.logs import log_file, setup_logging
from gui.i18n import apply_language

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.services import Services

log = logging.getLogger(__name__)


def _show_crash(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """The last handler: an error written for the user that no screen caught is shown in
    its own words; anything else is a bug, logged with its traceback."""
    app = QApplication.instance()
    if isinstance(exc, UserFacingError) and not isinstance(exc, InternalError):
        log.warning("uncaught %s: %s", exc_type.__name__, redact(str(exc)))
        if app is not None:
            QMessageBox.warning(None, QApplication.applicationDisplayName(), exc.user_message())
        return
    log.error("unhandled error: %s", redact("".join(traceback.format_exception(exc_type, exc, tb))))
    if app is None:
        return
    QMessageBox.critical(
        None,
        _("Something went wrong"),
        _(
            "Something went wrong inside cardbind. Nothing was sent to any platform because "
            "of it. The details are in the log file:\n{log}"
        ).format(log=log_file()),
    )


def install_excepthooks() -> None:
    sys.excepthook = _show_crash

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            _show_crash(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = thread_hook


def create_app(argv: Sequence[str]) -> QApplication:
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(list(argv))
    app.setApplicationName("cardbind")
    app.setOrganizationName("cardbind")
    app.setApplicationDisplayName("cardbind 卡密绑定助手")
    apply_language(current_language())
    return app


def display_problem() -> str | None:
    """Why Qt could not open a window here, in words with the fix; None when it can."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return _(
            "No screen found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start "
            "cardbind from a desktop session; the command-line tools work anywhere."
        )
    from core.capabilities import QT_PLATFORM, check_machine
    from core.capabilities.desktop import missing_xcb_libraries

    if os.environ.get("WAYLAND_DISPLAY") and missing_xcb_libraries():
        os.environ["QT_QPA_PLATFORM"] = "wayland"
        return None
    check = check_machine([QT_PLATFORM]).checks[0]
    if check.ok:
        return None
    return _("Qt cannot open a window here. {explanation}").format(explanation=check.sentence())


def run_app(
    argv: Sequence[str], camera_file: str | None = None, language: str | None = None
) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    setup_logging()
    from core import settings as settings_store

    settings = settings_store.load()
    if settings.language and not language:
        set_language(settings.language)
    elif language:
        set_language(language)
    app = create_app(argv)
    install_excepthooks()
    from gui.services import default_services

    if camera_file:
        # For this run only (demos, training, tests); the saved setting stays as it was.
        settings = replace(settings, camera_file=camera_file)
    report = os.environ.get("CARDBIND_STARTUP_REPORT")
    open_window(
        default_services(settings),
        on_shown=(lambda: _startup_report(app, Path(report))) if report else None,
    )
    return int(app.exec())


def open_window(services: Services, on_shown: Callable[[], None] | None = None) -> MainWindow:
    """Show the main window and run the start-up checks: unfinished batches and binds,
    and what this computer lacks (said once on the start screen: gui/machine.py)."""
    from gui.machine import start_notice
    from gui.main_window import MainWindow

    window = MainWindow(services)
    window.show()
    if on_shown is not None:
        on_shown()
    window.startup_checks()
    # A saved "Got it" goes through the window's one path for settings (it saves).
    start_notice(window, window.settings, lambda: window.setting_changed("machine_notice"))
    return window


def _startup_report(app: QApplication, path: Path) -> None:
    """For benchmarks/startup_bench.py: when the window is up, then memory at idle."""
    import json
    import time

    from PySide6.QtCore import QTimer

    def idle() -> None:
        rss_kb = 0
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
        except OSError:
            import resource

            rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"event": "idle", "rss_mb": rss_kb / 1024}) + "\n")
        app.quit()

    def shown() -> None:
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"event": "shown", "t": time.time()}) + "\n")
        QTimer.singleShot(3000, idle)

    QTimer.singleShot(0, shown)
