"""The keyed hash that identifies a card in the journal, history and blacklist: slow on
purpose (docs/hashing.md).

A masked code shows some characters; the hash pins down the rest. With the key in hand
(it is in the user's keyring, so anyone who has the account has it) a fast hash lets
the hidden characters be tried at 600,000 a second: a digit-only code falls in under a
second. So the keyed HMAC (v1, as cardbind stored it before) is stretched with scrypt,
whose cost in time and memory is paid for every guess:

    v2 = scrypt(HMAC-SHA256(key, "cardbind-card-v1" ‖ platform ‖ code), SCRYPT_SALT)

Stretching the v1 value rather than the code means stored v1 hashes become v2 hashes
without their codes: `migrate_journal` does it once when the journal is opened.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
import time
from functools import lru_cache

log = logging.getLogger(__name__)

# Measured in docs/hashing.md: about 11 ms and 4 MiB per hash on one core here, so a
# 10^10-guess search costs about 3.5 CPU-years, and 1,000 cards about 11 s.
SCRYPT_N = 1 << 12
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_SALT = b"cardbind-card-v2"
HASH_HEX_LEN = 64


def keyed_v1(key: bytes, platform: str, pin: str) -> str:
    """The fast keyed hash cardbind stored before version 2 (hex)."""
    message = f"cardbind-card-v1\x00{platform}\x00{pin}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=4096)
def stretch(v1: str) -> str:
    """The slow v2 hash of a v1 hash (both hex). Cached: a batch hashes each card when it
    plans and again when it binds (the cache holds keyed hashes only, never a code)."""
    return hashlib.scrypt(
        bytes.fromhex(v1),
        salt=SCRYPT_SALT,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    ).hex()


def card_hash(key: bytes, platform: str, pin: str) -> str:
    """The v2 hash of a card (hex, 64 characters)."""
    return stretch(keyed_v1(key, platform, pin))


def is_hash(text: str) -> bool:
    return len(text) == HASH_HEX_LEN and all(c in "0123456789abcdef" for c in text)


def migrate_journal(conn: sqlite3.Connection) -> int:
    """Replace every v1 hash in the journal by its v2 hash, in the caller's transaction
    (the caller bumps the schema version in the same one, so it happens exactly once).
    Returns how many distinct cards were re-hashed."""
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if any(col[1] == "card_hash" for col in conn.execute(f'PRAGMA table_info("{name}")'))
    ]
    started = time.monotonic()
    done: dict[str, str] = {}
    for table in tables:
        for (old,) in conn.execute(f'SELECT DISTINCT card_hash FROM "{table}"').fetchall():
            if not isinstance(old, str) or not is_hash(old):
                continue  # not a hash cardbind wrote: leave it for a person to see
            new = done.get(old)
            if new is None:
                new = done[old] = stretch(old)
            conn.execute(f'UPDATE "{table}" SET card_hash = ? WHERE card_hash = ?', (new, old))
    if done:
        log.info(
            "journal: %d card hashes moved to the slow hash in %.1f s",
            len(done),
            time.monotonic() - started,
        )
    return len(done)
