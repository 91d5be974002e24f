"""Which line is the password and which the card number: labels decide first, then the
format, then place; notes and hotlines are never candidates; an undecidable pick is a
doubt on the whole field, never a silent choice."""

from __future__ import annotations

import numpy as np

from core.codes.profiles import get_profile
from ocr import fields as F
from ocr import labels as LB
from ocr.lines import CROP_H, Line
from ocr.ppocr import ASCII_KEEP, CtcChar, LineText

CHAR_W = 24.0  # crop pixels per character in these made-up lines


def text_line(
    text: str, x: float, y: float, height: float = 40.0, box_length: float | None = None
) -> Line:
    """A recognised line as the recogniser would return it: every character read for
    certain, two frames per character (the glyph, then a blank). `box_length`: the
    detector's box runs this long (the text fills only its start)."""
    width = int(len(text) * CHAR_W) + 8
    frames = 2 * len(text)
    keep = np.zeros((frames, len(ASCII_KEEP) + 1), np.float32)
    chars = []
    for i, ch in enumerate(text):
        keep[2 * i + 1, 0] = 1.0  # blank after each glyph
        if ch in ASCII_KEEP:
            keep[2 * i, 1 + ASCII_KEEP.index(ch)] = 1.0
        x0 = 2 * i * width / frames
        chars.append(CtcChar(ch, 1.0, x0, x0 + width / frames))
    lt = LineText(chars, width, frames, keep)
    scale = height / CROP_H
    length = width * scale if box_length is None else box_length
    quad = np.array(
        [[x, y], [x + length, y], [x + length, y + height], [x, y + height]], np.float32
    )
    to_image = np.array([[scale, 0, x], [0, scale, y], [0, 0, 1]], np.float64)
    crop = np.full((CROP_H, width, 3), 255, np.uint8)  # paper: the text is in the reading
    return Line(0, quad, 1.0, crop, to_image, lt)


def assign(lines: list[Line], platform: str) -> F.Assignment:
    return F.assign(F.candidates(lines), get_profile(platform))


def test_labels_decide_which_row_is_which_even_against_the_usual_order() -> None:
    # The password is printed ABOVE the card number here, and both are 16 digits.
    lines = [
        text_line("密码：", 40, 100),
        text_line("9876 5432 1098 7654", 160, 100),
        text_line("卡号：", 40, 180),
        text_line("1234 5678 9012 3456", 160, 180),
    ]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.pin.value == "9876543210987654"
    assert a.card_number is not None
    assert a.card_number.value == "1234567890123456"
    assert not a.row_doubt


def test_a_label_above_its_value_names_it() -> None:
    lines = [
        text_line("Security PIN", 40, 100),
        text_line("5WSZ 42T3 GCNG E64S", 40, 150),
        text_line("Card Number", 40, 230),
        text_line("7668 5246 8856 5209", 40, 280),
    ]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.pin.value == "5WSZ42T3GCNGE64S"
    assert a.card_number is not None
    assert a.card_number.value == "7668524688565209"


def test_an_inline_label_is_cut_off_the_value() -> None:
    lines = [
        text_line("卡密：35D3-1J6U-KXJ1-D76O", 40, 100),
        text_line("卡号：8178 4021 9346 8186", 40, 40),
    ]
    a = assign(lines, "jd")
    assert a.pin is not None
    assert a.pin.value == "35D31J6UKXJ1D76O"
    assert (a.pin.label, a.pin.label_how) == ("pin", "inline")
    assert a.card_number is not None
    assert a.card_number.value == "8178402193468186"


def test_hotlines_notes_addresses_and_dates_are_never_candidates() -> None:
    lines = [
        text_line("客服热线：400-606-5500", 40, 300),
        text_line("服务热线：10086", 40, 340),
        text_line("使用说明：登录京东商城www.jd.com绑定", 40, 380),
        text_line("有效期至：2029年12月31日", 40, 420),
        text_line("or call 1-800-555-0194", 40, 460),
        text_line("密码：908549 763735 806408", 40, 100),
    ]
    cands = F.candidates(lines)
    assert [c.value for c in cands] == ["908549763735806408"]


def test_equal_rows_without_labels_are_a_doubt_not_a_pick() -> None:
    lines = [text_line("1234 5678 9012 3456", 40, 100), text_line("9876 5432 1098 7654", 40, 180)]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.row_doubt
    other = {"1234567890123456", "9876543210987654"} - {a.pin.value}
    assert [r.value for r in a.pin_rivals] == list(other)


def test_a_row_with_letters_is_the_password_on_cards_whose_numbers_are_digits() -> None:
    lines = [text_line("5118 7139 2751 8844", 40, 100), text_line("F4HR E819 X7B2 QE6J", 40, 180)]
    a = assign(lines, "jd")
    assert a.pin is not None
    assert a.pin.value == "F4HRE819X7B2QE6J"
    assert a.card_number is not None
    assert a.card_number.value == "5118713927518844"


def test_words_in_capitals_are_not_codes() -> None:
    lines = [
        text_line("THANK YOU", 40, 100),
        text_line("ORIGINAL", 40, 160),
        text_line("2124 33109 7927", 40, 220, height=60),
    ]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.pin.value == "2124331097927"


def test_the_grouping_as_printed_is_kept() -> None:
    cands = F.candidates([text_line("17925 6428 26252", 40, 100)])
    assert cands[0].groups == (5, 4, 5)


def jittered(code: str, steps: list[int], frame: float = 8.0) -> list[CtcChar]:
    """A code read as the recogniser places it: each character one frame wide, a step
    of whole frames from the one before (`steps`, in frames)."""
    x = 10 * frame
    out = [CtcChar(code[0], 1.0, x, x + frame)]
    for ch, step in zip(code[1:], steps, strict=True):
        x += step * frame
        out.append(CtcChar(ch, 1.0, x, x + frame))
    return out


def test_a_step_one_frame_long_is_no_group_gap() -> None:
    # 4-4-4-4 with two frames between neighbours, four across a group gap, and the
    # recogniser one frame late on two glyphs (a photographed card, generated photo 17).
    steps = [2, 3, 2, 4, 2, 2, 2, 4, 2, 2, 3, 4, 2, 2, 2]
    groups, code = F.groups_of(jittered("4453416143156236", steps), frame=8.0)
    assert groups == (4, 4, 4, 4)
    assert "".join(c.char for c in code) == "4453416143156236"


def test_gaps_that_make_groups_no_card_prints_leave_the_separators_to_decide() -> None:
    # Dashes read between every group; the recogniser's places jitter by two frames
    # inside the third group: 4-4-2-2-4 is no printed grouping, 4-4-4-4 is.
    chars = jittered("PAD3P59MQ6WW24TM", [2, 2, 2, 4, 2, 2, 2, 4, 2, 4, 2, 4, 2, 2, 2])
    dashed = [*chars[:4], CtcChar("-", 1.0, 0, 0), *chars[4:8], CtcChar("-", 1.0, 0, 0)]
    dashed += [*chars[8:12], CtcChar("-", 1.0, 0, 0), *chars[12:]]
    assert F.groups_of(dashed, frame=8.0)[0] == (4, 4, 4, 4)
    # … while gaps alone still group a code printed with spaces the recogniser missed.
    wide = jittered("7501876926205112", [2, 2, 2, 4, 2, 2, 2, 4, 2, 2, 2, 4, 2, 2, 2])
    assert F.groups_of(wide, frame=8.0)[0] == (4, 4, 4, 4)


def test_when_the_password_may_be_the_card_numbers_row_both_fields_are_in_doubt() -> None:
    # Two unlabelled digit rows of a recharge card: nothing says which is which, so the
    # password is in doubt with the other row beside it — and the card number with it,
    # since if the rows are swapped the card number is the password's row (generated
    # seed 9191: the rows given swapped, the card number shown mostly as certain).
    lines = [
        text_line("675910 505799 065203", 40, 100),
        text_line("8910 6794 4934 6322 7", 40, 180),
    ]
    for platform in ("generic", "cmcc"):
        a = assign(lines, platform)
        assert a.row_doubt
        assert [r.value for r in a.pin_rivals] == ["89106794493463227"]
        assert a.number_doubt


def test_a_lone_digit_row_on_a_jd_card_could_be_the_card_number() -> None:
    # The password under the scratch-off was not found; the only row read is digits.
    a = assign([text_line("5118 7139 2751 8844", 40, 100)], "jd")
    assert a.pin is None or a.row_doubt


def test_a_password_no_row_of_the_chosen_length_fits_is_the_row_that_would_be_but_for_it() -> None:
    # A recharge card of another operator, its 14-digit password read as China Mobile's
    # (18 digits): too far off the length to be taken, so "no password" hid the row.
    cands = F.candidates([text_line("17925 6428 26252", 40, 100)])
    profile = get_profile("cmcc")
    strict = F.assign(cands, profile)
    assert strict.pin is None
    loose = F.assign_any_length(cands, profile, strict)
    assert loose is not None
    assert loose.pin is not None
    assert loose.pin.value == "17925642826252"


def test_a_card_number_of_the_chosen_length_is_not_made_a_password_of_another() -> None:
    # A JD card whose password is still covered: its 19-digit card number is no JD
    # password (16), nor a password of the wrong length.
    cands = F.candidates([text_line("1234 5678 9012 3456 789", 40, 100)])
    profile = get_profile("jd")
    strict = F.assign(cands, profile)
    assert strict.pin is None
    assert strict.card_number is not None
    assert F.assign_any_length(cands, profile, strict) is None


def test_a_password_with_letters_is_not_doubted_for_the_card_number() -> None:
    a = assign([text_line("F4HR E819 X7B2 QE6J", 40, 100)], "jd")
    assert a.pin is not None
    assert not a.row_doubt


def test_a_bare_no_label_does_not_outweigh_the_printed_card_number() -> None:
    lines = [
        text_line("3738 3983 2551 7408", 40, 100, height=50),
        text_line("密码：9742-3813-7414-6106", 40, 200, height=50),
        text_line("NO.3887697", 900, 600, height=20),
    ]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.pin.value == "9742381374146106"
    assert a.card_number is not None
    assert a.card_number.value == "3738398325517408"


def test_a_printed_card_number_label_alone_is_looked_after_despite_a_bare_no() -> None:
    # The detector missed the value after "卡号：" (dot-matrix print); the corner's
    # "NO.2892509" does not count as the card number being found.
    lines = [
        text_line("卡号：", 40, 100, height=50),
        text_line("NO.2892509", 900, 600, height=20),
    ]
    cands = F.candidates(lines)
    assert [(c.value, c.label, c.strong) for c in cands] == [("2892509", "card_number", False)]
    lonely = F.lonely_labels(lines, cands)
    assert [lab.kind for _ln, lab in lonely] == ["card_number"]
    # A value found after the printed label leaves nothing to look for.
    lines[0] = text_line("卡号：3738 3983 2551 7408", 40, 100, height=50)
    assert F.lonely_labels(lines, F.candidates(lines)) == []


def test_a_row_the_card_type_takes_instead_of_the_named_password_is_a_doubt() -> None:
    # A store card read as a mobile recharge card (its card number has 18 digits, like a
    # recharge password): the row the card calls its password is no recharge password,
    # and the 18 digits picked instead are a guess, shown beside the named row.
    lines = [
        text_line("4490 3823 7186 9111 25", 40, 100, height=50),
        text_line("Password: GHHY-3AXZ-9UQ2-8J0V-N1VE", 40, 200, height=50),
        text_line("4903 8237 1869 1112", 40, 400, height=20),  # under the barcode
        text_line("会员卡号4804480584", 1400, 900, height=30),  # a receipt beside the card
    ]
    a = assign(lines, "cmcc")
    assert a.pin is not None
    assert a.pin.value == "449038237186911125"
    assert a.row_doubt
    assert "GHHY3AXZ9UQ28J0VN1VE" in [r.value for r in a.pin_rivals]


def test_a_card_number_label_over_letters_does_not_vouch_for_a_digit_password() -> None:
    # A JD card's card number is 16 digits and its password has letters. "卡号" over the
    # row with letters is a misread label (or names something else): the 16 digits picked
    # as the password instead are a guess, not a password told apart by the card.
    lines = [
        text_line("卡号:EZ8C YBTI EBYU ZUYK", 40, 100, height=50),
        text_line("8144 7402 4716 6397", 40, 200, height=50),
    ]
    a = assign(lines, "jd")
    assert a.pin is not None
    if a.pin.value == "8144740247166397":
        assert a.row_doubt


def test_a_glyph_read_as_a_symbol_at_an_end_of_the_code_puts_that_end_in_doubt() -> None:
    # Generated seed 50500020 (hard): "兑换码：8TEK…" read "兑换码：&TEK…". The & is the
    # code's first glyph misread, not a mark printed before it; the value lost it.
    (cand,) = F.candidates([text_line("兑换码：&TEKRTY2QPQRHHNF", 40, 100)])
    assert cand.label == "pin"
    assert cand.lost == (True, False)
    (cand,) = F.candidates([text_line("PIN: TEKR TY2Q PQRH HNF?", 40, 100)])
    assert cand.lost == (False, True)
    # The marks cards print around a code are no lost glyphs.
    for text in ("兑换码：TEKRTY2QPQRHHNF", "CARD NO.:5310 4412 8876 0021", "(7EKR-TY2Q-PQRH)*"):
        (cand,) = F.candidates([text_line(text, 40, 100)])
        assert cand.lost == (False, False), text


def test_a_glyph_read_as_a_symbol_at_a_group_end_does_not_end_the_code() -> None:
    # Generated card 5580006: "LQ1I IW0K" read "LQ1! IW0K"; the code ended at the !
    # and its last group was lost (12 of 16 characters).
    (cand,) = F.candidates([text_line("充值密码：MH4X ZZ8U LQ1! IW0K", 40, 100)])
    assert cand.value.startswith("MH4XZZ8ULQ1")
    assert cand.value.endswith("IW0K")


def test_a_row_of_digits_with_letters_a_digit_looks_like_fits_a_card_type_of_digits() -> None:
    cmcc = get_profile("cmcc").fields["pin"]
    (dotted,) = F.candidates([text_line("B11B6B40344B94279B", 40, 100)])
    assert F.fits(dotted, cmcc) is not None
    # … less well than the same row read as digits, and not a row of words.
    (digits,) = F.candidates([text_line("811868403448942798", 40, 100)])
    assert F.fits(digits, cmcc) > F.fits(dotted, cmcc)  # type: ignore[operator]
    (letters,) = F.candidates([text_line("KXWHB6B4034B94279B", 40, 100)])
    assert F.fits(letters, cmcc) is None
    # Other letters beside them: a file name overlaid on a real photo, not a code.
    (name,) = F.candidates([text_line("FMG838240B529201437", 40, 100)])
    assert F.fits(name, cmcc) is None


def test_a_colon_after_lower_case_letters_ends_a_word_not_a_speck_in_a_code() -> None:
    # A label cut to its last letters by a camera frame's neighbourhood ("PIN Code:"
    # read "de:"): the code after it is still a code. A speck read as a colon between
    # code characters stays inside the code.
    (cand,) = F.candidates([text_line("de:5107 2127 5820 0159", 40, 100)])
    assert cand.value == "5107212758200159"
    (cand,) = F.candidates([text_line("148633:484591227", 40, 100)])
    assert cand.value == "148633484591227"
    # … nor does a word in lower case before the code ("PINCode" cut to "INCode"),
    # while one letter read in lower case inside a group stays code, and prose stays
    # prose: no "OF2024" out of a note.
    (cand,) = F.candidates([text_line("INCode 6961-4438-2470-1456", 40, 100)])
    assert cand.value == "6961443824701456"
    assert F.candidates([text_line("of 2024 invoice please report", 40, 100)]) == []
    (cand,) = F.candidates([text_line("7K3d 9XQ2 4B7W 88CE", 40, 100)])
    assert cand.value == "7K3D9XQ24B7W88CE"
    # A word glued to the code's last group is not cut off with the group (calibration
    # card 1100043: "6788 9311 3173 4387ng acti…" became a 12-digit card number).
    for cand in F.candidates([text_line("6788 9311 3173 4387ng", 40, 100)]):
        assert cand.value.startswith("6788931131734387"), cand.value


def test_words_printed_beside_the_code_are_not_part_of_it() -> None:
    cands = F.candidates([text_line("PIN: NEXU M13K 3IYQ ITBC SCRATCH HERE", 40, 100)])
    assert [c.value for c in cands] == ["NEXUM13K3IYQITBC"]


def test_a_row_read_again_after_its_label_is_its_value_even_with_one_digit() -> None:
    row = text_line("APQF DOKO MTP4 HOBF", 140, 100)
    assert F.candidates([row]) == []  # alone, a run with one digit is a word
    label = LB.find_label("PIN:")
    assert label is not None
    got = F.candidates([row], label=label)
    assert [(c.value, c.label) for c in got] == [("APQFDOKOMTP4HOBF", "pin")]


def _spaced(text: str, gap_after: int) -> list[CtcChar]:
    """Characters 24 px apart, with a gap of three characters after index `gap_after`
    and no space read there."""
    out, x = [], 0.0
    for i, ch in enumerate(text):
        out.append(CtcChar(ch, 1.0, x, x + 8))
        x += 24 + (48 if i == gap_after else 0)
    return out


def test_a_short_label_glued_to_its_code_across_a_wide_gap_is_still_a_label() -> None:
    # "PIN|ET1R…": the recogniser read no space between the label and the code.
    text, _src = F._norm_chars(_spaced("PINET1R6SQNUJ07", 2))
    assert text == "PIN ET1R6SQNUJ07"
    # Without the gap the same letters may begin a code, and stay.
    text, _src = F._norm_chars(_spaced("PINET1R6SQNUJ07", -1))
    assert text == "PINET1R6SQNUJ07"
    # A gap elsewhere is not a label's end.
    text, _src = F._norm_chars(_spaced("PINET1R6SQNUJ07", 6))
    assert text == "PINET1R6SQNUJ07"


def test_numbers_on_a_receipt_beside_the_card_are_no_candidates() -> None:
    # Fresh seed 3232: a receipt under a JD card; its member number (会员卡号) was taken
    # for the card number, sure, and its order number for the password.
    lines = [
        text_line("会员卡号8471171406", 40, 100, height=50),
        text_line("Order # 2281802946", 40, 200, height=50),
    ]
    assert F.candidates(lines) == []


def test_a_label_read_from_a_line_it_does_not_fill_names_nothing() -> None:
    # A real photo's top line, cut off by the picture's edge, read only "NO" over its
    # whole 580 px: not a card-number label for the password below it.
    cut = text_line("NO", 54, 0, box_length=580)
    lines = [cut, text_line("71231 317283 33150", 100, 62)]
    a = assign(lines, "generic")
    assert a.pin is not None
    assert a.pin.value == "7123131728333150"
    assert a.card_number is None
    # The same label where it fills its line still names the row below it.
    a = assign([text_line("NO", 54, 0), text_line("71231 317283 33150", 54, 62)], "generic")
    assert a.card_number is not None
    assert a.card_number.value == "7123131728333150"
