"""Secrets (the card-hash key, adapter tokens) through one interface on the OS keyring.

There is deliberately no fallback: when no keyring is usable the caller gets
`SecretsUnavailable` with a message that says what to do, never a plain-text file.

Only an operating system's own store is taken (Secret Service, KWallet, the macOS
Keychain, the Windows Credential Locker): with keyrings.alt installed and no Secret
Service running, `keyring` picks a plain-text file by itself, and the card-hash key
would sit in ~/.local/share/python_keyring. Another backend is used only when the user
names it (PYTHON_KEYRING_BACKEND, or default-keyring in keyring's keyringrc.cfg), or
the code passes it to `Secrets` (tests install an in-memory backend that way, or name
it in PYTHON_KEYRING_BACKEND).
"""

from __future__ import annotations

import configparser
import logging
import os
import secrets as _random
from collections.abc import Callable
from typing import Any

import keyring
import keyring.errors

from core.codes.mask import redact
from core.errors import MissingDependency
from core.i18n import N_, _

log = logging.getLogger(__name__)

SERVICE = "cardbind"
# Names of the secrets cardbind keeps, with what each is for (shown by `cardbind secret`).
KNOWN: dict[str, str] = {
    "card_hash_key": N_("key of the keyed hash that identifies cards in history and journal"),
    "http_token": N_("token for the http bind service"),
}

_NO_KEYRING = N_(
    "No secure password store (keyring) is available, so cardbind cannot keep its secrets "
    "(the card-hash key and service tokens). On Linux, start a Secret Service such as "
    "GNOME Keyring or KWallet; on Windows and macOS the system store is used. cardbind "
    "never falls back to a plain-text file."
)


class SecretsUnavailable(MissingDependency, RuntimeError):
    """No usable keyring; the message is translated and safe to show."""

    def __init__(self, detail: str = "") -> None:
        self.detail = redact(detail)
        message = _(_NO_KEYRING)
        if self.detail:
            message += " " + _("(Details: {detail})").format(detail=self.detail)
        super().__init__(message)


# The operating systems' own stores, by the name of their keyring backend class.
OS_STORES = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)


def _unusable(backend: Any) -> bool:
    """The fail and null backends, and a chainer with nothing in it, keep nothing."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return True
    return isinstance(backend, chainer.ChainerBackend) and not backend.backends


def _names(backend: Any) -> set[str]:
    return {f"{c.__module__}.{c.__qualname__}" for c in type(backend).__mro__}


def is_os_store(backend: Any) -> bool:
    return bool(_names(backend) & OS_STORES)


def configured_backend() -> str:
    """The backend the user named for keyring, or ""."""
    named = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if named:
        return named
    try:
        from keyring.util import platform_

        config = configparser.RawConfigParser()
        config.read(platform_.config_root() / "keyringrc.cfg", encoding="utf-8")
        return config.get("backend", "default-keyring", fallback="").strip()
    except (OSError, configparser.Error, UnicodeDecodeError):
        return ""


def system_store(backend: Any) -> Any:
    """The backend to use out of what keyring picked: an OS store as it is; a chainer's
    best OS store (never its plain-text members); anything else only when the user
    named it. Raises SecretsUnavailable otherwise."""
    from keyring.backends import chainer

    if _unusable(backend):
        raise SecretsUnavailable()
    if is_os_store(backend) or configured_backend() in _names(backend):
        return backend
    if isinstance(backend, chainer.ChainerBackend):
        for member in backend.backends:  # highest priority first
            if is_os_store(member):
                return member
    kind = type(backend)
    raise SecretsUnavailable(
        f"keyring offered {kind.__module__}.{kind.__qualname__}, which is not a system "
        "password store"
    )


class Secrets:
    """Get and set named secrets; every failure of the store becomes `SecretsUnavailable`."""

    def __init__(self, backend: Any | None = None, service: str = SERVICE) -> None:
        self._explicit = backend
        self.service = service

    def _backend(self) -> Any:
        if self._explicit is not None:
            if _unusable(self._explicit):
                raise SecretsUnavailable()
            return self._explicit
        return system_store(keyring.get_keyring())

    def _call(self, what: Callable[[Any], Any]) -> Any:
        backend = self._backend()
        try:
            return what(backend)
        except keyring.errors.PasswordDeleteError:
            raise
        except Exception as exc:
            # D-Bus errors, a locked collection, a missing daemon: all mean "no store".
            log.warning("keyring %s failed: %s", type(backend).__name__, type(exc).__name__)
            raise SecretsUnavailable(f"{type(exc).__name__}: {exc}") from None

    def available(self) -> bool:
        try:
            self._backend()
        except SecretsUnavailable:
            return False
        return True

    def get(self, name: str) -> str | None:
        value = self._call(lambda b: b.get_password(self.service, name))
        return value if isinstance(value, str) and value else None

    def set(self, name: str, value: str) -> None:
        self._call(lambda b: b.set_password(self.service, name, value))
        # A store that accepts a value and hands back something else would silently
        # give every run a new hash key; refuse it as loudly as a missing store.
        if self.get(name) != value:
            raise SecretsUnavailable(_("the password store did not keep the value"))

    def delete(self, name: str) -> bool:
        try:
            self._call(lambda b: b.delete_password(self.service, name))
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    def get_or_create(self, name: str, make: Callable[[], str] | None = None) -> str:
        found = self.get(name)
        if found is not None:
            return found
        value = (make or (lambda: _random.token_hex(32)))()
        self.set(name, value)
        return value
