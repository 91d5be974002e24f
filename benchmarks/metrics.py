"""Accuracy figures for a reading of a card's two fields, as the acceptance scorer defines
them (the benchmark's own copy, so our numbers mean the same as the acceptance numbers):

exact       the value equals the truth (after upper-casing and dropping spaces and dashes;
            on JD E-cards the password's O and 0 are one character, as JD's input maps O
            to 0)
flagged     the reader warns: some character is listed as unsure, or the field's
            confidence is below 0.9
unsafe      wrong, and some wrong character (substituted, extra or missing) is not among the
            flagged positions: a user who checks only what is flagged binds it wrong. A field
            with a low confidence and no positions is flagged as a whole, which is safe.
false_flag  right, and flagged (as a share of right fields)
null        no value
card_ok     both fields of a card exact
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ocr.consensus import edit_distance

CONF_FLAG = 0.9
EQUIVALENT = {("jd_ecard", "pin"): {"O": "0"}}


def norm(value: str | None) -> str | None:
    if value is None:
        return None
    v = "".join(ch for ch in str(value).upper() if not ch.isspace() and ch != "-")
    return v or None


def equivalent(value: str | None, layout: str | None, name: str) -> str | None:
    table = EQUIVALENT.get((layout or "", name))
    if value is None or not table:
        return value
    return "".join(table.get(ch, ch) for ch in value)


def unsafe(value: str | None, truth: str, marks: Iterable[int], flagged: bool) -> bool:
    """Wrong, and a user who checks only the flagged characters would still bind it wrong:
    along a cheapest edit path from value to truth, every substituted or extra character
    must sit at a flagged index, and every missing one beside a flagged index."""
    if value is None or value == truth:
        return False
    marked = set(marks)
    if not marked:
        return not flagged
    n, m = len(value), len(truth)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (value[i - 1] != truth[j - 1])
            )
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (value[i - 1] != truth[j - 1]):
            if value[i - 1] != truth[j - 1] and (i - 1) not in marked:
                return True
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            if (i - 1) not in marked:
                return True
            i -= 1
        else:
            if (i - 1) not in marked and i not in marked:
                return True
            j -= 1
    return False


@dataclass
class FieldScore:
    correct: bool
    flagged: bool
    unsafe: bool
    null: bool
    char: float


def score_field(
    pred: dict[str, Any] | None, truth_value: str | None, layout: str | None, name: str
) -> FieldScore:
    """One field of one card, from the `cardbind ocr --json` form of the field."""
    f = pred or {}
    value = equivalent(norm(f.get("value")), layout, name)
    truth = equivalent(norm(truth_value), layout, name) or ""
    conf = f.get("confidence")
    conf = 1.0 if conf is None else float(conf)
    amb = f.get("ambiguous") or []
    marks = [int(a["index"]) for a in amb if isinstance(a, dict) and "index" in a]
    flagged = bool(amb) or conf < CONF_FLAG
    dist = edit_distance(value or "", truth)
    char = max(0.0, 1.0 - dist / max(len(value or ""), len(truth), 1))
    return FieldScore(
        value == truth, flagged, unsafe(value, truth, marks, flagged), value is None, char
    )


@dataclass
class Tally:
    n: int = 0
    exact: int = 0
    flagged_right: int = 0
    unsafe: int = 0
    null: int = 0
    char: float = 0.0

    def add(self, s: FieldScore) -> None:
        self.n += 1
        self.exact += s.correct
        self.flagged_right += s.correct and s.flagged
        self.unsafe += s.unsafe
        self.null += s.null
        self.char += s.char

    def row(self) -> dict[str, float | int]:
        n = max(1, self.n)
        return {
            "n": self.n,
            "exact": self.exact / n,
            "unsafe": self.unsafe / n,
            "unsafe_n": self.unsafe,
            "false_flag": self.flagged_right / max(1, self.exact),
            "null": self.null / n,
            "char": self.char / n,
        }


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)
