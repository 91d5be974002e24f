"""The test session itself: it leaves nothing behind in the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_session_state_folder_is_removed_at_the_end(tmp_path: Path) -> None:
    # A small session that writes a log and a journal in the state folder, in a TMPDIR
    # of its own so that nothing else's folders are counted.
    env = dict(os.environ, TMPDIR=str(tmp_path))
    for name in ("CARDBIND_LOG_DIR", "CARDBIND_DATA_DIR", "CARDBIND_CONFIG_DIR"):
        env.pop(name, None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/cli/test_check.py::test_json_output",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.glob("cardbind-tests-*")) == []
