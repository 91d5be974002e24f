"""Fixtures for the binding tests: memory keyring, fake clock, sandbox, store, service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from core.bind.adapters.ledger import SandboxLedger
from core.bind.adapters.sandbox import SandboxAdapter
from core.bind.card import CardHasher
from core.bind.clock import FakeClock
from core.bind.service import BindPolicy, BindService
from core.bind.store import Store
from core.secrets import Secrets
from tests.support.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ledger(tmp_path: Path, clock: FakeClock) -> Iterator[SandboxLedger]:
    led = SandboxLedger(tmp_path / "sandbox.sqlite3", clock)
    led.set_config(verification="none", rate_limit=0)
    yield led
    led.close()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    st = Store(tmp_path / "bind.sqlite3", clock)
    yield st
    st.close()


# No pacing, retries that wait milliseconds, and a breaker that opens after 3 failures.
QUICK_POLICY = BindPolicy(
    pacing_s=0,
    retries=4,
    retry_base_s=0.01,
    retry_max_s=0.05,
    breaker_threshold=3,
    breaker_reset_s=60,
)


def make_service(
    adapter: object, store: Store, clock: FakeClock, policy: BindPolicy = QUICK_POLICY
) -> BindService:
    return BindService(
        adapter,  # type: ignore[arg-type]
        store,
        hasher=CardHasher(Secrets()),
        policy=policy,
        clock=clock,
    )


@pytest.fixture
def sandbox_service(ledger: SandboxLedger, store: Store, clock: FakeClock) -> BindService:
    return make_service(SandboxAdapter(ledger, clock=clock), store, clock)
