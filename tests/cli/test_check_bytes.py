"""`cardbind check` with bytes that are not UTF-8, on standard input or in an argument,
under any locale: one clear block and valid JSON, never "something went wrong"."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from argparse import Namespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cli import check
from core.i18n import set_language


def valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def args(text: str, *, as_json: bool = True) -> Namespace:
    return Namespace(platform="jd", field="pin", pasted=False, json=as_json, text=text)


def strict_stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input as a strict UTF-8 locale gives it to Python."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict")


def checked_json(out: io.StringIO) -> dict[str, object]:
    text = out.getvalue()
    text.encode("utf-8")  # no lone surrogate: a UTF-8 terminal or file can take it
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def codes(data: dict[str, object]) -> list[str]:
    warnings = data["warnings"]
    assert isinstance(warnings, list)
    return [w["code"] for w in warnings]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_on_standard_input(data: bytes) -> None:
    out = io.StringIO()
    assert check.run(args("-"), out=out, stdin=strict_stdin(data)) == 0
    result = checked_json(out)
    if valid_utf8(data.rstrip(b"\r\n")):
        assert "not_text" not in codes(result)
    else:
        assert codes(result)[0] == "not_text"
        assert result["ok"] is False


@settings(max_examples=300, deadline=None)
@example(b"-")
@given(st.binary(min_size=1, max_size=200))
def test_any_bytes_in_an_argument(data: bytes) -> None:
    # Python hands undecodable argument bytes over as lone surrogates (PEP 383).
    text = data.decode("utf-8", "surrogateescape")
    out = io.StringIO()
    # ("-" means standard input: it then holds the same bytes.)
    assert check.run(args(text), out=out, stdin=strict_stdin(data)) == 0
    result = checked_json(out)
    assert ("not_text" in codes(result)) != valid_utf8(data)
    human = io.StringIO()
    assert check.run(args(text, as_json=False), out=human, stdin=strict_stdin(data)) == 0
    human.getvalue().encode("utf-8")


def test_the_block_says_which_byte_in_words() -> None:
    out = io.StringIO()
    check.run(args("-", as_json=False), out=out, stdin=strict_stdin(b"e71d\xff5e4733ed50ba"))
    lines = out.getvalue().splitlines()
    assert (
        "[Cannot bind] This is not plain text: byte 5 (and perhaps more) is not UTF-8. "
        "Copy the code again from where it is written, or type it."
    ) in lines
    assert not any("“�”" in line for line in lines)  # one block, not one per byte
    set_language("zh_CN")
    out = io.StringIO()
    check.run(args("-", as_json=False), out=out, stdin=strict_stdin(b"e71d\xff"))
    assert "不是 UTF-8" in out.getvalue()
    set_language("en")


BAD = b"e71d\xff5e47 33ed 50ba"


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "utf-8:strict"},  # a strict UTF-8 locale
        {"LC_ALL": "C.UTF-8"},  # surrogateescape on standard input
        {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},  # ASCII output
    ],
    ids=["strict-utf8", "C.UTF-8", "C-ascii"],
)
@pytest.mark.parametrize("where", ["stdin", "argument"])
def test_under_each_locale(env: dict[str, str], where: str) -> None:
    argv = [sys.executable, "-m", "cli", "check", "--json"]
    full_env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG")}
    full_env.update(env, CARDBIND_LANG="en")
    done = subprocess.run(
        [*argv, "-"] if where == "stdin" else [*(a.encode() for a in argv), BAD],
        input=BAD if where == "stdin" else b"",
        capture_output=True,
        env=full_env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"something went wrong" not in done.stderr
    result = json.loads(done.stdout.decode("utf-8"))  # strictly valid
    assert codes(result)[0] == "not_text"
    assert result["ok"] is False
