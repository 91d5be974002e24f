"""Decoding Tesseract's readings against a profile, on recorded hOCR (no Tesseract run).

The recordings in data/ are Tesseract 5.5's hOCR (lstm_choice_mode=2) for the two rows of
synthetic card `make_card(7, "clean", platform="jd", font="hershey_duplex")`, preprocessed
with the `lum` and `ink` variants. Its password is FAAE9CD3044DE07D; `lum` misread the
"E" at position 13 as "£".
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes.check import check_code
from core.codes.profiles import get_profile
from ocr import decode as D
from ocr.hocr import parse_hocr
from ocr.pipeline import Choice, LineRead, _finish
from ocr.reading import CharReading

DATA = Path(__file__).parent / "data"
JD = get_profile("jd")


def _obs(row: int, variant: str) -> list[D.Obs]:
    lines = parse_hocr((DATA / f"jd_row{row}_{variant}.hocr").read_text())
    assert len(lines) == 1
    return D.observations(lines[0], variant)


def _decide(row: int, field: str = "pin") -> tuple[str, list[CharReading]]:
    slots = D.align({"lum": _obs(row, "lum"), "ink": _obs(row, "ink")})
    fmt = JD.fields[field]
    cands = D.candidates(slots, fmt, 2)
    assert cands, "no candidate of the right length"
    chars = D.decide(cands[0], fmt, ["lum", "ink"])
    return "".join(c.char for c in chars), chars


def test_hocr_keeps_characters_boxes_and_lstm_alternatives() -> None:
    lines = parse_hocr((DATA / "jd_row1_lum.hocr").read_text())
    chars = lines[0].chars
    assert "".join(c.text for c in chars).endswith("7148332729445555")
    assert all(c.box[2] > 0 and c.box[3] > 0 for c in chars)
    assert any(len(c.choices) > 1 for c in chars)
    assert all(0.0 <= c.conf <= 1.0 for c in chars)


def test_garbage_hocr_gives_no_lines() -> None:
    assert parse_hocr("") == []
    assert parse_hocr("<html><body>not closed") == []


def test_label_junk_is_not_part_of_the_code() -> None:
    value, _chars = _decide(1, "card_number")
    assert value == "7148332729445555"


def test_variants_that_disagree_flag_that_character_only() -> None:
    value, chars = _decide(0)
    assert value == "FAAE9CD3044DE07D"
    flagged = [i for i, c in enumerate(chars) if c.flagged]
    assert 12 in flagged  # the "E" one variant read as "£"
    assert chars[12].char == "E"
    # Agreeing, confident characters with no valid look-alike stay certain.
    assert chars[0].tier == "certain"  # F
    assert chars[5].tier == "certain"  # C


def test_a_valid_look_alike_needs_stronger_evidence() -> None:
    """Hex 8/B, 0/D, E/F are both valid on a JD card: only near-certain readings pass."""
    box = (0, 0, 10, 20)
    weak = D.Obs("a", "8", 0.93, box, {"8": 0.93})
    slots = D.align({"a": [weak], "b": [D.Obs("b", "8", 0.93, box, {"8": 0.93})]})
    cand = D.Candidate(slots, [1], "8")
    [c] = D.decide(cand, JD.fields["pin"], ["a", "b"])
    assert c.tier == "check"
    assert "B" in c.alternatives


def test_a_confident_character_beside_a_split_one_needs_no_strong_rival() -> None:
    """Residue over two glyphs: the variants split on one, and all read its neighbour "9"
    while two of them also saw a "0" there. The "9" is not shown as certain."""
    cm = get_profile("cmcc").fields["pin"]
    names = ["a", "b", "c", "d", "e"]

    def row(split: bool) -> list[D.Slot]:
        reads: dict[str, list[D.Obs]] = {}
        for k, v in enumerate(names):
            first = "2" if split and k >= 2 else "4"
            reads[v] = [D.Obs(v, first, 0.97, (0, 0, 10, 20), {first: 0.97}),
                        D.Obs(v, "9", 0.98, (20, 0, 10, 20),
                              {"9": 0.98, "0": 0.54 if k < 2 else 0.1}),
                        D.Obs(v, "1", 0.99, (40, 0, 10, 20), {"1": 0.99})]
        return D.align(reads)

    split = D.decide(D.Candidate(row(True), [3], "491"), cm, names)
    assert split[0].flagged
    assert split[1].flagged
    assert "0" in split[1].alternatives
    assert split[2].tier == "certain"
    clean = D.decide(D.Candidate(row(False), [3], "491"), cm, names)
    assert [c.tier for c in clean] == ["certain"] * 3  # the same "9" alone is certain


def test_a_rival_the_variants_keep_seeing_keeps_a_character_unsure() -> None:
    """A serif "C" read as "0" by every variant, with "C" close behind each time."""
    box = (0, 0, 10, 20)

    def slot(peaks: list[float]) -> list[D.Slot]:
        names = [f"v{k}" for k in range(len(peaks))]
        return D.align({v: [D.Obs(v, "0", 0.97, box, {"0": 0.97, "C": q})]
                        for v, q in zip(names, peaks, strict=True)})

    def tier(peaks: list[float]) -> str:
        names = [f"v{k}" for k in range(len(peaks))]
        [c] = D.decide(D.Candidate(slot(peaks), [1], "0"), JD.fields["pin"], names)
        return c.tier

    assert tier([0.7, 0.1]) == "check"  # first pass: worth a second look
    assert tier([0.7, 0.55, 0.6, 0.1, 0.2]) == "check"  # second pass: most still see it
    assert tier([0.7, 0.1, 0.1, 0.1, 0.2]) == "certain"  # one harsh variant's whim
    assert tier([0.3, 0.1]) == "certain"


def test_one_extra_word_break_is_a_wide_glyph_not_a_lost_one() -> None:
    fmt = JD.fields["pin"]
    assert D.group_match([4, 4, 4, 4], fmt)
    assert not D.group_match([4, 4, 4, 3, 1], fmt)
    assert D.group_match([4, 4, 4, 3, 1], fmt, extra_breaks=1)
    assert not D.group_match([1, 3, 1, 3, 4, 4], fmt, extra_breaks=1)  # two extra breaks
    assert not D.group_match([4, 4, 5, 3], fmt, extra_breaks=1)  # a boundary moved


def test_a_letter_the_alphabet_lacks_is_fixed_only_when_unambiguous() -> None:
    box = (0, 0, 10, 20)
    # JD's own input maps O to 0, so "O" read on a JD card is a 0.
    o = {"a": [D.Obs("a", "O", 0.99, box, {"O": 0.99})],
         "b": [D.Obs("b", "O", 0.99, box, {"O": 0.99})]}
    [c] = D.decide(D.Candidate(D.align(o), [1], "O"), JD.fields["pin"], ["a", "b"])
    assert c.char == "0"
    # A China Mobile password is digits only: "S" could be 5 or 8, so it is flagged.
    cm = get_profile("cmcc").fields["pin"]
    s = {"a": [D.Obs("a", "S", 0.99, box, {"S": 0.99})],
         "b": [D.Obs("b", "S", 0.99, box, {"S": 0.99})]}
    [c] = D.decide(D.Candidate(D.align(s), [1], "S"), cm, ["a", "b"])
    assert c.flagged
    assert {c.char, *c.alternatives} >= {"5", "8"}


def test_a_code_is_never_cut_short_to_fit_the_length() -> None:
    """19 digits in a row must not yield a 16-character password (its last 16)."""
    box_w = 10

    def obs(v: str, text: str) -> list[D.Obs]:
        out = []
        x = 0
        for i, ch in enumerate(text):
            if i and i % 4 == 0:
                x += 12
            out.append(D.Obs(v, ch, 0.99, (x, 0, box_w, 20), {ch: 0.99}))
            x += 12
        return out

    text = "1234567890123456789"
    slots = D.align({"a": obs("a", text), "b": obs("b", text)})
    assert D.candidates(slots, JD.fields["pin"], 2) == []
    assert [c.raw for c in D.candidates(slots, JD.fields["card_number"], 2)] == [text]


_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ£#|-.:"


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=_CHARS, min_size=1, max_size=22), min_size=2, max_size=2),
    confs=st.lists(st.floats(0.0, 1.0), min_size=22, max_size=22),
    gaps=st.lists(st.booleans(), min_size=22, max_size=22),
)
def test_no_unflagged_value_outside_the_profile_format(
    texts: list[str], confs: list[float], gaps: list[bool]
) -> None:
    """Whatever Tesseract says, a field whose value breaks the format has no character
    shown as certain, and a certain character is always one the alphabet accepts."""
    readings = {}
    for v, text in zip(("lum", "ink"), texts, strict=True):
        out, x = [], 0
        for i, ch in enumerate(text):
            x += 12 + (10 if gaps[i] else 0)
            out.append(D.Obs(v, ch, confs[i], (x, 0, 10, 20), {ch: confs[i]}))
        readings[v] = out
    slots = D.align(readings)
    lr = LineRead(0, None, ["lum", "ink"])  # type: ignore[arg-type]
    lr.slots = slots
    for name in ("pin", "card_number"):
        fmt = JD.fields[name]
        for cand in D.candidates(slots, fmt, 2):
            chars = D.decide(cand, fmt, lr.variants)
            choice = Choice(name, lr, cand, [CharReading(c.char, c.confidence,
                                                         c.alternatives, None, c.tier)
                                             for c in chars], 0.0)
            field = _finish(choice, JD)
            for c in field.chars:
                if c.tier == "certain":
                    assert c.char in fmt.alphabet
            if not check_code(field.value or "", JD, name, source="pasted").ok:
                assert all(c.flagged for c in field.chars)
                assert not field.format_ok
