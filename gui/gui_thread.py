"""Run a small piece of GUI work (clipboard, opening a web page) from a worker thread.

Adapters run in worker threads, but the clipboard and QDesktopServices belong to the
GUI thread; these helpers hand the call over and wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtCore import Qt as _Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication

from gui.secret_clipboard import DEFAULT_CLEAR_S, shared


class _Caller(QObject):
    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, _Qt.ConnectionType.BlockingQueuedConnection)

    @Slot(object)
    def _run(self, box: list[Any]) -> None:
        fn = box[0]
        box.append(fn())


_caller: _Caller | None = None


def on_gui_thread(fn: Callable[[], Any]) -> Any:
    """Call `fn` on the GUI thread and return its result (directly when already there)."""
    app = QGuiApplication.instance()
    if app is None or QThread.currentThread() is app.thread():
        return fn()
    if _caller is None:
        raise RuntimeError("gui_thread.install() was not called")
    box: list[Any] = [fn]
    _caller.call.emit(box)
    return box[1] if len(box) > 1 else None


def install() -> None:
    """Create the hand-over object on the GUI thread (once, at start-up)."""
    global _caller
    if _caller is None:
        _caller = _Caller()


def open_url(url: str) -> bool:
    return bool(on_gui_thread(lambda: QDesktopServices.openUrl(QUrl(url))))


def copy_text(text: str, clear_after_s: float = DEFAULT_CLEAR_S) -> None:
    """Put a card code on the clipboard, marked as a password and taken off again after
    `clear_after_s` and when the app quits (gui/secret_clipboard.py)."""
    on_gui_thread(lambda: shared().copy(text, clear_after_s))
