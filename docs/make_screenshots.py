"""Screenshots of every screen, in both languages, in normal and elder mode.

    .venv/bin/python docs/make_screenshots.py OUT_DIR [--lang zh_CN en] [--elder]

Drives the real app (real OCR on a synthetic card, the sandbox for binding) through the
whole flow and saves one PNG per screen. Run it under a display (Xvfb) for the
platform's own window decorations, or as it is (offscreen) for the window contents.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
from PySide6.QtWidgets import QApplication, QWidget


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--lang", nargs="+", default=["zh_CN", "en"])
    ap.add_argument("--size", default="1100x860")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="cardbind-shots-"))
    w_, h_ = (int(v) for v in args.size.split("x"))
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # A screen of the shots' size: 长辈版 fills the screen, so its shots are this size.
        screen = state / "screen.json"
        screen.write_text(
            f'{{"screens": [{{"name": "shots", "x": 0, "y": 0, "width": {w_}, '
            f'"height": {h_}, "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}}]}}'
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    os.environ["CARDBIND_DATA_DIR"] = str(state / "data")
    os.environ["CARDBIND_CONFIG_DIR"] = str(state / "config")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

    import keyring

    from tests.support.keyrings import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())

    from core.bind.adapters.ledger import SandboxLedger
    from core.bind.adapters.sandbox import default_db
    from core.settings import Settings
    from gui.app import create_app
    from gui.i18n import apply_language
    from gui.main_window import MainWindow
    from gui.screens.camera import ADVISE_AFTER
    from gui.services import default_services
    from ocr.synth import SynthCard, make_card, make_video, write_video

    app = create_app(sys.argv[:1])
    photo = state / "card.png"

    def next_card(seed: int) -> SynthCard:
        made = make_card(seed=seed, tier="photo", platform="jd")
        cv2.imwrite(str(photo), made.image)
        ledger = SandboxLedger(default_db())
        ledger.add_card("jd", made.entered_pin, made.card_number or "")
        ledger.close()
        return made

    card = next_card(21)
    # A camera video (a file source, as the camera_file setting gives) of a Tmall card
    # whose O every frame reads alike and flags: the camera screen as it asks the user
    # to take the picture.
    camera_file = state / "camera.avi"
    write_video(str(camera_file), make_video(404, "still", extra_fonts=True))

    def wait(cond: object, ms: int = 60_000) -> None:
        from PySide6.QtCore import QElapsedTimer

        t = QElapsedTimer()
        t.start()
        while not cond() and t.elapsed() < ms:  # type: ignore[operator]
            app.processEvents()

    for lang in args.lang:
        for elder in (False, True):
            apply_language(lang)
            settings = Settings(elder_mode=elder, language=lang, camera_file=str(camera_file))
            w = MainWindow(default_services(settings))
            w.resize(w_, h_)
            w.show()
            tag = f"{lang}-{'elder' if elder else 'normal'}"

            def shot(name: str, window: QWidget = w, tag: str = tag) -> None:
                app.processEvents()
                window.grab().save(str(args.out / f"{tag}-{name}.png"))

            shot("1-capture")
            w.open_camera("tmall")
            wait(lambda w=w: w.camera.frames_read >= ADVISE_AFTER or w.camera.locked, 30_000)
            shot("1-camera")
            w.camera.back_button.click()
            w.read_file(photo, "jd")
            wait(lambda w=w: w.current_screen() is w.review)
            shot("2-review")
            editor = w.review.editors["pin"]
            for i in editor.review.unresolved():
                editor.review.choose(i, card.pin[i])
            if editor.review.result.by_tier("guide"):
                editor.review.guides_confirmed = True
            editor.refresh()
            shot("2-review-fixed")
            w.review.continue_button.click()
            if elder:
                w.confirm.scam_no.setChecked(True)
            shot("3-confirm")
            if not elder:
                w.confirm.face_value.setText("2000")  # a first high amount: asked
                shot("3-confirm-high")
                w.confirm.scam_no.setChecked(True)
            w.confirm.bind_button.click()
            wait(lambda w=w: w.confirm.verify_box.isVisible())
            shot("3-verify")
            for _ in range(2):
                wait(lambda w=w: w.confirm.verify_box.isVisible())
                box = w.confirm.verify_box
                box.input.setText(re.findall(r"\b[0-9A-Z]{4,6}\b", box.prompt.text())[-1])
                box.send_button.click()
            wait(lambda w=w: w.current_screen() is w.result)
            shot("5-result")
            w.open_history()
            shot("6-history")
            w.open_settings()
            shot("7-settings")
            # The batch window: its file page, then a file of two sandbox cards and one
            # row whose code cannot be right, checked and waiting to bind.
            bw = w.batch.open()
            bw.resize(w_, h_)
            shot("8-batch-file", bw)
            rows = [next_card(100 * card.seed + i) for i in range(2)]
            batch_file = state / f"cards-{tag}.csv"
            batch_file.write_text(
                "card_number,pin,platform\n"
                + "".join(f"{c.card_number},{c.entered_pin},jd\n" for c in rows)
                + "2003000000000003,ABCD-EFGH,jd\n",
                encoding="utf-8",
            )
            bw.controller.load_file(batch_file)
            wait(lambda bw=bw: not bw.controller.busy and bw.state != "checking")
            shot("9-batch-rows", bw)
            w.close()
            # The card is bound now; the next round reads and binds a new one.
            card = next_card(card.seed + 1)
    QApplication.processEvents()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
