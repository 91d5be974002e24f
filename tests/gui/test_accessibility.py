"""Elder mode and accessibility, checked on every screen of the flow (docs/elder-mode.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from core.bind.card import Card
from core.bind.outcomes import AwaitingUser, BindResult, NeedsVerification, Rejected
from core.i18n import set_language
from gui.audit import audit
from gui.i18n import apply_language
from gui.main_window import MainWindow
from gui.theme import theme
from tests.gui.fakes import card_image, make_services, reading_with_doubts
from tests.gui.mnemonics import alt_keys
from tests.gui.traps import keyboard_traps

NORMAL: dict[str, Any] = {"min_text_pt": 10.0, "min_target_px": 44, "min_contrast": 4.5}
ELDER: dict[str, Any] = {"min_text_pt": 18.0, "min_target_px": 60, "min_contrast": 7.0}


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    yield w
    w.set_elder_mode(False)
    w.set_zoom(100)
    apply_language("en")


def go_to(w: MainWindow, screen: str) -> None:
    """Show `screen` as the flow would, and make sure it is the one showing: the audit
    must never check whatever happened to be on screen (a misspelt name fails here)."""
    start = w.capture if screen != "capture" else w.result
    w.show_screen(start)
    if screen == "capture":
        w.show_screen(w.capture)
    elif screen == "camera":
        w.open_camera("jd")  # no camera here: the screen says so in words
    elif screen == "review":
        w._to_review(reading_with_doubts(), card_image())
    elif screen == "settings":
        w.open_settings()
    elif screen == "confirm":
        w.confirm.load(CARD, attempts_left=1, bind_method="Sandbox", elder=w.settings.elder_mode)
        w.show_screen(w.confirm)
        w.confirm.ask(NeedsVerification("sms", "Sandbox: the SMS code is 123456."))
    elif screen == "busy":
        w.show_screen(w.busy)
        w.busy.show_text("Binding the card…")
    elif screen == "manual":
        w.manual.show_for(CARD, AwaitingUser("show_qr", payload=CARD.pin))
        w.show_screen(w.manual)
    elif screen == "result":
        w.result.show_result(
            BindResult(Rejected("not_found", 2), "jd", "E71D-****-****-50BA", "h", attempts_left=2)
        )
        w.show_screen(w.result)
    elif screen == "history":
        w.open_history()
    QApplication.processEvents()
    expected = w.settings_screen if screen == "settings" else getattr(w, screen, None)
    assert expected is not None, f"no screen called {screen!r}"
    shown = w.current_screen()
    assert shown is expected, f"{screen} is not showing"
    assert shown.isVisible()


def test_go_to_fails_for_a_screen_that_does_not_exist(window: MainWindow) -> None:
    with pytest.raises(AssertionError, match="no screen called 'reveiw'"):
        go_to(window, "reveiw")


SCREENS = [
    "capture",
    "camera",
    "review",
    "confirm",
    "busy",
    "manual",
    "result",
    "settings",
    "history",
]
CARD = Card("jd", "E71D5E4633ED50BA")


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_screen_passes_the_audit(window: MainWindow, screen: str, elder: bool) -> None:
    window.set_elder_mode(elder)
    go_to(window, screen)
    findings = audit(window, **(ELDER if elder else NORMAL))
    assert [str(f) for f in findings] == []


def overflowing(window: MainWindow) -> list[str]:
    """Visible widgets that stick out past the right edge of the window."""
    out = []
    right = window.width()
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.window() is not window:
            continue
        x = w.mapTo(window, w.rect().topRight()).x()
        if x > right + 1:
            out.append(f"{type(w).__name__} {w.objectName()} ends at {x} > {right}")
    return out


@pytest.mark.parametrize("screen", SCREENS)
def test_fits_at_200_percent_with_longer_strings(window: MainWindow, screen: str) -> None:
    set_language("pseudo")
    window.retranslate()
    window.set_elder_mode(True)
    window.set_zoom(200)
    go_to(window, screen)
    assert theme().metrics.body_pt >= 36
    assert overflowing(window) == [], overflowing(window)
    assert [str(f) for f in audit(window, **ELDER)] == []


def test_keyboard_only_typed_code(window: MainWindow, qtbot: QtBot) -> None:
    window.set_elder_mode(True)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # A mnemonic "clicks" its button after a short animation, hence the wait.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current_screen() is window.review)
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClicks(focus, "E71D 5E46 33ED 50BA")
    assert window.review.continue_button.isEnabled()
    with qtbot.waitSignal(window.review.done):
        qtbot.keyClick(focus, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)


def test_keyboard_only_fixing_doubts(window: MainWindow, qtbot: QtBot) -> None:
    go_to(window, "review")
    editor = next(iter(window.review.editors.values()))
    assert QApplication.focusWidget() is editor.code_view
    # Tab reaches the picker's choices; Space picks the focused one.
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.picker.buttons[0]
    qtbot.keyClick(editor.picker.buttons[0], Qt.Key.Key_Space)
    assert editor.review.unresolved() == [13]
    # Arrow keys move along the code; Enter opens the picker for that character.
    editor.code_view.setFocus()
    editor.code_view.select(12)
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Right)
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Return)
    assert editor.picker.index == 13
    assert QApplication.focusWidget() is editor.picker.buttons[0]  # Enter goes to choices
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert editor.review.unresolved() == []
    assert window.review.continue_button.isEnabled()


def test_tab_goes_through_the_code_before_back_and_continue(
    window: MainWindow, qtbot: QtBot
) -> None:
    # Reading order: the card type, the code and its questions, then the buttons (the
    # editors are made after the buttons, so Tab went from the card type to Back).
    go_to(window, "review")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.review.platform.setFocus()
    order = []
    for _ in range(10):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    editor = next(iter(window.review.editors.values()))
    assert order.index(editor.code_view) < order.index(window.review.back_button)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_screens_scrolling_area_is_named_by_its_title(window: MainWindow, lang: str) -> None:
    # A Tab stop a screen reader named as nothing.
    window.set_language(lang)
    names = {s.title(): a.accessibleName() for s, a in window.stack.areas.items()}
    assert all(names)
    assert all(title == name for title, name in names.items())


def test_character_states_are_exposed_in_words(window: MainWindow) -> None:
    go_to(window, "review")
    editor = next(iter(window.review.editors.values()))
    text = editor.code_view.accessibleDescription()
    assert "character 8 “6”: check on the card, could be G" in text
    assert "character 14 “?”: could not be read, type it" in text


def mnemonics(window: MainWindow) -> list[str]:
    """The Alt+letter keys a user can press on the current screen, menus included."""
    return alt_keys(window, [a.text() for a in window.menuBar().actions()])


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_mnemonics_are_unique_on_each_screen(window: MainWindow, screen: str, lang: str) -> None:
    window.set_language(lang)
    go_to(window, screen)
    keys = mnemonics(window)
    assert len(keys) >= 4
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    # A label's Alt+letter does nothing unless the label names the control it moves to.
    from PySide6.QtWidgets import QLabel

    dead = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.isVisible()
        and "&" in label.text().replace("&&", "")
        and label.buddy() is None
        and label.textFormat() != Qt.TextFormat.RichText
    ]
    assert dead == []


def test_elder_mode_spaces_lines_one_and_a_half(window: MainWindow) -> None:
    from gui.widgets.paragraph import Paragraph

    intro = window.capture.intro
    assert isinstance(intro, Paragraph)
    plain = intro.text()
    assert intro.textFormat() == Qt.TextFormat.PlainText
    window.set_elder_mode(True)
    assert intro.textFormat() == Qt.TextFormat.RichText
    assert "line-height:150%" in QLabel.text(intro)
    assert intro.text() == plain  # callers and screen readers get the words, not markup
    assert intro.accessibleName() == plain
    window.set_elder_mode(False)
    assert intro.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("elder", [False, True])
def test_tab_leaves_every_control(
    window: MainWindow, qtbot: QtBot, screen: str, elder: bool
) -> None:
    """No keyboard trap: from every control Tab reaches, Tab goes on to another (the check
    screen's hidden tab bar once held Tab on the card type for good)."""
    window.set_elder_mode(elder)
    go_to(window, screen)
    if screen == "history":
        # A table with rows is where Tab would move from cell to cell, never out.
        from PySide6.QtWidgets import QTableWidgetItem

        window.history.table.setRowCount(2)
        for r in range(2):
            window.history.table.setItem(r, 0, QTableWidgetItem("2026-12-07"))
    assert keyboard_traps(window, qtbot) == []
