"""The log file: no code in any form a person or a clipboard writes it, and nobody but
its owner can read it."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.codes.mask import mask_code
from core.logs import redact_log, setup_logging

ALPHABETS = ["0123456789", "0123456789ABCDEF", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
SEPARATORS = [" ", "-", "_", ".", "/", " - ", "  "]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
TEMPLATES = [
    "bind failed for {code} at step 3",
    "{code}",
    "code={code}",
    "(card: {code})",
    "卡密{code}绑定失败",
    "pasted “{code}”, rejected",
    "row 12: {code};",
]


def full_width(text: str) -> str:
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@st.composite
def written_codes(draw: st.DrawFn) -> tuple[str, str]:
    """(the code, as it appears in a log line): any case, grouped or not, any of the
    separators, full-width or not, split by invisible characters or not."""
    alphabet = draw(st.sampled_from(ALPHABETS))
    code = draw(st.text(alphabet, min_size=8, max_size=24))
    assume(sum(c.isdigit() for c in code) >= 2)  # the masker's rule for "looks like a code"
    text = draw(st.sampled_from([code, code.lower(), code.swapcase()]))
    if draw(st.booleans()):
        size = draw(st.sampled_from([3, 4, 5, 6]))
        assume(len(code) >= 2 * size)  # shown in groups: at least two of them
        sep = draw(st.sampled_from(SEPARATORS))
        text = sep.join(text[i : i + size] for i in range(0, len(text), size))
    if draw(st.booleans()):
        text = full_width(text)
    if draw(st.booleans()):
        chars = list(text)
        for _ in range(draw(st.integers(1, 4))):
            chars.insert(draw(st.integers(1, len(chars) - 1)), draw(st.sampled_from(INVISIBLE)))
        text = "".join(chars)
    template = draw(st.sampled_from(TEMPLATES))
    return code, template.format(code=text)


def longest_visible(code: str) -> int:
    """The longest run of a code's characters its masked form shows."""
    return max(len(run) for run in re.split(r"[^0-9A-Z]", mask_code(code)))


@given(written_codes())
@settings(max_examples=400, deadline=None)
def test_no_form_of_a_code_survives_the_log_masker(written: tuple[str, str]) -> None:
    code, line = written
    logged = redact_log(line)
    tokens = re.split(r"[^0-9A-Z]+", unicodedata.normalize("NFKC", logged).upper())
    window = longest_visible(code) + 1  # more than the mask would show
    hidden = {code[i : i + window] for i in range(len(code) - window + 1)}
    # The message's own words ("step" holds "TEP") are not part of the code.
    words = {w for t in TEMPLATES for w in re.split(r"[^0-9A-Z]+", t.upper()) if w}
    assert not [t for t in tokens if t not in words for part in hidden if part in t], (
        line,
        logged,
    )
    assert "*" in logged


@pytest.mark.parametrize(
    "line",
    [
        "e71d 5e47 33ed 50ba",  # the README's own style
        "E71D_5E47_33ED_50BA",
        "e71d.5e47.33ed.50ba",
        "E71D/5E47/33ED/50BA",
        "Ｅ７１Ｄ－５Ｅ４７－３３ＥＤ－５０ＢＡ",
        "E71D\u200b5E47\u200b33ED\u200b50BA",
    ],
)
def test_the_forms_from_the_issue(line: str) -> None:
    assert redact_log(f"bind failed: {line}.").upper() == "BIND FAILED: E71D-****-****-50BA."


def test_a_word_as_long_as_the_groups_is_masked_with_them() -> None:
    """The safe side: the masker cannot tell "card" from a group of a code."""
    assert redact_log("card e71d 5e47 33ed 50ba") == "card-****-****-****-50ba"


@pytest.mark.parametrize(
    "line",
    [
        "connection from 127.0.0.1 ended",
        "2024-05-01 12:30:00 cut after 1.2 s",
        "setting bind_timeout_s has an unusable value",
        "waiting 1234 seconds",
        "image three-pages.tif: 3 pages, the first one read",
    ],
)
def test_ordinary_lines_stay_readable(line: str) -> None:
    assert redact_log(line) == line


# -- the file ------------------------------------------------------------------------------


@pytest.fixture
def fresh_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """setup_logging() into tmp_path, with the root logger's handlers restored after."""
    folder = tmp_path / "state" / "log"
    monkeypatch.setenv("CARDBIND_LOG_DIR", str(folder))
    root = logging.getLogger()
    before = list(root.handlers)
    for h in before:
        root.removeHandler(h)
    yield folder
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    for h in before:
        root.addHandler(h)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_log_is_0600_in_a_0700_folder_after_rotation_too(fresh_logging: Path) -> None:
    old_umask = os.umask(0o022)  # the usual umask, which made the file 0644
    try:
        path = setup_logging()
        assert path is not None
        logging.getLogger("cardbind.test").warning("failed: e71d 5e47 33ed 50ba")
        handler = next(
            h
            for h in logging.getLogger().handlers
            if isinstance(h, logging.handlers.RotatingFileHandler)
        )
        handler.doRollover()
        logging.getLogger("cardbind.test").warning("after rotation")
        handler.flush()
    finally:
        os.umask(old_umask)
    assert mode(fresh_logging) == 0o700
    assert mode(path) == 0o600
    assert mode(path.with_name(path.name + ".1")) == 0o600
    text = path.with_name(path.name + ".1").read_text(encoding="utf-8")
    assert "e71d-****-****-50ba" in text
    assert "5e47" not in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_log_left_0644_by_an_older_version_is_tightened(fresh_logging: Path) -> None:
    fresh_logging.mkdir(parents=True, mode=0o755)
    os.chmod(fresh_logging, 0o755)  # named by CARDBIND_LOG_DIR: may be shared, left alone
    old = fresh_logging / "cardbind.log"
    old.write_text("old line\n", encoding="utf-8")
    os.chmod(old, 0o644)
    assert setup_logging() == old
    assert mode(old) == 0o600
    assert mode(fresh_logging) == 0o755
