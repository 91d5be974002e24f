"""The start screen's notice of what is off on this computer: a heading, one paragraph
per missing part (what is missing, what is off, how to turn it on) and a button that
puts it away. Icon and words, never colour alone; the screen reader hears it once."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.capabilities.report import Check
from core.i18n import _
from gui.accessibility import announce
from gui.icons import tier_icon
from gui.widgets.paragraph import Paragraph


class MachineNotice(QFrame):
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-warning")
        self.checks: tuple[Check, ...] = ()
        self.probe_task: object | None = None  # the probe running for it (gui/machine.py)
        outer = QHBoxLayout(self)
        self.icon = QLabel(self)
        outer.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setProperty("role", "summary")
        column.addWidget(self.heading)
        self.text = Paragraph(self)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.ok_button = QPushButton(self)
        row.addWidget(self.ok_button)
        column.addLayout(row)
        outer.addLayout(column, 1)
        self.ok_button.clicked.connect(self._dismiss)
        self.hide()

    def show_checks(self, checks: Sequence[Check]) -> None:
        """Say what is off (nothing: stay hidden)."""
        self.checks = tuple(checks)
        if not self.checks:
            self.hide()
            return
        self.retranslate()
        self.show()
        announce(self, self.spoken_text())

    def spoken_text(self) -> str:
        return self.heading.text() + "\n" + self.text.text()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def retranslate(self) -> None:
        self.ok_button.setText(_("&Got it"))
        self.ok_button.setAccessibleName(_("Got it: hide this notice"))
        if not self.checks:
            return
        size = self.heading.fontMetrics().height() * 2
        self.icon.setPixmap(tier_icon("guide").pixmap(size, size))
        self.heading.setText(_("Please note: some parts of cardbind are off on this computer"))
        self.text.setText("\n".join("• " + c.sentence() for c in self.checks))
        self.setAccessibleName(self.heading.text())
        self.setAccessibleDescription(self.text.text())
