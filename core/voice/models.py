"""The bottom layer of core.voice: the audio format every engine takes, what an engine
answers (`Recognition`), the `Recognizer` interface and the voice errors.

Nothing here imports another module of core.voice but the grammar a group is heard
under; the engines build on it and the factory (factory.py) on them (docs/voice.md).
A recognized group is part of a card code: `Recognition` keeps it out of its repr, and
nothing here logs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from core.errors import MissingDependency, UserFacingError
from core.voice.grammar import GroupSpec

# 16 kHz mono 16-bit PCM: one group in, its characters out.
SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian
CHANNELS = 1
ENGINES = ("pocketsphinx", "vosk")


class VoiceError(UserFacingError):
    """A voice problem to show the user; the message is translated and says what to do."""


class EngineUnavailable(VoiceError, MissingDependency):
    """The chosen engine cannot run here (not installed, or no usable model)."""


@dataclass(frozen=True)
class Recognition:
    """What an engine heard for one group.

    `text` is "" when nothing that fits the group was heard. `confidence` is 0..1 for the
    whole group (the least sure character); `nbest` lists other full readings that fit,
    most likely first, without `text` itself.
    """

    text: str = field(repr=False)
    confidence: float = 0.0
    char_confidence: tuple[float, ...] = ()
    nbest: tuple[str, ...] = field(default=(), repr=False)

    @property
    def heard(self) -> bool:
        return bool(self.text)


NOTHING = Recognition(text="")


@runtime_checkable
class Recognizer(Protocol):
    """One engine. `recognize` blocks: call it from a worker thread, one call at a time."""

    @property
    def name(self) -> str: ...

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition: ...
