"""CPR numbers become a keyed hash on the way in; the raw number is never stored or logged."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

_CPR = re.compile(r"^(\d{6})-?(\d{4})$")


class InvalidCpr(ValueError):
    """Raised without the offending value, so it cannot leak into a message or log."""


def normalise_cpr(raw: str) -> str:
    """Ten digits, or InvalidCpr. Numbers failing the modulus-11 check are valid (since 2007)."""
    match = _CPR.match(raw.strip().replace(" ", ""))
    if not match:
        raise InvalidCpr("CPR-nummeret skal have formen DDMMÅÅ-XXXX eller 10 cifre.")
    digits = match.group(1) + match.group(2)
    day, month = int(digits[0:2]), int(digits[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise InvalidCpr("CPR-nummeret indeholder ikke en gyldig fødselsdato.")
    return digits


def pseudonymise_cpr(raw: str, *, key: str | None = None) -> str:
    """HMAC-SHA256 of the normalised number under the pseudonymisation key (hex, 64 chars)."""
    digits = normalise_cpr(raw)
    secret = (key if key is not None else settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret, digits.encode(), hashlib.sha256).hexdigest()


def pseudonymise_id(raw: str, *, key: str | None = None) -> str:
    """Keyed hash of another personal identifier (e.g. a caseworker's user id in a source system)."""
    secret = (key if key is not None else settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret, b"id:" + raw.strip().encode(), hashlib.sha256).hexdigest()
