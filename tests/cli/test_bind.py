"""The binding commands as users and scripts run them, including a `kill -9` in the
middle of a batch, and a search of everything a run leaves behind for a full code."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from cli.main import main
from core.codes.mask import mask_code
from core.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
FAST_SETTINGS = {"bind_retry_base_s": 0.02, "bind_retry_max_s": 0.1, "bind_pacing_s": 0.0}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DATA", "CONFIG", "LOG"):
        (tmp_path / name.lower()).mkdir()
        monkeypatch.setenv(f"CARDBIND_{name}_DIR", str(tmp_path / name.lower()))
    (tmp_path / "config" / "settings.json").write_text(json.dumps(FAST_SETTINGS))
    return tmp_path


def sandbox_init(
    tmp: Path, capsys: pytest.CaptureFixture[str], n: int = 6, *extra: str
) -> tuple[Path, Path]:
    db, cards = tmp / "sb.sqlite3", tmp / "cards.csv"
    code, out, _err = run(
        [
            "sandbox",
            "init",
            "--db",
            str(db),
            "--platform",
            "jd",
            "--cards",
            str(n),
            "--csv",
            str(cards),
            "--seed",
            "3",
            "--no-verification",
            "--rate-limit",
            "0",
            *extra,
        ],
        capsys,
    )
    assert code == 0, out
    return db, cards


def codes_of(cards: Path) -> list[str]:
    with cards.open(encoding="utf-8-sig") as f:
        return [row["pin"] for row in csv.DictReader(f)]


def report(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, _err = run(["sandbox", "report", "--db", str(db), "--json"], capsys)
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def test_batch_with_faults_binds_all_and_writes_masked_results(
    dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, cards = sandbox_init(dirs, capsys, 8, "--mix", "expired=1")
    code, out, err = run(
        [
            "batch",
            str(cards),
            "--platform",
            "jd",
            "--adapter",
            "sandbox",
            "--sandbox-db",
            str(db),
            "--faults",
            "timeout=0.1,after_commit=0.1,error=0.1,seed=5",
        ],
        capsys,
    )
    assert code == 0, err
    assert "8 of 9 bound" in out
    summary = report(db, capsys)["summary"]
    assert summary == {
        "cards": 9,
        "bound_to_me": 8,
        "bound_twice": 0,
        "sent_after_bound": 0,
        "over_budget": 0,
        "locked": 0,
    }
    results = (dirs / "cards.results.csv").read_text(encoding="utf-8-sig")
    assert "Card expired" in results
    assert not any(c in results for c in codes_of(cards))
    code, out, err = run(["batch", str(cards), "--platform", "jd", "--sandbox-db", str(db)], capsys)
    assert code == 0  # a finished batch may be started again: every card is refused as bound
    assert report(db, capsys)["summary"]["bound_twice"] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["--faults", "timeout=2"], "between 0 and 1"),
        (["--faults", "bogus=1"], "Unknown fault"),
        (["--resume"], "No earlier batch"),
        (["--adapter", "nope"], "Unknown bind method"),
        (["--adapter", "handoff"], "needs a person"),
    ],
)
def test_batch_mistakes_are_one_clear_line(
    dirs: Path, capsys: pytest.CaptureFixture[str], argv_tail: list[str], message: str
) -> None:
    db, cards = sandbox_init(dirs, capsys, 2)
    code, _out, err = run(
        ["batch", str(cards), "-p", "jd", "--sandbox-db", str(db), *argv_tail], capsys
    )
    assert code == ExitCode.USAGE
    assert message in err
    assert "Traceback" not in err


def test_batch_of_a_broken_file(dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = dirs / "bad.csv"
    bad.write_bytes(b"a,b,c\n1,2,3\n")
    code, _out, err = run(["batch", str(bad), "-p", "jd"], capsys)
    assert code == ExitCode.USAGE
    assert "name the columns" in err


def test_no_keyring_is_a_clear_message_and_no_plaintext(
    dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, cards = sandbox_init(dirs, capsys, 2)
    keyring.set_keyring(fail.Keyring())
    code, _out, err = run(
        ["batch", str(cards), "-p", "jd", "--adapter", "http", "--base-url", "http://127.0.0.1:9"],
        capsys,
    )
    assert code == ExitCode.MISSING_DEPENDENCY
    assert "keyring" in err
    assert "plain-text" in err
    code, _out, err = run(["blacklist", "import", str(cards), "-p", "jd"], capsys)
    assert code == ExitCode.MISSING_DEPENDENCY
    assert report(db, capsys)["summary"]["bound_to_me"] == 0  # type: ignore[index]


def test_practice_needs_no_keyring(
    dirs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox binds with a key held for the run; nothing of a code is written."""
    import core.bind.card

    db, cards = sandbox_init(dirs, capsys, 3)
    keyring.set_keyring(fail.Keyring())
    code, out, err = run(["batch", str(cards), "-p", "jd", "--sandbox-db", str(db)], capsys)
    assert code == 0, err
    assert "3 of 3 bound" in out
    code, out, _err = run(["history", "--json"], capsys)
    assert code == 0
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["bound"] * 3
    for path in (dirs / "data").rglob("*"):
        if path.is_file():
            assert not any(c.encode() in path.read_bytes() for c in codes_of(cards))
    # A practice batch cut short cannot be resumed by a later run: its key is gone, and
    # it says so instead of calling every row changed.
    db2, cards2 = dirs / "sb2.sqlite3", dirs / "cards2.csv"
    code, out, _err = run(
        ["sandbox", "init", "--db", str(db2), "--cards", "2", "--csv", str(cards2), "--seed", "8"],
        capsys,
    )  # these want a captcha
    code, out, _err = run(["batch", str(cards2), "-p", "jd", "--sandbox-db", str(db2)], capsys)
    assert code == ExitCode.RETRY_LATER
    monkeypatch.setattr(core.bind.card, "_SESSION_KEY", b"another run" * 3)
    code, _out, err = run(
        ["batch", str(cards2), "-p", "jd", "--sandbox-db", str(db2), "--resume"], capsys
    )
    assert code == ExitCode.USAGE
    assert "another card-hash key" in err


def test_bind_one_card_from_a_pipe_then_history(
    dirs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    db, cards = sandbox_init(dirs, capsys, 2)
    code_text = codes_of(cards)[0]
    monkeypatch.setattr(sys, "stdin", io.StringIO(code_text.lower() + "\n"))
    code, out, _err = run(["bind", "-p", "jd", "--sandbox-db", str(db)], capsys)
    assert code == 0
    assert "bound" in out
    assert code_text not in out
    code, out, _err = run(
        ["bind", "-p", "jd", "--sandbox-db", str(db), "--code", code_text], capsys
    )
    assert code == 0
    assert "Already bound to your account" in out
    code, out, _err = run(["bind", "-p", "jd", "--code", "E71D5E47"], capsys)
    assert code == ExitCode.ERROR
    assert "nothing was sent" in out
    export = dirs / "history.csv"
    code, out, _err = run(["history", "--export", str(export)], capsys)
    text = export.read_text(encoding="utf-8-sig")
    assert code == 0
    assert text.count("\n") == 3
    assert code_text not in text
    assert mask_code(code_text) in text
    code, out, _err = run(["history", "--json"], capsys)
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["refused", "bound"]


def test_handoff_shows_a_qr_and_keeps_the_attempt_open(
    dirs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _err = run(
        ["bind", "-p", "jd", "-a", "handoff", "--code", "e71d5e4733ed50ba"], capsys
    )
    assert code == ExitCode.RETRY_LATER
    assert "E71D-5E47-33ED-50BA" in out
    assert any(block in out for block in "█▀▄")  # the QR, drawn in the terminal


def test_blacklist_round_trip(dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = dirs / "stolen.csv"
    source.write_text(
        "platform,pin,reason\njd,E71D5E4733ED50BA,stolen\njd,zz,bad\n", encoding="utf-8"
    )
    code, out, _err = run(["blacklist", "import", str(source)], capsys)
    assert code == ExitCode.ERROR
    assert "1 cards added" in out
    assert "Row 3" in out
    exported = dirs / "bl.csv"
    assert run(["blacklist", "export", str(exported)], capsys)[0] == 0
    text = exported.read_text(encoding="utf-8-sig")
    assert "E7**-****-****-**BA" in text
    assert "E71D5E4733ED50BA" not in text
    code, out, _err = run(["bind", "-p", "jd", "--code", "E71D5E4733ED50BA"], capsys)
    assert code == ExitCode.ERROR
    assert "blacklist" in out
    assert run(["blacklist", "remove", "-p", "jd", "--code", "E71D5E4733ED50BA"], capsys)[0] == 0
    # the exported hashes import again (same installation, same key)
    code, out, _err = run(["blacklist", "import", str(exported)], capsys)
    assert code == 0
    assert "1 cards added" in out


# -- subprocesses: kill -9, and a search for full codes ----------------------------------


def sub_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("data", "config", "log"):
        (tmp / name).mkdir(exist_ok=True)
        env[f"CARDBIND_{name.upper()}_DIR"] = str(tmp / name)
    (tmp / "config" / "settings.json").write_text(json.dumps(FAST_SETTINGS))
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.FileKeyring"
    env["CARDBIND_TEST_KEYRING_FILE"] = str(tmp / "keyring.json")
    env["PYTHONPATH"] = str(ROOT)
    return env


# Runs `cardbind ARGV…` in a fresh interpreter, then fails if Qt was imported on the way.
NO_QT = (
    "import sys\n"
    "from cli.main import main\n"
    "rc = main(sys.argv[1:])\n"
    "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
    "assert not qt, f'the command imported Qt: {qt[:3]}'\n"
    "sys.exit(rc)\n"
)


def cli(tmp: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_QT, *argv],
        cwd=ROOT,
        env=sub_env(tmp),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def made_sandbox(tmp: Path, n: int, seed: int, *extra: str) -> tuple[Path, Path]:
    """`cardbind sandbox init` run as a user runs it (a process of its own): a JD ledger
    of `n` cards with no verification, and their CSV."""
    db, cards = tmp / "sb.sqlite3", tmp / "cards.csv"
    argv = ["--db", str(db), "--platform", "jd", "--cards", str(n), "--csv", str(cards)]
    done = cli(tmp, "sandbox", "init", *argv, "--seed", str(seed), "--no-verification", *extra)
    assert done.returncode == 0, done.stderr
    return db, cards


def bound_count(db: Path) -> int:
    with sqlite3.connect(db, timeout=10) as conn:
        return int(
            conn.execute("SELECT COUNT(*) FROM cards WHERE state='bound_self'").fetchone()[0]
        )


@pytest.mark.slow
def test_kill_9_mid_batch_then_resume_binds_every_card_exactly_once(tmp_path: Path) -> None:
    db, cards = made_sandbox(tmp_path, 40, 9, "--rate-limit", "0")
    batch = [
        sys.executable,
        "-m",
        "cli",
        "batch",
        str(cards),
        "--platform",
        "jd",
        "--adapter",
        "sandbox",
        "--sandbox-db",
        str(db),
        "--pacing",
        "0",
        "--faults",
        "latency_ms=20,after_commit=0.15,timeout=0.1,seed=4",
    ]
    proc = subprocess.Popen(
        batch, cwd=ROOT, env=sub_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    try:
        while bound_count(db) < 10:  # a condition, polled: some cards bound, many to go
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        proc.kill()  # SIGKILL: no handler, no cleanup
        proc.wait(30)
    assert bound_count(db) < 40
    again = cli(tmp_path, *batch[3:], "--resume")
    assert again.returncode == 0, again.stderr
    data = json.loads(cli(tmp_path, "sandbox", "report", "--db", str(db), "--json").stdout)
    assert data["summary"]["bound_to_me"] == 40
    assert data["summary"]["bound_twice"] == 0
    assert data["summary"]["sent_after_bound"] == 0
    assert data["summary"]["over_budget"] == 0
    assert all(c["binds"] == 1 for c in data["cards"])
    # the results list every row once, bound
    with (tmp_path / "cards.results.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40
    assert {r["status"] for r in rows} == {"bound"}


@pytest.mark.slow
def test_nothing_a_run_leaves_behind_holds_a_full_code(tmp_path: Path) -> None:
    db, cards = made_sandbox(tmp_path, 12, 2, "--mix", "expired=2,frozen=1")
    run_ = cli(
        tmp_path,
        "batch",
        str(cards),
        "-p",
        "jd",
        "--sandbox-db",
        str(db),
        "--faults",
        "timeout=0.2,after_commit=0.2,error=0.1,garbage=0.1,seed=3",
    )
    assert run_.returncode == 0, run_.stderr
    codes = codes_of(cards)
    first = codes[0]
    assert (
        cli(tmp_path, "bind", "-p", "jd", "--sandbox-db", str(db), "--code", first).returncode == 0
    )
    assert cli(tmp_path, "history", "--export", str(tmp_path / "h.csv")).returncode == 0
    assert cli(tmp_path, "blacklist", "add", "-p", "jd", "--code", codes[1]).returncode == 0
    assert cli(tmp_path, "blacklist", "export", str(tmp_path / "bl.csv")).returncode == 0
    reported = cli(tmp_path, "sandbox", "report", "--db", str(db))  # cli() checks: no Qt
    assert reported.returncode == 0, reported.stderr
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p != cards]
    assert any(p.name.endswith("-wal") or p.suffix == ".sqlite3" for p in leftovers)
    assert any(p.suffix == ".log" for p in leftovers)
    forms = []
    for code in codes:
        forms += [
            code,
            code.lower(),
            "-".join(code[i : i + 4] for i in range(0, 16, 4)),
            code[:8],
            code[8:],
        ]  # even half a code is too much
    for path in leftovers:
        data = path.read_bytes()
        for form in forms:
            assert form.encode() not in data, f"{form[:4]}… found in {path.name}"
            assert form.encode("utf-16-le") not in data


@pytest.mark.slow
def test_ctrl_c_stops_safely_and_resume_finishes(tmp_path: Path) -> None:
    import signal

    db, cards = made_sandbox(tmp_path, 30, 5, "--rate-limit", "0")
    batch = [
        sys.executable,
        "-m",
        "cli",
        "batch",
        str(cards),
        "-p",
        "jd",
        "--sandbox-db",
        str(db),
        "--pacing",
        "0",
        "--faults",
        "latency_ms=40,seed=1",
    ]
    proc = subprocess.Popen(
        batch,
        cwd=ROOT,
        env=sub_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while bound_count(db) < 5:
        assert proc.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.RETRY_LATER, err
    assert "Stopping safely" in err
    assert "--resume" in out
    assert "Traceback" not in err
    assert bound_count(db) < 30
    again = cli(tmp_path, *batch[3:], "--resume")
    assert again.returncode == 0, again.stderr
    data = json.loads(cli(tmp_path, "sandbox", "report", "--db", str(db), "--json").stdout)
    assert data["summary"]["bound_to_me"] == 30
    assert data["summary"]["bound_twice"] == 0
    assert data["summary"]["sent_after_bound"] == 0


def test_history_lists_no_hash_of_the_card(dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A masked code and the card's hash, with the key, are a search for the hidden
    # characters (docs/no-plaintext-keyring.md): what history prints has no hash.
    db, cards = sandbox_init(dirs, capsys, 1)
    code = codes_of(cards)[0]
    assert main(["bind", "-p", "jd", "--sandbox-db", str(db), "--code", code]) == 0
    with sqlite3.connect(dirs / "data" / "bind.sqlite3") as journal:
        [(card_hash,)] = journal.execute("SELECT card_hash FROM history").fetchall()
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr().out
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["card"] == mask_code(code)
    assert not any("hash" in key or key == "card_id" for key in row)
    assert card_hash[:8] not in out
    assert main(["history"]) == 0
    assert card_hash[:8] not in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_terminal_shows_no_unverified_figure(lang: str) -> None:
    from cli.bind import format_result
    from core.bind.outcomes import ERROR_KINDS, BindResult, Refused
    from core.i18n import set_language

    set_language(lang)
    for kind in ERROR_KINDS:
        result = BindResult(Refused(kind), "jd", "E7**-****-****-**BA", "h")  # type: ignore[arg-type]
        text = format_result(result)
        for figure in ("%", "source article", "来源文章", "5–15", "24–72", "4–6 ", "30–60"):
            assert figure not in text, (kind, figure)


def test_the_same_codes_in_a_new_ledger_are_a_new_batch(
    dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sandbox init` with the same seed into a new ledger and CSV makes the same file
    content; a batch is keyed by (file, ledger), so the new one is not refused."""
    for n in (1, 2):
        code, _out, _err = run(
            [
                "sandbox",
                "init",
                "--db",
                str(dirs / f"sb{n}.sqlite3"),
                "--cards",
                "2",
                "--csv",
                str(dirs / f"cards{n}.csv"),
                "--seed",
                "1",
            ],
            capsys,
        )
        assert code == 0
    assert (dirs / "cards1.csv").read_bytes() == (dirs / "cards2.csv").read_bytes()
    # The first batch stops unfinished: its cards want a captcha nobody answers here.
    code, _out, _err = run(
        ["batch", str(dirs / "cards1.csv"), "-p", "jd", "--sandbox-db", str(dirs / "sb1.sqlite3")],
        capsys,
    )
    assert code == ExitCode.RETRY_LATER
    code, out, err = run(
        ["batch", str(dirs / "cards2.csv"), "-p", "jd", "--sandbox-db", str(dirs / "sb2.sqlite3")],
        capsys,
    )
    assert "unfinished batch" not in err
    assert code == ExitCode.RETRY_LATER, err
    assert "Batch 2:" in out
    # Each ledger's batch resumes as its own.
    code, out, _err = run(
        [
            "batch",
            str(dirs / "cards1.csv"),
            "-p",
            "jd",
            "--sandbox-db",
            str(dirs / "sb1.sqlite3"),
            "--resume",
        ],
        capsys,
    )
    assert "Resuming batch 1." in out
