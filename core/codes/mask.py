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


def visible_ends(length: int) -> int:
    """How many characters a masked code keeps at each end: a sixth of its length, at
    most 4. So at most a third of a code, and never more than 8 characters, is ever
    visible (docs/masking.md): enough to tell cards apart, far too little to use one."""
    return min(4, max(0, length) // 6)


def mask_code(value: str, group: int = 4) -> str:
    """`E71D5E4733ED50BA` → `E7**-****-****-**BA` (16 characters: 2 at each end)."""
    v = re.sub(r"[\s-]", "", value)
    n = len(v)
    keep = visible_ends(n)
    chars = v[:keep] + "*" * (n - 2 * keep) + (v[n - keep :] if keep else "")
    return "-".join(chars[i : i + group] for i in range(0, n, group))


def redact(text: str) -> str:
    """Mask every code-like run in free text, e.g. a log message or an error string."""
    return _CODE_LIKE.sub(_masked, text)
