"""Settings apply at once, everywhere, and are remembered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from core import settings as store
from core.settings import Settings
from gui.i18n import apply_language
from gui.main_window import MainWindow
from gui.theme import theme
from tests.gui.fakes import make_services


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(make_services(settings=Settings()))
    qtbot.addWidget(w)
    w.show()
    w.open_settings()
    yield w
    apply_language("en")


def test_elder_mode_from_settings_updates_menu_and_is_saved(window: MainWindow) -> None:
    window.settings_screen.elder.setChecked(True)
    assert theme().metrics.elder
    assert window.menus.elder_action.isChecked()
    assert window.elder_button.isChecked()
    assert store.load().elder_mode is True
    window.set_elder_mode(False)
    assert (
        not window.settings_screen.elder.isChecked()
        or window.current_screen() is window.settings_screen
    )
    window.settings_screen.load()
    assert not window.settings_screen.elder.isChecked()


def test_language_from_settings(window: MainWindow) -> None:
    s = window.settings_screen
    s.language.setCurrentIndex(s.language.findData("zh_CN"))
    assert s.heading.text() == "设置"
    assert window.menus.language_actions["zh_CN"].isChecked()
    assert store.load().language == "zh_CN"


def test_zoom_and_usual_card(window: MainWindow) -> None:
    s = window.settings_screen
    s.zoom.setCurrentIndex(s.zoom.findData(150))
    assert theme().metrics.zoom == 150
    assert window.menus.zoom_actions[150].isChecked()
    s.platform.setCurrentIndex(s.platform.findData("cmcc"))
    assert window.capture.platform_id() == "cmcc"
    assert store.load().platform == "cmcc"


def test_back_returns_where_the_user_was(window: MainWindow) -> None:
    window.settings_screen.back_button.click()
    assert window.current_screen() is window.capture


def test_practice_cards_can_be_made_and_bound_by_typing(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.bind_settings
    assert panel.sandbox.isVisible()
    panel.count.setValue(2)
    codes = panel.create_cards()
    assert len(codes) == 2
    assert panel.cards.count() == 2
    assert "2 cards" in panel.state.text()


def test_http_token_goes_to_the_keyring_not_the_settings_file(window: MainWindow) -> None:
    from core.secrets import Secrets

    panel = window.bind_settings
    panel.method.setCurrentIndex(panel.method.findData("http"))
    assert window.settings.adapter == "http"
    assert panel.token.isVisible()
    panel.token.setText("s3cret-token")
    panel.token_save.click()
    assert Secrets().get("http_token") == "s3cret-token"
    assert "s3cret-token" not in store.settings_path().read_text(encoding="utf-8")
    assert "saved in the system keyring" in panel.token_state.text()
