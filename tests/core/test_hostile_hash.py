"""The card hash against someone holding an export, the journal and the key: slow to
search, never in an export of history or results, and old journals keep working."""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
from pathlib import Path

from core.bind.adapters.ledger import SandboxLedger
from core.bind.card import Card, CardHasher
from core.bind.card_hash import SCRYPT_N, keyed_v1
from core.bind.clock import FakeClock
from core.bind.outcomes import Bound
from core.bind.records import export_batch, export_blacklist, export_history, import_blacklist
from core.bind.store import Store
from tests.support.fixtures import make_service

KEY = bytes(range(32))
CODE = "E71D5E4733ED50BA"


def test_the_hash_is_the_keyed_hmac_stretched_with_scrypt() -> None:
    """Pinned: a change of scheme would orphan every journal (and needs a migration)."""
    v1 = hmac.new(KEY, f"cardbind-card-v1\x00jd\x00{CODE}".encode(), hashlib.sha256).digest()
    expected = hashlib.scrypt(v1, salt=b"cardbind-card-v2", n=4096, r=8, p=1, dklen=32).hex()
    assert CardHasher(key=KEY).hash("jd", CODE) == expected
    assert SCRYPT_N >= 4096  # measured in docs/hashing.md: a cheaper one is not enough


def old_journal(path: Path, clock: FakeClock) -> None:
    """A journal as cardbind 0.1 left it: v1 hashes, schema version 1."""
    with Store(path, clock) as store:
        v1 = keyed_v1(KEY, "jd", CODE)
        store.blacklist_add("jd", keyed_v1(KEY, "jd", "0123456789ABCDEF"), "01**", "stolen")
        begun = store.begin_attempt("k" * 16, "jd", "sandbox", v1, "E71D-****-****-50BA", limit=3)
        assert not isinstance(begun, tuple)
        store.mark_sent("k" * 16)
        from decimal import Decimal

        store.finish_attempt(
            "k" * 16,
            Bound(Decimal("50"), "CNY", None, "r"),
            counted=True,
            limit=3,
            lockout_s=0,
            adapter="sandbox",
        )
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()


def all_hashes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            h
            for table in ("attempts", "budget", "history", "blacklist")
            for (h,) in conn.execute(f"SELECT card_hash FROM {table}")
        }
    finally:
        conn.close()


def test_an_old_journal_is_migrated_once_and_still_knows_its_cards(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bind.sqlite3"
    old_journal(path, clock)
    v1_hashes = all_hashes(path)
    hasher = CardHasher(key=KEY)
    with Store(path, clock) as store:
        assert store.budget("jd", hasher.hash("jd", CODE)).bound  # never bound twice
        assert store.blacklisted("jd", hasher.hash("jd", "0123456789ABCDEF"))
    migrated = all_hashes(path)
    assert not migrated & v1_hashes  # no fast hash is left on disk
    with Store(path, clock):
        pass
    assert all_hashes(path) == migrated  # not stretched a second time


def no_hash_in(text: str, hashes: set[str]) -> bool:
    return not any(h[:16] in text or h[-16:] in text for h in hashes) and not re.search(
        r"[0-9a-f]{16}", text
    )


def test_history_and_results_exports_carry_no_hash(
    tmp_path: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    from core.bind.adapters.sandbox import SandboxAdapter

    made = ledger.create_cards("jd", 2, seed=3)
    service = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    cards = [Card("jd", c.pin, c.card_number) for c in made]
    batch_id = store.create_batch(
        "cards.csv",
        "0" * 64,
        "jd",
        "sandbox",
        options={},
        rows=[
            (n, "jd", service.hasher.card(card), card.masked, "ready", "", False)
            for n, card in enumerate(cards, start=2)
        ],
    )
    for row_no, card in enumerate(cards, start=2):
        result = service.bind(card, batch_id=batch_id, row_no=row_no)
        store.update_row(batch_id, row_no, result.outcome.status)
    hashes = all_hashes(tmp_path / "bind.sqlite3")
    assert export_history(store, tmp_path / "history.csv") == 2
    text = (tmp_path / "history.csv").read_text(encoding="utf-8-sig")
    assert "card_id" not in text.splitlines()[0]
    assert no_hash_in(text, hashes)
    export_batch(store, batch_id, tmp_path / "results.csv")
    assert no_hash_in((tmp_path / "results.csv").read_text(encoding="utf-8-sig"), hashes)


def test_an_older_blacklist_export_still_imports(tmp_path: Path, store: Store) -> None:
    hasher = CardHasher(key=KEY)
    old = tmp_path / "old-blacklist.csv"
    old.write_text(
        "platform,card_hash,card,reason\n"
        f"jd,{keyed_v1(KEY, 'jd', CODE)},E71D-****-****-50BA,stolen\n",
        encoding="utf-8",
    )
    assert import_blacklist(store, hasher, old) == (1, [])
    assert store.blacklisted("jd", hasher.hash("jd", CODE))
    new = tmp_path / "blacklist.csv"
    assert export_blacklist(store, new) == 1
    assert new.read_text(encoding="utf-8-sig").startswith("platform,card_hash_v2,")
    store.blacklist_remove("jd", hasher.hash("jd", CODE))
    assert import_blacklist(store, hasher, new) == (1, [])
    assert store.blacklisted("jd", hasher.hash("jd", CODE))
