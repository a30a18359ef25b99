"""Factories for complaints, points and appeals."""

from __future__ import annotations

from datetime import date

import factory

from sagsindsigt.common.workingdays import elapsed_working_days
from sagsindsigt.complaints.models import (
    Appeal,
    AppealBody,
    Complaint,
    ComplaintKind,
    ComplaintPoint,
    ComplaintTheme,
    LawArea,
)
from sagsindsigt.organisation.selectors import working_day_rules
from sagsindsigt.organisation.tests.factories import UnitFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    unit = factory.SubFactory(UnitFactory)
    kind = ComplaintKind.FORMAL
    received_date = date(2024, 3, 1)
    answered_date = None
    reply_days = factory.LazyAttribute(
        lambda o: elapsed_working_days(o.received_date, o.answered_date, working_day_rules())
    )


class ComplaintPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintPoint

    complaint = factory.SubFactory(ComplaintFactory)
    theme = factory.LazyFunction(lambda: ComplaintTheme.objects.get(code="T01"))


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    unit = factory.SubFactory(UnitFactory)
    appeal_body = AppealBody.ANKESTYRELSEN
    law_area = LawArea.SERVICELOVEN
    decision_date = date(2024, 5, 1)
    outcome = "upheld"
