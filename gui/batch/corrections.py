"""Fixing one row of a checked batch: the only time a full code is read back from the
file (for the fix page), a change written to a corrected copy next to the user's file
(`….corrected.csv`, which the batch then reads: fixes live in a file the user owns,
never in cardbind's journal), and a doubtful row the user compared with the card
confirmed. The controller (controller.py) owns the state; this part of it works on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, SignalInstance

from core.bind.batch.state import BatchPlan
from core.bind.importer import (
    BatchFileError,
    ColumnMap,
    corrected_name,
    platform_from_text,
    read_row,
    write_corrected,
)
from core.i18n import _
from gui import messages
from gui.batch.rows import FIXABLE, BatchRowsModel, FixRequest, RowFix, from_plan
from gui.batch.state import State


class _Batch(Protocol):
    """What fixing a row needs of the batch controller."""

    state: State
    model: BatchRowsModel
    original: Path | None
    source: Path | None
    own_copy: Path | None
    columns: ColumnMap | None
    default_platform: str | None
    plan: BatchPlan | None
    confirmed: set[tuple[int, str]]
    fixing: FixRequest | None

    @property
    def row_chosen(self) -> SignalInstance: ...

    def columns_in_use(self) -> ColumnMap | None: ...

    def validate(self, after: Callable[[BatchPlan], None] | None = None) -> bool: ...

    def _set_state(self, state: State) -> None: ...


class Corrections(QObject):
    def __init__(self, batch: _Batch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._batch = batch

    def open(self, row_no: int) -> bool:
        """Open the row's fix page; the full code is read from the file for this only."""
        b = self._batch
        if b.state is not State.CHECK or b.source is None:
            return False
        position = b.model.position(row_no)
        row = b.model.row_at(position if position is not None else -1)
        if row is None or row.status not in FIXABLE:
            return False
        try:
            cells = read_row(b.source, row_no, b.columns)
        except BatchFileError as exc:
            messages.error(str(exc), self)
            return False
        if cells is None:
            messages.error(
                _(
                    "Row {row} cannot be fixed here. Correct it in your file and "
                    "choose the file again."
                ).format(row=row_no),
                self,
            )
            return False
        columns = b.columns_in_use()
        editable = columns is not None and columns.platform is not None
        platform = row.platform or cells.platform or b.default_platform or "jd"
        if editable and cells.platform:
            platform = platform_from_text(cells.platform) or platform
        b.fixing = FixRequest(row, cells, platform, editable)
        b._set_state(State.FIX)
        return True

    def cancel(self) -> None:
        self._batch.fixing = None
        self._batch._set_state(State.CHECK)

    def save(self, fix: RowFix | None) -> bool:
        """Write a changed row to the corrected copy and check the file again; a doubtful
        row the user compared with the card is confirmed."""
        b = self._batch
        if fix is None or b.source is None:
            return False
        if fix.changed and not self._write(fix, b.source):
            return False
        b.fixing = None
        row_no, confirmed = fix.row_no, fix.confirmed

        def confirm(plan: BatchPlan) -> None:
            planned = next((r for r in plan.rows if r.row_no == row_no), None)
            if planned is not None and planned.status == "needs_confirmation" and confirmed:
                b.confirmed.add((row_no, planned.card_hash))
                plan.confirm(b.confirmed)
                b.model.set_rows(from_plan(plan.rows))
            b.row_chosen.emit(row_no, True)

        if fix.changed or b.plan is None:
            return b.validate(after=confirm)
        b._set_state(State.CHECK)
        confirm(b.plan)
        return True

    def _write(self, fix: RowFix, source: Path) -> bool:
        """The change into the corrected copy, from now on the file the batch reads."""
        b = self._batch
        target = b.own_copy or corrected_name(b.original or source)
        try:
            b.columns = write_corrected(source, target, {fix.row_no: fix.changed}, b.columns)
        except (BatchFileError, OSError) as exc:
            messages.error(
                _("The corrected copy could not be written: {error}").format(
                    error=getattr(exc, "strerror", None) or exc
                ),
                self,
            )
            return False
        first = b.own_copy is None
        b.own_copy = b.source = target
        if first:
            messages.info(
                _(
                    "Your fix is saved in {file}, next to your file. The batch "
                    "reads this copy from now on; your own file is not changed."
                ).format(file=target.name),
                self,
            )
        return True
