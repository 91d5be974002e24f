"""Review one field (card password or card number): the code in large boxes, a picker
for each doubtful character, an editable text line, warnings and undoable changes."""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.codes.check import change_text, tier_name
from core.codes.normalize import CHANGE_KINDS
from core.codes.review import Review
from core.i18n import _
from gui.accessibility import announce
from gui.code_view import CodeView, chars_from_review
from gui.icons import tier_icon
from gui.imaging import crop
from gui.services import VoiceKit
from gui.theme import theme
from gui.widgets.code_input import CodeInput
from gui.widgets.field_doubts import CountQuestion, RowQuestion
from gui.widgets.glyph_picker import GlyphPicker
from gui.widgets.paragraph import Paragraph
from gui.widgets.voice_panel import VoicePanel


class FieldReview(QWidget):
    changed = Signal()
    # Every doubt of this field is answered: the screen moves the focus on (Continue).
    all_checked = Signal()

    message = Signal(str, str)  # level, text (voice problems)

    def __init__(
        self,
        review: Review,
        image: np.ndarray | None = None,
        parent: QWidget | None = None,
        voice: VoiceKit | None = None,
    ) -> None:
        super().__init__(parent)
        self.review = review
        self.image = image
        self.masked = False
        self.voice: VoicePanel | None = None
        self._updating = False
        m = theme().metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(m.gap_px)

        # The reader's doubts about the whole field come first: which row it is…
        self.row_question = RowQuestion(self)
        self.row_question.chosen.connect(self._row_chosen)
        layout.addWidget(self.row_question)

        self.code_label = QLabel(self)

        self.code_label.setWordWrap(True)
        layout.addWidget(self.code_label)
        self.code_view = CodeView(self, point_size=m.code_pt, selectable=True)
        layout.addWidget(self.code_view)
        # Staff mode: the code is masked once entered; holding this shows it.
        self.reveal = QPushButton(self)
        self.reveal.setAutoRepeat(False)
        self.reveal.hide()
        self.reveal.pressed.connect(lambda: self._set_revealed(True))
        self.reveal.released.connect(lambda: self._set_revealed(False))
        layout.addWidget(self.reveal)
        self.picker = GlyphPicker(self)
        layout.addWidget(self.picker)
        # …and, once the marked characters are seen, whether the card shows as many.
        self.count_question = CountQuestion(self)
        self.count_question.confirmed.connect(self._count_confirmed)
        self.count_question.correct.connect(self._count_differs)
        layout.addWidget(self.count_question)
        # When the reader doubted the whole row, checking each box one by one is slow;
        # the user may instead confirm that every marked character matches the card.
        self.confirm_all = QPushButton(self)
        self.confirm_all.hide()
        layout.addWidget(self.confirm_all)

        if voice is not None:
            self.voice = VoicePanel(review, voice, self)
            self.voice.applied.connect(self._voice_applied)
            self.voice.message.connect(self.message)
            layout.addWidget(self.voice)

        self.input_label = QLabel(self)

        self.input_label.setWordWrap(True)
        layout.addWidget(self.input_label)
        self.input = CodeInput(self)
        self.input.setProperty("role", "code")
        self.input.setMaxLength(4000)
        self.input.setClearButtonEnabled(True)
        self.input_label.setBuddy(self.input)
        layout.addWidget(self.input)

        self.note = Paragraph(self)
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)

        self.warnings_label = QLabel(self)

        self.warnings_label.setWordWrap(True)
        layout.addWidget(self.warnings_label)
        self.warnings = QListWidget(self)
        self.warnings.setWordWrap(True)
        self.warnings_label.setBuddy(self.warnings)
        layout.addWidget(self.warnings)

        self.confirm = QCheckBox(self)
        self.confirm.hide()
        layout.addWidget(self.confirm)

        self.changes_label = QLabel(self)

        self.changes_label.setWordWrap(True)
        layout.addWidget(self.changes_label)
        self.changes = QListWidget(self)
        self.changes.setWordWrap(True)
        self.changes_label.setBuddy(self.changes)
        layout.addWidget(self.changes)
        # Spare height goes below everything: the code and its picker stay where they are
        # when a part above or below them comes or goes.
        layout.addStretch(1)

        self.input.textEdited.connect(self._typed)
        self.input.pasted.connect(self._typed)
        self.code_view.selected_changed.connect(self._selected)
        self.code_view.activated.connect(self._activated)
        self.code_view.typed.connect(self._typed_on_code)
        self.picker.chosen.connect(self._chosen)
        self.picker.confirmed.connect(self._confirmed)
        self.changes.itemChanged.connect(self._change_toggled)
        self.confirm.toggled.connect(self._guides_confirmed)
        self.confirm_all.clicked.connect(self._confirm_all)
        theme().changed.connect(self._theme_changed)

        self.input.setText(
            review.result_display(review.value) if review.source == "ocr" else review.text
        )
        self.retranslate()
        self.refresh()
        first = review.unresolved()
        if first:
            self.code_view.select(first[0])

    def first_focus(self) -> QWidget:
        """Where the user starts: the row question, then the marked characters, then the
        count; the text field when nothing is open."""
        r = self.review
        if not r.row_chosen and self.row_question.first_button() is not None:
            return self.row_question.first_button()  # type: ignore[return-value]
        if r.unresolved():
            return self.code_view
        if self.count_question.isVisibleTo(self):
            return self.count_question.same_button
        return self.input

    # events
    def _typed(self) -> None:
        self.review.set_text(self.input.text(), "pasted" if self.input.from_clipboard else "typed")
        self.refresh()

    def _selected(self, index: int) -> None:
        flag = self.review.flags.get(index)
        char = self.code_view.char_at(index)
        if flag is None or char is None:
            self.picker.hide()
            return
        glyph = (
            crop(self.image, flag.box, mark=theme().colors.accent)
            if self.image is not None and flag.box
            else None
        )
        self.picker.show_for(index, char.char, flag.alternatives, flag.unreadable, glyph)
        # Tab goes from the code straight to its choices, then on to the text field.
        chain = [self.code_view, *self.picker.buttons, self.input]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _activated(self, index: int) -> None:
        if not (self.picker.isVisible() and self.picker.index == index):
            self._selected(index)
        if self.picker.isVisible() and self.picker.buttons:
            self.picker.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _chosen(self, index: int, char: str) -> None:
        self.review.choose(index, char)
        self._after_fix(index)

    def _typed_on_code(self, index: int, char: str) -> None:
        """A character typed while the code has the focus: the user's reading of the
        selected position (the same as picking it)."""
        current = self.review.value[index : index + 1]
        flag = self.review.flags.get(index)
        if char == current and flag is not None and not flag.unreadable:
            self._confirmed(index)
        elif char != current or flag is not None:
            self._chosen(index, char)

    def _row_chosen(self, value: str) -> None:
        self.review.choose_row(value)
        self._set_input(self.review.result_display(self.review.value))
        self.refresh()
        announce(self, _("Row chosen. Now check it on the card."))
        self._move_on()

    def _count_confirmed(self) -> None:
        self.review.confirm_count()
        self.refresh()
        announce(self, _("Count confirmed."))
        self._move_on()

    def _count_differs(self) -> None:
        self.note.setText(_("Type the code as the card shows it, in the field below."))
        self.note.show()
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _confirmed(self, index: int) -> None:
        self.review.confirm(index)
        self._after_fix(index)

    def _after_fix(self, index: int) -> None:
        self._set_input(self.review.result_display(self.review.value))
        self.refresh()
        announce(
            self,
            _("Character {position} set to “{char}”.").format(
                position=index + 1, char=self.review.value[index : index + 1]
            ),
        )
        self._next_doubt()

    def _next_doubt(self) -> None:
        """Open the picker on the next character still to check, or close it."""
        remaining = self.review.unresolved()
        if remaining:
            self.code_view.select(remaining[0])
            self._selected(remaining[0])
        else:
            self.picker.hide()
        self._move_on()

    def _move_on(self) -> None:
        """After any answer the focus goes to the next thing to do: the next marked
        character (its picker open below), the count, or on (Continue)."""
        r = self.review
        if r.unresolved():
            if self.code_view.selected() not in r.unresolved():
                self.code_view.select(r.unresolved()[0])
                self._selected(r.unresolved()[0])
            self.code_view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif not r.row_chosen or self.count_question.isVisibleTo(self):
            self.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.code_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.all_checked.emit()

    def _voice_applied(self) -> None:
        self._set_input(self.review.result_display(self.review.value))
        self.refresh()

    def wipe(self) -> None:
        """Clear every copy of the code this widget holds (before it is deleted)."""
        self._updating = True
        self.review = Review(platform=self.review.platform, field=self.review.field)
        self.image = None
        self.input.setText("")  # setText also drops the undo history
        self.code_view.set_groups([])
        self.code_view.setAccessibleDescription("")
        self.picker.hide()
        self.picker.crop.clear()
        for b in self.picker.buttons:
            b.setText("")
        self.warnings.clear()
        self.changes.clear()
        if self.voice is not None:
            self.voice.stop()
            self.voice.review = self.review
        self._updating = False

    def set_masked(self, masked: bool) -> None:
        self.masked = masked
        self.row_question.show_for(self.review, masked)
        self.reveal.setVisible(masked)
        self.code_view.set_masked(masked)
        # Shown while the field is being edited, dots once it is left.
        self.input.setEchoMode(
            QLineEdit.EchoMode.PasswordEchoOnEdit if masked else QLineEdit.EchoMode.Normal
        )

    def _set_revealed(self, shown: bool) -> None:
        if self.reveal.isVisible():
            self.code_view.set_masked(not shown)

    def _confirm_all(self) -> None:
        done = self.review.confirm_all_readable()
        self.refresh()
        announce(self, _("{n} characters confirmed.").format(n=len(done)))
        self._next_doubt()

    def _set_input(self, text: str) -> None:
        self.input.setText(text)
        self.input.from_clipboard = False

    def _guides_confirmed(self, checked: bool) -> None:
        if self._updating:
            return
        self.review.guides_confirmed = checked
        self.changed.emit()

    def _change_toggled(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(key, list | tuple):
            return
        change_key = (int(key[0]), str(key[1]))
        if item.checkState() == Qt.CheckState.Checked:
            self.review.redo(change_key)
        else:
            self.review.undo(change_key)
        self.refresh()

    def _theme_changed(self) -> None:
        self.code_view.set_point_size(theme().metrics.code_pt)

    # view
    def retranslate(self) -> None:
        fmt = self.review.profile.field(self.review.field)
        label = fmt.display_label()
        self.code_label.setText(
            _("{label} — select a marked character to fix it:").format(
                label=label[:1].upper() + label[1:]
            )
        )
        self.input_label.setText(
            _("&Edit the {label} (type, paste or dictate):").format(label=label)
        )
        self.input.setAccessibleName(_("{label}, editable").format(label=label))
        self.input.setClearButtonEnabled(True)
        self.input.setAccessibleDescription(
            _(
                "Spaces, dashes and letter case do not matter. Spoken words such as 幺, 两, "
                "“seven” or “bravo” are understood."
            )
        )
        self.warnings_label.setText(_("&Warnings:"))
        self.warnings.setAccessibleName(_("Warnings"))
        self.changes_label.setText(_("C&hanges made (untick to undo):"))
        self.changes.setAccessibleName(_("Changes made"))
        self.confirm.setText(_("I have checked the marked characters on the card"))
        self.confirm_all.setText(_("All marked characters match the card (I compared each)"))
        self.reveal.setText(_("Hold to &show the code"))
        self.reveal.setAccessibleDescription(
            _("The code stays hidden from onlookers; it shows while this button is held down.")
        )
        self.code_view.retranslate()
        self.picker.retranslate()
        self.row_question.retranslate()
        self.count_question.retranslate()
        if self.voice is not None:
            self.voice.retranslate()
        self._theme_changed()
        self.refresh()

    def refresh(self) -> None:
        self._updating = True
        r = self.review
        self.code_view.set_groups(chars_from_review(r))
        self.note.setText(r.note)
        self.note.setVisible(bool(r.note))
        self.warnings.clear()
        for w in r.visible_warnings() if r.value else []:
            self.warnings.addItem(
                QListWidgetItem(
                    tier_icon(w.tier),
                    _("{tier}: {message}").format(tier=tier_name(w.tier), message=w.message),
                )
            )
        if self.voice is not None:
            self.voice.review = r
            self.voice.refresh()
        readable = [i for i in r.unresolved() if not r.flags[i].unreadable]
        self.confirm_all.setVisible(len(readable) >= 4)
        self.row_question.show_for(r, self.masked)
        self.count_question.show_for(r)
        shown = self.warnings.count() > 0
        self.warnings.setVisible(shown)
        self.warnings_label.setVisible(shown)
        # Guides about characters already checked in the picker need no second "yes".
        self.confirm.setVisible(bool(r.open_guides()))
        self.confirm.setChecked(r.guides_confirmed)
        self.changes.clear()
        notable = [c for c in r.result.changes if not c.routine]
        routine = len(r.result.changes) - len(notable)
        if routine:
            self.changes.addItem(
                _(
                    "{count} routine changes: spaces, separators, letter case, "
                    "full-width and spoken forms"
                ).format(count=routine)
            )
        for c in notable:
            item = QListWidgetItem(change_text(c))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, list(c.key))
            self.changes.addItem(item)
        for pos, kind in sorted(r.keep):
            item = QListWidgetItem(
                _("“{source}” kept as typed ({reason})").format(
                    source=r.text[pos] if pos < len(r.text) else "?", reason=_(CHANGE_KINDS[kind])
                )
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, [pos, kind])
            self.changes.addItem(item)
        self.changes.setVisible(self.changes.count() > 0)
        self.changes_label.setVisible(self.changes.count() > 0)
        self._updating = False
        self.changed.emit()
