"""What a probe found and how it is said: the words (rendered in the language current
when they are read), one finding, one check with its fix line for this computer, and
the report of them all; and the systems a fix line is written for.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.i18n import N_, _

# Every probe that runs a program gives it this long.
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


def plain(text: str) -> Words:
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
