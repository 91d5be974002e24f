"""Logging to a rotating file under the user log dir, with card codes masked.

Code paths should never log a code in the first place; the filter is the second line
of defence so that a mistake cannot put bearer money into a log file.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_log_dir

from core.codes.mask import redact

APP = "cardbind"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # The formatted traceback is built later from exc_info; redact it by text.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def log_dir() -> Path:
    override = os.environ.get("CARDBIND_LOG_DIR")
    return Path(override) if override else Path(user_log_dir(APP, appauthor=False))


def log_file() -> Path:
    return log_dir() / "cardbind.log"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to the user log file; returns its path, or None when it cannot be written."""
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return log_file()
    root.setLevel(level)
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
