"""Saved views: the owner's own, stored as filters, resolved and read through the current scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sagsindsigt.common.models import AuditEvent
from sagsindsigt.common.periods import Period
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.dashboards import pages
from sagsindsigt.insight.dashboards.selectors import metric_table
from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.models import SavedView
from sagsindsigt.insight.rollups.selectors import Slice
from sagsindsigt.insight.saved.periods import FIXED, LAST_12_MONTHS, YEAR_TO_DATE, resolve
from sagsindsigt.insight.saved.selectors import key_figures, saved_view_resolve, saved_view_rows
from sagsindsigt.insight.saved.services import (
    SavedViewData,
    saved_view_create,
    saved_view_delete,
    saved_view_update,
)

pytestmark = pytest.mark.django_db

Y2024 = {"fra": "2024-01-01", "til": "2024-12-31"}
TODAY = date(2026, 12, 2)


def unit_view(mini: Mini, **changes: object) -> SavedViewData:
    data = SavedViewData(
        name="Min enhed i år",
        page="unit",
        object_id=mini.sof_a.pk,
        period_kind=YEAR_TO_DATE,
        metric="within_deadline_share",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


# --- services ---------------------------------------------------------------------------------------


def test_a_view_keeps_filters_not_figures_and_is_audited(mini: Mini) -> None:
    # when
    view = saved_view_create(actor=mini.sof_leader, data=unit_view(mini, period_start=date(2024, 1, 1)))
    # then: a relative period keeps no dates; the row holds filters only
    view.refresh_from_db()
    assert (view.page, view.unit_id, view.period_kind, view.period_start, view.metric) == (
        "unit",
        mini.sof_a.pk,
        YEAR_TO_DATE,
        None,
        "within_deadline_share",
    )
    event = AuditEvent.objects.get(model="insight.SavedView", object_id=str(view.pk))
    assert event.action == "create" and event.actor_id == mini.sof_leader.pk


def test_rename_and_delete_are_the_owners_and_audited(mini: Mini) -> None:
    # given
    view = saved_view_create(actor=mini.sof_leader, data=unit_view(mini))
    # when
    saved_view_update(actor=mini.sof_leader, pk=view.pk, name="  Mine   hjælpemidler ", digest=True)
    # then
    view.refresh_from_db()
    assert (view.name, view.digest) == ("Mine hjælpemidler", True)
    # another user's view does not exist for them
    with pytest.raises(SavedView.DoesNotExist):
        saved_view_update(actor=mini.analyst, pk=view.pk, name="Overtaget", digest=False)
    with pytest.raises(SavedView.DoesNotExist):
        saved_view_delete(actor=mini.analyst, pk=view.pk)
    saved_view_delete(actor=mini.sof_leader, pk=view.pk)
    assert not SavedView.objects.filter(pk=view.pk).exists()
    actions = list(
        AuditEvent.objects.filter(model="insight.SavedView", object_id=str(view.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Giv visningen et navn."),
        ({"name": "x" * 101}, "name", "højst være 100 tegn"),
        ({"period_kind": FIXED}, "period_kind", "både en fra- og en til-dato"),
        (
            {"period_kind": FIXED, "period_start": date(2024, 2, 1), "period_end": date(2024, 1, 1)},
            "period_kind",
            "slutte efter",
        ),
        ({"period_kind": "last_7_years"}, "period_kind", "Vælg en af perioderne"),
        ({"metric": "theme_points_per_1000"}, "metric", "kan ikke vises på denne side"),
        ({"page": "case_list"}, "page", "kan ikke gemmes som visning"),
    ],
)
def test_bad_input_is_refused_with_a_danish_message_and_nothing_is_saved(
    mini: Mini, changes: dict[str, object], field: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationError) as error:
        saved_view_create(actor=mini.sof_leader, data=unit_view(mini, **changes))
    # then
    assert message in " ".join(error.value.message_dict[field])
    assert not SavedView.objects.exists()


def test_names_are_unique_per_user_not_across_users(mini: Mini) -> None:
    # given
    saved_view_create(actor=mini.sof_leader, data=unit_view(mini))
    # then
    with pytest.raises(ValidationError, match="allerede en visning"):
        saved_view_create(actor=mini.sof_leader, data=unit_view(mini, name="MIN ENHED I ÅR"))
    saved_view_create(actor=mini.analyst, data=unit_view(mini))
    assert SavedView.objects.count() == 2


# --- scope ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "target"),
    [("unit", "buf_unit"), ("administration", "buf"), ("unit", None), ("overview", "sof_a")],
)
def test_a_crafted_view_outside_the_scope_cannot_be_saved(mini: Mini, page: str, target: str | None) -> None:
    # given a SOF leader asking for BUF (or a page with a wrong key)
    object_id = getattr(mini, target).pk if target else None
    # when
    with pytest.raises(ValidationError, match="findes ikke i dit adgangsområde"):
        saved_view_create(actor=mini.sof_leader, data=unit_view(mini, page=page, object_id=object_id))
    # then
    assert not SavedView.objects.exists()


def test_a_crafted_post_to_save_a_view_outside_the_scope_changes_nothing(client: Client, mini: Mini) -> None:
    # given
    client.force_login(mini.sof_leader)
    # when
    response = client.post(
        reverse("saved_view_create"),
        {
            "name": "BUF",
            "page": "unit",
            "object_id": mini.buf_unit.pk,
            "period_kind": LAST_12_MONTHS,
            **Y2024,
        },
    )
    # then
    assert response.status_code == 400
    assert "findes ikke i dit adgangsområde" in response.content.decode()
    assert not SavedView.objects.exists()


def _move_out_of_scope(mini: Mini) -> SavedView:
    """A unit leader's view of their unit, then their scope moves to BUF."""
    leader = mini.caseworker
    view = saved_view_create(actor=leader, data=unit_view(mini))
    leader.scope_unit = mini.buf_unit
    leader.save(update_fields=["scope_unit"])
    return view


def test_when_the_scope_changed_opening_the_view_says_so_plainly(client: Client, mini: Mini) -> None:
    # given
    view = _move_out_of_scope(mini)
    client.force_login(mini.caseworker)
    # when
    response = client.get(reverse("saved_view_open", args=[view.pk]))
    # then: not a 404, a page that says why; and no name or figure of the unit
    body = response.content.decode()
    assert response.status_code == 403
    assert "ligger ikke længere i dit adgangsområde" in body
    assert mini.sof_a.name not in body
    listed = client.get(reverse("saved_views")).content.decode()
    assert "kan ikke vises" in listed and mini.sof_a.name not in listed


def test_the_selector_never_reads_figures_outside_the_scope(mini: Mini) -> None:
    # given a view whose unit has left the user's scope
    view = _move_out_of_scope(mini)
    user = type(mini.caseworker).objects.get(pk=mini.caseworker.pk)
    # when
    resolved = saved_view_resolve(user, view, TODAY)
    # then it resolves to no page, and reading it anyway is the page's 404, never figures
    assert resolved.url is None and resolved.problem
    with pytest.raises(Http404):
        key_figures(user, view, Period.year(2024))


def test_another_users_view_does_not_exist(client: Client, mini: Mini) -> None:
    # given
    view = saved_view_create(actor=mini.sof_leader, data=unit_view(mini))
    client.force_login(mini.buf_leader)
    # then
    for name in ("saved_view_open", "saved_view_edit"):
        assert client.get(reverse(name, args=[view.pk])).status_code == 404
    assert client.post(reverse("saved_view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


# --- pages ------------------------------------------------------------------------------------------


def test_opening_a_view_goes_to_its_page_with_the_period_it_means_today(client: Client, mini: Mini) -> None:
    # given a view of the last 12 whole months
    view = saved_view_create(actor=mini.sof_leader, data=unit_view(mini, period_kind=LAST_12_MONTHS))
    client.force_login(mini.sof_leader)
    # when
    response = client.get(reverse("saved_view_open", args=[view.pk]))
    # then
    period = resolve(LAST_12_MONTHS, timezone.localdate())
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('unit', args=[mini.sof_a.pk])}?fra={period.start.isoformat()}&til={period.end.isoformat()}"
        "&maal=within_deadline_share"
    )


def test_save_from_a_dashboard_page_then_find_it_in_the_list(client: Client, mini: Mini) -> None:
    # given the administration page in 2024, which offers the form with its filters
    client.force_login(mini.sof_leader)
    page = client.get(reverse("administration", args=[mini.sof.pk]), Y2024)
    form = page.context["save_view_form"]
    assert form.initial["page"] == "administration" and form.initial["object_id"] == mini.sof.pk
    # when
    response = client.post(
        reverse("saved_view_create"),
        {
            "name": "SOF 2024",
            "page": "administration",
            "object_id": mini.sof.pk,
            "period_kind": FIXED,
            "maal": "reversal_rate",
            **Y2024,
        },
    )
    # then
    view = SavedView.objects.get(name="SOF 2024")
    assert response["Location"] == reverse("saved_view_open", args=[view.pk])
    assert (view.period_start, view.period_end, view.metric) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        "reversal_rate",
    )
    listed = client.get(reverse("saved_views")).content.decode()
    assert "SOF 2024" in listed and "Socialforvaltningen" in listed and "01-01-2024 – 31-12-2024" in listed


def test_the_menu_has_my_views(client: Client, mini: Mini) -> None:
    client.force_login(mini.caseworker)
    body = client.get(reverse("saved_views")).content.decode()
    assert f'<a href="{reverse("saved_views")}" aria-current="page">Mine visninger</a>' in body


def test_rows_name_what_each_view_shows(mini: Mini) -> None:
    # given
    saved_view_create(actor=mini.analyst, data=unit_view(mini, name="b"))
    saved_view_create(actor=mini.analyst, data=unit_view(mini, name="a", page="overview", object_id=None))
    # when
    rows = saved_view_rows(mini.analyst, TODAY)
    # then
    assert [(r.view.name, r.shows, r.available) for r in rows] == [
        ("a", "Overblik", True),
        ("b", f"Enhed: {mini.sof_a.name}", True),
    ]


# --- figures ----------------------------------------------------------------------------------------


def test_key_figures_are_the_pages_own_suppressed_totals(mini: Mini) -> None:
    # given a SOF leader's overview view, and the overview page the leader sees for April 2024
    view = saved_view_create(
        actor=mini.sof_leader, data=unit_view(mini, page="overview", object_id=None, metric="reversal_rate")
    )
    period = Period.month(2024, 4)
    _rows, total = pages.overview_page(mini.sof_leader, period).shown
    # when
    found = dict(key_figures(mini.sof_leader, view, period).figures)
    # then: exactly what the page shows, small counts as "<5"
    assert found["Modtagne sager"] == str(total.counts["received"])
    assert found["Afgjorte sager"] == str(total.counts["decided"]) == "<5"
    assert found["Klager"] == str(total.counts["complaints"])
    assert found["Omgørelsesprocent"] == str(total.rates["reversal_rate"])


def test_the_chosen_metric_is_the_rest_apis_suppressed_value(mini: Mini) -> None:
    # given an analyst's view of a unit with a metric the totals do not show
    view = saved_view_create(
        actor=mini.analyst, data=unit_view(mini, metric="formal_per_1000", period_kind=LAST_12_MONTHS)
    )
    metric = METRICS["formal_per_1000"]
    for period in (Period.year(2024), Period.month(2024, 4)):
        shown = metric_table(
            mini.analyst, metric.code, period.start, period.end, Slice(unit_id=mini.sof_a.pk)
        )
        # when
        found = dict(key_figures(mini.analyst, view, period).figures)
        # then: the API's value, hidden ("–") where the API hides it
        assert found[metric.name] == ("–" if shown.total.hidden else metric.format(shown.total.value))
