"""Verification during a batch: asked on the worker thread, answered in the window.

The engine calls the gate when the platform wants an SMS code (or a captcha, a payment
password…) for a card; the gate asks the window and blocks the worker until the user
answers or skips, with no time limit: the user may be away. Stopping the batch closes
the gate, and the card stays "needs verification" for a later run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from core.bind.outcomes import NeedsVerification


@dataclass(repr=False)
class VerifyRequest:
    row_no: int
    masked: str
    need: NeedsVerification
    done: threading.Event
    answer: str | None = None

    def __repr__(self) -> str:
        return f"VerifyRequest({self.row_no}, {self.masked})"


class VerifyGate:
    """The engine's verifier: blocks the worker until the window answers (no time limit),
    or until the batch stops (then the row stays "needs verification")."""

    def __init__(self, ask: Callable[[VerifyRequest], None]) -> None:
        self._ask = ask
        self._lock = threading.Lock()
        self._closed = False
        self.pending: VerifyRequest | None = None

    def __call__(self, row_no: int, masked: str, need: NeedsVerification) -> str | None:
        request = VerifyRequest(row_no, masked, need, threading.Event())
        with self._lock:
            if self._closed:
                return None
            self.pending = request
        self._ask(request)
        request.done.wait()
        with self._lock:
            self.pending = None
        answer, request.answer = request.answer, None
        return answer

    def answer(self, request: VerifyRequest, value: str | None) -> None:
        request.answer = value or None
        request.done.set()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pending = self.pending
        if pending is not None:
            pending.answer = None
            pending.done.set()
