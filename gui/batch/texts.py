"""What the batch window says about where it is: the headline and note of each state,
the progress line while binding, the start button, and the notes about the file and its
corrected copy. Words only; the window puts them on screen."""

from __future__ import annotations

from pathlib import Path

from core.bind.batch.state import RUNNABLE, BatchProgress, status_name
from core.i18n import _, duration_text, ngettext
from gui.batch.controller import BatchController
from gui.batch.rows import NEEDS_LOOK
from gui.batch.state import State


def counts_text(counts: dict[str, int]) -> str:
    parts = [
        _("{status}: {n}").format(status=status_name(k), n=v) for k, v in sorted(counts.items())
    ]
    if not parts:
        return ""
    text = _("{items}.").format(items=_("; ").join(parts))
    # The statuses are table cells in lower case; this line is a sentence.
    return text[:1].upper() + text[1:]


def progress_text(p: BatchProgress, *, paused: bool, stopping: bool) -> str:
    """Rows done, bound and not, time left, and what the batch is doing now."""
    if p.state == "waiting":
        state = _("The platform asks to slow down; waiting {time}.").format(
            time=duration_text(p.wait_s)
        )
    elif p.state == "paused":
        state = _("Paused. Press Resume to go on.")
    elif p.state in ("running", "waiting") and paused:
        state = _("Pausing after the current card…")
    elif p.state == "running":
        state = _("Binding {card}…").format(card=p.current) if p.current else _("Binding…")
    else:
        state = ""
    parts = [
        _("{done} of {total} rows done: {bound} bound, {failed} not bound.").format(
            done=p.done, total=p.total, bound=p.bound, failed=p.failed
        )
    ]
    if p.eta_s is not None and p.state in ("running", "waiting") and p.pending:
        parts.append(_("About {time} left.").format(time=duration_text(p.eta_s)))
    if state:
        parts.append(state)
    if stopping:
        parts.append(_("Stopping safely after the current card…"))
    return " ".join(parts)


def summary_texts(c: BatchController) -> tuple[str, str]:
    """The headline and the note of the rows page in the controller's state."""
    counts = c.model.counts()
    total = len(c.model.rows)
    file_name = (c.original or c.source or Path("")).name
    s = c.state
    head = note = ""
    if s is State.CHECKING:
        head = c.wait_text()
    elif s is State.CHECK:
        ready = counts.get("ready", 0)
        head = ngettext(
            "{file}: {n} row, {ready} ready to bind.",
            "{file}: {n} rows, {ready} ready to bind.",
            total,
        ).format(file=file_name, n=total, ready=ready)
        note = counts_text({k: v for k, v in counts.items() if k != "ready"})
        if any(r.status in NEEDS_LOOK for r in c.model.rows):
            note += " " + _(
                "Rows marked with a warning need a look: select one and press "
                "“Fix this row”. Rows you leave are not sent."
            )
    elif s is State.READY:
        head = _("An unfinished batch of {file}.").format(file=file_name)
        note = _(
            "Cards already bound are never sent again; cards with no known result "
            "are looked up first."
        )
    elif s is State.RUNNING:
        head = _("Binding the cards of {file}…").format(file=file_name)
        note = _(
            "One card at a time, with a pause between them. You can pause or stop "
            "at any time; nothing is lost."
        )
    elif s in (State.STOPPED, State.FINISHED) and c.summary is not None:
        sm = c.summary
        if sm.finished:
            head = _("Done: {bound} of {total} cards bound.").format(bound=sm.bound, total=sm.total)
        elif sm.stopped:
            head = _("Stopped: {bound} of {total} cards bound so far.").format(
                bound=sm.bound, total=sm.total
            )
            note = _("Continue now, or later: cardbind offers it when it starts.") + " "
        else:
            pending = sum(v for k, v in sm.counts.items() if k in RUNNABLE)
            head = _(
                "Not finished: {bound} of {total} cards bound, {pending} still to bind."
            ).format(bound=sm.bound, total=sm.total, pending=pending)
            note = (
                _(
                    "They need a verification or a later try. Continue when you are "
                    "ready, now or after cardbind starts again."
                )
                + " "
            )
        note += counts_text({k: v for k, v in sm.counts.items() if k != "bound"})
        if c.source is not None:
            note += " " + _(
                "Note: {file} holds full card codes. Keep it safe, or delete "
                "it once the batch is done."
            ).format(file=c.source.name)
    elif s is State.STOPPED:
        head = _("The batch stopped. Continue it now, or later.")
    return head, note.strip()


def start_text(c: BatchController) -> str:
    ready = c.model.counts().get("ready", 0)
    return ngettext("&Start binding {n} card", "&Start binding {n} cards", ready).format(n=ready)


def copy_note(copy: Path) -> str:
    """Where fixed rows are saved, and that the copy needs the care the file does."""
    return _(
        "Fixed rows are saved in {copy}, next to your file, and the batch reads that "
        "copy. It holds full card codes like your file: keep it safe, or delete both "
        "once the batch is done."
    ).format(copy=copy.name)


def file_note(c: BatchController) -> str:
    """What the file page asks for: a file of cards, or the moved file of a batch."""
    if c.state is State.LOCATE:
        return _(
            "Choose the file of the unfinished batch. Every row is matched to the "
            "journal by a fingerprint before anything is sent."
        )
    return _(
        "Choose a CSV or Excel file with one card per row. It needs a column with the "
        "card password (卡密); a card number (卡号), card type (平台) and account "
        "(账户) are used when the file has them. Every row is checked before "
        "anything is sent, and you can fix rows here."
    )
