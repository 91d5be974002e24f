"""One contract for every automatic adapter, run against the sandbox in process and
against the http adapter talking to `sandbox serve` on a free loopback port."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from core.bind.adapter import (
    Adapter,
    AdapterError,
    AttemptTimeout,
    BindRequest,
    GarbageReply,
    TransportError,
)
from core.bind.adapters.faults import FaultSpec
from core.bind.adapters.http import HttpAdapter
from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.adapters.server import SandboxServer
from core.bind.card import Card
from core.bind.outcomes import Bound, NeedsVerification, Rejected, RetryLater

TOKEN = "test-token-" + "x" * 20


@dataclass
class Rig:
    adapter: Adapter
    ledger: SandboxLedger
    server: SandboxServer | None = None


def _server(ledger: SandboxLedger, faults: FaultSpec | None = None) -> SandboxServer:
    ledger.set_api_token(TOKEN)
    server = SandboxServer(("127.0.0.1", 0), ledger, faults)  # port 0: a free one
    server.start_background()  # the socket is listening before this returns
    return server


@pytest.fixture(params=["sandbox", "http"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    # The server runs on the real clock, so both rigs do (the adapters are fast).
    ledger = SandboxLedger(tmp_path / "sandbox.sqlite3")
    ledger.set_config(verification="none", rate_limit=0)
    if request.param == "sandbox":
        yield Rig(SandboxAdapter(ledger), ledger)
    else:
        server = _server(ledger)
        adapter = HttpAdapter(server.url, lambda: TOKEN, timeout_s=10)
        yield Rig(adapter, ledger, server)
        adapter.close()
        server.shutdown()
        server.server_close()
    ledger.close()


def key() -> str:
    return uuid.uuid4().hex


def new_card(ledger: SandboxLedger, platform: str = "jd", state: str = "unbound") -> Card:
    made = ledger.create_cards(
        platform, 1 if state == "unbound" else 0, mix=None if state == "unbound" else {state: 1}
    )
    return Card(platform, made[0].pin, made[0].card_number)


def test_binds_an_unbound_card(rig: Rig) -> None:
    outcome = rig.adapter.bind(BindRequest(new_card(rig.ledger), key()))
    assert isinstance(outcome, Bound)
    assert outcome.currency == "CNY"
    assert outcome.amount > 0


def test_a_repeated_key_gets_the_first_answer_and_binds_once(rig: Rig) -> None:
    card, k = new_card(rig.ledger), key()
    first = rig.adapter.bind(BindRequest(card, k))
    second = rig.adapter.bind(BindRequest(card, k))
    assert first == second
    assert isinstance(first, Bound)
    report = rig.ledger.report()[0]
    assert report["binds"] == 1
    assert report["requests_after_bound"] == 0


def test_lookup_returns_the_answer_or_none(rig: Rig) -> None:
    card, k = new_card(rig.ledger), key()
    assert rig.adapter.lookup(k) is None
    outcome = rig.adapter.bind(BindRequest(card, k))
    assert rig.adapter.lookup(k) == outcome


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        ("bound_other", "already_bound_other"),
        ("not_activated", "not_activated"),
        ("expired", "expired"),
        ("frozen", "frozen"),
        ("region_mismatch", "region_mismatch"),
        ("bound_self", "already_bound_self"),
    ],
)
def test_each_card_state_has_its_answer(rig: Rig, state: str, kind: str) -> None:
    outcome = rig.adapter.bind(BindRequest(new_card(rig.ledger, "jd", state), key()))
    assert isinstance(outcome, Rejected)
    assert outcome.kind == kind
    assert outcome.attempts_left == 2  # JD: 3 per card, one used


def test_unknown_code_is_not_found(rig: Rig) -> None:
    outcome = rig.adapter.bind(BindRequest(Card("jd", "0000111122223333"), key()))
    assert isinstance(outcome, Rejected)
    assert outcome.kind == "not_found"


def test_locks_after_the_profile_limit(rig: Rig) -> None:
    card = new_card(rig.ledger, "suning", "expired")  # Suning: 1 valid try (seed)
    first = rig.adapter.bind(BindRequest(card, key()))
    second = rig.adapter.bind(BindRequest(card, key()))
    assert isinstance(first, Rejected)
    assert first.attempts_left == 0
    assert isinstance(second, Rejected)
    assert second.kind == "card_locked"


@pytest.mark.parametrize(
    ("platform", "kinds"),
    [
        ("jd", ("captcha", "sms")),
        ("pdd", ("payment_password",)),
        ("suning", ("token",)),
        ("taobao", ("qr",)),
    ],
)
def test_asks_for_the_profile_verification(rig: Rig, platform: str, kinds: tuple[str, ...]) -> None:
    rig.ledger.set_config(verification="profile")
    assert rig.adapter.verification_kinds(platform) == kinds
    outcome = rig.adapter.bind(BindRequest(new_card(rig.ledger, platform), key()))
    assert isinstance(outcome, NeedsVerification)
    assert outcome.verification == kinds[0]
    assert outcome.prompt  # the sandbox shows what a phone or token would


def test_time_based_token_binds(rig: Rig) -> None:
    rig.ledger.set_config(verification="profile")
    card = new_card(rig.ledger, "suning")
    outcome = rig.adapter.bind(BindRequest(card, key(), {"token": rig.ledger.current_token()}))
    assert isinstance(outcome, Bound)
    assert outcome.credited_at is not None  # T+1 (seed): a date tomorrow


def test_too_frequent(rig: Rig) -> None:
    rig.ledger.set_config(rate_limit=1, rate_window_s=60, retry_after_s=42)
    rig.adapter.bind(BindRequest(new_card(rig.ledger), key()))
    outcome = rig.adapter.bind(BindRequest(new_card(rig.ledger), key()))
    assert isinstance(outcome, RetryLater)
    assert outcome.kind == "too_frequent"
    assert outcome.after_s == 42


# -- the http adapter over the network stack ------------------------------------------------


@pytest.fixture
def ledger_only(tmp_path: Path) -> Iterator[SandboxLedger]:
    ledger = SandboxLedger(tmp_path / "s.sqlite3")
    ledger.set_config(verification="none", rate_limit=0)
    yield ledger
    ledger.close()


def _with_server(ledger: SandboxLedger, faults: FaultSpec) -> tuple[SandboxServer, HttpAdapter]:
    server = _server(ledger, faults)
    return server, HttpAdapter(server.url, lambda: TOKEN, timeout_s=10)


def _stop(server: SandboxServer, adapter: HttpAdapter) -> None:
    adapter.close()
    server.shutdown()
    server.server_close()


def test_http_answer_lost_after_commit_is_found_by_lookup(ledger_only: SandboxLedger) -> None:
    server, adapter = _with_server(ledger_only, FaultSpec(after_commit=1.0))
    try:
        card, k = new_card(ledger_only), key()
        with pytest.raises(AttemptTimeout):
            adapter.bind(BindRequest(card, k))
        assert isinstance(adapter.lookup(k), Bound)
    finally:
        _stop(server, adapter)


def test_http_garbage_and_server_errors_are_transport_errors(ledger_only: SandboxLedger) -> None:
    for faults, error in (
        (FaultSpec(garbage=1.0), GarbageReply),
        (FaultSpec(error=1.0), TransportError),
    ):
        server, adapter = _with_server(ledger_only, faults)
        try:
            with pytest.raises(error):
                adapter.bind(BindRequest(new_card(ledger_only), key()))
        finally:
            _stop(server, adapter)


def test_http_real_read_timeout(ledger_only: SandboxLedger) -> None:
    server = _server(ledger_only, FaultSpec(timeout=1.0, hang_ms=2000))
    adapter = HttpAdapter(server.url, lambda: TOKEN, timeout_s=0.3)
    try:
        with pytest.raises(AttemptTimeout):
            adapter.bind(BindRequest(new_card(ledger_only), key()))
    finally:
        _stop(server, adapter)


def test_http_wrong_token_is_a_setup_problem(ledger_only: SandboxLedger) -> None:
    server = _server(ledger_only)
    adapter = HttpAdapter(server.url, lambda: "wrong-token")
    try:
        with pytest.raises(AdapterError) as info:
            adapter.bind(BindRequest(new_card(ledger_only), key()))
        assert info.value.kind == "not_logged_in"
    finally:
        _stop(server, adapter)


def test_http_missing_token_or_unsafe_address_sends_nothing() -> None:
    with pytest.raises(AdapterError) as info:
        HttpAdapter("http://127.0.0.1:9", lambda: None).bind(
            BindRequest(Card("jd", "E71D5E4733ED50BA"), key())
        )
    assert "cardbind secret set http_token" in str(info.value)
    with pytest.raises(AdapterError) as info:
        HttpAdapter("http://bind.example.com", lambda: TOKEN).bind(
            BindRequest(Card("jd", "E71D5E4733ED50BA"), key())
        )
    assert "https" in str(info.value)
    assert not HttpAdapter("", lambda: TOKEN).is_available().ok


def test_http_nothing_listening_is_not_sent() -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago, now closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    adapter = HttpAdapter(f"http://127.0.0.1:{port}", lambda: TOKEN)
    with pytest.raises(TransportError) as info:
        adapter.bind(BindRequest(Card("jd", "E71D5E4733ED50BA"), key()))
    assert info.value.sent is False


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b"[]",
        b'{"status": "bound"}',
        b'{"status": "bound", "amount": "NaN", "currency": "CNY"}',
        b'{"status": "rejected", "error": "bogus"}',
        b'{"status": "retry_later", "error": "too_frequent", "retry_after": 1e309}',
        b"\xff\xfe garbage",
        b"x" * 70000,
    ],
)
def test_http_malformed_replies_are_garbage(body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    adapter = HttpAdapter("http://127.0.0.1:1", lambda: TOKEN, transport=transport)
    with pytest.raises(GarbageReply):
        adapter.bind(BindRequest(Card("jd", "E71D5E4733ED50BA"), key()))


def test_http_request_carries_key_and_token_and_checks_tls() -> None:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"status": "bound", "amount": "50.00", "currency": "CNY", "credited_at": None}
        )

    adapter = HttpAdapter(
        "https://bind.example.com", lambda: TOKEN, transport=httpx.MockTransport(reply)
    )
    outcome = adapter.bind(BindRequest(Card("jd", "E71D5E4733ED50BA"), "abcdefgh12345678"))
    assert isinstance(outcome, Bound)
    assert outcome.credited_at is None
    assert seen[0].headers["Idempotency-Key"] == "abcdefgh12345678"
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    client = adapter._get_client()
    assert client.timeout.connect is not None
    assert client.timeout.read is not None
