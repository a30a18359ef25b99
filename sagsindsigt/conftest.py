"""A small municipality whose overview figures are computed by hand in the tests, and the generated demo
municipality for tests that want realistic volumes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from sagsindsigt.cases.models import Case, CaseType, VolumeCount
from sagsindsigt.cases.services import case_create
from sagsindsigt.cases.tests.factories import CaseTypeFactory, GuidelineDeadlineFactory
from sagsindsigt.complaints.models import Complaint
from sagsindsigt.complaints.tests.factories import AppealFactory, ComplaintFactory, ComplaintPointFactory
from sagsindsigt.demo.generator import DemoSummary
from sagsindsigt.demo.testing import DemoOptions, demo_municipality
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
)
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Role, Unit, User
from sagsindsigt.organisation.tests.factories import AdministrationFactory, UnitFactory, UserFactory


@dataclass
class Mini:
    sof: Administration
    buf: Administration
    bif: Administration
    sof_centre: Unit
    sof_a: Unit
    sof_b: Unit
    buf_unit: Unit
    bif_unit: Unit
    ct_wd: CaseType
    ct_weeks: CaseType
    analyst: User
    sof_leader: User
    buf_leader: User
    caseworker: User
    ombudsman: User
    holiday_case: Case
    buf_case: Case
    buf_complaint: Complaint
    sof_complaint: Complaint


@pytest.fixture
def mini(db: None) -> Mini:
    """Period of interest: 2024. Hand-computed figures are in insight/tests/test_overview.py."""
    MunicipalitySettings.objects.create(name="Testkommune", closed_june_5=True)
    sof = AdministrationFactory(code="SOF", name="Socialforvaltningen")
    buf = AdministrationFactory(code="BUF", name="Børne- og Ungdomsforvaltningen")
    bif = AdministrationFactory(code="BIF", name="Beskæftigelses- og Integrationsforvaltningen")
    sof_centre = UnitFactory(administration=sof, code="SOF-C", name="Center for Handicap")
    sof_a = UnitFactory(administration=sof, parent=sof_centre, code="SOF-A", name="Hjælpemidler")
    sof_b = UnitFactory(administration=sof, parent=sof_centre, code="SOF-B", name="Botilbud")
    buf_unit = UnitFactory(administration=buf, code="BUF-1", name="Familieafdelingen")
    bif_unit = UnitFactory(administration=bif, code="BIF-1", name="Jobcenter")
    ct_wd = CaseTypeFactory(code="HJ", name="Hjælpemidler")
    GuidelineDeadlineFactory(case_type=ct_wd, value=10, unit="working_days")
    ct_weeks = CaseTypeFactory(code="BO", name="Botilbud")
    GuidelineDeadlineFactory(case_type=ct_weeks, value=4, unit="weeks")
    ct_counts = CaseTypeFactory(code="KF", name="Kontaktforløb")
    admin = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, is_staff=True)

    def case(unit: Unit, ct: CaseType, received: date, decided: date | None) -> Case:
        return case_create(
            actor=admin,
            source_system="TEST",
            external_id=f"{unit.code}-{Case.objects.count()}",
            unit=unit,
            case_type=ct,
            received_date=received,
            decided_date=decided,
        )

    # SOF-A, 10 working days. Received Langfredag 29-03-2024 → day 1 is 02-04-2024, due 15-04-2024.
    holiday_case = case(sof_a, ct_wd, date(2024, 3, 29), date(2024, 4, 15))  # within (on the due date)
    case(sof_a, ct_wd, date(2024, 3, 29), date(2024, 4, 16))  # late by one day
    case(sof_a, ct_wd, date(2024, 5, 1), date(2024, 5, 3))  # within
    case(sof_a, ct_wd, date(2024, 6, 3), None)  # open
    case(sof_a, ct_wd, date(2023, 12, 1), date(2024, 1, 5))  # received 2023, decided 2024 (late)
    case(sof_a, ct_wd, date(2024, 12, 20), date(2025, 1, 10))  # received 2024, decided 2025
    # SOF-B, 4 weeks: 6 decided, all within.
    for day in range(1, 7):
        case(sof_b, ct_weeks, date(2024, 2, day), date(2024, 2, day + 10))
    # BUF: 2 cases, one within.
    buf_case = case(buf_unit, ct_wd, date(2024, 8, 1), date(2024, 8, 2))
    case(buf_unit, ct_wd, date(2024, 8, 1), date(2024, 9, 30))
    # BIF: counts only.
    VolumeCount.objects.create(
        source_system="BIF-TAL",
        unit=bif_unit,
        case_type=ct_counts,
        month=date(2024, 1, 1),
        received=400,
        decided=380,
        decided_within_deadline=300,
    )
    VolumeCount.objects.create(
        source_system="BIF-TAL",
        unit=bif_unit,
        case_type=ct_counts,
        month=date(2024, 2, 1),
        received=600,
        decided=620,
        decided_within_deadline=None,
    )
    VolumeCount.objects.create(
        source_system="BIF-TAL",
        unit=bif_unit,
        case_type=ct_counts,
        month=date(2025, 1, 1),
        received=999,
        decided=999,
        decided_within_deadline=999,
    )
    # Complaints in 2024: SOF 3 formal (one with two points) + 1 substantive; BUF 1; BIF 6 formal, 1 in 2023.
    sof_complaint = ComplaintFactory(unit=sof_a, kind="formal", received_date=date(2024, 4, 20))
    ComplaintPointFactory(complaint=sof_complaint)
    ComplaintPointFactory(complaint=sof_complaint, theme_id=_theme("T04"))
    for unit in (sof_a, sof_b):
        ComplaintPointFactory(complaint=ComplaintFactory(unit=unit, kind="formal"))
    ComplaintPointFactory(complaint=ComplaintFactory(unit=sof_b, kind="substantive"), theme_id=_theme("T16"))
    buf_complaint = ComplaintFactory(unit=buf_unit, kind="substantive")
    ComplaintPointFactory(complaint=buf_complaint, theme_id=_theme("T16"))
    for _ in range(6):
        ComplaintPointFactory(complaint=ComplaintFactory(unit=bif_unit, kind="formal"))
    ComplaintPointFactory(complaint=ComplaintFactory(unit=bif_unit, received_date=date(2023, 5, 1)))
    # Appeals: BIF gets Ankestyrelsen's worked example: 19 hjemvist + 5 ændret of 129 on the merits,
    # plus 7 rejected that must not count; SOF 2 upheld + 1 remitted + 1 rejected.
    for outcome, n in (("remitted", 19), ("changed", 5), ("upheld", 105), ("rejected", 7)):
        AppealFactory.create_batch(n, unit=bif_unit, outcome=outcome)
    for outcome in ("upheld", "upheld", "remitted", "rejected"):
        AppealFactory(unit=sof_b, outcome=outcome)
    AppealFactory(unit=sof_b, outcome="changed", decision_date=date(2025, 2, 1))
    # The factories above write rows directly, past the services that refresh the rollups: start with
    # nothing filled, so every read counts the raw tables until a test refreshes.
    for rollup in (MonthRollup, DaysRollup, AdministrationDaysRollup, ThemeRollup, RollupFill):
        rollup.objects.all().delete()
    return Mini(
        sof=sof,
        buf=buf,
        bif=bif,
        sof_centre=sof_centre,
        sof_a=sof_a,
        sof_b=sof_b,
        buf_unit=buf_unit,
        bif_unit=bif_unit,
        ct_wd=ct_wd,
        ct_weeks=ct_weeks,
        analyst=UserFactory(username="analytiker"),
        sof_leader=UserFactory.in_administration(sof, username="leder.sof"),
        buf_leader=UserFactory.in_administration(buf, username="leder.buf"),
        caseworker=UserFactory.in_unit(sof_a, role=Role.CASEWORKER, username="sagsbehandler"),
        ombudsman=UserFactory(username="borgerraadgiver", role=Role.OMBUDSMAN),
        holiday_case=holiday_case,
        buf_case=buf_case,
        buf_complaint=buf_complaint,
        sof_complaint=sof_complaint,
    )


def _theme(code: str) -> int:
    from sagsindsigt.complaints.models import ComplaintTheme

    return ComplaintTheme.objects.get(code=code).pk


@pytest.fixture(scope="module")
def demo_options() -> DemoOptions:
    """A small demo municipality (≈ 4,500 cases); a module overrides this fixture for another size."""
    return DemoOptions(end_date=date(2026, 6, 30), scale=0.015, seed=2026)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any, demo_options: DemoOptions) -> Iterator[DemoSummary]:
    """One generated municipality shared by the module's tests (each test's own writes are rolled back)."""
    with demo_municipality(django_db_blocker, demo_options) as summary:
        yield summary


@pytest.fixture
def counted_months(mini: Mini) -> Mini:
    """Counts from March to December 2024 in BIF and in SOF's A unit, large enough for every month to be
    shown: a control chart leaves out months whose counts are hidden (ADR 0015)."""
    from sagsindsigt.common.models import StaleKind
    from sagsindsigt.common.staleness import mark_stale

    counts = CaseType.objects.get(code="KF")
    for month in range(3, 13):
        for unit, case_type, n in ((mini.bif_unit, counts, 500), (mini.sof_a, mini.ct_wd, 50 + month)):
            VolumeCount.objects.create(
                source_system="TAL",
                unit=unit,
                case_type=case_type,
                month=date(2024, month, 1),
                received=n,
                decided=n,
                decided_within_deadline=n - 10,
            )
        mark_stale(
            StaleKind.VOLUME_COUNTS, months=[date(2024, month, 1)], units=[mini.bif_unit.pk, mini.sof_a.pk]
        )
    return mini
