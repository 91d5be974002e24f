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
