"""The overview's figures against values computed by hand on the `mini` municipality (see conftest)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.common.periods import Period
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.dashboards.selectors import drilldown, overview_by_administration
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS

Y2024 = Period.year(2024)


def _by_code(rows: list, mini: Mini) -> dict[str, Figures]:
    return {r.label.split(" – ")[0]: r.figures for r in rows}


def test_overview_figures_by_hand(mini: Mini) -> None:
    # when
    rows, total = overview_by_administration(mini.analyst, Y2024)
    got = _by_code(rows, mini)
    # then: SOF — received 11 (5 + 6), decided 10; within: holiday case on its due date, 05-2024 case,
    # and six 4-week cases = 8 of 10.
    sof = got["SOF"]
    assert (sof.received, sof.decided, sof.decided_deadline_known, sof.decided_within_deadline) == (
        11,
        10,
        10,
        8,
    )
    assert (sof.complaints, sof.complaints_formal, sof.complaints_substantive, sof.complaint_points) == (
        4,
        3,
        1,
        5,
    )
    assert METRICS["formal_per_1000"].value(sof) == pytest.approx(300.0)
    assert METRICS["substantive_per_1000"].value(sof) == pytest.approx(100.0)
    assert METRICS["within_deadline_share"].fraction(sof) == pytest.approx(0.8)
    assert (sof.appeals_decided, sof.appeals_on_merits, sof.appeals_reversed) == (4, 3, 1)
    assert METRICS["reversal_rate"].fraction(sof) == pytest.approx(1 / 3)
    # BUF: no appeals gives "no data", not 0 %.
    buf = got["BUF"]
    assert (buf.received, buf.decided, buf.decided_within_deadline) == (2, 2, 1)
    assert METRICS["reversal_rate"].fraction(buf) is None
    # BIF: counts only; February has no within-deadline figure, so only January's 380 are known.
    bif = got["BIF"]
    assert (bif.received, bif.decided, bif.decided_deadline_known, bif.decided_within_deadline) == (
        1000,
        1000,
        380,
        300,
    )
    assert METRICS["within_deadline_share"].fraction(bif) == pytest.approx(300 / 380)
    assert METRICS["formal_per_1000"].value(bif) == pytest.approx(6.0)
    # Ankestyrelsen's example: (19 hjemvist + 5 ændret) / 129 realitetsbehandlede; 7 afviste excluded.
    assert (bif.appeals_decided, bif.appeals_on_merits, bif.appeals_reversed) == (136, 129, 24)
    assert METRICS["reversal_rate"].fraction(bif) == 24 / 129
    assert round(100 * METRICS["reversal_rate"].fraction(bif)) == 19
    # Totals add up.
    assert (total.received, total.decided, total.complaints, total.complaint_points) == (1013, 1012, 11, 12)
    assert (total.appeals_on_merits, total.appeals_reversed) == (132, 25)


def test_case_received_on_public_holiday_has_due_date_after_easter(mini: Mini) -> None:
    # Langfredag 29-03-2024: days 1..10 are 02-04 .. 15-04-2024 (Påskedag and 2. påskedag skipped).
    assert mini.holiday_case.due_date == date(2024, 4, 15)
    assert mini.holiday_case.within_deadline is True


def test_drilldown_rolls_subtrees_up(mini: Mini) -> None:
    rows, total, own = drilldown(mini.analyst, Y2024, administration=mini.sof)
    assert [r.label for r in rows] == ["Center for Handicap"]
    assert rows[0].figures.received == 11
    assert own is None
    rows, total, own = drilldown(mini.analyst, Y2024, unit=mini.sof_centre)
    assert {r.label: r.figures.received for r in rows} == {"Botilbud": 6, "Hjælpemidler": 5}
    assert total.received == 11
    assert own is not None and own.received == 0


def test_overview_page_shows_every_figure_with_suppression(mini: Mini, client: Client) -> None:
    # given
    client.force_login(mini.analyst)
    # when
    response = client.get(reverse("overview"), {"fra": "2024-01-01", "til": "2024-12-31"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Modtagne sager",
        "Afgjorte sager",
        "Klager",
        "Klagepunkter",
        "Formalitetsklager pr. 1.000",
        "Realitetsklager pr. 1.000",
        "Afgjort inden for vejledende frist",
        "Ankesager afgjort",
        "Omgørelsesprocent",
    ):
        assert heading in html
    assert "1.013" in html  # total received, Danish thousands separator
    assert "18,9 %" in html  # the total reversal rate, 25/132
    # BIF's own (24/129) is hidden: with the total it would give SOF's single reversal back
    assert "18,6 %" not in html and 'class="hidden-secondary"' in html
    assert "&lt;5" in html  # BUF's single complaint is shown as <5
    assert "ingen data" in html  # BUF has no appeals


def test_period_outside_data_gives_no_data(mini: Mini) -> None:
    rows, total = overview_by_administration(mini.analyst, Period(date(2030, 1, 1), date(2030, 12, 31)))
    assert total.decided == 0
    assert METRICS["within_deadline_share"].fraction(total) is None
    assert METRICS["reversal_rate"].fraction(total) is None


def test_rates_cannot_give_back_a_count_hidden_by_secondary_suppression() -> None:
    from sagsindsigt.insight.dashboards.grid import PERIOD, Grid
    from sagsindsigt.insight.dashboards.presentation import present

    # given A with 3 complaints (small) and B with 12: B's count is hidden so the total cannot reveal A's
    a = Figures(decided=500, complaints=3, complaints_formal=3, complaint_points=3)
    b = Figures(
        decided=500, complaints=12, complaints_formal=6, complaints_substantive=6, complaint_points=24
    )
    c = Figures(
        decided=800, complaints=50, complaints_formal=30, complaints_substantive=20, complaint_points=70
    )
    grid = Grid.of(
        {("A", "t", PERIOD): a, ("B", "t", PERIOD): b, ("C", "t", PERIOD): c},
        {"*": ["A", "B", "C"]},
        {"*": ["t"]},
        5,
    )
    rows, _total = present(
        [(k, "", None, f, (k, "*")) for k, f in (("A", a), ("B", b), ("C", c))],
        (Figures.total([a, b, c]), ("*", "*")),
        grid,
    )
    # then B's formal and substantive rates are hidden too (12,0 + 12,0 per 1,000 of 500 = 12)
    shown = {r.label: r for r in rows}
    assert shown["B"].counts["complaints"].secondary and str(shown["B"].counts["complaints"]) == "•"
    # and so are B's complaint points beside them (they would tell roughly how many there are)
    assert shown["B"].counts["complaint_points"].suppressed
    assert (
        str(shown["B"].rates["formal_per_1000"]) == "skjult"
        and str(shown["B"].rates["substantive_per_1000"]) == "skjult"
    )
    assert str(shown["C"].rates["formal_per_1000"]) == "37,5"
