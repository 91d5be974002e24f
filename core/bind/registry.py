"""Which bind methods exist: the built-ins, then plug-ins in the entry-point group
`cardbind.adapters` (each a factory `(AdapterContext) -> Adapter`).

A plug-in cannot replace a built-in. A broken one is still listed by its name and does
not stop the app: choosing it says, in words, why it cannot be loaded (`AdapterError`).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

from core.bind.adapter import Adapter, AdapterContext, AdapterFactory
from core.codes.mask import redact
from core.errors import UsageError
from core.i18n import N_, _

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "cardbind.adapters"


@dataclass(frozen=True)
class AdapterInfo:
    name: str
    target: str  # "module:factory"
    title: str  # msgid, translated when shown
    builtin: bool = True

    def display_title(self) -> str:
        return _(self.title) if self.builtin else self.title

    def factory(self) -> AdapterFactory:
        module, _sep, attr = self.target.partition(":")
        found: AdapterFactory = getattr(importlib.import_module(module), attr)
        return found


BUILTINS: dict[str, AdapterInfo] = {
    info.name: info
    for info in (
        AdapterInfo(
            "sandbox",
            "core.bind.adapters.sandbox:create",
            N_("Sandbox (simulated platforms, for practice and tests)"),
        ),
        AdapterInfo(
            "http",
            "core.bind.adapters.http:create",
            N_("Bind service over HTTP (a store's or company's own)"),
        ),
        AdapterInfo(
            "browser-assist",
            "core.bind.adapters.manual:create_browser_assist",
            N_("Browser assist (the platform's own page, you press bind)"),
        ),
        AdapterInfo(
            "handoff",
            "core.bind.adapters.manual:create_handoff",
            N_("Handoff (QR code for the customer's own phone)"),
        ),
    )
}


class UnknownAdapter(UsageError, KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.message = _("Unknown bind method {name}; known: {known}").format(
            name=name, known=", ".join(known)
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def adapters() -> dict[str, AdapterInfo]:
    found = dict(BUILTINS)
    try:
        eps = list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception as exc:  # a broken installed distribution must not stop the app
        log.warning("cannot read entry points: %s", exc)
        eps = []
    for ep in eps:
        if ep.name in BUILTINS:
            if ep.value != BUILTINS[ep.name].target:
                log.warning("plug-in adapter %s ignored: the name is a built-in", ep.name)
            continue
        found[ep.name] = AdapterInfo(ep.name, ep.value, ep.name, builtin=False)
    return found


def adapter_names() -> list[str]:
    return list(adapters())


def create_adapter(name: str, context: AdapterContext) -> Adapter:
    infos = adapters()
    info = infos.get(name)
    if info is None:
        raise UnknownAdapter(name, list(infos))
    try:
        factory = info.factory()
    except Exception as exc:
        from core.bind.adapter import AdapterError

        raise AdapterError(
            _("The bind method {name} cannot be loaded: {error}").format(
                name=name, error=redact(str(exc))
            )
        ) from exc
    return factory(context)
