"""Look and size of the whole app: normal or elder mode, zoom steps, colour themes.

All sizes come from one `Metrics` object so that elder mode (长辈版) and the in-app zoom
(100–200 %, independent of the OS) reach every screen: body text, headings, the code,
touch targets, gaps and the focus ring. Colours come from palettes whose text/background
pairs meet 4.5:1 in normal mode and 7:1 in elder mode and high contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from core.settings import ZOOM_STEPS


@dataclass(frozen=True)
class Metrics:
    body_pt: float
    heading_pt: float
    code_pt: float
    target_px: int
    gap_px: int
    focus_px: int
    elder: bool
    zoom: int


@dataclass(frozen=True)
class Colors:
    window: str
    text: str
    base: str
    button: str
    button_text: str
    border: str
    accent: str  # focus ring, selection, marks on doubtful characters
    accent_text: str
    muted: str  # secondary text; still meets the contrast target on `window`
    danger: str
    ok: str


PALETTES: dict[str, Colors] = {
    "light": Colors(
        window="#f4f4f4",
        text="#161616",
        base="#ffffff",
        button="#ffffff",
        button_text="#161616",
        border="#595959",
        accent="#0b4fb3",
        accent_text="#ffffff",
        muted="#454545",
        danger="#a4000f",
        ok="#0d5c2a",
    ),
    "dark": Colors(
        window="#1d1d1f",
        text="#f2f2f2",
        base="#262629",
        button="#333338",
        button_text="#f2f2f2",
        border="#a0a0a0",
        accent="#a8c7ff",
        accent_text="#0b0b0b",
        muted="#c8c8c8",
        danger="#ffa8a8",
        ok="#7ee2a0",
    ),
    "high_contrast": Colors(
        window="#000000",
        text="#ffffff",
        base="#000000",
        button="#000000",
        button_text="#ffffff",
        border="#ffffff",
        accent="#ffd400",
        accent_text="#000000",
        muted="#ffffff",
        danger="#ff6b6b",
        ok="#7dff9c",
    ),
}


def relative_luminance(hex_color: str) -> float:
    c = QColor(hex_color)

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def metrics_for(elder: bool, zoom: int) -> Metrics:
    z = (zoom if zoom in ZOOM_STEPS else 100) / 100
    if elder:
        return Metrics(
            body_pt=18 * z,
            heading_pt=22 * z,
            code_pt=36 * z,
            target_px=round(64 * z),
            gap_px=round(14 * z),
            focus_px=4,
            elder=True,
            zoom=zoom,
        )
    return Metrics(
        body_pt=11 * z,
        heading_pt=15 * z,
        code_pt=28 * z,
        target_px=round(44 * z),
        gap_px=round(8 * z),
        focus_px=3,
        elder=False,
        zoom=zoom,
    )


class Theme(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.metrics = metrics_for(False, 100)
        self.name = "light"
        self.colors = PALETTES["light"]

    def apply(self, elder: bool, zoom: int, theme: str) -> None:
        self.metrics = metrics_for(elder, zoom)
        name = theme if theme in PALETTES else "light"
        self.name = name
        self.colors = PALETTES[name]
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(self.palette())
            font = QFont(app.font())
            font.setPointSizeF(self.metrics.body_pt)
            app.setFont(font)
            app.setStyleSheet(self.stylesheet())
        self.changed.emit()

    def palette(self) -> QPalette:
        c = self.colors
        p = QPalette()
        role = QPalette.ColorRole
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            p.setColor(group, role.Window, QColor(c.window))
            p.setColor(group, role.WindowText, QColor(c.text))
            p.setColor(group, role.Base, QColor(c.base))
            p.setColor(group, role.AlternateBase, QColor(c.window))
            p.setColor(group, role.Text, QColor(c.text))
            p.setColor(group, role.Button, QColor(c.button))
            p.setColor(group, role.ButtonText, QColor(c.button_text))
            p.setColor(group, role.Highlight, QColor(c.accent))
            p.setColor(group, role.HighlightedText, QColor(c.accent_text))
            p.setColor(group, role.Mid, QColor(c.border))
            p.setColor(group, role.PlaceholderText, QColor(c.muted))
            p.setColor(group, role.ToolTipBase, QColor(c.base))
            p.setColor(group, role.ToolTipText, QColor(c.text))
            p.setColor(group, role.Link, QColor(c.accent))
        p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(c.muted))
        p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c.muted))
        p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c.muted))
        return p

    def stylesheet(self) -> str:
        m, c = self.metrics, self.colors
        pad = max(4, m.gap_px // 2)
        return f"""
QWidget {{ color: {c.text}; font-size: {m.body_pt:.1f}pt; }}
QMainWindow, QDialog {{ background: {c.window}; }}
QPushButton, QToolButton {{
    background: {c.button}; color: {c.button_text};
    border: 2px solid {c.border}; border-radius: 8px;
    min-height: {m.target_px - 2 * 2}px; min-width: {m.target_px}px;
    padding: 0 {pad * 2}px;
}}
QMenuBar QToolButton {{ min-width: 0; min-height: 0; padding: 0; }}
QLineEdit QToolButton {{ min-width: 0; min-height: 0; padding: 0; border: none;
    background: transparent; }}
QPushButton:default {{ border-color: {c.accent}; }}
QPushButton:disabled, QToolButton:disabled {{ color: {c.muted}; border-style: dashed; }}
QPushButton:focus, QToolButton:focus, QLineEdit:focus, QComboBox:focus,
QListWidget:focus, QTableView:focus, QCheckBox:focus, QRadioButton:focus,
QSpinBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: {m.focus_px}px solid {c.accent};
}}
QLineEdit, QComboBox, QSpinBox {{
    background: {c.base}; border: 2px solid {c.border}; border-radius: 6px;
    min-height: {m.target_px - 2 * 2}px; padding: 0 {pad}px;
}}
QCheckBox, QRadioButton {{ min-height: {m.target_px}px; spacing: {m.gap_px}px;
    border: {m.focus_px}px solid transparent; border-radius: 6px; padding: 0 {pad}px; }}
QCheckBox::indicator, QRadioButton::indicator {{
    width: {round(m.target_px * 0.5)}px; height: {round(m.target_px * 0.5)}px; }}
QListWidget, QTableView, QPlainTextEdit, QTextEdit {{
    background: {c.base}; border: 2px solid {c.border}; border-radius: 6px; }}
QListWidget::item {{ padding: {pad}px; }}
QLabel[role="heading"] {{ font-size: {m.heading_pt:.1f}pt; font-weight: 700; }}
QLabel[role="summary"] {{ font-size: {m.body_pt * 1.15:.1f}pt; font-weight: 700; }}
QLineEdit[role="code"] {{ font-size: {m.body_pt * 1.4:.1f}pt; }}
QPushButton[role="choice"] {{ font-size: {m.code_pt * 0.75:.1f}pt; font-weight: 700; }}
QPushButton[role="row"] {{ font-size: {m.body_pt * 1.2:.1f}pt; font-family: monospace;
    text-align: left; padding: 0 {pad}px; }}
QLabel[role="muted"] {{ color: {c.muted}; }}
QFrame[role="banner-error"] {{ border: 3px solid {c.danger}; border-radius: 8px;
    background: {c.base}; }}
QFrame[role="banner-warning"] {{ border: 3px solid {c.accent}; border-radius: 8px;
    background: {c.base}; }}
QFrame[role="banner-info"] {{ border: 2px solid {c.border}; border-radius: 8px;
    background: {c.base}; }}
QMenuBar, QMenu {{ background: {c.window}; color: {c.text}; }}
QMenu::item:selected, QMenuBar::item:selected {{ background: {c.accent};
    color: {c.accent_text}; }}
QProgressBar {{ border: 2px solid {c.border}; border-radius: 6px; text-align: center;
    min-height: {round(m.target_px * 0.6)}px; background: {c.base}; }}
QProgressBar::chunk {{ background: {c.accent}; }}
QToolTip {{ background: {c.base}; color: {c.text}; border: 1px solid {c.border}; }}
"""


_theme: Theme | None = None


def theme() -> Theme:
    global _theme
    if _theme is None:
        _theme = Theme()
    return _theme
