"""One message bridge for every user-facing message (qutebrowser's pattern).

Code anywhere in the GUI says `messages.error(text, self)` (or `warning`, `info`,
`say(level, …)`): `self` is the widget or the object that speaks, and the message
goes to the window it belongs to. The bridge logs it, masked, and every window's
`Banner` shows the messages meant for its window inline (no pop-ups, which elder mode
forbids) with an icon and words, and announces them to screen readers. Tests listen
to `shown` to learn what the user was told (the `told` fixture).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from core.codes.mask import redact

log = logging.getLogger(__name__)

Level = Literal["info", "warning", "error"]
LEVELS: tuple[Level, ...] = ("info", "warning", "error")
_LOG_LEVEL = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


@dataclass(frozen=True)
class Message:
    level: Level
    text: str
    #: the window that shows it (None: a message from no window, shown nowhere)
    window: QWidget | None = field(default=None, compare=False)


def window_of(source: QObject | None) -> QWidget | None:
    """The top-level window `source` belongs to: its own for a widget, its nearest
    widget ancestor's for any other object (a controller whose parent is a window)."""
    while source is not None and not isinstance(source, QWidget):
        source = source.parent()
    return source.window() if source is not None else None


class MessageBridge(QObject):
    shown = Signal(object)  # Message
    dismissed = Signal(object)  # the window (QWidget) whose message is gone

    def __init__(self) -> None:
        super().__init__()
        self.history: list[Message] = []

    def show(self, level: Level, text: str, source: QObject | None) -> Message:
        window = window_of(source)
        msg = Message(level, text, window)
        self.history.append(msg)
        del self.history[:-50]
        name = window.objectName() if window is not None else "-"
        log.log(_LOG_LEVEL[level], "message shown in %s: %s", name or "-", redact(text))
        self.shown.emit(msg)
        return msg

    def dismiss(self, source: QObject | None) -> None:
        """Take the message of `source`'s window away (the user moved on)."""
        self.dismissed.emit(window_of(source))


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def say(level: str, text: str, source: QObject | None) -> None:
    """A message whose level is data (a screen's `message` signal); unknown → info."""
    bridge().show(next((lv for lv in LEVELS if lv == level), "info"), text, source)


def info(text: str, source: QObject | None) -> None:
    bridge().show("info", text, source)


def warning(text: str, source: QObject | None) -> None:
    bridge().show("warning", text, source)


def error(text: str, source: QObject | None) -> None:
    bridge().show("error", text, source)


def dismiss(source: QObject | None) -> None:
    bridge().dismiss(source)
