"""Check a code for a platform field: normalize, find ambiguity, and warn in three tiers.

hint  — inline, no action needed;
guide — the user must confirm before binding (unusual letter, unresolved ambiguity);
block — cannot bind (wrong length, character outside the alphabet, hidden controls…).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from core.codes.confusion import valid_alternatives
from core.codes.normalize import CHANGE_KINDS, Change, Normalized, normalize
from core.codes.profiles import FieldFormat, Profile, get_profile
from core.i18n import N_, _, localized, ngettext

Tier = Literal["hint", "guide", "block"]
TIERS: tuple[Tier, ...] = ("hint", "guide", "block")
TIER_NAMES: dict[str, str] = {
    "hint": N_("Hint"),
    "guide": N_("Check before binding"),
    "block": N_("Cannot bind"),
}
Source = Literal["typed", "pasted"]

# code → (tier, message). Positions in messages are 1-based: "character 5".
MESSAGES: dict[str, tuple[Tier, str]] = {
    "empty": ("block", N_("Nothing entered yet. Type, paste or say the {label}.")),
    "not_text": (
        "block",
        N_(
            "This is not plain text: byte {byte} (and perhaps more) is not UTF-8. Copy the "
            "code again from where it is written, or type it."
        ),
    ),
    "too_long": (
        "block",
        N_(
            "This text is {length} characters long, far too long for a card code. "
            "Copy only the code."
        ),
    ),
    "bidi": (
        "block",
        N_(
            "The text holds hidden direction-control characters that can make it look "
            "different from what it is. Type the code again by hand."
        ),
    ),
    "control": (
        "block",
        N_("The text holds hidden control characters. Type the code again by hand."),
    ),
    "length": (
        "block",
        N_("{platform}: the {label} has {expected} characters; this one has {count}."),
    ),
    "not_allowed": (
        "block",
        N_("Character {position} is “{char}”, which is not allowed in a {label} for {platform}."),
    ),
    "not_allowed_fix": (
        "block",
        N_(
            "Character {position} is “{char}”, which is not allowed in a {label} for {platform}. "
            "Did you mean {alternatives}? Check it on the card."
        ),
    ),
    "check_digit": (
        "block",
        N_(
            "The check digit does not match, so at least one character is wrong. "
            "Compare every character with the card."
        ),
    ),
    "unusual": (
        "guide",
        N_(
            "Character {position} is “{char}”, which {platform} codes rarely use. "
            "Check it on the card: is it {alternatives}?"
        ),
    ),
    "unusual_plain": (
        "guide",
        N_(
            "Character {position} is “{char}”, which {platform} codes rarely use. "
            "Check it on the card."
        ),
    ),
    "look_alikes": (
        "hint",
        N_(
            "{count} characters are easy to mix up with others (marked). "
            "Compare them with the card."
        ),
    ),
    "changed": (
        "hint",
        N_("Character {position}: “{source}” became “{target}” ({reason}). You can undo this."),
    ),
    "removed": (
        "hint",
        N_("Removed “{source}” at position {position} ({reason}). You can undo this."),
    ),
}


@dataclass(frozen=True)
class CheckWarning:
    """One finding about a code. The message is translated when it is read, so a
    language switch in the running app re-translates findings already on screen."""

    code: str
    index: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tier(self) -> Tier:
        return MESSAGES[self.code][0]

    @property
    def message(self) -> str:
        params = {k: _render(v) for k, v in self.params.items()}
        if self.index is not None:
            params.setdefault("position", self.index + 1)
        return _(MESSAGES[self.code][1]).format(**params)

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "code": self.code, "index": self.index, "message": self.message}


def _render(value: Any) -> Any:
    """Parameters are rendered in the language current when the message is read."""
    if isinstance(value, Mapping):
        return localized(value)
    if isinstance(value, Lazy):
        return value.render()
    return value


@dataclass(frozen=True)
class Lazy:
    """A message parameter that depends on the language: rendered when the message is read."""

    render: Callable[[], str]


def translated(msgid: str) -> Lazy:
    return Lazy(lambda: _(msgid))


def or_list(items: Iterable[str], quote: bool = True) -> Lazy:
    frozen = tuple(items)

    def render() -> str:
        shown = [f"“{c}”" if quote else c for c in frozen]
        if len(shown) <= 1:
            return "".join(shown)
        return _("{first} or {last}").format(first=_(", ").join(shown[:-1]), last=shown[-1])

    return Lazy(render)


@dataclass(frozen=True)
class Ambiguity:
    index: int
    alternatives: tuple[str, ...]  # the current reading first

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "alternatives": list(self.alternatives)}


@dataclass
class CheckResult:
    platform: str
    field: str
    input: str
    value: str
    display: str
    changes: list[Change]
    ambiguous: list[Ambiguity]
    warnings: list[CheckWarning]
    normalized: Normalized

    @property
    def ok(self) -> bool:
        return not any(w.tier == "block" for w in self.warnings)

    @property
    def needs_confirmation(self) -> bool:
        return any(w.tier == "guide" for w in self.warnings)

    def by_tier(self, tier: Tier) -> list[CheckWarning]:
        return [w for w in self.warnings if w.tier == tier]

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "field": self.field,
            "input": self.input,
            "value": self.value,
            "display": self.display,
            "changes": [c.to_json() for c in self.changes],
            "ambiguous": [a.to_json() for a in self.ambiguous],
            "warnings": [w.to_json() for w in self.warnings],
            "ok": self.ok,
        }


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _char_name(c: str) -> str:
    if c.isprintable() and not c.isspace():
        return c
    return unicodedata.name(c, f"U+{ord(c):04X}")


def _expected_lengths(fmt: FieldFormat) -> Lazy:
    lengths = fmt.lengths
    if len(lengths) > 2 and lengths == tuple(range(lengths[0], lengths[-1] + 1)):
        return Lazy(lambda: _("{low} to {high}").format(low=lengths[0], high=lengths[-1]))
    return or_list((str(n) for n in lengths), quote=False)


def check_code(
    text: str,
    platform: str | Profile = "jd",
    field_name: str = "pin",
    *,
    keep: Iterable[tuple[int, str]] = (),
    source: Source = "typed",
) -> CheckResult:
    """Normalize and validate `text` as the `field_name` of `platform`.

    `source="pasted"` means the text was copied from a digital source, so no character
    is doubtful for looking like another; typed text is the user's reading of the card.
    """
    profile = platform if isinstance(platform, Profile) else get_profile(platform)
    fmt = profile.field(field_name)
    norm = normalize(text, fmt, keep)
    value = norm.value
    label = dict(fmt.label)
    pname = dict(profile.name)
    warnings: list[CheckWarning] = []
    ambiguous: list[Ambiguity] = []
    look_alikes: list[int] = []

    if norm.too_long:
        warnings.append(CheckWarning("too_long", None, {"length": norm.input_length}))
    if norm.bidi_positions:
        warnings.append(CheckWarning("bidi", None))
    if norm.control_positions:
        warnings.append(CheckWarning("control", None))
    if not value and not norm.too_long:
        warnings.append(CheckWarning("empty", None, {"label": label}))

    for change in norm.changes:
        if change.routine:
            continue
        reason = translated(CHANGE_KINDS[change.kind])
        if change.target:
            if change.index is None:
                continue  # the changed character was removed later, e.g. a label's colon
            warnings.append(
                CheckWarning(
                    "changed",
                    change.index,
                    {"source": change.source, "target": change.target, "reason": reason},
                )
            )
        else:
            warnings.append(
                CheckWarning(
                    "removed",
                    None,
                    {
                        "source": _char_name(change.source)
                        if len(change.source) == 1
                        else change.source,
                        "position": change.position + 1,
                        "reason": reason,
                    },
                )
            )

    if value and len(value) not in fmt.lengths:
        warnings.append(
            CheckWarning(
                "length",
                None,
                {
                    "label": label,
                    "platform": pname,
                    "expected": _expected_lengths(fmt),
                    "count": len(value),
                },
            )
        )

    for i, c in enumerate(value):
        if c not in fmt.alphabet:
            if unicodedata.category(c) == "Cc":
                continue  # already reported as a control character
            alts = valid_alternatives(c, fmt.alphabet, fmt.usual_alphabet)
            if alts:
                warnings.append(
                    CheckWarning(
                        "not_allowed_fix",
                        i,
                        {
                            "char": _char_name(c),
                            "platform": pname,
                            "label": label,
                            "alternatives": or_list(alts),
                        },
                    )
                )
                ambiguous.append(Ambiguity(i, (c, *alts)))
            else:
                warnings.append(
                    CheckWarning(
                        "not_allowed", i, {"char": _char_name(c), "platform": pname, "label": label}
                    )
                )
            continue
        alts = valid_alternatives(c, fmt.alphabet, fmt.usual_alphabet)
        if c not in fmt.usual_alphabet:
            usual_alts = [a for a in alts if a in fmt.usual_alphabet]
            if usual_alts:
                warnings.append(
                    CheckWarning(
                        "unusual",
                        i,
                        {"char": c, "platform": pname, "alternatives": or_list(usual_alts)},
                    )
                )
            else:
                warnings.append(CheckWarning("unusual_plain", i, {"char": c, "platform": pname}))
            if alts:
                ambiguous.append(Ambiguity(i, (c, *alts)))
            continue
        if alts and source == "typed":
            ambiguous.append(Ambiguity(i, (c, *alts)))
            look_alikes.append(i)
    if look_alikes:
        # One hint, not one per character: in a hex code most characters have a twin.
        warnings.append(CheckWarning("look_alikes", None, {"count": len(look_alikes)}))

    if (
        fmt.check == "luhn"
        and value
        and len(value) in fmt.lengths
        and all(c in fmt.alphabet for c in value)
        and not luhn_ok(value)
    ):
        warnings.append(CheckWarning("check_digit", None))

    tier_rank = {t: n for n, t in enumerate(reversed(TIERS))}
    warnings.sort(key=lambda w: (tier_rank[w.tier], w.index if w.index is not None else -1))
    return CheckResult(
        platform=profile.id,
        field=fmt.name,
        # Echoing megabytes back helps nobody; the start is enough to recognise it.
        input=text if not norm.too_long else text[:100] + "…",
        value=value,
        display=fmt.display(value),
        changes=norm.changes,
        ambiguous=ambiguous,
        warnings=warnings,
        normalized=norm,
    )


def change_text(change: Change) -> str:
    """One change in words, numbered like the characters of the code (as the warnings
    are): "Character 14: “O” → “0” (…)"; a removed character has no number there."""
    reason = _(CHANGE_KINDS[change.kind])
    if change.index is not None and change.target:
        return _("Character {position}: “{source}” → “{target}” ({reason})").format(
            position=change.index + 1, source=change.source, target=change.target, reason=reason
        )
    return _("Removed “{source}” ({reason})").format(source=change.source, reason=reason)


def tier_name(tier: str) -> str:
    return _(TIER_NAMES[tier])


def summarize(result: CheckResult) -> str:
    """One line for a status bar or a screen reader announcement."""
    blocks = len(result.by_tier("block"))
    guides = len(result.by_tier("guide"))
    if blocks:
        return ngettext(
            "This code cannot be bound yet: {n} problem.",
            "This code cannot be bound yet: {n} problems.",
            blocks,
        ).format(n=blocks)
    if guides:
        return ngettext(
            "Check {n} character on the card before binding.",
            "Check {n} characters on the card before binding.",
            guides,
        ).format(n=guides)
    return _("The code has the right form.")
