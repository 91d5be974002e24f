"""BindService: any adapter wrapped with the rules that keep attempts and money safe.

- the code is checked first (block → refused; guide → refused until confirmed);
- a blacklisted, already bound, locked or used-up card is refused before sending;
- each attempt has an idempotency key and is journaled pending → sent → outcome;
- a card whose last attempt has no known outcome is looked up, never sent anew;
- transport errors are retried with exponential backoff and jitter (tenacity), each
  retry preceded by a lookup; a rejection is never retried;
- a circuit breaker holds back after repeated faults ("try again off-peak");
- pacing between binds, and the platform's cool-down after "too frequent".

Safe to call from a GUI worker thread; `cancel` stops any wait at once and a bind that
has not been sent yet. Verification values are passed per call and never kept.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from core.bind.adapter import Adapter, AdapterError, BindRequest, TransportError
from core.bind.breaker import CircuitBreaker
from core.bind.card import Card, CardHasher
from core.bind.clock import Cancelled, CancelToken, Clock, SystemClock
from core.bind.outcomes import (
    AdapterOutcome,
    AwaitingUser,
    BindResult,
    Bound,
    ErrorKind,
    NeedsVerification,
    Outcome,
    Refused,
    Rejected,
    RetryLater,
)
from core.bind.store import Attempt, BudgetState, Store
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import Profile, get_profile
from core.i18n import _
from core.secrets import SecretsUnavailable

log = logging.getLogger(__name__)

# Answers that say the platform did not get as far as the card: the attempt is given
# back to the card's budget. Everything else counts, which errs on the safe side.
NOT_COUNTED = frozenset(
    {
        "not_logged_in",
        "account_restricted",
        "payment_password_not_set",
        "verification_failed",
        "too_frequent",
        "platform_fault",
    }
)


@dataclass(frozen=True)
class BindPolicy:
    pacing_s: float = 3.0
    retries: int = 4  # transport retries per attempt, after the first try
    retry_base_s: float = 0.5
    retry_max_s: float = 8.0
    breaker_threshold: int = 5
    breaker_reset_s: float = 120.0
    # Per-platform overrides of the profile's attempt limit ("every number is a setting").
    attempt_limits: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: object) -> BindPolicy:
        get = getattr
        return cls(
            pacing_s=float(get(settings, "bind_pacing_s", cls.pacing_s)),
            retries=int(get(settings, "bind_retries", cls.retries)),
            retry_base_s=float(get(settings, "bind_retry_base_s", cls.retry_base_s)),
            retry_max_s=float(get(settings, "bind_retry_max_s", cls.retry_max_s)),
            breaker_threshold=int(get(settings, "breaker_threshold", cls.breaker_threshold)),
            breaker_reset_s=float(get(settings, "breaker_reset_s", cls.breaker_reset_s)),
            attempt_limits=dict(get(settings, "attempt_limits", {}) or {}),
        )


class BindService:
    def __init__(
        self,
        adapter: Adapter,
        store: Store | None = None,
        *,
        hasher: CardHasher | None = None,
        policy: BindPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.adapter = adapter
        self.clock = clock or (store.clock if store is not None else SystemClock())
        self.store = store or Store(clock=self.clock)
        self.hasher = hasher or CardHasher()
        self.policy = policy or BindPolicy()
        self.breaker = CircuitBreaker(
            self.clock, self.policy.breaker_threshold, self.policy.breaker_reset_s
        )

    # -- numbers from the profile --------------------------------------------------------

    def attempt_limit(self, platform: str | Profile) -> int:
        profile = platform if isinstance(platform, Profile) else get_profile(platform)
        override = self.policy.attempt_limits.get(profile.id)
        return int(override if override is not None else profile.attempt_limit.value or 0)

    def _lockout_s(self, profile: Profile) -> float:
        return float(profile.lockout_hours.value or 0) * 3600.0

    def budget(self, card: Card) -> tuple[BudgetState, int | None]:
        """The card's budget and attempts left, e.g. for "last attempt left" before binding."""
        state = self.store.budget(card.platform, self.hasher.card(card))
        return state, state.left(self.attempt_limit(card.platform))

    # -- binding -------------------------------------------------------------------------

    def bind(
        self,
        card: Card,
        *,
        verification: Mapping[str, str] | None = None,
        confirmed: bool = False,
        cancel: CancelToken | None = None,
        batch_id: int | None = None,
        row_no: int | None = None,
    ) -> BindResult:
        """Bind one card. Never raises for anything a platform or a network can do."""
        try:
            profile = get_profile(card.platform)
        except KeyError as exc:
            return self._result(
                Refused("invalid_code", str(exc.args[0])), card.platform, mask_code(card.pin), ""
            )
        checked = check_code(card.pin, profile, "pin", source="pasted")
        masked = mask_code(checked.value or card.pin)
        if not checked.ok:
            blocks = checked.by_tier("block")
            return self._result(
                Refused("invalid_code", blocks[0].message if blocks else ""), profile.id, masked, ""
            )
        number = card.card_number
        if "card_number" in profile.fields:
            fmt = profile.fields["card_number"]
            if number:
                checked_number = check_code(number, profile, "card_number", source="pasted")
                if not checked_number.ok:
                    return self._result(
                        Refused("invalid_code", checked_number.by_tier("block")[0].message),
                        profile.id,
                        masked,
                        "",
                    )
                number = checked_number.value
            elif fmt.required:
                return self._result(
                    Refused(
                        "invalid_code",
                        _("{platform} also needs the card number.").format(
                            platform=profile.display_name()
                        ),
                    ),
                    profile.id,
                    masked,
                    "",
                )
        if checked.needs_confirmation and not confirmed:
            guides = checked.by_tier("guide")
            return self._result(
                Refused("needs_confirmation", guides[0].message), profile.id, masked, ""
            )
        card = Card(profile.id, checked.value, number, card.account)
        try:
            card_hash = self.hasher.card(card)
        except SecretsUnavailable as exc:
            return self._result(Refused("adapter_unavailable", str(exc)), profile.id, masked, "")

        if self.store.blacklisted(profile.id, card_hash):
            return self._refuse(Refused("blacklisted"), profile, masked, card_hash)
        open_attempt = self.store.open_attempt(profile.id, card_hash)
        if open_attempt is not None:
            return self._resolve(open_attempt, card, profile, verification or {}, cancel)
        held = self._held_back(profile, card.account)
        if held is not None:
            return self._result(held, profile.id, masked, card_hash)
        try:
            self._pace(profile.id, cancel)
        except Cancelled:
            self.breaker.cancel_probe(profile.id)
            return self._result(Refused("cancelled"), profile.id, masked, card_hash)
        begun = self.store.begin_attempt(
            uuid.uuid4().hex,
            profile.id,
            self.adapter.name,
            card_hash,
            masked,
            limit=self.attempt_limit(profile),
            batch_id=batch_id,
            row_no=row_no,
        )
        if isinstance(begun, BudgetState):
            # Nothing goes out, so this cannot be the breaker's probe.
            self.breaker.cancel_probe(profile.id)
            kind: ErrorKind = "already_bound_self" if begun.bound else "card_locked"
            until = begun.locked_until if begun.locked_until != float("inf") else None
            return self._refuse(
                Refused(kind, until=until),
                profile,
                masked,
                card_hash,
                left=begun.left(self.attempt_limit(profile)),
            )
        return self._send(begun, card, profile, verification or {}, cancel)

    def _held_back(self, profile: Profile, account: str) -> RetryLater | None:
        # The platform's own "wait", for this bind method and account only (and never
        # more than the profile's documented maximum: the store caps it).
        left = self.store.cooldown_left(profile.id, self.adapter.name, account)
        if left > 0:
            return RetryLater("too_frequent", left)
        wait = self.breaker.wait_time(profile.id)
        if wait > 0:
            return RetryLater("platform_fault", wait)
        return None

    def _pace(self, platform: str, cancel: CancelToken | None) -> None:
        if self.policy.pacing_s <= 0:
            return
        last = self.store.last_bind(platform)
        if last is not None:
            wait = last + self.policy.pacing_s - self.clock.time()
            if wait > 0:
                self.clock.sleep(min(wait, self.policy.pacing_s), cancel)

    def _resolve(
        self,
        attempt: Attempt,
        card: Card,
        profile: Profile,
        verification: Mapping[str, str],
        cancel: CancelToken | None,
    ) -> BindResult:
        """The card's last attempt has no recorded outcome: find it out before anything else."""
        if attempt.adapter != self.adapter.name:
            return self._result(
                Refused(
                    "adapter_unavailable",
                    _(
                        "An earlier attempt on this card through {adapter} has no known "
                        "result yet. Finish it with {adapter} first."
                    ).format(adapter=attempt.adapter),
                ),
                profile.id,
                attempt.masked,
                attempt.card_hash,
                key=attempt.key,
            )
        return self._send(
            attempt, card, profile, verification, cancel, lookup_first=attempt.state == "sent"
        )

    def _send(
        self,
        attempt: Attempt,
        card: Card,
        profile: Profile,
        verification: Mapping[str, str],
        cancel: CancelToken | None,
        *,
        lookup_first: bool = False,
    ) -> BindResult:
        request = BindRequest(card, attempt.key, verification)
        maybe_sent = [attempt.state == "sent"]
        self.store.mark_sent(attempt.key)
        self.store.set_last_bind(profile.id, self.clock.time())
        try:
            outcome = self._call(request, cancel, lookup_first, maybe_sent)
        except Cancelled:
            if not maybe_sent[0]:
                self.store.void_attempt(attempt.key)
                return self._result(
                    Refused("cancelled"), profile.id, attempt.masked, attempt.card_hash
                )
            return self._unresolved(attempt, profile)
        except AdapterError as exc:
            log.warning(
                "bind %s: adapter %s not usable: %s", attempt.masked, self.adapter.name, exc
            )
            if not maybe_sent[0]:
                self.store.void_attempt(attempt.key)
            return self._result(
                Refused(exc.kind, str(exc)), profile.id, attempt.masked, attempt.card_hash
            )
        except TransportError as exc:
            self.breaker.failure(profile.id)
            log.warning("bind %s: no answer after retries (%s)", attempt.masked, exc)
            if not maybe_sent[0]:
                self.store.void_attempt(attempt.key)
                return self._result(
                    RetryLater("network_timeout", self._retry_after(profile)),
                    profile.id,
                    attempt.masked,
                    attempt.card_hash,
                )
            return self._unresolved(attempt, profile)
        return self._record(attempt, profile, outcome, card.account)

    def _retry_after(self, profile: Profile) -> float:
        return max(self.breaker.wait_time(profile.id), self.policy.retry_max_s)

    def _unresolved(self, attempt: Attempt, profile: Profile) -> BindResult:
        # The attempt stays open in the journal: the next bind of this card, or
        # recover(), looks it up before anything is sent again.
        return self._result(
            RetryLater("network_timeout", self._retry_after(profile), unresolved=True),
            profile.id,
            attempt.masked,
            attempt.card_hash,
            key=attempt.key,
            sent=True,
        )

    def _call(
        self,
        request: BindRequest,
        cancel: CancelToken | None,
        lookup_first: bool,
        maybe_sent: list[bool],
    ) -> AdapterOutcome:
        tries = [0]

        def once() -> AdapterOutcome:
            if tries[0] > 0 or lookup_first:
                # After a timeout nothing is sent again before asking what became of it.
                found = self.adapter.lookup(request.idempotency_key)
                if found is not None:
                    return found
            if cancel is not None:
                cancel.raise_if_cancelled()
            tries[0] += 1
            try:
                outcome = self.adapter.bind(request)
            except TransportError as exc:
                if exc.sent is not False:
                    maybe_sent[0] = True
                raise
            maybe_sent[0] = True
            return outcome

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.info(
                "bind %s: transport error (%s); retry %d",
                request.card.masked,
                type(exc).__name__,
                state.attempt_number,
            )

        retrying = Retrying(
            retry=retry_if_exception_type(TransportError),
            stop=stop_after_attempt(self.policy.retries + 1),
            wait=wait_random_exponential(
                multiplier=self.policy.retry_base_s, max=self.policy.retry_max_s
            ),
            sleep=lambda seconds: self.clock.sleep(seconds, cancel),
            before_sleep=before_sleep,
            reraise=True,
        )
        result: AdapterOutcome = retrying(once)
        return result

    def _record(
        self, attempt: Attempt, profile: Profile, outcome: AdapterOutcome, account: str = ""
    ) -> BindResult:
        if isinstance(outcome, AwaitingUser):
            # Manual adapters: the attempt stays open until the user reports (report()).
            return self._result(
                outcome,
                profile.id,
                attempt.masked,
                attempt.card_hash,
                key=attempt.key,
                sent=True,
                left=self.store.budget(profile.id, attempt.card_hash).left(
                    self.attempt_limit(profile)
                ),
            )
        if isinstance(outcome, RetryLater) and outcome.kind == "too_frequent":
            after = outcome.after_s or float(profile.cooldown_seconds.value or 60)
            # The wait kept is the wait said: within the profile's maximum, so that a
            # batch never sleeps on a server's 3,000 years.
            kept = self.store.set_cooldown(profile.id, self.adapter.name, account, after)
            outcome = RetryLater(outcome.kind, kept, outcome.unresolved)
        if isinstance(outcome, RetryLater) and outcome.kind == "platform_fault":
            self.breaker.failure(profile.id)
        else:
            self.breaker.success(profile.id)
        return self._finish(attempt, profile, outcome)

    def _finish(
        self, attempt: Attempt, profile: Profile, outcome: Outcome, *, reported: bool = False
    ) -> BindResult:
        counted = isinstance(outcome, Bound) or (
            isinstance(outcome, Rejected) and outcome.kind not in NOT_COUNTED
        )
        limit = self.attempt_limit(profile)
        after = self.store.finish_attempt(
            attempt.key,
            outcome,
            counted=counted,
            limit=limit,
            lockout_s=self._lockout_s(profile),
            adapter=self.adapter.name,
            history=not isinstance(outcome, NeedsVerification),
        )
        result = self._result(
            outcome,
            profile.id,
            attempt.masked,
            attempt.card_hash,
            key=attempt.key,
            sent=True,
            left=after.left(limit),
            used=after.used,
            reported=reported,
        )
        log.info(
            "bind %s on %s via %s: %s %s",
            attempt.masked,
            profile.id,
            self.adapter.name,
            outcome.status,
            outcome.kind or "",
        )
        return result

    def _refuse(
        self,
        outcome: Refused,
        profile: Profile,
        masked: str,
        card_hash: str,
        left: int | None = None,
    ) -> BindResult:
        result = self._result(outcome, profile.id, masked, card_hash, left=left)
        self.store.add_history(result, self.adapter.name)
        return result

    def _result(
        self,
        outcome: Outcome,
        platform: str,
        masked: str,
        card_hash: str,
        *,
        key: str | None = None,
        sent: bool = False,
        left: int | None = None,
        used: int = 0,
        reported: bool = False,
    ) -> BindResult:
        return BindResult(
            outcome, platform, masked, card_hash, key, left, used, sent, reported, self.adapter.name
        )

    # -- after a crash, and for manual adapters ---------------------------------------------

    def recover(self, cancel: CancelToken | None = None) -> list[BindResult]:
        """Look up every attempt of this adapter left without an outcome (crash, timeout).

        Attempts the platform never acted on stay open; the next bind of that card
        sends them again under the same key (the code itself is not kept here).
        """
        if not self.adapter.automatic:
            return []
        results: list[BindResult] = []
        for attempt in self.store.open_attempts(self.adapter.name):
            if attempt.state != "sent":
                continue
            if cancel is not None and cancel.cancelled:
                break
            try:
                found = self.adapter.lookup(attempt.key)
            except (TransportError, AdapterError) as exc:
                log.warning("recover %s: lookup failed (%s)", attempt.masked, exc)
                continue
            if found is not None:
                results.append(self._record(attempt, get_profile(attempt.platform), found))
        return results

    def report(self, attempt_key: str, outcome: Bound | Rejected | None) -> BindResult | None:
        """The user's report for a browser-assist or handoff attempt; None = not tried."""
        attempt = self.store.attempt(attempt_key)
        if attempt is None or attempt.state not in ("pending", "sent"):
            return None
        profile = get_profile(attempt.platform)
        if outcome is None:
            self.store.void_attempt(attempt_key)
            return self._result(
                Refused("cancelled"), profile.id, attempt.masked, attempt.card_hash, key=attempt_key
            )
        return self._finish(attempt, profile, outcome, reported=True)

    def close(self) -> None:
        self.adapter.close()


VerificationAsker = Callable[[NeedsVerification], "str | None"]


def bind_interactively(
    service: BindService,
    card: Card,
    ask: VerificationAsker,
    *,
    confirmed: bool = False,
    cancel: CancelToken | None = None,
    max_rounds: int = 5,
    max_wrong: int = 3,
    on_wrong: Callable[[str], None] | None = None,
) -> BindResult:
    """Bind, asking for each verification the platform wants (SMS code, captcha…).

    `ask` returns the value, or None when the user gives up. Values live only in this
    call's dict and go out with the next attempt. A value the platform refuses (wrong
    or expired; it costs the card no attempt) brings a fresh challenge, up to `max_wrong`
    times; `on_wrong` hears the kind that was wrong.
    """
    values: dict[str, str] = {}
    wrong = 0
    result = service.bind(card, verification=values, confirmed=confirmed, cancel=cancel)
    for _round in range(max_rounds + max_wrong):
        outcome = result.outcome
        if (
            isinstance(outcome, Rejected)
            and outcome.kind == "verification_failed"
            and values
            and wrong < max_wrong
        ):
            wrong += 1
            if on_wrong is not None:
                on_wrong(list(values)[-1])
            values = {}
            result = service.bind(card, verification=values, confirmed=confirmed, cancel=cancel)
            continue
        if not isinstance(outcome, NeedsVerification):
            break
        value = ask(outcome)
        if not value:
            break
        values[outcome.verification] = value
        result = service.bind(card, verification=values, confirmed=confirmed, cancel=cancel)
    return result
