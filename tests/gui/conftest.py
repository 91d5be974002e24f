"""Fixtures for the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.bind.adapters.ledger import SandboxLedger
from gui.messages import bridge
from tests.gui.told import Told


@pytest.fixture
def told() -> Iterator[Told]:
    """Every message the bridge shows during the test: level, text and window."""
    heard = Told()
    bridge().shown.connect(heard.hear)
    yield heard
    bridge().shown.disconnect(heard.hear)


@pytest.fixture
def practice_ledger(tmp_path: Path) -> Iterator[SandboxLedger]:
    """A sandbox ledger as the app makes it: the platform's verification on, real time."""
    led = SandboxLedger(tmp_path / "sandbox.sqlite3")
    yield led
    led.close()
