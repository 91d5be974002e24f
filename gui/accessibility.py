"""Screen-reader helpers."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent


def announce(source: QObject, text: str) -> bool:
    """Have the screen reader say `text` without moving focus; False when none listens."""
    if not text or not QAccessible.isActive():
        return False
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))
    return True
