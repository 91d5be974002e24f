"""Masked forms of card codes for history, logs, exports and staff screens."""

from __future__ import annotations

import re

# What looks like a card code in free text: a run of 8+ letters and digits, or capital
# letters and digits in groups of 3-8 joined by "-" or " ", in both cases with at least
# two digits. It over-masks hashes and ids, which is the safe side for a log.
_CODE_LIKE = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9A-Za-z]{8,}|[0-9A-Z]{3,8}(?:[ -][0-9A-Z]{3,8})+)(?![0-9A-Za-z])"
)


def _masked(match: re.Match[str]) -> str:
    text = match.group(0)
    if sum(c.isdigit() for c in text) < 2 or len(re.sub(r"[ -]", "", text)) < 8:
        return text
    return mask_code(text)


def mask_code(value: str, group: int = 4) -> str:
    """`E71D5E4733ED50BA` → `E71D-****-****-50BA`.

    Long codes keep the first and last group, which is enough for a person to tell
    two cards apart and far too little to use one. Short codes keep less.
    """
    v = re.sub(r"[\s-]", "", value)
    n = len(v)
    if n >= 12:
        head, tail = group, group
    elif n >= 8:
        head, tail = 2, 2
    else:
        head, tail = 0, min(1, n)
    chars = v[:head] + "*" * (n - head - tail) + v[n - tail :]
    return "-".join(chars[i : i + group] for i in range(0, n, group))


def redact(text: str) -> str:
    """Mask every code-like run in free text, e.g. a log message or an error string."""
    return _CODE_LIKE.sub(_masked, text)
