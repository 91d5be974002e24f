"""One translation system for core and gui: gettext catalogues in resources/locale.

Source strings are English. Every user-visible string is wrapped in `_()` where it is
shown, or marked with `N_()` where it is defined and translated later, so that a
language switch in the running app re-translates everything.
"""

from __future__ import annotations

import gettext
import locale
import math
import os
import re
import threading
from collections.abc import Mapping

from core.resources import resource_path

DOMAIN = "cardbind"
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LANGUAGE = "en"
# A test language: English made 40 % longer with accented letters, to find text that is
# cut off or not translated (it stays plain). Not offered in the UI.
PSEUDO = "pseudo"

_lock = threading.Lock()
_translations: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANGUAGE


def locale_dir() -> str:
    return str(resource_path("locale"))


class _Pseudo(gettext.NullTranslations):
    _MAP = str.maketrans("AEIOUYaeiouyCcNnSs", "ÀÉÎÕÜÝàéîõüýÇçÑñŠš")

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


_KEEP = re.compile(r"(\{[^}]*\}|%\([^)]*\)[sd]|&[^{])")


def pseudo(message: str) -> str:
    """`Read the card` → `[Réàd thé çàrd·····]`: placeholders and mnemonics kept."""
    parts = _KEEP.split(message)
    text = "".join(p if i % 2 else p.translate(_Pseudo._MAP) for i, p in enumerate(parts))
    # Padding in short breakable pieces, like the words of a longer translation.
    pad = " ".join("··" for _ in range(max(1, round(len(message) * 0.4 / 3))))
    return f"[{text} {pad}]"


def _load(lang: str) -> gettext.NullTranslations:
    if lang == PSEUDO:
        return _Pseudo()
    with _lock:
        found = _translations.get(lang)
        if found is None:
            found = gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
            _translations[lang] = found
        return found


def system_language() -> str:
    """zh_CN on a Chinese system, en otherwise; CARDBIND_LANG overrides both."""
    forced = os.environ.get("CARDBIND_LANG", "").strip()
    if forced == PSEUDO:
        return PSEUDO
    if forced:
        return match_language(forced)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return match_language(value)
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return match_language(loc)


def match_language(tag: str) -> str:
    """Map a locale tag such as `zh_CN.UTF-8`, `zh-Hans` or `en_GB` to a shipped language."""
    tag = tag.split(".", maxsplit=1)[0].split(":", maxsplit=1)[0].replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> str:
    """Switch every later `_()` call to `lang`; returns the language actually used."""
    global _current
    chosen = lang if lang in (*LANGUAGES, PSEUDO) else match_language(lang)
    _load(chosen)
    _current = chosen
    return chosen


def current_language() -> str:
    return _current


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _load(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _load(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it yet."""
    return message


def localized(values: Mapping[str, str], lang: str | None = None) -> str:
    """Pick the current language from a bilingual data entry such as `{zh_CN = …, en = …}`."""
    lang = lang or _current
    if lang in values:
        return values[lang]
    if DEFAULT_LANGUAGE in values:
        return values[DEFAULT_LANGUAGE]
    return next(iter(values.values()), "")


set_language(system_language())


def duration_text(seconds: float) -> str:
    """A wait in words, rounded up to whole seconds: "45 s", "2 min 5 s", "1 h 3 min"."""
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)
