"""The review step as data: a code, where it came from, which characters are doubtful,
and what the user has confirmed. Qt-free so the rules are tested without a window.

Rules (docs/checks.md): a character the reader was not sure of must be resolved by the user,
one by one (pick an alternative, confirm the reading, or type it) — the app never picks
for them; guide warnings must be confirmed once; any block warning stops the bind.
Doubts about the whole field are the user's too: when a character may be missing or
extra (a card type whose codes come in several lengths, or the reader's own doubt), the
user compares the count and the grouping with the card; when another row of the card
could be the field, the user says which row it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from difflib import SequenceMatcher
from typing import Literal

from core.codes.check import CheckResult, CheckWarning, check_code
from core.codes.profiles import Profile, get_profile
from core.i18n import _, ngettext

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
    # How the reader saw the code grouped on the card, e.g. (5, 4, 5).
    printed_groups: tuple[int, ...] = ()
    # A character may be missing or extra: the user compares the count with the card.
    count_doubt: bool = False
    # The reader itself doubted the count (not only the card type's several lengths): a
    # doubt that stays whichever card type the user picks.
    read_count_doubt: bool = False
    count_confirmed: bool = False
    # Other rows of the card that could be this field: the user says which one it is.
    rivals: tuple[str, ...] = ()
    row_chosen: bool = True
    result: CheckResult = dc_field(init=False)

    def __post_init__(self) -> None:
        self.result = self._check()

    # --- construction -------------------------------------------------------------
    @classmethod
    def from_reading(
        cls,
        platform: str,
        field_name: str,
        value: str,
        flags: dict[int, Flag],
        *,
        groups: tuple[int, ...] = (),
        doubt: str | None = None,
        rivals: tuple[str, ...] = (),
    ) -> Review:
        """A review of a reader's result; unreadable positions hold a '?' to type over.

        `groups` is the grouping as printed, `doubt` the reader's doubt about the whole
        field ("row", "length", "format") and `rivals` the other rows it could be.
        """
        fmt = get_profile(platform).field(field_name)
        rivals = tuple(dict.fromkeys(r for r in rivals if r and r != value))
        if doubt == "row" and not rivals:
            # Another row could be the field, but the reader did not say which: then
            # every character of this one is in doubt.
            flags = {i: flags.get(i) or Flag((c,)) for i, c in enumerate(value)}
        return cls(
            platform=platform,
            field=field_name,
            text=value,
            source="ocr",
            flags=flags,
            printed_groups=tuple(groups),
            count_doubt=doubt == "length" or len(fmt.lengths) > 1,
            read_count_doubt=doubt == "length",
            rivals=rivals,
            row_chosen=not (doubt == "row" and rivals),
        )

    @property
    def profile(self) -> Profile:
        return get_profile(self.platform)

    def _check(self) -> CheckResult:
        # OCR text is not the user's reading, and pasted text is exact: neither gets the
        # typed-text look-alike hints. OCR doubt comes from the flags instead.
        return check_code(
            self.text,
            self.platform,
            self.field,
            keep=self.keep,
            source="typed" if self.source == "typed" else "pasted",
        )

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
        if len(new) != len(old):
            self.count_confirmed = False  # a new count needs a new look at the card
        opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        if old and not any(tag == "equal" for tag, *_span in opcodes):
            # Nothing of the reader's text is left: the code is the user's own now, and
            # so are the reader's doubts about its length and its row.
            self.count_doubt = self.read_count_doubt = False
            self.rivals = ()
            self.row_chosen = True
            self.printed_groups = ()
        if self.flags:
            moved: dict[int, Flag] = {}
            for tag, i1, i2, j1, _j2 in opcodes:
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
        new_value = value[:index] + char.upper() + value[index + 1 :]
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
        if flag is not None and not (
            flag.unreadable and self.value[index : index + 1] == UNREADABLE
        ):
            flag.resolved = True

    def confirm_all_readable(self) -> list[int]:
        """The user compared every marked character with the card and they all match.
        Unreadable positions still have to be typed; returns what was confirmed."""
        done = []
        for i in self.unresolved():
            if not self.flags[i].unreadable and self.value[i : i + 1] != UNREADABLE:
                self.flags[i].resolved = True
                done.append(i)
        return done

    def confirm_count(self) -> None:
        """The user counted the characters on the card: the count and grouping match."""
        self.count_confirmed = True

    def choose_row(self, value: str) -> None:
        """The user says which row of the card is this field: the reader's own choice,
        or one of the rivals. A rival was read with no marks of its own, so every one of
        its characters is to be checked on the card."""
        self.row_chosen = True
        if value == self.value:
            return
        self.text = value
        self.keep.clear()
        self.result = self._check()
        self.flags = {i: Flag((c,)) for i, c in enumerate(self.value)}
        self.printed_groups = ()  # that grouping was the other row's
        self.count_confirmed = False
        self.guides_confirmed = False
        self.note = ""

    def candidates(self) -> list[str]:
        """The rows the field may be, the reader's choice first (for the row question)."""
        return [self.value, *(r for r in self.rivals if r != self.value)]

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

    def display_groups(self) -> list[int]:
        """Group sizes to show the code in: as printed on the card when that grouping
        covers the code exactly, else the platform's own grouping."""
        if self.printed_groups and sum(self.printed_groups) == len(self.value):
            return list(self.printed_groups)
        return [len(g) for g in self.profile.field(self.field).group(self.value)]

    def count_question(self) -> str:
        """What the user is asked to compare with the card: the count and the grouping
        as printed (when the reader saw one)."""
        n = len(self.value)
        printed = self.printed_groups
        shown = " + ".join(str(g) for g in printed)
        if printed and sum(printed) == n and len(printed) > 1:
            text = ngettext(
                "cardbind read {n} character, printed in groups of {groups}.",
                "cardbind read {n} characters, printed in groups of {groups}.",
                n,
            ).format(n=n, groups=shown)
        elif printed and sum(printed) != n:
            text = ngettext(
                "cardbind read {n} character, but the groups it saw on the card "
                "({groups}) add up to {total}.",
                "cardbind read {n} characters, but the groups it saw on the card "
                "({groups}) add up to {total}.",
                n,
            ).format(n=n, groups=shown, total=sum(printed))
        else:
            text = ngettext(
                "cardbind read {n} character.", "cardbind read {n} characters.", n
            ).format(n=n)
        return _("{read} Count the characters on the card: does it show the same?").format(
            read=text
        )

    def had_doubts(self) -> bool:
        """The reader doubted something here (a character, the count or the row)."""
        return bool(self.flags) or self.count_doubt or bool(self.rivals)

    def open_guides(self) -> list[CheckWarning]:
        """Guide warnings the user has not answered yet. A guide about a character the
        user already checked in the picker is answered by that check (one confirmation
        per doubt, not two)."""
        checked = {i for i, f in self.flags.items() if f.resolved}
        return [w for w in self.result.by_tier("guide") if w.index not in checked]

    def visible_warnings(self) -> list[CheckWarning]:
        """The check's warnings, except "“?” is not allowed" at a position still to be
        typed: there the flag's own words ("could not be read, type it") say it better."""
        to_type = {i for i in self.unresolved() if self.flags[i].unreadable}
        return [w for w in self.result.warnings if w.index not in to_type]

    def blockers(self) -> list[str]:
        """Why the code cannot go on to binding yet, in words; empty when it can."""
        out = []
        if not self.row_chosen:
            out.append(
                _("Choose which row on the card is the {label}.").format(
                    label=self.profile.field(self.field).display_label()
                )
            )
        out += [w.message for w in self.visible_warnings() if w.tier == "block"]
        if self.count_doubt and not self.count_confirmed and self.value:
            out.append(
                _(
                    "Compare the number of characters with the card, and confirm it "
                    "or correct the code."
                )
            )
        for i in self.unresolved():
            flag = self.flags[i]
            if flag.unreadable:
                out.append(
                    _(
                        "Character {position} could not be read. Type it, or pick it "
                        "from the choices."
                    ).format(position=i + 1)
                )
            else:
                out.append(
                    _(
                        "Character {position} is not certain. Check it on the card "
                        "and pick the right one."
                    ).format(position=i + 1)
                )
        if self.open_guides() and not self.guides_confirmed:
            out.append(_("Confirm that you checked the marked characters on the card."))
        return out

    @property
    def ready(self) -> bool:
        return not self.blockers()

    def for_platform(self, platform: str) -> Review:
        """The same code checked as another card type (the user changed the type on the
        review screen): the reader's marks and the user's answers to them, the printed
        grouping, the rows, the reader's own doubt about the count and a count the user
        confirmed all stay; the code is not the user's own typing because the type
        changed. A card type whose codes come in several lengths doubts the count of a
        code the reader read, as `from_reading` does; one of a single length does not."""
        fmt = get_profile(platform).field(self.field)
        clone = self.copy()
        clone.platform = platform
        clone.count_doubt = self.read_count_doubt or (self.source == "ocr" and len(fmt.lengths) > 1)
        clone.guides_confirmed = False  # the new type's guides are new questions
        clone.result = clone._check()
        return clone

    def copy(self) -> Review:
        clone = replace(
            self,
            flags={i: replace(f) for i, f in self.flags.items()},
            keep=set(self.keep),
            rivals=tuple(self.rivals),
        )
        clone.result = self.result
        return clone
