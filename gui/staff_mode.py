"""Staff mode, for a shop counter: the customer's own window, handoff as the bind
method, and "Next customer", which wipes every trace of the last card (also after a
while without use, when a customer walked off).

The window builds the screens; this object switches the mode on and off and does the
wiping, speaking in the window's banner (its parent), as gui/menus.py does the menus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from core.bind.registry import adapters
from core.codes.mask import redact
from core.i18n import _
from gui import messages
from gui.customer_window import CustomerWindow

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _is_code(text: str) -> bool:
    """Does `text` look like a card code of any platform (for wiping the clipboard)?"""
    from core.codes.check import check_code
    from core.codes.profiles import platform_ids

    if not text.strip() or len(text) > 200:
        return False
    return any(
        check_code(text, pid, source="pasted").ok for pid in platform_ids() if pid != "generic"
    )


class StaffMode(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.settings = window.settings
        self.customer: CustomerWindow | None = None
        # Wipe everything after a while without input (a customer walked off).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle_wipe)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def set_on(self, on: bool) -> None:
        if self.settings.staff_mode != on:
            s = self.settings
            s.staff_mode = on
            before = s.adapter
            # Staff never log into a customer's account: handoff is the method at the
            # counter. The method used before comes back when staff mode ends. Either
            # change is said, and Settings shows the method in use.
            if on and s.adapter != "handoff":
                s.extra["adapter_before_staff"] = s.adapter
                s.adapter = "handoff"
            elif not on and s.adapter == "handoff":
                s.adapter = str(s.extra.pop("adapter_before_staff", "sandbox"))
            self._window.controller.reset_service()
            self._window.setting_changed("staff_mode")
            if s.adapter != before:
                self._window.bind_settings.load()
                self._say_method_changed(on, before, s.adapter)

    def _say_method_changed(self, staff: bool, before: str, now: str) -> None:
        def title(name: str) -> str:
            info = adapters().get(name)
            return info.display_title() if info is not None else name

        if staff:
            messages.info(
                lambda: _(
                    "Staff mode is on, so the bind method is now {now}: the customer binds on "
                    "their own phone. It goes back to {before} when staff mode ends; Settings → "
                    "Binding changes it."
                ).format(now=title(now), before=title(before)),
                self,
            )
        else:
            messages.info(
                lambda: _("Staff mode is off: the bind method is {now} again.").format(
                    now=title(now)
                ),
                self,
            )

    def apply(self) -> None:
        """The window as the mode says: the customer's window, masked codes, the button."""
        w = self._window
        on = self.settings.staff_mode
        w.menus.sync()
        w.next_customer_button.setVisible(on)
        w.review.set_masked(on)
        if on:
            if self.customer is None:
                self.customer = CustomerWindow()
                self.customer.place()
            self.customer.show()
        elif self.customer is not None:
            self.customer.hide()
        self.restart_idle_timer()

    def restart_idle_timer(self) -> None:
        minutes = self.settings.idle_wipe_minutes
        if self.settings.staff_mode and minutes > 0:
            self.idle_timer.start(minutes * 60_000)
        else:
            self.idle_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.idle_timer.isActive() and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.Wheel,
            QEvent.Type.InputMethod,
        ):
            self.idle_timer.start()
        return False

    def _idle_wipe(self) -> None:
        if self._window.controller.running:
            self.idle_timer.start()  # never wipe in the middle of a bind
            return
        self.next_customer()
        messages.info(lambda: _("The screen was cleared after a while without use."), self)

    def next_customer(self) -> None:
        """Wipe every trace of the last card: fields, pictures, camera frames, undo
        history, the verification values, and the clipboard if it holds a code."""
        w = self._window
        w.cancel_task()
        w.camera.stop()
        w.camera.wipe()
        w.controller.forget()
        w.image = None
        w.review.clear()
        w.confirm.clear()
        w.manual.clear()
        w.result.clear()
        if self.customer is not None:
            self.customer.clear()
        clipboard = QApplication.clipboard()
        text = clipboard.text()
        if clipboard.mimeData() is not None and (
            clipboard.mimeData().hasImage() or redact(text) != text or _is_code(text)
        ):
            clipboard.clear()
        w.banner.hide()
        w.show_screen(w.capture)
        self.restart_idle_timer()

    def close(self) -> None:
        if self.customer is not None:
            self.customer.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
