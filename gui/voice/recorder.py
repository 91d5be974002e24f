"""Push-to-talk microphone recording on QtMultimedia, handing 16 kHz mono 16-bit PCM on.

The device layer (`Microphone`) is an interface so that tests and machines without
sound hardware can stand in for it; `QtMicrophone` is the real one. Every failure comes
out as a translated sentence that says what to do. Qt's multimedia module is imported
when a recording starts, never at module load: without PulseAudio's library it cannot
load, and the rest of the app must (gui/multimedia.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QIODevice,
    QMicrophonePermission,
    QObject,
    Qt,
    Signal,
)

from core.i18n import _
from core.voice.models import SAMPLE_RATE, VoiceError
from core.voice.pcm import to_recognizer_pcm

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource

log = logging.getLogger(__name__)

# A guard for memory, not a time limit on the user: a minute is far more than one group.
MAX_SECONDS = 60


class MicError(VoiceError):
    """The microphone cannot record; the message says why and what to do."""


def no_microphone() -> MicError:
    return MicError(_("No microphone was found. Plug one in, or type the characters."))


def permission_denied() -> MicError:
    return MicError(
        _(
            "cardbind may not use the microphone. Allow it in the system's privacy settings "
            "(Microphone), then press the talk button again."
        )
    )


def permission_asked() -> MicError:
    return MicError(
        _("Please allow cardbind to use the microphone, then press the talk button again.")
    )


def cannot_open() -> MicError:
    return MicError(
        _(
            "The microphone could not be opened. Another program may be using "
            "it. Close that program, or type the characters."
        )
    )


class Microphone(Protocol):
    """One recording at a time. `start` raises MicError; `stop` returns 16 kHz mono
    16-bit PCM of everything since `start`."""

    def start(self) -> None: ...

    def stop(self) -> bytes: ...


def sample_format_name(fmt: QAudioFormat) -> str | None:
    """The numpy sample type of a Qt audio format, None for one we cannot convert."""
    from PySide6.QtMultimedia import QAudioFormat

    return {
        QAudioFormat.SampleFormat.UInt8: "uint8",
        QAudioFormat.SampleFormat.Int16: "int16",
        QAudioFormat.SampleFormat.Int32: "int32",
        QAudioFormat.SampleFormat.Float: "float32",
    }.get(fmt.sampleFormat())


def default_input() -> QAudioDevice:
    from PySide6.QtMultimedia import QMediaDevices

    return QMediaDevices.defaultAudioInput()


def wanted_format() -> QAudioFormat:
    from PySide6.QtMultimedia import QAudioFormat

    fmt = QAudioFormat()
    fmt.setSampleRate(SAMPLE_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


def check_permission() -> Qt.PermissionStatus:
    app = QCoreApplication.instance()
    if app is None:
        return Qt.PermissionStatus.Granted
    status = app.checkPermission(QMicrophonePermission())
    if status == Qt.PermissionStatus.Undetermined:
        # macOS and Windows ask the user once; the answer arrives later, so this press
        # explains and the next one records.
        app.requestPermission(QMicrophonePermission(), app, lambda *_args: None)
    return status


class QtMicrophone:
    """The default input device through QAudioSource, in 16 kHz mono 16-bit where the
    device takes it, else in the device's own format, converted on stop."""

    def __init__(
        self,
        device: Callable[[], QAudioDevice] = default_input,
        permission: Callable[[], Qt.PermissionStatus] = check_permission,
    ) -> None:
        self._device = device
        self._permission = permission
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._buffer = bytearray()
        self._format: QAudioFormat | None = None

    def start(self) -> None:
        try:
            from PySide6.QtMultimedia import QAudioSource, QtAudio
        except ImportError as exc:
            log.warning("no microphone: Qt's multimedia module cannot be loaded: %s", exc)
            raise no_microphone() from None
        status = self._permission()
        if status == Qt.PermissionStatus.Denied:
            raise permission_denied()
        if status == Qt.PermissionStatus.Undetermined:
            raise permission_asked()
        device = self._device()
        if device.isNull():
            raise no_microphone()
        fmt = wanted_format()
        if not device.isFormatSupported(fmt):
            fmt = device.preferredFormat()
        if sample_format_name(fmt) is None or fmt.sampleRate() <= 0:
            raise cannot_open()
        self._format = fmt
        self._buffer = bytearray()
        self._source = QAudioSource(device, fmt)
        self._io = self._source.start()
        if self._io is None or self._source.error() != QtAudio.Error.NoError:
            self._source = None
            raise cannot_open()
        self._io.readyRead.connect(self._read)

    def _read(self) -> None:
        if self._io is None or self._format is None:
            return
        self._buffer += bytes(self._io.readAll().data())
        limit = MAX_SECONDS * self._format.bytesForDuration(1_000_000)
        if len(self._buffer) > limit:
            del self._buffer[: len(self._buffer) - limit]

    def stop(self) -> bytes:
        if self._source is None or self._format is None:
            return b""
        from PySide6.QtMultimedia import QtAudio

        self._read()
        failed = self._source.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError)
        self._source.stop()
        self._source = None
        self._io = None
        if failed:
            raise cannot_open()
        fmt = self._format
        return to_recognizer_pcm(
            bytes(self._buffer),
            fmt.sampleRate(),
            fmt.channelCount(),
            sample_format_name(fmt) or "int16",
        )


class MicRecorder(QObject):
    """Push-to-talk: `start()` on press, `stop()` on release; the PCM arrives in
    `recorded`, a problem in `failed` (a translated sentence)."""

    recorded = Signal(bytes)
    failed = Signal(str)
    recordingChanged = Signal(bool)

    def __init__(self, microphone: Microphone | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mic: Microphone = microphone or QtMicrophone()
        self._recording = False

    @property
    def recording(self) -> bool:
        return self._recording

    def start(self) -> bool:
        """Start recording; False (and `failed`) when the microphone cannot be used."""
        if self._recording:
            return True
        try:
            self._mic.start()
        except MicError as exc:
            self.failed.emit(str(exc))
            return False
        self._set_recording(True)
        return True

    def stop(self) -> None:
        """Stop and hand the recording on (`recorded`), or report why not (`failed`)."""
        if not self._recording:
            return
        self._set_recording(False)
        try:
            pcm = self._mic.stop()
        except MicError as exc:
            self.failed.emit(str(exc))
            return
        self.recorded.emit(pcm)

    def cancel(self) -> None:
        """Stop and throw the recording away (the screen was left mid-recording)."""
        if self._recording:
            self._set_recording(False)
            try:
                self._mic.stop()
            except MicError:
                log.info("microphone error while cancelling a recording")

    def _set_recording(self, on: bool) -> None:
        self._recording = on
        self.recordingChanged.emit(on)
