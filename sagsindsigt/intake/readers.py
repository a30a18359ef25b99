"""Read uploaded CSV and XLSX files, and pushed JSON records, as a lazy stream of rows of text."""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import math
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol
from xml.parsers import expat

import openpyxl
import openpyxl.xml.functions
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from sagsindsigt.common import danish

__all__ = [
    "FileRejected",
    "RawRow",
    "Table",
    "column_label",
    "normalise_header",
    "open_table",
    "records_table",
    "sha256_file",
]

# openpyxl chooses defusedxml when it is imported, and OPENPYXL_DEFUSEDXML=False turns that off
# silently; refuse to import rather than parse uploaded XML unprotected.
if not openpyxl.DEFUSEDXML or not openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml"):
    raise ImportError("openpyxl must parse XML through defusedxml; do not set OPENPYXL_DEFUSEDXML=False")

TEXT_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIX = ".xlsx"
DELIMITERS = (";", ",", "\t")  # order breaks ties: ";" is what Danish case systems write

# Large enough that an oversized cell becomes a row problem instead of a csv.Error that ends the file,
# small enough that an unclosed quote cannot swallow a whole upload into memory.
CSV_FIELD_LIMIT = 8 * 1024 * 1024

_CHUNK = 1024 * 1024
# Whole signatures, not just "PK": a CSV header may well start with "PK-nr".
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected .xlsx
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_QUOTED = re.compile(r'"[^"]*"')
# Six digits in a row may be the start of a CPR number: such a header is named by position only.
_MAYBE_CPR = re.compile(r"\d{6}")
_SAFE_LABEL_CHARS = 40
# Small parts compress well without being dangerous; the ratio test is for parts that could blow up.
_RATIO_FLOOR = 1024 * 1024
# A central directory entry is 46 bytes plus its name; an honest workbook's names are short.
_MAX_DIRECTORY_BYTES_PER_ENTRY = 512

_NOT_TEXT = "Filen hedder {suffix}, men er ikke en tekstfil."
_NOT_XLSX = "Filen hedder .xlsx, men er ikke en Excel-fil."
_XLSX_BOMB = (
    "Excel-filen er mistænkeligt stor, når den pakkes ud ({detail}); den afvises af sikkerhedshensyn."
)
_XLSX_ENTITIES = "Excel-filen indeholder XML-entiteter, som ikke er tilladt."
_XLSX_BROKEN = (
    "Filen er en beskadiget Excel-fil og kan ikke læses; den er måske ikke hentet eller gemt helt. "
    "Gem den igen fra Excel, og indlæs den på ny."
)
_XLSX_LOCKED = (
    "Filen er en beskyttet Excel-fil eller i det gamle .xls-format; "
    "gem den som en almindelig .xlsx-fil uden adgangskode."
)


class _CsvReader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class FileRejected(Exception):
    """The whole file cannot be read; .message is Danish and names the line/row where known."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    """One data row: its spreadsheet row number (header is 1) and its cells, or why it is unusable."""

    number: int
    values: dict[str, str]
    problem: str | None = None


_new_object = object.__new__


def _valid_row(number: int, values: dict[str, str]) -> RawRow:
    """RawRow(number, values) at a third of the cost: a frozen dataclass's __init__ sets each field
    through object.__setattr__, which a million-row file pays for a million times."""
    row = _new_object(RawRow)
    fields = row.__dict__
    fields["number"] = number
    fields["values"] = values
    fields["problem"] = None
    return row


@dataclass
class Table:
    """Headers and a lazy row stream; close it (or use `with`) if the rows are not read to the end."""

    headers: list[str]
    keys: list[str]
    rows: Iterator[RawRow]
    format: str
    encoding: str | None
    delimiter: str | None
    _close: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        # Close the generator too: one never started would otherwise try the closed file later.
        close_rows = getattr(self.rows, "close", None)
        if callable(close_rows):
            close_rows()
        if self._close is not None:
            self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def normalise_header(h: str) -> str:
    """Strip BOM and whitespace, collapse internal whitespace, casefold: how headers are matched."""
    return " ".join(h.replace("\ufeff", "").split()).casefold()


def column_label(header: str, index: int, *, field: bool = False) -> str:
    """Name a column in a message: "kolonnen «Dato»", or "kolonne 3" if the header might be data."""
    if _is_safe_label(header):
        return f"{'feltet' if field else 'kolonnen'} «{header}»"
    return f"{'felt' if field else 'kolonne'} {index + 1}"


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def open_table(
    path: Path,
    *,
    filename: str,
    sheet: str | None = None,
    max_cell_chars: int = 10_000,
    max_xlsx_uncompressed: int = 200 * 1024**2,
    max_xlsx_entries: int = 10_000,
    max_xlsx_ratio: int = 200,
) -> Table:
    """Open an uploaded file by the type its name claims; FileRejected if it is not that, or unreadable.

    FileRejected can also come from iterating the rows, for faults found further into the file.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, XLSX_SUFFIX):
        shown = f"«{suffix}» " if re.fullmatch(r"\.[a-z]{1,5}", suffix) else ""
        raise FileRejected(f"Filtypen {shown}understøttes ikke; brug .csv, .txt eller .xlsx.")
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise FileRejected("Filen er tom.")
    if suffix == XLSX_SUFFIX:
        return _open_xlsx(
            path,
            head,
            sheet=sheet,
            max_cell_chars=max_cell_chars,
            max_uncompressed=max_xlsx_uncompressed,
            max_entries=max_xlsx_entries,
            max_ratio=max_xlsx_ratio,
        )
    return _open_csv(path, head, suffix=suffix, max_cell_chars=max_cell_chars)


def records_table(records: list[dict[str, object]], *, max_cell_chars: int = 10_000) -> Table:
    """Pushed JSON records as a table: headers are the union of keys, number is the post's index + 1."""
    names: dict[str, None] = {}  # an ordered set: first-seen order is the column order
    for record in records:
        if isinstance(record, dict):
            names.update(dict.fromkeys(record))
    raw = list(names)
    headers = [_clean_header(str(name)) for name in raw]
    keys = [normalise_header(h) for h in headers]
    _reject_duplicate_headers(headers, keys, field=True)
    return Table(
        headers=headers,
        keys=keys,
        rows=_record_rows(records, raw, headers, keys, max_cell_chars),
        format="json",
        encoding=None,
        delimiter=None,
    )


# ------------------------------------------------------------------------------------------ shared


def _is_safe_label(text: str) -> bool:
    return (
        bool(text) and len(text) <= _SAFE_LABEL_CHARS and text.isprintable() and not _MAYBE_CPR.search(text)
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clean_header(h: str) -> str:
    return h.replace("\ufeff", "").strip()


def _reject_duplicate_headers(headers: list[str], keys: list[str], *, field: bool = False) -> None:
    # Two columns with one name would silently lose one of them when a row becomes a dict.
    seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in seen:
            label = _capital(column_label(headers[index], index, field=field))
            raise FileRejected(
                f"{label} forekommer to gange i overskriften (nr. {seen[key] + 1} og {index + 1}); "
                "store og små bogstaver og mellemrum tæller ikke."
            )
        seen[key] = index


def _too_long(headers: list[str], cells: list[str], limit: int, *, field: bool = False) -> str:
    index = next(i for i, cell in enumerate(cells) if len(cell) > limit)
    label = _capital(column_label(headers[index], index, field=field))
    return f"{label} har {danish.number(len(cells[index]))} tegn; højst {danish.number(limit)} er tilladt."


def _cell_text(value: object) -> str:
    """An XLSX or JSON value as the text a CSV export would hold; text stays exactly as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        # Decimal comma, never a point: "1.234" would read as Danish thousands (1234), "1,234" cannot.
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _record_rows(
    records: list[dict[str, object]], raw: list[str], headers: list[str], keys: list[str], max_cell_chars: int
) -> Iterator[RawRow]:
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield RawRow(number, {}, "Posten er ikke et objekt med felter.")
            continue
        cells: list[str] = []
        problem = None
        for index, name in enumerate(raw):
            value = record.get(name)
            if isinstance(value, dict | list | tuple):
                label = _capital(column_label(headers[index], index, field=True))
                problem = f"{label} skal være tekst, et tal eller sand/falsk."
                break
            cells.append(_cell_text(value))
        if problem is None and cells and max(map(len, cells)) > max_cell_chars:
            problem = _too_long(headers, cells, max_cell_chars, field=True)
        if problem is not None:
            yield RawRow(number, {}, problem)
        else:
            yield RawRow(number, dict(zip(keys, cells, strict=True)))


# --------------------------------------------------------------------------------------------- CSV


def _open_csv(path: Path, head: bytes, *, suffix: str, max_cell_chars: int) -> Table:
    if head.startswith((*_ZIP_MAGICS, _OLE_MAGIC)):
        raise FileRejected(_NOT_TEXT.format(suffix=suffix))
    if head.startswith(_UTF16_BOMS):
        raise FileRejected(
            "Filen er gemt som UTF-16 (Excels »Unicode-tekst«); "
            "gem den som CSV (UTF-8 eller semikolonsepareret)."
        )
    scan = _scan_text(path, suffix=suffix)
    encoding = scan.encoding
    if csv.field_size_limit() < max(CSV_FIELD_LIMIT, max_cell_chars + 1):
        # Process-wide, and only ever raised: other csv users keep at least what they had.
        csv.field_size_limit(max(CSV_FIELD_LIMIT, max_cell_chars + 1))

    f = path.open(encoding=encoding, newline="")
    try:
        number = 0
        while True:
            line = f.readline(CSV_FIELD_LIMIT)
            if not line:
                raise FileRejected("Filen er tom.")
            if line.strip():
                break
            number += 1  # a blank line is a (skipped) row, so row numbers stay true to the file
        if len(line) >= CSV_FIELD_LIMIT:
            raise FileRejected(f"Overskriften (række {number + 1}) er for lang.")
        delimiter = _detect_delimiter(line)
        reader = csv.reader(itertools.chain((line,), f), delimiter=delimiter, strict=True)
        header: list[str] | None = None
        try:
            for record in reader:
                number += 1
                if any(cell.strip() for cell in record):
                    header = record
                    break
        except csv.Error as exc:
            raise FileRejected(_csv_problem(exc, number + 1)) from None
        if header is None:
            raise FileRejected("Filen er tom.")
        headers = [_clean_header(h) for h in header]
        keys = [normalise_header(h) for h in headers]
        _reject_duplicate_headers(headers, keys)
    except BaseException:
        f.close()
        raise
    return Table(
        headers=headers,
        keys=keys,
        rows=_csv_rows(f, reader, headers, keys, number, max_cell_chars, scan.longest_line),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        _close=f.close,
    )


def _csv_rows(
    f: IO[str],
    reader: _CsvReader,
    headers: list[str],
    keys: list[str],
    number: int,
    max_cell_chars: int,
    longest_line: int,
) -> Iterator[RawRow]:
    # The hot loop of a million-row import: C csv parsing, C-level checks, one dict per row.
    width = len(keys)
    # Measuring every cell costs as much again as parsing; when no physical line is longer than the
    # limit (seen in the encoding pass), only a record spanning several lines can hold a cell too long.
    check_every_row = longest_line > max_cell_chars
    last_line = reader.line_num
    try:
        for record in reader:
            number += 1
            line = reader.line_num
            if len(record) == width:
                if (check_every_row or line - last_line > 1) and max(map(len, record)) > max_cell_chars:
                    yield RawRow(number, {}, _too_long(headers, record, max_cell_chars))
                elif any(record):
                    yield _valid_row(number, dict(zip(keys, record, strict=True)))
            elif any(cell.strip() for cell in record):
                yield RawRow(
                    number,
                    {},
                    f"Rækken har {danish.plural(len(record), 'felt', 'felter')}, "
                    f"men overskriften har {width}.",
                )
            last_line = line
    except csv.Error as exc:
        raise FileRejected(_csv_problem(exc, number + 1)) from None
    except UnicodeDecodeError:
        # Checked before reading, so only a file changed underneath us gets here.
        raise FileRejected(f"Filen kan ikke læses fra række {number + 1}.") from None
    finally:
        f.close()


def _csv_problem(exc: csv.Error, row: int) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return f"Et anførselstegn er ikke lukket; det åbnes i række {row}."
    if "field larger than field limit" in text:
        return (
            f"Række {row} har et felt på over {danish.number(csv.field_size_limit())} tegn; "
            "måske er et anførselstegn ikke lukket."
        )
    if "expected after" in text:
        return (
            f"Række {row} har tekst efter et afsluttende anførselstegn; "
            "et felt i anførselstegn skal slutte ved feltskilletegnet."
        )
    return f"Filen kan ikke læses som CSV (række {row})."


def _detect_delimiter(line: str) -> str:
    bare = _QUOTED.sub("", line)
    return max(DELIMITERS, key=bare.count)  # max keeps the first of equals, so ";" wins ties


@dataclass(frozen=True)
class _TextScan:
    encoding: str
    longest_line: int  # in bytes, at least its length in characters


def _scan_text(path: Path, *, suffix: str) -> _TextScan:
    """One streamed pass: UTF-8 (BOM or not) or Windows-1252; also rejects binary and empty files."""
    with path.open("rb") as f:
        chunk = f.read(_CHUNK)
        has_bom = chunk.startswith(codecs.BOM_UTF8)
        if has_bom:
            chunk = chunk[len(codecs.BOM_UTF8) :]
        pending = b""  # an incomplete UTF-8 sequence split across chunks
        lines = 0  # newlines before the current chunk
        utf8_error: int | None = None  # line numbers of the first offending byte
        cp1252_error: int | None = None
        content = False
        longest = carry = 0  # carry: length of the line still open at the end of the last chunk
        while chunk:
            nul = chunk.find(b"\0")
            if nul >= 0:
                line = lines + chunk.count(b"\n", 0, nul) + 1
                raise FileRejected(
                    f"Filen hedder {suffix}, men linje {line} indeholder et nul-tegn (byte 0), som ikke "
                    "findes i en tekstfil. Er det en anden filtype, eller er filen beskadiget?"
                )
            if not content and chunk.strip():
                content = True
            if utf8_error is None and (pending or not chunk.isascii()):
                data = pending + chunk
                try:
                    _text, consumed = codecs.utf_8_decode(data, "strict", False)
                    pending = data[consumed:]
                except UnicodeDecodeError as exc:
                    utf8_error = lines + data.count(b"\n", 0, exc.start) + 1
                    if has_bom:
                        raise FileRejected(
                            f"Filen starter som UTF-8, men linje {utf8_error} er ikke gyldig UTF-8."
                        ) from None
            if cp1252_error is None:
                # find() per byte is several times faster than a regex character class here.
                bad = [at for at in map(chunk.find, _CP1252_UNDEFINED) if at >= 0]
                if bad:
                    cp1252_error = lines + chunk.count(b"\n", 0, min(bad)) + 1
            if utf8_error is not None and cp1252_error is not None:
                break
            parts = chunk.split(b"\n")
            if len(parts) == 1:
                carry += len(chunk)
            else:
                longest = max(longest, carry + len(parts[0]), max(map(len, parts)))
                carry = len(parts[-1])
            lines += len(parts) - 1
            chunk = f.read(_CHUNK)
        if pending and utf8_error is None:
            utf8_error = lines + 1  # the file ends inside a character
            if has_bom:
                raise FileRejected(f"Filen starter som UTF-8, men linje {utf8_error} er ikke gyldig UTF-8.")
    if not content:
        raise FileRejected("Filen er tom.")
    longest = max(longest, carry)
    if has_bom:
        return _TextScan("utf-8-sig", longest)
    if utf8_error is None:
        return _TextScan("utf-8", longest)
    if cp1252_error is None:
        return _TextScan("cp1252", longest)
    raise FileRejected(f"Filen er hverken gyldig UTF-8 eller Windows-1252 (linje {cp1252_error}).")


# -------------------------------------------------------------------------------------------- XLSX


def _open_xlsx(
    path: Path,
    head: bytes,
    *,
    sheet: str | None,
    max_cell_chars: int,
    max_uncompressed: int,
    max_entries: int,
    max_ratio: int,
) -> Table:
    if head.startswith(_OLE_MAGIC):
        raise FileRejected(_XLSX_LOCKED)
    if not head.startswith(_ZIP_MAGICS):
        raise FileRejected(_NOT_XLSX)
    # It starts as a ZIP archive, as a workbook does: from here on, what cannot be read is damaged.
    _check_zip_directory(path, max_entries=max_entries)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        raise FileRejected(_XLSX_BROKEN) from None
    with archive:
        try:
            _check_archive(
                archive, max_uncompressed=max_uncompressed, max_entries=max_entries, max_ratio=max_ratio
            )
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError):
            # A CRC mismatch (a part longer than declared), an unknown compression method, a password.
            raise FileRejected(_XLSX_BROKEN) from None

    try:
        # read_only streams the sheets; data_only gives cached formula results and never evaluates.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl signals a malformed workbook with a zoo of exception types
        raise FileRejected(_xlsx_problem(exc)) from None
    try:
        worksheet = _choose_sheet(workbook.worksheets, sheet)
        # The declared dimension can lie; without it rows are neither padded nor cut to it.
        worksheet.reset_dimensions()
        cells_by_row = worksheet.iter_rows(values_only=True)
        number = 0
        headers: list[str] = []
        for cells in cells_by_row:
            number += 1
            headers = [_clean_header(_cell_text(value)) for value in cells]
            while headers and not headers[-1]:
                headers.pop()  # formatted but empty cells to the right of the header
            if headers:
                break
        if not headers:
            raise FileRejected(f"Arket {_sheet_label(worksheet.title)} er tomt.")
        keys = [normalise_header(h) for h in headers]
        _reject_duplicate_headers(headers, keys)
    except FileRejected:
        workbook.close()
        raise
    except Exception as exc:
        workbook.close()
        raise FileRejected(_xlsx_problem(exc)) from None
    return Table(
        headers=headers,
        keys=keys,
        rows=_xlsx_rows(workbook, cells_by_row, headers, keys, number, max_cell_chars),
        format="xlsx",
        encoding=None,
        delimiter=None,
        _close=workbook.close,
    )


def _xlsx_problem(exc: BaseException, *, row: int | None = None) -> str:
    # openpyxl wraps defusedxml's refusal in a ValueError of its own; look down the chain.
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _XLSX_ENTITIES
        cause = cause.__cause__ or cause.__context__
    if row is None:
        return _XLSX_BROKEN
    return f"Filen er en beskadiget Excel-fil og kan ikke læses fra række {row}."


def _check_zip_directory(path: Path, *, max_entries: int) -> None:
    """Read the entry count from the end record, before zipfile builds an object for every entry."""
    with path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - 22 - 0xFFFF))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise FileRejected(_XLSX_BROKEN)  # cut off: the directory at the end of the archive is missing
    _sig, _disk, _cd_disk, _here, entries, directory_size, _offset, _comment = struct.unpack(
        "<4s4H2LH", tail[at : at + 22]
    )
    if entries > max_entries or directory_size > max_entries * _MAX_DIRECTORY_BYTES_PER_ENTRY:
        raise FileRejected(
            f"Excel-filen består af mistænkeligt mange dele (over {danish.number(max_entries)}); "
            "den afvises af sikkerhedshensyn."
        )


def _check_archive(
    archive: zipfile.ZipFile, *, max_uncompressed: int, max_entries: int, max_ratio: int
) -> None:
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise FileRejected(
            f"Excel-filen består af mistænkeligt mange dele (over {danish.number(max_entries)}); "
            "den afvises af sikkerhedshensyn."
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRejected(_NOT_XLSX)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise FileRejected(_XLSX_LOCKED)
    if sum(entry.file_size for entry in entries) > max_uncompressed:
        detail = f"over {danish.number(max_uncompressed // 1024**2)} MB"
        raise FileRejected(_XLSX_BOMB.format(detail=detail))
    for entry in entries:
        if entry.file_size > _RATIO_FLOOR and entry.file_size > max_ratio * max(entry.compress_size, 1):
            detail = f"en del fylder over {max_ratio} gange så meget som pakket"
            raise FileRejected(_XLSX_BOMB.format(detail=detail))
    # zipfile never yields more than an entry's declared size (and then fails its CRC check), so the
    # sums above hold even for lying headers. What is left is XML that declares entities.
    for entry in entries:
        if not entry.is_dir():
            with archive.open(entry) as member:
                if _declares_doctype(member):
                    raise FileRejected(_XLSX_ENTITIES)


class _PrologRead(Exception):
    pass


def _declares_doctype(stream: IO[bytes]) -> bool:
    """True if the XML declares a DTD; reads only up to the root element, in any XML encoding."""
    parser = expat.ParserCreate()
    found = False

    def on_doctype(*_args: Any) -> None:
        nonlocal found
        found = True
        raise _PrologRead

    def on_element(*_args: Any) -> None:
        raise _PrologRead

    parser.StartDoctypeDeclHandler = on_doctype
    parser.StartElementHandler = on_element
    try:
        while chunk := stream.read(4096):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _PrologRead:
        pass
    except expat.ExpatError:
        pass  # not XML (an image, say): openpyxl decides whether it needs the part
    return found


def _choose_sheet(worksheets: list[Any], sheet: str | None) -> Any:
    if not worksheets:
        raise FileRejected("Excel-filen har intet regneark.")
    if sheet is None:
        return worksheets[0]
    for worksheet in worksheets:
        if worksheet.title == sheet:
            return worksheet
    for worksheet in worksheets:
        if normalise_header(worksheet.title) == normalise_header(sheet):
            return worksheet
    names = ", ".join(_sheet_label(ws.title) for ws in worksheets)
    raise FileRejected(f"Arket {_sheet_label(sheet)} findes ikke i filen; arkene hedder {names}.")


def _sheet_label(title: str) -> str:
    return f"«{title}»" if _is_safe_label(title) else "(navn udeladt)"


def _xlsx_rows(
    workbook: Any,
    cells_by_row: Iterator[tuple[object, ...]],
    headers: list[str],
    keys: list[str],
    number: int,
    max_cell_chars: int,
) -> Iterator[RawRow]:
    width = len(keys)
    try:
        for cells in cells_by_row:
            number += 1
            texts = [value if type(value) is str else _cell_text(value) for value in cells]
            if len(texts) > width:
                extra = next((i for i in range(width, len(texts)) if texts[i]), None)
                if extra is not None:
                    yield RawRow(
                        number,
                        {},
                        f"Rækken har en værdi i kolonne {get_column_letter(extra + 1)}, "
                        f"men overskriften har kun {danish.plural(width, 'kolonne', 'kolonner')}.",
                    )
                    continue
                del texts[width:]
            elif len(texts) < width:
                texts.extend([""] * (width - len(texts)))  # Excel leaves out empty cells at the end
            if not any(texts):
                continue
            if max(map(len, texts)) > max_cell_chars:
                yield RawRow(number, {}, _too_long(headers, texts, max_cell_chars))
            else:
                yield _valid_row(number, dict(zip(keys, texts, strict=True)))
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected(_xlsx_problem(exc, row=number + 1)) from None
    finally:
        workbook.close()
