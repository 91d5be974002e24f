"""The check screen with the reader's doubts about a whole field (its length, its row)
and the way the picker and the focus move; hand-made readings, no OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.settings import Settings
from gui.main_window import MainWindow
from gui.widgets.field_review import FieldReview
from ocr.reading import CharReading, FieldReading, Reading
from tests.gui.fakes import TRUE_PIN, FakeReader, make_services, reading_with_doubts
from tests.gui.told import Told

TIMEOUT = 10_000
MISREAD = "1792564282625212"  # the card shows 17925 6428 26252
RIVAL = "0A1B2C3D4E5F6A7B"


def field(value: str, flagged: dict[int, tuple[str, ...]], **kwargs: object) -> FieldReading:
    chars = [
        CharReading(
            c,
            0.5 if i in flagged else 0.99,
            flagged.get(i, ()),
            (10 + i * 30, 40, 26, 40),
            "check" if i in flagged else "certain",
        )
        for i, c in enumerate(value)
    ]
    return FieldReading("pin", value, chars, 0.6, **kwargs)  # type: ignore[arg-type]


def open_reading(qtbot: QtBot, reading: Reading, settings: Settings | None = None) -> MainWindow:
    w = MainWindow(make_services(FakeReader(reading), settings))
    qtbot.addWidget(w)
    w.show()
    w.read_file(Path("card.png"), reading.platform)
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    return w


def editor(w: MainWindow) -> FieldReview:
    return w.review.editors["pin"]


def shown_code(ed: FieldReview) -> list[str]:
    return ["".join(c.char for c in g) for g in ed.code_view.groups()]


def test_a_misread_length_is_never_called_checked(qtbot: QtBot) -> None:
    """The photo of an "Other card" read as 1792-5642-8262-5212: only character 15 was
    marked. Picking it must not end in "every character is checked"."""
    reading = Reading("generic", {"pin": field(MISREAD, {14: ("7",)}, groups=(5, 4, 5))})
    w = open_reading(qtbot, reading)
    ed = editor(w)
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)
    assert ed.review.unresolved() == []
    assert not w.review.continue_button.isEnabled()
    assert "Every character is checked" not in w.review.blockers.text()
    assert ed.count_question.isVisible()
    question = ed.count_question.question.text()
    assert "16 characters" in question
    assert "(5 + 4 + 5) add up to 14" in question
    assert QApplication.focusWidget() is ed.count_question.same_button
    qtbot.mouseClick(ed.count_question.same_button, Qt.MouseButton.LeftButton)
    assert "Every character is checked" in w.review.blockers.text()
    assert w.review.continue_button.isEnabled()
    assert QApplication.focusWidget() is w.review.continue_button


def test_the_code_is_grouped_as_printed_and_a_wrong_count_is_corrected(qtbot: QtBot) -> None:
    reading = Reading("generic", {"pin": field("17925642826252", {}, groups=(5, 4, 5))})
    w = open_reading(qtbot, reading)
    ed = editor(w)
    assert shown_code(ed) == ["17925", "6428", "26252"]
    assert "printed in groups of 5 + 4 + 5" in ed.count_question.question.text()
    assert QApplication.focusWidget() is ed.count_question.same_button
    qtbot.mouseClick(ed.count_question.other_button, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is ed.input
    assert not w.review.continue_button.isEnabled()


def test_a_length_doubt_is_asked_on_a_fixed_length_card(qtbot: QtBot) -> None:
    reading = Reading("jd", {"pin": field(TRUE_PIN, {}, groups=(4, 4, 4, 4), doubt="length")})
    w = open_reading(qtbot, reading)
    assert editor(w).count_question.isVisible()
    assert not w.review.continue_button.isEnabled()


def test_a_row_doubt_is_a_choice_in_words_made_with_the_keyboard(qtbot: QtBot) -> None:
    reading = Reading("jd", {"pin": field(TRUE_PIN, {}, doubt="row", rivals=[RIVAL])})
    w = open_reading(qtbot, reading)
    ed = editor(w)
    question = ed.row_question
    assert question.isVisible()
    assert "which row of the card is the card password" in question.question.text()
    texts = [b.text() for b in question.buttons]
    assert texts == [
        "E71D-5E46-33ED-50BA — the row cardbind took",
        "0A1B-2C3D-4E5F-6A7B — another row on the card",
    ]
    assert all(b.accessibleName() for b in question.buttons)
    assert not w.review.continue_button.isEnabled()
    assert QApplication.focusWidget() is question.buttons[0]
    qtbot.keyClick(question.buttons[0], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is question.buttons[1]
    qtbot.keyClick(question.buttons[1], Qt.Key.Key_Space)
    assert ed.review.value == RIVAL
    assert not question.isVisible()
    # The other row was read with no marks of its own: every character is to check.
    assert ed.review.unresolved() == list(range(16))
    assert QApplication.focusWidget() is ed.code_view
    assert ed.confirm_all.isVisible()


def test_the_value_printed_on_the_card_fills_the_value_field(qtbot: QtBot) -> None:
    reading = reading_with_doubts()
    reading.denomination = ("2000", "CNY")
    w = open_reading(qtbot, reading)
    ed = editor(w)
    for button in (ed.picker.buttons[0], ed.picker.buttons[0]):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is w.confirm
    assert w.confirm.face_value.text() == "2000"
    # Higher than anything bound here: the scam question is asked because of it.
    assert w.confirm.high_reason.isVisible()
    assert w.confirm.scam_question.isVisible()
    w.confirm.face_value.setText("200")  # the user may correct it
    assert not w.confirm.scam_question.isVisible()


def test_a_foreign_printed_value_is_not_taken_for_yuan(qtbot: QtBot) -> None:
    reading = Reading("jd", {"pin": field(TRUE_PIN, {})}, denomination=("500", "HKD"))
    w = open_reading(qtbot, reading)
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    assert w.confirm.face_value.text() == ""


# -- the picker stays in place; the focus follows the marked characters ---------------


def test_the_picker_sits_in_one_place_and_the_focus_moves_on(qtbot: QtBot) -> None:
    flagged = {3: ("D", "0"), 9: ("3", "8", "E")}
    w = open_reading(qtbot, Reading("jd", {"pin": field(TRUE_PIN, flagged)}))
    ed = editor(w)
    w.activateWindow()
    first = ed.picker.buttons[0].mapTo(ed, QPoint(0, 0))
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)  # a mouse pick
    QApplication.processEvents()
    assert ed.picker.index == 9
    assert ed.picker.buttons[0].mapTo(ed, QPoint(0, 0)) == first
    # The focus is on the next marked character, where typing it picks it.
    assert QApplication.focusWidget() is ed.code_view
    assert ed.code_view.selected() == 9
    qtbot.keyClick(ed.code_view, Qt.Key.Key_3)
    assert ed.review.unresolved() == []
    assert w.review.continue_button.isEnabled()
    assert QApplication.focusWidget() is w.review.continue_button


def test_enter_on_the_code_opens_the_choices(qtbot: QtBot) -> None:
    w = open_reading(qtbot, reading_with_doubts())
    ed = editor(w)
    qtbot.mouseClick(ed.picker.buttons[1], Qt.MouseButton.LeftButton)  # "G" for 8
    assert QApplication.focusWidget() is ed.code_view
    assert ed.code_view.selected() == 13
    qtbot.keyClick(ed.code_view, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ed.picker.buttons[0]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_a_checked_unusual_letter_needs_no_second_confirmation(qtbot: QtBot, elder: bool) -> None:
    text = TRUE_PIN[:7] + "G" + TRUE_PIN[8:]  # "G" is unusual in a JD code
    reading = Reading("jd", {"pin": field(text, {7: ("6",)})})
    w = open_reading(qtbot, reading, Settings(elder_mode=elder))
    ed = editor(w)
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)  # "G": as read
    assert ed.review.unresolved() == []
    assert not ed.confirm.isVisible()  # no "I have checked the marked characters" too
    assert w.review.continue_button.isEnabled()


def test_changing_the_card_type_keeps_the_readers_marks(qtbot: QtBot) -> None:
    """A recharge card of another operator read as China Mobile's: its 14 digits break
    the card type, every one marked. The user picks "Other card" in the list above the
    code: the marks stay, and the code cannot go on until the card is compared."""
    value = "17925642826252"
    reading = Reading(
        "cmcc",
        {"pin": field(value, dict.fromkeys(range(len(value)), ()), doubt="format")},
    )
    w = open_reading(qtbot, reading)
    assert not w.review.continue_button.isEnabled()
    w.review.platform.setCurrentIndex(w.review.platform.findData("generic"))
    ed = editor(w)
    assert ed.review.platform == "generic"
    assert ed.review.value == value
    assert len(ed.review.unresolved()) == len(value)
    assert not w.review.continue_button.isEnabled()
    # "Other card" codes come in many lengths: the count is asked about too.
    assert ed.count_question.isVisible()
    qtbot.mouseClick(ed.confirm_all, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ed.count_question.same_button, Qt.MouseButton.LeftButton)
    assert w.review.current_blockers() == []
    assert w.review.continue_button.isEnabled()


def test_what_the_reader_said_about_the_picture_is_said_above_the_code(
    qtbot: QtBot, told: Told
) -> None:
    """The reader's own remarks (here: the card type does not fit the code) reach the
    user of the window, not only the terminal's."""
    note = "The password found has 14 characters, and a China Mobile recharge card password has 18."
    value = "17925642826252"
    reading = Reading(
        "cmcc",
        {"pin": field(value, dict.fromkeys(range(len(value)), ()), doubt="format")},
        notes=[note],
    )
    w = open_reading(qtbot, reading)
    assert told.texts(w, "warning") == [note]
    assert w.banner.isVisible()
    # The user changes the card type, as the remark asked: it has been answered.
    w.review.platform.setCurrentIndex(w.review.platform.findData("generic"))
    assert not w.banner.isVisible()
    # Nothing is said of a reading the reader had no remark about.
    w2 = open_reading(qtbot, reading_with_doubts())
    assert told.texts(w2) == []


def test_a_card_type_that_binds_with_the_card_number_takes_the_one_read(qtbot: QtBot) -> None:
    """Read as a JD card (the password alone is asked for), changed to Tmall, which
    binds with the card number too: the number read comes along with its marks, not an
    empty box to type into."""
    number = "5118713927518844"
    reading = reading_with_doubts("jd")
    reading.fields["card_number"] = FieldReading(
        "card_number",
        number,
        [
            CharReading(
                c,
                0.5 if i == 3 else 0.99,
                ("7",) if i == 3 else (),
                None,
                "check" if i == 3 else "certain",
            )
            for i, c in enumerate(number)
        ],
        0.5,
    )
    w = open_reading(qtbot, reading)
    assert list(w.review.editors) == ["pin"]
    w.review.platform.setCurrentIndex(w.review.platform.findData("tmall"))
    assert list(w.review.editors) == ["pin", "card_number"]
    card = w.review.editors["card_number"].review
    assert card.value == number
    assert card.unresolved() == [3]
