"""The batch window's states, and the one table of what each shows: its page, its step,
what gets the focus, which buttons and parts are visible, and whether a dropped file is
taken. The controller moves between states; the window only looks them up here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from types import MappingProxyType


class State(StrEnum):
    FILE = "file"  # choose a file (the resume offer is here too)
    LOCATE = "locate"  # choose the moved file of an unfinished batch
    COLUMNS = "columns"  # say which column holds what
    CHECKING = "checking"  # the file is read and every row checked, in the background
    CHECK = "check"  # every row checked: fix rows, then start
    FIX = "fix"  # one row being fixed: the only place a full code is shown
    READY = "ready"  # an unfinished batch reopened: continue it
    RUNNING = "running"  # binding, one card at a time
    STOPPED = "stopped"  # stopped or cut short: continue now or later
    FINISHED = "finished"  # every row settled


class Page(Enum):
    FILE = auto()
    COLUMNS = auto()
    ROWS = auto()
    FIX = auto()


class Part(Enum):
    """A button or a part of a page that a state shows or gives the focus to."""

    OFFER = auto()  # the resume offer on the file page
    CHOOSE = auto()  # "Choose a file…"
    COLUMN_PIN = auto()  # the column of the card password
    FIX_PIN = auto()  # the card password being fixed
    TABLE = auto()
    PROGRESS = auto()
    PROGRESS_TEXT = auto()
    COPY_NOTE = auto()  # where fixed rows are saved (when there is a corrected copy)
    NEXT = auto()  # "Next row to check" (when a row needs a look)
    FIX_ROW = auto()
    BACK = auto()
    COLUMNS = auto()
    START = auto()
    PAUSE = auto()
    STOP = auto()
    CONTINUE = auto()
    EXPORT = auto()
    NEW = auto()
    CLOSE = auto()


# Always there on their page: only ever given the focus, never hidden by a state.
FOCUS_ONLY = frozenset({Part.CHOOSE, Part.COLUMN_PIN, Part.FIX_PIN})


@dataclass(frozen=True)
class View:
    page: Page
    step: int  # 0 File, 1 Check, 2 Bind, 3 Results
    focus: tuple[Part, ...]  # the first one that is visible and enabled gets the focus
    shows: frozenset[Part]  # of the parts not in FOCUS_ONLY, those visible
    drops: bool = False  # a file dropped on the window is taken


def _view(
    page: Page, step: int, focus: tuple[Part, ...], *shows: Part, drops: bool = False
) -> View:
    return View(page, step, focus, frozenset(shows), drops)


_BINDING = (Part.TABLE, Part.PROGRESS, Part.PROGRESS_TEXT)

VIEWS: Mapping[State, View] = MappingProxyType(
    {
        State.FILE: _view(Page.FILE, 0, (Part.CHOOSE,), Part.OFFER, drops=True),
        State.LOCATE: _view(Page.FILE, 0, (Part.CHOOSE,), drops=True),
        State.COLUMNS: _view(Page.COLUMNS, 0, (Part.COLUMN_PIN,)),
        State.CHECKING: _view(Page.ROWS, 1, (Part.TABLE,), Part.PROGRESS),
        State.CHECK: _view(
            Page.ROWS,
            1,
            (Part.START, Part.TABLE),
            Part.TABLE,
            Part.COPY_NOTE,
            Part.NEXT,
            Part.FIX_ROW,
            Part.BACK,
            Part.COLUMNS,
            Part.START,
            drops=True,
        ),
        State.FIX: _view(Page.FIX, 1, (Part.FIX_PIN,)),
        State.READY: _view(
            Page.ROWS,
            2,
            (Part.TABLE,),
            *_BINDING,
            Part.COPY_NOTE,
            Part.BACK,
            Part.CONTINUE,
            Part.EXPORT,
        ),
        State.RUNNING: _view(
            Page.ROWS, 2, (Part.PAUSE, Part.TABLE), *_BINDING, Part.PAUSE, Part.STOP
        ),
        State.STOPPED: _view(
            Page.ROWS, 2, (Part.TABLE,), *_BINDING, Part.CONTINUE, Part.EXPORT, Part.NEW, Part.CLOSE
        ),
        State.FINISHED: _view(
            Page.ROWS, 3, (Part.TABLE,), *_BINDING, Part.EXPORT, Part.NEW, Part.CLOSE
        ),
    }
)
