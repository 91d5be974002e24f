"""What one utterance may contain: the allowed characters per position of one group.

Voice fixes one group of a code per utterance, and the decoder may only hear what that
group can hold: a flagged position's alternatives, or the field's alphabet. The narrower
the grammar, the fewer ways to mishear, which is what makes a small offline English model
usable for this at all (docs/voice.md).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from core.codes.spoken import ENGLISH_DIGITS, LETTER_NAMES, NATO

CHARACTERS = string.digits + string.ascii_uppercase

# English letter names ("bee", "dee", "ee") rhyme with each other and with "three"; at a
# position open to a whole alphabet they cost accuracy and make decoding several times
# slower (benchmarks/voice_bench.py). "narrow" allows them only where a position has at
# most NARROW characters, as at a flagged character with its look-alikes.
LetterNames = Literal["never", "narrow", "always"]
NARROW = 4


@dataclass(frozen=True)
class GroupSpec:
    """The characters each position of one group may be, in order."""

    allowed: tuple[frozenset[str], ...]

    def __post_init__(self) -> None:
        if not self.allowed:
            raise ValueError("a group needs at least one position")
        for chars in self.allowed:
            if not chars or not chars <= set(CHARACTERS):
                raise ValueError("each position needs characters from 0-9 and A-Z")

    @classmethod
    def of(cls, positions: Iterable[Iterable[str]]) -> GroupSpec:
        return cls(tuple(frozenset(c.upper() for c in p) for p in positions))

    @classmethod
    def uniform(cls, alphabet: str, length: int) -> GroupSpec:
        return cls.of([alphabet] * length)

    def __len__(self) -> int:
        return len(self.allowed)

    def accepts(self, text: str) -> bool:
        return len(text) == len(self) and all(
            c in a for c, a in zip(text, self.allowed, strict=True)
        )


def group_spec(
    current: str,
    flagged: Mapping[int, Iterable[str]],
    alphabet: str,
    *,
    keep_certain: bool = False,
) -> GroupSpec:
    """The spec for one group as the review screen shows it.

    `current` is the group's text now; `flagged` maps a position in the group to the
    alternatives of its current reading (empty for an unreadable position: then any
    character of `alphabet`). A position that is not flagged may be any character of
    `alphabet`, or with `keep_certain` only its current reading, which narrows the grammar
    but can never correct a character that was wrongly read as certain.
    """
    positions: list[set[str]] = []
    for i, char in enumerate(current):
        if i in flagged:
            alternatives = {a.upper() for a in flagged[i]}
            if alternatives:
                chosen = alternatives | ({char} if char in CHARACTERS else set())
            else:
                chosen = set(alphabet)
        elif keep_certain and char in CHARACTERS:
            chosen = {char}
        else:
            chosen = set(alphabet)
        positions.append(chosen)
    return GroupSpec.of(positions)


def _names_at(allowed: frozenset[str], letter_names: LetterNames) -> bool:
    return letter_names == "always" or (letter_names == "narrow" and len(allowed) <= NARROW)


def words_for(
    char: str, allowed: frozenset[str], *, letter_names: LetterNames = "narrow"
) -> list[str]:
    """The spoken words that mean `char` at a position that allows `allowed`.

    "oh" is zero where O cannot be, the letter O where 0 cannot be, and left out where
    both can be, so that it never decides between the two.
    """
    words = [w for w, c in ENGLISH_DIGITS.items() if c == char and w != "oh"]
    words += [w for w, c in NATO.items() if c == char]
    if _names_at(allowed, letter_names):
        words += [w for w, c in LETTER_NAMES.items() if c == char]
    if char in "0O" and not {"0", "O"} <= allowed:
        words.append("oh")
    return words


def char_for(word: str, allowed: frozenset[str]) -> str | None:
    """The character a heard word stands for at a position that allows `allowed`.

    Letter names are understood everywhere, whatever the grammar offered, so that an
    engine without a strict grammar (Vosk) can take them too.
    """
    if word == "oh":
        return "0" if "0" in allowed else ("O" if "O" in allowed else None)
    char = ENGLISH_DIGITS.get(word) or NATO.get(word) or LETTER_NAMES.get(word)
    return char if char is not None and char in allowed else None


def vocabulary(spec: GroupSpec, *, letter_names: LetterNames = "narrow") -> set[str]:
    return {
        w
        for allowed in spec.allowed
        for c in allowed
        for w in words_for(c, allowed, letter_names=letter_names)
    }


def jsgf(spec: GroupSpec, *, letter_names: LetterNames = "narrow") -> str:
    """A JSGF grammar for exactly one utterance of the group, one word per position."""
    rules: dict[frozenset[str], str] = {}
    lines = ["#JSGF V1.0;", "grammar cardbind;"]
    sequence: list[str] = []
    for allowed in spec.allowed:
        name = rules.get(allowed)
        if name is None:
            name = f"p{len(rules)}"
            rules[allowed] = name
            words = sorted(
                {
                    w
                    for c in sorted(allowed)
                    for w in words_for(c, allowed, letter_names=letter_names)
                }
            )
            lines.append(f"<{name}> = {' | '.join(words)};")
        sequence.append(f"<{name}>")
    lines.append(f"public <group> = {' '.join(sequence)};")
    return "\n".join(lines) + "\n"


def parse_words(words: Sequence[str], spec: GroupSpec) -> str | None:
    """The group's characters from one word per position, or None if they do not fit."""
    if len(words) != len(spec):
        return None
    chars = [char_for(w.lower(), a) for w, a in zip(words, spec.allowed, strict=True)]
    if any(c is None for c in chars):
        return None
    return "".join(c for c in chars if c is not None)
