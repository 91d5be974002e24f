"""`cardbind check`: normalize and validate a typed, pasted or dictated code."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from core.codes.check import CheckResult, check_code, summarize, tier_name
from core.codes.normalize import CHANGE_KINDS
from core.codes.profiles import FIELD_NAMES, get_profile, platform_ids
from core.errors import ExitCode
from core.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help=_("normalize and check a typed, pasted or dictated code"),
        description=_(
            "Normalize and check a code for a platform, and show every change, "
            "look-alike character and warning. TEXT '-' reads standard input."
        ),
    )
    p.add_argument(
        "--platform",
        "-p",
        choices=platform_ids(),
        default="jd",
        help=_("platform profile (default: %(default)s)"),
    )
    p.add_argument(
        "--field",
        "-f",
        choices=FIELD_NAMES,
        default="pin",
        help=_("which field the text is (default: %(default)s)"),
    )
    p.add_argument(
        "--pasted",
        action="store_true",
        help=_("the text was copied from a message, not read off a card"),
    )
    p.add_argument("--json", action="store_true", help=_("print one JSON object"))
    p.add_argument("text", metavar="TEXT", help=_("the code as typed, pasted or dictated"))
    p.set_defaults(handler=run)


def _read_text(arg: str, stdin: TextIO) -> str:
    if arg != "-":
        return arg
    return stdin.read().rstrip("\r\n")


def run(args: argparse.Namespace, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = out or sys.stdout
    stdin = stdin or sys.stdin
    profile = get_profile(args.platform)
    if args.field not in profile.fields:
        print(
            _("cardbind check: {platform} has no {field} field").format(
                platform=profile.id, field=args.field
            ),
            file=sys.stderr,
        )
        return ExitCode.USAGE
    text = _read_text(args.text, stdin)
    result = check_code(text, profile, args.field, source="pasted" if args.pasted else "typed")
    if args.json:
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        out.write(format_result(result))
    return ExitCode.OK


def format_result(result: CheckResult) -> str:
    profile = get_profile(result.platform)
    fmt = profile.field(result.field)
    lines = [f"{profile.display_name()} — {fmt.display_label()}"]
    lines.append(_("Code:     {display}").format(display=result.display or "—"))
    notable = [c for c in result.changes if not c.routine]
    routine = len(result.changes) - len(notable)
    if result.changes:
        lines.append(
            _(
                "Changes:  {count} ({routine} routine: spaces, separators, "
                "letter case, width, spoken words)"
            ).format(count=len(result.changes), routine=routine)
        )
        for c in notable:
            lines.append(
                _("  - position {position}: “{source}” → “{target}” ({reason})").format(
                    position=c.position + 1,
                    source=c.source,
                    target=c.target or "∅",
                    reason=_(CHANGE_KINDS[c.kind]),
                )
            )
    if result.ambiguous:
        items = ", ".join(f"{a.index + 1}:{'/'.join(a.alternatives)}" for a in result.ambiguous)
        lines.append(_("Look-alikes: {items}").format(items=items))
    for w in result.warnings:
        lines.append(f"[{tier_name(w.tier)}] {w.message}")
    lines.append(summarize(result))
    return "\n".join(lines) + "\n"
