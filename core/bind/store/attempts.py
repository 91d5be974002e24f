"""Attempts and each card's attempt budget: the crash rules of binding (docs/journal.md).

An attempt goes pending → sent → done (or void when it provably never left). At most
one attempt per card is open (a partial unique index): a card whose last attempt has
no known outcome is looked up, never sent again under a new key. Reserving an attempt
checks and spends the budget in one transaction; an outcome, its effect on the budget
and its history row are one transaction too.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from core.bind.clock import Clock
from core.bind.outcomes import Bound, Outcome, Rejected, outcome_from_json, outcome_to_json
from core.bind.store.history import record as record_history
from core.bind.store.journal import Journal, StoreError


@dataclass(frozen=True)
class Attempt:
    key: str
    platform: str
    adapter: str
    card_hash: str
    masked: str
    state: str
    counted: bool
    batch_id: int | None
    row_no: int | None
    created_at: float
    outcome: Outcome | None = None


@dataclass(frozen=True)
class BudgetState:
    used: int = 0
    platform_left: int | None = None
    locked_until: float | None = None
    bound: bool = False

    def left(self, limit: int) -> int | None:
        """Attempts left under `limit` (0 = the platform sets none → None)."""
        if limit <= 0:
            return self.platform_left
        mine = max(0, limit - self.used)
        return mine if self.platform_left is None else min(mine, self.platform_left)


def _attempt(row: sqlite3.Row) -> Attempt:
    outcome = None
    if row["outcome"]:
        try:
            outcome = outcome_from_json(json.loads(row["outcome"]))
        except ValueError:
            outcome = None
    return Attempt(
        row["key"],
        row["platform"],
        row["adapter"],
        row["card_hash"],
        row["masked"],
        row["state"],
        bool(row["counted"]),
        row["batch_id"],
        row["row_no"],
        row["created_at"],
        outcome,
    )


def _release(c: sqlite3.Connection, key: str) -> None:
    row = c.execute(
        "SELECT platform, card_hash, counted FROM attempts WHERE key=?", (key,)
    ).fetchone()
    if row and row[2]:
        c.execute(
            "UPDATE budget SET used = MAX(0, used - 1) WHERE platform=? AND card_hash=?",
            (row[0], row[1]),
        )
        c.execute("UPDATE attempts SET counted=0 WHERE key=?", (key,))


class Attempts:
    def __init__(self, journal: Journal) -> None:
        self._db = journal

    @property
    def clock(self) -> Clock:
        return self._db.clock

    def open_attempt(self, platform: str, card_hash: str) -> Attempt | None:
        rows = self._db.query(
            "SELECT * FROM attempts WHERE platform=? AND card_hash=? "
            "AND state IN ('pending', 'sent')",
            (platform, card_hash),
        )
        return _attempt(rows[0]) if rows else None

    def open_attempts(self, adapter: str | None = None) -> list[Attempt]:
        sql = "SELECT * FROM attempts WHERE state IN ('pending', 'sent')"
        args: tuple[str, ...] = ()
        if adapter is not None:
            sql += " AND adapter=?"
            args = (adapter,)
        return [_attempt(r) for r in self._db.query(sql + " ORDER BY id", args)]

    def attempt(self, key: str) -> Attempt | None:
        rows = self._db.query("SELECT * FROM attempts WHERE key=?", (key,))
        return _attempt(rows[0]) if rows else None

    def attempts(self, platform: str | None = None) -> list[Attempt]:
        if platform is None:
            rows = self._db.query("SELECT * FROM attempts ORDER BY id")
        else:
            rows = self._db.query(
                "SELECT * FROM attempts WHERE platform=? ORDER BY id", (platform,)
            )
        return [_attempt(r) for r in rows]

    def _budget(self, c: sqlite3.Connection, platform: str, card_hash: str) -> BudgetState:
        row = c.execute(
            "SELECT used, platform_left, locked_until, bound FROM budget "
            "WHERE platform=? AND card_hash=?",
            (platform, card_hash),
        ).fetchone()
        if row is None:
            return BudgetState()
        used, platform_left, locked_until, bound = row
        if locked_until is not None and self.clock.time() >= locked_until:
            # The lock-out is over: the platform counts afresh, and so do we.
            c.execute(
                "UPDATE budget SET used=0, platform_left=NULL, locked_until=NULL "
                "WHERE platform=? AND card_hash=?",
                (platform, card_hash),
            )
            return BudgetState(0, None, None, bool(bound))
        return BudgetState(used, platform_left, locked_until, bool(bound))

    def budget(self, platform: str, card_hash: str) -> BudgetState:
        with self._db.tx() as c:
            return self._budget(c, platform, card_hash)

    def bound_before(self, platform: str, card_hash: str) -> bool:
        return self.budget(platform, card_hash).bound

    def begin_attempt(
        self,
        key: str,
        platform: str,
        adapter: str,
        card_hash: str,
        masked: str,
        *,
        limit: int,
        batch_id: int | None = None,
        row_no: int | None = None,
    ) -> Attempt | BudgetState:
        """Reserve one attempt of the card's budget and journal it as pending.

        Returns the budget instead when it is used up, the card is locked or bound, so
        the check and the reservation cannot be split by another process.
        """
        now = self.clock.time()
        with self._db.tx() as c:
            state = self._budget(c, platform, card_hash)
            left = state.left(limit)
            if state.bound or (left is not None and left <= 0) or (state.locked_until is not None):
                return state
            c.execute(
                "INSERT INTO budget (platform, card_hash, used) VALUES (?, ?, 1) "
                "ON CONFLICT (platform, card_hash) DO UPDATE SET used = used + 1",
                (platform, card_hash),
            )
            c.execute(
                "INSERT INTO attempts (key, platform, adapter, card_hash, masked, state, "
                "counted, batch_id, row_no, created_at) "
                "VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)",
                (key, platform, adapter, card_hash, masked, batch_id, row_no, now),
            )
        return Attempt(
            key, platform, adapter, card_hash, masked, "pending", True, batch_id, row_no, now
        )

    def mark_sent(self, key: str) -> None:
        with self._db.tx() as c:
            c.execute(
                "UPDATE attempts SET state='sent', sent_at=? WHERE key=? "
                "AND state IN ('pending', 'sent')",
                (self.clock.time(), key),
            )

    def void_attempt(self, key: str) -> None:
        """The attempt provably never reached the platform: give its budget back."""
        with self._db.tx() as c:
            _release(c, key)
            c.execute(
                "UPDATE attempts SET state='void', done_at=? WHERE key=? "
                "AND state IN ('pending', 'sent')",
                (self.clock.time(), key),
            )

    def finish_attempt(
        self,
        key: str,
        outcome: Outcome,
        *,
        counted: bool,
        limit: int,
        lockout_s: float,
        adapter: str = "",
        history: bool = True,
    ) -> BudgetState:
        """Record an attempt's outcome, its effect on the budget and its history row,
        all in one transaction."""
        now = self.clock.time()
        with self._db.tx() as c:
            row = c.execute(
                "SELECT platform, card_hash, state, masked FROM attempts WHERE key=?", (key,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no attempt {key}")
            platform, card_hash, state, masked = row
            if state in ("done", "void"):
                return self._budget(c, platform, card_hash)
            if not counted:
                _release(c, key)
            record = outcome_to_json(outcome)
            # A platform's prompt can carry a verification value (the sandbox shows its SMS
            # code there); verification values are never stored.
            record.pop("prompt", None)
            c.execute(
                "UPDATE attempts SET state='done', status=?, kind=?, outcome=?, done_at=? "
                "WHERE key=?",
                (outcome.status, outcome.kind, json.dumps(record, ensure_ascii=False), now, key),
            )
            c.execute(
                "INSERT OR IGNORE INTO budget (platform, card_hash) VALUES (?, ?)",
                (platform, card_hash),
            )
            if isinstance(outcome, Bound) or (
                isinstance(outcome, Rejected) and outcome.kind == "already_bound_self"
            ):
                c.execute(
                    "UPDATE budget SET bound=1 WHERE platform=? AND card_hash=?",
                    (platform, card_hash),
                )
            elif isinstance(outcome, Rejected) and counted:
                c.execute(
                    "UPDATE budget SET last_failure_at=? WHERE platform=? AND card_hash=?",
                    (now, platform, card_hash),
                )
                if outcome.attempts_left is not None:
                    c.execute(
                        "UPDATE budget SET platform_left=? WHERE platform=? AND card_hash=?",
                        (outcome.attempts_left, platform, card_hash),
                    )
                state_now = self._budget(c, platform, card_hash)
                left = state_now.left(limit)
                if outcome.kind == "card_locked" or (left is not None and left <= 0):
                    until = now + lockout_s if lockout_s > 0 else float("inf")
                    c.execute(
                        "UPDATE budget SET locked_until=? WHERE platform=? AND card_hash=?",
                        (until, platform, card_hash),
                    )
            after = self._budget(c, platform, card_hash)
            if history:
                record_history(
                    c,
                    platform=platform,
                    adapter=adapter,
                    card_hash=card_hash,
                    masked=masked,
                    outcome=outcome,
                    attempts_left=after.left(limit),
                    key=key,
                    now=now,
                )
            return after
