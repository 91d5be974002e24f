"""Keyboard traps: controls that Tab reaches but cannot leave (WCAG 2.1.2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def keyboard_traps(window: QWidget, qtbot: QtBot) -> list[str]:
    """Every visible control of `window` that takes Tab's focus and keeps it on Tab."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    stuck = []
    for w in window.findChildren(QWidget):
        tab = bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if not (tab and w.isVisible() and w.isEnabled() and w.window() is window):
            continue
        w.setFocus()
        if QApplication.focusWidget() is not w:
            continue
        qtbot.keyClick(w, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is w:
            stuck.append(f"{type(w).__name__} {w.accessibleName() or w.objectName()}")
    return stuck
