"""What the screens need from the layers below, injectable so tests can swap pieces.

The app builds one `Services` from the real modules; a test may pass fakes (a reader
that returns a fixed Reading, a bind service over an in-memory sandbox…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.settings import Settings
from ocr.reading import Reading

ReadImage = Callable[[np.ndarray, "str | None"], Reading]
LoadImage = Callable[[Path], np.ndarray]


@dataclass
class Services:
    settings: Settings
    read_image: ReadImage
    load_image: LoadImage
    make_consensus: Callable[[str], Any]
    extra: dict[str, Any] = field(default_factory=dict)
