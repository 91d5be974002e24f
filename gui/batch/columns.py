"""Choose which column of a batch file holds what, when its header does not say (or says
it differently). The first rows are shown with every code masked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.bind.importer import FIELDS, ColumnMap, TablePreview
from core.i18n import _
from gui.widgets.combo import make_combo
from gui.widgets.status_line import StatusLine
from gui.widgets.wrap_check import WrapCheckBox


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as a spreadsheet names its columns."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


class ColumnsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: TablePreview | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        # Tab leaves the table (arrow keys move within it), as everywhere else.
        self.table.setTabKeyNavigation(False)
        layout.addWidget(self.table)
        form = QVBoxLayout()
        self.labels: dict[str, QLabel] = {}
        self.combos: dict[str, QComboBox] = {}
        for name in FIELDS:
            label = QLabel(self)
            label.setWordWrap(True)
            combo = make_combo(self)
            label.setBuddy(combo)
            combo.currentIndexChanged.connect(self._check)
            form.addWidget(label)
            form.addWidget(combo)
            self.labels[name] = label
            self.combos[name] = combo
        layout.addLayout(form)
        self.header = WrapCheckBox(self)
        self.header.toggled.connect(self._check)
        layout.addWidget(self.header)
        self.problem = StatusLine(self)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.retranslate()

    def load(self, preview: TablePreview, current: ColumnMap | None) -> None:
        self.preview = preview
        chosen = current or preview.found
        self.table.setColumnCount(preview.width)
        self.table.setRowCount(1 + len(preview.samples))
        for r, cells in enumerate([preview.headers, *preview.samples]):
            for c in range(preview.width):
                text = cells[c] if c < len(cells) else ""
                self.table.setItem(r, c, QTableWidgetItem(text))
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", None)
            for c in range(preview.width):
                combo.addItem("", c)
            index = chosen.indexes().get(name) if chosen is not None else None
            combo.setCurrentIndex(0 if index is None else index + 1)
            combo.blockSignals(False)
        self.header.setChecked(chosen.header if chosen is not None else True)
        self.retranslate()
        self._check()

    def column_map(self) -> ColumnMap | None:
        """The chosen columns, or None (and the reason shown) when they do not work."""
        values: dict[str, int] = {}
        for name, combo in self.combos.items():
            data = combo.currentData()
            if isinstance(data, int):
                values[name] = data
        if "pin" not in values:
            self.problem.show_text("guide", _("Choose the column that holds the card password."))
            return None
        cm = ColumnMap(header=self.header.isChecked(), **values)
        problem = cm.check(self.preview.width if self.preview else 0)
        self.problem.show_text("block", problem)
        return None if problem else cm

    def _check(self) -> None:
        if self.preview is not None:
            self.column_map()

    def retranslate(self) -> None:
        self.note.setText(
            _(
                "cardbind does not recognize the column names in the first row. Choose which "
                "column holds what. The first rows of the file are shown below; codes are "
                "masked."
            )
        )
        self.table.setAccessibleName(_("First rows of the file (codes masked)"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        preview = self.preview
        if preview is not None:
            self.table.setHorizontalHeaderLabels(
                [_("Column {letter}").format(letter=column_letter(c)) for c in range(preview.width)]
            )
        texts = {
            "pin": (_("Card &password (卡密) is in column:"), _("Card password column")),
            "card_number": (_("Card &number (卡号) is in column:"), _("Card number column")),
            "platform": (_("Card t&ype (平台) is in column:"), _("Card type column")),
            "account": (_("&Account (账户) is in column:"), _("Account column")),
        }
        for name, (label, accessible) in texts.items():
            self.labels[name].setText(label)
            combo = self.combos[name]
            combo.setAccessibleName(accessible)
            if combo.count():
                combo.setItemText(
                    0, _("Not in the file") if name != "pin" else _("Choose a column")
                )
            for c in range(1, combo.count()):
                index = c - 1
                sample = ""
                if preview is not None:
                    rows = [preview.headers, *preview.samples]
                    sample = next((r[index] for r in rows if index < len(r) and r[index]), "")
                combo.setItemText(
                    c,
                    _("Column {letter}: {sample}").format(
                        letter=column_letter(index), sample=sample or "—"
                    ),
                )
        self.header.setText(_("The first &row names the columns (it is not a card)"))
        if self.problem.isVisible():
            self.column_map()

    def focus_first(self) -> None:
        self.combos["pin"].setFocus(Qt.FocusReason.OtherFocusReason)
