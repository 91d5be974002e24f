"""One voice fix from the review screen's point of view: the flow, the microphone, the
recognizer worker and the read-back player wired together.

The screen connects its buttons (talk: press/release; 对; 重说; a picker or keyboard
entry) to this object and listens to `groupDone` to put a fixed group into the code.
Everything that is said comes from the flow; this class only moves events between the
parts, so its rules are the flow's and are tested there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.voice import readback
from core.voice.flow import GroupTask, State, VoiceFixFlow
from core.voice.models import Recognition
from core.voice.readback import Readback, ReadbackOptions
from gui.voice.player import ReadbackPlayer
from gui.voice.recorder import MicRecorder
from gui.voice.worker import RecognitionRunner


class VoiceFixSession(QObject):
    """Signals: `stateChanged(str)` with core.voice.flow.State values; `error(str)` with a
    translated sentence for the screen (and its screen-reader announcement);
    `groupDone(int, str, str)` with the group index, its text and how it was fixed
    ("voice", "picked", "skipped"); `finished()` when every group is done."""

    stateChanged = Signal(str)
    error = Signal(str)
    groupDone = Signal(int, str, str)
    finished = Signal()

    def __init__(
        self,
        tasks: list[GroupTask],
        options: ReadbackOptions,
        *,
        recorder: MicRecorder,
        runner: RecognitionRunner,
        player: ReadbackPlayer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = VoiceFixFlow(tasks, options)
        self._opts = options
        self._recorder = recorder
        self._runner = runner
        self._player = player
        self._done = 0
        recorder.recorded.connect(self._recorded)
        recorder.failed.connect(self._mic_failed)
        runner.recognized.connect(self._recognized)
        runner.failed.connect(self._recognizer_failed)

    @property
    def state(self) -> State:
        return self.flow.state

    def start(self) -> None:
        """Ask for the first group."""
        self._say(self.flow.start())

    def press(self) -> None:
        """Talk button pressed: stop any read-back (so it is not recorded) and listen."""
        if self.flow.state is not State.READY:
            return
        self._player.stop(emit=False)
        self.flow.listen()
        self._changed()
        self._recorder.start()  # on failure, `failed` → _mic_failed puts the flow back

    def release(self) -> None:
        """Talk button released: the recording goes to the recognizer."""
        if self.flow.state is not State.LISTENING:
            return
        self.flow.stop()
        self._changed()
        self._recorder.stop()

    def right(self) -> None:
        """对."""
        if self.flow.state is State.CONFIRMING:
            self._say(self.flow.right())
            self._after_finish()

    def again(self) -> None:
        """重说."""
        if self.flow.state is State.CONFIRMING:
            self._say(self.flow.again())
            self._changed()

    def pick(self, text: str) -> None:
        """The group was picked or typed on screen."""
        if self.flow.state in (State.READY, State.CONFIRMING):
            self._say(self.flow.pick(text))
            self._after_finish()

    def skip(self) -> None:
        if self.flow.state in (State.READY, State.CONFIRMING):
            self._say(self.flow.skip())
            self._after_finish()

    def cancel(self) -> None:
        """The screen is left: stop recording, recognizing and speaking."""
        self._recorder.cancel()
        self._runner.cancel()
        self._player.stop(emit=False)

    # --- events from the parts ----------------------------------------------------
    def _recorded(self, pcm: bytes) -> None:
        task = self.flow.task
        if self.flow.state is State.RECOGNIZING and task is not None:
            self._runner.submit(pcm, task.spec)

    def _mic_failed(self, message: str) -> None:
        if self.flow.state in (State.LISTENING, State.RECOGNIZING):
            self.flow.cancel_listen()  # its "say this group" is no use without a mic
            self._changed()
        self.error.emit(message)
        self._say(readback.prompt("mic_error", self._opts))

    def _recognized(self, result: Recognition) -> None:
        if self.flow.state is State.RECOGNIZING:
            self._say(self.flow.recognized(result))
            self._changed()

    def _recognizer_failed(self, message: str) -> None:
        if self.flow.state is State.RECOGNIZING:
            self.error.emit(message)
            self._say(self.flow.failed())
            self._changed()

    def _after_finish(self) -> None:
        for result in self.flow.results[self._done :]:
            self.groupDone.emit(result.index, result.text, result.how)
        self._done = len(self.flow.results)
        self._changed()
        if self.flow.state is State.DONE:
            self.finished.emit()

    def _say(self, rb: Readback) -> None:
        self._player.play(rb)

    def _changed(self) -> None:
        self.stateChanged.emit(self.flow.state.value)
