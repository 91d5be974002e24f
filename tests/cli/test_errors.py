"""One error path: what a script reads from `cardbind`'s exit code and what a person reads
on standard error, for every kind of error, and the README's table of exit codes."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from cli.main import main
from core.bind.outcomes import BadOutcome
from core.errors import ExitCode
from ocr.errors import OcrEngineMissingError, TesseractTimeoutError

ROOT = Path(__file__).resolve().parents[2]


def readme_exit_codes() -> dict[str, int]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| `([A-Z_]+)` \|", section, re.M)
    return {name: int(value) for value, name in rows}


def test_the_readme_lists_every_exit_code_once_as_the_code_has_it() -> None:
    assert readme_exit_codes() == {code.name: code.value for code in ExitCode}
    assert len(set(ExitCode)) == len(ExitCode.__members__)  # no value means two things


def test_a_usage_error_is_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["sandbox", "report", "--db", str(tmp_path / "missing.sqlite3")])
    _out, err = capsys.readouterr()
    assert code == ExitCode.USAGE
    assert err.startswith("cardbind sandbox: No sandbox ledger at ")
    assert err.count("\n") == 1


def test_a_missing_line_reader_is_a_missing_dependency_said_for_every_image(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_reader(*_args: object, **_kwargs: object) -> None:
        raise OcrEngineMissingError("PP-OCR is not installed: pip install rapidocr onnxruntime")

    monkeypatch.setattr("ocr.pipeline.read_file", no_reader)
    code = main(["ocr", "--json", str(tmp_path / "a.png"), str(tmp_path / "b.png")])
    out, err = capsys.readouterr()
    assert code == ExitCode.MISSING_DEPENDENCY
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["image"] for x in lines] == [str(tmp_path / "a.png"), str(tmp_path / "b.png")]
    assert all("pip install rapidocr" in x["error"] for x in lines)
    assert "Traceback" not in err


def test_a_tesseract_that_fails_is_an_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def slow(*_args: object, **_kwargs: object) -> None:
        raise TesseractTimeoutError("Tesseract took too long.")

    monkeypatch.setattr("ocr.pipeline.read_file", slow)
    assert main(["ocr", str(tmp_path / "a.png")]) == ExitCode.ERROR
    assert "Tesseract took too long." in capsys.readouterr().err


def break_check(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """`cardbind check` raises `exc` (the parser is built per call, so it picks this up)."""

    def handler(_args: object) -> int:
        raise exc

    monkeypatch.setattr("cli.check.run", handler)


def test_a_bug_is_a_plain_line_without_traceback_or_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    break_check(monkeypatch, RuntimeError("internal detail E71D5E4733ED50BA at 0xdeadbeef"))
    code = main(["check", "E71D5E4733ED50BA"])
    _out, err = capsys.readouterr()
    assert code == ExitCode.ERROR
    assert err.startswith("cardbind: something went wrong inside the program.")
    assert "Traceback" not in err
    assert "E71D5E4733ED50BA" not in err
    assert "0xdeadbeef" not in err


def test_an_internal_error_shows_its_plain_sentence_not_its_log_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    break_check(monkeypatch, BadOutcome("field 'kind' is not a short text"))
    code = main(["check", "E71D5E4733ED50BA"])
    _out, err = capsys.readouterr()
    assert code == ExitCode.ERROR
    assert "Something went wrong while working on this." in err
    assert "Details are in" in err
    assert "short text" not in err


def test_errors_are_in_the_users_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["--lang", "zh_CN", "sandbox", "report", "--db", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert "沙盒" in err


def test_a_bind_that_still_needs_verification_says_so_in_its_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DATA", "CONFIG", "LOG"):
        monkeypatch.setenv(f"CARDBIND_{name}_DIR", str(tmp_path / name.lower()))
    db, cards = tmp_path / "sb.sqlite3", tmp_path / "cards.csv"
    assert (
        main(
            [
                "sandbox",
                "init",
                "--db",
                str(db),
                "-p",
                "jd",
                "--cards",
                "1",
                "--csv",
                str(cards),
                "--seed",
                "4",
                "--rate-limit",
                "0",
            ]
        )
        == ExitCode.OK
    )
    code_text = cards.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1]
    # The code, then an empty answer where the SMS code is asked for: the user gave up.
    monkeypatch.setattr(sys, "stdin", io.StringIO(code_text + "\n\n"))
    capsys.readouterr()
    code = main(["bind", "-p", "jd", "--sandbox-db", str(db)])
    out, _err = capsys.readouterr()
    assert code == ExitCode.NEEDS_VERIFICATION
    assert code_text not in out
