"""The demo's targets and recording breaks, so the targets panel and control charts have content from the
first log-in: a few targets per administration, one on each unit a demo user's scope is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sagsindsigt.insight.models import RecordingBreak, TargetKind
from sagsindsigt.insight.targets.rules import AT_LEAST, AT_MOST
from sagsindsigt.insight.targets.services import TargetData, target_create
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import Administration, Unit, User

# Who sets the demo's targets: the central analyst, as in the municipality (ADR 0012).
TARGET_SETTER = "analytiker"


@dataclass(frozen=True)
class TargetSpec:
    """One target of every administration: an absolute goal, or a change from the year before."""

    metric: str
    direction: str
    value: Decimal | None = None  # absolute
    change_percent: Decimal | None = None  # relative to the year before
    note: str = ""


# Service levels the municipality commonly sets (DOMAIN.md): most decisions within the deadline, most
# complaints answered within the reply rule, and fewer complaints per decision than the year before (a
# rate, never a cap on the count of complaints, which would reward not recording them).
ADMINISTRATION_TARGETS = (
    TargetSpec("within_deadline_share", AT_LEAST, value=Decimal(85), note="Servicemål i budgetaftalen."),
    TargetSpec("reply_within_rule", AT_LEAST, value=Decimal(90), note="Kommunens svarfrist for klager."),
    TargetSpec(
        "complaints_per_1000",
        AT_MOST,
        change_percent=Decimal(-10),
        note="Færre klager pr. afgørelse end året før.",
    ),
)
# The units the demo's unit users work in (a unit leader, a caseworker, a reviewer): a shorter processing
# time than the year before; a target for the unit, never for a person.
UNIT_TARGET = TargetSpec(
    "processing_days_median", AT_MOST, change_percent=Decimal(-5), note="Kortere sagsbehandlingstid."
)


def target_year(end_date: date) -> int:
    """The last whole calendar year of the demo's data."""
    return end_date.year if (end_date.month, end_date.day) == (12, 31) else end_date.year - 1


def _data(
    spec: TargetSpec, year: int, administration: Administration, unit: Unit | None = None
) -> TargetData:
    relative = spec.change_percent is not None
    return TargetData(
        metric=spec.metric,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        kind=TargetKind.RELATIVE if relative else TargetKind.ABSOLUTE,
        value=spec.value,
        change_percent=spec.change_percent,
        baseline_start=date(year - 1, 1, 1) if relative else None,
        baseline_end=date(year - 1, 12, 31) if relative else None,
        direction=spec.direction,
        administration=administration,
        unit=unit,
        note=spec.note,
    )


def create_targets(end_date: date) -> int:
    """Targets for the last whole year, through the service that audits and versions them; returns how
    many. Every administration gets ADMINISTRATION_TARGETS, every unit a user's scope is UNIT_TARGET."""
    actor = User.objects.filter(username=TARGET_SETTER).first() or SYSTEM
    year = target_year(end_date)
    created = 0
    for administration in Administration.objects.order_by("code"):
        for spec in ADMINISTRATION_TARGETS:
            target_create(actor=actor, data=_data(spec, year, administration))
            created += 1
    scopes = Unit.objects.filter(pk__in=User.objects.filter(scope_unit__isnull=False).values("scope_unit"))
    for unit in scopes.select_related("administration").order_by("code"):
        target_create(actor=actor, data=_data(UNIT_TARGET, year, unit.administration, unit))
        created += 1
    return created


def create_recording_breaks(end_date: date) -> int:
    """A new case system in one administration, and a new way of registering complaints everywhere: the
    control charts split their limits at both."""
    year = target_year(end_date)
    breaks = [
        RecordingBreak(
            administration=Administration.objects.get(code="BUF"),
            month=date(year, 1, 1),
            description="Ny sagsbehandlingsløsning (DUBU) taget i brug i Børne- og Ungdomsforvaltningen.",
        ),
        RecordingBreak(
            administration=None,
            month=date(year - 1, 9, 1),
            description="Fælles registrering af klager i hele kommunen: klagepunkter registreres med tema.",
        ),
    ]
    RecordingBreak.objects.bulk_create(breaks)
    return len(breaks)
