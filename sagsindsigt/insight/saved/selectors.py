"""Reads of saved views: the user's own only, resolved through their current scope, and their key figures
read by the same page selectors the dashboards use (so scope and suppression are the pages' own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from sagsindsigt.cases.models import CaseArea
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.dashboards import pages
from sagsindsigt.insight.dashboards.selectors import metric_table
from sagsindsigt.insight.rollups.selectors import Slice
from sagsindsigt.insight.saved.models import SavedPage, SavedView
from sagsindsigt.insight.saved.periods import PERIOD_KINDS, resolve
from sagsindsigt.organisation.access import Perm, administrations_in_scope, require, units_in_scope

# What each page is called in a message when the view's object is gone or out of sight.
_WHAT = {
    SavedPage.ADMINISTRATION: "Forvaltningen",
    SavedPage.UNIT: "Enheden",
    SavedPage.CASE_AREA: "Sagsområdet",
    SavedPage.THEME: "Klagetemaet",
}


def saved_views(user: Any) -> QuerySet[SavedView]:
    """The user's own saved views, by name."""
    require(user, Perm.VIEW_AGGREGATES)
    return SavedView.objects.filter(owner_id=user.pk).order_by("name", "pk")


def saved_view_get(user: Any, pk: int) -> SavedView:
    """SavedView.DoesNotExist for another user's view: it does not exist for them."""
    return saved_views(user).get(pk=pk)


def object_visible(user: Any, page: str, object_id: int | None) -> bool:
    """Whether the user may open the page about this object now: the same querysets the page selectors
    answer 404 from (dashboards/pages.py). Case areas and themes are the whole municipality's."""
    if page == SavedPage.OVERVIEW:
        return object_id is None
    if object_id is None:
        return False
    found: QuerySet[Any] = {
        SavedPage.ADMINISTRATION: administrations_in_scope(user),
        SavedPage.UNIT: units_in_scope(user),
        SavedPage.CASE_AREA: CaseArea.objects.all(),
        SavedPage.THEME: ComplaintTheme.objects.all(),
    }[SavedPage(page)]
    return found.filter(pk=object_id).exists()


@dataclass(frozen=True)
class Resolved:
    """A saved view as it reads today: the period it means, and the page with its filters, or, when its
    administration or unit is no longer in the user's scope, why it cannot be shown."""

    view: SavedView
    period: Period
    url: str | None
    problem: str | None

    @property
    def period_words(self) -> str:
        return f"{PERIOD_KINDS[self.view.period_kind]} ({self.period.label()})"


def page_url(page: str, object_id: int | None, period: Period, metric: str) -> str:
    """The dashboard page with the filters in its query, as its own period picker writes them."""
    path = reverse(page) if object_id is None else reverse(page, kwargs={"pk": object_id})
    query = {"fra": period.start.isoformat(), "til": period.end.isoformat()}
    if metric:
        query["maal"] = metric
    return f"{path}?{urlencode(query)}"


def saved_view_resolve(user: Any, view: SavedView, today: date) -> Resolved:
    """The view through the user's scope as it is now; never figures, only where they are."""
    require(user, Perm.VIEW_AGGREGATES)
    period = resolve(view.period_kind, today, view.period_start, view.period_end)
    if not object_visible(user, view.page, view.object_id):
        what = _WHAT.get(SavedPage(view.page), "Siden")
        problem = (
            f"{what} i visningen «{view.name}» ligger ikke længere i dit adgangsområde (eller findes ikke "
            "mere), så visningen kan ikke vises. Du kan slette den."
        )
        return Resolved(view, period, None, problem)
    return Resolved(view, period, page_url(view.page, view.object_id, period, view.metric), None)


_READERS: dict[str, Callable[..., pages.Page]] = {
    SavedPage.OVERVIEW: pages.overview_page,
    SavedPage.ADMINISTRATION: pages.administration_page,
    SavedPage.UNIT: pages.unit_page,
    SavedPage.CASE_AREA: pages.case_area_page,
    SavedPage.THEME: pages.theme_page,
}


@dataclass(frozen=True)
class KeyFigures:
    """A view's key figures for a period, as the page shows them ("<5" and "–" included)."""

    heading: str
    period: Period
    figures: list[tuple[str, str]]


def key_figures(user: Any, view: SavedView, period: Period) -> KeyFigures:
    """The totals of the view's page for the period and its chosen metric, read by the page's own
    selector and the metric selector of the REST API: the figures are suppressed exactly as there. The
    caller has resolved the view (an object outside the scope answers 404 here, as on the page)."""
    object_id = view.object_id
    args = () if object_id is None else (object_id,)
    page = _READERS[view.page](user, *args, period, metric_code=view.metric or None)
    _rows, total = page.shown
    over = {
        SavedPage.ADMINISTRATION: Slice(administration_id=object_id),
        SavedPage.UNIT: Slice(unit_id=object_id),
        SavedPage.CASE_AREA: Slice(case_area_id=object_id),
    }.get(SavedPage(view.page), Slice())
    theme_id = object_id if view.page == SavedPage.THEME else None
    figures = [
        ("Modtagne sager", str(total.counts["received"])),
        ("Afgjorte sager", str(total.counts["decided"])),
        ("Afgjort inden for vejledende frist", str(total.rates["share_within_deadline"])),
        ("Klager", str(total.counts["complaints"])),
        ("Omgørelsesprocent", str(total.rates["reversal_rate"])),
    ]
    if page.metric.code not in _IN_THE_TOTALS:
        metric = metric_table(user, page.metric.code, period.start, period.end, over, theme_id=theme_id).total
        figures.append((page.metric.name, "–" if metric.hidden else page.metric.format(metric.value)))
    return KeyFigures(heading=page.heading, period=period, figures=figures)


# The metrics the totals above show already.
_IN_THE_TOTALS = {"received", "decided", "within_deadline_share", "complaints", "reversal_rate"}


@dataclass(frozen=True)
class SavedViewRow:
    """A saved view in the list: what it shows (no name of an object out of the user's sight), its
    period as it reads today, and whether it can be opened."""

    view: SavedView
    shows: str
    period: str
    available: bool


def saved_view_rows(user: Any, today: date) -> list[SavedViewRow]:
    """The user's views for the list, with what each shows, in three queries whatever their number."""
    views = list(saved_views(user).select_related("administration", "unit", "case_area", "theme"))
    units = {v.unit_id for v in views if v.unit_id is not None}
    administrations = {v.administration_id for v in views if v.administration_id is not None}
    visible_units = (
        set(units_in_scope(user).filter(pk__in=units).values_list("pk", flat=True)) if units else set()
    )
    visible_administrations = (
        set(administrations_in_scope(user).filter(pk__in=administrations).values_list("pk", flat=True))
        if administrations
        else set()
    )
    rows = []
    for view in views:
        available = (
            view.unit_id in visible_units
            if view.page == SavedPage.UNIT
            else view.administration_id in visible_administrations
            if view.page == SavedPage.ADMINISTRATION
            else True
        )
        period = resolve(view.period_kind, today, view.period_start, view.period_end)
        rows.append(
            SavedViewRow(
                view=view,
                shows=_shows(view) if available else f"{view.get_page_display()} uden for dit adgangsområde",
                period=f"{PERIOD_KINDS[view.period_kind]} ({period.label()})",
                available=available,
            )
        )
    return rows


def _shows(view: SavedView) -> str:
    if view.page == SavedPage.OVERVIEW:
        return "Overblik"
    if view.page == SavedPage.ADMINISTRATION and view.administration is not None:
        return f"Forvaltning: {view.administration.code} – {view.administration.name}"
    if view.page == SavedPage.UNIT and view.unit is not None:
        return f"Enhed: {view.unit.name}"
    if view.page == SavedPage.CASE_AREA and view.case_area is not None:
        return f"Sagsområde: {view.case_area.name}"
    if view.page == SavedPage.THEME and view.theme is not None:
        return f"Klagetema: {view.theme.code} {view.theme.name}"
    return view.get_page_display()
