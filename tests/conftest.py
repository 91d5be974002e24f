"""Test-wide setup: headless Qt, English, and nothing written outside tmp dirs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

# Before anything imports Qt: no display, no camera, no sound server needed. The screen
# is a common small laptop's (1366×768): 长辈版 fills the screen, as it would there.
_SCREEN = os.path.join(os.path.dirname(__file__), "support", "offscreen.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ.setdefault("CARDBIND_LANG", "en")
_state = tempfile.mkdtemp(prefix="cardbind-tests-")
os.environ["CARDBIND_LOG_DIR"] = os.path.join(_state, "log")
os.environ["CARDBIND_DATA_DIR"] = os.path.join(_state, "data")
os.environ["CARDBIND_CONFIG_DIR"] = os.path.join(_state, "config")

import pytest  # noqa: E402

from core.i18n import set_language  # noqa: E402


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Every test starts in English; a test that switches language cannot leak it."""
    set_language("en")
    yield
    set_language("en")


# Binding tests: secrets live in memory, never in the OS keyring (a subprocess that needs
# the same key across a restart uses tests.support.keyrings.FileKeyring explicitly).
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.MemoryKeyring"
pytest_plugins = ["tests.support.fixtures"]


def _multimedia_problem() -> str | None:
    from gui.multimedia import multimedia_problem

    return multimedia_problem()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Load Qt's multimedia modules once, before any test, as the app does at start: the
    loader's notes about optional libraries (PipeWire, VA-API) then belong to no test."""
    _multimedia_problem()


def pytest_report_header(config: pytest.Config) -> str:
    problem = _multimedia_problem()
    if problem is None:
        return "multimedia: Qt's multimedia modules load; the multimedia tests run"
    return f"multimedia: cannot load ({problem}); the multimedia tests are skipped"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """One check for every test marked `multimedia` (they play or record through Qt's
    sound module): where it cannot load, as on a machine without PulseAudio's library,
    they are skipped with the loader's reason, and the rest runs (docs/bare-machine.md).
    Likewise for `extra_fonts`: cards drawn with fonts a bare machine lacks."""
    _skip_without_extra_fonts(items)
    marked = [item for item in items if item.get_closest_marker("multimedia")]
    problem = _multimedia_problem() if marked else None
    if problem is None:
        return
    skip = pytest.mark.skip(
        reason=f"Qt's multimedia modules cannot load here ({problem}); on Debian or "
        "Ubuntu: sudo apt install libpulse0 (cardbind doctor names the package for yours)"
    )
    for item in marked:
        item.add_marker(skip)


def _skip_without_extra_fonts(items: list[pytest.Item]) -> None:
    marked = [item for item in items if item.get_closest_marker("extra_fonts")]
    if not marked:
        return
    from ocr.synth.fonts import EXTRA_PACKAGES, missing_extra_fonts

    missing = missing_extra_fonts()
    if not missing:
        return
    skip = pytest.mark.skip(
        reason=f"the card is drawn with fonts this machine lacks ({', '.join(missing[:3])}"
        f"{', …' if len(missing) > 3 else ''}); on Debian or Ubuntu: "
        f"sudo apt install {' '.join(EXTRA_PACKAGES)}"
    )
    for item in marked:
        item.add_marker(skip)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's own state folder (logs, journal, settings) goes with the session."""
    import logging

    logging.shutdown()  # close the log file the commands opened there
    shutil.rmtree(_state, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Really delete the widgets pytest-qt closed: deleteLater() alone waits for an event
    loop that tests never return to, so windows would pile up and every later style
    change (elder mode, zoom) would re-style all of them."""
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
