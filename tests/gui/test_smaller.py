"""The smaller things a first-time user tripped over: a message left in the old
language, a camera message after Back, attempts counted for a bound card, half-English
file dialogs, squeezed settings labels, step 4 never current, and Help with the how-to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.settings import Settings
from gui.i18n import apply_language
from gui.main_window import MainWindow
from gui.widgets.file_dialog import file_dialog
from tests.gui.fakes import make_services
from tests.gui.test_bind_flow import read_and_review, window_for
from tests.gui.told import Told

TIMEOUT = 15_000


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.show()
    yield w
    apply_language("en")


def test_a_message_follows_the_language(window: MainWindow, told: Told) -> None:
    window.set_language("zh_CN")
    window.confirm.stop_requested.emit()  # "Nothing was sent…", said in Chinese
    assert "没有发送任何内容" in window.banner.text.text()
    window.set_language("en")
    assert window.banner.isVisible()
    assert "Nothing was sent" in window.banner.text.text()
    assert "没有" not in window.banner.text.text()


def test_the_camera_message_goes_with_the_camera(window: MainWindow, told: Told) -> None:
    window.open_camera("jd")
    window.camera.message.emit("warning", "No camera was found.")
    assert window.banner.isVisible()
    window.camera.back_button.click()
    assert window.current_screen() is window.capture
    assert not window.banner.isVisible()


def test_history_counts_no_attempts_for_a_bound_card(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    practice_ledger.set_config(verification="none")
    (card,) = practice_ledger.create_cards("jd", 1, seed=6)
    w = window_for(qtbot, practice_ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    w.open_history()
    cell = w.history.table.item(0, 5)
    assert cell is not None
    assert cell.text() == ""


def test_step_4_is_current_while_the_card_is_bound(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    (card,) = practice_ledger.create_cards("jd", 1, seed=13)
    w = window_for(qtbot, practice_ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    seen: list[str] = []
    w.busy.show_text = lambda text: seen.append(w.steps.text())  # type: ignore[method-assign]
    w.confirm.bind_button.click()
    for _round in range(2):  # the captcha, then the SMS code
        qtbot.waitUntil(w.confirm.verify_box.isVisible, timeout=TIMEOUT)
        prompt = w.confirm.verify_box.prompt.text()
        w.confirm.verify_box.input.setText(re.findall(r"\b[0-9A-Z]{4,6}\b", prompt)[-1])
        w.confirm.verify_box.send_button.click()
        assert "[4 Bind]" in w.steps.text()  # the bind with the answer is under way
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("lang", "look_in", "file_type"),
    [("zh_CN", "查找范围", "文件类型"), ("en", "Look in", "Files of type")],
)
def test_the_file_dialog_speaks_the_language(
    qtbot: QtBot, lang: str, look_in: str, file_type: str
) -> None:
    apply_language(lang)
    dialog = file_dialog(None, "x", "", "CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    texts = [label.text().replace("&", "") for label in dialog.findChildren(QLabel)]
    assert any(look_in in t for t in texts), texts
    assert any(file_type in t for t in texts), texts
    apply_language("en")


def test_a_settings_label_uses_the_width_it_has(qtbot: QtBot) -> None:
    apply_language("zh_CN")
    w = MainWindow(make_services(settings=Settings(language="zh_CN")))
    qtbot.addWidget(w)
    w.show()
    w.open_settings()
    QApplication.processEvents()
    label = w.bind_settings.account_label
    assert label.text() == "账户名称（供您自己记录）："
    # One line where there is room: it spans the form, not a third of it.
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    assert label.height() < 2 * label.fontMetrics().lineSpacing()
    apply_language("en")


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Check the code against the card"), ("zh_CN", "对照卡片核对卡密")]
)
def test_help_has_the_how_to_in_both_languages(
    window: MainWindow, qtbot: QtBot, lang: str, words: str
) -> None:
    window.set_language(lang)
    window.menus.how_to_action.trigger()
    assert window.current_screen() is window.help
    assert words in window.help.text.toPlainText()
    assert window.help.text.accessibleName()
    qtbot.mouseClick(window.help.back_button, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.capture
