"""`Told`: what the user was told through the message bridge during a test (the `told`
fixture of tests/gui/conftest.py), so tests assert on messages, not on banner widgets."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from gui.messages import Level, Message


@dataclass
class Told:
    """Every message shown during a test, in order: (level, text, window)."""

    messages: list[Message] = field(default_factory=list)

    def hear(self, message: Message) -> None:
        self.messages.append(message)

    def to(self, window: QWidget) -> list[Message]:
        """The messages shown in `window`'s banner, oldest first."""
        return [m for m in self.messages if m.window is window]

    def last(self, window: QWidget) -> Message:
        said = self.to(window)
        assert said, f"{window.objectName() or window} was told nothing"
        return said[-1]

    def texts(self, window: QWidget, level: Level | None = None) -> list[str]:
        return [m.text for m in self.to(window) if level is None or m.level == level]
