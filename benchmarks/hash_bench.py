"""The card hash's cost: per hash, per 1,000-card batch, per journal migration, and
what reversing one masked code costs at that rate (docs/hashing.md).

    .venv/bin/python -m benchmarks.hash_bench [--samples 200] [--cards 1000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from core.bind.card import CardHasher
from core.bind.card_hash import SCRYPT_N, SCRYPT_P, SCRYPT_R, keyed_v1, stretch
from core.codes.mask import mask_code
from core.codes.profiles import get_profile, platform_ids

CPU_YEAR_S = 365.25 * 24 * 3600


def per_hash_s(samples: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one hash, medians: the CPU time is what a guess
    costs an attacker; the wall time is what a user waits on a busy machine."""
    cpu, wall = [], []
    for _ in range(samples):
        v1 = secrets.token_hex(32)  # never cached
        t, c = time.perf_counter(), time.thread_time()
        stretch(v1)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - t)
    return statistics.median(cpu), statistics.median(wall)


def v1_rate(seconds: float = 1.0) -> float:
    key, n, t = secrets.token_bytes(32), 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        keyed_v1(key, "pdd", f"{n:016d}")
        n += 1
    return n / (time.perf_counter() - t)


def batch_s(cards: int) -> float:
    hasher = CardHasher(key=secrets.token_bytes(32))
    t = time.perf_counter()
    for i in range(cards):
        hasher.hash("pdd", f"{i:016d}")
    return time.perf_counter() - t


def migration_s(cards: int) -> float:
    from core.bind.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bind.sqlite3"
        Store(path).close()
        conn = sqlite3.connect(path)
        rows = [
            ("pdd", secrets.token_hex(32), "1234-****-****-5678", "bound", 0.0)
            for _ in range(cards)
        ]
        conn.executemany(
            "INSERT INTO history (platform, card_hash, masked, status, at, "
            "adapter) VALUES (?, ?, ?, ?, ?, 'sandbox')",
            rows,
        )
        conn.execute("PRAGMA user_version=1")  # as an older cardbind left it
        conn.commit()
        conn.close()
        t = time.perf_counter()
        Store(path).close()
        return time.perf_counter() - t


def shown(length: int) -> int:
    """Characters a masked code of this length shows today (core.codes.mask)."""
    return sum(c != "*" for c in mask_code("A" * length).replace("-", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--cards", type=int, default=1000)
    args = ap.parse_args()
    print(
        f"scrypt n=2^{SCRYPT_N.bit_length() - 1} r={SCRYPT_R} p={SCRYPT_P} "
        f"({128 * SCRYPT_N * SCRYPT_R // 1024 // 1024} MiB), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    t, wall = per_hash_s(args.samples)
    print(
        f"one hash: {t * 1000:.2f} ms of CPU ({wall * 1000:.2f} ms wall; medians of "
        f"{args.samples}) = {1 / t:,.0f} guesses/s on one core; the old HMAC: "
        f"{v1_rate():,.0f}/s"
    )
    print(f"10^10 guesses: {1e10 * t / CPU_YEAR_S:.2f} CPU-years")
    print(f"{args.cards} cards hashed: {batch_s(args.cards):.1f} s")
    print(f"journal of {args.cards} v1 hashes migrated on open: {migration_s(args.cards):.1f} s")
    print(
        "\n| platform | code | alphabet (usual) | shown, mask of a third (<= 8) | guesses | "
        "CPU-years | shown today | CPU-years today |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for pid in platform_ids():
        field = get_profile(pid).fields["pin"]
        alphabet = len(field.usual_alphabet or field.alphabet)
        lengths = (4, 8, 12, 16, 20, 32) if pid == "generic" else field.lengths
        for length in sorted(set(lengths)):
            third = min(length // 3, 8)
            guesses = alphabet ** (length - third)
            today = alphabet ** max(0, length - shown(length))
            print(
                f"| {pid} | {length} | {alphabet} | {third} | {guesses:.1e} | "
                f"{guesses * t / CPU_YEAR_S:.3g} | {shown(length)} | "
                f"{today * t / CPU_YEAR_S:.3g} |"
            )


if __name__ == "__main__":
    main()
