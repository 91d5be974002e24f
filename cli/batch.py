"""`cardbind batch FILE`: check every row first, then bind with pacing, a progress bar and
the crash-safe journal; Ctrl-C stops safely and `--resume` continues."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TextIO

from cli.bind import verification_asker
from cli.service import add_adapter_args, build_service
from cli.term import err, tty, yes
from core.bind.adapter import AdapterError
from core.bind.adapters.faults import FaultSpecError, parse_faults
from core.bind.batch import BatchEngine
from core.bind.batch.state import BatchError, BatchPlan, BatchProgress, BatchSummary, status_name
from core.bind.outcomes import NeedsVerification
from core.bind.records import export_batch
from core.errors import ExitCode
from core.i18n import _, duration_text
from core.settings import load as load_settings


class _ProgressPrinter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = tty(stream)
        self._last_done = -1
        self._last_state = ""

    def __call__(self, p: BatchProgress) -> None:
        if p.state == "waiting":
            print(
                _("\nThe platform asks to slow down; waiting {time}.").format(
                    time=duration_text(p.wait_s)
                ),
                file=self.stream,
                flush=True,
            )
            return
        width = 24
        filled = int(width * p.done / p.total) if p.total else width
        bar = "#" * filled + "." * (width - filled)
        eta = duration_text(p.eta_s) if p.eta_s is not None else "—"
        line = _("[{bar}] {done}/{total} · bound {bound} · failed {failed} · ETA {eta}").format(
            bar=bar, done=p.done, total=p.total, bound=p.bound, failed=p.failed, eta=eta
        )
        if self.tty:
            print("\r" + line, end="", file=self.stream, flush=True)
        elif (
            p.state != self._last_state
            or p.total == 0
            or p.done - self._last_done >= max(1, p.total // 10)
        ):
            print(line, file=self.stream, flush=True)
            self._last_done = p.done
        self._last_state = p.state


def _print_plan(plan: BatchPlan, out: TextIO) -> None:
    print(
        _("{file}: {n} rows ({encoding})").format(
            file=plan.source.name, n=len(plan.rows), encoding=plan.encoding
        ),
        file=out,
    )
    counts: dict[str, int] = {}
    for row in plan.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    for status, n in sorted(counts.items()):
        print(f"  {status_name(status)}: {n}", file=out)
    shown = 0
    for row in plan.rows:
        if row.status in ("invalid", "needs_confirmation", "duplicate") and shown < 20:
            print(
                _("  row {row} {card}: {detail}").format(
                    row=row.row_no,
                    card=row.masked or "—",
                    detail=row.detail or status_name(row.status),
                ),
                file=out,
            )
            shown += 1


def _print_summary(summary: BatchSummary, results: Path, out: TextIO) -> None:
    print(
        _("Batch {id}: {bound} of {total} bound.").format(
            id=summary.batch_id, bound=summary.bound, total=summary.total
        ),
        file=out,
    )
    for status, n in sorted(summary.counts.items()):
        if status != "bound":
            print(f"  {status_name(status)}: {n}", file=out)
    print(_("Results (masked codes): {path}").format(path=results), file=out)


def _batch_verifier(out: TextIO) -> Callable[[int, str, NeedsVerification], str | None] | None:
    if not tty(sys.stdin):
        return None
    ask = verification_asker(out)

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
        raise AdapterError(
            _(
                "A batch needs a bind method that works by itself (sandbox or "
                "http); {name} needs a person for every card."
            ).format(name=service.adapter.name)
        )
    engine = BatchEngine(
        service, on_progress=_ProgressPrinter(sys.stderr), verifier=_batch_verifier(out)
    )
    try:
        if args.resume:
            batch_id, plan = engine.reopen(path, args.platform)
            print(_("Resuming batch {id}.").format(id=batch_id), file=out)
        else:
            plan = engine.prepare(path, args.platform, confirm_guides=args.yes)
            earlier = engine.find(path, plan)
            if earlier is not None and earlier.state == "open":
                raise BatchError(
                    _(
                        "An unfinished batch of this file exists (batch {id}). Continue it with "
                        "--resume; cards already bound are never sent again."
                    ).format(id=earlier.id)
                )
            _print_plan(plan, out)
            if plan.count("needs_confirmation") and yes(
                _("Bind the {n} rows that need confirmation too?").format(
                    n=plan.count("needs_confirmation")
                )
            ):
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
            err(summary.error)
        print(
            _(
                "Note: {file} holds full card codes. Keep it safe, or delete it once the "
                "batch is done."
            ).format(file=path.name),
            file=out,
        )
        if not summary.finished:
            print(_("Not finished: continue with the same command and --resume."), file=out)
            return ExitCode.RETRY_LATER
        return ExitCode.OK
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
        err(
            _(
                "\nStopping safely after the current card… (Ctrl-C again stops at once; "
                "the journal keeps every card safe either way)"
            )
        )
        engine.stop()

    signal.signal(signal.SIGINT, on_sigint)
    try:
        return engine.run(batch_id, plan.cards)
    finally:
        signal.signal(signal.SIGINT, previous)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser(
        "batch",
        help=_("bind every card in a CSV or XLSX file"),
        description=_(
            "Check every row first, then bind with pacing, a progress "
            "bar and a crash-safe journal. Ctrl-C stops safely; "
            "--resume continues. Results go to a CSV with masked "
            "codes."
        ),
    )
    b.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=_("CSV or XLSX with columns card_number, pin, platform"),
    )
    add_adapter_args(b, batch=True)
    b.add_argument(
        "--resume", action="store_true", help=_("continue the earlier batch of this file")
    )
    b.add_argument(
        "--results", type=Path, default=None, help=_("results file (default: FILE.results.csv)")
    )
    b.add_argument(
        "--yes", "-y", action="store_true", help=_("also bind rows that need confirmation")
    )
    b.set_defaults(handler=run_batch)
