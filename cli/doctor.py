"""`cardbind doctor`: what this computer has and lacks for cardbind, in words, with one
line each that says how to turn a missing part on (the probes: core/capabilities/)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from core.capabilities import capabilities, check_machine
from core.capabilities.report import SYSTEM_NAMES, Check, Report
from core.errors import ExitCode
from core.i18n import _, ngettext
from core.settings import load as load_settings


def machine_report() -> Report:
    """Every probe, with Tesseract found the way `cardbind ocr` finds it."""
    from ocr.ppocr import own_models, wheel_models
    from ocr.tesseract import find_tesseract

    tesseract_cmd = load_settings().tesseract_cmd
    return check_machine(
        capabilities(
            lambda: find_tesseract(tesseract_cmd),
            wheel_models=wheel_models,
            own_models=own_models,
        )
    )


def status_word(check: Check) -> str:
    if check.ok:
        return _("found")
    return _("missing") if check.needed else _("not here")


def format_report(report: Report) -> str:
    lines = [
        _("What this computer ({system}) has for cardbind:").format(
            system=_(SYSTEM_NAMES[report.system])
        )
    ]
    for check in report.checks:
        lines.append(
            _("[{status}] {name}: {detail}").format(
                status=status_word(check), name=check.name, detail=check.detail
            )
        )
        if not check.ok:
            lines.append("    " + str(check.off))
            fix = check.fix_text()
            if fix:
                lines.append("    " + fix)
    missing = report.missing()
    if missing:
        lines.append(
            ngettext(
                "{n} part cardbind uses is missing; everything else works without it.",
                "{n} parts cardbind uses are missing; everything else works without them.",
                len(missing),
            ).format(n=len(missing))
        )
    else:
        lines.append(_("Everything cardbind needs is here."))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    report = machine_report()
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(format_report(report))
    return ExitCode.OK if report.ok else ExitCode.MISSING_DEPENDENCY


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "doctor",
        help=_("list what this computer has and lacks for cardbind, with a fix for each"),
        description=_(
            "List, in words, what this computer has and lacks for cardbind (Tesseract and "
            "its languages, the second reader, Qt's window and sound libraries, a camera, "
            "a password store, Chinese fonts, cardbind's folders), with one line each on "
            "how to turn a missing part on. Exits 0 when nothing needed is missing, 5 "
            "when something is."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print one JSON object"))
    p.set_defaults(handler=run)
