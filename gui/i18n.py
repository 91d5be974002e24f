"""Language switching for the GUI: our gettext catalogue plus Qt's own qtbase catalogue.

Qt's catalogue translates the standard buttons (OK, Cancel, …) and context menus.
Installing or removing a QTranslator makes Qt send LanguageChange to every widget;
our widgets re-translate themselves in `changeEvent`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from core.i18n import set_language

_qt_translator: QTranslator | None = None


def apply_language(lang: str) -> str:
    """Switch core and Qt to `lang`; every open widget gets a LanguageChange event."""
    global _qt_translator
    chosen = set_language(lang)
    app = QCoreApplication.instance()
    if app is None:
        return chosen
    if _qt_translator is not None:
        QCoreApplication.removeTranslator(_qt_translator)
        _qt_translator = None
    if chosen != "en":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{chosen}", path):
            QCoreApplication.installTranslator(translator)
            _qt_translator = translator
    QLocale.setDefault(QLocale(chosen))
    # Removing the last translator sends no event in some Qt versions; make sure.
    for widget in getattr(app, "topLevelWidgets", list)():
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    return chosen
