"""Access scopes: one administration's leader never reads another's rows; roles gate writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import CaseArea
from sagsindsigt.cases.selectors import case_list
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.selectors import complaint_list
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.dashboards.selectors import overview_by_administration


def test_leader_lists_only_own_administration(mini: Mini) -> None:
    assert set(case_list(mini.sof_leader).values_list("unit__administration__code", flat=True)) == {"SOF"}
    assert set(complaint_list(mini.sof_leader).values_list("unit__administration__code", flat=True)) == {
        "SOF"
    }


@pytest.mark.parametrize("name", ["case_detail", "complaint_detail"])
def test_leader_gets_404_for_other_administrations_rows_by_guessed_id(
    mini: Mini, client: Client, name: str
) -> None:
    client.force_login(mini.sof_leader)
    pk = mini.buf_case.pk if name == "case_detail" else mini.buf_complaint.pk
    assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse(name, args=[999_999])).status_code == 404
    # and the owner sees it
    client.force_login(mini.buf_leader)
    assert client.get(reverse(name, args=[pk])).status_code == 200


def test_lists_and_exports_hold_no_other_administration(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    html = client.get(reverse("case_list")).content.decode()
    assert "BUF-1" not in html and "Familieafdelingen" not in html
    assert "Hjælpemidler" in html
    # Filtering on another administration's id gives nothing, not its rows.
    html = client.get(reverse("complaint_list"), {"administration": mini.buf.pk}).content.decode()
    assert "Familieafdelingen" not in html
    case_csv = client.get(reverse("case_export")).getvalue().decode("utf-8-sig")
    complaint_csv = client.get(reverse("complaint_export")).getvalue().decode("utf-8-sig")
    assert "BUF" not in case_csv and "SOF" in case_csv
    assert "BUF" not in complaint_csv and "SOF" in complaint_csv
    assert client.get(reverse("administration", args=[mini.buf.pk])).status_code == 404
    assert client.get(reverse("unit", args=[mini.buf_unit.pk])).status_code == 404


def test_leader_overview_shows_only_own_administration(mini: Mini) -> None:
    rows, _total = overview_by_administration(mini.sof_leader, Period.year(2024))
    assert [r.label for r in rows] == ["SOF – Socialforvaltningen"]


def test_unit_scope_covers_subtree_only(mini: Mini) -> None:
    from sagsindsigt.organisation.tests.factories import UserFactory

    leader = UserFactory.in_unit(mini.sof_b)
    assert set(case_list(leader).values_list("unit__code", flat=True)) == {"SOF-B"}


def test_ombudsman_sees_aggregates_but_no_case_rows(mini: Mini, client: Client) -> None:
    client.force_login(mini.ombudsman)
    assert client.get(reverse("overview")).status_code == 200
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("case_detail", args=[mini.buf_case.pk])).status_code == 403
    assert client.get(reverse("case_export")).status_code == 403
    with pytest.raises(PermissionDenied):
        case_list(mini.ombudsman)
    # The ombudsman handles formal complaints, so the complaint register is open to them.
    assert client.get(reverse("complaint_list")).status_code == 200


def test_caseworker_sees_aggregates_only(mini: Mini, client: Client) -> None:
    client.force_login(mini.caseworker)
    assert client.get(reverse("overview")).status_code == 200
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("complaint_list")).status_code == 403
    assert client.get(reverse("complaint_create")).status_code == 403


def test_caseworker_cannot_edit_master_data(mini: Mini, client: Client) -> None:
    # given: even a caseworker wrongly marked as staff
    mini.caseworker.is_staff = True
    mini.caseworker.save(update_fields=["is_staff"])
    client.force_login(mini.caseworker)
    # when
    add = client.post(reverse("admin:cases_casearea_add"), {"name": "Snydeområde"})
    change = client.get(reverse("admin:organisation_unit_change", args=[mini.sof_a.pk]))
    # then
    assert add.status_code == 403
    assert change.status_code == 403
    assert not CaseArea.objects.filter(name="Snydeområde").exists()


def test_analyst_edits_master_data_and_it_is_audited(mini: Mini, client: Client) -> None:
    from sagsindsigt.common.models import AuditEvent

    mini.analyst.is_staff = True
    mini.analyst.save(update_fields=["is_staff"])
    client.force_login(mini.analyst)
    response = client.post(
        reverse("admin:organisation_administration_change", args=[mini.sof.pk]),
        {"code": "SOF", "name": "Socialforvaltningen (ny)"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(model="organisation.Administration", object_id=str(mini.sof.pk)).get()
    assert event.actor == mini.analyst
    assert event.changes == {"name": ["Socialforvaltningen", "Socialforvaltningen (ny)"]}
    # The audit trail is for system administrators, not analysts.
    assert client.get(reverse("admin:common_auditevent_changelist")).status_code == 403
