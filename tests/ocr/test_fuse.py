"""Two readings become one: a character is certain only when both readers agree and
each is confident; a glyph one reader saw and the other did not is a doubt."""

from __future__ import annotations

from ocr.fuse import DEFAULT, Evidence, align, decide, third_could_help
from ocr.hocr import OcrChar
from ocr.ppocr import CtcChar
from ocr.reading import CharReading

PITCH = 20.0
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def pp(
    text: str,
    probs: dict[int, float] | None = None,
    alts: dict[int, tuple[tuple[str, float], ...]] | None = None,
) -> list[CtcChar]:
    probs, alts = probs or {}, alts or {}
    return [
        CtcChar(
            ch,
            probs.get(i, 0.999),
            i * PITCH,
            i * PITCH + 14,
            alts.get(i, ()),
        )
        for i, ch in enumerate(text)
    ]


def tess(
    text: str,
    conf: float = 0.97,
    at: list[float] | None = None,
    choices: dict[int, list[tuple[str, float]]] | None = None,
) -> list[OcrChar]:
    at = at or [i * PITCH for i in range(len(text))]
    choices = choices or {}
    return [
        OcrChar(ch, conf, (round(x), 0, 14, 30), choices.get(i, []))
        for i, (ch, x) in enumerate(zip(text, at, strict=True))
    ]


def tiers(chars: list[CharReading]) -> str:
    return "".join("." if c.tier == "certain" else "?" for c in chars)


def test_both_readers_agree_confidently_so_every_character_is_certain() -> None:
    reads = {"lum": tess("7371257528067722"), "soft": tess("7371257528067722")}
    out = decide(pp("7371257528067722"), reads, "0123456789", {})
    assert tiers(out) == "." * 16
    assert "".join(c.char for c in out) == "7371257528067722"


def test_a_disagreement_flags_that_character_with_both_readings() -> None:
    reads = {"lum": tess("LZ7XPUSCCPL5APOO"), "soft": tess("LZ7XPUSCCPL5APOO")}
    out = decide(pp("LZ7XPUSCCPL5AP00"), reads, ALNUM, {})
    assert tiers(out) == "." * 14 + "??"
    assert out[14].char == "0"
    assert "O" in out[14].alternatives


def test_where_the_readers_split_on_o_and_zero_every_o_and_zero_of_the_row_is_unsure() -> None:
    # Both readers call the 0 at position 3 sure, but split on the two at the end: the
    # font draws O and 0 alike, so position 3 is no safer than those.
    reads = {"lum": tess("LZ70PUSCCPL5APOO"), "soft": tess("LZ70PUSCCPL5APOO")}
    out = decide(pp("LZ70PUSCCPL5AP00"), reads, ALNUM, {})
    assert tiers(out) == "...?" + "." * 10 + "??"
    assert "O" in out[3].alternatives
    # The same for I and 1; other characters stay as they were.
    reads = {"lum": tess("1ABI7"), "soft": tess("1AB17")}
    out = decide(pp("1AB17"), reads, ALNUM, {})
    assert tiers(out) == "?..?."


def test_one_tesseract_variant_co_signs_a_character_the_recogniser_is_sure_of() -> None:
    # A scratched 6: residue misleads two of Tesseract's three variants into a 5, the
    # third reads 6 surely, and the recogniser is sure of its 6.
    reads = {"lum": tess("1234567"), "soft": tess("1234557"), "bold": tess("1234557")}
    assert tiers(decide(pp("1234567"), reads, "0123456789", {})) == "......."
    # Not when the recogniser itself hesitated at that glyph,
    unsure = pp("1234567", probs={5: 0.9}, alts={5: (("5", 0.08),)})
    assert tiers(decide(unsure, reads, "0123456789", {})) == ".....?."
    # nor when the lone variant was unsure too,
    weak = {**reads, "lum": tess("1234567", conf=DEFAULT.tess_one - 0.2)}
    assert tiers(decide(pp("1234567"), weak, "0123456789", {})) == ".....?."
    # nor for a character that fonts draw like another valid one (O and 0).
    reads = {"lum": tess("AB0D"), "soft": tess("ABOD"), "bold": tess("ABOD")}
    assert tiers(decide(pp("AB0D"), reads, ALNUM, {})) == "..?."


def test_every_tesseract_variant_sure_co_signs_a_character_the_recogniser_nearly_is() -> None:
    # The recogniser gave its 7 a little less than its usual certainty (blur), every
    # Tesseract variant read 7 surely.
    hesitant = pp("1234567", probs={6: 0.93}, alts={6: (("1", 0.05),)})
    reads = {v: tess("1234567") for v in ("lum", "soft", "bold")}
    assert tiers(decide(hesitant, reads, "0123456789", {})) == "......."
    # Two variants of three are not every variant,
    split = {**reads, "bold": tess("1234561")}
    assert tiers(decide(hesitant, split, "0123456789", {})) == "......?"
    # and a recogniser that really hesitated is not outvoted.
    torn = pp("1234567", probs={6: 0.6}, alts={6: (("1", 0.35),)})
    assert tiers(decide(torn, reads, "0123456789", {})) == "......?"


def test_every_variant_and_the_second_recogniser_outweigh_a_recogniser_leaning_its_way() -> None:
    # The recogniser read a blurred 7 at about two to one against a 1; every Tesseract
    # variant and the second recogniser read 7, surely: three readers of three agree.
    torn = pp("1234567", probs={6: 0.6}, alts={6: (("1", 0.3),)})
    reads = {v: tess("1234567") for v in ("lum", "soft", "bold")}
    assert tiers(decide(torn, reads, "0123456789", {}, third=pp("1234567"))) == "......."
    # The second recogniser less than sure keeps the mark,
    unsure = pp("1234567", probs={6: 0.9})
    assert tiers(decide(torn, reads, "0123456789", {}, third=unsure)) == "......?"
    # and so does a recogniser torn evenly, or a variant reading another character.
    even = pp("1234567", probs={6: 0.5}, alts={6: (("1", 0.5),)})
    assert tiers(decide(even, reads, "0123456789", {}, third=pp("1234567"))) == "......?"
    split = {**reads, "bold": tess("1234561")}
    assert tiers(decide(torn, split, "0123456789", {}, third=pp("1234567"))) == "......?"


ALNUM_JD = ALNUM.replace("O", "")  # JD's O is its 0


def clean_and_scratched(
    chars: list[CtcChar], text: str, hidden: list[float]
) -> tuple[list[CharReading], list[CharReading]]:
    """A JD row read alike by every Tesseract variant, decided with no residue and with
    `hidden` (each glyph's share under residue)."""
    reads = {v: tess(text) for v in ("lum", "soft", "bold")}
    clean = decide(chars, reads, ALNUM_JD, {}, hidden=[0.0] * len(text))
    return clean, decide(chars, reads, ALNUM_JD, {}, hidden=hidden)


def test_every_variant_outweighs_no_hesitation_where_residue_may_hide_a_stroke() -> None:
    # Fresh seed 4040: a JD password's Q whose tail lay under residue, read 0 by every
    # variant and by the recogniser at 0.976 with the Q its rival.
    hesitant = pp("60UY", probs={1: 0.976}, alts={1: (("Q", 0.0235),)})
    clean, scratched = clean_and_scratched(hesitant, "60UY", [0.0, 0.09, 0.0, 0.0])
    assert tiers(clean) == "...."
    assert tiers(scratched) == ".?.."
    assert "Q" in scratched[1].alternatives


def test_an_o_or_zero_under_residue_where_q_is_valid_is_never_certain() -> None:
    # Fresh seed 4848: a Q whose tail lay under residue (8 % of the glyph), read 0 by
    # both readers, each sure; nothing was marked there.
    clean, scratched = clean_and_scratched(pp("X00X"), "X00X", [0.0, 0.08, 0.03, 0.0])
    assert tiers(clean) == "...."
    assert tiers(scratched) == ".?.."
    assert "Q" in scratched[1].alternatives
    # Where no Q can be (a code of digits), or none is likely (a row read as digits only,
    # on a card type whose codes may hold letters: a real photo's PIN), residue on a 0
    # makes no Q of it.
    for alphabet in ("0123456789", ALNUM_JD):
        digits = decide(
            pp("1001"),
            {v: tess("1001") for v in ("lum", "soft", "bold")},
            alphabet,
            {},
            hidden=[0.0, 0.08, 0.0, 0.0],
        )
        assert tiers(digits) == "....", alphabet


def test_a_character_marked_for_residue_offers_what_hidden_strokes_could_make_of_it() -> None:
    # Generated card 232300015: a 6 with its lower left stroke under residue, read 5 by
    # both readers, each sure. Marked, it offers 6, 8 and 9, which no reader named: the
    # user picks from the choices the review lists.
    hidden = [0.0, DEFAULT.hidden_max + 0.1, 0.0, 0.0]
    clean, scratched = clean_and_scratched(pp("7523"), "7523", hidden)
    assert tiers(clean) == "...."
    assert tiers(scratched) == ".?.."
    assert {"6", "8", "9"} <= set(scratched[1].alternatives)
    assert len(scratched[1].alternatives) <= 4
    # A character residue makes of nothing else offers only what the readers gave.
    plain, _ = clean_and_scratched(pp("7423"), "7423", hidden)
    assert plain[1].alternatives == ()


def test_a_lone_variant_co_signs_nothing_in_a_row_read_poorly() -> None:
    # Six of the nine characters unsure by both readers' agreement (a blurred row): the
    # one variant that agrees with the recogniser's 5 is no evidence there.
    reads = {
        "lum": tess("186832986"),
        "soft": tess("185599999"),
        "bold": tess("1XXXXX986", conf=0.3),
    }
    out = decide(pp("185632986"), reads, "0123456789", {})
    assert out[2].tier == "check"


def test_the_input_map_makes_o_and_zero_one_character_on_jd() -> None:
    reads = {"lum": tess("H0QUOK"), "soft": tess("H0QUOK")}
    out = decide(pp("HOQU0K"), reads, "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ", {"O": "0"})
    assert "".join(c.char for c in out) == "H0QU0K"
    assert tiers(out) == "......"


def test_a_character_the_recogniser_split_with_another_stays_unsure() -> None:
    reads = {"lum": tess("5118"), "soft": tess("5118")}
    split = decide(pp("5118", probs={2: 0.80}, alts={2: (("7", 0.15),)}), reads, "0123456789", {})
    assert tiers(split) == "..?."
    rival = decide(pp("5118", alts={3: (("3", 0.3),)}), reads, "0123456789", {})
    assert tiers(rival) == "...?"


def test_a_glyph_shared_with_the_blank_but_no_other_character_is_not_a_doubt() -> None:
    # The recogniser's peak is lower because the frames also looked like a gap; no other
    # character competed, and Tesseract agrees.
    reads = {"lum": tess("5118"), "soft": tess("5118")}
    out = decide(pp("5118", probs={2: 0.80}), reads, "0123456789", {})
    assert tiers(out) == "...."


def test_jds_o_is_its_zero_so_it_is_no_rival() -> None:
    reads = {"lum": tess("H0QU"), "soft": tess("H0QU")}
    out = decide(
        pp("H0QU", probs={1: 0.70}, alts={1: (("O", 0.29),)}),
        reads,
        "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ",
        {"O": "0"},
    )
    assert tiers(out) == "...."


def test_without_tesseract_nothing_is_certain() -> None:
    out = decide(pp("7371"), {}, "0123456789", {})
    assert tiers(out) == "????"


def test_a_glyph_only_tesseract_saw_flags_both_neighbours() -> None:
    # PP dropped the second 6 of "7886 6551"; Tesseract saw it in every variant.
    xs = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0, 160.0]
    reads = {v: tess("788665517", at=xs) for v in ("lum", "soft", "bin")}
    short = [
        CtcChar(ch, 0.999, x, x + 14)
        for ch, x in zip("78865517", [0, 20, 40, 60, 100, 120, 140, 160], strict=True)
    ]
    out = decide(short, reads, "0123456789", {})
    assert out[3].tier == "check" or out[4].tier == "check"


def test_a_glyph_only_pp_saw_is_flagged() -> None:
    reads = {v: tess("12345") for v in ("lum", "soft", "bin")}
    out = decide(pp("123X45"), reads, ALNUM, {})
    assert out[3].tier == "check"


def test_alignment_follows_position_when_a_reader_skips_a_glyph() -> None:
    match, extra = align(pp("ABCD"), tess("ABD", at=[0, 20, 60]))
    assert [m.text if m else None for m in match] == ["A", "B", None, "D"]
    assert extra == []


def test_thresholds_default_is_what_decide_uses() -> None:
    reads = {"lum": tess("12", conf=DEFAULT.tess_min - 0.2)}
    assert tiers(decide(pp("12"), reads, "0123456789", {})) == "??"


def test_an_o_or_zero_in_a_code_of_letters_and_digits_is_never_certain() -> None:
    # Noto Sans Mono CJK draws O and 0 with the same outline: both readers can be sure of
    # a 0 that is printed O ("Z5OO" read "Z500" by both, fresh seeds 2525 and 2929).
    reads = {v: tess("Z500K7QW") for v in ("lum", "soft", "bold")}
    out = decide(pp("Z500K7QW", probs=dict.fromkeys(range(8), 0.9999)), reads, ALNUM, {})
    assert tiers(out) == "..??...."
    assert out[2].alternatives[0] == "O"
    assert out[3].alternatives[0] == "O"


def test_a_zero_in_a_row_of_digits_stays_certain_where_letters_are_allowed() -> None:
    # A generic card number: the alphabet allows O, but a row of digits is made of 0s.
    reads = {v: tess("7371257528067722") for v in ("lum", "soft", "bold")}
    out = decide(pp("7371257528067722"), reads, ALNUM, {})
    assert tiers(out) == "." * 16


def test_a_one_in_a_row_of_digits_is_no_i_where_letters_are_allowed() -> None:
    # A store card's number (generic: its alphabet allows I): one Tesseract variant read
    # its last 1 as 1, one as I, one as 7, unsure; PP-OCR was sure of 1. In a row of
    # digits the 1 co-signed by one variant is certain, and no other 1 of the row is
    # marked for a font that might draw I like 1 (a sample-like card; calibration cards
    # 1100058, 1300155, 1300197).
    def split_on_last(code: str) -> dict[str, list[OcrChar]]:
        return {
            "lum": tess(code),
            "soft": tess(code[:-1] + "I"),
            "bold": tess(code[:-1] + "7", conf=0.4),
        }

    digits = "4221655261949891"
    assert tiers(decide(pp(digits), split_on_last(digits), ALNUM, {})) == "." * 16
    # In a code with letters an I may be printed there: the 1 stays unsure, and so does
    # every other 1 of the row.
    mixed = "4K21655261949891"
    assert tiers(decide(pp(mixed), split_on_last(mixed), ALNUM, {})) == "...?.....?.....?"


def test_a_variant_that_read_nothing_on_the_row_is_no_vote_against_it() -> None:
    # Scratch lines across a row can make Tesseract's line finder drop the whole page:
    # two variants came back empty, and averaged in they marked all 16 characters of a
    # row PP-OCR and the third variant read alike.
    code = "3ELI6Q3XJTJNMEDW"
    reads = {"lum": [], "soft": [], "bold": tess(code)}
    assert tiers(decide(pp(code), reads, ALNUM, {})) == "." * 16
    # … while a variant that read the row and disagrees still counts.
    split = {"lum": tess("3ELE6Q3XJTINMEDW"), "soft": [], "bold": tess(code)}
    assert "?" in tiers(decide(pp(code), split, ALNUM, {}))


def test_a_zero_split_with_an_eight_marks_every_eight_and_zero_of_the_row() -> None:
    # Dot-matrix print out of focus in a font whose 0 has a dot inside: one 0 read 8 by
    # PP-OCR and by one variant (0 by two), marked; the next 0s read 8 by both, sure.
    row = "8884958869452726"
    reads = {
        "lum": tess(row),
        "soft": tess("8804958869452726"),
        "bold": tess("8804958869452726"),
    }
    doubted = pp(row, probs={2: 0.96}, alts={2: (("0", 0.04),)})
    out = decide(doubted, reads, "0123456789", {})
    assert tiers(out) == "???...??........"  # the split 8, and every other 8
    assert all("0" in out[i].alternatives for i in (0, 1, 2, 6, 7))
    # Where the readers agree on every 8, nothing is marked for it.
    same = {v: tess(row) for v in ("lum", "soft", "bold")}
    assert tiers(decide(pp(row), same, "0123456789", {})) == "." * 16


def test_the_second_recogniser_co_signs_a_glyph_tesseract_misread_but_never_an_o_or_0() -> None:
    # Every Tesseract variant read the last 5 as S; PP-OCR's v6 and v4 both read 5,
    # surely.
    code = "X66KAEEVV7ZQWAK5"
    misread = "X66KAEEVV7ZQWAKS"
    reads = {v: tess(misread) for v in ("lum", "soft", "bold")}
    alone = decide(pp(code), reads, ALNUM, {})
    assert tiers(alone) == "." * 15 + "?"
    out = decide(pp(code), reads, ALNUM, {}, third=pp(code, dict.fromkeys(range(16), 0.99)))
    assert tiers(out) == "." * 16
    # … where the third reading is unsure or reads another character, the mark stays.
    unsure = decide(pp(code), reads, ALNUM, {}, third=pp(code, {15: 0.6}))
    assert tiers(unsure)[15] == "?"
    other = decide(pp(code), reads, ALNUM, {}, third=pp("X66KAEEVV7ZQWAK6"))
    assert tiers(other)[15] == "?"
    # An O/0 where both are valid: every recogniser may be misled alike by the font.
    reads = {v: tess("X66KAEEVVOZQWAK5") for v in ("lum", "soft", "bold")}
    zero = decide(pp("X66KAEEVV0ZQWAK5"), reads, ALNUM, {}, third=pp("X66KAEEVV0ZQWAK5"))
    assert tiers(zero)[9] == "?"


def test_a_third_reading_is_asked_for_only_where_it_could_make_a_character_certain() -> None:
    # The third reading costs time: a row whose only doubt is one it cannot settle (an
    # O/0 where both are valid) is not read again; one with a misread 5 is.
    reads = {v: tess("X66KAEEVVOZQWAK5") for v in ("lum", "soft", "bold")}
    zero: list[Evidence] = []
    decide(pp("X66KAEEVV0ZQWAK5"), reads, ALNUM, {}, evidence=zero)
    assert not all(e.certain for e in zero)
    assert not third_could_help(zero, DEFAULT)
    reads = {v: tess("X66KAEEVV7ZQWAKS") for v in ("lum", "soft", "bold")}
    five: list[Evidence] = []
    decide(pp("X66KAEEVV7ZQWAK5"), reads, ALNUM, {}, evidence=five)
    assert third_could_help(five, DEFAULT)
