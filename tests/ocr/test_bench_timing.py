"""The OCR benchmark times every engine fairly: a Tesseract process cardbind started
ahead must not do its start-up inside another engine's timed read (docs/ocr.md,
"Speed: Tesseract started ahead")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from benchmarks import ocr_bench
from ocr.tess_spares import SPARES


@pytest.fixture(autouse=True)
def _spares_back_on() -> Iterator[None]:
    yield
    SPARES.enabled = True


def cases() -> list[ocr_bench.Case]:
    return [
        ocr_bench.Case(f"c{i}", "clean", "jd_ecard", lambda: np.zeros((8, 8, 3), np.uint8), {})
        for i in range(2)
    ]


def bench(monkeypatch: pytest.MonkeyPatch, warm: bool) -> list[tuple[bool, int]]:
    """Run the benchmark over two cases with an engine that notes, at each call, whether
    processes may be started ahead and how many waits for them came before it."""
    seen: list[tuple[bool, int]] = []
    settled: list[int] = []

    def make() -> Callable[..., Any]:
        def run(case: ocr_bench.Case, image: np.ndarray) -> dict[str, Any]:
            seen.append((SPARES.enabled, len(settled)))
            return {}

        return run

    monkeypatch.setitem(ocr_bench.ENGINES, "probe", make)
    monkeypatch.setattr(ocr_bench, "settle_spares", lambda: settled.append(1))
    ocr_bench.run_all(cases(), ["probe"], warm=warm)
    return seen


def test_reads_are_timed_without_processes_started_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = bench(monkeypatch, warm=False)
    assert seen
    assert all(not enabled for enabled, _ in seen)
    assert all(n == 0 for _, n in seen)  # never waited for them


def test_warm_reads_wait_for_them_before_every_timed_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = bench(monkeypatch, warm=True)
    timed = seen[1:]  # the first call is the untimed warm-up
    assert [enabled for enabled, _ in timed] == [True, True]
    assert [n for _, n in timed] == [1, 2]  # settled before each of them
