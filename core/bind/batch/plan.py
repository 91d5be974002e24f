"""Planning a batch: read and check every row of the file before anything is sent,
journal the plan (no codes), and on a resume match the file's rows to the journal by
their hash (why the codes are never journaled: the package's docstring).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from core.bind.batch.state import (
    RUNNABLE,
    BatchError,
    BatchPlan,
    PlannedRow,
    held_elsewhere,
    target_of,
)
from core.bind.card import Card
from core.bind.importer import ColumnMap, InputRow, file_sha256, read_batch_file
from core.bind.outcomes import BindResult, Bound
from core.bind.service import BindService
from core.bind.store import BatchInfo, BatchRowState
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import get_profile
from core.i18n import _


class BatchPlanner:
    """Reads, checks and journals a batch; binds nothing (BatchEngine runs it)."""

    def __init__(self, service: BindService) -> None:
        self.service = service
        self.store = service.store

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
        # Every answer below is about this row: its number, platform and masked code.
        planned = partial(PlannedRow, row.row_no, profile.id, mask_code(checked.value or row.pin))
        if not checked.ok:
            return planned("", "invalid", checked.by_tier("block")[0].message)
        number = ""
        if "card_number" in profile.fields:
            fmt = profile.fields["card_number"]
            if row.card_number:
                checked_number = check_code(
                    row.card_number, profile, "card_number", source="pasted"
                )
                if not checked_number.ok:
                    return planned("", "invalid", checked_number.by_tier("block")[0].message)
                number = checked_number.value
            elif fmt.required:
                return planned(
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
            return planned(
                card_hash, "duplicate", _("Same card as row {row}.").format(row=seen[key])
            )
        seen[key] = row.row_no
        if self.store.blacklisted(profile.id, card_hash):
            return planned(card_hash, "blacklisted")
        if self.store.budget(profile.id, card_hash).bound:
            return planned(card_hash, "already_bound")
        if checked.needs_confirmation and not confirm_guides:
            return planned(
                card_hash, "needs_confirmation", checked.by_tier("guide")[0].message, card=card
            )
        if not confirm_guides and self.store.last_kind(profile.id, card_hash) == "not_found":
            # Sending a code the platform did not know again spends an attempt on a
            # guess (rule 1): only after the user compared it with the card.
            return planned(
                card_hash,
                "needs_confirmation",
                _(
                    "Last time the platform found no card with this code. "
                    "Compare it with the card before it is sent again."
                ),
                card=card,
            )
        return planned(card_hash, "ready", confirmed=checked.needs_confirmation, card=card)

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
        if info.state == "open" and held_elsewhere(info):
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
