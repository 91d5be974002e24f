"""Every command in the README runs as written, in order, on a fresh clone: `cardbind` as
the README says (`.venv/bin/cardbind`), files the README names tracked in git, the
practice commands with no keyring at all, and only the commands the README says need a
password store with one."""

from __future__ import annotations

import csv
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Not run here, with the reason: each is run by the developer, not by this test.
NOT_RUN = {
    "make run": "starts the app and waits for a person",
    "make test": "runs this very test suite",
}
# Exit codes other than 0 a command may end with as written, and why.
ALSO_FINE = {
    # doctor reports what is missing here (this test's machine has no keyring) with 5.
    ".venv/bin/cardbind doctor": {5},
}


@dataclass
class Command:
    line: str  # as written, continuation lines joined
    needs_keyring: bool  # the README says it needs a system password store
    background: bool


def readme_commands() -> list[Command]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out: list[Command] = []
    for match in re.finditer(
        r"(?P<lead>(?:[^\n]*\n){0,3})```sh\n(?P<body>.*?)```", text, re.DOTALL
    ):
        needs = "password store" in match.group("lead")
        body = match.group("body").replace("\\\n", " ")
        for raw in body.splitlines():
            line = re.sub(r"\s{2,}#.*$", "", raw).strip()
            if not line:
                continue
            background = line.endswith("&")
            out.append(Command(line.rstrip("&").strip(), needs, background))
    return out


def test_the_readme_names_cardbind_one_way() -> None:
    commands = [c.line for c in readme_commands()]
    assert len(commands) >= 15
    for line in commands:
        if line.split()[0] == "make":
            continue
        assert line.startswith(".venv/bin/cardbind "), line


def test_every_file_a_readme_command_reads_is_in_the_clone() -> None:
    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    made: set[str] = set()
    for c in readme_commands():
        words = shlex.split(c.line)
        for i, word in enumerate(words):
            if not re.search(r"\.(csv|jpg|png|sqlite3)$", word):
                continue
            if i and words[i - 1] in ("--csv", "--db", "--export", "--results"):
                made.add(word)
            elif word not in made:
                assert word in tracked, f"{c.line}: {word} is not in the clone"


def free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.slow
@pytest.mark.tesseract
def test_every_readme_example_runs_as_written(tmp_path: Path) -> None:
    if not free(8765):
        pytest.skip("port 8765, which the README uses, is taken on this machine")
    clone = tmp_path / "clone"
    clone.mkdir()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for top in sorted({p.split("/")[0] for p in tracked}):
        (clone / top).symlink_to(ROOT / top)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CARDBIND_", "QT_"))}
    base.update(
        CARDBIND_DATA_DIR=str(tmp_path / "data"),
        CARDBIND_CONFIG_DIR=str(tmp_path / "config"),
        CARDBIND_LOG_DIR=str(tmp_path / "log"),
        CARDBIND_LANG="en",
    )
    # A fresh machine with no password store; one that has one, for the commands the
    # README says need it (the tests' own file store stands in for the system's).
    bare = {**base, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with_store = {
        **base,
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "CARDBIND_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(ROOT),
    }
    codes: list[str] = []
    servers: list[subprocess.Popen[str]] = []
    ran = 0
    try:
        for c in readme_commands():
            if c.line in NOT_RUN:
                continue
            env = with_store if c.needs_keyring else bare
            if c.background:
                # `exec`: the server replaces the shell, so stopping it stops the server.
                servers.append(
                    subprocess.Popen(
                        "exec " + c.line,
                        shell=True,
                        cwd=clone,
                        env=env,
                        text=True,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
                deadline = time.monotonic() + 30
                while free(8765) and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert not free(8765), f"{c.line}: nothing listens"
                continue
            # A command that asks for a code gets one typed from the practice cards.
            typed = codes.pop(0) + "\n" if codes and " bind " in f" {c.line} " else ""
            done = subprocess.run(
                c.line,
                check=False,
                shell=True,
                cwd=clone,
                env=env,
                input=typed,
                text=True,
                capture_output=True,
                timeout=300,
            )
            fine = {0} | ALSO_FINE.get(c.line, set())
            assert done.returncode in fine, f"{c.line}\n{done.stdout}\n{done.stderr}"
            assert "Traceback" not in done.stderr
            ran += 1
            if "sandbox init" in c.line:
                with (clone / "cards.csv").open(encoding="utf-8-sig") as f:
                    codes = [row["pin"] for row in csv.DictReader(f)]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    assert ran >= 12
    report = subprocess.run(
        [".venv/bin/cardbind", "sandbox", "report", "--db", "sb.sqlite3", "--json"],
        cwd=clone,
        env=bare,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '"bound_to_me": 10' in report  # one card by hand, the rest by the batch
    assert '"bound_twice": 0' in report


def test_the_readme_test_runs_the_command_the_readme_names() -> None:
    # `.venv/bin/cardbind` relative to the clone is the entry point this Python installed.
    assert (ROOT / ".venv" / "bin" / "cardbind").exists() or sys.platform == "win32"
