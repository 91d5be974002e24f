"""`cardbind sandbox init | report | serve`: the simulated platforms for practice and tests."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from core.bind.adapters.faults import parse_faults
from core.bind.adapters.ledger import CARD_STATES, LedgerError, SandboxLedger
from core.bind.adapters.server import SandboxServer
from core.bind.records import write_csv
from core.codes.profiles import platform_ids
from core.errors import ExitCode
from core.i18n import _
from core.secrets import Secrets


def _mix(text: str) -> dict[str, int]:
    mix: dict[str, int] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        state, _sep, count = item.partition("=")
        if state not in CARD_STATES or not count.strip().isdigit():
            raise LedgerError(
                _("--mix takes state=count pairs with states: {states}").format(
                    states=", ".join(CARD_STATES)
                )
            )
        mix[state] = int(count)
    return mix


def _rate(text: str) -> tuple[int, float]:
    count, _sep, window = text.partition("/")
    try:
        return int(count), float(window or 60)
    except ValueError:
        raise LedgerError(_("--rate-limit takes COUNT/SECONDS, e.g. 30/60 (0 = off)")) from None


def run_init(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not 0 <= args.cards <= 100_000:
        raise LedgerError(_("--cards takes a number from 0 to 100000."))
    ledger = SandboxLedger(args.db)
    try:
        settings: dict[str, object] = {}
        if args.no_verification:
            settings["verification"] = "none"
        if args.rate_limit is not None:
            settings["rate_limit"], settings["rate_window_s"] = _rate(args.rate_limit)
        if args.retry_after is not None:
            settings["retry_after_s"] = args.retry_after
        if settings:
            ledger.set_config(**settings)
        cards = ledger.create_cards(args.platform, args.cards, seed=args.seed, mix=_mix(args.mix))
    finally:
        ledger.close()
    count = write_csv(
        args.csv,
        ("card_number", "pin", "platform"),
        [(c.card_number, c.pin, c.platform) for c in cards],
    )
    os.chmod(args.csv, 0o600)
    print(
        _("{n} sandbox cards for {platform} in {db}; their codes are in {csv}.").format(
            n=count, platform=args.platform, db=args.db, csv=args.csv
        ),
        file=out,
    )
    return ExitCode.OK


def run_report(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not args.db.exists():
        raise LedgerError(_("No sandbox ledger at {path}.").format(path=args.db))
    ledger = SandboxLedger(args.db)
    try:
        cards = ledger.report()
    finally:
        ledger.close()
    summary = {
        "cards": len(cards),
        "bound_to_me": sum(1 for c in cards if c["state"] == "bound_self" and c["owner"] == "me"),
        "bound_twice": sum(1 for c in cards if c["binds"] > 1 or c["requests_after_bound"]),
        "over_budget": sum(
            1
            for c in cards
            if c["requests_while_locked"]
            or (c["attempt_limit"] and c["failures"] > c["attempt_limit"])
        ),
        "locked": sum(1 for c in cards if c["locked"]),
    }
    if args.json:
        out.write(json.dumps({"cards": cards, "summary": summary}, ensure_ascii=False) + "\n")
        return ExitCode.OK
    for c in cards:
        print(
            _("{card}  {platform:<7} {state:<16} owner {owner:<12} attempts {used}").format(
                card=c["card"],
                platform=c["platform"],
                state=c["state"],
                owner=c["owner"] or "—",
                used=c["attempts_used"],
            ),
            file=out,
        )
    print(
        _("{cards} cards, {bound} bound to you, {twice} bound twice, {over} over budget.").format(
            cards=summary["cards"],
            bound=summary["bound_to_me"],
            twice=summary["bound_twice"],
            over=summary["over_budget"],
        ),
        file=out,
    )
    return ExitCode.OK


def run_serve(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    faults = parse_faults(args.faults) if args.faults else None
    ledger = SandboxLedger(args.db)
    # The server accepts the token the http adapter on this computer will send.
    ledger.set_api_token(Secrets().get_or_create("http_token"))
    try:
        server = SandboxServer((args.host, args.port), ledger, faults)
    except OSError as exc:
        ledger.close()
        raise LedgerError(
            _("Cannot listen on {host}:{port}: {error}").format(
                host=args.host, port=args.port, error=exc.strerror or exc
            )
        ) from None
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            _("Warning: the sandbox is reachable from other computers on {host}.").format(
                host=args.host
            ),
            file=sys.stderr,
        )
    print(
        _(
            "Sandbox bind API on {url} (Ctrl-C stops). Use it with: cardbind bind --adapter "
            "http --base-url {url}"
        ).format(url=server.url),
        file=out,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        ledger.close()
    return ExitCode.OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sandbox", help=_("simulated platforms for practice and tests"))
    s = p.add_subparsers(dest="action", required=True, metavar=_("ACTION"))

    i = s.add_parser("init", help=_("create sandbox cards and write their codes to a CSV"))
    i.add_argument("--db", type=Path, required=True, help=_("sandbox ledger file"))
    i.add_argument("--platform", "-p", choices=platform_ids(), default="jd")
    i.add_argument("--cards", type=int, required=True, help=_("how many unbound cards"))
    i.add_argument(
        "--csv", type=Path, required=True, help=_("where to write card_number,pin,platform rows")
    )
    i.add_argument("--seed", type=int, default=None, help=_("same seed, same codes"))
    i.add_argument(
        "--mix", default="", help=_("extra cards in other states, e.g. expired=2,bound_other=1")
    )
    i.add_argument(
        "--no-verification",
        action="store_true",
        help=_("no SMS code, captcha… (for batches and benchmarks)"),
    )
    i.add_argument(
        "--rate-limit",
        default=None,
        metavar="COUNT/SECONDS",
        help=_('"too frequent" after COUNT binds in SECONDS (default 30/60; 0 = off)'),
    )
    i.add_argument(
        "--retry-after",
        type=float,
        default=None,
        metavar="SECONDS",
        help=_("cool-down the sandbox asks for (default: the profile's)"),
    )
    i.set_defaults(handler=run_init)

    r = s.add_parser("report", help=_("every card's state, owner and attempts used"))
    r.add_argument("--db", type=Path, required=True)
    r.add_argument("--json", action="store_true")
    r.set_defaults(handler=run_report)

    v = s.add_parser("serve", help=_("serve the bind API on this computer"))
    v.add_argument("--host", default="127.0.0.1", help=_("default: 127.0.0.1 (this computer)"))
    v.add_argument("--port", type=int, default=8765, help=_("0 picks a free port"))
    v.add_argument("--db", type=Path, required=True)
    v.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help=_("e.g. timeout=0.05,error=0.05,latency_ms=300,hang_ms=2000"),
    )
    v.set_defaults(handler=run_serve)
