"""One message bridge for every user-facing message (qutebrowser's pattern).

Code anywhere in the GUI calls `messages.error(...)` / `warning` / `info`; the main
window shows them inline (no pop-ups, which elder mode forbids) with an icon and words,
announces them to screen readers and, when voice is on, can say them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, Signal

from core.codes.mask import redact

log = logging.getLogger(__name__)

Level = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class Message:
    level: Level
    text: str


class MessageBridge(QObject):
    shown = Signal(object)  # Message

    def __init__(self) -> None:
        super().__init__()
        self.history: list[Message] = []

    def show(self, level: Level, text: str) -> None:
        msg = Message(level, text)
        self.history.append(msg)
        del self.history[:-50]
        log.log({"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}[level],
                "message shown: %s", redact(text))
        self.shown.emit(msg)


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def info(text: str) -> None:
    bridge().show("info", text)


def warning(text: str) -> None:
    bridge().show("warning", text)


def error(text: str) -> None:
    bridge().show("error", text)
