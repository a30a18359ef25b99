"""Reads of the organisation: municipality settings and working-day rules."""

from __future__ import annotations

from sagsindsigt.common.workingdays import WorkingDayRules
from sagsindsigt.organisation.models import MunicipalitySettings


def municipality_settings() -> MunicipalitySettings:
    """The single settings row; an unconfigured installation gets Copenhagen-like defaults."""
    found = MunicipalitySettings.objects.order_by("pk").first()
    return found if found is not None else MunicipalitySettings(name="Kommunen")


def working_day_rules(settings: MunicipalitySettings | None = None) -> WorkingDayRules:
    s = settings or municipality_settings()
    return WorkingDayRules(
        closed_june_5=s.closed_june_5,
        closed_dec_24=s.closed_dec_24,
        closed_dec_31=s.closed_dec_31,
        closed_may_1=s.closed_may_1,
    )
