"""A card to bind, and its keyed hash.

`Card` holds the full code in memory only; its repr and str are masked so that a log
line, an exception or a debugger print never shows it. Everything that is stored
identifies the card by `CardHasher.hash`: HMAC-SHA256 under a key kept in the keyring,
stretched with scrypt so that a masked code cannot be completed by trying the hidden
characters, even with the key (core.bind.card_hash, docs/hashing.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as _random
import threading
from dataclasses import dataclass

from core.bind.card_hash import card_hash
from core.codes.mask import mask_code
from core.secrets import Secrets, SecretsUnavailable

HASH_KEY_NAME = "card_hash_key"


@dataclass(frozen=True, repr=False)
class Card:
    platform: str
    pin: str  # normalized (core.codes.check_code(...).value)
    card_number: str = ""
    account: str = ""

    @property
    def masked(self) -> str:
        return mask_code(self.pin)

    def __repr__(self) -> str:
        return f"Card({self.platform}, {self.masked})"

    __str__ = __repr__


class CardHasher:
    """Keyed hash of a card: equal cards give equal hashes on this installation only."""

    def __init__(self, secrets: Secrets | None = None, key: bytes | None = None) -> None:
        self._secrets = secrets or Secrets()
        self._key = key
        self._lock = threading.Lock()

    def _get_key(self) -> bytes:
        with self._lock:
            if self._key is None:
                # Raises SecretsUnavailable when there is no keyring: never a stored key.
                self._key = bytes.fromhex(self._secrets.get_or_create(HASH_KEY_NAME))
            return self._key

    def hash(self, platform: str, pin: str) -> str:
        """About 11 ms of one core each (by design); equal cards are hashed once."""
        return card_hash(self._get_key(), platform, pin)

    def card(self, card: Card) -> str:
        return self.hash(card.platform, card.pin)

    def key_id(self) -> str:
        """A fingerprint of the key (not the key): a batch started under another key
        cannot match its rows to the file again, and says so (core/bind/batch/plan.py)."""
        return hmac.new(self._get_key(), b"cardbind-key-id-v1", hashlib.sha256).hexdigest()[:16]


_SESSION_KEY = _random.token_bytes(32)


class PracticeHasher(CardHasher):
    """The hasher of the sandbox: the keyring's key when there is one, else a key held
    in memory for this session only (docs/no-plaintext-keyring.md). Practice codes are
    not money, and nothing of them is written unmasked either way; the real bind methods
    keep `CardHasher`, which needs a keyring."""

    def __init__(self, secrets: Secrets | None = None) -> None:
        super().__init__(secrets)
        self.session_only = False

    def _get_key(self) -> bytes:
        with self._lock:
            if self._key is None:
                try:
                    self._key = bytes.fromhex(self._secrets.get_or_create(HASH_KEY_NAME))
                except SecretsUnavailable:
                    self._key = _SESSION_KEY
                    self.session_only = True
            return self._key
