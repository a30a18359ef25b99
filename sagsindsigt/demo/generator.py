"""A deterministic demo municipality: organisation, deadlines, three years of cases, complaints, appeals."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from sagsindsigt.demo.activity import (
    Progress,
    generate_cases,
    generate_volume_counts,
    write_appeals,
    write_complaints,
)
from sagsindsigt.demo.catalogue import ADMINISTRATIONS, DEMO_PASSWORD, UNITS, USER_SPECS, WORSE_UNITS
from sagsindsigt.demo.masterdata import (
    DemoDataExists,
    DemoError,
    create_master_data,
    create_users,
    period_start,
)
from sagsindsigt.demo.targets import create_recording_breaks, create_targets
from sagsindsigt.evaluation.demo import load_evaluation_demo
from sagsindsigt.insight.rollups.refresh import rollups_catch_up
from sagsindsigt.organisation.models import Administration, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The demo's public interface: the command and the tests import from here, whichever module the
# work is done in (tables in catalogue and casetypes, organisation in masterdata, cases in activity).
__all__ = [
    "ADMINISTRATIONS",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "WORSE_UNITS",
    "DemoDataExists",
    "DemoError",
    "DemoSummary",
    "Progress",
    "generate",
    "period_start",
]


def _scope_text(scope: str) -> str:
    if not scope:
        return "Hele kommunen"
    for adm in ADMINISTRATIONS:
        if adm.code == scope:
            return adm.name
    for centres in UNITS.values():
        for centre in centres:
            for code, name in [(centre.code, centre.name), *((u.code, u.name) for u in centre.leaves)]:
                if code == scope:
                    return f"{name} ({code})"
    raise ValueError(f"Ukendt adgangsområde {scope!r}")


# (username, role label, scope) for `manage.py demo --print-logins`; the password is DEMO_PASSWORD.
DEMO_USERS: list[tuple[str, StrOrPromise, str]] = [
    (u.username, u.role.label, _scope_text(u.scope)) for u in USER_SPECS
]


@dataclass(frozen=True)
class DemoSummary:
    administrations: int
    units: int
    case_types: int
    cases: int
    volume_counts: int
    complaints: int
    complaint_points: int
    appeals: int
    users: int


@transaction.atomic
def generate(
    *, end_date: date, scale: float = 1.0, seed: int = 2026, progress: Progress | None = None
) -> DemoSummary:
    """Create the demo municipality; the same seed, scale and end date give the same data."""
    if scale <= 0:
        raise ValueError("Skalaen skal være større end 0.")
    if Administration.objects.exists():
        raise DemoDataExists(
            "Databasen har allerede data (der findes forvaltninger); demodata oprettes kun i en tom database."
        )
    world = create_master_data(end_date, scale, seed)
    users = create_users(world)
    report = progress or (lambda _code, _fraction: None)
    for adm in ADMINISTRATIONS:
        rng = random.Random(f"{seed}:{adm.code}:activity")
        if adm.case_level:
            drafts = generate_cases(world, adm, rng, report)
        else:
            drafts = generate_volume_counts(world, adm, rng, report)
        write_complaints(world, adm, drafts.complaints, rng)
        write_appeals(world, adm, drafts.appeals, rng)
    # Everything above was written as export files; now it enters the way real data does.
    world.deliveries.deliver()
    # The ombudsman's evaluation rounds 2013 and 2015, so the FOKUS comparison views have content.
    load_evaluation_demo(rng=random.Random(f"{seed}:fokus"))
    # Targets and recording breaks, so every leader's targets panel and the control charts show them.
    create_targets(end_date)
    create_recording_breaks(end_date)
    # The loads marked three years stale: count them into the rollups now, so the dashboards are quick
    # from the first page (after the commit there is nothing left for the worker to do).
    rollups_catch_up()
    return DemoSummary(
        administrations=len(world.administrations),
        units=Unit.objects.count(),
        case_types=len(world.case_types),
        cases=sum(t.cases for t in world.tallies.values()),
        volume_counts=sum(t.volume_counts for t in world.tallies.values()),
        complaints=sum(t.complaints for t in world.tallies.values()),
        complaint_points=sum(t.complaint_points for t in world.tallies.values()),
        appeals=sum(t.appeals for t in world.tallies.values()),
        users=users,
    )
