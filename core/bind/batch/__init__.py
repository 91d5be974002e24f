"""The batch engine: validate every row first, then bind with pacing; pause, resume and
stop from another thread; resume after a crash. The CLI and the GUI batch window are
thin layers over it.

Where the codes live: only in the input file and in memory. The journal keeps each
row's number, keyed hash, masked code and status, so `reopen` re-reads the file and
takes each pending row's code from it after checking the hash still matches; a file
that changed meanwhile cannot slip a different card into a row. (The alternative,
encrypting codes into the journal under a keyring key, would put bearer money at rest
in a second place.)

The package: what a batch is made of and where it stands (state.py), planning it
(plan.py), and here the engine that runs it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

from core.bind.batch.plan import BatchPlanner
from core.bind.batch.state import (
    FAILED,
    RUNNABLE,
    BatchProgress,
    BatchSummary,
    RowUpdate,
    row_status,
)
from core.bind.card import Card
from core.bind.clock import Cancelled, CancelToken
from core.bind.outcomes import BindResult, NeedsVerification, Refused, Rejected, RetryLater
from core.bind.service import BindService
from core.bind.store import BatchRowState
from core.i18n import _

Verifier = Callable[[int, str, NeedsVerification], "str | None"]


class BatchEngine(BatchPlanner):
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
        super().__init__(service)
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

    def _recovered(self, batch_id: int, result: BindResult) -> None:
        attempt = self.store.attempt(result.attempt_key) if result.attempt_key else None
        if attempt is None or attempt.batch_id != batch_id or attempt.row_no is None:
            return
        row = next((r for r in self.store.batch_rows(batch_id) if r.row_no == attempt.row_no), None)
        if row is not None and row.status in RUNNABLE:
            self._update(batch_id, row, row_status(result), result=result)

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
        status = row_status(result)
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
