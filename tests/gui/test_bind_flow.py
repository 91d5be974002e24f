"""From a photo to a bound sandbox card through the window, and every failure in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import CardHasher
from core.bind.knowledge import entry
from core.bind.outcomes import (
    ERROR_KINDS,
    PLATFORM_KINDS,
    RETRY_KINDS,
    BindResult,
    Outcome,
    Refused,
    Rejected,
    RetryLater,
)
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store
from core.secrets import Secrets
from core.settings import Settings
from gui.main_window import MainWindow
from tests.gui.fakes import FakeReader, make_services, reading_for
from tests.gui.told import Told

TIMEOUT = 15_000
# No pacing and a single quick retry: a timeout reaches the screen at once.
ONE_RETRY_POLICY = BindPolicy(pacing_s=0, retries=1, retry_base_s=0.01, retry_max_s=0.02)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SandboxLedger]:
    led = SandboxLedger(tmp_path / "sandbox.sqlite3")
    yield led
    led.close()


def window_for(
    qtbot: QtBot, ledger: SandboxLedger, pin: str, tmp_path: Path, settings: Settings | None = None
) -> MainWindow:
    services = make_services(FakeReader(reading_for(pin)), settings or Settings())

    def make() -> BindService:
        return BindService(
            SandboxAdapter(ledger),
            Store(tmp_path / "bind.sqlite3"),
            hasher=CardHasher(Secrets()),
            policy=ONE_RETRY_POLICY,
        )

    services.make_bind_service = make
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    return w


def read_and_review(w: MainWindow, qtbot: QtBot) -> None:
    w.read_file(Path("card.png"), "jd")
    qtbot.waitUntil(lambda: w.current_screen() is w.review, timeout=TIMEOUT)
    assert w.review.continue_button.isEnabled()
    qtbot.mouseClick(w.review.continue_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is w.confirm


def answer(w: MainWindow, qtbot: QtBot) -> str:
    """Type what the sandbox shows (its SMS code or captcha), like a user would."""
    qtbot.waitUntil(w.confirm.verify_box.isVisible, timeout=TIMEOUT)
    prompt = w.confirm.verify_box.prompt.text()
    value = re.findall(r"\b[0-9A-Z]{4,6}\b", prompt)[-1]
    qtbot.keyClicks(w.confirm.verify_box.input, value)
    qtbot.mouseClick(w.confirm.verify_box.send_button, Qt.MouseButton.LeftButton)
    return prompt


def test_photo_to_bound_card(qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path) -> None:
    (card,) = ledger.create_cards("jd", 1, seed=7)
    w = window_for(qtbot, ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    assert "Attempts left for this card on this computer: 3" in w.confirm.facts.text()
    qtbot.mouseClick(w.confirm.bind_button, Qt.MouseButton.LeftButton)
    prompts = [answer(w, qtbot), answer(w, qtbot)]  # JD: captcha, then SMS code
    assert any("captcha" in p for p in prompts)
    assert any("SMS" in p for p in prompts)
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    assert "CNY" in w.result.headline.text()
    assert card.pin not in w.result.headline.text()  # masked
    assert [(r["state"], r["binds"]) for r in ledger.report()] == [("bound_self", 1)]
    # History shows the bind, masked.
    qtbot.mouseClick(w.result.history_button, Qt.MouseButton.LeftButton)
    assert w.current_screen() is w.history
    assert w.history.table.rowCount() == 1
    cell = w.history.table.item(0, 2)
    assert cell is not None
    assert "****" in cell.text()
    export = tmp_path / "history.csv"
    w.history.export_to(export)
    assert card.pin not in export.read_text(encoding="utf-8-sig")


def test_bind_button_cannot_fire_twice(qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path) -> None:
    (card,) = ledger.create_cards("jd", 1, seed=8)
    ledger.set_config(verification="none")
    w = window_for(qtbot, ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    assert not w.controller.bind()  # a second click while the first runs does nothing
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert ledger.request_count() == 1


@pytest.mark.parametrize(
    "state", ["bound_other", "not_activated", "expired", "frozen", "region_mismatch"]
)
def test_each_failure_is_explained(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path, state: str
) -> None:
    ledger.set_config(verification="none")
    (card,) = ledger.create_cards("jd", 0, seed=3, mix={state: 1})
    w = window_for(qtbot, ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    kind = {"bound_other": "already_bound_other"}.get(state, state)
    knowledge = entry(kind)
    assert knowledge.title("jd") in w.result.headline.text()
    assert knowledge.explanation("jd", "sandbox") in w.result.details.text()
    assert "What to do:" in w.result.steps.text()
    assert "attempts left" in w.result.details.text() or "attempt left" in w.result.details.text()


def test_unknown_card_offers_the_way_back_to_the_code(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path
) -> None:
    ledger.set_config(verification="none")
    ledger.create_cards("jd", 1, seed=1)
    w = window_for(qtbot, ledger, "E71D5E4633ED50BA", tmp_path)
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert entry("not_found").title("jd") in w.result.headline.text()
    assert w.result.code_button.isVisible()
    assert "2 attempts left" in w.result.details.text()


def test_scam_answer_stops_before_anything_is_sent(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path
) -> None:
    (card,) = ledger.create_cards("jd", 1, seed=9)
    w = window_for(qtbot, ledger, card.pin, tmp_path, Settings(elder_mode=True))
    read_and_review(w, qtbot)
    assert w.confirm.scam_question.isVisible()  # always asked in elder mode
    assert not w.confirm.bind_button.isEnabled()
    w.confirm.scam_yes.setChecked(True)
    assert w.confirm.scam_advice.isVisible()
    assert not w.confirm.bind_button.isEnabled()
    w.confirm.stop_button.click()
    assert w.current_screen() is w.capture
    assert ledger.request_count() == 0


def handoff_window(qtbot: QtBot, tmp_path: Path, pin: str) -> MainWindow:
    from core.bind.adapters.manual import HandoffAdapter

    services = make_services(FakeReader(reading_for(pin)), Settings(adapter="handoff"))
    services.make_bind_service = lambda: BindService(
        HandoffAdapter(),
        Store(tmp_path / "bind.sqlite3"),
        hasher=CardHasher(Secrets()),
        policy=ONE_RETRY_POLICY,
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.manual, timeout=TIMEOUT)
    return w


def test_handoff_shows_qr_and_records_the_report(qtbot: QtBot, tmp_path: Path) -> None:
    w = handoff_window(qtbot, tmp_path, "E71D5E4633ED50BA")
    assert not w.manual.qr.pixmap().isNull()
    groups = ["".join(c.char for c in g) for g in w.manual.code_view.groups()]
    assert groups == ["E71D", "5E46", "33ED", "50BA"]
    w.manual.amount.setValue(100)
    w.manual.bound_button.click()
    assert w.current_screen() is w.result
    assert w.result.headline.text().startswith("You reported: card ")
    assert "You reported 100.00 CNY credited." in w.result.details.text()


def test_a_reported_bind_is_said_as_the_users_report_with_no_amount_invented(
    qtbot: QtBot, tmp_path: Path
) -> None:
    w = handoff_window(qtbot, tmp_path, "E71D5E4633ED50BA")
    w.manual.bound_button.click()  # no amount shown on the phone: left at 0
    shown = w.result.headline.text() + "\n" + w.result.details.text()
    assert shown.startswith("You reported: card E7**-****-****-**BA is bound.")
    assert "0 CNY" not in shown
    assert "0.00" not in shown
    assert "credited at once" not in shown  # no credit time the platform never gave
    assert "Not on your account yet" not in shown
    w.open_history()
    cell = w.history.table.item(0, 4)
    assert cell is not None
    assert cell.text() == ""  # History shows no amount either
    last = w.controller.last
    assert last is not None
    assert "bound, as you reported." in last.summary()


def test_a_reported_failure_is_the_users_report(qtbot: QtBot, tmp_path: Path) -> None:
    w = handoff_window(qtbot, tmp_path, "E71D5E4633ED50BA")
    w.manual.reason.setCurrentIndex(w.manual.reason.findData("not_found"))
    w.manual.failed_button.click()
    assert w.result.headline.text() == "You reported: " + entry("not_found").title("jd")


def test_binds_left_open_by_a_crash_are_looked_up_at_start(qtbot: QtBot, told: Told) -> None:
    from core.bind.outcomes import BindResult, Bound

    class Recovering:
        def recover(self) -> list[BindResult]:
            from decimal import Decimal

            return [BindResult(Bound(Decimal("100")), "jd", "E71D-****-****-50BA", "h")]

        def close(self) -> None:
            pass

    services = make_services()
    services.make_bind_service = Recovering  # type: ignore[assignment]
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.recover_open_attempts()
    qtbot.waitUntil(lambda: bool(told.to(w)), timeout=TIMEOUT)
    assert "looked up 1 earlier bind" in told.last(w).text
    assert "E71D-****-****-50BA: bound" in told.last(w).text


def test_browser_assist_copies_the_code_opens_the_page_and_records_the_report(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from core.bind.adapters.manual import BrowserAssistAdapter
    from gui import gui_thread

    pin = "E71D5E4633ED50BA"
    opened: list[str] = []

    def open_page(url: str) -> bool:
        opened.append(url)
        return True

    services = make_services(FakeReader(reading_for(pin)), Settings(adapter="browser-assist"))
    # The adapter runs on a worker thread; the clipboard is filled on the GUI thread.
    services.make_bind_service = lambda: BindService(
        BrowserAssistAdapter(open_url=open_page, copy_text=gui_thread.copy_text),
        Store(tmp_path / "bind.sqlite3"),
        hasher=CardHasher(Secrets()),
        policy=ONE_RETRY_POLICY,
    )
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    read_and_review(w, qtbot)
    w.confirm.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.manual, timeout=TIMEOUT)
    assert QApplication.clipboard().text() == "E71D-5E46-33ED-50BA"
    assert opened == ["https://mygiftcard.jd.com/giftcard/myGiftCardInit.action"]
    assert "page is open in your browser" in w.manual.how.text()
    w.manual.reason.setCurrentIndex(w.manual.reason.findData("already_bound_other"))
    w.manual.failed_button.click()
    assert w.current_screen() is w.result
    assert entry("already_bound_other").title("jd") in w.result.headline.text()


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_every_error_kind_reads_in_words_on_the_result_screen(qtbot: QtBot, kind: Any) -> None:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    outcome: Outcome
    if kind in RETRY_KINDS:
        outcome = RetryLater(kind, 120.0)
    elif kind in PLATFORM_KINDS:
        outcome = Rejected(kind, 1)
    else:
        outcome = Refused(kind)  # refused here, before anything was sent
    w.result.show_result(BindResult(outcome, "jd", "E71D-****-****-50BA", "h", attempts_left=1))
    knowledge = entry(kind)
    assert knowledge.title("jd") in w.result.headline.text()
    assert knowledge.explanation("jd") in w.result.details.text()
    steps = w.result.steps.text()
    assert steps.startswith("What to do:")
    assert all(step in steps for step in knowledge.steps("jd"))
    w.set_language("zh_CN")
    assert entry(kind).title("jd") in w.result.headline.text()  # re-translated in place
    w.set_language("en")


def test_a_first_high_amount_brings_the_scam_question(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path
) -> None:
    from decimal import Decimal

    ledger.set_config(verification="none")
    pin = "E71D5E4633ED50BA"
    ledger.add_card("jd", pin, "6194680776051273", amount=Decimal("2000.00"))
    w = window_for(qtbot, ledger, pin, tmp_path)
    read_and_review(w, qtbot)
    c = w.confirm
    assert not c.scam_question.isVisible()  # not elder mode, not from someone else
    assert c.bind_button.isEnabled()
    qtbot.keyClicks(c.face_value, "abc")
    assert not c.bind_button.isEnabled()
    assert "in digits" in c.why_not.text()
    c.face_value.setText("")
    qtbot.keyClicks(c.face_value, "¥2,000")
    assert c.high_reason.isVisible()
    assert c.scam_question.isVisible()
    assert not c.bind_button.isEnabled()  # the question must be answered first
    c.scam_no.setChecked(True)
    assert c.bind_button.isEnabled()
    c.bind_button.click()
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    # The next ¥2000 card is not a first any more; a larger one is.
    w.start_over()
    read_and_review(w, qtbot)
    qtbot.keyClicks(c.face_value, "2000")
    assert not c.scam_question.isVisible()
    assert c.bind_button.isEnabled()
    c.face_value.setText("5000元")
    assert c.scam_question.isVisible()
    # Set to 0, the amount alone never asks.
    w.settings.scam_high_amount = 0
    w.start_over()
    read_and_review(w, qtbot)
    qtbot.keyClicks(c.face_value, "50000")
    assert not c.scam_question.isVisible()


def test_a_wrong_verification_keeps_the_card_and_asks_again(
    qtbot: QtBot, ledger: SandboxLedger, tmp_path: Path
) -> None:
    (card,) = ledger.create_cards("jd", 1, seed=11)
    w = window_for(qtbot, ledger, card.pin, tmp_path)
    read_and_review(w, qtbot)
    qtbot.mouseClick(w.confirm.bind_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.confirm.verify_box.isVisible, timeout=TIMEOUT)
    first = w.confirm.verify_box.prompt.text()
    assert "captcha" in first
    qtbot.keyClicks(w.confirm.verify_box.input, "WRONG")
    qtbot.keyClick(w.confirm.verify_box.input, Qt.Key.Key_Return)
    # Back at the verification step with a fresh captcha, never on the result screen.
    qtbot.waitUntil(
        lambda: w.confirm.verify_box.isVisible() and w.confirm.verify_box.prompt.text() != first,
        timeout=TIMEOUT,
    )
    assert w.current_screen() is w.confirm
    again = w.confirm.verify_box.prompt.text()
    assert "picture captcha was wrong or had expired" in again
    assert "did not use one of the card's attempts" in again
    assert w.controller.card is not None
    assert QApplication.focusWidget() is w.confirm.verify_box.input
    assert ledger.report()[0]["attempts_used"] == 0
    answer(w, qtbot)  # the new captcha, then the SMS code
    answer(w, qtbot)
    qtbot.waitUntil(lambda: w.current_screen() is w.result, timeout=TIMEOUT)
    assert w.result.headline.text().startswith("Bound:")
    assert "3 attempts left" not in w.result.details.text()
    assert [(r["state"], r["binds"]) for r in ledger.report()] == [("bound_self", 1)]
