"""`cardbind doctor`: what this computer has and lacks, in words, one fix line each."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli.doctor
from cli.main import main
from core.capabilities import capabilities, check_machine
from core.capabilities.desktop import (
    probe_audio,
    probe_camera,
    probe_fonts,
    probe_qt_platform,
)
from core.capabilities.report import Report
from core.capabilities.storage import probe_keyring
from core.errors import ExitCode


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def bare_machine() -> Report:
    """This computer as a bare Debian: no PulseAudio library, no keyring, no camera (and
    Qt's X11 libraries and a Chinese font present, whatever this machine has: the
    report's own wording is what is tested)."""
    from ocr.ppocr import own_models, wheel_models
    from ocr.tesseract import find_tesseract

    def no_pulse(soname: str) -> str | None:
        return "cannot open shared object file" if "pulse" in soname else None

    sound_off = probe_audio("linux", load=no_pulse)
    probes = {
        "audio": lambda: sound_off,
        "camera": lambda: probe_camera("linux", audio=sound_off),
        "keyring": lambda: probe_keyring(lambda: False),
        "qt_platform": lambda: probe_qt_platform("linux", load=lambda _soname: None),
        "fonts": lambda: probe_fonts("linux", families=lambda: ["Noto Sans CJK SC"]),
    }
    caps = [
        dataclasses.replace(cap, is_available=probes[cap.key]) if cap.key in probes else cap
        for cap in capabilities(find_tesseract, wheel_models=wheel_models, own_models=own_models)
    ]
    return check_machine(caps, system="debian")


def test_the_report_lists_every_part_in_words_with_a_fix_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli.doctor, "machine_report", bare_machine)
    code, out, _err = run(["doctor"], capsys)
    assert code == ExitCode.MISSING_DEPENDENCY
    lines = out.splitlines()
    assert lines[0] == "What this computer (Debian or Ubuntu) has for cardbind:"
    assert any(
        line.startswith("[found] Tesseract, the character reader: version 5.") for line in lines
    )
    assert "[found] cardbind's own reading models: PP-OCRv6_det_small.int8.onnx, " in out
    sound = lines.index("[missing] Sound (PulseAudio's library): libpulse.so.0 cannot be loaded")
    assert lines[sound + 1].strip() == "Voice fixes, read-back and the camera are off."
    assert lines[sound + 2].strip() == (
        "To turn it on, on Debian or Ubuntu: sudo apt install libpulse0"
    )
    keyring = next(i for i, line in enumerate(lines) if "Password store (keyring)" in line)
    assert lines[keyring].startswith("[missing]")
    assert "Practice cards in the sandbox work without it" in lines[keyring + 1]
    assert "sudo apt install gnome-keyring" in lines[keyring + 2]
    camera = next(line for line in lines if "Camera:" in line)
    assert camera.startswith("[not here]")
    assert lines[-1] == "2 parts cardbind uses are missing; everything else works without them."


def test_json_holds_every_capability_and_its_fixes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli.doctor, "machine_report", bare_machine)
    code, out, _err = run(["doctor", "--json"], capsys)
    assert code == ExitCode.MISSING_DEPENDENCY
    data = json.loads(out)
    assert data["system"] == "debian"
    assert data["ok"] is False
    by_key = {c["key"]: c for c in data["capabilities"]}
    assert list(by_key) == [c.key for c in bare_machine().checks]  # every one, in order
    audio = by_key["audio"]
    assert (audio["ok"], audio["needed"], audio["fix"]) == (
        False,
        True,
        "sudo apt install libpulse0",
    )
    assert audio["fixes"] == {
        "debian": "sudo apt install libpulse0",
        "fedora": "sudo dnf install pulseaudio-libs",
        "arch": "sudo pacman -S libpulse",
        "opensuse": "sudo zypper install libpulse0",
    }
    assert by_key["tesseract"]["ok"] is True


def test_a_missing_model_file_is_named_with_how_to_restore_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import ocr.ppocr

    there = tmp_path / "PP-OCRv6_det_small.int8.onnx"
    there.write_bytes(b"onnx")
    monkeypatch.setattr(
        ocr.ppocr, "own_models", lambda: [there, tmp_path / "PP-OCRv4_rec_mobile.onnx"]
    )
    wheel = tmp_path / "wheel"
    wheel.mkdir()
    (wheel / "PP-OCRv6_det_small.onnx").write_bytes(b"")  # an interrupted download
    monkeypatch.setattr(ocr.ppocr, "wheel_models", lambda: [wheel / "PP-OCRv6_det_small.onnx"])
    code, out, _err = run(["doctor"], capsys)
    assert code == ExitCode.MISSING_DEPENDENCY
    lines = out.splitlines()
    own = lines.index("[missing] cardbind's own reading models: missing: PP-OCRv4_rec_mobile.onnx")
    assert (
        lines[own + 1].strip() == "Reading is slower and more characters are marked for checking."
    )
    assert (
        lines[own + 2]
        .strip()
        .endswith(
            "reinstall cardbind; in a source folder, restore the files with: "
            "git checkout -- resources/models"
        )
    )
    pp = next(i for i, line in enumerate(lines) if line.startswith("[missing] PP-OCR"))
    assert lines[pp].endswith("model files missing: PP-OCRv6_det_small.onnx")
    assert lines[pp + 1].strip() == (
        "Reading codes from photos and the camera is off; typing a code still works."
    )
    assert (
        lines[pp + 2]
        .strip()
        .endswith(f"{sys.executable} -m pip install --force-reinstall rapidocr")
    )


def test_in_chinese(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli.doctor, "machine_report", bare_machine)
    _code, out, _err = run(["--lang", "zh_CN", "doctor"], capsys)
    assert "语音修正、朗读和摄像头已关闭" in out
    assert "sudo apt install libpulse0" in out


def test_on_this_machine_the_exit_code_follows_the_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run(["doctor", "--json"], capsys)
    data = json.loads(out)
    assert code == (ExitCode.OK if data["ok"] else ExitCode.MISSING_DEPENDENCY)
    # The tests' in-memory keyring is a store the user named (conftest).
    assert next(c for c in data["capabilities"] if c["key"] == "keyring")["ok"] is True


def test_doctor_never_loads_qt() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['doctor', '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
