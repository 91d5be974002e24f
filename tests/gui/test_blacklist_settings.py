"""Blacklist management in the settings: add by code (hashed, never kept), from the
history, remove, import and export of hashes; masked codes only; accessible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import Card
from core.bind.clock import FakeClock
from core.bind.outcomes import Refused
from core.bind.store import Store
from core.codes.mask import mask_code
from core.settings import Settings
from gui.audit import audit
from gui.main_window import MainWindow
from gui.widgets.blacklist_settings import BlacklistSettings
from tests.gui.batch_support import leaks, widget_texts
from tests.gui.fakes import make_services
from tests.gui.test_accessibility import ELDER, NORMAL, mnemonics
from tests.support.fixtures import make_service

CODE = "E71D5E4733ED50BA"


@pytest.fixture
def widget(qtbot: QtBot, store: Store) -> tuple[BlacklistSettings, list[tuple[str, str]]]:
    w = BlacklistSettings(Settings(), lambda: store)
    said: list[tuple[str, str]] = []
    w.message.connect(lambda level, text: said.append((level, text)))
    qtbot.addWidget(w)
    w.show()
    return w, said


def test_a_typed_code_is_hashed_listed_masked_and_then_refused(
    widget: tuple[BlacklistSettings, list[tuple[str, str]]],
    store: Store,
    ledger: SandboxLedger,
    clock: FakeClock,
    qtbot: QtBot,
) -> None:
    w, said = widget
    (card,) = ledger.create_cards("jd", 1, seed=3)
    qtbot.keyClicks(w.code, card.pin.lower())
    qtbot.keyClicks(w.reason, "reported stolen")
    qtbot.mouseClick(w.add_button, Qt.MouseButton.LeftButton)
    assert w.code.text() == ""
    assert w.code.isUndoAvailable() is False
    assert said[-1][0] == "info"
    assert w.table.rowCount() == 1
    cells = [w.table.item(0, c) for c in range(5)]
    texts = [c.text() if c is not None else "" for c in cells]
    assert texts[1] == mask_code(card.pin)
    assert texts[3] == "reported stolen"
    assert leaks(widget_texts(w), [card.pin]) == []
    assert leaks([repr(store.blacklist())], [card.pin]) == []
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    result = service.bind(Card("jd", card.pin, card.card_number))
    assert isinstance(result.outcome, Refused)
    assert result.outcome.kind == "blacklisted"
    assert ledger.request_count() == 0


def test_a_wrong_code_says_why_and_is_not_kept(
    widget: tuple[BlacklistSettings, list[tuple[str, str]]],
) -> None:
    w, said = widget
    w.code.setText("E71D5E47")
    assert not w.add_code()
    assert said[-1][0] == "error"
    assert "16 characters" in said[-1][1]
    assert w.code.text() == ""
    assert w.table.rowCount() == 0


def test_a_card_from_the_history_and_removing_it(
    widget: tuple[BlacklistSettings, list[tuple[str, str]]],
    store: Store,
    ledger: SandboxLedger,
    clock: FakeClock,
) -> None:
    w, said = widget
    cards = ledger.create_cards("jd", 2, seed=4)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    for c in cards:
        assert service.bind(Card("jd", c.pin, c.card_number)).ok
    w.reload()
    assert w.history_combo.count() == 2
    assert leaks(widget_texts(w), [c.pin for c in cards]) == []
    assert w.add_from_history()
    assert w.table.rowCount() == 1
    assert w.history_combo.count() == 1  # listed cards are not offered again
    assert not w.remove_button.isEnabled()
    w.table.selectRow(0)
    assert w.remove_button.isEnabled()
    assert w.remove_selected()
    assert w.table.rowCount() == 0
    assert "removed from the blacklist" in said[-1][1]


def test_export_and_import_hashes_only(
    widget: tuple[BlacklistSettings, list[tuple[str, str]]],
    tmp_path: Path,
    clock: FakeClock,
    qtbot: QtBot,
) -> None:
    w, _said = widget
    w.code.setText(CODE)
    assert w.add_code()
    out = tmp_path / "bl.csv"
    assert w.export_to(out) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert CODE not in text
    assert CODE[4:12] not in text
    assert "E7**-****-****-**BA" in text
    with Store(tmp_path / "other.sqlite3", clock) as other:
        fresh = BlacklistSettings(Settings(), lambda: other, hasher=w.hasher())
        qtbot.addWidget(fresh)
        assert fresh.import_from(out) == 1
        assert fresh.table.rowCount() == 1
        codes = tmp_path / "codes.csv"
        codes.write_text("platform,pin\njd,0123456789ABCDEF\njd,nonsense\n", encoding="utf-8")
        assert fresh.import_from(codes) == 1
        assert fresh.table.rowCount() == 2
        assert leaks(widget_texts(fresh), ["0123456789ABCDEF"]) == []


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    """The settings screen with the main window's own blacklist section."""
    w = MainWindow(make_services(settings=Settings()))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    w.blacklist = w.blacklist_settings  # type: ignore[attr-defined]
    w.open_settings()
    yield w
    w.set_elder_mode(False)
    w.set_language("en")


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_settings_screen_with_the_blacklist_passes_the_audit(
    window: MainWindow, elder: bool
) -> None:
    window.set_elder_mode(elder)
    window.blacklist.code.setText(CODE)  # type: ignore[attr-defined]
    assert window.blacklist.add_code()  # type: ignore[attr-defined]
    findings = audit(window, **(ELDER if elder else NORMAL))
    assert [str(f) for f in findings] == []


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_mnemonics_stay_unique_with_the_blacklist(window: MainWindow, lang: str) -> None:
    window.set_language(lang)
    keys = mnemonics(window)
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
