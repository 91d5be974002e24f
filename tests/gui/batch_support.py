"""Helpers for the batch window tests: a sandbox service factory, card files, and a
search of every widget and model for a full code."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from core.bind.adapters.faults import FaultSpec
from core.bind.adapters.ledger import SandboxCard, SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import CardHasher
from core.bind.clock import Clock
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store

# No pacing and quick retries; the breaker stays shut through a fault-heavy batch.
BATCH_POLICY = BindPolicy(
    pacing_s=0,
    retries=4,
    retry_base_s=0.01,
    retry_max_s=0.05,
    breaker_threshold=50,
    breaker_reset_s=1,
)


def service_factory(
    ledger_path: Path,
    store_path: Path,
    clock: Clock | None = None,
    *,
    faults: FaultSpec | None = None,
    hasher: CardHasher | None = None,
    policy: BindPolicy = BATCH_POLICY,
) -> Callable[[], BindService]:
    """A fresh service per call, as the app's factory makes them (the window closes it)."""

    def make() -> BindService:
        ledger = SandboxLedger(ledger_path, clock)
        store = Store(store_path, clock) if clock is not None else Store(store_path)
        return BindService(
            SandboxAdapter(ledger, faults, clock=clock),
            store,
            hasher=hasher or CardHasher(),
            policy=policy,
            clock=clock,
        )

    return make


def write_cards(
    path: Path,
    cards: Iterable[SandboxCard],
    *,
    extra: Iterable[str] = (),
    header: str = "card_number,pin,platform",
    encoding: str = "utf-8",
) -> Path:
    lines = [header] + [f"{c.card_number},{c.pin},{c.platform}" for c in cards]
    lines += list(extra)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def code_forms(codes: Iterable[str]) -> list[str]:
    """A code as it could appear: whole, lower case, grouped, and either half of it."""
    forms: list[str] = []
    for code in codes:
        forms += [
            code,
            code.lower(),
            "-".join(code[i : i + 4] for i in range(0, len(code), 4)),
            " ".join(code[i : i + 4] for i in range(0, len(code), 4)),
            code[: len(code) // 2],
            code[len(code) // 2 :],
        ]
    return forms


def model_texts(model: QAbstractItemModel) -> list[str]:
    texts: list[str] = []
    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
    )
    for c in range(model.columnCount()):
        texts.append(str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            for role in roles:
                value = model.data(model.index(r, c), role)
                if value is not None:
                    texts.append(str(value))
    return texts


def widget_texts(root: QWidget) -> list[str]:
    """Every text a user or a screen reader can get from the window, hidden or not."""
    texts: list[str] = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        texts += [w.accessibleName(), w.accessibleDescription(), w.toolTip()]
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.displayText())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            texts += model_texts(w.model())
    return texts


def leaks(texts: Iterable[str], codes: Iterable[str]) -> list[str]:
    forms = code_forms(codes)
    return [
        f"{form[:4]}… in {text[:60]!r}" for text in texts for form in forms if form and form in text
    ]


def settle(qtbot: Any, w: Any, timeout: int = 30_000) -> str:
    """Wait until the window has read its file (that happens in the background)."""
    qtbot.waitUntil(lambda: not w.controller.busy and w.state != "checking", timeout=timeout)
    return str(w.state)


def load(qtbot: Any, w: Any, path: Path) -> str:
    assert w.controller.load_file(path)
    return settle(qtbot, w)
