"""Tests for the demo generator: shape, realistic rates, working-day due dates, determinism and refusals."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.test import RequestFactory
from django.urls import reverse

from sagsindsigt.cases.models import Case, CaseArea, CaseStatus, CaseType, GuidelineDeadline, VolumeCount
from sagsindsigt.cases.selectors import deadline_in_force
from sagsindsigt.common.models import AuditEvent
from sagsindsigt.common.workingdays import due_date, working_days_between
from sagsindsigt.complaints.models import (
    MERITS_OUTCOMES,
    REVERSAL_OUTCOMES,
    Appeal,
    AppealBody,
    Channel,
    Complaint,
    ComplaintKind,
    ComplaintPoint,
    LawArea,
    PointOutcome,
)
from sagsindsigt.demo.delivery import APPEAL_SOURCE, COMPLAINT_SOURCE
from sagsindsigt.demo.generator import (
    ADMINISTRATIONS,
    DEMO_PASSWORD,
    DEMO_USERS,
    WORSE_UNITS,
    DemoDataExists,
    DemoSummary,
    generate,
    period_start,
)
from sagsindsigt.demo.testing import DemoOptions, wipe
from sagsindsigt.insight.models import RecordingBreak
from sagsindsigt.insight.targets.selectors import targets_with_status
from sagsindsigt.intake.models import Load, LoadStatus
from sagsindsigt.organisation.access import Perm, can
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Role, Unit, User
from sagsindsigt.organisation.selectors import working_day_rules

END = date(2026, 6, 30)
SCALE = 0.1  # ≈ 30,000 cases: enough for the rates below to be stable, small enough to be quick
SEED = 2026


def _fingerprint() -> str:
    """A hash of every generated row in a canonical order, without database ids or timestamps."""
    parts: list[Any] = [
        list(
            Case.objects.order_by("source_system", "external_id").values_list(
                "source_system",
                "external_id",
                "unit__code",
                "case_type__code",
                "received_date",
                "decided_date",
                "closed_date",
                "status",
                "due_date",
                "citizen_key",
                "caseworker_key",
            )
        ),
        list(
            VolumeCount.objects.order_by("unit__code", "case_type__code", "month").values_list(
                "unit__code", "case_type__code", "month", "received", "decided", "decided_within_deadline"
            )
        ),
        list(
            Complaint.objects.order_by("source_system", "external_id").values_list(
                "source_system",
                "external_id",
                "unit__code",
                "kind",
                "channel",
                "received_date",
                "answered_date",
                "related_case__external_id",
                "supervision_case_opened",
                "learning_note",
            )
        ),
        list(
            ComplaintPoint.objects.order_by(
                "complaint__source_system", "complaint__external_id", "theme__code"
            ).values_list("complaint__source_system", "complaint__external_id", "theme__code", "outcome")
        ),
        list(
            Appeal.objects.order_by("source_system", "external_id").values_list(
                "source_system",
                "external_id",
                "unit__code",
                "appeal_body",
                "law_area",
                "decision_date",
                "outcome",
                "related_case__external_id",
            )
        ),
        list(
            Appeal.reversal_reasons.through.objects.order_by(
                "appeal__source_system", "appeal__external_id", "complainttheme__code"
            ).values_list("appeal__source_system", "appeal__external_id", "complainttheme__code")
        ),
        list(
            Unit.objects.order_by("code").values_list("code", "name", "parent__code", "administration__code")
        ),
        list(
            User.objects.order_by("username").values_list(
                "username", "role", "scope_kind", "scope_administration__code", "scope_unit__code"
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def demo_options() -> DemoOptions:
    """The shared `demo` fixture (sagsindsigt/conftest.py) at this module's size."""
    return DemoOptions(end_date=END, scale=SCALE, seed=SEED)


def _decided_per_unit() -> dict[str, int]:
    decided = dict(
        Case.objects.filter(status=CaseStatus.DECIDED).values_list("unit__code").annotate(n=Count("pk"))
    )
    for code, n in VolumeCount.objects.values_list("unit__code").annotate(n=Sum("decided")):
        decided[code] = decided.get(code, 0) + n
    return decided


# --- Organisation and master data --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seven_administrations_with_a_two_level_unit_tree(demo: DemoSummary) -> None:
    # then
    assert list(Administration.objects.order_by("code").values_list("code", flat=True)) == sorted(
        ["ØKF", "KFF", "BUF", "SUF", "SOF", "TMF", "BIF"]
    )
    assert Administration.objects.get(code="BIF").name == "Beskæftigelses- og Integrationsforvaltningen"
    assert 50 <= Unit.objects.count() <= 70
    assert not Unit.objects.filter(parent__parent__isnull=False).exists()  # two levels only
    assert not Unit.objects.exclude(parent=None).exclude(administration=F("parent__administration")).exists()
    centres_with_cases = Unit.objects.filter(parent__isnull=True).filter(
        Q(cases__isnull=False) | Q(volume_counts__isnull=False)
    )
    assert not centres_with_cases.exists()
    assert demo.units == Unit.objects.count()


@pytest.mark.django_db
def test_municipality_settings_are_copenhagens(demo: DemoSummary) -> None:
    settings_row = MunicipalitySettings.objects.get()
    assert settings_row.name == "Københavns Kommune (demo)"
    assert (
        settings_row.closed_june_5,
        settings_row.closed_dec_24,
        settings_row.closed_dec_31,
        settings_row.closed_may_1,
        settings_row.reply_working_days,
    ) == (True, False, False, False, 10)


@pytest.mark.django_db
def test_case_types_belong_to_one_administration_and_some_deadlines_change(demo: DemoSummary) -> None:
    # then
    assert 70 <= CaseType.objects.count() <= 90
    assert 15 <= CaseArea.objects.count() <= 25
    assert not CaseArea.objects.exclude(kle_code="").exists()  # KLE is licensed: never invented
    administrations: dict[str, set[str]] = defaultdict(set)
    for code, adm in Case.objects.values_list("case_type__code", "unit__administration__code").distinct():
        administrations[code].add(adm)
    counted = VolumeCount.objects.values_list("case_type__code", "unit__administration__code").distinct()
    for code, adm in counted:
        administrations[code].add(adm)
    assert all(len(adms) == 1 for adms in administrations.values())
    units_used = Counter(d.unit for d in GuidelineDeadline.objects.all())
    assert set(units_used) == {"calendar_days", "working_days", "weeks", "months"}
    changed = 0
    for case_type in CaseType.objects.prefetch_related("deadlines"):
        deadlines = sorted(case_type.deadlines.all(), key=lambda d: d.valid_from)
        assert deadlines and deadlines[-1].valid_to is None
        assert all(d.legal_basis for d in deadlines)
        for before, after in zip(deadlines, deadlines[1:], strict=False):
            assert before.valid_to == after.valid_from - timedelta(days=1)  # consecutive periods
        changed += len(deadlines) > 1
    assert 6 <= changed <= 14


# --- Users ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_log_in(demo: DemoSummary) -> None:
    # given
    request = RequestFactory().post("/login/")
    # then
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert sorted(u for u, _, _ in DEMO_USERS) == sorted(User.objects.values_list("username", flat=True))
    for username, _role, _scope in DEMO_USERS:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None and user.get_username() == username
        assert authenticate(request, username=username, password="forkert-kodeord") is None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.role == Role.SYSTEM_ADMIN
    bif = Administration.objects.get(code="BIF")
    assert User.objects.get(username="leder.bif").scope_administration == bif
    assert User.objects.get(username="sagsbehandler").scope_unit.parent is not None


# --- Cases and counts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bif_delivers_counts_only(demo: DemoSummary) -> None:
    bif_counts = VolumeCount.objects.filter(unit__administration__code="BIF")
    assert bif_counts.exists()
    assert not Case.objects.filter(unit__administration__code="BIF").exists()
    assert not VolumeCount.objects.exclude(unit__administration__code="BIF").exists()
    assert not bif_counts.filter(decided_within_deadline__gt=F("decided")).exists()
    assert set(bif_counts.values_list("source_system", flat=True)) == {"BIF-kontakt"}


@pytest.mark.django_db
def test_cases_have_consistent_dates_and_realistic_shares(demo: DemoSummary) -> None:
    # then
    cases = Case.objects.all()
    total = cases.count()
    assert 0.08 * 300_000 <= total <= 0.12 * 300_000
    assert not cases.filter(decided_date__lt=F("received_date")).exists()
    assert not cases.filter(
        Q(decided_date__gt=END) | Q(closed_date__gt=END) | Q(received_date__gt=END)
    ).exists()
    assert not cases.filter(received_date__lte=END - timedelta(days=3 * 366)).exists()
    assert not cases.filter(due_date__isnull=True).exists()
    status = Counter(cases.values_list("status", flat=True))
    assert 0.015 <= status[CaseStatus.OPEN] / total <= 0.06
    assert 0.005 <= status[CaseStatus.CLOSED] / total <= 0.02
    decided = cases.filter(status=CaseStatus.DECIDED)
    within = decided.filter(decided_date__lte=F("due_date")).count() / decided.count()
    assert 0.75 <= within <= 0.90
    # Open cases are mostly recent ones.
    recent = cases.filter(received_date__gt=END - timedelta(days=120))
    assert recent.filter(status=CaseStatus.OPEN).count() > 0.5 * status[CaseStatus.OPEN]
    # Pseudonyms only: 64 hex characters, never something shaped like a CPR number.
    keys = set(cases.values_list("citizen_key", flat=True)[:2000])
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in keys)
    # The same citizen can have several cases.
    assert cases.values("citizen_key").distinct().count() < total


@pytest.mark.django_db
def test_due_dates_are_the_working_day_computation(demo: DemoSummary) -> None:
    # given: a spread of cases plus cases on both sides of every deadline change
    rules = working_day_rules()
    deadlines: dict[int, list[GuidelineDeadline]] = defaultdict(list)
    for deadline in GuidelineDeadline.objects.order_by("valid_from"):
        deadlines[deadline.case_type_id].append(deadline)
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[::97])
    for type_id, rows in deadlines.items():
        for row in rows[1:]:
            ids += (
                Case.objects.filter(case_type_id=type_id, received_date__lt=row.valid_from)
                .order_by("-received_date")
                .values_list("pk", flat=True)[:3]
            )
            ids += (
                Case.objects.filter(case_type_id=type_id, received_date__gte=row.valid_from)
                .order_by("received_date")
                .values_list("pk", flat=True)[:3]
            )
    # then
    sample = Case.objects.filter(pk__in=ids)
    assert sample.count() > 300
    for case in sample:
        found = deadline_in_force(deadlines[case.case_type_id], case.received_date)
        assert found is not None
        assert case.due_date == due_date(case.received_date, found.value, found.unit, rules).due, case


# --- Complaints ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_complaints_have_realistic_rates_kinds_and_themes(demo: DemoSummary) -> None:
    # then
    complaints = Complaint.objects.all()
    total = complaints.count()
    decided = sum(_decided_per_unit().values())
    assert 2 <= total / decided * 1000 <= 8
    kinds = Counter(complaints.values_list("kind", flat=True))
    assert 0.5 <= kinds[ComplaintKind.FORMAL] / total <= 0.7
    points = ComplaintPoint.objects.count()
    assert 1.3 <= points / total <= 1.7
    assert not complaints.annotate(n=Count("points")).filter(Q(n=0) | Q(n__gt=3)).exists()
    formal_themes = Counter(
        ComplaintPoint.objects.filter(complaint__kind=ComplaintKind.FORMAL)
        .annotate(core=F("theme__parent__code"))
        .values_list("theme__code", "core")
    )
    by_core: Counter[str] = Counter()
    for (code, core), n in formal_themes.items():
        by_core[core or code] += n
    assert {code for code, _ in by_core.most_common(2)} == {"T01", "T02"}
    assert not complaints.filter(kind=ComplaintKind.SUBSTANTIVE).exclude(points__theme__code="T16").exists()
    # Borgerrådgiveren handles formal complaints only, and opens supervision cases for some of them.
    assert not complaints.filter(kind=ComplaintKind.SUBSTANTIVE, channel=Channel.OMBUDSMAN).exists()
    assert complaints.filter(supervision_case_opened=True).exists()
    assert set(complaints.values_list("channel", flat=True)) == set(Channel.values)
    assert set(ComplaintPoint.objects.values_list("outcome", flat=True)) >= {
        PointOutcome.UPHELD,
        PointOutcome.PARTLY,
        PointOutcome.NOT_UPHELD,
        PointOutcome.REJECTED,
    }
    local = ComplaintPoint.objects.filter(theme__parent__isnull=False, theme__administration__code="SOF")
    assert local.exists()
    assert complaints.exclude(learning_note="").exists()
    assert complaints.filter(unit__administration__code="BIF").exists()
    answered = complaints.filter(answered_date__isnull=False)
    assert answered.count() > 0.9 * total
    assert not answered.filter(answered_date__lt=F("received_date")).exists()
    # Most replies keep the 10-working-day reply guarantee, some do not.
    rules = working_day_rules()
    in_time = sum(
        working_days_between(received, replied, rules) <= 10
        for received, replied in answered.values_list("received_date", "answered_date")
    )
    assert 0.7 <= in_time / answered.count() <= 0.95
    assert (
        not ComplaintPoint.objects.filter(complaint__answered_date__isnull=True)
        .exclude(outcome=PointOutcome.PENDING)
        .exists()
    )


@pytest.mark.django_db
def test_the_worse_units_have_more_complaints_and_fewer_cases_in_time(demo: DemoSummary) -> None:
    # given
    decided = _decided_per_unit()
    complaints = Counter(Complaint.objects.values_list("unit__code", flat=True))
    rates = {code: complaints[code] / n for code, n in decided.items() if n}
    within = {
        code: w / n
        for code, n, w in Case.objects.filter(status=CaseStatus.DECIDED)
        .values_list("unit__code")
        .annotate(n=Count("pk"), w=Count("pk", filter=Q(decided_date__lte=F("due_date"))))
    }
    # then
    assert len(WORSE_UNITS) >= 2
    median_rate = statistics.median(rates.values())
    median_within = statistics.median(within.values())
    for code in WORSE_UNITS:
        assert rates[code] > median_rate, (code, rates[code], median_rate)
        assert within[code] < median_within - 0.1, (code, within[code], median_within)
    pooled = sum(complaints[code] for code in WORSE_UNITS) / sum(decided[code] for code in WORSE_UNITS)
    assert pooled > 1.5 * median_rate


# --- Appeals -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_appeals_have_a_realistic_reversal_rate_and_reasons(demo: DemoSummary) -> None:
    # then
    appeals = Appeal.objects.all()
    assert set(appeals.values_list("unit__administration__code", flat=True)) == {"SOF", "BUF", "SUF", "BIF"}
    decided = _decided_per_unit()
    in_scope = sum(n for code, n in decided.items() if code.split("-")[0] in {"SOF", "BUF", "SUF", "BIF"})
    assert 0.01 <= appeals.count() / in_scope <= 0.03
    outcomes = Counter(appeals.values_list("outcome", flat=True))
    merits = sum(outcomes[o] for o in MERITS_OUTCOMES)
    reversed_ = sum(outcomes[o] for o in REVERSAL_OUTCOMES)
    assert 0.2 <= reversed_ / merits <= 0.4
    assert 0.05 <= (appeals.count() - merits) / appeals.count() <= 0.15
    # Reversals carry reasons, mostly fact-finding (T10) and reasons (T05); other outcomes none.
    assert not appeals.filter(outcome__in=REVERSAL_OUTCOMES, reversal_reasons__isnull=True).exists()
    assert not appeals.exclude(outcome__in=REVERSAL_OUTCOMES).filter(reversal_reasons__isnull=False).exists()
    reasons = Counter(Appeal.reversal_reasons.through.objects.values_list("complainttheme__code", flat=True))
    assert {code for code, _ in reasons.most_common(2)} == {"T10", "T05"}
    # Beskæftigelsesnævnet only for employment law; Ankestyrelsen the most common body.
    employment = [LawArea.BESKAEFTIGELSESINDSATS, LawArea.SYGEDAGPENGELOVEN]
    assert (
        not appeals.filter(appeal_body=AppealBody.BESKAEFTIGELSESNAEVNET)
        .exclude(law_area__in=employment)
        .exists()
    )
    bodies = Counter(appeals.values_list("appeal_body", flat=True))
    assert bodies.most_common(1)[0][0] == AppealBody.ANKESTYRELSEN
    assert not appeals.filter(decision_date__lt=F("related_case__decided_date")).exists()
    assert not appeals.filter(decision_date__gt=END).exists()


# --- Provenance ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_row_came_in_through_intake_with_its_load_and_audit_events(demo: DemoSummary) -> None:
    # then: one committed load per delivery: a CSV per case system, BIF's XLSX, the complaint system's
    # CSV and Ankestyrelsen's API push
    loads = {load.source_system: load for load in Load.objects.all()}
    assert set(loads) == {a.source_system for a in ADMINISTRATIONS} | {COMPLAINT_SOURCE, APPEAL_SOURCE}
    assert loads["BIF-kontakt"].file_name.endswith(".xlsx")
    assert loads["SBSYS"].file_name == "sbsys.csv" and loads[APPEAL_SOURCE].file_name == "API"
    models = {"cases": Case, "volume_counts": VolumeCount, "complaints": Complaint, "appeals": Appeal}
    for model in models.values():
        assert not model.objects.filter(load__isnull=True).exists()
        assert not model.objects.exclude(load__source_system=F("source_system")).exists()
    for load in loads.values():
        assert load.status == LoadStatus.COMMITTED
        assert load.counts["new"] == models[load.kind].objects.filter(load=load).count() > 0
        events = AuditEvent.objects.filter(model="intake.Load", object_id=str(load.pk), actor=None)
        assert sorted(events.values_list("action", flat=True)) == ["create", "update"]
    # the CSV files are real Windows-1252 exports with Danish headers
    first = (Path(settings.VAR_DIR) / "demo" / "sbsys.csv").read_bytes().splitlines()[0]
    assert first.decode("cp1252").startswith("Sagsnummer;Enhed;Sagstype;Modtaget;Afgørelse sendt")
    # external ids are unique per source and look like the source's own numbers
    assert (
        Case.objects.filter(source_system="SBSYS", external_id__regex=r"^20\d\d-\d{6}$").count()
        == Case.objects.filter(source_system="SBSYS").count()
    )


# --- Determinism and refusals --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data(demo: DemoSummary) -> None:
    # given
    first = _fingerprint()
    wipe()
    # when
    again = generate(end_date=END, scale=SCALE, seed=SEED)
    # then
    assert again == demo
    assert _fingerprint() == first


@pytest.mark.django_db
def test_another_seed_gives_other_data(demo: DemoSummary) -> None:
    # given
    wipe()
    generate(end_date=END, scale=0.005, seed=1)
    one = _fingerprint()
    wipe()
    # when
    generate(end_date=END, scale=0.005, seed=2)
    # then
    assert _fingerprint() != one


@pytest.mark.django_db
def test_refuses_to_run_twice(demo: DemoSummary) -> None:
    with pytest.raises(CommandError, match="Databasen har allerede data"):
        call_command(
            "demo", "--scale", "0.005", "--end-date", END.isoformat(), stdout=StringIO(), stderr=StringIO()
        )
    with pytest.raises(DemoDataExists):
        generate(end_date=END, scale=0.005)


@pytest.mark.django_db
def test_refuses_outside_development_unless_forced(demo: DemoSummary, settings: Any) -> None:
    # given
    settings.DEVELOPMENT = False
    wipe()
    # then
    with pytest.raises(CommandError, match="SAGSINDSIGT_DEV"):
        call_command("demo", "--scale", "0.005", stdout=StringIO(), stderr=StringIO())
    assert not Administration.objects.exists()
    # when
    out, err = StringIO(), StringIO()
    call_command("demo", "--force", "--scale", "0.005", "--end-date", END.isoformat(), stdout=out, stderr=err)
    # then
    assert Administration.objects.count() == 7
    assert "Demokommunen er oprettet" in out.getvalue()
    assert "SOF: 100 %" in err.getvalue()


def test_print_logins_lists_every_user_with_the_password() -> None:
    # when
    out = StringIO()
    call_command("demo", "--print-logins", stdout=out)
    # then
    text = out.getvalue()
    for username, role, scope in DEMO_USERS:
        assert username in text and str(role) in text and scope in text
    assert DEMO_PASSWORD in text
    assert "CPR" not in text.upper()


def test_rejects_a_bad_end_date_and_scale() -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--end-date", "30-06-2026")
    with pytest.raises(CommandError):
        call_command("demo", "--scale", "0")


# --- Targets and recording breaks ------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_leader_and_unit_user_sees_targets_on_the_overview(demo: DemoSummary, client: Any) -> None:
    # given every demo user who sees figures: the leaders, and the unit users beside them
    leaders = [u for u in User.objects.all() if can(u, Perm.VIEW_AGGREGATES)]
    assert {Role.ADMINISTRATION_LEADER, Role.UNIT_LEADER} <= {u.role for u in leaders}
    for leader in leaders:
        # when the leader opens the overview, as a new user does
        client.force_login(leader)
        html = client.get(reverse("overview")).content.decode()
        # then the targets panel lists targets, each with a status
        assert "Der er ikke sat mål for området endnu." not in html, leader.username
        panel = html[html.index('class="targets-panel"') :]
        assert panel.count("<tr") > 1 and "Status" in panel, leader.username
        assert targets_with_status(leader), leader.username
    # and the targets are plausible: every administration has a few, set by the central analyst, valid
    # against the rules (a relative goal resolved from the year before), in more than one colour
    rows = targets_with_status(User.objects.get(username="analytiker"))
    by_administration = Counter(row.target.administration.code for row in rows)
    assert set(by_administration) == {a.code for a in ADMINISTRATIONS}
    assert min(by_administration.values()) >= 3
    assert all(row.target.created_by.username == "analytiker" for row in rows)
    assert len({row.status.colour for row in rows}) > 1
    assert [r.scope_label for r in rows if r.goal is None] == []


@pytest.mark.django_db
def test_the_demo_has_recording_breaks(demo: DemoSummary) -> None:
    breaks = list(RecordingBreak.objects.order_by("month"))
    assert 1 <= len(breaks) <= 2
    start = period_start(END)
    assert all(start <= b.month <= END and b.month.day == 1 for b in breaks)
    assert any(b.administration is not None for b in breaks)
