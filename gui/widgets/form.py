"""Forms whose labels sit above their fields and wrap at the full width of the form.

A QFormLayout gives a label no more than its size hint, and a word-wrapped label's hint
is a guess: a Chinese label without spaces wrapped in a column a third of the form wide.
A label on a row of its own spans the form, and wraps only when the form is narrower."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QWidget


def labelled(form: QFormLayout, label: QLabel, field: QWidget | QLayout) -> None:
    """Add `label` above `field`, each on a full-width row (the label names the field:
    its buddy, so that its Alt+letter moves there)."""
    label.setWordWrap(True)
    form.addRow(label)
    form.addRow(field)
