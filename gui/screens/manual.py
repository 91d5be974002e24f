"""Bind on the platform's own page or the customer's phone, then tell cardbind."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from core.bind.adapters.manual import make_handoff
from core.bind.card import Card
from core.bind.outcomes import AwaitingUser
from core.codes.profiles import get_profile
from core.i18n import _
from gui.code_view import CodeView
from gui.screens.base import Screen
from gui.screens.confirm import code_groups
from gui.theme import theme
from gui.widgets.combo import make_combo
from gui.widgets.form import labelled
from gui.widgets.paragraph import Paragraph

REPORT_KINDS = (
    "not_found",
    "already_bound_other",
    "already_bound_self",
    "not_activated",
    "expired",
    "verification_failed",
    "account_restricted",
)


def qr_pixmap(card: Card, side: int) -> QPixmap:
    """The handoff QR, made in memory (never written to disk)."""
    import io

    buf = io.BytesIO()
    make_handoff(card).qr.save(buf, kind="png", scale=10, border=4)
    pix = QPixmap()
    pix.loadFromData(buf.getvalue(), "PNG")
    return pix.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


class ManualScreen(Screen):
    reported = Signal(str, object, str)  # "bound"|"rejected"|"not_tried", amount, kind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: Card | None = None
        self.outcome: AwaitingUser | None = None
        self.how = Paragraph(self)
        self.how.setWordWrap(True)
        self.body.addWidget(self.how)
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.qr)
        self.code_view = CodeView(self, point_size=theme().metrics.code_pt * 1.2)
        self.body.addWidget(self.code_view)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.amount_label = QLabel(self)
        self.amount_label.setWordWrap(True)
        self.amount = QDoubleSpinBox(self)
        self.amount.setRange(0, 100000)
        self.amount.setDecimals(2)
        self.amount_label.setBuddy(self.amount)
        labelled(form, self.amount_label, self.amount)
        self.reason_label = QLabel(self)
        self.reason_label.setWordWrap(True)
        self.reason: QComboBox = make_combo(self)
        for kind in REPORT_KINDS:
            self.reason.addItem(kind, kind)
        self.reason_label.setBuddy(self.reason)
        labelled(form, self.reason_label, self.reason)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.bound_button = QPushButton(self.action_bar)
        self.failed_button = QPushButton(self.action_bar)
        self.not_tried_button = QPushButton(self.action_bar)
        for b in (self.bound_button, self.failed_button, self.not_tried_button):
            self.action_row.addWidget(b)
        self.bound_button.clicked.connect(
            lambda: self.reported.emit("bound", Decimal(str(round(self.amount.value(), 2))), "")
        )
        self.failed_button.clicked.connect(
            lambda: self.reported.emit("rejected", None, str(self.reason.currentData()))
        )
        self.not_tried_button.clicked.connect(lambda: self.reported.emit("not_tried", None, ""))
        self.retranslate()

    def title(self) -> str:
        return _("Finish on the platform")

    def show_for(self, card: Card, outcome: AwaitingUser, masked: bool = False) -> None:
        self.card = card
        self.outcome = outcome
        self.amount.setValue(0)
        if outcome.action == "show_qr":
            m = theme().metrics
            # Large, but never wider than the screen it is on (a small screen in 长辈版).
            room = (self.window().width() if self.window() is not None else 0) - 6 * m.gap_px
            side = max(160, min(max(240, m.target_px * 5), room)) if room > 0 else 240
            self.qr.setPixmap(qr_pixmap(card, side))
            self.qr.show()
        else:
            self.qr.clear()
            self.qr.hide()
        self.code_view.set_groups(code_groups(card.platform, card.pin, masked))
        self.retranslate()

    def clear(self) -> None:
        self.card = None
        self.outcome = None
        self.qr.clear()
        self.code_view.set_groups([])
        self.how.setText("")

    def retranslate(self) -> None:
        super().retranslate()
        from core.bind.knowledge import entry

        o, card = self.outcome, self.card
        if o is not None and card is not None:
            name = get_profile(card.platform).display_name()
            if o.action == "show_qr":
                self.how.setText(
                    _(
                        "Scan this QR code with the {platform} app on your own "
                        "phone, or type the code shown below there. Then bind it "
                        "in the app and tell us what happened."
                    ).format(platform=name)
                )
            else:
                self.how.setText(
                    _(
                        "The {platform} page is open in your browser and the code "
                        "is on the clipboard. Paste it there, pass the platform's "
                        "checks, press its own Bind button, then tell us what "
                        "happened."
                    ).format(platform=name)
                )
        self.qr.setAccessibleName(_("QR code of the card code"))
        self.amount_label.setText(_("&Amount credited (if shown):"))
        self.amount.setAccessibleName(_("Amount credited"))
        self.reason_label.setText(_("&Reason it failed (what the platform said):"))
        self.reason.setAccessibleName(_("What the platform said"))
        for i in range(self.reason.count()):
            self.reason.setItemText(i, entry(str(self.reason.itemData(i))).title())
        self.bound_button.setText(_("It was &bound"))
        self.failed_button.setText(_("It did not wor&k"))
        self.not_tried_button.setText(_("I did n&ot try"))

    def first_focus(self) -> QWidget | None:
        return self.bound_button
