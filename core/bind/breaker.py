"""A per-platform circuit breaker: after a run of failures, stop sending for a while.

Small and hand-written on purpose: it must use the injectable clock (tests, the
simulated peak) and report how long it stays open, for the "try again off-peak"
advice; the maintained breaker libraries read the wall clock themselves.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from core.bind.clock import Clock


@dataclass
class _State:
    failures: int = 0
    open_until: float = 0.0
    probing: bool = False


class CircuitBreaker:
    def __init__(self, clock: Clock, threshold: int = 5, reset_s: float = 120.0) -> None:
        self.clock = clock
        self.threshold = max(1, threshold)
        self.reset_s = reset_s
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def wait_time(self, platform: str) -> float:
        """0 when a request may go out; else seconds until the breaker lets one probe through."""
        with self._lock:
            s = self._states.setdefault(platform, _State())
            if s.failures < self.threshold:
                return 0.0
            remaining = s.open_until - self.clock.monotonic()
            if remaining > 0:
                return remaining
            if s.probing:
                # One probe is already out; the others wait for its result.
                return self.reset_s
            s.probing = True
            return 0.0

    def cancel_probe(self, platform: str) -> None:
        """The probe that wait_time() let through was not sent after all."""
        with self._lock:
            s = self._states.get(platform)
            if s is not None:
                s.probing = False

    def success(self, platform: str) -> None:
        with self._lock:
            self._states[platform] = _State()

    def failure(self, platform: str) -> None:
        with self._lock:
            s = self._states.setdefault(platform, _State())
            s.failures += 1
            s.probing = False
            if s.failures >= self.threshold:
                s.open_until = self.clock.monotonic() + self.reset_s

    def is_open(self, platform: str) -> bool:
        with self._lock:
            s = self._states.get(platform)
            return bool(
                s and s.failures >= self.threshold and s.open_until > self.clock.monotonic()
            )
