"""The flow window driven like a user: photo → review → fix each doubt → continue."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.settings import Settings
from gui.code_view import CharState
from gui.main_window import MainWindow
from gui.screens.review import ReviewScreen
from ocr.reading import CharReading, FieldReading, Reading
from tests.gui.fakes import (
    TRUE_PIN,
    FakeReader,
    card_image,
    certain_reading,
    make_services,
    write_video,
)
from tests.gui.told import Told

TIMEOUT = 10_000


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    w.show()
    return w


def on_review(w: MainWindow) -> bool:
    return w.current_screen() is w.review


def editor(screen: ReviewScreen):
    return next(iter(screen.editors.values()))


def test_photo_to_review_then_each_doubt_must_be_resolved(window: MainWindow, qtbot: QtBot) -> None:
    window.read_file(Path("card.png"), "jd")
    qtbot.waitUntil(lambda: on_review(window), timeout=TIMEOUT)
    ed = editor(window.review)
    states = [c.state for g in ed.code_view.groups() for c in g]
    assert states[7] is CharState.CHECK
    assert states[13] is CharState.UNREADABLE
    assert not window.review.continue_button.isEnabled()
    assert "Character 8 is not certain" in window.review.blockers.text()
    # The picker opens on the first doubt, with the glyph crop and both readings.
    assert ed.picker.isVisible()
    assert [b.text() for b in ed.picker.buttons] == ["6", "G"]
    assert ed.picker.crop.pixmap() is not None
    assert not ed.picker.crop.pixmap().isNull()
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)  # "6" is right
    assert ed.picker.index == 13  # moves on to the next doubt by itself
    assert [b.text() for b in ed.picker.buttons] == ["0", "D"]
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)
    assert ed.review.value == "E71D5E4633ED50BA"
    assert window.review.continue_button.isEnabled()
    with qtbot.waitSignal(window.review.done) as blocker:
        qtbot.mouseClick(window.review.continue_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0]["pin"].value == "E71D5E4633ED50BA"


def test_typing_over_a_doubt_resolves_it(window: MainWindow, qtbot: QtBot) -> None:
    window.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: on_review(window), timeout=TIMEOUT)
    ed = editor(window.review)
    # Put the cursor after the unreadable "?" (position 14 of the value), delete it and
    # type the right character, as a user would.
    ed.input.setCursorPosition(ed.input.text().index("?") + 1)
    qtbot.keyClick(ed.input, Qt.Key.Key_Backspace)
    qtbot.keyClicks(ed.input, "0")
    assert ed.review.value == "E71D5E4633ED50BA"
    assert ed.review.unresolved() == [7]  # the typed one is the user's; 8 still open
    assert not window.review.continue_button.isEnabled()
    assert ed.picker.index == 7
    qtbot.mouseClick(ed.picker.buttons[0], Qt.MouseButton.LeftButton)
    assert window.review.continue_button.isEnabled()


def test_retyping_the_whole_code_makes_it_the_users_own(window: MainWindow, qtbot: QtBot) -> None:
    window.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: on_review(window), timeout=TIMEOUT)
    ed = editor(window.review)
    ed.input.selectAll()
    qtbot.keyClicks(ed.input, "E71D-5E46-33ED-50BA")
    assert ed.review.flags == {}
    assert window.review.continue_button.isEnabled()


def test_a_failed_read_says_why_and_stays_on_capture(qtbot: QtBot, told: Told) -> None:
    w = MainWindow(make_services(FakeReader(fail_with="The picture is too dark to read.")))
    qtbot.addWidget(w)
    w.show()
    w.read_file(Path("card.png"), None)
    qtbot.waitUntil(lambda: bool(told.to(w)), timeout=TIMEOUT)
    assert told.last(w).level == "error"
    assert "too dark" in told.last(w).text
    assert w.current_screen() is w.capture
    assert w.capture.open_button.isEnabled()


def test_an_unreadable_file_is_reported(window: MainWindow, qtbot: QtBot, told: Told) -> None:
    window.read_file(Path("broken.bad"), None)
    qtbot.waitUntil(lambda: bool(told.to(window)), timeout=TIMEOUT)
    assert "broken.bad is not a picture" in told.last(window).text


def test_paste_image_from_clipboard(window: MainWindow, qtbot: QtBot) -> None:
    from gui.imaging import bgr_to_qimage

    QApplication.clipboard().setImage(bgr_to_qimage(card_image()))
    assert window.capture.paste()
    qtbot.waitUntil(lambda: on_review(window), timeout=TIMEOUT)


def test_paste_without_image_warns(window: MainWindow, told: Told) -> None:
    QApplication.clipboard().setText("hello")
    assert not window.capture.paste()
    assert told.last(window).level == "warning"
    assert "no picture" in told.last(window).text


def test_drop_a_file(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "card.png"))])
    assert window.capture._accept_mime(mime)
    qtbot.waitUntil(lambda: on_review(window), timeout=TIMEOUT)


def test_type_the_code_instead(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(window.capture.type_button, Qt.MouseButton.LeftButton)
    assert on_review(window)
    ed = editor(window.review)
    assert not window.review.continue_button.isEnabled()
    qtbot.keyClicks(ed.input, "e71d 5e46 33ed 50ba")
    assert window.review.continue_button.isEnabled()


def test_camera_file_auto_captures(qtbot: QtBot, tmp_path: Path) -> None:
    video = write_video(tmp_path / "card.avi")
    reader = FakeReader(certain_reading())
    w = MainWindow(make_services(reader, Settings(camera_file=str(video))))
    qtbot.addWidget(w)
    w.show()
    qtbot.mouseClick(w.capture.camera_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is w.camera
    qtbot.waitUntil(lambda: on_review(w), timeout=TIMEOUT)
    assert editor(w.review).review.value == "E71D5E4633ED50BA"
    assert w.camera.source is None  # the camera was released


def camera_on(qtbot: QtBot, tmp_path: Path, reading: Reading) -> MainWindow:
    """The camera screen fed a video whose every frame reads as `reading`, voting in the
    app's own consensus."""
    from gui.services import CameraConsensus

    video = write_video(tmp_path / "card.avi", 40)
    services = make_services(FakeReader(reading), Settings(camera_file=str(video)))
    services.make_consensus = CameraConsensus
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    qtbot.mouseClick(w.capture.camera_button, Qt.MouseButton.LeftButton)
    return w


def test_the_camera_waiting_for_a_whole_view_does_not_ask_to_hold_still(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Every character certain and settled, but no frame has yet told the password from
    # the card's other code (docs/ocr.md, "The camera"): the screen used to say "0
    # characters are still unsure. Hold the card still".
    w = camera_on(qtbot, tmp_path, certain_reading())
    qtbot.waitUntil(lambda: w.camera.status.text().startswith("Almost there"), timeout=TIMEOUT)
    assert not w.camera.locked
    assert w.camera.view.doubted == ()


def test_the_camera_says_when_holding_the_card_longer_will_not_help(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every frame reads the 8th character the same and flags it (an O that may be a 0):
    # the consensus settles on it but never calls it certain, so the camera never locks.
    # "Hold the card still" would keep the user waiting for nothing; the screen says the
    # camera cannot be sure, points to "Capture now", and marks the box of that character.
    chars = [
        CharReading(c, 0.99, (), (i * 10, 0, 9, 20), "certain") for i, c in enumerate(TRUE_PIN)
    ]
    chars[7] = CharReading(TRUE_PIN[7], 0.95, ("G",), (70, 0, 9, 20), "check")
    flagged = Reading("jd", {"pin": FieldReading("pin", TRUE_PIN, chars, 0.5, format_ok=True)})
    said: list[str] = []
    monkeypatch.setattr("gui.screens.camera.announce", lambda _w, text: said.append(text))
    w = camera_on(qtbot, tmp_path, flagged)
    qtbot.waitUntil(lambda: "Capture now" in w.camera.status.text(), timeout=TIMEOUT)
    reads = w.camera.frames_read
    qtbot.waitUntil(lambda: w.camera.frames_read >= reads + 3, timeout=TIMEOUT)
    assert w.camera.status.text().startswith("The camera cannot be sure of 1 character,")
    assert said == [w.camera.status.text()]  # the screen reader hears it once
    assert "Hold the card still" not in w.camera.status.text()
    assert w.camera.view.doubted == (7,)
    assert not w.camera.locked
    assert w.current_screen() is w.camera


def test_a_character_that_never_settles_is_handed_to_the_user_after_a_while(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Every frame splits its vote on the 8th character between 6 and G (two glyphs the
    # font draws alike): it never settles. At first the screen asks to hold the card
    # still; after a while it says to press "Capture now" instead.
    from gui.screens.camera import ADVISE_AFTER

    chars = [
        CharReading(c, 0.99, (), (i * 10, 0, 9, 20), "certain") for i, c in enumerate(TRUE_PIN)
    ]
    chars[7] = CharReading(TRUE_PIN[7], 0.55, ("G",), (70, 0, 9, 20), "check")
    split = Reading("jd", {"pin": FieldReading("pin", TRUE_PIN, chars, 0.5, format_ok=True)})
    w = camera_on(qtbot, tmp_path, split)
    qtbot.waitUntil(lambda: w.camera.frames_read >= 1, timeout=TIMEOUT)
    assert w.camera.status.text().startswith("1 character is still unsure. Hold the card")
    qtbot.waitUntil(lambda: w.camera.frames_read >= ADVISE_AFTER, timeout=TIMEOUT)
    assert "press “Capture now” and check it yourself" in w.camera.status.text()
    assert not w.camera.locked


def test_the_camera_advice_is_in_view_in_elder_mode(window: MainWindow, qtbot: QtBot) -> None:
    # 长辈版 filling a laptop's screen (the tests' screen, 1366 × 768): the picture, the
    # advice under it and the buttons all fit without scrolling (the picture's preferred
    # height once pushed the advice to press "Capture now" below the fold).
    qtbot.mouseClick(window.elder_button, Qt.MouseButton.LeftButton)
    window.open_camera("jd")
    window.camera.status.setText(
        "2 characters are still unsure. If holding the card still does not help, "
        "press “Capture now” and check them yourself."
    )
    area = window.stack.areas[window.camera]
    qtbot.waitUntil(window.camera.status.isVisible, timeout=TIMEOUT)
    QApplication.processEvents()
    assert area.verticalScrollBar().maximum() == 0
    assert window.camera.view.height() >= window.camera.view.minimumHeight()


def test_language_switch(window: MainWindow, qtbot: QtBot) -> None:
    window.menus.language_actions["zh_CN"].trigger()
    assert window.capture.heading.text() == "读取卡片"
    window.menus.language_actions["en"].trigger()
    assert window.capture.heading.text() == "Read the card"


def test_elder_mode_is_remembered(window: MainWindow, qtbot: QtBot) -> None:
    from core import settings as store
    from gui.theme import theme

    qtbot.mouseClick(window.elder_button, Qt.MouseButton.LeftButton)
    assert theme().metrics.elder
    assert theme().metrics.body_pt >= 18
    assert store.load().elder_mode is True
    qtbot.mouseClick(window.elder_button, Qt.MouseButton.LeftButton)
    assert not theme().metrics.elder


def test_whole_row_doubt_can_be_confirmed_at_once(qtbot: QtBot) -> None:
    from ocr.reading import CharReading, FieldReading, Reading
    from tests.gui.fakes import TRUE_PIN

    chars = [CharReading(c, 0.6, (), (i * 10, 0, 9, 20), "check") for i, c in enumerate(TRUE_PIN)]
    reading = Reading("jd", {"pin": FieldReading("pin", TRUE_PIN, chars, 0.3)})
    w = MainWindow(make_services(FakeReader(reading)))
    qtbot.addWidget(w)
    w.show()
    w.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: on_review(w), timeout=TIMEOUT)
    ed = editor(w.review)
    assert len(ed.review.unresolved()) == 16
    assert ed.confirm_all.isVisible()
    qtbot.mouseClick(ed.confirm_all, Qt.MouseButton.LeftButton)
    assert ed.review.unresolved() == []
    assert not ed.confirm_all.isVisible()
    assert w.review.continue_button.isEnabled()


def test_a_qr_code_found_on_the_card_is_shown(qtbot: QtBot) -> None:
    from ocr.reading import FieldReading
    from tests.gui.fakes import reading_for

    reading = reading_for("1234567890123456", "taobao")
    reading.fields["qr"] = FieldReading("qr", "https://m.tb.cn/example-card", [], 1.0)
    w = MainWindow(make_services(FakeReader(reading)))
    qtbot.addWidget(w)
    w.show()
    w.read_array(card_image(), "taobao")
    qtbot.waitUntil(lambda: on_review(w), timeout=TIMEOUT)
    assert w.review.qr_label.isVisible()
    assert "https://m.tb.cn/example-card" in w.review.qr_label.text()
    w.type_code("taobao")
    assert not w.review.qr_label.isVisible()


def test_choosing_a_card_type_gets_its_reader_ready(qtbot: QtBot) -> None:
    # The user goes down the card types with the arrow keys: the reader is got ready
    # once, for the type they stop at, not for every type passed on the way; the type
    # the window opens with (from the settings) is already being got ready at start.
    services = make_services(settings=Settings(platform="jd"))
    asked: list[str] = []
    services.prepare_reader = asked.append
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    combo = w.capture.platform
    combo.setFocus()
    start = combo.currentIndex()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    with qtbot.waitSignal(w.capture.platform_chosen, timeout=TIMEOUT):
        pass
    chosen = combo.itemData(start + 2)
    assert combo.currentData() == chosen
    qtbot.waitUntil(lambda: asked == [chosen], timeout=TIMEOUT)
    # "Recognise from the card" has no reader to get ready.
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert combo.currentIndex() == 0
    with qtbot.waitSignal(w.capture.platform_chosen, timeout=TIMEOUT) as sig:
        pass
    assert sig.args == [None]
    assert asked == [chosen]
