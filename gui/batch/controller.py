"""What a batch window does, without its widgets: the file, the check of every row, the
fixes, the engine and its worker, the verification gate, and the state (state.py).

It is a thin layer over `core.bind.batch.BatchEngine`, the engine `cardbind batch`
uses. Full codes live only in the input file and in memory while binding (the plan
goes to the worker when binding starts); the rows, the journal and the exported
results hold masked codes. A row fixed here is written to a corrected copy of the file
(`….corrected.csv` next to it), which the batch then reads — so even fixes live in a
file the user owns, never in cardbind's journal (docs/journal.md).

The window listens to its signals and calls its methods; the controller speaks to the
user through the message bridge, as its window (its parent). Its parts: the bind
service, the practice ledger and what the journal knows (service.py), fixing a row
(corrections.py), and what runs in the worker thread — the engine, its tasks and the
verification gate (worker.py, gate.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.bind.batch import BatchEngine
from core.bind.batch.state import BatchPlan, BatchProgress, BatchSummary, RowUpdate
from core.bind.importer import (
    BatchFileError,
    ColumnMap,
    TablePreview,
    preview_columns,
)
from core.bind.service import BindService
from core.bind.store import StoreError
from core.i18n import _
from gui import messages
from gui.batch.corrections import Corrections
from gui.batch.gate import VerifyRequest
from gui.batch.rows import (
    NEEDS_LOOK,
    BatchRowsModel,
    FixRequest,
    RowFix,
    from_journal,
    from_plan,
    update_detail,
)
from gui.batch.service import BatchService, MakePracticeService, MakeService
from gui.batch.state import State
from gui.batch.worker import BatchWorker, Checked, Reopened, check_job, continue_job, reopen_job

log = logging.getLogger(__name__)


class BatchController(QObject):
    state_changed = Signal(object)  # State (also when it stays the same: a fresh look)
    progressed = Signal(object)  # BatchProgress, or the last one again after a pause
    verification_asked = Signal(object)  # VerifyRequest
    row_chosen = Signal(int, bool)  # row number to select; whether it takes the focus
    settled = Signal()  # a check, a reopen or a run ended: the summary is news
    close_ready = Signal()  # the window asked to close while busy; nothing runs now

    def __init__(
        self,
        make_service: MakeService,
        batch_platform: str,
        parent: QObject | None = None,
        *,
        make_practice_service: MakePracticeService | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = BatchService(make_service, make_practice_service, self)
        # The practice ledger knows none of the file's cards: binding waits for the user
        # to choose the ledger the file was made for.
        self.ledger_unknown = False
        self.worker = BatchWorker(self)
        self.worker.progressed.connect(self._progress)
        self.worker.row_updated.connect(self._row_update)
        self.worker.asked.connect(self._ask)
        self.model = BatchRowsModel()
        self.state = State.FILE
        self.batch_platform = batch_platform  # for files without a card type column
        self.original: Path | None = None  # the file the user chose
        self.source: Path | None = None  # the file the batch reads (maybe a corrected copy)
        self.own_copy: Path | None = None  # the corrected copy this window wrote
        self.preview: TablePreview | None = None
        self.columns: ColumnMap | None = None  # explicit columns (None: as the header says)
        self.default_platform: str | None = None
        self.plan: BatchPlan | None = None  # holds full codes: only until binding starts
        self.confirmed: set[tuple[int, str]] = set()
        self.fixing: FixRequest | None = None
        self.batch_id: int | None = None
        self.summary: BatchSummary | None = None
        self.last_progress: BatchProgress | None = None
        self.locate_batch: int | None = None
        self.close_when_done = False
        self.wait_text: Callable[[], str] = lambda: ""
        self._after_check: Callable[[BatchPlan], None] | None = None
        self._reopening: BatchEngine | None = None
        self.corrections = Corrections(self, self)

    def _set_state(self, state: State) -> None:
        self.state = state
        self.state_changed.emit(state)

    @property
    def busy(self) -> bool:
        """Binding, or reading a file: the worker holds the service."""
        return self.worker.busy

    # -- the service (service.py) -----------------------------------------------------------

    def service(self) -> BindService:
        return self.services.get()

    def practice_ledger(self) -> Path | None:
        """The sandbox ledger the batch binds against (None: not the sandbox)."""
        return self.services.practice_ledger()

    def _switch_ledger(self, ledger: Path) -> bool:
        if self.busy or not self.services.switch_to(ledger):
            return False
        self.worker.engine = None
        return True

    def _ledger_made_for(self, path: Path) -> None:
        """A file made by `cardbind sandbox init` binds against the ledger it was made for,
        whatever ledger Settings names; the user is told."""
        made_for = self.services.ledger_made_for(path)
        if made_for is not None and self._switch_ledger(made_for):
            messages.info(
                _(
                    "{file} was made by “cardbind sandbox init” for the practice ledger "
                    "{ledger}; this batch binds against that ledger."
                ).format(file=path.name, ledger=made_for),
                self,
            )

    def use_ledger(self, ledger: Path) -> bool:
        """The user chose the practice ledger for this file: check the rows against it."""
        if self.state is not State.CHECK or not ledger.is_file():
            return False
        if not self._switch_ledger(ledger):
            return False
        return self.validate()

    # -- 1. the file ------------------------------------------------------------------------

    def open_file(self, path: Path) -> None:
        """A file chosen or dropped: the moved file of a batch, or a new one."""
        if self.state is State.LOCATE and self.locate_batch is not None:
            self.resume_batch(self.locate_batch, path)
        else:
            self.load_file(path)

    def load_file(self, path: Path) -> bool:
        """Read a file: on to the column choice (header not recognized) or the check."""
        if self.state in (State.RUNNING, State.FIX) or self.busy:
            return False
        messages.dismiss(self)
        try:
            preview = preview_columns(path)
        except BatchFileError as exc:
            messages.error(str(exc), self)
            return False
        self._ledger_made_for(path)
        if self._offer_unfinished(path):
            return True
        self.original = self.source = path
        self.own_copy = None
        self.preview = preview
        self.columns = None
        self.confirmed = set()
        self.batch_id = None
        self.summary = None
        if preview.found is None:
            self.show_columns()
            return True
        return self.validate()

    def _offer_unfinished(self, path: Path) -> bool:
        """A file with an unfinished batch continues it (as `cardbind batch --resume`)."""
        if self.services.usable() is None:
            return True
        batch_id = self.services.unfinished_batch(path)
        if batch_id is None:
            return False
        messages.info(
            _(
                "This file has an unfinished batch; here it is. Cards "
                "already bound are never sent again."
            ),
            self,
        )
        self.resume_batch(batch_id, path)
        return True

    def columns_in_use(self) -> ColumnMap | None:
        """The columns the file is read with: those the user chose, or as its header says."""
        return self.columns or (self.preview.found if self.preview else None)

    def _platform_for_file(self) -> str | None:
        """The batch's card type, for files without a card type column."""
        columns = self.columns_in_use()
        if columns is not None and columns.platform is not None:
            return None
        return self.batch_platform or "jd"

    # -- 2. columns -------------------------------------------------------------------------

    def show_columns(self) -> None:
        if self.preview is not None:
            self._set_state(State.COLUMNS)

    def change_columns(self) -> None:
        if self.own_copy is not None:
            messages.info(
                _(
                    "Columns cannot be changed after a fix: the corrected copy "
                    "follows these columns. Choose your file again to start over."
                ),
                self,
            )
            return
        self.show_columns()

    def columns_back(self) -> None:
        if self.plan is not None:
            self._set_state(State.CHECK)
        else:
            self.new_batch()

    def apply_columns(self, columns: ColumnMap | None) -> bool:
        if columns is None:
            return False
        self.columns = columns
        return self.validate()

    # -- 3. check every row -----------------------------------------------------------------

    def validate(self, after: Callable[[BatchPlan], None] | None = None) -> bool:
        """Check every row of the source in the background (a big file takes seconds);
        nothing is written and nothing is sent. `after` runs once the rows are shown."""
        if self.source is None or self.busy or self.services.usable() is None:
            return False
        self.default_platform = self._platform_for_file()
        source = self.source
        job = check_job(self.service(), source, self.default_platform, self.columns)
        self._after_check = after
        name = (self.original or source).name
        self._wait(
            lambda: _("Checking every row of {file}… Nothing is sent yet.").format(file=name)
        )
        self.worker.check(job, self._checked, self._check_failed)
        return True

    def _wait(self, text: Callable[[], str]) -> None:
        """The rows page while the file is read in the background."""
        self.plan = None
        self.wait_text = text
        self.model.set_rows([])
        self._set_state(State.CHECKING)

    def _closing(self) -> bool:
        """The window waited for the worker to close: tell it, and do nothing more."""
        if self.close_when_done:
            self.close_ready.emit()
        return self.close_when_done

    def _checked(self, outcome: Checked) -> None:
        plan, error, file_problem, self.ledger_unknown = outcome
        if self._closing():
            return
        if plan is None:
            self._check_failed(error, file_problem=file_problem)
            return
        plan.confirm(self.confirmed)
        self.plan = plan
        self.model.set_rows(from_plan(plan.rows))
        self._set_state(State.CHECK)
        if self.ledger_unknown:
            messages.warning(
                _(
                    "None of the cards in {file} is in the practice ledger {ledger}. Choose "
                    "the ledger the file was made for with “Choose the practice ledger”; "
                    "nothing is sent until then."
                ).format(file=(self.original or plan.source).name, ledger=self.practice_ledger()),
                self,
            )
        first = next((r for r in self.model.rows if r.status in NEEDS_LOOK), None)
        if first is not None:
            self.row_chosen.emit(first.row_no, False)
        self.settled.emit()
        after, self._after_check = self._after_check, None
        if after is not None:
            after(plan)

    def _check_failed(self, text: str, *, file_problem: bool = False) -> None:
        self._after_check = None
        if self._closing():
            return
        messages.error(text, self)
        if file_problem and self.preview is not None:
            self._set_state(State.COLUMNS)
        else:
            self._set_state(State.FILE)

    def fix_row(self, row_no: int) -> bool:
        """Open the row's fix page (corrections.py)."""
        return self.corrections.open(row_no)

    def cancel_fix(self) -> None:
        self.corrections.cancel()

    def save_fix(self, fix: RowFix | None) -> bool:
        return self.corrections.save(fix)

    # -- 4. binding -------------------------------------------------------------------------

    def start_binding(self) -> bool:
        plan = self.plan
        if self.state is not State.CHECK or plan is None or not plan.count("ready"):
            return False
        if self.ledger_unknown:
            return False
        if self.services.usable() is None:
            return False
        engine = self.worker.new_engine(self.service())
        options: dict[str, Any] = {"started_from": "gui"}
        if self.own_copy is not None and self.original is not None:
            options["corrected_from"] = self.original.name
        try:
            batch_id = engine.start(plan, options)
        except StoreError as exc:
            messages.error(str(exc), self)
            return False
        self.batch_id = batch_id
        self._run(engine, batch_id, plan)
        return True

    def resume_batch(self, batch_id: int, path: Path | None = None) -> bool:
        """Reopen an unfinished batch (the resume offer, or its file chosen again)."""
        if self.busy:
            messages.warning(
                _("A batch is running in this window; wait for it or stop it first."), self
            )
            return False
        service = self.services.usable()
        if service is None:
            return False
        info = service.store.batch(batch_id)
        if info is None:
            messages.error(_("Batch {id} is not in the journal.").format(id=batch_id), self)
            return False
        # A practice batch goes on against the ledger it was started with.
        ledger = self.services.ledger_of(info)
        if ledger is not None and self._switch_ledger(ledger):
            service = self.service()
        path = path or Path(info.source)
        if not path.is_file():
            self.locate_batch = batch_id
            self._set_state(State.LOCATE)
            messages.warning(
                _(
                    "The file of this batch was {path} and is not there any more. Choose the same "
                    "file (moved or copied is fine): every row is matched to the journal before "
                    "anything is sent."
                ).format(path=info.source),
                self,
            )
            return False
        engine = self.worker.new_engine(service)
        job = reopen_job(engine, path, batch_id)
        self.locate_batch = None
        self.source = self.original = path
        self.own_copy = None
        self._reopening = engine
        self._wait(lambda: _("Matching the rows of {file} to the journal…").format(file=path.name))
        self.worker.check(job, self._reopened, self._check_failed)
        return True

    def _reopened(self, outcome: Reopened) -> None:
        engine, self._reopening = self._reopening, None
        found, error = outcome
        if self._closing():
            return
        if found is None or engine is None:
            self._check_failed(error)
            return
        batch_id, plan = found
        self.worker.engine = engine
        self.plan = plan
        self.batch_id = batch_id
        self.summary = None
        self.model.set_rows(from_journal(self.service().store.batch_rows(batch_id)))
        self.last_progress = engine.progress(batch_id, "stopped")
        self._set_state(State.READY)
        self._progress(self.last_progress)
        self.settled.emit()

    def continue_batch(self) -> bool:
        """Go on with a batch that was stopped (or reopened after a crash)."""
        if self.batch_id is None or self.source is None or self.busy:
            return False
        engine = self.worker.engine
        if self.state is State.READY and self.plan is not None and engine is not None:
            self._run(engine, self.batch_id, self.plan)
            return True
        # After a stop the codes are read from the file again, in the worker.
        engine = self.worker.new_engine(self.service())
        self._start_run(engine, self.batch_id, continue_job(engine, self.source, self.batch_id))
        return True

    def _run(self, engine: BatchEngine, batch_id: int, plan: BatchPlan) -> None:
        cards = plan.cards
        self.plan = None  # the codes go with the worker, and only there
        self._start_run(engine, batch_id, lambda: engine.run(batch_id, cards))

    def _start_run(
        self, engine: BatchEngine, batch_id: int, job: Callable[[], BatchSummary]
    ) -> None:
        self.summary = None
        self.close_when_done = False
        self.model.set_rows(from_journal(self.service().store.batch_rows(batch_id)))
        self.worker.bind(engine, job, self._run_done, self._run_failed)
        self.last_progress = engine.progress(batch_id, "running")
        self._set_state(State.RUNNING)
        self._progress(self.last_progress)

    def toggle_pause(self) -> None:
        if self.state is State.RUNNING:
            self.worker.toggle_pause()
            if self.last_progress is not None:
                self._progress(self.last_progress)

    def stop(self) -> bool:
        """Stop safely after the current card; the batch can be continued any time."""
        return self.state is State.RUNNING and self.worker.stop()

    def _progress(self, p: BatchProgress) -> None:
        self.last_progress = p
        self.progressed.emit(p)

    def _row_update(self, update: RowUpdate) -> None:
        if update.batch_id == self.batch_id:
            self.model.update_row(update.row_no, update.status, update_detail(update))

    def _run_done(self, summary: BatchSummary) -> None:
        self.summary = summary
        store = self.service().store
        self.model.set_rows(from_journal(store.batch_rows(summary.batch_id)))
        engine = self.worker.engine
        self.last_progress = engine.progress(summary.batch_id) if engine else None
        if self.last_progress is not None:
            self._progress(self.last_progress)
        self._set_state(State.FINISHED if summary.finished else State.STOPPED)
        if summary.error:
            messages.error(summary.error, self)
        self.settled.emit()
        self._closing()

    def _run_failed(self, text: str) -> None:
        messages.error(text, self)
        self._set_state(State.STOPPED)
        self._closing()

    # -- verification during a batch --------------------------------------------------------

    def _ask(self, request: VerifyRequest) -> None:
        self.worker.request = request
        if self.state is State.RUNNING:
            self.verification_asked.emit(request)
        else:
            self.worker.answer(None)

    # -- results, a new batch, closing -------------------------------------------------------

    def default_results_path(self) -> Path:
        base = self.original or self.source or Path.home() / "cards.csv"
        return base.with_name(base.stem + ".results.csv")

    def export_to(self, path: Path) -> bool:
        return self.batch_id is not None and self.services.export(self.batch_id, path)

    def new_batch(self) -> None:
        if self.state is State.RUNNING:
            return
        self.ledger_unknown = False
        self.plan = None
        self.fixing = None
        self.worker.engine = None
        self.batch_id = None
        self.summary = None
        self.preview = None
        self.columns = None
        self.own_copy = None
        self.confirmed = set()
        self.locate_batch = None
        self.model.set_rows([])
        messages.dismiss(self)
        self._set_state(State.FILE)

    def release(self) -> None:
        """The window closes: forget the codes and close the service (nothing runs)."""
        self.plan = None
        self.fixing = None
        self.services.close()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop any run and wait for it (app quit, tests); True when nothing runs."""
        return self.worker.shutdown(timeout_ms)
