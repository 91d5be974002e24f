"""Secrets go to an operating system's store only, unless the user names another: a
plain-text keyring that `keyring` picks by itself is "no keyring"."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import keyring
import pytest
from keyring.backends import SecretService, chainer

from core.bind.card import CardHasher
from core.secrets import Secrets, SecretsUnavailable
from tests.support.keyrings import MemoryKeyring


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt.file.PlaintextKeyring: a file anyone with the disk reads."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class FakeSecretService(MemoryKeyring, SecretService.Keyring):
    """An OS store by its class (a Secret Service), keeping values in memory."""


@pytest.fixture
def picked_by_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As on a user's machine: nothing named in the environment or keyring's config."""
    from keyring.util import platform_

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(platform_, "config_root", lambda: tmp_path)


def test_a_plaintext_keyring_picked_automatically_is_no_keyring(picked_by_keyring: None) -> None:
    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    secrets = Secrets()
    assert not secrets.available()
    with pytest.raises(SecretsUnavailable) as info:
        CardHasher(secrets).hash("jd", "E71D5E4733ED50BA")
    assert "never falls back to a plain-text file" in str(info.value)
    assert "keyrings.alt.file.PlaintextKeyring" in str(info.value)
    assert plain.store == {}  # the card-hash key was not written there


def test_a_chainer_gives_its_system_store_not_its_plaintext_one(picked_by_keyring: None) -> None:
    system, plain = FakeSecretService(), PlaintextKeyring()

    class Chain(chainer.ChainerBackend):
        backends: ClassVar[list[Any]] = [plain, system]  # plain-text ranked first

    keyring.set_keyring(Chain())
    Secrets().set("http_token", "t0ken")
    assert system.store == {("cardbind", "http_token"): "t0ken"}
    assert plain.store == {}


def test_a_system_store_is_taken(picked_by_keyring: None) -> None:
    system = FakeSecretService()
    keyring.set_keyring(system)
    assert Secrets().get_or_create("card_hash_key")
    assert ("cardbind", "card_hash_key") in system.store


def test_a_backend_the_user_named_is_taken(
    monkeypatch: pytest.MonkeyPatch, picked_by_keyring: None, tmp_path: Path
) -> None:
    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    Secrets().set("http_token", "t0ken")
    assert plain.store == {("cardbind", "http_token"): "t0ken"}
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    (tmp_path / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring = keyrings.alt.file.PlaintextKeyring\n", encoding="utf-8"
    )
    assert Secrets().get("http_token") == "t0ken"
