"""Cell text to dates, numbers, booleans and clean text: Danish formats in, Danish messages out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagsindsigt.common.danish import number
from sagsindsigt.intake.values import (
    DATE_FORMATS,
    ValueProblem,
    clean_text,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)

CPR_LIKE = ["0101901234", "010190-1234", "010190 1234"]


def problem_of(parse: object, text: str, **kwargs: object) -> str:
    with pytest.raises(ValueProblem) as caught:
        parse(text, **kwargs)  # type: ignore[operator]
    return caught.value.message


# ------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-03-2024", date(2024, 3, 5)),
        ("5-3-2024", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("5.3.2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("  05-03-2024 ", date(2024, 3, 5)),
        ("29-02-2024", date(2024, 2, 29)),
        ("31-12-1999", date(1999, 12, 31)),
        # exports and XLSX datetimes carry a time of day; the date is what counts
        ("2024-03-05 14:30:00", date(2024, 3, 5)),
        ("2024-03-05T14:30:00.123", date(2024, 3, 5)),
        ("05-03-2024 14:30", date(2024, 3, 5)),
    ],
)
def test_parse_date_accepts_the_danish_and_iso_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_parse_date_of_nothing_is_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2024", "findes ikke i kalenderen: 31. februar 2024"),
        ("29-02-2023", "findes ikke i kalenderen: 29. februar 2023"),
        ("31.04.2024", "findes ikke i kalenderen: 31. april 2024"),
        ("2024-13-01", "ugyldig dato: måned 13"),
        ("13-13-2024", "ugyldig dato: måned 13"),
        ("15-00-2024", "ugyldig dato: måned 0"),
        ("00-01-2024", "ugyldig dato: dag 0"),
        ("32-01-2024", "ugyldig dato: dag 32"),
        ("01-01-0000", "ugyldig dato: år 0"),
        ("2024-03-05 25:00", "ugyldigt klokkeslæt"),
        ("i går", "ugyldig dato; brug dd-mm-åååå"),
        ("05/03/2024", "ugyldig dato; brug dd-mm-åååå"),
        ("05-03-24", "ugyldig dato; brug dd-mm-åååå"),
        ("2024-03", "ugyldig dato; brug dd-mm-åååå"),
        ("05-03-2024x", "ugyldig dato; brug dd-mm-åååå"),
        ("45356", "ugyldig dato; brug dd-mm-åååå"),
        *[(cpr, "ugyldig dato; brug dd-mm-åååå") for cpr in CPR_LIKE],
    ],
)
def test_parse_date_explains_what_is_wrong_in_danish(text: str, message: str) -> None:
    assert problem_of(parse_date, text) == message


def test_parse_date_takes_a_sources_own_formats() -> None:
    # given a source that writes compact dates, and one that needs strptime (two-digit years)
    # when / then
    assert parse_date("20240305", ("%Y%m%d",)) == date(2024, 3, 5)
    assert parse_date("05/03/24", ("%d/%m/%y",)) == date(2024, 3, 5)
    assert problem_of(parse_date, "2024-03-05", formats=("%Y%m%d",)) == "ugyldig dato; brug ååååmmdd"
    assert problem_of(parse_date, "31/02/24", formats=("%d/%m/%y",)) == "ugyldig dato; brug dd/mm/åå"


def test_parse_date_tries_formats_in_order() -> None:
    # 05-03-2024 is 5 March as dd-mm-åååå; with mm-dd-åååå first it is 3 May
    assert parse_date("05-03-2024", ("%m-%d-%Y", "%d-%m-%Y")) == date(2024, 5, 3)
    assert parse_date("13-03-2024", ("%m-%d-%Y", "%d-%m-%Y")) == date(2024, 3, 13)


@pytest.mark.parametrize("fmt", [*DATE_FORMATS, "%d-%m-%Y %H:%M:%S"])
@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_date_reads_back_what_strftime_writes(fmt: str, day: date) -> None:
    assert parse_date(day.strftime(fmt)) == day


# ----------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        (" 42 ", 42),
        ("007", 7),
        ("+5", 5),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234\u202f567", 1234567),
        ("12,0", 12),
        ("1.234,00", 1234),
    ],
)
def test_parse_int_reads_danish_whole_numbers(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["", "  "])
def test_parse_int_of_nothing_is_none(text: str) -> None:
    assert parse_int(text) is None


@pytest.mark.parametrize(("text", "expected"), [("-3", -3), ("\u22123", -3), ("-1.234", -1234), ("0", 0)])
def test_parse_int_without_minimum_allows_negatives(text: str, expected: int) -> None:
    assert parse_int(text, minimum=None) == expected


@pytest.mark.parametrize(
    ("text", "minimum", "message"),
    [
        ("-3", 0, "må ikke være negativ"),
        ("-1.234", 0, "må ikke være negativ"),
        ("0", 1, "skal være mindst 1"),
        ("999", 1000, "skal være mindst 1.000"),
        ("-20", -10, "skal være mindst -10"),
        ("12,5", 0, "skal være et helt tal"),
        ("12.5", 0, "skal være et helt tal"),
        ("1.23", 0, "skal være et helt tal"),
        ("0,001", 0, "skal være et helt tal"),
        ("abc", 0, "ugyldigt tal"),
        ("1.2.3", 0, "ugyldigt tal"),
        ("1.23.456", 0, "ugyldigt tal"),
        ("12 34", 0, "ugyldigt tal"),
        ("1e5", 0, "ugyldigt tal"),
        ("--1", 0, "ugyldigt tal"),
        ("-", 0, "ugyldigt tal"),
        ("\u0661\u0662", 0, "ugyldigt tal"),  # Arabic-Indic digits: int() would take them
        ("\u00b2", 0, "ugyldigt tal"),  # '²'.isdigit() is True
        ("1" * 41, 0, "tallet er for langt; højst 40 tegn"),
        ("010190-1234", 0, "ugyldigt tal"),
    ],
)
def test_parse_int_explains_what_is_wrong(text: str, minimum: int, message: str) -> None:
    assert problem_of(parse_int, text, minimum=minimum) == message


@given(st.integers(min_value=0, max_value=10**18))
def test_parse_int_reads_back_thousands_dots(n: int) -> None:
    assert parse_int(number(n)) == n
    assert parse_int(str(n)) == n


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_parse_int_reads_back_signed_numbers(n: int) -> None:
    text = number(abs(n))
    assert parse_int(f"-{text}" if n < 0 else text, minimum=None) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("-1.234,5", Decimal("-1234.5")),
        ("0,5", Decimal("0.5")),
        (",5", Decimal("0.5")),
        ("1 234,5", Decimal("1234.5")),
        ("12", Decimal(12)),
        ("12.5", Decimal("12.5")),  # one dot not followed by three digits: a decimal point
        ("1.2345", Decimal("1.2345")),
        ("1234.567", Decimal("1234.567")),
        ("1.234", Decimal(1234)),  # ambiguous: Danish thousands
        ("1.234.567", Decimal(1234567)),
        ("-0", Decimal(0)),
    ],
)
def test_parse_decimal_reads_decimal_comma_and_thousands_dot(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text", ["1,2,3", "1.234.5", "1,234.56", "abc", "NaN", "Infinity", "1e3", ",", "1,", "1.23,4"]
)
def test_parse_decimal_rejects_what_is_not_a_danish_number(text: str) -> None:
    assert problem_of(parse_decimal, text) == "ugyldigt tal"


def test_parse_decimal_of_nothing_is_none() -> None:
    assert parse_decimal(" ") is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_parse_decimal_reads_back_danish_formatting(value: Decimal) -> None:
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    text = f"{'-' if value < 0 else ''}{number(int(whole))},{fraction}"
    assert parse_decimal(text) == value


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (999, "999"), (1000, "1.000"), (1_048_576, "1.048.576")])
def test_format_thousands_groups_with_dots(n: int, text: str) -> None:
    assert number(n) == text


# ---------------------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(word, True) for word in ["Ja", "ja", "JA", " ja ", "J", "j", "1", "Sand", "true", "TRUE"]],
        *[(word, False) for word in ["Nej", "nej", "NEJ", "N", "n", "0", "Falsk", "false", "False"]],
    ],
)
def test_parse_bool_knows_danish_and_common_words(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_parse_bool_of_nothing_is_none() -> None:
    assert parse_bool("") is None
    assert parse_bool("  ") is None


@pytest.mark.parametrize("text", ["måske", "yes", "2", "0101901234"])
def test_parse_bool_rejects_other_words_without_repeating_them(text: str) -> None:
    message = problem_of(parse_bool, text)
    assert message == "ugyldig ja/nej-værdi; brug Ja eller Nej"
    assert text not in message


def test_parse_bool_uses_a_sources_own_words() -> None:
    # given a source that writes its own words
    mapping = {"Afgjort": True, "Verserende": False}
    # when / then
    assert parse_bool(" afgjort ", mapping) is True
    assert parse_bool("VERSERENDE", mapping) is False
    assert problem_of(parse_bool, "Ja", mapping=mapping) == "ugyldig ja/nej-værdi; brug Afgjort, Verserende"


# -------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "text",
    [
        "=SUM(A1:A9)",
        "+45 12 34 56 78",
        "-1",
        "@kommune",
        "<script>alert(1)</script>",
        "Linje 1\nLinje 2\r\nmed\ttab",
        "Æbleø på Ålandsgade",
        "emoji 👩‍⚖️",
    ],
)
def test_clean_text_keeps_text_as_typed(text: str) -> None:
    assert clean_text(text, max_length=200) == text


def test_clean_text_strips_surrounding_whitespace() -> None:
    assert clean_text("  Sofie Hansen \u00a0\n", max_length=12) == "Sofie Hansen"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\ud800"])
def test_clean_text_rejects_control_characters_and_lone_surrogates(char: str) -> None:
    message = problem_of(clean_text, f"før{char}efter", max_length=200)
    assert message == "indeholder et kontroltegn eller et ugyldigt tegn"


@pytest.mark.parametrize(
    ("length", "limit", "message"),
    [
        (1_048_576, 200, "er for lang: 1.048.576 tegn; højst 200"),
        (201, 200, "er for lang: 201 tegn; højst 200"),
        (10_001, 10_000, "er for lang: 10.001 tegn; højst 10.000"),
    ],
)
def test_clean_text_rejects_text_that_is_too_long(length: int, limit: int, message: str) -> None:
    assert problem_of(clean_text, "x" * length, max_length=limit) == message


def test_clean_text_allows_exactly_the_limit() -> None:
    assert clean_text(" " + "x" * 200 + " ", max_length=200) == "x" * 200


def test_value_problem_is_a_value_error_with_a_message() -> None:
    problem = ValueProblem("ugyldigt tal")
    assert isinstance(problem, ValueError)
    assert problem.message == str(problem) == "ugyldigt tal"
