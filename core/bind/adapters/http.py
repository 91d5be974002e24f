"""The `http` adapter: a store's or company's own bind service speaking the documented API
(resources/openapi/bind-api.yaml); `cardbind sandbox serve` implements the same API.

One deadline for each request as a whole (`bind_timeout_s`), not only for each read: a
server dripping a byte every few seconds is cut off when it passes, and the bind service
takes its lookup path as for any timeout. TLS verification always on (a company CA file
may be added to the trusted roots, never verification switched off), card codes only over
https except to loopback, the token from the keyring, replies read up to a size limit and
parsed strictly, a server-asked cool-down capped at the platform's documented one.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import math
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from core.bind.adapter import (
    AdapterContext,
    AdapterError,
    AttemptTimeout,
    Availability,
    BindRequest,
    GarbageReply,
    TransportError,
)
from core.bind.outcomes import (
    AdapterOutcome,
    BadOutcome,
    Refused,
    RetryLater,
    outcome_from_json,
)
from core.bind.store.pacing import max_cooldown_s
from core.codes.profiles import get_profile
from core.i18n import _
from core.secrets import Secrets, SecretsUnavailable

log = logging.getLogger(__name__)
# httpx logs every request at INFO; the journal already says what matters.
logging.getLogger("httpx").setLevel(logging.WARNING)

TOKEN_NAME = "http_token"
MAX_REPLY = 64 * 1024
USER_AGENT = "cardbind/0.1"
# Retry-After when the server names none (or nonsense), before the platform's cap.
DEFAULT_RETRY_AFTER_S = 60.0


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> httpx.URL:
    """The service address, or AdapterError when it is unusable or not safe for codes."""
    if not base_url.strip():
        raise AdapterError(
            _(
                "No address is set for the http bind service. Set it in the "
                "settings (http_base_url) or with --base-url."
            )
        )
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, ValueError):
        raise AdapterError(_("“{url}” is not a usable web address.").format(url=base_url)) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise AdapterError(_("“{url}” is not a usable web address.").format(url=base_url))
    if url.scheme == "http" and not _loopback(url.host):
        raise AdapterError(
            _(
                "cardbind sends card codes only over https, except to this computer itself; "
                "“{url}” uses plain http."
            ).format(url=base_url)
        )
    return url


def parse_retry_after(value: str, cap: float, *, now: float | None = None) -> float:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date), within 0…cap.

    Capped right here, so that nothing downstream ever sees a server's 3,000 years (a
    sleep that long overflows threading.TIMEOUT_MAX). Nonsense gets the default wait.
    """
    value = value.strip()
    seconds: float
    if re.fullmatch(r"[0-9]+", value):
        seconds = float(value)  # float() takes any length; a huge one is inf, then the cap
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
        if when is None:
            seconds = DEFAULT_RETRY_AFTER_S
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            base = datetime.now(UTC).timestamp() if now is None else now
            seconds = when.timestamp() - base
    if not math.isfinite(seconds) or seconds > cap:
        return cap
    return max(0.0, seconds)


class _Deadline:
    """One request's overall deadline.

    httpx's timeouts bound each read and write, not the request: a server sending one
    byte every few seconds would keep it alive for ever. When the deadline passes, the
    connection's socket is shut down from a timer thread; the blocked read returns at
    once and the request fails. The socket comes from httpcore's documented "trace"
    extension (connect and TLS events), so connections are not kept alive between
    requests: each one opens its own (binds are seconds apart anyway).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._cut(sock)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would drop its
        # TLS state under the reading thread's feet. Already closed: nothing to cut.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _body(raw: bytes, encoding: str) -> bytes:
    """The reply body, decompressed within MAX_REPLY when a server compressed it anyway
    (we ask for none): a few kilobytes of gzip can unpack to gigabytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise GarbageReply(f"reply in an unknown encoding ({encoding[:20]})")
    try:
        inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, found by itself
        body = inflater.decompress(raw, MAX_REPLY + 1)
    except zlib.error:
        raise GarbageReply("compressed reply is damaged") from None
    if len(body) > MAX_REPLY:
        raise GarbageReply(f"reply larger than {MAX_REPLY} bytes")
    return body


def tls_context(ca_file: str) -> ssl.SSLContext | bool:
    """What TLS trusts: the usual public roots, plus the system's and the company CA file
    when one is set. Verification is never switched off."""
    if not ca_file:
        return True
    try:
        context = httpx.create_ssl_context(trust_env=False)  # the public roots
        context.load_default_certs()  # the system's, where a store admin adds a CA
        context.load_verify_locations(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise AdapterError(
            _("Cannot read the CA file {path}: {error}").format(path=ca_file, error=exc)
        ) from None
    return context


class HttpAdapter:
    name = "http"
    automatic = True

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str | None],
        *,
        timeout_s: float = 15.0,
        connect_timeout_s: float = 5.0,
        ca_file: str = "",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`timeout_s` is each request's whole deadline (settings.bind_timeout_s)."""
        self.base_url = base_url
        self._token = token
        self._deadline_s = timeout_s
        self._timeout = httpx.Timeout(timeout_s, connect=min(connect_timeout_s, timeout_s))
        self._ca_file = ca_file
        self._transport = transport
        self._client: httpx.Client | None = None
        self._platforms: dict[str, tuple[str, ...]] | None = None
        # Which platform each bind was for, so a lookup's cool-down gets that platform's cap.
        self._key_platform: dict[str, str] = {}

    def _get_client(self) -> httpx.Client:
        if self._client is None:
            url = check_base_url(self.base_url)
            try:
                token = self._token()
            except SecretsUnavailable as exc:
                raise AdapterError(str(exc)) from None
            if not token:
                raise AdapterError(
                    _(
                        "No token for the http bind service is stored. Store it with: "
                        "cardbind secret set http_token"
                    ),
                    kind="not_logged_in",
                )
            self._client = httpx.Client(
                base_url=url,
                timeout=self._timeout,
                verify=tls_context(self._ca_file),
                transport=self._transport,
                follow_redirects=False,
                trust_env=False,
                # A fresh connection per request: the deadline cuts that connection.
                limits=httpx.Limits(max_keepalive_connections=0),
                headers={
                    "Authorization": f"Bearer {token}",
                    "User-Agent": USER_AGENT,
                    "Accept": "application/json",
                    "Accept-Encoding": "identity",
                },
            )
        return self._client

    def is_available(self) -> Availability:
        try:
            check_base_url(self.base_url)
            if not self._token():
                return Availability(
                    False,
                    _(
                        "No token for the http bind service is stored. Store it with: "
                        "cardbind secret set http_token"
                    ),
                )
        except (AdapterError, SecretsUnavailable) as exc:
            return Availability(False, str(exc))
        return Availability(True)

    def _request(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any, httpx.Headers]:
        client = self._get_client()
        headers = {"Idempotency-Key": key} if key else {}
        started = time.monotonic()
        with _Deadline(self._deadline_s) as deadline:
            try:
                with client.stream(
                    method, path, json=body, headers=headers, extensions={"trace": deadline.trace}
                ) as response:
                    raw = bytearray()
                    encoding = response.headers.get("Content-Encoding", "")
                    # Compressed bytes are read as they are and unpacked within bounds
                    # by _body(); httpx would unpack a gzip bomb in one go.
                    plain = encoding.strip().lower() in ("", "identity")
                    for chunk in response.iter_bytes() if plain else response.iter_raw():
                        raw += chunk
                        if len(raw) > MAX_REPLY:
                            raise GarbageReply(f"reply larger than {MAX_REPLY} bytes")
                        if deadline.expired:
                            raise AttemptTimeout(self._late(started))
                    status, reply_headers = response.status_code, response.headers
            except httpx.ConnectTimeout as exc:
                raise TransportError(f"cannot connect: {type(exc).__name__}", sent=False) from None
            except httpx.ConnectError as exc:
                if isinstance(exc.__context__, ssl.SSLError) or "CERTIFICATE" in str(exc):
                    raise AdapterError(
                        _(
                            "The bind service's certificate is not trusted, so nothing was sent. "
                            "If it uses a company certificate, set its CA file in the settings "
                            "(http_ca_file)."
                        )
                    ) from None
                if deadline.expired:
                    raise AttemptTimeout(self._late(started)) from None
                raise TransportError(f"cannot connect: {exc}", sent=False) from None
            except httpx.TimeoutException as exc:
                raise AttemptTimeout(f"no answer in time ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                if deadline.expired:
                    raise AttemptTimeout(self._late(started)) from None
                raise AttemptTimeout(f"connection lost ({type(exc).__name__}: {exc})") from None
            except httpx.InvalidURL as exc:
                raise AdapterError(str(exc)) from None
        body_bytes = _body(bytes(raw), encoding)
        try:
            data = json.loads(body_bytes.decode("utf-8")) if body_bytes else None
        except (UnicodeDecodeError, ValueError, RecursionError):
            data = None
        return status, data, reply_headers

    def _late(self, started: float) -> str:
        return (
            f"no complete answer within the {self._deadline_s:g} s deadline "
            f"(cut after {time.monotonic() - started:.1f} s)"
        )

    def _outcome(
        self, status: int, data: Any, headers: httpx.Headers, platform: str | None
    ) -> AdapterOutcome:
        outcome = self._answer(status, data, headers, platform)
        if isinstance(outcome, RetryLater):
            # The answer's own retry_after is capped like the header's.
            cap = max_cooldown_s(platform)
            if outcome.after_s > cap:
                outcome = RetryLater(outcome.kind, cap, outcome.unresolved)
        return outcome

    def _answer(
        self, status: int, data: Any, headers: httpx.Headers, platform: str | None
    ) -> AdapterOutcome:
        if status in (401, 403):
            raise AdapterError(
                _(
                    "The bind service did not accept the token (HTTP {status}). "
                    "Store a valid one with: cardbind secret set http_token"
                ).format(status=status),
                kind="not_logged_in",
            )
        if status == 400:
            message = data.get("message", "") if isinstance(data, dict) else ""
            raise AdapterError(
                _("The bind service refused the request: {message}").format(
                    message=str(message)[:200]
                )
            )
        if status in (429, 503) and not (isinstance(data, dict) and "status" in data):
            after = parse_retry_after(headers.get("Retry-After", ""), max_cooldown_s(platform))
            return RetryLater("too_frequent" if status == 429 else "platform_fault", after)
        if status >= 500 and status != 503:
            raise TransportError(f"server error HTTP {status}")
        if status not in (200, 429, 503):
            raise GarbageReply(f"unexpected HTTP status {status}")
        try:
            outcome = outcome_from_json(data)
        except BadOutcome as exc:
            raise GarbageReply(f"not an outcome: {exc}") from None
        if isinstance(outcome, Refused):
            raise GarbageReply("a service never answers 'refused'")
        return outcome

    def bind(self, request: BindRequest) -> AdapterOutcome:
        card = request.card
        body: dict[str, Any] = {
            "platform": card.platform,
            "pin": card.pin,
            "verification": dict(request.verification),
        }
        if card.card_number:
            body["card_number"] = card.card_number
        if card.account:
            body["account"] = card.account
        if len(self._key_platform) > 10_000:
            self._key_platform.clear()
        self._key_platform[request.idempotency_key] = card.platform
        status, data, headers = self._request(
            "POST", "/v1/binds", body=body, key=request.idempotency_key
        )
        return self._outcome(status, data, headers, card.platform)

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        status, data, headers = self._request("GET", f"/v1/binds/{idempotency_key}")
        if status == 404:
            return None
        return self._outcome(status, data, headers, self._key_platform.get(idempotency_key))

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        if self._platforms is None:
            try:
                status, data, _headers = self._request("GET", "/v1/platforms")
                platforms = data.get("platforms") if isinstance(data, dict) else None
                if status == 200 and isinstance(platforms, dict):
                    self._platforms = {
                        str(p): tuple(str(k) for k in v.get("verification", []))
                        for p, v in platforms.items()
                        if isinstance(v, dict)
                    }
            except (TransportError, AdapterError) as exc:
                log.info("http: cannot read the platform list (%s)", exc)
        if self._platforms is not None and platform in self._platforms:
            return self._platforms[platform]
        return get_profile(platform).verification

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def create(context: AdapterContext) -> HttpAdapter:
    secrets: Secrets = context.secrets
    settings = context.settings
    return HttpAdapter(
        context.base_url or settings.http_base_url,
        lambda: secrets.get(TOKEN_NAME),
        timeout_s=settings.bind_timeout_s,
        ca_file=settings.http_ca_file,
    )
