"""Pronunciations of the words a user may say for one code character.

The grammar decoder only needs these few dozen words, so we ship them here instead of
loading the 3 MB CMU dictionary on every start. Phones are ARPAbet as in the CMU
Pronouncing Dictionary (the pocketsphinx wheel's `cmudict-en-us.dict`); a test checks
that every spoken word of `core.codes.spoken` has an entry and that each phone exists
in the acoustic model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from core.codes.spoken import ENGLISH_DIGITS, LETTER_NAMES, NATO

PRONUNCIATIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # digits
        "zero": ("Z IH R OW", "Z IY R OW"),
        "oh": ("OW",),
        "one": ("W AH N",),
        "two": ("T UW",),
        "three": ("TH R IY",),
        "four": ("F AO R",),
        "five": ("F AY V",),
        "six": ("S IH K S",),
        "seven": ("S EH V AH N",),
        "eight": ("EY T",),
        "nine": ("N AY N",),
        "niner": ("N AY N ER",),
        # NATO words
        "alpha": ("AE L F AH",),
        "alfa": ("AE L F AH",),
        "bravo": ("B R AA V OW",),
        "charlie": ("CH AA R L IY",),
        "delta": ("D EH L T AH",),
        "echo": ("EH K OW",),
        "foxtrot": ("F AA K S T R AA T",),
        "golf": ("G AA L F", "G AO L F"),
        "hotel": ("HH OW T EH L",),
        "india": ("IH N D IY AH",),
        "juliet": ("JH UW L IY EH T",),
        "juliett": ("JH UW L IY EH T",),
        "kilo": ("K IH L OW", "K IY L OW"),
        "lima": ("L IY M AH", "L AY M AH"),
        "mike": ("M AY K",),
        "november": ("N OW V EH M B ER",),
        "oscar": ("AO S K ER",),
        "papa": ("P AA P AH", "P AH P AA"),
        "quebec": ("K EH B EH K", "K W AH B EH K"),
        "romeo": ("R OW M IY OW",),
        "sierra": ("S IY EH R AH",),
        "tango": ("T AE NG G OW",),
        "uniform": ("Y UW N AH F AO R M",),
        "victor": ("V IH K T ER",),
        "whiskey": ("W IH S K IY", "HH W IH S K IY"),
        "whisky": ("W IH S K IY", "HH W IH S K IY"),
        "xray": ("EH K S R EY",),
        "yankee": ("Y AE NG K IY",),
        "zulu": ("Z UW L UW",),
        # English letter names
        "ay": ("EY",),
        "bee": ("B IY",),
        "see": ("S IY",),
        "dee": ("D IY",),
        "ee": ("IY",),
        "ef": ("EH F",),
        "gee": ("JH IY",),
        "aitch": ("EY CH",),
        "eye": ("AY",),
        "jay": ("JH EY",),
        "kay": ("K EY",),
        "el": ("EH L",),
        "em": ("EH M",),
        "en": ("EH N",),
        "pee": ("P IY",),
        "cue": ("K Y UW",),
        "ar": ("AA R",),
        "ess": ("EH S",),
        "tee": ("T IY",),
        "you": ("Y UW",),
        "vee": ("V IY",),
        "doubleyou": ("D AH B AH L Y UW", "D AH B AH Y UW"),
        "ex": ("EH K S",),
        "why": ("W AY",),
        "zee": ("Z IY",),
        "zed": ("Z EH D",),
    }
)


def spoken_words() -> dict[str, str]:
    """Every word the recognizer may hear → the character it stands for ("oh" → "0")."""
    return {**ENGLISH_DIGITS, **dict(NATO.items()), **LETTER_NAMES}


def dictionary_text(words: Iterable[str]) -> str:
    """`words` in the Sphinx dictionary format, alternative pronunciations as `word(2)`."""
    lines: list[str] = []
    for word in sorted(set(words)):
        for i, phones in enumerate(PRONUNCIATIONS[word]):
            name = word if i == 0 else f"{word}({i + 1})"
            lines.append(f"{name} {phones}")
    return "\n".join(lines) + "\n"
