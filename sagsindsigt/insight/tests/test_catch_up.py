"""Writes mark what became stale; the rollups catch up after the commit, and reads are exact in between."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagsindsigt.cases.models import GuidelineDeadline
from sagsindsigt.cases.services import case_create, case_recompute_due_dates
from sagsindsigt.common.models import StaleKind, StaleMark
from sagsindsigt.common.periods import Period
from sagsindsigt.common.staleness import mark_stale, staleness
from sagsindsigt.common.workingdays import elapsed_working_days
from sagsindsigt.complaints.models import Complaint, ComplaintTheme
from sagsindsigt.complaints.services import PointInput, complaint_register
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
)
from sagsindsigt.insight.rollups.refresh import rollup_refresh, rollups_catch_up
from sagsindsigt.insight.rollups.selectors import figures_grouped
from sagsindsigt.insight.tests.scratch import Rows, from_scratch, nonzero
from sagsindsigt.intake.models import Load, LoadStatus
from sagsindsigt.intake.services import load_rollback
from sagsindsigt.intake.tests.conftest import csv_lines, kmd_source, prepare_and_commit
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import MunicipalitySettings, Role, Unit
from sagsindsigt.organisation.selectors import working_day_rules
from sagsindsigt.organisation.signals import working_day_rules_changed
from sagsindsigt.organisation.tests.factories import UserFactory

PERIODS = (
    Period.year(2024),
    Period(date(2024, 1, 15), date(2024, 11, 14)),
    Period.month(2024, 6),
)


def _tables() -> dict[str, set[tuple[Any, ...]]]:
    """Every rollup row, comparable between an incremental catch-up and a refresh from scratch."""
    skip = {"id"}
    return {
        model.__name__: {tuple(v for k, v in row.items() if k not in skip) for row in model.objects.values()}
        for model in (MonthRollup, DaysRollup, AdministrationDaysRollup, ThemeRollup)
    } | {"fill": set(RollupFill.objects.values_list("month", flat=True))}


def _assert_reads_exact(mini: Mini) -> None:
    admin_of = dict(Unit.objects.values_list("pk", "administration_id"))
    rows = Rows.read()
    for period in PERIODS:
        for by in ("unit", "month"):
            got = nonzero(figures_grouped(mini.analyst, period, by=by))  # type: ignore[arg-type]
            assert got == nonzero(from_scratch(period, by, rows)), (period, by)
        # the administrations' working-day histograms (the overview's read) sum their units' as they are now
        expected: dict[int, Counter[int]] = defaultdict(Counter)
        for unit_id, f in from_scratch(period, "unit", rows).items():
            expected[admin_of[unit_id]] += f.processing_days + f.reply_days
        by_admin = figures_grouped(mini.analyst, period, by="administration")
        got_days = {k: f.processing_days + f.reply_days for k, f in by_admin.items()}
        assert {k: v for k, v in got_days.items() if v} == {k: v for k, v in expected.items() if v}, period


def _assert_caught_up() -> None:
    assert not StaleMark.objects.exists()
    incremental = _tables()
    rollup_refresh()
    assert _tables() == incremental


def test_a_write_marks_what_it_made_stale_in_its_own_transaction(busy: Mini) -> None:
    # given filled rollups
    rollup_refresh()
    # when a complaint received in April and answered in June is registered, and a second one is rolled back
    complaint_register(
        actor=busy.sof_leader,
        unit=busy.sof_a,
        kind="formal",
        received_date=date(2024, 4, 2),
        answered_date=date(2024, 6, 10),
        points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
    )
    with transaction.atomic():
        complaint_register(
            actor=busy.sof_leader,
            unit=busy.sof_b,
            kind="formal",
            received_date=date(2024, 9, 2),
            points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
        )
        transaction.set_rollback(True)
    # then exactly the committed write's months and unit are marked, and reads count them from the raw rows
    marks = list(StaleMark.objects.values_list("kind", "months", "units"))
    assert marks == [(StaleKind.COMPLAINTS, ["2024-04-01", "2024-06-01"], [busy.sof_a.pk])]
    assert staleness().covers(date(2024, 6, 1)) and not staleness().covers(date(2024, 9, 1))
    _assert_reads_exact(busy)


def test_small_changes_are_caught_up_right_after_the_commit(
    busy: Mini, django_capture_on_commit_callbacks: Any
) -> None:
    # given filled rollups
    rollup_refresh()
    # when a case is created (two months) and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        case_create(
            actor=UserFactory(role=Role.SYSTEM_ADMIN),
            source_system="MANUEL",
            external_id="M-1",
            unit=busy.sof_b,
            case_type=busy.ct_weeks,
            received_date=date(2024, 9, 2),
            decided_date=date(2024, 10, 1),
        )
    # then the rollups were refreshed in place: no mark is left, nothing was sent to the worker
    assert not DBTaskResult.objects.exists()
    _assert_reads_exact(busy)
    _assert_caught_up()


def test_a_calendar_change_goes_to_the_worker_and_reads_stay_exact_meanwhile(
    busy: Mini, django_capture_on_commit_callbacks: Any
) -> None:
    # given a complaint received before 5 June and answered after it, and filled rollups
    complaint = Complaint.objects.filter(answered_date__isnull=False).first()
    assert complaint is not None
    received, answered = date(2024, 6, 3), date(2024, 6, 7)
    Complaint.objects.filter(pk=complaint.pk).update(
        received_date=received,
        answered_date=answered,
        reply_days=elapsed_working_days(received, answered, working_day_rules()),
    )
    rollup_refresh()
    settings_row = MunicipalitySettings.objects.get()
    assert settings_row.closed_june_5
    # when the municipality stops closing on Grundlovsdag (as the admin does: save, then announce)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            settings_row.closed_june_5 = False
            settings_row.save()
            working_day_rules_changed.send(sender=MunicipalitySettings, actor=SYSTEM)
    # then the complaints recomputed their reply times: 5 June now counts
    complaint.refresh_from_db()
    assert complaint.reply_days == elapsed_working_days(received, answered, working_day_rules())
    assert complaint.reply_days == 1 + elapsed_working_days(
        received, answered, working_day_rules(MunicipalitySettings(closed_june_5=True))
    )
    # and everything is marked stale and handed to the worker, while every read counts the raw rows
    assert staleness().every_month
    assert DBTaskResult.objects.filter(task_path__endswith="rollups_catch_up_task").count() == 1
    _assert_reads_exact(busy)
    # when the worker catches up
    rollups_catch_up()
    # then the rollups equal a refresh from scratch
    _assert_reads_exact(busy)
    _assert_caught_up()


def test_a_moved_unit_is_read_from_the_units_until_the_administrations_are_summed_again(busy: Mini) -> None:
    # given filled rollups
    rollup_refresh()
    period = Period.year(2024)
    moved = sum(
        figures_grouped(busy.analyst, period, by="all", units=[busy.buf_unit.pk])[
            None
        ].processing_days.values()
    )
    sof_before = sum(
        figures_grouped(busy.analyst, period, by="administration")[busy.sof.pk].processing_days.values()
    )
    # when BUF's unit moves to SOF and the move is marked, before any catch-up
    type(busy.buf_unit).objects.filter(pk=busy.buf_unit.pk).update(administration=busy.sof)
    mark_stale(StaleKind.ORGANISATION, units=[busy.buf_unit.pk])
    # then SOF's times already include the unit (read from the units' histograms)
    after = figures_grouped(busy.analyst, period, by="administration")
    assert sum(after[busy.sof.pk].processing_days.values()) == sof_before + moved
    # and after the catch-up the administrations' own histograms say the same
    rollups_catch_up()
    assert not staleness().organisation_changed
    again = figures_grouped(busy.analyst, period, by="administration")
    assert again[busy.sof.pk].processing_days == after[busy.sof.pk].processing_days
    _assert_caught_up()


# --- any sequence of writes ---------------------------------------------------------------------------

DAY = st.integers(min_value=0, max_value=2 * 365 - 1).map(lambda n: date(2023, 7, 1) + timedelta(days=n))
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("case"), st.integers(0, 3), DAY, st.one_of(st.none(), st.integers(0, 60))),
        st.tuples(st.just("complaint"), st.integers(0, 3), DAY, st.one_of(st.none(), st.integers(0, 40))),
        # Loads are drawn twice as often: they move rows between units and months (before-images).
        st.tuples(st.just("load"), st.integers(0, 3), DAY, st.one_of(st.none(), st.integers(0, 60))),
        st.tuples(st.just("load"), st.integers(0, 3), DAY, st.one_of(st.none(), st.integers(0, 60))),
        st.tuples(st.just("rollback")),
        st.tuples(st.just("deadline"), st.integers(5, 30)),
        st.tuples(st.just("calendar")),
        st.tuples(st.just("move"), st.integers(0, 3)),
        st.tuples(st.just("catch_up")),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_reads_exact_and_the_catch_up_equal_to_a_refresh(
    busy: Mini, tmp_path: Path, operations: list[tuple[Any, ...]]
) -> None:
    # Each example runs in a savepoint that is rolled back, so every sequence starts from the same data.
    with transaction.atomic():
        # given two cases from a first KMD load, and filled rollups
        kmd = kmd_source()
        first = tmp_path / "first.csv"
        first.write_bytes(
            csv_lines("K-1;4711;HJ;05-02-2024;;;;", "K-2;4712;HJ;10-03-2024;;;;").encode("cp1252")
        )
        prepare_and_commit(kmd, first)
        rollup_refresh()
        units = [busy.sof_a, busy.sof_b, busy.buf_unit, busy.bif_unit]
        admin = UserFactory(role=Role.SYSTEM_ADMIN)
        theme = ComplaintTheme.objects.get(code="T01")
        for i, (op, *args) in enumerate(operations):
            # when the write happens (no catch-up unless the sequence asks for one)
            if op == "case":
                unit, received, days = units[args[0]], args[1], args[2]
                case_create(
                    actor=admin,
                    source_system="HYP",
                    external_id=f"H-{i}",
                    unit=unit,
                    case_type=busy.ct_wd,
                    received_date=received,
                    decided_date=None if days is None else received + timedelta(days=days),
                )
            elif op == "complaint":
                unit, received, days = units[args[0]], args[1], args[2]
                complaint_register(
                    actor=admin,
                    unit=unit,
                    kind="formal",
                    received_date=received,
                    answered_date=None if days is None else received + timedelta(days=days),
                    points=[PointInput(theme=theme, outcome="upheld")],
                )
            elif op == "load":
                # A KMD file that moves case K-1 or K-2 between SOF's units (4711, 4712) and dates it anew.
                key, code = f"K-{1 + args[0] // 2}", ("4711", "4712")[args[0] % 2]
                received, days = args[1], args[2]
                decided = "" if days is None else f"{received + timedelta(days=days):%d-%m-%Y}"
                path = tmp_path / f"load-{i}-{received:%Y%m%d}-{days}.csv"
                # (the caseworker column makes every file's content, and so its fingerprint, new)
                row = f"{key};{code};HJ;{received:%d-%m-%Y};{decided};;;W{i}"
                path.write_bytes(csv_lines(row).encode("cp1252"))
                prepare_and_commit(kmd, path)
            elif op == "rollback":
                latest = Load.objects.filter(status=LoadStatus.COMMITTED).order_by("-committed_at").first()
                if latest is not None:
                    load_rollback(actor=SYSTEM, load=latest)
            elif op == "deadline":
                GuidelineDeadline.objects.filter(case_type=busy.ct_wd).update(value=args[0])
                case_recompute_due_dates(actor=admin, case_type=busy.ct_wd)
            elif op == "calendar":
                row = MunicipalitySettings.objects.get()
                row.closed_june_5 = not row.closed_june_5
                row.save()
                working_day_rules_changed.send(sender=MunicipalitySettings, actor=admin)
            elif op == "move":
                unit = units[args[0]]
                target = busy.buf if unit.administration_id != busy.buf.pk else busy.sof
                type(unit).objects.filter(pk=unit.pk).update(administration=target, parent=None)
                unit.refresh_from_db()
                mark_stale(StaleKind.ORGANISATION, units=[unit.pk])
            else:
                rollups_catch_up()
            # then every read equals a count from scratch, caught up or not
            _assert_reads_exact(busy)
        # and a final catch-up leaves the rollups as a refresh from scratch would
        rollups_catch_up()
        _assert_caught_up()
        transaction.set_rollback(True)


def test_the_rollups_command_catches_up_with_pending_marks(busy: Mini) -> None:
    from io import StringIO

    from django.core.management import call_command

    # given filled rollups and a large change the worker has not taken yet
    rollup_refresh()
    mark_stale(StaleKind.CASES, months=[date(2024, m, 1) for m in range(1, 13)], units=[busy.sof_a.pk])
    mark_stale(StaleKind.COMPLAINTS, months=[date(2024, 3, 1)])
    # when an operator catches up by hand
    out = StringIO()
    call_command("rollups", "--pending", stdout=out)
    # then the marks are gone and the rollups equal a refresh from scratch
    assert out.getvalue().startswith("2 markeringer indhentet")
    _assert_caught_up()


def test_after_the_first_catch_up_of_a_commit_the_other_announcements_read_one_row(
    busy: Mini, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    # given filled rollups, and a transaction that marks three changes (each announces itself)
    rollup_refresh()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        mark_stale(StaleKind.CASES, months=[date(2024, 2, 1)], units=[busy.sof_a.pk])
        mark_stale(StaleKind.COMPLAINTS, months=[date(2024, 3, 1)], units=[busy.sof_b.pk])
        mark_stale(StaleKind.APPEALS, months=[date(2024, 3, 1)], units=[busy.bif_unit.pk])
    announcements = [c for c in callbacks if c.__name__ == "_announce"]
    assert len(announcements) == 3
    # (each mark also moves the data's version on, a statement of its own after the commit)
    assert [c.__name__ for c in callbacks].count("_move_version_on") == 3
    # when the commit's callbacks run: the first announcement catches up with all three marks
    announcements[0]()
    assert not StaleMark.objects.exists()
    # then the others only look for pending marks, and find none
    with django_assert_max_num_queries(2):
        announcements[1]()
        announcements[2]()
    _assert_caught_up()
