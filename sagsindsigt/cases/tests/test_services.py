"""Case services: the stored due date follows deadline changes and closing days; roles gate writes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import Case
from sagsindsigt.cases.services import case_create, case_recompute_due_dates
from sagsindsigt.cases.tests.factories import GuidelineDeadlineFactory
from sagsindsigt.common.models import AuditEvent
from sagsindsigt.conftest import Mini
from sagsindsigt.organisation.models import MunicipalitySettings, Role
from sagsindsigt.organisation.tests.factories import UserFactory


def test_deadline_in_force_on_day_of_receipt_is_used(mini: Mini) -> None:
    # given: the 10-working-day deadline ends 2024-12-31; from 2025 it is 2 weeks
    old = mini.ct_wd.deadlines.get()
    old.valid_to = date(2024, 12, 31)
    old.save(update_fields=["valid_to"])
    GuidelineDeadlineFactory(case_type=mini.ct_wd, value=2, unit="weeks", valid_from=date(2025, 1, 1))
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    # when
    case_recompute_due_dates(actor=admin, case_type=mini.ct_wd)
    # then: a case received 2024-12-20 keeps the old rule (10 wd, Christmas skipped) ...
    late_2024 = Case.objects.get(received_date=date(2024, 12, 20))
    # 23, 24, 27, 30, 31 Dec, 2, 3, 6, 7, 8 Jan (25, 26 Dec and 1 Jan are holidays)
    assert late_2024.due_date == date(2025, 1, 8)
    # ... and a new case in 2025 gets 14 calendar days: 2025-01-06 + 14 = 2025-01-20 (a Monday)
    new = case_create(
        actor=admin,
        source_system="TEST",
        external_id="ny",
        unit=mini.sof_a,
        case_type=mini.ct_wd,
        received_date=date(2025, 1, 6),
    )
    assert new.due_date == date(2025, 1, 20)


def test_closing_day_change_in_admin_recomputes_due_dates(mini: Mini, client: Client) -> None:
    # given: a case received 2024-12-20 with 10 working days is due 2025-01-08 when 24/31 Dec are open
    case = Case.objects.get(received_date=date(2024, 12, 20))
    assert case.due_date == date(2025, 1, 8)
    admin = UserFactory(role=Role.SYSTEM_ADMIN, is_staff=True)
    client.force_login(admin)
    settings_row = MunicipalitySettings.objects.get()
    # when: the municipality closes on 24 and 31 December
    response = client.post(
        reverse("admin:organisation_municipalitysettings_change", args=[settings_row.pk]),
        {
            "name": settings_row.name,
            "closed_june_5": "on",
            "closed_dec_24": "on",
            "closed_dec_31": "on",
            "reply_working_days": "10",
        },
    )
    # then
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.due_date == date(2025, 1, 10)  # two more days skipped
    assert AuditEvent.objects.filter(object_repr="Frister genberegnet").exists()


def test_case_create_requires_master_data_role(mini: Mini) -> None:
    with pytest.raises(PermissionDenied):
        case_create(
            actor=mini.sof_leader,
            source_system="TEST",
            external_id="x",
            unit=mini.sof_a,
            case_type=mini.ct_wd,
            received_date=date(2024, 1, 2),
        )
    assert not Case.objects.filter(external_id="x").exists()


def test_case_page_explains_its_due_date(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    html = client.get(reverse("case_detail", args=[mini.holiday_case.pk])).content.decode()
    assert "15-04-2024" in html
    assert "Påskedag" in html


def test_overlapping_deadline_periods_are_refused(mini: Mini) -> None:
    from django.core.exceptions import ValidationError

    from sagsindsigt.cases.models import GuidelineDeadline

    # given: the 10-working-day deadline has no end date
    overlapping = GuidelineDeadline(case_type=mini.ct_wd, value=2, unit="weeks", valid_from=date(2025, 1, 1))
    # when / then
    with pytest.raises(ValidationError, match="overlapper"):
        overlapping.full_clean()
    old = mini.ct_wd.deadlines.get()
    old.valid_to = date(2024, 12, 31)
    old.save(update_fields=["valid_to"])
    overlapping.full_clean()  # consecutive periods are fine
