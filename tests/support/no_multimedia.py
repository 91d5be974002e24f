"""Pretend PulseAudio's library is missing: Qt's multimedia modules fail to import with
the loader's own message, as on a bare Linux machine (docs/bare-machine.md).

`install()` in a fresh process, before anything imports them; or run anything under it:
`python -m tests.support.no_multimedia -m pytest tests/gui -q` runs pytest that way.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import runpy
import sys
from collections.abc import Sequence
from types import ModuleType

MESSAGE = "libpulse.so.0: cannot open shared object file: No such file or directory"
BLOCKED = (
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
)


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in BLOCKED:
            raise ImportError(MESSAGE, name=fullname)
        return None


def install() -> None:
    loaded = [name for name in BLOCKED if name in sys.modules]
    if loaded:
        raise RuntimeError(f"already imported: {', '.join(loaded)}")
    if not any(isinstance(f, _Blocker) for f in sys.meta_path):
        sys.meta_path.insert(0, _Blocker())


if __name__ == "__main__":
    # python -m tests.support.no_multimedia -m MODULE ARGS… | SCRIPT ARGS…
    install()
    args = sys.argv[1:]
    if args[:1] == ["-m"] and len(args) > 1:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    elif args:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")
