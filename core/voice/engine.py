"""The recognizer interface: 16 kHz mono 16-bit PCM of one group in, its characters out.

Engines are offline only. A recognized group is part of a card code: `Recognition`
keeps it out of its repr, and nothing here logs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from core.errors import MissingDependency, UserFacingError
from core.i18n import _
from core.voice.grammar import GroupSpec

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


def check_pcm(pcm: bytes) -> None:
    """Refuse audio that cannot be 16-bit samples rather than decode noise from it."""
    if len(pcm) % SAMPLE_WIDTH:
        raise VoiceError(_("The recording is damaged (an odd number of bytes). Please try again."))


def create_recognizer(engine: str, vosk_model_dir: str = "") -> Recognizer:
    """The engine the settings name (`voice_engine`, `vosk_model_dir`).

    Raises EngineUnavailable with a message for the user when it cannot run.
    """
    if engine == "vosk":
        from core.voice.vosk_engine import VoskRecognizer

        return VoskRecognizer(vosk_model_dir)
    if engine == "pocketsphinx":
        from core.voice.pocketsphinx_engine import PocketsphinxRecognizer

        return PocketsphinxRecognizer()
    raise EngineUnavailable(
        _("Unknown speech engine “{engine}”. Choose one of: {choices}.").format(
            engine=engine, choices=", ".join(ENGINES)
        )
    )
