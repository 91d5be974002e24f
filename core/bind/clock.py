"""Time and cancellation, injectable so tests never sleep and a GUI can stop a wait."""

from __future__ import annotations

import threading
import time
from typing import Protocol

from core.errors import UserCancelled


class Cancelled(UserCancelled):
    """A wait or an operation was cancelled from another thread."""


class CancelToken:
    """Set from any thread; waits that take this token end at once."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def reset(self) -> None:
        self._event.clear()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds`; True when cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch (wall clock; stored in the journal)."""
        ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None:
        """Sleep; raises `Cancelled` as soon as `cancel` is set."""
        ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None:
        if seconds <= 0:
            if cancel is not None:
                cancel.raise_if_cancelled()
            return
        if cancel is None:
            time.sleep(seconds)
        elif cancel.wait(seconds):
            raise Cancelled()


class FakeClock:
    """A clock that only moves when something sleeps: for tests and simulations."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._mono = 0.0
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def time(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
            self._mono += seconds

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if seconds > 0:
            self.slept.append(seconds)
            self.advance(seconds)
