"""CSV and XLSX exports that open right in Danish Excel and cannot smuggle a formula into a spreadsheet."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters an XLSX file cannot hold (openpyxl refuses them); an imported case title may carry one.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")
_SHEET_TITLE_MAX = 31
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# Excel's built-in formats; Danish Excel shows them with its own separators (300.424 and 87,29).
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
# A streamed CSV is sent in pieces of about this size rather than a line at a time.
_CSV_PIECE = 64 * 1024


def escape_cell(value: Any) -> Any:
    """Text beginning with a formula character gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_value(value: Any) -> str:
    """One CSV cell as Danish Excel reads it: decimals with a comma (87,29), integers bare (300424, which
    Excel reads as a number in any language), dates as dd-mm-åååå, text escaped against formulas."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("Ja" if value else "Nej")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            return ""
        # repr: the shortest text that gives the float back, never "1e-05"
        text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
        return text.replace(".", ",")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    return str(escape_cell(str(value)))


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Semicolon-separated lines with a byte-order mark first, as Danish Excel opens them; one row at a
    time, so an export of any length runs in constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(values: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_value(v) for v in values])
        return buffer.getvalue()

    yield "\ufeff" + line(header)
    for row in rows:
        yield line(row)


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV as UTF-8 in pieces of about 64 KB, for a streaming response."""
    piece: list[str] = []
    size = 0
    for text in csv_lines(header, rows):
        piece.append(text)
        size += len(text)
        if size >= _CSV_PIECE:
            yield "".join(piece).encode("utf-8")
            piece, size = [], 0
    if piece:
        yield "".join(piece).encode("utf-8")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole CSV at once (small tables)."""
    return b"".join(csv_stream(header, rows))


def _sheet_title(value: str) -> str:
    # Excel allows 31 characters, none of \\ / * ? : [ ] and no apostrophe at either end; a sheet title is
    # only a label, so fix it rather than fail.
    title = _SHEET_TITLE_ILLEGAL.sub("-", value).strip(" '")[:_SHEET_TITLE_MAX].strip(" '")
    return title or "Ark"


def _put(cell: Cell, value: Any) -> str:
    """Write one value: numbers and dates as such, everything else as escaped text. Returns the shown text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            return ""  # Excel has no NaN or infinity
        cell.value = value
        if isinstance(value, bool):
            return str(value)
        # Numeric cells with thousands (and two decimals): Danish Excel shows 300.424 and 87,29.
        cell.number_format = INTEGER_FORMAT if isinstance(value, int) else DECIMAL_FORMAT
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            # Excel has no time zones: show the local wall-clock time the rest of the site shows.
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        return value.isoformat()
    text = _XLSX_ILLEGAL.sub("\ufffd", str(escape_cell(str(value))))
    cell.value = text
    # openpyxl types a string by its content ("=..." a formula, "#N/A" an error); ours is always text.
    cell.data_type = "s"
    return text


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str, title: str | None = None
) -> bytes:
    """One sheet: an optional title line, a bold frozen header, numbers as numbers, text never a formula."""
    # Imported here: only exports need openpyxl, not every request.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    workbook.properties.creator = "Sagsindsigt"
    widths: dict[int, int] = {}

    def put(row: int, column: int, value: Any) -> Cell:
        cell = sheet.cell(row=row, column=column)
        shown = _put(cell, value)
        longest = max((len(line) for line in shown.splitlines()), default=0)
        widths[column] = max(widths.get(column, 0), longest)
        return cell

    header_row = 1
    if title is not None:
        # Not through put(): a long title should run across the columns, not widen the first one.
        title_cell = sheet.cell(row=1, column=1)
        _put(title_cell, title)
        title_cell.font = Font(bold=True, size=14)
        header_row = 2
    for column, name in enumerate(header, start=1):
        put(header_row, column, name).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            put(row_number, column, value)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
