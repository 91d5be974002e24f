"""`cardbind` without a command starts the desktop app; with one, it never loads Qt."""

from __future__ import annotations

import pytest

from cli.main import main


def test_no_command_starts_the_app_with_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import gui.app

    started: list[tuple[list[str], str | None, str | None]] = []

    def run_app(argv: list[str], camera_file: str | None, language: str | None) -> int:
        started.append((argv[1:], camera_file, language))
        return 7

    monkeypatch.setattr(gui.app, "run_app", run_app)
    assert main(["--lang", "zh_CN", "--camera-file", "card.mp4", "-reverse"]) == 7
    # A flag of Qt itself goes through to the application untouched.
    assert started == [(["-reverse"], "card.mp4", "zh_CN")]


def test_unknown_arguments_to_a_command_are_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--no-such-option", "E71D5E4733ED50BA"])
    assert info.value.code == 2
