"""What the platform asks for before it binds (SMS code, captcha, payment password,
token), typed by the user into one inline box: the same on the confirm screen and in
the batch window. The value is passed on once and never kept: the field is emptied
(undo history too) the moment it is sent, skipped or cleared."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.codes.profiles import VERIFICATION_KINDS
from core.i18n import N_, _
from gui.accessibility import announce
from gui.widgets.paragraph import Paragraph

# One label per kind so each has a mnemonic that fits its screen.
VERIFY_LABELS = {
    "sms": N_("SMS &code:"),
    "captcha": N_("Capt&cha (the letters in the picture):"),
    "payment_password": N_("Payment pass&word:"),
    "token": N_("To&ken shown by the token app:"),
    "qr": N_("&QR confirmation code:"),
}
OTHER_LABEL = N_("&Code:")  # a kind a platform adapter added that has no label here


def kind_name(kind: str) -> str:
    """The verification in words ("SMS code"), for prompts and accessible names."""
    return _(VERIFICATION_KINDS.get(kind, kind))


class VerificationBox(QFrame):
    """Hidden until `ask()`; `entered(kind, value)` when the user sends a value and, when
    made `skippable`, `skipped()` when they leave this card for later."""

    entered = Signal(str, str)  # kind, value
    skipped = Signal()

    def __init__(self, parent: QWidget | None = None, *, skippable: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self.kind: str | None = None  # what is asked for, while it is asked
        layout = QVBoxLayout(self)
        self.prompt = Paragraph(self)
        layout.addWidget(self.prompt)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.input = QLineEdit(self)
        self.label.setBuddy(self.input)
        self.send_button = QPushButton(self)
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        self.skip_button: QPushButton | None = None
        if skippable:
            self.skip_button = QPushButton(self)
            self.skip_button.clicked.connect(self._skip)
            row.addWidget(self.skip_button)
        layout.addLayout(row)
        self.note = Paragraph(self)
        self.note.setProperty("role", "muted")
        layout.addWidget(self.note)
        self.send_button.clicked.connect(self._send)
        self.input.returnPressed.connect(self._send)
        self.retranslate()
        self.hide()

    def ask(self, kind: str, prompt: str) -> None:
        """Show the box for `kind` with `prompt` (the platform's words, or ours), focus the
        field and say the prompt to screen readers."""
        self.kind = kind
        self.prompt.setText(prompt)
        self.label.setText(_(VERIFY_LABELS.get(kind, OTHER_LABEL)))
        self._forget()
        self.input.setEchoMode(
            QLineEdit.EchoMode.Password if kind == "payment_password" else QLineEdit.EchoMode.Normal
        )
        self.input.setAccessibleName(kind_name(kind))
        self.show()
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)
        announce(self, prompt)

    def asking(self) -> bool:
        return self.kind is not None

    def clear(self) -> None:
        """Forget the question and anything typed (next customer, batch over)."""
        self.kind = None
        self._forget()
        self.prompt.setText("")
        self.hide()

    def _forget(self) -> None:
        self.input.setText("")  # setText, unlike clear(), also drops the undo history

    def _send(self) -> None:
        kind, value = self.kind, self.input.text().strip()
        if kind is None or not value:
            return
        self.kind = None
        self._forget()
        self.hide()
        self.entered.emit(kind, value)

    def _skip(self) -> None:
        if self.kind is None:
            return
        self.kind = None
        self._forget()
        self.hide()
        self.skipped.emit()

    def retranslate(self) -> None:
        if self.kind is not None:
            self.label.setText(_(VERIFY_LABELS.get(self.kind, OTHER_LABEL)))
            self.input.setAccessibleName(kind_name(self.kind))
        self.send_button.setText(_("Sen&d"))
        self.note.setText(_("cardbind passes this to the platform once and does not keep it."))
        if self.skip_button is not None:
            self.skip_button.setText(_("&Skip this card"))
            self.skip_button.setAccessibleName(_("Skip this card (it stays in the list)"))
