"""Start the app as `make run` does, in this process, and print what a user would see as
one JSON object: for tests/gui/test_bare_machine.py, which runs it with Qt's multimedia
modules made unloadable (tests/support/no_multimedia.py), as on a machine without
PulseAudio's library. The reader is a fake; loading the picture is real."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Run the event loop until `condition` holds (or the deadline passes)."""
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QTest.qWait(20)
    return condition()


def main() -> int:
    import cv2

    from core.settings import Settings
    from gui.app import create_app, open_window
    from gui.services import default_services
    from tests.gui.fakes import FakeReader, card_image

    app = create_app([sys.argv[0]])
    settings = Settings(elder_mode="--elder" in sys.argv)
    services = default_services(settings)
    reader = FakeReader()
    services.read_image = reader
    window = open_window(services)
    notice = window.capture.machine_notice
    wait_for(notice.isVisible)
    seen = {
        "window_visible": window.isVisible(),
        "voice_kit": services.voice is not None,
        "notice_visible": notice.isVisible(),
        "notice_name": notice.accessibleName(),
        "notice_text": notice.text.text(),
        "notice_description": notice.accessibleDescription(),
        "camera_button_visible": window.capture.camera_button.isVisible(),
        "camera_action_visible": window.menus.camera_action.isVisible(),
    }
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "card.png"
        cv2.imwrite(str(photo), card_image())
        window.read_file(photo, "jd")
        wait_for(lambda: window.current_screen() is window.review)
    seen["screen_after_reading"] = type(window.current_screen()).__name__
    seen["reader_calls"] = reader.calls
    seen["multimedia_loaded"] = any(m.startswith("PySide6.QtMultimedia") for m in sys.modules)
    print(json.dumps(seen, ensure_ascii=False))
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
