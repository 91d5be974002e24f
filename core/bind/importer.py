"""Read a batch file: CSV (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030) or XLSX.

Columns are found by their header, in English or Chinese (card_number/卡号,
pin/卡密/密码, platform/平台, account/账户); a file with a single column and no header
is a list of codes. Every problem is reported per row in words, and no row is dropped
silently: a row that cannot be read becomes a problem with its row number.

Row numbers are the ones a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.codes.profiles import platform_ids, shipped_profiles
from core.i18n import _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_ALIASES: dict[str, tuple[str, ...]] = {
    "pin": ("pin", "password", "card_password", "code", "card_code", "卡密", "密码", "充值密码",
            "卡密码"),
    "card_number": ("card_number", "card_no", "cardno", "number", "serial", "card", "卡号",
                    "序列号", "卡序列号"),
    "platform": ("platform", "平台"),
    "account": ("account", "账户", "账号"),
}


class BatchFileError(ValueError):
    """The file as a whole cannot be read; the message is translated."""


@dataclass(frozen=True, repr=False)
class InputRow:
    row_no: int
    platform: str
    pin: str
    card_number: str = ""
    account: str = ""

    def __repr__(self) -> str:
        from core.codes.mask import mask_code

        return f"InputRow({self.row_no}, {self.platform}, {mask_code(self.pin)})"


@dataclass(frozen=True)
class RowProblem:
    row_no: int
    message: str


@dataclass
class ImportResult:
    rows: list[InputRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    encoding: str = ""
    sha256: str = ""


def _platform_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for pid, profile in shipped_profiles().items():
        names[pid.lower()] = pid
        for text in profile.name.values():
            names[text.strip().lower()] = pid
    names.update({"京东": "jd", "淘宝": "taobao", "天猫": "tmall", "拼多多": "pdd",
                  "苏宁": "suning", "苏宁易购": "suning", "中国移动": "cmcc", "移动": "cmcc"})
    return names


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was in; GB18030 (a superset of GBK) when not UTF."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise BatchFileError(_("The file is neither UTF-8 nor GBK text. Save it as CSV "
                             "UTF-8 and try again.")) from None


def _header_map(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").lower().replace(" ", "_")
        for column, aliases in _ALIASES.items():
            if name in aliases and column not in found:
                found[column] = i
    return found if "pin" in found else None


def _cell(value: Any, row_no: int, column: str, problems: list[RowProblem]) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and column in ("pin", "card_number"):
        # Excel keeps 15 significant digits: a longer code typed as a number is already
        # damaged in the file and must not be bound as it reads now.
        digits = str(int(value)) if float(value).is_integer() else str(value)
        if len(digits) > 15 or not float(value).is_integer():
            problems.append(RowProblem(row_no, _(
                "Row {row}: the {column} is stored as a number, so Excel may have changed "
                "its digits. Format the column as text, type the code again and re-import."
            ).format(row=row_no, column=column)))
            return None
        return digits
    return str(value)


def _rows_from_table(table: list[list[Any]], default_platform: str | None,
                     result: ImportResult) -> None:
    if not table:
        raise BatchFileError(_("The file has no rows."))
    header = _header_map([str(c) if c is not None else "" for c in table[0]])
    start = 2
    if header is None:
        width = max(len(r) for r in table)
        if width != 1:
            raise BatchFileError(_(
                "The first row must name the columns, e.g. card_number,pin,platform "
                "(or 卡号,卡密,平台)."))
        header = {"pin": 0}
        start = 1
        body = table
    else:
        body = table[1:]
    names = _platform_names()
    known = platform_ids()
    for offset, cells in enumerate(body):
        row_no = start + offset
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        values: dict[str, str] = {}
        bad = False
        for column, index in header.items():
            raw = cells[index] if index < len(cells) else None
            text = _cell(raw, row_no, column, result.problems)
            if text is None:
                bad = True
                break
            values[column] = text.strip()
        if bad:
            continue
        if not values.get("pin"):
            result.problems.append(RowProblem(row_no, _("Row {row}: no card password.").format(
                row=row_no)))
            continue
        platform_text = values.get("platform", "") or (default_platform or "")
        platform = names.get(platform_text.lower(), "")
        if not platform:
            if platform_text:
                message = _("Row {row}: unknown platform “{platform}”; use one of {known}.") \
                    .format(row=row_no, platform=platform_text[:40], known=", ".join(known))
            else:
                message = _("Row {row}: no platform; add a platform column or use --platform.") \
                    .format(row=row_no)
            result.problems.append(RowProblem(row_no, message))
            continue
        if default_platform and values.get("platform") and platform != default_platform:
            result.problems.append(RowProblem(row_no, _(
                "Row {row}: the platform is {found}, but this batch is for {expected}.").format(
                    row=row_no, found=platform, expected=default_platform)))
            continue
        result.rows.append(InputRow(row_no, platform, values["pin"],
                                    values.get("card_number", ""), values.get("account", "")))
        if len(result.rows) > MAX_ROWS:
            raise BatchFileError(_("The file has more than {n} rows; split it.").format(
                n=MAX_ROWS))


def _csv_table(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise BatchFileError(_("The CSV file cannot be read: {error}").format(error=exc)) \
            from None


def _xlsx_table(path: Path) -> list[list[Any]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency; kept for a clear message
        raise BatchFileError(_("XLSX files need the openpyxl package.")) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BatchFileError(_("The Excel file cannot be read: {error}").format(
            error=type(exc).__name__)) from None
    try:
        sheet = book.worksheets[0]
        table: list[list[Any]] = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        book.close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_batch_file(path: Path, default_platform: str | None = None) -> ImportResult:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BatchFileError(_("Cannot read {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    if size > MAX_BYTES:
        raise BatchFileError(_("The file is larger than {mb} MB; split it.").format(
            mb=MAX_BYTES // (1024 * 1024)))
    result = ImportResult(sha256=file_sha256(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        result.encoding = "xlsx"
        table = _xlsx_table(path)
    else:
        raw = path.read_bytes()
        if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise BatchFileError(_("This is not a text file. Use CSV or XLSX."))
        text, result.encoding = decode(raw)
        table = _csv_table(text)
    _rows_from_table(table, default_platform, result)
    return result
