"""The live check window, driven like a user would: keys, paste, menu, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.codes.check import CheckResult
from gui.check_window import CheckWindow
from gui.code_view import CharState


@pytest.fixture
def window(qtbot: QtBot) -> CheckWindow:
    w = CheckWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def result(w: CheckWindow) -> CheckResult:
    found = w.result()
    assert found is not None
    return found


def states(w: CheckWindow) -> list[CharState]:
    return [c.state for g in w.code_view.groups() for c in g]


def test_title(window: CheckWindow) -> None:
    assert window.windowTitle() == "cardbind 卡密绑定助手"


def test_typing_checks_live_and_shows_groups(window: CheckWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.input, "e71d 5e4g 33ed 5oba")
    found = result(window)
    assert found.display == "E71D-5E4G-33ED-50BA"
    groups = ["".join(c.char for c in g) for g in window.code_view.groups()]
    assert groups == ["E71D", "5E4G", "33ED", "50BA"]
    assert states(window)[7] is CharState.CHECK
    assert "Check 1 character" in window.summary.text()
    warnings = [window.warnings.item(i).text() for i in range(window.warnings.count())]
    assert any("“G”" in t and "rarely use" in t for t in warnings)
    # Screen readers get the state in words, not only a colour.
    assert "character 8 “G”: check on the card" in window.code_view.accessibleDescription()


def test_wrong_length_is_said_in_words(window: CheckWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.input, "E71D")
    assert "cannot be bound" in window.summary.text()
    warnings = [window.warnings.item(i).text() for i in range(window.warnings.count())]
    assert any(t.startswith("Cannot bind:") and "16 characters" in t for t in warnings)


def test_platform_change_rechecks(window: CheckWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.input, "123456789012345678")
    assert result(window) is not None
    assert not result(window).ok
    window.platform.setCurrentIndex(window.platform.findData("cmcc"))
    assert result(window).ok
    assert result(window).display == "123456 789012 345678"


def test_paste_counts_as_pasted_and_has_no_look_alikes(window: CheckWindow,
                                                       qtbot: QtBot) -> None:
    QApplication.clipboard().setText("E71D-5E47-33ED-50BA")
    window.input.setFocus()
    qtbot.keyClick(window.input, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    found = result(window)
    assert found.value == "E71D5E4733ED50BA"
    assert found.ambiguous == []
    assert set(states(window)) == {CharState.CERTAIN}


def test_unticking_a_change_undoes_it(window: CheckWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.input, "E71D5E4733ED5OBA")
    assert result(window).value == "E71D5E4733ED50BA"
    item = next(window.changes.item(i) for i in range(window.changes.count())
                if window.changes.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert result(window).value == "E71D5E4733ED5OBA"
    assert not result(window).ok


def test_language_switch_retranslates_everything(window: CheckWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.input, "E71D")
    window.language_actions["zh_CN"].trigger()
    assert window.heading.text() == "核对卡密"
    assert window.platform.currentText() == "京东E卡"
    assert "无法绑定" in window.summary.text() or "不能绑定" in window.summary.text()
    window.language_actions["en"].trigger()
    assert window.heading.text() == "Check a card code"


def test_every_control_has_an_accessible_name(window: CheckWindow) -> None:
    for widget in (window.platform, window.field, window.input, window.code_view,
                   window.warnings, window.changes):
        assert widget.accessibleName(), widget.objectName()
