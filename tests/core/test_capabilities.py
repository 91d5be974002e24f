"""What this computer has and lacks (core/capabilities/): each probe, its words and its
fix line per system, with the machine stood in for where it matters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.capabilities import Capability, capabilities, check_machine
from core.capabilities.desktop import probe_audio, probe_camera, probe_fonts, probe_qt_platform
from core.capabilities.readers import (
    probe_own_models,
    probe_second_reader,
    probe_tesseract,
    required_by_cardbind,
)
from core.capabilities.report import Check, Finding, Words, this_system
from core.capabilities.storage import probe_folders, probe_keyring
from core.i18n import set_language


@pytest.mark.parametrize(
    ("os_release", "system"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "debian"),
        ("ID=ubuntu\nID_LIKE=debian\n", "debian"),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
        ("ID=fedora\n", "fedora"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
        ("ID=arch\n", "arch"),
        ("ID=manjaro\nID_LIKE=arch\n", "arch"),
        ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "opensuse"),
        ("ID=nixos\n", "linux"),
    ],
)
def test_the_distribution_is_read_from_os_release(
    tmp_path: Path, os_release: str, system: str
) -> None:
    path = tmp_path / "os-release"
    path.write_text(os_release, encoding="utf-8")
    assert this_system(path, "linux") == system


def test_other_systems_and_a_missing_os_release() -> None:
    assert this_system(Path("/nowhere"), "win32") == "windows"
    assert this_system(Path("/nowhere"), "darwin") == "macos"
    assert this_system(Path("/nowhere/os-release"), "linux") == "linux"


def check(finding: Finding, system: str = "debian", key: str = "audio") -> Check:
    name, off = (
        Words("Sound (PulseAudio's library)"),
        Words("Voice fixes, read-back and the camera are off."),
    )
    return Check(key, name, off, finding, system)


def no_pulse(soname: str) -> str | None:
    return f"{soname}: cannot open shared object file" if "pulse" in soname else None


@pytest.mark.parametrize(
    ("system", "line"),
    [
        ("debian", "To turn it on, on Debian or Ubuntu: sudo apt install libpulse0"),
        ("fedora", "To turn it on, on Fedora: sudo dnf install pulseaudio-libs"),
        ("arch", "To turn it on, on Arch Linux: sudo pacman -S libpulse"),
        ("opensuse", "To turn it on, on openSUSE: sudo zypper install libpulse0"),
    ],
)
def test_without_pulseaudio_sound_is_off_with_the_package_for_each_distribution(
    system: str, line: str
) -> None:
    finding = probe_audio("linux", load=no_pulse)
    assert not finding.ok
    c = check(finding, system)
    assert c.fix_text() == line
    assert c.sentence() == (
        "Sound (PulseAudio's library): libpulse.so.0 cannot be loaded. Voice fixes, "
        f"read-back and the camera are off. {line}"
    )


def test_an_unknown_linux_gets_every_distributions_package() -> None:
    text = check(probe_audio("linux", load=no_pulse), "linux").fix_text()
    for part in (
        "Debian or Ubuntu: sudo apt install libpulse0",
        "Fedora: sudo dnf install pulseaudio-libs",
        "Arch Linux: sudo pacman -S libpulse",
        "openSUSE: sudo zypper install libpulse0",
    ):
        assert part in text


def test_qts_own_failure_to_load_counts_and_names_the_library() -> None:
    lib_ok = probe_audio("linux", load=lambda _s: None, qt_problem=lambda: None)
    assert lib_ok.ok
    from_qt = probe_audio(
        "linux",
        load=lambda _s: None,
        qt_problem=lambda: "libpulse.so.0: cannot open shared object file",
    )
    assert not from_qt.ok
    assert str(from_qt.detail) == "libpulse.so.0 cannot be loaded"
    other = probe_audio("win32", qt_problem=lambda: "DLL load failed: Qt6Multimedia.dll")
    assert not other.ok
    assert "--force-reinstall PySide6-Addons" in check(other, "windows").fix()
    assert probe_audio("win32").ok


def test_the_camera_is_off_with_sound_and_a_missing_camera_is_not_a_fault() -> None:
    sound_off = probe_audio("linux", load=no_pulse)
    camera = probe_camera("linux", audio=sound_off, devices=lambda: ["/dev/video0"])
    assert not camera.ok
    assert not camera.needed  # the sound line already says it, with its fix
    assert "libpulse0" in check(camera).fix()
    none = probe_camera("linux", devices=list)
    assert not none.ok
    assert not none.needed
    assert "connect a camera" in check(none).fix_text()
    assert probe_camera("linux", devices=lambda: ["/dev/video0"]).ok


def test_qt_window_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    def load(soname: str) -> str | None:
        return "missing" if soname in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1") else None

    finding = probe_qt_platform("linux", load=load)
    assert not finding.ok
    assert str(finding.detail) == "missing: libxcb-icccm.so.4, libxcb-keysyms.so.1"
    assert finding.fixes["debian"] == "sudo apt install libxcb-icccm4 libxcb-keysyms1"
    assert finding.fixes["fedora"] == "sudo dnf install xcb-util-wm xcb-util-keysyms"
    # On Wayland the window opens without them.
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert probe_qt_platform("linux", load=load).ok
    assert probe_qt_platform("win32", load=load).ok


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sonames are Linux's")
def test_libraries_are_loaded_by_soname_as_qt_does_so_ld_library_path_counts(
    tmp_path: Path,
) -> None:
    # A library only LD_LIBRARY_PATH knows (as in Flatpak, Nix or a bundled install):
    # find_library misses it, loading it by its soname finds it, as Qt's loader does.
    import ctypes.util

    libz = ctypes.util.find_library("z")
    assert libz is not None
    source = next(
        p
        for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")
        if (p := Path(d) / libz).exists()
    )
    shutil.copy(source, tmp_path / "libcardbindprobe.so.7")
    code = textwrap.dedent(
        """
        import ctypes.util, json
        from core.capabilities.desktop import load_library
        print(json.dumps([load_library("libcardbindprobe.so.7"),
                          ctypes.util.find_library("cardbindprobe"),
                          load_library("libcardbind-nowhere.so.1")]))
        """
    )
    env = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded, found, nowhere = json.loads(out.stdout)
    assert loaded is None
    assert found is None
    assert "libcardbind-nowhere.so.1" in nowhere


class FakeTesseract:
    def __init__(self, cmd: str) -> None:
        self.cmd = cmd
        self.version_text = "5.3.0"

    def env(self) -> dict[str, str]:
        return dict(os.environ)


def test_no_keyring_says_practice_works_and_how_to_get_one() -> None:
    finding = probe_keyring(lambda: False)
    assert not finding.ok
    c = check_machine(
        [Capability("keyring", "Password store (keyring)", "x", lambda: finding)],
        system="debian",
    ).checks[0]
    assert "sudo apt install gnome-keyring" in c.fix_text()
    assert "Credential Locker" in str(finding.fixes["windows"])
    assert "Keychain" in str(finding.fixes["macos"])
    # The sentence the start screen and doctor use.
    full = next(
        cap
        for cap in capabilities(lambda: FakeTesseract("x"), keyring_available=lambda: False)
        if cap.key == "keyring"
    )
    said = check_machine([full], system="fedora").checks[0].sentence()
    assert "Practice cards in the sandbox work without it" in said
    assert "real binds" in said
    assert "sudo dnf install gnome-keyring" in said


def test_the_keyring_probe_asks_core_secrets() -> None:
    # The tests' in-memory keyring (conftest) is a store the user named: available.
    assert probe_keyring().ok


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script stands in")
def test_tesseract_lists_its_languages(tmp_path: Path) -> None:
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\necho 'List of available languages in \"/x/\" (3):'\n"
        "printf 'chi_sim\\neng\\nosd\\n'\n"
    )
    script.chmod(0o755)
    finding = probe_tesseract(lambda: FakeTesseract(str(script)))
    assert finding.ok
    assert str(finding.detail) == f"version 5.3.0 at {script}; languages: chi_sim, eng, osd"


def test_a_missing_tesseract_gets_a_fix_for_every_system() -> None:
    class NotFound(Exception):
        searched = ("tesseract",)

    def find() -> FakeTesseract:
        raise NotFound("long message")

    finding = probe_tesseract(find)
    assert not finding.ok
    assert str(finding.detail) == "not found"
    assert finding.fixes["debian"] == "sudo apt install tesseract-ocr tesseract-ocr-eng"
    assert finding.fixes["macos"] == "brew install tesseract"
    assert "UB Mannheim" in str(finding.fixes["windows"])
    too_old = probe_tesseract(lambda: (_ for _ in ()).throw(ValueError("4.1 is too old")))
    assert str(too_old.detail) == "4.1 is too old"


def test_the_second_reader_is_imported_never_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []

    def fake_import(name: str) -> object:
        imported.append(name)
        if name == "onnxruntime":
            raise ModuleNotFoundError(name)
        return object()

    monkeypatch.setattr("core.capabilities.readers.import_module", fake_import)
    finding = probe_second_reader()
    assert imported == ["rapidocr", "onnxruntime"]
    assert not finding.ok
    assert str(finding.detail) == "not installed (onnxruntime is missing)"
    assert check(finding).fix() == f"{sys.executable} -m pip install rapidocr onnxruntime"
    # Said at start only when cardbind itself depends on it (not only an extra).
    assert finding.needed == required_by_cardbind("rapidocr")


def test_the_second_reader_needs_its_model_files_not_only_its_modules(tmp_path: Path) -> None:
    present = tmp_path / "PP-OCRv6_rec_small.onnx"
    present.write_bytes(b"onnx")
    assert probe_second_reader(lambda: [present]).ok
    empty = tmp_path / "PP-OCRv6_det_small.onnx"
    empty.write_bytes(b"")  # an interrupted download is no model
    finding = probe_second_reader(lambda: [present, empty, tmp_path / "cls.onnx"])
    assert not finding.ok
    assert str(finding.detail) == "model files missing: PP-OCRv6_det_small.onnx, cls.onnx"
    assert check(finding).fix() == f"{sys.executable} -m pip install --force-reinstall rapidocr"


def test_cardbinds_own_models_are_looked_for_and_named_when_gone(tmp_path: Path) -> None:
    det = tmp_path / "det.int8.onnx"
    det.write_bytes(b"onnx")
    assert str(probe_own_models(lambda: [det]).detail) == "det.int8.onnx"
    finding = probe_own_models(lambda: [det, tmp_path / "rec_v4.onnx"])
    assert not finding.ok
    assert finding.needed  # a damaged install: said at start
    assert str(finding.detail) == "missing: rec_v4.onnx"
    assert "git checkout -- resources/models" in check(finding).fix()


def test_the_shipped_model_files_are_where_the_reader_looks() -> None:
    from ocr import ppocr

    assert probe_own_models(ppocr.own_models).ok
    assert [p.name for p in ppocr.own_models()] == [ppocr.INT8_DET_MODEL, ppocr.SECOND_REC_MODEL]
    assert ppocr.int8_detector() == ppocr.own_models()[0]
    assert ppocr.second_recogniser() == ppocr.own_models()[1]
    assert [p.parent for p in ppocr.wheel_models()] == [ppocr.model_dir()] * 3


def test_required_dependencies_are_told_from_extras() -> None:
    assert required_by_cardbind("pyside6-essentials")
    assert not required_by_cardbind("pytest")  # the test extra's
    assert not required_by_cardbind("no-such-package")


def test_no_chinese_font_is_said_with_its_packages() -> None:
    finding = probe_fonts("linux", families=list)
    assert not finding.ok
    assert finding.fixes["debian"] == "sudo apt install fonts-noto-cjk"
    assert finding.fixes["arch"] == "sudo pacman -S noto-fonts-cjk"
    assert probe_fonts("linux", families=lambda: ["Noto Sans CJK SC"]).ok
    assert probe_fonts("darwin", families=list).ok


def test_a_folder_that_cannot_be_written_is_named_with_its_variable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    finding = probe_folders(
        lambda: {"CARDBIND_DATA_DIR": tmp_path / "ok", "CARDBIND_LOG_DIR": blocker / "log"}
    )
    assert not finding.ok
    assert str(blocker / "log") in str(finding.detail)
    assert "CARDBIND_LOG_DIR" in check(finding).fix_text()
    assert probe_folders(lambda: {"CARDBIND_DATA_DIR": tmp_path / "fine"}).ok


def test_a_probe_that_breaks_is_reported_not_raised() -> None:
    def broken() -> Finding:
        raise RuntimeError("boom")

    report = check_machine([Capability("x", "X", "off", broken)], system="debian")
    assert not report.checks[0].ok
    assert report.checks[0].detail == "could not be checked: RuntimeError"
    json.dumps(report.to_json())


def test_every_capability_is_probed_on_this_machine_and_reads_as_json() -> None:
    from ocr.ppocr import own_models, wheel_models
    from ocr.tesseract import find_tesseract

    report = check_machine(
        capabilities(find_tesseract, wheel_models=wheel_models, own_models=own_models)
    )
    keys = [c.key for c in report.checks]
    assert keys == [
        "tesseract",
        "second_reader",
        "models",
        "qt_platform",
        "audio",
        "camera",
        "keyring",
        "fonts",
        "folders",
    ]
    data = json.loads(json.dumps(report.to_json()))
    for item in data["capabilities"]:
        assert item["detail"]
        if not item["ok"]:
            assert item["off"]
            assert item["fix_text"].startswith("To turn it on")
    assert data["ok"] == all(c["ok"] or not c["needed"] for c in data["capabilities"])


def test_the_words_follow_the_language_after_the_probe() -> None:
    c = check(probe_audio("linux", load=no_pulse))
    english = c.sentence()
    set_language("zh_CN")
    chinese = c.sentence()
    assert chinese != english
    assert "sudo apt install libpulse0" in chinese
    assert "朗读" in chinese
