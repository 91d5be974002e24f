"""One gettext catalogue for core and gui, complete in zh_CN and en."""

from __future__ import annotations

from core.i18n import _, duration_text, match_language, set_language
from core.i18n_catalog import placeholders, problems


def test_catalogues_are_complete_with_matching_placeholders_and_compiled() -> None:
    assert problems() == []


def test_placeholder_parser_sees_both_styles() -> None:
    assert placeholders("{a} and %(b)s") == {"{a}", "%(b)s"}


def test_switching_language_translates() -> None:
    set_language("zh_CN")
    assert _("Cannot bind") == "无法绑定"
    set_language("en")
    assert _("Cannot bind") == "Cannot bind"


def test_locale_tags_map_to_shipped_languages() -> None:
    assert match_language("zh_CN.UTF-8") == "zh_CN"
    assert match_language("zh-Hans") == "zh_CN"
    assert match_language("de_DE") == "en"
    assert match_language("") == "en"


def test_a_wait_is_said_in_words_rounded_up() -> None:
    assert [duration_text(s) for s in (0, 0.2, 59, 61, 3599, 3661)] == [
        "0 s",
        "1 s",
        "59 s",
        "1 min 1 s",
        "59 min 59 s",
        "1 h 1 min",
    ]
    set_language("zh_CN")
    assert duration_text(125) != "2 min 5 s"  # translated
