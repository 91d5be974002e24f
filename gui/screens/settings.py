"""Settings as a screen of its own (no pop-up): every change applies and is saved at once.

Sections register themselves so that later parts (binding adapter and credentials,
sandbox panel, voice, staff mode) add their rows without this file knowing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.i18n import N_, _
from core.settings import ZOOM_STEPS, Settings
from gui.camera import camera_devices
from gui.screens.base import Screen
from gui.widgets.combo import make_combo
from gui.widgets.file_dialog import open_file_name
from gui.widgets.form import labelled
from gui.widgets.paragraph import Paragraph
from gui.widgets.platform_combo import PlatformCombo
from gui.widgets.wrap_check import WrapCheckBox


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout(parent)
    # Labels above their fields: long labels and large zoom never push the window wider.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    return form


class SettingsScreen(Screen):
    back = Signal()
    changed = Signal(str)  # the name of the setting that changed
    staff_toggled = Signal(bool)  # staff mode also switches the bind method

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._loading = False
        self._retranslators: list[Callable[[], None]] = []

        self.look = QGroupBox(self)
        look = _form(self.look)
        self.language = make_combo(self.look)
        for code in ("", "zh_CN", "en"):
            self.language.addItem(code or "-", code)
        self.elder = QCheckBox(self.look)
        self.elder_note = Paragraph(self.look)
        self.elder_note.setWordWrap(True)
        self.zoom = make_combo(self.look)
        for step in ZOOM_STEPS:
            self.zoom.addItem(f"{step} %", step)
        self.theme = make_combo(self.look)
        for name in ("system", "light", "dark", "high_contrast"):
            self.theme.addItem(name, name)
        self.language_label, self.zoom_label, self.theme_label = (
            QLabel(self.look) for _ in range(3)
        )
        for label, field in (
            (self.language_label, self.language),
            (self.zoom_label, self.zoom),
            (self.theme_label, self.theme),
        ):
            label.setWordWrap(True)
            label.setBuddy(field)
        labelled(look, self.language_label, self.language)
        look.addRow(self.elder)
        look.addRow(self.elder_note)
        labelled(look, self.zoom_label, self.zoom)
        labelled(look, self.theme_label, self.theme)
        self.body.addWidget(self.look)

        self.cards = QGroupBox(self)
        cards = _form(self.cards)
        self.platform = PlatformCombo(self.cards, name=N_("Usual card type"))
        self.platform_label = QLabel(self.cards)
        self.platform_label.setBuddy(self.platform)
        labelled(cards, self.platform_label, self.platform)
        self.high_amount_label = QLabel(self.cards)
        self.high_amount_label.setWordWrap(True)
        self.high_amount = QSpinBox(self.cards)
        self.high_amount.setRange(0, 1_000_000)
        self.high_amount.setSingleStep(100)
        self.high_amount_label.setBuddy(self.high_amount)
        # The explanation is long: it gets the row's full width, the number its own row.
        cards.addRow(self.high_amount_label)
        cards.addRow(self.high_amount)
        self.body.addWidget(self.cards)

        self.capture = QGroupBox(self)
        cap = _form(self.capture)
        self.camera = make_combo(self.capture)
        self.camera_label = QLabel(self.capture)
        self.camera_label.setBuddy(self.camera)
        labelled(cap, self.camera_label, self.camera)
        self.camera_file = QLineEdit(self.capture)
        self.camera_file_browse = QPushButton(self.capture)
        row = QHBoxLayout()
        row.addWidget(self.camera_file, 1)
        row.addWidget(self.camera_file_browse)
        self.camera_file_label = QLabel(self.capture)
        self.camera_file_label.setWordWrap(True)
        self.camera_file_label.setBuddy(self.camera_file)
        labelled(cap, self.camera_file_label, row)
        self.tesseract = QLineEdit(self.capture)
        self.tesseract_browse = QPushButton(self.capture)
        trow = QHBoxLayout()
        trow.addWidget(self.tesseract, 1)
        trow.addWidget(self.tesseract_browse)
        self.tesseract_label = QLabel(self.capture)
        self.tesseract_label.setWordWrap(True)
        self.tesseract_label.setBuddy(self.tesseract)
        labelled(cap, self.tesseract_label, trow)
        self.body.addWidget(self.capture)

        self.counter = QGroupBox(self)
        counter = _form(self.counter)
        self.staff = WrapCheckBox(self.counter)
        counter.addRow(self.staff)
        self.idle_label = QLabel(self.counter)
        self.idle_label.setWordWrap(True)
        self.idle = QSpinBox(self.counter)
        self.idle.setRange(0, 240)
        self.idle_label.setBuddy(self.idle)
        labelled(counter, self.idle_label, self.idle)
        self.body.addWidget(self.counter)

        self.extra_sections = QWidget(self)
        self.extra_layout = QFormLayout(self.extra_sections)
        self.extra_layout.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.extra_sections)
        self.body.addStretch(1)

        self.back_button = QPushButton(self.action_bar)
        self.action_row.addWidget(self.back_button)
        self.action_row.addStretch(1)

        self.back_button.clicked.connect(self.back)
        self.staff.toggled.connect(self.staff_toggled.emit)
        self.idle.valueChanged.connect(lambda v: self._set("idle_wipe_minutes", int(v)))
        self.high_amount.valueChanged.connect(lambda v: self._set("scam_high_amount", int(v)))
        self.language.currentIndexChanged.connect(
            lambda: self._set("language", str(self.language.currentData() or ""))
        )
        self.elder.toggled.connect(lambda on: self._set("elder_mode", on))
        self.zoom.currentIndexChanged.connect(
            lambda: self._set("zoom", int(self.zoom.currentData()))
        )
        self.theme.currentIndexChanged.connect(
            lambda: self._set("theme", str(self.theme.currentData()))
        )
        self.platform.currentIndexChanged.connect(
            lambda: self._set("platform", str(self.platform.currentData()))
        )
        self.camera.currentIndexChanged.connect(
            lambda: self._set("camera_device", str(self.camera.currentData() or ""))
        )
        self.camera_file.editingFinished.connect(
            lambda: self._set("camera_file", self.camera_file.text().strip())
        )
        self.camera_file_browse.clicked.connect(self._browse_video)
        self.tesseract.editingFinished.connect(
            lambda: self._set("tesseract_cmd", self.tesseract.text().strip())
        )
        self.tesseract_browse.clicked.connect(self._browse_tesseract)
        self.load()
        self.retranslate()

    def title(self) -> str:
        return _("Settings")

    def add_section(self, widget: QWidget, retranslate: Callable[[], None]) -> None:
        """Let a later part of the app add its own group of settings."""
        self.extra_layout.addRow(widget)
        self._retranslators.append(retranslate)

    def load(self) -> None:
        """Show the current values (after a change made elsewhere, e.g. the menu)."""
        self._loading = True
        s = self.settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.elder.setChecked(s.elder_mode)
        self.zoom.setCurrentIndex(max(0, self.zoom.findData(s.zoom)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.platform.set_platform(s.platform)
        self.camera.clear()
        # Named at once: a reload (a mode switched from the menu) brings no retranslate,
        # and a screen reader lists the choice (an empty name was read as nothing).
        self.camera.addItem(_("The system's default camera"), "")
        for dev_id, desc in camera_devices():
            self.camera.addItem(desc, dev_id)
        self.camera.setCurrentIndex(max(0, self.camera.findData(s.camera_device)))
        self.camera_file.setText(s.camera_file)
        self.tesseract.setText(s.tesseract_cmd)
        self.staff.setChecked(s.staff_mode)
        self.idle.setValue(s.idle_wipe_minutes)
        self.high_amount.setValue(s.scam_high_amount)
        self._loading = False

    def entered(self) -> None:
        self.load()
        self.retranslate()

    def _set(self, name: str, value: object) -> None:
        if self._loading or getattr(self.settings, name) == value:
            return
        setattr(self.settings, name, value)
        self.changed.emit(name)

    def _browse_video(self) -> None:
        path = open_file_name(
            self,
            _("Choose a video to use as the camera"),
            str(Path.home()),
            _("Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)"),
        )
        if path:
            self.camera_file.setText(path)
            self._set("camera_file", path)

    def _browse_tesseract(self) -> None:
        path = open_file_name(self, _("Choose the Tesseract program"), str(Path.home()))
        if path:
            self.tesseract.setText(path)
            self._set("tesseract_cmd", path)

    def retranslate(self) -> None:
        super().retranslate()
        self.look.setTitle(_("Look"))
        self.language_label.setText(_("Lan&guage:"))
        self.language.setAccessibleName(_("Language"))
        self.language.setItemText(0, _("Follow the system"))
        self.language.setItemText(1, "中文")
        self.language.setItemText(2, "English")
        self.elder.setText(_("长辈版"))
        self.elder.setAccessibleDescription(_("Very large text, one step per screen"))
        self.elder_note.setText(_("Very large text, one step per screen"))
        self.zoom_label.setText(_("&Zoom:"))
        self.zoom.setAccessibleName(_("Zoom"))
        self.theme_label.setText(_("&Colours:"))
        self.theme.setAccessibleName(_("Colours"))
        for i, text in enumerate((_("Standard"), _("Light"), _("Dark"), _("High contrast"))):
            self.theme.setItemText(i, text)
        self.cards.setTitle(_("Cards"))
        self.platform_label.setText(_("Usual card t&ype:"))
        self.platform.retranslate()
        self.high_amount_label.setText(
            _(
                "Ask “did someone ask you to buy this card?” for a "
                "card worth at least this much (yuan) when no card "
                "that large was bound here before (0: never):"
            )
        )
        self.high_amount.setAccessibleName(_("Card value that brings the scam question"))
        self.capture.setTitle(_("Camera and reading"))
        self.camera_label.setText(_("Ca&mera:"))
        self.camera.setAccessibleName(_("Camera"))
        self.camera.setItemText(0, _("The system's default camera"))
        self.camera_file_label.setText(_("Video file instead of a camera (demos, training):"))
        self.camera_file.setAccessibleName(_("Video file used as the camera"))
        self.camera_file_browse.setText(_("Choose…"))
        self.camera_file_browse.setAccessibleName(_("Choose a video file"))
        self.tesseract_label.setText(_("Tesseract program (empty: find it by itself):"))
        self.tesseract.setAccessibleName(_("Tesseract program"))
        self.tesseract_browse.setText(_("Choose…"))
        self.tesseract_browse.setAccessibleName(_("Choose the Tesseract program"))
        self.counter.setTitle(_("Shop counter"))
        self.staff.setText(
            _(
                "Staff mode: codes hidden once entered, a window for the "
                "customer, handoff to the customer's phone, “Next customer” "
                "clears everything"
            )
        )
        self.idle_label.setText(
            _("Clear the screen after this many minutes without use (0: never):")
        )
        self.idle.setAccessibleName(_("Minutes before the screen is cleared"))
        self.back_button.setText(_("&Back"))
        for fn in self._retranslators:
            fn()

    def first_focus(self) -> QWidget | None:
        return self.language
