"""The Alt+letter keys a user can press in a window: shared by the accessibility tests."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def alt_keys(root: QWidget, extra_texts: Iterable[str] = ()) -> list[str]:
    """The mnemonic letters of the visible buttons and buddied labels under `root`, plus
    those of `extra_texts` (a menu bar's titles), lower-cased, repeats kept."""
    texts = list(extra_texts)
    for w in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        if not w.isVisible() or (isinstance(w, QLabel) and w.buddy() is None):
            continue
        texts.append(w.text())
    keys = []
    for t in texts:
        m = re.search(r"&([^&\s])", t.replace("&&", ""))
        if m:
            keys.append(m.group(1).lower())
    return keys
