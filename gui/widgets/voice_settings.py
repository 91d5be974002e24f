"""Settings for voice: read-back language, speed, radio digits and volume, and the
speech recognizer (pocketsphinx offline by default, or a Vosk model folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.i18n import _
from core.settings import Settings
from core.voice.notices import IME_VOICE_TYPING, READBACK_OVERHEARD
from gui.widgets.combo import make_combo
from gui.widgets.file_dialog import folder_name
from gui.widgets.form import labelled
from gui.widgets.paragraph import Paragraph
from gui.widgets.wrap_check import WrapCheckBox


class VoiceSettings(QWidget):
    changed = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.group = QGroupBox(self)
        form = QFormLayout(self.group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.enabled = WrapCheckBox(self.group)
        form.addRow(self.enabled)
        self.lang_label = QLabel(self.group)
        self.lang_label.setWordWrap(True)
        self.lang = make_combo(self.group)
        for code in ("", "zh_CN", "en"):
            self.lang.addItem(code or "-", code)
        self.lang_label.setBuddy(self.lang)
        labelled(form, self.lang_label, self.lang)
        self.radio = WrapCheckBox(self.group)
        form.addRow(self.radio)
        self.rate_label = QLabel(self.group)
        self.rate_label.setWordWrap(True)
        self.rate = QDoubleSpinBox(self.group)
        self.rate.setRange(0.5, 2.0)
        self.rate.setSingleStep(0.25)
        self.rate_label.setBuddy(self.rate)
        labelled(form, self.rate_label, self.rate)
        self.volume_label = QLabel(self.group)
        self.volume_label.setWordWrap(True)
        self.volume = QDoubleSpinBox(self.group)
        self.volume.setRange(0.05, 1.0)
        self.volume.setSingleStep(0.05)
        self.volume_label.setBuddy(self.volume)
        labelled(form, self.volume_label, self.volume)
        self.engine_label = QLabel(self.group)
        self.engine_label.setWordWrap(True)
        self.engine = make_combo(self.group)
        self.engine.addItem("pocketsphinx", "pocketsphinx")
        self.engine.addItem("Vosk", "vosk")
        self.engine_label.setBuddy(self.engine)
        labelled(form, self.engine_label, self.engine)
        self.vosk_label = QLabel(self.group)
        self.vosk_label.setWordWrap(True)
        self.vosk = QLineEdit(self.group)
        self.vosk_browse = QPushButton(self.group)
        row = QHBoxLayout()
        row.addWidget(self.vosk, 1)
        row.addWidget(self.vosk_browse)
        self.vosk_label.setBuddy(self.vosk)
        labelled(form, self.vosk_label, row)
        self.notes = Paragraph(self.group)
        self.notes.setWordWrap(True)
        self.notes.setProperty("role", "muted")
        form.addRow(self.notes)
        outer.addWidget(self.group)

        self.enabled.toggled.connect(lambda on: self._set("voice_enabled", on))
        self.radio.toggled.connect(lambda on: self._set("readback_radio_digits", on))
        self.lang.currentIndexChanged.connect(
            lambda: self._set("readback_language", str(self.lang.currentData() or ""))
        )
        self.rate.valueChanged.connect(lambda v: self._set("readback_rate", float(v)))
        self.volume.valueChanged.connect(lambda v: self._set("readback_volume", float(v)))
        self.engine.currentIndexChanged.connect(self._engine_changed)
        self.vosk.editingFinished.connect(
            lambda: self._set("vosk_model_dir", self.vosk.text().strip())
        )
        self.vosk_browse.clicked.connect(self._browse)
        self.load()

    def load(self) -> None:
        self._loading = True
        s = self.settings
        self.enabled.setChecked(s.voice_enabled)
        self.radio.setChecked(s.readback_radio_digits)
        self.lang.setCurrentIndex(max(0, self.lang.findData(s.readback_language)))
        self.rate.setValue(s.readback_rate)
        self.volume.setValue(s.readback_volume)
        self.engine.setCurrentIndex(max(0, self.engine.findData(s.voice_engine)))
        self.vosk.setText(s.vosk_model_dir)
        self._loading = False
        self._engine_changed()

    def _set(self, name: str, value: object) -> None:
        if self._loading or getattr(self.settings, name) == value:
            return
        setattr(self.settings, name, value)
        self.changed.emit(name)

    def _engine_changed(self) -> None:
        vosk = self.engine.currentData() == "vosk"
        for w in (self.vosk_label, self.vosk, self.vosk_browse):
            w.setVisible(vosk)
        self._set("voice_engine", str(self.engine.currentData()))

    def _browse(self) -> None:
        path = folder_name(self, _("Choose the Vosk model folder"), str(Path.home()))
        if path:
            self.vosk.setText(path)
            self._set("vosk_model_dir", path)

    def retranslate(self) -> None:
        self.group.setTitle(_("Voice"))
        self.enabled.setText(_("Offer read-back and voice fixes (always on in 长辈版)"))
        self.lang_label.setText(_("Read-back language:"))
        self.lang.setAccessibleName(_("Read-back language"))
        self.lang.setItemText(0, _("Same as the app"))
        self.lang.setItemText(1, "中文")
        self.lang.setItemText(2, "English (NATO words)")
        self.radio.setText(_("Read digits the radio way: 幺 两 拐 勾 洞 for 1 2 7 9 0"))
        self.rate_label.setText(_("Read-back speed (1 = normal):"))
        self.rate.setAccessibleName(_("Read-back speed"))
        self.volume_label.setText(_("Read-back volume (0.05 to 1):"))
        self.volume.setAccessibleName(_("Read-back volume"))
        self.engine_label.setText(_("Speech recognizer (works offline):"))
        self.engine.setAccessibleName(_("Speech recognizer"))
        self.vosk_label.setText(_("Vosk model folder:"))
        self.vosk.setAccessibleName(_("Vosk model folder"))
        self.vosk_browse.setText(_("Choose…"))
        self.vosk_browse.setAccessibleName(_("Choose the Vosk model folder"))
        self.notes.setText(_(READBACK_OVERHEARD) + "\n" + _(IME_VOICE_TYPING))
