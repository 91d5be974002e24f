"""Every sentence that names a card type or the one who answered, rendered for every card
type in both languages: no "a JD E-card card" doublings, and the sandbox is named when
it answered, never the platform it imitates."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from collections.abc import Iterator

import pytest

from core.bind.knowledge import entries
from core.bind.outcomes import PLATFORM_KINDS
from core.codes.check import change_text, check_code
from core.codes.profiles import get_profile, platform_ids
from core.i18n import _, ngettext, set_language
from core.i18n_catalog import extract

LANGS = ("en", "zh_CN")
OUTSIDE_WORLD = (
    "cache",
    "network",
    "cookie",
    "router",
    "seller",
    "customer service",
    "缓存",
    "网络",
    "路由器",
    "卖家",
    "客服",
)


def doubled(text: str, name: str, lang: str) -> list[str]:
    """What reads wrong around a card type's name in `text`."""
    found = []
    if lang == "en":
        if re.search(r"\b(a|an)\s+" + re.escape(name), text, re.IGNORECASE):
            found.append(f"an article before “{name}”")
        if re.search(r"\bcard\s+card\b", text, re.IGNORECASE):
            found.append("“card card”")
    elif re.search("卡卡(?![密号])", text):  # 京东E卡卡密 is one card's 卡密: fine
        found.append("“卡卡”")
    return found


def render(template: str, name: str) -> str:
    fields = {f for _t, f, _s, _c in string.Formatter().parse(template) if f}
    values = dict.fromkeys(fields, "X")
    values["platform"] = name
    for key in ("label", "what"):
        if key in values:
            values[key] = _("card password")
    return template.format(**values)


def platform_messages() -> Iterator[tuple[str, ...]]:
    for message in extract():
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        if any("{platform}" in i for i in ids):
            yield tuple(ids)


@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_of_the_catalogue_doubles_a_card_types_name(lang: str) -> None:
    set_language(lang)
    checked = 0
    problems = []
    for ids in platform_messages():
        template = ngettext(ids[0], ids[1], 2) if len(ids) == 2 else _(ids[0])
        for pid in platform_ids():
            name = get_profile(pid).display_name()
            text = render(template, name)
            problems += [f"{ids[0]!r} ({pid}): {p}" for p in doubled(text, name, lang)]
            checked += 1
    assert checked > 50
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pid", platform_ids())
def test_a_code_of_the_wrong_length_reads_right(lang: str, pid: str) -> None:
    set_language(lang)
    name = get_profile(pid).display_name()
    messages = [w.message for w in check_code("1O", pid).warnings]
    assert messages
    for text in messages:
        assert doubled(text, name, lang) == [], text


@pytest.mark.parametrize("lang", LANGS)
def test_the_knowledge_base_names_who_answered(lang: str) -> None:
    set_language(lang)
    for kind, e in entries().items():
        for pid in platform_ids():
            name = get_profile(pid).display_name()
            for adapter in ("sandbox", "http"):
                text = " ".join(
                    [e.title(pid, adapter), e.explanation(pid, adapter), *e.steps(pid, adapter)]
                )
                assert doubled(text, name, lang) == [], (kind, pid, text)
            practice = e.explanation(pid, "sandbox")
            if kind in PLATFORM_KINDS and "{answerer}" in e.explanation_text[lang]:
                # The sandbox answered: it is named, the platform it imitates is not.
                assert name not in practice, (kind, practice)
                assert (_("the sandbox")[:1].upper() + _("the sandbox")[1:]) in practice or (
                    _("the sandbox") in practice
                )
                assert name in e.explanation(pid, "http")


@pytest.mark.parametrize("lang", LANGS)
def test_a_practice_answer_sends_nobody_to_a_cache_or_a_shop(lang: str) -> None:
    set_language(lang)
    for kind, e in entries().items():
        steps = " ".join(e.steps("jd", "sandbox")).lower()
        assert steps, kind
        assert [w for w in OUTSIDE_WORLD if w in steps] == [], (kind, steps)
    assert any("cache" in s or "缓存" in s for s in entries()["not_found"].steps("jd", "http"))


def test_a_change_is_numbered_like_the_characters_of_the_code() -> None:
    result = check_code("e71d 5e47 33ed 5oba", "jd")
    (change,) = [c for c in result.changes if not c.routine]
    assert change_text(change) == "Character 14: “O” → “0” (changed as the platform itself does)"
    assert any(w.message.startswith("Character 14:") for w in result.warnings)


def test_cardbind_check_numbers_a_change_once() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cli", "check", "--platform", "jd", "e71d 5e47 33ed 5oba"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "position 17" not in out
    assert out.count("Character 14") == 2
