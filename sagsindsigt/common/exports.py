"""CSV and XLSX exports that cannot smuggle a formula into a spreadsheet."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
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


def escape_cell(value: Any) -> Any:
    """Text beginning with a formula character gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Semicolon-separated UTF-8 with BOM, as Danish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else escape_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
        return str(value)
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
