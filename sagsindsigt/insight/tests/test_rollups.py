"""The rollups equal a count from scratch, for any period, and intake keeps them so."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from sagsindsigt.cases.models import Case
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.models import RollupFill
from sagsindsigt.insight.rollups.refresh import rollup_refresh
from sagsindsigt.insight.rollups.selectors import figures_grouped
from sagsindsigt.insight.tests.scratch import from_scratch, nonzero

PERIODS = [
    Period.year(2024),
    Period.quarter(2024, 2),
    Period.month(2024, 3),
    Period(date(2024, 1, 15), date(2024, 11, 14)),  # custom: partial months at both ends
    Period(date(2023, 12, 31), date(2025, 1, 1)),  # one day of a month at each end
    Period(date(2024, 3, 29), date(2024, 3, 29)),  # Langfredag: two cases received on a holiday
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
@pytest.mark.parametrize("by", ["unit", "month"])
def test_rollups_equal_a_count_from_scratch(busy: Mini, period: Period, by: str) -> None:
    # given the raw rows, counted before any rollup exists (every month read from the raw tables)
    expected = nonzero(from_scratch(period, by))
    before = nonzero(figures_grouped(busy.analyst, period, by=by))  # type: ignore[arg-type]
    # when the rollups are filled
    months = rollup_refresh()
    # then reading them gives the same figures as the count from scratch
    after = nonzero(figures_grouped(busy.analyst, period, by=by))  # type: ignore[arg-type]
    fills = list(RollupFill.objects.values_list("month", flat=True))
    assert months == len(fills) and fills[0] == date(2023, 1, 1)  # the span starts with the first event
    assert expected == before
    assert expected == after
    assert expected  # the fixture really has data in every period tested


def test_a_read_of_filled_months_touches_no_raw_table(busy: Mini, django_assert_max_num_queries: Any) -> None:
    # given filled rollups
    rollup_refresh()
    # when a whole-month period is read: fill state + three rollup tables, and the user's scope
    with django_assert_max_num_queries(6) as ctx:
        figures_grouped(busy.analyst, Period.year(2024), by="unit")
    # then no raw table was queried
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "cases_case" not in sql and 'complaints_complaint"' not in sql


def test_a_registered_complaint_is_counted_at_once(busy: Mini) -> None:
    from sagsindsigt.complaints.services import PointInput, complaint_register

    # given filled rollups
    rollup_refresh()
    before = figures_grouped(busy.analyst, Period.month(2024, 7), by="all").get(None, Figures())
    # when a complaint is registered in the UI's service
    complaint_register(
        actor=busy.sof_leader,
        unit=busy.sof_a,
        kind="formal",
        received_date=date(2024, 7, 3),
        answered_date=date(2024, 7, 10),
        points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"), outcome="upheld")],
    )
    # then July's figures count it and its reply time (5 working days)
    after = figures_grouped(busy.analyst, Period.month(2024, 7), by="all")[None]
    assert after.complaints == before.complaints + 1
    assert after.points_upheld == before.points_upheld + 1
    assert after.reply_days - before.reply_days == Counter({5: 1})


def test_scope_applies_to_rollups_and_raw_alike(busy: Mini) -> None:
    # given a leader of SOF and filled rollups for all but the custom period's edges
    rollup_refresh()
    period = Period(date(2024, 1, 15), date(2024, 11, 14))
    # when the leader reads per unit
    seen = figures_grouped(busy.sof_leader, period, by="unit")
    # then only SOF's units appear, with the same figures as from scratch
    assert set(seen) <= {busy.sof_centre.pk, busy.sof_a.pk, busy.sof_b.pk}
    scratch = from_scratch(period, "unit")
    assert seen[busy.sof_a.pk] == scratch[busy.sof_a.pk]


def test_case_type_filter(busy: Mini) -> None:
    rollup_refresh()
    period = Period.year(2024)
    only_weeks = figures_grouped(busy.analyst, period, by="all", case_types=[busy.ct_weeks.pk])[None]
    assert only_weeks.decided == Case.objects.filter(case_type=busy.ct_weeks, decided_date__year=2024).count()
    assert only_weeks.complaints == 0  # no complaint in the fixture names that case type


def test_rollups_command_refreshes_named_months_and_rejects_bad_ones(busy: Mini) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("rollups", "--month", "2024-03", "--month", "2024-04", stdout=out)
    assert sorted(RollupFill.objects.values_list("month", flat=True)) == [date(2024, 3, 1), date(2024, 4, 1)]
    assert out.getvalue().startswith("2 måneder genberegnet")
    with pytest.raises(CommandError, match="åååå-mm"):
        call_command("rollups", "--month", "marts")


def test_moving_a_unit_to_another_administration_moves_its_times(busy: Mini, client: Any) -> None:
    from sagsindsigt.organisation.models import Role
    from sagsindsigt.organisation.tests.factories import UserFactory

    # given filled rollups
    rollup_refresh()
    period = Period.year(2024)
    before = figures_grouped(busy.analyst, period, by="administration")
    moved = sum(
        figures_grouped(busy.analyst, period, by="all", units=[busy.buf_unit.pk])[
            None
        ].processing_days.values()
    )
    assert moved > 0
    # when a system administrator moves BUF's unit to SOF in Stamdata
    admin_user = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, is_staff=True)
    client.force_login(admin_user)
    url = f"/admin/organisation/unit/{busy.buf_unit.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(administration=busy.sof.pk, parent="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    # then SOF's histogram (read from the administrations' table) has BUF's unit's decisions
    after = figures_grouped(busy.analyst, period, by="administration")
    sof_before = sum(before[busy.sof.pk].processing_days.values())
    assert sum(after[busy.sof.pk].processing_days.values()) == sof_before + moved


def test_a_complaint_answered_in_a_later_month_reaches_that_months_reply_times(busy: Mini) -> None:
    from sagsindsigt.complaints.services import PointInput, complaint_register

    rollup_refresh()
    # when a complaint received in April is registered as answered in June
    complaint_register(
        actor=busy.sof_leader,
        unit=busy.sof_a,
        kind="formal",
        received_date=date(2024, 4, 2),
        answered_date=date(2024, 6, 10),
        points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
    )
    # then June's reply times equal a count from scratch
    june = Period.month(2024, 6)
    assert figures_grouped(busy.analyst, june, by="month") == from_scratch(june, "month")


def test_an_edited_complaint_is_counted_at_once(busy: Mini) -> None:
    from sagsindsigt.complaints.services import ComplaintChanges, PointInput, complaint_update

    # given filled rollups and a pending complaint received in April
    rollup_refresh()
    complaint = busy.sof_complaint
    first = complaint.points.order_by("pk")[0]
    april, june = Period.month(2024, 4), Period.month(2024, 6)
    before = figures_grouped(busy.analyst, april, by="all")[None]
    # when it is answered in June, its first point upheld and a new point added
    complaint_update(
        actor=busy.sof_leader,
        complaint=complaint,
        changes=ComplaintChanges(
            answered_date=date(2024, 6, 3),
            outcomes={first.pk: "upheld"},
            new_points=[PointInput(theme=ComplaintTheme.objects.get(code="T05"), outcome="upheld")],
        ),
    )
    # then April counts the outcomes, June the reply time, both as a count from scratch
    after = figures_grouped(busy.analyst, april, by="all")[None]
    assert after.points_upheld == before.points_upheld + 2
    assert figures_grouped(busy.analyst, april, by="month") == from_scratch(april, "month")
    assert figures_grouped(busy.analyst, june, by="month") == from_scratch(june, "month")


def test_a_case_created_by_the_service_is_counted_at_once(busy: Mini) -> None:
    from sagsindsigt.cases.services import case_create
    from sagsindsigt.organisation.models import Role
    from sagsindsigt.organisation.tests.factories import UserFactory

    rollup_refresh()
    case_create(
        actor=UserFactory(role=Role.SYSTEM_ADMIN),
        source_system="MANUEL",
        external_id="M-1",
        unit=busy.sof_b,
        case_type=busy.ct_weeks,
        received_date=date(2024, 9, 2),
        decided_date=date(2024, 10, 1),
    )
    for month in (9, 10):
        period = Period.month(2024, month)
        assert nonzero(figures_grouped(busy.analyst, period, by="unit")) == nonzero(
            from_scratch(period, "unit")
        )


def test_a_changed_deadline_refreshes_its_case_types_figures(busy: Mini) -> None:
    from sagsindsigt.cases.models import GuidelineDeadline
    from sagsindsigt.cases.services import case_recompute_due_dates
    from sagsindsigt.organisation.models import Role
    from sagsindsigt.organisation.tests.factories import UserFactory

    # given filled rollups
    rollup_refresh()
    # when the deadline of HJ doubles and the due dates are recomputed for that case type
    GuidelineDeadline.objects.filter(case_type=busy.ct_wd).update(value=20)
    case_recompute_due_dates(actor=UserFactory(role=Role.SYSTEM_ADMIN), case_type=busy.ct_wd)
    # then the figures equal a count from scratch (more cases within the deadline)
    period = Period.year(2024)
    assert nonzero(figures_grouped(busy.analyst, period, by="unit")) == nonzero(from_scratch(period, "unit"))


@pytest.mark.parametrize("fine", [False, True], ids=["grouped-coarsely", "grouped-by-case-type"])
def test_many_slices_read_at_once_equal_each_read_alone(busy: Mini, fine: bool) -> None:
    from sagsindsigt.insight.rollups.selectors import Slice, figures_for, figures_for_many

    # given filled rollups, and slices of every kind over two periods
    rollup_refresh()
    slices = [
        Slice(),
        Slice(administration_id=busy.sof.pk),
        Slice(administration_id=busy.bif.pk),
        Slice(administration_id=busy.sof.pk, unit_id=busy.sof_centre.pk),
        Slice(administration_id=busy.sof.pk, unit_id=busy.sof_a.pk),
    ]
    if fine:
        slices += [
            Slice(case_area_id=busy.ct_wd.case_area_id),
            Slice(administration_id=busy.sof.pk, unit_id=busy.sof_b.pk, case_type_id=busy.ct_weeks.pk),
        ]
    periods = [Period.year(2024), Period(date(2024, 1, 15), date(2024, 11, 14))]
    wanted = [(p, s) for p in periods for s in slices]
    # when they are read at once (as the targets panel does), and one by one
    together = figures_for_many(busy.analyst, wanted)
    assert together[(periods[0], Slice())].decided > 0 and sum(
        together[(periods[0], Slice())].processing_days.values()
    )
    for user in (busy.analyst, busy.sof_leader):
        if user is busy.sof_leader:
            wanted = [(p, s) for p, s in wanted if s.administration_id == busy.sof.pk]
            together = figures_for_many(user, wanted)
        # then each slice has the same figures either way
        for period, over in wanted:
            assert together[(period, over)] == figures_for(user, period, over).get(None, Figures()), over
