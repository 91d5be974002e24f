"""Icons that carry meaning next to words (never instead of them).

Qt's standard message icons render on every platform without an emoji font.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

_TIER_PIXMAPS = {
    "block": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "guide": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "hint": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
}


def tier_icon(tier: str) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(_TIER_PIXMAPS.get(tier, _TIER_PIXMAPS["hint"]))
