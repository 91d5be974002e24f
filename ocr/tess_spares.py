"""Tesseract processes started ahead of need ("spares").

A Tesseract process spends about 70 ms loading its model before it looks at its image;
the image itself (a code row in three variants) takes 10–40 ms. Tesseract reads stdin
only after that start-up, so a process started ahead waits, warm, for its image. Each
call with the same command line takes a waiting spare when there is one and leaves a
new one behind for the next call: a camera frame, or the next card of a batch, then
pays only for its own reading. Why and what it costs: docs/ocr.md, "Speed".

Bounded: at most PER_KEY spares for each of the last MAX_KEYS command lines (a card
type's alphabet each), all killed when the program exits or the Tesseract in use
changes. A spare whose parent dies sees its stdin close and exits by itself.
"""

from __future__ import annotations

import atexit
import logging
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

log = logging.getLogger(__name__)

PER_KEY = 2  # two rows are read at once, one process each
MAX_KEYS = 2  # command lines kept warm: the password's and the card number's alphabet

Key = tuple[str, ...]


def spawn(cmd: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start Tesseract on stdin; it loads its model and then waits for the image."""
    return subprocess.Popen(
        list(cmd),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
    )


def _end(proc: subprocess.Popen[bytes]) -> None:
    try:
        proc.kill()
        proc.communicate(timeout=5)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass  # already gone: nothing left to free


class Spares:
    """The waiting processes, per command line (thread-safe)."""

    def __init__(self, per_key: int = PER_KEY, max_keys: int = MAX_KEYS) -> None:
        self.per_key = per_key
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._waiting: OrderedDict[Key, list[subprocess.Popen[bytes]]] = OrderedDict()
        self.enabled = True

    def take(self, key: Key) -> subprocess.Popen[bytes] | None:
        """A spare for this command line that is still waiting, or None."""
        dead: list[subprocess.Popen[bytes]] = []
        found = None
        with self._lock:
            procs = self._waiting.get(key, [])
            while procs:
                proc = procs.pop()
                if proc.poll() is None:
                    found = proc
                    break
                dead.append(proc)  # exited on its own (killed, broken install)
        for proc in dead:
            _end(proc)
        return found

    def leave(self, key: Key, env: Mapping[str, str]) -> None:
        """Start spares for this command line until PER_KEY wait; the oldest command
        line's spares make room when more than MAX_KEYS are kept."""
        if not self.enabled:
            return
        evicted: list[subprocess.Popen[bytes]] = []
        with self._lock:
            procs = self._waiting.setdefault(key, [])
            self._waiting.move_to_end(key)
            while len(self._waiting) > self.max_keys:
                _old, gone = self._waiting.popitem(last=False)
                evicted += gone
            missing = self.per_key - len(procs)
            for _ in range(max(0, missing)):
                try:
                    procs.append(spawn(key, env))
                except OSError as exc:
                    log.debug("no spare Tesseract: %s", exc)
                    break
        for proc in evicted:
            _end(proc)

    def close(self) -> None:
        """Kill every waiting spare."""
        with self._lock:
            procs = [p for group in self._waiting.values() for p in group]
            self._waiting.clear()
        for proc in procs:
            _end(proc)

    def waiting(self) -> list[subprocess.Popen[bytes]]:
        """The processes waiting now, every command line's (a snapshot)."""
        with self._lock:
            return [p for group in self._waiting.values() for p in group]

    def count(self) -> int:
        return len(self.waiting())


SPARES = Spares()
atexit.register(SPARES.close)
