"""One error path: every error cardbind raises on purpose derives from `UserFacingError`.

Such an error carries what the user reads (`user_message()`: translated, no full card
code) and what a script reads (`exit_code`, one value of `ExitCode`). The two front ends
each have one handler: the terminal prints the message and exits with the code
(`cli.main`), the desktop app shows the message (`gui.workers.user_message`). Anything
else that escapes is a bug: it is logged, and the user reads a plain sentence, never a
traceback.

A subclass either passes a message already written for the user, or sets `template` (a
msgid) and passes the fields it needs. Errors whose text is for the log only (a broken
reply, a bug) derive from `InternalError`: the user reads its template instead.
The README's table of exit codes is checked against `ExitCode` by a test.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from core.i18n import N_, _


class ExitCode(IntEnum):
    """How `cardbind COMMAND` ends. Values are part of the interface: never reuse one."""

    OK = 0  # done as asked
    ERROR = 1  # done, but not what was hoped (a code that cannot be bound, a refused
    # card, an unreadable image), or something went wrong inside cardbind
    USAGE = 2  # cannot be done as asked: bad arguments, a broken file or setting
    RETRY_LATER = 3  # not finished, nothing lost: wait, --resume, or finish the attempt
    NEEDS_VERIFICATION = 4  # the platform asks for a verification nobody gave
    MISSING_DEPENDENCY = 5  # something cardbind needs is missing (Tesseract, a keyring)
    INTERRUPTED = 130  # stopped by the user (Ctrl-C), as shells report SIGINT


class UserFacingError(Exception):
    """An error the user must read: a translated message and an exit code."""

    template: ClassVar[str] = ""  # msgid, used when no message is passed
    exit_code: ClassVar[ExitCode] = ExitCode.ERROR

    def __init__(self, message: str = "", /, **fields: object) -> None:
        if not message and self.template:
            message = _(self.template).format(**fields)
        super().__init__(message)

    def user_message(self) -> str:
        """What the user reads: translated, in words, never a full card code."""
        return str(self)


class UsageError(UserFacingError):
    """Cannot be done as asked: a bad option or file, an unusable setting or journal."""

    exit_code = ExitCode.USAGE


class MissingDependency(UserFacingError):
    """Something cardbind needs is not on this computer (Tesseract, a keyring…)."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class InternalError(UserFacingError):
    """A bug, or a broken answer from a service, plug-in or data file. Its text is for the
    log (it may be technical English); the user reads the template."""

    template = N_(
        "Something went wrong while working on this. Nothing was sent to any "
        "platform because of it. You can try again."
    )

    def user_message(self) -> str:
        return _(self.template)


class UserCancelled(UserFacingError):
    """The user stopped the work (a Stop button, Ctrl-C): not a failure to explain."""

    template = N_("Stopped.")
    exit_code = ExitCode.INTERRUPTED


# What the user reads about an error that is not a UserFacingError (a bug): the same
# plain sentence as InternalError's, in one place.
UNEXPECTED = InternalError.template
