"""The main window's side: the Tools-menu entry and the start-up offer to resume an
unfinished batch, wired as `BatchLauncher`'s docstring tells the main window to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.bind.batch import BatchEngine
from core.settings import Settings
from gui.audit import audit
from gui.batch.launcher import BatchLauncher
from gui.main_window import MainWindow
from tests.gui.batch_support import service_factory, settle, write_cards
from tests.gui.fakes import make_services
from tests.gui.test_accessibility import ELDER, NORMAL, mnemonics

TIMEOUT = 30_000


@pytest.fixture
def unfinished(tmp_path: Path, ledger: SandboxLedger) -> Path:
    """A batch a crash cut short: 3 of 8 cards bound."""
    cards = ledger.create_cards("jd", 8, seed=21)
    path = write_cards(tmp_path / "cards.csv", cards)
    engine = BatchEngine(service_factory(tmp_path / "sandbox.sqlite3", tmp_path / "bind.sqlite3")())
    plan = engine.prepare(path)
    engine.on_row = lambda u: engine.stop() if u.row_no == 4 else None
    assert engine.run(engine.start(plan), plan.cards).bound == 3
    engine.service.close()
    engine.store.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    services = make_services(settings=Settings())
    services.make_bind_service = service_factory(
        tmp_path / "sandbox.sqlite3", tmp_path / "bind.sqlite3"
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    w.startup_checks()  # what `cardbind` does once the window is up
    yield w
    w.set_elder_mode(False)


def test_the_next_start_offers_to_resume_and_finishes_the_batch(
    unfinished: Path, window: MainWindow, ledger: SandboxLedger, qtbot: QtBot
) -> None:
    launcher: BatchLauncher = window.batch
    offer = launcher.offer
    assert offer.isVisible()
    assert "cards.csv, 3 of 8 rows done, 5 still to bind" in offer.text.text()
    qtbot.mouseClick(offer.continue_button, Qt.MouseButton.LeftButton)
    assert not offer.isVisible()
    batch = launcher.window
    assert batch is not None
    assert batch.isVisible()
    assert settle(qtbot, batch) == "ready"
    assert batch.progress.value() == 3
    qtbot.mouseClick(batch.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: batch.state == "finished", timeout=TIMEOUT)
    assert sum(1 for r in ledger.report() if r["state"] == "bound_self") == 8
    assert all(r["binds"] == 1 for r in ledger.report())
    launcher.action.trigger()  # the menu entry brings the same window back
    assert launcher.window is batch
    assert launcher.offer.refresh() == 0


def test_no_offer_without_an_unfinished_batch(window: MainWindow) -> None:
    launcher: BatchLauncher = window.batch
    assert not launcher.offer.isVisible()
    assert launcher.action.text() == "&Batch of cards…"
    launcher.action.trigger()
    assert launcher.window is not None
    assert launcher.window.state == "file"


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_offer_passes_the_audit(unfinished: Path, window: MainWindow, elder: bool) -> None:
    window.set_elder_mode(elder)
    assert window.batch.offer.isVisible()
    assert [str(f) for f in audit(window, **(ELDER if elder else NORMAL))] == []
    keys = mnemonics(window)
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
