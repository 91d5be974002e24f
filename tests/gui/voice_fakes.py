"""Stand-ins for the sound layers of gui/voice, shared by its tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from gui.voice.recorder import MicError

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect


class FakeMic:
    def __init__(self, fail_start: MicError | None = None, pcm: bytes = b"\1\0" * 8) -> None:
        self.fail_start = fail_start
        self.pcm = pcm
        self.started = 0

    def start(self) -> None:
        if self.fail_start:
            raise self.fail_start
        self.started += 1

    def stop(self) -> bytes:
        return self.pcm


class FakeEffect(QObject):
    """Plays instantly (on the next event-loop turn); records what played."""

    playingChanged = Signal()
    statusChanged = Signal()
    played: list[str] = []  # noqa: RUF012 (shared log across instances, reset per test)

    def __init__(self, status: QSoundEffect.Status | None = None) -> None:
        # The player compares with Qt's own status values, so a test that plays a clip
        # needs Qt's multimedia module (such tests are marked `multimedia`).
        from PySide6.QtMultimedia import QSoundEffect

        super().__init__()
        self._status = QSoundEffect.Status.Ready if status is None else status
        self._playing = False
        self.source = ""
        self.volume = -1.0

    def setSource(self, url: QUrl) -> None:
        self.source = url.toLocalFile()

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    def status(self) -> QSoundEffect.Status:
        return self._status

    def isPlaying(self) -> bool:
        return self._playing

    def play(self) -> None:
        FakeEffect.played.append(
            self.source.rsplit("/", 2)[-2]
            + "/"
            + self.source.rsplit("/", 1)[-1].removesuffix(".wav")
        )
        self._playing = True
        self.playingChanged.emit()
        QTimer.singleShot(0, self._end)

    def _end(self) -> None:
        self._playing = False
        self.playingChanged.emit()

    def stop(self) -> None:
        self._playing = False


class FakeSpeaker:
    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.said: list[tuple[str, str]] = []

    def speak(
        self, text: str, lang: str, rate: float, volume: float, done: Callable[[], None]
    ) -> bool:
        if not self.available:
            return False
        self.said.append((lang, text))
        QTimer.singleShot(0, done)
        return True

    def stop(self) -> None:
        pass
