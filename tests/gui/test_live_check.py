"""Typing, pasting or dictating a code on the review screen: checked live (issue 2's live
check, now the review step when no photo is used)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.code_view import CharState
from gui.main_window import MainWindow
from gui.widgets.field_review import FieldReview
from tests.gui.fakes import make_services


@pytest.fixture
def editor(qtbot: QtBot) -> FieldReview:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.show()
    w.type_code("jd")
    return w.review.editors["pin"]


def states(ed: FieldReview) -> list[CharState]:
    return [c.state for g in ed.code_view.groups() for c in g]


def warnings(ed: FieldReview) -> list[str]:
    return [ed.warnings.item(i).text() for i in range(ed.warnings.count())]


def test_typing_is_normalized_and_checked_live(editor: FieldReview, qtbot: QtBot) -> None:
    qtbot.keyClicks(editor.input, "e71d 5e4g 33ed 5oba")
    assert editor.review.result.display == "E71D-5E4G-33ED-50BA"
    groups = ["".join(c.char for c in g) for g in editor.code_view.groups()]
    assert groups == ["E71D", "5E4G", "33ED", "50BA"]
    assert states(editor)[7] is CharState.CHECK
    assert any("“G”" in t and "rarely use" in t for t in warnings(editor))
    assert "character 8 “G”: check on the card" in editor.code_view.accessibleDescription()
    # the guide must be confirmed before going on
    assert editor.confirm.isVisible()


def test_dictated_words(editor: FieldReview) -> None:
    # OS dictation and IMEs deliver text as an input-method commit, not as key presses.
    event = QInputMethodEvent()
    event.setCommitString("幺两三四 五六七八 九洞 alpha bravo charlie delta echo foxtrot")
    editor.input.setFocus()
    QApplication.sendEvent(editor.input, event)
    assert editor.review.value == "1234567890ABCDEF"


def test_paste_has_no_look_alike_marks(editor: FieldReview, qtbot: QtBot) -> None:
    QApplication.clipboard().setText("E71D-5E47-33ED-50BA")
    editor.input.setFocus()
    qtbot.keyClick(editor.input, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.review.value == "E71D5E4733ED50BA"
    assert set(states(editor)) == {CharState.CERTAIN}


def test_typed_look_alikes_are_marked_in_words(editor: FieldReview, qtbot: QtBot) -> None:
    qtbot.keyClicks(editor.input, "E71D5E4733ED50BA")
    assert states(editor)[14] is CharState.LOOK_ALIKE  # B looks like 8
    assert (
        "character 15 “B”: easy to mix up, could be 8" in editor.code_view.accessibleDescription()
    )


def test_unticking_a_change_undoes_it(editor: FieldReview, qtbot: QtBot) -> None:
    qtbot.keyClicks(editor.input, "E71D5E4733ED5OBA")
    assert editor.review.value == "E71D5E4733ED50BA"
    item = next(
        editor.changes.item(i)
        for i in range(editor.changes.count())
        if editor.changes.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
    )
    item.setCheckState(Qt.CheckState.Unchecked)
    assert editor.review.value == "E71D5E4733ED5OBA"
    assert not editor.review.result.ok


def test_wrong_length_is_said_in_words(editor: FieldReview, qtbot: QtBot) -> None:
    qtbot.keyClicks(editor.input, "E71D")
    assert any(t.startswith("Cannot bind:") and "16 characters" in t for t in warnings(editor))
