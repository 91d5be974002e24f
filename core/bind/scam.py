"""When to ask the scam question before a bind (docs/scam-check.md says why).

Asked always in elder mode, for a card that came from someone else, and for a high
amount bound for the first time: the value printed on the card (typed by the user, it
is not known before the platform answers) at or above a threshold, and more than any card
bound on this computer before. Gift-card scams often push a victim into buying cards of
an unusually large value; someone who binds ¥1000 cards every month is not asked again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

# Our own default, not a sourced figure: a value most households rarely put on one card.
DEFAULT_HIGH_AMOUNT = 1000

_CURRENCY = re.compile(
    r"^(?:¥|RMB|CNY)?([0-9][0-9,]*(?:\.[0-9]{1,2})?)(?:元|块|RMB|CNY)?$", re.IGNORECASE
)


def parse_face_value(text: str) -> Decimal | None:
    """A card's printed value as typed ("500", "1,000", "¥200", "１０００元");
    None when empty or not an amount."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    m = _CURRENCY.match(s)
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    return value if value > 0 else None


def largest_bound(amounts: Iterable[str | None]) -> Decimal:
    """The largest amount among bound cards' recorded amounts (garbage ignored)."""
    best = Decimal(0)
    for a in amounts:
        try:
            v = Decimal(str(a)) if a is not None else None
        except InvalidOperation:
            continue
        if v is not None and v.is_finite() and v > best:
            best = v
    return best


def high_amount_first_time(
    value: Decimal | None, largest_before: Decimal, threshold: int = DEFAULT_HIGH_AMOUNT
) -> bool:
    """Whether this card's value is high and above anything bound here before."""
    return value is not None and value >= threshold and value > largest_before
