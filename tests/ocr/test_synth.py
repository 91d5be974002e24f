"""The synthetic card generator: seeded, with ground truth that matches its pixels."""

from __future__ import annotations

import hashlib

import numpy as np

from core.codes.check import check_code
from ocr.layout import quarter_matrix, rotate_quarter
from ocr.synth import TIERS, available_fonts, make_card, make_set


def _digest(img: np.ndarray) -> str:
    return hashlib.sha1(img.tobytes()).hexdigest()


def test_same_seed_same_card_and_tiers_differ() -> None:
    a = make_card(4, "photo")
    b = make_card(4, "photo")
    assert _digest(a.image) == _digest(b.image)
    assert a.pin == b.pin
    assert _digest(make_card(4, "hard").image) != _digest(a.image)


def test_ground_truth_passes_its_profile_and_boxes_lie_in_the_image() -> None:
    for card in make_set(2, TIERS, seed=3):
        assert check_code(card.pin, card.platform, "pin", source="pasted").ok
        h, w = card.image.shape[:2]
        assert len(card.pin_boxes) == len(card.pin)
        for x, y, bw, bh in card.pin_boxes:
            assert 0 <= x < w
            assert 0 <= y < h
            assert bw > 0
            assert bh > 0


def test_tests_need_no_system_fonts() -> None:
    assert all(not f.startswith("ttf:") for f in available_fonts())


def test_quarter_turn_matrix_maps_pixels_like_cv2_rotate() -> None:
    img = np.zeros((5, 8), np.uint8)
    img[1, 6] = 255
    for k in range(4):
        turned = rotate_quarter(img, k)
        y, x = np.argwhere(turned == 255)[0]
        p = quarter_matrix(k, 8, 5) @ np.array([6, 1, 1.0])
        assert (round(p[0]), round(p[1])) == (x, y)
