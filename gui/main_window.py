"""The app window: one flow (capture → review → …), one message banner, menus."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import settings as settings_store
from core.bind.card import Card
from core.bind.outcomes import AwaitingUser, BindResult, NeedsVerification
from core.bind.registry import adapters
from core.codes.mask import redact
from core.codes.review import Review
from core.i18n import _, ngettext, system_language
from core.settings import ZOOM_STEPS
from gui import gui_thread, messages
from gui.batch.launcher import BatchLauncher
from gui.bind_controller import BindController
from gui.customer_window import CustomerWindow
from gui.i18n import apply_language
from gui.menus import MainMenus
from gui.screens.base import Screen
from gui.screens.busy import BusyScreen
from gui.screens.camera import CameraScreen
from gui.screens.capture import CaptureScreen
from gui.screens.confirm import ConfirmScreen
from gui.screens.help import HelpScreen
from gui.screens.history import HistoryScreen
from gui.screens.manual import ManualScreen
from gui.screens.result import ResultScreen
from gui.screens.review import ReviewScreen
from gui.screens.settings import SettingsScreen
from gui.services import Services, bind_service_factory
from gui.theme import theme
from gui.widgets.banner import Banner
from gui.widgets.bind_settings import BindSettings
from gui.widgets.blacklist_settings import BlacklistSettings
from gui.widgets.voice_settings import VoiceSettings
from gui.workers import Task, start
from ocr.reading import Reading

log = logging.getLogger(__name__)

WINDOW_TITLE = "cardbind 卡密绑定助手"
NORMAL_SIZE = (1000, 800)


def _is_code(text: str) -> bool:
    """Does `text` look like a card code of any platform (for wiping the clipboard)?"""
    from core.codes.check import check_code
    from core.codes.profiles import platform_ids

    if not text.strip() or len(text) > 200:
        return False
    return any(
        check_code(text, pid, source="pasted").ok for pid in platform_ids() if pid != "generic"
    )


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.services = services
        self.settings = services.settings
        self.task: Task | None = None
        self.image: np.ndarray | None = None

        central = QWidget(self)
        outer = QVBoxLayout(central)
        top = QHBoxLayout()
        self.steps = QLabel(central)
        self.steps.setProperty("role", "muted")
        self.steps.setWordWrap(True)
        top.addWidget(self.steps, 1)
        self.next_customer_button = QPushButton(central)
        top.addWidget(self.next_customer_button)
        self.elder_button = QPushButton(central)
        self.elder_button.setCheckable(True)
        self.elder_button.setChecked(self.settings.elder_mode)
        # Its own size at the right, also where the steps line is hidden (Settings…).
        top.addWidget(self.elder_button, 0, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(top)
        self.banner = Banner(central)
        outer.addWidget(self.banner)
        self._outer = outer
        self.stack = QStackedWidget(central)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.capture = CaptureScreen(self.stack)
        self.camera = CameraScreen(services, self.stack)
        self.review = ReviewScreen(self.stack, voice=services.voice)
        self.confirm = ConfirmScreen(self.stack, voice=services.voice)
        self.busy = BusyScreen(self.stack)
        self.manual = ManualScreen(self.stack)
        self.result = ResultScreen(self.stack)
        self.settings_screen = SettingsScreen(self.settings, self.stack)
        self.history = HistoryScreen(lambda: self.controller.service().store, self.stack)
        self.help = HelpScreen(self.stack)
        self.bind_settings = BindSettings(self.settings)
        self.settings_screen.add_section(self.bind_settings, self.bind_settings.retranslate)
        self.bind_settings.changed.connect(self.setting_changed)
        self.voice_settings = VoiceSettings(self.settings)
        self.settings_screen.add_section(self.voice_settings, self.voice_settings.retranslate)
        self.voice_settings.changed.connect(self.setting_changed)
        self.bind_settings.message.connect(self._screen_message)
        self.blacklist_settings = BlacklistSettings(
            self.settings, lambda: self.controller.service().store
        )
        self.settings_screen.add_section(
            self.blacklist_settings, self.blacklist_settings.retranslate
        )
        self.blacklist_settings.message.connect(self._screen_message)
        self.screens: list[Screen] = [
            self.capture,
            self.camera,
            self.review,
            self.confirm,
            self.busy,
            self.manual,
            self.result,
            self.settings_screen,
            self.history,
            self.help,
        ]
        gui_thread.install()
        services.open_url = services.open_url or gui_thread.open_url
        services.copy_text = services.copy_text or gui_thread.copy_text
        make_service = services.make_bind_service or bind_service_factory(services)
        self.controller = BindController(make_service, self)
        # Batches bind with their own service (their own pacing and cancel), same journal.
        # A practice file made for another sandbox ledger binds against that ledger.
        practice = (
            None
            if services.make_bind_service is not None
            else lambda db: bind_service_factory(services, "sandbox", sandbox_db=db)()
        )
        self.batch = BatchLauncher(
            self.settings,
            make_service,
            self,
            store_factory=lambda: self.controller.service().store,
            make_practice_service=practice,
        )
        self._return_to: Screen = self.capture
        self._scrolls: dict[Screen, QWidget] = {}
        self._scroll_areas: dict[Screen, QScrollArea] = {}
        for s in self.screens:
            # At 200 % zoom a screen may not fit: it scrolls instead of being cut off.
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(s)
            page = QWidget(self.stack)
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            page_layout.setSpacing(0)
            page_layout.addWidget(scroll, 1)
            page_layout.addWidget(s.action_bar)
            self.stack.addWidget(page)
            self._scrolls[s] = page
            self._scroll_areas[s] = scroll
            s.message.connect(self._screen_message)

        self.capture.set_platform(self.settings.platform or None)
        self.capture.image_file.connect(self.read_file)
        self.capture.image_data.connect(self.read_array)
        self.capture.camera_requested.connect(self.open_camera)
        self.capture.type_requested.connect(self.type_code)
        self.capture.cancel_requested.connect(self.cancel_task)
        self.camera.back.connect(self._camera_back)
        self.camera.captured.connect(self._camera_captured)
        self.camera.capture_frame.connect(lambda f: self.read_array(f, self.camera.platform))
        self.review.back.connect(lambda: self.show_screen(self.capture))
        self.review.done.connect(self.reviewed)
        self.confirm.back.connect(lambda: self.show_screen(self.review))
        self.confirm.bind_requested.connect(self.bind_now)
        self.confirm.verification_entered.connect(self._verify)
        self.confirm.stop_requested.connect(self._scam_stop)
        self.busy.cancel_requested.connect(self.controller.cancel)
        self.manual.reported.connect(self.controller.report)
        self.result.next_card.connect(self.start_over)
        self.result.retry.connect(self.bind_now)
        self.result.back_to_code.connect(lambda: self.show_screen(self.review))
        self.result.history.connect(self.open_history)
        self.history.back.connect(lambda: self.show_screen(self._return_to))
        self.help.back.connect(lambda: self.show_screen(self._return_to))
        self.controller.busy.connect(self._binding)
        self.controller.needs_verification.connect(self._needs_verification)
        self.controller.verification_wrong.connect(self._verification_wrong)
        self._wrong_verification = ""
        self.controller.awaiting_user.connect(self._awaiting_user)
        self.controller.finished.connect(self._bound)
        self.controller.failed.connect(self._bind_failed)
        self.settings_screen.back.connect(lambda: self.show_screen(self._return_to))
        self.settings_screen.changed.connect(self.setting_changed)
        self.settings_screen.staff_toggled.connect(self.set_staff_mode)
        self.elder_button.toggled.connect(self.set_elder_mode)
        self.next_customer_button.clicked.connect(self.next_customer)
        self.customer: CustomerWindow | None = None
        # Staff mode: wipe everything after a while without input (a customer walked off).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle_wipe)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

        self.menus = MainMenus(self)
        self._paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, self.capture)
        self._paste_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._paste_shortcut.activated.connect(self.capture.paste)
        theme().changed.connect(self._theme_changed)
        self.apply_theme()
        self._apply_staff_mode()
        self.retranslate()
        self.show_screen(self.capture)
        self.resize(*NORMAL_SIZE)
        self._fit_to_mode()

    # navigation
    def show_screen(self, screen: Screen) -> None:
        current = self.current_screen()
        if current is not None and current is not screen:
            current.left()
        self.stack.setCurrentWidget(self._scrolls[screen])
        screen.entered()
        self._update_steps()
        focus = screen.first_focus()
        area = self._scroll_areas[screen]
        if current is not screen:
            area.verticalScrollBar().setValue(0)  # a screen opens at its top
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            # At large zoom the first thing to do may be below the fold: bring it in.
            area.ensureWidgetVisible(focus)

    def current_screen(self) -> Screen | None:
        page = self.stack.currentWidget()
        return next((s for s, p in self._scrolls.items() if p is page), None)

    def flow_screens(self) -> tuple[Screen, ...]:
        return (
            self.capture,
            self.camera,
            self.review,
            self.confirm,
            self.manual,
            self.busy,
            self.result,
        )

    def _update_steps(self) -> None:
        names = [_("1 Read"), _("2 Check"), _("3 Verify"), _("4 Bind"), _("5 Result")]
        current = self.current_screen()
        self.steps.setVisible(current in self.flow_screens())
        steps = {
            self.capture: 0,
            self.camera: 0,
            self.review: 1,
            self.confirm: 2,
            self.manual: 2,
            self.busy: 3,
            self.result: 4,
        }
        index = steps.get(current, 0) if current is not None else 0
        shown = [f"[{n}]" if i == index else n for i, n in enumerate(names)]
        self.steps.setText("  ›  ".join(shown))
        self.steps.setAccessibleName(
            _("Step {n} of {total}: {name}").format(
                n=index + 1, total=len(names), name=names[index]
            )
        )

    def start_over(self) -> None:
        self.cancel_task()
        self.camera.stop()
        self.controller.forget()
        self.image = None
        self.banner.hide()
        self.show_screen(self.capture)

    # reading
    def open_photo(self) -> None:
        self.show_screen(self.capture)
        self.capture.open_file()

    def read_file(self, path: Path, platform: str | None) -> None:
        def job() -> tuple[np.ndarray, Reading]:
            image = self.services.load_image(path)
            return image, self.services.read_image(image, platform)

        self._run_reader(job)

    def read_array(self, image: np.ndarray, platform: str | None) -> None:
        def job() -> tuple[np.ndarray, Reading]:
            return image, self.services.read_image(image, platform)

        self.show_screen(self.capture)
        self._run_reader(job)

    def _run_reader(self, job: Any) -> None:
        self.cancel_task()
        self.banner.hide()
        self.capture.set_busy(True, _("Reading the card…"))
        task = Task(job)
        task.signals.finished.connect(self._read_done)
        task.signals.failed.connect(self._read_failed)
        task.signals.cancelled.connect(lambda: self.capture.set_busy(False))
        self.task = start(task)

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.token.cancel()
            self.task = None
        self.capture.set_busy(False)

    def _read_done(self, result: tuple[np.ndarray, Reading]) -> None:
        self.task = None
        self.capture.set_busy(False)
        image, reading = result
        self._to_review(reading, image)

    def _read_failed(self, text: str) -> None:
        self.task = None
        self.capture.set_busy(False)
        messages.error(text, self)

    def _camera_captured(self, reading: Reading, frame: np.ndarray) -> None:
        self._to_review(reading, frame)

    def _to_review(self, reading: Reading, image: np.ndarray) -> None:
        self.image = image
        self.review.load_reading(reading, image)
        pin = reading.fields.get("pin")
        if pin is None or pin.value is None:
            messages.warning(
                lambda: _(
                    "No code was found in this picture. Type it below, or try another photo: "
                    "flat, well lit, the code filling the frame."
                ),
                self,
            )
        self.show_screen(self.review)

    def _camera_back(self) -> None:
        """Back from the camera: what it said (no camera, a camera error) goes with it."""
        messages.dismiss(self)
        self.show_screen(self.capture)

    def open_camera(self, platform: str | None) -> None:
        self.banner.hide()
        self.show_screen(self.camera)
        self.camera.start(platform)

    def type_code(self, platform: str) -> None:
        self.banner.hide()
        self.review.load_typed(platform)
        self.show_screen(self.review)

    # settings
    def _save_settings(self) -> None:
        try:
            settings_store.save(self.settings)
        except OSError as exc:
            messages.warning(
                _("Your settings could not be saved: {reason}").format(reason=exc.strerror or exc),
                self,
            )

    # binding
    def reviewed(self, reviews: dict[str, Review]) -> None:
        pin = reviews["pin"]
        number = reviews.get("card_number")
        card = Card(
            platform=pin.platform,
            pin=pin.value,
            card_number=number.value if number is not None else "",
            account=self.settings.account,
        )
        # The review screen made the user resolve every doubt and confirm every guide.
        self.controller.begin(card, confirmed=True)
        try:
            method = adapters()[self.settings.adapter].display_title()
        except KeyError:
            method = self.settings.adapter
        self.confirm.load(
            card,
            attempts_left=self.controller.attempts_left(),
            bind_method=method,
            elder=self.settings.elder_mode,
            masked=self.settings.staff_mode,
            largest_bound=self.controller.largest_bound(),
            high_amount=self.settings.scam_high_amount,
            printed_value=self.review.denomination,
        )
        if self.customer is not None and self.settings.staff_mode:
            self.customer.show_card(card, handoff=False)
        self.show_screen(self.confirm)

    def bind_now(self) -> None:
        if not self.controller.bind():
            return
        self.show_screen(self.busy)

    def _verify(self, kind: str, value: str) -> None:
        """The SMS code, captcha… is sent with the bind: step 4 (Bind) while it runs."""
        if self.controller.verify(kind, value):
            self.show_screen(self.busy)

    def _binding(self, text: str) -> None:
        self.busy.show_text(text)

    def _needs_verification(self, need: NeedsVerification) -> None:
        wrong, self._wrong_verification = self._wrong_verification, ""
        # Asked first, so that the screen opens on the new box: in view, focused and
        # said to screen readers (the box announces its question).
        self.confirm.ask(need, wrong)
        self.show_screen(self.confirm)

    def _verification_wrong(self, kind: str) -> None:
        """The last SMS code, captcha… was refused; the controller asks for a new one, and
        the next question says why it comes again."""
        self._wrong_verification = kind

    def _awaiting_user(self, result: BindResult) -> None:
        card = self.controller.card
        if card is None or not isinstance(result.outcome, AwaitingUser):
            return
        self.manual.show_for(card, result.outcome, masked=self.settings.staff_mode)
        if self.customer is not None and self.settings.staff_mode:
            self.customer.show_card(card, handoff=result.outcome.action == "show_qr")
        self.show_screen(self.manual)

    def _bound(self, result: BindResult) -> None:
        self._wrong_verification = ""
        if self.customer is not None:
            self.customer.clear()  # the code and its QR leave the customer's screen
        self.result.show_result(result)
        self.show_screen(self.result)

    def _bind_failed(self, text: str) -> None:
        self._wrong_verification = ""
        self.show_screen(self.confirm)
        messages.error(text, self)

    def _scam_stop(self) -> None:
        self.start_over()
        messages.info(
            lambda: _(
                "Nothing was sent. Keep the card and the receipt, and talk to "
                "someone you trust or call 96110."
            ),
            self,
        )

    def startup_checks(self) -> None:
        """Once at start: offer to resume an unfinished batch, and look up binds that a
        crash or a cut connection left without an answer."""
        self._outer.insertWidget(self._outer.indexOf(self.banner) + 1, self.batch.offer)
        self.batch.offer.refresh()
        self.recover_open_attempts()

    def recover_open_attempts(self) -> None:
        """At start: look up binds left without an answer by a crash or a cut connection,
        so the user knows what happened to them (nothing is ever sent again blindly)."""

        def job() -> list[BindResult]:
            return self.controller.service().recover()

        task = Task(job)
        task.signals.finished.connect(self._recovered)
        task.signals.failed.connect(lambda text: log.warning("recover: %s", text))
        start(task)

    def _recovered(self, results: list[BindResult]) -> None:
        if results:
            messages.info(
                lambda: ngettext(
                    "cardbind looked up {n} earlier bind that had no answer yet: {summary}",
                    "cardbind looked up {n} earlier binds that had no answer yet: {summary}",
                    len(results),
                ).format(n=len(results), summary="; ".join(r.summary() for r in results)),
                self,
            )

    def open_history(self) -> None:
        current = self.current_screen()
        if current is not None and current is not self.history:
            self._return_to = current
        self.show_screen(self.history)

    def open_help(self) -> None:
        current = self.current_screen()
        if current is not None and current is not self.help:
            self._return_to = current
        self.show_screen(self.help)

    def open_settings(self) -> None:
        current = self.current_screen()
        if current is not None and current is not self.settings_screen:
            self._return_to = current
        self.show_screen(self.settings_screen)

    def setting_changed(self, name: str) -> None:
        """Apply one changed setting everywhere and save; menus and screens follow."""
        s = self.settings
        if name == "language":
            apply_language(s.language or system_language())
            self.menus.sync()
            self.retranslate()
        elif name in ("elder_mode", "zoom", "theme"):
            self.elder_button.blockSignals(True)
            self.elder_button.setChecked(s.elder_mode)
            self.elder_button.blockSignals(False)
            self.menus.sync()
            self.apply_theme()
            self._fit_to_mode()
        elif name == "staff_mode":
            self._apply_staff_mode()
        elif name == "idle_wipe_minutes":
            self._restart_idle_timer()
        elif name == "platform":
            self.capture.set_platform(s.platform)
        elif name in ("adapter", "sandbox_db", "http_base_url", "account", "http_token"):
            self.controller.reset_service()
        self._save_settings()
        if self.current_screen() is not self.settings_screen:
            self.settings_screen.load()
            self.bind_settings.load()
            self.voice_settings.load()

    def _fit_to_mode(self) -> None:
        """长辈版 fills the screen, so very large text still shows one whole task without
        scrolling; normal mode goes back to the usual window size."""
        maximized = bool(self.windowState() & Qt.WindowState.WindowMaximized)
        if self.settings.elder_mode and not maximized:
            screen = self.screen() or QApplication.primaryScreen()
            if screen is not None:  # also where no window manager maximizes windows
                self.setGeometry(screen.availableGeometry())
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        elif not self.settings.elder_mode and maximized:
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
            self.resize(*NORMAL_SIZE)

    def set_elder_mode(self, on: bool) -> None:
        if self.settings.elder_mode != on or self.elder_button.isChecked() != on:
            self.settings.elder_mode = on
            self.setting_changed("elder_mode")

    def set_staff_mode(self, on: bool) -> None:
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
            self.controller.reset_service()
            self.setting_changed("staff_mode")
            if s.adapter != before:
                self.bind_settings.load()
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

    def _apply_staff_mode(self) -> None:
        on = self.settings.staff_mode
        self.menus.sync()
        self.next_customer_button.setVisible(on)
        self.review.set_masked(on)
        if on:
            if self.customer is None:
                self.customer = CustomerWindow()
                self.customer.place()
            self.customer.show()
        elif self.customer is not None:
            self.customer.hide()
        self._restart_idle_timer()

    def _restart_idle_timer(self) -> None:
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
        if self.controller.running:
            self.idle_timer.start()  # never wipe in the middle of a bind
            return
        self.next_customer()
        messages.info(lambda: _("The screen was cleared after a while without use."), self)

    def next_customer(self) -> None:
        """Wipe every trace of the last card: fields, pictures, camera frames, undo
        history, the verification values, and the clipboard if it holds a code."""
        self.cancel_task()
        self.camera.stop()
        self.camera.wipe()
        self.controller.forget()
        self.image = None
        self.review.clear()
        self.confirm.clear()
        self.manual.clear()
        self.result.clear()
        if self.customer is not None:
            self.customer.clear()
        clipboard = QApplication.clipboard()
        text = clipboard.text()
        if clipboard.mimeData() is not None and (
            clipboard.mimeData().hasImage() or redact(text) != text or _is_code(text)
        ):
            clipboard.clear()
        self.banner.hide()
        self.show_screen(self.capture)
        self._restart_idle_timer()

    def set_zoom(self, zoom: int) -> None:
        self.settings.zoom = zoom
        self.setting_changed("zoom")

    def step_zoom(self, delta: int) -> None:
        i = ZOOM_STEPS.index(self.settings.zoom) if self.settings.zoom in ZOOM_STEPS else 0
        self.set_zoom(ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, i + delta))])

    def set_theme(self, name: str) -> None:
        self.settings.theme = name
        self.setting_changed("theme")

    def apply_theme(self) -> None:
        name = self.settings.theme
        theme().apply(
            self.settings.elder_mode, self.settings.zoom, "light" if name == "system" else name
        )

    def _theme_changed(self) -> None:
        for s in self.screens:
            s.apply_metrics(theme().metrics)

    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        self.setting_changed("language")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(WINDOW_TITLE)
        self.elder_button.setText(_("长辈版 (large text)"))
        self.elder_button.setToolTip(_("Elder mode: very large text, one step per screen"))
        self.elder_button.setAccessibleName(_("Elder mode: very large text, one step per screen"))
        self.next_customer_button.setText(_("Next customer"))
        self.next_customer_button.setToolTip(
            _("Ctrl+N: clears the code, the photo and the clipboard")
        )
        self.menus.retranslate()
        self.banner.retranslate()
        self.batch.retranslate()
        for s in self.screens:
            s.retranslate()
        self._update_steps()

    def _screen_message(self, level: str, text: str) -> None:
        messages.say(level, text, self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_task()
        self.camera.stop()
        self.controller.close()
        self.batch.close()
        if self.customer is not None:
            self.customer.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
