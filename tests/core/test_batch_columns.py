"""Batch files whose header is not recognized (explicit columns), the column chooser's
masked preview, fixing one row into a corrected copy, per-row confirmation, and
finding unfinished batches after a restart."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import openpyxl
import pytest

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.batch import BatchEngine
from core.bind.batch.state import BatchError, unfinished_batches
from core.bind.clock import FakeClock
from core.bind.importer import (
    BatchFileError,
    ColumnMap,
    corrected_name,
    preview_columns,
    read_batch_file,
    read_row,
    write_corrected,
)
from core.bind.store import Store
from tests.support.fixtures import make_service

CODE_A, CODE_B = "E71D5E4733ED50BA", "0123456789ABCDEF"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_explicit_columns_read_a_file_with_unknown_headers(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", f"Gutschein;Nummer;Typ\n{CODE_A};1234;京东\n", "gbk")
    with pytest.raises(BatchFileError):
        read_batch_file(path)
    result = read_batch_file(path, columns=ColumnMap(pin=0, card_number=1, platform=2))
    assert [(r.row_no, r.platform, r.pin, r.card_number) for r in result.rows] == [
        (2, "jd", CODE_A, "1234")
    ]
    headless = write(tmp_path / "plain.csv", f"x,{CODE_A}\ny,{CODE_B}\n")
    result = read_batch_file(headless, "jd", ColumnMap(pin=1, header=False))
    assert [(r.row_no, r.pin) for r in result.rows] == [(1, CODE_A), (2, CODE_B)]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (ColumnMap(pin=5), "not in the file"),
        (ColumnMap(pin=0, card_number=0), "one thing only"),
    ],
)
def test_impossible_columns_say_why(tmp_path: Path, columns: ColumnMap, message: str) -> None:
    path = write(tmp_path / "in.csv", f"a,b\n{CODE_A},1\n")
    with pytest.raises(BatchFileError) as info:
        read_batch_file(path, "jd", columns)
    assert message in str(info.value)


def test_column_map_round_trips_and_rejects_damage() -> None:
    cm = ColumnMap(pin=2, card_number=0, header=False)
    assert ColumnMap.from_json(cm.to_json()) == cm
    assert ColumnMap.from_json({"card_number": 1}) is None
    assert ColumnMap.from_json("nonsense") is None
    assert ColumnMap.from_json({"pin": True}) is None


def test_preview_masks_every_code(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv", f"Gutschein;Nummer;Typ;Konto\n{CODE_A};{CODE_B};jd;alice@example.com\n"
    )
    preview = preview_columns(path)
    assert preview.found is None
    assert preview.headers == ["Gutschein", "Nummer", "Typ", "Konto"]
    (sample,) = preview.samples
    assert sample[:3] == ["E7**-****-****-**BA", "01**-****-****-**EF", "jd"]
    assert "example" not in sample[3]  # the safe side: anything long is masked
    text = repr(preview)
    for secret in (CODE_A, CODE_B, CODE_A[4:12], CODE_B[4:12]):
        assert secret not in text
    headless = write(tmp_path / "codes.txt", f"{CODE_A}\n{CODE_B}\n")
    preview = preview_columns(headless)
    assert preview.found == ColumnMap(0, header=False)
    assert CODE_A not in repr(preview)


def test_excel_numbers_in_a_csv_are_never_bound(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", "pin,platform\n1.23457E+15,jd\n")
    result = read_batch_file(path)
    assert result.rows == []
    assert "stored as a number" in result.problems[0].message


def test_read_row_gives_one_rows_cells(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", f"卡号,卡密,平台\n1234,{CODE_A},jd\n\n5678,E71D,jd\n")
    cells = read_row(path, 4)
    assert cells is not None
    assert (cells.pin, cells.card_number, cells.platform) == ("E71D", "5678", "jd")
    assert read_row(path, 1) is None  # the header is not a card
    assert read_row(path, 9) is None
    assert CODE_A not in repr(read_row(path, 2))


def test_corrected_copy_keeps_row_numbers_and_damage(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["pin", "note"])
    sheet.append(["E71D", "fix me"])
    sheet.append([None, None])
    sheet.append([12345678901234567890, "damaged by Excel"])
    sheet.append([CODE_B, "fine"])
    source = tmp_path / "cards.xlsx"
    book.save(source)
    target = corrected_name(source)
    assert target.name == "cards.corrected.csv"
    columns = write_corrected(source, target, {2: {"pin": CODE_A, "platform": "jd"}})
    assert columns == ColumnMap(pin=0, platform=2, header=True)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_batch_file(target, None, columns)
    by_row = {r.row_no: r for r in result.rows}
    assert by_row[2].pin == CODE_A
    assert by_row[2].platform == "jd"
    assert 5 not in by_row  # no platform in that row: a problem, not a guess
    problems = {p.row_no: p.message for p in result.problems}
    assert "stored as a number" in problems[4]  # still damaged, never digits
    assert corrected_name(source).name == "cards.corrected-2.csv"
    assert corrected_name(target).name == "cards.corrected-2.csv"


@pytest.fixture
def cards_file(tmp_path: Path, ledger: SandboxLedger) -> Path:
    cards = ledger.create_cards("jd", 6, seed=3)
    lines = ["Nummer;Gutschein"] + [f"{c.card_number};{c.pin}" for c in cards]
    lines.append(";E71D5E4G33ED50BA")  # needs confirmation
    return write(tmp_path / "cards.csv", "\n".join(lines) + "\n")


def engine_for(ledger: SandboxLedger, store: Store, clock: FakeClock) -> BatchEngine:
    return BatchEngine(make_service(SandboxAdapter(ledger, clock=clock), store, clock))


def test_confirmed_rows_and_the_columns_go_with_the_batch(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    columns = ColumnMap(pin=1, card_number=0)
    engine = engine_for(ledger, store, clock)
    plan = engine.prepare(cards_file, "jd", columns=columns)
    assert plan.count("needs_confirmation") == 1
    doubtful = next(r for r in plan.rows if r.status == "needs_confirmation")
    assert plan.confirm([(doubtful.row_no, "not the hash")]) == 0
    assert plan.confirm([(doubtful.row_no, doubtful.card_hash)]) == 1
    confirmed = next(r for r in plan.rows if r.row_no == doubtful.row_no)
    assert (confirmed.status, confirmed.confirmed) == ("ready", True)
    engine.on_row = lambda u: engine.stop() if u.row_no == 4 else None
    batch_id = engine.start(plan)
    assert engine.run(batch_id, plan.cards).stopped
    info = store.batch(batch_id)
    assert info is not None
    assert info.options["columns"] == columns.to_json()
    assert info.options["default_platform"] == "jd"
    # A resume without columns or platform reads the file as the batch did.
    again = engine_for(ledger, store, clock)
    same, plan2 = again.reopen(cards_file)
    assert same == batch_id
    assert plan2.columns == columns
    summary = again.run(same, plan2.cards)
    assert summary.finished
    assert summary.bound == 6
    assert summary.counts["rejected"] == 1  # the confirmed doubtful card is not in the sandbox


def test_reopen_by_id_refuses_another_file(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    engine = engine_for(ledger, store, clock)
    plan = engine.prepare(cards_file, "jd", columns=ColumnMap(pin=1, card_number=0))
    batch_id = engine.start(plan)
    other = write(tmp_path / "other.csv", f"pin\n{CODE_A}\n")
    with pytest.raises(BatchError) as info:
        engine_for(ledger, store, clock).reopen(other, batch_id=batch_id)
    assert "not the file of batch" in str(info.value)
    moved = tmp_path / "moved.csv"
    moved.write_bytes(cards_file.read_bytes())
    assert engine_for(ledger, store, clock).reopen(moved, batch_id=batch_id)[0] == batch_id
    with pytest.raises(BatchError):
        engine_for(ledger, store, clock).reopen(moved, batch_id=999)


def test_unfinished_batches_are_found_and_can_be_put_aside(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    engine = engine_for(ledger, store, clock)
    plan = engine.prepare(cards_file, "jd", columns=ColumnMap(pin=1, card_number=0))
    batch_id = engine.start(plan)
    engine.on_row = lambda u: engine.stop()
    engine.run(batch_id, plan.cards)
    (found,) = unfinished_batches(store)
    assert (found.info.id, found.total, found.done, found.bound) == (batch_id, 7, 2, 1)
    assert found.pending == 5
    assert found.file_name == "cards.csv"
    assert not found.running_elsewhere
    store.set_batch_option(batch_id, "dismissed", True)
    assert unfinished_batches(store) == []
    info = store.batch(batch_id)
    assert info is not None
    assert info.options["dismissed"] is True
    assert info.options["columns"]["pin"] == 1  # other options kept


def test_a_crash_between_the_bind_and_the_rows_update_resumes_as_bound(
    cards_file: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    engine = engine_for(ledger, store, clock)
    plan = engine.prepare(cards_file, "jd", columns=ColumnMap(pin=1, card_number=0))
    batch_id = engine.start(plan)
    # The bind went through and was recorded, then the process died before the row's
    # status was written.
    row = next(r for r in plan.rows if r.status == "ready")
    assert row.card is not None
    assert engine.service.bind(row.card, batch_id=batch_id, row_no=row.row_no).ok
    again = engine_for(ledger, store, clock)
    same, plan2 = again.reopen(cards_file)
    state = next(r for r in store.batch_rows(same) if r.row_no == row.row_no)
    assert state.status == "bound"
    assert state.amount is not None
    summary = again.run(same, plan2.cards)
    assert summary.finished
    assert summary.bound == 6
    assert sum(1 for r in ledger.report() if r["binds"] > 1) == 0
