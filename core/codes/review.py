"""The review step as data: a code, where it came from, which characters are doubtful,
and what the user has confirmed. Qt-free so the rules are tested without a window.

Rules (docs/checks.md): a character the reader was not sure of must be resolved by the user,
one by one (pick an alternative, confirm the reading, or type it) — the app never picks
for them; guide warnings must be confirmed once; any block warning stops the bind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from difflib import SequenceMatcher
from typing import Literal

from core.codes.check import CheckResult, CheckWarning, check_code
from core.codes.profiles import Profile, get_profile
from core.i18n import _

Source = Literal["ocr", "typed", "pasted"]
UNREADABLE = "?"


@dataclass
class Flag:
    """One doubtful character from the reader (OCR or camera)."""

    alternatives: tuple[str, ...]  # plausible readings, the current one first
    unreadable: bool = False
    resolved: bool = False
    box: tuple[int, int, int, int] | None = None  # glyph in the source image


@dataclass
class Review:
    platform: str
    field: str
    text: str = ""
    source: Source = "typed"
    flags: dict[int, Flag] = dc_field(default_factory=dict)
    keep: set[tuple[int, str]] = dc_field(default_factory=set)
    guides_confirmed: bool = False
    note: str = ""  # one line for the user about the last change of state
    result: CheckResult = dc_field(init=False)

    def __post_init__(self) -> None:
        self.result = self._check()

    # --- construction -------------------------------------------------------------
    @classmethod
    def from_reading(cls, platform: str, field_name: str, value: str,
                     flags: dict[int, Flag]) -> Review:
        """A review of a reader's result; unreadable positions hold a '?' to type over."""
        return cls(platform=platform, field=field_name, text=value, source="ocr", flags=flags)

    @property
    def profile(self) -> Profile:
        return get_profile(self.platform)

    def _check(self) -> CheckResult:
        # OCR text is not the user's reading, and pasted text is exact: neither gets the
        # typed-text look-alike hints. OCR doubt comes from the flags instead.
        return check_code(self.text, self.platform, self.field, keep=self.keep,
                          source="typed" if self.source == "typed" else "pasted")

    @property
    def value(self) -> str:
        return self.result.value

    # --- edits --------------------------------------------------------------------
    def set_text(self, text: str, source: Literal["typed", "pasted"] = "typed") -> None:
        """The user typed, pasted or dictated into the field.

        The reader's marks follow their characters through the edit: a character the
        user typed or replaced is theirs (resolved), a deleted one takes its mark along,
        untouched characters keep their marks at their new positions.
        """
        old = self.value
        self.text = text
        self.keep.clear()
        self.result = self._check()
        new = self.value
        self.note = ""
        if self.flags:
            moved: dict[int, Flag] = {}
            matcher = SequenceMatcher(None, old, new, autojunk=False)
            for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
                if tag != "equal":
                    continue
                for k in range(i2 - i1):
                    if (i1 + k) in self.flags:
                        moved[j1 + k] = self.flags[i1 + k]
            self.flags = moved
        if not self.flags:
            self.source = source
            self.result = self._check()
        self.guides_confirmed = False

    def choose(self, index: int, char: str) -> None:
        """The user picked `char` for position `index` (from the alternatives or typed)."""
        value = self.value
        if not 0 <= index < len(value) or len(char) != 1:
            return
        new_value = value[:index] + char.upper() + value[index + 1:]
        self.text = self.result_display(new_value)
        self.keep.clear()
        flag = self.flags.get(index)
        if flag is not None:
            flag.resolved = True
        self.result = self._check()
        self.guides_confirmed = False
        self.note = ""

    def confirm(self, index: int) -> None:
        """The user checked the card: the current reading at `index` is right."""
        flag = self.flags.get(index)
        if flag is not None and not (flag.unreadable and self.value[index:index + 1]
                                     == UNREADABLE):
            flag.resolved = True

    def confirm_all_readable(self) -> list[int]:
        """The user compared every marked character with the card and they all match.
        Unreadable positions still have to be typed; returns what was confirmed."""
        done = []
        for i in self.unresolved():
            if not self.flags[i].unreadable and self.value[i:i + 1] != UNREADABLE:
                self.flags[i].resolved = True
                done.append(i)
        return done

    def undo(self, key: tuple[int, str]) -> None:
        self.keep.add(key)
        self.result = self._check()

    def redo(self, key: tuple[int, str]) -> None:
        self.keep.discard(key)
        self.result = self._check()

    def result_display(self, value: str) -> str:
        return self.profile.field(self.field).display(value)

    # --- state --------------------------------------------------------------------
    def unresolved(self) -> list[int]:
        return sorted(i for i, f in self.flags.items() if not f.resolved)

    def visible_warnings(self) -> list[CheckWarning]:
        """The check's warnings, except "“?” is not allowed" at a position still to be
        typed: there the flag's own words ("could not be read, type it") say it better."""
        to_type = {i for i in self.unresolved() if self.flags[i].unreadable}
        return [w for w in self.result.warnings if w.index not in to_type]

    def blockers(self) -> list[str]:
        """Why the code cannot go on to binding yet, in words; empty when it can."""
        out = [w.message for w in self.visible_warnings() if w.tier == "block"]
        for i in self.unresolved():
            flag = self.flags[i]
            if flag.unreadable:
                out.append(_("Character {position} could not be read. Type it, or pick it "
                             "from the choices.").format(position=i + 1))
            else:
                out.append(_("Character {position} is not certain. Check it on the card "
                             "and pick the right one.").format(position=i + 1))
        if self.result.by_tier("guide") and not self.guides_confirmed:
            out.append(_("Confirm that you checked the marked characters on the card."))
        return out

    @property
    def ready(self) -> bool:
        return not self.blockers()

    def copy(self) -> Review:
        clone = replace(self, flags={i: replace(f) for i, f in self.flags.items()},
                        keep=set(self.keep))
        clone.result = self.result
        return clone
