"""What every page of the app shares, in the main window and the batch window alike: a
body that scrolls up and down with the action bar kept in view below it, and the gaps
of both from the theme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QWidget

from gui.theme import Metrics


def scroll_area(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in an area of its own: at 200 % zoom a page may not fit, and it scrolls
    instead of being cut off. Never sideways: its text wraps to the window's width."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


def space_page(body: QBoxLayout, actions: QBoxLayout, m: Metrics) -> None:
    """The gaps of a page's body and of its action bar, as large as the text is."""
    body.setSpacing(m.gap_px)
    body.setContentsMargins(m.gap_px * 2, m.gap_px, m.gap_px * 2, m.gap_px)
    actions.setSpacing(m.gap_px)
    actions.setContentsMargins(m.gap_px * 2, m.gap_px // 2, m.gap_px * 2, m.gap_px)
