"""The options that choose a bind method, and the bind service they build (shared by
`cardbind bind` and `cardbind batch`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.bind.adapter import AdapterContext, AdapterError
from core.bind.adapters.faults import FaultSpec
from core.bind.card import CardHasher
from core.bind.registry import adapter_names, create_adapter
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store
from core.codes.profiles import platform_ids
from core.i18n import _
from core.secrets import Secrets
from core.settings import load as load_settings


def add_adapter_args(p: argparse.ArgumentParser, *, batch: bool = False) -> None:
    p.add_argument(
        "--platform",
        "-p",
        choices=platform_ids(),
        default=None,
        help=_("platform profile (default: from the file, or the settings)"),
    )
    p.add_argument(
        "--adapter",
        "-a",
        default=None,
        help=_("bind method: {names} (default: the settings, normally sandbox)").format(
            names=", ".join(adapter_names())
        ),
    )
    p.add_argument(
        "--sandbox-db", type=Path, default=None, help=_("sandbox ledger file (sandbox adapter)")
    )
    p.add_argument("--base-url", default="", help=_("address of the http bind service"))
    p.add_argument("--account", default="", help=_("account to bind to, if the method needs one"))
    p.add_argument(
        "--pacing",
        type=float,
        default=None,
        metavar="SECONDS",
        help=_("seconds between two binds (default: the settings, 3); 0 = off"),
    )
    if batch:
        p.add_argument(
            "--faults",
            default="",
            metavar="SPEC",
            help=_("sandbox faults, e.g. timeout=0.05,after_commit=0.05,error=0.05,latency_ms=300"),
        )


def build_service(args: argparse.Namespace, faults: FaultSpec | None = None) -> BindService:
    settings = load_settings()
    if getattr(args, "account", ""):
        settings.account = args.account
    name = args.adapter or settings.adapter
    context = AdapterContext(
        settings, Secrets(), sandbox_db=args.sandbox_db, faults=faults, base_url=args.base_url
    )
    adapter = create_adapter(name, context)
    policy = BindPolicy.from_settings(settings)
    if args.pacing is not None:
        if not 0 <= args.pacing <= 3600:
            raise AdapterError(_("--pacing takes seconds between 0 and 3600."))
        policy = BindPolicy(**{**policy.__dict__, "pacing_s": args.pacing})
    return BindService(adapter, Store(), hasher=CardHasher(context.secrets), policy=policy)
