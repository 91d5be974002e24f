"""Review: every doubtful character resolved by the user before anything is sent."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

from core.codes.profiles import get_profile, platform_ids
from core.codes.review import UNREADABLE, Flag, Review
from core.i18n import _
from gui import messages
from gui.screens.base import Screen
from gui.services import VoiceKit
from gui.theme import Metrics
from gui.widgets.field_review import FieldReview
from gui.widgets.paragraph import Paragraph
from gui.widgets.platform_combo import PlatformCombo
from ocr.reading import FieldReading, Reading


def review_from_field(platform: str, name: str, reading: FieldReading | None) -> Review:
    """Turn a reader's field into a review: doubtful characters become flags."""
    if reading is None or reading.value is None:
        return Review(platform=platform, field=name, source="typed")
    chars = []
    flags: dict[int, Flag] = {}
    for i, c in enumerate(reading.chars):
        ch = c.char or UNREADABLE
        chars.append(ch)
        if c.flagged or not c.char:
            alts = tuple(dict.fromkeys([ch, *c.alternatives]))
            flags[i] = Flag(
                alternatives=alts, unreadable=not c.char or c.tier == "unreadable", box=c.box
            )
    value = "".join(chars) if reading.chars else reading.value
    return Review.from_reading(
        platform,
        name,
        value,
        flags,
        groups=tuple(reading.groups),
        doubt=reading.doubt,
        rivals=tuple(reading.rivals),
    )


class ReviewScreen(Screen):
    back = Signal()
    done = Signal(object)  # dict[str, Review] of the fields to bind

    def __init__(self, parent: QWidget | None = None, voice: VoiceKit | None = None) -> None:
        super().__init__(parent)
        self.voice = voice
        self.image: np.ndarray | None = None
        self.masked = False
        # The value printed on the card as the reader found it, e.g. ("500", "CNY"): it
        # goes to the confirm screen's optional value field (the scam check).
        self.denomination: tuple[str, str] | None = None
        self.reviews: dict[str, Review] = {}
        self.editors: dict[str, FieldReview] = {}
        # The reader's fields, for a card type the user changes to that asks for one
        # the first did not (Tmall binds with the card number too).
        self.read_fields: dict[str, FieldReading] = {}

        row = QHBoxLayout()
        self.platform_label = QLabel(self)
        self.platform_label.setWordWrap(True)
        self.platform = PlatformCombo(self)
        self.platform_label.setBuddy(self.platform)
        row.addWidget(self.platform_label)
        row.addWidget(self.platform, 1)
        self.body.addLayout(row)

        # A QR code on the card (Taobao binds by QR): its payload, shown as found.
        self.qr_label = Paragraph(self)
        self.qr_label.setWordWrap(True)
        self.qr_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr_label.hide()
        self.body.addWidget(self.qr_label)
        self.qr_payload = ""

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.body.addWidget(self.tabs, 1)

        self.blockers = Paragraph(self)
        self.blockers.setWordWrap(True)
        self.body.addWidget(self.blockers)

        buttons = self.action_row
        self.back_button = QPushButton(self.action_bar)
        self.continue_button = QPushButton(self.action_bar)
        self.continue_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)

        self.back_button.clicked.connect(self.back)
        self.continue_button.clicked.connect(self._continue)
        self.platform.currentIndexChanged.connect(self._platform_changed)
        self.retranslate()

    def title(self) -> str:
        return _("Check the code against the card")

    # loading
    def load_reading(self, reading: Reading, image: np.ndarray | None) -> None:
        self.image = image
        self.denomination = reading.denomination
        qr = reading.fields.get("qr")
        self.qr_payload = qr.value if qr is not None and qr.value else ""
        self.read_fields = dict(reading.fields)
        platform = reading.platform if reading.platform in platform_ids() else "jd"
        fields = {
            name: review_from_field(platform, name, reading.fields.get(name))
            for name in self._fields_for(platform, reading)
        }
        self._load(platform, fields)

    def load_typed(self, platform: str) -> None:
        self.image = None
        self.read_fields = {}
        self.denomination = None
        self.qr_payload = ""
        self._load(
            platform,
            {
                name: Review(platform=platform, field=name)
                for name in self._fields_for(platform, None)
            },
        )

    @staticmethod
    def _fields_for(platform: str, reading: Reading | None = None) -> list[str]:
        """The password first; the card number only where the platform needs it to bind
        (one task per screen: a number that is not needed is not asked about)."""
        profile = get_profile(platform)
        card = profile.fields.get("card_number")
        return ["pin", "card_number"] if card is not None and card.required else ["pin"]

    def _load(self, platform: str, reviews: dict[str, Review]) -> None:
        self.reviews = reviews
        self.platform.blockSignals(True)
        self.platform.setCurrentIndex(max(0, self.platform.findData(platform)))
        self.platform.blockSignals(False)
        self.tabs.clear()
        for editor in self.editors.values():
            editor.deleteLater()
        self.editors = {}
        for name, review in reviews.items():
            editor = FieldReview(review, self.image, self.tabs, voice=self._voice_kit())
            editor.message.connect(self.message)
            editor.set_masked(self.masked)
            editor.changed.connect(self._update_state)
            editor.all_checked.connect(self._field_checked)
            self.editors[name] = editor
            self.tabs.addTab(editor, "")
        many = len(reviews) > 1
        self.tabs.tabBar().setVisible(many)
        # A hidden tab bar must not take Tab's focus: the tab widget hands its focus to
        # the bar, which cannot take it while hidden, and Tab would stay where it is.
        policy = Qt.FocusPolicy.TabFocus if many else Qt.FocusPolicy.NoFocus
        self.tabs.setFocusPolicy(policy)
        self.tabs.tabBar().setFocusPolicy(policy)
        self._buttons_last()
        self.retranslate()
        self._update_state()

    def _buttons_last(self) -> None:
        """Tab goes through the code and its questions before Back and Continue, as they
        are read: the fields' editors are made after the buttons, so Tab reached the
        buttons first."""
        last: QWidget | None = None
        for editor in self.editors.values():
            w = editor.nextInFocusChain()
            while w is not None and w is not editor and editor.isAncestorOf(w):
                if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    last = w
                w = w.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, self.back_button)
            QWidget.setTabOrder(self.back_button, self.continue_button)

    def _platform_changed(self) -> None:
        platform = str(self.platform.currentData())
        # What the reader said about the picture was said of the card type it read as
        # ("check that the card type is right"): answered now, it goes.
        messages.dismiss(self)
        # The code read and every mark on it go along to the new card type: dropped,
        # the reader's unsure characters would pass as the user's own typing.
        reviews = {
            name: self.reviews[name].for_platform(platform)
            if name in self.reviews
            else review_from_field(platform, name, self.read_fields.get(name))
            for name in self._fields_for(platform, None)
        }
        self._load(platform, reviews)

    def _voice_kit(self) -> VoiceKit | None:
        """Voice is shown in elder mode and when switched on in settings."""
        kit = self.voice
        if kit is None or not (kit.settings.voice_enabled or kit.settings.elder_mode):
            return None
        return kit

    def left(self) -> None:
        for editor in self.editors.values():
            if editor.voice is not None:
                editor.voice.stop()

    def set_masked(self, masked: bool) -> None:
        self.masked = masked
        for editor in self.editors.values():
            editor.set_masked(masked)

    def clear(self) -> None:
        """Forget the code, the photo and every edit (next customer)."""
        self.image = None
        self.denomination = None
        self.read_fields = {}
        self.qr_payload = ""
        self.qr_label.setText("")
        self.reviews = {}
        self.tabs.clear()
        for editor in self.editors.values():
            editor.wipe()
            editor.deleteLater()
        self.editors = {}

    # state
    def current_blockers(self) -> list[str]:
        out = []
        for name, review in self.reviews.items():
            label = review.profile.field(name).display_label()
            for b in review.blockers():
                out.append(
                    _("{field}: {problem}").format(field=label, problem=b)
                    if len(self.reviews) > 1
                    else b
                )
        return out

    def _update_state(self) -> None:
        blockers = self.current_blockers()
        self.continue_button.setEnabled(not blockers)
        if blockers:
            shown = blockers[:3]
            more = len(blockers) - len(shown)
            text = "\n".join(f"• {b}" for b in shown)
            if more:
                text += "\n" + _("…and {count} more.").format(count=more)
            self.blockers.setText(_("Before you can go on:") + "\n" + text)
        elif any(r.had_doubts() for r in self.reviews.values()):
            # Said only when the user answered every doubt: the count and the row too.
            self.blockers.setText(_("Every character is checked. You can go on."))
        else:
            self.blockers.setText(_("Nothing is marked for checking. You can go on."))
        self.continue_button.setAccessibleDescription(self.blockers.text())

    def _field_checked(self) -> None:
        """One field's doubts are all answered: the next field's, or Continue."""
        for i, (name, editor) in enumerate(self.editors.items()):
            if self.reviews[name].blockers():
                self.tabs.setCurrentIndex(i)
                editor.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if self.continue_button.isEnabled():
            self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _continue(self) -> None:
        if not self.current_blockers():
            self.done.emit({name: r.copy() for name, r in self.reviews.items()})

    # chrome
    def retranslate(self) -> None:
        super().retranslate()
        self.platform_label.setText(_("Card t&ype:"))
        self.platform.retranslate()
        for i, (name, editor) in enumerate(self.editors.items()):
            label = editor.review.profile.field(name).display_label()
            self.tabs.setTabText(i, label[:1].upper() + label[1:])
            editor.retranslate()
        self.back_button.setText(_("&Back"))
        self.continue_button.setText(_("C&ontinue"))
        self.qr_label.setText(
            _("QR code on the card: {payload}").format(payload=self.qr_payload)
            if self.qr_payload
            else ""
        )
        self.qr_label.setVisible(bool(self.qr_payload))
        if self.reviews:
            self._update_state()

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)

    def first_focus(self) -> QWidget | None:
        editor = next(iter(self.editors.values()), None)
        if editor is None:
            return None
        if not self.current_blockers():
            # Nothing to check: Enter goes on, and the screen stays at its top (the code).
            return self.continue_button
        return editor.first_focus()
