"""What a read of one image (or one camera frame) returns.

This is the contract between the OCR pipeline and everything that shows or uses its
result (review screen, camera consensus, `cardbind ocr --json`). A character is
`certain` only when the evidence makes it so; otherwise it is `check` (boxed, with
alternatives) or `unreadable` (must be typed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from core.i18n import _

CharTier = Literal["certain", "check", "unreadable"]
FieldName = Literal["pin", "card_number", "qr"]
Box = tuple[int, int, int, int]  # x, y, width, height in the original image's pixels


@dataclass(frozen=True)
class CharReading:
    char: str  # best reading; "" when unreadable
    confidence: float  # 0..1, probability that `char` is right
    alternatives: tuple[str, ...] = ()  # other plausible readings, most likely first
    box: Box | None = None
    tier: CharTier = "certain"

    @property
    def flagged(self) -> bool:
        return self.tier != "certain"


@dataclass
class FieldReading:
    name: FieldName
    value: str | None  # None when the field was not found
    chars: list[CharReading] = field(default_factory=list)
    confidence: float = 0.0  # 0..1 for the whole field
    box: Box | None = None  # the whole line in the original image
    format_ok: bool = False  # the value passes the platform profile's format
    groups: tuple[int, ...] = ()  # how the code is grouped as printed (5-5-4, 4-4-4-4 …)
    # Why the whole field is in doubt: "row" (another row could be it), "length" (a
    # character may be missing or extra), "format" (the value breaks the profile).
    doubt: str | None = None
    rivals: list[str] = field(default_factory=list)  # other rows that could be this field
    # Whether the picture itself told this row from the card's other code: its own label
    # named it, or another row was taken as the card number. False for the only code
    # row in view, which may be the card number of a card half in the frame; the camera
    # does not lock on such a reading (docs/ocr.md, "The camera").
    told_apart: bool = True

    def ambiguous(self) -> list[dict[str, Any]]:
        """Flagged positions with their alternatives (the current reading first)."""
        out = []
        for i, c in enumerate(self.chars):
            if c.flagged:
                alts = [c.char] if c.char else []
                alts += [a for a in c.alternatives if a not in alts]
                out.append({"index": i, "alternatives": alts})
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "confidence": round(self.confidence, 4),
            "ambiguous": self.ambiguous(),
        }
        if self.groups:
            out["groups"] = list(self.groups)  # as printed, e.g. [5, 4, 5]
        if self.doubt:
            out["doubt"] = self.doubt
        return out


@dataclass
class Reading:
    platform: str  # the profile used (given, or recognized from the card)
    fields: dict[str, FieldReading] = field(default_factory=dict)
    image_size: tuple[int, int] = (0, 0)  # width, height of the original image
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Translated, user-facing remarks on this read in particular (a second reader
    # missing, only a TIFF's first page read, a card type that does not fit the code):
    # a window shows them beside the code; `summary` is said apart.
    notes: list[str] = field(default_factory=list)
    denomination: tuple[str, str] | None = None  # printed value: (amount, currency)

    def field(self, name: FieldName) -> FieldReading | None:
        return self.fields.get(name)

    @property
    def summary(self) -> str | None:
        """The read's outcome in one sentence, for a terminal: no password found, or some
        characters to compare with the card. Worked out from the fields as they are now
        (a video's agreed password replaces the one its frame was read with); a window
        says the same its own way, with the code in view."""
        pin = self.fields.get("pin")
        if pin is None or pin.value is None:
            return _(
                "No card password was found. Hold the card flat, fill the frame with "
                "the code area and avoid glare."
            )
        if pin.ambiguous():
            return _("Some characters are unsure; compare the marked ones with the card.")
        return None

    @property
    def confidence(self) -> float:
        pin = self.fields.get("pin")
        return pin.confidence if pin else 0.0

    def to_json(self) -> dict[str, Any]:
        """The `fields` object of `cardbind ocr --json` (docs/ocr.md)."""
        out: dict[str, Any] = {}
        for name in ("card_number", "pin"):
            f = self.fields.get(name)
            out[name] = f.to_json() if f and f.value is not None else None
        qr = self.fields.get("qr")
        if qr and qr.value is not None:
            out["qr"] = qr.to_json()
        return out

    def denomination_json(self) -> dict[str, str] | None:
        if self.denomination is None:
            return None
        return {"amount": self.denomination[0], "currency": self.denomination[1]}
