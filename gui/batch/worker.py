"""The batch window's one worker thread and what runs in it: reading and checking a
file, reopening a batch, binding. The engine's callbacks come back as this object's
signals, queued to the GUI thread; the verification gate (gate.py) holds the worker
while the user answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QThreadPool, Signal

from core.bind.batch import BatchEngine
from core.bind.batch.state import BatchError, BatchPlan, BatchSummary
from core.bind.importer import BatchFileError, ColumnMap
from core.bind.service import BindService
from core.bind.store import StoreError
from core.secrets import SecretsUnavailable
from gui.batch.gate import VerifyGate, VerifyRequest
from gui.workers import Task, start


class Checked(NamedTuple):
    """A file read and every row checked: the plan, or why there is none."""

    plan: BatchPlan | None
    error: str
    file_problem: bool  # the error is the file's (its columns, its format)
    ledger_unknown: bool  # the practice ledger knows none of the cards


Reopened = tuple[tuple[int, BatchPlan] | None, str]  # (batch id, plan) or None, error


def check_job(
    service: BindService, source: Path, platform: str | None, columns: ColumnMap | None
) -> Callable[[], Checked]:
    """Check every row of `source`: nothing is written and nothing is sent."""

    def job() -> Checked:
        try:
            plan = BatchEngine(service).prepare(source, platform, columns=columns)
        except BatchFileError as exc:
            return Checked(None, str(exc), True, False)
        except (StoreError, SecretsUnavailable) as exc:
            return Checked(None, str(exc), False, False)
        knows = getattr(service.adapter, "knows", None)
        ready = [r.card for r in plan.rows if r.status == "ready" and r.card is not None]
        # Practice only: a ledger that knows none of the cards is the wrong ledger,
        # found out before a single attempt is spent on it.
        unknown = bool(knows is not None and ready and not any(knows(c) for c in ready))
        return Checked(plan, "", False, unknown)

    return job


def reopen_job(engine: BatchEngine, path: Path, batch_id: int) -> Callable[[], Reopened]:
    """Match the rows of `path` to batch `batch_id` in the journal."""

    def job() -> Reopened:
        try:
            return engine.reopen(path, batch_id=batch_id), ""
        except (BatchError, BatchFileError, StoreError, SecretsUnavailable) as exc:
            return None, str(exc)

    return job


def continue_job(engine: BatchEngine, source: Path, batch_id: int) -> Callable[[], BatchSummary]:
    """Go on with a stopped batch: its codes are read from the file again, here."""

    def job() -> BatchSummary:
        # A BatchError, BatchFileError, StoreError or SecretsUnavailable is a
        # UserFacingError: the worker shows it in its own words.
        same, plan = engine.reopen(source, batch_id=batch_id)
        return engine.run(same, plan.cards)

    return job


class BatchWorker(QObject):
    progressed = Signal(object)  # BatchProgress
    row_updated = Signal(object)  # RowUpdate
    asked = Signal(object)  # VerifyRequest

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.engine: BatchEngine | None = None  # the engine of the batch shown
        self.gate: VerifyGate | None = None
        self.check_task: Task | None = None  # reading and checking (or reopening) a file
        self.task: Task | None = None  # binding
        self.request: VerifyRequest | None = None  # what the user is asked, while asked
        self.stopping = False  # Stop was pressed: the run ends after the current card

    @property
    def running(self) -> bool:
        return self.task is not None

    @property
    def busy(self) -> bool:
        """Binding, or reading a file: the worker holds the service."""
        return self.task is not None or self.check_task is not None

    @property
    def paused(self) -> bool:
        return self.engine is not None and self.engine.paused

    def new_engine(self, service: BindService) -> BatchEngine:
        """An engine whose news and questions reach the GUI thread as signals."""
        self.gate = VerifyGate(self.asked.emit)
        return BatchEngine(
            service,
            on_progress=self.progressed.emit,
            on_row=self.row_updated.emit,
            verifier=self.gate,
        )

    def _start(
        self,
        job: Callable[[], Any],
        finished: Callable[[Any], None],
        failed: Callable[[str], None],
        over: Callable[[object], None],
    ) -> Task:
        task = Task(job)
        # Connected first, so the task is over when `finished` or `failed` hears of it.
        task.signals.finished.connect(over)
        task.signals.failed.connect(over)
        task.signals.finished.connect(finished)
        task.signals.failed.connect(failed)
        return start(task, self._pool)

    def check(
        self, job: Callable[[], Any], finished: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        """Read and check a file (or match it to the journal) in the worker."""
        self.check_task = self._start(job, finished, failed, self._check_over)

    def _check_over(self, _outcome: object) -> None:
        self.check_task = None

    def bind(
        self,
        engine: BatchEngine,
        job: Callable[[], BatchSummary],
        finished: Callable[[BatchSummary], None],
        failed: Callable[[str], None],
    ) -> None:
        """Run `engine`'s batch in the worker."""
        self.engine = engine
        self.stopping = False
        self.task = self._start(job, finished, failed, self._run_over)

    def _run_over(self, _outcome: object) -> None:
        self.task = None
        self.close_gate()

    def toggle_pause(self) -> None:
        if self.engine is not None:
            if self.engine.paused:
                self.engine.resume()
            else:
                self.engine.pause()

    def stop(self) -> bool:
        """Stop safely after the current card; the batch can be continued any time."""
        if self.engine is None:
            return False
        self.engine.stop()
        self.close_gate()
        self.stopping = True
        return True

    def answer(self, value: str | None) -> bool:
        """The user's answer to the pending question; None skips the card for now."""
        request = self.request
        if request is None or self.gate is None:
            return False
        self.request = None
        self.gate.answer(request, value)
        return True

    def close_gate(self) -> None:
        """No more questions: one pending is answered "skip" (the row waits for later)."""
        if self.gate is not None:
            self.gate.close()
        self.request = None

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop any run and wait for it (app quit, tests); True when nothing runs."""
        if self.engine is not None:
            self.engine.stop()
        self.close_gate()
        return self._pool.waitForDone(timeout_ms)
