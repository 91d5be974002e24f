"""The app window: one flow (capture → review → …), one message banner, menus.

The window builds the screens, moves between them (their stack: gui/screen_stack.py),
reads pictures and applies settings; its rooms do the rest: the bind flow from a checked
code to its result (gui/bind_flow.py), staff mode at a shop counter (gui/staff_mode.py)
and the menus (gui/menus.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import settings as settings_store
from core.i18n import _, system_language
from core.settings import ZOOM_STEPS
from gui import gui_thread, messages
from gui.batch.launcher import BatchLauncher
from gui.bind_controller import BindController
from gui.bind_flow import BindFlow
from gui.customer_window import CustomerWindow
from gui.i18n import apply_language
from gui.menus import MainMenus
from gui.screen_stack import ScreenStack
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
from gui.staff_mode import StaffMode
from gui.theme import theme
from gui.widgets.banner import Banner
from gui.widgets.bind_settings import BindSettings
from gui.widgets.blacklist_settings import BlacklistSettings
from gui.widgets.voice_settings import VoiceSettings
from gui.workers import Task, start
from ocr.reading import Reading

WINDOW_TITLE = "cardbind 卡密绑定助手"
NORMAL_SIZE = (1000, 800)


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
        self.stack = ScreenStack(central)
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
        for s in self.screens:
            self.stack.add(s)
            s.message.connect(self._screen_message)
        self._scroll_areas = self.stack.areas  # (tests measure what a screen shows)

        self.capture.set_platform(self.settings.platform or None)
        self.capture.image_file.connect(self.read_file)
        self.capture.image_data.connect(self.read_array)
        self.capture.camera_requested.connect(self.open_camera)
        self.capture.platform_chosen.connect(self._prepare_reader)
        self.capture.type_requested.connect(self.type_code)
        self.capture.cancel_requested.connect(self.cancel_task)
        self.camera.back.connect(self._camera_back)
        self.camera.captured.connect(self._camera_captured)
        self.camera.capture_frame.connect(lambda f: self.read_array(f, self.camera.platform))
        self.review.back.connect(lambda: self.show_screen(self.capture))
        self.history.back.connect(lambda: self.show_screen(self._return_to))
        self.help.back.connect(lambda: self.show_screen(self._return_to))
        self.bind_flow = BindFlow(self)
        self.settings_screen.back.connect(lambda: self.show_screen(self._return_to))
        self.settings_screen.changed.connect(self.setting_changed)
        self.settings_screen.staff_toggled.connect(self.set_staff_mode)
        self.elder_button.toggled.connect(self.set_elder_mode)
        self.next_customer_button.clicked.connect(self.next_customer)
        self.staff = StaffMode(self)

        self.menus = MainMenus(self)
        self._paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, self.capture)
        self._paste_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._paste_shortcut.activated.connect(self.capture.paste)
        theme().changed.connect(self._theme_changed)
        self.apply_theme()
        self.staff.apply()
        self.retranslate()
        self.show_screen(self.capture)
        self.resize(*NORMAL_SIZE)
        self._fit_to_mode()

    # navigation
    def show_screen(self, screen: Screen) -> None:
        changed = self.stack.turn_to(screen)
        self._update_steps()
        self.stack.focus_first(screen, at_top=changed)

    def current_screen(self) -> Screen | None:
        return self.stack.current()

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

    def open_history(self) -> None:
        self._open_aside(self.history)

    def open_help(self) -> None:
        self._open_aside(self.help)

    def open_settings(self) -> None:
        self._open_aside(self.settings_screen)

    def _open_aside(self, screen: Screen) -> None:
        """History, help and settings sit beside the flow: Back returns where the user was."""
        current = self.current_screen()
        if current is not None and current is not screen:
            self._return_to = current
        self.show_screen(screen)

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
        # What the reader had to say about this picture in particular (a second reader
        # missing, only a TIFF's first page read, a card type that does not fit the
        # code): said above the code, in the words it was said in.
        said = list(reading.notes)
        if pin is None or pin.value is None:
            messages.warning(
                lambda: "\n".join(
                    [
                        *said,
                        _(
                            "No code was found in this picture. Type it below, or try "
                            "another photo: flat, well lit, the code filling the frame."
                        ),
                    ]
                ),
                self,
            )
        elif said:
            messages.warning("\n".join(said), self)
        self.show_screen(self.review)

    def _camera_back(self) -> None:
        """Back from the camera: what it said (no camera, a camera error) goes with it."""
        messages.dismiss(self)
        self.show_screen(self.capture)

    def _prepare_reader(self, platform: str | None) -> None:
        """A card type chosen: its reader gets ready while the user finds the card (a
        type to recognise from the card has nothing to get ready for yet)."""
        if platform and self.services.prepare_reader is not None:
            self.services.prepare_reader(platform)

    def open_camera(self, platform: str | None) -> None:
        self.banner.hide()
        self.show_screen(self.camera)
        self.camera.start(platform)

    def type_code(self, platform: str) -> None:
        self.banner.hide()
        self.review.load_typed(platform)
        self.show_screen(self.review)

    # start-up
    def startup_checks(self) -> None:
        """Once at start: offer to resume an unfinished batch, and look up binds that a
        crash or a cut connection left without an answer."""
        self._outer.insertWidget(self._outer.indexOf(self.banner) + 1, self.batch.offer)
        self.batch.offer.refresh()
        self.recover_open_attempts()

    def recover_open_attempts(self) -> None:
        self.bind_flow.recover_open_attempts()

    # settings
    def _save_settings(self) -> None:
        try:
            settings_store.save(self.settings)
        except OSError as exc:
            messages.warning(
                _("Your settings could not be saved: {reason}").format(reason=exc.strerror or exc),
                self,
            )

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
            self.staff.apply()
        elif name == "idle_wipe_minutes":
            self.staff.restart_idle_timer()
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

    # staff mode (gui/staff_mode.py)
    @property
    def customer(self) -> CustomerWindow | None:
        return self.staff.customer

    @property
    def idle_timer(self) -> QTimer:
        return self.staff.idle_timer

    def set_staff_mode(self, on: bool) -> None:
        self.staff.set_on(on)

    def next_customer(self) -> None:
        self.staff.next_customer()

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
        self.stack.name_areas()
        self._update_steps()

    def _screen_message(self, level: str, text: str) -> None:
        messages.say(level, text, self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_task()
        self.camera.stop()
        self.controller.close()
        self.batch.close()
        self.staff.close()
        super().closeEvent(event)
