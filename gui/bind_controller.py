"""Runs binds off the GUI thread and turns their results into screen changes.

One attempt at a time; the Bind button cannot fire twice (the controller refuses while
busy). Verification values (SMS code, payment password, token) live in this object only
until the bind they belong to has an answer, and are never logged or shown again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QObject, Signal

from core.bind.card import Card
from core.bind.clock import CancelToken
from core.bind.outcomes import (
    AwaitingUser,
    BindResult,
    Bound,
    ErrorKind,
    NeedsVerification,
    Rejected,
)
from core.bind.scam import largest_bound
from core.bind.service import BindService
from core.i18n import _
from gui.workers import Task, start

log = logging.getLogger(__name__)


class BindController(QObject):
    busy = Signal(str)  # what is going on, in words
    needs_verification = Signal(object)  # NeedsVerification
    awaiting_user = Signal(object)  # BindResult with an AwaitingUser outcome
    # The platform refused the SMS code, captcha… (kind of the value that was wrong): the
    # card stays, and a fresh challenge is asked for at once.
    verification_wrong = Signal(str)
    finished = Signal(object)  # BindResult (bound, rejected, refused, retry later)
    failed = Signal(str)

    def __init__(
        self, make_service: Callable[[], BindService], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._make_service = make_service
        self._service: BindService | None = None
        self.card: Card | None = None
        self.confirmed = False
        self._values: dict[str, str] = {}
        self._task: Task | None = None
        self._token: CancelToken | None = None
        self.last: BindResult | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def service(self) -> BindService:
        if self._service is None:
            self._service = self._make_service()
        return self._service

    def reset_service(self) -> None:
        """After the bind method changed in settings."""
        if self._service is not None:
            self._service.close()
        self._service = None

    def begin(self, card: Card, confirmed: bool) -> None:
        self.card = card
        self.confirmed = confirmed
        self._values = {}
        self.last = None

    def attempts_left(self) -> int | None:
        if self.card is None:
            return None
        try:
            return self.service().budget(self.card)[1]
        except Exception:  # budget is advice on the confirm screen; binding re-checks it
            log.warning("could not read the attempt budget", exc_info=True)
            return None

    def largest_bound(self) -> Decimal:
        """The largest amount bound on this computer so far (0 when unknown: the scam
        question is then asked sooner, never later)."""
        try:
            return largest_bound(self.service().store.bound_amounts())
        except Exception:
            log.warning("could not read the bound amounts", exc_info=True)
            return Decimal(0)

    def bind(self) -> bool:
        """Start one attempt; False (and nothing sent) when one is already running."""
        if self.running or self.card is None:
            return False
        card, values, confirmed = self.card, dict(self._values), self.confirmed
        token = CancelToken()

        def job() -> BindResult:
            return self.service().bind(card, verification=values, confirmed=confirmed, cancel=token)

        task = Task(job)
        task.signals.finished.connect(self._done)
        task.signals.failed.connect(self._failed)
        task.signals.cancelled.connect(lambda: self._failed(_("Binding was cancelled.")))
        self._task, self._token = task, token
        self.busy.emit(_("Binding the card… At busy times this can take a while."))
        start(task)
        return True

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def verify(self, kind: str, value: str) -> bool:
        self._values[kind] = value
        return self.bind()

    def _done(self, result: BindResult) -> None:
        self._task = self._token = None
        self.last = result
        outcome = result.outcome
        if isinstance(outcome, NeedsVerification):
            self.needs_verification.emit(outcome)
        elif isinstance(outcome, AwaitingUser):
            self.awaiting_user.emit(result)
        elif (
            isinstance(outcome, Rejected)
            and outcome.kind == "verification_failed"
            and self._values
            and not result.reported
        ):
            # A wrong or expired value costs the card nothing (the service does not count
            # it): ask the platform for a new challenge instead of ending here.
            wrong = list(self._values)[-1]
            self._values = {}
            self.verification_wrong.emit(wrong)
            self.bind()
        else:
            self._values = {}
            self.finished.emit(result)

    def _failed(self, text: str) -> None:
        self._task = self._token = None
        self._values = {}
        self.failed.emit(text)

    def report(
        self, outcome: str, amount: Decimal | None = None, kind: ErrorKind = "not_found"
    ) -> None:
        """The user's report after binding on the platform's page or phone."""
        last = self.last
        if last is None or last.attempt_key is None:
            return
        report: Bound | Rejected | None
        if outcome == "bound":
            report = Bound(amount or Decimal(0))
        elif outcome == "rejected":
            report = Rejected(kind)
        else:
            report = None
        result = self.service().report(last.attempt_key, report)
        if result is not None:
            self.last = result
            self.finished.emit(result)

    def forget(self) -> None:
        """Drop the card and any verification values (next card, next customer)."""
        self.cancel()
        self.card = None
        self._values = {}
        self.last = None

    def close(self) -> None:
        self.forget()
        if self._service is not None:
            self._service.close()
            self._service = None
