"""Verify: one summary of what is about to happen, the scam question, and whatever the
platform asks for (SMS code, captcha, payment password, token) — entered by the user,
never stored."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.bind.card import Card
from core.bind.outcomes import NeedsVerification
from core.bind.scam import DEFAULT_HIGH_AMOUNT, high_amount_first_time, parse_face_value
from core.codes.profiles import CREDIT_TIMINGS, get_profile
from core.i18n import _, current_language
from core.voice.notices import READBACK_OVERHEARD
from gui.accessibility import announce
from gui.code_view import CharState, CodeChar, CodeView, mask_groups
from gui.screens.base import Screen
from gui.services import VoiceKit
from gui.theme import theme
from gui.voice.player import ReadbackPlayer
from gui.widgets.fit_radio import FitRadioButton
from gui.widgets.paragraph import Paragraph
from gui.widgets.verification import VerificationBox, kind_name
from gui.widgets.wrap_check import WrapCheckBox


def code_groups(platform: str, value: str, masked: bool = False) -> list[list[CodeChar]]:
    """The code grouped as the platform shows it; `masked` hides what a mask hides."""
    fmt = get_profile(platform).primary_field
    groups = [[CodeChar(c, CharState.CERTAIN) for c in g] for g in fmt.group(value)]
    return mask_groups(groups) if masked else groups


class ConfirmScreen(Screen):
    back = Signal()
    bind_requested = Signal()
    verification_entered = Signal(str, str)  # kind, value
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None, voice: VoiceKit | None = None) -> None:
        super().__init__(parent)
        self.voice = voice
        self._player: ReadbackPlayer | None = None
        self.card: Card | None = None
        self.attempts_left: int | None = None
        self.bind_method = ""
        self.masked = False
        self.elder = False
        self._pending: NeedsVerification | None = None
        self.largest_bound = Decimal(0)
        self.high_amount = DEFAULT_HIGH_AMOUNT

        self.summary = QFrame(self)
        self.summary.setProperty("role", "banner-info")
        form = QVBoxLayout(self.summary)
        self.code_view = CodeView(self.summary, point_size=theme().metrics.code_pt)
        form.addWidget(self.code_view)
        self.facts = Paragraph(self.summary)
        self.facts.setWordWrap(True)
        form.addWidget(self.facts)
        self.body.addWidget(self.summary)

        self.last_attempt = WrapCheckBox(self)
        self.last_attempt.hide()
        self.body.addWidget(self.last_attempt)

        # Scam check (docs/scam-check.md): one plain question before a risky bind.
        self.scam = QFrame(self)
        self.scam.setProperty("role", "banner-warning")
        sv = QVBoxLayout(self.scam)
        # The value is not known before the platform answers; the user may type it from
        # the card so that a first high amount brings the question too.
        self.value_label = QLabel(self.scam)
        self.value_label.setWordWrap(True)
        self.face_value = QLineEdit(self.scam)
        self.face_value.setMaxLength(16)
        self.value_label.setBuddy(self.face_value)
        vrow0 = QHBoxLayout()
        vrow0.addWidget(self.value_label, 1)
        vrow0.addWidget(self.face_value)
        sv.addLayout(vrow0)
        self.from_other = WrapCheckBox(self.scam)
        sv.addWidget(self.from_other)
        self.high_reason = Paragraph(self.scam)
        self.high_reason.setWordWrap(True)
        sv.addWidget(self.high_reason)
        self.scam_question = Paragraph(self.scam)
        self.scam_question.setWordWrap(True)
        sv.addWidget(self.scam_question)
        row = QHBoxLayout()
        self.scam_yes = FitRadioButton(self.scam)
        self.scam_no = FitRadioButton(self.scam)
        self.scam_group = QButtonGroup(self)
        self.scam_group.addButton(self.scam_yes)
        self.scam_group.addButton(self.scam_no)
        row.addWidget(self.scam_yes)
        row.addWidget(self.scam_no)
        row.addStretch(1)
        sv.addLayout(row)
        self.scam_advice = Paragraph(self.scam)
        self.scam_advice.setWordWrap(True)
        sv.addWidget(self.scam_advice)
        self.stop_button = QPushButton(self.scam)
        sv.addWidget(self.stop_button)
        self.body.addWidget(self.scam)

        self.verify_box = VerificationBox(self)
        self.body.addWidget(self.verify_box)

        self.why_not = Paragraph(self)
        self.why_not.setWordWrap(True)
        self.body.addWidget(self.why_not)
        self.body.addStretch(1)

        buttons = self.action_row
        self.back_button = QPushButton(self.action_bar)
        self.read_button = QPushButton(self.action_bar)
        self.read_button.clicked.connect(self.read_aloud)
        self.bind_button = QPushButton(self.action_bar)
        self.bind_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.read_button)
        buttons.addStretch(1)
        buttons.addWidget(self.bind_button)

        self.back_button.clicked.connect(self.back)
        self.bind_button.clicked.connect(self._bind)
        self.stop_button.clicked.connect(self.stop_requested)
        self.verify_box.entered.connect(self._verification_entered)
        for w in (self.from_other, self.scam_yes, self.scam_no, self.last_attempt):
            w.toggled.connect(self._update)
        self.face_value.textChanged.connect(self._update)
        self.retranslate()

    def title(self) -> str:
        return _("Bind this card?")

    # state
    def load(
        self,
        card: Card,
        *,
        attempts_left: int | None,
        bind_method: str,
        elder: bool,
        masked: bool = False,
        largest_bound: Decimal = Decimal(0),
        high_amount: int = DEFAULT_HIGH_AMOUNT,
        printed_value: tuple[str, str] | None = None,
    ) -> None:
        """`printed_value` is the value the reader found on the card, (amount, currency):
        it fills the optional value field (in yuan), which the user may still change."""
        self.card = card
        self.largest_bound = largest_bound
        self.high_amount = high_amount
        self.attempts_left = attempts_left
        self.bind_method = bind_method
        self.masked = masked
        self.elder = elder
        self._pending = None
        self.verify_box.clear()
        for b in (self.scam_yes, self.scam_no):
            self.scam_group.setExclusive(False)
            b.setChecked(False)
            self.scam_group.setExclusive(True)
        self.from_other.setChecked(False)
        amount, currency = printed_value or ("", "")
        self.face_value.setText(amount if currency.upper() in ("CNY", "RMB") else "")
        self.last_attempt.setChecked(False)
        self.code_view.set_groups(code_groups(card.platform, card.pin, masked))
        self.retranslate()

    def voice_on(self) -> bool:
        kit = self.voice
        return kit is not None and (kit.settings.voice_enabled or kit.settings.elder_mode)

    def read_aloud(self) -> None:
        """Read the code back before binding (elder mode's confirmation summary)."""
        kit, card = self.voice, self.card
        if kit is None or card is None:
            return
        from core.voice import readback
        from core.voice.readback import ReadbackOptions

        if self._player is None:
            self._player = kit.make_player(self)
            self._player.failed.connect(lambda text: self.message.emit("warning", text))
        fmt = get_profile(card.platform).primary_field
        opts = ReadbackOptions.from_settings(kit.settings, current_language())
        self._player.play(readback.code(fmt.group(card.pin), opts))

    def left(self) -> None:
        if self._player is not None:
            self._player.stop(emit=False)

    def clear(self) -> None:
        """Forget the card and any verification value (next customer)."""
        self.card = None
        self._pending = None
        self.attempts_left = None
        self.code_view.set_groups([])
        self.facts.setText("")
        self.summary.setAccessibleName("")
        self.verify_box.clear()
        self.face_value.setText("")

    def high_first_time(self) -> bool:
        return self.high_amount > 0 and high_amount_first_time(
            parse_face_value(self.face_value.text()), self.largest_bound, self.high_amount
        )

    def scam_asked(self) -> bool:
        # In elder mode the question is always asked (docs/scam-check.md).
        return self.elder or self.from_other.isChecked() or self.high_first_time()

    def blockers(self) -> list[str]:
        out = []
        if self.face_value.text().strip() and parse_face_value(self.face_value.text()) is None:
            out.append(
                _(
                    "Type the value printed on the card in digits (for example 500), "
                    "or leave it empty."
                )
            )
        if self.scam_asked():
            if self.scam_yes.isChecked():
                out.append(
                    _(
                        "Stop: this looks like a scam. Do not bind the card and do not "
                        "give its code to anyone."
                    )
                )
            elif not self.scam_no.isChecked():
                out.append(_("Answer the question about where the card came from."))
        if self.attempts_left == 1 and not self.last_attempt.isChecked():
            out.append(_("Confirm that you know this is the last attempt for this card."))
        if self.attempts_left == 0:
            out.append(_("This card has no attempts left on this computer's count."))
        return out

    def _update(self) -> None:
        # 长辈版, one task per screen: while the platform's question is open, the card's
        # code stays and the verification box comes right under it; what was already
        # answered (the scam question, the last-attempt check) steps aside.
        verifying = self.elder and self.verify_box.asking()
        self.facts.setVisible(not verifying)
        self.scam.setVisible(not verifying)
        asked = self.scam_asked()
        # In elder mode the question is always asked: nothing to gain from the value.
        for field in (self.from_other, self.value_label, self.face_value):
            field.setVisible(not self.elder)
        self.high_reason.setVisible(self.high_first_time())
        for w in (self.scam_question, self.scam_yes, self.scam_no):
            w.setVisible(asked)
        scam = asked and self.scam_yes.isChecked()
        self.scam_advice.setVisible(scam)
        self.stop_button.setVisible(scam)
        self.last_attempt.setVisible(self.attempts_left == 1 and not verifying)
        self.read_button.setVisible(self.voice_on() and self.card is not None)
        blockers = self.blockers()
        self.bind_button.setEnabled(not blockers and self._pending is None)
        self.why_not.setText("\n".join(f"• {b}" for b in blockers))
        self.why_not.setVisible(bool(blockers))
        if scam:
            announce(self, self.scam_advice.text())

    def _bind(self) -> None:
        if not self.blockers():
            self.bind_requested.emit()

    def ask(self, need: NeedsVerification, wrong: str = "") -> None:
        """The platform wants a verification value before it binds; `wrong` is the kind
        of the value it just refused (a new one is asked for now)."""
        self._pending = need
        kind = need.verification
        prompt = need.prompt or _("The platform asks for the {what}.").format(what=kind_name(kind))
        if wrong:
            prompt = (
                _(
                    "The {what} was wrong or had expired. That did not use one of the "
                    "card's attempts. Here is a new one."
                ).format(what=kind_name(wrong))
                + "\n"
                + prompt
            )
        self.verify_box.ask(kind, prompt)
        self._update()

    def _verification_entered(self, kind: str, value: str) -> None:
        if self._pending is None:
            return
        self._pending = None
        self._update()
        self.verification_entered.emit(kind, value)

    def retranslate(self) -> None:
        super().retranslate()
        card = self.card
        if card is not None:
            profile = get_profile(card.platform)
            lines = [
                _("Card: {platform}").format(platform=profile.display_name()),
                _("Bind with: {method}").format(method=self.bind_method),
            ]
            if card.account:
                lines.append(_("Account: {account}").format(account=card.account))
            if self.attempts_left is not None:
                # cardbind's own count: a fact here, whatever the platform's limit is.
                lines.append(
                    _("Attempts left for this card on this computer: {n}").format(
                        n=self.attempts_left
                    )
                )
            if profile.credit_timing.stated_by_platform:
                timing = str(profile.credit_timing.value)
                lines.append(
                    _("Money: {timing}").format(timing=_(CREDIT_TIMINGS.get(timing, timing)))
                )
            lines.append(_("Bound cards cannot be unbound. Bind only to your own account."))
            self.facts.setText("\n".join(lines))
            self.summary.setAccessibleName(
                _("Summary: {text}").format(text=self.facts.text().replace("\n", "; "))
            )
        self.code_view.retranslate()
        self.last_attempt.setText(_("I understand: this is the last attempt for this card"))
        self.from_other.setText(
            _("This card came from someone else (a gift, a seller, a phone call)")
        )
        self.value_label.setText(_("Value &printed on the card, in yuan (optional):"))
        self.face_value.setAccessibleName(_("Value printed on the card"))
        self.high_reason.setText(
            _("This card is worth more than any card bound on this computer before.")
        )
        self.scam_question.setText(
            _("Did someone ask you to buy this card or read its code to them?")
        )
        self.scam_yes.setText(_("&Yes"))
        self.scam_no.setText(_("N&o"))
        self.scam_advice.setText(
            _(
                "Then it is very likely a scam. Real companies, banks, police and relatives in "
                "trouble never ask to be paid with gift cards. Do not bind the card, do not read "
                "its code to anyone, keep the card and the receipt, and call the police (110) or "
                "the anti-fraud hotline (96110)."
            )
        )
        self.stop_button.setText(_("S&top and keep the card"))
        self.verify_box.retranslate()
        self.back_button.setText(_("&Back"))
        self.bind_button.setText(_("Bind &now"))
        self.read_button.setText(_("Read it &aloud"))
        self.read_button.setAccessibleDescription(_(READBACK_OVERHEARD))
        self._update()

    def first_focus(self) -> QWidget | None:
        if self.verify_box.asking():
            return self.verify_box.input
        if self.elder:
            return self.scam_no if not self.scam_no.isChecked() else self.bind_button
        return self.bind_button
