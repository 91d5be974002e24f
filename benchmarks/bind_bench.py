"""Binding under faults: 1,000 sandbox cards, ~10 % injected transport faults, one
`kill -9` of the running batch and a `--resume`.

Prints lost / bound twice / over budget (each must be 0) and the throughput with
pacing off. Runs the real `cardbind` command in subprocesses, in a temporary
directory; secrets go to a throwaway test keyring file, never the OS keyring.

    .venv/bin/python -m benchmarks.bind_bench [--cards 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ~10 % of requests hit a fault: lost answers after the bind committed, timeouts before it,
# server errors and garbage replies; plus a little latency.
FAULTS = "timeout=0.03,after_commit=0.03,error=0.03,garbage=0.01,latency_ms=2,seed={seed}"
SETTINGS = {"bind_retry_base_s": 0.02, "bind_retry_max_s": 0.2, "bind_pacing_s": 0.0}


def env_for(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("data", "config", "log"):
        (tmp / name).mkdir(exist_ok=True)
        env[f"CARDBIND_{name.upper()}_DIR"] = str(tmp / name)
    (tmp / "config" / "settings.json").write_text(json.dumps(SETTINGS))
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.FileKeyring"
    env["CARDBIND_TEST_KEYRING_FILE"] = str(tmp / "keyring.json")
    env["PYTHONPATH"] = str(ROOT)
    env["CARDBIND_LANG"] = "en"
    return env


def bound(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(
            conn.execute("SELECT COUNT(*) FROM cards WHERE state='bound_self'").fetchone()[0]
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--kill-at", type=float, default=0.4, help="share of cards bound when the batch is killed"
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cardbind-bench-") as name:
        tmp = Path(name)
        env = env_for(tmp)
        cli = [sys.executable, "-m", "cli"]
        db, cards = tmp / "sandbox.sqlite3", tmp / "cards.csv"
        subprocess.run(
            [
                *cli,
                "sandbox",
                "init",
                "--db",
                str(db),
                "--platform",
                "jd",
                "--cards",
                str(args.cards),
                "--csv",
                str(cards),
                "--seed",
                str(args.seed),
                "--no-verification",
                "--rate-limit",
                "0",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        batch = [
            *cli,
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
            FAULTS.format(seed=args.seed),
        ]

        started = time.monotonic()
        proc = subprocess.Popen(
            batch, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        target = int(args.cards * args.kill_at)
        while bound(db) < target and proc.poll() is None:
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no handler runs, nothing is flushed
        proc.wait()
        at_kill = bound(db)
        killed_after = time.monotonic() - started

        resumed = subprocess.run(
            [*batch, "--resume"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        elapsed = time.monotonic() - started
        report = json.loads(
            subprocess.run(
                [*cli, "sandbox", "report", "--db", str(db), "--json"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

        with (tmp / "cards.results.csv").open(encoding="utf-8-sig") as f:
            results = list(csv.DictReader(f))
        with sqlite3.connect(tmp / "data" / "bind.sqlite3") as conn:
            attempts = int(conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])
        sandbox_requests = 0
        with sqlite3.connect(db) as conn:
            sandbox_requests = int(conn.execute("SELECT COUNT(*) FROM requests").fetchone()[0])

        summary = report["summary"]
        recorded_bound = sum(1 for r in results if r["status"] == "bound")
        # Lost: a card that is neither bound on the platform nor settled with a reason in
        # our results, or bound on the platform while our records do not say so.
        settled = {r["status"] for r in results} - {"bound"}
        lost = (args.cards - summary["bound_to_me"]) + abs(summary["bound_to_me"] - recorded_bound)
        figures = {
            "cards": args.cards,
            "faults": FAULTS.format(seed=args.seed),
            "killed_after_s": round(killed_after, 2),
            "bound_at_kill": at_kill,
            "resume_exit_code": resumed.returncode,
            "lost": lost,
            "bound_twice": summary["bound_twice"],
            "sent_after_bound": summary["sent_after_bound"],
            "over_budget": summary["over_budget"],
            "other_statuses": sorted(settled),
            "journal_attempts": attempts,
            "platform_requests": sandbox_requests,
            "elapsed_s": round(elapsed, 2),
            "throughput_cards_per_s": round(summary["bound_to_me"] / elapsed, 1),
            "cpu": os.cpu_count(),
        }
    print(f"cards {args.cards}, faults ~10 % ({figures['faults']})")
    print(
        f"kill -9 after {figures['killed_after_s']} s with {at_kill} bound; "
        f"resume exit code {resumed.returncode}"
    )
    print(
        f"lost {lost}  bound twice {summary['bound_twice']}  "
        f"sent again after bound {summary['sent_after_bound']}  "
        f"over budget {summary['over_budget']}"
    )
    print(
        f"throughput with pacing off: {figures['throughput_cards_per_s']} cards/s "
        f"({figures['elapsed_s']} s in all, incl. two process starts; "
        f"{sandbox_requests} platform requests, {attempts} journaled attempts)"
    )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bind_bench.json").write_text(json.dumps(figures, indent=2))
    ok = (
        lost == 0
        and summary["bound_twice"] == 0
        and summary["sent_after_bound"] == 0
        and summary["over_budget"] == 0
    )
    return 0 if ok and resumed.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
