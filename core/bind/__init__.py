"""Binding: adapters, attempt budget, journal, history, and the batch engine.

What a GUI worker uses:

- `BindService(adapter, store, ...)`.bind(card, verification=..., cancel=...) → BindResult
- `BatchEngine(service, ...)`: prepare → start/reopen → run, with pause/resume/stop
- outcome types in `core.bind.outcomes`, advice in `core.bind.knowledge`
"""
