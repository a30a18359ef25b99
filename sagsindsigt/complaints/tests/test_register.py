"""Registering a complaint: validation in Danish, nothing saved on bad input, CPR never stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse

from sagsindsigt.common import audit
from sagsindsigt.common.models import AccessLogEntry, AuditEvent
from sagsindsigt.complaints.models import Complaint, ComplaintPoint, ComplaintTheme
from sagsindsigt.complaints.services import PointInput, complaint_register
from sagsindsigt.conftest import Mini
from sagsindsigt.organisation.models import Unit

CPR = "010190-1235"  # fails modulus 11; still valid since 2007


def _post(mini: Mini, **overrides: Any) -> dict[str, Any]:
    t01 = ComplaintTheme.objects.get(code="T01").pk
    t05 = ComplaintTheme.objects.get(code="T05").pk
    data = {
        "unit": mini.sof_a.pk,
        "kind": "formal",
        "channel": "direct",
        "received_date": "2024-09-02",
        "answered_date": "",
        "case_type": "",
        "citizen_cpr": "",
        "learning_note": "",
        "punkt-TOTAL_FORMS": "2",
        "punkt-INITIAL_FORMS": "0",
        "punkt-MIN_NUM_FORMS": "0",
        "punkt-MAX_NUM_FORMS": "20",
        "punkt-0-theme": t01,
        "punkt-0-outcome": "upheld",
        "punkt-1-theme": t05,
        "punkt-1-outcome": "not_upheld",
        "save": "1",
    }
    data.update(overrides)
    return data


def test_register_with_two_points(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    before = Complaint.objects.count()
    response = client.post(reverse("complaint_create"), _post(mini, citizen_cpr=CPR))
    assert response.status_code == 302
    complaint = Complaint.objects.latest("pk")
    assert Complaint.objects.count() == before + 1
    assert sorted(complaint.points.values_list("theme__code", "outcome")) == [
        ("T01", "upheld"),
        ("T05", "not_upheld"),
    ]
    assert len(complaint.citizen_key) == 64 and "0101901235" not in complaint.citizen_key
    assert AuditEvent.objects.filter(
        model="complaints.Complaint", object_id=str(complaint.pk), actor=mini.sof_leader
    ).exists()
    assert AuditEvent.objects.filter(model="complaints.ComplaintPoint").count() >= 2


@pytest.mark.parametrize(("points", "said"), [(1, "med 1 klagepunkt."), (2, "med 2 klagepunkter.")])
def test_the_confirmation_counts_points_in_danish(mini: Mini, client: Client, points: int, said: str) -> None:
    # given
    client.force_login(mini.sof_leader)
    # when
    response = client.post(
        reverse("complaint_create"), _post(mini, **{"punkt-TOTAL_FORMS": str(points)}), follow=True
    )
    # then
    assert f"Klagen er registreret {said}" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit": ""}, "Dette felt er påkrævet"),
        ({"kind": ""}, "Dette felt er påkrævet"),
        ({"received_date": ""}, "Dette felt er påkrævet"),
        ({"received_date": "31-02-2024"}, "Skriv en gyldig dato"),
        ({"received_date": "2999-01-01"}, "kan ikke ligge i fremtiden"),
        ({"answered_date": "2024-08-01"}, "kan ikke ligge før modtagelsesdatoen"),
        ({"answered_date": "2999-01-01"}, "Svardatoen kan ikke ligge i fremtiden"),
        ({"kind": "nonsense"}, "Vælg formalitetsklage eller realitetsklage"),
        ({"citizen_cpr": "123"}, "CPR-nummeret skal have formen"),
        ({"supervision_case_opened": "on"}, "Kun klager modtaget via Borgerrådgiveren"),
        ({"punkt-0-theme": "", "punkt-1-theme": ""}, "Angiv mindst ét klagepunkt"),
        ({"punkt-1-theme": None}, "samme tema"),
        ({"unit": "999999"}, "Vælg en enhed fra listen"),
    ],
)
def test_bad_input_is_rejected_in_danish_and_saves_nothing(
    mini: Mini, client: Client, overrides: dict[str, Any], message: str
) -> None:
    # given
    client.force_login(mini.sof_leader)
    if overrides.get("punkt-1-theme", "x") is None:
        overrides["punkt-1-theme"] = ComplaintTheme.objects.get(code="T01").pk
    counts = (Complaint.objects.count(), ComplaintPoint.objects.count(), Unit.objects.count())
    # when
    response = client.post(reverse("complaint_create"), _post(mini, **overrides))
    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Complaint.objects.count(), ComplaintPoint.objects.count(), Unit.objects.count()) == counts


def test_unit_outside_scope_is_refused(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    response = client.post(reverse("complaint_create"), _post(mini, unit=mini.buf_unit.pk))
    assert "Vælg en enhed fra listen" in response.content.decode()
    with pytest.raises(PermissionDenied):
        complaint_register(
            actor=mini.sof_leader,
            unit=mini.buf_unit,
            kind="formal",
            received_date=mini.sof_complaint.received_date,
            points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
        )


def test_add_point_button_adds_a_row_without_saving(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    data = _post(mini)
    del data["save"]
    data["add_point"] = "1"
    response = client.post(reverse("complaint_create"), data)
    assert 'name="punkt-2-theme"' in response.content.decode()
    assert not Complaint.objects.filter(received_date="2024-09-02").exists()


def test_cpr_never_reaches_database_or_error_messages(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    bad = client.post(reverse("complaint_create"), _post(mini, citizen_cpr="991390-1234", kind=""))
    assert "991390" not in bad.content.decode().replace('value="991390-1234"', "")
    client.post(reverse("complaint_create"), _post(mini, citizen_cpr=CPR))
    # Search every text column of every table for the raw number, with and without the dash.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in columns:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s '  # noqa: S608
                    f'OR CAST("{column}" AS TEXT) LIKE %s',
                    ["%0101901235%", "%010190-1235%"],
                )
                assert cursor.fetchone()[0] == 0, f"CPR fundet i {table}.{column}"


def test_reads_of_rows_are_access_logged(mini: Mini, client: Client) -> None:
    client.force_login(mini.sof_leader)
    client.get(reverse("complaint_detail", args=[mini.sof_complaint.pk]))
    entry = AccessLogEntry.objects.filter(user=mini.sof_leader, what="klage").get()
    assert entry.object_ids == [mini.sof_complaint.pk]
    client.get(reverse("complaint_list"))
    assert AccessLogEntry.objects.filter(user=mini.sof_leader, what="klageliste").exists()


def test_the_export_holds_every_complaint_and_logs_every_id(
    mini: Mini, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: chunks of two, so the export is read and logged in several pieces
    monkeypatch.setattr(audit, "EXPORT_CHUNK", 2)
    expected = sorted(Complaint.objects.filter(unit__administration=mini.sof).values_list("pk", flat=True))
    assert len(expected) > 2
    client.force_login(mini.sof_leader)
    # when
    response = client.get(reverse("complaint_export"))
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    # then
    assert response.streaming
    assert sorted(int(line.split(";")[0]) for line in lines[1:]) == expected
    entries = AccessLogEntry.objects.filter(user=mini.sof_leader, what="klageeksport")
    assert sorted(pk for e in entries for pk in e.object_ids) == expected
    assert entries.count() == -(-len(expected) // 2)


def test_export_escapes_formula_cells(mini: Mini, client: Client) -> None:
    mini.sof_complaint.learning_note = '=HYPERLINK("http://x")'
    mini.sof_complaint.save(update_fields=["learning_note"])
    client.force_login(mini.sof_leader)
    body = client.get(reverse("complaint_export")).getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ";=HYPERLINK" not in body


def test_script_in_text_is_escaped_in_html(mini: Mini, client: Client) -> None:
    mini.sof_complaint.learning_note = "<script>alert(1)</script>"
    mini.sof_complaint.save(update_fields=["learning_note"])
    client.force_login(mini.sof_leader)
    html = client.get(reverse("complaint_detail", args=[mini.sof_complaint.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
