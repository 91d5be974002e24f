"""Read a batch file: CSV (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030) or XLSX.

Columns are found by their header, in English or Chinese (card_number/卡号,
pin/卡密/密码, platform/平台, account/账户); a file with a single column and no header
is a list of codes. Every problem is reported per row in words, and no row is dropped
silently: a row that cannot be read becomes a problem with its row number.

Row numbers are the ones a spreadsheet shows (the header is row 1).

When the header is not recognized (or names the columns differently), the caller passes
an explicit `ColumnMap`; `preview_columns` shows what each column holds, with codes
masked, so a person can choose. `write_corrected` writes a fixed copy of a file (same
rows, same row numbers), so fixes made in the GUI live in a file like the codes do.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.codes.mask import mask_code
from core.codes.profiles import platform_ids, shipped_profiles
from core.errors import UsageError
from core.i18n import _
from core.logs import redact_log

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_ALIASES: dict[str, tuple[str, ...]] = {
    "pin": (
        "pin",
        "password",
        "card_password",
        "code",
        "card_code",
        "卡密",
        "密码",
        "充值密码",
        "卡密码",
    ),
    "card_number": (
        "card_number",
        "card_no",
        "cardno",
        "number",
        "serial",
        "card",
        "卡号",
        "序列号",
        "卡序列号",
    ),
    "platform": ("platform", "平台"),
    "account": ("account", "账户", "账号"),
}


FIELDS = ("pin", "card_number", "platform", "account")
# How Excel writes a long number into a CSV (1.23457E+15): the digits are already lost.
_EXCEL_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE]\+\d+$")


class BatchFileError(UsageError, ValueError):
    """The file as a whole cannot be read; the message is translated."""


@dataclass(frozen=True)
class ColumnMap:
    """Which column (0-based) holds what; `header`: the first row names the columns."""

    pin: int
    card_number: int | None = None
    platform: int | None = None
    account: int | None = None
    header: bool = True

    def indexes(self) -> dict[str, int]:
        found = {"pin": self.pin}
        for name in ("card_number", "platform", "account"):
            index = getattr(self, name)
            if index is not None:
                found[name] = index
        return found

    def to_json(self) -> dict[str, Any]:
        return {**self.indexes(), "header": self.header}

    @classmethod
    def from_json(cls, data: object) -> ColumnMap | None:
        """The map stored with a batch; None when there is none or it is damaged."""
        if not isinstance(data, Mapping):
            return None
        values: dict[str, Any] = {}
        for name in FIELDS:
            index = data.get(name)
            if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < 1000:
                values[name] = index
        if "pin" not in values:
            return None
        return cls(header=bool(data.get("header", True)), **values)

    def check(self, width: int) -> str:
        """A problem with this map for a table `width` columns wide, in words; "" if none."""
        used = list(self.indexes().values())
        if any(i >= width for i in used):
            return _("A chosen column is not in the file.")
        if len(set(used)) != len(used):
            return _("Each column can be used for one thing only.")
        return ""


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
    names.update(
        {
            "京东": "jd",
            "淘宝": "taobao",
            "天猫": "tmall",
            "拼多多": "pdd",
            "苏宁": "suning",
            "苏宁易购": "suning",
            "中国移动": "cmcc",
            "移动": "cmcc",
        }
    )
    return names


def platform_from_text(text: str) -> str | None:
    """A platform id from what a file says (`jd`, `JD E-card`, `京东`…); None if unknown."""
    return _platform_names().get(text.strip().lower())


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
        raise BatchFileError(
            _("The file is neither UTF-8 nor GBK text. Save it as CSV UTF-8 and try again.")
        ) from None


def _header_map(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").lower().replace(" ", "_")
        for column, aliases in _ALIASES.items():
            if name in aliases and column not in found:
                found[column] = i
    return found if "pin" in found else None


def _damaged_number(value: Any) -> bool:
    """A code cell Excel stored as a number that cannot hold it exactly."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    digits = str(int(value)) if float(value).is_integer() else str(value)
    return len(digits) > 15 or not float(value).is_integer()


def _cell(value: Any, row_no: int, column: str, problems: list[RowProblem]) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    code_column = column in ("pin", "card_number")
    if code_column and (
        _damaged_number(value) or (isinstance(value, str) and _EXCEL_NUMBER.match(value.strip()))
    ):
        # Excel keeps 15 significant digits: a longer code typed as a number is already
        # damaged in the file and must not be bound as it reads now.
        problems.append(
            RowProblem(
                row_no,
                _(
                    "Row {row}: the {column} is stored as a number, so Excel may have changed "
                    "its digits. Format the column as text, type the code again and re-import."
                ).format(row=row_no, column=column),
            )
        )
        return None
    if isinstance(value, int | float) and code_column:
        return str(int(value))
    return str(value)


def _found_columns(table: list[list[Any]]) -> ColumnMap | None:
    """The columns as the header names them (or a one-column list of codes); None when
    the file does not say."""
    if not table:
        return None
    header = _header_map([str(c) if c is not None else "" for c in table[0]])
    if header is not None:
        return ColumnMap(header=True, **header)
    if max(len(r) for r in table) == 1:
        return ColumnMap(0, header=False)
    return None


def _rows_from_table(
    table: list[list[Any]],
    default_platform: str | None,
    result: ImportResult,
    columns: ColumnMap | None = None,
) -> None:
    if not table:
        raise BatchFileError(_("The file has no rows."))
    if columns is None:
        columns = _found_columns(table)
        if columns is None:
            raise BatchFileError(
                _(
                    "The first row must name the columns, e.g. card_number,pin,platform "
                    "(or 卡号,卡密,平台)."
                )
            )
    else:
        problem = columns.check(max(len(r) for r in table))
        if problem:
            raise BatchFileError(problem)
    header = columns.indexes()
    start = 2 if columns.header else 1
    body = table[1:] if columns.header else table
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
            result.problems.append(
                RowProblem(row_no, _("Row {row}: no card password.").format(row=row_no))
            )
            continue
        platform_text = values.get("platform", "") or (default_platform or "")
        platform = names.get(platform_text.lower(), "")
        if not platform:
            if platform_text:
                message = _("Row {row}: unknown platform “{platform}”; use one of {known}.").format(
                    row=row_no, platform=_echoed(platform_text), known=", ".join(known)
                )
            else:
                message = _(
                    "Row {row}: no platform; add a platform column or use --platform."
                ).format(row=row_no)
            result.problems.append(RowProblem(row_no, message))
            continue
        if default_platform and values.get("platform") and platform != default_platform:
            result.problems.append(
                RowProblem(
                    row_no,
                    _(
                        "Row {row}: the platform is {found}, but this batch is for {expected}."
                    ).format(row=row_no, found=platform, expected=default_platform),
                )
            )
            continue
        result.rows.append(
            InputRow(
                row_no,
                platform,
                values["pin"],
                values.get("card_number", ""),
                values.get("account", ""),
            )
        )
        if len(result.rows) > MAX_ROWS:
            raise BatchFileError(_("The file has more than {n} rows; split it.").format(n=MAX_ROWS))


def _csv_table(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise BatchFileError(_("The CSV file cannot be read: {error}").format(error=exc)) from None


def _xlsx_table(path: Path) -> list[list[Any]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency; kept for a clear message
        raise BatchFileError(_("XLSX files need the openpyxl package.")) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BatchFileError(
            _("The Excel file cannot be read: {error}").format(error=type(exc).__name__)
        ) from None
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


def read_table(path: Path) -> tuple[list[list[Any]], str, str]:
    """Every row of the file as cells, its encoding ("xlsx" for Excel) and its SHA-256."""
    try:
        size = path.stat().st_size
        sha = file_sha256(path)
    except OSError as exc:
        raise BatchFileError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None
    if size > MAX_BYTES:
        raise BatchFileError(
            _("The file is larger than {mb} MB; split it.").format(mb=MAX_BYTES // (1024 * 1024))
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_table(path), "xlsx", sha
    raw = path.read_bytes()
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BatchFileError(_("This is not a text file. Use CSV or XLSX."))
    text, encoding = decode(raw)
    return _csv_table(text), encoding, sha


def read_batch_file(
    path: Path, default_platform: str | None = None, columns: ColumnMap | None = None
) -> ImportResult:
    """Every row of a batch file checked for shape; `columns` overrides the header."""
    table, encoding, sha = read_table(path)
    result = ImportResult(encoding=encoding, sha256=sha)
    _rows_from_table(table, default_platform, result, columns)
    return result


# -- choosing columns, reading one row back, writing a corrected copy -----------------------


@dataclass(frozen=True)
class TablePreview:
    """What a person needs to choose the columns: no full code in it."""

    headers: list[str]  # the first row's cells (header names, or data when there is none)
    samples: list[list[str]]  # the next rows' cells, masked
    found: ColumnMap | None  # what the header says; None when it does not say
    width: int
    rows: int  # rows that are not empty, the first one included
    encoding: str


def _echoed(text: str) -> str:
    """A cell's text for a message (messages reach the journal and the results CSV):
    every code-like run masked, in any case, grouping, width or with invisible
    characters, and any other run of 8 letters or digits too (a code of letters
    only); platform names and words stay readable."""
    shown = redact_log(text[:80])
    shown = re.sub(r"[0-9A-Za-z]{8,}", lambda m: mask_code(m.group(0)), shown)
    # Nothing masked: as written (redact_log would have turned full-width into ASCII).
    return (shown if "*" in shown else text)[:60]


def _masked_cell(value: Any, names: Mapping[str, str], *, header: bool = False) -> str:
    """A cell as the column chooser shows it: platform names and header words as they
    are, anything that could be a code masked (the safe side: e-mail addresses too)."""
    text = "" if value is None else str(value).strip()
    if text.lower() in names:
        return text[:40]
    code_like = (
        sum(c.isdigit() for c in text) >= 2
        or _damaged_number(value)
        or re.fullmatch(r"[0-9A-Z -]{8,}", text) is not None
    )
    if header and not code_like:
        return text[:40]
    if len(text) < 4 and not code_like:
        return text
    return mask_code(text)


def preview_columns(path: Path, sample_rows: int = 3) -> TablePreview:
    table, encoding, _sha = read_table(path)
    rows = [r for r in table if any(c is not None and str(c).strip() for c in r)]
    if not rows:
        raise BatchFileError(_("The file has no rows."))
    width = max(len(r) for r in rows)
    names = _platform_names()
    found = _found_columns(rows)
    first = [_masked_cell(c, names, header=found is None or found.header) for c in rows[0]]
    samples = [[_masked_cell(c, names) for c in r] for r in rows[1 : 1 + sample_rows]]
    return TablePreview(
        first + [""] * (width - len(first)), samples, found, width, len(rows), encoding
    )


@dataclass(frozen=True, repr=False)
class RowCells:
    """One row's fields as the file has them (in memory only, for fixing it)."""

    row_no: int
    pin: str = ""
    card_number: str = ""
    platform: str = ""
    account: str = ""
    damaged: tuple[str, ...] = ()  # fields Excel stored as numbers: to be typed again

    def __repr__(self) -> str:
        return f"RowCells({self.row_no}, {mask_code(self.pin)})"


def _effective(table: list[list[Any]], columns: ColumnMap | None) -> ColumnMap:
    found = columns or _found_columns(table)
    if found is None:
        raise BatchFileError(
            _(
                "The first row must name the columns, e.g. card_number,pin,platform "
                "(or 卡号,卡密,平台)."
            )
        )
    return found


def read_row(path: Path, row_no: int, columns: ColumnMap | None = None) -> RowCells | None:
    """The cells of one row (spreadsheet numbering), or None when there is no such row."""
    table, _encoding, _sha = read_table(path)
    cm = _effective(table, columns)
    if row_no < (2 if cm.header else 1) or row_no > len(table):
        return None
    cells = table[row_no - 1]
    values: dict[str, str] = {}
    damaged: list[str] = []
    for name, index in cm.indexes().items():
        raw = cells[index] if index < len(cells) else None
        if name in ("pin", "card_number") and (
            _damaged_number(raw) or (isinstance(raw, str) and _EXCEL_NUMBER.match(raw.strip()))
        ):
            damaged.append(name)
            values[name] = ""
            continue
        values[name] = _cell(raw, row_no, name, []) or ""
        values[name] = values[name].strip()
    return RowCells(row_no, damaged=tuple(damaged), **values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if _damaged_number(value):
        # Kept recognizably damaged (as Excel writes it into a CSV), never as digits.
        return f"{float(value):.15E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_CORRECTED = re.compile(r"\.corrected(?:-\d+)?$")


def corrected_name(source: Path) -> Path:
    """`cards.xlsx` → `cards.corrected.csv` next to it (-2, -3… if that exists)."""
    stem = _CORRECTED.sub("", source.stem)
    n = 1
    while True:
        suffix = ".corrected" if n == 1 else f".corrected-{n}"
        path = source.with_name(f"{stem}{suffix}.csv")
        if not path.exists():
            return path
        n += 1


def write_corrected(
    source: Path,
    target: Path,
    fixes: Mapping[int, Mapping[str, str]],
    columns: ColumnMap | None = None,
) -> ColumnMap:
    """Write `source` to `target` as CSV (UTF-8 with BOM) with `fixes` applied.

    `fixes` maps a row number to new field values ({"pin": …, "platform": …}). Every row
    keeps its row number; a field the file has no column for gets a new last column.
    Returns the columns of the written file. The file holds full codes, like `source`:
    it is private to the user (mode 600) and written whole or not at all.
    """
    table, _encoding, _sha = read_table(source)
    cm = _effective(table, columns)
    width = max((len(r) for r in table), default=0)
    indexes = cm.indexes()
    rows = [[_text(c) for c in r] + [""] * (width - len(r)) for r in table]
    for name in FIELDS:
        if name in indexes or not any(name in f for f in fixes.values()):
            continue
        indexes[name] = width
        width += 1
        for i, r in enumerate(rows):
            r.append(name if cm.header and i == 0 else "")
    for row_no, values in fixes.items():
        if row_no < (2 if cm.header else 1) or row_no > len(rows):
            raise BatchFileError(_("Row {row} is not in the file.").format(row=row_no))
        for name, value in values.items():
            rows[row_no - 1][indexes[name]] = value
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            f.write(buf.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ColumnMap(header=cm.header, **indexes)
