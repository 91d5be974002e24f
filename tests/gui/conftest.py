"""Fixtures for the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gui.messages import bridge
from tests.gui.told import Told


@pytest.fixture
def told() -> Iterator[Told]:
    """Every message the bridge shows during the test: level, text and window."""
    heard = Told()
    bridge().shown.connect(heard.hear)
    yield heard
    bridge().shown.disconnect(heard.hear)


@pytest.fixture(autouse=True)
def _no_clipboard_timer_left() -> Iterator[None]:
    """A code copied in one test is never taken off the clipboard in a later one."""
    yield
    from gui import secret_clipboard

    if secret_clipboard._shared is not None:
        secret_clipboard._shared.forget()
