"""Whether Qt's multimedia modules (sound, speech, camera) load on this computer.

On Linux they need PulseAudio's client library (libpulse.so.0), which a bare machine
may lack. Nothing in gui/ imports them at module load: the voice player and recorder
and the camera source import them when first used, and ask `multimedia_problem()`
first. Without them voice, read-back and the camera are off, the start screen says so
once (docs/bare-machine.md), and everything else works.
"""

from __future__ import annotations

import functools
import importlib
import logging

log = logging.getLogger(__name__)

MODULES = ("PySide6.QtMultimedia", "PySide6.QtTextToSpeech")


@functools.cache
def multimedia_problem() -> str | None:
    """None when Qt's multimedia modules load; else the loader's reason (for the log and
    the capability probe, which turns it into words)."""
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            log.warning(
                "%s cannot be loaded; voice, read-back and the camera are off: %s", name, exc
            )
            return str(exc) or name
    return None


def multimedia_available() -> bool:
    return multimedia_problem() is None
