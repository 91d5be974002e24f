"""A batch file whose platform cell holds a code: the row's message (which reaches the
journal and the "masked" results CSV) must not carry it."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.bind.importer import read_batch_file
from tests.core.test_hostile_logs import longest_visible, written_codes


def problems_for(platform_cell: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.csv"
        cell = '"' + platform_cell.replace('"', '""') + '"'
        path.write_text(f"pin,platform\nE71D5E4733ED50BA,{cell}\n", encoding="utf-8")
        return [p.message for p in read_batch_file(path).problems]


@given(written_codes())
@settings(max_examples=200, deadline=None)
def test_a_code_in_the_platform_cell_is_not_echoed(written: tuple[str, str]) -> None:
    code, cell = written
    messages = problems_for(cell)
    assert len(messages) == 1
    assert "unknown platform" in messages[0]
    text = unicodedata.normalize("NFKC", messages[0]).upper()
    tokens = re.split(r"[^0-9A-Z]+", text)
    window = longest_visible(code) + 1
    hidden = {code[i : i + window] for i in range(len(code) - window + 1)}
    assert not [t for t in tokens for part in hidden if part in t], messages[0]


@given(st.sampled_from(["天猫超市", "——", "京东？"]))
def test_a_name_that_cannot_be_a_code_is_shown_as_written(name: str) -> None:
    assert f"unknown platform “{name}”" in problems_for(name)[0]


def test_the_issue_case() -> None:
    message = problems_for("E71D5E4733ED50BA")[0]
    assert "E71D5E4733ED50BA" not in message
    assert "E71D-****-****-50BA" in message
