"""The batch window: many cards from a CSV or Excel file, checked first, then bound with
pacing, a progress bar, pause / resume / stop, and a crash-safe journal (DESIGN §8).

It is a thin layer over `core.bind.batch.BatchEngine`, the engine `cardbind batch`
uses. Full codes live only in the input file and in memory while binding; the table,
the journal and the exported results show masked codes. A row fixed here is written
to a corrected copy of the file (`….corrected.csv` next to it), which the batch then
reads — so even fixes live in a file the user owns, never in cardbind's journal.

The main window opens it from its Tools menu and, at start-up, shows a `ResumeOffer`
for batches a crash or a quit left unfinished (`BatchLauncher` wires both).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.bind.batch import (
    RUNNABLE,
    BatchEngine,
    BatchError,
    BatchPlan,
    BatchProgress,
    BatchSummary,
    RowUpdate,
    Unfinished,
    status_name,
    unfinished_batches,
)
from core.bind.importer import (
    BatchFileError,
    ColumnMap,
    TablePreview,
    corrected_name,
    file_sha256,
    platform_from_text,
    preview_columns,
    read_row,
    write_corrected,
)
from core.bind.outcomes import NeedsVerification
from core.bind.service import BindService
from core.bind.store import Store, StoreError
from core.i18n import N_, _, ngettext
from core.secrets import SecretsUnavailable
from core.settings import Settings
from gui import messages
from gui.accessibility import announce
from gui.icons import tier_icon
from gui.messages import Level
from gui.theme import Metrics, theme
from gui.widgets.banner import Banner
from gui.widgets.batch_columns import ColumnsPanel
from gui.widgets.batch_fix import FixPanel
from gui.widgets.batch_rows import (
    FIXABLE,
    NEEDS_LOOK,
    BatchRowsModel,
    from_journal,
    from_plan,
    update_detail,
)
from gui.widgets.button_row import ButtonRow
from gui.widgets.platform_combo import PlatformCombo
from gui.widgets.verification import VerificationBox, kind_name
from gui.workers import Task, UserFacingError, start

log = logging.getLogger(__name__)

FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
MakeService = Callable[[], BindService]


def duration_text(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)


# -- verification: asked on the worker thread, answered in the window -------------------------

@dataclass(repr=False)
class VerifyRequest:
    row_no: int
    masked: str
    need: NeedsVerification
    done: threading.Event
    answer: str | None = None

    def __repr__(self) -> str:
        return f"VerifyRequest({self.row_no}, {self.masked})"


class VerifyGate:
    """The engine's verifier: blocks the worker until the window answers (no time limit),
    or until the batch stops (then the row stays "needs verification")."""

    def __init__(self, ask: Callable[[VerifyRequest], None]) -> None:
        self._ask = ask
        self._lock = threading.Lock()
        self._closed = False
        self.pending: VerifyRequest | None = None

    def __call__(self, row_no: int, masked: str, need: NeedsVerification) -> str | None:
        request = VerifyRequest(row_no, masked, need, threading.Event())
        with self._lock:
            if self._closed:
                return None
            self.pending = request
        self._ask(request)
        request.done.wait()
        with self._lock:
            self.pending = None
        answer, request.answer = request.answer, None
        return answer

    def answer(self, request: VerifyRequest, value: str | None) -> None:
        request.answer = value or None
        request.done.set()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pending = self.pending
        if pending is not None:
            pending.answer = None
            pending.done.set()


class _Bridge(QObject):
    """Engine callbacks (worker thread) → queued signals (GUI thread)."""

    progress = Signal(object)  # BatchProgress
    row = Signal(object)  # RowUpdate
    ask = Signal(object)  # VerifyRequest


# -- the resume offer -------------------------------------------------------------------------

class ResumeOffer(QFrame):
    """An inline note (no pop-up) about batches a crash or a quit left unfinished."""

    resume = Signal(int)  # batch id

    def __init__(self, store_factory: Callable[[], Store] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self._store_factory = store_factory
        self.batches: list[Unfinished] = []
        self._not_now: set[int] = set()
        layout = QHBoxLayout(self)
        self.icon = QLabel(self)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        buttons = QVBoxLayout()
        self.continue_button = QPushButton(self)
        self.later_button = QPushButton(self)
        self.aside_button = QPushButton(self)
        for b in (self.continue_button, self.later_button, self.aside_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.continue_button.clicked.connect(self._continue)
        self.later_button.clicked.connect(self._later)
        self.aside_button.clicked.connect(self._aside)
        self.hide()

    def _with_store(self, fn: Callable[[Store], Any]) -> Any:
        if self._store_factory is not None:
            return fn(self._store_factory())
        with Store() as store:
            return fn(store)

    def refresh(self) -> int:
        """Look for unfinished batches; shows itself when there is one. Returns how many."""
        try:
            found = self._with_store(unfinished_batches)
        except Exception as exc:  # a locked or damaged journal must not stop the app
            log.warning("unfinished batches cannot be read: %s", exc)
            found = []
        self.batches = [b for b in found if b.info.id not in self._not_now]
        self.retranslate()
        self.setVisible(bool(self.batches))
        if self.batches:
            announce(self, self.text.text())
        return len(self.batches)

    @property
    def current(self) -> Unfinished | None:
        return self.batches[0] if self.batches else None

    def _continue(self) -> None:
        if self.current is not None:
            batch_id = self.current.info.id
            self._not_now.add(batch_id)
            self.refresh()
            self.resume.emit(batch_id)

    def _later(self) -> None:
        if self.current is not None:
            self._not_now.add(self.current.info.id)
            self.refresh()

    def _aside(self) -> None:
        """Not offered again; the journal keeps it (`cardbind batch FILE --resume`)."""
        if self.current is not None:
            batch_id = self.current.info.id
            try:
                self._with_store(lambda s: s.set_batch_option(batch_id, "dismissed", True))
            except Exception as exc:
                log.warning("batch %s cannot be put aside: %s", batch_id, exc)
                self._not_now.add(batch_id)
            self.refresh()

    def retranslate(self) -> None:
        b = self.current
        size = max(16, self.text.fontMetrics().height() * 2)
        self.icon.setPixmap(tier_icon("guide").pixmap(size, size))
        self.continue_button.setText(_("Continue the batch"))
        self.later_button.setText(_("Not now"))
        self.aside_button.setText(_("Put it aside"))
        self.aside_button.setToolTip(_("It is not offered again. The journal keeps it: "
                                       "cardbind batch FILE --resume still continues it."))
        if b is None:
            self.text.setText("")
            return
        text = _("A batch of cards did not finish: {file}, {done} of {total} rows done, "
                 "{pending} still to bind. Cards already bound are never sent again.").format(
                     file=b.file_name, done=b.done, total=b.total, pending=b.pending)
        if b.running_elsewhere:
            text += " " + _("It is running in another cardbind right now (process {pid}).") \
                .format(pid=b.info.pid)
        more = len(self.batches) - 1
        if more:
            text += " " + ngettext("{n} more unfinished batch after this one.",
                                   "{n} more unfinished batches after this one.",
                                   more).format(n=more)
        self.text.setText(text)
        self.setAccessibleName(text)
        self.continue_button.setEnabled(not b.running_elsewhere)
        for button, name in ((self.continue_button, _("Continue the unfinished batch")),
                             (self.later_button, _("Not now")),
                             (self.aside_button, _("Put the unfinished batch aside"))):
            button.setAccessibleName(name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


# -- pages ------------------------------------------------------------------------------------

class WrapLabel(QLabel):
    """A wrapping label that keeps the height its text needs at its real width, so a
    stretching neighbour (the table) gives way instead of the text being cut off."""

    def __init__(self, parent: QWidget | None = None, role: str = "") -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if role:
            self.setProperty("role", role)
        self._probe = QLabel()
        self._probe.setWordWrap(True)

    def _fit(self) -> None:
        # QLabel.heightForWidth never answers less than the minimum height it was given,
        # so the height is measured on a twin that has none.
        if not self.isVisible():
            return
        probe = self._probe
        probe.setFont(self.font())
        probe.setContentsMargins(self.contentsMargins())
        probe.setMargin(self.margin())
        probe.setText(self.text())
        height = probe.heightForWidth(self.width()) if self.text() else 0
        if height != self.minimumHeight():
            self.setMinimumHeight(max(0, height))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(80, super().minimumSizeHint().width()), self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()


def _label(parent: QWidget, role: str = "") -> QLabel:
    return WrapLabel(parent, role)


class _Page(QWidget):
    """A scrolling body and an action bar that stays in view (as the main window does)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget(self)
        self.body = QVBoxLayout(inner)
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(inner)
        outer.addWidget(area, 1)
        self.action_bar = ButtonRow(self)
        self.actions_row = self.action_bar.row
        outer.addWidget(self.action_bar)

    def apply_metrics(self, m: Metrics) -> None:
        self.body.setSpacing(m.gap_px)
        self.body.setContentsMargins(m.gap_px * 2, m.gap_px, m.gap_px * 2, m.gap_px)
        self.actions_row.setSpacing(m.gap_px)
        self.actions_row.setContentsMargins(m.gap_px * 2, m.gap_px // 2, m.gap_px * 2,
                                            m.gap_px)


class BatchWindow(QMainWindow):
    """A window of its own for a batch. `make_service` builds a fresh bind service that
    this window owns (and closes); the main window passes its `bind_service_factory`."""

    def __init__(self, settings: Settings, make_service: MakeService,
                 parent: QWidget | None = None, *,
                 store_factory: Callable[[], Store] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BatchWindow")
        self.settings = settings
        self._make_service = make_service
        self._service: BindService | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._progress)
        self._bridge.row.connect(self._row_update)
        self._bridge.ask.connect(self._ask)
        self.state = "file"  # file, locate, columns, check, fix, ready, running, stopped, finished
        self.original: Path | None = None  # the file the user chose
        self.source: Path | None = None  # the file the batch reads (maybe a corrected copy)
        self.own_copy: Path | None = None  # the corrected copy this window wrote
        self.preview: TablePreview | None = None
        self.columns: ColumnMap | None = None  # explicit columns (None: as the header says)
        self.default_platform: str | None = None
        self.plan: BatchPlan | None = None  # holds full codes: only until binding starts
        self.confirmed: set[tuple[int, str]] = set()
        self.batch_id: int | None = None
        self.engine: BatchEngine | None = None
        self.gate: VerifyGate | None = None
        self.task: Task | None = None
        self.summary: BatchSummary | None = None
        self.last_progress: BatchProgress | None = None
        self.locate_batch: int | None = None
        self._close_when_stopped = False
        self._request: VerifyRequest | None = None
        self.check_task: Task | None = None  # reading and checking the file
        self._after_check: Callable[[BatchPlan], None] | None = None
        self._reopening: BatchEngine | None = None
        self._wait_text: Callable[[], str] = lambda: ""

        central = QWidget(self)
        outer = QVBoxLayout(central)
        self.heading = QLabel(central)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        self.steps = QLabel(central)
        self.steps.setProperty("role", "muted")
        self.steps.setWordWrap(True)
        outer.addWidget(self.steps)
        self.banner = Banner(central)
        outer.addWidget(self.banner)
        self.stack = QStackedWidget(central)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_file_page()
        self._build_columns_page()
        self._build_rows_page()
        self._build_fix_page()
        self.setAcceptDrops(True)
        theme().changed.connect(self._theme_changed)
        self._theme_changed()
        self.retranslate()
        self._show("file")
        self.resize(1000, 760)

    # -- building ---------------------------------------------------------------------------

    def _button(self, page: _Page, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(page.action_bar)
        button.clicked.connect(slot)
        page.actions_row.addWidget(button)
        return button

    def _build_file_page(self) -> None:
        page = self.file_page = _Page(self.stack)
        self.file_note = QLabel(page)
        self.file_note.setWordWrap(True)
        page.body.addWidget(self.file_note)
        self.drop_zone = QLabel(page)
        self.drop_zone.setWordWrap(True)
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setFrameShape(QFrame.Shape.Box)
        self.drop_zone.setMinimumHeight(120)
        page.body.addWidget(self.drop_zone)
        self.platform_label = QLabel(page)
        self.platform_label.setWordWrap(True)
        self.platform_combo = PlatformCombo(
            page, name=N_("Card type for a file without a card type column"),
            current=self.settings.platform or "jd")
        self.platform_label.setBuddy(self.platform_combo)
        page.body.addWidget(self.platform_label)
        page.body.addWidget(self.platform_combo)
        self.offer = ResumeOffer(self._offer_store, page)
        self.offer.resume.connect(self.resume_batch)
        page.body.addWidget(self.offer)
        page.body.addStretch(1)
        self.choose_button = self._button(page, self.choose_file)
        page.actions_row.addStretch(1)
        self.close_button = self._button(page, self.close)
        self.stack.addWidget(page)

    def _build_columns_page(self) -> None:
        page = self.columns_page = _Page(self.stack)
        self.columns_panel = ColumnsPanel(page)
        page.body.addWidget(self.columns_panel)
        self.columns_back = self._button(page, self._columns_back)
        page.actions_row.addStretch(1)
        self.columns_use = self._button(page, self.apply_columns)
        self.stack.addWidget(page)

    def _build_rows_page(self) -> None:
        page = self.rows_page = _Page(self.stack)
        self.summary_label = _label(page, "summary")
        page.body.addWidget(self.summary_label)
        self.summary_note = _label(page)
        page.body.addWidget(self.summary_note)
        self.copy_note = _label(page)
        self.copy_note.hide()
        page.body.addWidget(self.copy_note)
        self.progress = QProgressBar(page)
        self.progress.hide()
        page.body.addWidget(self.progress)
        self.progress_text = _label(page)
        self.progress_text.hide()
        page.body.addWidget(self.progress_text)

        self.verify_box = VerificationBox(page, skippable=True)
        page.body.addWidget(self.verify_box)
        self.verify_box.entered.connect(lambda _kind, value: self.send_verification(value))
        self.verify_box.skipped.connect(self.skip_verification)

        self.model = BatchRowsModel()
        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self._resize_rows)
        header.sectionResized.connect(lambda *_a: self._resize_rows_soon())
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.activated.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        # Buttons that act on the selected row sit with the table, not in the action bar.
        self.tools = ButtonRow(page)
        self.next_button = QPushButton(self.tools)
        self.next_button.clicked.connect(self.select_next_problem)
        self.fix_button = QPushButton(self.tools)
        self.fix_button.clicked.connect(self.fix_selected)
        self.tools.row.addWidget(self.next_button)
        self.tools.row.addWidget(self.fix_button)
        self.tools.row.addStretch(1)
        page.body.addWidget(self.tools)
        page.body.addWidget(self.table, 1)

        self.rows_back = self._button(page, self.new_batch)
        self.columns_button = self._button(page, self.change_columns)
        self.pause_button = self._button(page, self.toggle_pause)
        self.stop_button = self._button(page, self.stop)
        page.actions_row.addStretch(1)
        self.export_button = self._button(page, self.export_results)
        self.new_button = self._button(page, self.new_batch)
        self.done_close = self._button(page, self.close)
        self.start_button = self._button(page, self.start_binding)
        self.continue_button = self._button(page, self.continue_batch)
        self.start_button.setDefault(True)
        self.stack.addWidget(page)

    def _build_fix_page(self) -> None:
        page = self.fix_page = _Page(self.stack)
        self.fix_panel = FixPanel(page)
        self.fix_panel.changed.connect(self._update_buttons)
        page.body.addWidget(self.fix_panel)
        self.fix_cancel = self._button(page, self.cancel_fix)
        page.actions_row.addStretch(1)
        self.fix_save = self._button(page, self.save_fix)
        self.stack.addWidget(page)

    # -- pages and buttons ------------------------------------------------------------------

    def _show(self, state: str) -> None:
        self.state = state
        page = {"file": self.file_page, "locate": self.file_page,
                "columns": self.columns_page, "fix": self.fix_page}.get(state, self.rows_page)
        self.stack.setCurrentWidget(page)
        if state == "file":
            self.offer.refresh()
        elif state == "locate":
            self.offer.hide()
        self._update_buttons()
        self._update_steps()
        self.retranslate_texts()
        focus = {"file": self.choose_button, "locate": self.choose_button,
                 "columns": self.columns_panel.combos["pin"], "fix": self.fix_panel.pin,
                 }.get(state, self.table)
        if state == "check" and self.start_button.isEnabled():
            focus = self.start_button
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        s = self.state
        check = s in ("check",)
        running = s == "running"
        for b, shown in (
            (self.rows_back, s in ("check", "ready")),
            (self.columns_button, check),
            (self.next_button, check and any(r.status in NEEDS_LOOK for r in self.model.rows)),
            (self.fix_button, check),
            (self.start_button, check),
            (self.pause_button, running),
            (self.stop_button, running),
            (self.continue_button, s in ("ready", "stopped")),
            (self.export_button, s in ("ready", "stopped", "finished")),
            (self.new_button, s in ("stopped", "finished")),
            (self.done_close, s in ("stopped", "finished")),
        ):
            b.setVisible(shown)
        selected = self._selected()
        self.fix_button.setEnabled(selected is not None and selected.status in FIXABLE)
        ready = self.plan.count("ready") if self.plan is not None else 0
        self.start_button.setEnabled(check and ready > 0)
        self.fix_save.setEnabled(self.fix_panel.ready())
        self.progress.setVisible(s in ("checking", "running", "stopped", "finished", "ready"))
        self.progress_text.setVisible(s in ("running", "stopped", "finished", "ready"))
        self.table.setVisible(s != "checking")
        self.tools.setVisible(s == "check")
        self.copy_note.setVisible(self.own_copy is not None and s in ("check", "ready"))
        if not running:
            self.verify_box.clear()

    def _update_steps(self) -> None:
        names = [_("1 File"), _("2 Check"), _("3 Bind"), _("4 Results")]
        index = {"file": 0, "locate": 0, "columns": 0, "checking": 1, "check": 1, "fix": 1,
                 "ready": 2,
                 "running": 2, "stopped": 2, "finished": 3}.get(self.state, 0)
        shown = [f"[{n}]" if i == index else n for i, n in enumerate(names)]
        self.steps.setText("  ›  ".join(shown))
        self.steps.setAccessibleName(_("Step {n} of {total}: {name}").format(
            n=index + 1, total=len(names), name=names[index]))

    def _selected(self) -> Any:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def message(self, level: Level, text: str) -> None:
        """Through the message bridge: logged (masked) and shown in this window's banner."""
        messages.say(level, text, self)

    def _theme_changed(self) -> None:
        m = theme().metrics
        for page in (self.file_page, self.columns_page, self.rows_page, self.fix_page):
            page.apply_metrics(m)
        # The page scrolls when space is short; the table keeps room for a few rows.
        self.table.setMinimumHeight(max(200, m.target_px * 4))
        self.tools.row.setSpacing(m.gap_px)
        size = self.table.fontMetrics().height()
        self.table.setIconSize(QSize(size, size))
        self._resize_rows_soon()

    def _resize_rows_soon(self) -> None:
        """Fit the rows to their wrapped text once the layout has settled."""
        self._rows_timer.start()

    def _resize_rows(self) -> None:
        # Big batches keep one line per row: measuring 100 000 rows would stall the window.
        if len(self.model.rows) <= 2000:
            self.table.resizeRowsToContents()

    # -- the service ------------------------------------------------------------------------

    def service(self) -> BindService:
        if self._service is None:
            self._service = self._make_service()
        return self._service

    def _offer_store(self) -> Store:
        return self.service().store

    def _engine(self) -> BatchEngine:
        self.gate = VerifyGate(self._bridge.ask.emit)
        return BatchEngine(self.service(), on_progress=self._bridge.progress.emit,
                           on_row=self._bridge.row.emit, verifier=self.gate)

    def _service_or_say(self) -> BindService | None:
        try:
            service = self.service()
        except UserFacingError as exc:
            self.message("error", str(exc))
            return None
        except Exception as exc:
            log.warning("bind service cannot be made: %s", exc)
            self.message("error", _("The bind method cannot be started: {error}").format(
                error=exc))
            return None
        if not service.adapter.automatic:
            self.message("error", _(
                "A batch needs a bind method that works by itself (sandbox or http); {name} "
                "needs a person for every card. Choose another bind method in Settings.")
                .format(name=service.adapter.name))
            return None
        return service

    # -- 1. the file ------------------------------------------------------------------------

    def choose_file(self) -> None:
        start_dir = str(self.original.parent if self.original else Path.home())
        path, _f = QFileDialog.getOpenFileName(
            self, _("Choose the file with the cards"), start_dir,
            _("Card lists (*.csv *.xlsx *.xlsm *.txt);;All files (*)"))
        if path:
            if self.state == "locate" and self.locate_batch is not None:
                self.resume_batch(self.locate_batch, Path(path))
            else:
                self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Read a file: on to the column choice (header not recognized) or the check."""
        if self.state in ("running", "fix") or self.busy:
            return False
        self.banner.hide()
        try:
            preview = preview_columns(path)
        except BatchFileError as exc:
            self.message("error", str(exc))
            return False
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
        service = self._service_or_say()
        if service is None:
            return True
        try:
            found = service.store.find_batches(file_sha256(path), str(path.resolve()))
        except OSError:
            return False
        open_ids = {u.info.id for u in unfinished_batches(service.store)}
        for info in found:
            if info.id in open_ids:
                self.message("info", _("This file has an unfinished batch; here it is. Cards "
                                       "already bound are never sent again."))
                self.resume_batch(info.id, path)
                return True
        return False

    def _platform_for_file(self) -> str | None:
        """The batch's card type, for files without a card type column."""
        columns = self.columns or (self.preview.found if self.preview else None)
        if columns is not None and columns.platform is not None:
            return None
        return str(self.platform_combo.currentData() or "jd")

    # -- 2. columns -------------------------------------------------------------------------

    def show_columns(self) -> None:
        if self.preview is None:
            return
        self.columns_panel.load(self.preview, self.columns)
        self._show("columns")

    def change_columns(self) -> None:
        if self.own_copy is not None:
            self.message("info", _("Columns cannot be changed after a fix: the corrected "
                                   "copy follows these columns. Choose your file again to "
                                   "start over."))
            return
        self.show_columns()

    def _columns_back(self) -> None:
        if self.plan is not None:
            self._show("check")
        else:
            self.new_batch()

    def apply_columns(self) -> bool:
        cm = self.columns_panel.column_map()
        if cm is None:
            return False
        self.columns = cm
        return self.validate()

    # -- 3. check every row -----------------------------------------------------------------

    def validate(self, after: Callable[[BatchPlan], None] | None = None) -> bool:
        """Check every row of the source in the background (a big file takes seconds);
        nothing is written and nothing is sent. `after` runs once the rows are shown."""
        if self.source is None or self.busy or self._service_or_say() is None:
            return False
        self.default_platform = self._platform_for_file()
        service, source = self.service(), self.source
        platform, columns = self.default_platform, self.columns

        def job() -> tuple[BatchPlan | None, str, bool]:
            try:
                return BatchEngine(service).prepare(source, platform, columns=columns), "", False
            except BatchFileError as exc:
                return None, str(exc), True
            except (StoreError, SecretsUnavailable) as exc:
                return None, str(exc), False

        self._after_check = after
        name = (self.original or source).name
        self._wait(lambda: _("Checking every row of {file}… Nothing is sent yet.").format(
            file=name))
        task = Task(job)
        task.signals.finished.connect(self._checked)
        task.signals.failed.connect(self._check_failed)
        self.check_task = start(task, self._pool)
        return True

    def _wait(self, text: Callable[[], str]) -> None:
        """The rows page while the file is read in the background."""
        self.plan = None
        self._wait_text = text
        self.model.set_rows([])
        self._show("checking")
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(text())
        announce(self, text())

    def _checked(self, outcome: tuple[BatchPlan | None, str, bool]) -> None:
        self.check_task = None
        plan, error, file_problem = outcome
        if self._close_when_stopped:
            self.close()
            return
        if plan is None:
            self._check_failed(error, file_problem=file_problem)
            return
        plan.confirm(self.confirmed)
        self.plan = plan
        self.model.set_rows(from_plan(plan.rows))
        self._resize_rows_soon()
        self._show("check")
        first = next((r for r in self.model.rows if r.status in NEEDS_LOOK), None)
        if first is not None:
            self.select_row(first.row_no, focus=False)
        announce(self, self.summary_label.text())
        after, self._after_check = self._after_check, None
        if after is not None:
            after(plan)

    def _check_failed(self, text: str, *, file_problem: bool = False) -> None:
        self.check_task = None
        self._after_check = None
        if self._close_when_stopped:
            self.close()
            return
        self.message("error", text)
        if file_problem and self.preview is not None:
            self.columns_panel.load(self.preview, self.columns)
            self._show("columns")
        else:
            self._show("file")

    def select_next_problem(self) -> bool:
        rows = self.model.rows
        current = self.table.selectionModel().currentIndex()
        begin = current.row() + 1 if current.isValid() else 0
        for offset in range(len(rows)):
            i = (begin + offset) % len(rows)
            if rows[i].status in NEEDS_LOOK:
                self.select_row(rows[i].row_no)
                return True
        return False

    def select_row(self, row_no: int, *, focus: bool = True) -> None:
        i = self.model.position(row_no)
        if i is not None:
            self.table.selectRow(i)
            self.table.scrollTo(self.model.index(i, 0))
            if focus:
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.state == "check":
            row = self.model.row_at(index.row())
            if row is not None and row.status in FIXABLE:
                self.fix_row(row.row_no)

    def fix_selected(self) -> None:
        row = self._selected()
        if row is not None:
            self.fix_row(row.row_no)

    def fix_row(self, row_no: int) -> bool:
        """Open the row's fix page; the full code is read from the file for this only."""
        if self.state != "check" or self.source is None:
            return False
        position = self.model.position(row_no)
        row = self.model.row_at(position if position is not None else -1)
        if row is None or row.status not in FIXABLE:
            return False
        try:
            cells = read_row(self.source, row_no, self.columns)
        except BatchFileError as exc:
            self.message("error", str(exc))
            return False
        if cells is None:
            self.message("error", _("Row {row} cannot be fixed here. Correct it in your file "
                                    "and choose the file again.").format(row=row_no))
            return False
        columns = self.columns or (self.preview.found if self.preview else None)
        editable = columns is not None and columns.platform is not None
        platform = row.platform or cells.platform or self.default_platform or "jd"
        if editable and cells.platform:
            platform = platform_from_text(cells.platform) or platform
        self.fix_panel.load(row, cells, platform=platform, platform_editable=editable)
        self._show("fix")
        return True

    def cancel_fix(self) -> None:
        self.fix_panel.clear()
        self._show("check")

    def save_fix(self) -> bool:
        fix = self.fix_panel.result()
        if fix is None or self.source is None:
            return False
        if fix.changed:
            target = self.own_copy or corrected_name(self.original or self.source)
            try:
                self.columns = write_corrected(self.source, target, {fix.row_no: fix.changed},
                                               self.columns)
            except (BatchFileError, OSError) as exc:
                self.message("error", _("The corrected copy could not be written: {error}")
                             .format(error=getattr(exc, "strerror", None) or exc))
                return False
            first = self.own_copy is None
            self.own_copy = self.source = target
            if first:
                self.message("info", _("Your fix is saved in {file}, next to your file. The "
                                       "batch reads this copy from now on; your own file is "
                                       "not changed.").format(file=target.name))
        self.fix_panel.clear()
        row_no, confirmed = fix.row_no, fix.confirmed

        def confirm(plan: BatchPlan) -> None:
            planned = next((r for r in plan.rows if r.row_no == row_no), None)
            if planned is not None and planned.status == "needs_confirmation" and confirmed:
                self.confirmed.add((row_no, planned.card_hash))
                plan.confirm(self.confirmed)
                self.model.set_rows(from_plan(plan.rows))
                self._resize_rows_soon()
            self.retranslate_texts()
            self._update_buttons()
            self.select_row(row_no)

        if fix.changed or self.plan is None:
            return self.validate(after=confirm)
        self._show("check")
        confirm(self.plan)
        return True

    # -- 4. binding -------------------------------------------------------------------------

    def start_binding(self) -> bool:
        plan = self.plan
        if self.state != "check" or plan is None or not plan.count("ready"):
            return False
        service = self._service_or_say()
        if service is None:
            return False
        engine = self._engine()
        options: dict[str, Any] = {"started_from": "gui"}
        if self.own_copy is not None and self.original is not None:
            options["corrected_from"] = self.original.name
        try:
            batch_id = engine.start(plan, options)
        except StoreError as exc:
            self.message("error", str(exc))
            return False
        self.batch_id = batch_id
        self._run(engine, batch_id, plan)
        return True

    def resume_batch(self, batch_id: int, path: Path | None = None) -> bool:
        """Reopen an unfinished batch (the resume offer, or its file chosen again)."""
        if self.busy:
            self.message("warning", _("A batch is running in this window; wait for it or "
                                      "stop it first."))
            return False
        service = self._service_or_say()
        if service is None:
            return False
        info = service.store.batch(batch_id)
        if info is None:
            self.message("error", _("Batch {id} is not in the journal.").format(id=batch_id))
            return False
        path = path or Path(info.source)
        if not path.is_file():
            self.locate_batch = batch_id
            self._show("locate")
            self.message("warning", _(
                "The file of this batch was {path} and is not there any more. Choose the same "
                "file (moved or copied is fine): every row is matched to the journal before "
                "anything is sent.").format(path=info.source))
            return False
        engine = self._engine()
        found = path

        def job() -> tuple[tuple[int, BatchPlan] | None, str]:
            try:
                return engine.reopen(found, batch_id=batch_id), ""
            except (BatchError, BatchFileError, StoreError, SecretsUnavailable) as exc:
                return None, str(exc)

        self.locate_batch = None
        self.source = self.original = path
        self.own_copy = None
        self._reopening = engine
        self._wait(lambda: _("Matching the rows of {file} to the journal…").format(
            file=found.name))
        task = Task(job)
        task.signals.finished.connect(self._reopened)
        task.signals.failed.connect(self._check_failed)
        self.check_task = start(task, self._pool)
        return True

    def _reopened(self, outcome: tuple[tuple[int, BatchPlan] | None, str]) -> None:
        self.check_task = None
        engine, self._reopening = self._reopening, None
        found, error = outcome
        if self._close_when_stopped:
            self.close()
            return
        if found is None or engine is None:
            self._check_failed(error)
            return
        batch_id, plan = found
        self.engine = engine
        self.plan = plan
        self.batch_id = batch_id
        self.summary = None
        self.model.set_rows(from_journal(self.service().store.batch_rows(batch_id)))
        self._resize_rows_soon()
        self.last_progress = engine.progress(batch_id, "stopped")
        self._show("ready")
        self._progress(self.last_progress)
        announce(self, self.summary_label.text())

    def continue_batch(self) -> bool:
        """Go on with a batch that was stopped (or reopened after a crash)."""
        if self.batch_id is None or self.source is None or self.busy:
            return False
        if self.state == "ready" and self.plan is not None and self.engine is not None:
            self._run(self.engine, self.batch_id, self.plan)
            return True
        # After a stop the codes are read from the file again, in the worker.
        engine, source, batch_id = self._engine(), self.source, self.batch_id

        def job() -> BatchSummary:
            try:
                same, plan = engine.reopen(source, batch_id=batch_id)
            except (BatchError, BatchFileError, StoreError, SecretsUnavailable) as exc:
                raise UserFacingError(str(exc)) from None
            return engine.run(same, plan.cards)

        self._start_run(engine, batch_id, job)
        return True

    def _run(self, engine: BatchEngine, batch_id: int, plan: BatchPlan) -> None:
        cards = plan.cards
        self.plan = None  # the codes go with the worker, and only there
        self._start_run(engine, batch_id, lambda: engine.run(batch_id, cards))

    def _start_run(self, engine: BatchEngine, batch_id: int,
                   job: Callable[[], BatchSummary]) -> None:
        self.engine = engine
        self.summary = None
        self._close_when_stopped = False
        self.model.set_rows(from_journal(self.service().store.batch_rows(batch_id)))
        self._resize_rows_soon()
        task = Task(job)
        task.signals.finished.connect(self._run_done)
        task.signals.failed.connect(self._run_failed)
        self.task = start(task, self._pool)
        self.stop_button.setEnabled(True)
        self.pause_button.setEnabled(True)
        self.last_progress = engine.progress(batch_id, "running")
        self._show("running")
        self._progress(self.last_progress)
        self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_pause(self) -> None:
        engine = self.engine
        if engine is None or self.state != "running":
            return
        if engine.paused:
            engine.resume()
        else:
            engine.pause()
        if self.last_progress is not None:
            self._progress(self.last_progress)
        self.pause_button.setText(_("&Resume") if engine.paused else _("&Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text().replace("&", ""))
        announce(self, self.progress_text.text())

    def stop(self) -> None:
        """Stop safely after the current card; the batch can be continued any time."""
        if self.engine is None or self.state != "running":
            return
        self.engine.stop()
        if self.gate is not None:
            self.gate.close()
        self.stop_button.setEnabled(False)
        self.pause_button.setEnabled(False)
        self.progress_text.setText(_("Stopping safely after the current card…"))
        announce(self, self.progress_text.text())

    def _progress(self, p: BatchProgress) -> None:
        self.last_progress = p
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        self.progress.setFormat(_("{done} of {total}").format(done=p.done, total=p.total))
        if p.state == "waiting":
            state = _("The platform asks to slow down; waiting {time}.").format(
                time=duration_text(p.wait_s))
        elif p.state == "paused":
            state = _("Paused. Press Resume to go on.")
        elif p.state in ("running", "waiting") and self.engine is not None \
                and self.engine.paused:
            state = _("Pausing after the current card…")
        elif p.state == "running":
            state = _("Binding {card}…").format(card=p.current) if p.current else \
                _("Binding…")
        else:
            state = ""
        parts = [_("{done} of {total} rows done: {bound} bound, {failed} not bound.").format(
            done=p.done, total=p.total, bound=p.bound, failed=p.failed)]
        if p.eta_s is not None and p.state in ("running", "waiting") and p.pending:
            parts.append(_("About {time} left.").format(time=duration_text(p.eta_s)))
        if state:
            parts.append(state)
        if self.state == "running" and not self.stop_button.isEnabled():
            parts.append(_("Stopping safely after the current card…"))
        self.progress_text.setText(" ".join(parts))
        self.progress.setAccessibleName(_("Progress: {done} of {total} rows done").format(
            done=p.done, total=p.total))
        paused = self.engine is not None and self.engine.paused
        self.pause_button.setText(_("&Resume") if paused else _("&Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text().replace("&", ""))

    def _row_update(self, update: RowUpdate) -> None:
        if update.batch_id != self.batch_id:
            return
        i = self.model.update_row(update.row_no, update.status, update_detail(update))
        if i is not None and len(self.model.rows) <= 2000:
            self.table.resizeRowToContents(i)

    def _run_done(self, summary: BatchSummary) -> None:
        self.task = None
        self.summary = summary
        if self.gate is not None:
            self.gate.close()
        self._request = None
        store = self.service().store
        self.model.set_rows(from_journal(store.batch_rows(summary.batch_id)))
        self._resize_rows_soon()
        self.last_progress = self.engine.progress(summary.batch_id) if self.engine else None
        if self.last_progress is not None:
            self._progress(self.last_progress)
        self._show("finished" if summary.finished else "stopped")
        if summary.error:
            self.message("error", summary.error)
        announce(self, self.summary_label.text())
        if self._close_when_stopped:
            self.close()

    def _run_failed(self, text: str) -> None:
        self.task = None
        if self.gate is not None:
            self.gate.close()
        self.message("error", text)
        self._show("stopped")
        if self._close_when_stopped:
            self.close()

    # -- verification during a batch --------------------------------------------------------

    def _ask(self, request: VerifyRequest) -> None:
        if self.state != "running":
            if self.gate is not None:
                self.gate.answer(request, None)
            return
        self._request = request
        need = request.need
        lines = [_("Row {row} ({card}): the platform asks for the {what}.").format(
            row=request.row_no, card=request.masked, what=kind_name(need.verification))]
        if need.prompt:
            lines.append(need.prompt)
        self.verify_box.ask(need.verification, "\n".join(lines))

    def send_verification(self, value: str) -> None:
        request = self._request
        if request is None or self.gate is None:
            return
        self._request = None
        self.gate.answer(request, value)
        self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def skip_verification(self) -> None:
        request = self._request
        if request is None or self.gate is None:
            return
        self._request = None
        self.gate.answer(request, None)

    # -- results ----------------------------------------------------------------------------

    def default_results_path(self) -> Path:
        base = self.original or self.source or Path.home() / "cards.csv"
        return base.with_name(base.stem + ".results.csv")

    def export_results(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, _("Save the results"), str(self.default_results_path()),
            _("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        from core.bind.records import export_batch

        if self.batch_id is None:
            return False
        try:
            n = export_batch(self.service().store, self.batch_id, path)
        except (OSError, StoreError) as exc:
            self.message("error", _("The results could not be saved: {error}").format(
                error=getattr(exc, "strerror", None) or exc))
            return False
        self.message("info", _("{n} rows saved to {path}. Codes are masked.").format(
            n=n, path=path))
        return True

    def new_batch(self) -> None:
        if self.state == "running":
            return
        self.fix_panel.clear()
        self.plan = None
        self.engine = None
        self.batch_id = None
        self.summary = None
        self.preview = None
        self.columns = None
        self.own_copy = None
        self.confirmed = set()
        self.locate_batch = None
        self.model.set_rows([])
        self.banner.hide()
        self._show("file")

    # -- drag and drop ----------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if len(files) == 1 and files[0].suffix.lower() in FILE_SUFFIXES:
            return files[0]
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.state in ("file", "locate", "check") and self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None or self.state not in ("file", "locate", "check"):
            event.ignore()
            return
        event.acceptProposedAction()
        if self.state == "locate" and self.locate_batch is not None:
            self.resume_batch(self.locate_batch, path)
        else:
            self.load_file(path)

    # -- words ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Batch of cards — cardbind"))
        self.heading.setText(_("Bind a batch of cards"))
        self.banner.retranslate()
        self.drop_zone.setText(_("Drop the file here, or press “Choose a file”."))
        self.platform_label.setText(_("Card &type for a file without a card type column:"))
        self.platform_combo.retranslate()
        self.choose_button.setText(_("&Choose a file…"))
        self.close_button.setText(_("C&lose"))
        self.columns_back.setText(_("&Back"))
        self.columns_use.setText(_("&Use these columns"))
        self.columns_panel.retranslate()
        self.table.setAccessibleName(_("Rows of the batch (codes masked)"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        self.model.retranslate()
        self.rows_back.setText(_("&Back"))
        self.columns_button.setText(_("C&olumns…"))
        self.next_button.setText(_("&Next row to check"))
        self.fix_button.setText(_("&Fix this row…"))
        self.stop_button.setText(_("S&top"))
        self.continue_button.setText(_("&Continue binding"))
        self.export_button.setText(_("E&xport results…"))
        self.new_button.setText(_("&New batch"))
        self.done_close.setText(_("C&lose"))
        self.verify_box.retranslate()
        self.fix_cancel.setText(_("&Don't change it"))
        self.fix_save.setText(_("&Save the fix"))
        self.fix_panel.retranslate()
        self.offer.retranslate()
        if self.last_progress is not None:
            self._progress(self.last_progress)
        else:
            self.pause_button.setText(_("&Pause"))
            self.pause_button.setAccessibleName(_("Pause"))
        self.retranslate_texts()
        self._update_steps()

    def _counts_text(self, counts: dict[str, int]) -> str:
        parts = [_("{status}: {n}").format(status=status_name(k), n=v)
                 for k, v in sorted(counts.items())]
        return _("{items}.").format(items=_("; ").join(parts)) if parts else ""

    def retranslate_texts(self) -> None:
        """The texts that depend on the state: headline, details, start button, notes."""
        counts = self.model.counts()
        total = len(self.model.rows)
        file_name = (self.original or self.source or Path("")).name
        s = self.state
        head = note = ""
        if s == "checking":
            head = self._wait_text()
        elif s == "check":
            ready = counts.get("ready", 0)
            head = ngettext("{file}: {n} row, {ready} ready to bind.",
                            "{file}: {n} rows, {ready} ready to bind.", total).format(
                                file=file_name, n=total, ready=ready)
            note = self._counts_text({k: v for k, v in counts.items() if k != "ready"})
            if any(r.status in NEEDS_LOOK for r in self.model.rows):
                note += " " + _("Rows marked with a warning need a look: select one and press "
                                "“Fix this row”. Rows you leave are not sent.")
            self.start_button.setText(ngettext("&Start binding {n} card",
                                               "&Start binding {n} cards", ready).format(n=ready))
            self.start_button.setAccessibleName(self.start_button.text().replace("&", ""))
        elif s == "ready":
            head = _("An unfinished batch of {file}.").format(file=file_name)
            note = _("Cards already bound are never sent again; cards with no known result "
                     "are looked up first.")
        elif s == "running":
            head = _("Binding the cards of {file}…").format(file=file_name)
            note = _("One card at a time, with a pause between them. You can pause or stop "
                     "at any time; nothing is lost.")
        elif s in ("stopped", "finished") and self.summary is not None:
            sm = self.summary
            if sm.finished:
                head = _("Done: {bound} of {total} cards bound.").format(
                    bound=sm.bound, total=sm.total)
            elif sm.stopped:
                head = _("Stopped: {bound} of {total} cards bound so far.").format(
                    bound=sm.bound, total=sm.total)
                note = _("Continue now, or later: cardbind offers it when it starts.") + " "
            else:
                pending = sum(v for k, v in sm.counts.items() if k in RUNNABLE)
                head = _("Not finished: {bound} of {total} cards bound, {pending} still to "
                         "bind.").format(bound=sm.bound, total=sm.total, pending=pending)
                note = _("They need a verification or a later try. Continue when you are "
                         "ready, now or after cardbind starts again.") + " "
            note += self._counts_text({k: v for k, v in sm.counts.items() if k != "bound"})
            if self.source is not None:
                note += " " + _("Note: {file} holds full card codes. Keep it safe, or delete "
                                "it once the batch is done.").format(file=self.source.name)
        elif s == "stopped":
            head = _("The batch stopped. Continue it now, or later.")
        self.summary_label.setText(head)
        self.summary_note.setText(note.strip())
        self.summary_note.setVisible(bool(note.strip()))
        if self.own_copy is not None:
            self.copy_note.setText(_(
                "Fixed rows are saved in {copy}, next to your file, and the batch reads that "
                "copy. It holds full card codes like your file: keep it safe, or delete both "
                "once the batch is done.").format(copy=self.own_copy.name))
        if s == "locate":
            self.file_note.setText(_(
                "Choose the file of the unfinished batch. Every row is matched to the "
                "journal by a fingerprint before anything is sent."))
        else:
            self.file_note.setText(_(
                "Choose a CSV or Excel file with one card per row. It needs a column with the "
                "card password (卡密); a card number (卡号), card type (平台) and account (账户) "
                "are used when the file has them. Every row is checked before anything is "
                "sent, and you can fix rows here."))
        self.summary_label.setAccessibleName(head)
        self.summary_note.setAccessibleName(note.strip())

    # -- closing ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    @property
    def busy(self) -> bool:
        """Binding, or reading a file: the worker holds the service."""
        return self.task is not None or self.check_task is not None

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.check_task is not None:
            self._close_when_stopped = True  # closes once the file is read
            event.ignore()
            return
        if self.running:
            # Never block the window: stop safely, and close once the worker is out.
            self._close_when_stopped = True
            self.stop()
            self.message("info", _("Stopping safely after the current card; the window "
                                   "closes then."))
            event.ignore()
            return
        self.fix_panel.clear()
        self.plan = None
        if self._service is not None:
            service, self._service = self._service, None
            service.close()
            service.store.close()
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop any run and wait for it (app quit, tests); True when nothing runs."""
        if self.engine is not None:
            self.engine.stop()
        if self.gate is not None:
            self.gate.close()
        return self._pool.waitForDone(timeout_ms)


# -- the main window's entry points ---------------------------------------------------------------

class BatchLauncher(QObject):
    """What the main window needs: a Tools-menu action, the resume offer for its start-up
    and one batch window at a time.

        self.batch = BatchLauncher(self.settings, make_service, self)
        self.tools_menu.addAction(self.batch.action)
        outer.insertWidget(outer.indexOf(self.banner) + 1, self.batch.offer)
        self.batch.offer.refresh()          # at start-up
        # retranslate(): self.batch.retranslate(); closeEvent(): self.batch.close()
    """

    def __init__(self, settings: Settings, make_service: MakeService,
                 parent: QWidget | None = None, *,
                 store_factory: Callable[[], Store] | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.make_service = make_service
        self._parent = parent
        self.window: BatchWindow | None = None
        self.action = QAction(parent)
        self.action.triggered.connect(self._from_menu)
        self.offer = ResumeOffer(store_factory, parent)
        self.offer.resume.connect(self.open)
        self.retranslate()

    def open(self, batch_id: int | None = None) -> BatchWindow:
        window = self.window
        if window is None or not window.isVisible():
            if window is not None:
                window.deleteLater()
            window = self.window = BatchWindow(self.settings, self.make_service, self._parent)
        window.show()
        window.raise_()
        window.activateWindow()
        if batch_id is not None:
            window.resume_batch(batch_id)
        return window

    def _from_menu(self) -> None:
        self.open()

    def retranslate(self) -> None:
        self.action.setText(_("&Batch of cards…"))
        self.offer.retranslate()

    def close(self) -> None:
        if self.window is not None:
            self.window.shutdown()
            self.window.close()
