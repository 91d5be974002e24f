"""The blacklist in the settings: cards that are never sent (reported stolen, risky).

Only a card's keyed hash and its masked code are kept. A card is added by typing its
code (hashed at once; the field is emptied), by choosing one of the earlier binds in
the history (its hash), or by importing a list (cardbind's own export, or codes that
are hashed while reading). The list exports as hashes and masked codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.bind.card import CardHasher
from core.bind.importer import BatchFileError
from core.bind.records import card_id, export_blacklist, import_blacklist
from core.bind.store import Store
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.i18n import N_, _
from core.secrets import SecretsUnavailable
from core.settings import Settings
from gui.widgets.combo import make_combo
from gui.widgets.file_dialog import open_file_name, save_file_name
from gui.widgets.platform_combo import PlatformCombo, platform_name


def _label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    return label


class BlacklistSettings(QWidget):
    message = Signal(str, str)  # level, text
    changed = Signal()  # the list changed

    def __init__(
        self,
        settings: Settings,
        store_factory: Callable[[], Store],
        *,
        hasher: CardHasher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._store_factory = store_factory
        self._hasher = hasher
        self.entries: list[tuple[str, str, str, str, float]] = []
        self.history: list[tuple[str, str, str]] = []  # platform, hash, masked
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.group = QGroupBox(self)
        box = QVBoxLayout(self.group)
        self.note = _label(self.group)
        box.addWidget(self.note)
        self.table = QTableWidget(self.group)
        self.table.setColumnCount(5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(160)
        box.addWidget(self.table)
        rows = QHBoxLayout()
        self.remove_button = QPushButton(self.group)
        self.import_button = QPushButton(self.group)
        self.export_button = QPushButton(self.group)
        rows.addWidget(self.remove_button)
        rows.addStretch(1)
        rows.addWidget(self.import_button)
        rows.addWidget(self.export_button)
        box.addLayout(rows)

        self.add_heading = _label(self.group)
        self.add_heading.setProperty("role", "summary")
        box.addWidget(self.add_heading)
        self.platform_label = _label(self.group)
        self.platform = PlatformCombo(
            self.group, name=N_("Card type of the card to add"), current=settings.platform or "jd"
        )
        self.platform_label.setBuddy(self.platform)
        box.addWidget(self.platform_label)
        box.addWidget(self.platform)
        self.code_label = _label(self.group)
        self.code = QLineEdit(self.group)
        self.code.setProperty("role", "code")
        self.code_label.setBuddy(self.code)
        box.addWidget(self.code_label)
        box.addWidget(self.code)
        self.reason_label = _label(self.group)
        self.reason = QLineEdit(self.group)
        self.reason.setMaxLength(200)
        self.reason_label.setBuddy(self.reason)
        box.addWidget(self.reason_label)
        box.addWidget(self.reason)
        self.add_button = QPushButton(self.group)
        arow = QHBoxLayout()
        arow.addStretch(1)
        arow.addWidget(self.add_button)
        box.addLayout(arow)

        self.history_label = _label(self.group)
        self.history_combo = make_combo(self.group)
        self.history_label.setBuddy(self.history_combo)
        box.addWidget(self.history_label)
        box.addWidget(self.history_combo)
        self.history_button = QPushButton(self.group)
        hrow = QHBoxLayout()
        hrow.addStretch(1)
        hrow.addWidget(self.history_button)
        box.addLayout(hrow)
        outer.addWidget(self.group)

        self.add_button.clicked.connect(self.add_code)
        self.code.returnPressed.connect(self.add_code)
        self.history_button.clicked.connect(self.add_from_history)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self._import)
        self.export_button.clicked.connect(self._export)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retranslate()

    # -- the store ------------------------------------------------------------------------

    def _store(self) -> Store | None:
        try:
            return self._store_factory()
        except Exception as exc:  # a missing or locked journal: say so, keep the settings
            self.message.emit("error", _("The blacklist cannot be read: {error}").format(error=exc))
            return None

    def hasher(self) -> CardHasher:
        if self._hasher is None:
            self._hasher = CardHasher()
        return self._hasher

    def reload(self) -> None:
        store = self._store()
        if store is None:
            self.entries, self.history = [], []
        else:
            try:
                self.entries = store.blacklist()
                listed = {(p, h) for p, h, *_rest in self.entries}
                seen: set[tuple[str, str]] = set()
                self.history = []
                for h in store.history(limit=300):
                    key = (h.platform, h.card_hash)
                    if key in seen or key in listed or not h.card_hash:
                        continue
                    seen.add(key)
                    self.history.append((h.platform, h.card_hash, h.masked))
            except Exception as exc:
                self.message.emit(
                    "error", _("The blacklist cannot be read: {error}").format(error=exc)
                )
                self.entries, self.history = [], []
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.entries))
        for r, (platform, card_hash, masked, reason, added) in enumerate(self.entries):
            when = datetime.fromtimestamp(added).strftime("%Y-%m-%d")
            for c, text in enumerate(
                (platform_name(platform), masked, card_id(card_hash), reason, when)
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.history_combo.clear()
        for platform, card_hash, masked in self.history:
            self.history_combo.addItem(
                f"{masked} — {platform_name(platform)}", (platform, card_hash, masked)
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.history_button.setEnabled(bool(self.history))
        self.history_combo.setEnabled(bool(self.history))
        self.export_button.setEnabled(bool(self.entries))

    # -- adding and removing --------------------------------------------------------------

    def add_code(self) -> bool:
        """Hash the typed code and list it; the field is emptied either way."""
        text = self.code.text()
        platform = str(self.platform.currentData() or "jd")
        self.code.setText("")  # setText also clears the field's undo history
        if not text.strip():
            return False
        checked = check_code(text, platform, "pin", source="pasted")
        if not checked.ok:
            self.message.emit(
                "error",
                _("Not a valid code for {platform}.").format(platform=platform_name(platform))
                + " "
                + checked.by_tier("block")[0].message,
            )
            return False
        try:
            card_hash = self.hasher().hash(platform, checked.value)
        except SecretsUnavailable as exc:
            self.message.emit("error", str(exc))
            return False
        return self._add(platform, card_hash, mask_code(checked.value), self.reason.text().strip())

    def add_from_history(self) -> bool:
        data = self.history_combo.currentData()
        if not data:
            return False
        platform, card_hash, masked = data
        return self._add(platform, card_hash, masked, self.reason.text().strip())

    def _add(self, platform: str, card_hash: str, masked: str, reason: str) -> bool:
        store = self._store()
        if store is None:
            return False
        try:
            added = store.blacklist_add(platform, card_hash, masked, reason)
        except Exception as exc:
            self.message.emit(
                "error", _("The blacklist cannot be changed: {error}").format(error=exc)
            )
            return False
        self.reason.setText("")
        self.reload()
        if added:
            self.message.emit("info", _("{card} is on the blacklist.").format(card=masked))
            self.changed.emit()
        else:
            self.message.emit("info", _("{card} was on the blacklist already.").format(card=masked))
        return added

    def remove_selected(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.entries):
            return False
        platform, card_hash, masked, _reason, _at = self.entries[rows[0].row()]
        store = self._store()
        if store is None:
            return False
        try:
            removed = store.blacklist_remove(platform, card_hash)
        except Exception as exc:
            self.message.emit(
                "error", _("The blacklist cannot be changed: {error}").format(error=exc)
            )
            return False
        self.reload()
        if removed:
            self.message.emit("info", _("{card} removed from the blacklist.").format(card=masked))
            self.changed.emit()
        return removed

    # -- files ----------------------------------------------------------------------------

    def _import(self) -> None:
        path = open_file_name(
            self, _("Import a blacklist"), str(Path.home()), _("CSV files (*.csv)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> int:
        store = self._store()
        if store is None:
            return 0
        try:
            added, problems = import_blacklist(
                store, self.hasher(), path, str(self.platform.currentData() or "jd")
            )
        except (BatchFileError, SecretsUnavailable, OSError) as exc:
            self.message.emit("error", str(exc))
            return 0
        self.reload()
        text = _("{n} cards added to the blacklist.").format(n=added)
        if problems:
            text += " " + _("Not added: {problems}").format(problems=" ".join(problems[:5]))
            if len(problems) > 5:
                text += " " + _("…and {n} more.").format(n=len(problems) - 5)
        self.message.emit("warning" if problems else "info", text)
        if added:
            self.changed.emit()
        return added

    def _export(self) -> None:
        path = save_file_name(
            self,
            _("Export the blacklist"),
            str(Path.home() / "cardbind-blacklist.csv"),
            _("CSV files (*.csv)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        store = self._store()
        if store is None:
            return 0
        try:
            n = export_blacklist(store, path)
        except OSError as exc:
            self.message.emit(
                "error",
                _("The blacklist could not be saved: {error}").format(error=exc.strerror or exc),
            )
            return 0
        self.message.emit("info", _("{n} cards written to {path}.").format(n=n, path=path))
        return n

    # -- words ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Also re-reads the list: the settings screen calls this each time it opens."""
        self.group.setTitle(_("Blacklist"))
        self.note.setText(
            _(
                "Cards on this list are never sent: cards reported stolen, or that you do not "
                "trust. Only a fingerprint of each card and its masked code are kept, never the "
                "code."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Card type"), _("Card"), _("Card id"), _("Remark"), _("Added")]
        )
        self.table.setAccessibleName(_("Cards on the blacklist (codes masked)"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        self.remove_button.setText(_("Remove the selected ca&rd"))
        self.import_button.setText(_("Impor&t…"))
        self.import_button.setAccessibleName(_("Import a blacklist file"))
        self.export_button.setText(_("E&xport…"))
        self.export_button.setAccessibleName(_("Export the blacklist as a file"))
        self.add_heading.setText(_("Add a card"))
        self.platform_label.setText(_("Card type:"))
        self.platform.retranslate()
        self.code_label.setText(_("Card pass&word (only its fingerprint is kept):"))
        self.code.setAccessibleName(_("Card password to put on the blacklist"))
        self.reason_label.setText(_("&Note (optional, e.g. reported stolen):"))
        self.reason.setAccessibleName(_("Note for the blacklist entry"))
        self.add_button.setText(_("&Add to the blacklist"))
        self.history_label.setText(_("Or a card from your &earlier binds:"))
        self.history_combo.setAccessibleName(_("A card from the bind history"))
        self.history_button.setText(_("A&dd this card"))
        self.history_button.setAccessibleName(_("Add the card from the history to the blacklist"))
        if self.isVisible():  # not at start-up: the journal is opened when needed
            self.reload()
