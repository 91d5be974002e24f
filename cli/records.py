"""`cardbind history` and `cardbind blacklist`: what was bound (masked codes only), and the
cards never to bind (masked codes and keyed hashes)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from cli.term import ask_secret
from core.bind.card import CardHasher
from core.bind.knowledge import entry
from core.bind.records import export_blacklist, export_history, import_blacklist
from core.bind.store import Store
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import platform_ids
from core.errors import ExitCode
from core.i18n import _
from core.secrets import Secrets
from core.settings import load as load_settings


def run_history(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with Store() as store:
        if args.export:
            n = export_history(store, args.export)
            print(
                _("{n} history rows written to {path} (masked codes only).").format(
                    n=n, path=args.export
                ),
                file=out,
            )
            return ExitCode.OK
        rows = store.history(args.limit)
        if args.json:
            for h in rows:
                out.write(
                    json.dumps(
                        {
                            "at": h.at,
                            "platform": h.platform,
                            # No hash of the card: with the masked code it is a search
                            # for the hidden characters (docs/no-plaintext-keyring.md).
                            "card": h.masked,
                            "status": h.status,
                            "kind": h.kind,
                            "amount": h.amount,
                            "currency": h.currency,
                            "attempts_left": h.attempts_left,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
            return ExitCode.OK
        if not rows:
            print(_("No binds yet."), file=out)
        from core.bind.records import _when

        for h in rows:
            what = (
                f"{h.amount} {h.currency}"
                if h.status == "bound"
                else entry(h.kind).title(h.platform)
                if h.kind
                else h.status
            )
            print(f"{_when(h.at)}  {h.platform:<7} {h.masked}  {what}", file=out)
    return ExitCode.OK


def run_blacklist(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    secrets = Secrets()
    with Store() as store:
        hasher = CardHasher(secrets)
        if args.action == "list":
            rows = store.blacklist()
            if not rows:
                print(_("The blacklist is empty."), file=out)
            for platform, card_hash, masked, reason, _at in rows:
                print(f"{platform:<7} {masked}  {card_hash[:16]}  {reason}", file=out)
            return ExitCode.OK
        if args.action == "export":
            n = export_blacklist(store, args.file)
            print(_("{n} cards written to {path}.").format(n=n, path=args.file), file=out)
            return ExitCode.OK
        if args.action == "import":
            added, problems = import_blacklist(store, hasher, args.file, args.platform)
            for problem in problems:
                print(problem, file=out)
            print(_("{n} cards added to the blacklist.").format(n=added), file=out)
            return ExitCode.OK if not problems else ExitCode.ERROR
        platform = args.platform or load_settings().platform
        code = args.code if args.code is not None else ask_secret(_("Card password: "))
        checked = check_code(code, platform, "pin", source="pasted")
        if not checked.ok:
            print(_("Not a valid code for {platform}.").format(platform=platform), file=out)
            return ExitCode.ERROR
        card_hash = hasher.hash(platform, checked.value)
        if args.action == "add":
            store.blacklist_add(platform, card_hash, mask_code(checked.value), args.reason)
            print(_("{card} is on the blacklist.").format(card=mask_code(checked.value)), file=out)
        else:
            removed = store.blacklist_remove(platform, card_hash)
            print(
                (
                    _("{card} removed from the blacklist.")
                    if removed
                    else _("{card} was not on the blacklist.")
                ).format(card=mask_code(checked.value)),
                file=out,
            )
    return ExitCode.OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    h = sub.add_parser("history", help=_("show or export the bind history (masked codes)"))
    h.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="FILE",
        help=_("write the whole history as CSV"),
    )
    h.add_argument("--limit", type=int, default=20, help=_("rows to show (default: 20)"))
    h.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    h.set_defaults(handler=run_history)

    bl = sub.add_parser("blacklist", help=_("cards reported stolen or risky"))
    bl_sub = bl.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    for name, text in (
        ("list", _("show the blacklist")),
        ("add", _("add a card")),
        ("remove", _("remove a card")),
    ):
        q = bl_sub.add_parser(name, help=text)
        if name != "list":
            q.add_argument("--platform", "-p", choices=platform_ids(), default=None)
            q.add_argument("--code", default=None, help=_("omit to be asked without echo"))
            q.add_argument("--reason", default="", help=_("why (kept with the entry)"))
    for name, text in (
        ("import", _("add cards from a CSV (codes or exported hashes)")),
        ("export", _("write the blacklist as CSV (hashes, masked codes)")),
    ):
        q = bl_sub.add_parser(name, help=text)
        q.add_argument("file", type=Path, metavar="FILE")
        q.add_argument("--platform", "-p", choices=platform_ids(), default=None)
    bl.set_defaults(handler=run_blacklist)
