"""What the screens say in both languages: no unverified figure in front of users, and
words that read right for every card type and bind method."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from core.bind.card import Card
from core.bind.outcomes import (
    ERROR_KINDS,
    PLATFORM_KINDS,
    RETRY_KINDS,
    BindResult,
    Outcome,
    Refused,
    Rejected,
    RetryLater,
)
from core.codes.profiles import platform_ids
from gui.i18n import apply_language
from gui.main_window import MainWindow
from tests.gui.fakes import make_services

# The source article's figures and the way they were labelled, in both languages.
UNVERIFIED = (
    "source article",
    "unverified",
    "来源文章",
    "原始文章",
    "未经证实",
    "%",
    "5–15",
    "24–72",
    "4–6",
    "30–60",
    "10–30",
    "credited at once",
    "立即到账",
)
LANGS = ["en", "zh_CN"]


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(make_services())
    qtbot.addWidget(w)
    yield w
    apply_language("en")


def outcome_for(kind: str) -> Outcome:
    if kind in RETRY_KINDS:
        return RetryLater(kind, 120.0)  # type: ignore[arg-type]
    if kind in PLATFORM_KINDS:
        return Rejected(kind, 1)  # type: ignore[arg-type]
    return Refused(kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
def test_no_result_shows_an_unverified_figure(window: MainWindow, lang: str) -> None:
    apply_language(lang)
    for kind in ERROR_KINDS:
        window.result.show_result(
            BindResult(outcome_for(kind), "jd", "E7**-****-****-**BA", "h", attempts_left=1)
        )
        r = window.result
        text = "\n".join((r.headline.text(), r.details.text(), r.steps.text()))
        assert [f for f in UNVERIFIED if f in text] == [], (kind, text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("platform", platform_ids())
def test_the_summary_before_binding_states_only_our_own_count(
    window: MainWindow, lang: str, platform: str
) -> None:
    apply_language(lang)
    window.confirm.load(
        Card(platform, "E71D5E4633ED50BA"), attempts_left=3, bind_method="Sandbox", elder=False
    )
    facts = window.confirm.facts.text()
    assert [f for f in UNVERIFIED if f in facts] == [], facts
    count = {
        "en": "Attempts left for this card on this computer: 3",
        "zh_CN": "这张卡在这台电脑上还剩 3 次尝试",
    }[lang]
    assert count in facts


@pytest.mark.parametrize("lang", LANGS)
def test_a_sandbox_miss_names_the_sandbox_and_no_cache(window: MainWindow, lang: str) -> None:
    apply_language(lang)
    miss = BindResult(
        Rejected("not_found", 2),
        "generic",
        "E7**-****-****-**BA",
        "h",
        attempts_left=2,
        adapter="sandbox",
    )
    window.result.show_result(miss)
    text = window.result.details.text() + window.result.steps.text()
    assert {"en": "The sandbox found no card", "zh_CN": "练习沙盒找不到"}[lang] in text
    for wrong in ("Other card", "其他卡", "cache", "network", "缓存", "网络"):
        assert wrong not in text
    real = BindResult(
        Rejected("not_found", 2), "jd", "E7**-****-****-**BA", "h", attempts_left=2, adapter="http"
    )
    window.result.show_result(real)
    assert {"en": "JD E-card found no card", "zh_CN": "京东E卡找不到"}[lang] in (
        window.result.details.text()
    )
