"""Cards the user never wants sent (stolen, disputed, a scam's): by keyed hash, with the
masked code and a reason to show."""

from __future__ import annotations

from core.bind.store.journal import Journal


class Blacklist:
    def __init__(self, journal: Journal) -> None:
        self._db = journal

    def add(self, platform: str, card_hash: str, masked: str, reason: str = "") -> bool:
        with self._db.tx() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO blacklist (platform, card_hash, masked, "
                "reason, added_at) VALUES (?, ?, ?, ?, ?)",
                (platform, card_hash, masked, reason, self._db.clock.time()),
            )
            return cur.rowcount > 0

    def remove(self, platform: str, card_hash: str) -> bool:
        with self._db.tx() as c:
            cur = c.execute(
                "DELETE FROM blacklist WHERE platform=? AND card_hash=?", (platform, card_hash)
            )
            return cur.rowcount > 0

    def contains(self, platform: str, card_hash: str) -> bool:
        return bool(
            self._db.query(
                "SELECT 1 FROM blacklist WHERE platform=? AND card_hash=?", (platform, card_hash)
            )
        )

    def entries(self) -> list[tuple[str, str, str, str, float]]:
        """(platform, card hash, masked, reason, added at), oldest first."""
        rows = self._db.query(
            "SELECT platform, card_hash, masked, reason, added_at FROM blacklist ORDER BY added_at"
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
