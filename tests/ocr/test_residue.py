"""Residue in a row's pixels: how much of each glyph lies under scratch-off residue (the
look-alike check), and whether a code's row goes on past the characters read (the check
that marks an end of a code on card types whose codes come in several lengths)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.lines import CROP_H, Line
from ocr.residue import hidden_shares, ink_past_ends

FONT = cv2.FONT_HERSHEY_SIMPLEX
SCALE = 1.0  # digits about 22 px tall and 22 px apart, a space 18 px


def _row(text: str) -> np.ndarray:
    img = np.full((120, 900, 3), 255, np.uint8)
    cv2.putText(img, text, (40, 75), FONT, SCALE, (30, 30, 30), 2, cv2.LINE_AA)
    return img


def _line_over(image: np.ndarray, printed: str) -> tuple[Line, float]:
    """A detector's box around the first `printed` characters of the row, as the reader
    would have it; returns the line and the crop x where the box ends."""
    (w, _h), _b = cv2.getTextSize(printed, FONT, SCALE, 2)
    x0, x1, y0, y1 = 36.0, 40.0 + w + 2, 45.0, 85.0
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    scale = (y1 - y0) / CROP_H
    width = round((x1 - x0) / scale)
    crop = cv2.resize(image[int(y0) : int(y1), int(x0) : int(x1)], (width, CROP_H))
    to_image = np.array([[scale, 0, x0], [0, scale, y0], [0, 0, 1]], np.float64)
    return Line(0, quad, 1.0, crop, to_image), float(width)


def test_a_last_group_the_detector_left_out_is_ink_past_the_end() -> None:
    read = "6742 8008 2191 8463"
    image = _row(read + "  11")
    line, end = _line_over(image, read)
    # Printed in four groups: one group gap further on, the row goes on.
    assert ink_past_ends(image, line, 0.0, end, 16, groups=4)[1]
    # Where nothing follows, nothing is marked.
    clean = _row(read)
    line, end = _line_over(clean, read)
    assert ink_past_ends(clean, line, 0.0, end, 16, groups=4) == (False, False)


def test_the_foot_of_a_word_printed_above_past_the_end_is_no_glyph_of_the_row() -> None:
    # A tilted card: the brand name above runs down into the row's band past the code's
    # end, only into its upper half.
    read = "6742 8008 2191 8463"
    image = _row(read)
    (w, _h), _b = cv2.getTextSize(read, FONT, SCALE, 2)
    cv2.putText(image, "BLUE", (40 + w + 30, 58), FONT, SCALE, (30, 30, 30), 2, cv2.LINE_AA)
    line, end = _line_over(image, read)
    assert ink_past_ends(image, line, 0.0, end, 16, groups=4) == (False, False)


def test_a_panels_coloured_edge_before_the_code_is_no_glyph_but_a_dark_one_is() -> None:
    # A JD card: the card number printed on a white panel whose red edge stands a
    # character's width before the first digit. Dark as ink in grey, but red: the
    # first digit is not marked for a glyph lost before it.
    read = "4203 1435 7622 9506"
    image = _row(read)
    image[20:110, 14:24] = (40, 40, 215)  # BGR: the panel's red edge
    line, end = _line_over(image, read)
    assert ink_past_ends(image, line, 0.0, end, 16, groups=4) == (False, False)
    # The same place holding a glyph in the code's own ink is one nobody read.
    lost = _row(read)
    cv2.putText(lost, "1", (8, 75), FONT, SCALE, (30, 30, 30), 2, cv2.LINE_AA)
    line, end = _line_over(lost, read)
    assert ink_past_ends(lost, line, 0.0, end, 16, groups=4) == (True, False)


GLARED = "7637 9158 5325 2013"


def _glared_row(
    faded_from: int | None, residue_on: int | None
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """GLARED printed, with grey residue over the left half of character `residue_on`
    and glare fading everything from character `faded_from` on (ink to grey, gradually
    over about ten glyphs, as a lamp's reflection does). Returns the line crop and each
    character's span in it."""
    img = _row(GLARED)
    xs = [40 + cv2.getTextSize(GLARED[:i], FONT, SCALE, 2)[0][0] for i in range(len(GLARED) + 1)]
    if residue_on is not None:
        a, b = xs[residue_on], xs[residue_on + 1]
        img[50:78, a : (a + b) // 2 + 2] = 175
    if faded_from is not None:
        x = np.arange(img.shape[1]) - (xs[faded_from] - 4)
        keep = np.clip(1.0 - 0.6 * x / 250.0, 0.4, 1.0)[None, :, None]
        img[:] = (255 - (255 - img.astype(np.float32)) * keep).astype(np.uint8)
    line, _end = _line_over(img, GLARED)
    to_crop = np.linalg.inv(line.to_image)  # image x → crop x (the box is upright)

    def crop_x(x: float) -> float:
        return float((to_crop @ np.array([x, 60.0, 1.0]))[0])

    return line.crop, [(crop_x(xs[i]), crop_x(xs[i + 1])) for i in range(len(GLARED))]


def test_ink_faded_by_glare_is_no_residue() -> None:
    # A photo's glare fades the row to grey towards its end: the glyphs are whole, and
    # none may be marked as if residue hid part of it (sample photos' card numbers).
    crop, spans = _glared_row(faded_from=5, residue_on=None)
    assert max(hidden_shares(crop, spans)) < 0.05


def test_residue_is_measured_in_glare_and_out_of_it() -> None:
    crop, spans = _glared_row(faded_from=None, residue_on=6)
    shares = hidden_shares(crop, spans)
    assert shares[6] > 0.4
    assert max(shares[:6] + shares[7:]) < 0.05
    # Under the glare the residue fades with the ink, and is still residue.
    crop, spans = _glared_row(faded_from=5, residue_on=11)
    shares = hidden_shares(crop, spans)
    assert shares[11] > 0.4
    assert max(shares[:11] + shares[12:]) < 0.05
