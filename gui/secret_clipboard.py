"""The card code copied for browser-assist: marked as a password for clipboard managers
and taken off the clipboard again after a while and when the app quits — only if the
clipboard still holds it (what the user copied since is theirs).

A card code is bearer money. Clipboard managers keep a history, so the copy carries the
hint each system's managers honour: `x-kde-passwordManagerHint: secret` on Linux
(Klipper, GPaste, wl-clip-persist…), `ExcludeClipboardContentFromMonitorProcessing` on
Windows (with Windows' own history and cloud sync told no), and the concealed type on
macOS. The wait is a setting (`clipboard_clear_s`, 60 s by default).
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from PySide6.QtCore import QMimeData, QObject, QTimer, SignalInstance
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_CLEAR_S = 60
_NO = b"\x00\x00\x00\x00"  # a DWORD 0: "no", for the Windows formats that ask


def password_hints(platform: str = "") -> dict[str, bytes]:
    """The clipboard formats that mark a copy as a password, for `platform`."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return {
            "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
            "CanIncludeInClipboardHistory": _NO,
            "CanUploadToCloudClipboard": _NO,
        }
    if platform == "darwin":
        return {"application/x-nspasteboard-concealed-type": b"secret"}
    return {"x-kde-passwordManagerHint": b"secret"}


def secret_mime(text: str, platform: str = "") -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    for kind, value in password_hints(platform).items():
        mime.setData(kind, value)
    return mime


class Timer(Protocol):
    """The part of QTimer used here (tests pass a timer they fire by hand)."""

    @property
    def timeout(self) -> SignalInstance: ...

    def start(self, msec: int) -> None: ...
    def stop(self) -> None: ...


class SecretClipboard(QObject):
    """Copies a code for a while; `clear()` takes it off if it is still there."""

    def __init__(
        self,
        clipboard: QClipboard | None = None,
        timer: Timer | None = None,
        quitting: SignalInstance | None = None,
        platform: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._platform = platform
        if timer is None:
            qtimer = QTimer(self)
            qtimer.setSingleShot(True)
            timer = qtimer
        self._timer: Timer = timer
        self._timer.timeout.connect(self.clear)
        self._copied: str | None = None
        app = QGuiApplication.instance()
        signal = quitting if quitting is not None else (app.aboutToQuit if app else None)
        if signal is not None:
            signal.connect(self.clear)

    @property
    def holding(self) -> bool:
        """Is a code of ours waiting to be taken off the clipboard?"""
        return self._copied is not None

    def copy(self, text: str, clear_after_s: float = DEFAULT_CLEAR_S) -> None:
        self._clipboard.setMimeData(secret_mime(text, self._platform))
        self._copied = text
        # Never kept for good: a wait of 0 or less (or nonsense) is the default one.
        seconds = clear_after_s if 0 < clear_after_s <= 3600 else DEFAULT_CLEAR_S
        self._timer.start(round(seconds * 1000))

    def forget(self) -> None:
        """Stop waiting and leave the clipboard as it is (tests end with this)."""
        self._copied = None
        self._timer.stop()

    def clear(self) -> bool:
        """Take our code off the clipboard if it is still there; True when it was."""
        copied, self._copied = self._copied, None
        self._timer.stop()
        if copied is None or self._clipboard.text() != copied:
            return False
        self._clipboard.clear()
        log.info("the copied code was taken off the clipboard")
        return True


_shared: SecretClipboard | None = None


def shared() -> SecretClipboard:
    """The app's one secret clipboard (made on the GUI thread at first use)."""
    global _shared
    if _shared is None:
        _shared = SecretClipboard()
    return _shared
