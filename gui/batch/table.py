"""The rows of a batch as a table: one row selected at a time, each row as tall as its
wrapped text (up to a size where measuring them all would stall the window), and the
rows that need a look one key away."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui.batch.rows import FIXABLE, NEEDS_LOOK, BatchRowsModel, RowView
from gui.theme import Metrics

MANY_ROWS = 2000  # above this, rows keep one line: measuring them all would stall the window


class RowsTable(QTableView):
    fix_wanted = Signal(int)  # a fixable row was double-clicked or activated: its number

    def __init__(self, model: BatchRowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)
        self.setTabKeyNavigation(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self._resize_rows)
        header.sectionResized.connect(lambda *_a: self._rows_timer.start())
        self.doubleClicked.connect(self._activated)
        self.activated.connect(self._activated)

    def selected(self) -> RowView | None:
        index = self.selectionModel().currentIndex()
        return self._rows.row_at(index.row()) if index.isValid() else None

    def fit_rows(self) -> None:
        """Fit the rows to their wrapped text once laid out (new rows, new sizes)."""
        self._rows_timer.start()

    def row_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if len(self._rows.rows) > MANY_ROWS:
            return
        if top.row() == bottom.row():
            self.resizeRowToContents(top.row())
        else:
            self._rows_timer.start()

    def _resize_rows(self) -> None:
        if len(self._rows.rows) <= MANY_ROWS:
            self.resizeRowsToContents()

    def next_problem(self) -> int | None:
        """The number of the next row that needs a look after the selected one (round)."""
        rows = self._rows.rows
        current = self.selectionModel().currentIndex()
        begin = current.row() + 1 if current.isValid() else 0
        for offset in range(len(rows)):
            i = (begin + offset) % len(rows)
            if rows[i].status in NEEDS_LOOK:
                return rows[i].row_no
        return None

    def select_row(self, row_no: int, focus: bool) -> None:
        i = self._rows.position(row_no)
        if i is not None:
            self.selectRow(i)
            self.scrollTo(self._rows.index(i, 0))
            if focus:
                self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activated(self, index: QModelIndex) -> None:
        row = self._rows.row_at(index.row())
        if row is not None and row.status in FIXABLE:
            self.fix_wanted.emit(row.row_no)

    def apply_metrics(self, m: Metrics) -> None:
        # The page scrolls when space is short; the table keeps room for a few rows.
        self.setMinimumHeight(max(200, m.target_px * 4))
        size = self.fontMetrics().height()
        self.setIconSize(QSize(size, size))
        self._rows_timer.start()
