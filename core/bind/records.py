"""Exports (history, batch results, blacklist) and blacklist import.

History and batch results hold masked codes and no hash at all: a masked code and a
hash of the card, with the key from the keyring, are a search for the hidden characters
(docs/hashing.md). The blacklist export is the exception: it is a list for this
installation to import again, so it carries the slow v2 hash (`card_hash_v2`); an
older export's `card_hash` column (v1) is stretched to v2 on import. Files are UTF-8
with a BOM so Excel on a Chinese Windows opens them right,
cells that a spreadsheet would run as a formula are quoted, and each file is written
to a temporary name and renamed, so an export is never half there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core import atomic
from core.bind.batch.state import status_name
from core.bind.card import CardHasher
from core.bind.card_hash import is_hash, stretch
from core.bind.importer import BatchFileError, decode
from core.bind.knowledge import entry
from core.bind.store import Store
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import platform_ids
from core.i18n import _

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, UTC).astimezone().isoformat(timespec="seconds")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_safe(v) for v in row])
        count += 1
    # UTF-8 with a BOM so that Excel opens the Chinese text right.
    atomic.write_text(path, buf.getvalue(), encoding="utf-8-sig")
    return count


def known_amount(amount: str | None) -> str:
    """A recorded amount as shown to people: empty when there is none or it is 0, which
    is how a bind reported by the user without an amount is kept (docs/journal.md)."""
    try:
        return amount if amount and Decimal(amount) > 0 else ""
    except InvalidOperation:
        return ""


def card_id(card_hash: str) -> str:
    """A short id for telling cards apart on screen; never written to an export."""
    return card_hash[:16]


HISTORY_HEADER = (
    "time",
    "platform",
    "card",
    "adapter",
    "status",
    "error_kind",
    "explanation",
    "amount",
    "currency",
    "credited_at",
    "attempts_left",
    "batch",
    "row",
)


def export_history(store: Store, path: Path) -> int:
    rows = []
    for h in reversed(store.history()):
        rows.append(
            (
                _when(h.at),
                h.platform,
                h.masked,
                h.adapter,
                h.status,
                h.kind or "",
                entry(h.kind).title(h.platform) if h.kind else "",
                known_amount(h.amount),
                h.currency if known_amount(h.amount) else "",
                h.credited_at or "",
                "" if h.attempts_left is None or h.status == "bound" else h.attempts_left,
                h.batch_id or "",
                h.row_no or "",
            )
        )
    return write_csv(path, HISTORY_HEADER, rows)


RESULTS_HEADER = (
    "row",
    "platform",
    "card",
    "status",
    "status_text",
    "error_kind",
    "explanation",
    "amount",
    "currency",
    "credited_at",
    "attempts_left",
    "detail",
)


def export_batch(store: Store, batch_id: int, path: Path) -> int:
    rows = []
    for r in store.batch_rows(batch_id):
        rows.append(
            (
                r.row_no,
                r.platform,
                r.masked,
                r.status,
                status_name(r.status),
                r.kind or "",
                entry(r.kind).title(r.platform) if r.kind else "",
                r.amount or "",
                r.currency or "",
                r.credited_at or "",
                "" if r.attempts_left is None else r.attempts_left,
                r.detail,
            )
        )
    return write_csv(path, RESULTS_HEADER, rows)


BLACKLIST_HEADER = ("platform", "card_hash_v2", "card", "reason")


def export_blacklist(store: Store, path: Path) -> int:
    return write_csv(
        path, BLACKLIST_HEADER, [(p, h, m, reason) for p, h, m, reason, _at in store.blacklist()]
    )


def import_blacklist(
    store: Store, hasher: CardHasher, path: Path, default_platform: str | None = None
) -> tuple[int, list[str]]:
    """Add cards from a CSV: our own export (platform, card_hash) or codes (platform, pin).

    Codes are hashed at once and never kept. Returns (added, problems in words).
    """
    try:
        text, _enc = decode(path.read_bytes())
    except OSError as exc:
        raise BatchFileError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = {(f or "").strip().lstrip("\ufeff").lower(): f for f in reader.fieldnames or []}
    code_field = next((fields[k] for k in ("pin", "code", "卡密", "密码") if k in fields), None)
    # card_hash_v2: this version's export; card_hash: an older one's fast v1 hash.
    old_hashes = "card_hash_v2" not in fields
    hash_field = fields.get("card_hash_v2") or fields.get("card_hash")
    if code_field is None and hash_field is None:
        raise BatchFileError(_("The blacklist file needs a card_hash or a pin column."))
    platform_field = fields.get("platform") or fields.get("平台")
    reason_field = fields.get("reason")
    added = 0
    problems: list[str] = []
    known = platform_ids()
    for n, row in enumerate(reader, start=2):
        platform = ((row.get(platform_field) or "") if platform_field else "").strip() or (
            default_platform or ""
        )
        if platform not in known:
            problems.append(
                _("Row {row}: unknown platform “{platform}”.").format(row=n, platform=platform[:40])
            )
            continue
        reason = (row.get(reason_field) or "").strip()[:200] if reason_field else ""
        if code_field is not None and (row.get(code_field) or "").strip():
            checked = check_code(row[code_field], platform, "pin", source="pasted")
            if not checked.ok:
                problems.append(
                    _("Row {row}: not a valid code for {platform}.").format(
                        row=n, platform=platform
                    )
                )
                continue
            card_hash = hasher.hash(platform, checked.value)
            masked = mask_code(checked.value)
        else:
            card_hash = (row.get(hash_field or "") or "").strip().lower()
            if not is_hash(card_hash):
                problems.append(
                    _("Row {row}: card_hash is not a keyed hash from cardbind.").format(row=n)
                )
                continue
            if old_hashes:
                card_hash = stretch(card_hash)
            masked = (row.get(fields.get("card", "")) or "").strip()[:40] or "****"
        if store.blacklist_add(platform, card_hash, masked, reason):
            added += 1
    return added, problems
