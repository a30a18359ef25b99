"""Reading real CSV and XLSX files as municipal systems export them; refusing those we must not read."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl.xml.functions
import pytest
from defusedxml import DefusedXmlException
from openpyxl.styles import Font

from sagsindsigt.intake import readers
from sagsindsigt.intake.readers import (
    CSV_FIELD_LIMIT,
    FileRejected,
    RawRow,
    Table,
    column_label,
    normalise_header,
    open_table,
    records_table,
    sha256_file,
)

BOM = b"\xef\xbb\xbf"
HEADER = "Sagsnr;Enhedskode;Afgørelse"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def _write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return _write


def read(path: Path, **kwargs: object) -> tuple[Table, list[RawRow]]:
    table = open_table(path, filename=kwargs.pop("filename", path.name), **kwargs)  # type: ignore[arg-type]
    return table, list(table.rows)


def rejection(path: Path, **kwargs: object) -> str:
    """The message, whether the fault is found on opening or further into the rows."""
    with pytest.raises(FileRejected) as caught:
        read(path, **kwargs)
    return caught.value.message


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            new.writestr(entry.filename, replace.get(entry.filename, old.read(entry.filename)))
    return target


# ------------------------------------------------------------------------------ empty, header only


@pytest.mark.parametrize(
    "content",
    [b"", b"   ", b"\r\n\r\n", b"\t \n", BOM, BOM + b"\r\n  \r\n", b";;;\r\n;;\r\n"],
    ids=["0 bytes", "spaces", "blank lines", "whitespace", "BOM", "BOM and blank lines", "delimiters only"],
)
def test_an_empty_file_is_rejected(write: Callable[[str, bytes], Path], content: bytes) -> None:
    assert rejection(write("tom.csv", content)) == "Filen er tom."


def test_an_empty_xlsx_is_rejected(write: Callable[[str, bytes], Path]) -> None:
    assert rejection(write("tom.xlsx", b"")) == "Filen er tom."


@pytest.mark.parametrize(
    "content", [f"{HEADER}\r\n", HEADER, f"{HEADER}\r\n\r\n;;\r\n"], ids=["CRLF", "no newline", "blank rows"]
)
def test_a_header_without_data_rows_gives_no_rows(write: Callable[[str, bytes], Path], content: str) -> None:
    # when
    table, rows = read(write("sager.csv", content.encode("cp1252")))
    # then the caller sees the headers and no rows, and reports "Filen har ingen datarækker"
    assert table.headers == ["Sagsnr", "Enhedskode", "Afgørelse"]
    assert rows == []


# ---------------------------------------------------------------------------------------- encoding


def test_windows_1252_is_detected_and_decoded(write: Callable[[str, bytes], Path]) -> None:
    # given a KMD-style export in Windows-1252 with æøå in headers and cells
    content = "Sagsnr;Enhed;Afgørelse\r\n1;Børne- og Ungeområdet;Bevilget\r\n2;ÆØÅ æøå é €;Afslået\r\n"
    # when
    table, rows = read(write("kmd.csv", content.encode("cp1252")))
    # then
    assert table.encoding == "cp1252"
    assert table.headers == ["Sagsnr", "Enhed", "Afgørelse"]
    assert [row.values["enhed"] for row in rows] == ["Børne- og Ungeområdet", "ÆØÅ æøå é €"]


@pytest.mark.parametrize(("prefix", "encoding"), [(BOM, "utf-8-sig"), (b"", "utf-8")])
def test_utf8_with_and_without_bom(write: Callable[[str, bytes], Path], prefix: bytes, encoding: str) -> None:
    table, rows = read(write("sager.csv", prefix + "Sagsnr;Enhed\n1;Århus Ø\n".encode()))
    assert table.encoding == encoding
    assert table.headers == ["Sagsnr", "Enhed"]  # no BOM left on the first header
    assert rows == [RawRow(2, {"sagsnr": "1", "enhed": "Århus Ø"})]


def test_pure_ascii_reads_as_utf8(write: Callable[[str, bytes], Path]) -> None:
    table, _rows = read(write("sager.csv", b"a;b\n1;2\n"))
    assert table.encoding == "utf-8"


def test_a_bom_promises_utf8_and_a_broken_line_is_named(write: Callable[[str, bytes], Path]) -> None:
    content = BOM + "Sagsnr;Enhed\n1;Århus\n".encode() + "2;Ærø\n".encode("cp1252")
    assert (
        rejection(write("sager.csv", content)) == "Filen starter som UTF-8, men linje 3 er ikke gyldig UTF-8."
    )


def test_a_bom_file_ending_inside_a_character_is_rejected(write: Callable[[str, bytes], Path]) -> None:
    content = BOM + b"Sagsnr;Enhed\n1;\xc3"
    assert (
        rejection(write("sager.csv", content)) == "Filen starter som UTF-8, men linje 2 er ikke gyldig UTF-8."
    )


def test_neither_utf8_nor_windows_1252_names_the_line(write: Callable[[str, bytes], Path]) -> None:
    # given bytes that are not UTF-8 (0xf8) and one that Windows-1252 does not define (0x81)
    content = b"Sagsnr;Enhed\n1;\xf8\n2;\x81\n"
    # when / then
    assert (
        rejection(write("sager.csv", content))
        == "Filen er hverken gyldig UTF-8 eller Windows-1252 (linje 3)."
    )


def test_encoding_is_decided_by_the_whole_file_not_its_start(write: Callable[[str, bytes], Path]) -> None:
    # given a file that is plain ASCII for more than one read chunk, then has a Windows-1252 ø
    filler = b"".join(b"%d;%s\n" % (i, b"E" * 100) for i in range(readers._CHUNK // 100))
    content = b"Sagsnr;Enhed\n" + filler + "9;Ærø\n".encode("cp1252")
    # when
    table, rows = read(write("sager.csv", content))
    # then
    assert len(content) > readers._CHUNK
    assert table.encoding == "cp1252"
    assert rows[-1].values["enhed"] == "Ærø"


def test_a_character_split_across_read_chunks_is_still_utf8(write: Callable[[str, bytes], Path]) -> None:
    # given an ø whose two UTF-8 bytes straddle the boundary between two chunks of the streamed pass
    head = b"Sagsnr;Enhed\n1;"
    content = head + b"x" * (readers._CHUNK - len(head) - 1) + "ø\n".encode()
    assert content[readers._CHUNK - 1 : readers._CHUNK + 1] == "ø".encode()
    # when
    table, rows = read(write("sager.csv", content), max_cell_chars=2 * readers._CHUNK)
    # then
    assert table.encoding == "utf-8"
    assert rows[0].values["enhed"].endswith("xø")


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_from_excels_unicode_text_gets_advice(write: Callable[[str, bytes], Path], bom: bytes) -> None:
    codec = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
    message = rejection(write("sager.txt", bom + "Sagsnr\tEnhed\r\n".encode(codec)))
    assert message.startswith("Filen er gemt som UTF-16")


# ----------------------------------------------------------------------------------- CSV structure


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("Sagsnr;Enhed;Dato", ";"),
        ("Sagsnr,Enhed,Dato", ","),
        ("Sagsnr\tEnhed\tDato", "\t"),
        ("Sagsnr;Enhed,Dato", ";"),  # a tie goes to ";"
        ("Sagsnr\tEnhed,Dato", ","),
        ('"Navn, fulde";Dato', ";"),  # delimiters inside quotes do not count
        ('"Sagsnr;nr",Enhed,Dato', ","),
        ("Sagsnr", ";"),  # one column is fine
    ],
)
def test_delimiter_is_detected_from_the_header(
    write: Callable[[str, bytes], Path], header: str, delimiter: str
) -> None:
    table, _rows = read(write("sager.csv", f"{header}\r\n".encode()))
    assert table.delimiter == delimiter


def test_one_column_file_reads(write: Callable[[str, bytes], Path]) -> None:
    _table, rows = read(write("sager.csv", b"Sagsnr\r\nS-1\r\n\r\nS-2\r\n"))
    assert rows == [RawRow(2, {"sagsnr": "S-1"}), RawRow(4, {"sagsnr": "S-2"})]


def test_quoted_fields_hold_delimiters_quotes_and_newlines(write: Callable[[str, bytes], Path]) -> None:
    # given a note spanning three lines of the file, then an ordinary row
    content = (
        'Sagsnr;Note;Beløb\r\n1;"Første linje; med semikolon\r\nanden ""linje""\r\ntredje";"1.234,50"\r\n'
        "2;Kort;7\r\n"
    )
    # when
    _table, rows = read(write("sager.csv", content.encode("cp1252")))
    # then the spanning record is row 2, and the next is row 3 as a spreadsheet would show it
    assert rows == [
        RawRow(
            2,
            {
                "sagsnr": "1",
                "note": 'Første linje; med semikolon\r\nanden "linje"\r\ntredje',
                "beløb": "1.234,50",
            },
        ),
        RawRow(3, {"sagsnr": "2", "note": "Kort", "beløb": "7"}),
    ]


def test_comma_files_quote_decimal_commas(write: Callable[[str, bytes], Path]) -> None:
    _table, rows = read(write("sager.csv", b'Sagsnr,Timer\n1,"12,5"\n'))
    assert rows == [RawRow(2, {"sagsnr": "1", "timer": "12,5"})]


@pytest.mark.parametrize(
    ("content", "row"),
    [
        ('Sagsnr;Note\r\n1;ok\r\n2;"aldrig lukket\r\n3;mere\r\n', 3),
        ('Sagsnr;Note\r\n1;"ok"\r\n\r\n2;ok\r\n3;x\r\n4;"\r\n', 6),
        ('"Sagsnr;Note\r\n1;2\r\n', 1),
    ],
)
def test_an_unbalanced_quote_names_the_row_where_it_opens(
    write: Callable[[str, bytes], Path], content: str, row: int
) -> None:
    message = rejection(write("sager.csv", content.encode()))
    assert message == f"Et anførselstegn er ikke lukket; det åbnes i række {row}."


def test_text_after_a_closing_quote_names_the_row(write: Callable[[str, bytes], Path]) -> None:
    message = rejection(write("sager.csv", b'Sagsnr;Note\r\n1;ok\r\n2;"citat"efter\r\n'))
    assert message.startswith("Række 3 har tekst efter et afsluttende anførselstegn")


def test_ragged_rows_are_row_problems_and_blank_lines_keep_row_numbers(
    write: Callable[[str, bytes], Path],
) -> None:
    # given short and long rows between good ones, blank lines and a row of only delimiters
    content = "Sagsnr;Enhed;Dato\r\n1;A;x\r\n\r\n2;B\r\n   \r\n3;C;x;ekstra\r\n;;\r\n4;D;x\r\n"
    # when
    _table, rows = read(write("sager.csv", content.encode()))
    # then
    assert rows == [
        RawRow(2, {"sagsnr": "1", "enhed": "A", "dato": "x"}),
        RawRow(4, {}, "Rækken har 2 felter, men overskriften har 3."),
        RawRow(6, {}, "Rækken har 4 felter, men overskriften har 3."),
        RawRow(8, {"sagsnr": "4", "enhed": "D", "dato": "x"}),
    ]


def test_leading_blank_lines_count_as_rows(write: Callable[[str, bytes], Path]) -> None:
    _table, rows = read(write("sager.csv", b"\r\n\r\nSagsnr;Enhed\r\n1;A\r\n"))
    assert [row.number for row in rows] == [4]


def test_a_1_mb_cell_is_a_row_problem_naming_the_column(write: Callable[[str, bytes], Path]) -> None:
    # given a 1 MB note in row 3, between two ordinary rows
    big = "x" * 1_048_576
    content = f"Sagsnr;Note\r\n1;kort\r\n2;{big}\r\n3;kort\r\n".encode()
    # when
    _table, rows = read(write("sager.csv", content))
    # then the file is read on, and the message neither repeats the cell nor fails the file
    assert rows == [
        RawRow(2, {"sagsnr": "1", "note": "kort"}),
        RawRow(3, {}, "Kolonnen «Note» har 1.048.576 tegn; højst 10.000 er tilladt."),
        RawRow(4, {"sagsnr": "3", "note": "kort"}),
    ]


def test_a_long_cell_made_of_short_lines_is_still_caught(write: Callable[[str, bytes], Path]) -> None:
    # given a quoted cell of 300 lines of 50 characters: no physical line is long, the cell is
    lines = "\r\n".join(["y" * 50] * 300)
    content = f'Sagsnr;Note\r\n1;"{lines}"\r\n2;kort\r\n'.encode()
    # when
    _table, rows = read(write("sager.csv", content), max_cell_chars=10_000)
    # then
    assert rows == [
        RawRow(2, {}, "Kolonnen «Note» har 15.598 tegn; højst 10.000 er tilladt."),
        RawRow(3, {"sagsnr": "2", "note": "kort"}),
    ]


def test_a_multiline_cell_within_the_limit_is_kept(write: Callable[[str, bytes], Path]) -> None:
    note = "\n".join(["z" * 50] * 10)
    _table, rows = read(write("sager.csv", f'Sagsnr;Note\n1;"{note}"\n'.encode()), max_cell_chars=len(note))
    assert rows == [RawRow(2, {"sagsnr": "1", "note": note})]


def test_a_cell_beyond_the_csv_field_limit_rejects_the_file(write: Callable[[str, bytes], Path]) -> None:
    content = b"Sagsnr;Note\r\n1;" + b"x" * (CSV_FIELD_LIMIT + 1) + b"\r\n"
    message = rejection(write("sager.csv", content))
    assert message == "Række 2 har et felt på over 8.388.608 tegn; måske er et anførselstegn ikke lukket."


def test_messages_never_echo_a_cpr_like_header_or_cell(write: Callable[[str, bytes], Path]) -> None:
    # given a file without a header row: its first row (with a CPR number) is taken as the header
    content = f"0101901234;Note\r\n{'0202801234' * 2_000};kort\r\n".encode()
    # when
    _table, rows = read(write("sager.csv", content))
    # then
    assert rows == [RawRow(2, {}, "Kolonne 1 har 20.000 tegn; højst 10.000 er tilladt.")]
    assert column_label("0101901234", 0) == "kolonne 1"


@pytest.mark.parametrize(
    ("header", "index", "label"),
    [
        ("Sagsnr", 0, "kolonnen «Sagsnr»"),
        ("CPR-nr.", 6, "kolonnen «CPR-nr.»"),
        ("010190-1234", 2, "kolonne 3"),
        ("x" * 41, 0, "kolonne 1"),
        ("", 4, "kolonne 5"),
        ("Note\nmed linjeskift", 1, "kolonne 2"),
    ],
)
def test_column_label_names_a_column_safely(header: str, index: int, label: str) -> None:
    assert column_label(header, index) == label


# ------------------------------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Sagsnr", "sagsnr"),
        ("\ufeffSagsnr", "sagsnr"),
        ("  Modtaget   dato ", "modtaget dato"),
        ("MODTAGET\tDATO", "modtaget dato"),
        ("Modtaget\u00a0dato", "modtaget dato"),
        ("AFGØRELSESDATO", "afgørelsesdato"),
        ("Straße", "strasse"),
        ("CPR-nr.", "cpr-nr."),
    ],
)
def test_normalise_header(header: str, key: str) -> None:
    assert normalise_header(header) == key


def test_reordered_and_differently_cased_headers_give_the_same_keys(
    write: Callable[[str, bytes], Path],
) -> None:
    table, rows = read(write("sager.csv", b" ENHEDSKODE ;sagsnr\r\nA;1\r\n"))
    assert table.headers == ["ENHEDSKODE", "sagsnr"]
    assert table.keys == ["enhedskode", "sagsnr"]
    assert rows[0].values == {"enhedskode": "A", "sagsnr": "1"}


def test_a_header_twice_is_rejected(write: Callable[[str, bytes], Path]) -> None:
    message = rejection(write("sager.csv", b"Sagsnr;Enhed;SAGSNR \r\n1;A;1\r\n"))
    assert message == (
        "Kolonnen «SAGSNR» forekommer to gange i overskriften (nr. 1 og 3); "
        "store og små bogstaver og mellemrum tæller ikke."
    )


def test_unnamed_columns_are_allowed(write: Callable[[str, bytes], Path]) -> None:
    table, rows = read(write("sager.csv", b"Sagsnr;;\r\n1;;\r\n"))
    assert table.keys == ["sagsnr", "", ""]
    assert rows == [RawRow(2, {"sagsnr": "1", "": ""})]


# -------------------------------------------------------------------------------- type and content


def test_a_csv_named_xlsx_is_rejected(write: Callable[[str, bytes], Path]) -> None:
    assert rejection(write("sager.xlsx", f"{HEADER}\r\n1;2;3\r\n".encode())) == (
        "Filen hedder .xlsx, men er ikke en Excel-fil."
    )


def test_a_zip_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "sager.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sager.csv", "Sagsnr\r\n1\r\n")
    assert rejection(path) == "Filen hedder .xlsx, men er ikke en Excel-fil."


@pytest.mark.parametrize("name", ["sager.csv", "sager.txt"])
def test_a_workbook_named_csv_is_rejected(tmp_path: Path, name: str) -> None:
    source = workbook(tmp_path / "sager.xlsx", {"Sager": [["Sagsnr"], [1]]})
    path = tmp_path / name
    path.write_bytes(source.read_bytes())
    assert rejection(path) == f"Filen hedder {Path(name).suffix}, men er ikke en tekstfil."


def test_a_text_file_with_a_nul_byte_is_rejected_naming_its_line(write: Callable[[str, bytes], Path]) -> None:
    content = "Sagsnr;Enhed;Bemærkning\r\n1;A;Første\r\n2;B;Sidste\x00\r\n".encode("cp1252")
    assert rejection(write("sager.txt", content)) == (
        "Filen hedder .txt, men linje 3 indeholder et nul-tegn (byte 0), som ikke findes i en tekstfil. "
        "Er det en anden filtype, eller er filen beskadiget?"
    )


def test_a_nul_byte_past_the_first_megabyte_is_counted_from_the_start(
    write: Callable[[str, bytes], Path],
) -> None:
    lines = [f"{n};SOF-A;Bemærkning {n}" for n in range(60_000)]
    content = ("Sagsnr;Enhed;Bemærkning\r\n" + "\r\n".join(lines) + "\r\n").encode("cp1252")
    content += b"60000;SOF-A;\x00\r\n"
    assert len(content) > 1024 * 1024
    assert "linje 60002 indeholder et nul-tegn" in rejection(write("sager.csv", content))


def test_a_cut_off_workbook_is_called_damaged(tmp_path: Path) -> None:
    # given: a real workbook whose download broke off half way
    path = workbook(tmp_path / "sager.xlsx", {"Sager": [["Sagsnr", "Modtaget"], ["K-1", "01-02-2024"]]})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    # then: it is a damaged Excel file, not "not an Excel file"
    assert rejection(path).startswith("Filen er en beskadiget Excel-fil")


def test_a_workbook_with_a_broken_directory_is_called_damaged(tmp_path: Path) -> None:
    path = workbook(tmp_path / "sager.xlsx", {"Sager": [["Sagsnr"], ["K-1"]]})
    data = bytearray(path.read_bytes())
    directory = data.find(b"PK\x01\x02")
    data[directory : directory + 4] = b"XXXX"  # the central directory no longer starts where it says
    path.write_bytes(bytes(data))
    assert rejection(path).startswith("Filen er en beskadiget Excel-fil")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sager.pdf", "Filtypen «.pdf» understøttes ikke; brug .csv, .txt eller .xlsx."),
        ("sager.xls", "Filtypen «.xls» understøttes ikke; brug .csv, .txt eller .xlsx."),
        ("sager", "Filtypen understøttes ikke; brug .csv, .txt eller .xlsx."),
        ("sag.0101901234", "Filtypen understøttes ikke; brug .csv, .txt eller .xlsx."),
    ],
)
def test_other_file_types_are_rejected(write: Callable[[str, bytes], Path], name: str, message: str) -> None:
    assert rejection(write("fil.bin", b"Sagsnr\r\n1\r\n"), filename=name) == message


def test_a_header_starting_with_pk_is_still_text(write: Callable[[str, bytes], Path]) -> None:
    _table, rows = read(write("sager.csv", b"PK-nr;Enhed\r\n7;A\r\n"))
    assert rows == [RawRow(2, {"pk-nr": "7", "enhed": "A"})]


def test_extension_case_does_not_matter(write: Callable[[str, bytes], Path]) -> None:
    table, _rows = read(write("fil.bin", b"Sagsnr\r\n1\r\n"), filename="SAGER.CSV")
    assert table.format == "csv"


def test_an_old_or_password_protected_workbook_gets_advice(write: Callable[[str, bytes], Path]) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert rejection(write("sager.xlsx", ole)).startswith(
        "Filen er en beskyttet Excel-fil eller i det gamle .xls"
    )


def test_sha256_file_matches_the_bytes(write: Callable[[str, bytes], Path]) -> None:
    content = b"Sagsnr\r\n" + b"1\r\n" * 100_000
    assert sha256_file(write("sager.csv", content)) == hashlib.sha256(content).hexdigest()


# --------------------------------------------------------------------------------------------- XLSX


def test_xlsx_cells_become_the_text_a_csv_would_hold(tmp_path: Path) -> None:
    # given a workbook with every kind of cell value
    path = tmp_path / "sager.xlsx"
    values: list[object] = [
        None,
        datetime(2024, 3, 5),  # noqa: DTZ001 - Excel datetimes are naive
        datetime(2024, 3, 5, 14, 30),  # noqa: DTZ001
        date(2024, 2, 29),
        42,
        12.0,
        12.5,
        1.234,
        -0.5,
        True,
        False,
        "  tekst  ",
    ]
    headers = [f"K{i}" for i in range(len(values))]
    workbook(path, {"Sager": [headers, values]})
    # when
    _table, rows = read(path)
    # then
    assert list(rows[0].values.values()) == [
        "",
        "2024-03-05",
        "2024-03-05 14:30:00",
        "2024-02-29",
        "42",
        "12",
        "12,5",
        "1,234",  # a decimal comma: "1.234" would read as one thousand two hundred and thirty-four
        "-0,5",
        "Ja",
        "Nej",
        "  tekst  ",
    ]


def test_xlsx_text_stays_text_and_formulas_are_never_evaluated(tmp_path: Path) -> None:
    # given a text cell that looks like a formula, and a real formula without a cached value
    path = tmp_path / "sager.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Note", "Sum"])
    sheet.append(["=cmd|' /C calc'!A0", "=1+1"])
    sheet["A2"].data_type = "s"
    book.save(path)
    # when
    _table, rows = read(path)
    # then
    assert rows == [RawRow(2, {"note": "=cmd|' /C calc'!A0", "sum": ""})]


def test_xlsx_header_is_the_first_non_empty_row_and_numbers_are_sheet_rows(tmp_path: Path) -> None:
    # given a title block, a header in row 3, an empty row 5 and a short row 6
    path = tmp_path / "sager.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sager"
    for column, header in enumerate(["Sagsnr", "Enhed", "Dato"], start=1):
        sheet.cell(row=3, column=column, value=header)
    sheet.cell(row=3, column=6).font = Font(bold=True)  # formatted, empty: not a column
    sheet.cell(row=4, column=1, value="S-1")
    sheet.cell(row=4, column=2, value="A")
    sheet.cell(row=4, column=3, value=datetime(2024, 3, 5))  # noqa: DTZ001 - Excel datetimes are naive
    sheet.cell(row=6, column=1, value="S-2")
    book.save(path)
    # when
    table, rows = read(path)
    # then
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.headers == ["Sagsnr", "Enhed", "Dato"]
    assert rows == [
        RawRow(4, {"sagsnr": "S-1", "enhed": "A", "dato": "2024-03-05"}),
        RawRow(6, {"sagsnr": "S-2", "enhed": "", "dato": ""}),
    ]


def test_xlsx_value_beyond_the_header_is_a_row_problem(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "sager.xlsx", {"Sager": [["Sagsnr", "Enhed"], ["S-1", "A", None], ["S-2", "B", None, "x"]]}
    )
    _table, rows = read(path)
    assert rows == [
        RawRow(2, {"sagsnr": "S-1", "enhed": "A"}),
        RawRow(3, {}, "Rækken har en værdi i kolonne D, men overskriften har kun 2 kolonner."),
    ]


def test_xlsx_cell_too_long_is_a_row_problem(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "sager.xlsx", {"Sager": [["Sagsnr", "Note"], ["S-1", "x" * 101], ["S-2", "ok"]]}
    )
    _table, rows = read(path, max_cell_chars=100)
    assert rows == [
        RawRow(2, {}, "Kolonnen «Note» har 101 tegn; højst 100 er tilladt."),
        RawRow(3, {"sagsnr": "S-2", "note": "ok"}),
    ]


@pytest.mark.parametrize(("sheet", "first"), [(None, "S-1"), ("Klager", "K-1"), ("klager ", "K-1")])
def test_xlsx_sheet_is_chosen_by_name_or_the_first(tmp_path: Path, sheet: str | None, first: str) -> None:
    path = workbook(tmp_path / "data.xlsx", {"Sager": [["Nr"], ["S-1"]], "Klager": [["Nr"], ["K-1"]]})
    _table, rows = read(path, sheet=sheet)
    assert rows[0].values == {"nr": first}


def test_an_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = workbook(tmp_path / "data.xlsx", {"Sager": [["Nr"]], "Klager": [["Nr"]]})
    assert (
        rejection(path, sheet="Ankesager")
        == "Arket «Ankesager» findes ikke i filen; arkene hedder «Sager», «Klager»."
    )


def test_an_empty_sheet_is_rejected(tmp_path: Path) -> None:
    path = workbook(tmp_path / "data.xlsx", {"Sager": []})
    assert rejection(path) == "Arket «Sager» er tomt."


def test_xlsx_header_twice_is_rejected(tmp_path: Path) -> None:
    path = workbook(tmp_path / "data.xlsx", {"Sager": [["Sagsnr", "sagsnr"], [1, 2]]})
    assert rejection(path).startswith("Kolonnen «sagsnr» forekommer to gange i overskriften (nr. 1 og 2)")


def test_xlsx_header_only_gives_no_rows(tmp_path: Path) -> None:
    table, rows = read(workbook(tmp_path / "data.xlsx", {"Sager": [["Sagsnr", "Enhed"]]}))
    assert table.keys == ["sagsnr", "enhed"]
    assert rows == []


# -------------------------------------------------------------------------------- XLSX: hostile files


def test_a_zip_bomb_is_rejected_before_unpacking(tmp_path: Path) -> None:
    # given a workbook whose sheet unpacks from a few kB to 64 MB
    source = workbook(tmp_path / "ok.xlsx", {"Sager": [["Nr"], [1]]})
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                new.writestr(entry.filename, old.read(entry.filename))
        with new.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(64):
                sheet.write(b" " * 1024 * 1024)
            sheet.write(b"</worksheet>")
    # when / then
    assert path.stat().st_size < 200_000
    assert rejection(path).startswith("Excel-filen er mistænkeligt stor, når den pakkes ud")


def test_many_small_parts_that_add_up_are_rejected(tmp_path: Path) -> None:
    # given 201 parts of 1 MB each: no part is suspicious alone, together they exceed 200 MB
    source = workbook(tmp_path / "ok.xlsx", {"Sager": [["Nr"], [1]]})
    path = rezip(source, tmp_path / "bombe.xlsx", {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(201):
            archive.writestr(f"xl/media/fyld{i}.bin", bytes(1024 * 1024))
    # when / then
    assert rejection(path) == (
        "Excel-filen er mistænkeligt stor, når den pakkes ud (over 200 MB); den afvises af sikkerhedshensyn."
    )


def test_too_many_parts_are_rejected(tmp_path: Path) -> None:
    path = workbook(tmp_path / "sager.xlsx", {"Sager": [["Nr"], [1]]})
    message = rejection(path, max_xlsx_entries=5)
    assert (
        message == "Excel-filen består af mistænkeligt mange dele (over 5); den afvises af sikkerhedshensyn."
    )


def test_a_part_larger_than_its_header_declares_is_never_unpacked_beyond_it(tmp_path: Path) -> None:
    # given a sheet of 200 kB whose central directory entry claims 200 bytes
    rows: list[list[object]] = [["Nr", "Note"], *([i, "x" * 100] for i in range(2_000))]
    path = workbook(tmp_path / "løgn.xlsx", {"Sager": rows})
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<L", data, at + 24, 200)
        at += 4
    path.write_bytes(bytes(data))
    # when / then zipfile stops at the declared size and the CRC check fails
    assert rejection(path).startswith("Filen er en beskadiget Excel-fil og kan ikke læses")


MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
OFFICE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHARED_STRINGS = b"<sst " + MAIN + b' count="2" uniqueCount="2"><si><t>Nr</t></si><si><t>S-1</t></si></sst>'
SHEET = (
    b"<worksheet " + MAIN + b"><sheetData>"
    b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    b"</sheetData></worksheet>"
)


def handmade_xlsx(path: Path, *, shared_strings: bytes = SHARED_STRINGS, sheet: bytes = SHEET) -> Path:
    """A minimal workbook written part by part, with a shared-strings part (openpyxl writes none)."""
    ct = b"application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="' + ct + b'.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + ct + b'.worksheet+xml"/>'
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + ct + b'.sharedStrings+xml"/></Types>',
        "_rels/.rels": b"<Relationships "
        + RELS
        + b'><Relationship Id="rId1" Type="'
        + OFFICE
        + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b"<workbook " + MAIN + b' xmlns:r="' + OFFICE + b'">'
        b'<sheets><sheet name="Sager" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b"<Relationships " + RELS + b">"
        b'<Relationship Id="rId1" Type="' + OFFICE + b'/worksheet" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="' + OFFICE + b'/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared_strings,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def test_a_handmade_workbook_with_shared_strings_reads(tmp_path: Path) -> None:
    # the control for the entity bombs below: without the DTD the same file is fine
    _table, rows = read(handmade_xlsx(tmp_path / "sager.xlsx"))
    assert rows == [RawRow(2, {"nr": "S-1"})]


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b'<!ENTITY lol1 "'
    + b"&lol;" * 10
    + b'">\n'
    + b"".join(b'<!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1)) * 10 + b'">\n' for i in range(2, 10))
    + b"]>\n"
)
SHARED_STRINGS_BOMB = LAUGHS + (
    b"<sst " + MAIN + b' count="2" uniqueCount="2"><si><t>Nr</t></si><si><t>&lol9;</t></si></sst>'
)
SHEET_BOMB = LAUGHS + (
    b"<worksheet " + MAIN + b"><sheetData>"
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    ("xml", "declares"),
    [
        (SHARED_STRINGS_BOMB, True),
        (
            SHARED_STRINGS_BOMB.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16"),
            True,
        ),
        (b'<?xml version="1.0"?><!DOCTYPE sst SYSTEM "http://example.invalid/x.dtd"><sst/>', True),
        (SHARED_STRINGS, False),
        (b'<?xml version="1.0"?>\n<!-- a comment --><sst ' + MAIN + b"/>", False),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), False),
        (b"", False),
    ],
    ids=["entities", "entities in UTF-16", "external DTD", "plain", "comment", "not XML", "empty"],
)
def test_the_dtd_check_reads_only_the_prolog(xml: bytes, declares: bool) -> None:
    assert readers._declares_doctype(io.BytesIO(xml)) is declares


@pytest.mark.parametrize(
    "parts",
    [{"shared_strings": SHARED_STRINGS_BOMB}, {"sheet": SHEET_BOMB}],
    ids=["shared strings", "worksheet"],
)
def test_an_xml_entity_bomb_is_rejected(tmp_path: Path, parts: dict[str, bytes]) -> None:
    path = handmade_xlsx(tmp_path / "bombe.xlsx", **parts)
    assert rejection(path) == "Excel-filen indeholder XML-entiteter, som ikke er tilladt."


def test_an_entity_bomb_in_utf16_xml_is_rejected_too(tmp_path: Path) -> None:
    bomb = SHARED_STRINGS_BOMB.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    path = handmade_xlsx(tmp_path / "bombe.xlsx", shared_strings=bomb)
    assert rejection(path) == "Excel-filen indeholder XML-entiteter, som ikke er tilladt."


@pytest.mark.parametrize(
    "parts",
    [{"shared_strings": SHARED_STRINGS_BOMB}, {"sheet": SHEET_BOMB}],
    ids=["shared strings", "worksheet"],
)
def test_openpyxl_itself_parses_through_defusedxml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: dict[str, bytes]
) -> None:
    # given an entity bomb, and the readers' own DTD check (the first line of defence) switched off
    path = handmade_xlsx(tmp_path / "bombe.xlsx", **parts)
    monkeypatch.setattr(readers, "_declares_doctype", lambda _stream: False)
    # then openpyxl refuses through defusedxml (wrapped in a ValueError of its own) ...
    assert openpyxl.xml.functions.iterparse.__module__ == "defusedxml.common"
    with pytest.raises(ValueError, match="Unable to read workbook") as caught:
        openpyxl.load_workbook(path, read_only=True)
    assert isinstance(caught.value.__cause__, DefusedXmlException)
    # ... and the readers still name the problem
    assert rejection(path) == "Excel-filen indeholder XML-entiteter, som ikke er tilladt."


def test_readers_refuse_to_load_when_openpyxl_would_skip_defusedxml() -> None:
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed argument list
        [sys.executable, "-c", "import sagsindsigt.intake.readers"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "openpyxl must parse XML through defusedxml" in result.stderr


# --------------------------------------------------------------------------------------------- JSON


def test_records_table_takes_the_union_of_keys_in_first_seen_order() -> None:
    # given posts with different keys
    records: list[dict[str, object]] = [
        {"Sagsnr": "S-1", "Enhed": "A"},
        {"Sagsnr": "S-2", "Dato": "05-03-2024"},
        {"Enhed": None, "Sagsnr": "S-3"},
    ]
    # when
    table = records_table(records)
    rows = list(table.rows)
    # then
    assert (table.format, table.encoding, table.delimiter) == ("json", None, None)
    assert table.headers == ["Sagsnr", "Enhed", "Dato"]
    assert table.keys == ["sagsnr", "enhed", "dato"]
    assert rows == [
        RawRow(1, {"sagsnr": "S-1", "enhed": "A", "dato": ""}),
        RawRow(2, {"sagsnr": "S-2", "enhed": "", "dato": "05-03-2024"}),
        RawRow(3, {"sagsnr": "S-3", "enhed": "", "dato": ""}),
    ]


def test_records_table_converts_json_values_to_text() -> None:
    table = records_table(
        [{"antal": 3, "timer": 2.5, "hele": 4.0, "aktiv": True, "lukket": False, "note": "=1+1"}]
    )
    assert next(table.rows).values == {
        "antal": "3",
        "timer": "2,5",
        "hele": "4",
        "aktiv": "Ja",
        "lukket": "Nej",
        "note": "=1+1",
    }


def test_records_table_reports_bad_posts_as_row_problems() -> None:
    records: list[dict[str, object]] = [
        {"Sagsnr": "S-1", "Noter": ["a", "b"]},
        "ikke et objekt",  # type: ignore[list-item]
        {"Sagsnr": "S-3", "Noter": "x" * 10_001},
        {"Sagsnr": "S-4"},
    ]
    rows = list(records_table(records).rows)
    assert rows == [
        RawRow(1, {}, "Feltet «Noter» skal være tekst, et tal eller sand/falsk."),
        RawRow(2, {}, "Posten er ikke et objekt med felter."),
        RawRow(3, {}, "Feltet «Noter» har 10.001 tegn; højst 10.000 er tilladt."),
        RawRow(4, {"sagsnr": "S-4", "noter": ""}),
    ]


def test_records_table_rejects_one_field_under_two_spellings() -> None:
    with pytest.raises(FileRejected) as caught:
        records_table([{"Sagsnr": "S-1"}, {"sagsnr ": "S-2"}])
    assert caught.value.message.startswith("Feltet «sagsnr» forekommer to gange i overskriften (nr. 1 og 2)")


def test_records_table_of_nothing_has_no_rows() -> None:
    table = records_table([])
    assert (table.headers, list(table.rows)) == ([], [])


# ----------------------------------------------------------------------------------- streaming, rows


def test_rows_are_streamed_not_held_in_memory(tmp_path: Path) -> None:
    # given a 40,000-row file of 26 MB: holding it, or its rows, would far exceed the bound below
    path = tmp_path / "stor.csv"
    line = "S-{:07d};4711;Børn og unge;05-03-2024;12-04-2024;;0101901234;Sagsbehandler Åse Ørsted;{}\r\n"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Sagsnr;Enhed;Sagstype;Modtaget;Afgjort;Lukket;CPR;Sagsbehandler;Note\r\n")
        f.writelines(line.format(i, "n" * 600) for i in range(40_000))
    assert path.stat().st_size > 25 * 1024**2
    # when
    tracemalloc.start()
    try:
        table = open_table(path, filename="stor.csv")
        count = sum(1 for _row in table.rows)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then
    assert count == 40_000
    assert peak < 10 * 1024**2


def test_rows_are_lazy_and_frozen(write: Callable[[str, bytes], Path]) -> None:
    table = open_table(write("sager.csv", b"Sagsnr\r\n1\r\n2\r\n"), filename="sager.csv")
    assert iter(table.rows) is table.rows  # an iterator, not a list
    row = next(table.rows)
    assert row == RawRow(2, {"sagsnr": "1"})
    assert row.problem is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.number = 3  # type: ignore[misc]
    table.close()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_closing_a_table_ends_its_rows(tmp_path: Path, kind: str) -> None:
    # given a table whose rows were never read
    if kind == "csv":
        path = tmp_path / "sager.csv"
        path.write_bytes(b"Sagsnr\r\n1\r\n")
    else:
        path = workbook(tmp_path / "sager.xlsx", {"Sager": [["Sagsnr"], [1]]})
    # when
    with open_table(path, filename=path.name) as table:
        pass
    # then
    assert list(table.rows) == []
