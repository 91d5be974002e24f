"""The `sandbox` adapter (the default): the simulated platforms, in process.

Faults are injected between this adapter and the ledger, where a network would be:
a "timeout" before the ledger is touched, an "after_commit" timeout or a garbage reply
after it committed, a server error before it.
"""

from __future__ import annotations

import json
from pathlib import Path

from core import atomic
from core.bind.adapter import (
    AdapterContext,
    AttemptTimeout,
    Availability,
    BindRequest,
    GarbageReply,
    TransportError,
)
from core.bind.adapters.faults import FaultInjector, FaultSpec
from core.bind.adapters.ledger import DEFAULT_ACCOUNT, SandboxLedger
from core.bind.card import Card
from core.bind.clock import Clock, SystemClock
from core.bind.outcomes import AdapterOutcome
from core.i18n import _
from core.paths import data_dir

DEFAULT_FILE = "sandbox.sqlite3"
# Which ledger each practice-card file was made for (by checksum; no code in it).
FILES_NAME = "sandbox_files.json"
_FILES_KEPT = 200


def default_db(settings_value: str = "") -> Path:
    return Path(settings_value).expanduser() if settings_value else data_dir() / DEFAULT_FILE


def _files() -> dict[str, str]:
    try:
        data = json.loads((data_dir() / FILES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def remember_file(sha256: str, ledger: Path) -> None:
    """`cardbind sandbox init` wrote a file of practice cards for `ledger`: remember it by
    the file's checksum, so that a batch of that file binds against that ledger (the
    batch window finds it there; the newest files are kept)."""
    files = _files()
    files.pop(sha256, None)
    files[sha256] = str(ledger.resolve())
    kept = dict(list(files.items())[-_FILES_KEPT:])
    atomic.write_text(data_dir() / FILES_NAME, json.dumps(kept, indent=1))


def ledger_for_file(sha256: str) -> Path | None:
    """The ledger a file of practice cards was made for, if cardbind made it and the
    ledger is still there."""
    found = _files().get(sha256)
    return Path(found) if found and Path(found).is_file() else None


class SandboxAdapter:
    name = "sandbox"
    automatic = True

    def __init__(
        self,
        ledger: SandboxLedger,
        faults: FaultSpec | None = None,
        clock: Clock | None = None,
        account: str = DEFAULT_ACCOUNT,
    ) -> None:
        self.ledger = ledger
        self.faults = FaultInjector(faults) if faults is not None and faults.any else None
        self.clock = clock or ledger.clock or SystemClock()
        self.account = account

    def is_available(self) -> Availability:
        if not self.ledger.report():
            return Availability(
                False,
                _(
                    "The sandbox has no cards yet. Create some with: cardbind sandbox init "
                    "--db {path} --platform jd --cards 10 --csv cards.csv"
                ).format(path=self.ledger.path),
            )
        return Availability(True)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        return self.ledger.verification_kinds(platform)

    def knows(self, card: Card) -> bool:
        """Whether this ledger has the card at all (a practice check before a batch; a
        real platform cannot be asked this without spending an attempt)."""
        return self.ledger.knows(card.platform, card.pin)

    def _latency(self) -> None:
        if self.faults is not None:
            self.clock.sleep(self.faults.latency_s())

    def bind(self, request: BindRequest) -> AdapterOutcome:
        self._latency()
        fault = self.faults.roll() if self.faults is not None else "none"
        if fault == "timeout":
            raise AttemptTimeout("sandbox: simulated timeout before the bind")
        if fault == "error":
            raise TransportError("sandbox: simulated server error (HTTP 500)")
        card = request.card
        outcome = self.ledger.bind(
            request.idempotency_key,
            card.platform,
            card.pin,
            card_number=card.card_number,
            account=card.account or self.account,
            verification=request.verification,
        )
        if fault == "after_commit":
            raise AttemptTimeout("sandbox: simulated timeout after the bind committed")
        if fault == "garbage":
            raise GarbageReply("sandbox: simulated garbage reply")
        return outcome

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        self._latency()
        return self.ledger.lookup(idempotency_key)

    def close(self) -> None:
        self.ledger.close()


def create(context: AdapterContext) -> SandboxAdapter:
    path = context.sandbox_db or default_db(context.settings.sandbox_db)
    ledger = SandboxLedger(path, context.clock)
    return SandboxAdapter(
        ledger, context.faults, context.clock, context.settings.account or DEFAULT_ACCOUNT
    )
