"""Pacing and cool-downs (docs/journal.md).

Pacing: per platform, when the last bind went out, so that binds keep their distance.

Cool-downs: a platform's "too frequent, wait N s", kept per platform, bind method and
account, so that a 429 from one service never blocks the sandbox or another account.
A cool-down only ever grows (two processes cannot shorten it), but never beyond the
platform profile's documented maximum (`cooldown_seconds`), neither when it is stored
nor when it is read: a server's "Retry-After: 99999999999" is 5 minutes for JD, not
3,000 years. The user may clear one (`cardbind cooldown clear`, or in Settings).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.bind.store.journal import Journal
from core.codes.profiles import get_profile, platform_ids

# A platform without a documented cool-down, or one unknown to this version.
DEFAULT_COOLDOWN_S = 60.0


def max_cooldown_s(platform: str | None) -> float:
    """The longest wait a platform may impose: its profile's documented cool-down; for a
    server whose platform is not said (None), the longest of every profile's."""
    if platform is None:
        return max(max_cooldown_s(p) for p in platform_ids())
    if platform not in platform_ids():
        return DEFAULT_COOLDOWN_S
    value = get_profile(platform).cooldown_seconds.value
    return float(value) if value else DEFAULT_COOLDOWN_S


@dataclass(frozen=True)
class Cooldown:
    """A platform's asked-for pause for one bind method and account."""

    platform: str
    adapter: str
    account: str
    until: float  # epoch seconds
    left_s: float  # at the time it was read, within the platform's maximum


class Pacing:
    def __init__(self, journal: Journal, cap: Callable[[str], float] = max_cooldown_s) -> None:
        self._db = journal
        self._cap = cap

    # pacing between binds, per platform
    def last_bind(self, platform: str) -> float | None:
        rows = self._db.query(
            "SELECT last_bind_at FROM platform_state WHERE platform=?", (platform,)
        )
        return rows[0][0] if rows else None

    def set_last_bind(self, platform: str, at: float) -> None:
        with self._db.tx() as c:
            c.execute(
                "INSERT INTO platform_state (platform, last_bind_at) VALUES (?, ?) "
                "ON CONFLICT (platform) DO UPDATE SET last_bind_at = excluded.last_bind_at",
                (platform, at),
            )

    # cool-downs, per platform, bind method and account
    def _bounded(self, platform: str, seconds: float) -> float:
        cap = self._cap(platform)
        if math.isnan(seconds) or seconds <= 0:
            return 0.0
        return min(seconds, cap)

    def set_cooldown(self, platform: str, adapter: str, account: str, seconds: float) -> float:
        """Hold binds of `platform` through `adapter` for `account` for `seconds` (at most
        the platform's maximum); returns the wait actually kept."""
        now = self._db.clock.time()
        wait = self._bounded(platform, seconds)
        with self._db.tx() as c:
            c.execute(
                "INSERT INTO cooldowns (platform, adapter, account, until, set_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, adapter, account) DO UPDATE "
                "SET until = MAX(until, excluded.until), set_at = excluded.set_at",
                (platform, adapter, account, now + wait, now),
            )
        return wait

    def cooldown_left(self, platform: str, adapter: str, account: str) -> float:
        """Seconds left of the cool-down for this platform, bind method and account (0:
        none), never more than the platform's maximum."""
        rows = self._db.query(
            "SELECT until FROM cooldowns WHERE platform=? AND adapter=? AND account=?",
            (platform, adapter, account),
        )
        if not rows:
            return 0.0
        return self._bounded(platform, rows[0][0] - self._db.clock.time())

    def cooldowns(self) -> list[Cooldown]:
        """Every cool-down still running, soonest over first."""
        now = self._db.clock.time()
        rows = self._db.query(
            "SELECT platform, adapter, account, until FROM cooldowns WHERE until > ? "
            "ORDER BY until, platform, adapter, account",
            (now,),
        )
        out = []
        for platform, adapter, account, until in rows:
            left = self._bounded(platform, until - now)
            if left > 0:
                out.append(Cooldown(platform, adapter, account, min(until, now + left), left))
        return out

    def clear_cooldowns(
        self, platform: str | None = None, adapter: str | None = None, account: str | None = None
    ) -> int:
        """End the running cool-downs that match (None matches any); returns how many."""
        now = self._db.clock.time()
        where = ["until > ?"]
        args: list[object] = [now]
        for column, value in (("platform", platform), ("adapter", adapter), ("account", account)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        with self._db.tx() as c:
            cur = c.execute(f"DELETE FROM cooldowns WHERE {' AND '.join(where)}", args)
            # Ended ones go too: nothing reads them.
            c.execute("DELETE FROM cooldowns WHERE until <= ?", (now,))
            return int(cur.rowcount)
