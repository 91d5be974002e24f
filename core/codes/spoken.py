"""Spoken and written-out forms of code characters, as dictation and IMEs produce them."""

from __future__ import annotations

from types import MappingProxyType

# Chinese numerals and the radio readings used to keep digits apart when read aloud.
CHINESE_DIGITS = MappingProxyType(
    {
        "零": "0",
        "〇": "0",
        "洞": "0",
        "一": "1",
        "幺": "1",
        "壹": "1",
        "二": "2",
        "两": "2",
        "贰": "2",
        "三": "3",
        "叁": "3",
        "四": "4",
        "肆": "4",
        "五": "5",
        "伍": "5",
        "六": "6",
        "陆": "6",
        "七": "7",
        "拐": "7",
        "柒": "7",
        "八": "8",
        "捌": "8",
        "九": "9",
        "勾": "9",
        "玖": "9",
    }
)

ENGLISH_DIGITS = MappingProxyType(
    {
        "zero": "0",
        "oh": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
        "niner": "9",
    }
)

NATO = MappingProxyType(
    {
        "alpha": "A",
        "alfa": "A",
        "bravo": "B",
        "charlie": "C",
        "delta": "D",
        "echo": "E",
        "foxtrot": "F",
        "golf": "G",
        "hotel": "H",
        "india": "I",
        "juliet": "J",
        "juliett": "J",
        "kilo": "K",
        "lima": "L",
        "mike": "M",
        "november": "N",
        "oscar": "O",
        "papa": "P",
        "quebec": "Q",
        "romeo": "R",
        "sierra": "S",
        "tango": "T",
        "uniform": "U",
        "victor": "V",
        "whiskey": "W",
        "whisky": "W",
        "xray": "X",
        "yankee": "Y",
        "zulu": "Z",
    }
)

# English letter names as the recognizer hears them. "oh" is missing on purpose: it is
# also a way to say zero (ENGLISH_DIGITS), and the voice grammar decides per alphabet.
LETTER_NAMES = MappingProxyType(
    {
        "ay": "A",
        "bee": "B",
        "see": "C",
        "dee": "D",
        "ee": "E",
        "ef": "F",
        "gee": "G",
        "aitch": "H",
        "eye": "I",
        "jay": "J",
        "kay": "K",
        "el": "L",
        "em": "M",
        "en": "N",
        "pee": "P",
        "cue": "Q",
        "ar": "R",
        "ess": "S",
        "tee": "T",
        "you": "U",
        "vee": "V",
        "doubleyou": "W",
        "ex": "X",
        "why": "Y",
        "zee": "Z",
        "zed": "Z",
    }
)

# The one NATO word per letter that read-back says (the table above also holds spellings).
NATO_WORDS = MappingProxyType({letter: word for word, letter in reversed(list(NATO.items()))})
# The one English word per digit that read-back says.
DIGIT_WORDS = MappingProxyType(
    {
        "0": "zero",
        "1": "one",
        "2": "two",
        "3": "three",
        "4": "four",
        "5": "five",
        "6": "six",
        "7": "seven",
        "8": "eight",
        "9": "nine",
    }
)

REPEATS = MappingProxyType({"double": 2, "triple": 3})

# Words that announce that the next character is a letter: "capital A", "letter B".
LETTER_PREFIXES = frozenset({"capital", "letter"})
CHINESE_LETTER_PREFIXES = ("大写", "字母", "小写")

# Field labels people paste along with the code ("卡密：E71D-…"); never part of a code.
CHINESE_LABELS = ("卡密", "密码", "卡号", "序列号", "充值密码", "兑换码", "激活码")

# Cyrillic and Greek letters that render like Latin ones; a pasted code can hold them.
LOOKALIKES = MappingProxyType(
    {
        # Cyrillic capitals
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "У": "Y",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "З": "3",
        # Cyrillic small letters that look like Latin small letters
        "а": "A",
        "е": "E",
        "о": "O",
        "р": "P",
        "с": "C",
        "х": "X",
        "у": "Y",
        "і": "I",
        "ј": "J",
        "ѕ": "S",
        "ԁ": "D",
        "һ": "H",
        "ӏ": "L",
        # Greek capitals
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        # Greek small letters that look like Latin ones
        "ο": "O",
        "ν": "V",
        "κ": "K",
        "ι": "I",
        "τ": "T",
    }
)


def spoken_word(word: str) -> str | None:
    """The character an English spoken word stands for, or None."""
    w = word.lower()
    return ENGLISH_DIGITS.get(w) or NATO.get(w)
