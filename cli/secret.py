"""`cardbind secret`: the tokens cardbind keeps in the system password store."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from cli.term import ask_secret
from core.errors import ExitCode
from core.i18n import _
from core.secrets import KNOWN, Secrets, SecretsUnavailable


def run_secret(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    secrets = Secrets()
    if args.action == "status":
        if not secrets.available():
            raise SecretsUnavailable()
        for name, what in KNOWN.items():
            state = _("set") if secrets.get(name) else _("not set")
            print(f"{name}: {state} — {_(what)}", file=out)
        return ExitCode.OK
    if args.name not in KNOWN or args.name == "card_hash_key":
        print(_("Only these can be set: {names}").format(names="http_token"), file=sys.stderr)
        return ExitCode.USAGE
    if args.action == "delete":
        secrets.delete(args.name)
        print(_("{name} deleted.").format(name=args.name), file=out)
        return ExitCode.OK
    value = ask_secret(_("Value for {name} (not shown): ").format(name=args.name)).strip()
    if not value:
        print(_("Nothing entered; nothing changed."), file=out)
        return ExitCode.ERROR
    secrets.set(args.name, value)
    print(_("{name} stored in the system password store.").format(name=args.name), file=out)
    return ExitCode.OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("secret", help=_("tokens in the system password store"))
    s_sub = s.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    s_sub.add_parser("status", help=_("which secrets are stored (never their values)"))
    for name, text in (
        ("set", _("store a secret, asked without echo")),
        ("delete", _("delete a secret")),
    ):
        q = s_sub.add_parser(name, help=text)
        q.add_argument("name", metavar="NAME", help="http_token")
    s.set_defaults(handler=run_secret)
