"""What every command does with the terminal: ask, ask without echo, confirm, and print a
line to standard error."""

from __future__ import annotations

import getpass
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
