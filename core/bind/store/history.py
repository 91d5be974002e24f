"""What happened to each card, newest first: one row per attempt's outcome, written in
the same transaction as the attempt itself (see attempts.py), or alone for outcomes
that used no attempt (a look-up, a refusal before sending)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.bind.outcomes import BindResult, Bound, Outcome
from core.bind.store.journal import Journal


@dataclass(frozen=True)
class HistoryRow:
    at: float
    platform: str
    adapter: str
    card_hash: str
    masked: str
    status: str
    kind: str | None
    amount: str | None
    currency: str | None
    credited_at: str | None
    attempts_left: int | None
    batch_id: int | None
    row_no: int | None


def record(
    c: sqlite3.Connection,
    *,
    platform: str,
    adapter: str,
    card_hash: str,
    masked: str,
    outcome: Outcome,
    attempts_left: int | None,
    key: str | None,
    now: float,
) -> None:
    """Add a history row inside the caller's transaction."""
    amount = currency = credited = None
    if isinstance(outcome, Bound):
        amount, currency = str(outcome.amount), outcome.currency
        credited = outcome.credited_at.isoformat() if outcome.credited_at else None
    batch_id = row_no = None
    if key:
        found = c.execute("SELECT batch_id, row_no FROM attempts WHERE key=?", (key,)).fetchone()
        if found:
            batch_id, row_no = found
    c.execute(
        "INSERT INTO history (at, platform, adapter, card_hash, masked, status, kind, "
        "amount, currency, credited_at, attempts_left, attempt_key, batch_id, row_no) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now,
            platform,
            adapter,
            card_hash,
            masked,
            outcome.status,
            outcome.kind,
            amount,
            currency,
            credited,
            attempts_left,
            key,
            batch_id,
            row_no,
        ),
    )


class History:
    def __init__(self, journal: Journal) -> None:
        self._db = journal

    def add(self, result: BindResult, adapter: str) -> None:
        with self._db.tx() as c:
            record(
                c,
                platform=result.platform,
                adapter=adapter,
                card_hash=result.card_hash,
                masked=result.masked,
                outcome=result.outcome,
                attempts_left=result.attempts_left,
                key=result.attempt_key,
                now=self._db.clock.time(),
            )

    def rows(self, limit: int | None = None) -> list[HistoryRow]:
        sql = (
            "SELECT at, platform, adapter, card_hash, masked, status, kind, amount, "
            "currency, credited_at, attempts_left, batch_id, row_no FROM history "
            "ORDER BY id DESC"
        )
        rows = self._db.query(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [HistoryRow(*tuple(r)) for r in rows]

    def bound_amounts(self) -> list[str | None]:
        """The amounts of every card bound on this computer (for the scam check)."""
        return [r[0] for r in self._db.query("SELECT amount FROM history WHERE status='bound'")]
