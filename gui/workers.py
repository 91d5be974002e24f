"""Run long work (OCR, binds, batches) off the GUI thread and report back by signals.

`Task` wraps one call for QThreadPool. `LatestOnly` feeds camera frames to a single
background worker where a new frame replaces any frame still waiting: the camera never
queues up work and the newest picture wins.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.bind.clock import CancelToken
from core.codes.mask import redact
from core.errors import UNEXPECTED, UserCancelled, UserFacingError
from core.i18n import _

__all__ = ["LatestOnly", "Task", "TaskSignals", "UserFacingError", "start", "user_message"]

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()
    progress = Signal(object)


def user_message(exc: BaseException) -> str:
    """The app's one error handler: what to tell the user about `exc`. An error written
    for the user brings its own words; anything else is a bug, and the user reads a plain
    sentence (never a traceback, never a code)."""
    if isinstance(exc, UserFacingError):
        return exc.user_message()
    return _(UNEXPECTED)


class Task(QRunnable):
    """Call `fn(*args, token=…, progress=…)` on the thread pool."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        pass_token: bool = False,
        pass_progress: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.token = CancelToken()
        self.signals = TaskSignals()
        if pass_token:
            self.kwargs["token"] = self.token
        if pass_progress:
            self.kwargs["progress"] = self.signals.progress.emit

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except UserCancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:
            log.error("background task failed: %s", redact(repr(exc)), exc_info=True)
            self.signals.failed.emit(user_message(exc))
            return
        if self.token.cancelled:
            self.signals.cancelled.emit()
        else:
            self.signals.finished.emit(result)


# Tasks on their way: a task nobody else holds would be collected with its signals
# before they reach the GUI thread, and its answer would be lost.
_running: set[Task] = set()


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    _running.add(task)
    for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        signal.connect(lambda *_args, t=task: _running.discard(t))
    (pool or QThreadPool.globalInstance()).start(task)
    return task


class LatestOnly(QObject):
    """One worker thread, one waiting slot: `submit` replaces what has not started yet."""

    finished = Signal(object, object)  # (input, result)
    failed = Signal(str)

    def __init__(self, fn: Callable[[Any], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._lock = threading.Lock()
        self._pending: Any = None
        self._has_pending = False
        self._busy = False
        self._stopped = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._busy

    def submit(self, item: Any) -> None:
        with self._lock:
            if self._stopped:
                return
            self._pending = item
            self._has_pending = True
            if self._busy:
                return
            self._busy = True
        self._pool.start(_Drain(self))

    def _take(self) -> tuple[bool, Any]:
        with self._lock:
            if not self._has_pending or self._stopped:
                self._busy = False
                return False, None
            item = self._pending
            self._pending = None
            self._has_pending = False
            return True, item

    def stop(self) -> None:
        """Drop anything waiting and wait for the running item to end."""
        with self._lock:
            self._stopped = True
            self._pending = None
            self._has_pending = False
        self._pool.waitForDone()

    def restart(self) -> None:
        with self._lock:
            self._stopped = False


class _Drain(QRunnable):
    def __init__(self, owner: LatestOnly) -> None:
        super().__init__()
        self.owner = owner

    def run(self) -> None:
        while True:
            has, item = self.owner._take()
            if not has:
                return
            try:
                result = self.owner._fn(item)
            except Exception as exc:
                log.error("frame worker failed: %s", redact(repr(exc)))
                self.owner.failed.emit(user_message(exc))
                continue
            self.owner.finished.emit(item, result)
