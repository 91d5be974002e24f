"""PP-OCR through the ONNX models that the `rapidocr` wheel ships: the line detector that
finds every text line on a card (Chinese included) and the recogniser that reads each line
and, for code rows, gives a second reading of every character, independent of Tesseract.

We run the two models with onnxruntime ourselves instead of through RapidOCR's one-call
API because the reader needs what that API throws away: the recogniser's per-frame class
probabilities (for each character's look-alikes and for a reading restricted to a
profile's alphabet) and a detector run at a resolution chosen per picture. RapidOCR's own
post-processing of the detector map (DB boxes) is reused as is. See docs/ocr.md.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from core.i18n import _
from core.resources import resource_path
from ocr.errors import OcrEngineMissingError

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
# The same detector with 8-bit integer weights and activations, made from DET_MODEL by
# benchmarks/quantize_detector.py and shipped in resources/models/: about three times
# faster on a CPU, the same lines found (docs/ocr.md, "Speed: the detector in 8-bit
# integers"). False: the wheel's float detector (benchmarks compare the two).
INT8_DET_MODEL = "PP-OCRv6_det_small.int8.onnx"
USE_INT8_DET = True
# An older recogniser of the same family (PP-OCRv4 mobile, unchanged, shipped in
# resources/models/): a third reading of the chosen code rows only. A model of its own,
# it errs elsewhere than v6 often enough (measured on generated cards) to co-sign a
# character Tesseract misreads (docs/ocr.md, "A third reading").
SECOND_REC_MODEL = "PP-OCRv4_rec_mobile.onnx"
USE_SECOND_REC = True
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"  # a line's 0° / 180° classifier
WHEEL_MODELS = (DET_MODEL, REC_MODEL, CLS_MODEL)  # what the read needs from the wheel
CLS_H, CLS_W = 48, 192
REC_H = 48  # the recogniser's input height
REC_MIN_W = 16
REC_MAX_W = 3200  # longer lines are cut (a note paragraph line, never a code)
# Characters we keep a full probability column for (everything a code, a separator, a
# label like "PIN:" or a hotline can hold): what a reading under an alphabet needs.
ASCII_KEEP = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-:#.*/ "
TOP_ALTS = 4
RIVALS_STOP = True  # False: a touching neighbour's frame counts as a rival (benchmarks)


@dataclass(frozen=True)
class CtcChar:
    """One character of a recognised line."""

    char: str
    prob: float  # the recogniser's peak probability for `char` over its frames
    x0: float  # extent in the line image, in pixels of the crop that was read
    x1: float
    alts: tuple[tuple[str, float], ...] = ()  # other classes seen at its frames, best first


@dataclass
class LineText:
    """A recognised line: greedy CTC text plus what is needed to read it again under an
    alphabet (the per-frame probabilities of the characters a code can hold)."""

    chars: list[CtcChar]
    width: int  # pixels of the crop that was read
    frames: int
    keep: np.ndarray = field(repr=False)  # (frames, len(ASCII_KEEP)+1): blank first

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def mean_prob(self) -> float:
        return float(np.mean([c.prob for c in self.chars])) if self.chars else 0.0

    def frame_x(self, t: float) -> float:
        return (t + 0.5) * self.width / max(1, self.frames)

    def restricted(
        self,
        allowed: str,
        x0: float = 0.0,
        x1: float | None = None,
    ) -> list[CtcChar]:
        """The greedy reading of the frames between x0 and x1 with every class outside
        `allowed` (and outside the separators space and '-') taken out and the rest
        renormalised: what this line says if it is a code of that alphabet."""
        x1 = self.width if x1 is None else x1
        names = ["", *[c for c in dict.fromkeys(allowed + " -") if c in ASCII_KEEP]]
        sub = np.empty((self.frames, len(names)), np.float32)
        sub[:, 0] = self.keep[:, 0]
        for j, c in enumerate(names[1:], start=1):
            sub[:, j] = self.keep[:, 1 + ASCII_KEEP.index(c)]
            low = c.lower()
            if low != c and low not in allowed:
                # Printed codes are upper case; a glyph the recogniser took for its
                # lower-case twin (o, s, x, z …) still counts for the letter.
                sub[:, j] += self.keep[:, 1 + ASCII_KEEP.index(low)]
        total = sub.sum(axis=1, keepdims=True)
        p = sub / np.maximum(total, 1e-9)
        t0 = max(0, math.floor(x0 * self.frames / max(1, self.width)))
        t1 = min(self.frames, math.ceil(x1 * self.frames / max(1, self.width)))
        return _greedy(p[t0:t1], names, t0, self)


def _greedy(p: np.ndarray, names: Sequence[str], t_off: int, line: LineText) -> list[CtcChar]:
    """Collapse a (frames, classes) probability matrix whose column 0 is the CTC blank;
    character positions are in the pixels of `line`'s crop."""
    if p.size == 0:
        return []
    width, frames = line.width, line.frames
    idx = p.argmax(axis=1)
    # Alternatives come only from classes that reach the floor somewhere on the line: a
    # handful of ~6,600, found once per line instead of once per character.
    cols = np.flatnonzero(p.max(axis=0) >= 0.005)
    sub = p[:, cols]
    out: list[CtcChar] = []
    t = 0
    n = len(idx)
    while t < n:
        k = int(idx[t])
        if k == 0:
            t += 1
            continue
        s = t
        while t < n and idx[t] == k:
            t += 1
        peak = float(p[s:t, k].max())
        # A rival is looked for on the character's own frames and on a blank frame beside
        # them, never on a neighbour's: where two characters touch (no blank between, as
        # in a condensed or small line) the neighbour's frame is its own character, not a
        # doubt about this one (docs/ocr.md, "Rivals stop at a neighbour").
        lo = s - 1 if s > 0 and (not RIVALS_STOP or idx[s - 1] == 0) else s
        hi = t + 1 if t < n and (not RIVALS_STOP or idx[t] == 0) else t
        best = sub[lo:hi].max(axis=0)
        best[(cols == 0) | (cols == k)] = 0.0
        order = np.argsort(best)[::-1][:TOP_ALTS]
        alts = tuple((names[int(cols[j])], float(best[j])) for j in order if best[j] >= 0.005)
        scale = width / max(1, frames)
        out.append(CtcChar(names[k], peak, (s + t_off) * scale, (t + t_off) * scale, alts))
    return out


@dataclass(frozen=True)
class _Model:
    """A recogniser session with its class table."""

    session: Any
    input: str
    classes: list[str]
    keep: np.ndarray  # columns of ASCII_KEEP (blank first)


class PPOCR:
    """The ONNX sessions (detector, recogniser, orientation classifier and, when shipped,
    the second recogniser), loaded once per process (loading takes ~0.3–0.5 s)."""

    _shared: PPOCR | None = None
    _shared_lock = threading.Lock()

    def __init__(
        self,
        model_dir: Path,
        threads: int = 0,
        detector: Path | None = None,
        second: Path | None = None,
    ) -> None:
        """`detector`: a detector model to use instead of the wheel's (the 8-bit one);
        when it cannot be loaded, the wheel's is used and the log says why. `second`: the
        recogniser that gives code rows a third reading; without it (missing, damaged)
        the reading goes on with two readers, as the log says."""
        import onnxruntime as ort
        from rapidocr.ch_ppocr_det.utils import DBPostProcess

        t0 = time.perf_counter()
        opts = ort.SessionOptions()
        opts.log_severity_level = 4
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        # Idle worker threads sleep instead of spinning: a spinning thread holds a core
        # while the read goes on in Python and in the Tesseract processes (docs/ocr.md,
        # "Speed").
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        providers = ["CPUExecutionProvider"]
        self.det: Any = None
        self.detector = model_dir / DET_MODEL  # the file the detector was loaded from
        if detector is not None:
            try:
                self.det = ort.InferenceSession(str(detector), opts, providers=providers)
                self.detector = detector
            except Exception as exc:  # onnxruntime raises its own, untyped, errors
                log.warning("8-bit detector unusable, using the float one: %s", exc)
        if self.det is None:
            self.det = ort.InferenceSession(str(self.detector), opts, providers=providers)
        self.rec = ort.InferenceSession(str(model_dir / REC_MODEL), opts, providers=providers)
        self.cls = ort.InferenceSession(str(model_dir / CLS_MODEL), opts, providers=providers)
        meta = self.rec.get_modelmeta().custom_metadata_map
        self.classes: list[str] = ["", *meta["character"].splitlines(), " "]
        self._keep_cols = np.array([0] + [self.classes.index(c) for c in ASCII_KEEP])
        self.first = _Model(self.rec, self.rec.get_inputs()[0].name, self.classes, self._keep_cols)
        self.second: _Model | None = None
        if second is not None:
            try:
                sess = ort.InferenceSession(str(second), opts, providers=providers)
                names = [
                    "",
                    *sess.get_modelmeta().custom_metadata_map["character"].splitlines(),
                    " ",
                ]
                keep = np.array([0] + [names.index(c) for c in ASCII_KEEP])
                self.second = _Model(sess, sess.get_inputs()[0].name, names, keep)
            except Exception as exc:  # onnxruntime's own errors, a model without its table
                log.warning("second recogniser unusable, reading without it: %s", exc)
        self._post = DBPostProcess(
            thresh=0.3, box_thresh=0.5, max_candidates=1000, unclip_ratio=1.6, use_dilation=True
        )
        self._det_in = self.det.get_inputs()[0].name
        self.load_ms = (time.perf_counter() - t0) * 1000
        # onnxruntime sessions may run from several threads, but two at once on two
        # cores only slow each other down; one read at a time.
        self.lock = threading.Lock()

    @classmethod
    def get(cls) -> PPOCR:
        """The shared engine; raises OcrEngineMissingError when it cannot be loaded."""
        with cls._shared_lock:
            if cls._shared is None:
                detector = int8_detector()
                if detector is None and USE_INT8_DET:
                    log.warning("%s is not installed; using the float detector", INT8_DET_MODEL)
                second = second_recogniser()
                if second is None and USE_SECOND_REC:
                    log.warning(
                        "%s is not installed; code rows get two readings, not three",
                        SECOND_REC_MODEL,
                    )
                cls._shared = cls(model_dir(), detector=detector, second=second)
            return cls._shared

    # -- detection ---------------------------------------------------------------------

    def detect(self, image: np.ndarray, max_side: int) -> tuple[np.ndarray, np.ndarray]:
        """Text line quadrilaterals (N, 4, 2) in `image` pixels, clockwise from the top
        left, and their scores. The detector sees the picture scaled so that its longer
        side is at most `max_side` (a multiple of 32)."""
        h, w = image.shape[:2]
        x = det_input(image, max_side)
        with self.lock:
            pred = self.det.run(None, {self._det_in: x})[0]
        boxes, scores = self._post(pred, (h, w))
        if len(boxes) == 0:
            return np.zeros((0, 4, 2), np.float32), np.zeros(0, np.float32)
        return np.asarray(boxes, np.float32), np.asarray(scores, np.float32)

    # -- orientation ----------------------------------------------------------------------

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[float]:
        """For each line image, the classifier's probability that it is upside down."""
        if not crops:
            return []
        x = np.zeros((len(crops), 3, CLS_H, CLS_W), np.float32)
        for j, crop in enumerate(crops):
            img = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop
            w = min(CLS_W, max(1, math.ceil(CLS_H * img.shape[1] / max(1, img.shape[0]))))
            r = cv2.resize(img, (w, CLS_H)).astype(np.float32)
            x[j, :, :, :w] = (r * (2 / 255.0) - 1.0).transpose(2, 0, 1)
        with self.lock:
            out = self.cls.run(None, {self.cls.get_inputs()[0].name: x})[0]
        return [float(p[1]) for p in out]

    # -- recognition -------------------------------------------------------------------

    def recognize(self, crops: Sequence[np.ndarray], *, second: bool = False) -> list[LineText]:
        """Read line images (BGR, any size, text upright and horizontal). Lines of similar
        width share a batch so that little padding is computed. `second`: with the
        second recogniser (none read when it is not loaded)."""
        if not crops:
            return []
        model = self.second if second else self.first
        if model is None:
            return []
        widths = [
            min(REC_MAX_W, max(REC_MIN_W, math.ceil(REC_H * c.shape[1] / max(1, c.shape[0]))))
            for c in crops
        ]
        order = sorted(range(len(crops)), key=lambda i: widths[i])
        out: list[LineText | None] = [None] * len(crops)
        batch: list[int] = []
        for i in order:
            # A new batch when this line is much wider than the batch's narrowest.
            if batch and (widths[i] > 1.25 * widths[batch[0]] + 32 or len(batch) >= 8):
                self._rec_batch(model, crops, widths, batch, out)
                batch = []
            batch.append(i)
        if batch:
            self._rec_batch(model, crops, widths, batch, out)
        return [o for o in out if o is not None]

    def _rec_batch(
        self,
        model: _Model,
        crops: Sequence[np.ndarray],
        widths: list[int],
        ids: list[int],
        out: list[LineText | None],
    ) -> None:
        wmax = max(widths[i] for i in ids)
        wmax = math.ceil(wmax / 8) * 8
        x = np.zeros((len(ids), 3, REC_H, wmax), np.float32)
        for j, i in enumerate(ids):
            img = crops[i]
            if img.ndim == 2:
                img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
            r = cv2.resize(
                img,
                (widths[i], REC_H),
                interpolation=cv2.INTER_AREA if img.shape[0] > REC_H else cv2.INTER_CUBIC,
            )
            if widths[i] < wmax:
                # Pad with the line's own background, not black: the recogniser reads
                # a dark band after the text as one more glyph.
                r = cv2.copyMakeBorder(r, 0, 0, 0, wmax - widths[i], cv2.BORDER_REPLICATE)
            x[j] = (r.astype(np.float32) * (2 / 255.0) - 1.0).transpose(2, 0, 1)
        with self.lock:
            probs = model.session.run(None, {model.input: x})[0]
        frames_total = probs.shape[1]
        for j, i in enumerate(ids):
            # Frames over the padding are not part of this line.
            frames = max(1, round(frames_total * widths[i] / wmax))
            p = probs[j, :frames]
            line = LineText([], widths[i], frames, p[:, model.keep])
            line.chars = _full_greedy(p, model.classes, line)
            # Pixel positions in the crop as given (not the 48 px tall copy).
            f = crops[i].shape[1] / widths[i]
            line.chars = [CtcChar(c.char, c.prob, c.x0 * f, c.x1 * f, c.alts) for c in line.chars]
            line.width = crops[i].shape[1]
            out[i] = line


def _full_greedy(p: np.ndarray, classes: list[str], line: LineText) -> list[CtcChar]:
    return _greedy(p, classes, 0, line)


def det_input(image: np.ndarray, max_side: int) -> np.ndarray:
    """The detector's input for a BGR picture: scaled so that its longer side is at most
    `max_side`, both sides multiples of 32, values in [-1, 1], (1, 3, h, w)."""
    h, w = image.shape[:2]
    r = min(1.0, max_side / max(h, w))
    rh = max(32, round(h * r / 32) * 32)
    rw = max(32, round(w * r / 32) * 32)
    x = cv2.resize(image, (rw, rh), interpolation=cv2.INTER_AREA if r < 1 else cv2.INTER_LINEAR)
    # (x - 127.5) · 2/255 and the channels first, in one pass (a third of this step's
    # time at 960 px, the same values to 1e-7).
    return np.asarray(cv2.dnn.blobFromImage(x, 2 / 255.0, mean=(127.5, 127.5, 127.5)))


def second_recogniser() -> Path | None:
    """The shipped second recogniser, or None (left out of the install, or turned off)."""
    path = resource_path("models", SECOND_REC_MODEL)
    return path if USE_SECOND_REC and path.is_file() else None


def int8_detector() -> Path | None:
    """The shipped 8-bit detector, or None (left out of the install, or turned off)."""
    path = resource_path("models", INT8_DET_MODEL)
    return path if USE_INT8_DET and path.is_file() else None


def wheel_models() -> list[Path]:
    """The rapidocr wheel's model files the read needs, found without importing rapidocr
    (for `cardbind doctor`); none when rapidocr is not installed (its probe says so)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).resolve().parent / "models"
    return [folder / m for m in WHEEL_MODELS]


def own_models() -> list[Path]:
    """cardbind's own model files (resources/models/), for `cardbind doctor`."""
    return [resource_path("models", m) for m in (INT8_DET_MODEL, SECOND_REC_MODEL)]


def model_dir() -> Path:
    """Where the rapidocr wheel keeps its ONNX models."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr
    except ImportError as exc:
        raise OcrEngineMissingError(
            _(
                "The line reader (PP-OCR) is not installed, so pictures cannot be read; "
                "you can still type or paste the code. Install it with: "
                "pip install rapidocr onnxruntime"
            )
        ) from exc
    path = Path(rapidocr.__file__).resolve().parent / "models"
    if not all((path / m).is_file() for m in WHEEL_MODELS):
        raise OcrEngineMissingError(
            _(
                "The PP-OCR models are missing from the rapidocr package; reinstall it with: "
                "pip install --force-reinstall rapidocr"
            )
        )
    return path


def crop_quad(
    image: np.ndarray, quad: np.ndarray, pad: float = 0.0, height: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a text line out of `image` straight (perspective undone), with `pad` × its
    height added on every side, optionally scaled to `height` pixels. Returns the crop
    and the 3×3 matrix mapping crop pixels back to image pixels."""
    q = np.asarray(quad, np.float32)
    w = float(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3])))
    h = float(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
    w, h = max(w, 2.0), max(h, 2.0)
    s = 1.0 if height is None else height / (h * (1 + 2 * pad))
    ow = max(2, round((w + 2 * pad * h) * s))
    oh = max(2, round(h * (1 + 2 * pad) * s))
    dst = np.array(
        [
            [pad * h * s, pad * h * s],
            [(w + pad * h) * s, pad * h * s],
            [(w + pad * h) * s, (h + pad * h) * s],
            [pad * h * s, (h + pad * h) * s],
        ],
        np.float32,
    )
    m = cv2.getPerspectiveTransform(q, dst)
    interp = cv2.INTER_AREA if s < 0.8 else cv2.INTER_CUBIC
    crop = cv2.warpPerspective(image, m, (ow, oh), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    return crop, np.linalg.inv(m)
