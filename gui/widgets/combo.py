"""A combo box that shrinks with the window instead of forcing it wider (200 % zoom)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget


def fit_narrow(combo: QComboBox) -> None:
    """Let `combo` be narrower than its longest entry (the entry is elided instead)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def make_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    fit_narrow(combo)
    return combo
