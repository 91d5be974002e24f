"""Settings → Binding: the pauses platforms asked for, with the time left in words, and a
button that ends them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.bind.clock import FakeClock
from core.bind.store import Store
from core.settings import Settings
from gui.i18n import apply_language
from gui.main_window import MainWindow
from gui.widgets.bind_settings import BindSettings
from tests.gui.fakes import make_services
from tests.gui.told import Told


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "bind.sqlite3", FakeClock())
    yield store
    store.close()


def test_each_pause_is_listed_with_its_time_left_in_words(qtbot: QtBot, journal: Store) -> None:
    journal.set_cooldown("jd", "http", "", 99_999_999_999)
    journal.set_cooldown("pdd", "sandbox", "alice", 75)
    panel = BindSettings(Settings(), store=lambda: journal)
    qtbot.addWidget(panel)
    assert panel.pauses_text.text().splitlines() == [
        "A platform asked for a pause; nothing is bound there until it is over:",
        "• Pinduoduo gift card through Sandbox (simulated platforms, for practice and tests), "
        "account alice: 1 min 15 s left",
        "• JD E-card through Bind service over HTTP (a store's or company's own): 5 min 0 s left",
    ]
    assert panel.pauses_text.accessibleName() == panel.pauses_text.text()
    assert panel.clear_pauses_button.isEnabled()


def test_the_button_ends_them_and_says_so(qtbot: QtBot, journal: Store) -> None:
    journal.set_cooldown("jd", "http", "", 120)
    panel = BindSettings(Settings(), store=lambda: journal)
    qtbot.addWidget(panel)
    said: list[tuple[str, str]] = []
    panel.message.connect(lambda level, text: said.append((level, text)))
    qtbot.mouseClick(panel.clear_pauses_button, Qt.MouseButton.LeftButton)
    assert journal.cooldowns() == []
    assert panel.pauses_text.text() == (
        "No platform has asked for a pause: every card type can be bound now."
    )
    assert not panel.clear_pauses_button.isEnabled()
    assert said == [
        (
            "info",
            "1 pause ended. The platform may still refuse binds for a while if it asked "
            "for the pause itself.",
        )
    ]


def test_the_app_shows_the_journals_pauses_in_settings(qtbot: QtBot, told: Told) -> None:
    with Store() as store:  # the default journal, as the bind service keeps it
        store.clear_cooldowns()
        store.set_cooldown("jd", "http", "", 60)
    w = MainWindow(make_services(settings=Settings()))
    qtbot.addWidget(w)
    w.show()
    w.open_settings()
    panel = w.bind_settings
    assert panel.pauses.isVisible()
    assert "JD E-card through Bind service over HTTP" in panel.pauses_text.text()
    panel.clear_pauses_button.click()
    with Store() as store:
        assert store.cooldowns() == []
    assert "1 pause ended." in told.texts(w)[-1]
    w.set_language("zh_CN")
    assert "没有平台要求暂停" in panel.pauses_text.text()
    apply_language("en")
