"""The live check: pick a platform, type / paste / dictate a code, see it checked.

Everything shown comes from `core.codes.check_code`; this window only lays it out.
Checking is microseconds of work on at most a few thousand characters, so it runs on
the GUI thread as the user types.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from core.codes.check import CheckResult, check_code, summarize, tier_name
from core.codes.normalize import CHANGE_KINDS
from core.codes.profiles import get_profile, platform_ids
from core.i18n import LANGUAGES, _, current_language
from gui.accessibility import announce
from gui.code_view import CodeView, chars_from_result
from gui.i18n import apply_language
from gui.icons import tier_icon
from gui.widgets.code_input import CodeInput

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
WINDOW_TITLE = "cardbind 卡密绑定助手"


class CheckWindow(QMainWindow):
    """Main window of the foundation release: the live code check."""

    checked = Signal(object)  # CheckResult, for tests and later screens

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self._keep: set[tuple[int, str]] = set()
        self._result: CheckResult | None = None
        self._updating = False
        self._last_announced = ""

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setSpacing(12)
        layout.setContentsMargins(24, 20, 24, 20)

        self.heading = QLabel(central)
        hf = QFont(self.font())
        hf.setPointSizeF(hf.pointSizeF() * 1.5)
        hf.setBold(True)
        self.heading.setFont(hf)
        layout.addWidget(self.heading)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.platform = QComboBox(central)
        for pid in platform_ids():
            self.platform.addItem(pid, pid)
        self.field = QComboBox(central)
        self.platform_label = QLabel(central)
        self.platform_label.setBuddy(self.platform)
        self.field_label = QLabel(central)
        self.field_label.setBuddy(self.field)
        form.addRow(self.platform_label, self.platform)
        form.addRow(self.field_label, self.field)
        layout.addLayout(form)

        self.input_label = QLabel(central)
        layout.addWidget(self.input_label)
        self.input = CodeInput(central)
        f = QFont(self.font())
        f.setPointSizeF(max(f.pointSizeF() * 1.6, 16))
        self.input.setFont(f)
        self.input.setClearButtonEnabled(True)
        self.input.setMaxLength(4000)
        self.input_label.setBuddy(self.input)
        layout.addWidget(self.input)
        self.dictation_note = QLabel(central)
        self.dictation_note.setWordWrap(True)
        layout.addWidget(self.dictation_note)

        self.code_view = CodeView(central)
        layout.addWidget(self.code_view)

        summary_row = QHBoxLayout()
        self.summary_icon = QLabel(central)
        self.summary_icon.setAccessibleName("")
        summary_row.addWidget(self.summary_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(central)
        sf = QFont(self.font())
        sf.setPointSizeF(sf.pointSizeF() * 1.25)
        sf.setBold(True)
        self.summary.setFont(sf)
        self.summary.setWordWrap(True)
        summary_row.addWidget(self.summary, 1)
        layout.addLayout(summary_row)

        self.warnings_label = QLabel(central)
        layout.addWidget(self.warnings_label)
        self.warnings = QListWidget(central)
        self.warnings.setWordWrap(True)
        self.warnings_label.setBuddy(self.warnings)
        layout.addWidget(self.warnings, 2)

        self.changes_label = QLabel(central)
        layout.addWidget(self.changes_label)
        self.changes = QListWidget(central)
        self.changes.setWordWrap(True)
        self.changes_label.setBuddy(self.changes)
        layout.addWidget(self.changes, 1)

        self.setCentralWidget(central)
        self._build_menus()

        self.platform.currentIndexChanged.connect(self._platform_changed)
        self.field.currentIndexChanged.connect(self._recheck)
        self.input.textEdited.connect(self._text_changed)
        self.input.pasted.connect(self._text_changed)
        self.changes.itemChanged.connect(self._change_toggled)

        self.retranslate()
        self._platform_changed()
        self.resize(900, 760)

    # menus
    def _build_menus(self) -> None:
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            act = QAction(LANGUAGE_NAMES[lang], self, checkable=True)
            act.setData(lang)
            act.setChecked(lang == current_language())
            act.triggered.connect(lambda _checked=False, lang=lang: self.set_language(lang))
            self.language_group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[lang] = act
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def set_language(self, lang: str) -> None:
        chosen = apply_language(lang)
        self.language_actions[chosen].setChecked(True)
        self.retranslate()

    def _about(self) -> None:
        QMessageBox.about(self, _("About cardbind"), _(
            "cardbind 卡密绑定助手\n\nReads a gift card's code, tells you exactly which "
            "characters to check, and binds it once. Card codes never leave this computer "
            "except to the platform you bind with."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(WINDOW_TITLE)
        self.heading.setText(_("Check a card code"))
        self.platform_label.setText(_("&Platform:"))
        self.field_label.setText(_("&Field:"))
        self.input_label.setText(_("&Type, paste or dictate the code:"))
        self.input.setPlaceholderText(_("e.g. E71D-5E47-33ED-50BA"))
        self.input.setAccessibleName(_("Card code"))
        self.input.setAccessibleDescription(_(
            "Spaces, dashes and letter case do not matter. Spoken words such as 幺, 两, "
            "“seven” or “bravo” are understood."))
        self.dictation_note.setText(_(
            "You can dictate with your system's voice typing; spoken digits and NATO words "
            "are understood. Note: voice typing may send what you say to an online service."))
        self.platform.setAccessibleName(_("Platform"))
        self.field.setAccessibleName(_("Field"))
        self.warnings_label.setText(_("&Warnings:"))
        self.warnings.setAccessibleName(_("Warnings"))
        self.changes_label.setText(_("C&hanges made (untick to undo):"))
        self.changes.setAccessibleName(_("Changes made"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About cardbind"))
        self.code_view.retranslate()
        for i in range(self.platform.count()):
            pid = self.platform.itemData(i)
            self.platform.setItemText(i, get_profile(pid).display_name())
        self._fill_fields()
        self._show(self._result)

    # behaviour
    def _fill_fields(self) -> None:
        profile = get_profile(self.current_platform())
        current = self.field.currentData() or "pin"
        self._updating = True
        self.field.clear()
        for name, fmt in profile.fields.items():
            self.field.addItem(fmt.display_label(), name)
        idx = self.field.findData(current)
        self.field.setCurrentIndex(max(idx, 0))
        self._updating = False

    def current_platform(self) -> str:
        return str(self.platform.currentData() or "jd")

    def current_field(self) -> str:
        return str(self.field.currentData() or "pin")

    def _platform_changed(self) -> None:
        self._fill_fields()
        self._recheck()

    def _text_changed(self) -> None:
        self._keep.clear()
        self._recheck()

    def _change_toggled(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(key, list | tuple):
            return
        change_key = (int(key[0]), str(key[1]))
        if item.checkState() == Qt.CheckState.Checked:
            self._keep.discard(change_key)
        else:
            self._keep.add(change_key)
        self._recheck()

    def _recheck(self) -> None:
        if self._updating:
            return
        result = check_code(self.input.text(), self.current_platform(), self.current_field(),
                            keep=self._keep,
                            source="pasted" if self.input.from_clipboard else "typed")
        self._result = result
        self._show(result)
        self.checked.emit(result)

    def result(self) -> CheckResult | None:
        return self._result

    def _show(self, result: CheckResult | None) -> None:
        if result is None:
            return
        self._updating = True
        self.code_view.set_groups(chars_from_result(result))
        empty = not result.input.strip()
        if empty:
            summary, tier = _("Enter a code to check it."), "hint"
        else:
            summary = summarize(result)
            tier = "block" if not result.ok else ("guide" if result.needs_confirmation else "ok")
        size = self.summary.fontMetrics().height()
        self.summary_icon.setPixmap(tier_icon(tier).pixmap(size, size))
        self.summary.setText(summary)
        self.summary.setAccessibleName(summary)
        self.warnings.clear()
        # An empty field is not a problem to report, just the starting point.
        for w in [] if empty else result.warnings:
            item = QListWidgetItem(tier_icon(w.tier), _("{tier}: {message}").format(
                tier=tier_name(w.tier), message=w.message))
            item.setData(Qt.ItemDataRole.UserRole, w.code)
            self.warnings.addItem(item)
        self.changes.clear()
        routine = [c for c in result.changes if c.routine]
        if routine:
            self.changes.addItem(_("{count} routine changes: spaces, separators, letter case, "
                                   "full-width and spoken forms").format(count=len(routine)))
        for c in result.changes:
            if c.routine:
                continue
            if c.index is not None:
                text = _("Character {position}: “{source}” → “{target}” ({reason})").format(
                    position=c.index + 1, source=c.source, target=c.target,
                    reason=_(CHANGE_KINDS[c.kind]))
            else:
                text = _("Removed “{source}” ({reason})").format(
                    source=c.source, reason=_(CHANGE_KINDS[c.kind]))
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, list(c.key))
            self.changes.addItem(item)
        for pos, kind in sorted(self._keep):
            item = QListWidgetItem(_("“{source}” kept as typed ({reason})").format(
                source=result.input[pos] if pos < len(result.input) else "?",
                reason=_(CHANGE_KINDS[kind])))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, [pos, kind])
            self.changes.addItem(item)
        self._updating = False
        self._announce(summary)

    def _announce(self, text: str) -> None:
        if text != self._last_announced:
            self._last_announced = text
            announce(self.summary, text)
