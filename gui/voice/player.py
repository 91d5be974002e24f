"""Read-back playback: the shipped clips through QSoundEffect, pauses by QTimer, and
QTextToSpeech for whatever cannot be played from a clip.

The volume stays modest (read-back exposes the code to anyone nearby; the screen shows
a warning) and each clip is preloaded once. Both sound layers are injectable so tests
and machines without sound run the same sequencing. Qt's sound and speech modules are
imported when first used, never at module load: on a machine without PulseAudio's
library they cannot load, and the rest of the app must (gui/multimedia.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal, SignalInstance

from core.i18n import _
from core.voice.clips import clip_path
from core.voice.readback import Clip, Pause, Readback

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.6
LOAD_TIMEOUT_MS = 3000  # a clip still loading after this is spoken by the fallback


class Speaker(Protocol):
    """Text-to-speech: QTextToSpeech, or a stand-in in tests."""

    def speak(
        self, text: str, lang: str, rate: float, volume: float, done: Callable[[], None]
    ) -> bool:
        """Start saying `text`; call `done` when finished. False if there is no voice."""
        ...

    def stop(self) -> None: ...


class QtSpeaker:
    """QTextToSpeech (speech-dispatcher on Linux, SAPI/WinRT on Windows, AVSpeech on
    macOS), made on first use because starting an engine can take a moment."""

    def __init__(self) -> None:
        self._tts: QTextToSpeech | None = None
        self._done: Callable[[], None] | None = None

    def speak(
        self, text: str, lang: str, rate: float, volume: float, done: Callable[[], None]
    ) -> bool:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return False
        if not QTextToSpeech.availableEngines():
            return False
        if self._tts is None:
            self._tts = QTextToSpeech()
            self._tts.stateChanged.connect(self._state_changed)
        tts = self._tts
        if tts.state() == QTextToSpeech.State.Error:
            return False
        tts.setLocale(QLocale(lang))
        # Read-back rate 1.0 is the voice's normal speed; QTextToSpeech takes -1..1.
        tts.setRate(max(-1.0, min(1.0, (rate - 1.0) / 2)))
        tts.setVolume(volume)
        self._done = done
        tts.say(text)
        return True

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error) and self._done:
            done, self._done = self._done, None
            done()

    def stop(self) -> None:
        self._done = None
        if self._tts is not None:
            self._tts.stop()


class Effect(Protocol):
    """The part of QSoundEffect the player uses."""

    @property
    def playingChanged(self) -> SignalInstance: ...
    @property
    def statusChanged(self) -> SignalInstance: ...

    def setSource(self, url: QUrl) -> None: ...
    def setVolume(self, volume: float) -> None: ...
    def status(self) -> QSoundEffect.Status: ...
    def isPlaying(self) -> bool: ...
    def play(self) -> None: ...
    def stop(self) -> None: ...


def has_sound_output() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    return bool(QMediaDevices.audioOutputs())


def _sound_effect(parent: QObject) -> Effect:
    from PySide6.QtMultimedia import QSoundEffect

    return QSoundEffect(parent)


class ReadbackPlayer(QObject):
    """Plays one Readback at a time; `play` stops the previous one.

    `finished` comes after the last clip, or at once for a stop; `failed` carries a
    translated sentence when nothing can be said at all (no sound device, no voice)."""

    started = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        volume: float = DEFAULT_VOLUME,
        rate: float = 1.0,
        effect: Callable[[], Effect] | None = None,
        speaker: Speaker | None = None,
        output_available: Callable[[], bool] = has_sound_output,
    ) -> None:
        super().__init__(parent)
        self._make_effect: Callable[[], Effect] = effect or (lambda: _sound_effect(self))
        self._speaker: Speaker = speaker or QtSpeaker()
        self._output_available = output_available
        self._volume = volume
        self._rate = rate
        self._effects: dict[str, Effect] = {}
        self._queue: list[Clip | Pause] = []
        self._lang = ""
        self._current: Effect | None = None
        self._playing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.timeout.connect(self._load_timed_out)

    @property
    def playing(self) -> bool:
        return self._playing

    def set_volume(self, volume: float) -> None:
        self._volume = max(0.0, min(1.0, volume))
        for e in self._effects.values():
            e.setVolume(self._volume)

    def set_rate(self, rate: float) -> None:
        self._rate = rate

    def play(self, readback: Readback) -> None:
        self.stop(emit=False)
        if not readback.segments:
            self.finished.emit()
            return
        self._lang = readback.lang
        self._queue = list(readback.segments)
        self._playing = True
        self.started.emit()
        if not self._output_available() or any(
            not clip_path(s.id).is_file() for s in self._queue if isinstance(s, Clip)
        ):
            self._speak_rest()
            return
        self._next()

    def stop(self, *, emit: bool = True) -> None:
        was = self._playing
        self._playing = False
        self._queue = []
        self._timer.stop()
        self._load_timer.stop()
        if self._current is not None:
            self._current.stop()
            self._current = None
        self._speaker.stop()
        if was and emit:
            self.finished.emit()

    # --- sequencing --------------------------------------------------------------
    def _effect(self, clip: Clip) -> Effect:
        e = self._effects.get(clip.id)
        if e is None:
            e = self._make_effect()
            e.setVolume(self._volume)
            e.playingChanged.connect(self._playing_changed)
            e.statusChanged.connect(self._status_changed)
            e.setSource(QUrl.fromLocalFile(str(clip_path(clip.id))))
            self._effects[clip.id] = e
        return e

    def _next(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if not self._playing:
            return
        if not self._queue:
            self._playing = False
            self._current = None
            self.finished.emit()
            return
        seg = self._queue[0]
        if isinstance(seg, Pause):
            self._queue.pop(0)
            self._timer.start(seg.ms)
            return
        e = self._effect(seg)
        self._current = e
        status = e.status()
        if status == QSoundEffect.Status.Ready:
            self._queue.pop(0)
            e.play()
        elif status == QSoundEffect.Status.Error:
            self._speak_rest()
        else:  # still loading: _status_changed resumes
            self._load_timer.start(LOAD_TIMEOUT_MS)

    def _status_changed(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        e = self._current
        sender: object = self.sender()
        if not self._playing or e is None or sender is not e:
            return
        if e.status() in (QSoundEffect.Status.Ready, QSoundEffect.Status.Error):
            self._load_timer.stop()
            self._next()

    def _playing_changed(self) -> None:
        e = self._current
        sender: object = self.sender()
        if self._playing and e is not None and sender is e and not e.isPlaying():
            self._current = None
            self._next()

    def _load_timed_out(self) -> None:
        if self._playing:
            self._speak_rest()

    def _speak_rest(self) -> None:
        """Say what is left with text-to-speech, in one go (pauses become commas)."""
        rest = Readback(self._lang, tuple(self._queue))
        self._queue = []
        self._current = None
        text = rest.text()
        if not text:
            self._next()
            return
        if not self._speaker.speak(text, self._lang, self._rate, self._volume, self._next):
            self._playing = False
            self.failed.emit(
                _(
                    "No sound can be played on this computer, so the code cannot be "
                    "read aloud. Please read it on the screen."
                )
            )
            self.finished.emit()
