"""Make resources/models/PP-OCRv6_det_small.int8.onnx: the rapidocr wheel's line detector
with 8-bit integer weights and activations, which ocr/ppocr.py uses (docs/ocr.md, "Speed:
the detector in 8-bit integers").

    .venv/bin/pip install -c constraints.txt -e '.[bench]'
    .venv/bin/python -m benchmarks.quantize_detector

The activations' ranges are measured on our own generated cards (seed CALIBRATION_SEED,
CARDS_PER_TIER per tier, every tier), fed to the detector exactly as a read feeds it —
never on the samples or the real photos. Then run `python -m benchmarks.ocr_bench` with
and without `--float-detector` and put both in the note.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from core.resources import resource_path
from ocr.lines import DET_MAX_SIDE
from ocr.ppocr import DET_MODEL, INT8_DET_MODEL, det_input, model_dir
from ocr.synth.card import make_set

# Apache-2.0 asks modified files to say so; the model carries it as its doc string.
NOTICE = (
    "Changed by cardbind: PP-OCRv6_det_small.onnx as shipped by rapidocr 3.10 "
    "(sha256 {sha}), quantised to 8-bit integers (QDQ, per-channel weights) with "
    "onnxruntime's static quantiser, calibrated on generated cards. The upstream model "
    "weights are copyright Baidu and/or the applicable PaddleOCR rights holders and are "
    "licensed under the Apache License, Version 2.0."
)
CALIBRATION_SEED = 7777  # not a benchmark's, a hunt's or a test's seed
CARDS_PER_TIER = 10
# Opset 11 (the wheel's) has no per-channel dequantisation; 17 runs on every onnxruntime
# we support.
OPSET = 17


def _calibration(cards_per_tier: int) -> Iterator[np.ndarray]:
    for card in make_set(cards_per_tier, seed=CALIBRATION_SEED, extra_fonts=True):
        yield det_input(card.image, DET_MAX_SIDE)


def quantize(out: Path, cards_per_tier: int = CARDS_PER_TIER) -> None:
    import onnx
    import onnxruntime as ort
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    src = model_dir() / DET_MODEL
    out = out.resolve()
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        # The pre-processing leaves scratch files in the working folder.
        os.chdir(tmp)
        pre = Path(tmp) / "pre.onnx"
        try:
            quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
        finally:
            os.chdir(here)
        onnx.save(version_converter.convert_version(onnx.load(str(pre)), OPSET), str(pre))
        name = ort.InferenceSession(str(pre), providers=["CPUExecutionProvider"]).get_inputs()[0]
        inputs = _calibration(cards_per_tier)

        class Reader(CalibrationDataReader):  # type: ignore[misc]
            def get_next(self) -> dict[str, np.ndarray] | None:
                x = next(inputs, None)
                return None if x is None else {name.name: x}

        quantize_static(
            str(pre),
            str(out),
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"CalibMovingAverage": True},
        )
    model = onnx.load(str(out))
    model.doc_string = NOTICE.format(sha=_sha256(src))
    onnx.save(model, str(out))
    print(f"{out}: {out.stat().st_size} bytes, sha256 {_sha256(out)}")
    print(f"made from {src}: sha256 {_sha256(src)}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=resource_path("models", INT8_DET_MODEL))
    ap.add_argument("--cards", type=int, default=CARDS_PER_TIER, help="per tier")
    args = ap.parse_args(argv)
    quantize(args.out, args.cards)
    return 0


if __name__ == "__main__":
    sys.exit(main())
