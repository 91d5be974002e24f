"""How cardbind opens its SQLite files (the bind journal, the sandbox ledger): WAL with
full sync so a crash or `kill -9` loses no committed transaction, readable by the owner
only, shared by threads behind one lock, transactions explicit."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def connect(path: Path, *, foreign_keys: bool = False) -> sqlite3.Connection:
    """Open (creating it and its folder when missing) a database file; raises OSError or
    sqlite3.DatabaseError for the caller to put in words."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    # Autocommit mode: every change goes through transaction() (BEGIN IMMEDIATE).
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    if fresh:
        # Masked codes and hashes only, but still nobody else's business.
        os.chmod(path, 0o600)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    if foreign_keys:
        conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


@contextmanager
def transaction(
    conn: sqlite3.Connection,
    lock: threading.RLock,
) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken before the first read so two writers never deadlock."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
