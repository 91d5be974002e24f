"""`cardbind check` as tools and users call it."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from cli.main import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", "--platform", "jd", "--json", "e71d 5e47 33ed 5oba"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["platform"] == "jd"
    assert data["field"] == "pin"
    assert data["display"] == "E71D-5E47-33ED-50BA"
    assert data["ok"] is True


def test_a_failing_code_still_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", "--platform", "cmcc", "--json", "12"], capsys)
    assert code == 0
    assert json.loads(out)["ok"] is False


def test_card_number_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        ["check", "-p", "cmcc", "--field", "card_number", "--json", "12345 6789 0123 4567"], capsys
    )
    assert code == 0
    assert json.loads(out)["value"] == "12345678901234567"


def test_field_the_platform_lacks_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    # every shipped profile has both fields; an unknown platform is refused by argparse
    with pytest.raises(SystemExit) as info:
        main(["check", "--platform", "nowhere", "1234"])
    assert info.value.code == 2


def test_bad_arguments_exit_two() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2


def test_human_output_names_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", "-p", "jd", "E71D5E4G33ED50BA"], capsys)
    assert code == 0
    assert "E71D-5E4G-33ED-50BA" in out
    assert "Check before binding" in out
    assert "rarely use" in out


def test_chinese_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["--lang", "zh_CN", "check", "-p", "cmcc", "12"], capsys)
    assert code == 0
    assert "无法绑定" in out


def test_stdin_dash_reads_huge_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("9" * 10_000_000))
    code, out, _err = run(["check", "--json", "-"], capsys)
    assert code == 0
    data = json.loads(out)
    assert [w["code"] for w in data["warnings"]] == ["too_long"]


def test_help_lists_commands_and_check_needs_no_qt() -> None:
    script = (
        "import sys; from cli.main import main\n"
        "rc = main(['check', '--json', 'E71D5E4733ED50BA'])\n"
        "assert 'PySide6' not in sys.modules, 'check imported Qt'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert helped.returncode == 0
    assert "check" in helped.stdout
