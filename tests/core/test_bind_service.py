"""BindService: the rules that keep bind attempts and money safe, against the sandbox
and against scripted adapters that misbehave on purpose."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.bind.adapter import AdapterError, AttemptTimeout, Availability, BindRequest
from core.bind.adapter import TransportError as TE
from core.bind.adapters.faults import FaultSpec
from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import Card
from core.bind.clock import CancelToken, FakeClock
from core.bind.outcomes import (
    AdapterOutcome,
    BindResult,
    Bound,
    NeedsVerification,
    Refused,
    Rejected,
    RetryLater,
)
from core.bind.service import BindPolicy, BindService, bind_interactively
from core.bind.store import Store
from core.codes.mask import mask_code
from tests.support.fixtures import QUICK_POLICY, make_service


def one_card(ledger: SandboxLedger, platform: str = "jd", state: str = "unbound") -> Card:
    made = ledger.create_cards(
        platform,
        0 if state != "unbound" else 1,
        seed=1,
        mix={state: 1} if state != "unbound" else None,
    )
    return Card(platform, made[0].pin, made[0].card_number)


def card_row(ledger: SandboxLedger) -> dict[str, object]:
    rows = ledger.report()
    assert len(rows) == 1
    return rows[0]


class Scripted:
    """An adapter that answers from a script and counts what it was asked."""

    name = "scripted"
    automatic = True

    def __init__(
        self,
        answers: list[AdapterOutcome | Exception],
        lookups: list[AdapterOutcome | Exception | None] | None = None,
    ) -> None:
        self.answers = answers
        self.lookups = lookups or []
        self.binds: list[BindRequest] = []
        self.looked_up: list[str] = []

    def is_available(self) -> Availability:
        return Availability(True)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        return ()

    def bind(self, request: BindRequest) -> AdapterOutcome:
        self.binds.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        self.looked_up.append(idempotency_key)
        if not self.lookups:
            return None
        answer = self.lookups.pop(0) if len(self.lookups) > 1 else self.lookups[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        pass


JD_CODE = "E71D5E4733ED50BA"


def test_bound_carries_amount_currency_and_credit_time(
    ledger: SandboxLedger, sandbox_service: BindService
) -> None:
    card = one_card(ledger)
    result = sandbox_service.bind(card)
    assert isinstance(result.outcome, Bound)
    assert result.outcome.amount > 0
    assert result.outcome.currency == "CNY"
    assert result.outcome.credited_at is not None  # JD credits at once (seed)
    assert result.masked == mask_code(card.pin)
    assert card_row(ledger)["binds"] == 1


def test_timeout_after_commit_is_looked_up_not_sent_again(
    ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    card = one_card(ledger)
    adapter = SandboxAdapter(ledger, FaultSpec(after_commit=1.0), clock=clock)
    service = make_service(adapter, store, clock)
    result = service.bind(card)
    assert isinstance(result.outcome, Bound)
    row = card_row(ledger)
    assert row["binds"] == 1
    assert row["requests_after_bound"] == 0
    assert ledger.request_count() == 1  # one request reached the platform, ever
    again = service.bind(card)
    assert isinstance(again.outcome, Refused)
    assert again.outcome.kind == "already_bound_self"
    assert ledger.request_count() == 1


class TimesOutFirst(SandboxAdapter):
    """Times out `failures` times before the ledger is touched, then works."""

    def __init__(self, ledger: SandboxLedger, clock: FakeClock, failures: int) -> None:
        super().__init__(ledger, clock=clock)
        self.failures = failures
        self.keys: list[str] = []

    def bind(self, request: BindRequest) -> AdapterOutcome:
        self.keys.append(request.idempotency_key)
        if len(self.keys) <= self.failures:
            raise AttemptTimeout("simulated")
        return super().bind(request)


def test_timeout_before_commit_is_retried_with_backoff(
    ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    card = one_card(ledger)
    adapter = TimesOutFirst(ledger, clock, failures=2)
    service = make_service(adapter, store, clock)
    result = service.bind(card)
    assert isinstance(result.outcome, Bound)
    assert len(adapter.keys) == 3
    assert len(set(adapter.keys)) == 1  # one attempt, one key
    assert len(clock.slept) == 2
    assert all(0 <= s <= QUICK_POLICY.retry_max_s for s in clock.slept)
    assert card_row(ledger)["binds"] == 1


@pytest.mark.parametrize("kind", ["not_found", "already_bound_other", "expired", "frozen"])
def test_a_rejection_is_never_retried(kind: str, store: Store, clock: FakeClock) -> None:
    script = Scripted([Rejected(kind, 2)])  # type: ignore[arg-type]
    service = make_service(script, store, clock)
    result = service.bind(Card("jd", JD_CODE))
    assert isinstance(result.outcome, Rejected)
    assert result.outcome.kind == kind
    assert len(script.binds) == 1
    assert script.looked_up == []
    assert result.attempts_left == 2
    assert result.knowledge is not None
    assert result.knowledge.kind == kind


def test_attempts_never_exceed_the_budget(store: Store, clock: FakeClock) -> None:
    script = Scripted([Rejected("not_found")])
    service = make_service(script, store, clock)
    results = [service.bind(Card("jd", JD_CODE)) for _ in range(5)]
    assert len(script.binds) == 3  # JD: 3 tries per card (reported by the source)
    assert [r.attempts_left for r in results[:3]] == [2, 1, 0]
    for late in results[3:]:
        assert isinstance(late.outcome, Refused)
        assert late.outcome.kind == "card_locked"
        assert late.outcome.until is not None
    clock.advance(25 * 3600)  # after the lock-out (24 h, our default) the card counts afresh
    service.bind(Card("jd", JD_CODE))
    assert len(script.binds) == 4


def test_platform_never_sees_more_than_its_limit(
    ledger: SandboxLedger, sandbox_service: BindService
) -> None:
    card = one_card(ledger, "pdd", "expired")
    for _ in range(8):
        sandbox_service.bind(card)
    row = card_row(ledger)
    assert row["attempts_used"] == 5
    assert row["requests_while_locked"] == 0


def test_too_frequent_is_honoured(ledger: SandboxLedger, store: Store, clock: FakeClock) -> None:
    ledger.set_config(rate_limit=2, rate_window_s=60, retry_after_s=30)
    cards = [Card("jd", c.pin) for c in ledger.create_cards("jd", 4, seed=3)]
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    assert all(service.bind(c).ok for c in cards[:2])
    third = service.bind(cards[2])
    assert isinstance(third.outcome, RetryLater)
    assert third.outcome.kind == "too_frequent"
    assert third.outcome.after_s == 30
    sent = ledger.request_count()
    held = service.bind(cards[3])  # within the cool-down: nothing goes out
    assert isinstance(held.outcome, RetryLater)
    assert held.outcome.after_s <= 30
    assert ledger.request_count() == sent
    clock.advance(61)
    assert service.bind(cards[2]).ok
    assert service.bind(cards[3]).ok


def test_pacing_waits_between_binds(ledger: SandboxLedger, store: Store, clock: FakeClock) -> None:
    cards = [Card("jd", c.pin) for c in ledger.create_cards("jd", 2, seed=4)]
    policy = BindPolicy(pacing_s=3.0, retries=0)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock, policy)
    service.bind(cards[0])
    service.bind(cards[1])
    assert clock.slept == [3.0]


def test_circuit_breaker_holds_back_and_advises_off_peak(store: Store, clock: FakeClock) -> None:
    script = Scripted([RetryLater("platform_fault", 5)])
    service = make_service(script, store, clock)
    codes = [f"E71D5E4733ED5{n:03X}" for n in range(6)]
    for code in codes[:3]:
        service.bind(Card("jd", code))
    assert len(script.binds) == 3
    held = service.bind(Card("jd", codes[4]))
    assert len(script.binds) == 3  # open: nothing sent
    assert isinstance(held.outcome, RetryLater)
    assert held.outcome.kind == "platform_fault"
    assert held.knowledge is not None
    assert "off-peak" in " ".join(held.knowledge.steps())
    clock.advance(61)
    script.answers = [Bound(Decimal("1"))]
    assert service.bind(Card("jd", codes[5])).ok  # half-open probe succeeds, breaker closes


def test_a_refused_card_does_not_use_up_the_breaker_probe(store: Store, clock: FakeClock) -> None:
    script = Scripted([RetryLater("platform_fault", 5)])
    service = make_service(script, store, clock)
    for n in range(3):
        service.bind(Card("jd", f"E71D5E4733ED5{n:03X}"))
    card_hash = service.hasher.hash("jd", JD_CODE)
    store.begin_attempt("x" * 32, "jd", "scripted", card_hash, "E71D", limit=3)
    store.finish_attempt("x" * 32, Bound(Decimal("1")), counted=True, limit=3, lockout_s=0)
    clock.advance(61)
    refused = service.bind(Card("jd", JD_CODE))  # already bound: refused, nothing sent
    assert isinstance(refused.outcome, Refused)
    script.answers = [Bound(Decimal("1"))]
    assert service.bind(Card("jd", "E71D5E4733ED5FFF")).ok  # the probe is still available


def test_unknown_result_is_kept_and_looked_up_before_anything_else(
    store: Store, clock: FakeClock
) -> None:
    script = Scripted([AttemptTimeout("t")], lookups=[TE("down")])
    service = make_service(script, store, clock)
    first = service.bind(Card("jd", JD_CODE))
    assert isinstance(first.outcome, RetryLater)
    assert first.outcome.unresolved
    assert store.open_attempt("jd", first.card_hash) is not None
    key = script.binds[0].idempotency_key
    # The platform did act on it; the next bind of the card finds out instead of resending.
    script.binds.clear()
    script.lookups = [Bound(Decimal("100"), "CNY")]
    second = service.bind(Card("jd", JD_CODE))
    assert isinstance(second.outcome, Bound)
    assert script.binds == []
    assert script.looked_up[-1] == key


def test_recover_after_a_crash_records_what_the_platform_did(
    ledger: SandboxLedger, tmp_path: Path, clock: FakeClock
) -> None:
    card = one_card(ledger)
    store = Store(tmp_path / "j.sqlite3", clock)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    card_hash = service.hasher.card(card)
    # The process died after the request went out and the platform committed it.
    begun = store.begin_attempt("k" * 32, "jd", "sandbox", card_hash, card.masked, limit=3)
    store.mark_sent("k" * 32)
    ledger.bind("k" * 32, "jd", card.pin)
    store.close()
    store = Store(tmp_path / "j.sqlite3", clock)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    recovered = service.recover()
    assert begun
    assert [r.ok for r in recovered] == [True]
    assert isinstance(service.bind(card).outcome, Refused)
    assert card_row(ledger)["requests_after_bound"] == 0


def test_sms_and_captcha_are_asked_and_never_kept(
    ledger: SandboxLedger, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    ledger.set_config(verification="profile")
    card = one_card(ledger)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    asked: list[str] = []
    given: list[str] = []

    def ask(need: NeedsVerification) -> str | None:
        asked.append(need.verification)
        value = str(re.findall(r"[A-Z0-9]{4,6}", need.prompt)[-1])  # the sandbox "shows" it
        given.append(value)
        return value

    result = bind_interactively(service, card, ask)
    assert result.ok
    assert asked == ["captcha", "sms"]
    journal = (tmp_path / "bind.sqlite3").read_bytes()
    for suffix in ("", "-wal"):
        path = tmp_path / f"bind.sqlite3{suffix}"
        if path.exists():
            data = path.read_bytes()
            assert all(v.encode() not in data for v in given)
    assert journal


def test_wrong_verification_costs_no_card_attempt(
    ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    ledger.set_config(verification="profile")
    card = one_card(ledger, "pdd")
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    result = service.bind(card, verification={"payment_password": "000000"})
    assert isinstance(result.outcome, Rejected)
    assert result.outcome.kind == "verification_failed"
    assert result.attempts_left == 5
    assert service.bind(card, verification={"payment_password": "123456"}).ok


def test_code_is_checked_before_anything_is_sent(store: Store, clock: FakeClock) -> None:
    script = Scripted([Bound(Decimal("1"))])
    service = make_service(script, store, clock)
    short = service.bind(Card("jd", "E71D5E47"))
    assert isinstance(short.outcome, Refused)
    assert short.outcome.kind == "invalid_code"
    unusual = service.bind(Card("jd", "E71D5E4G33ED50BA"))  # G: unusual for JD, check first
    assert isinstance(unusual.outcome, Refused)
    assert unusual.outcome.kind == "needs_confirmation"
    assert script.binds == []
    assert service.bind(Card("jd", "E71D5E4G33ED50BA"), confirmed=True).ok


def test_blacklisted_card_is_refused(store: Store, clock: FakeClock) -> None:
    script = Scripted([Bound(Decimal("1"))])
    service = make_service(script, store, clock)
    store.blacklist_add("jd", service.hasher.hash("jd", JD_CODE), "E71D-****-****-50BA")
    result = service.bind(Card("jd", JD_CODE))
    assert isinstance(result.outcome, Refused)
    assert result.outcome.kind == "blacklisted"
    assert script.binds == []


def test_cancel_stops_a_wait_and_sends_nothing(store: Store, clock: FakeClock) -> None:
    script = Scripted([Bound(Decimal("1"))])
    service = make_service(script, store, clock, BindPolicy(pacing_s=5))
    service.bind(Card("jd", JD_CODE))
    token = CancelToken()
    token.cancel()
    result = service.bind(Card("jd", "E71D5E4733ED50BB"), cancel=token)
    assert isinstance(result.outcome, Refused)
    assert result.outcome.kind == "cancelled"
    assert len(script.binds) == 1
    assert store.budget("jd", result.card_hash).used == 0


def test_adapter_setup_problem_is_refused_and_costs_nothing(store: Store, clock: FakeClock) -> None:
    script = Scripted([AdapterError("no token", kind="not_logged_in")])
    service = make_service(script, store, clock)
    result = service.bind(Card("jd", JD_CODE))
    assert isinstance(result.outcome, Refused)
    assert result.outcome.kind == "not_logged_in"
    assert store.budget("jd", result.card_hash).used == 0
    assert store.open_attempt("jd", result.card_hash) is None


def test_connection_refused_every_time_gives_the_attempt_back(
    store: Store, clock: FakeClock
) -> None:
    script = Scripted([TE("refused", sent=False)])
    service = make_service(script, store, clock)
    result = service.bind(Card("jd", JD_CODE))
    assert isinstance(result.outcome, RetryLater)
    assert not result.outcome.unresolved
    assert len(script.binds) == QUICK_POLICY.retries + 1
    assert store.budget("jd", result.card_hash).used == 0


def test_works_from_a_worker_thread(ledger: SandboxLedger, sandbox_service: BindService) -> None:
    import threading

    card = one_card(ledger)
    results: list[BindResult] = []
    worker = threading.Thread(target=lambda: results.append(sandbox_service.bind(card)))
    worker.start()
    worker.join(30)
    assert len(results) == 1
    assert results[0].ok


def test_a_wrong_verification_brings_a_fresh_challenge(
    ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    ledger.set_config(verification="profile")
    (card,) = ledger.create_cards("jd", 1, seed=5)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    asked: list[str] = []
    wrong: list[str] = []

    def ask(need: NeedsVerification) -> str:
        asked.append(need.verification)
        if len(asked) == 1:
            return "NOPE"  # a mistyped captcha
        return str(re.findall(r"\b[0-9A-Z]{4,6}\b", need.prompt)[-1])

    result = bind_interactively(service, Card("jd", card.pin), ask, on_wrong=wrong.append)
    assert result.ok
    assert asked == ["captcha", "captcha", "sms"]
    assert wrong == ["captcha"]
    assert ledger.report()[0]["failures"] == 0  # the card paid nothing for it
