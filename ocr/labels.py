"""What the words printed on a card say: which line is a label (卡号, 密码, PIN …) and for
which field, which line is a hotline, a web address, a date, an amount or a note (never a
code), which card a title names, and the printed denomination.

Pure text functions over what the line reader returned, so they are tested without
pictures. Everything is matched after NFKC (full-width colons and letters become ASCII)
and upper-casing; Chinese labels may lose a character to a misread, so the longer ones
also match on a distinctive part. See docs/ocr.md, "Which line is which".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["pin", "card_number"]

# Longest first: "卡密码" must win over "卡密", "充值密码" over "密码".
PIN_LABELS: tuple[str, ...] = (
    "充值卡密码",
    "充值密码",
    "卡密码",
    "兑换密码",
    "激活密码",
    "提货密码",
    "卡密",
    "密码",
    "兑换码",
    "激活码",
    "提货码",
    "券码",
    "密钥",
    "刮开密码",
    "SECURITY PIN",
    "PIN CODE",
    "PIN NO",
    "PIN#",
    "PIN",
    "PASSWORD",
    "PASSCODE",
    "PASS",
    "REDEEM CODE",
    "REDEMPTION CODE",
    "CLAIM CODE",
    "ACTIVATION CODE",
    "RECHARGE PIN",
    "CODE",
    "CODIGO",
    "CÓDIGO",
    "CLAVE",
)
NUMBER_LABELS: tuple[str, ...] = (
    "卡序列号",
    "序列号",
    "充值卡号",
    "卡号",
    "编号",
    "卡编号",
    "CARD NUMBER",
    "CARD NO",
    "CARD #",
    "CARD#",
    "CARD",
    "SERIAL NUMBER",
    "SERIAL NO",
    "SERIAL",
    "SERIE",
    "S/N",
    "SN",
    "NO",
    "NUMBER",
    "LOTE",
    "Nº",
    "N°",
)
# Labels that name a field only weakly: they also stand before serials and order numbers.
WEAK_LABELS = frozenset(
    {
        "NO",
        "NUMBER",
        "CARD",
        "CODE",
        "Nº",
        "N°",
        "LOTE",
        "编号",
        "SERIE",
        "PASS",
        "CODIGO",
        "CÓDIGO",
        "CLAVE",
    }
)
# What makes a label someone else's: "会员卡号" (会员号) on a receipt or a loyalty card is
# a member's number, not the card's (fresh seed 3232: a receipt under the card gave its
# card number, sure).
FOREIGN_BEFORE: tuple[str, ...] = ("会员",)
# Words that make a line something other than a code, wherever they stand.
NOT_CODE_WORDS: tuple[str, ...] = (
    "热线",
    "客服",
    "电话",
    "拨打",
    "服务",
    "有效期",
    "截止",
    "面值",
    "使用说明",
    "说明",
    "充值方法",
    "登录",
    "官网",
    "网址",
    "TEL",
    "CALL",
    "PHONE",
    "HOTLINE",
    "WWW",
    "HTTP",
    "VALID",
    "EXP",
    "EXPIRES",
    "BALANCE",
    "ISSUED",
    "VISIT",
    "FACTURA",
    "ORDER",
    "TOTAL",
    "SUBTOTAL",
    "TAX",
    "VISA",
    "单号",
    "合计",
    "实收",
    "找零",
    "收银",
    "金额",
    "数量",
    "日期",
    "时间",
    *FOREIGN_BEFORE,  # and its value is no code either
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A Latin word counts where it starts a word: a code may hold the letters of one
# ("7TEL9…", "…5EXP2…").
_NOT_CODE = re.compile(
    "|".join(
        re.escape(w) if CJK.match(w) else rf"(?<![0-9A-Z]){re.escape(w)}" for w in NOT_CODE_WORDS
    )
)


def has_not_code_word(text: str) -> bool:
    """Whether (normalised, upper-case) text holds a word that makes a line no code:
    a hotline's, a date's, a receipt's."""
    return _NOT_CODE.search(text) is not None


LOWER = re.compile(r"[a-z]")
_SPACES = re.compile(r"\s+")
_URL = re.compile(r"(WWW\.|HTTPS?:|\.COM\b|\.CN\b|\.NET\b|\.ORG\b|/[A-Z]{2,})")
# A number that stands alone: no digit, or group of digits, printed right before or after
# it. A code printed in groups ("17925 95428 26252", "1234 10086 …") holds groups that
# look like a service number; the group is part of the code, not a hotline.
_ALONE = r"(?<!\d)(?<!\d[\s-])"
_ENDS = r"(?![\s-]?\d)"
# Hotlines and phone numbers as cards print them: 400-606-5500, 1-800-555-0194, 95588,
# 10086, (021) 1234 5678, 13800138000 (a mobile number: 1 then 3-9, 11 digits).
_PHONE = re.compile(
    rf"{_ALONE}([48]00[-\s]?\d{{3}}[-\s]?\d{{4}}|1-8\d\d-\d{{3}}-\d{{4}}|1[3-9]\d{{9}}"
    rf"|10086|10010|10000|11888|12580|95\d{{3}}){_ENDS}"
)
# Dates and times standing alone: a speck read as a colon inside a code ("148633:4845…")
# is not 33:48.
_DATE = re.compile(
    r"(?<!\d)(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}[:：]\d{2}"
    r"|\d{1,2}/\d{1,2}/\d{2,4})(?!\d)"
)
# Currency signs, and an amount with cents (12.50, but no part of "1234.56.78", nor a
# long run of a code with a speck read as a dot in it: "…31525586.58").
_MONEY = re.compile(r"([¥￥$€]|元|块|(?<![\d.])\d{1,6}\.\d{2}(?![\d.]))")
# Currency words: RMB, CNY, USD … standing as words ("200 USD"), or any of them and Bs or
# Rs before an amount ("RMB500", "Bs 50", "VIVA Bs. 10", "Rs. 100 only"); not glued to
# other letters and digits ("USD2XQ39…" is a code, generated seed 1100181), and not in a
# code printed in groups of one size ("… LV80 BS13", "… 6MDF CNY8").
_CURRENCIES = "RMB|CNY|USD|EUR|HKD|GBP|JPY|INR|NPR|LKR|BOB|KHR"
_LATIN_MONEY = re.compile(
    rf"(?<![A-Z])(?:{_CURRENCIES})(?![0-9A-Z])"  # a word: "200 USD", "500RMB", "RMB:"
    rf"|(?<![0-9A-Z])(?:{_CURRENCIES}|BS|RS)\.?\s*\d{{1,6}}(?:\.\d{{1,2}})?(?![0-9A-Z])"
    r"(?![\s-]\d)"  # before an amount that ends there: "RMB500", "Bs. 10", not "USD2XQ39…"
)
_GROUP_SEP = re.compile(r"[\s\-]+")


def _equal_groups(text: str) -> bool:
    """Three or more groups of letters and digits, all of one size but the last, which
    may be shorter: a code as printed."""
    groups = _GROUP_SEP.split(text.strip())
    if len(groups) < 3 or not all(g.isalnum() for g in groups):
        return False
    size = len(groups[0])
    return all(len(g) == size for g in groups[1:-1]) and len(groups[-1]) <= size


_DENOM = re.compile(
    r"(?:面值|面额|VALUE|DENOMINATION)?\s*[:：]?\s*(?P<pre>[¥￥$€]|RMB|CNY|BS\.?|RS\.?)?\s*"
    r"(?P<amount>\d{1,5}(?:\.\d{1,2})?)\s*(?P<post>元|块|RMB|CNY|YUAN)?"
)
CURRENCY = {
    "¥": "CNY",
    "￥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "元": "CNY",
    "块": "CNY",
    "YUAN": "CNY",
    "$": "USD",
    "€": "EUR",
    "BS": "BOB",
    "BS.": "BOB",
    "RS": "NPR",
    "RS.": "NPR",
}
TITLES: tuple[tuple[str, str], ...] = (
    ("京东", "jd"),
    ("JD E-CARD", "jd"),
    ("JD.COM", "jd"),
    ("JDECARD", "jd"),
    ("中国移动", "cmcc"),
    ("CHINA MOBILE", "cmcc"),
    ("移动充值", "cmcc"),
    ("天猫", "tmall"),
    ("TMALL", "tmall"),
    ("淘宝", "taobao"),
    ("TAOBAO", "taobao"),
    ("拼多多", "pdd"),
    ("PINDUODUO", "pdd"),
    ("苏宁", "suning"),
    ("SUNING", "suning"),
)


_CASE_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z0-9])")


def norm(text: str) -> str:
    """NFKC, upper case, single spaces: what every rule here matches on. A lower-case
    letter followed by a capital or a digit is a word break the print lost ("Claim
    CodeANYU-…" is the label "Claim Code" and the code "ANYU-…")."""
    text = _CASE_BREAK.sub(" ", unicodedata.normalize("NFKC", text)).upper()
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Label:
    kind: Kind
    word: str  # the label as matched (normalised)
    end: int  # index in the normalised text just after the label and its colon
    misread: bool = False  # a Chinese label with one character read as another

    @property
    def strong(self) -> bool:
        """Whether the label names its field beyond doubt: "卡号", "PIN", "Card Number" do;
        a bare "NO." or "CODE" may stand before a serial number, an order or a batch, and
        a label half misread says its field only as surely as its other half does."""
        return not self.misread and self.word not in WEAK_LABELS


GLUED_MIN = 6  # letters: a label this long is told from a word even with no space after it


def _codeish(rest: str) -> bool:
    """The start of a code: eight or more letters and digits, digits among them. A speck
    read as a dot between two groups does not end it ("DO0G.MLYK…", fresh seed 2626)."""
    run = re.match(r"[A-Z0-9\-. ·]+", rest)
    chars = re.sub(r"[\-. ·]", "", run.group(0)) if run else ""
    return len(chars) >= 8 and sum(c.isdigit() for c in chars) >= 2


def _grouped_after(rest: str) -> bool:
    """A code printed in three or more groups of one size starts right here: what comes
    before it on the line is not part of it, however short ("PINZO7T-7KS3-QA3M-AQWT"
    is the label PIN and the code ZO7T-7KS3-…, fresh seed 4747)."""
    run = re.match(r"[A-Z0-9]+(?:\s*[-\s]\s*[A-Z0-9]+)+", rest)
    if run is None or not _codeish(rest):
        return False
    groups = re.split(r"\s*[-\s]\s*", run.group(0))
    return len(groups) >= 3 and len({len(g) for g in groups}) == 1 and len(groups[0]) >= 3


# Digits a reader gives for the letters of a printed word ("PASSW0RD", "5ERIAL").
AS_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"})


def _find(text: str, w: str) -> tuple[int, int]:
    """Where the label `w` starts within the first three characters, and how long it is
    there; (-1, 0) when it is not. A long Latin label may have a letter read as its
    look-alike digit, or its space lost ("CARDNO3119…"): no code starts with six or more
    characters that spell a label."""
    i = text.find(w)
    if 0 <= i <= 2:
        return i, len(w)
    if w.isascii():
        for form in dict.fromkeys((w, w.replace(" ", ""))):
            if len(form) < GLUED_MIN:
                continue
            for j in range(3):
                seen = text[j : j + len(form)]
                if seen.translate(AS_LETTER) != form:
                    continue
                # A digit read as the label's last letters, with the run going on, is
                # more likely the code's first characters ("PIN N0PU…": PIN, not PIN NO).
                if seen[-2:] != form[-2:] and text[j + len(form) : j + len(form) + 1].isalnum():
                    continue
                return j, len(form)
        if " " not in w and len(w) >= GLUED_MIN:
            # A space where no word breaks: a long label read in mixed case ("PasSWOrd")
            # is split where a lower-case letter meets a capital (generated card
            # 5580000: "PasSWOrdVT2SY…", the password then had no label and was lost).
            for j in range(3):
                k = text.find(" ", j, j + len(w))
                if k <= j:
                    continue
                seen = text[j:k] + text[k + 1 : j + len(w) + 1]
                if seen.translate(AS_LETTER) == w:
                    return j, len(w) + 1
    return -1, 0


def _in_first_group(text: str, i: int, end: int) -> bool:
    """The label's letters (text[i:end]) are part of the first group of a code printed in
    groups of one size (the last may be shorter), not a word of their own: "NO5S 33CK
    2471 …", "PIN NOW6 - 1Y9H - …" (PIN, then the code), "78SN-RERQ-U6JJ-KB20"."""
    k = i + text[i:end].rfind(" ") + 1  # where the label's last word starts
    g0 = max(text.rfind(" ", 0, k), text.rfind("-", 0, k)) + 1  # … and its group
    if not _equal_groups(text[g0:]):
        return False
    return g0 < k or len(_GROUP_SEP.split(text[g0:].strip())[0]) > end - k


def _label_at(text: str, words: tuple[str, ...], kind: Kind) -> Label | None:
    for w in words:
        i, n = _find(text, w)
        if i < 0:
            continue
        end = i + n
        # A Latin label must be a whole word: "PIN" not in "PINE", "NO" not in "NOTE";
        # a long one glued to a code whose space the reader lost ("PASSWORDEOZ0-5SEB-…")
        # still is one: no word goes on from "PASSWORD" into a run of letters and digits.
        if (
            w[-1].isascii()
            and w[-1].isalpha()
            and end < len(text)
            and text[end].isalpha()
            and not (len(w) >= GLUED_MIN and _codeish(text[end:]))
            and not _grouped_after(text[end:])
        ):
            continue
        if w[0].isascii() and i > 0 and text[i - 1].isalpha():
            continue
        # After a digit, only a label set off by its punctuation or a space is one: a
        # code may hold the letters of a short label ("Q7SN94…", "7PIN4…").
        if w[0].isascii() and i > 0 and text[i - 1].isdigit() and text[end : end + 1].isalnum():
            continue
        if w.isascii() and _in_first_group(text, i, end):
            continue
        if any(text[:i].endswith(f) for f in FOREIGN_BEFORE):
            continue
        rest = text[end:]
        # The label's own punctuation, and a translation in brackets: "卡号(No.):".
        m = re.match(r"\s*(?:[(（][^)）]{0,12}[)）])?\s*[:：.#]?\s*", rest)
        return Label(kind, w, end + (m.end() if m else 0))
    return None


def find_label(text: str) -> Label | None:
    """The label a line starts with (at most two stray characters before it), if any.
    Password labels are tried first: "卡密码" is a password although it holds "卡"."""
    t = norm(text)
    if not t:
        return None
    hit = _label_at(t, PIN_LABELS, "pin") or _label_at(t, NUMBER_LABELS, "card_number")
    if hit is None and CJK.search(t[:4]):
        # A Chinese label with one character misread (卡弓, 密玛): its other character and
        # a colon right after still say which label it is.
        m = re.match(r"^(.{0,1}?)([卡密码号])(.?)\s*[:：]", t)
        if m:
            pair = m.group(2) + m.group(3)
            kind = _misread_kind(pair)
            return None if kind is None else Label(kind, pair, m.end(), misread=True)
    return hit


# What the recogniser reads for 号 when the print is small or blurred: its lower half.
NUMBER_ALIKE = frozenset("弓丂亏")


def _misread_kind(pair: str) -> Kind | None:
    """The field a two-character Chinese label names when one of its characters was
    misread: only a character that belongs to one kind of label says which. 卡 starts
    卡号 and 卡密 alike, so "卡" with a character that is neither (卡图, generated seed
    20200026: 卡密 in small print) names no field; a guess handed the password's row to
    the card number and the card number's digits to the password."""
    if "密" in pair:
        return "pin"
    if "号" in pair or (pair[:1] == "卡" and pair[1:2] in NUMBER_ALIKE):
        return "card_number"  # 号码 is a number too
    if "码" in pair:
        return "pin"
    return None


def label_only(text: str) -> Label | None:
    """The label when the line holds nothing else (its value is on another line)."""
    lab = find_label(text)
    if lab is None:
        return None
    rest = norm(text)[lab.end :]
    return lab if len(re.sub(r"[\s:：.#*]", "", rest)) == 0 else None


def is_not_code(text: str) -> bool:
    """Whether a line is certainly no code: a hotline, a web address, a date, an amount,
    a note or other words (after its label, if any, is taken off)."""
    t = norm(text)
    if not t:
        return True
    lab = find_label(t)
    body = t[lab.end :] if lab else t
    if _URL.search(body) or _PHONE.search(body) or _DATE.search(body) or _MONEY.search(body):
        return True
    # The currency as printed, too: a word break put where a lower-case letter meets a
    # capital splits a currency read in mixed case ("200 UsD" → "US D"; generated card
    # 5600019, hard, gave 200USD as its password).
    plain = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).upper()).strip()
    if lab is None and _LATIN_MONEY.search(plain) and not _equal_groups(plain):
        return True
    if _LATIN_MONEY.search(body) and not _equal_groups(body):
        return True
    if has_not_code_word(body) and not (body.isascii() and _equal_groups(body)):
        return True
    cjk = len(CJK.findall(body))
    if cjk >= 2:
        return True
    # Running words (letters with lower case, or several words of 3+ letters) are prose.
    raw_body = unicodedata.normalize("NFKC", text)
    if len(LOWER.findall(raw_body)) >= 4:
        return True
    # A file name printed on a picture (IMG_2024…_jpg) or a run glued to lower-case
    # letters is no code.
    return bool(re.search(r"(?i:[_.](jpe?g|png|jp9))\b|\d[a-z]{2,}", raw_body))


def platform_of(texts: list[str]) -> str | None:
    """The platform a card's title names (京东E卡 → jd, 中国移动 → cmcc …), if any."""
    joined = " ".join(norm(t) for t in texts)
    for word, pid in TITLES:
        if word in joined:
            return pid
    return None


@dataclass(frozen=True)
class Denomination:
    amount: str
    currency: str


def denomination(texts: list[str]) -> Denomination | None:
    """The printed value of the card: 面值¥500, ¥200, 面值50元, 200元, Bs 10. Only a line
    that is short (a badge, not a sentence) and holds a currency mark counts; when two
    lines disagree, none does."""
    found: set[tuple[str, str]] = set()
    for raw in texts:
        t = norm(raw)
        if len(t) > 14 or not (("面值" in t) or re.search(r"[¥￥$€元]|RMB|CNY|^BS\.?\s*\d", t)):
            continue
        if _DATE.search(t) or _PHONE.search(t):
            continue
        for m in _DENOM.finditer(t):
            pre, post, amount = m.group("pre"), m.group("post"), m.group("amount")
            if not (pre or post or "面值" in t):
                continue
            if "." in amount and not amount.endswith(".00"):
                continue  # 23.28 is a receipt line, not a card's face value
            cur = CURRENCY.get((pre or post or "¥").strip(), "CNY")
            value = amount.removesuffix(".00")
            if value.isdigit() and 1 <= int(value) <= 100000:
                found.add((value, cur))
    if len(found) == 1:
        v, c = next(iter(found))
        return Denomination(v, c)
    return None
