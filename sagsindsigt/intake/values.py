"""Parse the text of one imported cell into a date, number, boolean or clean text, with Danish messages."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sagsindsigt.common import danish
from sagsindsigt.common.danish import MONTHS

__all__ = [
    "ValueProblem",
    "clean_text",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
]

DATE_FORMATS: tuple[str, ...] = ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


DEFAULT_BOOLS: Mapping[str, bool] = {
    "ja": True,
    "nej": False,
    "j": True,
    "n": False,
    "1": True,
    "0": False,
    "sand": True,
    "falsk": False,
    "true": True,
    "false": False,
}

# Longer than any real count or amount; also keeps int() clear of Python's 4,300-digit guard.
MAX_NUMBER_CHARS = 40

# Cc (C0, DEL, C1) except tab, LF and CR, plus lone surrogates, which JSON escapes can smuggle in
# and PostgreSQL cannot store.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_SPACES = " \u00a0\u202f"
_GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_GROUPED_SPACES = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
_DIGITS = re.compile(r"\d*")
_MINUS = "-\u2212"


class ValueProblem(ValueError):
    """Danish message without the offending value (safe for logs)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------- dates

# Only these directives get the fast path; strptime costs ~5 µs a call, too slow for a million rows.
_DIRECTIVES = {"%d": r"(?P<d>\d{1,2})", "%m": r"(?P<m>\d{1,2})", "%Y": r"(?P<y>\d{4})"}
_HINTS = {"%d": "dd", "%m": "mm", "%Y": "åååå", "%y": "åå", "%H": "tt", "%M": "mm", "%S": "ss"}
# Exports often carry a time of day, and XLSX datetimes that are not midnight arrive as
# "YYYY-MM-DD HH:MM:SS"; the date part is what counts.
_TIME_SUFFIX = r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d{1,6})?)?)?"

_DateParser = Callable[[str], "date | ValueProblem | None"]


def _regex_parser(fmt: str) -> _DateParser | None:
    parts = re.split(r"(%.)", fmt)
    if any(p.startswith("%") and p not in _DIRECTIVES for p in parts) or not all(
        f"%{c}" in parts for c in "dmY"
    ):
        return None
    pattern = re.compile(
        "".join(_DIRECTIVES[p] if p in _DIRECTIVES else re.escape(p) for p in parts) + _TIME_SUFFIX
    )

    def parse(text: str) -> date | ValueProblem | None:
        match = pattern.fullmatch(text)
        if match is None:
            return None
        if match["H"] is not None and (
            int(match["H"]) > 23 or int(match["M"]) > 59 or int(match["S"] or 0) > 59
        ):
            return ValueProblem("ugyldigt klokkeslæt")
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))

    return parse


def _strptime_parser(fmt: str) -> _DateParser:
    def parse(text: str) -> date | ValueProblem | None:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, not an instant
        except ValueError:
            return None

    return parse


def _make_date(year: int, month: int, day: int) -> date | ValueProblem:
    if not 1 <= month <= 12:
        return ValueProblem(f"ugyldig dato: måned {month}")
    if year < 1:
        return ValueProblem("ugyldig dato: år 0")
    if not 1 <= day <= 31:
        return ValueProblem(f"ugyldig dato: dag {day}")
    try:
        return date(year, month, day)
    except ValueError:
        return ValueProblem(f"findes ikke i kalenderen: {day}. {MONTHS[month - 1]} {year}")


@lru_cache(maxsize=64)
def _date_parsers(formats: tuple[str, ...]) -> tuple[tuple[_DateParser, ...], str]:
    parsers = tuple(_regex_parser(fmt) or _strptime_parser(fmt) for fmt in formats)
    hint = re.sub(r"%.", lambda m: _HINTS.get(m[0], m[0]), formats[0]) if formats else ""
    return parsers, hint


def parse_date(text: str, formats: Sequence[str] = DATE_FORMATS) -> date | None:
    """The first format that gives a real date; empty text is None; otherwise ValueProblem."""
    text = text.strip()
    if not text:
        return None
    parsers, hint = _date_parsers(tuple(formats))
    first_problem: ValueProblem | None = None
    for parse in parsers:
        result = parse(text)
        if isinstance(result, date):
            return result
        if first_problem is None and result is not None:
            first_problem = result
    raise first_problem or ValueProblem(f"ugyldig dato; brug {hint}")


# -------------------------------------------------------------------------------------------- numbers


def _number_parts(text: str) -> tuple[bool, str, str]:
    """Split Danish-written number text into (negative, integer digits, fraction digits)."""
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueProblem(f"tallet er for langt; højst {MAX_NUMBER_CHARS} tegn")
    negative = text[:1] in _MINUS
    if negative or text[:1] == "+":
        text = text[1:]
    whole, comma, fraction = text.partition(",")
    if comma:
        # Decimal comma: dots and spaces before it can only be thousands separators.
        if not fraction.isdigit() or not fraction.isascii():
            raise ValueProblem("ugyldigt tal")
    elif "." in whole and not _GROUPED_DOTS.fullmatch(whole):
        # One dot that is not a thousands group ("12.5", "1.2345", "1234.5") is a decimal point.
        whole, _dot, fraction = whole.partition(".")
        if not fraction.isdigit() or not fraction.isascii():
            raise ValueProblem("ugyldigt tal")
    if "." in whole:
        if not _GROUPED_DOTS.fullmatch(whole):
            raise ValueProblem("ugyldigt tal")
        whole = whole.replace(".", "")
    elif any(c in whole for c in _SPACES):
        if not _GROUPED_SPACES.fullmatch(whole):
            raise ValueProblem("ugyldigt tal")
        whole = re.sub(f"[{_SPACES}]", "", whole)
    if not whole.isascii() or not _DIGITS.fullmatch(whole) or not (whole or fraction):
        raise ValueProblem("ugyldigt tal")
    return negative, whole, fraction


def parse_int(text: str, *, minimum: int | None = 0) -> int | None:
    """A whole number: "1.234" and "1 234" are 1234, "12,0" is 12; empty text is None."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_CHARS:
        value = int(text)  # fast path: most cells are plain digits
    else:
        negative, whole, fraction = _number_parts(text)
        if fraction.strip("0"):
            raise ValueProblem("skal være et helt tal")
        value = -int(whole or "0") if negative else int(whole or "0")
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise ValueProblem("må ikke være negativ")
        raise ValueProblem(f"skal være mindst {_format_signed(minimum)}")
    return value


def _format_signed(n: int) -> str:
    return danish.number(n)


def parse_decimal(text: str) -> Decimal | None:
    """Decimal comma and thousands dot ("1.234,56"); a lone non-thousands dot ("12.5") is a decimal point;
    the ambiguous "1.234" is Danish thousands, 1234. Empty text is None."""
    text = text.strip()
    if not text:
        return None
    negative, whole, fraction = _number_parts(text)
    value = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    return -value if negative and value else value


# ------------------------------------------------------------------------------------ booleans, text


def _bool_key(text: str) -> str:
    return text.strip().casefold()


def parse_bool(text: str, mapping: Mapping[str, bool] | None = None) -> bool | None:
    """Ja/Nej/J/N/1/0/Sand/Falsk/true/false in any case, unless a source maps its own words; empty is None."""
    key = _bool_key(text)
    if not key:
        return None
    if mapping is None:
        table = DEFAULT_BOOLS
    else:
        table = {_bool_key(k): v for k, v in mapping.items()}
    try:
        return table[key]
    except KeyError:
        if mapping is None:
            raise ValueProblem("ugyldig ja/nej-værdi; brug Ja eller Nej") from None
        words = ", ".join(k for k in mapping if len(k) <= 20)
        raise ValueProblem(f"ugyldig ja/nej-værdi; brug {words}") from None


def clean_text(text: str, *, max_length: int) -> str:
    """Strip; check length and control characters. '=', '+' and markup stay as typed: output escapes."""
    text = text.strip()
    if len(text) > max_length:
        raise ValueProblem(f"er for lang: {danish.number(len(text))} tegn; højst {danish.number(max_length)}")
    if _FORBIDDEN_CHARS.search(text):
        raise ValueProblem("indeholder et kontroltegn eller et ugyldigt tegn")
    return text
