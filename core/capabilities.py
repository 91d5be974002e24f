"""What this computer has and lacks for cardbind, in words, with one line each that says
how to turn a missing part on.

Qt-free, so that the terminal (`cardbind doctor`) and the app (the start screen's notice)
ask the same questions. A probe only looks: it loads a shared library by its soname the
way Qt does (`ctypes.CDLL`, which honours LD_LIBRARY_PATH like Qt's own loader;
`ctypes.util.find_library` does not, and misses Flatpak, Nix and bundled installs),
imports a module without loading any model, or runs a program with a time limit.
Nothing here installs or changes anything. Why cardbind starts without some of these
and what it turns off: docs/bare-machine.md.
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from core.i18n import N_, _

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 10.0

# The systems a fix line is written for. "linux" is a Linux we cannot name: its fix
# line lists the package of every distribution we know.
DISTRIBUTIONS = ("debian", "fedora", "arch", "opensuse")
SYSTEM_NAMES: dict[str, str] = {
    "debian": N_("Debian or Ubuntu"),
    "fedora": "Fedora",
    "arch": "Arch Linux",
    "opensuse": "openSUSE",
    "windows": "Windows",
    "macos": "macOS",
    "linux": "Linux",
}
_INSTALL = {
    "debian": "sudo apt install {packages}",
    "fedora": "sudo dnf install {packages}",
    "arch": "sudo pacman -S {packages}",
    "opensuse": "sudo zypper install {packages}",
}
# os-release IDs (ID and ID_LIKE) of the families above.
_FAMILIES = {
    "debian": "debian",
    "ubuntu": "debian",
    "linuxmint": "debian",
    "pop": "debian",
    "raspbian": "debian",
    "deepin": "debian",
    "uos": "debian",
    "kylin": "debian",
    "fedora": "fedora",
    "rhel": "fedora",
    "centos": "fedora",
    "rocky": "fedora",
    "almalinux": "fedora",
    "openeuler": "fedora",
    "arch": "arch",
    "manjaro": "arch",
    "endeavouros": "arch",
    "opensuse": "opensuse",
    "opensuse-leap": "opensuse",
    "opensuse-tumbleweed": "opensuse",
    "suse": "opensuse",
    "sles": "opensuse",
}


def this_system(os_release: Path = Path("/etc/os-release"), platform: str = "") -> str:
    """windows, macos, one of DISTRIBUTIONS, or "linux" for a distribution we cannot name."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "linux"
    ids: list[str] = []
    for line in text.splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in ("ID", "ID_LIKE"):
            ids += value.strip().strip("\"'").lower().split()
    return next((_FAMILIES[i] for i in ids if i in _FAMILIES), "linux")


@dataclass(frozen=True)
class Words:
    """A sentence rendered in the language current when it is read (the app may switch
    language while a notice is on screen). Parameters may be Words themselves."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return _(self.msgid).format(**{k: str(v) for k, v in self.params.items()})


def _plain(text: str) -> Words:
    """Text that is already in words (an error's own message), passed through as it is."""
    return Words("{text}", {"text": text})


def install_lines(packages: Mapping[str, str]) -> dict[str, str]:
    """One command per distribution, from its package names ("" = nothing to install)."""
    return {d: _INSTALL[d].format(packages=p) for d, p in packages.items() if p}


@dataclass(frozen=True)
class Finding:
    """What one probe saw."""

    ok: bool
    detail: Words  # what was found, or what is wrong
    # One line per system: how to turn it on ("debian" → "sudo apt install libpulse0").
    fixes: Mapping[str, str | Words] = field(default_factory=dict)
    # False when a missing part is nothing to install or not part of a normal install
    # (no camera plugged in; an optional engine): listed by doctor, not said at start.
    needed: bool = True


@dataclass(frozen=True)
class Check:
    """One capability as this computer has it: what the user reads, and the fix."""

    key: str
    name: Words
    off: Words  # what is off without it, as a sentence
    finding: Finding
    system: str

    @property
    def ok(self) -> bool:
        return self.finding.ok

    @property
    def needed(self) -> bool:
        return self.finding.needed

    @property
    def detail(self) -> str:
        return str(self.finding.detail)

    def fix(self) -> str:
        """This computer's fix: a command or an instruction ("" when nothing is to do)."""
        if self.ok:
            return ""
        fixes = self.finding.fixes
        for key in (self.system, "any"):
            if key in fixes:
                return str(fixes[key])
        return ""

    def fix_text(self) -> str:
        """The fix as one sentence: "To turn it on, on Debian or Ubuntu: sudo apt …"."""
        if self.ok:
            return ""
        fixes = self.finding.fixes
        if self.system in fixes:
            return _("To turn it on, on {system}: {command}").format(
                system=_(SYSTEM_NAMES[self.system]), command=fixes[self.system]
            )
        if "any" in fixes:
            return _("To turn it on: {command}").format(command=fixes["any"])
        distros = [d for d in DISTRIBUTIONS if d in fixes]
        if distros:
            # A Linux we cannot name: every distribution's line, so that one of them fits.
            lines = _("; ").join(
                _("{system}: {command}").format(system=_(SYSTEM_NAMES[d]), command=fixes[d])
                for d in distros
            )
            return _("To turn it on: {commands}").format(commands=lines)
        return ""

    def sentence(self) -> str:
        """Name, what is wrong, what is off, and the fix, in one paragraph."""
        problem = _("{name}: {detail}.").format(name=self.name, detail=self.detail)
        if self.ok:
            return problem
        fix = self.fix_text()
        if not fix:
            return _("{problem} {off}").format(problem=problem, off=self.off)
        return _("{problem} {off} {fix}").format(problem=problem, off=self.off, fix=fix)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": str(self.name),
            "ok": self.ok,
            "needed": self.needed,
            "detail": self.detail,
            "off": "" if self.ok else str(self.off),
            "fix": self.fix(),
            "fix_text": self.fix_text(),
            "fixes": {k: str(v) for k, v in self.finding.fixes.items()},
        }


@dataclass(frozen=True)
class Report:
    system: str
    checks: tuple[Check, ...]

    def get(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)

    def missing(self) -> list[Check]:
        """What is off and worth saying: needed parts this computer lacks."""
        return [c for c in self.checks if not c.ok and c.needed]

    @property
    def ok(self) -> bool:
        return not self.missing()

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "ok": self.ok,
            "capabilities": [c.to_json() for c in self.checks],
        }


# --- probes --------------------------------------------------------------------------


def load_library(soname: str) -> str | None:
    """Load a shared library by its soname as Qt would; None when it loads, else why not."""
    try:
        ctypes.CDLL(soname)
    except OSError as exc:
        return str(exc) or soname
    return None


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
        return Finding(False, _plain(str(exc)), fixes)
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


def probe_second_reader() -> Finding:
    """PP-OCR through rapidocr and onnxruntime: imported, never a model loaded."""
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
    return Finding(True, _plain(", ".join(versions)), needed=needed)


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
    return Finding(True, _plain(", ".join(found)))


_KEYRING_PACKAGES = {
    "debian": "gnome-keyring",
    "fedora": "gnome-keyring",
    "arch": "gnome-keyring",
    "opensuse": "gnome-keyring",
}


def probe_keyring(available: Callable[[], bool] | None = None) -> Finding:
    """Asks core.secrets whether a system password store is usable (reads nothing)."""
    if available is None:
        from core.secrets import Secrets

        available = Secrets().available
    try:
        ok = available()
    except Exception as exc:
        log.info("keyring probe failed: %s", type(exc).__name__)
        ok = False
    if ok:
        return Finding(True, Words(N_("a system password store is available")))
    fixes: dict[str, str | Words] = {
        d: Words(
            N_("{command}, then log out and in again (or use KWallet on KDE)"), {"command": line}
        )
        for d, line in install_lines(_KEYRING_PACKAGES).items()
    }
    fixes["windows"] = Words(
        N_("sign in to Windows with your own user account; the Credential Locker comes with it")
    )
    fixes["macos"] = Words(
        N_("sign in to macOS with your own user account; the Keychain comes with it")
    )
    return Finding(
        False,
        Words(
            N_(
                "no system password store (Secret Service, KWallet, "
                "Keychain or Credential Locker) was found"
            )
        ),
        fixes,
    )


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
        return Finding(True, _plain(shown))
    return Finding(
        False, Words(N_("no font for Chinese text was found")), install_lines(_FONT_PACKAGES)
    )


def _writable(path: Path) -> str | None:
    """None when cardbind can write files in `path` (made if missing), else why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".cardbind-probe-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def probe_folders(folders: Callable[[], Mapping[str, Path]] | None = None) -> Finding:
    if folders is None:
        from core.logs import log_dir
        from core.paths import config_dir, data_dir

        def folders() -> Mapping[str, Path]:
            return {
                "CARDBIND_DATA_DIR": data_dir(),
                "CARDBIND_CONFIG_DIR": config_dir(),
                "CARDBIND_LOG_DIR": log_dir(),
            }

    try:
        paths = folders()
    except OSError as exc:
        return Finding(
            False,
            _plain(exc.strerror or str(exc)),
            {
                "any": Words(
                    N_("set CARDBIND_DATA_DIR and CARDBIND_CONFIG_DIR to folders you can write to")
                )
            },
        )
    for variable, path in paths.items():
        problem = _writable(path)
        if problem is not None:
            return Finding(
                False,
                Words(N_("{path} cannot be written: {error}"), {"path": path, "error": problem}),
                {
                    "any": Words(
                        N_(
                            "make {path} writable for your user, or set "
                            "{variable} to a folder that is"
                        ),
                        {"path": path, "variable": variable},
                    )
                },
            )
    return Finding(True, _plain(", ".join(str(p) for p in paths.values())))


# --- the list --------------------------------------------------------------------------


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
    qt_multimedia_problem: Callable[[], str | None] | None = None,
    keyring_available: Callable[[], bool] | None = None,
) -> list[Capability]:
    """Every capability in the order doctor lists them. The Tesseract finder comes from
    the caller (ocr sits above core); the app adds its own attempt to load Qt's
    multimedia module to the sound probe."""
    audio: list[Finding] = []

    def sound() -> Finding:
        audio.append(probe_audio(qt_problem=qt_multimedia_problem))
        return audio[-1]

    return [
        Capability(
            "tesseract",
            N_("Tesseract, the text reader"),
            N_("Reading codes from photos and the camera is off; typing a code still works."),
            lambda: probe_tesseract(find_tesseract),
        ),
        Capability(
            "second_reader",
            N_("PP-OCR, the second reader (rapidocr, onnxruntime)"),
            N_("Every character is read by Tesseract alone."),
            probe_second_reader,
        ),
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
