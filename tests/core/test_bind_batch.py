"""The batch engine and its file reader: every row checked first, nothing lost, nothing
bound twice, pause/resume/stop from another thread, resume after a stop or a crash."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest

from core.bind.adapters.faults import FaultSpec
from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.batch import BatchEngine
from core.bind.batch.state import BatchError, BatchProgress, BatchSummary, RowUpdate
from core.bind.clock import FakeClock
from core.bind.importer import BatchFileError, read_batch_file
from core.bind.records import export_batch
from core.bind.store import Store
from tests.support.fixtures import make_service

CODE_A, CODE_B = "E71D5E4733ED50BA", "0123456789ABCDEF"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_reads_chinese_headers_in_every_common_encoding(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "in.csv", f"卡号,卡密,平台\n1234,{CODE_A},京东\n", encoding)
    result = read_batch_file(path)
    assert result.problems == []
    assert [(r.row_no, r.platform, r.pin, r.card_number) for r in result.rows] == [
        (2, "jd", CODE_A, "1234")
    ]


def test_semicolons_tabs_and_odd_unicode(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        "pin;platform\n\ufeffＥ７１Ｄ-5E47\u200b-33ED-50BA;jd\n\n 0123 4567 89AB CDEF ;jd\n",
    )
    result = read_batch_file(path)
    assert len(result.rows) == 2
    assert result.problems == []


def test_one_column_without_header_is_a_list_of_codes(tmp_path: Path) -> None:
    path = write(tmp_path / "codes.txt", f"{CODE_A}\n{CODE_B}\n")
    result = read_batch_file(path, "jd")
    assert [r.row_no for r in result.rows] == [1, 2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n", "name the columns"),
        (b"pin\x00,platform\n", "not a text file"),
        (b"", "no rows"),
        (b"pin\nabc\xff\n", "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(BatchFileError) as info:
        read_batch_file(path, "jd")
    assert message in str(info.value)


def test_row_problems_keep_their_row_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv", f'pin,platform\n{CODE_A},jd\n,jd\n{CODE_B},nowhere\n"{CODE_B},jd\n'
    )
    result = read_batch_file(path)
    assert [r.row_no for r in result.rows] == [2]
    assert {p.row_no for p in result.problems} >= {3, 4}


def test_xlsx_text_cells_and_damaged_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["card_number", "pin", "platform"])
    sheet.append(["", CODE_A, "jd"])
    sheet.append([12345678901234567890, "123456789012345678", "cmcc"])  # number: digits lost
    path = tmp_path / "in.xlsx"
    book.save(path)
    result = read_batch_file(path)
    assert [r.pin for r in result.rows] == [CODE_A]
    assert result.problems[0].row_no == 3
    assert "Excel" in result.problems[0].message


# -- the engine ---------------------------------------------------------------------------


@pytest.fixture
def cards_file(tmp_path: Path, ledger: SandboxLedger) -> Path:
    cards = ledger.create_cards("jd", 12, seed=5)
    lines = ["card_number,pin,platform"] + [f"{c.card_number},{c.pin},jd" for c in cards]
    return write(tmp_path / "cards.csv", "\n".join(lines) + "\n")


def engine_for(
    ledger: SandboxLedger,
    store: Store,
    clock: FakeClock,
    faults: FaultSpec | None = None,
    **kwargs: object,
) -> BatchEngine:
    service = make_service(SandboxAdapter(ledger, faults, clock=clock), store, clock)
    return BatchEngine(service, **kwargs)  # type: ignore[arg-type]


def assert_each_bound_once(ledger: SandboxLedger, count: int) -> None:
    rows = ledger.report()
    assert sum(1 for r in rows if r["state"] == "bound_self") == count
    assert all(r["binds"] <= 1 and r["requests_after_bound"] == 0 for r in rows)


def test_every_row_checked_first_then_bound_once_despite_faults(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    with cards_file.open("a") as f:  # a bad row, a duplicate and a row to confirm
        f.write("1,E71D5E47,jd\n")
        f.write(cards_file.read_text().splitlines()[1] + "\n")
        f.write(",E71D5E4G33ED50BA,jd\n")
    updates: list[RowUpdate] = []
    progress: list[BatchProgress] = []
    engine = engine_for(
        ledger,
        store,
        clock,
        FaultSpec(timeout=0.2, after_commit=0.2, error=0.1, seed=11),
        on_row=updates.append,
        on_progress=progress.append,
    )
    plan = engine.prepare(cards_file, "jd")
    assert [plan.count(s) for s in ("ready", "invalid", "duplicate", "needs_confirmation")] == [
        12,
        1,
        1,
        1,
    ]
    batch_id = engine.start(plan)
    summary = engine.run(batch_id, plan.cards)
    assert summary.finished
    assert summary.bound == 12
    assert_each_bound_once(ledger, 12)
    assert {u.status for u in updates} == {"bound"}
    assert progress[-1].done == progress[-1].total == 15
    assert any(p.eta_s is not None for p in progress)
    out = tmp_path / "results.csv"
    assert export_batch(store, batch_id, out) == 15
    text = out.read_text(encoding="utf-8-sig")
    assert CODE_A[4:12] not in text
    assert "needs your confirmation" in text


def test_stop_then_resume_binds_the_rest_once(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    engine = engine_for(ledger, store, clock)
    engine.on_row = lambda u: engine.stop() if u.row_no == 5 else None
    plan = engine.prepare(cards_file, "jd")
    batch_id = engine.start(plan)
    first = engine.run(batch_id, plan.cards)
    assert first.stopped
    assert not first.finished
    assert first.bound == 4
    again = engine_for(ledger, store, clock)
    other = write(cards_file.with_name("other.csv"), "pin\n" + CODE_A + "\n")
    with pytest.raises(BatchError):
        again.reopen(other, "jd")  # never started: nothing to resume
    same_id, plan2 = again.reopen(cards_file, "jd")
    assert same_id == batch_id
    done = again.run(same_id, plan2.cards)
    assert done.finished
    assert done.bound == 12
    assert_each_bound_once(ledger, 12)


def test_a_changed_file_cannot_slip_another_card_into_a_row(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    engine = engine_for(ledger, store, clock)
    engine.on_row = lambda u: engine.stop()
    plan = engine.prepare(cards_file, "jd")
    batch_id = engine.start(plan)
    engine.run(batch_id, plan.cards)
    lines = cards_file.read_text().splitlines()
    lines[5] = f"1,{CODE_B},jd"
    cards_file.write_text("\n".join(lines) + "\n")
    again = engine_for(ledger, store, clock)
    same_id, plan2 = again.reopen(cards_file, "jd")
    assert same_id == batch_id
    summary = again.run(same_id, plan2.cards)
    assert summary.counts["invalid"] == 1
    assert summary.bound == 11


def test_pause_and_resume_from_another_thread(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    paused = threading.Event()
    engine = engine_for(ledger, store, clock)
    engine.on_progress = lambda p: paused.set() if p.state == "paused" else None
    engine.on_row = lambda u: engine.pause() if u.row_no == 3 else None
    plan = engine.prepare(cards_file, "jd")
    batch_id = engine.start(plan)
    results: list[BatchSummary] = []
    worker = threading.Thread(target=lambda: results.append(engine.run(batch_id, plan.cards)))
    worker.start()
    assert paused.wait(30)
    assert engine.paused
    assert ledger.report()
    assert sum(1 for r in ledger.report() if r["state"] == "bound_self") == 2
    engine.resume()
    worker.join(30)
    assert results
    assert results[0].finished
    assert_each_bound_once(ledger, 12)


def test_too_frequent_waits_and_continues(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    ledger.set_config(rate_limit=5, rate_window_s=60, retry_after_s=60)
    states: list[str] = []
    engine = engine_for(ledger, store, clock, on_progress=lambda p: states.append(p.state))
    plan = engine.prepare(cards_file, "jd")
    summary = engine.run(engine.start(plan), plan.cards)
    assert summary.finished
    assert summary.bound == 12
    assert "waiting" in states
    assert sum(s for s in clock.slept if s >= 1) >= 120  # two cool-downs honoured


def test_an_unfinished_batch_is_found_again(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    engine = engine_for(ledger, store, clock)
    plan = engine.prepare(cards_file, "jd")
    batch_id = engine.start(plan)
    found = engine.find(cards_file, plan)
    assert found is not None
    assert found.id == batch_id
    assert found.state == "open"


def test_a_wrong_verification_in_a_batch_brings_a_fresh_challenge(
    tmp_path: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    import re

    ledger.set_config(verification="profile")
    (card,) = ledger.create_cards("jd", 1, seed=9)
    path = write(tmp_path / "in.csv", f"pin,platform\n{card.pin},jd\n")
    answers: list[str] = []

    def verify(row_no: int, masked: str, need: object) -> str:
        answers.append(need.verification)  # type: ignore[attr-defined]
        if len(answers) == 1:
            return "NOPE"
        return str(re.findall(r"\b[0-9A-Z]{4,6}\b", need.prompt)[-1])  # type: ignore[attr-defined]

    engine = BatchEngine(
        make_service(SandboxAdapter(ledger, clock=clock), store, clock), verifier=verify
    )
    plan = engine.prepare(path)
    summary = engine.run(engine.start(plan), plan.cards)
    assert summary.counts == {"bound": 1}
    assert answers == ["captcha", "captcha", "sms"]
