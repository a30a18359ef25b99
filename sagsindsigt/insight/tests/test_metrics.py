"""Every metric of the registry against values computed by hand on the `mini` municipality."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.tests.factories import ComplaintFactory, ComplaintPointFactory
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context, histogram_quantile, rewards_not_recording
from sagsindsigt.insight.rollups.refresh import rollup_refresh
from sagsindsigt.insight.rollups.selectors import Slice, metric_value

Y2024 = Period.year(2024)


def value(mini: Mini, code: str, scope: Slice, period: Period = Y2024, **kw: int) -> float | None:
    return metric_value(mini.analyst, code, period, scope, **kw)


@pytest.fixture(params=["raw", "rollups"])
def source(request: pytest.FixtureRequest, mini: Mini) -> Mini:
    """Each test runs once on the raw tables and once on filled rollups: both must give the same."""
    if request.param == "rollups":
        rollup_refresh()
    return mini


def test_every_metric_is_fully_described() -> None:
    for code, m in METRICS.items():
        assert m.code == code and m.name and m.formula and m.unit and m.sources
        assert m.better in ("lower", "higher", "neither")
        assert (m.histogram is None) == (m.kind != "days")


def test_sof_2024_by_hand(source: Mini) -> None:
    sof = Slice(administration_id=source.sof.pk)
    # 4 complaints (3 formal, 1 substantive) and 5 points over 10 decided cases
    assert value(source, "complaints_per_1000", sof) == pytest.approx(400.0)
    assert value(source, "formal_per_1000", sof) == pytest.approx(300.0)
    assert value(source, "substantive_per_1000", sof) == pytest.approx(100.0)
    assert value(source, "points_per_1000", sof) == pytest.approx(500.0)
    assert value(source, "within_deadline_share", sof) == pytest.approx(80.0)
    assert value(source, "reversal_rate", sof) == pytest.approx(100 / 3)
    assert value(source, "decided", sof) == 10
    assert value(source, "appeals_decided", sof) == 4
    # Working days from receipt to decision of the ten cases decided in 2024 (SOF-A: 10, 11, 2, 22;
    # SOF-B: 6, 6, 7, 8, 8, 8). Sorted 2 6 6 7 8 | 8 8 10 11 22: median (8 + 8) / 2 = 8; the 90th
    # percentile lies 0.1 of the way from the 9th (11) to the 10th (22): 12.1.
    assert value(source, "processing_days_median", sof) == pytest.approx(8.0)
    assert value(source, "processing_days_p90", sof) == pytest.approx(12.1)


def test_theme_metric_counts_its_points(source: Mini) -> None:
    from sagsindsigt.complaints.models import ComplaintTheme

    t16 = ComplaintTheme.objects.get(code="T16")
    # SOF-B's substantive complaint has one T16 point: 1 per 10 decided SOF cases
    assert value(
        source, "theme_points_per_1000", Slice(administration_id=source.sof.pk), theme_id=t16.pk
    ) == (pytest.approx(100.0))


def test_a_case_received_on_a_public_holiday_counts_from_the_next_working_day(source: Mini) -> None:
    # Received Langfredag 29-03-2024, decided 15-04-2024: Påskedag and 2. påskedag are skipped, 10 days.
    assert source.holiday_case.processing_days == 10
    april = Period.month(2024, 4)
    sof_a = Slice(unit_id=source.sof_a.pk)
    # April's decisions on SOF-A: 15-04 (10 days) and 16-04 (11 days)
    assert value(source, "processing_days_median", sof_a, april) == pytest.approx(10.5)


def test_count_only_source_has_volumes_and_deadline_share_but_no_processing_time(source: Mini) -> None:
    bif = Slice(administration_id=source.bif.pk)
    assert value(source, "within_deadline_share", bif) == pytest.approx(100 * 300 / 380)
    assert value(source, "complaints_per_1000", bif) == pytest.approx(6.0)  # 6 complaints / 1,000 decided
    assert value(source, "processing_days_median", bif) is None  # no case rows: no data, not 0
    assert value(source, "reversal_rate", bif) == pytest.approx(100 * 24 / 129)


def test_no_cases_gives_no_data_not_zero(source: Mini) -> None:
    empty = Period.year(2019)
    for code in ("complaints_per_1000", "within_deadline_share", "reversal_rate", "processing_days_median"):
        assert value(source, code, Slice(), empty) is None, code
        assert METRICS[code].format(None) == "ingen data"
    # counts are counts: none is 0
    assert value(source, "complaints", Slice(), empty) == 0


def test_case_area_and_case_type_scopes(source: Mini) -> None:
    weeks = Slice(case_type_id=source.ct_weeks.pk)
    assert value(source, "decided", weeks) == 6
    assert value(source, "within_deadline_share", weeks) == pytest.approx(100.0)
    # complaints without a case type do not belong to any case type
    assert value(source, "complaints_per_1000", weeks) == pytest.approx(0.0)
    area = Slice(case_area_id=source.ct_wd.case_area_id)
    # SOF-A's four 2024 decisions and BUF's two share the area of HJ
    assert value(source, "decided", area) == 6


def test_unit_subtree_scope(source: Mini) -> None:
    centre = Slice(unit_id=source.sof_centre.pk)
    assert value(source, "decided", centre) == 10  # SOF-A 4 + SOF-B 6 below the centre
    assert value(source, "decided", Slice(unit_id=source.sof_b.pk)) == 6


def test_reply_time_and_rule(mini: Mini) -> None:
    # given two complaints received Friday 01-03-2024, answered after 10 and 11 working days, and one
    # via the ombudsman that led to a supervision case
    ComplaintFactory(unit=mini.buf_unit, received_date=date(2024, 3, 1), answered_date=date(2024, 3, 15))
    ComplaintFactory(unit=mini.buf_unit, received_date=date(2024, 3, 1), answered_date=date(2024, 3, 18))
    ComplaintPointFactory(
        complaint=ComplaintFactory(
            unit=mini.buf_unit,
            channel="ombudsman",
            supervision_case_opened=True,
            received_date=date(2024, 3, 4),
        ),
        outcome="upheld",
    )
    ComplaintFactory(unit=mini.buf_unit, channel="ombudsman", received_date=date(2024, 3, 4))
    buf = Slice(administration_id=mini.buf.pk)
    # then with the default rule of 10 working days one of two answers is in time
    assert value(mini, "reply_days_median", buf) == pytest.approx(10.5)
    assert value(mini, "reply_within_rule", buf) == pytest.approx(50.0)
    assert value(mini, "supervision_share", buf) == pytest.approx(50.0)
    assert value(mini, "points_upheld_share", buf) == pytest.approx(100.0)  # pending points do not count


@pytest.mark.parametrize(
    ("histogram", "q", "expected"),
    [
        (Counter(), 0.5, None),
        (Counter({7: 1}), 0.5, 7.0),
        (Counter({2: 1, 4: 1}), 0.5, 3.0),
        (Counter({1: 3, 9: 1}), 0.5, 1.0),
        (Counter({1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1}), 0.9, 9.1),
        (Counter({5: 0, 3: 2}), 0.5, 3.0),
    ],
)
def test_histogram_quantile(histogram: Counter[int], q: float, expected: float | None) -> None:
    got = histogram_quantile(histogram, q)
    assert got == (None if expected is None else pytest.approx(expected))


def test_counts_and_rates_for_suppression() -> None:
    m = METRICS["complaints_per_1000"]
    f = Figures(complaints=4, decided=200)
    assert m.counts(f) == (4, 200)
    assert m.value(f) == pytest.approx(20.0)
    assert m.format(m.value(f)) == "20,0"
    assert METRICS["within_deadline_share"].format(81.25) == "81,2 %"


def test_only_a_cap_on_a_complaint_count_rewards_not_recording() -> None:
    assert rewards_not_recording(METRICS["complaints"])
    assert not rewards_not_recording(METRICS["complaints_per_1000"])
    assert not rewards_not_recording(METRICS["decided"])


def test_reply_rule_comes_from_context() -> None:
    f = Figures(reply_days=Counter({8: 1, 12: 1, 14: 2}))
    m = METRICS["reply_within_rule"]
    assert m.value(f, Context(reply_rule_days=10)) == pytest.approx(25.0)
    assert m.value(f, Context(reply_rule_days=14)) == pytest.approx(100.0)


def test_open_cases_past_deadline_by_days_over(mini: Mini) -> None:
    from sagsindsigt.cases.models import Case
    from sagsindsigt.insight.dashboards.selectors import open_past_deadline

    # given SOF-A's open case received 03-06-2024 with 10 working days (grundlovsdag closed): due 18-06-2024
    open_case = Case.objects.get(status="open", unit=mini.sof_a)
    assert open_case.due_date == date(2024, 6, 18)
    sof = Slice(administration_id=mini.sof.pk)
    # then on the due date it is not late; 14 days after it is in the 11–30 bucket; a year after, over 90
    assert sum(n for _, n in open_past_deadline(mini.analyst, sof, date(2024, 6, 18))) == 0
    assert dict(open_past_deadline(mini.analyst, sof, date(2024, 6, 19)))["1–10 dage"] == 1
    assert dict(open_past_deadline(mini.analyst, sof, date(2024, 6, 28)))["1–10 dage"] == 1
    assert dict(open_past_deadline(mini.analyst, sof, date(2024, 6, 29)))["11–30 dage"] == 1
    assert dict(open_past_deadline(mini.analyst, sof, date(2025, 6, 18)))["Over 90 dage"] == 1
    # and another administration's leader does not see it
    assert sum(n for _, n in open_past_deadline(mini.buf_leader, Slice(), date(2025, 1, 1))) == 0
