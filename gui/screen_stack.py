"""The main window's screens, one at a time: each scrolls at large zoom instead of being
cut off, with its action bar kept in view below it; a screen shown opens at its top with
its first field focused and in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from gui.screens.base import Screen
from gui.widgets.page import scroll_area


class ScreenStack(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: dict[Screen, QWidget] = {}
        self.areas: dict[Screen, QScrollArea] = {}

    def add(self, screen: Screen) -> None:
        area = scroll_area(screen, self)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(area, 1)
        layout.addWidget(screen.action_bar)
        self.addWidget(page)
        self.pages[screen] = page
        self.areas[screen] = area
        self.name_areas()

    def name_areas(self) -> None:
        """Each screen's scrolling area is a Tab stop (a keyboard user scrolls a screen
        that does not fit with it): a screen reader names it by the screen's title."""
        for screen, area in self.areas.items():
            area.setAccessibleName(screen.title())

    def current(self) -> Screen | None:
        page = self.currentWidget()
        return next((s for s, p in self.pages.items() if p is page), None)

    def turn_to(self, screen: Screen) -> bool:
        """Show `screen` (the one shown before hears it left); True when it was not the
        one shown already."""
        current = self.current()
        if current is not None and current is not screen:
            current.left()
        self.setCurrentWidget(self.pages[screen])
        screen.entered()
        return current is not screen

    def focus_first(self, screen: Screen, *, at_top: bool) -> None:
        """Focus the screen's first field: `at_top`, it opens at its top (a new screen)."""
        focus = screen.first_focus()
        area = self.areas[screen]
        if at_top:
            area.verticalScrollBar().setValue(0)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            # At large zoom the first thing to do may be below the fold: bring it in.
            area.ensureWidgetVisible(focus)
