"""The rows of a batch as a table model: row number, card type, masked code, status in
words with an icon (never colour alone), and what to do. The model never holds a full
code: rows come from a `BatchPlan` (masked) or the journal (masked), and live updates
carry masked codes only. The two records of fixing one row (`FixRequest`, `RowFix`)
do hold one, and live only while that row is being fixed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from core.bind.batch.state import PlannedRow, RowUpdate, status_name
from core.bind.importer import RowCells
from core.bind.knowledge import entry
from core.bind.store import BatchRowState
from core.i18n import _
from gui.icons import tier_icon
from gui.widgets.platform_combo import platform_name

# Rows a person should look at before binding (fixable in the window), and rows that
# settled without a bind.
NEEDS_LOOK = frozenset({"invalid", "needs_confirmation", "duplicate"})
FIXABLE = NEEDS_LOOK
STATUS_TIER = {
    "ready": "hint",
    "retry_later": "guide",
    "unresolved": "guide",
    "needs_verification": "guide",
    "awaiting_user": "guide",
    "needs_confirmation": "guide",
    "invalid": "block",
    "duplicate": "block",
    "blacklisted": "block",
    "rejected": "block",
    "refused": "block",
    "already_bound": "hint",
    "bound": "ok",
}
ROLE_ROW_NO = Qt.ItemDataRole.UserRole + 1
ROLE_STATUS = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class RowView:
    row_no: int
    platform: str
    masked: str
    status: str
    detail: str = ""
    card_hash: str = ""


@dataclass(frozen=True, repr=False)
class FixRequest:
    """The row being fixed and its cells as the file has them (a full code)."""

    row: RowView
    cells: RowCells
    platform: str
    platform_editable: bool

    def __repr__(self) -> str:
        return f"FixRequest({self.row.row_no})"


@dataclass(frozen=True, repr=False)
class RowFix:
    """What the user typed (full codes: pass it on, never keep it)."""

    row_no: int
    platform: str
    pin: str
    card_number: str
    confirmed: bool  # the user compared a doubtful code with the card
    changed: dict[str, str]  # the fields to write to the file

    def __repr__(self) -> str:
        return f"RowFix({self.row_no})"


def from_plan(rows: Iterable[PlannedRow]) -> list[RowView]:
    return [RowView(r.row_no, r.platform, r.masked, r.status, r.detail, r.card_hash) for r in rows]


def journal_detail(r: BatchRowState) -> str:
    parts: list[str] = []
    if r.status == "bound" and r.amount:
        parts.append(f"{r.amount} {r.currency or ''}".strip())
    elif r.kind:
        parts.append(entry(r.kind).title(r.platform))
    if r.detail and r.detail not in parts:
        parts.append(r.detail)
    return " — ".join(parts)


def from_journal(rows: Iterable[BatchRowState]) -> list[RowView]:
    return [
        RowView(r.row_no, r.platform, r.masked, r.status, journal_detail(r), r.card_hash)
        for r in rows
    ]


def update_detail(update: RowUpdate) -> str:
    result = update.result
    if update.detail:
        return update.detail
    if result is None:
        return ""
    outcome = result.outcome
    amount = getattr(outcome, "amount", None)
    if update.status == "bound" and amount is not None:
        return f"{amount} {getattr(outcome, 'currency', '')}".strip()
    if result.kind:
        return entry(result.kind).title(result.platform)
    return ""


class BatchRowsModel(QAbstractTableModel):
    COLUMNS = ("row", "platform", "card", "status", "detail")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RowView] = []
        self._index: dict[int, int] = {}

    def set_rows(self, rows: list[RowView]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._index = {r.row_no: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def update_row(self, row_no: int, status: str, detail: str) -> int | None:
        """A live update from the running batch; returns the table row, if shown."""
        i = self._index.get(row_no)
        if i is None:
            return None
        self.rows[i] = replace(self.rows[i], status=status, detail=detail)
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
        return i

    def row_at(self, i: int) -> RowView | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def position(self, row_no: int) -> int | None:
        return self._index.get(row_no)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for r in self.rows:
            found[r.status] = found.get(r.status, 0) + 1
        return found

    def retranslate(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        names = (_("Row"), _("Card type"), _("Card"), _("Status"), _("What to do / result"))
        return names[section] if 0 <= section < len(names) else None

    def _text(self, r: RowView, column: int) -> str:
        if column == 0:
            return str(r.row_no)
        if column == 1:
            return platform_name(r.platform)
        if column == 2:
            return r.masked or "—"
        if column == 3:
            return status_name(r.status)
        if r.detail:
            return r.detail
        if r.status == "needs_confirmation":
            return _("Check it on the card, then confirm or fix it.")
        if r.status in ("invalid", "duplicate"):
            return _("Fix it, or leave it: it will not be sent.")
        return ""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(r, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == 0:
                return (
                    _("Row {row}: {card}, {status}. {detail}")
                    .format(
                        row=r.row_no,
                        card=r.masked or "—",
                        status=status_name(r.status),
                        detail=self._text(r, 4),
                    )
                    .strip()
                )
            return self._text(r, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return tier_icon(STATUS_TIER.get(r.status, "hint"))
        if role == Qt.ItemDataRole.FontRole and r.status in NEEDS_LOOK:
            font = QFont()
            font.setBold(True)
            return font
        if role == ROLE_ROW_NO:
            return r.row_no
        if role == ROLE_STATUS:
            return r.status
        return None
