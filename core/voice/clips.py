"""The audio clips read-back plays: fixed prompts and the 36 character names, in both
languages, as WAV files under resources/voice/<lang>/<name>.wav.

`python -m core.voice.make_clips` makes them from this table with espeak-ng. Mandarin is
synthesized from the pinyin column, because espeak-ng mangles Chinese characters; the
Chinese column is what the text-to-speech fallback says and what captions show, so
the two are kept side by side here rather than in the gettext catalogue, where a
translation could drift away from the recorded sound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from core.codes.spoken import DIGIT_WORDS, NATO_WORDS
from core.resources import resource_path
from core.voice.grammar import CHARACTERS

LANGS: tuple[str, ...] = ("zh_CN", "en")


@dataclass(frozen=True)
class ClipText:
    en: str  # said by espeak-ng's English voice and by the English fallback
    zh_CN: str  # said by the Chinese fallback; shown as a caption
    pinyin: str  # said by espeak-ng's Mandarin voice (tone numbers, 5 = neutral)

    def text(self, lang: str) -> str:
        return self.zh_CN if lang == "zh_CN" else self.en


PROMPTS: Mapping[str, ClipText] = MappingProxyType(
    {
        "group_1": ClipText("Group one.", "第一组。", "di4 yi1 zu3."),
        "group_2": ClipText("Group two.", "第二组。", "di4 er4 zu3."),
        "group_3": ClipText("Group three.", "第三组。", "di4 san1 zu3."),
        "group_4": ClipText("Group four.", "第四组。", "di4 si4 zu3."),
        "group_5": ClipText("Group five.", "第五组。", "di4 wu3 zu3."),
        "group_6": ClipText("Group six.", "第六组。", "di4 liu4 zu3."),
        "say_group": ClipText(
            "Please say this group.", "请说这一组。", "qing3 shuo1 zhe4 yi4 zu3."
        ),
        "heard": ClipText("I heard:", "我听到：", "wo3 ting1 dao4."),
        "is_it_right": ClipText(
            "Right, or again?", "对，还是重说？", "dui4, hai2 shi4 chong2 shuo1?"
        ),
        "say_again": ClipText(
            "Please say it again.", "请再说一遍。", "qing3 zai4 shuo1 yi2 bian4."
        ),
        "not_heard": ClipText("Sorry, I did not catch that.", "没听清。", "mei2 ting1 qing1."),
        "confirmed": ClipText("Confirmed.", "好的。", "hao3 de5."),
        "all_done": ClipText(
            "All done. Please check the screen once more.",
            "都核对好了，请再看一下屏幕。",
            "dou1 he2 dui4 hao3 le5, qing3 zai4 kan4 yi2 xia4 ping2 mu4.",
        ),
        "use_picker": ClipText(
            "You can also pick it on the screen.",
            "也可以在屏幕上选。",
            "ye3 ke3 yi3 zai4 ping2 mu4 shang4 xuan3.",
        ),
        "code_is": ClipText("The code is:", "卡密是：", "ka3 mi4 shi4."),
        "mic_error": ClipText(
            "The microphone does not work. Please type instead.",
            "麦克风用不了，请打字输入。",
            "mai4 ke4 feng1 yong4 bu4 liao3, qing3 da3 zi4 shu1 ru4.",
        ),
    }
)

# Mandarin digits, and the radio readings that keep 1/7, 2, 9 and 0 apart by ear.
ZH_DIGITS = MappingProxyType(
    {
        "0": ("零", "ling2"),
        "1": ("一", "yi1"),
        "2": ("二", "er4"),
        "3": ("三", "san1"),
        "4": ("四", "si4"),
        "5": ("五", "wu3"),
        "6": ("六", "liu4"),
        "7": ("七", "qi1"),
        "8": ("八", "ba1"),
        "9": ("九", "jiu3"),
    }
)
ZH_RADIO_DIGITS = MappingProxyType(
    {
        "0": ("洞", "dong4"),
        "1": ("幺", "yao1"),
        "2": ("两", "liang3"),
        "7": ("拐", "guai3"),
        "9": ("勾", "gou1"),
    }
)
# Latin letters the way most Mandarin speakers say them (艾弗 for F, 达不溜 for W, 贼 for Z).
ZH_LETTERS = MappingProxyType(
    {
        "A": "ei1",
        "B": "bi4",
        "C": "xi1",
        "D": "di4",
        "E": "yi4",
        "F": "ai4 fu1",
        "G": "ji4",
        "H": "ai4 chi3",
        "I": "ai4",
        "J": "jie4",
        "K": "kai4",
        "L": "ai4 lou1",
        "M": "ai4 mu3",
        "N": "en1",
        "O": "ou1",
        "P": "pi1",
        "Q": "qiu1",
        "R": "a4 er3",
        "S": "ai4 si1",
        "T": "ti4",
        "U": "you1",
        "V": "wei1",
        "W": "da1 bu5 liu1",
        "X": "ai4 ke4 si1",
        "Y": "wai4",
        "Z": "zei4",
    }
)


def char_clip_name(char: str, radio: bool = False) -> str:
    """`7` → `char_7`; with radio readings `7` → `radio_7` where a radio reading exists."""
    if char not in CHARACTERS:
        raise ValueError("not a code character")
    if radio and char in ZH_RADIO_DIGITS:
        return f"radio_{char}"
    return f"char_{char}"


def _char_texts() -> dict[str, ClipText]:
    out: dict[str, ClipText] = {}
    for c in CHARACTERS:
        if c.isdigit():
            zh, pinyin = ZH_DIGITS[c]
            en = DIGIT_WORDS[c]
        else:
            zh, pinyin = c, ZH_LETTERS[c]
            en = "X-ray" if c == "X" else NATO_WORDS[c].capitalize()
        out[f"char_{c}"] = ClipText(en, zh, pinyin)
    for c, (zh, pinyin) in ZH_RADIO_DIGITS.items():
        # In English a radio reading is the plain digit word.
        out[f"radio_{c}"] = ClipText(DIGIT_WORDS[c], zh, pinyin)
    return out


CHARS: Mapping[str, ClipText] = MappingProxyType(_char_texts())
ALL: Mapping[str, ClipText] = MappingProxyType({**PROMPTS, **CHARS})


def clip_id(lang: str, name: str) -> str:
    return f"{lang}/{name}"


def clip_path(clip: str) -> Path:
    """resources/voice/<lang>/<name>.wav for the id `<lang>/<name>`."""
    lang, name = clip.split("/", 1)
    return resource_path("voice", lang, f"{name}.wav")


def clip_ids() -> list[str]:
    """Every clip that ships: all prompts and characters in both languages; the radio
    digits only in Chinese, because English says them as plain digits."""
    return [
        clip_id(lang, name)
        for lang in LANGS
        for name in ALL
        if not (lang == "en" and name.startswith("radio_"))
    ]


def text_of(clip: str) -> str:
    lang, name = clip.split("/", 1)
    return ALL[name].text(lang)
