"""Recognition off the GUI thread: one QThreadPool thread, results back as signals.

Decoding a group takes a fraction of a second to a few seconds; the window must stay
responsive and the screen reader must keep talking meanwhile. Requests are numbered so
that a late answer to an abandoned request (the user pressed 重说, or left the screen)
is dropped instead of landing on the wrong group.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.i18n import _
from core.voice.grammar import GroupSpec
from core.voice.models import Recognition, Recognizer, VoiceError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a worker's answer to the GUI thread (queued across threads)."""

    done = Signal(int, object)
    failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(
        self, runner: RecognitionRunner, request: int, pcm: bytes, spec: GroupSpec
    ) -> None:
        super().__init__()
        self._runner = runner
        self._relay = runner._relay
        self._request = request
        self._pcm = pcm
        self._spec = spec

    def run(self) -> None:
        try:
            recognizer = self._runner._engine()
            result = recognizer.recognize(self._pcm, self._spec)
        except VoiceError as exc:
            self._relay.failed.emit(self._request, str(exc))
        except Exception:
            # The recording and the result are parts of a card code: log neither.
            log.exception("speech recognition failed")
            self._relay.failed.emit(
                self._request,
                _("Speech recognition failed. Please try again, or type the characters."),
            )
        else:
            self._relay.done.emit(self._request, result)


class RecognitionRunner(QObject):
    """`submit(pcm, spec)` → `recognized(Recognition)` or `failed(message)`.

    `engine` makes the recognizer; it is called once, in the worker thread, on the
    first request (loading a model can take a moment), and again after it failed.
    """

    recognized = Signal(object)  # core.voice.models.Recognition
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, engine: Callable[[], Recognizer], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = engine
        self._recognizer: Recognizer | None = None
        self._lock = threading.Lock()
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # decoders are not thread-safe; one at a time
        self._latest = 0
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def _engine(self) -> Recognizer:
        with self._lock:
            if self._recognizer is None:
                self._recognizer = self._factory()
            return self._recognizer

    def reset_engine(self) -> None:
        """Make the recognizer anew on the next request (the settings changed)."""
        with self._lock:
            self._recognizer = None

    def submit(self, pcm: bytes, spec: GroupSpec) -> int:
        """Recognize `pcm` as one group; returns the request number."""
        self._latest += 1
        self._set_busy(True)
        self._pool.start(_Task(self, self._latest, pcm, spec))
        return self._latest

    def cancel(self) -> None:
        """Drop the answer to any request still running."""
        self._latest += 1
        self._set_busy(False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def _on_done(self, request: int, result: object) -> None:
        if request != self._latest:
            return
        self._set_busy(False)
        assert isinstance(result, Recognition)
        self.recognized.emit(result)

    def _on_failed(self, request: int, message: str) -> None:
        if request != self._latest:
            return
        self._set_busy(False)
        self.failed.emit(message)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
