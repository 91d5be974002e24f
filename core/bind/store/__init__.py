"""The crash-safe journal, attempt budget, history, blacklist and batches: one SQLite
file in WAL mode under the user data dir (docs/journal.md).

One repository per concern, all over the one connection of `Journal` (journal.py, which
also holds the schema): `Attempts` (attempts.py: attempts and each card's budget, the
crash rules), `History`, `Pacing` (pacing and cool-downs), `Blacklist` and `Batches`. `Store` is
the face the rest of cardbind uses: it opens the journal, and its methods are the
repositories' own.
"""

from __future__ import annotations

from pathlib import Path

from core.bind.clock import Clock
from core.bind.store.attempts import Attempt, Attempts, BudgetState
from core.bind.store.batches import Batches, BatchInfo, BatchRowState
from core.bind.store.blacklist import Blacklist
from core.bind.store.history import History, HistoryRow
from core.bind.store.journal import (
    FILE_NAME,
    SCHEMA_VERSION,
    Journal,
    StoreError,
    default_path,
)
from core.bind.store.pacing import Cooldown, Pacing

__all__ = [
    "FILE_NAME",
    "SCHEMA_VERSION",
    "Attempt",
    "BatchInfo",
    "BatchRowState",
    "BudgetState",
    "Cooldown",
    "HistoryRow",
    "Store",
    "StoreError",
    "default_path",
]


class Store:
    """The journal and its repositories, with the one API callers use."""

    def __init__(self, path: Path | None = None, clock: Clock | None = None) -> None:
        self.journal = Journal(path, clock)
        self.path = self.journal.path
        self.clock = self.journal.clock
        self.tx = self.journal.tx
        self.close = self.journal.close
        attempts = Attempts(self.journal)
        self.open_attempt = attempts.open_attempt
        self.open_attempts = attempts.open_attempts
        self.attempt = attempts.attempt
        self.attempts = attempts.attempts
        self.budget = attempts.budget
        self.bound_before = attempts.bound_before
        self.begin_attempt = attempts.begin_attempt
        self.mark_sent = attempts.mark_sent
        self.void_attempt = attempts.void_attempt
        self.finish_attempt = attempts.finish_attempt
        history = History(self.journal)
        self.add_history = history.add
        self.history = history.rows
        self.bound_amounts = history.bound_amounts
        pacing = Pacing(self.journal)
        self.last_bind = pacing.last_bind
        self.set_last_bind = pacing.set_last_bind
        self.set_cooldown = pacing.set_cooldown
        self.cooldown_left = pacing.cooldown_left
        self.cooldowns = pacing.cooldowns
        self.clear_cooldowns = pacing.clear_cooldowns
        blacklist = Blacklist(self.journal)
        self.blacklist_add = blacklist.add
        self.blacklist_remove = blacklist.remove
        self.blacklisted = blacklist.contains
        self.blacklist = blacklist.entries
        batches = Batches(self.journal)
        self.create_batch = batches.create_batch
        self.batch = batches.batch
        self.find_batches = batches.find_batches
        self.open_batches = batches.open_batches
        self.set_batch_option = batches.set_batch_option
        self.claim_batch = batches.claim_batch
        self.set_batch_state = batches.set_batch_state
        self.batch_rows = batches.batch_rows
        self.update_row = batches.update_row

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
