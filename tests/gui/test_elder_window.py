"""长辈版 (elder mode) as a first-time user meets it: the window fills the screen, one
task at a time with the new input in view and focused, and no label cut short."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QRadioButton, QStyle, QStyleOptionButton, QWidget
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.settings import Settings
from gui.i18n import apply_language
from gui.main_window import MainWindow
from tests.gui.test_bind_flow import window_for

TIMEOUT = 15_000


def in_view(w: MainWindow, widget: QWidget) -> bool:
    """Whether `widget` is wholly inside the visible part of its screen's scroll area."""
    area = w._scroll_areas[w.current_screen()]  # type: ignore[index]
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def test_elder_mode_fills_the_screen_and_normal_mode_comes_back(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    w = window_for(qtbot, practice_ledger, "E71D5E4633ED50BA", tmp_path, Settings(elder_mode=True))
    assert w.isMaximized()
    w.set_elder_mode(False)
    assert not w.isMaximized()
    assert (w.width(), w.height()) == (1000, 800)
    w.set_elder_mode(True)
    assert w.isMaximized()


def test_after_bind_now_the_verification_is_the_one_task_in_view_and_focused(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    (card,) = practice_ledger.create_cards("jd", 1, seed=12)
    w = window_for(qtbot, practice_ledger, card.pin, tmp_path, Settings(elder_mode=True))
    w.read_file(Path("card.png"), "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    editor = w.review.editors["pin"]
    assert in_view(w, editor.code_view)  # the check screen opens on the code
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    w.confirm.scam_no.setChecked(True)
    qtbot.mouseClick(w.confirm.bind_button, Qt.MouseButton.LeftButton)
    box = w.confirm.verify_box
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
    QApplication.processEvents()
    assert QApplication.focusWidget() is box.input
    assert in_view(w, box)
    assert in_view(w, w.confirm.code_view)  # which card it is stays in sight
    assert not w.confirm.scam.isVisible()  # answered already: out of the way
    value = re.findall(r"\b[0-9A-Z]{4,6}\b", box.prompt.text())[-1]
    qtbot.keyClicks(box.input, value)
    qtbot.keyClick(box.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.isVisible() and "SMS" in box.prompt.text(), timeout=TIMEOUT)
    assert QApplication.focusWidget() is box.input
    assert in_view(w, box)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("zoom", [100, 200])
def test_the_scam_answers_are_never_cut_short(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path, lang: str, zoom: int
) -> None:
    apply_language(lang)
    w = window_for(
        qtbot,
        practice_ledger,
        "E71D5E4633ED50BA",
        tmp_path,
        Settings(elder_mode=True, zoom=zoom, language=lang),
    )
    w.read_file(Path("card.png"), "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    radio: QRadioButton
    for radio in (w.confirm.scam_yes, w.confirm.scam_no):
        assert radio.isVisible()
        option = QStyleOptionButton()
        radio.initStyleOption(option)
        room = radio.style().subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, radio)
        text = radio.text().replace("&", "")
        # The ink of the last letter, not only its advance, must fit ("Yes" lost its "s").
        assert room.width() >= radio.fontMetrics().boundingRect(text).width(), text
    apply_language("en")


def nameless_items(window: QWidget) -> list[str]:
    """What a screen reader (AT-SPI walks Qt's accessibility tree) lists with no name."""
    from PySide6.QtGui import QAccessible

    found: list[str] = []

    def walk(iface: Any, depth: int) -> None:
        if iface is None or not iface.isValid() or depth > 40:
            return
        state = iface.state()
        name = iface.text(QAccessible.Text.Name)
        if iface.role() == QAccessible.Role.ListItem and not state.invisible and not name:
            rect = iface.rect()
            found.append(f"list item {rect.width()}×{rect.height()}")
        for i in range(iface.childCount()):
            walk(iface.child(i), depth + 1)

    walk(QAccessible.queryAccessibleInterface(window), 0)
    return found


def test_a_screen_reader_finds_a_name_for_every_list_item_in_elder_mode(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    w = window_for(qtbot, practice_ledger, "E71D5E4633ED50BA", tmp_path)
    w.set_elder_mode(True)  # from the View menu: the settings screen reloads its choices
    for screen in (w.capture, w.settings_screen, w.history):
        w.show_screen(screen)
        assert nameless_items(w) == [], screen


def test_a_first_practice_bind_with_the_keyboard_only(
    qtbot: QtBot, practice_ledger: SandboxLedger, tmp_path: Path
) -> None:
    """长辈版, from the first screen to a bound practice card: keys only, no mouse."""
    (card,) = practice_ledger.create_cards("jd", 1, seed=14)
    w = window_for(qtbot, practice_ledger, card.pin, tmp_path, Settings(elder_mode=True))
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)

    def key(k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, k, mod)

    alt = Qt.KeyboardModifier.AltModifier
    key(Qt.Key.Key_T, alt)  # "Type the code instead"
    qtbot.waitUntil(lambda: w.current_screen() is w.review)
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClicks(focus, card.pin)
    key(Qt.Key.Key_O, alt)  # Continue
    qtbot.waitUntil(lambda: w.current_screen() is w.confirm)
    assert QApplication.focusWidget() is w.confirm.scam_no  # the question comes first
    key(Qt.Key.Key_Space)  # No, nobody asked me to
    assert w.confirm.bind_button.isEnabled()
    key(Qt.Key.Key_N, alt)  # Bind now
    box = w.confirm.verify_box
    for _round in range(2):  # the sandbox's captcha, then its SMS code
        qtbot.waitUntil(
            lambda: box.isVisible() and QApplication.focusWidget() is box.input, timeout=TIMEOUT
        )
        qtbot.keyClicks(box.input, re.findall(r"\b[0-9A-Z]{4,6}\b", box.prompt.text())[-1])
        key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    assert QApplication.focusWidget() is w.result.next_button
