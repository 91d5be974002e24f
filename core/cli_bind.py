"""`cardbind bind`, `batch`, `history`, `blacklist` and `secret`: thin layers over core.bind."""

from __future__ import annotations

import argparse
import getpass
import json
import math
import signal
import sys
import threading
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import FrameType
from typing import TextIO

from core.bind.adapter import AdapterContext, AdapterError
from core.bind.adapters.faults import FaultSpec, FaultSpecError, parse_faults
from core.bind.adapters.ledger import LedgerError
from core.bind.adapters.manual import make_handoff
from core.bind.batch import (
    BatchEngine,
    BatchError,
    BatchPlan,
    BatchProgress,
    BatchSummary,
    status_name,
)
from core.bind.card import Card, CardHasher
from core.bind.importer import BatchFileError
from core.bind.knowledge import entry
from core.bind.outcomes import (
    PLATFORM_KINDS,
    AwaitingUser,
    BindResult,
    Bound,
    NeedsVerification,
    Refused,
    Rejected,
    RetryLater,
)
from core.bind.records import export_batch, export_blacklist, export_history, import_blacklist
from core.bind.registry import UnknownAdapter, adapter_names, create_adapter
from core.bind.service import BindPolicy, BindService, bind_interactively
from core.bind.store import Store, StoreError
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import VERIFICATION_KINDS, get_profile, platform_ids
from core.i18n import _
from core.secrets import KNOWN, Secrets, SecretsUnavailable
from core.settings import load as load_settings

# Errors that mean "cannot do this as asked": shown as one translated line, exit 2.
USER_ERRORS = (SecretsUnavailable, StoreError, LedgerError, BatchFileError, BatchError,
               FaultSpecError, AdapterError, UnknownAdapter)



def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _ask_secret(prompt: str) -> str:
    """Hidden input on a terminal (nothing in the scroll-back); a line from a pipe."""
    if _tty(sys.stdin):
        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\r\n")


def _ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def _yes(prompt: str) -> bool:
    if not _tty(sys.stdin):
        return False
    return _ask(prompt + " " + _("[y/N] ")).lower() in ("y", "yes", "是", "好", "对")


def _duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)


# -- building the service ------------------------------------------------------------------

def _add_adapter_args(p: argparse.ArgumentParser, *, batch: bool = False) -> None:
    p.add_argument("--platform", "-p", choices=platform_ids(), default=None,
                   help=_("platform profile (default: from the file, or the settings)"))
    p.add_argument("--adapter", "-a", default=None,
                   help=_("bind method: {names} (default: the settings, normally sandbox)")
                   .format(names=", ".join(adapter_names())))
    p.add_argument("--sandbox-db", type=Path, default=None,
                   help=_("sandbox ledger file (sandbox adapter)"))
    p.add_argument("--base-url", default="", help=_("address of the http bind service"))
    p.add_argument("--account", default="", help=_("account to bind to, if the method needs one"))
    p.add_argument("--pacing", type=float, default=None, metavar="SECONDS",
                   help=_("seconds between two binds (default: the settings, 3); 0 = off"))
    if batch:
        p.add_argument("--faults", default="", metavar="SPEC",
                       help=_("sandbox faults, e.g. timeout=0.05,after_commit=0.05,"
                              "error=0.05,latency_ms=300"))


def build_service(args: argparse.Namespace, faults: FaultSpec | None = None) -> BindService:
    settings = load_settings()
    if getattr(args, "account", ""):
        settings.account = args.account
    name = args.adapter or settings.adapter
    context = AdapterContext(settings, Secrets(), sandbox_db=args.sandbox_db, faults=faults,
                             base_url=args.base_url)
    adapter = create_adapter(name, context)
    policy = BindPolicy.from_settings(settings)
    if args.pacing is not None:
        if not 0 <= args.pacing <= 3600:
            raise AdapterError(_("--pacing takes seconds between 0 and 3600."))
        policy = BindPolicy(**{**policy.__dict__, "pacing_s": args.pacing})
    return BindService(adapter, Store(), hasher=CardHasher(context.secrets), policy=policy)


# -- showing a result ------------------------------------------------------------------------

def format_result(result: BindResult) -> str:
    o = result.outcome
    lines = [result.summary()]
    if isinstance(o, Bound):
        if o.credited_at is not None:
            lines.append(_("Credited: {when}").format(
                when=o.credited_at.astimezone().isoformat(timespec="minutes")))
        return "\n".join(lines) + "\n"
    if isinstance(o, NeedsVerification):
        return "\n".join(lines) + "\n"
    advice = result.knowledge
    if advice is not None:
        lines.append(advice.explanation(result.platform))
        for n, step in enumerate(advice.steps(result.platform), start=1):
            lines.append(f"  {n}. {step}")
        lines.append(_("Expected time: {time}").format(
            time=advice.expected_time(result.platform)))
        if advice.success_text():
            lines.append(advice.success_text())
    if isinstance(o, Refused) and o.detail:
        lines.append(o.detail)
    if (result.attempts_left is not None and not isinstance(o, Rejected)
            and o.kind != "already_bound_self"):
        lines.append(_("Attempts left on this card: {n}.").format(n=result.attempts_left))
    return "\n".join(lines) + "\n"


def _exit_code(result: BindResult) -> int:
    o = result.outcome
    if isinstance(o, Bound) or (isinstance(o, Rejected | Refused)
                                and o.kind == "already_bound_self"):
        return 0
    if isinstance(o, RetryLater | NeedsVerification | AwaitingUser):
        return 3
    return 1


# -- bind ----------------------------------------------------------------------------------------

def _verification_asker(result_out: TextIO) -> Callable[[NeedsVerification], str | None]:
    def ask(need: NeedsVerification) -> str | None:
        if need.prompt:
            print(need.prompt, file=result_out)
        label = _(VERIFICATION_KINDS.get(need.verification, need.verification))
        value = _ask_secret(_("{what} (empty to stop): ").format(what=label))
        return value.strip() or None
    return ask


def _report_manual(service: BindService, result: BindResult, out: TextIO) -> BindResult:
    o = result.outcome
    if not isinstance(o, AwaitingUser) or result.attempt_key is None:
        return result
    if o.action == "show_qr":
        print(_("Show this to the customer; they bind on their own phone:"), file=out)
        print(make_handoff(Card(result.platform, o.payload.replace(
            get_profile(result.platform).primary_field.separator, ""))).terminal(), file=out)
    else:
        print(_("Bind on the platform's own page: {url}").format(url=o.url or "—"), file=out)
        print(_("Paste or type this code there:"), file=out)
    print(f"\n    {o.payload}\n", file=out)
    if not _tty(sys.stdin):
        print(_("Record the result later with the GUI; the attempt stays open."), file=out)
        return result
    answer = _ask(_("What did the platform say? [b] bound  [r] refused  [n] not tried: "))
    if answer.lower().startswith("b"):
        raw = _ask(_("Amount credited (empty if not shown): "))
        try:
            amount = Decimal(raw) if raw else Decimal("0")
        except InvalidOperation:
            amount = Decimal("0")
        done = service.report(result.attempt_key, Bound(amount, "CNY"))
    elif answer.lower().startswith("r"):
        kinds = [k for k in PLATFORM_KINDS if k not in ("network_timeout", "platform_fault")]
        for n, kind in enumerate(kinds, start=1):
            print(f"  {n}. {entry(kind).title(result.platform)}", file=out)
        raw = _ask(_("Which one (number)? "))
        kind = kinds[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= len(kinds) \
            else "not_found"
        done = service.report(result.attempt_key, Rejected(kind))  # type: ignore[arg-type]
    else:
        done = service.report(result.attempt_key, None)
    return done or result


def run_bind(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    settings = load_settings()
    platform = args.platform or settings.platform
    profile = get_profile(platform)
    code = args.code if args.code is not None else _ask_secret(
        _("{label} for {platform} (not shown): ").format(
            label=profile.primary_field.display_label(), platform=profile.display_name()))
    checked = check_code(code, profile, "pin", source="typed" if args.code is None else "pasted")
    print(_("Card: {masked} ({platform})").format(
        masked=mask_code(checked.value or code), platform=profile.display_name()), file=out)
    for w in checked.warnings:
        if w.tier != "hint":
            print(f"  - {w.message}", file=out)
    if not checked.ok:
        print(_("This code cannot be bound as it is; nothing was sent."), file=out)
        return 1
    number = args.card_number or ""
    if "card_number" in profile.fields and profile.fields["card_number"].required and not number:
        number = _ask(_("{label}: ").format(
            label=profile.fields["card_number"].display_label()))
    confirmed = args.yes
    if checked.needs_confirmation and not confirmed:
        confirmed = _yes(_("Bind it anyway?"))
        if not confirmed:
            print(_("Not sent."), file=out)
            return 1
    service = build_service(args)
    try:
        card = Card(profile.id, checked.value, number, args.account)
        _state, left = service.budget(card)
        if left == 1 and not args.yes and not _yes(
                _("This is the last attempt on this card. Bind now?")):
            print(_("Not sent."), file=out)
            return 1
        result = bind_interactively(service, card, _verification_asker(out),
                                    confirmed=confirmed)
        if isinstance(result.outcome, AwaitingUser):
            result = _report_manual(service, result, out)
        out.write(format_result(result))
        return _exit_code(result)
    finally:
        service.close()
        service.store.close()


# -- batch ---------------------------------------------------------------------------------------

class _ProgressPrinter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = _tty(stream)
        self._last_done = -1
        self._last_state = ""

    def __call__(self, p: BatchProgress) -> None:
        if p.state == "waiting":
            print(_("\nThe platform asks to slow down; waiting {time}.").format(
                time=_duration(p.wait_s)), file=self.stream, flush=True)
            return
        width = 24
        filled = int(width * p.done / p.total) if p.total else width
        bar = "#" * filled + "." * (width - filled)
        eta = _duration(p.eta_s) if p.eta_s is not None else "—"
        line = _("[{bar}] {done}/{total} · bound {bound} · failed {failed} · ETA {eta}").format(
            bar=bar, done=p.done, total=p.total, bound=p.bound, failed=p.failed, eta=eta)
        if self.tty:
            print("\r" + line, end="", file=self.stream, flush=True)
        elif (p.state != self._last_state or p.total == 0
              or p.done - self._last_done >= max(1, p.total // 10)):
            print(line, file=self.stream, flush=True)
            self._last_done = p.done
        self._last_state = p.state


def _print_plan(plan: BatchPlan, out: TextIO) -> None:
    print(_("{file}: {n} rows ({encoding})").format(
        file=plan.source.name, n=len(plan.rows), encoding=plan.encoding), file=out)
    counts: dict[str, int] = {}
    for row in plan.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    for status, n in sorted(counts.items()):
        print(f"  {status_name(status)}: {n}", file=out)
    shown = 0
    for row in plan.rows:
        if row.status in ("invalid", "needs_confirmation", "duplicate") and shown < 20:
            print(_("  row {row} {card}: {detail}").format(
                row=row.row_no, card=row.masked or "—", detail=row.detail or
                status_name(row.status)), file=out)
            shown += 1


def _print_summary(summary: BatchSummary, results: Path, out: TextIO) -> None:
    print(_("Batch {id}: {bound} of {total} bound.").format(
        id=summary.batch_id, bound=summary.bound, total=summary.total), file=out)
    for status, n in sorted(summary.counts.items()):
        if status != "bound":
            print(f"  {status_name(status)}: {n}", file=out)
    print(_("Results (masked codes): {path}").format(path=results), file=out)


def _batch_verifier(out: TextIO) -> Callable[[int, str, NeedsVerification], str | None] | None:
    if not _tty(sys.stdin):
        return None
    ask = _verification_asker(out)

    def verify(row_no: int, masked: str, need: NeedsVerification) -> str | None:
        print(_("\nRow {row} {card}:").format(row=row_no, card=masked), file=out)
        return ask(need)
    return verify


def run_batch(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path: Path = args.file
    faults = parse_faults(args.faults) if args.faults else None
    settings = load_settings()
    if faults is not None and (args.adapter or settings.adapter) != "sandbox":
        raise FaultSpecError(_("--faults works with the sandbox bind method only."))
    service = build_service(args, faults)
    if not service.adapter.automatic:
        service.close()
        raise AdapterError(_("A batch needs a bind method that works by itself (sandbox or "
                             "http); {name} needs a person for every card.").format(
                                 name=service.adapter.name))
    engine = BatchEngine(service, on_progress=_ProgressPrinter(sys.stderr),
                         verifier=_batch_verifier(out))
    try:
        if args.resume:
            batch_id, plan = engine.reopen(path, args.platform)
            print(_("Resuming batch {id}.").format(id=batch_id), file=out)
        else:
            plan = engine.prepare(path, args.platform, confirm_guides=args.yes)
            earlier = engine.find(path, plan)
            if earlier is not None and earlier.state == "open":
                raise BatchError(_(
                    "An unfinished batch of this file exists (batch {id}). Continue it with "
                    "--resume; cards already bound are never sent again.").format(id=earlier.id))
            _print_plan(plan, out)
            if plan.count("needs_confirmation") and _yes(_(
                    "Bind the {n} rows that need confirmation too?").format(
                        n=plan.count("needs_confirmation"))):
                plan = engine.prepare(path, args.platform, confirm_guides=True)
            if not plan.count("ready"):
                print(_("No row can be bound; nothing was sent."), file=out)
            batch_id = engine.start(plan, {"faults": faults.to_text() if faults else ""})
        summary = _run_with_ctrl_c(engine, batch_id, plan)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        results = args.results or path.with_name(path.stem + ".results.csv")
        export_batch(service.store, batch_id, results)
        _print_summary(summary, results, out)
        if summary.error:
            _err(summary.error)
        print(_("Note: {file} holds full card codes. Keep it safe, or delete it once the "
                "batch is done.").format(file=path.name), file=out)
        if not summary.finished:
            print(_("Not finished: continue with the same command and --resume."), file=out)
            return 3
        return 0
    finally:
        service.close()
        service.store.close()


def _run_with_ctrl_c(engine: BatchEngine, batch_id: int, plan: BatchPlan) -> BatchSummary:
    """First Ctrl-C stops after the current card; a second one stops at once (still safe:
    the journal knows which attempt was out)."""
    if threading.current_thread() is not threading.main_thread():
        return engine.run(batch_id, plan.cards)
    pressed = [0]
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        pressed[0] += 1
        if pressed[0] > 1:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        _err(_("\nStopping safely after the current card… (Ctrl-C again stops at once; "
               "the journal keeps every card safe either way)"))
        engine.stop()

    signal.signal(signal.SIGINT, on_sigint)
    try:
        return engine.run(batch_id, plan.cards)
    finally:
        signal.signal(signal.SIGINT, previous)


# -- history, blacklist, secrets ------------------------------------------------------------

def run_history(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    with Store() as store:
        if args.export:
            n = export_history(store, args.export)
            print(_("{n} history rows written to {path} (masked codes only).").format(
                n=n, path=args.export), file=out)
            return 0
        rows = store.history(args.limit)
        if args.json:
            for h in rows:
                out.write(json.dumps({
                    "at": h.at, "platform": h.platform, "card": h.masked,
                    "card_id": h.card_hash[:16], "status": h.status, "kind": h.kind,
                    "amount": h.amount, "currency": h.currency,
                    "attempts_left": h.attempts_left}, ensure_ascii=False) + "\n")
            return 0
        if not rows:
            print(_("No binds yet."), file=out)
        from core.bind.records import _when

        for h in rows:
            what = (f"{h.amount} {h.currency}" if h.status == "bound"
                    else entry(h.kind).title(h.platform) if h.kind else h.status)
            print(f"{_when(h.at)}  {h.platform:<7} {h.masked}  {what}", file=out)
    return 0


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
            return 0
        if args.action == "export":
            n = export_blacklist(store, args.file)
            print(_("{n} cards written to {path}.").format(n=n, path=args.file), file=out)
            return 0
        if args.action == "import":
            added, problems = import_blacklist(store, hasher, args.file, args.platform)
            for problem in problems:
                print(problem, file=out)
            print(_("{n} cards added to the blacklist.").format(n=added), file=out)
            return 0 if not problems else 1
        platform = args.platform or load_settings().platform
        code = args.code if args.code is not None else _ask_secret(_("Card password: "))
        checked = check_code(code, platform, "pin", source="pasted")
        if not checked.ok:
            print(_("Not a valid code for {platform}.").format(platform=platform), file=out)
            return 1
        card_hash = hasher.hash(platform, checked.value)
        if args.action == "add":
            store.blacklist_add(platform, card_hash, mask_code(checked.value), args.reason)
            print(_("{card} is on the blacklist.").format(card=mask_code(checked.value)),
                  file=out)
        else:
            removed = store.blacklist_remove(platform, card_hash)
            print((_("{card} removed from the blacklist.") if removed
                   else _("{card} was not on the blacklist.")).format(
                       card=mask_code(checked.value)), file=out)
    return 0


def run_secret(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    secrets = Secrets()
    if args.action == "status":
        if not secrets.available():
            raise SecretsUnavailable()
        for name, what in KNOWN.items():
            state = _("set") if secrets.get(name) else _("not set")
            print(f"{name}: {state} — {_(what)}", file=out)
        return 0
    if args.name not in KNOWN or args.name == "card_hash_key":
        print(_("Only these can be set: {names}").format(names="http_token"), file=sys.stderr)
        return 2
    if args.action == "delete":
        secrets.delete(args.name)
        print(_("{name} deleted.").format(name=args.name), file=out)
        return 0
    value = _ask_secret(_("Value for {name} (not shown): ").format(name=args.name)).strip()
    if not value:
        print(_("Nothing entered; nothing changed."), file=out)
        return 1
    secrets.set(args.name, value)
    print(_("{name} stored in the system password store.").format(name=args.name), file=out)
    return 0


# -- registration ---------------------------------------------------------------------------

def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except USER_ERRORS as exc:
            _err(_("cardbind {command}: {error}").format(command=args.command, error=exc))
            return 2
    return run


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bind", help=_("bind one card"),
                       description=_("Check a card code and bind it once, asking for what the "
                                     "platform needs (SMS code, payment password…)."))
    _add_adapter_args(p)
    p.add_argument("--code", default=None,
                   help=_("the card password; omit it to be asked without echo (a code "
                          "on the command line stays in your shell history)"))
    p.add_argument("--card-number", default="",
                   help=_("card number, if the platform needs it"))
    p.add_argument("--yes", "-y", action="store_true",
                   help=_("do not ask to confirm warnings or the last attempt"))
    p.set_defaults(handler=_guarded(run_bind))

    b = sub.add_parser("batch", help=_("bind every card in a CSV or XLSX file"),
                       description=_("Check every row first, then bind with pacing, a progress "
                                     "bar and a crash-safe journal. Ctrl-C stops safely; "
                                     "--resume continues. Results go to a CSV with masked "
                                     "codes."))
    b.add_argument("file", type=Path, metavar="FILE",
                   help=_("CSV or XLSX with columns card_number, pin, platform"))
    _add_adapter_args(b, batch=True)
    b.add_argument("--resume", action="store_true",
                   help=_("continue the earlier batch of this file"))
    b.add_argument("--results", type=Path, default=None,
                   help=_("results file (default: FILE.results.csv)"))
    b.add_argument("--yes", "-y", action="store_true",
                   help=_("also bind rows that need confirmation"))
    b.set_defaults(handler=_guarded(run_batch))

    h = sub.add_parser("history", help=_("show or export the bind history (masked codes)"))
    h.add_argument("--export", type=Path, default=None, metavar="FILE",
                   help=_("write the whole history as CSV"))
    h.add_argument("--limit", type=int, default=20, help=_("rows to show (default: 20)"))
    h.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    h.set_defaults(handler=_guarded(run_history))

    bl = sub.add_parser("blacklist", help=_("cards reported stolen or risky"))
    bl_sub = bl.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    for name, text in (("list", _("show the blacklist")), ("add", _("add a card")),
                       ("remove", _("remove a card"))):
        q = bl_sub.add_parser(name, help=text)
        if name != "list":
            q.add_argument("--platform", "-p", choices=platform_ids(), default=None)
            q.add_argument("--code", default=None, help=_("omit to be asked without echo"))
            q.add_argument("--reason", default="", help=_("why (kept with the entry)"))
    for name, text in (("import", _("add cards from a CSV (codes or exported hashes)")),
                       ("export", _("write the blacklist as CSV (hashes, masked codes)"))):
        q = bl_sub.add_parser(name, help=text)
        q.add_argument("file", type=Path, metavar="FILE")
        q.add_argument("--platform", "-p", choices=platform_ids(), default=None)
    bl.set_defaults(handler=_guarded(run_blacklist))

    s = sub.add_parser("secret", help=_("tokens in the system password store"))
    s_sub = s.add_subparsers(dest="action", required=True, metavar=_("ACTION"))
    s_sub.add_parser("status", help=_("which secrets are stored (never their values)"))
    for name, text in (("set", _("store a secret, asked without echo")),
                       ("delete", _("delete a secret"))):
        q = s_sub.add_parser(name, help=text)
        q.add_argument("name", metavar="NAME", help="http_token")
    s.set_defaults(handler=_guarded(run_secret))

