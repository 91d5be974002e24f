"""The journal file itself: one SQLite file in WAL mode under the user data dir, its
schema, and the one connection and lock every repository of this package shares.

No table holds a card code: cards are identified by their keyed hash and shown by
their masked form. Every change that must happen together is one transaction
(`tx()`) with `synchronous=FULL`, so a crash or `kill -9` at any point leaves either
the state before or the state after (docs/journal.md).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from core.bind.card_hash import migrate_journal
from core.bind.clock import Clock, SystemClock
from core.bind.sqlite import connect, transaction
from core.errors import UsageError
from core.i18n import _
from core.paths import data_dir

FILE_NAME = "bind.sqlite3"
# 2: card hashes stretched with scrypt (core.bind.card_hash.migrate_journal)
SCHEMA_VERSION = 2

SCHEMA = """
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
    cooldown_until REAL,  -- no longer read: cool-downs are kept per bind method and account
    last_bind_at REAL
);
CREATE TABLE IF NOT EXISTS cooldowns (
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    until REAL NOT NULL,
    set_at REAL NOT NULL,
    PRIMARY KEY (platform, adapter, account)
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


def default_path() -> Path:
    return data_dir() / FILE_NAME


class Journal:
    """The open journal file: what the repositories share. Threads share it behind one
    lock; a write is always a whole transaction (`tx()`)."""

    def __init__(self, path: Path | None = None, clock: Clock | None = None) -> None:
        self.path = path or default_path()
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        try:
            self._conn = connect(self.path, foreign_keys=True)
            with self.tx() as c:
                version = c.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        _(
                            "The journal {path} was written by a newer cardbind; update cardbind."
                        ).format(path=self.path)
                    )
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                if version < 2:
                    migrate_journal(c)
                c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                _("Cannot open the journal {path}: {error}").format(path=self.path, error=exc)
            ) from None
        except OSError as exc:
            raise StoreError(
                _("Cannot open the journal {path}: {error}").format(
                    path=self.path, error=exc.strerror or exc
                )
            ) from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._conn, self._lock)

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.execute(sql, args)
            cur.row_factory = sqlite3.Row
            return list(cur.fetchall())
