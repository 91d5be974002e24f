"""Per platform: when the last bind went out and until when the platform asked us to
slow down (a cool-down only ever grows, so two processes cannot shorten it)."""

from __future__ import annotations

from core.bind.store.journal import Journal


class Pacing:
    def __init__(self, journal: Journal) -> None:
        self._db = journal

    def platform_times(self, platform: str) -> tuple[float | None, float | None]:
        """(cool-down until, last bind at) for `platform`."""
        rows = self._db.query(
            "SELECT cooldown_until, last_bind_at FROM platform_state WHERE platform=?", (platform,)
        )
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def set_cooldown(self, platform: str, until: float) -> None:
        with self._db.tx() as c:
            c.execute(
                "INSERT INTO platform_state (platform, cooldown_until) VALUES (?, ?) "
                "ON CONFLICT (platform) DO UPDATE SET cooldown_until = "
                "MAX(COALESCE(cooldown_until, 0), excluded.cooldown_until)",
                (platform, until),
            )

    def set_last_bind(self, platform: str, at: float) -> None:
        with self._db.tx() as c:
            c.execute(
                "INSERT INTO platform_state (platform, last_bind_at) VALUES (?, ?) "
                "ON CONFLICT (platform) DO UPDATE SET last_bind_at = excluded.last_bind_at",
                (platform, at),
            )
