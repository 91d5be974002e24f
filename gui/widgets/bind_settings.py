"""Settings for binding: the bind method, its address and token (token in the keyring),
the account, the pauses platforms asked for (each with its time left, and a button that
ends them), and the sandbox panel for trying the whole flow without a real account."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import default_db
from core.bind.cooldowns import describe as describe_cooldown
from core.bind.registry import adapters
from core.bind.store import Cooldown, Store, StoreError
from core.codes.profiles import get_profile
from core.i18n import N_, _, ngettext
from core.secrets import Secrets, SecretsUnavailable
from core.settings import Settings
from gui.widgets.combo import make_combo
from gui.widgets.form import labelled
from gui.widgets.paragraph import Paragraph
from gui.widgets.platform_combo import PlatformCombo

TOKEN_NAME = "http_token"
T = TypeVar("T")


class BindSettings(QWidget):
    changed = Signal(str)  # setting name
    message = Signal(str, str)  # level, text

    def __init__(
        self,
        settings: Settings,
        secrets: Callable[[], Secrets] = Secrets,
        parent: QWidget | None = None,
        store: Callable[[], Store] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._secrets = secrets
        # The journal the cool-downs are kept in: a store the window shares, or (None)
        # the default journal, opened for each look and closed again.
        self._store = store
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        self.group = QGroupBox(self)
        form = QFormLayout(self.group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.method_label = QLabel(self.group)
        self.method_label.setWordWrap(True)
        self.method = make_combo(self.group)
        self.method_label.setBuddy(self.method)
        labelled(form, self.method_label, self.method)
        self.account_label = QLabel(self.group)
        self.account_label.setWordWrap(True)
        self.account = QLineEdit(self.group)
        self.account_label.setBuddy(self.account)
        labelled(form, self.account_label, self.account)
        self.url_label = QLabel(self.group)
        self.url_label.setWordWrap(True)
        self.url = QLineEdit(self.group)
        self.url_label.setBuddy(self.url)
        labelled(form, self.url_label, self.url)
        self.token_label = QLabel(self.group)
        self.token_label.setWordWrap(True)
        self.token = QLineEdit(self.group)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_label.setBuddy(self.token)
        self.token_save = QPushButton(self.group)
        trow = QHBoxLayout()
        trow.addWidget(self.token, 1)
        trow.addWidget(self.token_save)
        labelled(form, self.token_label, trow)
        self.token_state = QLabel(self.group)
        self.token_state.setWordWrap(True)
        form.addRow(self.token_state)
        self.clipboard_label = QLabel(self.group)
        self.clipboard_label.setWordWrap(True)
        self.clipboard = QSpinBox(self.group)
        self.clipboard.setRange(5, 3600)
        self.clipboard_label.setBuddy(self.clipboard)
        form.addRow(self.clipboard_label, self.clipboard)
        outer.addWidget(self.group)

        self.pauses = QGroupBox(self)
        pv = QVBoxLayout(self.pauses)
        self.pauses_text = Paragraph(self.pauses)
        pv.addWidget(self.pauses_text)
        prow = QHBoxLayout()
        self.clear_pauses_button = QPushButton(self.pauses)
        prow.addWidget(self.clear_pauses_button)
        prow.addStretch(1)
        pv.addLayout(prow)
        outer.addWidget(self.pauses)
        self.cooldowns: list[Cooldown] = []

        self.sandbox = QGroupBox(self)
        sv = QVBoxLayout(self.sandbox)
        self.sandbox_note = Paragraph(self.sandbox)
        self.sandbox_note.setWordWrap(True)
        sv.addWidget(self.sandbox_note)
        row = QHBoxLayout()
        self.count = QSpinBox(self.sandbox)
        self.count.setRange(1, 100)
        self.count.setValue(5)
        self.sandbox_platform = PlatformCombo(
            self.sandbox, name=N_("Card type of the practice cards")
        )
        self.create_button = QPushButton(self.sandbox)
        row.addWidget(self.count)
        row.addWidget(self.sandbox_platform, 1)
        row.addWidget(self.create_button)
        sv.addLayout(row)
        self.cards = QListWidget(self.sandbox)
        self.cards.setWordWrap(True)
        sv.addWidget(self.cards)
        self.state = Paragraph(self.sandbox)
        self.state.setWordWrap(True)
        sv.addWidget(self.state)
        outer.addWidget(self.sandbox)

        self.method.currentIndexChanged.connect(self._method_changed)
        self.account.editingFinished.connect(
            lambda: self._set("account", self.account.text().strip())
        )
        self.url.editingFinished.connect(
            lambda: self._set("http_base_url", self.url.text().strip())
        )
        self.token_save.clicked.connect(self._save_token)
        self.clipboard.valueChanged.connect(lambda v: self._set("clipboard_clear_s", int(v)))
        self.create_button.clicked.connect(self.create_cards)
        self.clear_pauses_button.clicked.connect(self.clear_cooldowns)
        self.load()

    def load(self) -> None:
        self._loading = True
        self.method.clear()
        for name, info in adapters().items():
            self.method.addItem(info.display_title(), name)
        self.method.setCurrentIndex(max(0, self.method.findData(self.settings.adapter)))
        self.account.setText(self.settings.account)
        self.url.setText(self.settings.http_base_url)
        self.clipboard.setValue(self.settings.clipboard_clear_s)
        self._loading = False
        self._show_for_method()
        self._sandbox_state()
        self.refresh_cooldowns()

    def _set(self, name: str, value: object) -> None:
        if self._loading or getattr(self.settings, name) == value:
            return
        setattr(self.settings, name, value)
        self.changed.emit(name)

    def _method_changed(self) -> None:
        self._set("adapter", str(self.method.currentData()))
        self._show_for_method()

    def _show_for_method(self) -> None:
        http = self.settings.adapter == "http"
        for w in (
            self.url_label,
            self.url,
            self.token_label,
            self.token,
            self.token_save,
            self.token_state,
        ):
            w.setVisible(http)
        self.sandbox.setVisible(self.settings.adapter == "sandbox")
        browser = self.settings.adapter == "browser-assist"
        self.clipboard_label.setVisible(browser)
        self.clipboard.setVisible(browser)
        if http:
            self._token_state()

    def _token_state(self) -> None:
        try:
            has = bool(self._secrets().get(TOKEN_NAME))
        except SecretsUnavailable as exc:
            self.token_state.setText(str(exc))
            return
        self.token_state.setText(
            _("A token is saved in the system keyring.") if has else _("No token saved yet.")
        )

    def _save_token(self) -> None:
        value = self.token.text().strip()
        self.token.clear()
        if not value:
            return
        try:
            self._secrets().set(TOKEN_NAME, value)
        except SecretsUnavailable as exc:
            self.message.emit("error", str(exc))
            return
        self._token_state()
        self.changed.emit("http_token")

    # pauses the platforms asked for
    def _with_store(self, use: Callable[[Store], T]) -> T:
        if self._store is not None:
            return use(self._store())
        with Store() as store:
            return use(store)

    def refresh_cooldowns(self) -> None:
        """List the running cool-downs with their time left, in words."""
        try:
            found = self._with_store(lambda store: store.cooldowns())
        except StoreError as exc:
            self.cooldowns = []
            self.pauses_text.setText(str(exc))
            self.clear_pauses_button.setEnabled(False)
            return
        self.cooldowns = found
        if self.cooldowns:
            lines = [describe_cooldown(c) for c in self.cooldowns]
            text = (
                _("A platform asked for a pause; nothing is bound there until it is over:")
                + "\n"
                + "\n".join("• " + line for line in lines)
            )
        else:
            text = _("No platform has asked for a pause: every card type can be bound now.")
        self.pauses_text.setText(text)
        self.pauses_text.setAccessibleName(text)
        self.clear_pauses_button.setEnabled(bool(self.cooldowns))

    def clear_cooldowns(self) -> int:
        try:
            n = self._with_store(lambda store: store.clear_cooldowns())
        except StoreError as exc:
            self.message.emit("error", str(exc))
            return 0
        self.refresh_cooldowns()
        if n:
            self.message.emit(
                "info",
                ngettext(
                    "{n} pause ended. The platform may still refuse binds for a while if it "
                    "asked for the pause itself.",
                    "{n} pauses ended. The platform may still refuse binds for a while if it "
                    "asked for the pause itself.",
                    n,
                ).format(n=n),
            )
        return n

    # sandbox panel
    def _ledger(self) -> SandboxLedger:
        return SandboxLedger(default_db(self.settings.sandbox_db))

    def _sandbox_state(self) -> None:
        if self.settings.adapter != "sandbox":
            return
        try:
            ledger = self._ledger()
            try:
                rows = ledger.report()
            finally:
                ledger.close()
        except Exception as exc:  # a broken sandbox file must not break the settings screen
            self.state.setText(_("The sandbox cannot be opened: {error}").format(error=exc))
            return
        unbound = sum(1 for r in rows if r["state"] == "unbound")
        self.state.setText(
            _("The sandbox holds {total} cards, {unbound} of them not bound yet.").format(
                total=len(rows), unbound=unbound
            )
        )

    def create_cards(self) -> list[str]:
        """Make practice cards; their codes are shown here for this session only."""
        platform = str(self.sandbox_platform.currentData())
        fmt = get_profile(platform).primary_field
        try:
            ledger = self._ledger()
            try:
                made = ledger.create_cards(platform, self.count.value())
            finally:
                ledger.close()
        except Exception as exc:
            self.message.emit(
                "error", _("Practice cards could not be made: {error}").format(error=exc)
            )
            return []
        codes = [fmt.display(c.pin) for c in made]
        self.cards.addItems(codes)
        self.cards.scrollToBottom()
        self._sandbox_state()
        return codes

    def retranslate(self) -> None:
        self.group.setTitle(_("Binding"))
        self.method_label.setText(_("Bind method:"))
        self.method.setAccessibleName(_("Bind method"))
        for i in range(self.method.count()):
            info = adapters().get(str(self.method.itemData(i)))
            if info is not None:
                self.method.setItemText(i, info.display_title())
        self.account_label.setText(_("Account name (for your own records):"))
        self.account.setAccessibleName(_("Account name"))
        self.url_label.setText(_("Bind service address (https://…):"))
        self.url.setAccessibleName(_("Bind service address"))
        self.token_label.setText(_("Access token (kept in the system keyring):"))
        self.token.setAccessibleName(_("Access token"))
        self.token_save.setText(_("Save token"))
        self.clipboard_label.setText(
            _(
                "Take the copied code off the clipboard after this many "
                "seconds (and when cardbind closes):"
            )
        )
        self.clipboard.setAccessibleName(_("Seconds the copied code stays on the clipboard"))
        self.pauses.setTitle(_("Pauses platforms asked for"))
        self.clear_pauses_button.setText(_("End the pa&uses now"))
        self.clear_pauses_button.setAccessibleName(_("End the pauses now"))
        self.refresh_cooldowns()
        self.sandbox.setTitle(_("Sandbox"))
        self.sandbox_note.setText(
            _(
                "The sandbox imitates the platforms on this computer, so you can try every step "
                "without a real card or account. Its SMS codes and tokens are shown on screen "
                "when asked for. Make practice cards here; their codes are shown below."
            )
        )
        self.count.setAccessibleName(_("How many practice cards"))
        self.sandbox_platform.retranslate()
        self.create_button.setText(_("Make &practice cards"))
        self.cards.setAccessibleName(_("Practice card codes"))
        self._sandbox_state()
        if self.settings.adapter == "http":
            self._token_state()
