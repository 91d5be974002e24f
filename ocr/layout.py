"""Where the text is: the card's outline (perspective), text lines, and line strips.

Everything here is geometry on a working copy of the image; every strip carries the
transform back to the original image, so glyph boxes can be reported in the pixels of
the photo the user gave us.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

# Longest side of the working copy: enough for 12 px text on a card filling a third of a
# 12 MP photo, small enough that every full-image step stays in the tens of milliseconds.
WORK_MAX = 1600
# Cap height of the text in the strips handed to Tesseract. The LSTM sees 36 px high
# lines; a little more keeps thin strokes alive after binarization.
STRIP_TEXT_H = 34


@dataclass
class Line:
    """A row of glyph-like components in the working image."""

    comps: list[tuple[int, int, int, int]]  # x, y, w, h of each glyph component
    angle: float = 0.0  # degrees, text baseline against the x axis
    height: float = 0.0  # median glyph height
    rotated: int = 0  # quarter turns applied to the working image before finding it
    score: float = 0.0

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs = [c[0] for c in self.comps] + [c[0] + c[2] for c in self.comps]
        ys = [c[1] for c in self.comps] + [c[1] + c[3] for c in self.comps]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)

    @property
    def center_y(self) -> float:
        _x, y, _w, h = self.box
        return y + h / 2


@dataclass
class Strip:
    """A straightened, scaled crop of one line, and the map back to the original image."""

    bgr: np.ndarray
    to_orig: np.ndarray  # 3×3: strip pixel → original image pixel
    line: Line
    flipped: bool = False
    variants: dict[str, np.ndarray] = field(default_factory=dict)
    # Rows of the glyph bodies (top, bottom), measured; None when no clear band was seen.
    band: tuple[float, float] | None = None

    def box_to_orig(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        x, y, w, h = box
        pts = np.array([[[x, y]], [[x + w, y]], [[x, y + h]], [[x + w, y + h]]], np.float32)
        q = cv2.perspectiveTransform(pts, self.to_orig).reshape(-1, 2)
        x0, y0 = np.floor(q.min(0))
        x1, y1 = np.ceil(q.max(0))
        return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def work_copy(image: np.ndarray) -> tuple[np.ndarray, float]:
    """A BGR copy no longer than WORK_MAX on its long side, and its scale to the original."""
    h, w = image.shape[:2]
    s = min(1.0, WORK_MAX / max(h, w))
    if s < 1.0:
        image = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                           interpolation=cv2.INTER_AREA)
    return image, s


def find_card(work: np.ndarray) -> np.ndarray | None:
    """The card's four corners (TL, TR, BR, BL) in the working image, when a clear
    quadrilateral covering a good part of the picture exists; otherwise None."""
    h, w = work.shape[:2]
    s = min(1.0, 500 / max(h, w))
    small = cv2.resize(work, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else work
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    edges = cv2.Canny(grey, 40, 120)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    best = None
    best_area = 0.0
    for c in contours:
        hull = cv2.convexHull(c)
        a = cv2.contourArea(hull)
        if a < 0.2 * area or a > 0.97 * area or a <= best_area:
            continue
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) != 4:
            continue
        best, best_area = approx.reshape(4, 2).astype(np.float32) / s, a
    if best is None:
        return None
    return _order(best)


def _order(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)],
                     pts[np.argmax(d)]], np.float32)


def rectify(work: np.ndarray, corners: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The card seen straight on, and the 3×3 map from working to rectified pixels."""
    if corners is None:
        return work, np.eye(3)
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    if width < 50 or height < 50:
        return work, np.eye(3)
    dst = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    m = cv2.getPerspectiveTransform(corners, dst)
    rect = cv2.warpPerspective(work, m, (int(width), int(height)), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    return rect, m


def ink_masks(grey: np.ndarray) -> list[np.ndarray]:
    """Dark-on-light ink at two strictness levels, independent of uneven light.

    grey is divided by its local paper level (a closing wider than any stroke). The first
    mask is Otsu's split; the second keeps only the darkest ink, which separates printed
    digits from the grey scratch-off residue that touches them and would otherwise merge
    a whole code into one blob.
    """
    h, w = grey.shape
    k = max(15, (max(h, w) // 40) | 1)
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    norm = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    otsu, mask = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Otsu on a page that is mostly paper can set the bar too high; faint texture is not ink.
    mask[norm > 215] = 0
    darkest = float(np.percentile(norm, 1))
    strict = darkest + 0.45 * (min(otsu, 215) - darkest)
    dark = (norm < strict).astype(np.uint8) * 255
    return [mask, dark]


def _components(mask: np.ndarray, max_h: int) -> list[tuple[int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if h < 7 or h > max_h or w > 5 * h + 4 or w < 1:
            continue
        if area < 0.08 * w * h or area < 12:
            continue
        out.append((x, y, w, h))
    return out


def group_lines(comps: list[tuple[int, int, int, int]]) -> list[Line]:
    """Chain glyph components into text rows: similar height, aligned, closely spaced."""
    comps = sorted(comps, key=lambda c: c[0])
    active: list[list[tuple[int, int, int, int]]] = []
    done: list[list[tuple[int, int, int, int]]] = []
    for c in comps:
        x, y, _w, h = c
        cy = y + h / 2
        best = None
        best_d = 1e9
        still = []
        for ln in active:
            lx, ly, lw, lh = ln[-1]
            recent = sorted(q[3] for q in ln[-4:])
            ref_h = float(recent[len(recent) // 2])
            gap = x - (lx + lw)
            if gap > 1.8 * ref_h:
                # Components come sorted by x: nothing later can join this row.
                done.append(ln)
                continue
            still.append(ln)
            if not 0.6 * ref_h <= h <= 1.6 * ref_h or gap < -0.3 * ref_h:
                continue
            # Compare bottoms as well as centres: a '-' or ':' sits mid-height.
            dy = min(abs(cy - (ly + lh / 2)), abs((y + h) - (ly + lh)))
            if dy > 0.35 * ref_h:
                continue
            d = gap + 3 * dy
            if d < best_d:
                best, best_d = ln, d
        active = still
        if best is None:
            active.append([c])
        else:
            best.append(c)
    open_lines = done + active
    lines = []
    for ln in open_lines:
        if len(ln) < 4:
            continue
        hs = np.array([c[3] for c in ln], np.float32)
        med = float(np.median(hs))
        # Keep the glyph-sized members; stray dots and dashes still belong to the row.
        core = [c for c in ln if c[3] >= 0.7 * med]
        if len(core) < 4:
            continue
        xs = np.array([c[0] + c[2] / 2 for c in core], np.float32)
        ys = np.array([c[1] + c[3] for c in core], np.float32)
        angle = 0.0
        if len(core) >= 3 and xs.max() - xs.min() > 0:
            slope = float(np.polyfit(xs, ys, 1)[0])
            angle = math.degrees(math.atan(slope))
        lines.append(Line(ln, angle, med))
    return lines


def find_lines(rect: np.ndarray, rotated: int = 0) -> list[Line]:
    grey = cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY) if rect.ndim == 3 else rect
    # A tight crop has glyphs touching its edges; a paper-coloured frame lets them be
    # found as whole components.
    pad = max(4, min(grey.shape) // 8)
    grey = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                              value=int(np.percentile(grey, 75)))
    found: list[Line] = []
    for raw in ink_masks(grey):
        # Dot-matrix and scratched glyphs fall apart into specks; a small closing puts
        # them back together without joining neighbouring characters.
        mask = cv2.morphologyEx(raw, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        comps = _components(mask, int(0.95 * min(grey.shape)))
        found += group_lines([(x - pad, y - pad, w, h) for x, y, w, h in comps])
    lines: list[Line] = []
    # Pieces of one row may come from different masks (glare fades one part of a row
    # in the strict mask, residue merges another part into blobs in the loose one).
    for ln in merge_collinear(found):
        _score(ln)
        ln.rotated = rotated
        if ln.score > 0:
            lines.append(ln)
    lines.sort(key=lambda ln: -ln.score)
    return _dedupe(lines)


def _baseline_at(ln: Line, x: float) -> float:
    """Where the row's glyph bottoms would be at column x (its own fitted slope)."""
    body = [c for c in ln.comps if c[3] >= 0.7 * ln.height]
    xs = np.array([c[0] + c[2] / 2 for c in body], np.float64)
    ys = np.array([c[1] + c[3] for c in body], np.float64)
    slope = math.tan(math.radians(ln.angle))
    return float(np.median(ys - slope * xs) + slope * x)


def merge_collinear(lines: list[Line], max_gap: float = 7.0) -> list[Line]:
    """Join pieces of one printed row: glare, a big residue flake or a coin scratch can
    swallow a few glyphs and break the chain of components in two. Pieces join when they
    have the same glyph height, one continues the other's baseline and the gap is at most
    `max_gap` glyph heights."""
    lines = sorted(lines, key=lambda ln: ln.box[0])
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(lines):
            ax, _ay, aw, _ah = a.box
            for j, b in enumerate(lines):
                if j == i:
                    continue
                bx, _by, bw, _bh = b.box
                if bx <= ax or bx + bw <= ax + aw + 0.5 * a.height:
                    continue  # b must continue a to the right
                h = max(a.height, b.height)
                if not 0.8 <= a.height / max(b.height, 1.0) <= 1.25:
                    continue
                gap = bx - (ax + aw)
                if gap > max_gap * h:
                    continue
                # b's bottoms on a's baseline, and a's on b's (both slopes agree).
                if abs(_baseline_at(a, bx + bw / 2) - _baseline_at(b, bx + bw / 2)) > 0.3 * h:
                    continue
                if abs(_baseline_at(b, ax + aw / 2) - _baseline_at(a, ax + aw / 2)) > 0.3 * h:
                    continue
                # Where the pieces overlap (the same glyphs found in both masks) a's
                # components stand.
                comps = a.comps + [c for c in b.comps if c[0] + c[2] / 2 > ax + aw]
                core = [c for c in comps if c[3] >= 0.7 * h]
                xs = np.array([c[0] + c[2] / 2 for c in core], np.float32)
                ys = np.array([c[1] + c[3] for c in core], np.float32)
                slope = float(np.polyfit(xs, ys, 1)[0]) if len(core) >= 3 else 0.0
                heights = np.array([c[3] for c in comps], np.float32)
                new = Line(comps, math.degrees(math.atan(slope)),
                           float(np.median(heights[heights >= 0.7 * h])))
                lines = [ln for k, ln in enumerate(lines) if k not in (i, j)] + [new]
                lines.sort(key=lambda ln: ln.box[0])
                merged = True
                break
            if merged:
                break
    return lines


def _score(ln: Line) -> None:
    body = [c for c in ln.comps if c[3] >= 0.7 * ln.height]
    # Touching glyphs make one wide component: count them by width.
    n = sum(max(1, round(c[2] / (0.6 * ln.height))) for c in body)
    single = sum(1 for c in body if c[2] <= 1.05 * ln.height) / max(1, len(body))
    # Codes are long rows of separate, same-sized, large glyphs; running text in small
    # print merges letters into wide blobs.
    ln.score = n * ln.height * (0.3 + single) if n >= 5 else 0.0


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return (x1 - x0) * (y1 - y0) / max(1, min(a[2] * a[3], b[2] * b[3]))


def _dedupe(lines: list[Line]) -> list[Line]:
    """The best-scoring of lines that cover the same text (found in both masks)."""
    kept: list[Line] = []
    for ln in lines:
        if all(_overlap(ln.box, k.box) < 0.5 for k in kept):
            kept.append(ln)
    return kept


def rotate_quarter(img: np.ndarray, k: int) -> np.ndarray:
    k %= 4
    if k == 0:
        return img
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, codes[k])


def quarter_matrix(k: int, w: int, h: int) -> np.ndarray:
    """3×3 map from the unrotated image (w×h) to the image turned k quarters clockwise."""
    k %= 4
    if k == 0:
        return np.eye(3)
    if k == 1:
        return np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], np.float64)
    if k == 2:
        return np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], np.float64)
    return np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], np.float64)


class Pyramid:
    """The original image and its halvings, made when first needed."""

    def __init__(self, image: np.ndarray) -> None:
        self.levels = [image]

    def level(self, i: int) -> np.ndarray:
        while len(self.levels) <= i:
            self.levels.append(cv2.pyrDown(self.levels[-1]))
        return self.levels[i]


def make_strip(  # noqa: PLR0917
    pyr: Pyramid, rect_to_orig: np.ndarray, line: Line, flip: bool = False,
    text_h: int = STRIP_TEXT_H, refine: bool = True,
) -> Strip:
    """Cut `line` out of the original image (through rect→orig), straightened and scaled so
    the glyphs are `text_h` px high; `flip` turns it 180° (upside-down cards).

    The row's glyph height comes from its components, which residue, glare and blur break
    up or glue together; with `refine` the strip is measured (where its ink band lies,
    how tall it is) and cut again at the measured height and centre when they differ.
    """
    x, y, w, h = line.box
    g = max(line.height, 4.0)
    cx, cy = x + w / 2, y + h / 2
    # Vertical centre on the glyph bodies, not on stray marks above or below.
    bottoms = sorted(c[1] + c[3] for c in line.comps if c[3] >= 0.7 * g)
    if bottoms:
        cy = bottoms[len(bottoms) // 2] - g / 2
    strip = _cut(pyr, rect_to_orig, line, flip, text_h, g, (cx, cy), w)
    band = glyph_band(strip.bgr, text_h)
    strip.band = band
    if not refine or band is None:
        return strip
    top, bottom = band
    measured = bottom - top
    mid = (top + bottom) / 2
    expected_mid = strip.bgr.shape[0] / 2
    if abs(measured - text_h) <= 0.06 * text_h and abs(mid - expected_mid) <= 0.08 * text_h:
        return strip
    # The measured band's centre, back in the rectified picture.
    strip_to_rect = np.linalg.inv(rect_to_orig) @ strip.to_orig
    q = strip_to_rect @ np.array([strip.bgr.shape[1] / 2, mid, 1.0])
    centre = (float(q[0] / q[2]), float(q[1] / q[2]))
    strip = _cut(pyr, rect_to_orig, line, flip, text_h, g * measured / text_h, centre, w)
    strip.band = glyph_band(strip.bgr, text_h)
    return strip


def glyph_band(bgr: np.ndarray, text_h: int) -> tuple[float, float] | None:
    """Top and bottom of the glyph bodies in a strip, or None when no clear row of glyphs
    is there: the median top and bottom of the tallest consistent set of glyph-shaped
    ink components. Straight rules (a panel's frame), light residue, punctuation and
    smaller print in the strip do not count."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    k = max(3, int(text_h * 1.2) | 1)
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    norm = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    otsu, _m = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    dark = float(np.percentile(norm, 1))
    if otsu - dark < 25:
        return None
    mask = (norm < dark + 0.6 * (otsu - dark)).astype(np.uint8)
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, int(text_h * 2.2)), np.uint8))
    vert = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((int(text_h * 1.4), 1), np.uint8))
    mask[(horiz > 0) | (vert > 0)] = 0
    n, _lab, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    comps = []
    for i in range(1, n):
        _x, y, w, h, area = (int(v) for v in stats[i])
        if 0.45 * text_h <= h <= 2.2 * text_h and w <= 1.5 * h and area >= 0.1 * w * h:
            comps.append((y, y + h))
    if len(comps) < 3:
        return None
    hs = np.array([b - t for t, b in comps], np.float64)
    tall = float(np.percentile(hs, 75))
    body = [(t, b) for t, b in comps if b - t >= 0.75 * tall]
    if len(body) < 3:
        return None
    top = float(np.median([t for t, _b in body]))
    bottom = float(np.median([b for _t, b in body]))
    if bottom - top < 0.45 * text_h:
        return None
    return top, bottom


def _cut(  # noqa: PLR0917
    pyr: Pyramid, rect_to_orig: np.ndarray, line: Line, flip: bool, text_h: int, g: float,
    centre: tuple[float, float], w: float,
) -> Strip:
    scale = text_h / g
    margin_x, margin_y = 1.2 * g, 0.3 * g
    out_w = round((w + 2 * margin_x) * scale)
    out_h = round((g + 2 * margin_y) * scale) + 2
    cx, cy = centre
    a = math.radians(line.angle)
    # strip → rect: centre, rotate by the line's angle, scale back.
    cos, sin = math.cos(a) / scale, math.sin(a) / scale
    m = np.array([
        [cos, -sin, cx - cos * out_w / 2 + sin * out_h / 2],
        [sin, cos, cy - sin * out_w / 2 - cos * out_h / 2],
        [0, 0, 1],
    ], np.float64)
    if flip:
        f = np.array([[-1, 0, out_w - 1], [0, -1, out_h - 1], [0, 0, 1]], np.float64)
        m = m @ f
    strip_to_orig = rect_to_orig @ m
    src_scale = _scale_of(strip_to_orig)
    level = 0
    # Sampling a big photo down by more than 2× with interpolation taps aliases strokes
    # away; take the strip from a halved copy instead, as often as needed.
    while src_scale > 2.5 and min(pyr.level(level).shape[:2]) > 64:
        level += 1
        src_scale /= 2
    src = pyr.level(level)
    to_level = np.diag([0.5**level, 0.5**level, 1.0]) @ strip_to_orig
    bgr = cv2.warpPerspective(src, to_level, (out_w, out_h),
                              flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_REPLICATE)
    return Strip(bgr, strip_to_orig, line, flip)


def _scale_of(m: np.ndarray) -> float:
    """How many source pixels one strip pixel spans (at the strip's centre)."""
    return float(math.sqrt(abs(np.linalg.det(m[:2, :2]))))
