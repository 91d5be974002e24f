"""Settings survive bad files, old versions and crashes mid-write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import SCHEMA_VERSION, Settings, load, save


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert load(tmp_path / "none.json") == Settings()


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    s = Settings(elder_mode=True, zoom=175, language="zh_CN", platform="cmcc")
    save(s, path)
    assert load(path) == s


@pytest.mark.parametrize("content", ["", "{", "[1, 2]", "null", "\x00\xff"])
def test_broken_file_gives_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert load(path) == Settings()


def test_bad_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "zoom": 300,
                "elder_mode": "yes",
                "readback_rate": 2,
                "theme": "neon",
                "platform": "pdd",
            }
        ),
        encoding="utf-8",
    )
    s = load(path)
    assert (s.zoom, s.elder_mode, s.theme) == (100, False, "system")
    assert s.readback_rate == 2.0
    assert s.platform == "pdd"


def test_old_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"elder_mode": True}), encoding="utf-8")
    s = load(path)
    assert s.version == SCHEMA_VERSION
    assert s.elder_mode is True


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    save(Settings(zoom=150), path)

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("core.atomic.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save(Settings(zoom=200), path)
    assert load(path).zoom == 150
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_voice_settings_out_of_range_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "voice_engine": "whisper",
                "readback_volume": 5.0,
                "readback_language": "fr",
                "vosk_model_dir": "/models/cn",
            }
        )
    )
    s = load(path)
    assert s.voice_engine == "pocketsphinx"
    assert s.readback_volume == 0.6
    assert s.readback_language == ""
    assert s.vosk_model_dir == "/models/cn"
