"""The batch window: many cards from a CSV or Excel file, checked first, then bound with
pacing, a progress bar, pause / resume / stop, and a crash-safe journal
(docs/journal.md).

Layout only: what happens is the controller's (controller.py), and what each state
shows is one table (state.py). Messages reach the user through the message bridge,
in this window's banner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.bind.batch.state import BatchProgress
from core.i18n import N_, _
from core.settings import Settings
from gui import messages
from gui.accessibility import announce
from gui.batch.columns import ColumnsPanel
from gui.batch.controller import BatchController
from gui.batch.fix import FixPanel
from gui.batch.gate import VerifyRequest
from gui.batch.offer import ResumeOffer
from gui.batch.pages import Page as PageFrame
from gui.batch.pages import WrapLabel
from gui.batch.rows import FIXABLE, NEEDS_LOOK
from gui.batch.service import MakePracticeService, MakeService
from gui.batch.state import FOCUS_ONLY, VIEWS, Page, Part, State
from gui.batch.table import RowsTable
from gui.batch.texts import copy_note, file_note, progress_text, start_text, summary_texts
from gui.theme import theme
from gui.widgets.banner import Banner
from gui.widgets.button_row import ButtonRow
from gui.widgets.file_dialog import open_file_name, save_file_name
from gui.widgets.platform_combo import PlatformCombo
from gui.widgets.verification import VerificationBox, kind_name

FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


class BatchWindow(QMainWindow):
    """A window of its own for a batch. `make_service` builds a fresh bind service that
    this window owns (and closes); the main window passes its `bind_service_factory`."""

    def __init__(
        self,
        settings: Settings,
        make_service: MakeService,
        parent: QWidget | None = None,
        *,
        make_practice_service: MakePracticeService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BatchWindow")
        self.settings = settings
        self.controller = c = BatchController(
            make_service,
            settings.platform or "jd",
            self,
            make_practice_service=make_practice_service,
        )
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
        self.pages = {
            Page.FILE: self.file_page,
            Page.COLUMNS: self.columns_page,
            Page.ROWS: self.rows_page,
            Page.FIX: self.fix_page,
        }
        self.parts: dict[Part, QWidget] = {
            Part.OFFER: self.offer,
            Part.CHOOSE: self.choose_button,
            Part.COLUMN_PIN: self.columns_panel.combos["pin"],
            Part.FIX_PIN: self.fix_panel.pin,
            Part.TABLE: self.table,
            Part.PROGRESS: self.progress,
            Part.PROGRESS_TEXT: self.progress_text,
            Part.COPY_NOTE: self.copy_note,
            Part.NEXT: self.next_button,
            Part.FIX_ROW: self.fix_button,
            Part.BACK: self.rows_back,
            Part.COLUMNS: self.columns_button,
            Part.START: self.start_button,
            Part.PAUSE: self.pause_button,
            Part.STOP: self.stop_button,
            Part.CONTINUE: self.continue_button,
            Part.EXPORT: self.export_button,
            Part.NEW: self.new_button,
            Part.CLOSE: self.done_close,
        }
        c.state_changed.connect(self._show)
        c.progressed.connect(self._progress)
        c.verification_asked.connect(self._ask)
        c.row_chosen.connect(self.select_row)
        c.settled.connect(lambda: announce(self, self.summary_label.text()))
        c.close_ready.connect(self.close)
        c.model.modelReset.connect(self._rows_reset)
        c.model.dataChanged.connect(self.table.row_changed)
        self.setAcceptDrops(True)
        theme().changed.connect(self._theme_changed)
        self._theme_changed()
        self.retranslate()
        self._show(State.FILE)
        self.resize(1000, 760)

    # -- building ---------------------------------------------------------------------------

    def _button(self, page: PageFrame, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(page.action_bar)
        button.clicked.connect(slot)
        page.actions_row.addWidget(button)
        return button

    def _build_file_page(self) -> None:
        page = self.file_page = PageFrame(self.stack)
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
            page,
            name=N_("Card type for a file without a card type column"),
            current=self.controller.batch_platform,
        )
        self.platform_combo.currentIndexChanged.connect(self._batch_platform_chosen)
        self.platform_label.setBuddy(self.platform_combo)
        page.body.addWidget(self.platform_label)
        page.body.addWidget(self.platform_combo)
        self.offer = ResumeOffer(self.controller.services.store, page)
        self.offer.resume.connect(self.controller.resume_batch)
        page.body.addWidget(self.offer)
        page.body.addStretch(1)
        self.choose_button = self._button(page, self.choose_file)
        page.actions_row.addStretch(1)
        self.close_button = self._button(page, self.close)
        self.stack.addWidget(page)

    def _build_columns_page(self) -> None:
        page = self.columns_page = PageFrame(self.stack)
        self.columns_panel = ColumnsPanel(page)
        page.body.addWidget(self.columns_panel)
        self.columns_back = self._button(page, self.controller.columns_back)
        page.actions_row.addStretch(1)
        self.columns_use = self._button(page, self.apply_columns)
        self.stack.addWidget(page)

    def _build_rows_page(self) -> None:
        c = self.controller
        page = self.rows_page = PageFrame(self.stack)
        self.summary_label = WrapLabel(page, "summary")
        self.summary_note = WrapLabel(page)
        self.copy_note = WrapLabel(page)
        self.progress = QProgressBar(page)
        self.progress_text = WrapLabel(page)
        self.verify_box = VerificationBox(page, skippable=True)
        self.verify_box.entered.connect(lambda _kind, value: self._answer(value))
        self.verify_box.skipped.connect(lambda: self._answer(None))
        for w in (
            self.summary_label,
            self.summary_note,
            self.copy_note,
            self.progress,
            self.progress_text,
            self.verify_box,
        ):
            page.body.addWidget(w)

        self.table = RowsTable(c.model, page)
        self.table.fix_wanted.connect(self._fix_wanted)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_parts())
        # Buttons that act on the selected row sit with the table, not in the action bar.
        self.tools = ButtonRow(page)
        self.next_button = QPushButton(self.tools)
        self.next_button.clicked.connect(self.select_next_problem)
        self.fix_button = QPushButton(self.tools)
        self.fix_button.clicked.connect(self.fix_selected)
        # Practice only: the ledger knows none of the file's cards; choose the right one.
        self.ledger_button = QPushButton(self.tools)
        self.ledger_button.clicked.connect(self.choose_ledger)
        self.tools.row.addWidget(self.next_button)
        self.tools.row.addWidget(self.fix_button)
        self.tools.row.addWidget(self.ledger_button)
        self.tools.row.addStretch(1)
        page.body.addWidget(self.tools)
        page.body.addWidget(self.table, 1)

        self.rows_back = self._button(page, self.controller.new_batch)
        self.columns_button = self._button(page, self.controller.change_columns)
        self.pause_button = self._button(page, self.toggle_pause)
        self.stop_button = self._button(page, self.stop)
        page.actions_row.addStretch(1)
        self.export_button = self._button(page, self.export_results)
        self.new_button = self._button(page, self.controller.new_batch)
        self.done_close = self._button(page, self.close)
        self.start_button = self._button(page, self.controller.start_binding)
        self.continue_button = self._button(page, self.controller.continue_batch)
        self.start_button.setDefault(True)
        self.stack.addWidget(page)

    def _build_fix_page(self) -> None:
        page = self.fix_page = PageFrame(self.stack)
        self.fix_panel = FixPanel(page)
        self.fix_panel.changed.connect(self._update_parts)
        page.body.addWidget(self.fix_panel)
        self.fix_cancel = self._button(page, self.controller.cancel_fix)
        page.actions_row.addStretch(1)
        self.fix_save = self._button(page, self.save_fix)
        self.stack.addWidget(page)

    # -- the state on screen ----------------------------------------------------------------

    @property
    def state(self) -> State:
        return self.controller.state

    def _show(self, state: State) -> None:
        c = self.controller
        view = VIEWS[state]
        if state is State.COLUMNS and c.preview is not None:
            self.columns_panel.load(c.preview, c.columns)
        if state is State.FIX and c.fixing is not None:
            self.fix_panel.load(c.fixing)
        else:
            self.fix_panel.clear()  # the full code is on screen while fixing, and only then
        if state is State.CHECKING:
            self.progress.setRange(0, 0)
            self.progress.setAccessibleName(c.wait_text())
            announce(self, c.wait_text())
        self.stack.setCurrentWidget(self.pages[view.page])
        if c.last_progress is not None and state is not State.RUNNING:
            # Out of the run: the progress line no longer says "stopping safely…".
            self._progress(c.last_progress)
        if Part.OFFER in view.shows:
            self.offer.refresh()
        else:
            self.offer.hide()
        self._update_parts()
        self._update_steps()
        self.retranslate_texts()
        focus = next(
            (
                self.parts[p]
                for p in view.focus
                if self.parts[p].isVisibleTo(self) and self.parts[p].isEnabled()
            ),
            self.parts[view.focus[-1]],
        )
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_parts(self) -> None:
        c = self.controller
        shows = VIEWS[c.state].shows
        for part, widget in self.parts.items():
            if part is not Part.OFFER and part not in FOCUS_ONLY:  # the offer shows itself
                widget.setVisible(part in shows)
        self.next_button.setVisible(
            Part.NEXT in shows and any(r.status in NEEDS_LOOK for r in c.model.rows)
        )
        self.copy_note.setVisible(Part.COPY_NOTE in shows and c.own_copy is not None)
        self.tools.setVisible(Part.NEXT in shows or Part.FIX_ROW in shows)
        selected = self.table.selected()
        self.fix_button.setEnabled(selected is not None and selected.status in FIXABLE)
        self.start_button.setEnabled(
            c.plan is not None and c.plan.count("ready") > 0 and not c.ledger_unknown
        )
        self.ledger_button.setVisible(c.state is State.CHECK and c.ledger_unknown)
        self.pause_button.setEnabled(not c.worker.stopping)
        self.stop_button.setEnabled(not c.worker.stopping)
        self.fix_save.setEnabled(self.fix_panel.ready())
        if c.state is not State.RUNNING:
            self.verify_box.clear()

    def _update_steps(self) -> None:
        names = [_("1 File"), _("2 Check"), _("3 Bind"), _("4 Results")]
        index = VIEWS[self.controller.state].step
        shown = [f"[{n}]" if i == index else n for i, n in enumerate(names)]
        self.steps.setText("  ›  ".join(shown))
        self.steps.setAccessibleName(
            _("Step {n} of {total}: {name}").format(
                n=index + 1, total=len(names), name=names[index]
            )
        )

    def _progress(self, p: BatchProgress) -> None:
        c = self.controller
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        self.progress.setFormat(_("{done} of {total}").format(done=p.done, total=p.total))
        self.progress_text.setText(
            progress_text(
                p, paused=c.worker.paused, stopping=c.worker.stopping and c.state is State.RUNNING
            )
        )
        self.progress.setAccessibleName(
            _("Progress: {done} of {total} rows done").format(done=p.done, total=p.total)
        )
        self._pause_text()

    def _pause_text(self) -> None:
        self.pause_button.setText(_("&Resume") if self.controller.worker.paused else _("&Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text().replace("&", ""))

    # -- the table --------------------------------------------------------------------------

    def _rows_reset(self) -> None:
        self.table.fit_rows()
        self._update_parts()
        self.retranslate_texts()

    def select_next_problem(self) -> bool:
        row_no = self.table.next_problem()
        if row_no is None:
            return False
        self.select_row(row_no)
        return True

    def select_row(self, row_no: int, focus: bool = True) -> None:
        self.table.select_row(row_no, focus)
        self._update_parts()

    def _fix_wanted(self, row_no: int) -> None:
        if self.state is State.CHECK:
            self.controller.fix_row(row_no)

    # -- what the buttons do ----------------------------------------------------------------

    def _batch_platform_chosen(self) -> None:
        self.controller.batch_platform = self.platform_combo.platform_id() or "jd"

    def choose_file(self) -> None:
        original = self.controller.original
        start_dir = str(original.parent if original else Path.home())
        path = open_file_name(
            self,
            _("Choose the file with the cards"),
            start_dir,
            _("Card lists (*.csv *.xlsx *.xlsm *.txt);;All files (*)"),
        )
        if path:
            self.controller.open_file(Path(path))

    def choose_ledger(self) -> None:
        current = self.controller.practice_ledger()
        path = open_file_name(
            self,
            _("Choose the practice ledger"),
            str(current.parent if current else Path.home()),
            _("Practice ledgers (*.sqlite3 *.db);;All files (*)"),
        )
        if path:
            self.controller.use_ledger(Path(path))

    def apply_columns(self) -> bool:
        return self.controller.apply_columns(self.columns_panel.column_map())

    def fix_selected(self) -> None:
        row = self.table.selected()
        if row is not None:
            self.controller.fix_row(row.row_no)

    def save_fix(self) -> bool:
        return self.controller.save_fix(self.fix_panel.result())

    def toggle_pause(self) -> None:
        self.controller.toggle_pause()
        self._pause_text()
        announce(self, self.progress_text.text())

    def stop(self) -> None:
        if self.controller.stop():
            self._update_parts()
            self.progress_text.setText(_("Stopping safely after the current card…"))
            announce(self, self.progress_text.text())

    def _ask(self, request: VerifyRequest) -> None:
        need = request.need
        lines = [
            _("Row {row} ({card}): the platform asks for the {what}.").format(
                row=request.row_no, card=request.masked, what=kind_name(need.verification)
            )
        ]
        if need.prompt:
            lines.append(need.prompt)
        self.verify_box.ask(need.verification, "\n".join(lines))

    def _answer(self, value: str | None) -> None:
        if self.controller.worker.answer(value) and value is not None:
            self.pause_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def export_results(self) -> None:
        path = save_file_name(
            self,
            _("Save the results"),
            str(self.controller.default_results_path()),
            _("CSV files (*.csv)"),
        )
        if path:
            self.controller.export_to(Path(path))

    # -- drag and drop ----------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if len(files) == 1 and files[0].suffix.lower() in FILE_SUFFIXES:
            return files[0]
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if VIEWS[self.state].drops and self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None or not VIEWS[self.state].drops:
            event.ignore()
            return
        event.acceptProposedAction()
        self.controller.open_file(path)

    # -- words ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _theme_changed(self) -> None:
        m = theme().metrics
        for page in self.pages.values():
            page.apply_metrics(m)
        self.table.apply_metrics(m)
        self.tools.row.setSpacing(m.gap_px)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Batch of cards — cardbind"))
        self.heading.setText(_("Bind a batch of cards"))
        for page, name in (
            (self.file_page, _("Choosing the file")),
            (self.columns_page, _("The file's columns")),
            (self.rows_page, _("The batch's rows")),
            (self.fix_page, _("Fixing a row")),
        ):
            page.area.setAccessibleName(name)
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
        self.controller.model.retranslate()
        self.rows_back.setText(_("&Back"))
        self.columns_button.setText(_("C&olumns…"))
        self.next_button.setText(_("&Next row to check"))
        self.fix_button.setText(_("&Fix this row…"))
        self.ledger_button.setText(_("Choose the practice &ledger…"))
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
        if self.controller.last_progress is not None:
            self._progress(self.controller.last_progress)
        else:
            self._pause_text()
        self.retranslate_texts()
        self._update_steps()

    def retranslate_texts(self) -> None:
        """The texts that depend on the state: headline, details, start button, notes."""
        c = self.controller
        head, note = summary_texts(c)
        self.summary_label.setText(head)
        self.summary_note.setText(note)
        self.summary_note.setVisible(bool(note))
        self.summary_label.setAccessibleName(head)
        self.summary_note.setAccessibleName(note)
        self.start_button.setText(start_text(c))
        self.start_button.setAccessibleName(self.start_button.text().replace("&", ""))
        if c.own_copy is not None:
            self.copy_note.setText(copy_note(c.own_copy))
        self.file_note.setText(file_note(c))

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        c = self.controller
        if c.worker.check_task is not None:
            c.close_when_done = True  # closes once the file is read
            event.ignore()
            return
        if c.worker.running:
            # Never block the window: stop safely, and close once the worker is out.
            c.close_when_done = True
            self.stop()
            messages.info(
                _("Stopping safely after the current card; the window closes then."), self
            )
            event.ignore()
            return
        self.fix_panel.clear()
        c.release()
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop any run and wait for it (app quit, tests); True when nothing runs."""
        return self.controller.shutdown(timeout_ms)
