"""Frame sources for the camera screen: a real camera (QtMultimedia) or a video file.

Both emit BGR numpy frames on the GUI thread, at most `max_fps` per second, so the OCR
worker downstream sees a steady trickle it can drop from (latest frame wins). A video
file stands in for the camera in demos, store training and tests (`--camera-file`).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtGui import QImage

from core.i18n import _
from gui.imaging import qimage_to_bgr

log = logging.getLogger(__name__)


class FrameSource(QObject):
    frame = Signal(object)  # np.ndarray, BGR uint8
    error = Signal(str)  # a message for the user
    started = Signal()
    stopped = Signal()

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def description(self) -> str:
        return ""


def camera_devices() -> list[tuple[str, str]]:
    """(id, description) of every camera Qt can see; empty when there is none, or when
    Qt's camera cannot load here (gui/multimedia.py)."""
    from gui import multimedia

    if not multimedia.multimedia_available():
        return []
    from PySide6.QtMultimedia import QMediaDevices

    return [
        (bytes(d.id().data()).decode("utf-8", "replace"), d.description())
        for d in QMediaDevices.videoInputs()
    ]


class QtCameraSource(FrameSource):
    """A live camera through QtMultimedia, after asking the platform for permission."""

    def __init__(
        self, device_id: str = "", max_fps: float = 8.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.device_id = device_id
        self.max_fps = max_fps
        self._last = 0.0
        # Held so that Qt does not drop the camera pipeline while it runs.
        self._camera: object | None = None
        self._session: object | None = None
        self._sink: object | None = None

    def description(self) -> str:
        for dev_id, desc in camera_devices():
            if dev_id == self.device_id:
                return desc
        return _("Camera")

    def start(self) -> None:
        from PySide6.QtCore import QCameraPermission

        try:
            from PySide6.QtMultimedia import (
                QCamera,
                QMediaCaptureSession,
                QMediaDevices,
                QVideoSink,
            )
        except ImportError as exc:  # no PulseAudio library: gui/multimedia.py
            log.warning("camera: Qt's multimedia module cannot be loaded: %s", exc)
            self.error.emit(
                _(
                    "The camera is off on this computer: Qt's camera module cannot "
                    "be loaded. Open a photo of the card instead."
                )
            )
            return

        app = QCoreApplication.instance()
        if app is not None:
            permission = QCameraPermission()
            status = app.checkPermission(permission)
            if status == Qt.PermissionStatus.Undetermined:
                app.requestPermission(permission, self, lambda _p: self.start())
                return
            if status == Qt.PermissionStatus.Denied:
                self.error.emit(
                    _(
                        "cardbind may not use the camera. Allow camera access in "
                        "your system's privacy settings, or open a photo instead."
                    )
                )
                return
        devices = QMediaDevices.videoInputs()
        if not devices:
            self.error.emit(
                _("No camera was found. Connect a camera, or open a photo of the card instead.")
            )
            return
        device = next(
            (
                d
                for d in devices
                if bytes(d.id().data()).decode("utf-8", "replace") == self.device_id
            ),
            QMediaDevices.defaultVideoInput(),
        )
        camera = QCamera(device)
        session = QMediaCaptureSession()
        sink = QVideoSink()
        session.setCamera(camera)
        session.setVideoSink(sink)
        sink.videoFrameChanged.connect(self._on_frame)
        camera.errorOccurred.connect(self._on_error)
        self._camera, self._session, self._sink = camera, session, sink
        camera.start()
        self.started.emit()

    def _on_error(self, _error: object, text: str) -> None:
        log.warning("camera error: %s", text)
        self.error.emit(_("The camera stopped working: {reason}").format(reason=text))

    def _on_frame(self, frame: object) -> None:
        now = time.monotonic()
        if now - self._last < 1 / self.max_fps:
            return
        self._last = now
        image: QImage = frame.toImage()  # type: ignore[attr-defined]
        if image.isNull():
            return
        self.frame.emit(qimage_to_bgr(image))

    def stop(self) -> None:
        camera = self._camera
        if camera is not None:
            camera.stop()  # type: ignore[attr-defined]
        self._camera = self._session = self._sink = None
        self.stopped.emit()


class _FileReader(QThread):
    frame = Signal(object)
    failed = Signal(str)

    def __init__(self, path: Path, max_fps: float, loop: bool) -> None:
        super().__init__()
        self.path = path
        self.max_fps = max_fps
        self.loop = loop
        self._stop = threading.Event()

    def run(self) -> None:
        import cv2

        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            self.failed.emit(
                _("The video file {name} cannot be played.").format(name=self.path.name)
            )
            return
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        # Pace like a real camera would: the file's frame rate, capped at max_fps.
        interval = 1 / min(fps, self.max_fps) if self.max_fps > 0 else 0.0
        skip = max(1, round(fps / self.max_fps)) if self.max_fps > 0 else 1
        index = 0
        frames_seen = 0
        try:
            while not self._stop.is_set():
                ok, frame = capture.read()
                if not ok:
                    if self.loop and frames_seen:
                        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        continue
                    if not frames_seen:
                        self.failed.emit(
                            _("The video file {name} has no pictures in it.").format(
                                name=self.path.name
                            )
                        )
                    return
                frames_seen += 1
                index += 1
                if index % skip:
                    continue
                self.frame.emit(np.ascontiguousarray(frame))
                if interval:
                    self._stop.wait(interval)
        finally:
            capture.release()

    def stop(self) -> None:
        self._stop.set()


class VideoFileSource(FrameSource):
    """A video file played as if it were a camera (looping by default)."""

    def __init__(
        self,
        path: str | Path,
        max_fps: float = 8.0,
        loop: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.max_fps = max_fps
        self.loop = loop
        self._reader: _FileReader | None = None

    def description(self) -> str:
        return _("Video file {name}").format(name=self.path.name)

    def start(self) -> None:
        if not self.path.is_file():
            self.error.emit(_("The video file {name} was not found.").format(name=self.path.name))
            return
        reader = _FileReader(self.path, self.max_fps, self.loop)
        reader.frame.connect(self.frame)
        reader.failed.connect(self.error)
        self._reader = reader
        reader.start()
        self.started.emit()

    def stop(self) -> None:
        reader = self._reader
        if reader is not None:
            reader.stop()
            reader.wait(5000)
            self._reader = None
        self.stopped.emit()
