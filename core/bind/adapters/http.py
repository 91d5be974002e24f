"""The `http` adapter: a store's or company's own bind service speaking the documented API
(resources/openapi/bind-api.yaml); `cardbind sandbox serve` implements the same API.

Timeouts on every phase, TLS verification always on (a company CA file may be added,
never verification switched off), card codes only over https except to loopback, the
token from the keyring, replies read up to a size limit and parsed strictly.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import ssl
from collections.abc import Callable
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
from core.codes.profiles import get_profile
from core.i18n import _
from core.secrets import Secrets, SecretsUnavailable

log = logging.getLogger(__name__)
# httpx logs every request at INFO; the journal already says what matters.
logging.getLogger("httpx").setLevel(logging.WARNING)

TOKEN_NAME = "http_token"
MAX_REPLY = 64 * 1024
USER_AGENT = "cardbind/0.1"


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
        raise AdapterError(_("No address is set for the http bind service. Set it in the "
                             "settings (http_base_url) or with --base-url."))
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, ValueError):
        raise AdapterError(_("“{url}” is not a usable web address.").format(url=base_url)) \
            from None
    if url.scheme not in ("http", "https") or not url.host:
        raise AdapterError(_("“{url}” is not a usable web address.").format(url=base_url))
    if url.scheme == "http" and not _loopback(url.host):
        raise AdapterError(_(
            "cardbind sends card codes only over https, except to this computer itself; "
            "“{url}” uses plain http.").format(url=base_url))
    return url


class HttpAdapter:
    name = "http"
    automatic = True

    def __init__(self, base_url: str, token: Callable[[], str | None], *,
                 timeout_s: float = 15.0, connect_timeout_s: float = 5.0, ca_file: str = "",
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url
        self._token = token
        self._timeout = httpx.Timeout(timeout_s, connect=min(connect_timeout_s, timeout_s))
        self._ca_file = ca_file
        self._transport = transport
        self._client: httpx.Client | None = None
        self._platforms: dict[str, tuple[str, ...]] | None = None

    def _get_client(self) -> httpx.Client:
        if self._client is None:
            url = check_base_url(self.base_url)
            try:
                token = self._token()
            except SecretsUnavailable as exc:
                raise AdapterError(str(exc)) from None
            if not token:
                raise AdapterError(_(
                    "No token for the http bind service is stored. Store it with: "
                    "cardbind secret set http_token"), kind="not_logged_in")
            # verify=True always; a company CA is added to the trusted roots, never a bypass.
            verify: ssl.SSLContext | bool = True
            if self._ca_file:
                try:
                    verify = ssl.create_default_context(cafile=self._ca_file)
                except (OSError, ssl.SSLError) as exc:
                    raise AdapterError(_("Cannot read the CA file {path}: {error}").format(
                        path=self._ca_file, error=exc)) from None
            self._client = httpx.Client(
                base_url=url, timeout=self._timeout, verify=verify, transport=self._transport,
                follow_redirects=False, trust_env=False,
                headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT,
                         "Accept": "application/json"})
        return self._client

    def is_available(self) -> Availability:
        try:
            check_base_url(self.base_url)
            if not self._token():
                return Availability(False, _(
                    "No token for the http bind service is stored. Store it with: "
                    "cardbind secret set http_token"))
        except (AdapterError, SecretsUnavailable) as exc:
            return Availability(False, str(exc))
        return Availability(True)

    def _request(self, method: str, path: str, *, body: dict[str, Any] | None = None,
                 key: str | None = None) -> tuple[int, Any, httpx.Headers]:
        client = self._get_client()
        headers = {"Idempotency-Key": key} if key else {}
        try:
            with client.stream(method, path, json=body, headers=headers) as response:
                raw = b""
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > MAX_REPLY:
                        raise GarbageReply(f"reply larger than {MAX_REPLY} bytes")
                status, reply_headers = response.status_code, response.headers
        except httpx.ConnectTimeout as exc:
            raise TransportError(f"cannot connect: {type(exc).__name__}", sent=False) from None
        except httpx.ConnectError as exc:
            if isinstance(exc.__context__, ssl.SSLError) or "CERTIFICATE" in str(exc):
                raise AdapterError(_(
                    "The bind service's certificate is not trusted, so nothing was sent. "
                    "If it uses a company certificate, set its CA file in the settings "
                    "(http_ca_file).")) from None
            raise TransportError(f"cannot connect: {exc}", sent=False) from None
        except httpx.TimeoutException as exc:
            raise AttemptTimeout(f"no answer in time ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise AttemptTimeout(f"connection lost ({type(exc).__name__}: {exc})") from None
        except httpx.InvalidURL as exc:
            raise AdapterError(str(exc)) from None
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            data = None
        return status, data, reply_headers

    def _outcome(self, status: int, data: Any, headers: httpx.Headers) -> AdapterOutcome:
        if status in (401, 403):
            raise AdapterError(_("The bind service did not accept the token (HTTP {status}). "
                                 "Store a valid one with: cardbind secret set http_token")
                               .format(status=status), kind="not_logged_in")
        if status == 400:
            message = data.get("message", "") if isinstance(data, dict) else ""
            raise AdapterError(_("The bind service refused the request: {message}").format(
                message=str(message)[:200]))
        if status in (429, 503) and not (isinstance(data, dict) and "status" in data):
            retry_after = headers.get("Retry-After", "")
            after = float(retry_after) if retry_after.isdigit() else 60.0
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
        body: dict[str, Any] = {"platform": card.platform, "pin": card.pin,
                                "verification": dict(request.verification)}
        if card.card_number:
            body["card_number"] = card.card_number
        if card.account:
            body["account"] = card.account
        status, data, headers = self._request("POST", "/v1/binds", body=body,
                                              key=request.idempotency_key)
        return self._outcome(status, data, headers)

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        status, data, headers = self._request("GET", f"/v1/binds/{idempotency_key}")
        if status == 404:
            return None
        return self._outcome(status, data, headers)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        if self._platforms is None:
            try:
                status, data, _headers = self._request("GET", "/v1/platforms")
                platforms = data.get("platforms") if isinstance(data, dict) else None
                if status == 200 and isinstance(platforms, dict):
                    self._platforms = {
                        str(p): tuple(str(k) for k in v.get("verification", []))
                        for p, v in platforms.items() if isinstance(v, dict)}
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
    return HttpAdapter(context.base_url or settings.http_base_url,
                       lambda: secrets.get(TOKEN_NAME),
                       timeout_s=settings.bind_timeout_s, ca_file=settings.http_ca_file)
