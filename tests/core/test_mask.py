"""Masked codes for history, logs and exports: enough to tell cards apart, not to use one."""

from __future__ import annotations

import logging
from pathlib import Path

from core.codes.mask import mask_code, redact
from core.logs import RedactingFormatter


def test_mask_keeps_first_and_last_group() -> None:
    assert mask_code("E71D5E4733ED50BA") == "E71D-****-****-50BA"
    assert mask_code("E71D-5E47-33ED-50BA") == "E71D-****-****-50BA"
    assert mask_code("123456789012345678") == "1234-****-****-**56-78"


def test_short_codes_keep_less() -> None:
    assert mask_code("12345678") == "12**-**78"
    assert mask_code("1234") == "***4"


def test_redact_masks_codes_in_free_text() -> None:
    text = "bind failed for E71D-5E47-33ED-50BA at step 3"
    assert redact(text) == "bind failed for E71D-****-****-50BA at step 3"


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
    assert "E71D-****-****-50BA" in text
