"""The reader's doubts about a whole field, asked in words beside the code: which row of
the card is the field (`RowQuestion`), and whether the card shows as many characters,
grouped the same way, as were read (`CountQuestion`). Both are answered with big
buttons, by mouse or keyboard; nothing is chosen for the user (docs/checks.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.codes.mask import mask_code
from core.codes.review import Review
from core.i18n import _
from gui.theme import theme
from gui.widgets.paragraph import Paragraph


class _Question(QFrame):
    """A framed question (no pop-up), its words first, its answers below them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self.layout_ = QVBoxLayout(self)
        self.question = Paragraph(self)
        self.layout_.addWidget(self.question)


class RowQuestion(_Question):
    """Another row of the card could be this field: one button per row, in words."""

    chosen = Signal(str)  # the row's value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QVBoxLayout()
        self.layout_.addLayout(self.rows)
        self.buttons: list[QPushButton] = []
        self._label = ""
        self._values: list[str] = []
        self.hide()

    def show_for(self, review: Review, masked: bool) -> None:
        """Ask while the row is open; hidden once the user chose one."""
        if review.row_chosen:
            self._values = []
            self.hide()
            return
        values = review.candidates()
        if values == self._values and self.isVisible():
            return
        self._values = values
        self._label = review.profile.field(review.field).display_label()
        fmt = review.profile.field(review.field)
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        m = theme().metrics
        for n, value in enumerate(values):
            shown = mask_code(value) if masked else fmt.display(value)
            b = QPushButton(self)
            b.setProperty("role", "row")
            b.setMinimumHeight(m.target_px)
            b.setProperty("shown", shown)
            b.setProperty("mine", n == 0)
            b.clicked.connect(lambda _c=False, v=value: self.chosen.emit(v))
            self.rows.addWidget(b)
            self.buttons.append(b)
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        if not self.buttons:
            return
        self.question.setText(
            _(
                "cardbind is not sure which row of the card is the {label}. "
                "Look at the card: which row is it?"
            ).format(label=self._label)
        )
        for b in self.buttons:
            shown = str(b.property("shown"))
            if b.property("mine"):
                b.setText(_("{code} — the row cardbind took").format(code=shown))
            else:
                b.setText(_("{code} — another row on the card").format(code=shown))
            b.setAccessibleName(
                _("The {label} is this row: {code}").format(label=self._label, code=" ".join(shown))
            )
        self.setAccessibleName(self.question.text())

    def first_button(self) -> QWidget | None:
        return self.buttons[0] if self.buttons else None


class CountQuestion(_Question):
    """A character may be missing or extra: the user counts them on the card."""

    confirmed = Signal()
    correct = Signal()  # the card shows something else: the user edits the code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout()
        self.same_button = QPushButton(self)
        self.other_button = QPushButton(self)
        row.addWidget(self.same_button)
        row.addWidget(self.other_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.same_button.clicked.connect(self.confirmed)
        self.other_button.clicked.connect(self.correct)
        self._review: Review | None = None
        self.retranslate()
        self.hide()

    def show_for(self, review: Review) -> None:
        """Ask while the count is open (and after the row, if that is open too)."""
        self._review = review
        needed = (
            review.count_doubt
            and not review.count_confirmed
            and bool(review.value)
            and review.row_chosen
        )
        self.retranslate()
        self.setVisible(needed)

    def retranslate(self) -> None:
        self.same_button.setText(_("Sa&me on the card"))
        self.same_button.setAccessibleName(_("The card shows the same number of characters"))
        self.other_button.setText(_("The card shows some&thing else"))
        self.other_button.setAccessibleName(_("The card shows something else: correct the code"))
        if self._review is not None and self._review.value:
            self.question.setText(self._review.count_question())
            self.setAccessibleName(self.question.text())
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
