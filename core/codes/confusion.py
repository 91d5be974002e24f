"""Characters that are easy to misread for one another on a printed or scratched card.

The table is symmetric. It holds the look-alikes the product spec names (O/0/D/Q, 1/I/L/7,
2/Z, 5/S, 8/B, 6/G, U/V, E/F) and every pair of Apple's list of look-alike characters on
gift cards (support article TS1292: A/H, B/8, D/0, E/3, G/6, H/W, J/1, M/N, O/0, P/F,
Q/O, Q/0, S/5, S/8, V/U, Z/2), plus 3/8, which scratch-off residue produces often.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

# Written as pairs, not cliques: I and 7 are far apart even though 1 is close to both.
_GROUPS: tuple[str, ...] = (
    "O0",
    "OD",
    "OQ",
    "0D",
    "0Q",  # O/0/D/Q
    "1I",
    "1L",
    "IL",
    "17",  # 1/I/L/7
    "2Z",
    "5S",
    "8B",
    "6G",
    "UV",
    "EF",
)
_PAIRS: tuple[str, ...] = (
    # Apple TS1292
    "AH",
    "B8",
    "D0",
    "E3",
    "G6",
    "HW",
    "J1",
    "MN",
    "O0",
    "PF",
    "QO",
    "Q0",
    "S5",
    "S8",
    "VU",
    "Z2",
    # scratch-off residue closes the gaps of a 3 into an 8
    "38",
)


def _build(groups: Iterable[str], pairs: Iterable[str]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    edges = [(p[0], p[1]) for p in (*groups, *pairs)]
    for a, b in edges:
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


CONFUSABLE = MappingProxyType(_build(_GROUPS, _PAIRS))


def confusable_with(char: str) -> frozenset[str]:
    """Characters that `char` (an upper-case letter or a digit) is easily misread as."""
    return CONFUSABLE.get(char, frozenset())


def valid_alternatives(char: str, alphabet: str, usual: str | None = None) -> list[str]:
    """Plausible other readings of `char` that the field's alphabet accepts.

    A reading outside the usual alphabet is plausible only when `char` itself is unusual:
    a JD code that says `1` is not made doubtful by the rarely used letter `I`, but a JD
    code that says `I` is doubtful because `1` is the usual character.
    """
    usual = usual or alphabet
    char_is_usual = char in usual
    return [
        alt
        for alt in sorted(confusable_with(char))
        if alt in alphabet and (alt in usual or not char_is_usual)
    ]


def unambiguous_fix(char: str, alphabet: str) -> str | None:
    """The only reading of an out-of-alphabet `char` that the alphabet accepts, if exactly one.

    This is the "O→0 where O is not in the alphabet" rule: applied only when it cannot
    pick the wrong character, because exactly one look-alike is valid.
    """
    if char in alphabet:
        return None
    candidates = [alt for alt in confusable_with(char) if alt in alphabet]
    return candidates[0] if len(candidates) == 1 else None
