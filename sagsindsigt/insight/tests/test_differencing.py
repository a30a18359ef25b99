"""Systematic differencing attempts (ADR 0015): everything a user can read for one period (every dashboard
page's table, funnel and control chart, its exports, and every REST read with every filter and grouping)
is collected as sums over the smallest pieces (unit × case type × month), and linear algebra tries to
solve them for each count hidden as small. None may be solvable; and no cell may be shown with two values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import CaseType
from sagsindsigt.cases.tests.factories import CaseAreaFactory, CaseFactory, CaseTypeFactory
from sagsindsigt.common.models import StaleKind
from sagsindsigt.common.periods import Period, months_between
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.common.tests.browser import log_in_as
from sagsindsigt.complaints.tests.factories import ComplaintFactory, ComplaintPointFactory
from sagsindsigt.insight.dashboards import pages
from sagsindsigt.insight.dashboards.grid import ROOT
from sagsindsigt.organisation.access import units_in_scope
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Role, ScopeKind, Unit, User
from sagsindsigt.organisation.tests.factories import AdministrationFactory, UnitFactory, UserFactory

YEAR = Period.year(2024)
MONTHS = list(months_between(YEAR.start, YEAR.end))
Leaf = tuple[int, int, date]


@dataclass
class Town:
    job: Administration
    soc: Administration
    centre: Unit
    amager: Unit
    norrebro: Unit
    vesterbro: Unit
    analyst: User
    centre_leader: User
    caseworker: User


@pytest.fixture
def town(db: None) -> Town:
    """Jobcenter København as in the issue: Amager 4 complaints, Nørrebro 15, Vesterbro 22 (41 in all),
    under a centre with a few cases of its own, beside another administration; two case areas."""
    MunicipalitySettings.objects.create(name="Testkommune")
    job = AdministrationFactory(code="BIF", name="Jobcenter København")
    soc = AdministrationFactory(code="SOF", name="Socialforvaltningen")
    centre = UnitFactory(administration=job, code="JC", name="Jobcentre")
    amager = UnitFactory(administration=job, parent=centre, code="JC-A", name="Amager")
    norrebro = UnitFactory(administration=job, parent=centre, code="JC-N", name="Nørrebro")
    vesterbro = UnitFactory(administration=job, parent=centre, code="JC-V", name="Vesterbro")
    social = UnitFactory(administration=soc, code="SO", name="Socialcenter")
    area_a, area_b = CaseAreaFactory(name="Ydelser"), CaseAreaFactory(name="Beskæftigelse")
    t1, t2 = CaseTypeFactory(case_area=area_a), CaseTypeFactory(case_area=area_a)
    t3 = CaseTypeFactory(case_area=area_b)
    plan = [
        (amager, [(t1, 3), (t3, 1)]),
        (norrebro, [(t1, 9), (t2, 2), (t3, 4)]),
        (vesterbro, [(t1, 12), (t2, 6), (t3, 4)]),
        (centre, [(t2, 6)]),
        (social, [(t1, 30), (t3, 8)]),
    ]
    for unit, per_type in plan:
        for case_type, n in per_type:
            for i in range(n):
                month = MONTHS[(i * 5 + unit.pk) % 12]
                ComplaintPointFactory(
                    complaint=ComplaintFactory(
                        unit=unit, case_type=case_type, received_date=month.replace(day=10)
                    )
                )
                CaseFactory(
                    unit=unit, case_type=case_type, received_date=month.replace(day=3), decided_date=None
                )
            for i in range(25):
                CaseFactory(
                    unit=unit,
                    case_type=case_type,
                    received_date=MONTHS[i % 12].replace(day=2),
                    decided_date=MONTHS[i % 12].replace(day=20),
                )
    return Town(
        job,
        soc,
        centre,
        amager,
        norrebro,
        vesterbro,
        UserFactory(username="analytiker", role=Role.CENTRAL_ANALYST),
        UserFactory(
            username="leder.jc",
            role=Role.UNIT_LEADER,
            scope_kind=ScopeKind.UNIT,
            scope_unit=centre,
        ),
        UserFactory(
            username="sagsbehandler",
            role=Role.CASEWORKER,
            scope_kind=ScopeKind.UNIT,
            scope_unit=centre,
        ),
    )


@dataclass
class Published:
    """What a user can read: each figure as the set of smallest pieces it sums, and its value or why not."""

    shown: dict[frozenset[Leaf], tuple[int, str]] = field(default_factory=dict)
    hidden: dict[frozenset[Leaf], tuple[str, str]] = field(default_factory=dict)
    clashes: list[str] = field(default_factory=list)

    def add(self, leaves: frozenset[Leaf], value: int | None, reason: str | None, where: str) -> None:
        if not leaves:
            return
        if value is not None:
            earlier = self.shown.setdefault(leaves, (value, where))
            if earlier[0] != value:
                self.clashes.append(f"{where}: {value}, but {earlier[1]}: {earlier[0]}")
        else:
            self.hidden.setdefault(leaves, (reason or "", where))


PRIME = 2**61 - 1  # exact enough: elimination over the integers modulo a large prime


class Space:
    """Which sums of the smallest pieces are known: Gaussian elimination of their indicator vectors."""

    def __init__(self, coordinates: Iterable[Leaf]) -> None:
        self.index = {leaf: i for i, leaf in enumerate(sorted(coordinates))}
        self.basis: dict[int, list[int]] = {}  # pivot -> row with 1 at the pivot, 0 at other pivots

    def _vector(self, leaves: frozenset[Leaf]) -> list[int]:
        v = [0] * len(self.index)
        for leaf in leaves:
            v[self.index[leaf]] = 1
        return v

    def _reduce(self, v: list[int]) -> list[int]:
        for pivot, row in self.basis.items():
            factor = v[pivot]
            if factor:
                v = [(a - factor * b) % PRIME for a, b in zip(v, row, strict=True)]
        return v

    def add(self, leaves: frozenset[Leaf]) -> None:
        v = self._reduce(self._vector(leaves))
        pivot = next((i for i, x in enumerate(v) if x), None)
        if pivot is None:
            return
        inverse = pow(v[pivot], PRIME - 2, PRIME)
        v = [(x * inverse) % PRIME for x in v]
        for other, row in self.basis.items():
            factor = row[pivot]
            if factor:
                self.basis[other] = [(a - factor * b) % PRIME for a, b in zip(row, v, strict=True)]
        self.basis[pivot] = v

    def solves(self, leaves: frozenset[Leaf]) -> bool:
        return not any(self._reduce(self._vector(leaves)))


def _all_leaves(units: list[int]) -> set[Leaf]:
    types = list(CaseType.objects.values_list("pk", flat=True))
    return {(u, t, m) for u in units for t in types for m in MONTHS}


def _leaves(user: Any, unit_node: Any, case_node: Any, months: Iterable[date] = MONTHS) -> frozenset[Leaf]:
    visible = {u.pk: u for u in units_in_scope(user)}
    if unit_node == ROOT:
        units = set(visible)
    elif unit_node[0] == "a":
        units = {pk for pk, u in visible.items() if u.administration_id == unit_node[1]}
    elif unit_node[0] == "o":
        units = {unit_node[1]}
    else:
        units, todo = set(), [unit_node[1]]
        while todo:
            pk = todo.pop()
            units.add(pk)
            todo += [c for c, u in visible.items() if u.parent_id == pk]
    types = CaseType.objects.all()
    if case_node != ROOT:
        kind, pk = case_node
        types = types.filter(case_area_id=pk) if kind == "area" else types.filter(pk=pk)
    wanted = set(months)
    return frozenset(
        (u, t, m) for u in units for t in types.values_list("pk", flat=True) for m in MONTHS if m in wanted
    )


COUNTS = ("received", "decided", "complaints")


def _from_pages(user: Any, found: dict[str, Published]) -> None:
    reads: list[pages.Page] = [pages.overview_page(user, YEAR, metric_code="complaints_per_1000")]
    for admin in {u.administration_id for u in units_in_scope(user)}:
        if user.scope_kind != ScopeKind.UNIT:
            reads.append(pages.administration_page(user, admin, YEAR, metric_code="complaints_per_1000"))
    for unit in units_in_scope(user):
        reads.append(pages.unit_page(user, unit.pk, YEAR, metric_code="complaints_per_1000"))
    for area in {t.case_area_id for t in CaseType.objects.all()}:
        reads.append(pages.case_area_page(user, area, YEAR, metric_code="complaints_per_1000"))
    for page in reads:
        shown, total = page.shown
        cells = [r.cell for r in page.rows] + [page.total_cell]
        for row, cell in zip([*shown, total], cells, strict=True):
            for count in COUNTS:
                s = row.counts[count]
                found[count].add(_leaves(user, *cell), s.value, s.reason, f"{page.heading}/{row.label}")
        # the funnel's points (complaints over decided cases) and the chart's months of complaints
        funnel = page.analysis.funnel
        by_label = {r.label: r.cell for r in page.rows}
        for frow in funnel.rows if funnel is not None else ():
            cell = by_label.get(frow.label)
            if cell is not None:
                found["complaints"].add(
                    _leaves(user, *cell), frow.events.value, frow.events.reason, f"tragt {frow.label}"
                )
        for crow in page.analysis.control.rows:
            leaves = _leaves(user, *page.total_cell, months=[crow.month])
            found["complaints"].add(leaves, crow.events.value, crow.events.reason, f"kontrol {crow.label}")


def _from_api(client: Client, user: Any, found: dict[str, Published]) -> None:
    client.force_login(user)
    units = list(units_in_scope(user))
    filters: list[dict[str, Any]] = [{}]
    filters += [{"enhed": u.pk} for u in units]
    if user.scope_kind != ScopeKind.UNIT:
        filters += [{"forvaltning": a} for a in {u.administration_id for u in units}]
    filters += [{"sagsomraade": a} for a in {t.case_area_id for t in CaseType.objects.all()}]
    filters += [{"sagstype": t.pk} for t in CaseType.objects.all()]
    filters += [{"enhed": u.pk, "sagstype": t.pk} for u in units for t in CaseType.objects.all()]
    reads = [("complaints", g) for g in ("ingen", "enhed", "forvaltning", "maaned")]
    reads += [("decided", "ingen"), ("decided", "enhed"), ("complaints_per_1000", "ingen")]
    for code, grouping in reads:
        count = "decided" if code == "decided" else "complaints"
        for given in filters:
            if True:
                query = {"fra": "2024-01-01", "til": "2024-12-31", "opdeling": grouping, **given}
                body = client.get(f"/api/v1/noegletal/{code}", query).json()
                unit_node: Any = ROOT
                if "enhed" in given:
                    unit_node = ("u", given["enhed"])
                elif "forvaltning" in given:
                    unit_node = ("a", given["forvaltning"])
                case_node: Any = ROOT
                if "sagstype" in given:
                    case_node = ("type", given["sagstype"])
                elif "sagsomraade" in given:
                    case_node = ("area", given["sagsomraade"])
                slice_leaves = _leaves(user, unit_node, case_node)
                where = f"API {code} {query}"
                total = body["total"]
                found[count].add(slice_leaves, total["events"], total["suppression"], where)
                for row in body["rows"]:
                    if grouping == "enhed":
                        part = _leaves(user, ("o", int(row["key"])), ROOT)
                    elif grouping == "forvaltning":
                        part = _leaves(user, ("a", int(row["key"])), ROOT)
                    elif grouping == "maaned":
                        part = _leaves(user, ROOT, ROOT, months=[date.fromisoformat(row["key"])])
                    else:
                        part = slice_leaves
                    found[count].add(slice_leaves & part, row["events"], row["suppression"], where)


def _audit(user: Any, found: dict[str, Published]) -> list[str]:
    problems = []
    units = list(units_in_scope(user).values_list("pk", flat=True))
    for count, published in found.items():
        problems += [f"{count}: {c}" for c in published.clashes]
        space = Space(_all_leaves(units))
        for leaves in published.shown:
            space.add(leaves)
        for leaves, (reason, where) in published.hidden.items():
            if reason == "small" and space.solves(leaves):
                problems.append(f"{count}: the small count hidden in {where} can be worked out")
    return problems


@pytest.mark.parametrize("who", ["analyst", "centre_leader", "caseworker"])
def test_no_small_count_can_be_worked_out_from_everything_a_user_can_read(
    town: Town, client: Client, who: str
) -> None:
    user = getattr(town, who)
    found = {c: Published() for c in COUNTS}
    _from_pages(user, found)
    _from_api(client, user, found)
    # the attempt was real: many figures were read, and some small ones were hidden
    assert len(found["complaints"].shown) > 20 and any(
        r == "small" for r, _ in found["complaints"].hidden.values()
    )
    assert _audit(user, found) == []


def test_the_issue_s_attack_no_longer_works(town: Town, client: Client) -> None:
    """Nørrebro was shown as "<5" on the centre's page while the API gave 15: 41 − 15 − 22 = Amager's 4."""
    client.force_login(town.analyst)
    page = pages.unit_page(town.analyst, town.centre.pk, YEAR)
    rows, total = page.shown
    shown = {r.label: r.counts["complaints"] for r in rows}
    assert str(shown["Amager"]) == "<5"
    hidden_too = [label for label, s in shown.items() if s.secondary]
    assert hidden_too, "a second unit must be hidden beside Amager"
    # the hidden one is marked as hidden to protect another, not as small, and its points are hidden too
    points = {r.label: r.counts["complaint_points"] for r in rows}
    assert all(str(shown[label]) == "•" and points[label].suppressed for label in hidden_too)
    # and the API hides the same unit, asked for alone, with the same reason
    label = hidden_too[0]
    kind, pk = next(r.cell[0] for r in page.rows if r.label == label)
    query = {"fra": "2024-01-01", "til": "2024-12-31", "enhed": pk if kind == "u" else town.centre.pk}
    if kind == "u":
        api = client.get("/api/v1/noegletal/complaints", query).json()["total"]
    else:  # the cases on the centre itself: a row of the centre grouped by unit
        body = client.get("/api/v1/noegletal/complaints", {**query, "opdeling": "enhed"}).json()
        api = next(r for r in body["rows"] if r["key"] == str(pk))
    assert api["events"] is None and api["suppression"] == "secondary"
    # and so does the page's CSV export
    response = client.get(
        reverse("unit", args=[town.centre.pk]),
        {"fra": "2024-01-01", "til": "2024-12-31", "tabel": "tal", "format": "csv"},
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in table if r and r[0] == "Enhed")
    row = next(r for r in table if r and r[0] == label)
    assert row[header.index("Klager")] == "•" and row[header.index("Klagepunkter")] == "•"


def test_day_precise_periods_never_leave_the_users_view(town: Town, client: Client) -> None:
    """34 complaints up to 25 November and 33 up to 24 November would give one day's complaint away."""
    client.force_login(town.analyst)
    api = client.get("/api/v1/noegletal/complaints", {"fra": "2024-01-01", "til": "2024-11-25"})
    assert api.status_code == 422 and "hele måneder" in api.json()["detail"]
    export = client.get(
        reverse("overview"), {"fra": "2024-01-01", "til": "2024-11-25", "tabel": "tal", "format": "csv"}
    )
    assert export.status_code == 400 and "hele måneder" in export.content.decode()
    # the page itself may show the days to a role that may read the cases anyway
    page = client.get(reverse("overview"), {"fra": "2024-01-01", "til": "2024-11-25"})
    assert page.status_code == 200 and page.context["period"] == Period(date(2024, 1, 1), date(2024, 11, 25))
    # but a caseworker, who may not, gets whole months and is told why
    client.force_login(town.caseworker)
    page = client.get(reverse("overview"), {"fra": "2024-01-01", "til": "2024-11-25"})
    assert page.context["period"] == Period(date(2024, 1, 1), date(2024, 11, 30))
    assert "hele måneder" in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_unit_page_marks_a_secondary_suppression_and_the_api_agrees(
    town: Town, live_server: Any, page: Any
) -> None:
    # given the analyst, logged in
    log_in_as(page, live_server.url, town.analyst, "analytiker-kodeord")
    # when they open the centre's page for 2024
    page.goto(f"{live_server.url}{reverse('unit', args=[town.centre.pk])}?fra=2024-01-01&til=2024-12-31")
    table = page.locator("table.figures")
    # then Amager's complaints are "<5", and the unit hidden to protect them has its own symbol
    amager = table.get_by_role("row").filter(has_text="Amager")
    assert amager.locator('[data-col="complaints"]').inner_text() == "<5"
    cover = table.locator('tbody [data-col="complaints"] abbr.hidden-secondary')
    assert cover.count() == 1 and cover.inner_text() == "•"
    assert "ville afsløre et lille tal" in (cover.get_attribute("title") or "")
    row = table.locator("tbody tr").filter(has=page.locator('[data-col="complaints"] abbr.hidden-secondary'))
    label = row.locator("th").inner_text()
    # and the points beside it are hidden too
    assert row.locator('[data-col="complaint_points"]').inner_text() in ("•", "<5")
    # and the legend under the table explains both symbols in words
    legend = page.locator("dl.suppression-legend").first
    assert legend.is_visible() and "Færre end 5" in legend.inner_text() and "•" in legend.inner_text()
    # and the REST API, asked by the same user for that unit alone, hides it just the same
    unit = Unit.objects.get(name=label)
    answer = page.request.get(
        f"{live_server.url}/api/v1/noegletal/complaints?fra=2024-01-01&til=2024-12-31&enhed={unit.pk}"
    ).json()
    assert answer["total"]["events"] is None and answer["total"]["suppression"] == "secondary"


def test_a_kept_decision_is_used_until_a_write_moves_the_data_on(
    town: Town, settings: Any, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from sagsindsigt.complaints.models import ComplaintTheme
    from sagsindsigt.complaints.services import PointInput, complaint_register

    settings.SUPPRESSION_KEEP_DECISIONS = True
    with django_capture_on_commit_callbacks(execute=True):  # as if committed
        mark_stale(StaleKind.COMPLAINTS, months=[date(2024, 1, 1)])  # the town came from factories

    def read() -> dict[str, str]:
        page = pages.unit_page(User.objects.get(pk=town.analyst.pk), town.centre.pk, YEAR)
        return {r.label: str(r.counts["complaints"]) for r in page.shown[0]}

    with django_assert_max_num_queries(1000) as cold:
        before = read()
    assert before["Amager"] == "<5"
    # a second read of the same data takes the kept decisions, and reads fewer figures for them
    with django_assert_max_num_queries(1000) as kept:
        assert read() == before
    assert len(kept) < len(cold)
    # when Amager's fifth complaint is registered (a write through the service, which marks it stale)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_register(
            actor=town.analyst,
            unit=town.amager,
            kind="formal",
            received_date=date(2024, 6, 12),
            points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
        )
    # then the next read decides afresh and shows it
    assert read()["Amager"] == "5"
