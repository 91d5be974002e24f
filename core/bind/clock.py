"""Time and cancellation, injectable so tests never sleep and a GUI can stop a wait."""

from __future__ import annotations

import math
import threading
import time
from typing import Protocol

from core.errors import UserCancelled

# The longest wait the threading and time modules take: a longer one raises
# OverflowError. A day is already far beyond any wait cardbind means.
MAX_WAIT_S = min(threading.TIMEOUT_MAX, 86_400.0)


def bounded_wait(seconds: float) -> float:
    """`seconds` as a wait any sleep or wait accepts: 0 … MAX_WAIT_S (NaN is 0)."""
    if math.isnan(seconds) or seconds <= 0:
        return 0.0
    return min(seconds, MAX_WAIT_S)


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
        return self._event.wait(bounded_wait(seconds))


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
        seconds = bounded_wait(seconds)
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
        seconds = bounded_wait(seconds)  # as the system clock does
        if seconds > 0:
            self.slept.append(seconds)
            self.advance(seconds)
