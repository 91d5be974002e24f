"""Turn typed, pasted or dictated text into a code, reporting every change it makes.

Each change keeps the position of the input text it came from, so the UI can show it
and the user can undo it (`keep=` re-runs normalization with those changes left out).
Work is linear in the input, and input far longer than any code is refused up front.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from core.codes.confusion import unambiguous_fix
from core.codes.profiles import FieldFormat
from core.codes.spoken import (
    CHINESE_DIGITS,
    CHINESE_LABELS,
    CHINESE_LETTER_PREFIXES,
    LETTER_PREFIXES,
    LOOKALIKES,
    REPEATS,
    spoken_word,
)
from core.i18n import N_

# Far longer than any code with labels and separators; beyond it we stop looking.
MAX_INPUT_CHARS = 2000

ChangeKind = Literal[
    "width",
    "compat",
    "invisible",
    "space",
    "separator",
    "case",
    "lookalike",
    "spoken",
    "label",
    "platform",
    "autofix",
]
# Keyed by plain text too: a kind comes back from the UI's undo list as a string.
CHANGE_KINDS: dict[str, str] = {
    "width": N_("full-width character made normal width"),
    "compat": N_("special form of a character made plain"),
    "invisible": N_("invisible character removed"),
    "space": N_("space removed"),
    "separator": N_("separator removed"),
    "case": N_("small letter made capital"),
    "lookalike": N_("foreign look-alike letter replaced"),
    "spoken": N_("spoken word turned into a character"),
    "label": N_("label removed"),
    "platform": N_("changed as the platform itself does"),
    "autofix": N_("only possible character for this card"),
}
# Changes a user expects and does not need to hear about one by one (they are still
# listed among the changes and can be undone).
ROUTINE_KINDS: frozenset[ChangeKind] = frozenset({"space", "separator", "case", "width", "spoken"})

SEPARATORS = frozenset("-_·—–‐‑‒−/\\|.・•∙⋅~")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Direction controls can make a code look different from what it is (a spoofing trick).
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    position: int  # index in the input text where the changed text starts
    source: str  # the input text that was changed
    target: str  # what it became ("" when removed)
    index: int | None = None  # index in the value where the result starts

    @property
    def key(self) -> tuple[int, ChangeKind]:
        """What the UI hands back to `normalize(keep=…)` to undo this change."""
        return (self.position, self.kind)

    @property
    def routine(self) -> bool:
        return self.kind in ROUTINE_KINDS

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "position": self.position,
            "from": self.source,
            "to": self.target,
            "index": self.index,
        }


@dataclass
class Normalized:
    value: str
    changes: list[Change] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)  # input position of each value char
    input_length: int = 0
    too_long: bool = False
    bidi_positions: list[int] = field(default_factory=list)
    control_positions: list[int] = field(default_factory=list)


@dataclass
class _Unit:
    pos: int  # input position
    char: str


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Zs"


class _Normalizer:
    def __init__(
        self, text: str, fmt: FieldFormat | None, keep: frozenset[tuple[int, str]]
    ) -> None:
        self.text = text
        self.fmt = fmt
        self.keep = keep
        self.out: list[_Unit] = []
        self.changes: list[Change] = []
        self.bidi: list[int] = []
        self.control: list[int] = []

    def change(self, kind: ChangeKind, pos: int, source: str, target: str) -> bool:
        """Record a change unless the user undid it (asked to keep the original)."""
        if (pos, kind) in self.keep:
            return False
        self.changes.append(Change(kind, pos, source, target))
        return True

    # Stage 1: per input character, NFKC and character-level clean-up.
    def units(self) -> list[_Unit]:
        units: list[_Unit] = []
        for pos, ch in enumerate(self.text):
            if ch in BIDI_CONTROLS:
                self.bidi.append(pos)
                continue
            if ch in ZERO_WIDTH or unicodedata.category(ch) == "Cf":
                if self.change("invisible", pos, ch, ""):
                    continue
                units.append(_Unit(pos, ch))
                continue
            norm = unicodedata.normalize("NFKC", ch)
            if norm != ch and not _is_space(ch):
                kind: ChangeKind = "width" if 0xFF01 <= ord(ch) <= 0xFF5E else "compat"
                if not self.change(kind, pos, ch, norm):
                    norm = ch
            for c in norm:
                if unicodedata.category(c) == "Cc" and not _is_space(c):
                    self.control.append(pos)
                units.append(_Unit(pos, c))
        return units

    # Stage 2: words, spaces, separators, labels, look-alikes, case.
    def tokens(self, units: list[_Unit]) -> None:
        n = len(units)
        i = 0
        repeat = 1
        while i < n:
            u = units[i]
            c = u.char
            if _is_space(c):
                if not self.change("space", u.pos, self.text[u.pos], ""):
                    self.emit(u, c, 1)
                i += 1
                continue
            if c in SEPARATORS:
                if not self.change("separator", u.pos, self.text[u.pos], ""):
                    self.emit(u, c, 1)
                i += 1
                continue
            label = self._match_chinese(units, i, CHINESE_LABELS)
            if label:
                end = i + len(label)
                # A colon after a label belongs to it: "卡密：".
                while end < n and units[end].char in ":：":
                    end += 1
                if self.change("label", u.pos, self._span(units, i, end), ""):
                    i = end
                    continue
            prefix = self._match_chinese(units, i, CHINESE_LETTER_PREFIXES)
            if prefix and self.change("spoken", u.pos, prefix, ""):
                i += len(prefix)
                continue
            if c in CHINESE_DIGITS:
                digit = CHINESE_DIGITS[c]
                if self.change("spoken", u.pos, c, digit):
                    self.emit(u, digit, repeat)
                else:
                    self.emit(u, c, 1)
                repeat = 1
                i += 1
                continue
            if c.isascii() and c.isalpha():
                j = i
                while j < n and units[j].char.isascii() and units[j].char.isalpha():
                    j += 1
                word = "".join(x.char for x in units[i:j])
                # "x-ray" is the one NATO word written with a separator.
                if word.lower() == "x" and self._lower_at(units, j, "-ray"):
                    j += 4
                    word = "xray"
                delimited = self._delimited(units, i, j)
                lw = word.lower()
                if (
                    delimited
                    and lw in REPEATS
                    and self._has_next_token(units, j)
                    and self.change("spoken", u.pos, self._span(units, i, j), "")
                ):
                    repeat = REPEATS[lw]
                    i = j
                    continue
                if (
                    delimited
                    and lw in LETTER_PREFIXES
                    and self._next_is_letter(units, j)
                    and self.change("spoken", u.pos, self._span(units, i, j), "")
                ):
                    i = j
                    continue
                char = spoken_word(word) if delimited and len(word) > 1 else None
                if char and self.change("spoken", u.pos, self._span(units, i, j), char):
                    self.emit(u, char, repeat)
                    repeat = 1
                    i = j
                    continue
                for k in range(i, j):
                    self.plain(units[k], repeat if k == i else 1)
                    repeat = 1
                i = j
                continue
            self.plain(u, repeat)
            repeat = 1
            i += 1

    def plain(self, u: _Unit, repeat: int) -> None:
        c = u.char
        if c in LOOKALIKES:
            target = LOOKALIKES[c]
            if self.change("lookalike", u.pos, c, target):
                c = target
        elif (
            c.isascii() and c.islower() and self.change("case", u.pos, self.text[u.pos], c.upper())
        ):
            c = c.upper()
        self.emit(u, c, repeat)

    def emit(self, u: _Unit, c: str, repeat: int) -> None:
        for _ in range(repeat):
            self.out.append(_Unit(u.pos, c))

    # Stage 3: what this platform's alphabet makes certain.
    def platform_fixes(self) -> None:
        fmt = self.fmt
        if fmt is None:
            return
        for unit in self.out:
            c = unit.char
            if c in fmt.input_map:
                if self.change("platform", unit.pos, c, fmt.input_map[c]):
                    unit.char = fmt.input_map[c]
                continue
            if c.isascii() and c.isalnum():
                fix = unambiguous_fix(c, fmt.alphabet)
                if fix and self.change("autofix", unit.pos, c, fix):
                    unit.char = fix

    # helpers
    def _span(self, units: list[_Unit], i: int, j: int) -> str:
        return self.text[units[i].pos : units[j - 1].pos + 1]

    @staticmethod
    def _match_chinese(units: list[_Unit], i: int, words: Iterable[str]) -> str | None:
        for w in words:
            if all(i + k < len(units) and units[i + k].char == w[k] for k in range(len(w))):
                return w
        return None

    @staticmethod
    def _lower_at(units: list[_Unit], i: int, s: str) -> bool:
        return all(i + k < len(units) and units[i + k].char.lower() == s[k] for k in range(len(s)))

    @staticmethod
    def _delimited(units: list[_Unit], i: int, j: int) -> bool:
        """Is units[i:j] a dictated word rather than part of a code?

        Dictation puts spaces between words and does not shout; a code's group such as
        `0000-OH` or `ABCD ECHO` is written in capitals or joined by separators.
        """
        word = "".join(u.char for u in units[i:j])
        if word.isupper() and len(word) > 1:
            return False

        def gap(k: int) -> bool:
            if k < 0 or k >= len(units):
                return True
            c = units[k].char
            return _is_space(c) or not c.isascii()

        return gap(i - 1) and gap(j)

    @staticmethod
    def _skip_gaps(units: list[_Unit], j: int) -> int:
        while j < len(units) and (_is_space(units[j].char) or units[j].char in SEPARATORS):
            j += 1
        return j

    def _has_next_token(self, units: list[_Unit], j: int) -> bool:
        j = self._skip_gaps(units, j)
        return j < len(units) and (units[j].char.isalnum() or units[j].char in CHINESE_DIGITS)

    def _next_is_letter(self, units: list[_Unit], j: int) -> bool:
        j = self._skip_gaps(units, j)
        return j < len(units) and units[j].char.isascii() and units[j].char.isalpha()

    def run(self) -> Normalized:
        self.tokens(self.units())
        self.platform_fixes()
        value_chars = [u.char for u in self.out]
        origins = [u.pos for u in self.out]
        # Point each change at the value index its result landed on.
        first_index: dict[int, int] = {}
        for idx, pos in enumerate(origins):
            first_index.setdefault(pos, idx)
        changes = [
            Change(
                c.kind,
                c.position,
                c.source,
                c.target,
                first_index.get(c.position) if c.target else None,
            )
            for c in sorted(self.changes, key=lambda c: c.position)
        ]
        return Normalized(
            value="".join(value_chars),
            changes=changes,
            origins=origins,
            input_length=len(self.text),
            bidi_positions=self.bidi,
            control_positions=self.control,
        )


def normalize(
    text: str, fmt: FieldFormat | None = None, keep: Iterable[tuple[int, str]] = ()
) -> Normalized:
    """Normalize `text` for the field `fmt` (None: no platform-specific fixes).

    `keep` holds the `Change.key`s the user undid; those characters stay as typed.
    """
    if len(text) > MAX_INPUT_CHARS:
        return Normalized(value="", input_length=len(text), too_long=True)
    return _Normalizer(text, fmt, frozenset(keep)).run()
