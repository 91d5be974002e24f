"""The batch window and practice cards made on the command line: it binds against the
sandbox ledger the file was made for (or asks for it), never spending an attempt on a
ledger that does not know the cards; and a code the platform did not know is not sent
again without a look."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cli.main import main
from core.bind.adapters.ledger import SandboxLedger
from core.bind.batch import BatchEngine
from core.bind.clock import FakeClock
from core.bind.store import Store
from core.settings import Settings
from gui.batch.window import BatchWindow
from tests.gui.batch_support import load, service_factory, settle, write_cards
from tests.gui.told import Told
from tests.support.fixtures import make_service

TIMEOUT = 30_000


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CARDBIND_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, data: Path) -> Iterator[BatchWindow]:
    """A batch window whose Settings name the default practice ledger."""
    store = tmp_path / "bind.sqlite3"
    w = BatchWindow(
        Settings(),
        service_factory(tmp_path / "default.sqlite3", store),
        make_practice_service=lambda db: service_factory(db, store)(),
    )
    qtbot.addWidget(w)
    w.show()
    yield w
    w.shutdown()


def requests(path: Path) -> int:
    ledger = SandboxLedger(path)
    try:
        return ledger.request_count()
    finally:
        ledger.close()


def bound(path: Path) -> int:
    ledger = SandboxLedger(path)
    try:
        return sum(1 for r in ledger.report() if r["state"] == "bound_self")
    finally:
        ledger.close()


def test_a_file_from_sandbox_init_binds_against_its_own_ledger(
    qtbot: QtBot, window: BatchWindow, tmp_path: Path, told: Told
) -> None:
    db, cards = tmp_path / "sb.sqlite3", tmp_path / "cards.csv"
    assert (
        main(
            [
                "sandbox",
                "init",
                "--db",
                str(db),
                "--cards",
                "3",
                "--csv",
                str(cards),
                "--seed",
                "1",
                "--no-verification",
            ]
        )
        == 0
    )
    assert load(qtbot, window, cards) == "check"
    assert window.controller.practice_ledger() == db.resolve()
    assert any(f"for the practice ledger {db.resolve()}" in t for t in told.texts(window))
    assert window.start_button.isEnabled()
    assert window.controller.start_binding()
    qtbot.waitUntil(lambda: window.state == "finished", timeout=TIMEOUT)
    assert bound(db) == 3
    assert requests(tmp_path / "default.sqlite3") == 0  # the other ledger was never asked


def test_a_ledger_that_knows_none_of_the_cards_is_asked_about_before_any_attempt(
    qtbot: QtBot, window: BatchWindow, tmp_path: Path, told: Told
) -> None:
    right = SandboxLedger(tmp_path / "right.sqlite3")
    right.set_config(verification="none")
    made = right.create_cards("jd", 2, seed=4)
    right.close()
    cards = write_cards(tmp_path / "by-hand.csv", made)  # not made by sandbox init
    assert load(qtbot, window, cards) == "check"
    assert window.controller.ledger_unknown
    assert not window.start_button.isEnabled()
    assert not window.controller.start_binding()
    assert window.ledger_button.isVisible()
    assert window.ledger_button.accessibleName() or window.ledger_button.text()
    assert (
        "None of the cards in by-hand.csv is in the practice ledger"
        in told.texts(window, "warning")[-1]
    )
    assert window.controller.use_ledger(tmp_path / "right.sqlite3")
    assert settle(qtbot, window) == "check"
    assert not window.ledger_button.isVisible()
    assert window.start_button.isEnabled()
    window.start_button.click()
    qtbot.waitUntil(lambda: window.state == "finished", timeout=TIMEOUT)
    assert bound(tmp_path / "right.sqlite3") == 2
    assert requests(tmp_path / "default.sqlite3") == 0


def test_a_code_not_found_costs_no_second_attempt(
    tmp_path: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    (known,) = ledger.create_cards("jd", 1, seed=2)
    path = tmp_path / "in.csv"
    path.write_text(f"pin,platform\n{known.pin},jd\nE71D5E4633ED50BA,jd\n", encoding="utf-8")
    from core.bind.adapters.sandbox import SandboxAdapter

    engine = BatchEngine(make_service(SandboxAdapter(ledger, clock=clock), store, clock))
    plan = engine.prepare(path)
    summary = engine.run(engine.start(plan), plan.cards)
    assert summary.counts == {"bound": 1, "rejected": 1}
    sent = ledger.request_count()
    again = engine.prepare(path)  # the same file once more: the unknown code waits
    (row,) = [r for r in again.rows if r.row_no == 3]
    assert row.status == "needs_confirmation"
    assert "found no card with this code" in row.detail
    engine.run(engine.start(again), again.cards)
    assert ledger.request_count() == sent  # nothing was sent for it
