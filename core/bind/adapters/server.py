"""`cardbind sandbox serve`: the sandbox behind the bind API (resources/openapi/bind-api.yaml),
a real HTTP server so the `http` adapter is tested over the network stack.

Loopback by default. Faults act as a network would: a "timeout" holds the connection
(hang_ms) and drops it without an answer, before or after the bind commits; "error" is
an HTTP 500 before it; "garbage" answers 200 with something that is not JSON after it.
Request bodies are never logged.
"""

from __future__ import annotations

import json
import logging
import re
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


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], ledger: SandboxLedger,
                 faults: FaultSpec | None = None) -> None:
        self.ledger = ledger
        self.faults = FaultInjector(faults) if faults is not None and faults.any else None
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start_background(self) -> threading.Thread:
        # A short poll keeps shutdown() quick (tests start and stop many servers).
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                  name="sandbox-server", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "cardbind-sandbox/" + API_VERSION

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox server: " + format, *args)

    def _send(self, status: int, data: dict[str, Any] | bytes,
              headers: dict[str, str] | None = None) -> None:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(data, bytes)
                         else "text/html")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

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
            status = (HTTPStatus.TOO_MANY_REQUESTS if outcome.kind == "too_frequent"
                      else HTTPStatus.SERVICE_UNAVAILABLE)
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
            self._send(HTTPStatus.OK, {"platforms": {
                p: {"verification": list(ledger.verification_kinds(p)),
                    "attempt_limit": int(get_profile(p).attempt_limit.value or 0)}
                for p in platform_ids()}})
            return
        if path.startswith("/v1/binds/"):
            key = path[len("/v1/binds/"):]
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
            self._error(HTTPStatus.BAD_REQUEST, "bad_request",
                        "Idempotency-Key header: 8-128 letters, digits, - or _")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", "body missing or too large")
            return
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
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
            key, body["platform"], body["pin"], card_number=body.get("card_number", ""),
            account=account, verification=body.get("verification", {}))
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
            for k, v in verification.items()):
        return "verification must map known kinds to short texts"
    return ""
