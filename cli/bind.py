"""`cardbind bind`: check one card's code and bind it once, asking for what the platform
needs (SMS code, payment password…) and, for a manual method, for what the platform said."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TextIO

from cli.service import add_adapter_args, build_service
from cli.term import ask, ask_secret, tty, yes
from core.bind.adapters.manual import make_handoff
from core.bind.card import Card
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
from core.bind.service import BindService, bind_interactively
from core.codes.check import check_code
from core.codes.mask import mask_code
from core.codes.profiles import VERIFICATION_KINDS, get_profile
from core.errors import ExitCode
from core.i18n import _
from core.settings import load as load_settings


def format_result(result: BindResult) -> str:
    o = result.outcome
    lines = [result.summary()]
    if isinstance(o, Bound):
        if o.credited_at is not None:
            lines.append(
                _("Credited: {when}").format(
                    when=o.credited_at.astimezone().isoformat(timespec="minutes")
                )
            )
        return "\n".join(lines) + "\n"
    if isinstance(o, NeedsVerification):
        return "\n".join(lines) + "\n"
    advice = result.knowledge
    if advice is not None:
        lines.append(advice.explanation(result.platform))
        for n, step in enumerate(advice.steps(result.platform), start=1):
            lines.append(f"  {n}. {step}")
        lines.append(_("Expected time: {time}").format(time=advice.expected_time(result.platform)))
        if advice.success_text():
            lines.append(advice.success_text())
    if isinstance(o, Refused) and o.detail:
        lines.append(o.detail)
    if (
        result.attempts_left is not None
        and not isinstance(o, Rejected)
        and o.kind != "already_bound_self"
    ):
        lines.append(_("Attempts left on this card: {n}.").format(n=result.attempts_left))
    return "\n".join(lines) + "\n"


def exit_code(result: BindResult) -> ExitCode:
    o = result.outcome
    if isinstance(o, Bound) or (
        isinstance(o, Rejected | Refused) and o.kind == "already_bound_self"
    ):
        return ExitCode.OK
    if isinstance(o, NeedsVerification):
        return ExitCode.NEEDS_VERIFICATION
    if isinstance(o, RetryLater | AwaitingUser):
        return ExitCode.RETRY_LATER
    return ExitCode.ERROR


def verification_asker(result_out: TextIO) -> Callable[[NeedsVerification], str | None]:
    def ask_for(need: NeedsVerification) -> str | None:
        if need.prompt:
            print(need.prompt, file=result_out)
        label = _(VERIFICATION_KINDS.get(need.verification, need.verification))
        value = ask_secret(_("{what} (empty to stop): ").format(what=label))
        return value.strip() or None

    return ask_for


def _report_manual(service: BindService, result: BindResult, out: TextIO) -> BindResult:
    o = result.outcome
    if not isinstance(o, AwaitingUser) or result.attempt_key is None:
        return result
    if o.action == "show_qr":
        print(_("Show this to the customer; they bind on their own phone:"), file=out)
        print(
            make_handoff(
                Card(
                    result.platform,
                    o.payload.replace(get_profile(result.platform).primary_field.separator, ""),
                )
            ).terminal(),
            file=out,
        )
    else:
        print(_("Bind on the platform's own page: {url}").format(url=o.url or "—"), file=out)
        print(_("Paste or type this code there:"), file=out)
    print(f"\n    {o.payload}\n", file=out)
    if not tty(sys.stdin):
        print(_("Record the result later with the GUI; the attempt stays open."), file=out)
        return result
    answer = ask(_("What did the platform say? [b] bound  [r] refused  [n] not tried: "))
    if answer.lower().startswith("b"):
        raw = ask(_("Amount credited (empty if not shown): "))
        try:
            amount = Decimal(raw) if raw else Decimal("0")
        except InvalidOperation:
            amount = Decimal("0")
        done = service.report(result.attempt_key, Bound(amount, "CNY"))
    elif answer.lower().startswith("r"):
        kinds = [k for k in PLATFORM_KINDS if k not in ("network_timeout", "platform_fault")]
        for n, kind in enumerate(kinds, start=1):
            print(f"  {n}. {entry(kind).title(result.platform)}", file=out)
        raw = ask(_("Which one (number)? "))
        kind = kinds[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= len(kinds) else "not_found"
        done = service.report(result.attempt_key, Rejected(kind))  # type: ignore[arg-type]
    else:
        done = service.report(result.attempt_key, None)
    return done or result


def run_bind(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    settings = load_settings()
    platform = args.platform or settings.platform
    profile = get_profile(platform)
    code = (
        args.code
        if args.code is not None
        else ask_secret(
            _("{label} for {platform} (not shown): ").format(
                label=profile.primary_field.display_label(), platform=profile.display_name()
            )
        )
    )
    checked = check_code(code, profile, "pin", source="typed" if args.code is None else "pasted")
    print(
        _("Card: {masked} ({platform})").format(
            masked=mask_code(checked.value or code), platform=profile.display_name()
        ),
        file=out,
    )
    for w in checked.warnings:
        if w.tier != "hint":
            print(f"  - {w.message}", file=out)
    if not checked.ok:
        print(_("This code cannot be bound as it is; nothing was sent."), file=out)
        return ExitCode.ERROR
    number = args.card_number or ""
    if "card_number" in profile.fields and profile.fields["card_number"].required and not number:
        number = ask(_("{label}: ").format(label=profile.fields["card_number"].display_label()))
    confirmed = args.yes
    if checked.needs_confirmation and not confirmed:
        confirmed = yes(_("Bind it anyway?"))
        if not confirmed:
            print(_("Not sent."), file=out)
            return ExitCode.ERROR
    service = build_service(args)
    try:
        card = Card(profile.id, checked.value, number, args.account)
        _state, left = service.budget(card)
        if (
            left == 1
            and not args.yes
            and not yes(_("This is the last attempt on this card. Bind now?"))
        ):
            print(_("Not sent."), file=out)
            return ExitCode.ERROR
        result = bind_interactively(service, card, verification_asker(out), confirmed=confirmed)
        if isinstance(result.outcome, AwaitingUser):
            result = _report_manual(service, result, out)
        out.write(format_result(result))
        return exit_code(result)
    finally:
        service.close()
        service.store.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "bind",
        help=_("bind one card"),
        description=_(
            "Check a card code and bind it once, asking for what the "
            "platform needs (SMS code, payment password…)."
        ),
    )
    add_adapter_args(p)
    p.add_argument(
        "--code",
        default=None,
        help=_(
            "the card password; omit it to be asked without echo (a code "
            "on the command line stays in your shell history)"
        ),
    )
    p.add_argument("--card-number", default="", help=_("card number, if the platform needs it"))
    p.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help=_("do not ask to confirm warnings or the last attempt"),
    )
    p.set_defaults(handler=run_bind)
