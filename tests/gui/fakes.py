"""Test doubles for the GUI: a reader that returns a fixed Reading, a simple consensus."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from core.errors import UserFacingError
from core.settings import Settings
from gui.services import Services, VoiceKit
from ocr.reading import CharReading, FieldReading, Reading

TRUE_PIN = "E71D5E4633ED50BA"


def card_image() -> np.ndarray:
    img = np.full((300, 640, 3), 235, np.uint8)
    cv2.putText(
        img, "E71D 5E46 33ED 50BA", (30, 160), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3
    )
    return img


def reading_with_doubts(platform: str = "jd") -> Reading:
    """The PIN with position 8 unsure (6 or G) and position 14 unreadable (0 or D)."""
    chars = []
    for i, c in enumerate(TRUE_PIN):
        box = (30 + i * 36, 120, 30, 48)
        if i == 7:
            chars.append(CharReading("6", 0.55, ("G",), box, "check"))
        elif i == 13:
            chars.append(CharReading("", 0.1, ("0", "D"), box, "unreadable"))
        else:
            chars.append(CharReading(c, 0.99, (), box, "certain"))
    pin = FieldReading("pin", TRUE_PIN, chars, 0.6, format_ok=False)
    return Reading(platform, {"pin": pin}, (640, 300))


def certain_reading(platform: str = "jd") -> Reading:
    chars = [
        CharReading(c, 0.99, (), (i * 10, 0, 9, 20), "certain") for i, c in enumerate(TRUE_PIN)
    ]
    return Reading(platform, {"pin": FieldReading("pin", TRUE_PIN, chars, 0.99, format_ok=True)})


@dataclass
class State:
    value: str
    stability: list[float]
    locked: bool
    reading: Reading | None = None


@dataclass
class CountingConsensus:
    """Locks after `frames` readings; enough to drive the camera screen."""

    frames: int = 4
    seen: int = 0

    def feed(self, reading: Reading) -> State:
        self.seen += 1
        pin = reading.fields["pin"].value or ""
        share = min(1.0, self.seen / self.frames)
        return State(pin, [share] * len(pin), self.seen >= self.frames, reading)


@dataclass
class FakeReader:
    reading: Reading = field(default_factory=reading_with_doubts)
    fail_with: str = ""
    calls: int = 0

    def __call__(self, image: np.ndarray, platform: str | None) -> Reading:
        self.calls += 1
        if self.fail_with:
            raise UserFacingError(self.fail_with)
        return self.reading


def load_image(path: Path) -> np.ndarray:
    if path.suffix == ".bad":
        raise UserFacingError(f"{path.name} is not a picture cardbind can open.")
    return card_image()


def fake_voice(settings: Settings) -> VoiceKit:
    """Voice parts with no device behind them: a silent player, a mic that records
    a little silence, and a recognizer that hears nothing."""
    from gui.voice.player import ReadbackPlayer
    from gui.voice.recorder import MicRecorder
    from tests.gui.voice_fakes import FakeEffect, FakeMic, FakeSpeaker

    class Deaf:
        name = "deaf"

        def recognize(self, pcm: bytes, spec: object) -> object:
            from core.voice.models import Recognition

            return Recognition(text="", confidence=0.0)

    return VoiceKit(
        settings,
        lambda parent: ReadbackPlayer(
            parent,
            effect=FakeEffect,
            speaker=FakeSpeaker(),
            output_available=lambda: True,
            rate=3.0,
        ),
        lambda parent: MicRecorder(FakeMic(), parent),
        Deaf,
    )


def make_services(reader: FakeReader | None = None, settings: Settings | None = None) -> Services:
    settings = settings or Settings()
    return Services(
        settings,
        read_image=reader or FakeReader(),
        load_image=load_image,
        make_consensus=lambda _p: CountingConsensus(),
        voice=fake_voice(settings),
    )


def write_video(path: Path, frames: int = 12) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10.0, (640, 300))
    img = card_image()
    for _ in range(frames):
        writer.write(img)
    writer.release()
    return path


def reading_for(pin: str, platform: str = "jd") -> Reading:
    chars = [CharReading(c, 0.99, (), (i * 10, 0, 9, 20), "certain") for i, c in enumerate(pin)]
    return Reading(platform, {"pin": FieldReading("pin", pin, chars, 0.99, format_ok=True)})
