"""Fix one row of a batch file: the only place the batch window shows a full code, and
only while the row is being fixed. The fix is checked like any code
(`core.codes.check_code`); the controller writes it to a corrected copy of the file."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from core.bind.importer import RowCells
from core.codes.check import CheckResult, check_code
from core.codes.profiles import get_profile
from core.i18n import _
from gui.batch.rows import FixRequest, RowFix, RowView
from gui.widgets.platform_combo import PlatformCombo
from gui.widgets.status_line import StatusLine
from gui.widgets.wrap_check import WrapCheckBox


class FixPanel(QWidget):
    changed = Signal()  # the check result changed (the window enables its Save button)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: RowView | None = None
        self.cells: RowCells | None = None
        self.platform_editable = False
        self._fixed_platform = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setProperty("role", "summary")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.problem = StatusLine(self)
        layout.addWidget(self.problem)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        form = QVBoxLayout()
        self.platform_label = QLabel(self)
        self.platform_label.setWordWrap(True)
        self.platform = PlatformCombo(self)
        self.platform_label.setBuddy(self.platform)
        form.addWidget(self.platform_label)
        form.addWidget(self.platform)
        self.pin_label = QLabel(self)
        self.pin_label.setWordWrap(True)
        self.pin = QLineEdit(self)
        self.pin.setProperty("role", "code")
        self.pin_label.setBuddy(self.pin)
        form.addWidget(self.pin_label)
        form.addWidget(self.pin)
        self.number_label = QLabel(self)
        self.number_label.setWordWrap(True)
        self.number = QLineEdit(self)
        self.number.setProperty("role", "code")
        self.number_label.setBuddy(self.number)
        form.addWidget(self.number_label)
        form.addWidget(self.number)
        layout.addLayout(form)
        self.check = StatusLine(self)
        layout.addWidget(self.check)
        self.confirm = WrapCheckBox(self)
        layout.addWidget(self.confirm)
        layout.addStretch(1)
        self.platform.currentIndexChanged.connect(self._recheck)
        self.pin.textChanged.connect(self._recheck)
        self.number.textChanged.connect(self._recheck)
        self.confirm.toggled.connect(lambda _on: self.changed.emit())
        self.retranslate()

    # -- loading and reading ------------------------------------------------------------------

    def load(self, request: FixRequest) -> None:
        row, cells, platform = request.row, request.cells, request.platform
        platform_editable = request.platform_editable
        self.row, self.cells = row, cells
        self.platform_editable = platform_editable
        self._fixed_platform = platform
        self.platform.blockSignals(True)
        self.platform.set_platform(platform)
        self.platform.blockSignals(False)
        self.platform.setEnabled(platform_editable)
        self.pin.setText(cells.pin)
        self.number.setText(cells.card_number)
        self.confirm.setChecked(False)
        problem = row.detail
        if cells.damaged:
            problem = _(
                "Excel changed this code when it stored it as a number. Type it "
                "again from the card."
            )
        self.problem.show_text(
            "guide" if row.status == "needs_confirmation" else "block",
            _("What the check found: {problem}").format(problem=problem) if problem else "",
        )
        self.retranslate()
        self._recheck()

    def clear(self) -> None:
        """Forget the codes (setText also clears the fields' undo history)."""
        self.pin.setText("")
        self.number.setText("")
        self.row = self.cells = None
        self.confirm.setChecked(False)

    def platform_id(self) -> str:
        return str(self.platform.currentData() or self._fixed_platform or "jd")

    def _checks(self) -> tuple[CheckResult, CheckResult | None, str]:
        """The code's check, the card number's (if any) and a blocking problem in words."""
        profile = get_profile(self.platform_id())
        pin = check_code(self.pin.text(), profile, "pin", source="pasted")
        number: CheckResult | None = None
        problem = ""
        if not pin.ok:
            problem = pin.by_tier("block")[0].message
        if "card_number" in profile.fields:
            fmt = profile.fields["card_number"]
            if self.number.text().strip():
                number = check_code(self.number.text(), profile, "card_number", source="pasted")
                if not number.ok and not problem:
                    problem = number.by_tier("block")[0].message
            elif fmt.required and not problem:
                problem = _("{platform} also needs the card number.").format(
                    platform=profile.display_name()
                )
        return pin, number, problem

    def _recheck(self) -> None:
        profile = get_profile(self.platform_id())
        has_number = "card_number" in profile.fields
        self.number.setVisible(has_number)
        self.number_label.setVisible(has_number)
        pin, _number, problem = self._checks()
        if problem:
            self.check.show_text("block", _("As typed: {result}").format(result=problem))
            self.confirm.hide()
        elif pin.needs_confirmation:
            self.check.show_text(
                "guide", _("As typed: {result}").format(result=pin.by_tier("guide")[0].message)
            )
            self.confirm.show()
        else:
            self.check.show_text(
                "ok",
                _("As typed: {result}").format(
                    result=_("The code has the right form for {platform}.").format(
                        platform=profile.display_name()
                    )
                ),
            )
            self.confirm.hide()
        self.changed.emit()

    def ready(self) -> bool:
        """Whether Save may be pressed: no blocking problem, doubts confirmed."""
        pin, _number, problem = self._checks()
        return not problem and (not pin.needs_confirmation or self.confirm.isChecked())

    def result(self) -> RowFix | None:
        if self.row is None or self.cells is None or not self.ready():
            return None
        pin, number, _problem = self._checks()
        platform = self.platform_id()
        changed: dict[str, str] = {}
        if pin.value != self.cells.pin or "pin" in self.cells.damaged:
            changed["pin"] = pin.value
        number_value = number.value if number is not None else ""
        if number_value != self.cells.card_number or "card_number" in self.cells.damaged:
            changed["card_number"] = number_value
        if self.platform_editable and platform != self._fixed_platform:
            changed["platform"] = platform
        return RowFix(
            self.row.row_no,
            platform,
            pin.value,
            number_value,
            pin.needs_confirmation and self.confirm.isChecked(),
            changed,
        )

    def retranslate(self) -> None:
        if self.row is not None:
            self.title.setText(
                _("Fix row {row} ({card})").format(row=self.row.row_no, card=self.row.masked or "—")
            )
        self.note.setText(
            _(
                "The full code is shown only while you fix this row. Your fix is saved in a "
                "copy of your file (next to it, named “….corrected.csv”), never in cardbind's "
                "journal; the batch then reads the copy. Your own file is not changed."
            )
        )
        self.platform_label.setText(_("Card t&ype:"))
        self.platform.retranslate()
        if not self.platform_editable:
            self.platform.setToolTip(
                _(
                    "The file has no card type column: every row is "
                    "of the type chosen for the batch."
                )
            )
        self.pin_label.setText(_("Card &password:"))
        self.pin.setAccessibleName(_("Card password"))
        self.number_label.setText(_("Card &number:"))
        self.number.setAccessibleName(_("Card number"))
        self.confirm.setText(_("I &compared it with the card: it is right"))
