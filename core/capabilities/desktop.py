"""What the app's window, sound, camera and Chinese text need from the desktop: Qt's
X11 libraries, PulseAudio's client library, a camera device, fonts that show Chinese.
A library is loaded by its soname the way Qt loads it (see the package's docstring).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from core.capabilities.report import (
    DISTRIBUTIONS,
    PROBE_TIMEOUT_S,
    Finding,
    Words,
    install_lines,
    plain,
)
from core.i18n import N_


def load_library(soname: str) -> str | None:
    """Load a shared library by its soname as Qt would; None when it loads, else why not."""
    try:
        ctypes.CDLL(soname)
    except OSError as exc:
        return str(exc) or soname
    return None


# Qt's X11 platform plugin: the libraries a minimal desktop may lack, by soname, with
# the package holding each (Debian/Ubuntu, Fedora, Arch, openSUSE).
XCB_LIBRARIES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": (
        "libxcb-cursor0",
        "xcb-util-cursor",
        "xcb-util-cursor",
        "libxcb-cursor0",
    ),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": (
        "libxcb-keysyms1",
        "xcb-util-keysyms",
        "xcb-util-keysyms",
        "libxcb-keysyms1",
    ),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
        "libxcb-render-util0",
    ),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxkbcommon-x11.so.0": (
        "libxkbcommon-x11-0",
        "libxkbcommon-x11",
        "libxkbcommon-x11",
        "libxkbcommon-x11-0",
    ),
}


def packages_for(sonames: Iterable[str], table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    wanted = [table[s] for s in sonames]
    return {d: " ".join(dict.fromkeys(p[i] for p in wanted)) for i, d in enumerate(DISTRIBUTIONS)}


def missing_xcb_libraries(load: Callable[[str], str | None] | None = None) -> list[str]:
    loader = load or load_library
    return [soname for soname in XCB_LIBRARIES if loader(soname) is not None]


def probe_qt_platform(
    platform: str = "", load: Callable[[str], str | None] | None = None
) -> Finding:
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        return Finding(True, Words(N_("nothing extra is needed on this system")))
    missing = missing_xcb_libraries(load)
    if not missing:
        return Finding(True, Words(N_("all found")))
    fixes = install_lines(packages_for(missing, XCB_LIBRARIES))
    names = ", ".join(missing)
    if os.environ.get("WAYLAND_DISPLAY"):
        # A Wayland session opens the window without them (gui.app picks Wayland).
        return Finding(
            True,
            Words(N_("{libraries} missing; the window uses Wayland instead"), {"libraries": names}),
            fixes,
        )
    return Finding(False, Words(N_("missing: {libraries}"), {"libraries": names}), fixes)


AUDIO_LIBRARY = "libpulse.so.0"
_AUDIO_PACKAGES = {
    "debian": "libpulse0",
    "fedora": "pulseaudio-libs",
    "arch": "libpulse",
    "opensuse": "libpulse0",
}


def audio_fixes() -> dict[str, str | Words]:
    return dict(install_lines(_AUDIO_PACKAGES))


def probe_audio(
    platform: str = "",
    load: Callable[[str], str | None] | None = None,
    qt_problem: Callable[[], str | None] | None = None,
) -> Finding:
    """Qt's sound, speech and camera modules need PulseAudio's client library on Linux
    (Qt links it even where PipeWire serves the sound). `qt_problem` is the app's own
    attempt to load Qt's multimedia module, when the app asks."""
    platform = platform or sys.platform
    if platform.startswith("linux"):
        problem = (load or load_library)(AUDIO_LIBRARY)
        if problem is not None:
            return Finding(
                False,
                Words(N_("{library} cannot be loaded"), {"library": AUDIO_LIBRARY}),
                audio_fixes(),
            )
    problem = qt_problem() if qt_problem is not None else None
    if problem is not None and AUDIO_LIBRARY in problem:
        return Finding(
            False,
            Words(N_("{library} cannot be loaded"), {"library": AUDIO_LIBRARY}),
            audio_fixes(),
        )
    if problem is not None:
        fixes: dict[str, str | Words] = {
            "any": Words(
                N_("reinstall cardbind's Qt: {command}"),
                {"command": f"{sys.executable} -m pip install --force-reinstall PySide6-Addons"},
            )
        }
        return Finding(
            False,
            Words(N_("Qt's sound module cannot be loaded: {error}"), {"error": problem}),
            fixes,
        )
    if platform.startswith("linux"):
        return Finding(True, Words(N_("{library} found"), {"library": AUDIO_LIBRARY}))
    return Finding(True, Words(N_("the system's own sound is used")))


def probe_camera(
    platform: str = "", audio: Finding | None = None, devices: Callable[[], list[str]] | None = None
) -> Finding:
    platform = platform or sys.platform
    if audio is not None and not audio.ok:
        # Qt's camera lives in the same module as its sound: the sound line says why.
        return Finding(
            False, Words(N_("off, because Qt's sound module is off")), audio.fixes, needed=False
        )
    if not platform.startswith("linux"):
        return Finding(True, Words(N_("cameras are looked for when the camera screen opens")))
    found = (
        devices() if devices is not None else sorted(str(p) for p in Path("/dev").glob("video*"))
    )
    if not found:
        return Finding(
            False,
            Words(N_("no camera connected")),
            {
                "any": Words(
                    N_("connect a camera (a webcam or a document camera), or open photos instead")
                )
            },
            needed=False,
        )
    return Finding(True, plain(", ".join(found)))


_CJK_FONT_NAMES = (
    "cjk",
    "wqy",
    "wenquanyi",
    "droidsansfallback",
    "sourcehan",
    "ukai",
    "uming",
    "notosanssc",
    "notoserifsc",
    "hei",
    "song",
    "kai",
)
_FONT_PACKAGES = {
    "debian": "fonts-noto-cjk",
    "fedora": "google-noto-sans-cjk-fonts",
    "arch": "noto-fonts-cjk",
    "opensuse": "noto-sans-cjk-fonts",
}


def _font_files() -> Iterable[Path]:
    for folder in (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local/share/fonts",
        Path.home() / ".fonts",
    ):
        if folder.is_dir():
            yield from (
                p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".ttc", ".otf", ".otc")
            )


def chinese_fonts() -> list[str]:
    """Font families that can show Chinese (fontconfig's answer, else font file names)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            res = subprocess.run(
                [fc_list, ":lang=zh", "family"],
                capture_output=True,
                timeout=PROBE_TIMEOUT_S,
                check=False,
            )
            families = {
                line.split(",")[0].strip()
                for line in res.stdout.decode("utf-8", "replace").splitlines()
                if line.strip()
            }
            return sorted(families)
        except (OSError, subprocess.TimeoutExpired):
            pass
    found = []
    for path in _font_files():
        name = re.sub(r"[^a-z]", "", path.stem.lower())
        if any(k in name for k in _CJK_FONT_NAMES):
            found.append(path.stem)
    return sorted(found)


def probe_fonts(platform: str = "", families: Callable[[], list[str]] = chinese_fonts) -> Finding:
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        return Finding(True, Words(N_("the system's Chinese fonts are used")))
    found = families()
    if found:
        more = len(found) - 3
        shown = ", ".join(found[:3]) + (f" (+{more})" if more > 0 else "")
        return Finding(True, plain(shown))
    return Finding(
        False, Words(N_("no font for Chinese text was found")), install_lines(_FONT_PACKAGES)
    )
