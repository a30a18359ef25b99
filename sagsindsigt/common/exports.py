"""CSV export that cannot smuggle a formula into a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


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
