"""Injectable faults for the sandbox: latency, a simulated peak, timeouts before and after
the bind commits, server errors and garbage replies.

Spec text, as `cardbind batch --faults` and `cardbind sandbox serve --faults` take it:
`timeout=0.05,after_commit=0.05,error=0.05,garbage=0.01,latency_ms=300,peak=0.1,
peak_ms=5000,seed=7`. Rates are probabilities per request (their sum at most 1).
The defaults for latency come from the source article (300 ms normally, 5 s and more
at peak), reported by the source and unverified.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, fields
from typing import Literal

from core.errors import UsageError
from core.i18n import _

Fault = Literal["none", "timeout", "after_commit", "error", "garbage"]
RATE_KEYS = ("timeout", "after_commit", "error", "garbage")


class FaultSpecError(UsageError, ValueError):
    pass


@dataclass(frozen=True)
class FaultSpec:
    timeout: float = 0.0  # no answer, and the bind did not happen
    after_commit: float = 0.0  # the bind happened, the answer was lost
    error: float = 0.0  # HTTP 500 / server error before the bind
    garbage: float = 0.0  # the bind happened, the answer is not JSON
    latency_ms: float = 0.0
    peak: float = 0.0  # share of requests that hit a simulated peak
    peak_ms: float = 5000.0
    hang_ms: float = 0.0  # server only: how long a "timeout" holds the connection
    seed: int | None = None

    @property
    def any(self) -> bool:
        return any(getattr(self, k) > 0 for k in (*RATE_KEYS, "latency_ms", "peak"))

    def to_text(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value != f.default:
                parts.append(f"{f.name}={value}")
        return ",".join(parts)


def parse_faults(text: str) -> FaultSpec:
    """Parse `key=value,…`; every mistake gives a translated message naming the key."""
    values: dict[str, float | int | None] = {}
    known = {f.name for f in fields(FaultSpec)}
    for raw in text.replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in known:
            raise FaultSpecError(
                _("Unknown fault “{item}”; use key=value with keys: {keys}").format(
                    item=item, keys=", ".join(sorted(known))
                )
            )
        try:
            number = float(value)
        except ValueError:
            raise FaultSpecError(
                _("Fault {key}: “{value}” is not a number").format(key=key, value=value.strip())
            ) from None
        if key == "seed":
            values[key] = int(number)
            continue
        if key in (*RATE_KEYS, "peak") and not 0.0 <= number <= 1.0:
            raise FaultSpecError(
                _("Fault {key}: a rate between 0 and 1, e.g. 0.05").format(key=key)
            )
        if key.endswith("_ms") and not 0.0 <= number <= 600_000:
            raise FaultSpecError(
                _("Fault {key}: milliseconds between 0 and 600000").format(key=key)
            )
        values[key] = number
    spec = FaultSpec(**values)  # type: ignore[arg-type]
    if sum(getattr(spec, k) for k in RATE_KEYS) > 1.0:
        raise FaultSpecError(_("The fault rates add up to more than 1."))
    return spec


class FaultInjector:
    """Draws faults and latencies from one seeded generator (reproducible runs)."""

    def __init__(self, spec: FaultSpec) -> None:
        self.spec = spec
        self._rng = random.Random(spec.seed)
        self._lock = threading.Lock()

    def latency_s(self) -> float:
        with self._lock:
            if self.spec.peak and self._rng.random() < self.spec.peak:
                return self.spec.peak_ms * self._rng.uniform(1.0, 1.5) / 1000.0
            if self.spec.latency_ms:
                return self.spec.latency_ms * self._rng.uniform(0.8, 1.2) / 1000.0
            return 0.0

    def roll(self) -> Fault:
        with self._lock:
            r = self._rng.random()
        edge = 0.0
        for key in RATE_KEYS:
            edge += getattr(self.spec, key)
            if r < edge:
                return key  # type: ignore[return-value]
        return "none"
