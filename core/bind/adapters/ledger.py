"""The sandbox's platform side: a real SQLite ledger of cards that behaves like each
platform profile says.

Card states: unbound, bound to you, bound to someone else, not activated, expired,
frozen, region/currency mismatch. Per-card attempt counters and lock-out from the
profile's limit; the profile's verification (SMS code, picture captcha, QR
confirmation, payment password, time-based token) with the values "shown by the
sandbox" in the prompt; per-account "too frequent" rate limiting; idempotency keys.
This module is the ledger file (its tables, accounts, cards and reports) and runs each
request in one transaction; how the platform answers a request is ledger_rules.py.

Even the simulated platform keeps no card code: cards are stored by a salted SHA-256,
so a grep of any SQLite file of a run finds no code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import sqlite3
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.bind.adapters.ledger_rules import (
    DEFAULT_PAYMENT_PASSWORD,
    answer_request,
    attempt_limit,
    card_sha,
    totp,
)
from core.bind.clock import Clock, SystemClock
from core.bind.outcomes import (
    AdapterOutcome,
    Refused,
    outcome_from_json,
    outcome_to_json,
)
from core.bind.sqlite import connect, transaction
from core.codes.check import luhn_ok
from core.codes.mask import mask_code
from core.codes.profiles import FieldFormat, get_profile
from core.errors import UsageError
from core.i18n import _

CARD_STATES = (
    "unbound",
    "bound_self",
    "bound_other",
    "not_activated",
    "expired",
    "frozen",
    "region_mismatch",
)
DEFAULT_ACCOUNT = "me"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    logged_in INTEGER NOT NULL DEFAULT 1,
    restricted INTEGER NOT NULL DEFAULT 0,
    payment_password_sha TEXT,
    region TEXT NOT NULL DEFAULT 'CN',
    totp_secret TEXT NOT NULL,
    token_sha TEXT
);
CREATE TABLE IF NOT EXISTS cards (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    pin_sha TEXT NOT NULL,
    number_sha TEXT,
    masked_pin TEXT NOT NULL,
    masked_number TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    owner TEXT,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until REAL,
    binds INTEGER NOT NULL DEFAULT 0,
    requests_after_bound INTEGER NOT NULL DEFAULT 0,
    requests_while_locked INTEGER NOT NULL DEFAULT 0,
    bound_at REAL,
    credited_at REAL,
    UNIQUE (platform, pin_sha)
);
CREATE TABLE IF NOT EXISTS requests (
    key TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    platform TEXT NOT NULL,
    card_id INTEGER,
    at REAL NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_at ON requests (account, at);
CREATE TABLE IF NOT EXISTS challenges (
    account TEXT NOT NULL,
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (account, platform, kind)
);
"""

_DEFAULTS: dict[str, Any] = {
    "verification": "profile",  # or "none": no second factor (batch runs, benchmarks)
    "rate_limit": 30,  # requests per account per window; 0 = off
    "rate_window_s": 60.0,
    "retry_after_s": None,  # None: the profile's cool-down
}


class LedgerError(UsageError, RuntimeError):
    pass


@dataclass(frozen=True)
class SandboxCard:
    card_number: str
    pin: str
    platform: str
    state: str

    def __repr__(self) -> str:
        return f"SandboxCard({self.platform}, {mask_code(self.pin)}, {self.state})"


def _random_value(fmt: FieldFormat, rng: random.Random) -> str:
    length = fmt.lengths[0] if len(fmt.lengths) == 1 else max(16, fmt.min_length)
    length = min(max(length, fmt.min_length), fmt.max_length)
    alphabet = fmt.usual_alphabet
    if fmt.check == "luhn":
        while True:
            body = "".join(rng.choice("0123456789") for _ in range(length))
            if luhn_ok(body):
                return body
    return "".join(rng.choice(alphabet) for _ in range(length))


class SandboxLedger:
    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        try:
            self._conn = connect(path)
            with self._tx() as c:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                if c.execute("SELECT 1 FROM config WHERE key='salt'").fetchone() is None:
                    c.execute(
                        "INSERT INTO config VALUES ('salt', ?)",
                        (json.dumps(secrets.token_hex(16)),),
                    )
                if (
                    c.execute("SELECT 1 FROM accounts WHERE id=?", (DEFAULT_ACCOUNT,)).fetchone()
                    is None
                ):
                    self._add_account(c, DEFAULT_ACCOUNT)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                _("Cannot open the sandbox ledger {path}: {error}").format(path=path, error=exc)
            ) from None
        except OSError as exc:
            raise LedgerError(
                _("Cannot open the sandbox ledger {path}: {error}").format(
                    path=path, error=exc.strerror or exc
                )
            ) from None
        self._salt = str(self.config("salt"))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._conn, self._lock)

    # -- configuration and accounts ------------------------------------------------------

    def config(self, key: str) -> Any:
        with self._lock:
            row = self._conn.execute("SELECT value FROM config WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else _DEFAULTS.get(key)

    def set_config(self, **values: Any) -> None:
        with self._tx() as c:
            for key, value in values.items():
                c.execute("INSERT OR REPLACE INTO config VALUES (?, ?)", (key, json.dumps(value)))

    @staticmethod
    def _add_account(
        c: sqlite3.Connection,
        account: str,
        *,
        payment_password: str | None = DEFAULT_PAYMENT_PASSWORD,
        logged_in: bool = True,
        restricted: bool = False,
        region: str = "CN",
    ) -> None:
        c.execute(
            "INSERT OR REPLACE INTO accounts (id, logged_in, restricted, payment_password_sha, "
            "region, totp_secret) VALUES (?, ?, ?, ?, ?, ?)",
            (
                account,
                int(logged_in),
                int(restricted),
                hashlib.sha256(payment_password.encode()).hexdigest() if payment_password else None,
                region,
                secrets.token_hex(20),
            ),
        )

    def add_account(self, account: str, **kwargs: Any) -> None:
        with self._tx() as c:
            self._add_account(c, account, **kwargs)

    def set_api_token(self, token: str, account: str = DEFAULT_ACCOUNT) -> None:
        with self._tx() as c:
            c.execute(
                "UPDATE accounts SET token_sha=? WHERE id=?",
                (hashlib.sha256(token.encode()).hexdigest(), account),
            )

    def account_for_token(self, token: str) -> str | None:
        sha = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            rows = self._conn.execute("SELECT id, token_sha FROM accounts").fetchall()
        for account, stored in rows:
            if stored and hmac.compare_digest(stored, sha):
                return str(account)
        return None

    def current_token(self, account: str = DEFAULT_ACCOUNT) -> str:
        """What the sandbox's "token app" shows now (shown in its prompt, for practice)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT totp_secret FROM accounts WHERE id=?", (account,)
            ).fetchone()
        return totp(row[0], self.clock.time()) if row else ""

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        if self.config("verification") == "none":
            return ()
        return get_profile(platform).verification

    # -- cards ---------------------------------------------------------------------------

    def add_card(
        self,
        platform: str,
        pin: str,
        card_number: str = "",
        *,
        state: str = "unbound",
        owner: str | None = None,
        amount: Decimal = Decimal("100.00"),
        currency: str = "CNY",
    ) -> None:
        if state not in CARD_STATES:
            raise LedgerError(f"unknown card state {state}")
        if state == "bound_self":
            owner = owner or DEFAULT_ACCOUNT
        elif state == "bound_other":
            owner = owner or "someone-else"
        if state == "region_mismatch":
            currency = "HKD"
        with self._tx() as c:
            c.execute(
                "INSERT INTO cards (platform, pin_sha, number_sha, masked_pin, masked_number, "
                "state, owner, amount, currency, binds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    platform,
                    card_sha(self._salt, platform, pin),
                    card_sha(self._salt, platform, "number", card_number) if card_number else None,
                    mask_code(pin),
                    mask_code(card_number) if card_number else "",
                    state,
                    owner,
                    str(amount),
                    currency,
                    1 if state == "bound_self" else 0,
                ),
            )

    def create_cards(
        self,
        platform: str,
        count: int,
        *,
        seed: int | None = None,
        mix: Mapping[str, int] | None = None,
    ) -> list[SandboxCard]:
        """`count` unbound cards plus `mix` cards in other states, with random codes."""
        profile = get_profile(platform)
        rng = random.Random(seed)
        states = ["unbound"] * count
        for state, n in (mix or {}).items():
            if state not in CARD_STATES:
                raise LedgerError(
                    _("Unknown card state {state}; use one of {states}").format(
                        state=state, states=", ".join(CARD_STATES)
                    )
                )
            states.extend([state] * n)
        if mix:
            rng.shuffle(states)
        cards: list[SandboxCard] = []
        seen: set[str] = set()
        for state in states:
            while True:
                pin = _random_value(profile.fields["pin"], rng)
                if pin not in seen and not self._exists(platform, pin):
                    break
            seen.add(pin)
            number = ""
            if "card_number" in profile.fields:
                number = _random_value(profile.fields["card_number"], rng)
            amount = Decimal(rng.choice(["50.00", "100.00", "200.00", "500.00", "1000.00"]))
            self.add_card(platform, pin, number, state=state, amount=amount)
            cards.append(SandboxCard(number, pin, platform, state))
        return cards

    def knows(self, platform: str, pin: str) -> bool:
        """Whether this ledger holds the card (practice checks; no attempt is counted)."""
        return self._exists(platform, pin)

    def _exists(self, platform: str, pin: str) -> bool:
        with self._lock:
            return (
                self._conn.execute(
                    "SELECT 1 FROM cards WHERE platform=? AND pin_sha=?",
                    (platform, card_sha(self._salt, platform, pin)),
                ).fetchone()
                is not None
            )

    def report(self) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._conn.execute(
                "SELECT id, platform, masked_pin, masked_number, state, owner, amount, currency,"
                " attempts, failures, locked_until, binds, requests_after_bound,"
                " requests_while_locked FROM cards ORDER BY id"
            )
            rows = cur.fetchall()
            limits = {p: attempt_limit(get_profile(p)) for p in {r[1] for r in rows}}
        now = self.clock.time()
        return [
            {
                "id": r[0],
                "platform": r[1],
                "card": r[2],
                "card_number": r[3],
                "state": r[4],
                "owner": r[5],
                "amount": r[6],
                "currency": r[7],
                "attempts_used": r[8],
                "failures": r[9],
                "locked": bool(r[10] and r[10] > now),
                "binds": r[11],
                "requests_after_bound": r[12],
                "requests_while_locked": r[13],
                "attempt_limit": limits[r[1]],
            }
            for r in rows
        ]

    def request_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM requests").fetchone()[0])

    # -- requests (what the platform answers: ledger_rules.py) ---------------------------

    def lookup(self, key: str) -> AdapterOutcome | None:
        with self._lock:
            row = self._conn.execute("SELECT outcome FROM requests WHERE key=?", (key,)).fetchone()
        if row is None:
            return None
        outcome = outcome_from_json(json.loads(row[0]))
        return None if isinstance(outcome, Refused) else outcome

    def bind(
        self,
        key: str,
        platform: str,
        pin: str,
        *,
        card_number: str = "",
        account: str = DEFAULT_ACCOUNT,
        verification: Mapping[str, str] | None = None,
    ) -> AdapterOutcome:
        """Process one bind request atomically; a repeated key returns the first answer."""
        profile = get_profile(platform)
        now = self.clock.time()
        with self._tx() as c:
            seen = c.execute("SELECT outcome FROM requests WHERE key=?", (key,)).fetchone()
            if seen is not None:
                stored = outcome_from_json(json.loads(seen[0]))
                if not isinstance(stored, Refused):
                    return stored
            card_id, outcome, status = answer_request(
                c,
                profile,
                config=self.config,
                salt=self._salt,
                pin=pin,
                card_number=card_number,
                account=account,
                verification=verification or {},
                now=now,
            )
            c.execute(
                "INSERT INTO requests (key, account, platform, card_id, at, status, "
                "outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    account,
                    platform,
                    card_id,
                    now,
                    status,
                    json.dumps(outcome_to_json(outcome)),
                ),
            )
            return outcome
