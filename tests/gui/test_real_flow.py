"""The whole app with the real OCR and the sandbox: what a user actually does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import CardHasher
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store
from core.secrets import Secrets
from core.settings import Settings
from gui.main_window import MainWindow
from gui.services import default_services
from gui.widgets.field_review import FieldReview
from ocr.synth import make_card

pytestmark = pytest.mark.tesseract
TIMEOUT = 60_000


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SandboxLedger]:
    led = SandboxLedger(tmp_path / "sandbox.sqlite3")
    yield led
    led.close()


def app_window(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path, settings: Settings
) -> MainWindow:
    services = default_services(settings)
    services.make_bind_service = lambda: BindService(
        SandboxAdapter(ledger),
        Store(tmp_path / "bind.sqlite3"),
        hasher=CardHasher(Secrets()),
        policy=BindPolicy(pacing_s=0),
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    return w


def resolve_like_a_user(editor: FieldReview, truth: str) -> None:
    """Look at the card (we know it) for every marked character and pick or type it."""
    for _ in range(len(truth) + 1):
        open_ = editor.review.unresolved()
        if not open_:
            return
        i = open_[0]
        editor.code_view.select(i)
        editor.code_view.activated.emit(i)
        choices = {b.text(): b for b in editor.picker.buttons}
        if truth[i] in choices:
            choices[truth[i]].click()
        else:
            editor.review.choose(i, truth[i])
            editor.refresh()


def test_photo_file_to_bound_card(qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path) -> None:
    card = make_card(seed=3, tier="clean", platform="jd")
    ledger.add_card("jd", card.entered_pin, card.card_number or "")
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), card.image)
    w = app_window(qtbot, ledger, tmp_path, Settings())
    w.read_file(path, "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    editor = w.review.editors["pin"]
    resolve_like_a_user(editor, card.entered_pin)
    assert editor.review.value == card.entered_pin
    if editor.review.result.by_tier("guide"):
        editor.confirm.setChecked(True)
    assert w.review.continue_button.isEnabled(), w.review.blockers.text()
    w.review.continue_button.click()
    w.confirm.bind_button.click()
    for _ in range(2):  # JD asks for a captcha and an SMS code; the sandbox shows them
        qtbot.waitUntil(w.confirm.verify_box.isVisible, timeout=TIMEOUT)
        value = re.findall(r"\b[0-9A-Z]{4,6}\b", w.confirm.verify_box.prompt.text())[-1]
        qtbot.keyClicks(w.confirm.verify_box.input, value)
        qtbot.keyClick(w.confirm.verify_box.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    assert [r["state"] for r in ledger.report()] == ["bound_self"]


def test_video_file_camera_auto_captures(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path
) -> None:
    card = make_card(seed=17, tier="clean", platform="jd")
    video = tmp_path / "card.avi"
    h, w_ = card.image.shape[:2]
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 8.0, (w_, h))
    rng = np.random.default_rng(0)
    for _ in range(10):  # the same card with a little sensor noise in every frame
        noise = rng.normal(0, 3, card.image.shape)
        writer.write(np.clip(card.image + noise, 0, 255).astype(np.uint8))
    writer.release()
    w = app_window(qtbot, ledger, tmp_path, Settings(camera_file=str(video)))
    w.capture.set_platform("jd")
    w.capture.camera_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    assert w.camera.locked
    assert w.camera.source is None
    editor = w.review.editors["pin"]
    resolve_like_a_user(editor, card.entered_pin)
    assert editor.review.value == card.entered_pin
