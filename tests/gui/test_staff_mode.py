"""Staff mode at a shop counter: masked codes, a customer window, handoff, and a
"next customer" that leaves nothing of the last card behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from core.bind.adapters.manual import HandoffAdapter
from core.bind.card import CardHasher
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store
from core.secrets import Secrets
from core.settings import Settings
from gui.code_view import CodeView
from gui.imaging import bgr_to_qimage
from gui.main_window import MainWindow
from tests.gui.fakes import FakeReader, card_image, make_services, reading_for
from tests.gui.told import Told

PIN = "E71D5E4633ED50BA"
SECRET_PARTS = ("5E46", "33ED", PIN, "5E4633ED")
TIMEOUT = 15_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    services = make_services(FakeReader(reading_for(PIN)), Settings(adapter="sandbox"))
    services.make_bind_service = lambda: BindService(
        HandoffAdapter(),
        Store(tmp_path / "bind.sqlite3"),
        hasher=CardHasher(Secrets()),
        policy=BindPolicy(pacing_s=0),
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.set_staff_mode(True)
    yield w
    if w.customer is not None:
        w.customer.close()


def all_text(w: MainWindow) -> str:
    """Everything a widget, model or screen reader could still show."""
    out: list[str] = []
    widgets: list[QWidget] = [w, *w.findChildren(QWidget)]
    if w.customer is not None:
        widgets += [w.customer, *w.customer.findChildren(QWidget)]
    for x in widgets:
        out += [x.accessibleName(), x.accessibleDescription(), x.toolTip()]
        if isinstance(x, QLabel | QAbstractButton | QLineEdit):
            out.append(x.text())
        if isinstance(x, QListWidget):
            out += [item.text() for i in range(x.count()) if (item := x.item(i)) is not None]
        if isinstance(x, QTableWidget):
            out += [
                cell.text()
                for r in range(x.rowCount())
                for c in range(x.columnCount())
                if (cell := x.item(r, c)) is not None
            ]
        if isinstance(x, CodeView):
            out.append("".join(c.char for g in x._raw for c in g))
    return "\n".join(out)


def test_staff_mode_uses_handoff_and_opens_the_customer_window(window: MainWindow) -> None:
    assert window.settings.adapter == "handoff"
    assert window.customer is not None
    assert window.customer.isVisible()
    assert window.next_customer_button.isVisible()
    window.set_staff_mode(False)
    assert window.settings.adapter == "sandbox"
    assert not window.customer.isVisible()


def test_code_is_masked_once_entered_and_shows_while_held(window: MainWindow, qtbot: QtBot) -> None:
    window.type_code("jd")
    editor = window.review.editors["pin"]
    qtbot.keyClicks(editor.input, PIN)
    shown = "".join(c.char for g in editor.code_view.groups() for c in g)
    assert shown == "E7" + "•" * 12 + "BA"  # as a mask shows it (docs/masking.md)
    assert "5E46" not in editor.code_view.accessibleDescription()
    assert editor.input.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit
    qtbot.mousePress(editor.reveal, Qt.MouseButton.LeftButton)
    assert "5E46" in "".join(c.char for g in editor.code_view.groups() for c in g)
    qtbot.mouseRelease(editor.reveal, Qt.MouseButton.LeftButton)
    assert "5E46" not in "".join(c.char for g in editor.code_view.groups() for c in g)


def test_next_customer_leaves_no_code_anywhere(window: MainWindow, qtbot: QtBot) -> None:
    window.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: window.current_screen() is window.review, timeout=TIMEOUT)
    window.review.continue_button.click()
    window.confirm.bind_button.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.manual, timeout=TIMEOUT)
    assert window.customer is not None
    assert window.customer.mode == "handoff"
    assert PIN in "".join(c.char for g in window.customer.code_view._raw for c in g)
    QApplication.clipboard().setText("E71D-5E46-33ED-50BA")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: window.current_screen() is window.capture, timeout=TIMEOUT)
    text = all_text(window)
    for part in SECRET_PARTS:
        assert part not in text
    assert QApplication.clipboard().text() == ""
    assert window.image is None
    assert window.review.image is None
    assert window.camera.last_frame is None
    assert window.controller.card is None
    for edit in window.findChildren(QLineEdit):
        assert not edit.isUndoAvailable()


def test_clipboard_photo_of_a_card_is_wiped(window: MainWindow) -> None:
    QApplication.clipboard().setImage(bgr_to_qimage(card_image()))
    window.next_customer()
    mime = QApplication.clipboard().mimeData()
    assert mime is None or not mime.hasImage()


def test_unrelated_clipboard_text_is_left_alone(window: MainWindow) -> None:
    QApplication.clipboard().setText("see you tomorrow")
    window.next_customer()
    assert QApplication.clipboard().text() == "see you tomorrow"


def test_idle_time_clears_the_screen(window: MainWindow, qtbot: QtBot, told: Told) -> None:
    window.type_code("jd")
    qtbot.keyClicks(window.review.editors["pin"].input, PIN)
    window.idle_timer.start(30)  # instead of minutes
    qtbot.waitUntil(lambda: window.current_screen() is window.capture, timeout=TIMEOUT)
    assert window.review.editors == {}
    assert "cleared after a while" in told.last(window).text


def test_the_method_in_use_is_the_one_settings_shows_and_a_change_is_said(
    qtbot: QtBot, tmp_path: Path, told: Told
) -> None:
    w = MainWindow(make_services(FakeReader(reading_for(PIN)), Settings(adapter="sandbox")))
    qtbot.addWidget(w)
    w.show()
    w.open_settings()
    # Staff mode switched on from the Settings screen itself.
    w.settings_screen.staff.box.click()
    assert w.settings.adapter == "handoff"
    assert w.bind_settings.method.currentData() == "handoff"
    said = told.last(w).text
    assert "Staff mode is on" in said
    assert "Handoff" in said
    assert "Sandbox" in said  # what comes back when it ends
    w.settings_screen.staff.box.click()
    assert w.settings.adapter == "sandbox"
    assert w.bind_settings.method.currentData() == "sandbox"
    assert "Staff mode is off" in told.last(w).text
    if w.customer is not None:
        w.customer.close()


def groups_on_one_line(view: CodeView) -> bool:
    rects = view._group_rects()
    return len({round(box.top()) for box, _cells in rects}) == 1 and all(
        box.right() <= view.width() for box, _cells in rects
    )


@pytest.mark.parametrize("size", [(800, 600), (640, 480), (1280, 800)])
def test_the_customer_window_fits_the_code_at_the_size_it_opens_with(
    window: MainWindow, qtbot: QtBot, size: tuple[int, int]
) -> None:
    customer = window.customer
    assert customer is not None
    customer.resize(*size)
    window.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: window.current_screen() is window.review, timeout=TIMEOUT)
    window.review.continue_button.click()
    window.confirm.bind_button.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.manual, timeout=TIMEOUT)
    QApplication.processEvents()
    assert customer.mode == "handoff"
    assert "".join(c.char for g in customer.code_view.groups() for c in g) == PIN
    assert groups_on_one_line(customer.code_view)


def test_the_customer_window_clears_when_the_result_is_shown(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.read_array(card_image(), "jd")
    qtbot.waitUntil(lambda: window.current_screen() is window.review, timeout=TIMEOUT)
    window.review.continue_button.click()
    window.confirm.bind_button.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.manual, timeout=TIMEOUT)
    customer = window.customer
    assert customer is not None
    assert customer.qr.isVisible()
    window.manual.bound_button.click()  # the customer says it worked
    assert window.current_screen() is window.result
    assert customer.mode == "idle"
    assert not customer.qr.isVisible()
    assert customer.code_view.groups() == []
    assert PIN not in "".join(c.char for g in customer.code_view._raw for c in g)
