"""The manual bind methods, core side: `browser-assist` and `handoff`.

Neither talks to a platform. browser-assist opens the profile's official bind page with
the code on the clipboard; handoff shows the code as a QR code and large text for the
customer's own phone. Both answer `AwaitingUser`; the attempt stays open in the journal
until the user reports the outcome (`BindService.report`). The QR is built in memory
(segno) and never written to disk.
"""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field

import segno

from core.bind.adapter import AdapterContext, Availability, BindRequest
from core.bind.card import Card
from core.bind.outcomes import AdapterOutcome, AwaitingUser
from core.codes.profiles import get_profile

log = logging.getLogger(__name__)


def display_code(card: Card) -> str:
    """The code grouped as the platform shows it, e.g. XXXX-XXXX-XXXX-XXXX."""
    return get_profile(card.platform).primary_field.display(card.pin)


@dataclass(frozen=True)
class Handoff:
    """What the handoff screen shows: large grouped text and a QR of the same text."""

    text: str = field(repr=False)
    qr: segno.QRCode = field(repr=False)
    bind_url: str = ""

    def terminal(self) -> str:
        """The QR as text blocks for a terminal (`cardbind bind --adapter handoff`)."""
        import io

        out = io.StringIO()
        self.qr.terminal(out=out, compact=True, border=2)
        return out.getvalue()


def make_handoff(card: Card) -> Handoff:
    text = display_code(card)
    # Error correction M survives a phone held at an angle to a screen; the text is short.
    qr = segno.make(text, error="m", micro=False)
    return Handoff(text, qr, get_profile(card.platform).bind_url)


class BrowserAssistAdapter:
    name = "browser-assist"
    automatic = False

    def __init__(
        self,
        open_url: Callable[[str], bool] | None = None,
        copy_text: Callable[[str], None] | None = None,
    ) -> None:
        self._open_url = open_url or webbrowser.open
        self._copy_text = copy_text

    def is_available(self) -> Availability:
        return Availability(True)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        # The platform's own page asks for them; cardbind never sees them.
        return ()

    def bind(self, request: BindRequest) -> AdapterOutcome:
        profile = get_profile(request.card.platform)
        code = display_code(request.card)
        if self._copy_text is not None:
            self._copy_text(code)
        if profile.bind_url:
            try:
                self._open_url(profile.bind_url)
            except Exception as exc:  # no browser is not a reason to lose the attempt
                log.warning("cannot open the bind page: %s", type(exc).__name__)
        return AwaitingUser("open_url", profile.bind_url, code)

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        return None

    def close(self) -> None:
        pass


class HandoffAdapter:
    name = "handoff"
    automatic = False

    def is_available(self) -> Availability:
        return Availability(True)

    def verification_kinds(self, platform: str) -> tuple[str, ...]:
        return ()

    def bind(self, request: BindRequest) -> AdapterOutcome:
        handoff = make_handoff(request.card)
        return AwaitingUser("show_qr", handoff.bind_url, handoff.text)

    def lookup(self, idempotency_key: str) -> AdapterOutcome | None:
        return None

    def close(self) -> None:
        pass


def create_browser_assist(context: AdapterContext) -> BrowserAssistAdapter:
    return BrowserAssistAdapter(context.open_url, context.copy_text)


def create_handoff(context: AdapterContext) -> HandoffAdapter:
    return HandoffAdapter()
