"""The readers cardbind reads codes with: Tesseract (a program, run with a time limit),
PP-OCR through rapidocr and onnxruntime (imported, its model files looked for, never a
model loaded), and cardbind's own model files (looked for).
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Protocol

from core.capabilities.report import PROBE_TIMEOUT_S, Finding, Words, install_lines, plain
from core.i18n import N_

log = logging.getLogger(__name__)


class FoundTesseract(Protocol):
    """What ocr.tesseract.find_tesseract returns (passed in: core never imports ocr)."""

    @property
    def cmd(self) -> str: ...
    @property
    def version_text(self) -> str: ...
    def env(self) -> dict[str, str]: ...


def tesseract_languages(found: FoundTesseract) -> list[str]:
    try:
        res = subprocess.run(
            [found.cmd, "--list-langs"],
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            env=found.env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    lines = (res.stdout + res.stderr).decode("utf-8", "replace").splitlines()
    return sorted(line.strip() for line in lines if re.fullmatch(r"[A-Za-z0-9_]+", line.strip()))


_TESSERACT_PACKAGES = {
    "debian": "tesseract-ocr tesseract-ocr-eng",
    "fedora": "tesseract tesseract-langpack-eng",
    "arch": "tesseract tesseract-data-eng",
    "opensuse": "tesseract-ocr tesseract-ocr-traineddata-english",
}


def probe_tesseract(find: Callable[[], FoundTesseract]) -> Finding:
    fixes: dict[str, str | Words] = dict(install_lines(_TESSERACT_PACKAGES))
    fixes["windows"] = Words(
        N_("install Tesseract 5 from the UB Mannheim build (github.com/UB-Mannheim/tesseract/wiki)")
    )
    fixes["macos"] = "brew install tesseract"
    try:
        found = find()
    except Exception as exc:
        searched = getattr(exc, "searched", None)
        if searched is not None:
            return Finding(False, Words(N_("not found")), fixes)
        return Finding(False, plain(str(exc)), fixes)
    langs = tesseract_languages(found)
    return Finding(
        True,
        Words(
            N_("version {version} at {path}; languages: {languages}"),
            {
                "version": found.version_text,
                "path": found.cmd,
                "languages": ", ".join(langs) or "?",
            },
        ),
    )


SECOND_READER_MODULES = ("rapidocr", "onnxruntime")


def required_by_cardbind(distribution: str) -> bool:
    """Is `distribution` one of cardbind's own dependencies (not only an extra's)?"""
    try:
        requires = importlib.metadata.requires("cardbind") or []
    except importlib.metadata.PackageNotFoundError:
        return False
    for req in requires:
        name = re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0].lower()
        if name == distribution and "extra ==" not in req:
            return True
    return False


def probe_second_reader(models: Callable[[], Sequence[Path]] = tuple) -> Finding:
    """PP-OCR through rapidocr and onnxruntime: imported, and `models` (the model files
    the read needs from the rapidocr wheel) looked for; never a model loaded."""
    needed = all(required_by_cardbind(m) for m in SECOND_READER_MODULES)
    fix = f"{sys.executable} -m pip install {' '.join(SECOND_READER_MODULES)}"
    versions = []
    for name in SECOND_READER_MODULES:
        try:
            import_module(name)
        except Exception as exc:  # a broken native library raises more than ImportError
            log.info("second reader: %s cannot be imported: %s", name, exc)
            detail = (
                Words(N_("not installed ({module} is missing)"), {"module": name})
                if isinstance(exc, ModuleNotFoundError)
                else Words(N_("{module} cannot be loaded: {error}"), {"module": name, "error": exc})
            )
            return Finding(False, detail, {"any": fix}, needed=needed)
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(name)
    missing = _missing(models())
    if missing:
        return Finding(
            False,
            Words(N_("model files missing: {files}"), {"files": ", ".join(missing)}),
            {"any": f"{sys.executable} -m pip install --force-reinstall rapidocr"},
            needed=needed,
        )
    return Finding(True, plain(", ".join(versions)), needed=needed)


def probe_own_models(files: Callable[[], Sequence[Path]]) -> Finding:
    """cardbind's own model files (resources/models/): looked for, never loaded. Each is
    optional to the read (it goes on without, slower or with more characters flagged:
    docs/ocr.md, "Either engine missing"), but a missing one means a damaged install."""
    paths = list(files())
    missing = _missing(paths)
    if missing:
        return Finding(
            False,
            Words(N_("missing: {files}"), {"files": ", ".join(missing)}),
            {
                "any": Words(
                    N_(
                        "reinstall cardbind; in a source folder, restore the files with: "
                        "git checkout -- resources/models"
                    )
                )
            },
        )
    return Finding(True, plain(", ".join(p.name for p in paths)))


def _missing(paths: Sequence[Path]) -> list[str]:
    """The names of the files not there (an empty file is a failed download: missing)."""
    out = []
    for p in paths:
        try:
            ok = p.is_file() and p.stat().st_size > 0
        except OSError:
            ok = False
        if not ok:
            out.append(p.name)
    return out
