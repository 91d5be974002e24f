"""The line detector: the shipped 8-bit model is the one the reader uses, it finds the
lines the wheel's float model finds (the password's row above all), and a missing or
broken 8-bit file costs speed, never the read."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from ocr import ppocr
from ocr.lines import find_lines
from ocr.ppocr import (
    ASCII_KEEP,
    DET_MODEL,
    PPOCR,
    LineText,
    int8_detector,
    model_dir,
    second_recogniser,
)
from ocr.synth import make_card


@pytest.fixture(scope="module")
def float_engine() -> PPOCR:
    return PPOCR(model_dir(), detector=None)


def _rect(quad: np.ndarray) -> tuple[float, float, float, float]:
    q = np.asarray(quad, np.float64)
    return float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0.0, w) * max(0.0, h)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _covers(quads: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Some line holds the whole box (the password's characters), give or take a pixel."""
    return any(
        r[0] <= box[0] + 2 and r[1] <= box[1] + 2 and r[2] >= box[2] - 2 and r[3] >= box[3] - 2
        for r in map(_rect, quads)
    )


def test_the_reader_uses_the_shipped_8_bit_detector() -> None:
    shipped = int8_detector()
    assert shipped is not None
    assert shipped.name == "PP-OCRv6_det_small.int8.onnx"
    assert PPOCR.get().detector == shipped


@pytest.mark.parametrize(("seed", "tier"), [(1, "clean"), (5, "photo"), (9, "scratched")])
def test_the_8_bit_detector_finds_the_float_detectors_lines(
    float_engine: PPOCR, seed: int, tier: str
) -> None:
    card = make_card(seed, tier)  # type: ignore[arg-type]
    ref, _ = float_engine.detect(card.image, 960)
    got, _ = PPOCR.get().detect(card.image, 960)
    best = [max((_iou(_rect(r), _rect(g)) for g in got), default=0.0) for r in ref]
    assert sum(b >= 0.7 for b in best) >= 0.9 * len(ref), sorted(best)
    xs = [b[0] for b in card.pin_boxes] + [b[0] + b[2] for b in card.pin_boxes]
    ys = [b[1] for b in card.pin_boxes] + [b[1] + b[3] for b in card.pin_boxes]
    pin = (min(xs), min(ys), max(xs), max(ys))
    # The rows as the reader joins them (a code under residue comes in pieces).
    rows = [ln.quad for ln in find_lines(card.image, PPOCR.get())]
    assert _covers(np.stack(rows), pin)


def test_broken_shipped_models_fall_back_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A damaged 8-bit detector: the wheel's float one finds the lines. A damaged second
    # recogniser: two readers decide, and asking it for a reading reads nothing.
    det = tmp_path / "PP-OCRv6_det_small.int8.onnx"
    rec = tmp_path / "PP-OCRv4_rec_mobile.onnx"
    for broken in (det, rec):
        broken.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="ocr.ppocr"):
        engine = PPOCR(model_dir(), detector=det, second=rec)
    assert engine.detector == model_dir() / DET_MODEL
    assert "float" in caplog.text
    card = make_card(1, "clean")
    quads, _ = engine.detect(card.image, 960)
    assert len(quads) > 3
    assert engine.second is None
    assert "second recogniser unusable" in caplog.text
    assert engine.recognize([np.full((48, 200, 3), 255, np.uint8)], second=True) == []


def test_the_float_detector_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ppocr, "USE_INT8_DET", False)
    assert int8_detector() is None


def test_missing_shipped_models_are_said_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Neither the 8-bit detector nor the second recogniser shipped: the float detector
    # and two readers, each said.
    monkeypatch.setattr(ppocr, "resource_path", tmp_path.joinpath)
    monkeypatch.setattr(PPOCR, "_shared", None)
    with caplog.at_level(logging.WARNING, logger="ocr.ppocr"):
        engine = PPOCR.get()
    assert engine.detector == model_dir() / DET_MODEL
    assert "PP-OCRv6_det_small.int8.onnx is not installed" in caplog.text
    assert engine.second is None
    assert "PP-OCRv4_rec_mobile.onnx is not installed" in caplog.text


def test_the_second_recogniser_is_shipped_and_reads_a_code_row() -> None:
    shipped = second_recogniser()
    assert shipped is not None
    assert shipped.name == "PP-OCRv4_rec_mobile.onnx"
    engine = PPOCR.get()
    assert engine.second is not None
    card = make_card(1, "clean")
    crops = [ln.crop for ln in find_lines(card.image, engine)]
    firsts = engine.recognize(crops)
    seconds = engine.recognize(crops, second=True)
    assert len(seconds) == len(crops)

    def flat(t: str) -> str:
        return "".join(c for c in t if c.isalnum()).upper()

    # Both recognisers read the card number off its row (v4 reads this font's Q as O:
    # it co-signs only where it agrees, docs/ocr.md).
    assert card.card_number
    assert any(card.card_number in flat(lt.text) for lt in firsts)
    assert any(card.card_number in flat(lt.text) for lt in seconds)


def _frames(*columns: dict[str, float]) -> LineText:
    """A line's per-frame probabilities over ASCII_KEEP (blank first), one dict a frame;
    what a frame leaves unsaid is blank."""
    keep = np.zeros((len(columns), len(ASCII_KEEP) + 1), np.float32)
    for t, col in enumerate(columns):
        for ch, p in col.items():
            keep[t, 1 + ASCII_KEEP.index(ch)] = p
        keep[t, 0] = max(0.0, 1.0 - sum(col.values()))
    return LineText([], len(columns) * 8, len(columns), keep)


def test_a_touching_neighbour_is_no_rival_of_a_character() -> None:
    # "35" in a condensed line: the 5 starts on the frame after the 3, no blank between.
    # Before, the 5's own frame counted as a 5-rival of the 3 (and a 3-rival of the 5):
    # both characters looked like a coin toss and the whole row was flagged.
    line = _frames({"3": 0.98, "8": 0.02}, {"5": 0.99}, {})
    three, five = line.restricted("0123456789")
    assert (three.char, five.char) == ("3", "5")
    assert dict(three.alts) == {"8": pytest.approx(0.02)}
    assert five.alts == ()


def test_a_rival_on_a_blank_frame_beside_the_character_still_counts() -> None:
    # An 8 whose last frame, already mostly blank, leans to B: a doubt about this glyph.
    line = _frames({}, {"8": 0.9}, {"B": 0.3}, {})
    (eight,) = line.restricted("0123456789B")
    assert eight.char == "8"
    assert dict(eight.alts)["B"] == pytest.approx(0.3)
