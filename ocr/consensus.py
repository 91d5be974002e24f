"""Agreement over camera frames (card.io's rule).

Every frame's reading of a field adds, per position, its character probabilities to a
running score; older frames fade by DECAY per frame. A position is stable when its best
character holds at least STABLE of the position's score mass. The consensus is
`locked` when every position is stable, enough frames agree, and the value passes the
platform's format — the camera can then stop.

Only frames whose reading has the expected length vote: a frame that dropped or added a
character would shift every later position. A single misread frame cannot lock a wrong
code: its vote is outweighed by the frames before it, and a lock needs MIN_FRAMES
frames that agree.

A lock is the camera saying "this is the code", so it asks more than agreement:
every position certain (a position the frames keep flagging is left to the user, who
takes the picture), and the value confirmed by the latest frame that was read whole
and told the password from the card's other code (a followed frame sees only the row
it follows; a card entering the frame may show its card number alone). Why:
docs/ocr.md, "The camera".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.codes.check import check_code
from core.codes.profiles import get_profile
from ocr.reading import CharReading, CharTier, FieldReading, Reading

DECAY = 0.8
STABLE = 0.7
MIN_FRAMES = 3
CONFIRM_DIFF = 2  # a whole frame confirms a value at most this many edits from its own


@dataclass
class FrameConsensus:
    platform: str = "jd"
    field_name: str = "pin"
    decay: float = DECAY
    stable_at: float = STABLE
    min_frames: int = MIN_FRAMES
    frames: int = 0  # frames that voted
    length: int | None = None
    _scores: list[dict[str, float]] = field(default_factory=list)
    _certain_votes: list[float] = field(default_factory=list)
    _boxes: list[tuple[int, int, int, int] | None] = field(default_factory=list)
    _lengths: dict[int, float] = field(default_factory=dict)
    _confirmed: str | None = None  # the password the latest whole frame told apart

    def reset(self) -> None:
        self.frames = 0
        self._confirmed = None
        self.length = None
        self._scores = []
        self._certain_votes = []
        self._boxes = []
        self._lengths = {}

    def add(self, reading: Reading | FieldReading | None) -> bool:
        """Feed one frame's reading; returns whether it voted."""
        fr = reading.fields.get(self.field_name) if isinstance(reading, Reading) else reading
        if isinstance(reading, Reading) and reading.platform != self.platform:
            # A frame read against another profile cannot vote on this code.
            return False
        if fr is None or not fr.value or not fr.chars:
            return False
        if isinstance(reading, Reading) and "track" not in reading.timings_ms:
            # A frame read whole saw every row: it confirms its password, or withdraws
            # the confirmation when it could not tell the row from the card's other code.
            self._confirmed = fr.value if fr.told_apart and fr.doubt != "row" else None
        n = len(fr.chars)
        # The expected length is the one most recent frames agree on (decayed count).
        for k in self._lengths:
            self._lengths[k] *= self.decay
        self._lengths[n] = self._lengths.get(n, 0.0) + 1.0
        target = max(self._lengths, key=lambda k: self._lengths[k])
        if target != self.length:
            # The length changed its majority: earlier votes were for other positions.
            self.length = target
            self._scores = [{} for _ in range(target)]
            self._certain_votes = [0.0] * target
            self._boxes = [None] * target
            self.frames = 0
        if n != self.length:
            return False
        for i, c in enumerate(fr.chars):
            sc = self._scores[i]
            for key in sc:
                sc[key] *= self.decay
            self._certain_votes[i] *= self.decay
            for ch, p in _distribution(c).items():
                sc[ch] = sc.get(ch, 0.0) + p
            if c.tier == "certain":
                self._certain_votes[i] += 1.0
            if c.box is not None:
                self._boxes[i] = c.box
        self.frames += 1
        return True

    def stability(self) -> list[float]:
        """Per position: the best character's share of the score mass (0..1)."""
        out = []
        for sc in self._scores:
            total = sum(sc.values())
            out.append(max(sc.values()) / total if total > 0 else 0.0)
        return out

    @property
    def value(self) -> str | None:
        if not self._scores:
            return None
        return "".join(max(sc, key=lambda k: sc[k]) if sc else "?" for sc in self._scores)

    @property
    def locked(self) -> bool:
        value = self.value
        if value is None or self.frames < self.min_frames or "?" in value:
            return False
        if any(s < self.stable_at for s in self.stability()):
            return False
        if not self._confirms(value):
            return False
        if any(c.tier != "certain" for c in self._positions()):
            return False
        return check_code(value, get_profile(self.platform), self.field_name, source="pasted").ok

    def _confirms(self, value: str) -> bool:
        # The same row read with a character or two wrong, dropped or extra confirms it;
        # the card's other code differs almost everywhere.
        seen = self._confirmed
        return seen is not None and edit_distance(seen, value) <= CONFIRM_DIFF

    def doubted(self) -> tuple[int, ...]:
        """Positions every frame agrees on yet keeps flagging (an O that may be a 0, a
        row every frame reads poorly): settled, not certain, once enough frames voted.
        Holding the card longer will not lock on them."""
        if self.frames < self.min_frames:
            return ()
        return tuple(
            i
            for i, (c, s) in enumerate(zip(self._positions(), self.stability(), strict=True))
            if s >= self.stable_at and c.tier != "certain"
        )

    def reading(self) -> FieldReading | None:
        """The consensus as a field reading. A position is certain only when it is
        stable and most of the frames that voted read it as certain themselves."""
        value = self.value
        if value is None:
            return None
        chars = self._positions()
        ok = self.locked
        conf = 1.0
        for c in chars:
            conf *= c.confidence
        return FieldReading(self.field_name, value, chars, conf, None, ok)  # type: ignore[arg-type]

    def _positions(self) -> list[CharReading]:
        chars = []
        stab = self.stability()
        for i, sc in enumerate(self._scores):
            ranked = sorted(sc, key=lambda k: -sc[k])
            best = ranked[0] if ranked else ""
            mass = sum(sc.values())
            certain_share = self._certain_votes[i] / mass if mass > 0 else 0.0
            tier: CharTier = (
                "certain"
                if stab[i] >= self.stable_at
                and certain_share >= 0.5
                and self.frames >= self.min_frames
                else "check"
            )
            chars.append(
                CharReading(best, round(stab[i], 4), tuple(ranked[1:4]), self._boxes[i], tier)
            )
        return chars


class CardConsensus:
    """A FrameConsensus for the card type given, or with None the one the frames
    themselves agree on: when the frames' type changes the vote starts afresh (the
    camera screen and a video file both vote this way)."""

    def __init__(self, platform: str | None) -> None:
        self.fixed = platform
        self.current = FrameConsensus(platform or "jd")

    def add(self, reading: Reading) -> bool:
        if self.fixed is None and reading.platform != self.current.platform:
            self.current = FrameConsensus(reading.platform)
        return self.current.add(reading)


SHOWN_SHARE = 0.5  # a flagged character keeps at least this much of its frame's vote


def _distribution(c: CharReading) -> dict[str, float]:
    """A frame's vote for one position: its reading with its confidence, the rest of the
    probability spread over the alternatives it named. A flagged character keeps at
    least half of the vote: its confidence is low whenever Tesseract read something
    else, and on generated cards the character PP-OCR read (the one shown) is right
    more often than Tesseract's other reading (docs/ocr.md, "The camera")."""
    if not c.char:
        return {}
    p = max(0.0, min(1.0, c.confidence))
    if c.tier != "certain" and c.alternatives:
        p = max(p, SHOWN_SHARE)
    out = {c.char: p}
    if c.alternatives and p < 1.0:
        share = (1.0 - p) / len(c.alternatives)
        for a in c.alternatives:
            out[a] = out.get(a, 0.0) + share
    return out


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (codes are short: a plain table is fast enough). The
    benchmarks score with it too."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
