"""The OCR benchmark reads each card with the card type a GUI user would pick for it."""

from __future__ import annotations

import json
from pathlib import Path

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
