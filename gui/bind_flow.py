"""The main window's bind flow, from a checked code to its result: the confirm screen,
the platform's questions (SMS code, captcha…), the wait, a step the user takes on the
platform, the result; and, at start, the binds a crash left without an answer.

The window builds the screens and the controller; this object wires them together and
speaks to the user in the window's banner (its parent), as gui/menus.py does the menus.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from core.bind.card import Card
from core.bind.outcomes import AwaitingUser, BindResult, NeedsVerification
from core.bind.registry import adapters
from core.codes.review import Review
from core.i18n import _, ngettext
from gui import messages
from gui.workers import Task, start

if TYPE_CHECKING:
    from gui.main_window import MainWindow

log = logging.getLogger(__name__)


class BindFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = w = window
        self.controller = c = window.controller
        # The kind of value (SMS code, captcha…) the platform refused last: the next
        # question says why it comes again.
        self._wrong_verification = ""
        w.review.done.connect(self.reviewed)
        w.confirm.back.connect(lambda: w.show_screen(w.review))
        w.confirm.bind_requested.connect(self.bind_now)
        w.confirm.verification_entered.connect(self._verify)
        w.confirm.stop_requested.connect(self._scam_stop)
        w.busy.cancel_requested.connect(c.cancel)
        w.manual.reported.connect(c.report)
        w.result.next_card.connect(w.start_over)
        w.result.retry.connect(self.bind_now)
        w.result.back_to_code.connect(lambda: w.show_screen(w.review))
        w.result.history.connect(w.open_history)
        c.busy.connect(w.busy.show_text)
        c.needs_verification.connect(self._needs_verification)
        c.verification_wrong.connect(self._verification_wrong)
        c.awaiting_user.connect(self._awaiting_user)
        c.finished.connect(self._bound)
        c.failed.connect(self._bind_failed)

    def reviewed(self, reviews: dict[str, Review]) -> None:
        w, settings = self._window, self._window.settings
        pin = reviews["pin"]
        number = reviews.get("card_number")
        card = Card(
            platform=pin.platform,
            pin=pin.value,
            card_number=number.value if number is not None else "",
            account=settings.account,
        )
        # The review screen made the user resolve every doubt and confirm every guide.
        self.controller.begin(card, confirmed=True)
        try:
            method = adapters()[settings.adapter].display_title()
        except KeyError:
            method = settings.adapter
        w.confirm.load(
            card,
            attempts_left=self.controller.attempts_left(),
            bind_method=method,
            elder=settings.elder_mode,
            masked=settings.staff_mode,
            largest_bound=self.controller.largest_bound(),
            high_amount=settings.scam_high_amount,
            printed_value=w.review.denomination,
        )
        if w.customer is not None and settings.staff_mode:
            w.customer.show_card(card, handoff=False)
        w.show_screen(w.confirm)

    def bind_now(self) -> None:
        if not self.controller.bind():
            return
        self._window.show_screen(self._window.busy)

    def _verify(self, kind: str, value: str) -> None:
        """The SMS code, captcha… is sent with the bind: step 4 (Bind) while it runs."""
        if self.controller.verify(kind, value):
            self._window.show_screen(self._window.busy)

    def _needs_verification(self, need: NeedsVerification) -> None:
        wrong, self._wrong_verification = self._wrong_verification, ""
        # Asked first, so that the screen opens on the new box: in view, focused and
        # said to screen readers (the box announces its question).
        self._window.confirm.ask(need, wrong)
        self._window.show_screen(self._window.confirm)

    def _verification_wrong(self, kind: str) -> None:
        """The last SMS code, captcha… was refused; the controller asks for a new one, and
        the next question says why it comes again."""
        self._wrong_verification = kind

    def _awaiting_user(self, result: BindResult) -> None:
        w = self._window
        card = self.controller.card
        if card is None or not isinstance(result.outcome, AwaitingUser):
            return
        w.manual.show_for(card, result.outcome, masked=w.settings.staff_mode)
        if w.customer is not None and w.settings.staff_mode:
            w.customer.show_card(card, handoff=result.outcome.action == "show_qr")
        w.show_screen(w.manual)

    def _bound(self, result: BindResult) -> None:
        w = self._window
        self._wrong_verification = ""
        if w.customer is not None:
            w.customer.clear()  # the code and its QR leave the customer's screen
        w.result.show_result(result)
        w.show_screen(w.result)

    def _bind_failed(self, text: str) -> None:
        self._wrong_verification = ""
        self._window.show_screen(self._window.confirm)
        messages.error(text, self)

    def _scam_stop(self) -> None:
        self._window.start_over()
        messages.info(
            lambda: _(
                "Nothing was sent. Keep the card and the receipt, and talk to "
                "someone you trust or call 96110."
            ),
            self,
        )

    def recover_open_attempts(self) -> None:
        """At start: look up binds left without an answer by a crash or a cut connection,
        so the user knows what happened to them (nothing is ever sent again blindly)."""

        def job() -> list[BindResult]:
            return self.controller.service().recover()

        task = Task(job)
        task.signals.finished.connect(self._recovered)
        task.signals.failed.connect(lambda text: log.warning("recover: %s", text))
        start(task)

    def _recovered(self, results: list[BindResult]) -> None:
        if results:
            messages.info(
                lambda: ngettext(
                    "cardbind looked up {n} earlier bind that had no answer yet: {summary}",
                    "cardbind looked up {n} earlier binds that had no answer yet: {summary}",
                    len(results),
                ).format(n=len(results), summary="; ".join(r.summary() for r in results)),
                self,
            )
