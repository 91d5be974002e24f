"""A platform's "too frequent, wait": kept per platform, bind method and account, never
longer than the profile's documented cool-down, listed, and cleared on request."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from cli.main import main
from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.batch import BatchEngine
from core.bind.card import Card
from core.bind.clock import MAX_WAIT_S, Cancelled, CancelToken, FakeClock, SystemClock
from core.bind.outcomes import RetryLater
from core.bind.store import Store
from core.bind.store.pacing import max_cooldown_s
from core.codes.profiles import get_profile
from core.i18n import set_language
from tests.core.test_bind_service import JD_CODE, Scripted
from tests.support.fixtures import make_service

HUGE = 99_999_999_999.0  # a server's Retry-After: 3,170 years
JD_MAX = float(get_profile("jd").cooldown_seconds.value or 0)


class Named(Scripted):
    def __init__(self, name: str, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.name = name


def test_the_profiles_maximum_is_the_documented_cool_down() -> None:
    assert JD_MAX == 300  # resources/platforms/jd.toml: "about 60 s to 5 min"
    assert max_cooldown_s("jd") == JD_MAX
    assert max_cooldown_s("no-such-platform") == 60


def test_a_huge_retry_after_is_capped_where_it_is_kept_and_where_it_is_said(
    store: Store, clock: FakeClock
) -> None:
    http = Named("http", [RetryLater("too_frequent", HUGE)])
    result = make_service(http, store, clock).bind(Card("jd", JD_CODE))
    assert isinstance(result.outcome, RetryLater)
    assert result.outcome.after_s == JD_MAX  # what a batch would sleep on
    assert store.cooldown_left("jd", "http", "") == JD_MAX
    [c] = store.cooldowns()
    assert (c.platform, c.adapter, c.account, c.left_s) == ("jd", "http", "", JD_MAX)
    clock.advance(JD_MAX + 1)
    assert store.cooldowns() == []


def test_one_services_pause_never_holds_the_sandbox_or_another_account(
    store: Store, clock: FakeClock, ledger: SandboxLedger
) -> None:
    http = Named("http", [RetryLater("too_frequent", 120)])
    make_service(http, store, clock).bind(Card("jd", JD_CODE))
    # The same platform through the same service and account: held, nothing sent.
    held = make_service(http, store, clock).bind(Card("jd", "E71D5E4733ED50BB"))
    assert isinstance(held.outcome, RetryLater)
    assert held.outcome.after_s == 120
    assert len(http.binds) == 1
    # Another account through the same service goes out.
    make_service(http, store, clock).bind(Card("jd", "E71D5E4733ED50BC", account="bob"))
    assert len(http.binds) == 2
    # The sandbox on the same platform binds as if nothing happened.
    card = ledger.create_cards("jd", 1, seed=9)[0]
    sandbox = make_service(SandboxAdapter(ledger, clock=clock), store, clock)
    assert sandbox.bind(Card("jd", card.pin)).ok


def test_a_pause_only_grows_but_never_past_the_maximum(store: Store, clock: FakeClock) -> None:
    assert store.set_cooldown("jd", "http", "", 200) == 200
    assert store.set_cooldown("jd", "http", "", 10) == 10
    assert store.cooldown_left("jd", "http", "") == 200  # another process cannot shorten it
    assert store.set_cooldown("jd", "http", "", float("inf")) == JD_MAX
    assert store.set_cooldown("jd", "http", "", float("nan")) == 0
    assert store.set_cooldown("jd", "http", "", -5) == 0
    assert store.cooldown_left("jd", "http", "") == JD_MAX


def test_a_pause_stored_longer_by_an_older_version_reads_as_the_maximum(
    store: Store, clock: FakeClock
) -> None:
    with store.tx() as c:
        c.execute(
            "INSERT INTO cooldowns (platform, adapter, account, until, set_at) "
            "VALUES ('jd', 'sandbox', '', ?, ?)",
            (clock.time() + HUGE, clock.time()),
        )
    assert store.cooldown_left("jd", "sandbox", "") == JD_MAX
    assert store.cooldowns()[0].left_s == JD_MAX


def test_clearing_all_or_only_the_matching_pauses(store: Store, clock: FakeClock) -> None:
    store.set_cooldown("jd", "http", "", 100)
    store.set_cooldown("jd", "sandbox", "alice", 100)
    store.set_cooldown("pdd", "http", "", 100)
    assert store.clear_cooldowns(platform="jd", adapter="http") == 1
    assert [(c.platform, c.adapter) for c in store.cooldowns()] == [
        ("jd", "sandbox"),
        ("pdd", "http"),
    ]
    assert store.clear_cooldowns(account="alice") == 1
    assert store.clear_cooldowns() == 1
    assert store.cooldowns() == []
    assert store.clear_cooldowns() == 0


def test_a_batch_waits_the_capped_pause_and_goes_on(
    tmp_path: Path, ledger: SandboxLedger, store: Store, clock: FakeClock
) -> None:
    ledger.set_config(rate_limit=2, rate_window_s=60, retry_after_s=HUGE)
    cards = ledger.create_cards("jd", 4, seed=5)
    path = tmp_path / "cards.csv"
    path.write_text(
        "card_number,pin,platform\n" + "".join(f"{c.card_number},{c.pin},jd\n" for c in cards)
    )
    engine = BatchEngine(make_service(SandboxAdapter(ledger, clock=clock), store, clock))
    plan = engine.prepare(path, "jd")
    summary = engine.run(engine.start(plan), plan.cards)
    assert summary.bound == 4
    assert clock.slept
    assert max(clock.slept) <= JD_MAX


def test_no_wait_is_ever_longer_than_the_system_takes() -> None:
    token = CancelToken()
    token.cancel()
    # threading.Event.wait(1e300) raises OverflowError; ours waits at most MAX_WAIT_S.
    assert token.wait(1e300) is True
    assert token.wait(float("inf")) is True
    with pytest.raises(Cancelled):
        SystemClock().sleep(float("inf"), token)
    assert MAX_WAIT_S <= threading.TIMEOUT_MAX
    started = time.monotonic()
    SystemClock().sleep(float("nan"))
    SystemClock().sleep(-1)
    assert time.monotonic() - started < 1
    fake = FakeClock()
    fake.sleep(HUGE)
    assert fake.slept == [MAX_WAIT_S]


@pytest.fixture
def journal_with_pauses(clock: FakeClock) -> None:
    """The default journal (the session's temporary data folder) with two pauses."""
    with Store() as store:
        store.clear_cooldowns()
        store.set_cooldown("jd", "http", "", HUGE)
        store.set_cooldown("jd", "sandbox", "alice", 30)


def test_cli_lists_the_pauses_with_the_time_left(
    journal_with_pauses: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cooldown", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("JD E-card through Sandbox")
    assert lines[0].endswith(", account alice: 30 s left") or lines[0].endswith(
        ", account alice: 29 s left"
    )
    assert lines[1].startswith("JD E-card through Bind service over HTTP")
    assert lines[1].endswith("5 min 0 s left") or lines[1].endswith("4 min 59 s left")
    assert main(["cooldown", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["adapter"], r["account"]) for r in rows] == [("sandbox", "alice"), ("http", "")]
    assert all(0 < r["left_s"] <= JD_MAX for r in rows)


def test_cli_clears_the_matching_pauses(
    journal_with_pauses: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cooldown", "clear", "--platform", "jd", "--adapter", "http"]) == 0
    assert capsys.readouterr().out.startswith("1 cool-down cleared.")
    assert main(["cooldown", "list"]) == 0
    assert "Sandbox" in capsys.readouterr().out
    assert main(["cooldown", "clear"]) == 0
    capsys.readouterr()
    assert main(["cooldown", "list"]) == 0
    assert capsys.readouterr().out == (
        "No cool-down is running: every platform may be bound now.\n"
    )
    assert main(["cooldown", "clear"]) == 0
    assert capsys.readouterr().out == "No cool-down to clear.\n"


def test_cli_in_chinese(journal_with_pauses: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh_CN", "cooldown", "list"]) == 0
    out = capsys.readouterr().out
    assert "京东E卡" in out
    assert "还要等" in out
    set_language("en")
