"""The card type picker: every platform cardbind knows, by its name in the user's
language, shrinking with the window (200 % zoom). One widget for every screen that asks
for a card type (capture, review, settings, blacklist, sandbox, batch file and fix)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from core.codes.profiles import get_profile, platform_ids
from core.i18n import N_, _
from gui.widgets.combo import fit_narrow


def platform_name(pid: str) -> str:
    """A platform's name for people; an id cardbind does not know is shown as it is."""
    if not pid:
        return ""
    try:
        return get_profile(pid).display_name()
    except KeyError:
        return pid


class PlatformCombo(QComboBox):
    """`name` is the accessible name (marked with N_, translated on retranslate);
    `recognize` adds a first entry "Recognize from the card" whose id is None."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = N_("Card type"),
        recognize: bool = False,
        current: str | None = None,
    ) -> None:
        super().__init__(parent)
        fit_narrow(self)
        self._name = name
        self._recognize = recognize
        if recognize:
            self.addItem("", None)
        for pid in platform_ids():
            self.addItem(pid, pid)
        if current is not None:
            self.set_platform(current)
        self.retranslate()

    def platform_id(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def set_platform(self, pid: str | None) -> None:
        """Select `pid`; an unknown one selects the first entry."""
        self.setCurrentIndex(max(0, self.findData(pid)))

    def retranslate(self) -> None:
        self.setAccessibleName(_(self._name))
        for i in range(self.count()):
            pid = self.itemData(i)
            self.setItemText(i, platform_name(str(pid)) if pid else _("Recognize from the card"))
