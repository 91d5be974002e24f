"""What every command does with the terminal: ask, ask without echo, confirm, print a line
to standard error, and say a duration in words."""

from __future__ import annotations

import getpass
import math
import sys
from typing import TextIO

from core.i18n import _


def err(message: str) -> None:
    print(message, file=sys.stderr)


def tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def ask_secret(prompt: str) -> str:
    """Hidden input on a terminal (nothing in the scroll-back); a line from a pipe."""
    if tty(sys.stdin):
        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\r\n")


def ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def yes(prompt: str) -> bool:
    """Only a person at a terminal can say yes; a pipe or a script always means no."""
    if not tty(sys.stdin):
        return False
    return ask(prompt + " " + _("[y/N] ")).lower() in ("y", "yes", "是", "好", "对")


def duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)
