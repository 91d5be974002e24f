"""The adapter interface every bind method implements, and the errors it may raise.

An adapter answers with an outcome (core.bind.outcomes) for anything the platform said,
and raises `TransportError` only when no trustworthy answer came back. Whether the
platform acted on the request is then unknown, unless `sent` is False (the connection
never opened); the bind service looks the attempt up by its idempotency key before
anything is sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from core.bind.card import Card
from core.bind.clock import Clock, SystemClock
from core.bind.outcomes import AdapterOutcome, ErrorKind
from core.codes.mask import redact
from core.errors import InternalError, UsageError
from core.i18n import N_
from core.secrets import Secrets

if TYPE_CHECKING:
    from core.bind.adapters.faults import FaultSpec
    from core.settings import Settings


class TransportError(InternalError):
    """No trustworthy answer: timeout, dropped connection, server error, garbage reply.
    Its text is for the log; the service turns it into an outcome before a user sees it."""

    template = N_(
        "The bind service gave no clear answer. Try again later: cardbind looks "
        "the card up before it sends it again."
    )

    def __init__(self, message: str, *, sent: bool | None = None) -> None:
        # Messages can carry a server's words or a URL; never a code.
        super().__init__(redact(message))
        self.sent = sent  # False: surely not sent; None: unknown


class AttemptTimeout(TransportError):
    """The request went out and no answer came back in time."""


class GarbageReply(TransportError):
    """Something came back that is not an answer."""


class AdapterError(UsageError):
    """The adapter cannot work as set up (no token, no address…). Nothing was sent."""

    def __init__(self, message: str, kind: ErrorKind = "adapter_unavailable") -> None:
        super().__init__(redact(message))
        self.kind: ErrorKind = kind


@dataclass(frozen=True)
class BindRequest:
    card: Card
    idempotency_key: str
    # SMS code, payment password, token…: passed per attempt, never stored or logged.
    verification: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Availability:
    ok: bool
    help: str = ""  # translated: what to do to make it work


@runtime_checkable
class Adapter(Protocol):
    name: str
    # False for browser-assist and handoff: the outcome comes from the user's report,
    # and the adapter cannot look anything up.
    automatic: bool

    def is_available(self) -> Availability: ...

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        """What the user must supply for this platform (SMS code, payment password…)."""
        ...

    def bind(self, request: BindRequest) -> AdapterOutcome: ...

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        """The outcome of an earlier attempt, or None if the platform never acted on it."""
        ...

    def close(self) -> None: ...


@dataclass
class AdapterContext:
    """What a factory may use to build an adapter."""

    settings: Settings
    secrets: Secrets = field(default_factory=Secrets)
    clock: Clock = field(default_factory=SystemClock)
    sandbox_db: Path | None = None
    faults: FaultSpec | None = None
    base_url: str = ""
    # For browser-assist: how to open a page and fill the clipboard (the GUI passes Qt's).
    open_url: Callable[[str], bool] | None = None
    copy_text: Callable[[str], None] | None = None


AdapterFactory = Callable[[AdapterContext], Adapter]
