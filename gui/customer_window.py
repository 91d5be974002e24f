"""The customer-facing window for staff mode: very large text (and the handoff QR), meant
for a second screen turned towards the customer. Staff never log into a customer's
account: with handoff, the customer binds on their own phone from this screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.bind.card import Card
from core.i18n import _
from gui.code_view import CodeView
from gui.screens.confirm import code_groups
from gui.screens.manual import qr_pixmap
from gui.theme import theme


class CustomerWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        # Shown to the customer, never focused: the staff keep typing in the main window.
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("CustomerWindow")
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.qr, 1)
        # However small the window it opens with, the whole code stays on one line.
        self.code_view = CodeView(self, point_size=theme().metrics.code_pt * 1.6, fit_width=True)
        layout.addWidget(self.code_view)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.note)
        self.card: Card | None = None
        self.mode = "idle"
        self.clear()

    def place(self) -> None:
        """On a second screen when there is one, else beside the main window."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            geo = screens[1].availableGeometry()
            self.setGeometry(geo)
        else:
            self.resize(800, 600)

    def show_card(self, card: Card, handoff: bool) -> None:
        self.card = card
        self.mode = "handoff" if handoff else "checking"
        self.code_view.set_point_size(theme().metrics.code_pt * 1.6)
        # Full code only when the customer binds it themselves; otherwise masked.
        self.code_view.set_groups(code_groups(card.platform, card.pin, masked=not handoff))
        if handoff:
            self.qr.setPixmap(qr_pixmap(card, max(320, theme().metrics.target_px * 6)))
            self.qr.show()
        else:
            self.qr.clear()
            self.qr.hide()
        self.retranslate()

    def clear(self) -> None:
        self.card = None
        self.mode = "idle"
        self.qr.clear()
        self.qr.hide()
        self.code_view.set_groups([])
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("cardbind — for the customer"))
        if self.mode == "handoff":
            self.title.setText(_("Scan this code with the platform's app on your phone"))
            self.note.setText(
                _(
                    "Or type the code below in the app. Bind it to your own "
                    "account; the staff never log into your account."
                )
            )
        elif self.mode == "checking":
            self.title.setText(_("We are checking your card"))
            self.note.setText(_("Only a few characters at each end are shown here."))
        else:
            self.title.setText(_("Welcome"))
            self.note.setText(_("Your card's code will appear here when it is your turn."))
        self.qr.setAccessibleName(_("QR code of your card's code"))
