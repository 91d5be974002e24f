"""The picture of a doubtful character that the review shows beside its choices."""

from __future__ import annotations

import numpy as np

from gui.imaging import crop


def test_a_character_is_shown_square_and_centred_with_its_neighbours_edges() -> None:
    # A code row's character box is about twice as tall as wide; shown as it is, the
    # square beside the choices held a thin strip. Columns are numbered so the test can
    # see which part of the photo came back.
    image = np.tile(np.arange(400, dtype=np.int32), (200, 1))
    piece = crop(image, (190, 50, 20, 40), pad=0.0)
    assert piece.shape == (40, 40)
    assert piece[0, 0] == 180  # as much of the row left of the glyph …
    assert piece[0, -1] == 219  # … as right of it


def test_a_character_at_the_photo_edge_is_cut_at_the_edge() -> None:
    # Squared about its centre, the region would start left of the photo: it starts at
    # the photo's edge instead, and still holds the whole glyph.
    image = np.tile(np.arange(100, dtype=np.int32), (100, 1))
    piece = crop(image, (2, 10, 10, 40), pad=0.0)
    assert piece[0, 0] == 0
    assert {2, 11} <= set(piece[0].tolist())
    assert piece.shape[0] == 40


def test_the_character_asked_about_is_framed_among_its_neighbours() -> None:
    image = np.full((200, 400, 3), 255, np.uint8)
    piece = crop(image, (190, 50, 20, 40), pad=0.0, mark="#0b4fb3")
    blue = np.all(piece == (0xB3, 0x4F, 0x0B), axis=2)
    cols = np.flatnonzero(blue.any(axis=0))
    # The frame stands round the glyph (columns 10–29 of the 40 wide square), not round
    # its neighbours at the square's edges.
    assert cols.size > 0
    assert cols.min() >= 6
    assert cols.max() <= 34
    assert not blue[:, :5].any()
    assert not blue[:, 36:].any()
