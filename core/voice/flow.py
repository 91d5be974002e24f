"""The voice fix of a code, group by group, as a state machine with no audio in it.

    READY ──listen──▶ LISTENING ──stop──▶ RECOGNIZING ──heard──▶ CONFIRMING
      ▲                   │                  │ nothing / error        │ right (对)
      │                   └─cancel_listen────┤                        ▼
      └──────── again (重说) / nothing heard ◀┘            next group, or DONE

Every step returns the read-back to play (a prompt, or the heard group and "is that
right?"). A group becomes the user's only by "right" (对) or by picking/typing it, never
by recognition alone: the recognizer always finds *some* group that fits its grammar.
The review screen drives this from its buttons, the recorder and the recognizer worker,
and keeps its picker and keyboard entry next to it (docs/voice.md).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.codes.profiles import FieldFormat
from core.errors import InternalError
from core.voice import readback
from core.voice.grammar import GroupSpec, group_spec
from core.voice.models import Recognition
from core.voice.readback import Readback, ReadbackOptions

# After this many tries at one group the prompt also offers the picker and the keyboard.
TRIES_BEFORE_HINT = 2


class State(enum.Enum):
    READY = "ready"  # the group is asked for; waiting for push-to-talk
    LISTENING = "listening"
    RECOGNIZING = "recognizing"
    CONFIRMING = "confirming"  # the heard group was read back; waiting for 对 / 重说
    DONE = "done"


class FlowError(InternalError, RuntimeError):
    """A step that is not possible in the current state (a bug in the caller)."""


@dataclass(frozen=True)
class GroupTask:
    """One group of the code to fix: its index in the code, what may be said, and the
    text the screen shows for it now."""

    index: int
    spec: GroupSpec = field(repr=False)
    current: str = field(repr=False)


@dataclass(frozen=True)
class GroupResult:
    index: int
    text: str = field(repr=False)
    how: str = "voice"  # "voice" (confirmed with 对), "picked" (picker or keyboard) or "skipped"


def tasks_for_code(
    value: str,
    flagged: Mapping[int, Iterable[str]],
    fmt: FieldFormat,
    *,
    alphabet: str | None = None,
    keep_certain: bool = False,
) -> list[GroupTask]:
    """The groups of `value` that hold a flagged character, each with its grammar.

    `flagged` maps a position in the whole code to the alternatives of its current
    reading (empty: unreadable). A position that is not flagged may be any character of
    `alphabet` (default: the field's usual alphabet, with the character read there);
    see grammar.group_spec for `keep_certain`.
    """
    base = alphabet if alphabet is not None else fmt.usual_alphabet
    tasks: list[GroupTask] = []
    start = 0
    for index, text in enumerate(fmt.group(value)):
        local = {
            i - start: list(alts) for i, alts in flagged.items() if start <= i < start + len(text)
        }
        if local:
            # A character the reader saw that is valid but unusual (a G in a JD code)
            # stays sayable, so the user can confirm it.
            extra = "".join(c for c in text if c in fmt.alphabet and c not in base)
            tasks.append(
                GroupTask(
                    index, group_spec(text, local, base + extra, keep_certain=keep_certain), text
                )
            )
        start += len(text)
    return tasks


class VoiceFixFlow:
    """Fix `tasks` one after the other. Not thread-safe: drive it from the GUI thread."""

    def __init__(self, tasks: Sequence[GroupTask], options: ReadbackOptions) -> None:
        if not tasks:
            raise ValueError("nothing to fix")
        self._tasks = list(tasks)
        self._opts = options
        self._pos = 0
        self._state = State.READY
        self._heard: Recognition | None = None
        self._tries = 0
        self._results: list[GroupResult] = []

    # --- what the screen shows ---------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def task(self) -> GroupTask | None:
        """The group being fixed; None when done."""
        return self._tasks[self._pos] if self._state is not State.DONE else None

    @property
    def progress(self) -> tuple[int, int]:
        """(groups finished, groups in all)."""
        return len(self._results), len(self._tasks)

    @property
    def heard(self) -> Recognition | None:
        """What was recognized, while waiting for 对 / 重说."""
        return self._heard if self._state is State.CONFIRMING else None

    @property
    def tries(self) -> int:
        return self._tries

    @property
    def results(self) -> list[GroupResult]:
        return list(self._results)

    # --- steps -------------------------------------------------------------------
    def _need(self, *states: State) -> None:
        if self._state not in states:
            raise FlowError(f"not possible while {self._state.value}")

    def start(self) -> Readback:
        """The first prompt ("Group two. Hold the talk button and say this group.")."""
        self._need(State.READY)
        return self._ask()

    def listen(self) -> None:
        """Push-to-talk pressed: the recorder starts."""
        self._need(State.READY)
        self._state = State.LISTENING

    def stop(self) -> None:
        """Push-to-talk released: the recording goes to the recognizer."""
        self._need(State.LISTENING)
        self._state = State.RECOGNIZING

    def cancel_listen(self) -> Readback:
        """Recording failed or was abandoned: ask for the group again."""
        self._need(State.LISTENING, State.RECOGNIZING)
        self._state = State.READY
        return self._ask()

    def recognized(self, result: Recognition) -> Readback:
        """The recognizer's answer: read it back and ask 对 / 重说, or ask again."""
        self._need(State.RECOGNIZING)
        task = self._tasks[self._pos]
        self._tries += 1
        if not result.heard or not task.spec.accepts(result.text):
            self._state = State.READY
            return self._join(readback.prompt("not_heard", self._opts), self._ask())
        self._heard = result
        self._state = State.CONFIRMING
        return readback.heard(result.text, self._opts)

    def failed(self) -> Readback:
        """The recognizer could not run (the screen shows its message)."""
        self._need(State.RECOGNIZING)
        self._state = State.READY
        return self._ask()

    def right(self) -> Readback:
        """对: the heard group is the user's; go to the next group."""
        self._need(State.CONFIRMING)
        assert self._heard is not None
        return self._finish(self._heard.text, "voice")

    def again(self) -> Readback:
        """重说: forget what was heard and ask for the same group again."""
        self._need(State.CONFIRMING)
        self._heard = None
        self._state = State.READY
        return self._join(readback.prompt("say_again", self._opts), self._hint())

    def pick(self, text: str) -> Readback:
        """The user picked or typed the group instead; it counts as confirmed."""
        self._need(State.READY, State.CONFIRMING)
        task = self._tasks[self._pos]
        text = text.upper()
        if len(text) != len(task.spec):
            raise ValueError("the group has a different length")
        return self._finish(text, "picked")

    def skip(self) -> Readback:
        """Leave this group as the screen shows it (still unconfirmed there)."""
        self._need(State.READY, State.CONFIRMING)
        return self._finish(self._tasks[self._pos].current, "skipped")

    # --- helpers -----------------------------------------------------------------
    def _ask(self) -> Readback:
        return self._join(
            readback.ask_for_group(self._tasks[self._pos].index, self._opts), self._hint()
        )

    def _hint(self) -> Readback:
        if self._tries >= TRIES_BEFORE_HINT:
            return readback.prompt("use_picker", self._opts)
        return Readback(self._opts.lang)

    def _join(self, *parts: Readback) -> Readback:
        out = Readback(self._opts.lang)
        for p in parts:
            if p.segments:
                if out.segments:
                    out += Readback(out.lang, (self._opts.gap(readback.PROMPT_GAP_MS),))
                out += p
        return out

    def _finish(self, text: str, how: str) -> Readback:
        self._results.append(GroupResult(self._tasks[self._pos].index, text, how))
        self._heard = None
        self._tries = 0
        done = (
            readback.prompt("confirmed", self._opts)
            if how == "voice"
            else Readback(self._opts.lang)
        )
        if self._pos + 1 >= len(self._tasks):
            self._state = State.DONE
            return self._join(done, readback.prompt("all_done", self._opts))
        self._pos += 1
        self._state = State.READY
        return self._join(done, self._ask())
