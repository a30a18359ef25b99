"""Every commit and rollback of a load leaves the rollups as a refresh from scratch would."""

from __future__ import annotations

from datetime import date
from typing import Any

from sagsindsigt.cases.models import Case
from sagsindsigt.common.periods import Period
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
)
from sagsindsigt.insight.rollups.refresh import rollup_refresh
from sagsindsigt.insight.rollups.selectors import figures_grouped
from sagsindsigt.insight.tests.scratch import from_scratch
from sagsindsigt.intake.models import Source
from sagsindsigt.intake.services import load_rollback
from sagsindsigt.intake.tests.conftest import csv_lines, prepare_and_commit
from sagsindsigt.organisation.access import SYSTEM


def _table() -> set[tuple[Any, ...]]:
    return {
        *(("m", *r) for r in MonthRollup.objects.values_list("unit_id", "case_type_id", "month", "decided")),
        *(("d", *r) for r in DaysRollup.objects.values_list("measure", "unit_id", "month", "days", "n")),
        *(("t", *r) for r in ThemeRollup.objects.values_list("source", "unit_id", "month", "theme_id", "n")),
        *(
            ("a", *r)
            for r in AdministrationDaysRollup.objects.values_list(
                "measure", "administration_id", "month", "days", "n"
            )
        ),
    }


def test_intake_commit_and_rollback_refresh_the_months_they_touch(
    mini: Mini, kmd: Source, write: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given filled rollups and a first load
    first = prepare_and_commit(
        kmd, write("a.csv", csv_lines("K-1;4711;HJ;02-01-2024;;;;", "K-2;4711;HJ;03-01-2024;;;;"))
    )
    rollup_refresh()
    received_in_january = Case.objects.filter(
        unit=mini.sof_a, case_type=mini.ct_wd, received_date__year=2024, received_date__month=1
    ).count()
    # when a second load decides K-1 in March and K-2 in May 2025 (a month nobody had data in), and moves
    # K-2 from SOF-A (4711) to SOF-B (4712)
    # (the rollups catch up after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        second = prepare_and_commit(
            kmd,
            write(
                "b.csv",
                csv_lines("K-1;4711;HJ;02-01-2024;05-03-2024;;;", "K-2;4712;HJ;03-01-2024;06-05-2025;;;"),
            ),
        )
    assert (
        MonthRollup.objects.get(unit=mini.sof_b, case_type=mini.ct_wd, month=date(2024, 1, 1)).received == 1
    )
    # then the rollups equal a refresh from scratch, and May 2025 is now filled
    incremental = _table()
    rollup_refresh()
    assert _table() == incremental
    assert RollupFill.objects.filter(month=date(2025, 5, 1)).exists()
    # when the second load is rolled back, the decisions disappear from March again
    with django_capture_on_commit_callbacks(execute=True):
        load_rollback(actor=SYSTEM, load=second)
    after_rollback = _table()
    rollup_refresh()
    assert _table() == after_rollback
    march = figures_grouped(mini.analyst, Period.month(2024, 3), units=[mini.sof_a.pk], by="all")
    assert (
        march.get(None, Figures()).decided
        == from_scratch(Period.month(2024, 3), "unit")[mini.sof_a.pk].decided
    )
    assert first.status == "committed"
    # and SOF-A's January has its two received cases back
    january = MonthRollup.objects.get(unit=mini.sof_a, case_type=mini.ct_wd, month=date(2024, 1, 1))
    assert january.received == received_in_january
