"""`cardbind sandbox serve`: the sandbox behind the bind API (resources/openapi/bind-api.yaml),
a real HTTP server so the `http` adapter is tested over the network stack.

Loopback by default. Faults act as a network would: a "timeout" holds the connection
(hang_ms) and drops it without an answer, before or after the bind commits; "error" is
an HTTP 500 before it; "garbage" answers 200 with something that is not JSON after it.
Request bodies are never logged.

A client cannot hold the server (docs/hostile-input.md): each read waits at most
`READ_TIMEOUT_S`, each request must be in within `REQUEST_DEADLINE_S` (a client dripping
a byte at a time is cut off), a body nested too deep for the JSON parser is a 400, and
an error answered before the body was read closes the connection, so the unread body is
never taken for a second request.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core.bind.adapters.faults import FaultInjector, FaultSpec
from core.bind.adapters.ledger import SandboxLedger
from core.bind.outcomes import (
    VERIFICATION,
    AdapterOutcome,
    RetryLater,
    outcome_to_json,
)
from core.codes.profiles import get_profile, platform_ids

log = logging.getLogger(__name__)

API_VERSION = "1"
MAX_BODY = 16 * 1024
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
READ_TIMEOUT_S = 10.0  # one read from a client (and an idle kept-alive connection)
REQUEST_DEADLINE_S = 30.0  # one whole request, from its first byte to the answer sent


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Connections waiting to be accepted; with socketserver's 5, a burst of clients
    # waits seconds for the kernel to retry their connects.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        ledger: SandboxLedger,
        faults: FaultSpec | None = None,
        *,
        read_timeout_s: float = READ_TIMEOUT_S,
        request_deadline_s: float = REQUEST_DEADLINE_S,
    ) -> None:
        self.ledger = ledger
        self.faults = FaultInjector(faults) if faults is not None and faults.any else None
        self.read_timeout_s = read_timeout_s
        self.request_deadline_s = request_deadline_s
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up or was cut off: one line in the log, no traceback on
        # the terminal of `cardbind sandbox serve`.
        error = sys.exc_info()[1]
        log.info(
            "sandbox server: connection from %s ended: %s", client_address[0], type(error).__name__
        )

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start_background(self) -> threading.Thread:
        # A short poll keeps shutdown() quick (tests start and stop many servers).
        thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sandbox-server",
            daemon=True,
        )
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "cardbind-sandbox/" + API_VERSION
    _body_pending = False

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.read_timeout_s)

    def handle_one_request(self) -> None:
        # The read timeout bounds each read; a client sending a byte just before each
        # one runs out is stopped by this deadline on the request as a whole.
        timer = threading.Timer(self.server.request_deadline_s, self._cut)
        timer.daemon = True
        timer.start()
        try:
            super().handle_one_request()
        finally:
            timer.cancel()

    def _cut(self) -> None:
        log.info(
            "sandbox server: a request from %s took too long; connection closed",
            self.client_address[0],
        )
        self.close_connection = True
        with contextlib.suppress(OSError):  # already gone
            self.connection.shutdown(socket.SHUT_RDWR)

    def parse_request(self) -> bool:
        ok = super().parse_request()
        # Until the body is read, an early answer must close the connection: the body
        # would otherwise be read as the next request.
        self._body_pending = ok and (
            self.headers.get("Content-Length", "0").strip() != "0"
            or "Transfer-Encoding" in self.headers
        )
        return ok

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox server: " + format, *args)

    def _send(
        self, status: int, data: dict[str, Any] | bytes, headers: dict[str, str] | None = None
    ) -> None:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type", "application/json" if not isinstance(data, bytes) else "text/html"
        )
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self._body_pending:
            self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self, length: int) -> bytes | None:
        """The whole body, or None when the client stopped sending (then the connection
        is closed without an answer: nobody is listening for one)."""
        try:
            data = self.rfile.read(length)
        except OSError:  # the read timeout, or the deadline cut the connection
            data = b""
        if len(data) < length:
            self.close_connection = True
            return None
        self._body_pending = False
        return data

    def _error(self, status: int, error: str, message: str) -> None:
        self._send(status, {"error": error, "message": message})

    def _account(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        return self.server.ledger.account_for_token(auth[7:].strip())

    def _drop(self) -> None:
        """Hold the connection as a hung server would, then close it with no answer."""
        faults = self.server.faults
        if faults is not None and faults.spec.hang_ms:
            time.sleep(faults.spec.hang_ms / 1000.0)
        self.close_connection = True

    def _latency(self) -> None:
        if self.server.faults is not None:
            time.sleep(self.server.faults.latency_s())

    def _reply(self, outcome: AdapterOutcome) -> None:
        data = outcome_to_json(outcome)
        if isinstance(outcome, RetryLater):
            status = (
                HTTPStatus.TOO_MANY_REQUESTS
                if outcome.kind == "too_frequent"
                else HTTPStatus.SERVICE_UNAVAILABLE
            )
            self._send(status, data, {"Retry-After": str(int(outcome.after_s + 0.999))})
        else:
            self._send(HTTPStatus.OK, data)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/v1/health":
            self._send(HTTPStatus.OK, {"status": "ok", "api_version": API_VERSION})
            return
        account = self._account()
        if account is None:
            self._error(HTTPStatus.UNAUTHORIZED, "unauthorized", "missing or unknown token")
            return
        if path == "/v1/platforms":
            ledger = self.server.ledger
            self._send(
                HTTPStatus.OK,
                {
                    "platforms": {
                        p: {
                            "verification": list(ledger.verification_kinds(p)),
                            "attempt_limit": int(get_profile(p).attempt_limit.value or 0),
                        }
                        for p in platform_ids()
                    }
                },
            )
            return
        if path.startswith("/v1/binds/"):
            key = path[len("/v1/binds/") :]
            if not KEY_RE.match(key):
                self._error(HTTPStatus.BAD_REQUEST, "bad_request", "bad idempotency key")
                return
            self._latency()
            found = self.server.ledger.lookup(key)
            if found is None:
                self._send(HTTPStatus.NOT_FOUND, {"status": "unknown"})
            else:
                self._send(HTTPStatus.OK, outcome_to_json(found))
            return
        self._error(HTTPStatus.NOT_FOUND, "not_found", "no such endpoint")

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != "/v1/binds":
            self._error(HTTPStatus.NOT_FOUND, "not_found", "no such endpoint")
            return
        account = self._account()
        if account is None:
            self._error(HTTPStatus.UNAUTHORIZED, "unauthorized", "missing or unknown token")
            return
        key = self.headers.get("Idempotency-Key", "")
        if not KEY_RE.match(key):
            self._error(
                HTTPStatus.BAD_REQUEST,
                "bad_request",
                "Idempotency-Key header: 8-128 letters, digits, - or _",
            )
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", "body missing or too large")
            return
        raw = self._read_body(length)
        if raw is None:
            return
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", "body is not JSON")
            return
        problem = _validate(body)
        if problem:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", problem)
            return
        self._latency()
        faults = self.server.faults
        fault = faults.roll() if faults is not None else "none"
        if fault == "timeout":
            self._drop()
            return
        if fault == "error":
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal", "simulated server error")
            return
        outcome = self.server.ledger.bind(
            key,
            body["platform"],
            body["pin"],
            card_number=body.get("card_number", ""),
            account=account,
            verification=body.get("verification", {}),
        )
        if fault == "after_commit":
            self._drop()
            return
        if fault == "garbage":
            self._send(HTTPStatus.OK, b"<html><body>502 Bad Gateway</body>")
            return
        self._reply(outcome)


def _validate(body: Any) -> str:
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if body.get("platform") not in platform_ids():
        return "unknown platform"
    for key in ("pin", "card_number"):
        value = body.get(key, "")
        if not isinstance(value, str) or len(value) > 64:
            return f"{key} must be text of at most 64 characters"
    if not body.get("pin"):
        return "pin is required"
    verification = body.get("verification", {})
    if not isinstance(verification, dict) or any(
        k not in VERIFICATION or not isinstance(v, str) or len(v) > 64
        for k, v in verification.items()
    ):
        return "verification must map known kinds to short texts"
    return ""
