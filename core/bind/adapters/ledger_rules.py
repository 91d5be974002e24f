"""How the sandbox platform answers one bind request: the account (logged in, not
restricted), the per-account rate limit, the profile's verification (payment password,
time-based token, or a captcha, QR or SMS challenge whose value the prompt shows), then
the card's state, its attempt counter and lock-out. The ledger (ledger.py) runs this
inside its transaction and logs the answer under the request's idempotency key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import struct
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.bind.outcomes import AdapterOutcome, Bound, NeedsVerification, Rejected, RetryLater
from core.codes.profiles import Profile
from core.i18n import _

# What the platform answers for a card in each state other than unbound.
_STATE_KIND = {
    "bound_other": "already_bound_other",
    "not_activated": "not_activated",
    "expired": "expired",
    "frozen": "frozen",
    "region_mismatch": "region_mismatch",
}
DEFAULT_PAYMENT_PASSWORD = "123456"
CHALLENGE_S = 300.0
TOTP_STEP = 30


def card_sha(salt: str, *parts: str) -> str:
    """How the ledger stores a code: a salted SHA-256, never the code itself."""
    return hashlib.sha256("\x00".join((salt, *parts)).encode()).hexdigest()


def totp(secret: str, at: float, step: int = TOTP_STEP) -> str:
    """RFC 6238 six-digit token (HMAC-SHA1), as a hardware token would show it."""
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(bytes.fromhex(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def attempt_limit(profile: Profile) -> int:
    """The failed attempts a card takes before it locks (0: no limit)."""
    return int(profile.attempt_limit.value or 0)


def answer_request(
    c: sqlite3.Connection,
    profile: Profile,
    *,
    config: Callable[[str], Any],
    salt: str,
    pin: str,
    card_number: str,
    account: str,
    verification: Mapping[str, str],
    now: float,
) -> tuple[int | None, AdapterOutcome, str]:
    """What the platform answers one bind request, inside the ledger's transaction `c`,
    with the card touched (None when none was) and the status the request is logged
    under. `config` reads the ledger's settings (rate limit, verification)."""
    acc = c.execute(
        "SELECT logged_in, restricted, payment_password_sha, region, "
        "totp_secret FROM accounts WHERE id=?",
        (account,),
    ).fetchone()
    if acc is None or not acc[0]:
        return None, Rejected("not_logged_in", None, "please log in"), "rejected"
    _logged_in, restricted, pay_sha, _region, totp_secret = acc
    if restricted:
        return None, Rejected("account_restricted", None, "account restricted"), "rejected"
    limit, window = int(config("rate_limit") or 0), float(config("rate_window_s"))
    if limit > 0:
        recent = c.execute(
            "SELECT COUNT(*) FROM requests WHERE account=? AND at>? AND status!='retry_later'",
            (account, now - window),
        ).fetchone()[0]
        if recent >= limit:
            configured = config("retry_after_s")
            after = float(
                configured if configured is not None else int(profile.cooldown_seconds.value or 60)
            )
            return None, RetryLater("too_frequent", after), "retry_later"

    if config("verification") != "none":
        for needed in profile.verification:
            answer = _verify(
                c,
                profile.id,
                account,
                needed,
                value=verification.get(needed),
                pay_sha=pay_sha,
                totp_secret=totp_secret,
                now=now,
            )
            if answer is not None:
                return None, answer, answer.status
        c.execute("DELETE FROM challenges WHERE account=? AND platform=?", (account, profile.id))

    row = c.execute(
        "SELECT id, number_sha, state, owner, amount, currency, failures, locked_until "
        "FROM cards WHERE platform=? AND pin_sha=?",
        (profile.id, card_sha(salt, profile.id, pin)),
    ).fetchone()
    if row is None:
        return None, Rejected("not_found", None, "card not found"), "rejected"
    card_id, number_sha, state, owner, amount, currency, failures, locked_until = row
    limit_n = attempt_limit(profile)
    if locked_until is not None and locked_until > now:
        c.execute(
            "UPDATE cards SET requests_while_locked = requests_while_locked + 1 WHERE id=?",
            (card_id,),
        )
        return card_id, Rejected("card_locked", 0, "too many attempts"), "rejected"
    if locked_until is not None:
        failures = 0  # the lock-out is over
        c.execute("UPDATE cards SET failures=0, locked_until=NULL WHERE id=?", (card_id,))
    c.execute("UPDATE cards SET attempts = attempts + 1 WHERE id=?", (card_id,))

    kind: str
    if (
        profile.fields.get("card_number")
        and profile.fields["card_number"].required
        and (number_sha != card_sha(salt, profile.id, "number", card_number))
    ):
        kind = "not_found"
    elif state == "unbound":
        credited = _credited(profile, now)
        c.execute(
            "UPDATE cards SET state='bound_self', owner=?, binds = binds + 1, "
            "bound_at=?, credited_at=? WHERE id=?",
            (account, now, credited, card_id),
        )
        return (
            card_id,
            Bound(
                Decimal(amount),
                currency,
                datetime.fromtimestamp(credited, UTC) if credited is not None else None,
                f"sandbox-{card_id}",
            ),
            "bound",
        )
    elif state == "bound_self":
        c.execute(
            "UPDATE cards SET requests_after_bound = requests_after_bound + 1 WHERE id=?",
            (card_id,),
        )
        kind = "already_bound_self" if owner == account else "already_bound_other"
    else:
        kind = _STATE_KIND[state]
    failures += 1
    left: int | None = None
    if limit_n > 0:
        left = max(0, limit_n - failures)
        lock = now + float(profile.lockout_hours.value or 0) * 3600 if left == 0 else None
        if left == 0 and not profile.lockout_hours.value:
            lock = float("inf")
        c.execute(
            "UPDATE cards SET failures=?, locked_until=? WHERE id=?", (failures, lock, card_id)
        )
    else:
        c.execute("UPDATE cards SET failures=? WHERE id=?", (failures, card_id))
    return card_id, Rejected(kind, left, kind.replace("_", " ")), "rejected"  # type: ignore[arg-type]


def _credited(profile: Profile, now: float) -> float | None:
    timing = profile.credit_timing.value
    if timing == "instant":
        return now
    if timing == "t_plus_1":
        return now + 86400.0
    return None  # after delivery, pre-sale, unknown: not yet


def _verify(
    c: sqlite3.Connection,
    platform: str,
    account: str,
    kind: str,
    *,
    value: str | None,
    pay_sha: str | None,
    totp_secret: str,
    now: float,
) -> AdapterOutcome | None:
    """None when this verification passes; else what the platform answers."""
    if kind == "payment_password":
        if not pay_sha:
            return Rejected("payment_password_not_set", None, "set a payment password")
        if value is None:
            return NeedsVerification(
                "payment_password",
                _("Sandbox: enter the account's payment password (default {password}).").format(
                    password=DEFAULT_PAYMENT_PASSWORD
                ),
            )
        ok = hmac.compare_digest(hashlib.sha256(value.encode()).hexdigest(), pay_sha)
        return None if ok else Rejected("verification_failed", None, "wrong password")
    if kind == "token":
        expected = {totp(totp_secret, now), totp(totp_secret, now - TOTP_STEP)}
        if value is None:
            return NeedsVerification(
                "token",
                _("Sandbox: the token app now shows {token}.").format(token=totp(totp_secret, now)),
            )
        return (
            None
            if value.strip() in expected
            else Rejected("verification_failed", None, "wrong token")
        )
    row = c.execute(
        "SELECT value, expires_at FROM challenges WHERE account=? AND platform=? AND kind=?",
        (account, platform, kind),
    ).fetchone()
    if value is None or row is None:
        if kind == "captcha":
            fresh = "".join(secrets.choice("ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(4))
            prompt = _("Sandbox captcha: type {text}.")
        elif kind == "qr":
            fresh = "".join(secrets.choice("0123456789") for _ in range(6))
            prompt = _("Sandbox: scan the QR code; the phone confirms with {text}.")
        else:
            fresh = "".join(secrets.choice("0123456789") for _ in range(6))
            prompt = _("Sandbox: the SMS code sent to your phone is {text}.")
        c.execute(
            "INSERT OR REPLACE INTO challenges VALUES (?, ?, ?, ?, ?)",
            (account, platform, kind, fresh, now + CHALLENGE_S),
        )
        return NeedsVerification(kind, prompt.format(text=fresh))  # type: ignore[arg-type]
    expected_value, expires_at = row
    if expires_at < now or not hmac.compare_digest(value.strip().upper(), expected_value.upper()):
        c.execute(
            "DELETE FROM challenges WHERE account=? AND platform=? AND kind=?",
            (account, platform, kind),
        )
        return Rejected("verification_failed", None, "wrong or expired code")
    return None
