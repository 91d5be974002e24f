"""Logging to a rotating file under the user log dir, with card codes masked.

Code paths should never log a code in the first place; the filter is the second line
of defence so that a mistake cannot put bearer money into a log file. It sees codes in
every form a person or a clipboard produces them: any case, grouped with spaces, `-`,
`_`, `.` or `/`, in full-width characters, or split by invisible zero-width ones.

The file is readable by its owner only (0600) in a folder only its owner can enter
(0700): masked codes, but still nobody else's business.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from platformdirs import user_log_dir

from core.codes.mask import mask_code, redact

APP = "cardbind"

# Characters that show nothing but split a code for a pattern: zero-width space and
# joiners, direction marks, word joiner, invisible operators, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Between groups: a space run, or one of - _ . / (and the Unicode dashes and middle
# dots NFKC leaves alone), with optional spaces around it.
_SEP = r"(?:[ \t]*[\-_./\u2010-\u2015\u2212\u00b7\u30fb][ \t]*|[ \t]+)"


def _grouped(size: int) -> re.Pattern[str]:
    """Two or more groups of `size` letters and digits (any case), then maybe a shorter
    last one (an 18-digit code in fours ends with two). Codes are shown in groups of one
    size; prose words have all sizes, so "waiting 1234 seconds" is left alone."""
    group = rf"[0-9A-Za-z]{{{size}}}"
    last = rf"(?:{_SEP}[0-9A-Za-z]{{1,{size - 1}}})?"
    return re.compile(rf"(?<![0-9A-Za-z]){group}(?:{_SEP}{group})+{last}(?![0-9A-Za-z])")


_GROUPED = [_grouped(size) for size in range(8, 2, -1)]


def _mask_grouped(match: re.Match[str]) -> str:
    text = match.group(0)
    groups = re.findall(r"[0-9A-Za-z]+", text)
    chars = "".join(groups)
    # Like core.codes.mask.redact: at least 8 characters and 2 digits.
    if len(chars) < 8 or sum(c.isdigit() for c in chars) < 2:
        return text
    # A word as long as the groups ("card e71d 5e47 33ed 50ba") is masked with them: the
    # masker cannot tell it from a group. Such words make the run longer, and a longer
    # code shows more of itself; so show only as much as the run without its digit-free
    # edge groups would show, and the code never shows more than its own mask does.
    while groups and not any(c.isdigit() for c in groups[0]):
        groups.pop(0)
    while groups and not any(c.isdigit() for c in groups[-1]):
        groups.pop()
    return _masked(chars, len("".join(groups)))


def _masked(chars: str, shown_as: int) -> str:
    """mask_code(chars), showing no more characters than mask_code shows for a code of
    `shown_as` characters (mask_code stays the one place that decides how much)."""
    probe = mask_code("A" * shown_as).replace("-", "")
    head = len(probe) - len(probe.lstrip("A"))
    tail = len(probe) - len(probe.rstrip("A"))
    flat = mask_code(chars).replace("-", "")
    kept = "".join(c if i < head or i >= len(flat) - tail else "*" for i, c in enumerate(flat))
    return "-".join(kept[i : i + 4] for i in range(0, len(kept), 4))


def redact_log(text: str) -> str:
    """Mask every code-like run in a log message, whatever its case, separators, width
    or invisible characters. Full-width text comes out in ASCII (NFKC)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    for pattern in _GROUPED:  # a masked run has no letters in its middle: not found again
        text = pattern.sub(_mask_grouped, text)
    return redact(text)


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks every code in the whole text (message, arguments and
    traceback). It works on the text it writes, not on the record: other handlers of the
    same record (a test's capture, a console) see it as it was, and text that was masked
    before it was logged is not masked a second time."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_log(super().format(record))

    def formatException(self, ei: Any) -> str:
        return redact_log(super().formatException(ei))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created 0600, the first one and every rotation."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # a file left 0644 by an older cardbind
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def log_dir() -> Path:
    override = os.environ.get("CARDBIND_LOG_DIR")
    return Path(override) if override else Path(user_log_dir(APP, appauthor=False))


def log_file() -> Path:
    return log_dir() / "cardbind.log"


def _private_dir(path: Path) -> None:
    """Create the log folder 0700. An existing folder is tightened only when it is the
    app's own (not one named by CARDBIND_LOG_DIR, which may be shared, like /tmp)."""
    existed = path.is_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not existed or "CARDBIND_LOG_DIR" not in os.environ:
        os.chmod(path, 0o700)


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to the user log file; returns its path, or None when it cannot be written."""
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return log_file()
    root.setLevel(level)
    path = log_file()
    try:
        _private_dir(path.parent)
        handler: logging.Handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
