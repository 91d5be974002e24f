"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 drops a reference to None every time a QVariant-returning call (such as
QComboBox.currentData() on an item without data) returns None; after enough calls
Python 3.11 aborts with "deallocating None". constraints.txt pins a version without it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidgetItem, QWidget
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason=(
        "None is immortal from Python 3.12: its reference count never changes, so lost "
        "references can neither be seen nor crash the interpreter"
    ),
)
def test_none_from_qvariant_keeps_its_reference(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("auto", None)
    item = QListWidgetItem("x")
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(200):
        assert combo.currentData() is None
        assert item.data(Qt.ItemDataRole.UserRole) is None
        assert widget.property("no-such-property") is None
    # Other code may take or drop a few references meanwhile; 600 lost ones would show.
    assert sys.getrefcount(None) - before > -100
