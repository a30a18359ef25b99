"""Factories for case areas, case types, deadlines and cases."""

from __future__ import annotations

from datetime import date

import factory

from sagsindsigt.cases.models import Case, CaseArea, CaseStatus, CaseType, GuidelineDeadline
from sagsindsigt.common.workingdays import elapsed_working_days
from sagsindsigt.organisation.selectors import working_day_rules
from sagsindsigt.organisation.tests.factories import UnitFactory


class CaseAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseArea

    name = factory.Sequence(lambda n: f"Sagsområde {n}")


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType

    case_area = factory.SubFactory(CaseAreaFactory)
    code = factory.Sequence(lambda n: f"ST{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Sagstype {o.code}")


class GuidelineDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidelineDeadline

    case_type = factory.SubFactory(CaseTypeFactory)
    value = 10
    unit = "working_days"
    valid_from = date(2000, 1, 1)


class CaseFactory(factory.django.DjangoModelFactory):
    """Builds a case row directly; tests that need the due date rule go through case_create."""

    class Meta:
        model = Case

    source_system = "TEST"
    external_id = factory.Sequence(lambda n: f"S{n:06d}")
    unit = factory.SubFactory(UnitFactory)
    case_type = factory.SubFactory(CaseTypeFactory)
    received_date = date(2024, 1, 2)
    status = factory.LazyAttribute(lambda o: CaseStatus.DECIDED if o.decided_date else CaseStatus.OPEN)
    decided_date = None
    processing_days = factory.LazyAttribute(
        lambda o: elapsed_working_days(o.received_date, o.decided_date, working_day_rules())
    )
