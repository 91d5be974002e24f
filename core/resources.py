"""Where the shipped data files live."""

from __future__ import annotations

from pathlib import Path

import resources as _resources_pkg


def resources_dir() -> Path:
    """The `resources/` directory, for both a source checkout and an installed wheel."""
    return Path(_resources_pkg.__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
