"""The `cardbind` command: no sub-command starts the desktop app.

Each command group has its module in this package; this one only dispatches. The desktop
app is loaded by name (`importlib`) and only when the window is really opened, so the
terminal front end never imports Qt: `cardbind check` and `cardbind ocr` start fast and
work on machines without a display.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from cli import batch, bind, check, cooldown, doctor, ocr, records, sandbox, secret
from core.codes.mask import redact
from core.errors import ExitCode, InternalError, UserCancelled, UserFacingError
from core.i18n import LANGUAGES, _, set_language, system_language
from core.logs import log_file, setup_logging

log = logging.getLogger(__name__)


def _early_language(argv: Sequence[str]) -> None:
    """Pick the language before the parser is built, so --help is translated too."""
    lang = system_language()
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(lang)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cardbind",
        description=_(
            "cardbind 卡密绑定助手: read a gift card's code, check every unsure "
            "character and bind it once. Without a command the desktop app starts."
        ),
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages"))
    parser.add_argument(
        "--camera-file",
        metavar=_("VIDEO"),
        help=_("app only: play a video file as the camera (demos, training, tests)"),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))
    for group in (check, bind, batch, records, cooldown, secret, sandbox, ocr, doctor):
        group.register(sub)
    return parser


def launch_app(argv: list[str], camera_file: str | None, language: str | None) -> int:
    """Start the desktop app. Loaded by name, so that nothing in `cli` imports Qt (the
    import-linter contract) and the commands never pay for loading it."""
    app = importlib.import_module("gui.app")
    return int(app.run_app(argv, camera_file=camera_file, language=language))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _early_language(argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        return launch_app([sys.argv[0], *extra], args.camera_file, args.lang)
    if extra:
        parser.error(_("unrecognized arguments: {args}").format(args=" ".join(extra)))
    setup_logging()
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    """The terminal's one error handler: an error written for the user is one line on
    standard error and its exit code; anything else is a bug, logged, and one plain line."""
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print(UserCancelled().user_message(), file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK  # `cardbind … | head`: the reader has all it wanted
    except UserCancelled as exc:
        print(exc.user_message(), file=sys.stderr)
        return exc.exit_code
    except UserFacingError as exc:
        message = exc.user_message()
        if isinstance(exc, InternalError):
            log.error("command %s failed: %s", args.command, redact(repr(exc)), exc_info=True)
            message += " " + _("Details are in {log}.").format(log=log_file())
        print(
            _("cardbind {command}: {error}").format(command=args.command, error=message),
            file=sys.stderr,
        )
        return exc.exit_code
    except Exception:
        log.exception("command %s failed", args.command)
        print(
            _("cardbind: something went wrong inside the program. Details are in {log}.").format(
                log=log_file()
            ),
            file=sys.stderr,
        )
        return ExitCode.ERROR


if __name__ == "__main__":
    sys.exit(main())
