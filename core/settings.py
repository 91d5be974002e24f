"""Typed, versioned settings in one JSON file under the user config dir.

A value that is missing, of the wrong type or out of range falls back to its default
(and is logged), so a hand-edited or half-written file never stops the app. Older
files are migrated step by step (`_MIGRATIONS`). Secrets never live here: tokens and
keys go to the OS keyring (core.secrets).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, get_type_hints

from core import atomic
from core.paths import config_dir

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"

ZOOM_STEPS = (100, 125, 150, 175, 200)


@dataclass
class Settings:
    version: int = SCHEMA_VERSION
    # "" = follow the system (zh_CN on a Chinese system, en otherwise)
    language: str = ""
    theme: str = "system"  # system | light | dark | high_contrast
    elder_mode: bool = False
    zoom: int = 100
    platform: str = "jd"
    # OCR: an explicit Tesseract binary; "" = TESSERACT_CMD, the wheel, PATH, usual folders
    tesseract_cmd: str = ""
    ocr_timeout_s: float = 20.0
    # Capture
    camera_device: str = ""
    camera_file: str = ""
    # Binding
    adapter: str = "sandbox"
    sandbox_db: str = ""
    http_base_url: str = ""
    # A company CA for the http bind service, added to the roots trusted anyway (the public
    # ones and the system's); TLS is always checked
    http_ca_file: str = ""
    account: str = ""  # the account binds go to, when the adapter needs one named
    # Browser-assist: the code copied for the platform's page leaves the clipboard after this
    clipboard_clear_s: int = 60
    bind_pacing_s: float = 3.0  # at least this long between two binds on one platform
    # One request to a bind service, from connecting to the last byte of the answer; then
    # it counts as a timeout (and is looked up before anything is sent again)
    bind_timeout_s: float = 15.0
    bind_retries: int = 4  # transport retries per attempt (never for a rejection)
    bind_retry_base_s: float = 0.5
    bind_retry_max_s: float = 8.0
    breaker_threshold: int = 5  # failed attempts in a row before holding back
    breaker_reset_s: float = 120.0
    # Per-platform attempt limits overriding the profiles' (mostly unverified) numbers
    attempt_limits: dict[str, int] = field(default_factory=dict)
    # Staff mode
    staff_mode: bool = False
    idle_wipe_minutes: int = 5
    # Scam check: a card of at least this value (yuan), higher than any bound before, is
    # asked about (0 = never for the amount alone)
    scam_high_amount: int = 1000
    # Voice
    voice_enabled: bool = False
    readback_rate: float = 1.0
    readback_radio_digits: bool = True
    # "" = the app's language; read-back can be English (NATO words) in a Chinese app
    readback_language: str = ""
    # Kept modest: read-back exposes the code to anyone nearby.
    readback_volume: float = 0.6
    voice_engine: str = "pocketsphinx"  # pocketsphinx | vosk
    vosk_model_dir: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    _LIMITS: ClassVar[dict[str, tuple[object, ...]]] = {
        "zoom": ZOOM_STEPS,
        "theme": ("system", "light", "dark", "high_contrast"),
        "language": ("", "zh_CN", "en"),
        "readback_language": ("", "zh_CN", "en"),
        "voice_engine": ("pocketsphinx", "vosk"),
    }

    def validate(self) -> list[str]:
        """Reset values outside their allowed range; returns the names that were reset."""
        reset = []
        defaults = Settings()
        for name, allowed in self._LIMITS.items():
            if getattr(self, name) not in allowed:
                setattr(self, name, getattr(defaults, name))
                reset.append(name)
        if not 0.25 <= self.readback_rate <= 3.0:
            self.readback_rate = defaults.readback_rate
            reset.append("readback_rate")
        if not 0.05 <= self.readback_volume <= 1.0:
            self.readback_volume = defaults.readback_volume
            reset.append("readback_volume")
        if not 0 <= self.idle_wipe_minutes <= 240:
            self.idle_wipe_minutes = defaults.idle_wipe_minutes
            reset.append("idle_wipe_minutes")
        if not 0 <= self.scam_high_amount <= 1_000_000:
            self.scam_high_amount = defaults.scam_high_amount
            reset.append("scam_high_amount")
        if not 5 <= self.clipboard_clear_s <= 3600:
            self.clipboard_clear_s = defaults.clipboard_clear_s
            reset.append("clipboard_clear_s")
        if not 1.0 <= self.ocr_timeout_s <= 600.0:
            self.ocr_timeout_s = defaults.ocr_timeout_s
            reset.append("ocr_timeout_s")
        ranges: dict[str, tuple[float, float]] = {
            "bind_pacing_s": (0.0, 3600.0),
            "bind_timeout_s": (1.0, 120.0),
            "bind_retries": (0, 10),
            "bind_retry_base_s": (0.01, 60.0),
            "bind_retry_max_s": (0.01, 600.0),
            "breaker_threshold": (1, 1000),
            "breaker_reset_s": (1.0, 86400.0),
        }
        for name, (low, high) in ranges.items():
            if not low <= getattr(self, name) <= high:
                setattr(self, name, getattr(defaults, name))
                reset.append(name)
        if not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100
            for k, v in self.attempt_limits.items()
        ):
            self.attempt_limits = {}
            reset.append("attempt_limits")
        return reset


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 0)
    if not isinstance(version, int):
        version = 0
    for step in range(version, SCHEMA_VERSION):
        migrate = _MIGRATIONS.get(step)
        if migrate:
            data = migrate(data)
    data["version"] = SCHEMA_VERSION
    return data


# version N → N+1; version 0 is a file written before settings had a version.
_MIGRATIONS: dict[int, Any] = {
    0: lambda d: d,
}


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def _coerce(value: Any, kind: Any, default: Any) -> tuple[Any, bool]:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value), True
    if kind in (int, float, str, bool) and type(value) is kind:
        return value, True
    if kind in (dict, dict[str, Any]) or getattr(kind, "__origin__", None) is dict:
        return (value, True) if isinstance(value, dict) else (default, False)
    return default, False


def from_dict(data: dict[str, Any]) -> Settings:
    data = _migrate(dict(data))
    hints = get_type_hints(Settings)
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in data:
            continue
        value, ok = _coerce(data[f.name], hints[f.name], getattr(defaults, f.name))
        if not ok:
            log.warning("setting %s has an unusable value; using the default", f.name)
        values[f.name] = value
    settings = Settings(**values)
    for name in settings.validate():
        log.warning("setting %s is out of range; using the default", name)
    return settings


def load(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.warning("cannot read settings (%s); using defaults", exc.strerror)
        return Settings()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        log.warning("settings file is not valid JSON; using defaults")
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return from_dict(data)


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    atomic.write_text(
        path or settings_path(),
        json.dumps(dataclasses.asdict(settings), ensure_ascii=False, indent=2, sort_keys=True),
    )
