"""Voice on the review screen: read the code back, and fix the marked groups by voice
(push-to-talk, one group per utterance, each heard group read back and answered
对 / 重说). The picker and the keyboard stay beside it: voice is never the only way."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.codes.review import UNREADABLE, Review
from core.i18n import _, current_language
from core.voice import readback
from core.voice.flow import tasks_for_code
from core.voice.notices import HOW_TO_SAY, IME_VOICE_TYPING, READBACK_OVERHEARD
from core.voice.readback import ReadbackOptions
from gui.accessibility import announce
from gui.services import VoiceKit
from gui.voice.player import ReadbackPlayer
from gui.voice.session import VoiceFixSession
from gui.voice.worker import RecognitionRunner
from gui.widgets.paragraph import Paragraph

log = logging.getLogger(__name__)

STATE_WORDS = {
    "ready": lambda: _("Hold the talk button and say the group."),
    "listening": lambda: _("Listening… let go of the button when you have said the group."),
    "recognizing": lambda: _("Working out what you said…"),
    "confirming": lambda: _("Is that right? Answer Right (对) or Again (重说)."),
    "done": lambda: _("Every marked group is fixed."),
}


def readable(value: str) -> bool:
    """Read-back speaks digits and letters; a code with a character still to be typed
    (or anything else) waits until it is fixed."""
    return bool(value) and all(c.isascii() and c.isalnum() for c in value)


class VoicePanel(QFrame):
    applied = Signal()  # a group was fixed by voice; the review changed
    message = Signal(str, str)  # level, text

    def __init__(self, review: Review, kit: VoiceKit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner-info")
        self.review = review
        self.kit = kit
        self._player: ReadbackPlayer | None = None
        self.session: VoiceFixSession | None = None
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.read_button = QPushButton(self)
        self.fix_button = QPushButton(self)
        row.addWidget(self.read_button)
        row.addWidget(self.fix_button)
        row.addStretch(1)
        v.addLayout(row)
        self.status = Paragraph(self)
        self.status.setWordWrap(True)
        v.addWidget(self.status)
        talk_row = QHBoxLayout()
        self.talk_button = QPushButton(self)
        self.right_button = QPushButton(self)
        self.again_button = QPushButton(self)
        for b in (self.talk_button, self.right_button, self.again_button):
            talk_row.addWidget(b)
        talk_row.addStretch(1)
        v.addLayout(talk_row)
        self.how = Paragraph(self)
        self.how.setWordWrap(True)
        self.how.setProperty("role", "muted")
        v.addWidget(self.how)
        self.warning = Paragraph(self)
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "muted")
        v.addWidget(self.warning)
        self.read_button.clicked.connect(self.read_back)
        self.fix_button.clicked.connect(self.start_fix)
        self.talk_button.pressed.connect(self._press)
        self.talk_button.released.connect(self._release)
        self.right_button.clicked.connect(self._right)
        self.again_button.clicked.connect(self._again)
        self._show_state("")
        self.retranslate()

    def options(self) -> ReadbackOptions:
        return ReadbackOptions.from_settings(self.kit.settings, current_language())

    def player(self) -> ReadbackPlayer:
        """Created on first use: nothing touches a sound device before it is needed."""
        if self._player is None:
            player: ReadbackPlayer = self.kit.make_player(self)
            player.failed.connect(lambda text: self.message.emit("warning", text))
            self._player = player
        return self._player

    def read_back(self) -> None:
        fmt = self.review.profile.field(self.review.field)
        value = self.review.value
        if not readable(value):
            return
        self.player().play(readback.code(fmt.group(value), self.options()))

    def start_fix(self) -> None:
        r = self.review
        fmt = r.profile.field(r.field)
        flagged = {
            i: [a for a in r.flags[i].alternatives if a not in (UNREADABLE,)]
            for i in r.unresolved()
        }
        if not flagged:
            return
        value = r.value.replace(UNREADABLE, fmt.usual_alphabet[0])
        tasks = tasks_for_code(
            value, {i: [] if r.flags[i].unreadable else alts for i, alts in flagged.items()}, fmt
        )
        if self.session is not None:
            self.session.cancel()
        session = VoiceFixSession(
            tasks,
            self.options(),
            recorder=self.kit.make_recorder(self),
            runner=RecognitionRunner(self.kit.make_recognizer, self),
            player=self.player(),
            parent=self,
        )
        session.stateChanged.connect(self._show_state)
        session.error.connect(lambda text: self.message.emit("error", text))
        session.groupDone.connect(self._group_done)
        self.session = session
        session.start()
        self._show_state("ready")

    def _press(self) -> None:
        if self.session is not None:
            self.session.press()

    def _release(self) -> None:
        if self.session is not None:
            self.session.release()

    def _right(self) -> None:
        if self.session is not None:
            self.session.right()

    def _again(self) -> None:
        if self.session is not None:
            self.session.again()

    def _group_done(self, index: int, text: str, how: str) -> None:
        if how == "skipped":
            return
        fmt = self.review.profile.field(self.review.field)
        start = sum(len(g) for g in fmt.group(self.review.value)[:index])
        for k, ch in enumerate(text):
            # The user heard it read back and answered Right: theirs, like a pick.
            self.review.choose(start + k, ch)
        announce(self, _("Group {n} set to {text}.").format(n=index + 1, text=" ".join(text)))
        self.applied.emit()

    def _show_state(self, state: str) -> None:
        active = self.session is not None and state not in ("", "done")
        self.talk_button.setVisible(active)
        self.right_button.setVisible(active and state == "confirming")
        self.again_button.setVisible(active and state == "confirming")
        self.talk_button.setEnabled(state in ("ready", "listening"))
        self.how.setVisible(active)
        words = STATE_WORDS.get(state)
        self.status.setText(words() if words else "")
        self.status.setVisible(bool(words))
        if words:
            announce(self, self.status.text())

    def refresh(self) -> None:
        self.fix_button.setVisible(bool(self.review.unresolved()))
        self.read_button.setEnabled(readable(self.review.value))

    def stop(self) -> None:
        if self.session is not None:
            self.session.cancel()
            self.session = None
        if self._player is not None:
            self._player.stop(emit=False)

    def retranslate(self) -> None:
        self.read_button.setText(_("Read it &aloud"))
        self.read_button.setAccessibleDescription(_(READBACK_OVERHEARD))
        self.fix_button.setText(_("Fix marked groups by voi&ce"))
        self.talk_button.setText(_("Hold to &talk"))
        self.right_button.setText(_("&Right (对)"))
        self.again_button.setText(_("A&gain (重说)"))
        self.how.setText(_(HOW_TO_SAY))
        self.warning.setText(_(READBACK_OVERHEARD) + " " + _(IME_VOICE_TYPING))
