"""XLSX export: numbers stay numbers, text never becomes a formula, and the sheet reads well."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from sagsindsigt.common.exports import (
    DECIMAL_FORMAT,
    INTEGER_FORMAT,
    csv_bytes,
    csv_stream,
    csv_value,
    xlsx_bytes,
)


def _sheet(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_keeps_numbers_numeric_and_none_empty() -> None:
    # given
    rows = [["Hjælpemidler", 12, 15.5, Decimal("18.6"), None]]
    # when
    sheet = _sheet(
        xlsx_bytes(["Enhed", "Klager", "Pr. 1.000", "Procent", "Note"], rows, sheet_title="Klager")
    )
    # then
    unit, count, rate, share, note = sheet[2]
    assert (count.value, count.data_type) == (12, "n")
    assert (rate.value, rate.data_type) == (15.5, "n")
    assert (share.value, share.data_type) == (pytest.approx(18.6), "n")
    assert note.value is None
    assert (unit.value, unit.data_type) == ("Hjælpemidler", "s")


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x")'])
def test_xlsx_formula_text_is_escaped_and_stored_as_text(payload: str) -> None:
    # given
    rows = [[payload]]
    # when
    sheet = _sheet(xlsx_bytes([payload], rows, sheet_title="Data"))
    # then: header and body alike
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.value == "'" + payload
        assert cell.data_type == "s"


@pytest.mark.parametrize("text", ["#N/A", "#REF!", "#DIV/0!"])
def test_xlsx_error_like_text_stays_text(text: str) -> None:
    # given: openpyxl would type these as Excel error values
    rows = [[text]]
    # when
    sheet = _sheet(xlsx_bytes(["Note"], rows, sheet_title="Data"))
    # then
    assert sheet["A2"].value == text
    assert sheet["A2"].data_type == "s"


def test_xlsx_title_line_bold_header_and_frozen_panes() -> None:
    # given
    header = ["Enhed", "Klager"]
    # when
    sheet = _sheet(
        xlsx_bytes(header, [["A", 1]], sheet_title="Klager", title="Klager 2026, Socialforvaltningen")
    )
    # then
    assert sheet["A1"].value == "Klager 2026, Socialforvaltningen"
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == header
    assert all(c.font.b for c in sheet[2])
    assert not sheet["A3"].font.b
    assert sheet.freeze_panes == "A3"
    assert sheet.title == "Klager"


def test_xlsx_without_title_starts_with_the_header() -> None:
    # given
    header = ["Enhed", "Klager"]
    # when
    sheet = _sheet(xlsx_bytes(header, [["A", 1], ["B", 2]], sheet_title="Klager"))
    # then
    assert [c.value for c in sheet[1]] == header
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 3


def test_xlsx_fits_column_widths_roughly() -> None:
    # given
    rows = [["Center for Handicap og Psykiatri, Hjælpemidler", 7]]
    # when
    sheet = _sheet(xlsx_bytes(["Enhed", "N"], rows, sheet_title="Data", title="En meget lang titel " * 10))
    # then: the long text widens its column, the title does not, and no column is absurdly wide
    wide, narrow = sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width
    assert wide >= len(rows[0][0])
    assert narrow < 12
    assert wide <= 60


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Klager [2026]: A/B?", "Klager -2026-- A-B-"), ("x" * 40, "x" * 31), ("'", "Ark"), ("", "Ark")],
)
def test_xlsx_sheet_title_is_made_valid(given: str, expected: str) -> None:
    # when
    sheet = _sheet(xlsx_bytes(["a"], [], sheet_title=given))
    # then
    assert sheet.title == expected


def test_xlsx_control_characters_and_aware_datetimes_do_not_break_the_file(settings: Any) -> None:
    # given
    settings.TIME_ZONE = "Europe/Copenhagen"
    moment = datetime.datetime(2026, 1, 15, 11, 30, tzinfo=ZoneInfo("UTC"))
    rows = [["Sag\x07 med klokke", moment, datetime.date(2026, 1, 15), float("nan")]]
    # when
    sheet = _sheet(xlsx_bytes(["Titel", "Tidspunkt", "Dato", "Rate"], rows, sheet_title="Data"))
    # then
    assert sheet["A2"].value == "Sag\ufffd med klokke"
    # Excel has no time zones: the local wall-clock time, as the site shows it
    assert sheet["B2"].value.isoformat() == "2026-01-15T12:30:00"
    assert sheet["C2"].value.isoformat() == "2026-01-15T00:00:00"
    assert sheet["D2"].value is None


def test_xlsx_numbers_carry_a_number_format_danish_excel_shows_with_its_separators() -> None:
    # given
    rows = [["Hjælpemidler", 300424, 87.29, Decimal("1234.5")]]
    # when
    sheet = _sheet(xlsx_bytes(["Enhed", "Sager", "Procent", "Pr. 1.000"], rows, sheet_title="Data"))
    # then: still numbers, with thousands and two decimals (Danish Excel: 300.424 and 87,29)
    _unit, count, share, rate = sheet[2]
    assert (count.value, count.number_format) == (300424, INTEGER_FORMAT)
    assert (share.value, share.number_format) == (87.29, DECIMAL_FORMAT)
    assert (rate.value, rate.number_format) == (pytest.approx(1234.5), DECIMAL_FORMAT)
    assert (INTEGER_FORMAT, DECIMAL_FORMAT) == ("#,##0", "#,##0.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87.29, "87,29"),
        (Decimal("18.60"), "18,60"),
        (0.00001, "0,00001"),
        (-1.5, "-1,5"),
        (300424, "300424"),
        (None, ""),
        (float("nan"), ""),
        (datetime.date(2026, 3, 5), "05-03-2026"),
        ("87.29", "87.29"),
        ("=1+1", "'=1+1"),
    ],
)
def test_csv_cells_use_the_danish_decimal_comma(value: Any, expected: str) -> None:
    assert csv_value(value) == expected


def test_csv_has_a_byte_order_mark_semicolons_and_decimal_commas() -> None:
    # when
    text = csv_bytes(["Enhed", "Sager", "Procent"], [["Hjælpemidler", 300424, 87.29]]).decode("utf-8")
    # then
    assert text == "\ufeffEnhed;Sager;Procent\r\nHjælpemidler;300424;87,29\r\n"


def test_csv_streams_in_pieces_and_holds_every_row() -> None:
    # given: far more than one piece of text
    rows = ([f"Enhed {i}", i, i / 4] for i in range(20_000))
    # when
    pieces = list(csv_stream(["Enhed", "N", "Kvart"], rows))
    # then
    assert len(pieces) > 1
    lines = b"".join(pieces).decode("utf-8-sig").splitlines()
    assert len(lines) == 20_001
    assert lines[-1] == "Enhed 19999;19999;4999,75"
