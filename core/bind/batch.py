"""The batch engine: validate every row first, then bind with pacing; pause, resume and
stop from another thread; resume after a crash. The CLI and the GUI batch window are
thin layers over it.

Where the codes live: only in the input file and in memory. The journal keeps each
row's number, keyed hash, masked code and status, so `reopen` re-reads the file and
takes each pending row's code from it after checking the hash still matches; a file
that changed meanwhile cannot slip a different card into a row. (The alternative,
encrypting codes into the journal under a keyring key, would put bearer money at rest
in a second place.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.bind.card import Card
from core.bind.clock import Cancelled, CancelToken
from core.bind.importer import ColumnMap, InputRow, file_sha256, read_batch_file
from core.bind.outcomes import (
    AwaitingUser,
    BindResult,
    Bound,
    NeedsVerification,
    Refused,
    Rejected,
    RetryLater,
)
from core.bind.service import BindService
from core.bind.store import BatchInfo, BatchRowState, Store
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import get_profile
from core.errors import UsageError
from core.i18n import N_, _

log = logging.getLogger(__name__)

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

Verifier = Callable[[int, str, NeedsVerification], "str | None"]


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


class BatchEngine:
    def __init__(
        self,
        service: BindService,
        *,
        on_progress: Callable[[BatchProgress], None] | None = None,
        on_row: Callable[[RowUpdate], None] | None = None,
        verifier: Verifier | None = None,
        max_passes: int = 3,
        max_waits: int = 5,
    ) -> None:
        self.service = service
        self.store = service.store
        self.clock = service.clock
        self.on_progress = on_progress
        self.on_row = on_row
        self.verifier = verifier
        self.max_passes = max_passes
        self.max_waits = max_waits
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._cancel = CancelToken()
        self._state = "running"

    # -- control, from any thread ------------------------------------------------------------

    def pause(self) -> None:
        """Hold before the next card; run() waits in place until resume() or stop()."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        """Stop soon: a bind not yet sent is not sent; the batch stays resumable."""
        self._stop.set()
        self._cancel.cancel()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # -- planning ----------------------------------------------------------------------------

    def prepare(
        self,
        path: Path,
        platform: str | None = None,
        *,
        confirm_guides: bool = False,
        columns: ColumnMap | None = None,
    ) -> BatchPlan:
        """Read and check every row; nothing is written and nothing is sent."""
        imported = read_batch_file(path, platform, columns)
        rows: list[PlannedRow] = [
            PlannedRow(p.row_no, platform or "", "", "", "invalid", p.message)
            for p in imported.problems
        ]
        seen: dict[tuple[str, str], int] = {}
        for row in imported.rows:
            rows.append(self._plan_row(row, seen, confirm_guides))
        rows.sort(key=lambda r: r.row_no)
        platforms = {r.platform for r in imported.rows}
        batch_platform = platform or (platforms.pop() if len(platforms) == 1 else "mixed")
        return BatchPlan(
            path, imported.sha256, batch_platform, rows, imported.encoding, columns, platform
        )

    def _plan_row(
        self, row: InputRow, seen: dict[tuple[str, str], int], confirm_guides: bool
    ) -> PlannedRow:
        profile = get_profile(row.platform)
        checked = check_code(row.pin, profile, "pin", source="pasted")
        masked = mask_code(checked.value or row.pin)
        if not checked.ok:
            return PlannedRow(
                row.row_no, profile.id, masked, "", "invalid", checked.by_tier("block")[0].message
            )
        number = ""
        if "card_number" in profile.fields:
            fmt = profile.fields["card_number"]
            if row.card_number:
                checked_number = check_code(
                    row.card_number, profile, "card_number", source="pasted"
                )
                if not checked_number.ok:
                    return PlannedRow(
                        row.row_no,
                        profile.id,
                        masked,
                        "",
                        "invalid",
                        checked_number.by_tier("block")[0].message,
                    )
                number = checked_number.value
            elif fmt.required:
                return PlannedRow(
                    row.row_no,
                    profile.id,
                    masked,
                    "",
                    "invalid",
                    _("{platform} also needs the card number.").format(
                        platform=profile.display_name()
                    ),
                )
        card = Card(profile.id, checked.value, number, row.account)
        card_hash = self.service.hasher.card(card)
        key = (profile.id, card_hash)
        if key in seen:
            return PlannedRow(
                row.row_no,
                profile.id,
                masked,
                card_hash,
                "duplicate",
                _("Same card as row {row}.").format(row=seen[key]),
            )
        seen[key] = row.row_no
        if self.store.blacklisted(profile.id, card_hash):
            return PlannedRow(row.row_no, profile.id, masked, card_hash, "blacklisted")
        if self.store.budget(profile.id, card_hash).bound:
            return PlannedRow(row.row_no, profile.id, masked, card_hash, "already_bound")
        if checked.needs_confirmation and not confirm_guides:
            return PlannedRow(
                row.row_no,
                profile.id,
                masked,
                card_hash,
                "needs_confirmation",
                checked.by_tier("guide")[0].message,
                card=card,
            )
        if not confirm_guides and self.store.last_kind(profile.id, card_hash) == "not_found":
            # Sending a code the platform did not know again spends an attempt on a
            # guess (rule 1): only after the user compared it with the card.
            return PlannedRow(
                row.row_no,
                profile.id,
                masked,
                card_hash,
                "needs_confirmation",
                _(
                    "Last time the platform found no card with this code. "
                    "Compare it with the card before it is sent again."
                ),
                card=card,
            )
        return PlannedRow(
            row.row_no,
            profile.id,
            masked,
            card_hash,
            "ready",
            confirmed=checked.needs_confirmation,
            card=card,
        )

    def start(self, plan: BatchPlan, options: Mapping[str, Any] | None = None) -> int:
        """Journal the plan (no codes) and return the batch id. How the file was read
        (columns, default platform) goes with it, so a resume reads it the same way."""
        stored = dict(options or {})
        stored["target"] = target_of(self.service.adapter)
        # Which key hashed the rows: a resume under another key could not match them.
        stored["key_id"] = self.service.hasher.key_id()
        if plan.columns is not None:
            stored["columns"] = plan.columns.to_json()
        if plan.default_platform:
            stored["default_platform"] = plan.default_platform
        return self.store.create_batch(
            str(plan.source.resolve()),
            plan.sha256,
            plan.platform,
            self.service.adapter.name,
            options=stored,
            rows=[
                (r.row_no, r.platform, r.card_hash, r.masked, r.status, r.detail, r.confirmed)
                for r in plan.rows
            ],
        )

    def find(self, path: Path, plan: BatchPlan | None = None) -> BatchInfo | None:
        """The newest batch of this file (same content, or else same path) bound against
        the same ledger or service as this engine's: the same codes made again into a
        new sandbox ledger are a new batch, not the old one."""
        sha = plan.sha256 if plan else None
        if sha is None:
            sha = file_sha256(path)
        found = self.store.find_batches(sha, str(path.resolve()))
        target = target_of(self.service.adapter)
        return next((b for b in found if b.options.get("target", target) == target), None)

    def reopen(
        self,
        path: Path,
        platform: str | None = None,
        *,
        columns: ColumnMap | None = None,
        batch_id: int | None = None,
    ) -> tuple[int, BatchPlan]:
        """Resume after a crash or a stop: match the file's rows to the journal by hash.

        `batch_id` names the batch (the GUI's resume offer); without it, the newest batch
        of this file. Columns and default platform come from the batch unless given.
        """
        if batch_id is not None:
            info = self.store.batch(batch_id)
            if info is None:
                raise BatchError(_("Batch {id} is not in the journal.").format(id=batch_id))
            if file_sha256(path) != info.source_sha256 and str(path.resolve()) != info.source:
                raise BatchError(
                    _(
                        "{file} is not the file of batch {id}: its content is "
                        "different. Choose the file the batch was started "
                        "with."
                    ).format(file=path.name, id=batch_id)
                )
        else:
            info = self.find(path)
        if info is None:
            raise BatchError(
                _("No earlier batch of {file} was found; start it without --resume.").format(
                    file=path.name
                )
            )
        if info.pid and info.pid != os.getpid() and info.state == "open" and _alive(info.pid):
            raise BatchError(
                _("This batch is running in another cardbind (process {pid}).").format(pid=info.pid)
            )
        key_id = info.options.get("key_id")
        if (
            key_id
            and key_id != self.service.hasher.key_id()
            and any(r.status in RUNNABLE for r in self.store.batch_rows(info.id))
        ):
            # Most often practice without a password store: its key lived only as long as
            # the cardbind that started the batch.
            raise BatchError(
                _(
                    "Batch {id} was started under another card-hash key (a "
                    "practice run without a system password store keeps its key "
                    "only while it runs), so its rows cannot be matched to the "
                    "file again. Start the batch afresh: cards already bound are "
                    "refused, never bound twice."
                ).format(id=info.id)
            )
        if columns is None:
            columns = ColumnMap.from_json(info.options.get("columns"))
        if platform is None:
            stored = info.options.get("default_platform")
            platform = stored if isinstance(stored, str) and stored else None
        plan = self.prepare(path, platform, confirm_guides=True, columns=columns)
        by_row = {r.row_no: r for r in plan.rows}
        for state in self.store.batch_rows(info.id):
            if state.status not in RUNNABLE:
                continue
            now = by_row.get(state.row_no)
            if (
                now is not None
                and now.card is None
                and now.card_hash == state.card_hash
                and now.status in ("already_bound", "blacklisted")
            ):
                # Settled since the row was journaled: most often a crash between the
                # bind's outcome and the row's update.
                self._settle(info.id, state, now.status)
            elif now is None or now.card is None or now.card_hash != state.card_hash:
                self.store.update_row(
                    info.id,
                    state.row_no,
                    "invalid",
                    detail=_(
                        "Row {row} is not the same card as when the batch started; the file "
                        "changed."
                    ).format(row=state.row_no),
                )
        return info.id, plan

    def _bound_by(self, batch_id: int, row: BatchRowState) -> BindResult | None:
        """The result of an attempt of this very row that bound the card, if any."""
        for attempt in reversed(self.store.attempts(row.platform)):
            if (
                attempt.batch_id == batch_id
                and attempt.row_no == row.row_no
                and attempt.card_hash == row.card_hash
                and isinstance(attempt.outcome, Bound)
            ):
                return BindResult(
                    attempt.outcome, row.platform, row.masked, row.card_hash, attempt.key, sent=True
                )
        return None

    def _settle(self, batch_id: int, row: BatchRowState, status: str) -> None:
        """Record a row whose card is bound (or blacklisted) already: "bound" when an
        attempt of this very row bound it, else what the card is now."""
        result = self._bound_by(batch_id, row)
        if result is not None:
            self.store.update_row(batch_id, row.row_no, "bound", result=result)
        else:
            self.store.update_row(batch_id, row.row_no, status)

    def _recovered(self, batch_id: int, result: BindResult) -> None:
        attempt = self.store.attempt(result.attempt_key) if result.attempt_key else None
        if attempt is None or attempt.batch_id != batch_id or attempt.row_no is None:
            return
        row = next((r for r in self.store.batch_rows(batch_id) if r.row_no == attempt.row_no), None)
        if row is not None and row.status in RUNNABLE:
            self._update(batch_id, row, _status(result), result=result)

    # -- running -----------------------------------------------------------------------------

    def progress(
        self,
        batch_id: int,
        state: str | None = None,
        *,
        eta_s: float | None = None,
        wait_s: float = 0.0,
        current: str = "",
    ) -> BatchProgress:
        rows = self.store.batch_rows(batch_id)
        pending = sum(1 for r in rows if r.status in RUNNABLE)
        return BatchProgress(
            batch_id,
            len(rows),
            len(rows) - pending,
            sum(1 for r in rows if r.status == "bound"),
            sum(1 for r in rows if r.status in FAILED),
            pending,
            state or self._state,
            eta_s,
            wait_s,
            current,
        )

    def _emit(self, batch_id: int, **kwargs: Any) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress(batch_id, **kwargs))

    def run(self, batch_id: int, cards: Mapping[int, Card]) -> BatchSummary:
        """Bind every runnable row; returns when all are settled, or on stop()."""
        self._state = "running"
        self.store.claim_batch(batch_id)
        summary = BatchSummary(batch_id, 0)
        try:
            for recovered in self.service.recover(self._cancel):
                # An attempt a crash left without an outcome: its row learns it now.
                self._recovered(batch_id, recovered)
            started = self.clock.monotonic()
            handled = 0
            for pass_no in range(self.max_passes):
                rows = [
                    r
                    for r in self.store.batch_rows(batch_id)
                    if r.status in RUNNABLE and (pass_no == 0 or r.status != "needs_verification")
                ]
                if not rows:
                    break
                for row in rows:
                    if not self._running.is_set():
                        self._state = "paused"
                        self._emit(batch_id)
                        self._running.wait()
                        self._state = "running"
                    if self._stop.is_set():
                        break
                    remaining = self.progress(batch_id).pending
                    eta = None
                    if handled:
                        eta = (self.clock.monotonic() - started) / handled * remaining
                    self._emit(batch_id, eta_s=eta, current=row.masked)
                    error = self._bind_row(batch_id, row, cards.get(row.row_no))
                    handled += 1
                    if error:
                        summary.error = error
                        self._stop.set()
                        break
                if self._stop.is_set():
                    break
        finally:
            rows_now = self.store.batch_rows(batch_id)
            summary.total = len(rows_now)
            for r in rows_now:
                summary.counts[r.status] = summary.counts.get(r.status, 0) + 1
            summary.finished = not any(r.status in RUNNABLE for r in rows_now)
            summary.stopped = self._stop.is_set() and not summary.finished
            if summary.finished:
                self.store.set_batch_state(batch_id, "done")
            self._state = "finished" if summary.finished else "stopped"
            self._emit(batch_id)
        return summary

    def _bind_row(self, batch_id: int, row: BatchRowState, card: Card | None) -> str:
        """Bind one row to a settled (or resumable) status; returns a fatal error or ""."""
        if card is None:
            self._update(
                batch_id,
                row,
                "invalid",
                detail=_("Row {row} is not in the file any more.").format(row=row.row_no),
            )
            return ""
        values: dict[str, str] = {}
        waits = wrong = 0
        while True:
            result = self.service.bind(
                card,
                verification=values,
                confirmed=row.confirmed,
                cancel=self._cancel,
                batch_id=batch_id,
                row_no=row.row_no,
            )
            outcome = result.outcome
            if isinstance(outcome, NeedsVerification) and self.verifier is not None:
                value = self.verifier(row.row_no, row.masked, outcome)
                if value:
                    values[outcome.verification] = value
                    continue
            if (
                isinstance(outcome, Rejected)
                and outcome.kind == "verification_failed"
                and values
                and self.verifier is not None
                and wrong < self.max_waits
                and not self._stop.is_set()
            ):
                # A wrong or expired value costs the card nothing: a fresh challenge.
                wrong += 1
                values = {}
                continue
            if (
                isinstance(outcome, RetryLater)
                and not outcome.unresolved
                and outcome.kind in ("too_frequent", "platform_fault")
                and waits < self.max_waits
                and not self._stop.is_set()
            ):
                waits += 1
                self._state = "waiting"
                self._emit(batch_id, wait_s=outcome.after_s, current=row.masked)
                with contextlib.suppress(Cancelled):
                    self.clock.sleep(outcome.after_s, self._cancel)
                self._state = "running"
                if not self._stop.is_set():
                    continue
            break
        if isinstance(outcome, Refused) and outcome.kind == "cancelled":
            return ""  # stopped before sending: the row stays as it was
        status = _status(result)
        own = self._bound_by(batch_id, row) if status == "already_bound" else None
        if own is not None:
            # Bound by this very row before a crash cut the journal short.
            self._update(batch_id, row, "bound", result=own)
        else:
            self._update(batch_id, row, status, result=result)
        if isinstance(outcome, Refused) and outcome.kind == "adapter_unavailable":
            return outcome.detail or result.summary()
        return ""

    def _update(
        self,
        batch_id: int,
        row: BatchRowState,
        status: str,
        *,
        result: BindResult | None = None,
        detail: str = "",
    ) -> None:
        kind = result.kind if result is not None else None
        if result is not None and not detail:
            outcome = result.outcome
            detail = outcome.detail if isinstance(outcome, Refused) else ""
        self.store.update_row(batch_id, row.row_no, status, kind=kind, detail=detail, result=result)
        if self.on_row is not None:
            self.on_row(RowUpdate(batch_id, row.row_no, row.masked, status, result, detail))


def _status(result: BindResult) -> str:
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
        elsewhere = bool(info.pid and info.pid != os.getpid() and _alive(info.pid))
        found.append(
            Unfinished(
                info,
                len(rows),
                len(rows) - pending,
                sum(1 for r in rows if r.status == "bound"),
                pending,
                elsewhere,
            )
        )
    return found
