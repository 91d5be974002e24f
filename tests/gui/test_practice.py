"""Practice on a computer with no system password store (no keyring): the sandbox binds
with a key held for the session and writes nothing unmasked; the real methods still need
a keyring and say so."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.codes.mask import mask_code
from core.settings import Settings
from gui.main_window import MainWindow
from tests.gui.fakes import FakeReader, make_services, reading_for
from tests.gui.test_bind_flow import answer

TIMEOUT = 15_000


@pytest.fixture
def no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No keyring at all, and a data folder of the test's own (journal, history)."""
    keyring.set_keyring(fail.Keyring())
    data = tmp_path / "data"
    monkeypatch.setenv("CARDBIND_DATA_DIR", str(data))
    return data


def app_window(qtbot: QtBot, pin: str, settings: Settings) -> MainWindow:
    # The app's own bind service factory: no test double for the service or the hasher.
    w = MainWindow(make_services(FakeReader(reading_for(pin)), settings))
    qtbot.addWidget(w)
    w.show()
    w.read_file(Path("card.png"), "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.confirm.bind_button, Qt.MouseButton.LeftButton)
    return w


def test_a_practice_card_binds_without_a_keyring(
    qtbot: QtBot, tmp_path: Path, no_keyring: Path
) -> None:
    db = tmp_path / "practice.sqlite3"
    ledger = SandboxLedger(db)
    (card,) = ledger.create_cards("jd", 1, seed=4)
    ledger.close()
    settings = Settings(adapter="sandbox", sandbox_db=str(db), bind_pacing_s=0)
    w = app_window(qtbot, card.pin, settings)
    answer(w, qtbot)  # the sandbox's captcha, then its SMS code
    answer(w, qtbot)
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    w.open_history()
    assert w.history.table.rowCount() == 1
    cell = w.history.table.item(0, 2)
    assert cell is not None
    assert cell.text() == mask_code(card.pin)
    w.close()
    # Nothing of the code is written unmasked: not in the journal, not in the ledger.
    for path in [*no_keyring.rglob("*"), *tmp_path.glob("practice.sqlite3*")]:
        if path.is_file():
            data = path.read_bytes()
            assert card.pin.encode() not in data, path
            assert card.pin[2:14].encode() not in data, path


def test_a_real_bind_method_still_needs_a_keyring(qtbot: QtBot, no_keyring: Path) -> None:
    w = app_window(qtbot, "E71D5E4633ED50BA", Settings(adapter="handoff", bind_pacing_s=0))
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Not sent:")
    assert "password store" in w.result.details.text()
    assert w.manual.card is None  # no QR, no code handed out
