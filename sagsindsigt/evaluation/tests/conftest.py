"""Seven administrations, the people who take part in FOKUS, and a 2015 round built by the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from sagsindsigt.evaluation.models import Criterion, Evaluation, Round, Scheme
from sagsindsigt.evaluation.services import round_create
from sagsindsigt.organisation.models import Administration, Role, Unit, User
from sagsindsigt.organisation.tests.factories import AdministrationFactory, UnitFactory, UserFactory

SEVEN = (
    ("ØKF", "Økonomiforvaltningen"),
    ("KFF", "Kultur- og Fritidsforvaltningen"),
    ("BUF", "Børne- og Ungdomsforvaltningen"),
    ("SUF", "Sundheds- og Omsorgsforvaltningen"),
    ("SOF", "Socialforvaltningen"),
    ("TMF", "Teknik- og Miljøforvaltningen"),
    ("BIF", "Beskæftigelses- og Integrationsforvaltningen"),
)

# Seed 001: the ombudsman's categories for BIF in 2015.
BIF_2015 = {1: 5, 2: 7, 3: 5, 4: 6, 5: 6, 6: 7, 7: 6, 8: 6, 9: 6, 10: 6, 11: 5, 12: 5, 13: 5, 14: 5, 15: 7}


@dataclass
class Fokus:
    administrations: dict[str, Administration]
    bif_unit: Unit
    sof_unit: Unit
    ombudsman: User
    sysadmin: User
    analyst: User
    bif_leader: User
    sof_leader: User
    bif_unit_leader: User
    caseworker: User
    template: Scheme
    round: Round
    bif: Evaluation
    sof: Evaluation

    def criterion(self, number: int, evaluation: Evaluation | None = None) -> Criterion:
        scheme_id = (evaluation or self.bif).round.scheme_id
        return Criterion.objects.get(scheme_id=scheme_id, number=number)


def _template() -> Scheme:
    template = Scheme.objects.filter(name="FOKUS 2015", round__isnull=True).order_by("pk").first()
    if template is None:
        # An earlier transactional test flushed the migrated rows; load them the way the migration does.
        import_module("sagsindsigt.evaluation.migrations.0002_fokus_2015_scheme").load(apps, None)
        template = Scheme.objects.get(name="FOKUS 2015", round__isnull=True)
    return template


@pytest.fixture
def browser_page(page: Any) -> Any:
    """The root `page` (which also keeps serialized rollback working after Playwright starts)."""
    return page


@pytest.fixture
def fokus(db: None) -> Fokus:
    administrations = {code: AdministrationFactory(code=code, name=name) for code, name in SEVEN}
    bif_unit = UnitFactory(administration=administrations["BIF"], code="BIF-JC", name="Jobcenter København")
    sof_unit = UnitFactory(administration=administrations["SOF"], code="SOF-BB", name="Borgercenter Børn")
    ombudsman = UserFactory(username="borgerraadgiver", role=Role.OMBUDSMAN)
    template = _template()
    round_ = round_create(
        actor=ombudsman,
        year=2015,
        scheme=template,
        administrations=list(administrations.values()),
        answer_deadline=date(2015, 10, 30),
        assessment_deadline=date(2015, 12, 18),
    )
    return Fokus(
        administrations=administrations,
        bif_unit=bif_unit,
        sof_unit=sof_unit,
        ombudsman=ombudsman,
        sysadmin=UserFactory(username="admin", role=Role.SYSTEM_ADMIN),
        analyst=UserFactory(username="analytiker", role=Role.CENTRAL_ANALYST),
        bif_leader=UserFactory.in_administration(administrations["BIF"], username="leder.bif"),
        sof_leader=UserFactory.in_administration(administrations["SOF"], username="leder.sof"),
        bif_unit_leader=UserFactory.in_unit(bif_unit, username="enhedsleder.bif"),
        caseworker=UserFactory.in_unit(bif_unit, role=Role.CASEWORKER, username="sagsbehandler.bif"),
        template=template,
        round=round_,
        bif=Evaluation.objects.get(round=round_, administration=administrations["BIF"]),
        sof=Evaluation.objects.get(round=round_, administration=administrations["SOF"]),
    )
