"""Editing a complaint registered by hand: answer, outcomes and new points; audited, scoped, validated;
imported complaints are maintained in their source system."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sagsindsigt.common.models import AuditAction, AuditEvent, StaleKind, StaleMark
from sagsindsigt.complaints.models import Complaint, ComplaintPoint, ComplaintTheme
from sagsindsigt.complaints.services import ComplaintChanges, PointInput, complaint_update
from sagsindsigt.conftest import Mini


def _theme(code: str) -> ComplaintTheme:
    return ComplaintTheme.objects.get(code=code)


def _post(complaint: Complaint, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "answered_date": "",
        "learning_note": "",
        "punkt-TOTAL_FORMS": "1",
        "punkt-INITIAL_FORMS": "0",
        "punkt-MIN_NUM_FORMS": "0",
        "punkt-MAX_NUM_FORMS": "20",
        "punkt-0-theme": "",
        "punkt-0-outcome": "pending",
        "save": "1",
    }
    for point in complaint.points.all():
        data[f"udfald-{point.pk}"] = point.outcome
    data.update(overrides)
    return data


def _state(complaint: Complaint) -> tuple[Any, ...]:
    complaint.refresh_from_db()
    points = tuple(complaint.points.order_by("pk").values_list("theme__code", "outcome"))
    return complaint.answered_date, complaint.reply_days, complaint.learning_note, points


def test_answer_outcome_and_a_new_point_are_saved_and_audited(mini: Mini, client: Client) -> None:
    # given a complaint registered by hand, not yet answered, with two pending points
    complaint = mini.sof_complaint
    first, second = complaint.points.order_by("pk")
    client.force_login(mini.sof_leader)
    # when the leader adds the answer date, decides the outcomes and adds a point
    response = client.post(
        reverse("complaint_edit", args=[complaint.pk]),
        _post(
            complaint,
            answered_date="2024-05-06",
            learning_note="Husk partshøring.",
            **{f"udfald-{first.pk}": "upheld", f"udfald-{second.pk}": "not_upheld"},
            **{"punkt-0-theme": _theme("T05").pk, "punkt-0-outcome": "partly"},
        ),
    )
    # then
    assert response.status_code == 302
    answered, reply_days, note, points = _state(complaint)
    assert answered == date(2024, 5, 6)
    assert reply_days is not None and reply_days > 0
    assert note == "Husk partshøring."
    assert points == (("T01", "upheld"), ("T04", "not_upheld"), ("T05", "partly"))
    events = AuditEvent.objects.filter(actor=mini.sof_leader)
    update = events.get(model="complaints.Complaint", object_id=str(complaint.pk), action=AuditAction.UPDATE)
    assert update.changes["answered_date"] == [None, "2024-05-06"]
    assert events.filter(model="complaints.ComplaintPoint", action=AuditAction.UPDATE).count() == 2
    assert events.filter(model="complaints.ComplaintPoint", action=AuditAction.CREATE).count() == 1


def test_an_edit_marks_the_months_it_touches_stale(mini: Mini) -> None:
    # given a complaint received in April, answered in May
    complaint = mini.sof_complaint
    complaint_update(
        actor=mini.sof_leader, complaint=complaint, changes=ComplaintChanges(answered_date=date(2024, 5, 6))
    )
    StaleMark.objects.all().delete()
    # when the answer date moves to June
    complaint_update(
        actor=mini.sof_leader, complaint=complaint, changes=ComplaintChanges(answered_date=date(2024, 6, 3))
    )
    # then April (received), May (loses the reply time) and June (gains it) are stale for the unit
    mark = StaleMark.objects.get()
    assert mark.kind == StaleKind.COMPLAINTS
    assert mark.months == ["2024-04-01", "2024-05-01", "2024-06-01"]
    assert mark.units == [mini.sof_a.pk]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answered_date": "2024-04-19"}, "Svardatoen kan ikke ligge før modtagelsesdatoen."),
        ({"answered_date": "FUTURE"}, "Svardatoen kan ikke ligge i fremtiden."),
        ({"answered_date": "31-02-2024"}, "Skriv en gyldig dato"),
        ({"punkt-0-theme": "T01"}, "Temaet T01 er allerede et klagepunkt i klagen."),
        ({"punkt-0-theme": "999999"}, "Vælg et tema fra listen."),
        ({"OUTCOME": "nonsense"}, "Vælg et udfald fra listen."),
    ],
)
def test_bad_input_is_rejected_in_danish_and_changes_nothing(
    mini: Mini, client: Client, overrides: dict[str, Any], message: str
) -> None:
    # given
    complaint = mini.sof_complaint
    client.force_login(mini.sof_leader)
    before = _state(complaint)
    if overrides.get("answered_date") == "FUTURE":
        overrides["answered_date"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    if overrides.get("punkt-0-theme") == "T01":
        overrides["punkt-0-theme"] = _theme("T01").pk
    if "OUTCOME" in overrides:
        overrides[f"udfald-{complaint.points.order_by('pk')[0].pk}"] = overrides.pop("OUTCOME")
    audits, marks = AuditEvent.objects.count(), StaleMark.objects.count()
    # when
    response = client.post(reverse("complaint_edit", args=[complaint.pk]), _post(complaint, **overrides))
    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _state(complaint) == before
    assert (AuditEvent.objects.count(), StaleMark.objects.count()) == (audits, marks)


def test_the_service_validates_dates_for_every_caller(mini: Mini) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    for answered in (date(2024, 4, 19), tomorrow):
        with pytest.raises(ValidationError):
            complaint_update(
                actor=mini.sof_leader,
                complaint=mini.sof_complaint,
                changes=ComplaintChanges(answered_date=answered),
            )
    assert _state(mini.sof_complaint)[0] is None


def test_only_who_may_register_in_the_scope_may_edit(mini: Mini, client: Client) -> None:
    url = reverse("complaint_edit", args=[mini.sof_complaint.pk])
    # another administration's leader: not found, and the service refuses
    client.force_login(mini.buf_leader)
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        complaint_update(
            actor=mini.buf_leader,
            complaint=mini.sof_complaint,
            changes=ComplaintChanges(answered_date=date(2024, 5, 6)),
        )
    # a caseworker (no complaint rows, no registration) is refused
    client.force_login(mini.caseworker)
    assert client.get(url).status_code == 403
    # the leader of the administration and the ombudsman may
    for user in (mini.sof_leader, mini.ombudsman):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="answered_date"' in page.content.decode()
        detail = client.get(reverse("complaint_detail", args=[mini.sof_complaint.pk])).content.decode()
        assert url in detail
    assert _state(mini.sof_complaint)[0] is None


def test_an_imported_complaint_says_it_is_maintained_in_the_source_system(mini: Mini, client: Client) -> None:
    # given a complaint that came from an import
    complaint = mini.sof_complaint
    complaint.source_system = "KLAGESYS"
    complaint.external_id = "K-17"
    complaint.save(update_fields=["source_system", "external_id"])
    client.force_login(mini.sof_leader)
    url = reverse("complaint_edit", args=[complaint.pk])
    before = _state(complaint)
    # when the leader opens it, and posts an edit anyway
    detail = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    page = client.get(url).content.decode()
    client.post(url, _post(complaint, answered_date="2024-05-06"))
    # then both pages say where it is maintained, neither offers the form, and nothing changed
    assert "indlæst fra KLAGESYS og vedligeholdes dér" in detail
    assert url not in detail
    assert "indlæst fra KLAGESYS og vedligeholdes dér" in page
    assert 'name="answered_date"' not in page
    assert _state(complaint) == before
    with pytest.raises(ValidationError, match="overskrevet ved næste indlæsning"):
        complaint_update(
            actor=mini.sof_leader,
            complaint=complaint,
            changes=ComplaintChanges(answered_date=date(2024, 5, 6)),
        )


def test_a_new_point_with_another_administrations_theme_is_refused(mini: Mini) -> None:
    local = ComplaintTheme.objects.create(
        code="BUF-X", name="Lokalt tema", kind="formal", parent=_theme("T01"), administration=mini.buf
    )
    with pytest.raises(ValidationError, match="kan ikke bruges i denne forvaltning"):
        complaint_update(
            actor=mini.analyst,
            complaint=mini.sof_complaint,
            changes=ComplaintChanges(answered_date=None, new_points=[PointInput(theme=local)]),
        )
    assert ComplaintPoint.objects.filter(theme=local).count() == 0


def test_add_point_button_adds_a_row_without_saving(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    data = _post(mini.sof_complaint, answered_date="2024-05-06")
    del data["save"]
    data["add_point"] = "1"
    response = client.post(reverse("complaint_edit", args=[mini.sof_complaint.pk]), data)
    assert 'name="punkt-1-theme"' in response.content.decode()
    assert _state(mini.sof_complaint)[0] is None
