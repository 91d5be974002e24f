"""The batch window: every row checked first and fixable, binding in a worker with
pause / resume / stop, a restart in the middle resumed with every card bound once,
and masked codes everywhere a code is listed or exported."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from core.bind.adapters.faults import FaultSpec
from core.bind.adapters.ledger import SandboxCard, SandboxLedger
from core.bind.batch import BatchEngine
from core.bind.batch.state import RowUpdate, unfinished_batches
from core.bind.card import Card, CardHasher
from core.bind.clock import FakeClock
from core.bind.service import BindService
from core.bind.store import Store
from core.codes.mask import mask_code
from core.settings import Settings
from gui.batch.state import VIEWS, State
from gui.batch.window import BatchWindow
from tests.gui.batch_support import (
    code_forms,
    leaks,
    load,
    service_factory,
    settle,
    widget_texts,
    write_cards,
)
from tests.gui.told import Told

TIMEOUT = 30_000
ROOT = Path(__file__).resolve().parents[2]
FAULTS = FaultSpec(timeout=0.1, after_commit=0.1, error=0.05, seed=5)

MakeWindow = Callable[..., BatchWindow]


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "sandbox.sqlite3", tmp_path / "bind.sqlite3"


@pytest.fixture
def make_window(qtbot: QtBot, paths: tuple[Path, Path], clock: FakeClock) -> Iterator[MakeWindow]:
    windows: list[BatchWindow] = []

    def make(
        faults: FaultSpec | None = None,
        *,
        hasher: CardHasher | None = None,
        settings: Settings | None = None,
        use_clock: bool = True,
    ) -> BatchWindow:
        factory = service_factory(
            *paths, clock if use_clock else None, faults=faults, hasher=hasher
        )
        w = BatchWindow(settings or Settings(), factory)
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.shutdown()


def bound_once(ledger: SandboxLedger) -> tuple[int, bool]:
    rows = ledger.report()
    return (
        sum(1 for r in rows if r["state"] == "bound_self"),
        all(r["binds"] <= 1 and r["requests_after_bound"] == 0 for r in rows),
    )


def on_row(
    monkeypatch: pytest.MonkeyPatch,
    w: BatchWindow,
    action: Callable[[BatchEngine, RowUpdate], None],
) -> None:
    """Run `action` on the worker thread after each row, before the window hears of it
    (where a real user's click may land: between two cards)."""
    make = w.controller.worker.new_engine

    def engine(service: BindService) -> BatchEngine:
        e = make(service)
        tell = e.on_row

        def hook(update: RowUpdate) -> None:
            action(e, update)
            if tell is not None:
                tell(update)

        e.on_row = hook
        return e

    monkeypatch.setattr(w.controller.worker, "new_engine", engine)


def pause_at(row_no: int) -> Callable[[BatchEngine, RowUpdate], None]:
    done: list[int] = []

    def action(e: BatchEngine, u: RowUpdate) -> None:
        if u.row_no == row_no and not done:
            done.append(row_no)
            e.pause()

    return action


def wait_state(qtbot: QtBot, w: BatchWindow, state: str) -> None:
    qtbot.waitUntil(lambda: w.state == state, timeout=TIMEOUT)


def wait_paused(qtbot: QtBot, w: BatchWindow) -> None:
    qtbot.waitUntil(
        lambda: (p := w.controller.last_progress) is not None and p.state == "paused",
        timeout=TIMEOUT,
    )


def codes_in_files(paths: list[Path], codes: list[str]) -> list[str]:
    found = []
    forms = code_forms(codes)
    for path in paths:
        data = path.read_bytes()
        found += [
            f"{f[:4]}… in {path.name}"
            for f in forms
            if f.encode() in data or f.encode("utf-16-le") in data
        ]
    return found


def journal_files(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.iterdir() if p.name.startswith("bind.sqlite3")]


# -- a restart in the middle -------------------------------------------------------------------


def test_fifty_cards_with_faults_and_a_restart_in_the_middle(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cards = ledger.create_cards("jd", 50, seed=12)
    path = write_cards(tmp_path / "cards.csv", cards)
    first = make_window(FAULTS)
    on_row(monkeypatch, first, pause_at(22))
    load(qtbot, first, path)
    assert first.controller.plan is not None
    assert first.controller.plan.count("ready") == 50
    assert first.controller.start_binding()
    wait_paused(qtbot, first)
    bound_then, once = bound_once(ledger)
    assert once
    assert 0 < bound_then < 50
    # The app goes away with the batch unfinished; nothing but the journal remains.
    assert first.shutdown()
    first.close()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=TIMEOUT)
    with Store(tmp_path / "bind.sqlite3") as store:
        rows = store.batch_rows(first.controller.batch_id or 0)
    done_then = sum(
        1
        for r in rows
        if r.status not in ("ready", "retry_later", "unresolved", "needs_verification")
    )
    assert 0 < done_then < 50

    # The next start: a fresh window over the same journal and sandbox offers to resume.
    second = make_window(FAULTS)
    offer = second.offer
    assert offer.isVisible()
    assert "cards.csv" in offer.text.text()
    assert f"{done_then} of 50 rows done" in offer.text.text()
    qtbot.mouseClick(offer.continue_button, Qt.MouseButton.LeftButton)
    assert settle(qtbot, second) == "ready"
    assert (second.progress.value(), second.progress.maximum()) == (done_then, 50)
    assert second.controller.batch_id == first.controller.batch_id
    qtbot.mouseClick(second.continue_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, second, "finished")
    assert bound_once(ledger) == (50, True)
    assert (second.progress.value(), second.progress.maximum()) == (50, 50)
    assert second.controller.summary is not None
    assert second.controller.summary.bound == 50
    assert {r.status for r in second.controller.model.rows} == {"bound"}
    assert second.controller.last_progress is not None
    assert (second.controller.last_progress.done, second.controller.last_progress.bound) == (50, 50)
    assert not second.offer.refresh()  # nothing left to offer
    results = tmp_path / "results.csv"
    assert second.controller.export_to(results)
    with results.open(encoding="utf-8-sig") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == 50
    assert {r["status"] for r in exported} == {"bound"}
    pins = [c.pin for c in cards]
    assert leaks(widget_texts(second), pins) == []
    assert codes_in_files([results, *journal_files(tmp_path)], pins) == []


CHILD = """
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core.bind.adapters.faults import FaultSpec
from core.bind.card import CardHasher
from core.settings import Settings
from gui.batch.window import BatchWindow
from tests.gui.batch_support import service_factory

app = QApplication([])
ledger, store, cards, key = sys.argv[1:]
make = service_factory(Path(ledger), Path(store), hasher=CardHasher(key=bytes.fromhex(key)),
                       faults=FaultSpec(latency_ms=15, after_commit=0.1, timeout=0.1, seed=4))
window = BatchWindow(Settings(), make)
window.show()
if not window.controller.load_file(Path(cards)):
    sys.exit(2)
# The file is read and checked in the background. The worker is free (busy False) a
# moment before the window hears the result (two queued slot calls), so wait for both.
while window.controller.busy or window.controller.state == "checking":
    app.processEvents()
if not window.controller.start_binding():
    sys.exit(3)
sys.exit(app.exec())
"""


@pytest.mark.slow
def test_the_app_killed_mid_batch_offers_to_resume_and_binds_each_card_once(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    paths: tuple[Path, Path],
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    cards = ledger.create_cards("jd", 40, seed=9)
    path = write_cards(tmp_path / "cards.csv", cards)
    key = os.urandom(32).hex()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *map(str, paths), str(path), key],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    try:
        while bound_once(ledger)[0] < 10:  # polled: some cards bound, many to go
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        proc.kill()  # SIGKILL: no handler, no cleanup
        proc.wait(30)
        if proc.stderr is not None:
            proc.stderr.close()
    assert bound_once(ledger)[0] < 40
    w = make_window(
        FaultSpec(after_commit=0.1, timeout=0.1, seed=8),
        hasher=CardHasher(key=bytes.fromhex(key)),
        use_clock=False,
    )
    assert w.offer.isVisible()
    qtbot.mouseClick(w.offer.continue_button, Qt.MouseButton.LeftButton)
    assert settle(qtbot, w) == "ready"
    qtbot.mouseClick(w.continue_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (40, True)
    assert w.controller.summary is not None
    assert w.controller.summary.bound == 40
    assert w.progress.value() == 40


# -- checking every row first ------------------------------------------------------------------


def blacklist(paths: tuple[Path, Path], card: SandboxCard) -> None:
    with Store(paths[1]) as store:
        hasher = CardHasher()
        store.blacklist_add("jd", hasher.card(Card("jd", card.pin, card.card_number)), "bl")


def test_duplicates_and_blacklisted_cards_are_never_sent(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    paths: tuple[Path, Path],
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    cards = ledger.create_cards("jd", 6, seed=2)
    blacklist(paths, cards[5])
    path = write_cards(
        tmp_path / "cards.csv", cards, extra=[f"{cards[1].card_number},{cards[1].pin},jd"]
    )
    w = make_window()
    assert w.controller.load_file(path)
    assert w.state == "checking"  # read in the background: the window stays responsive
    assert settle(qtbot, w) == "check"
    by_row = {r.row_no: r for r in w.controller.model.rows}
    assert (by_row[7].status, by_row[8].status) == ("blacklisted", "duplicate")
    assert "Same card as row 3" in by_row[8].detail
    model = w.controller.model
    texts = {model.data(model.index(model.position(8) or 0, c)) for c in range(5)}
    assert "duplicate of an earlier row" in texts  # words, not colour
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DecorationRole) is not None
    assert "Start binding 5 cards" in w.start_button.text().replace("&", "")
    assert w.controller.start_binding()
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (5, True)
    assert ledger.request_count() == 5  # the blacklisted card and the duplicate: never sent
    states = {r["card"]: r["state"] for r in ledger.report()}
    assert states[mask_code(cards[5].pin)] == "unbound"


def test_an_invalid_row_is_fixed_inline_into_a_corrected_copy(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    cards = ledger.create_cards("jd", 4, seed=4)
    lost = ledger.create_cards("jd", 1, seed=5)[0]
    typo = lost.pin[:7]  # half the code: cannot be bound
    path = write_cards(tmp_path / "cards.csv", cards, extra=[f"{lost.card_number},{typo},jd"])
    original = path.read_bytes()
    w = make_window()
    load(qtbot, w, path)
    row = next(r for r in w.controller.model.rows if r.status == "invalid")
    assert row.row_no == 6
    assert w.fix_button.isEnabled()  # the first row needing a look is selected
    qtbot.mouseClick(w.fix_button, Qt.MouseButton.LeftButton)
    assert w.state == "fix"
    panel = w.fix_panel
    assert panel.pin.text() == typo  # the full code, while fixing only
    assert not w.fix_save.isEnabled()
    assert "16 characters" in panel.check.text.text()
    panel.pin.clear()
    qtbot.keyClicks(panel.pin, lost.pin)
    assert w.fix_save.isEnabled()
    assert panel.check.tier == "ok"
    qtbot.mouseClick(w.fix_save, Qt.MouseButton.LeftButton)
    assert settle(qtbot, w) == "check"
    copy = tmp_path / "cards.corrected.csv"
    assert w.controller.source == copy
    assert path.read_bytes() == original  # the user's file is untouched
    assert copy.read_bytes().startswith(b"\xef\xbb\xbf")
    assert lost.pin in copy.read_text(encoding="utf-8-sig")
    assert (panel.pin.text(), panel.number.text()) == ("", "")
    assert {r.row_no: r.status for r in w.controller.model.rows}[6] == "ready"
    assert w.copy_note.isVisible()
    assert "cards.corrected.csv" in w.copy_note.text()
    assert leaks(widget_texts(w), [c.pin for c in [*cards, lost]]) == []
    assert w.controller.start_binding()
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (5, True)
    assert codes_in_files(journal_files(tmp_path), [c.pin for c in [*cards, lost]]) == []


def test_a_row_to_confirm_is_bound_only_once_confirmed(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    cards = ledger.create_cards("jd", 2, seed=6)
    doubtful = "E71D5E4G33ED50BA"  # a G where JD codes have a 6 nearly always
    ledger.add_card("jd", doubtful)
    other = "0A1B5E4G33ED50BC"
    ledger.add_card("jd", other)
    path = write_cards(tmp_path / "cards.csv", cards, extra=[f",{doubtful},jd", f",{other},jd"])
    w = make_window()
    load(qtbot, w, path)
    statuses = {r.row_no: r.status for r in w.controller.model.rows}
    assert (statuses[4], statuses[5]) == ("needs_confirmation", "needs_confirmation")
    assert w.controller.fix_row(4)
    panel = w.fix_panel
    assert panel.confirm.isVisible()
    assert not w.fix_save.isEnabled()  # not until the user says they compared it
    panel.confirm.setChecked(True)
    assert w.save_fix()
    assert not (tmp_path / "cards.corrected.csv").exists()  # nothing to write
    statuses = {r.row_no: r.status for r in w.controller.model.rows}
    assert (statuses[4], statuses[5]) == ("ready", "needs_confirmation")
    assert w.controller.start_binding()
    wait_state(qtbot, w, "finished")
    states = {r["card"]: r["state"] for r in ledger.report()}
    assert states["E7**-****-****-**BA"] == "bound_self"
    assert states["0A**-****-****-**BC"] == "unbound"  # never confirmed: never sent
    assert bound_once(ledger) == (3, True)


def test_unknown_headers_get_a_column_choice(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    cards = ledger.create_cards("jd", 3, seed=7)
    path = tmp_path / "gutscheine.csv"
    path.write_bytes(
        ("Nummer;Gutschein\n" + "".join(f"{c.card_number};{c.pin}\n" for c in cards)).encode("gbk")
    )
    w = make_window()
    assert load(qtbot, w, path) == "columns"
    panel = w.columns_panel
    assert not w.apply_columns()  # no column chosen for the code yet
    assert panel.problem.isVisible()
    texts = widget_texts(w)
    assert leaks(texts, [c.pin for c in cards]) == []
    assert any("Column B: " in t for t in texts)
    panel.combos["pin"].setCurrentIndex(2)  # column B
    panel.combos["card_number"].setCurrentIndex(1)  # column A
    panel.combos["platform"].setCurrentIndex(1)  # column A again: refused
    assert not w.apply_columns()
    assert "one thing only" in panel.problem.text.text()
    panel.combos["platform"].setCurrentIndex(0)
    qtbot.mouseClick(w.columns_use, Qt.MouseButton.LeftButton)
    assert settle(qtbot, w) == "check"
    assert w.controller.plan is not None
    assert w.controller.plan.count("ready") == 3
    # The columns can be changed again from the check.
    qtbot.mouseClick(w.columns_button, Qt.MouseButton.LeftButton)
    assert w.state == "columns"
    assert panel.combos["pin"].currentIndex() == 2
    qtbot.mouseClick(w.columns_use, Qt.MouseButton.LeftButton)
    assert settle(qtbot, w) == "check"
    assert w.controller.start_binding()
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (3, True)
    with Store(tmp_path / "bind.sqlite3") as store:
        info = store.batch(w.controller.batch_id or 0)
    assert info is not None
    assert info.options["columns"] == {"pin": 1, "card_number": 0, "header": True}


# -- pause, resume, stop, verification -------------------------------------------------------------


def test_pause_and_resume(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cards = ledger.create_cards("jd", 10, seed=8)
    path = write_cards(tmp_path / "cards.csv", cards)
    w = make_window()
    # The user's Pause lands between card 4 and card 5.
    on_row(monkeypatch, w, lambda e, u: e.pause() if u.row_no == 5 else None)
    load(qtbot, w, path)
    assert w.controller.start_binding()
    wait_paused(qtbot, w)
    assert bound_once(ledger) == (4, True)
    assert "Paused" in w.progress_text.text()
    assert w.pause_button.text().replace("&", "") == "Resume"
    assert w.progress.value() == 4
    qtbot.mouseClick(w.pause_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (10, True)
    assert w.progress.value() == 10


def test_stop_keeps_the_rest_for_later(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cards = ledger.create_cards("jd", 10, seed=9)
    path = write_cards(tmp_path / "cards.csv", cards)
    w = make_window()
    on_row(monkeypatch, w, pause_at(4))  # hold there, so Stop lands mid-batch
    load(qtbot, w, path)
    assert w.controller.start_binding()
    wait_paused(qtbot, w)
    qtbot.mouseClick(w.stop_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, w, "stopped")
    assert bound_once(ledger) == (3, True)
    assert w.controller.summary is not None
    assert w.controller.summary.stopped
    assert "Stopped: 3 of 10" in w.summary_label.text()
    assert "Stopping safely" not in w.progress_text.text()  # it has stopped
    assert w.continue_button.isVisible()
    assert [r.status for r in w.controller.model.rows].count("ready") == 7
    qtbot.mouseClick(w.continue_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, w, "finished")
    assert bound_once(ledger) == (10, True)


def test_closing_while_binding_stops_safely_first(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cards = ledger.create_cards("jd", 6, seed=10)
    w = make_window()
    on_row(monkeypatch, w, pause_at(3))
    load(qtbot, w, write_cards(tmp_path / "cards.csv", cards))
    assert w.controller.start_binding()
    wait_paused(qtbot, w)
    w.close()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=TIMEOUT)
    assert bound_once(ledger) == (2, True)
    with Store(tmp_path / "bind.sqlite3") as store:
        assert [u.pending for u in unfinished_batches(store)] == [4]


def answer(qtbot: QtBot, w: BatchWindow) -> str:
    """Type what the sandbox shows (its SMS code or captcha), as a user would."""
    qtbot.waitUntil(w.verify_box.isVisible, timeout=TIMEOUT)
    prompt = w.verify_box.prompt.text()
    value = re.findall(r"\b[0-9A-Z]{4,6}\b", prompt)[-1]
    qtbot.keyClicks(w.verify_box.input, value)
    qtbot.mouseClick(w.verify_box.send_button, Qt.MouseButton.LeftButton)
    return prompt


def test_verification_is_asked_inline_during_a_batch(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    ledger.set_config(verification="profile")
    cards = ledger.create_cards("jd", 2, seed=11)
    w = make_window(use_clock=False)
    load(qtbot, w, write_cards(tmp_path / "cards.csv", cards))
    assert w.controller.start_binding()
    prompts = [answer(qtbot, w), answer(qtbot, w)]  # JD: captcha, then SMS code
    assert "Row 2 (" in prompts[0]
    assert any("SMS" in p for p in prompts)
    # The second card: skipped, it waits in the list for another go.
    qtbot.waitUntil(w.verify_box.isVisible, timeout=TIMEOUT)
    assert "Row 3 (" in w.verify_box.prompt.text()
    qtbot.mouseClick(w.verify_box.skip_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, w, "stopped")
    assert bound_once(ledger) == (1, True)
    statuses = {r.row_no: r.status for r in w.controller.model.rows}
    assert statuses == {2: "bound", 3: "needs_verification"}
    assert not w.verify_box.isVisible()
    assert w.verify_box.input.text() == ""


# -- files, drag and drop, the resume offer ------------------------------------------------------


def test_every_state_has_one_view_and_only_its_steps_take_a_dropped_file() -> None:
    assert set(VIEWS) == set(State)
    assert {s for s, v in VIEWS.items() if v.drops} == {State.FILE, State.LOCATE, State.CHECK}


def shown_buttons(w: BatchWindow) -> set[str]:
    """The buttons a user can see and press, by their words."""
    return {
        b.text().replace("&", "")
        for b in w.findChildren(QPushButton)
        if b.isVisible() and b.isEnabled()
    }


def test_each_step_offers_its_own_buttons(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    w = make_window()
    assert shown_buttons(w) == {"Choose a file…", "Close"}
    assert w.focusWidget() is w.choose_button
    cards = ledger.create_cards("jd", 2, seed=15)
    load(qtbot, w, write_cards(tmp_path / "cards.csv", cards, extra=["1,E71D5E47,jd"]))
    assert shown_buttons(w) == {
        "Next row to check",
        "Fix this row…",
        "Back",
        "Columns…",
        "Start binding 2 cards",
    }
    assert w.focusWidget() is w.start_button
    assert w.controller.start_binding()
    wait_state(qtbot, w, "finished")
    assert shown_buttons(w) == {"Export results…", "New batch", "Close"}
    qtbot.mouseClick(w.new_button, Qt.MouseButton.LeftButton)
    assert shown_buttons(w) == {"Choose a file…", "Close"}


def test_a_dropped_file_is_read(
    make_window: MakeWindow, ledger: SandboxLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    path = write_cards(
        tmp_path / "cards.csv", ledger.create_cards("jd", 2, seed=13), encoding="utf-8-sig"
    )
    w = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    w.dragEnterEvent(enter)  # Qt delivers drops only during a real drag; call the handlers
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    w.dropEvent(drop)
    assert settle(qtbot, w) == "check"
    assert w.controller.plan is not None
    assert w.controller.plan.count("ready") == 2


def test_unreadable_files_say_why_inline(
    make_window: MakeWindow, tmp_path: Path, told: Told
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"pin\nabc\xff\n")
    w = make_window()
    assert not w.controller.load_file(bad)
    assert w.state == "file"
    assert told.last(w).level == "error"
    assert "neither UTF-8 nor GBK" in told.last(w).text


def test_a_moved_file_is_asked_for_and_a_batch_can_be_put_aside(
    make_window: MakeWindow,
    ledger: SandboxLedger,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    *,
    told: Told,
) -> None:
    cards = ledger.create_cards("jd", 5, seed=14)
    path = write_cards(tmp_path / "cards.csv", cards)
    first = make_window()
    on_row(monkeypatch, first, pause_at(3))
    load(qtbot, first, path)
    assert first.controller.start_binding()
    wait_paused(qtbot, first)
    assert first.shutdown()
    first.close()
    moved = tmp_path / "elsewhere" / "cards.csv"
    moved.parent.mkdir()
    path.rename(moved)
    second = make_window()
    assert second.offer.isVisible()
    qtbot.mouseClick(second.offer.continue_button, Qt.MouseButton.LeftButton)
    assert second.state == "locate"
    assert "not there any more" in told.last(second).text
    assert second.controller.resume_batch(second.controller.locate_batch or 0, moved)
    assert settle(qtbot, second) == "ready"
    second.controller.new_batch()
    assert not second.offer.isVisible()  # opened here once: not offered again here
    # "Not now" hides it for this session; "Put it aside" for good.
    third = make_window()
    assert third.offer.isVisible()
    qtbot.mouseClick(third.offer.later_button, Qt.MouseButton.LeftButton)
    assert not third.offer.isVisible()
    fourth = make_window()
    assert fourth.offer.isVisible()
    qtbot.mouseClick(fourth.offer.aside_button, Qt.MouseButton.LeftButton)
    assert not fourth.offer.isVisible()
    assert not make_window().offer.isVisible()
