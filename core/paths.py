"""Where cardbind keeps its files: per-user data and config dirs (platformdirs).

CARDBIND_DATA_DIR and CARDBIND_CONFIG_DIR override them (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP = "cardbind"


def data_dir() -> Path:
    override = os.environ.get("CARDBIND_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("CARDBIND_CONFIG_DIR")
    path = Path(override) if override else Path(user_config_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
