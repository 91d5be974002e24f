"""What a bind attempt can come to, as types the result screen and the journal share.

Adapters return `Bound`, `Rejected`, `NeedsVerification`, `RetryLater` or `AwaitingUser`;
the bind service adds `Refused` (nothing was sent) and wraps each in a `BindResult` with
the card's masked code, the local attempt budget and the knowledge-base entry.

The JSON form (`outcome_to_json` / `outcome_from_json`) is the wire format of the http
API and the journal's record; parsing is strict so a garbage reply is never taken for
an answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from core.codes.mask import redact
from core.errors import InternalError
from core.i18n import _

if TYPE_CHECKING:
    from core.bind.knowledge import KnowledgeEntry

# Every way a bind can fail or be held back; each has an entry in resources/knowledge.
ErrorKind = Literal[
    # answers from the platform
    "not_found",
    "already_bound_self",
    "already_bound_other",
    "not_activated",
    "expired",
    "frozen",
    "region_mismatch",
    "account_restricted",
    "verification_failed",
    "not_logged_in",
    "payment_password_not_set",
    "card_locked",
    "too_frequent",
    "network_timeout",
    "platform_fault",
    # refusals on this side, before anything is sent
    "invalid_code",
    "needs_confirmation",
    "blacklisted",
    "cancelled",
    "adapter_unavailable",
]
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)
PLATFORM_KINDS: tuple[str, ...] = ERROR_KINDS[: ERROR_KINDS.index("invalid_code")]
VerificationKind = Literal["sms", "captcha", "payment_password", "token", "qr"]
VERIFICATION: tuple[str, ...] = get_args(VerificationKind)
RETRY_KINDS = ("too_frequent", "platform_fault", "network_timeout")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Bound:
    amount: Decimal
    currency: str = "CNY"
    credited_at: datetime | None = None  # None: not credited yet (see credit_timing)
    reference: str = ""
    status: ClassVar[str] = "bound"

    @property
    def kind(self) -> str | None:
        return None


@dataclass(frozen=True)
class Rejected:
    kind: ErrorKind
    attempts_left: int | None = None  # as the platform says; None when it does not say
    message: str = ""  # the platform's own words, redacted
    status: ClassVar[str] = "rejected"


@dataclass(frozen=True)
class NeedsVerification:
    verification: VerificationKind
    prompt: str = ""  # what the platform shows with it (the sandbox shows its SMS code here)
    status: ClassVar[str] = "needs_verification"

    @property
    def kind(self) -> str | None:
        return None


@dataclass(frozen=True)
class RetryLater:
    kind: ErrorKind  # too_frequent | platform_fault | network_timeout
    after_s: float
    # True when an attempt's result is not known: it is looked up before anything is sent.
    unresolved: bool = False
    status: ClassVar[str] = "retry_later"


@dataclass(frozen=True)
class AwaitingUser:
    """Manual adapters: the user binds on the platform's own page or phone, then reports."""

    action: Literal["open_url", "show_qr"]
    url: str = ""
    # The grouped code for the clipboard or the QR; never stored, never in a repr.
    payload: str = field(default="", repr=False)
    status: ClassVar[str] = "awaiting_user"

    @property
    def kind(self) -> str | None:
        return None


@dataclass(frozen=True)
class Refused:
    """Nothing was sent: the code, the budget, the blacklist or the setup said no."""

    kind: ErrorKind
    detail: str = ""
    until: float | None = None  # epoch seconds, e.g. the end of a lock-out
    status: ClassVar[str] = "refused"


AdapterOutcome = Bound | Rejected | NeedsVerification | RetryLater | AwaitingUser
Outcome = AdapterOutcome | Refused


@dataclass(frozen=True)
class BindResult:
    """One bind call's result with everything the result screen shows."""

    outcome: Outcome
    platform: str
    masked: str
    card_hash: str
    attempt_key: str | None = None
    attempts_left: int | None = None  # local budget after this; None = no limit
    attempts_used: int = 0
    sent: bool = False
    # The outcome is what the user reported after binding on the platform's page or the
    # customer's phone (browser-assist, handoff), not an answer from a platform.
    reported: bool = False
    adapter: str = ""  # the bind method that answered (the sandbox is named as such)

    @property
    def ok(self) -> bool:
        return isinstance(self.outcome, Bound)

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def kind(self) -> str | None:
        return self.outcome.kind

    @property
    def knowledge(self) -> KnowledgeEntry | None:
        from core.bind.knowledge import entry

        kind = self.kind
        return entry(kind) if kind else None

    def summary(self) -> str:
        """One translated line for a status bar, a log or a screen reader."""
        return describe(self.outcome, self.masked, self.attempts_left, reported=self.reported)


def describe(
    outcome: Outcome, masked: str, attempts_left: int | None = None, *, reported: bool = False
) -> str:
    if reported and isinstance(outcome, Bound):
        # Only what the user said: no amount unless they gave one, no credit time.
        if outcome.amount > 0:
            return _("{card}: bound, {amount} {currency}, as you reported.").format(
                card=masked, amount=outcome.amount, currency=outcome.currency
            )
        return _("{card}: bound, as you reported.").format(card=masked)
    if reported and isinstance(outcome, Rejected):
        from core.bind.knowledge import entry

        return _("{card}: {title}, as you reported.").format(
            card=masked, title=entry(outcome.kind).title()
        )
    if isinstance(outcome, Bound):
        text = _("{card}: bound, {amount} {currency}.").format(
            card=masked, amount=outcome.amount, currency=outcome.currency
        )
        if outcome.credited_at is None:
            text += " " + _("Not credited yet.")
        return text
    if isinstance(outcome, NeedsVerification):
        from core.codes.profiles import VERIFICATION_KINDS

        return _("{card}: the platform asks for the {verification}.").format(
            card=masked,
            verification=_(VERIFICATION_KINDS.get(outcome.verification, outcome.verification)),
        )
    if isinstance(outcome, AwaitingUser):
        return _(
            "{card}: waiting for you to finish on the platform and tell cardbind the result."
        ).format(card=masked)
    from core.bind.knowledge import entry

    title = entry(outcome.kind).title()
    if isinstance(outcome, RetryLater):
        return _("{card}: {title}. Try again in {seconds} s.").format(
            card=masked, title=title, seconds=math.ceil(outcome.after_s)
        )
    text = _("{card}: {title}.").format(card=masked, title=title)
    if isinstance(outcome, Rejected) and attempts_left is not None:
        text += " " + _("Attempts left on this card: {n}.").format(n=attempts_left)
    return text


# -- JSON ------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def outcome_to_json(outcome: Outcome, *, with_payload: bool = False) -> dict[str, Any]:
    """The wire and journal form. `with_payload` only for a reply to the user's own screen."""
    data: dict[str, Any] = {"status": outcome.status}
    if isinstance(outcome, Bound):
        data.update(
            amount=str(outcome.amount),
            currency=outcome.currency,
            credited_at=_iso(outcome.credited_at),
            reference=outcome.reference,
        )
    elif isinstance(outcome, Rejected):
        data.update(
            error=outcome.kind, attempts_left=outcome.attempts_left, message=outcome.message
        )
    elif isinstance(outcome, NeedsVerification):
        data.update(verification=outcome.verification, prompt=outcome.prompt)
    elif isinstance(outcome, RetryLater):
        data.update(error=outcome.kind, retry_after=outcome.after_s, unresolved=outcome.unresolved)
    elif isinstance(outcome, AwaitingUser):
        data.update(action=outcome.action, url=outcome.url)
        if with_payload:
            data["payload"] = outcome.payload
    else:
        data.update(error=outcome.kind, detail=outcome.detail, until=outcome.until)
    return data


class BadOutcome(InternalError, ValueError):
    """A reply that is not a well-formed outcome."""


def _str(data: dict[str, Any], key: str, default: str | None = None, limit: int = 500) -> str:
    value = data.get(key, default)
    if value is None and default is not None:
        value = default
    if not isinstance(value, str) or len(value) > limit:
        raise BadOutcome(f"field {key!r} is not a short text")
    return value


def _kind(data: dict[str, Any], choices: tuple[str, ...]) -> Any:
    value = data.get("error")
    if value not in choices:
        raise BadOutcome(f"unknown error kind {str(value)[:40]!r}")
    return value


def _seconds(data: dict[str, Any], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadOutcome(f"field {key!r} is not a number")
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= 7 * 86400:
        raise BadOutcome(f"field {key!r} is out of range")
    return number


def outcome_from_json(data: Any) -> Outcome:
    """Parse strictly: anything unexpected raises `BadOutcome` (then it is a garbage reply)."""
    if not isinstance(data, dict):
        raise BadOutcome("not a JSON object")
    status = data.get("status")
    if status == "bound":
        try:
            amount = Decimal(_str(data, "amount", limit=32))
        except InvalidOperation:
            raise BadOutcome("amount is not a number") from None
        if not amount.is_finite() or amount < 0:
            raise BadOutcome("amount out of range")
        currency = _str(data, "currency", limit=3)
        if not _CURRENCY.match(currency):
            raise BadOutcome("currency is not a three-letter code")
        credited: datetime | None = None
        if data.get("credited_at") is not None:
            try:
                credited = datetime.fromisoformat(_str(data, "credited_at", limit=40))
            except ValueError:
                raise BadOutcome("credited_at is not a date") from None
            if credited.tzinfo is None:
                credited = credited.replace(tzinfo=UTC)
        return Bound(amount, currency, credited, redact(_str(data, "reference", "", 100)))
    if status == "rejected":
        left = data.get("attempts_left")
        if left is not None and (
            isinstance(left, bool) or not isinstance(left, int) or not 0 <= left <= 1000
        ):
            raise BadOutcome("attempts_left is not a small whole number")
        return Rejected(_kind(data, PLATFORM_KINDS), left, redact(_str(data, "message", "")))
    if status == "needs_verification":
        kind = data.get("verification")
        if kind not in VERIFICATION:
            raise BadOutcome("unknown verification kind")
        return NeedsVerification(kind, _str(data, "prompt", ""))
    if status == "retry_later":
        unresolved = data.get("unresolved", False)
        if not isinstance(unresolved, bool):
            raise BadOutcome("unresolved is not true/false")
        return RetryLater(_kind(data, RETRY_KINDS), _seconds(data, "retry_after"), unresolved)
    if status == "awaiting_user":
        action = data.get("action")
        if action not in ("open_url", "show_qr"):
            raise BadOutcome("unknown action")
        return AwaitingUser(action, _str(data, "url", ""), _str(data, "payload", ""))
    if status == "refused":
        until = data.get("until")
        if until is not None and (isinstance(until, bool) or not isinstance(until, int | float)):
            raise BadOutcome("until is not a time")
        return Refused(
            _kind(data, ERROR_KINDS),
            _str(data, "detail", ""),
            None if until is None else float(until),
        )
    raise BadOutcome(f"unknown status {str(status)[:40]!r}")
