"""Bind: a busy state the user can cancel. Nothing else can be pressed meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressBar, QPushButton, QWidget

from core.i18n import _
from gui.accessibility import announce
from gui.screens.base import Screen
from gui.widgets.paragraph import Paragraph


class BusyScreen(Screen):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = Paragraph(self)
        self.text.setWordWrap(True)
        self.body.addWidget(self.text)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.body.addWidget(self.bar)
        self.note = Paragraph(self)
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.action_row.addStretch(1)
        self.cancel_button = QPushButton(self.action_bar)
        self.action_row.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._cancel)
        self.retranslate()

    def title(self) -> str:
        return _("Binding…")

    def show_text(self, text: str) -> None:
        self.text.setText(text)
        self.cancel_button.setEnabled(True)
        announce(self, text)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.text.setText(
            _(
                "Cancelling… If the request already went out, cardbind looks up "
                "what happened before doing anything else."
            )
        )
        self.cancel_requested.emit()

    def retranslate(self) -> None:
        super().retranslate()
        self.bar.setAccessibleName(_("Working"))
        self.note.setText(
            _(
                "Do not close cardbind now. If the connection breaks, cardbind "
                "asks the platform what happened instead of binding again."
            )
        )
        self.cancel_button.setText(_("&Cancel"))

    def first_focus(self) -> QWidget | None:
        return self.cancel_button
