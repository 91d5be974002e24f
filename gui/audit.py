"""Accessibility audit of a widget tree: what a screen reader user, a low-vision user
and a keyboard user would trip over. Used by the tests for every screen in both modes
(and handy in a debugger: `print(audit(window))`).

Checks (the elder-mode numbers: docs/elder-mode.md): every control has an accessible
name, and so has every item a screen reader lists (a list's rows, a combo box's
choices, tabs); text is at least the mode's body size; click targets are
at least the mode's target size; text/background contrast meets the mode's ratio;
controls are reachable by Tab.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QScrollArea,
    QScrollBar,
    QTabBar,
    QWidget,
)

from gui.theme import contrast

INTERACTIVE = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QAbstractSpinBox, QTabBar)


@dataclass(frozen=True)
class Finding:
    kind: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def _describe(w: QWidget) -> str:
    name = w.objectName() or ""
    text = getattr(w, "text", None)
    label = text() if callable(text) else ""
    return f"{type(w).__name__}({name or label!r})"


def _accessible_name(w: QWidget) -> str:
    iface: object = QAccessible.queryAccessibleInterface(w)
    if iface is None:  # the stubs say it never is; Qt returns null for some widgets
        return w.accessibleName()
    name = iface.text(QAccessible.Text.Name)  # type: ignore[attr-defined]
    return str(name or w.accessibleName())


def _visible(w: QWidget) -> bool:
    return w.isVisibleTo(w.window()) and w.isVisible()


# A table cell may be blank (no detail for a row); a list's choice or a tab may not.
ITEM_ROLES = (QAccessible.Role.ListItem, QAccessible.Role.TreeItem, QAccessible.Role.PageTab)


def nameless_items(root: QWidget) -> list[Finding]:
    """Items a screen reader reads out (AT-SPI walks this same tree) that have no name."""
    found: list[Finding] = []

    def walk(iface: object, owner: str, depth: int) -> None:
        if iface is None or not iface.isValid() or depth > 40:  # type: ignore[attr-defined]
            return
        obj = iface.object()  # type: ignore[attr-defined]
        if isinstance(obj, QWidget):
            owner = _describe(obj)
        role = iface.role()  # type: ignore[attr-defined]
        state = iface.state()  # type: ignore[attr-defined]
        if (
            role in ITEM_ROLES
            and not state.invisible
            and not str(iface.text(QAccessible.Text.Name) or "").strip()  # type: ignore[attr-defined]
        ):
            rect = iface.rect()  # type: ignore[attr-defined]
            found.append(
                Finding(
                    "item-name", owner, f"{role.name} {rect.width()}×{rect.height()} has no name"
                )
            )
        for i in range(iface.childCount()):  # type: ignore[attr-defined]
            walk(iface.child(i), owner, depth + 1)  # type: ignore[attr-defined]

    walk(QAccessible.queryAccessibleInterface(root), _describe(root), 0)
    return found


def audit(
    root: QWidget, *, min_text_pt: float, min_target_px: int, min_contrast: float
) -> list[Finding]:
    findings: list[Finding] = nameless_items(root)
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not _visible(w) or isinstance(w, QScrollBar | QMenuBar):
            continue
        if isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox | QLineEdit):
            continue  # parts of a control (a combo's line edit, a field's clear button)
        takes_tab = w.focusPolicy() != w.focusPolicy().NoFocus
        # A page's scrolling area is a Tab stop too (a keyboard user scrolls with it):
        # a screen reader says its name when Tab lands there.
        interactive = isinstance(w, INTERACTIVE) or (
            takes_tab and (w.property("audit-control") or isinstance(w, QScrollArea))
        )
        if interactive:
            if not _accessible_name(w).strip() and not isinstance(w, QTabBar):
                findings.append(Finding("name", _describe(w), "no accessible name"))
            if (
                isinstance(w, QAbstractButton | QComboBox | QLineEdit)
                and not isinstance(w.parentWidget(), QMenuBar)
                and (w.height() < min_target_px or w.width() < min_target_px)
            ):
                findings.append(
                    Finding(
                        "target", _describe(w), f"{w.width()}×{w.height()} px < {min_target_px}"
                    )
                )
        if isinstance(w, QLabel | QAbstractButton | QComboBox | QLineEdit) and (
            w.text() if hasattr(w, "text") else "x"
        ):
            size = w.font().pointSizeF()
            if size > 0 and size + 0.01 < min_text_pt:
                findings.append(
                    Finding("text-size", _describe(w), f"{size:.1f} pt < {min_text_pt}")
                )
            pal = w.palette()
            fg = pal.color(w.foregroundRole()).name()
            bg = pal.color(w.backgroundRole()).name()
            if isinstance(w, QLineEdit | QComboBox):
                fg = pal.color(QPalette.ColorRole.Text).name()
                bg = pal.color(QPalette.ColorRole.Base).name()
            ratio = contrast(fg, bg)
            if ratio + 0.01 < min_contrast:
                findings.append(
                    Finding(
                        "contrast", _describe(w), f"{fg} on {bg} = {ratio:.2f}:1 < {min_contrast}"
                    )
                )
    return findings
