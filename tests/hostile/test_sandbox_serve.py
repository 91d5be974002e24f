"""`cardbind sandbox serve` against clients that misbehave: half-sent requests, a JSON
body nested 16,000 deep, and a body left unread behind an early 400/401."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.server import SandboxServer

TOKEN = "test-token-" + "x" * 20


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    ledger = SandboxLedger(tmp_path / "sandbox.sqlite3")
    ledger.set_config(verification="none", rate_limit=0)
    ledger.set_api_token(TOKEN)
    srv = SandboxServer(("127.0.0.1", 0), ledger, read_timeout_s=0.5, request_deadline_s=1.5)
    srv.start_background()
    yield srv
    srv.shutdown()
    srv.server_close()
    ledger.close()


def connect(server: SandboxServer) -> socket.socket:
    host, port = server.server_address[:2]
    sock = socket.create_connection((str(host), int(port)))
    sock.settimeout(20)  # far longer than the server's limits: we wait for it to act
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def read_response(sock: socket.socket) -> bytes:
    """One response on a kept-alive connection: headers, then Content-Length bytes."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of the body"
        body += chunk
    return head + b"\r\n\r\n" + body


def post(body: bytes, *, token: str | None = TOKEN) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST /v1/binds HTTP/1.1\r\nHost: x\r\n{auth}Idempotency-Key: abcdefgh12345678\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def health_works(server: SandboxServer) -> bool:
    with connect(server) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return b'"status": "ok"' in read_all(sock)


def test_half_sent_requests_are_not_held_for_good(server: SandboxServer) -> None:
    socks = [connect(server) for _ in range(200)]
    try:
        for i, sock in enumerate(socks):
            whole = post(b'{"platform": "jd", "pin": "E71D5E4733ED50BA"}')
            sock.sendall(whole[: 10 + i % 60])  # stops somewhere in the request
        # The server closes every one of them by itself (recv returns: no client timeout).
        closed = 0
        for sock in socks:
            read_all(sock)
            closed += 1
        assert closed == 200
    finally:
        for sock in socks:
            sock.close()
    assert health_works(server)


def test_a_client_dripping_a_request_is_cut_at_the_deadline(server: SandboxServer) -> None:
    """Each byte comes before the read timeout; only the deadline on the whole request
    stops it (here 1.5 s; the client would drip for 20 s)."""
    request = post(b'{"platform": "jd", "pin": "E71D5E4733ED50BA"}' + b" " * 100)
    sent = 0
    with connect(server) as sock:
        try:
            for i in range(len(request)):
                sock.sendall(request[i : i + 1])
                sent += 1
                time.sleep(0.1)
        except OSError:
            pass  # cut off: the server closed the connection
        answer = b""
        with contextlib.suppress(OSError):
            answer = read_all(sock)
    assert sent < len(request)
    assert answer == b""


def test_json_nested_16000_deep_is_a_400(
    server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    with connect(server) as sock:
        sock.sendall(post(b"[" * 16000))
        answer = read_response(sock)
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"body is not JSON" in answer
    assert "RecursionError" not in caplog.text
    assert health_works(server)


@pytest.mark.parametrize("token", [None, "wrong"], ids=["no-token", "wrong-token"])
def test_an_early_error_does_not_read_the_body_as_a_second_request(
    server: SandboxServer, token: str | None
) -> None:
    smuggled = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(server) as sock:
        sock.sendall(post(smuggled, token=token))
        answer = read_all(sock)  # the server closes after its one answer
    assert answer.startswith(b"HTTP/1.1 401")
    assert answer.count(b"HTTP/1.1 ") == 1
    assert b"Connection: close" in answer


def test_a_bad_key_before_the_body_closes_too(server: SandboxServer) -> None:
    body = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    request = post(body).replace(b"abcdefgh12345678", b"bad key!")
    with connect(server) as sock:
        sock.sendall(request)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_good_request_still_keeps_the_connection(server: SandboxServer) -> None:
    with connect(server) as sock:
        for _ in range(2):  # two requests on one kept-alive connection
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = read_response(sock)
            assert json.loads(answer.partition(b"\r\n\r\n")[2])["status"] == "ok"
