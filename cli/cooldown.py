"""`cardbind cooldown`: the pauses platforms asked for ("too frequent, wait"), per
platform, bind method and account; list them, or clear them (docs/journal.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from core.bind.cooldowns import describe
from core.bind.registry import adapters
from core.bind.store import Store
from core.codes.profiles import platform_ids
from core.errors import ExitCode
from core.i18n import _, ngettext


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with Store() as store:
        if args.action == "clear":
            n = store.clear_cooldowns(args.platform, args.adapter, args.account)
            if n:
                print(
                    ngettext(
                        "{n} cool-down cleared. The platform may still refuse binds for a "
                        "while if it asked for the pause itself.",
                        "{n} cool-downs cleared. The platform may still refuse binds for a "
                        "while if it asked for the pause itself.",
                        n,
                    ).format(n=n),
                    file=out,
                )
            else:
                print(_("No cool-down to clear."), file=out)
            return ExitCode.OK
        running = store.cooldowns()
    if args.json:
        for c in running:
            out.write(
                json.dumps(
                    {
                        "platform": c.platform,
                        "adapter": c.adapter,
                        "account": c.account,
                        "until": c.until,
                        "left_s": round(c.left_s, 1),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return ExitCode.OK
    if not running:
        print(_("No cool-down is running: every platform may be bound now."), file=out)
    for c in running:
        print(describe(c), file=out)
    return ExitCode.OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cooldown",
        help=_("the pauses platforms asked for: list or clear them"),
        description=_(
            "A platform that answers 'too frequent' asks for a pause; cardbind keeps it per "
            "platform, bind method and account (at most the platform's documented "
            "cool-down) and binds nothing there until it is over. List them, or clear them "
            "when you know better."
        ),
    )
    actions = p.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    listing = actions.add_parser("list", help=_("the cool-downs running now, with the time left"))
    listing.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    clear = actions.add_parser("clear", help=_("end cool-downs now (all, or those that match)"))
    clear.add_argument("--platform", "-p", choices=platform_ids(), help=_("only this platform"))
    clear.add_argument(
        "--adapter", "-a", choices=sorted(adapters()), help=_("only this bind method")
    )
    clear.add_argument("--account", help=_("only this account"))
    p.set_defaults(handler=run)
