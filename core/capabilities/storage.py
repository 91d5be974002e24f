"""Where cardbind keeps what it must keep: a system password store (the bind key and
tokens) and folders it can write its settings, journal and log to.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from core.capabilities.report import Finding, Words, install_lines, plain
from core.i18n import N_

log = logging.getLogger(__name__)


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
            plain(exc.strerror or str(exc)),
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
    return Finding(True, plain(", ".join(str(p) for p in paths.values())))
