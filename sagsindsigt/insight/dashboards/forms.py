"""The period picker."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.forms import date_field
from sagsindsigt.common.periods import Period
from sagsindsigt.insight.saved.periods import last_whole_months


def default_period(today: date) -> Period:
    """The last twelve whole months: whole months keep monthly counts comparable with case rows."""
    return last_whole_months(today, 12)


class PeriodForm(forms.Form):
    fra = date_field(_("Fra"))
    til = date_field(_("Til"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("fra"), data.get("til")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            raise forms.ValidationError(_("Perioden skal slutte efter den begynder."))
        return data

    def period(self, fallback: Period) -> Period:
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["fra"], self.cleaned_data["til"])
        return fallback


def presets(today: date) -> list[tuple[str, Period]]:
    last12 = default_period(today)
    items = [("Seneste 12 hele måneder", last12)]
    for year in range(today.year, today.year - 3, -1):
        items.append(
            (
                str(year) if year < today.year else f"{year} til dato",
                Period(date(year, 1, 1), min(date(year, 12, 31), today)),
            )
        )
    return items
