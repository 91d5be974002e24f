"""What a batch is made of and where it stands: row statuses and their names, the plan
of a file's rows, progress, per-row updates and the summary of a run, what a batch is
bound against, and the batches left unfinished in the journal.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.bind.card import Card
from core.bind.importer import ColumnMap
from core.bind.outcomes import (
    AwaitingUser,
    BindResult,
    Bound,
    NeedsVerification,
    Rejected,
    RetryLater,
)
from core.bind.store import BatchInfo, Store
from core.errors import UsageError
from core.i18n import N_, _

# Row statuses. "Runnable" rows are bound (again) by run(); the others are settled.
RUNNABLE = frozenset({"ready", "retry_later", "unresolved", "needs_verification"})
STATUS_NAMES: dict[str, str] = {
    "ready": N_("waiting"),
    "retry_later": N_("try again later"),
    "unresolved": N_("result not known yet (will be looked up)"),
    "needs_verification": N_("needs verification"),
    "awaiting_user": N_("waiting for your report"),
    "needs_confirmation": N_("needs your confirmation"),
    "invalid": N_("cannot be bound (format)"),
    "duplicate": N_("duplicate of an earlier row"),
    "blacklisted": N_("on the blacklist"),
    "already_bound": N_("already bound before"),
    "bound": N_("bound"),
    "rejected": N_("rejected by the platform"),
    "refused": N_("not sent"),
}
FAILED = frozenset({"invalid", "rejected", "refused", "blacklisted", "duplicate"})


class BatchError(UsageError, RuntimeError):
    """A batch cannot be started or resumed; the message is translated."""


@dataclass(frozen=True, repr=False)
class PlannedRow:
    row_no: int
    platform: str
    masked: str
    card_hash: str
    status: str
    detail: str = ""
    confirmed: bool = False
    card: Card | None = None  # in memory only

    def __repr__(self) -> str:
        return f"PlannedRow({self.row_no}, {self.masked}, {self.status})"


@dataclass
class BatchPlan:
    source: Path
    sha256: str
    platform: str
    rows: list[PlannedRow]
    encoding: str = ""
    columns: ColumnMap | None = None  # chosen by the user (None: as the header says)
    default_platform: str | None = None  # for rows without a platform of their own

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def confirm(self, keys: Iterable[tuple[int, str]]) -> int:
        """The user checked these rows (row number, card hash) that needed confirmation:
        they become ready. A key that no longer matches its row (the file changed) does
        nothing. Returns how many rows changed."""
        wanted = set(keys)
        changed = 0
        for i, r in enumerate(self.rows):
            if (
                (r.row_no, r.card_hash) in wanted
                and r.status == "needs_confirmation"
                and r.card is not None
            ):
                self.rows[i] = dataclasses.replace(r, status="ready", detail="", confirmed=True)
                changed += 1
        return changed

    @property
    def cards(self) -> dict[int, Card]:
        return {r.row_no: r.card for r in self.rows if r.card is not None}


@dataclass(frozen=True)
class BatchProgress:
    batch_id: int
    total: int
    done: int  # rows settled (bound, rejected, skipped…)
    bound: int
    failed: int
    pending: int
    state: str  # running | paused | waiting | stopped | finished
    eta_s: float | None = None
    wait_s: float = 0.0
    current: str = ""  # masked code of the card being bound


@dataclass(frozen=True)
class RowUpdate:
    batch_id: int
    row_no: int
    masked: str
    status: str
    result: BindResult | None = None
    detail: str = ""


@dataclass
class BatchSummary:
    batch_id: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    finished: bool = False  # no row is left to bind
    stopped: bool = False
    error: str = ""  # why the run stopped early (bind method not usable…)

    @property
    def bound(self) -> int:
        return self.counts.get("bound", 0)


def target_of(adapter: object) -> str:
    """What a batch binds against: the bind method, with the sandbox's ledger file or the
    bind service's address. The same file bound against two ledgers is two batches."""
    name = str(getattr(adapter, "name", ""))
    ledger = getattr(adapter, "ledger", None)
    if ledger is not None and getattr(ledger, "path", None) is not None:
        return f"{name}:{Path(ledger.path).resolve()}"
    url = getattr(adapter, "base_url", "")
    return f"{name}:{url}" if url else name


def row_status(result: BindResult) -> str:
    """The status a bind's result leaves its row in."""
    o = result.outcome
    if isinstance(o, Bound):
        return "bound"
    if isinstance(o, Rejected):
        return "already_bound" if o.kind == "already_bound_self" else "rejected"
    if isinstance(o, NeedsVerification):
        return "needs_verification"
    if isinstance(o, RetryLater):
        return "unresolved" if o.unresolved else "retry_later"
    if isinstance(o, AwaitingUser):
        return "awaiting_user"
    return {
        "already_bound_self": "already_bound",
        "blacklisted": "blacklisted",
        "invalid_code": "invalid",
        "needs_confirmation": "needs_confirmation",
    }.get(o.kind, "refused")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def held_elsewhere(info: BatchInfo) -> bool:
    """Another cardbind process, still alive, claimed this batch."""
    return bool(info.pid and info.pid != os.getpid() and _alive(info.pid))


def status_name(status: str) -> str:
    return _(STATUS_NAMES.get(status, status))


@dataclass(frozen=True)
class Unfinished:
    """A batch that stopped before every card was settled (a crash, a stop, a quit)."""

    info: BatchInfo
    total: int
    done: int
    bound: int
    pending: int
    running_elsewhere: bool  # another cardbind process holds it right now

    @property
    def file_name(self) -> str:
        return Path(self.info.source).name


def unfinished_batches(store: Store) -> list[Unfinished]:
    """Open batches with cards still to bind, newest first; ones the user put aside
    (`set_batch_option(id, "dismissed", True)`) are left out."""
    found: list[Unfinished] = []
    for info in store.open_batches():
        if info.options.get("dismissed"):
            continue
        rows = store.batch_rows(info.id)
        pending = sum(1 for r in rows if r.status in RUNNABLE)
        if not pending:
            continue
        found.append(
            Unfinished(
                info,
                len(rows),
                len(rows) - pending,
                sum(1 for r in rows if r.status == "bound"),
                pending,
                held_elsewhere(info),
            )
        )
    return found
