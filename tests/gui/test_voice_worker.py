"""Recognition in a worker thread: results come back as signals, stale ones are dropped."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from core.voice.grammar import GroupSpec
from core.voice.models import EngineUnavailable, Recognition
from gui.voice.worker import RecognitionRunner

SPEC = GroupSpec.uniform("0123456789ABCDEF", 4)


class FakeEngine:
    name = "fake"

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.threads: list[QThread] = []

    def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
        self.threads.append(QThread.currentThread())
        if self.gate is not None:
            self.gate.wait(10)
        return Recognition(text=pcm.decode(), confidence=0.7)


def test_recognition_runs_off_the_gui_thread_and_answers_by_signal(qtbot: QtBot) -> None:
    engine = FakeEngine()
    runner = RecognitionRunner(lambda: engine)
    busy: list[bool] = []
    runner.busyChanged.connect(busy.append)
    with qtbot.waitSignal(runner.recognized, timeout=5000) as got:
        runner.submit(b"7D3E", SPEC)
    assert got.args[0].text == "7D3E"
    assert busy == [True, False]
    assert engine.threads
    assert engine.threads[0] is not QThread.currentThread()


def test_an_answer_to_an_abandoned_request_is_dropped(qtbot: QtBot) -> None:
    gate = threading.Event()
    runner = RecognitionRunner(lambda: FakeEngine(gate))
    runner.submit(b"OLD1", SPEC)
    runner.cancel()
    results: list[str] = []
    runner.recognized.connect(lambda r: results.append(r.text))
    with qtbot.waitSignal(runner.recognized, timeout=5000):
        runner.submit(b"NEW2", SPEC)
        gate.set()
    assert results == ["NEW2"]
    runner.wait()


def test_an_engine_that_cannot_start_is_reported_in_words(qtbot: QtBot) -> None:
    def broken() -> FakeEngine:
        raise EngineUnavailable("The Vosk speech engine is not installed.")

    runner = RecognitionRunner(broken)
    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.submit(b"7D3E", SPEC)
    assert failed.args == ["The Vosk speech engine is not installed."]
    assert not runner.busy


def test_an_unexpected_engine_error_gives_a_plain_message(qtbot: QtBot) -> None:
    class Crashing(FakeEngine):
        def recognize(self, pcm: bytes, spec: GroupSpec) -> Recognition:
            raise RuntimeError("decoder exploded on 7D3E")

    runner = RecognitionRunner(Crashing)
    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.submit(b"7D3E", SPEC)
    assert "Speech recognition failed" in failed.args[0]
    assert "7D3E" not in failed.args[0]
