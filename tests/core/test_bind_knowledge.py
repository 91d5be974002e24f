"""Knowledge base, outcome wire format, secrets, registry and manual adapters."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail, null

from core.bind import registry
from core.bind.adapter import AdapterContext, AdapterError, BindRequest
from core.bind.adapters.manual import BrowserAssistAdapter, HandoffAdapter, make_handoff
from core.bind.card import Card, CardHasher
from core.bind.clock import FakeClock
from core.bind.knowledge import entries, entry
from core.bind.outcomes import (
    ERROR_KINDS,
    AwaitingUser,
    BadOutcome,
    BindResult,
    Bound,
    NeedsVerification,
    Refused,
    Rejected,
    RetryLater,
    outcome_from_json,
    outcome_to_json,
)
from core.bind.store import Store
from core.i18n import set_language
from core.resources import resource_path
from core.secrets import Secrets, SecretsUnavailable
from core.settings import Settings
from tests.support.fixtures import make_service
from tests.support.keyrings import MemoryKeyring


def _texts(node: Any, where: str = "") -> list[tuple[str, dict[str, str]]]:
    """Every bilingual text table in the knowledge file."""
    found: list[tuple[str, dict[str, str]]] = []
    if isinstance(node, dict):
        if "en" in node or "zh_CN" in node:
            return [(where, node)]
        for k, v in node.items():
            found += _texts(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _texts(v, f"{where}[{i}]")
    return found


def test_every_kind_has_an_entry_and_every_text_both_languages() -> None:
    assert set(ERROR_KINDS) <= set(entries())
    data = tomllib.loads(resource_path("knowledge", "failures.toml").read_text("utf-8"))
    texts = _texts(data)
    assert len(texts) > 100
    for where, text in texts:
        assert text.get("zh_CN", "").strip(), where
        assert text.get("en", "").strip(), where
    for kind in ERROR_KINDS:
        e = entry(kind)
        assert e.tier in ("hint", "guide", "block")
        assert e.steps()
        assert e.expected_time()


SEEDED = ("not_found", "not_activated", "frozen", "region_mismatch", "network_timeout")


def test_seed_figures_stay_in_the_data_labelled_for_maintainers() -> None:
    rates = {k: entry(k).success_rate for k in SEEDED}
    assert rates == {
        "not_found": 0.89,
        "not_activated": 0.98,
        "frozen": 0.76,
        "region_mismatch": 0.65,
        "network_timeout": 0.82,
    }
    for kind in SEEDED:
        e = entry(kind)
        assert e.scenario is not None
        assert e.scenario.source == "seed"
        assert e.time_source == "seed"
        assert e.expected_time()  # kept for maintainers…
        assert e.shown_time("jd") == ""  # …never shown to users
        assert e.to_json("jd")["success_source"] == "seed"


def test_users_see_only_the_waits_cardbind_keeps() -> None:
    shown = {k: entry(k).shown_time("jd") for k in ERROR_KINDS if entry(k).shown_time("jd")}
    assert shown == {"too_frequent": "about 300 seconds", "card_locked": "about 24 hours"}


def test_no_user_text_of_the_knowledge_base_quotes_the_source() -> None:
    for lang in ("en", "zh_CN"):
        set_language(lang)
        for kind in ERROR_KINDS:
            e = entry(kind)
            text = " ".join([e.title("jd"), e.explanation("jd"), *e.steps("jd")])
            for figure in ("source article", "来源文章", "原始文章", "%", "48", "300 ms"):
                assert figure not in text, (lang, kind, figure)


def test_advice_names_the_platform_and_its_channel() -> None:
    steps = " ".join(entry("already_bound_other").steps("jd"))
    assert "JD E-card" in steps
    assert "support ticket" in steps
    set_language("zh_CN")
    assert "京东E卡" in entry("not_found").explanation("jd")
    assert "{" not in " ".join(entry("card_locked").steps("suning"))


@pytest.mark.parametrize(
    "outcome",
    [
        Bound(Decimal("100.00"), "CNY", None, "ref"),
        Rejected("expired", 2, "gone"),
        NeedsVerification("sms", "code 123"),
        RetryLater("too_frequent", 30.0),
        Refused("card_locked", "", 1.5e9),
        AwaitingUser("open_url", "https://x"),
    ],
)
def test_outcomes_survive_the_wire(outcome: Any) -> None:
    assert outcome_from_json(outcome_to_json(outcome)) == outcome


def test_bind_result_summaries_are_masked_and_translated() -> None:
    result = BindResult(Rejected("not_found", 1), "jd", "E71D-****-****-50BA", "h", attempts_left=1)
    assert result.summary() == (
        "E71D-****-****-50BA: Code not found or mistyped. Attempts left on this card: 1."
    )
    assert result.knowledge is not None
    assert result.knowledge.tier == "guide"


def test_card_repr_never_shows_the_code() -> None:
    card = Card("jd", "E71D5E4733ED50BA")
    assert "5E47" not in repr(card)
    assert "5E47" not in f"{card}"
    assert "BA)" in repr(card)  # as a mask shows it
    assert "E71D" not in repr(AwaitingUser("show_qr", "", "E71D-5E47-33ED-50BA"))


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_no_usable_keyring_is_a_clear_error(backend: Any) -> None:
    with pytest.raises(SecretsUnavailable) as info:
        Secrets(backend).get_or_create("card_hash_key")
    assert "never falls back to a plain-text file" in str(info.value)


def test_a_failing_or_forgetful_keyring_is_refused() -> None:
    class Broken(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise RuntimeError("dbus is gone")

    class Forgetful(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            pass

    with pytest.raises(SecretsUnavailable, match="dbus is gone"):
        Secrets(Broken()).get("x")
    with pytest.raises(SecretsUnavailable):
        Secrets(Forgetful()).set("x", "y")


def test_keyed_hash_depends_on_the_key_and_the_platform() -> None:
    a = CardHasher(key=b"a" * 32)
    assert a.hash("jd", "E71D5E4733ED50BA") == a.hash("jd", "E71D5E4733ED50BA")
    assert a.hash("jd", "E71D5E4733ED50BA") != a.hash("pdd", "E71D5E4733ED50BA")
    assert a.hash("jd", "E71D5E4733ED50BA") != CardHasher(key=b"b" * 32).hash(
        "jd", "E71D5E4733ED50BA"
    )


def test_registry_has_the_builtins_and_finds_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = EntryPoint("mine", "tests.core.test_bind_knowledge:_plugin", "cardbind.adapters")
    shadow = EntryPoint("sandbox", "evil:create", "cardbind.adapters")
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin, shadow])
    names = registry.adapter_names()
    assert names[:4] == ["sandbox", "http", "browser-assist", "handoff"]
    assert "mine" in names
    assert registry.adapters()["sandbox"].builtin
    adapter = registry.create_adapter("mine", AdapterContext(Settings()))
    assert adapter.name == "mine"
    with pytest.raises(registry.UnknownAdapter, match="known: sandbox"):
        registry.create_adapter("nope", AdapterContext(Settings()))


def test_a_broken_plugin_is_listed_and_says_why_when_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = EntryPoint("broken", "no_such_module_here:create", "cardbind.adapters")
    monkeypatch.setattr(registry, "entry_points", lambda group: [broken])
    assert "broken" in registry.adapter_names()  # the app still starts and lists it
    with pytest.raises(AdapterError, match="The bind method broken cannot be loaded"):
        registry.create_adapter("broken", AdapterContext(Settings()))


def _plugin(context: AdapterContext) -> HandoffAdapter:
    adapter = HandoffAdapter()
    adapter.name = "mine"
    return adapter


def test_browser_assist_opens_the_page_and_waits_for_the_report(tmp_path: Path) -> None:
    opened: list[str] = []
    copied: list[str] = []
    clock = FakeClock()
    store = Store(tmp_path / "b.sqlite3", clock)

    def open_url(url: str) -> bool:
        opened.append(url)
        return True

    adapter = BrowserAssistAdapter(open_url, copied.append)
    service = make_service(adapter, store, clock)
    result = service.bind(Card("jd", "E71D5E4733ED50BA"))
    assert isinstance(result.outcome, AwaitingUser)
    assert result.attempt_key
    assert opened == ["https://mygiftcard.jd.com/giftcard/myGiftCardInit.action"]
    assert copied == ["E71D-5E47-33ED-50BA"]
    assert store.budget("jd", result.card_hash).used == 1
    again = service.bind(Card("jd", "E71D5E4733ED50BA"))  # same open attempt, shown again
    assert again.attempt_key == result.attempt_key
    reported = service.report(result.attempt_key, Bound(Decimal("50"), "CNY"))
    assert reported is not None
    assert reported.ok
    assert [h.status for h in store.history()] == ["bound"]


def test_handoff_qr_holds_the_grouped_code(tmp_path: Path) -> None:
    handoff = make_handoff(Card("jd", "E71D5E4733ED50BA"))
    assert handoff.text == "E71D-5E47-33ED-50BA"
    assert handoff.qr.symbol_size()[0] > 20
    assert "E71D" not in repr(handoff)
    clock = FakeClock()
    store = Store(tmp_path / "h.sqlite3", clock)
    service = make_service(HandoffAdapter(), store, clock)
    result = service.bind(Card("jd", "E71D5E4733ED50BA"))
    assert result.attempt_key is not None
    assert service.report(result.attempt_key, None) is not None  # customer gave up
    assert store.budget("jd", result.card_hash).used == 0
    assert BindRequest(Card("jd", "X"), "k", {"sms": "123456"}).__repr__().count("123456") == 0


def test_bad_outcomes_are_refused() -> None:
    for bad in (
        {"status": "bound", "amount": "-1", "currency": "CNY"},
        {"status": "rejected", "error": "invalid_code"},
        {"status": "needs_verification", "verification": "dna"},
    ):
        with pytest.raises(BadOutcome):
            outcome_from_json(bad)
