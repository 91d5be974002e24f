"""What the screens need from the layers below, injectable so tests can swap pieces.

The app builds one `Services` from the real modules; a test may pass fakes (a reader
that returns a fixed Reading, a bind service over a temporary sandbox…).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.bind.service import BindService
from core.settings import Settings
from ocr.reading import Reading

ReadImage = Callable[[np.ndarray, "str | None"], Reading]
LoadImage = Callable[[Path], np.ndarray]


@dataclass
class Services:
    settings: Settings
    read_image: ReadImage
    load_image: LoadImage
    make_consensus: Callable[[str | None], Any]
    make_bind_service: Callable[[], BindService] | None = None
    # Camera frames: a faster, lighter read (falls back to read_image).
    read_frame: ReadImage | None = None
    # Get the reader ready for a card type the user chose, in the background (returns at
    # once; nothing happens where there is nothing to get ready).
    prepare_reader: Callable[[str], None] | None = None
    voice: VoiceKit | None = None
    # How a manual adapter opens a page and fills the clipboard (set by the app).
    open_url: Callable[[str], bool] | None = None
    copy_text: Callable[[str], None] | None = None


def bind_service_factory(
    services: Services, adapter: str | None = None, **context: Any
) -> Callable[[], BindService]:
    """A factory for the bind method chosen in settings (or `adapter`), built when first
    needed; `context` goes to the adapter (e.g. `sandbox_db` for a practice ledger)."""

    def make() -> BindService:
        # An unusable method or journal raises an error written for the user
        # (core.errors), which the worker shows as it is.
        from core.bind.adapter import AdapterContext
        from core.bind.card import CardHasher, PracticeHasher
        from core.bind.registry import create_adapter
        from core.bind.service import BindPolicy
        from core.bind.store import Store
        from core.secrets import Secrets

        settings = services.settings
        secrets = Secrets()
        name = adapter or settings.adapter
        made = create_adapter(
            name,
            AdapterContext(
                settings,
                secrets,
                base_url=settings.http_base_url,
                open_url=services.open_url,
                copy_text=services.copy_text,
                **context,
            ),
        )
        store = Store()
        # Practice works without a keyring (a key held for the session); the real
        # methods need one (docs/no-plaintext-keyring.md).
        hasher = PracticeHasher(secrets) if name == "sandbox" else CardHasher(secrets)
        return BindService(made, store, hasher=hasher, policy=BindPolicy.from_settings(settings))

    return make


@dataclass
class ConsensusState:
    value: str
    stability: list[float]
    locked: bool
    reading: Reading | None
    # Positions every frame agrees on yet keeps flagging (an O that may be a 0): the
    # camera will not lock on them, so the screen asks the user to take the picture.
    doubted: tuple[int, ...] = ()


class CameraConsensus:
    """Frames → the card's consensus (ocr.consensus.CardConsensus: with "recognize from
    the card" the profile is the one the frames agree on), as the camera screen shows it."""

    def __init__(self, platform: str | None) -> None:
        from ocr.consensus import CardConsensus

        self.votes = CardConsensus(platform)

    def feed(self, reading: Reading) -> ConsensusState:
        self.votes.add(reading)
        c = self.votes.current
        field_reading = c.reading()
        out = None
        if field_reading is not None:
            out = Reading(
                c.platform, {"pin": field_reading}, reading.image_size, dict(reading.timings_ms)
            )
        return ConsensusState(c.value or "", c.stability(), c.locked, out, c.doubted())


WARM_UP_AFTER_S = 1.5


def _warm_up(platform: str, tesseract_cmd: str) -> None:
    from ocr import prepare
    from ocr.errors import OcrError
    from ocr.ppocr import PPOCR

    with contextlib.suppress(OcrError):  # said in words when a picture is read
        PPOCR.get()
    # Tesseract's processes for the card type last used start now too, so the first
    # picture does not wait for them (docs/ocr.md, "Speed: Tesseract started ahead").
    prepare(platform, tesseract_cmd)


def default_services(settings: Settings) -> Services:
    """The real readers (their errors are written for the user: ocr.errors)."""

    def read(image: np.ndarray, platform: str | None, fast: bool) -> Reading:
        from ocr import read_image

        return read_image(
            image,
            platform,
            fast=fast,
            tesseract_cmd=settings.tesseract_cmd,
            timeout_s=settings.ocr_timeout_s,
        )

    def load(path: Path) -> np.ndarray:
        from ocr.image_io import load_image

        return load_image(path)

    # The line reader's models take about half a second to load: load them in the
    # background once the window is up, so the first photo is read at full speed.
    warm = threading.Timer(WARM_UP_AFTER_S, _warm_up, (settings.platform, settings.tesseract_cmd))
    warm.daemon = True
    warm.start()

    # Camera frames: a frame reader that looks where the password was in the frame
    # before (ocr/frames.py); a new one for every camera session and card type.
    frames: dict[str, Any] = {}

    def read_frame(image: np.ndarray, platform: str | None) -> Reading:
        from ocr.frames import FrameReader

        reader = frames.get("reader")
        if reader is None or reader.requested != platform:
            reader = frames["reader"] = FrameReader(
                platform, settings.tesseract_cmd, settings.ocr_timeout_s
            )
        result: Reading = reader.read(image)
        return result

    def make_consensus(platform: str | None) -> CameraConsensus:
        frames.clear()
        return CameraConsensus(platform)

    def prepare_reader(platform: str) -> None:
        # Off the GUI thread: finding Tesseract and starting its processes takes a
        # moment (the models load once, under PPOCR's lock, whichever warm-up comes
        # first).
        job = threading.Thread(
            target=_warm_up,
            args=(platform, settings.tesseract_cmd),
            name="cardbind-prepare",
            daemon=True,
        )
        job.start()

    def copy_text(text: str) -> None:
        from gui import gui_thread

        # Read at each copy, so a change in Settings applies to the next one.
        gui_thread.copy_text(text, settings.clipboard_clear_s)

    return Services(
        settings,
        read_image=lambda image, platform: read(image, platform, False),
        load_image=load,
        make_consensus=make_consensus,
        read_frame=read_frame,
        prepare_reader=prepare_reader,
        voice=default_voice(settings),
        copy_text=copy_text,
    )


@dataclass
class VoiceKit:
    """How the screens get a read-back player, a push-to-talk recorder and a recognizer
    (tests pass stand-ins; nothing here touches a device until it is used)."""

    settings: Settings
    make_player: Callable[[Any], Any]
    make_recorder: Callable[[Any], Any]
    make_recognizer: Callable[[], Any]


def default_voice(settings: Settings) -> VoiceKit | None:
    """The real voice layers; None (voice and read-back off) where Qt's multimedia modules
    cannot load, e.g. without PulseAudio's library (the start screen says so)."""
    from gui.multimedia import multimedia_available

    if not multimedia_available():
        return None

    def player(parent: Any) -> Any:
        from gui.voice.player import ReadbackPlayer

        return ReadbackPlayer(parent, volume=settings.readback_volume, rate=settings.readback_rate)

    def recorder(parent: Any) -> Any:
        from gui.voice.recorder import MicRecorder

        return MicRecorder(parent=parent)

    def recognizer() -> Any:
        from core.voice import create_recognizer

        return create_recognizer(settings.voice_engine, settings.vosk_model_dir)

    return VoiceKit(settings, player, recorder, recognizer)
