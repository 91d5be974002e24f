"""Capture: open a photo, drop or paste one, use the camera, or type the code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.i18n import _
from gui.imaging import qimage_to_bgr
from gui.screens.base import Screen
from gui.theme import Metrics, theme
from gui.widgets.file_dialog import open_file_name
from gui.widgets.machine_notice import MachineNotice
from gui.widgets.paragraph import Paragraph
from gui.widgets.platform_combo import PlatformCombo

IMAGE_FILTER_EXTS = "*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp"
# The card type counts as chosen once it has stayed this long: going down the list with
# the arrow keys passes through every type on the way.
PLATFORM_SETTLE_MS = 400


class CaptureScreen(Screen):
    image_file = Signal(object, object)  # Path, platform id or None
    image_data = Signal(object, object)  # np.ndarray (BGR), platform id or None
    camera_requested = Signal(object)  # platform id or None
    type_requested = Signal(str)  # platform id
    # The user settled on a card type (None: recognise it from the card): its reader can
    # get ready while they find the card (docs/ocr.md, "Speed: Tesseract started ahead").
    platform_chosen = Signal(object)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        # What is off on this computer, said once at start (gui/machine.py fills it).
        self.machine_notice = MachineNotice(self)
        self.body.addWidget(self.machine_notice)
        self.camera_available = True
        self.intro = Paragraph(self)
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)

        row = QHBoxLayout()
        self.platform_label = QLabel(self)
        self.platform_label.setWordWrap(True)
        self.platform = PlatformCombo(self, recognize=True)
        self.platform_label.setBuddy(self.platform)
        row.addWidget(self.platform_label)
        row.addWidget(self.platform, 1)
        self.body.addLayout(row)

        self.grid = QGridLayout()
        self.open_button = QPushButton(self)
        self.paste_button = QPushButton(self)
        self.camera_button = QPushButton(self)
        self.type_button = QPushButton(self)
        self.body.addLayout(self.grid)
        self._arrange_buttons(columns=2)

        self.drop_zone = QFrame(self)
        self.drop_zone.setProperty("role", "banner-info")
        dz = QVBoxLayout(self.drop_zone)
        self.drop_label = QLabel(self.drop_zone)
        self.drop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_label.setWordWrap(True)
        dz.addWidget(self.drop_label)
        self.body.addWidget(self.drop_zone, 1)

        busy = QHBoxLayout()
        self.busy_label = QLabel(self)
        self.busy_label.setWordWrap(True)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.cancel_button = QPushButton(self)
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        busy.addWidget(self.cancel_button)
        self.body.addLayout(busy)
        self.set_busy(False)

        self.open_button.clicked.connect(self.open_file)
        self.paste_button.clicked.connect(self.paste)
        self.camera_button.clicked.connect(lambda: self.camera_requested.emit(self.platform_id()))
        self.type_button.clicked.connect(
            lambda: self.type_requested.emit(self.platform_id() or "jd")
        )
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(PLATFORM_SETTLE_MS)
        self._settle.timeout.connect(lambda: self.platform_chosen.emit(self.platform_id()))
        # The user's choice only (`activated`), not the type set from the settings.
        self.platform.activated.connect(self._settle.start)
        self.retranslate()

    def title(self) -> str:
        return _("Read the card")

    def platform_id(self) -> str | None:
        return self.platform.platform_id()

    def set_platform(self, pid: str | None) -> None:
        self.platform.set_platform(pid)

    def set_camera_available(self, on: bool) -> None:
        """Without Qt's camera (and no video file standing in) the camera button goes;
        the start screen's notice says why and how to turn it on."""
        self.camera_available = on
        self.camera_button.setVisible(on)
        self._arrange_buttons(columns=1 if theme().metrics.elder else 2)

    def set_busy(self, busy: bool, text: str = "") -> None:
        for b in (
            self.open_button,
            self.paste_button,
            self.camera_button,
            self.type_button,
            self.platform,
        ):
            b.setEnabled(not busy)
        self.busy_label.setText(text)
        for w in (self.busy_label, self.busy_bar, self.cancel_button):
            w.setVisible(busy)

    # actions
    def open_file(self) -> None:
        path = open_file_name(
            self,
            _("Open a photo of the card"),
            str(Path.home()),
            _("Images ({patterns});;All files (*)").format(patterns=IMAGE_FILTER_EXTS),
        )
        if path:
            self.image_file.emit(Path(path), self.platform_id())

    def paste(self) -> bool:
        """Paste an image (or an image file) from the clipboard; False when there is none."""
        mime = QApplication.clipboard().mimeData()
        if mime is None or not self._accept_mime(mime):
            self.message.emit(
                "warning",
                _(
                    "The clipboard holds no picture. Copy a photo of "
                    "the card first, or open it from a file."
                ),
            )
            return False
        return True

    def _accept_mime(self, mime: QMimeData) -> bool:
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.image_data.emit(qimage_to_bgr(image), self.platform_id())
                return True
        for url in mime.urls():
            if url.isLocalFile():
                self.image_file.emit(Path(url.toLocalFile()), self.platform_id())
                return True
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self._accept_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            self.message.emit("warning", _("That is not a picture cardbind can open."))

    def retranslate(self) -> None:
        super().retranslate()
        self.intro.setText(
            _(
                "Take or open a clear photo of the scratched code. cardbind reads "
                "it and shows you exactly which characters to check."
            )
        )
        self.platform_label.setText(_("Card t&ype:"))
        self.platform.retranslate()
        self.open_button.setText(_("&Open a photo…"))
        self.open_button.setToolTip(_("Ctrl+O"))
        self.paste_button.setText(_("&Paste a photo"))
        self.camera_button.setText(_("Use the &camera"))
        self.type_button.setText(_("&Type the code instead"))
        self.drop_label.setText(_("Or drop a photo of the card here."))
        self.cancel_button.setText(_("Cancel"))
        self.machine_notice.retranslate()

    def _arrange_buttons(self, columns: int) -> None:
        buttons = (self.open_button, self.paste_button, self.camera_button, self.type_button)
        for b in buttons:
            self.grid.removeWidget(b)
        shown = [b for b in buttons if b is not self.camera_button or self.camera_available]
        for n, b in enumerate(shown):
            self.grid.addWidget(b, n // columns, n % columns)

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        # Elder mode: one big button per row, nothing to aim between.
        self._arrange_buttons(columns=1 if m.elder else 2)
        self.grid.setSpacing(m.gap_px)
        for b in (self.open_button, self.paste_button, self.camera_button, self.type_button):
            b.setMinimumHeight(round(m.target_px * 1.3))

    def first_focus(self) -> QWidget | None:
        return self.open_button
