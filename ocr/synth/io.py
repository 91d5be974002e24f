"""Write a generated set as the benchmark's samples are laid out: JPEG images + truth.json."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import cv2

from ocr.synth.card import SynthCard


def write_set(
    out_dir: str | Path,
    cards: Iterable[SynthCard],
    quality: int = 95,
) -> list[dict[str, Any]]:
    """Save each card as img_NNNN.jpg and all truths in truth.json; returns the entries.

    The pictures already went through their tier's JPEG step, so they are saved at a high
    quality to add as little as possible on top."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, card in enumerate(cards):
        name = f"img_{i:04d}.jpg"
        if not cv2.imwrite(str(out / name), card.image, [cv2.IMWRITE_JPEG_QUALITY, quality]):
            raise OSError(f"could not write {out / name}")
        entries.append({"file": name, **card.truth()})
    with open(out / "truth.json", "w", encoding="utf-8") as fh:
        json.dump(entries, fh, ensure_ascii=False, indent=1)
    return entries
