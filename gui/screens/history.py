"""History: every bind with masked codes only, exportable as CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.bind.knowledge import entry
from core.bind.records import known_amount
from core.bind.store import HistoryRow, Store
from core.codes.profiles import get_profile
from core.i18n import _
from gui.screens.base import Screen
from gui.widgets.file_dialog import save_file_name
from gui.widgets.paragraph import Paragraph

STATUS_WORDS = {
    "bound": lambda: _("Bound"),
    "rejected": lambda: _("Not bound"),
    "refused": lambda: _("Not sent"),
    "retry_later": lambda: _("Try later"),
    "needs_verification": lambda: _("Waiting for verification"),
    "awaiting_user": lambda: _("Waiting for your report"),
}


class HistoryScreen(Screen):
    back = Signal()

    def __init__(self, store: Callable[[], Store], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.rows: list[HistoryRow] = []
        self.note = Paragraph(self)
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)
        self.table = QTableWidget(self)
        self.table.setColumnCount(6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        # Tab leaves the table (arrow keys move within it), as everywhere else.
        self.table.setTabKeyNavigation(False)
        self.body.addWidget(self.table, 1)
        row = self.action_row
        self.back_button = QPushButton(self.action_bar)
        self.export_button = QPushButton(self.action_bar)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        self.back_button.clicked.connect(self.back)
        self.export_button.clicked.connect(self._export)
        self.retranslate()

    def title(self) -> str:
        return _("History")

    def entered(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            self.rows = list(self._store().history(limit=500))
        except Exception as exc:  # the journal may be missing or locked; say so, keep going
            self.rows = []
            self.message.emit("warning", _("The history cannot be read: {error}").format(error=exc))
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, h in enumerate(self.rows):
            when = datetime.fromtimestamp(h.at).strftime("%Y-%m-%d %H:%M")
            try:
                platform = get_profile(h.platform).display_name()
            except KeyError:
                platform = h.platform
            status = STATUS_WORDS.get(h.status, lambda h=h: h.status)()
            if h.kind:
                status += " — " + entry(h.kind).title(h.platform)
            known = known_amount(h.amount)
            amount = f"{known} {h.currency or ''}".strip() if known else ""
            # A bound card has no attempts to count any more.
            left = "" if h.attempts_left is None or h.status == "bound" else str(h.attempts_left)
            for c, text in enumerate((when, platform, h.masked, status, amount, left)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.export_button.setEnabled(bool(self.rows))

    def _export(self) -> None:
        path = save_file_name(
            self,
            _("Export the history"),
            str(Path.home() / "cardbind-history.csv"),
            _("CSV files (*.csv)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from core.bind.records import export_history

        try:
            n = export_history(self._store(), path)
        except OSError as exc:
            self.message.emit(
                "error",
                _("The history could not be saved: {error}").format(error=exc.strerror or exc),
            )
            return
        self.message.emit(
            "info", _("{n} rows saved to {path}. Codes are masked.").format(n=n, path=path)
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.note.setText(
            _(
                "Every bind made on this computer. Codes are masked: only a "
                "few characters at each end are shown."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("When"), _("Card type"), _("Card"), _("Result"), _("Amount"), _("Attempts left")]
        )
        self.table.setAccessibleName(_("Bind history"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        self.back_button.setText(_("&Back"))
        self.export_button.setText(_("&Export as CSV…"))
        if self.rows:
            self._fill()

    def first_focus(self) -> QWidget | None:
        return self.table
