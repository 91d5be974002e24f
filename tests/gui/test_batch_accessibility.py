"""The batch window in normal and elder mode: names, sizes, contrast, unique Alt keys on
every page, and no page wider than the window at 200 % with longer strings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.i18n import set_language
from core.settings import Settings
from gui.audit import audit
from gui.batch.state import State
from gui.batch.window import BatchWindow
from gui.i18n import apply_language
from gui.theme import theme
from tests.gui.batch_support import load, service_factory, write_cards
from tests.gui.mnemonics import alt_keys
from tests.gui.test_accessibility import ELDER, NORMAL
from tests.gui.traps import keyboard_traps

TIMEOUT = 30_000
PAGES = ["file", "columns", "check", "fix", "verify", "finished", "locate"]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, ledger: SandboxLedger) -> Iterator[BatchWindow]:
    w = BatchWindow(
        Settings(), service_factory(tmp_path / "sandbox.sqlite3", tmp_path / "bind.sqlite3")
    )
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    yield w
    w.shutdown()
    theme().apply(False, 100, "light")
    apply_language("en")


def go_to(w: BatchWindow, page: str, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot) -> None:
    cards = ledger.create_cards("jd", 2, seed=len(page))
    path = write_cards(tmp_path / "cards.csv", cards, extra=["1,E71D5E47,jd"])
    if page == "columns":
        odd = tmp_path / "odd.csv"
        odd.write_text("a;b\n" + "".join(f"{c.pin};jd\n" for c in cards), encoding="utf-8")
        load(qtbot, w, odd)
    elif page in ("check", "fix"):
        load(qtbot, w, path)
        if page == "fix":
            assert w.controller.fix_row(4)
    elif page in ("verify", "finished"):
        if page == "verify":
            ledger.set_config(verification="profile")
        load(qtbot, w, path)
        assert w.controller.start_binding()
        if page == "verify":
            qtbot.waitUntil(w.verify_box.isVisible, timeout=TIMEOUT)
        else:
            qtbot.waitUntil(lambda: w.state == "finished", timeout=TIMEOUT)
    elif page == "locate":
        w.controller.locate_batch = 1
        w.controller._set_state(State.LOCATE)
    assert w.state == ("running" if page == "verify" else page)
    QApplication.processEvents()


@pytest.fixture
def visit(
    window: BatchWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> Callable[[str], None]:
    return lambda page: go_to(window, page, ledger, tmp_path, qtbot)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_batch_window_passes_the_audit(
    window: BatchWindow, visit: Callable[[str], None], page: str, elder: bool
) -> None:
    theme().apply(elder, 100, "light")
    visit(page)
    findings = audit(window, **(ELDER if elder else NORMAL))
    assert [str(f) for f in findings] == []
    window.shutdown()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_alt_keys_are_unique_on_each_page(
    window: BatchWindow, visit: Callable[[str], None], page: str, lang: str
) -> None:
    apply_language(lang)
    visit(page)
    keys = alt_keys(window)
    assert len(keys) >= 2
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    window.shutdown()


@pytest.mark.parametrize("page", PAGES)
def test_tab_leaves_every_control(
    window: BatchWindow, visit: Callable[[str], None], page: str, qtbot: QtBot
) -> None:
    visit(page)
    assert keyboard_traps(window, qtbot) == []
    window.shutdown()


def overflowing(window: QWidget) -> list[str]:
    out = []
    right = window.width()
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.window() is not window:
            continue
        x = w.mapTo(window, w.rect().topRight()).x()
        if x > right + 1:
            out.append(f"{type(w).__name__} {w.objectName()} ends at {x} > {right}")
    return out


@pytest.mark.parametrize("page", ["file", "columns", "check", "fix", "finished"])
def test_fits_at_200_percent_with_longer_strings(
    window: BatchWindow, visit: Callable[[str], None], page: str
) -> None:
    set_language("pseudo")
    window.retranslate()
    theme().apply(True, 200, "light")
    visit(page)
    assert overflowing(window) == [], overflowing(window)
    assert [str(f) for f in audit(window, **ELDER)] == []
    window.shutdown()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_rows_count_line_reads_as_a_sentence(lang: str) -> None:
    from gui.batch.texts import counts_text

    set_language(lang)
    text = counts_text({"invalid": 1, "needs_verification": 2})
    assert text.endswith((".", "。"))
    assert not text[0].islower(), text
