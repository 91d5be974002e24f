"""Batches and their rows: what `cardbind batch` and the batch window resume from after
a crash or a quit. Rows hold masked codes and keyed hashes only; the full codes stay in
the user's file."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.bind.outcomes import BindResult, Bound
from core.bind.store.journal import Journal


@dataclass(frozen=True)
class BatchInfo:
    id: int
    created_at: float
    updated_at: float
    source: str
    source_sha256: str
    platform: str
    adapter: str
    options: dict[str, Any]
    state: str
    total: int
    pid: int | None


@dataclass(frozen=True)
class BatchRowState:
    batch_id: int
    row_no: int
    platform: str
    card_hash: str
    masked: str
    status: str
    kind: str | None
    detail: str
    amount: str | None
    currency: str | None
    credited_at: str | None
    attempts_left: int | None
    confirmed: bool = False


def _batch(row: sqlite3.Row) -> BatchInfo:
    try:
        options = json.loads(row["options"])
    except ValueError:
        options = {}
    return BatchInfo(
        row["id"],
        row["created_at"],
        row["updated_at"],
        row["source"],
        row["source_sha256"],
        row["platform"],
        row["adapter"],
        options,
        row["state"],
        row["total"],
        row["pid"],
    )


class Batches:
    def __init__(self, journal: Journal) -> None:
        self._db = journal

    def create_batch(
        self,
        source: str,
        source_sha256: str,
        platform: str,
        adapter: str,
        *,
        options: dict[str, Any],
        rows: Sequence[tuple[int, str, str, str, str, str, bool]],
    ) -> int:
        """rows: (row_no, platform, card_hash, masked, status, detail, confirmed)."""
        now = self._db.clock.time()
        with self._db.tx() as c:
            cur = c.execute(
                "INSERT INTO batches (created_at, updated_at, source, source_sha256, "
                "platform, adapter, options, state, total, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                (
                    now,
                    now,
                    source,
                    source_sha256,
                    platform,
                    adapter,
                    json.dumps(options),
                    len(rows),
                    os.getpid(),
                ),
            )
            batch_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO batch_rows (batch_id, row_no, platform, card_hash, masked, "
                "status, detail, confirmed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch_id, *r, now) for r in rows],
            )
        return batch_id

    def batch(self, batch_id: int) -> BatchInfo | None:
        rows = self._db.query("SELECT * FROM batches WHERE id=?", (batch_id,))
        return _batch(rows[0]) if rows else None

    def find_batches(
        self, source_sha256: str | None = None, source: str | None = None
    ) -> list[BatchInfo]:
        """Batches of a file (same content, or else same path), newest first."""
        rows = self._db.query(
            "SELECT * FROM batches WHERE source_sha256=? OR source=? "
            "ORDER BY source_sha256=? DESC, id DESC",
            (source_sha256 or "", source or "", source_sha256 or ""),
        )
        return [_batch(r) for r in rows]

    def open_batches(self) -> list[BatchInfo]:
        """Batches not marked done, newest first (what a restart may offer to resume)."""
        rows = self._db.query("SELECT * FROM batches WHERE state='open' ORDER BY id DESC")
        return [_batch(r) for r in rows]

    def set_batch_option(self, batch_id: int, key: str, value: Any) -> None:
        """Change one option stored with a batch (e.g. "dismissed" from the resume offer)."""
        with self._db.tx() as c:
            row = c.execute("SELECT options FROM batches WHERE id=?", (batch_id,)).fetchone()
            if row is None:
                return
            try:
                options = json.loads(row[0])
            except ValueError:
                options = {}
            if not isinstance(options, dict):
                options = {}
            options[key] = value
            c.execute(
                "UPDATE batches SET options=?, updated_at=? WHERE id=?",
                (json.dumps(options), self._db.clock.time(), batch_id),
            )

    def claim_batch(self, batch_id: int) -> None:
        with self._db.tx() as c:
            c.execute(
                "UPDATE batches SET pid=?, updated_at=? WHERE id=?",
                (os.getpid(), self._db.clock.time(), batch_id),
            )

    def set_batch_state(self, batch_id: int, state: str) -> None:
        with self._db.tx() as c:
            c.execute(
                "UPDATE batches SET state=?, updated_at=? WHERE id=?",
                (state, self._db.clock.time(), batch_id),
            )

    def batch_rows(self, batch_id: int) -> list[BatchRowState]:
        rows = self._db.query(
            "SELECT batch_id, row_no, platform, card_hash, masked, status, kind, detail, "
            "amount, currency, credited_at, attempts_left, confirmed FROM batch_rows "
            "WHERE batch_id=? "
            "ORDER BY row_no",
            (batch_id,),
        )
        return [
            BatchRowState(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                bool(r[12]),
            )
            for r in rows
        ]

    def update_row(
        self,
        batch_id: int,
        row_no: int,
        status: str,
        *,
        kind: str | None = None,
        detail: str = "",
        result: BindResult | None = None,
    ) -> None:
        amount = currency = credited = None
        left = None
        if result is not None:
            left = result.attempts_left
            if isinstance(result.outcome, Bound):
                amount = str(result.outcome.amount)
                currency = result.outcome.currency
                if result.outcome.credited_at:
                    credited = result.outcome.credited_at.isoformat()
        with self._db.tx() as c:
            c.execute(
                "UPDATE batch_rows SET status=?, kind=?, detail=?, amount=?, currency=?, "
                "credited_at=?, attempts_left=?, updated_at=? WHERE batch_id=? AND row_no=?",
                (
                    status,
                    kind,
                    detail,
                    amount,
                    currency,
                    credited,
                    left,
                    self._db.clock.time(),
                    batch_id,
                    row_no,
                ),
            )
