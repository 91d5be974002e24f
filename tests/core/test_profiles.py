"""Platform profiles are data; a broken one says which file and which key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.codes.profiles import (
    SOURCES,
    ProfileError,
    load_profile_file,
    load_profiles,
    platform_ids,
)
from core.resources import resource_path

EXPECTED = {"jd", "tmall", "taobao", "pdd", "suning", "cmcc", "generic"}


def test_every_platform_ships_and_loads() -> None:
    profiles = load_profiles()
    assert set(profiles) == EXPECTED
    assert platform_ids()[0] == "jd"
    assert platform_ids()[-1] == "generic"


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_every_number_says_where_it_comes_from(pid: str) -> None:
    p = load_profiles()[pid]
    for sourced in (
        p.attempt_limit,
        p.lockout_hours,
        p.cooldown_seconds,
        p.failure_channel,
        p.ticket_hours,
        p.credit_timing,
    ):
        assert sourced.source in SOURCES
        assert SOURCES[sourced.source]  # a label for maintainers
    for fmt in p.fields.values():
        assert fmt.source in SOURCES
        assert fmt.label["zh_CN"]
        assert fmt.label["en"]


def test_known_facts() -> None:
    profiles = load_profiles()
    jd = profiles["jd"].field("pin")
    assert jd.lengths == (16,)
    assert jd.usual_alphabet == "0123456789ABCDEF"
    assert "G" in jd.alphabet
    assert "Z" in jd.alphabet
    assert "O" not in jd.alphabet
    assert jd.input_map == {"O": "0"}
    assert jd.display("E71D5E4733ED50BA") == "E71D-5E47-33ED-50BA"
    cmcc = profiles["cmcc"]
    assert cmcc.field("card_number").lengths == (17,)
    assert cmcc.field("pin").lengths == (18,)
    assert profiles["jd"].attempt_limit.value == 3
    assert profiles["jd"].attempt_limit.source == "seed"
    assert profiles["pdd"].attempt_limit.value == 5
    assert profiles["pdd"].verification == ("payment_password",)
    assert profiles["suning"].attempt_limit.value == 1
    assert profiles["suning"].verification == ("token",)
    assert profiles["taobao"].verification == ("qr",)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _jd_text() -> str:
    return resource_path("platforms", "jd.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda t: t.replace("lengths = [16]", 'lengths = "16"'), "fields.pin.lengths"),
        (
            lambda t: t.replace('alphabet = "0-9A-NP-Z"', 'alphabet = "0-9a-z"'),
            "fields.pin.alphabet",
        ),
        (
            lambda t: t.replace('usual_alphabet = "0-9A-F"', 'usual_alphabet = "0-9O"'),
            "fields.pin.usual_alphabet",
        ),
        (
            lambda t: t.replace("[attempt_limit]\nvalue = 3", "[attempt_limit]\nvalue = true"),
            "attempt_limit.value",
        ),
        (
            lambda t: t.replace('source = "seed"\nnote = "同一卡限3次"', 'source = "rumour"'),
            "attempt_limit.source",
        ),
        (
            lambda t: t.replace('kinds = ["captcha", "sms"]', 'kinds = ["telepathy"]'),
            "verification.kinds",
        ),
        (lambda t: t.replace("schema = 1", "schema = 99"), "schema"),
        (lambda t: t.replace('value = "ticket"', 'value = "pigeon"'), "failure_channel.value"),
        (
            lambda t: t.replace(
                'name = { zh_CN = "京东E卡", en = "JD E-card" }', 'name = { en = "JD E-card" }'
            ),
            "name.zh_CN",
        ),
    ],
)
def test_a_broken_profile_names_file_and_key(tmp_path: Path, edit: object, key: str) -> None:
    assert callable(edit)
    path = _write(tmp_path, "jd", edit(_jd_text()))
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    assert info.value.key == key
    assert str(path) in str(info.value)
    assert key in str(info.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "jd", "schema = [")
    with pytest.raises(ProfileError, match=r"jd\.toml"):
        load_profile_file(path)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "other", _jd_text())
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    assert info.value.key == "id"
