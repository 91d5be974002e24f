"""The OCR benchmark reads each card with the card type a GUI user would pick for it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks import ocr_bench


def test_a_card_of_another_operator_is_read_as_its_own_type_not_cmccs(tmp_path: Path) -> None:
    # Our generator draws recharge cards of other operators, whose codes are 15–20
    # digits: forced to CMCC's format, every right reading of them was flagged whole,
    # a false flag no user who picked the card's own type would see.
    entries = [
        {"file": "a.png", "tier": "clean", "layout": "recharge", "platform": "generic",
         "fields": {"pin": "1234567890123456", "card_number": "987654321098765"}},
        {"file": "b.png", "tier": "clean", "layout": "recharge",
         "fields": {"pin": "123456789012345678", "card_number": "98765432109876543"}},
        {"file": "c.png", "tier": "clean", "layout": "jd_ecard", "platform": None,
         "fields": {"pin": "ABCD1234EFGH5678", "card_number": "1234567890123456"}},
    ]  # fmt: skip
    (tmp_path / "truth.json").write_text(json.dumps(entries), encoding="utf-8")
    chosen = [case.chosen for case in ocr_bench.set_cases(tmp_path)]
    # Named by the set: its own; not named (the sample set): the one for its layout.
    assert chosen == ["generic", "cmcc", "jd"]
    synth = ocr_bench.synth_cases(1, seed=101)
    assert all(case.chosen == case.platform for case in synth)


def test_a_card_read_wrong_with_nothing_flagged_is_named_unsafe_in_the_verbose_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    truth: dict[str, str | None] = {"pin": "ABCD1234EFGH5678", "card_number": "1234567890123456"}

    def case(name: str) -> ocr_bench.Case:
        return ocr_bench.Case(name, "clean", "jd_ecard", lambda: np.zeros((8, 8, 3)), truth)

    def reader(case: ocr_bench.Case, image: object) -> dict[str, object]:
        pin: dict[str, object] = {"value": truth["pin"], "confidence": 0.99, "ambiguous": []}
        if case.name == "silent.png":  # one character wrong, nothing marked
            pin = {**pin, "value": "ABCD1234EFGH5679"}
        elif case.name == "marked.png":  # the same, the wrong character marked
            pin = {"value": "ABCD1234EFGH5679", "confidence": 0.4,
                   "ambiguous": [{"index": 15, "alternatives": ["8"]}]}  # fmt: skip
        return {"pin": pin, "card_number": {"value": truth["card_number"], "confidence": 0.99}}

    monkeypatch.setitem(ocr_bench.ENGINES, "stub", lambda: reader)
    cases = [case("right.png"), case("silent.png"), case("marked.png")]
    stats = ocr_bench.run_all(cases, ["stub"], verbose=True)
    lines = {ln.split()[2]: ln for ln in capsys.readouterr().out.splitlines()}
    assert " ok " in lines["right.png"]
    assert "UNSAFE pin" in lines["silent.png"]
    assert "WRONG" in lines["marked.png"]
    assert "UNSAFE" not in lines["marked.png"]
    assert stats["stub"]["all"].fields["pin"].unsafe == 1
