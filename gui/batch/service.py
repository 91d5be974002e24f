"""The bind service a batch window owns: made when first needed, usable only when it
binds by itself, switched to the practice ledger a file or a batch was made for, and
closed with the window. It answers what the journal knows of a file's batches and
saves a batch's results; the controller decides what to do, and when."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from core.bind.adapters.sandbox import ledger_for_file
from core.bind.batch.state import target_of, unfinished_batches
from core.bind.importer import file_sha256
from core.bind.service import BindService
from core.bind.store import BatchInfo, Store, StoreError
from core.errors import UserFacingError
from core.i18n import _
from gui import messages

log = logging.getLogger(__name__)

MakeService = Callable[[], BindService]
# The sandbox's service for a given ledger file (practice cards made for that file).
MakePracticeService = Callable[[Path], BindService]


class BatchService(QObject):
    def __init__(
        self,
        make_service: MakeService,
        make_practice_service: MakePracticeService | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_service = make_service
        self._make_practice = make_practice_service
        self._service: BindService | None = None

    def get(self) -> BindService:
        if self._service is None:
            self._service = self._make_service()
        return self._service

    def store(self) -> Store:
        return self.get().store

    def usable(self) -> BindService | None:
        """The service, when it can be made and binds by itself; else the user is told."""
        try:
            service = self.get()
        except UserFacingError as exc:
            messages.error(exc.user_message(), self)
            return None
        except Exception as exc:
            log.warning("bind service cannot be made: %s", exc)
            messages.error(_("The bind method cannot be started: {error}").format(error=exc), self)
            return None
        if not service.adapter.automatic:
            messages.error(
                _(
                    "A batch needs a bind method that works by itself (sandbox or http); {name} "
                    "needs a person for every card. Choose another bind method in Settings."
                ).format(name=service.adapter.name),
                self,
            )
            return None
        return service

    # -- the practice ledger ----------------------------------------------------------------

    def practice_ledger(self) -> Path | None:
        """The sandbox ledger the batch binds against (None: not the sandbox)."""
        ledger = getattr(self.get().adapter, "ledger", None)
        path = getattr(ledger, "path", None)
        return Path(path).resolve() if path is not None else None

    def switch_to(self, ledger: Path) -> bool:
        """Bind against the practice ledger `ledger` from now on (the caller makes sure
        nothing runs); False where there is no practice service to make."""
        if self._make_practice is None:
            return False
        self.close()
        self._service = self._make_practice(ledger)
        return True

    def ledger_made_for(self, path: Path) -> Path | None:
        """The practice ledger `cardbind sandbox init` made the file `path` for, when the
        batch binds against another one now (None: no such ledger, or the same one)."""
        try:
            current = self.practice_ledger()
            made_for = ledger_for_file(file_sha256(path)) if current is not None else None
        except (OSError, UserFacingError):
            return None
        return made_for if made_for is not None and made_for.resolve() != current else None

    def ledger_of(self, info: BatchInfo) -> Path | None:
        """The practice ledger a batch was started against, when that is not the one in
        use now and is still there (a practice batch goes on against its own ledger)."""
        target = str(info.options.get("target", ""))
        if not target.startswith("sandbox:") or target == target_of(self.get().adapter):
            return None
        ledger = Path(target.partition(":")[2])
        return ledger if ledger.is_file() else None

    # -- the journal ------------------------------------------------------------------------

    def unfinished_batch(self, path: Path) -> int | None:
        """The unfinished batch of the file `path` against this ledger or service."""
        service = self.get()
        try:
            found = service.store.find_batches(file_sha256(path), str(path.resolve()))
        except OSError:
            return None
        # Only a batch of this file against the same ledger or service is this one.
        target = target_of(service.adapter)
        found = [b for b in found if b.options.get("target", target) == target]
        open_ids = {u.info.id for u in unfinished_batches(service.store)}
        return next((info.id for info in found if info.id in open_ids), None)

    def export(self, batch_id: int, path: Path) -> bool:
        """The results of batch `batch_id` saved to `path` (masked codes); the user is told."""
        from core.bind.records import export_batch

        try:
            n = export_batch(self.store(), batch_id, path)
        except (OSError, StoreError) as exc:
            messages.error(
                _("The results could not be saved: {error}").format(
                    error=getattr(exc, "strerror", None) or exc
                ),
                self,
            )
            return False
        messages.info(_("{n} rows saved to {path}. Codes are masked.").format(n=n, path=path), self)
        return True

    def close(self) -> None:
        if self._service is not None:
            service, self._service = self._service, None
            service.close()
            service.store.close()
