"""Masked codes for history, logs and exports: enough to tell cards apart, not to use one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.bind.adapters.ledger import SandboxLedger
from core.bind.card import Card
from core.bind.records import export_history
from core.bind.service import BindService
from core.codes.mask import mask_code, redact
from core.logs import RedactingFormatter


def test_mask_keeps_a_few_characters_at_each_end() -> None:
    assert mask_code("E71D5E4733ED50BA") == "E7**-****-****-**BA"
    assert mask_code("E71D-5E47-33ED-50BA") == "E7**-****-****-**BA"
    assert mask_code("123456789012345678") == "123*-****-****-***6-78"
    assert mask_code("216453789012740") == "21**-****-****-*40"  # was 2164-****-***0-740


def test_short_codes_keep_less() -> None:
    assert mask_code("12345678") == "1***-***8"
    assert mask_code("1234") == "****"


@pytest.mark.parametrize("length", range(1, 65))
def test_at_most_a_third_and_never_more_than_eight_visible(length: int) -> None:
    code = "".join("0123456789ABCDEF"[i % 16] for i in range(length))
    masked = mask_code(code).replace("-", "")
    visible = sum(c != "*" for c in masked)
    assert len(masked) == length
    assert visible * 3 <= length
    assert visible <= 8


def test_an_odd_length_code_is_masked_in_history_export_and_log(
    tmp_path: Path,
    sandbox_service: BindService,
    ledger: SandboxLedger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    code = "216453789012740"  # 15 digits, a card type with a length range
    ledger.add_card("generic", code)
    with caplog.at_level(logging.INFO):
        result = sandbox_service.bind(Card("generic", code))
    assert result.ok
    (row,) = sandbox_service.store.history()
    out = tmp_path / "history.csv"
    export_history(sandbox_service.store, out)
    for text in (row.masked, out.read_text(encoding="utf-8-sig"), caplog.text):
        assert "21**-****-****-*40" in text
        assert code[:3] not in text
        assert code[-3:] not in text


def test_redact_masks_codes_in_free_text() -> None:
    text = "bind failed for E71D-5E47-33ED-50BA at step 3"
    assert redact(text) == "bind failed for E7**-****-****-**BA at step 3"


def test_log_filter_masks_messages_and_arguments(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(RedactingFormatter())
    logger = logging.getLogger("cardbind.test.mask")
    logger.addHandler(handler)
    try:
        logger.error("code %s rejected", "E71D5E4733ED50BA")
        try:
            raise ValueError("bad code E71D5E4733ED50BA")
        except ValueError:
            logger.exception("oops")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "E71D5E4733ED50BA" not in text
    assert "E7**-****-****-**BA" in text
