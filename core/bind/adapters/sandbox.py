"""The `sandbox` adapter (the default): the simulated platforms, in process.

Faults are injected between this adapter and the ledger, where a network would be:
a "timeout" before the ledger is touched, an "after_commit" timeout or a garbage reply
after it committed, a server error before it.
"""

from __future__ import annotations

from pathlib import Path

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
from core.bind.clock import Clock, SystemClock
from core.bind.outcomes import AdapterOutcome
from core.i18n import _
from core.paths import data_dir

DEFAULT_FILE = "sandbox.sqlite3"


def default_db(settings_value: str = "") -> Path:
    return Path(settings_value).expanduser() if settings_value else data_dir() / DEFAULT_FILE


class SandboxAdapter:
    name = "sandbox"
    automatic = True

    def __init__(self, ledger: SandboxLedger, faults: FaultSpec | None = None,
                 clock: Clock | None = None, account: str = DEFAULT_ACCOUNT) -> None:
        self.ledger = ledger
        self.faults = FaultInjector(faults) if faults is not None and faults.any else None
        self.clock = clock or ledger.clock or SystemClock()
        self.account = account

    def is_available(self) -> Availability:
        if not self.ledger.report():
            return Availability(False, _(
                "The sandbox has no cards yet. Create some with: cardbind sandbox init "
                "--db {path} --platform jd --cards 10 --csv cards.csv").format(
                    path=self.ledger.path))
        return Availability(True)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        return self.ledger.verification_kinds(platform)

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
        outcome = self.ledger.bind(request.idempotency_key, card.platform, card.pin,
                                   card_number=card.card_number,
                                   account=card.account or self.account,
                                   verification=request.verification)
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
    return SandboxAdapter(ledger, context.faults, context.clock,
                          context.settings.account or DEFAULT_ACCOUNT)
