"""What read-back says, in order: clip ids with pauses between them (docs/voice.md).

Characters are said one at a time with about 300 ms between them, so that nobody has to
split a run of syllables into characters; the rate setting scales every pause. The
player (gui/voice/player.py) plays the clips and falls back to text-to-speech with
`Readback.text()` when a clip cannot be played. A read-back holds parts of a card code:
its repr leaves them out, and it is never logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.settings import Settings
from core.voice import clips
from core.voice.grammar import CHARACTERS

CHAR_GAP_MS = 300
GROUP_GAP_MS = 800
PROMPT_GAP_MS = 400
MIN_RATE, MAX_RATE = 0.25, 3.0


@dataclass(frozen=True)
class Clip:
    id: str  # "<lang>/<name>", e.g. "zh_CN/radio_7"
    text: str = field(repr=False)  # what the fallback voice says for it


@dataclass(frozen=True)
class Pause:
    ms: int


Segment = Clip | Pause


@dataclass(frozen=True)
class ReadbackOptions:
    lang: str = "zh_CN"
    rate: float = 1.0  # 2.0 = pauses half as long
    radio_digits: bool = True  # 幺/两/拐/勾/洞 for 1/2/7/9/0 (Chinese only)

    def __post_init__(self) -> None:
        if self.lang not in clips.LANGS:
            raise ValueError(f"no read-back in {self.lang!r}")
        if not MIN_RATE <= self.rate <= MAX_RATE:
            raise ValueError("read-back rate out of range")

    @classmethod
    def from_settings(cls, settings: Settings, app_language: str) -> ReadbackOptions:
        lang = settings.readback_language or app_language
        return cls(
            lang=lang if lang in clips.LANGS else "en",
            rate=settings.readback_rate,
            radio_digits=settings.readback_radio_digits,
        )

    def gap(self, ms: int) -> Pause:
        return Pause(round(ms / self.rate))


@dataclass(frozen=True)
class Readback:
    lang: str
    segments: tuple[Segment, ...] = ()

    def __repr__(self) -> str:
        return f"Readback({self.lang}, {len(self.clip_ids())} clips)"

    def __add__(self, other: Readback) -> Readback:
        if other.lang != self.lang:
            raise ValueError("cannot join read-backs in two languages")
        return Readback(self.lang, self.segments + other.segments)

    def clip_ids(self) -> list[str]:
        return [s.id for s in self.segments if isinstance(s, Clip)]

    def text(self) -> str:
        """One string for a text-to-speech voice, with a comma where a pause is."""
        sep = "，" if self.lang == "zh_CN" else ", "
        parts: list[str] = []
        for s in self.segments:
            if isinstance(s, Clip):
                parts.append(s.text.rstrip("。.：:，, "))
        return sep.join(p for p in parts if p)


def _clip(lang: str, name: str) -> Clip:
    cid = clips.clip_id(lang, name)
    return Clip(cid, clips.text_of(cid))


def _joined(lang: str, items: Iterable[Segment]) -> Readback:
    """Drops pauses at either end and merges neighbouring ones, so that joined
    read-backs never leave a double gap."""
    out: list[Segment] = []
    for s in items:
        if isinstance(s, Pause):
            if out and isinstance(out[-1], Pause):
                out[-1] = Pause(max(out[-1].ms, s.ms))
                continue
            if not out:
                continue
        out.append(s)
    while out and isinstance(out[-1], Pause):
        out.pop()
    return Readback(lang, tuple(out))


def prompt(name: str, opts: ReadbackOptions) -> Readback:
    if name not in clips.PROMPTS:
        raise KeyError(name)
    return Readback(opts.lang, (_clip(opts.lang, name),))


def characters(text: str, opts: ReadbackOptions) -> Readback:
    """Each character on its own, a short pause between them."""
    radio = opts.radio_digits and opts.lang == "zh_CN"
    segs: list[Segment] = []
    for char in text.upper():
        if char not in CHARACTERS:
            raise ValueError("only digits and letters A-Z can be read back")
        segs += [_clip(opts.lang, clips.char_clip_name(char, radio)), opts.gap(CHAR_GAP_MS)]
    return _joined(opts.lang, segs)


def group_name(index: int, opts: ReadbackOptions) -> Readback:
    """ "Group two." for index 1; groups past the sixth are not named."""
    name = f"group_{index + 1}"
    return prompt(name, opts) if name in clips.PROMPTS else Readback(opts.lang)


def _with_gaps(opts: ReadbackOptions, parts: Sequence[Readback], gap_ms: int) -> Readback:
    segs: list[Segment] = []
    for part in parts:
        segs += [*part.segments, opts.gap(gap_ms)]
    return _joined(opts.lang, segs)


def heard(text: str, opts: ReadbackOptions) -> Readback:
    """ "I heard: 7 D 3 E. Is that right?" — what the voice fix says after recognizing."""
    return _with_gaps(
        opts,
        [prompt("heard", opts), characters(text, opts), prompt("is_it_right", opts)],
        PROMPT_GAP_MS,
    )


def ask_for_group(index: int, opts: ReadbackOptions) -> Readback:
    """ "Group two. Hold the talk button and say this group." """
    return _with_gaps(opts, [group_name(index, opts), prompt("say_group", opts)], PROMPT_GAP_MS)


def code(groups: Sequence[str], opts: ReadbackOptions) -> Readback:
    """The whole code: "The code is:", then group by group with a longer pause between."""
    parts = [prompt("code_is", opts)]
    for i, g in enumerate(groups):
        parts.append(_with_gaps(opts, [group_name(i, opts), characters(g, opts)], PROMPT_GAP_MS))
    return _with_gaps(opts, parts, GROUP_GAP_MS)
