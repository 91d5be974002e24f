"""The main window's menu bar: File, View, Language, Tools and Help, with their keys.

What an entry does stays the window's (the actions call its methods); the menus show
the settings' state in their check marks (`sync`) and follow the language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox, QToolButton, QWidget

from core.i18n import LANGUAGES, _, current_language
from core.settings import ZOOM_STEPS

if TYPE_CHECKING:
    from gui.main_window import MainWindow

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
THEMES = ("system", "light", "dark", "high_contrast")


def _action(parent: QWidget, key: QKeySequence.StandardKey) -> QAction:
    action = QAction(parent)
    action.setShortcut(QKeySequence(key))
    return action


class MainMenus:
    def __init__(self, window: MainWindow) -> None:
        w, s = window, window.settings
        self._window = window
        bar = w.menuBar()
        self.file_menu = bar.addMenu("")
        self.open_action = _action(w, QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(w.open_photo)
        self.camera_action = QAction(w)
        self.camera_action.triggered.connect(lambda: w.open_camera(w.capture.platform_id()))
        self.type_action = QAction(w)
        self.type_action.triggered.connect(lambda: w.type_code(w.capture.platform_id() or "jd"))
        self.restart_action = QAction(w)
        self.restart_action.triggered.connect(w.start_over)
        self.next_customer_action = QAction(w)
        self.next_customer_action.setShortcut(QKeySequence("Ctrl+N"))
        self.next_customer_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.next_customer_action.triggered.connect(w.next_customer)
        self.quit_action = _action(w, QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(w.close)
        for a in (
            self.open_action,
            self.camera_action,
            self.type_action,
            self.restart_action,
            self.next_customer_action,
        ):
            self.file_menu.addAction(a)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.elder_action = QAction(w, checkable=True)
        self.elder_action.setChecked(s.elder_mode)
        self.elder_action.toggled.connect(w.set_elder_mode)
        self.view_menu.addAction(self.elder_action)
        self.staff_action = QAction(w, checkable=True)
        self.staff_action.setChecked(s.staff_mode)
        self.staff_action.toggled.connect(w.set_staff_mode)
        self.view_menu.addAction(self.staff_action)
        self.zoom_menu = self.view_menu.addMenu("")
        self.zoom_group = QActionGroup(w)
        self.zoom_actions: dict[int, QAction] = {}
        for step in ZOOM_STEPS:
            a = QAction(f"{step} %", w, checkable=True)
            a.setChecked(step == s.zoom)
            a.triggered.connect(lambda _c=False, step=step: w.set_zoom(step))
            self.zoom_group.addAction(a)
            self.zoom_menu.addAction(a)
            self.zoom_actions[step] = a
        self.zoom_in = _action(w, QKeySequence.StandardKey.ZoomIn)
        self.zoom_in.triggered.connect(lambda: w.step_zoom(+1))
        self.zoom_out = _action(w, QKeySequence.StandardKey.ZoomOut)
        self.zoom_out.triggered.connect(lambda: w.step_zoom(-1))
        self.zoom_menu.addSeparator()
        self.zoom_menu.addAction(self.zoom_in)
        self.zoom_menu.addAction(self.zoom_out)
        self.theme_menu = self.view_menu.addMenu("")
        self.theme_group = QActionGroup(w)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            a = QAction(w, checkable=True)
            a.setChecked(name == s.theme)
            a.triggered.connect(lambda _c=False, name=name: w.set_theme(name))
            self.theme_group.addAction(a)
            self.theme_menu.addAction(a)
            self.theme_actions[name] = a

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(w)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            a = QAction(LANGUAGE_NAMES[lang], w, checkable=True)
            a.setChecked(lang == current_language())
            a.triggered.connect(lambda _c=False, lang=lang: w.set_language(lang))
            self.language_group.addAction(a)
            self.language_menu.addAction(a)
            self.language_actions[lang] = a

        self.tools_menu = bar.addMenu("")
        self.settings_action = _action(w, QKeySequence.StandardKey.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(w.open_settings)
        self.history_action = QAction(w)
        self.history_action.triggered.connect(w.open_history)
        self.tools_menu.addAction(self.history_action)
        self.tools_menu.addAction(w.batch.action)
        self.tools_menu.addAction(self.settings_action)

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(w)
        self.about_action.triggered.connect(self.about)
        self.help_menu.addAction(self.about_action)

    def sync(self) -> None:
        """Check marks and enabled entries as the settings are now."""
        s = self._window.settings
        for action, on in ((self.elder_action, s.elder_mode), (self.staff_action, s.staff_mode)):
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)
        if s.zoom in self.zoom_actions:
            self.zoom_actions[s.zoom].setChecked(True)
        if s.theme in self.theme_actions:
            self.theme_actions[s.theme].setChecked(True)
        if current_language() in self.language_actions:
            self.language_actions[current_language()].setChecked(True)
        self.next_customer_action.setEnabled(s.staff_mode)

    def about(self) -> None:
        QMessageBox.about(
            self._window,
            _("About cardbind"),
            _(
                "cardbind 卡密绑定助手\n\nReads a gift card's code, tells you exactly which "
                "characters to check, and binds it once. Card codes never leave this computer "
                "except to the platform you bind with."
            ),
        )

    def retranslate(self) -> None:
        self.file_menu.setTitle(_("&File"))
        self.open_action.setText(_("&Open a photo…"))
        self.camera_action.setText(_("Use the &camera"))
        self.type_action.setText(_("&Type a code"))
        self.restart_action.setText(_("&Start over"))
        self.next_customer_action.setText(_("&Next customer (clear everything)"))
        self.staff_action.setText(_("Staff mode (&counter)"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.elder_action.setText(_("&Elder mode (长辈版)"))
        self.zoom_menu.setTitle(_("&Zoom"))
        self.zoom_in.setText(_("Zoom &in"))
        self.zoom_out.setText(_("Zoom &out"))
        self.theme_menu.setTitle(_("&Colours"))
        theme_names = {
            "system": _("Standard"),
            "light": _("Light"),
            "dark": _("Dark"),
            "high_contrast": _("High contrast"),
        }
        for name, a in self.theme_actions.items():
            a.setText(theme_names[name])
        self.language_menu.setTitle(_("&Language"))
        more = self._window.menuBar().findChild(QToolButton, "qt_menubar_ext_button")
        if more is not None:  # shown when the menus do not fit (large zoom)
            more.setAccessibleName(_("More menus"))
        self.tools_menu.setTitle(_("Tool&s"))
        self.settings_action.setText(_("&Settings…"))
        self.history_action.setText(_("&History"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About cardbind"))
