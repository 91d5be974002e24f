"""What this computer has and lacks for cardbind, in words, with one line each that says
how to turn a missing part on.

Qt-free, so that the terminal (`cardbind doctor`) and the app (the start screen's notice)
ask the same questions. A probe only looks: it loads a shared library by its soname the
way Qt does (`ctypes.CDLL`, which honours LD_LIBRARY_PATH like Qt's own loader;
`ctypes.util.find_library` does not, and misses Flatpak, Nix and bundled installs),
imports a module without loading any model, or runs a program with a time limit.
Nothing here installs or changes anything. Why cardbind starts without some of these
and what it turns off: docs/bare-machine.md.

The package: the shared words, findings and report (report.py), one module per group
of probes (readers.py, desktop.py, storage.py), and here the list doctor and the start
screen run, in order, and the run itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.capabilities.desktop import (
    probe_audio,
    probe_camera,
    probe_fonts,
    probe_qt_platform,
)
from core.capabilities.readers import (
    FoundTesseract,
    probe_own_models,
    probe_second_reader,
    probe_tesseract,
)
from core.capabilities.report import Check, Finding, Report, Words, this_system
from core.capabilities.storage import probe_folders, probe_keyring
from core.i18n import N_

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Capability:
    """One thing cardbind may use: its name, what is off without it, and its probe."""

    key: str
    name: str  # msgid
    off: str  # msgid: what is off without it, as a sentence
    is_available: Callable[[], Finding]


QT_PLATFORM = Capability(
    "qt_platform",
    N_("Qt's window libraries (X11)"),
    N_("The app window cannot open; the cardbind command still works."),
    probe_qt_platform,
)


def sound_capability(probe: Callable[[], Finding] = probe_audio) -> Capability:
    return Capability(
        "audio",
        N_("Sound (PulseAudio's library)"),
        N_("Voice fixes, read-back and the camera are off."),
        probe,
    )


def capabilities(
    find_tesseract: Callable[[], FoundTesseract],
    *,
    wheel_models: Callable[[], Sequence[Path]] = tuple,
    own_models: Callable[[], Sequence[Path]] | None = None,
    qt_multimedia_problem: Callable[[], str | None] | None = None,
    keyring_available: Callable[[], bool] | None = None,
) -> list[Capability]:
    """Every capability in the order doctor lists them. The Tesseract finder and the
    model files' paths come from the caller (ocr sits above core; without `own_models`
    cardbind's own models are not listed); the app adds its own attempt to load Qt's
    multimedia module to the sound probe."""
    audio: list[Finding] = []

    def sound() -> Finding:
        audio.append(probe_audio(qt_problem=qt_multimedia_problem))
        return audio[-1]

    readers = [
        Capability(
            "tesseract",
            N_("Tesseract, the character reader"),
            N_(
                "Pictures are still read, but no character is marked as sure: you check "
                "each one, and the camera cannot finish a code on its own."
            ),
            lambda: probe_tesseract(find_tesseract),
        ),
        Capability(
            # The key predates PP-OCR finding the lines; kept, as users' settings hold it
            # (gui/machine.py: the parts already said).
            "second_reader",
            N_("PP-OCR, the line finder and reader (rapidocr, onnxruntime)"),
            N_("Reading codes from photos and the camera is off; typing a code still works."),
            lambda: probe_second_reader(wheel_models),
        ),
    ]
    if own_models is not None:
        files = own_models
        readers.append(
            Capability(
                "models",
                N_("cardbind's own reading models"),
                N_("Reading is slower and more characters are marked for checking."),
                lambda: probe_own_models(files),
            )
        )
    return [
        *readers,
        QT_PLATFORM,
        sound_capability(sound),
        Capability(
            "camera",
            N_("Camera"),
            N_("Reading with the camera is off; photos still work."),
            lambda: probe_camera(audio=audio[-1] if audio else sound()),
        ),
        Capability(
            "keyring",
            N_("Password store (keyring)"),
            N_(
                "Practice cards in the sandbox work without it; real binds, the bind "
                "history and saved tokens need it."
            ),
            lambda: probe_keyring(keyring_available),
        ),
        Capability(
            "fonts", N_("Chinese fonts"), N_("Chinese text shows as empty boxes."), probe_fonts
        ),
        Capability(
            "folders",
            N_("cardbind's folders (settings, journal, log)"),
            N_("Settings, the history and the journal cannot be saved."),
            probe_folders,
        ),
    ]


def check_machine(
    caps: Iterable[Capability], keys: Iterable[str] | None = None, system: str = ""
) -> Report:
    """Run the probes (all, or those in `keys`), in order; a probe that fails itself is
    reported as a capability that could not be checked, never as a crash."""
    system = system or this_system()
    wanted = set(keys) if keys is not None else None
    checks = []
    for cap in caps:
        if wanted is not None and cap.key not in wanted:
            continue
        try:
            finding = cap.is_available()
        except Exception as exc:
            log.warning("capability probe %s failed: %s", cap.key, exc, exc_info=True)
            finding = Finding(
                False,
                Words(N_("could not be checked: {error}"), {"error": type(exc).__name__}),
                needed=False,
            )
        checks.append(Check(cap.key, Words(cap.name), Words(cap.off), finding, system))
    return Report(system, tuple(checks))
