"""The two codes on a card: what they are, and how they are printed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.codes.check import luhn_ok

DIGITS = "0123456789"
HEX = "0123456789ABCDEF"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Printed:
    """A code and the text printed for it; `gaps` marks the printed characters that are
    separators (not part of the code)."""

    code: str
    text: str

    @property
    def gaps(self) -> list[bool]:
        return [ch in " -" for ch in self.text]


def random_code(rng: np.random.Generator, alphabet: str, n: int) -> str:
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), n))


def luhn_number(rng: np.random.Generator, n: int, prefix: str = "") -> str:
    """`n` digits starting with `prefix` whose last digit is a valid Luhn check digit."""
    body = prefix + random_code(rng, DIGITS, n - 1 - len(prefix))
    return next(body + d for d in DIGITS if luhn_ok(body + d))


def card_number(rng: np.random.Generator, n: int) -> str:
    """A card number: never starts with 0, sometimes with a Luhn check digit."""
    lead = str(int(rng.integers(1, 10)))
    if rng.random() < 0.4:
        return luhn_number(rng, n, lead)
    return lead + random_code(rng, DIGITS, n - 1)


def group(code: str, sizes: tuple[int, ...], sep: str) -> str:
    """`code` in groups of `sizes` (the last size repeats), joined by `sep`."""
    if not sizes or not sep:
        return code
    out, pos, i = [], 0, 0
    while pos < len(code):
        n = sizes[min(i, len(sizes) - 1)]
        out.append(code[pos : pos + n])
        pos += n
        i += 1
    return sep.join(out)


def printed(code: str, sizes: tuple[int, ...], sep: str) -> Printed:
    return Printed(code, group(code, sizes, sep))


def jd_pin(rng: np.random.Generator) -> str:
    """16 characters: mostly the full 0-9A-Z (O included; JD maps it to 0), sometimes hex."""
    return random_code(rng, HEX if rng.random() < 0.2 else ALNUM, 16)


def gift_pin(rng: np.random.Generator, n: int, digits_only: bool) -> str:
    if digits_only:
        return str(int(rng.integers(1, 10))) + random_code(rng, DIGITS, n - 1)
    code = random_code(rng, ALNUM, n)
    # A code of letters only is rare on cards: make sure there are digits too.
    if not any(c.isdigit() for c in code):
        code = code[:-1] + str(int(rng.integers(0, 10)))
    return code


def grouping(rng: np.random.Generator, n: int, kind: str) -> tuple[tuple[int, ...], str]:
    """Pick how a code of `n` characters is printed: group sizes and separator."""
    if kind.startswith("recharge") and n not in (17, 18):
        return [((), ""), ((4,), " "), ((5,), " ")][int(rng.integers(3))]
    if kind == "recharge_number":
        return [((5, 4, 4, 4), " "), ((), ""), ((), ""), ((4,), " ")][int(rng.integers(4))]
    if kind == "recharge_pin":
        return [((6, 6, 6), " "), ((), ""), ((6, 6, 6), " "), ((6, 6, 6), "-"), ((4,), " ")][
            int(rng.integers(5))
        ]
    if kind == "number":
        return [((4,), " "), ((4,), " "), ((4,), "  "), ((), ""), ((4,), "-")][int(rng.integers(5))]
    # a password
    return [((4,), " "), ((4,), "-"), ((4,), "-"), ((4,), "  "), ((), ""), ((4,), " - ")][
        int(rng.integers(6))
    ]
