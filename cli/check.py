"""`cardbind check`: normalize and validate a typed, pasted or dictated code."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from core.codes.check import (
    CheckResult,
    CheckWarning,
    Source,
    check_code,
    summarize,
    tier_name,
)
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


def _bytes_of(text: str) -> bytes:
    """The bytes a string was made from: undecodable bytes of an argument (or of a text
    stream under C.UTF-8) come as lone surrogates (PEP 383) and go back as they came."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8


def _read_bytes(arg: str, stdin: TextIO) -> bytes:
    if arg != "-":
        return _bytes_of(arg)
    # The bytes themselves, so that the locale's decoder (strict, or surrogateescape under
    # C.UTF-8) never sees them: invalid UTF-8 is a finding, not a crash.
    buffer = getattr(stdin, "buffer", None)
    data = buffer.read() if buffer is not None else _bytes_of(stdin.read())
    return bytes(data).rstrip(b"\r\n")


def decode(data: bytes) -> tuple[str, int | None]:
    """The text, and the index of the first byte that is not UTF-8 (None: all are).
    Undecodable bytes become U+FFFD, so no lone surrogate reaches the output."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", "replace"), exc.start


def check_input(data: bytes, profile: str, field: str, source: Source = "typed") -> CheckResult:
    """Check raw input: bytes that are not UTF-8 are a block, said in words."""
    text, bad = decode(data)
    result = check_code(text, profile, field, source=source)
    if bad is not None:
        # One block says it; the replacement characters need no block of their own each.
        result.warnings[:] = [CheckWarning("not_text", None, {"byte": bad + 1})] + [
            w
            for w in result.warnings
            if not (w.code.startswith("not_allowed") and w.params.get("char") == "\ufffd")
        ]
    return result


def _write(out: TextIO, text: str) -> None:
    """Write even where the terminal cannot show every character (a non-UTF-8 locale)."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, "backslashreplace").decode(encoding))


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
    data = _read_bytes(args.text, stdin)
    result = check_input(data, profile.id, args.field, "pasted" if args.pasted else "typed")
    if args.json:
        # Plain ASCII JSON where the output cannot take UTF-8: valid either way.
        utf8 = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "") == "utf8"
        _write(out, json.dumps(result.to_json(), ensure_ascii=not utf8) + "\n")
    else:
        _write(out, format_result(result))
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
