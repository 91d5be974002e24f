"""The http adapter against bind services that misbehave on a real loopback socket: a
drip, a huge Retry-After, a redirect, garbage, slow headers, a flood. Every one ends as
an answer or a transport error within the bind's deadline, with bounded memory."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

import pytest

from core.bind.adapter import AttemptTimeout, BindRequest, GarbageReply, TransportError
from core.bind.adapters.http import MAX_REPLY, HttpAdapter, parse_retry_after, tls_context
from core.bind.card import Card
from core.bind.clock import SystemClock
from core.bind.outcomes import Bound, RetryLater
from core.bind.service import BindService
from core.bind.store import Store
from core.codes.profiles import get_profile
from tests.hostile.support import Visit, drip, scripted_server, send
from tests.support.fixtures import QUICK_POLICY, make_service

TOKEN = "test-token-" + "x" * 20
CARD = Card("jd", "E71D5E4733ED50BA")
JD_CAP = float(get_profile("jd").cooldown_seconds.value or 0)
BOUND = (
    b'{"status": "bound", "amount": "50.00", "currency": "CNY", '
    b'"credited_at": null, "reference": "r1"}'
)


def reply(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode() + b"\r\n" + body


def bind(url: str, deadline_s: float = 2.0) -> object:
    adapter = HttpAdapter(url, lambda: TOKEN, timeout_s=deadline_s)
    try:
        return adapter.bind(BindRequest(CARD, uuid.uuid4().hex))
    finally:
        adapter.close()


# -- time: one deadline for the whole request ------------------------------------------------


@pytest.mark.parametrize("where", ["status line", "headers", "body"])
def test_a_server_dripping_bytes_is_cut_at_the_deadline(where: str) -> None:
    """Every byte arrives well within the read timeout, so only an overall deadline ends
    it; the server would drip for a minute."""
    answer = reply("200 OK", {"Content-Type": "application/json"}, BOUND)
    head, _sep, _body = answer.partition(b"\r\n\r\n")
    cut = {"status line": 0, "headers": 12, "body": len(head) + 4}[where]
    every_s = 0.2
    padding = b"X-Pad: " + b"a" * int(60 / every_s) + b"\r\n"
    slow = answer if where == "body" else answer[:cut] + padding + answer[cut:]
    if where == "body":  # the body claims more than it sends, a byte at a time
        slow = answer.replace(f"Content-Length: {len(BOUND)}".encode(), b"Content-Length: 400")
        slow += b" " * 300

    def script(conn: socket.socket, visit: Visit) -> None:
        send(conn, visit, slow[:cut])
        drip(conn, visit, slow[cut:], every_s)

    started = time.monotonic()
    with scripted_server(script) as server, pytest.raises(AttemptTimeout) as info:
        bind(server.url, deadline_s=1.0)
    elapsed = time.monotonic() - started
    assert "deadline" in str(info.value)
    assert elapsed < 1.0 + 5  # the bound: the deadline, plus 5 s at most
    visit = server.visits[0]
    assert visit.sent < len(slow)  # the drip never got to its end


def test_a_server_that_never_answers_is_a_timeout() -> None:
    def script(conn: socket.socket, visit: Visit) -> None:
        time.sleep(3)  # headers never come

    with scripted_server(script) as server, pytest.raises(AttemptTimeout):
        bind(server.url, deadline_s=0.5)


def test_the_bind_service_takes_the_lookup_path_after_a_drip(tmp_path: Path) -> None:
    """A timed-out bind is unresolved: the next try asks what became of it first."""
    seen: list[bytes] = []

    def script(conn: socket.socket, visit: Visit) -> None:
        seen.append(visit.request.split(b"\r\n", 1)[0])
        if visit.request.startswith(b"POST"):
            send(conn, visit, b"HTTP/1.1 200 OK\r\n")
            drip(conn, visit, b"X-Slow: " + b"a" * 100, 0.2)
        else:
            send(conn, visit, reply("200 OK", {"Content-Type": "application/json"}, BOUND))

    with scripted_server(script) as server, Store(tmp_path / "bind.sqlite3") as store:
        adapter = HttpAdapter(server.url, lambda: TOKEN, timeout_s=0.6)
        service = make_service(adapter, store, SystemClock(), QUICK_POLICY)  # type: ignore[arg-type]
        result = service.bind(CARD)
        adapter.close()
    assert isinstance(result.outcome, Bound)
    assert seen[0].startswith(b"POST /v1/binds")
    assert seen[1].startswith(b"GET /v1/binds/")  # looked up, not sent again
    assert sum(1 for line in seen if line.startswith(b"POST")) == 1


# -- cool-downs: whatever the server asks, at most the platform's documented one ------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("99999999999", JD_CAP),
        ("9" * 5000, JD_CAP),
        ("Fri, 31 Dec 9999 23:59:59 GMT", JD_CAP),
        ("42", 42.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # already past: no wait
        ("-5", min(60.0, JD_CAP)),  # nonsense: the default wait
        ("soon", min(60.0, JD_CAP)),
    ],
)
def test_a_huge_retry_after_is_capped_where_it_is_read(value: str, expected: float) -> None:
    def script(conn: socket.socket, visit: Visit) -> None:
        send(conn, visit, reply("429 Too Many Requests", {"Retry-After": value}))

    with scripted_server(script) as server:
        outcome = bind(server.url)
    assert isinstance(outcome, RetryLater)
    assert outcome.kind == "too_frequent"
    assert outcome.after_s == expected
    assert outcome.after_s < threading.TIMEOUT_MAX


def test_an_http_date_is_counted_from_now() -> None:
    assert (
        parse_retry_after("Thu, 01 Jan 2099 00:00:30 GMT", 300, now=4070908800.0) == 30.0
    )  # 2099-01-01 00:00:00 UTC


def test_the_cap_also_holds_for_a_retry_after_in_the_answer(tmp_path: Path) -> None:
    body = b'{"status": "retry_later", "error": "too_frequent", "retry_after": 604800}'

    def script(conn: socket.socket, visit: Visit) -> None:
        send(
            conn,
            visit,
            reply(
                "429 Too Many Requests",
                {"Retry-After": "99999999999", "Content-Type": "application/json"},
                body,
            ),
        )

    with scripted_server(script) as server, Store(tmp_path / "bind.sqlite3") as store:
        adapter = HttpAdapter(server.url, lambda: TOKEN, timeout_s=2)
        service = BindService(adapter, store, policy=QUICK_POLICY)
        result = service.bind(CARD)
        adapter.close()
        left = store.cooldown_left("jd", adapter.name, "")
    assert isinstance(result.outcome, RetryLater)
    assert result.outcome.after_s == JD_CAP
    assert 0 < left <= JD_CAP  # the journal's cool-down: capped too


# -- redirects, garbage, floods -----------------------------------------------------------


def test_a_redirect_is_not_followed() -> None:
    def elsewhere(conn: socket.socket, visit: Visit) -> None:
        send(conn, visit, reply("200 OK", {"Content-Type": "application/json"}, BOUND))

    with scripted_server(elsewhere) as other:

        def script(conn: socket.socket, visit: Visit) -> None:
            send(
                conn, visit, reply("307 Temporary Redirect", {"Location": other.url + "/v1/binds"})
            )

        with scripted_server(script) as server, pytest.raises(GarbageReply):
            bind(server.url)
        assert other.visits == []  # neither the code nor the token went there


GZIP_BOMB = gzip.compress(b"{" + b" " * (64 * 1024 * 1024) + b"}", 9)


@pytest.mark.parametrize(
    "answer",
    [
        reply("200 OK", {}, b"<html>502 Bad Gateway</html>"),
        reply("200 OK", {"Content-Type": "application/json"}, b"[" * 16000),
        reply("200 OK", {"Content-Type": "application/json"}, b"\xff\xfe\x00garbage"),
        reply("200 OK", {"Content-Encoding": "gzip"}, GZIP_BOMB),
        reply("200 OK", {"Content-Encoding": "br"}, b"\x0b\x02\x80{}\x03"),
        reply("418 I'm a teapot", {}, b"{}"),
        b"SSH-2.0-OpenSSH_9.2\r\n",
        b"\x00\x01\x02\x03" * 1000,
        b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{",  # then the server hangs up
    ],
    ids=[
        "html",
        "deep-json",
        "binary",
        "gzip-bomb",
        "brotli",
        "teapot",
        "not-http",
        "noise",
        "cut-short",
    ],
)
def test_garbage_is_a_transport_error_with_bounded_memory(answer: bytes) -> None:
    def script(conn: socket.socket, visit: Visit) -> None:
        send(conn, visit, answer)

    with scripted_server(script) as server:
        tracemalloc.start()
        try:
            with pytest.raises(TransportError):
                bind(server.url)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # the 64 MB bomb was never unpacked


@pytest.mark.parametrize("framing", ["length", "chunked", "headers"])
def test_a_flood_is_read_up_to_the_limit_only(framing: str) -> None:
    block = (b"a" * 65536) if framing != "chunked" else b"10000\r\n" + b"a" * 65536 + b"\r\n"
    start = {
        "length": b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n",
        "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "headers": b"HTTP/1.1 200 OK\r\nX-Flood: ",
    }[framing]
    total = 2 * 1024**3

    def script(conn: socket.socket, visit: Visit) -> None:
        send(conn, visit, start)
        while visit.sent < total and send(conn, visit, block):
            pass

    with scripted_server(script) as server:
        tracemalloc.start()
        try:
            with pytest.raises(TransportError):
                bind(server.url, deadline_s=10)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        time.sleep(0.2)  # let the server notice the client is gone
    assert peak < 4 * 1024 * 1024
    assert server.visits[0].sent < 64 * 1024 * 1024  # the client stopped reading early
    assert MAX_REPLY < 4 * 1024 * 1024


# -- the company CA file ------------------------------------------------------------------

CA = Path(__file__).parent / "data" / "test-ca.pem"


def test_a_company_ca_is_added_to_the_trusted_roots_not_instead_of_them() -> None:
    context = tls_context(str(CA))
    assert not isinstance(context, bool)
    subjects = [str(cert["subject"]) for cert in context.get_ca_certs()]
    assert "((('commonName', 'cardbind test CA'),),)" in subjects
    assert len(subjects) > 20  # the public roots are still there
    assert tls_context("") is True  # without a CA file: httpx's usual verification
