"""Read-back order: what is said, in which language, and the pauses between."""

from __future__ import annotations

import pytest

from core.voice import readback
from core.voice.readback import Clip, Pause, ReadbackOptions

ZH = ReadbackOptions("zh_CN", rate=1.0, radio_digits=True)
EN = ReadbackOptions("en")


def names(rb: readback.Readback) -> list[str]:
    return [s.id.split("/", 1)[1] if isinstance(s, Clip) else f"~{s.ms}" for s in rb.segments]


def test_characters_are_said_one_at_a_time_with_short_pauses() -> None:
    rb = readback.characters("7d30", ZH)
    assert names(rb) == ["radio_7", "~300", "char_D", "~300", "char_3", "~300", "radio_0"]
    assert rb.text() == "拐，D，三，洞"


def test_radio_readings_can_be_turned_off() -> None:
    plain = ReadbackOptions("zh_CN", radio_digits=False)
    assert readback.characters("1290", plain).text() == "一，二，九，零"
    assert readback.characters("1290", ZH).text() == "幺，两，勾，洞"
    assert readback.characters("3458", ZH).text() == "三，四，五，八"


def test_english_says_digits_and_nato_words() -> None:
    rb = readback.characters("7D0B", EN)
    assert rb.clip_ids() == ["en/char_7", "en/char_D", "en/char_0", "en/char_B"]
    assert rb.text() == "seven, Delta, zero, Bravo"


def test_rate_scales_every_pause() -> None:
    fast = ReadbackOptions("zh_CN", rate=2.0)
    slow = ReadbackOptions("zh_CN", rate=0.5)
    assert [s.ms for s in readback.characters("12", fast).segments if isinstance(s, Pause)] == [150]
    assert [s.ms for s in readback.characters("12", slow).segments if isinstance(s, Pause)] == [600]
    with pytest.raises(ValueError, match="rate out of range"):
        ReadbackOptions("zh_CN", rate=10.0)


def test_heard_group_is_announced_then_asked_about() -> None:
    rb = readback.heard("E71D", ZH)
    assert names(rb) == [
        "heard",
        "~400",
        "char_E",
        "~300",
        "radio_7",
        "~300",
        "radio_1",
        "~300",
        "char_D",
        "~400",
        "is_it_right",
    ]
    assert rb.text() == "我听到，E，拐，幺，D，对，还是重说？"


def test_the_whole_code_is_read_group_by_group() -> None:
    rb = readback.code(["E71D", "5E47"], EN)
    n = names(rb)
    assert n[:4] == ["code_is", "~800", "group_1", "~400"]
    assert n[n.index("group_2") - 1] == "~800"
    assert [x for x in n if x.startswith("char_")] == [
        "char_E",
        "char_7",
        "char_1",
        "char_D",
        "char_5",
        "char_E",
        "char_4",
        "char_7",
    ]
    assert not isinstance(rb.segments[-1], Pause)


def test_only_code_characters_can_be_read_back() -> None:
    with pytest.raises(ValueError, match="only digits and letters"):
        readback.characters("7?", ZH)
    with pytest.raises(ValueError, match="no read-back in 'fr'"):
        ReadbackOptions("fr")


def test_a_readback_does_not_show_the_code_in_its_repr() -> None:
    rb = readback.characters("E71D", EN)
    assert "Echo" not in repr(rb)
    assert "seven" not in repr(rb)
    assert "Echo" not in repr(rb.segments)


def test_options_follow_the_settings_and_the_app_language() -> None:
    from core.settings import Settings

    s = Settings(readback_rate=1.5, readback_radio_digits=False)
    opts = ReadbackOptions.from_settings(s, "zh_CN")
    assert (opts.lang, opts.rate, opts.radio_digits) == ("zh_CN", 1.5, False)
    s.readback_language = "en"
    assert ReadbackOptions.from_settings(s, "zh_CN").lang == "en"


def test_the_voice_warnings_exist_in_both_languages() -> None:
    from core.i18n import _, set_language
    from core.voice import notices

    for text in (notices.READBACK_OVERHEARD, notices.IME_VOICE_TYPING, notices.HOW_TO_SAY):
        set_language("zh_CN")
        translated = _(text)
        set_language("en")
        assert translated != text
        assert _(text) == text
