"""The crash-safe journal, attempt budget, history, blacklist and batches: one SQLite
file in WAL mode under the user data dir.

No table holds a card code: cards are identified by their keyed hash and shown by
their masked form. Every change that must happen together (an attempt's outcome, the
budget it used, its history row) is one transaction with `synchronous=FULL`, so a
crash or `kill -9` at any point leaves either the state before or the state after.

An attempt goes pending → sent → done (or void when it provably never left). At most
one attempt per card is open (a partial unique index): a card whose last attempt has
no known outcome is looked up, never sent again under a new key.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.bind.clock import Clock, SystemClock
from core.bind.outcomes import (
    BindResult,
    Bound,
    Outcome,
    Rejected,
    outcome_from_json,
    outcome_to_json,
)
from core.bind.sqlite import connect, transaction
from core.errors import UsageError
from core.i18n import _
from core.paths import data_dir

FILE_NAME = "bind.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    masked TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'void')),
    status TEXT,
    kind TEXT,
    outcome TEXT,
    counted INTEGER NOT NULL DEFAULT 0,
    batch_id INTEGER,
    row_no INTEGER,
    created_at REAL NOT NULL,
    sent_at REAL,
    done_at REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_one_open
    ON attempts (platform, card_hash) WHERE state IN ('pending', 'sent');
CREATE TABLE IF NOT EXISTS budget (
    platform TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    platform_left INTEGER,
    last_failure_at REAL,
    locked_until REAL,
    bound INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, card_hash)
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    masked TEXT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT,
    amount TEXT,
    currency TEXT,
    credited_at TEXT,
    attempts_left INTEGER,
    attempt_key TEXT,
    batch_id INTEGER,
    row_no INTEGER
);
CREATE INDEX IF NOT EXISTS history_card ON history (platform, card_hash);
CREATE TABLE IF NOT EXISTS blacklist (
    platform TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    masked TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    added_at REAL NOT NULL,
    PRIMARY KEY (platform, card_hash)
);
CREATE TABLE IF NOT EXISTS platform_state (
    platform TEXT PRIMARY KEY,
    cooldown_until REAL,
    last_bind_at REAL
);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL CHECK (state IN ('open', 'done')),
    total INTEGER NOT NULL,
    pid INTEGER
);
CREATE TABLE IF NOT EXISTS batch_rows (
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    row_no INTEGER NOT NULL,
    platform TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    masked TEXT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT,
    detail TEXT NOT NULL DEFAULT '',
    amount TEXT,
    currency TEXT,
    credited_at TEXT,
    attempts_left INTEGER,
    confirmed INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    PRIMARY KEY (batch_id, row_no)
);
"""


class StoreError(UsageError, RuntimeError):
    """The journal cannot be opened or written; the message says which file and why."""


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


def default_path() -> Path:
    return data_dir() / FILE_NAME


class Store:
    def __init__(self, path: Path | None = None, clock: Clock | None = None) -> None:
        self.path = path or default_path()
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        try:
            self._conn = connect(self.path, foreign_keys=True)
            with self.tx() as c:
                version = c.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(_(
                        "The journal {path} was written by a newer cardbind; update cardbind."
                    ).format(path=self.path))
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(_("Cannot open the journal {path}: {error}").format(
                path=self.path, error=exc)) from None
        except OSError as exc:
            raise StoreError(_("Cannot open the journal {path}: {error}").format(
                path=self.path, error=exc.strerror or exc)) from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._conn, self._lock)

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.execute(sql, args)
            cur.row_factory = sqlite3.Row
            return list(cur.fetchall())

    # -- attempts and budget --------------------------------------------------------------

    @staticmethod
    def _attempt(row: sqlite3.Row) -> Attempt:
        outcome = None
        if row["outcome"]:
            try:
                outcome = outcome_from_json(json.loads(row["outcome"]))
            except ValueError:
                outcome = None
        return Attempt(row["key"], row["platform"], row["adapter"], row["card_hash"],
                       row["masked"], row["state"], bool(row["counted"]), row["batch_id"],
                       row["row_no"], row["created_at"], outcome)

    def open_attempt(self, platform: str, card_hash: str) -> Attempt | None:
        rows = self._query(
            "SELECT * FROM attempts WHERE platform=? AND card_hash=? "
            "AND state IN ('pending', 'sent')", (platform, card_hash))
        return self._attempt(rows[0]) if rows else None

    def open_attempts(self, adapter: str | None = None) -> list[Attempt]:
        sql = "SELECT * FROM attempts WHERE state IN ('pending', 'sent')"
        args: tuple[str, ...] = ()
        if adapter is not None:
            sql += " AND adapter=?"
            args = (adapter,)
        return [self._attempt(r) for r in self._query(sql + " ORDER BY id", args)]

    def attempt(self, key: str) -> Attempt | None:
        rows = self._query("SELECT * FROM attempts WHERE key=?", (key,))
        return self._attempt(rows[0]) if rows else None

    def attempts(self, platform: str | None = None) -> list[Attempt]:
        if platform is None:
            rows = self._query("SELECT * FROM attempts ORDER BY id")
        else:
            rows = self._query("SELECT * FROM attempts WHERE platform=? ORDER BY id",
                               (platform,))
        return [self._attempt(r) for r in rows]

    def _budget(self, c: sqlite3.Connection, platform: str, card_hash: str) -> BudgetState:
        row = c.execute(
            "SELECT used, platform_left, locked_until, bound FROM budget "
            "WHERE platform=? AND card_hash=?", (platform, card_hash)).fetchone()
        if row is None:
            return BudgetState()
        used, platform_left, locked_until, bound = row
        if locked_until is not None and self.clock.time() >= locked_until:
            # The lock-out is over: the platform counts afresh, and so do we.
            c.execute("UPDATE budget SET used=0, platform_left=NULL, locked_until=NULL "
                      "WHERE platform=? AND card_hash=?", (platform, card_hash))
            return BudgetState(0, None, None, bool(bound))
        return BudgetState(used, platform_left, locked_until, bool(bound))

    def budget(self, platform: str, card_hash: str) -> BudgetState:
        with self.tx() as c:
            return self._budget(c, platform, card_hash)

    def begin_attempt(self, key: str, platform: str, adapter: str, card_hash: str,
                      masked: str, *, limit: int, batch_id: int | None = None,
                      row_no: int | None = None) -> Attempt | BudgetState:
        """Reserve one attempt of the card's budget and journal it as pending.

        Returns the budget instead when it is used up, the card is locked or bound, so
        the check and the reservation cannot be split by another process.
        """
        now = self.clock.time()
        with self.tx() as c:
            state = self._budget(c, platform, card_hash)
            left = state.left(limit)
            if state.bound or (left is not None and left <= 0) or (
                    state.locked_until is not None):
                return state
            c.execute(
                "INSERT INTO budget (platform, card_hash, used) VALUES (?, ?, 1) "
                "ON CONFLICT (platform, card_hash) DO UPDATE SET used = used + 1",
                (platform, card_hash))
            c.execute(
                "INSERT INTO attempts (key, platform, adapter, card_hash, masked, state, "
                "counted, batch_id, row_no, created_at) "
                "VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)",
                (key, platform, adapter, card_hash, masked, batch_id, row_no, now))
        return Attempt(key, platform, adapter, card_hash, masked, "pending", True,
                       batch_id, row_no, now)

    def mark_sent(self, key: str) -> None:
        with self.tx() as c:
            c.execute("UPDATE attempts SET state='sent', sent_at=? WHERE key=? "
                      "AND state IN ('pending', 'sent')", (self.clock.time(), key))

    def void_attempt(self, key: str) -> None:
        """The attempt provably never reached the platform: give its budget back."""
        with self.tx() as c:
            self._release(c, key)
            c.execute("UPDATE attempts SET state='void', done_at=? WHERE key=? "
                      "AND state IN ('pending', 'sent')", (self.clock.time(), key))

    @staticmethod
    def _release(c: sqlite3.Connection, key: str) -> None:
        row = c.execute("SELECT platform, card_hash, counted FROM attempts WHERE key=?",
                        (key,)).fetchone()
        if row and row[2]:
            c.execute("UPDATE budget SET used = MAX(0, used - 1) "
                      "WHERE platform=? AND card_hash=?", (row[0], row[1]))
            c.execute("UPDATE attempts SET counted=0 WHERE key=?", (key,))

    def finish_attempt(self, key: str, outcome: Outcome, *, counted: bool, limit: int,
                       lockout_s: float, adapter: str = "",
                       history: bool = True) -> BudgetState:
        """Record an attempt's outcome, its effect on the budget and its history row,
        all in one transaction."""
        now = self.clock.time()
        with self.tx() as c:
            row = c.execute("SELECT platform, card_hash, state, masked FROM attempts "
                            "WHERE key=?", (key,)).fetchone()
            if row is None:
                raise StoreError(f"no attempt {key}")
            platform, card_hash, state, masked = row
            if state in ("done", "void"):
                return self._budget(c, platform, card_hash)
            if not counted:
                self._release(c, key)
            record = outcome_to_json(outcome)
            # A platform's prompt can carry a verification value (the sandbox shows its SMS
            # code there); verification values are never stored.
            record.pop("prompt", None)
            c.execute(
                "UPDATE attempts SET state='done', status=?, kind=?, outcome=?, done_at=? "
                "WHERE key=?",
                (outcome.status, outcome.kind, json.dumps(record, ensure_ascii=False), now, key))
            c.execute("INSERT OR IGNORE INTO budget (platform, card_hash) VALUES (?, ?)",
                      (platform, card_hash))
            if isinstance(outcome, Bound) or (
                    isinstance(outcome, Rejected) and outcome.kind == "already_bound_self"):
                c.execute("UPDATE budget SET bound=1 WHERE platform=? AND card_hash=?",
                          (platform, card_hash))
            elif isinstance(outcome, Rejected) and counted:
                c.execute("UPDATE budget SET last_failure_at=? WHERE platform=? "
                          "AND card_hash=?", (now, platform, card_hash))
                if outcome.attempts_left is not None:
                    c.execute("UPDATE budget SET platform_left=? WHERE platform=? "
                              "AND card_hash=?", (outcome.attempts_left, platform, card_hash))
                state_now = self._budget(c, platform, card_hash)
                left = state_now.left(limit)
                if outcome.kind == "card_locked" or (left is not None and left <= 0):
                    until = now + lockout_s if lockout_s > 0 else float("inf")
                    c.execute("UPDATE budget SET locked_until=? WHERE platform=? "
                              "AND card_hash=?", (until, platform, card_hash))
            after = self._budget(c, platform, card_hash)
            if history:
                self._history(c, platform=platform, adapter=adapter, card_hash=card_hash,
                              masked=masked, outcome=outcome, attempts_left=after.left(limit),
                              key=key, now=now)
            return after

    # -- history -------------------------------------------------------------------------

    @staticmethod
    def _history(c: sqlite3.Connection, *, platform: str, adapter: str, card_hash: str,
                 masked: str, outcome: Outcome, attempts_left: int | None, key: str | None,
                 now: float) -> None:
        amount = currency = credited = None
        if isinstance(outcome, Bound):
            amount, currency = str(outcome.amount), outcome.currency
            credited = outcome.credited_at.isoformat() if outcome.credited_at else None
        batch_id = row_no = None
        if key:
            found = c.execute("SELECT batch_id, row_no FROM attempts WHERE key=?",
                              (key,)).fetchone()
            if found:
                batch_id, row_no = found
        c.execute(
            "INSERT INTO history (at, platform, adapter, card_hash, masked, status, kind, "
            "amount, currency, credited_at, attempts_left, attempt_key, batch_id, row_no) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now, platform, adapter, card_hash, masked, outcome.status, outcome.kind,
             amount, currency, credited, attempts_left, key, batch_id, row_no))

    def add_history(self, result: BindResult, adapter: str) -> None:
        with self.tx() as c:
            self._history(c, platform=result.platform, adapter=adapter,
                          card_hash=result.card_hash, masked=result.masked,
                          outcome=result.outcome, attempts_left=result.attempts_left,
                          key=result.attempt_key, now=self.clock.time())

    def history(self, limit: int | None = None) -> list[HistoryRow]:
        sql = ("SELECT at, platform, adapter, card_hash, masked, status, kind, amount, "
               "currency, credited_at, attempts_left, batch_id, row_no FROM history "
               "ORDER BY id DESC")
        rows = self._query(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [HistoryRow(*tuple(r)) for r in rows]

    def bound_amounts(self) -> list[str | None]:
        """The amounts of every card bound on this computer (for the scam check)."""
        return [r[0] for r in self._query("SELECT amount FROM history WHERE status='bound'")]

    def bound_before(self, platform: str, card_hash: str) -> bool:
        return self.budget(platform, card_hash).bound

    # -- pacing --------------------------------------------------------------------------

    def platform_times(self, platform: str) -> tuple[float | None, float | None]:
        rows = self._query("SELECT cooldown_until, last_bind_at FROM platform_state "
                           "WHERE platform=?", (platform,))
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def set_cooldown(self, platform: str, until: float) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO platform_state (platform, cooldown_until) VALUES (?, ?) "
                      "ON CONFLICT (platform) DO UPDATE SET cooldown_until = "
                      "MAX(COALESCE(cooldown_until, 0), excluded.cooldown_until)",
                      (platform, until))

    def set_last_bind(self, platform: str, at: float) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO platform_state (platform, last_bind_at) VALUES (?, ?) "
                      "ON CONFLICT (platform) DO UPDATE SET last_bind_at = excluded.last_bind_at",
                      (platform, at))

    # -- blacklist -----------------------------------------------------------------------

    def blacklist_add(self, platform: str, card_hash: str, masked: str,
                      reason: str = "") -> bool:
        with self.tx() as c:
            cur = c.execute("INSERT OR IGNORE INTO blacklist (platform, card_hash, masked, "
                            "reason, added_at) VALUES (?, ?, ?, ?, ?)",
                            (platform, card_hash, masked, reason, self.clock.time()))
            return cur.rowcount > 0

    def blacklist_remove(self, platform: str, card_hash: str) -> bool:
        with self.tx() as c:
            cur = c.execute("DELETE FROM blacklist WHERE platform=? AND card_hash=?",
                            (platform, card_hash))
            return cur.rowcount > 0

    def blacklisted(self, platform: str, card_hash: str) -> bool:
        return bool(self._query("SELECT 1 FROM blacklist WHERE platform=? AND card_hash=?",
                                (platform, card_hash)))

    def blacklist(self) -> list[tuple[str, str, str, str, float]]:
        rows = self._query("SELECT platform, card_hash, masked, reason, added_at "
                           "FROM blacklist ORDER BY added_at")
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    # -- batches -------------------------------------------------------------------------

    def create_batch(self, source: str, source_sha256: str, platform: str, adapter: str, *,
                     options: dict[str, Any],
                     rows: Sequence[tuple[int, str, str, str, str, str, bool]]) -> int:
        """rows: (row_no, platform, card_hash, masked, status, detail, confirmed)."""
        now = self.clock.time()
        with self.tx() as c:
            cur = c.execute(
                "INSERT INTO batches (created_at, updated_at, source, source_sha256, "
                "platform, adapter, options, state, total, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                (now, now, source, source_sha256, platform, adapter, json.dumps(options),
                 len(rows), os.getpid()))
            batch_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO batch_rows (batch_id, row_no, platform, card_hash, masked, "
                "status, detail, confirmed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch_id, *r, now) for r in rows])
        return batch_id

    @staticmethod
    def _batch(row: sqlite3.Row) -> BatchInfo:
        try:
            options = json.loads(row["options"])
        except ValueError:
            options = {}
        return BatchInfo(row["id"], row["created_at"], row["updated_at"], row["source"],
                         row["source_sha256"], row["platform"], row["adapter"], options,
                         row["state"], row["total"], row["pid"])

    def batch(self, batch_id: int) -> BatchInfo | None:
        rows = self._query("SELECT * FROM batches WHERE id=?", (batch_id,))
        return self._batch(rows[0]) if rows else None

    def find_batches(self, source_sha256: str | None = None,
                     source: str | None = None) -> list[BatchInfo]:
        """Batches of a file (same content, or else same path), newest first."""
        rows = self._query("SELECT * FROM batches WHERE source_sha256=? OR source=? "
                           "ORDER BY source_sha256=? DESC, id DESC",
                           (source_sha256 or "", source or "", source_sha256 or ""))
        return [self._batch(r) for r in rows]

    def open_batches(self) -> list[BatchInfo]:
        """Batches not marked done, newest first (what a restart may offer to resume)."""
        rows = self._query("SELECT * FROM batches WHERE state='open' ORDER BY id DESC")
        return [self._batch(r) for r in rows]

    def set_batch_option(self, batch_id: int, key: str, value: Any) -> None:
        """Change one option stored with a batch (e.g. "dismissed" from the resume offer)."""
        with self.tx() as c:
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
            c.execute("UPDATE batches SET options=?, updated_at=? WHERE id=?",
                      (json.dumps(options), self.clock.time(), batch_id))

    def claim_batch(self, batch_id: int) -> None:
        with self.tx() as c:
            c.execute("UPDATE batches SET pid=?, updated_at=? WHERE id=?",
                      (os.getpid(), self.clock.time(), batch_id))

    def set_batch_state(self, batch_id: int, state: str) -> None:
        with self.tx() as c:
            c.execute("UPDATE batches SET state=?, updated_at=? WHERE id=?",
                      (state, self.clock.time(), batch_id))

    def batch_rows(self, batch_id: int) -> list[BatchRowState]:
        rows = self._query(
            "SELECT batch_id, row_no, platform, card_hash, masked, status, kind, detail, "
            "amount, currency, credited_at, attempts_left, confirmed FROM batch_rows "
            "WHERE batch_id=? "
            "ORDER BY row_no", (batch_id,))
        return [BatchRowState(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                              r[10], r[11], bool(r[12])) for r in rows]

    def update_row(self, batch_id: int, row_no: int, status: str, *, kind: str | None = None,
                   detail: str = "", result: BindResult | None = None) -> None:
        amount = currency = credited = None
        left = None
        if result is not None:
            left = result.attempts_left
            if isinstance(result.outcome, Bound):
                amount = str(result.outcome.amount)
                currency = result.outcome.currency
                if result.outcome.credited_at:
                    credited = result.outcome.credited_at.isoformat()
        with self.tx() as c:
            c.execute(
                "UPDATE batch_rows SET status=?, kind=?, detail=?, amount=?, currency=?, "
                "credited_at=?, attempts_left=?, updated_at=? WHERE batch_id=? AND row_no=?",
                (status, kind, detail, amount, currency, credited, left, self.clock.time(),
                 batch_id, row_no))
