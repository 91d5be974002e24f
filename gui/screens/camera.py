"""Camera: live picture, guide frame, which positions are still unsure, auto-capture.

Frames go to one OCR worker where the newest frame replaces any waiting one, so the
window never freezes and never falls behind. When every position has been stable over
several frames and the format passes, the code locks and is captured by itself; the
user can also capture at any time.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from core.i18n import _, ngettext
from gui.accessibility import announce
from gui.camera import FrameSource, QtCameraSource, VideoFileSource, camera_devices
from gui.machine import sound_check
from gui.multimedia import multimedia_available
from gui.screens.base import Screen
from gui.services import Services
from gui.widgets.combo import make_combo
from gui.widgets.frame_view import STABLE, FrameView
from gui.workers import LatestOnly
from ocr.reading import Reading

log = logging.getLogger(__name__)

# Frames read before a position that will not settle is handed to the user (about three
# seconds at a camera frame's usual reading time).
ADVISE_AFTER = 12


class CameraScreen(Screen):
    back = Signal()
    captured = Signal(object, object)  # Reading, frame (np.ndarray)
    capture_frame = Signal(object)  # frame to read at full quality (manual capture)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.platform: str | None = None
        self.source: FrameSource | None = None
        self.consensus: Any = None
        self.last_frame: np.ndarray | None = None
        self.locked = False
        self.frames_read = 0  # frames read since the camera started
        self.worker = LatestOnly(self._read, self)
        self.worker.finished.connect(self._on_read)
        self.worker.failed.connect(lambda text: self.message.emit("error", text))

        top = QHBoxLayout()
        self.device_label = QLabel(self)
        self.device_label.setWordWrap(True)
        self.device = make_combo(self)
        self.device_label.setBuddy(self.device)
        top.addWidget(self.device_label)
        top.addWidget(self.device, 1)
        self.body.addLayout(top)

        self.view = FrameView(self)
        self.body.addWidget(self.view, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.body.addWidget(self.status)

        buttons = self.action_row
        self.back_button = QPushButton(self.action_bar)
        self.capture_button = QPushButton(self.action_bar)
        self.capture_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.capture_button)

        self.back_button.clicked.connect(self.back)
        self.capture_button.clicked.connect(self.capture_now)
        self.device.currentIndexChanged.connect(self._device_changed)
        self.retranslate()

    def title(self) -> str:
        return _("Hold the card in the frame")

    # lifecycle
    def start(self, platform: str | None) -> None:
        self.platform = platform
        self.locked = False
        self.frames_read = 0
        self.consensus = self.services.make_consensus(platform)
        self.view.clear()
        self._fill_devices()
        self._start_source()

    def _fill_devices(self) -> None:
        self.device.blockSignals(True)
        self.device.clear()
        camera_file = self.services.settings.camera_file
        if camera_file:
            self.device.addItem(_("Video file"), "file:" + camera_file)
        for dev_id, desc in camera_devices():
            self.device.addItem(desc, dev_id)
        want = self.services.settings.camera_device
        idx = self.device.findData(want) if want else 0
        self.device.setCurrentIndex(max(0, idx))
        self.device.blockSignals(False)

    def _make_source(self) -> FrameSource | None:
        data = self.device.currentData()
        if isinstance(data, str) and data.startswith("file:"):
            return VideoFileSource(data[5:], parent=self)
        if data is None and self.device.count() == 0:
            return None
        return QtCameraSource(str(data or ""), parent=self)

    def _start_source(self) -> None:
        self._stop_source()
        self.worker.restart()
        source = self._make_source()
        if source is None and not multimedia_available():
            # Qt's camera cannot load here (no PulseAudio library): say why, with the fix.
            self.status.setText(
                _("The camera is off on this computer. {explanation}").format(
                    explanation=sound_check().sentence()
                )
            )
            self.message.emit("warning", self.status.text())
            return
        if source is None:
            self.status.setText(
                _(
                    "No camera was found. Connect a camera, or go back and open "
                    "a photo of the card instead."
                )
            )
            self.message.emit("warning", self.status.text())
            return
        source.frame.connect(self._on_frame)
        source.error.connect(self._on_source_error)
        self.source = source
        self.status.setText(_("Starting the camera…"))
        source.start()

    def _stop_source(self) -> None:
        if self.source is not None:
            self.source.frame.disconnect(self._on_frame)
            self.source.stop()
            self.source.deleteLater()
            self.source = None
        self.worker.stop()

    def stop(self) -> None:
        self._stop_source()

    def wipe(self) -> None:
        """Drop every frame and reading held for the last card (next customer)."""
        self.last_frame = None
        self.consensus = None
        self.view.clear()
        self.status.setText("")

    def left(self) -> None:
        self.stop()

    def _device_changed(self) -> None:
        if self.source is not None:
            self._start_source()

    def _on_source_error(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit("error", text)

    # frames
    def _read(self, frame: np.ndarray) -> Reading:
        read = self.services.read_frame or self.services.read_image
        return read(frame, self.platform)

    def _on_frame(self, frame: np.ndarray) -> None:
        if self.locked:
            return
        self.last_frame = frame
        self.view.set_frame(frame)
        self.worker.submit(frame)

    def _on_read(self, frame: np.ndarray, reading: Reading) -> None:
        if self.locked or self.consensus is None:
            return
        state = self.consensus.feed(reading)
        self.frames_read += 1
        stability = list(state.stability)
        value = state.value or ""
        doubted = tuple(getattr(state, "doubted", ()))
        self.view.set_progress(value, stability, doubted)
        unsure = sum(1 for s in stability if s < STABLE)
        if state.locked:
            self.locked = True
            self.status.setText(_("Got it. Every character was the same over several pictures."))
            announce(self, self.status.text())
            self._stop_source()
            self.captured.emit(getattr(state, "reading", None) or reading, frame)
        elif unsure and self.frames_read < ADVISE_AFTER:
            self.status.setText(
                ngettext(
                    "{n} character is still unsure. Hold the card still, flat and well lit.",
                    "{n} characters are still unsure. Hold the card still, flat and well lit.",
                    unsure,
                ).format(n=unsure)
            )
        elif unsure:
            # Frames that keep splitting between two readings of a glyph (an O or a 0
            # drawn alike) never settle it: after a while, offer the way out (said to
            # the screen reader when it first appears, as the advice below).
            self._advise(
                ngettext(
                    "{n} character is still unsure. If holding the card still does not "
                    "help, press “Capture now” and check it yourself.",
                    "{n} characters are still unsure. If holding the card still does not "
                    "help, press “Capture now” and check them yourself.",
                    unsure,
                ).format(n=unsure)
            )
        elif doubted:
            # Every frame reads these the same and flags them (an O or a 0, a 1 or an
            # I, a row every frame reads poorly): holding the card longer will not
            # settle them, so say so once and hand over to the user (docs/ocr.md,
            # "The camera").
            self._advise(
                ngettext(
                    "The camera cannot be sure of {n} character, however long it looks. "
                    "Press “Capture now” and check it yourself.",
                    "The camera cannot be sure of {n} characters, however long it looks. "
                    "Press “Capture now” and check them yourself.",
                    len(doubted),
                ).format(n=len(doubted))
            )
        elif stability:
            self.status.setText(_("Almost there. Keep the whole card in the frame."))
        else:
            self.status.setText(_("Looking for the code… Fill the frame with the card."))

    def _advise(self, text: str) -> None:
        """Advice that hands over to the user: shown, and said once, not every frame."""
        if text != self.status.text():
            self.status.setText(text)
            announce(self, text)

    def capture_now(self) -> None:
        frame = self.last_frame
        if frame is None:
            self.message.emit(
                "warning",
                _("There is no picture yet. Wait for the camera, or go back and open a photo."),
            )
            return
        self.locked = True
        self._stop_source()
        self.capture_frame.emit(frame)

    def retranslate(self) -> None:
        super().retranslate()
        self.device_label.setText(_("Ca&mera:"))
        self.device.setAccessibleName(_("Camera"))
        self.back_button.setText(_("&Back"))
        self.capture_button.setText(_("Capture &now"))
        self.view.setAccessibleName(_("Camera picture"))
        self.view.setAccessibleDescription(
            _(
                "The live picture with a frame to line the card "
                "up in; boxes below fill as characters settle."
            )
        )

    def first_focus(self) -> QWidget | None:
        return self.capture_button
