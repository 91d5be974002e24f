"""Result: success with the amount, or the failure in plain words with what to do next."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.bind.outcomes import BindResult, Bound, Refused, Rejected, RetryLater
from core.codes.profiles import CREDIT_TIMINGS, get_profile
from core.i18n import _, ngettext
from gui.accessibility import announce
from gui.icons import tier_icon
from gui.screens.base import Screen
from gui.widgets.paragraph import Paragraph

# Failures where going back to the code is the useful next step.
CODE_KINDS = frozenset({"not_found", "invalid_code", "needs_confirmation"})


class ResultScreen(Screen):
    next_card = Signal()
    retry = Signal()
    back_to_code = Signal()
    history = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: BindResult | None = None
        self.box = QFrame(self)
        row = QHBoxLayout(self.box)
        self.icon = QLabel(self.box)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        self.headline = Paragraph(self.box)
        self.headline.setProperty("role", "summary")
        self.headline.setWordWrap(True)
        col.addWidget(self.headline)
        self.details = Paragraph(self.box)
        self.details.setWordWrap(True)
        col.addWidget(self.details)
        row.addLayout(col, 1)
        self.body.addWidget(self.box)
        self.steps = Paragraph(self)
        self.steps.setWordWrap(True)
        self.body.addWidget(self.steps)
        self.body.addStretch(1)
        buttons = self.action_row
        self.code_button = QPushButton(self.action_bar)
        self.retry_button = QPushButton(self.action_bar)
        self.history_button = QPushButton(self.action_bar)
        self.next_button = QPushButton(self.action_bar)
        self.next_button.setDefault(True)
        for b in (self.code_button, self.retry_button, self.history_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        self.code_button.clicked.connect(self.back_to_code)
        self.retry_button.clicked.connect(self.retry)
        self.history_button.clicked.connect(self.history)
        self.next_button.clicked.connect(self.next_card)
        self.retranslate()

    def title(self) -> str:
        return _("Result")

    def show_result(self, result: BindResult) -> None:
        self.result = result
        self.retranslate()
        announce(self, self.headline.text() + " " + self.details.text())

    def clear(self) -> None:
        self.result = None
        for label in (self.headline, self.details, self.steps):
            label.setText("")
        self.icon.clear()

    def retranslate(self) -> None:
        super().retranslate()
        self.code_button.setText(_("Back to the &code"))
        self.retry_button.setText(_("&Try again"))
        self.history_button.setText(_("H&istory"))
        self.next_button.setText(_("&Next card"))
        r = self.result
        if r is None:
            return
        outcome = r.outcome
        profile = get_profile(r.platform)
        size = self.headline.fontMetrics().height() * 2
        self.retry_button.setVisible(isinstance(outcome, RetryLater))
        self.code_button.setVisible(r.kind in CODE_KINDS)
        if isinstance(outcome, Bound) and r.reported:
            # The user's own report from the platform's page or the customer's phone:
            # said as theirs, with no amount or credit time the platform never gave.
            self.icon.setPixmap(tier_icon("ok").pixmap(size, size))
            self.headline.setText(_("You reported: card {card} is bound.").format(card=r.masked))
            lines = []
            if outcome.amount > 0:
                lines.append(
                    _("You reported {amount} {currency} credited.").format(
                        amount=outcome.amount.quantize(Decimal("0.01")), currency=outcome.currency
                    )
                )
            lines.append(
                _(
                    "cardbind got no answer from the platform itself: your gift-card "
                    "balance there shows what was credited."
                )
            )
            self.details.setText("\n".join(lines))
            self.steps.setText("")
            return
        if isinstance(outcome, Bound):
            self.icon.setPixmap(tier_icon("ok").pixmap(size, size))
            self.headline.setText(
                _("Bound: {amount} {currency} for card {card}.").format(
                    amount=outcome.amount, currency=outcome.currency, card=r.masked
                )
            )
            timing = str(profile.credit_timing.value)
            if outcome.credited_at is not None:
                when = _("The money is on your account.")
            elif profile.credit_timing.stated_by_platform:
                when = _("Not on your account yet: {timing}.").format(
                    timing=_(CREDIT_TIMINGS.get(timing, timing))
                )
            else:
                when = _("The platform says it is not on your account yet.")
            self.details.setText(when)
            self.steps.setText("")
            return
        entry = r.knowledge
        tier = entry.tier if entry is not None else "block"
        self.icon.setPixmap(
            tier_icon("guide" if isinstance(outcome, RetryLater) else tier).pixmap(size, size)
        )
        title = entry.title(profile, r.adapter) if entry is not None else r.summary()
        if r.reported:
            head = _("You reported: {title}").format(title=title)
        elif isinstance(outcome, Refused):
            head = _("Not sent: {title}").format(title=title)
        elif isinstance(outcome, RetryLater):
            head = _("Not bound yet: {title}").format(title=title)
        else:
            head = _("Not bound: {title}").format(title=title)
        self.headline.setText(head)
        lines = []
        if entry is not None:
            lines.append(entry.explanation(profile, r.adapter))
        if isinstance(outcome, Refused) and outcome.detail:
            lines.append(outcome.detail)
        if isinstance(outcome, RetryLater):
            minutes = max(1, round(outcome.after_s / 60))
            lines.append(
                ngettext(
                    "Try again in about {n} minute.", "Try again in about {n} minutes.", minutes
                ).format(n=minutes)
            )
            if outcome.unresolved:
                lines.append(
                    _(
                        "cardbind will first ask the platform whether the last try "
                        "went through, so the card is never bound twice."
                    )
                )
        left = r.attempts_left
        if isinstance(outcome, Rejected) and outcome.attempts_left is not None:
            left = outcome.attempts_left
        if left is not None and not isinstance(outcome, Bound):
            lines.append(
                ngettext(
                    "This card has {n} attempt left.", "This card has {n} attempts left.", left
                ).format(n=left)
            )
        self.details.setText("\n".join(lines))
        if entry is not None:
            steps = entry.steps(profile, r.adapter)
            text = (
                _("What to do:")
                + "\n"
                + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, start=1))
            )
            time_needed = entry.shown_time(profile)
            if time_needed:
                text += "\n" + _("Usually takes: {time}").format(time=time_needed)
            self.steps.setText(text)
        else:
            self.steps.setText("")

    def first_focus(self) -> QWidget | None:
        return self.next_button
