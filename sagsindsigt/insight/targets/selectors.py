"""Reads of targets (måltal): what the user's scope covers, each with its current value and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from sagsindsigt.common.periods import Period
from sagsindsigt.insight.dashboards.presentation import metric_hidden
from sagsindsigt.insight.dashboards.protection import grid, slice_cell
from sagsindsigt.insight.metrics.registry import METRICS, Metric
from sagsindsigt.insight.rollups.selectors import Slice, figures_for_many, metric_contexts
from sagsindsigt.insight.targets.models import Target, TargetKind, TargetVersion
from sagsindsigt.insight.targets.rules import (
    Status,
    amber_margin,
    goal_words,
    period_label,
    relative_goal_words,
    relative_status,
    target_status,
    target_warning,
)
from sagsindsigt.organisation.access import Perm, require, scope_of


@dataclass(frozen=True)
class TargetRow:
    """One target as the panel shows it. `goal` is None for a relative goal without baseline data."""

    target: Target
    metric: Metric
    scope_label: str
    period_label: str
    goal_text: str
    goal: float | None
    baseline: float | None
    value: float | None
    value_text: str
    status: Status
    warning: str | None
    provisional: bool


def visible_targets(user: Any) -> QuerySet[Target]:
    """Targets whose whole scope lies inside the user's: a municipality-wide target computed over one
    administration's data would show a wrong value, so only municipality-wide users see those."""
    require(user, Perm.VIEW_AGGREGATES)
    return Target.objects.select_related("administration", "unit", "case_area", "case_type", "theme").filter(
        scope_of(user).covers_q()
    )


def target_get(user: Any, pk: int) -> Target:
    """Target.DoesNotExist when it is outside the user's scope: it does not exist for them (ADR 0003)."""
    return visible_targets(user).get(pk=pk)


def scope_label(target: Target) -> str:
    parts = [target.administration.code if target.administration else "Hele kommunen"]
    if target.unit is not None:
        parts.append(target.unit.name)
    if target.case_type is not None:
        parts.append(f"sagstype {target.case_type.name}")
    elif target.case_area is not None:
        parts.append(f"sagsområde {target.case_area.name}")
    return " · ".join(parts)


def baseline_label(target: Target) -> str:
    if target.baseline_start is None or target.baseline_end is None:
        return ""
    return period_label(target.baseline_start, target.baseline_end)


def goal_text(target: Target) -> str:
    """The goal as set, without data: "højst 12,0 pr. 1.000 afgjorte sager", "mindst 40 % færre end i
    2013"."""
    m = METRICS[target.metric]
    if target.kind == TargetKind.RELATIVE and target.change_percent is not None:
        return relative_goal_words(float(target.change_percent), target.direction, baseline_label(target), m)
    return goal_words(float(target.value or 0), target.direction, m)


def target_summary(target: Target) -> list[list[str]]:
    """The target in words, label by label, as stored in each version (names, not ids)."""
    m = METRICS[target.metric]
    rows = [["Nøgletal", m.name]]
    if target.theme is not None:
        rows.append(["Klagetema", f"{target.theme.code} {target.theme.name}"])
    rows += [
        ["Område", scope_label(target)],
        ["Periode", period_label(target.period_start, target.period_end)],
        ["Mål", goal_text(target)],
        ["Gul margen", f"{Decimal(target.amber_margin_percent).normalize():f} % af målet".replace(".", ",")],
        ["Note", target.note],
    ]
    if target_warning(m, target.direction, relative=target.kind == TargetKind.RELATIVE):
        rows.append(["Advarsel bekræftet", "Ja" if target.warning_acknowledged else "Nej"])
    rows.append(["Arkiveret", "Ja" if target.archived else "Nej"])
    return rows


def _slice(target: Target) -> Slice:
    return Slice(
        administration_id=target.administration_id,
        unit_id=target.unit_id,
        case_area_id=target.case_area_id,
        case_type_id=target.case_type_id,
    )


def _periods(target: Target) -> list[Period]:
    found = [Period(target.period_start, target.period_end)]
    if target.kind == TargetKind.RELATIVE and target.baseline_start and target.baseline_end:
        found.append(Period(target.baseline_start, target.baseline_end))
    return found


Measure = tuple[float | None, bool]


def _measures(user: Any, targets: list[Target]) -> dict[tuple[int, Period], Measure]:
    """Each target's value in its period (and baseline period), and whether it must be hidden because a
    count it rests on is hidden in the period's one suppression decision (ADR 0015): one read of figures
    per distinct period, not per target."""
    metrics = [METRICS[t.metric] for t in targets]
    figures = figures_for_many(
        user,
        {(period, _slice(t)) for t in targets for period in _periods(t)},
        days=any(m.needs_days for m in metrics),
        themes=any(m.needs_theme for m in metrics),
    )
    contexts = metric_contexts({t.theme_id for t in targets})
    themes = any(m.needs_theme for m in metrics)
    found: dict[tuple[int, Period], Measure] = {}
    for target, m in zip(targets, metrics, strict=True):
        ctx = contexts[target.theme_id]
        for period in _periods(target):
            f = figures[(period, _slice(target))]
            value = m.value(f, ctx)
            kept = grid(user, period, themes=themes)
            hidden = value is not None and any(metric_hidden(kept, m, slice_cell(_slice(target)), ctx))
            found[(target.pk, period)] = (value, hidden)
    return found


def _value_text(m: Metric, value: float | None, suppressed: bool) -> str:
    if suppressed:
        return f"skjult (under {settings.SUPPRESSION_THRESHOLD})" if m.is_count else "skjult (små tal)"
    if value is None:
        return m.format(None)
    return m.format(value) if m.kind == "share" else f"{m.format(value)} {m.unit}"


def target_row(user: Any, target: Target, *, today: date | None = None) -> TargetRow:
    """One target with its current value, resolved goal, status and warning."""
    return _row(target, _measures(user, [target]), today or timezone.localdate())


def _row(target: Target, measures: dict[tuple[int, Period], Measure], today: date) -> TargetRow:
    m = METRICS[target.metric]
    value, suppressed = measures[(target.pk, Period(target.period_start, target.period_end))]
    margin_percent = float(target.amber_margin_percent)
    baseline: float | None = None
    if target.kind == TargetKind.RELATIVE:
        assert target.baseline_start is not None and target.baseline_end is not None  # noqa: S101
        baseline, baseline_hidden = measures[(target.pk, Period(target.baseline_start, target.baseline_end))]
        goal, status = relative_status(
            value,
            baseline,
            float(target.change_percent or 0),
            target.direction,
            margin_percent,
            metric=m,
            baseline_label=baseline_label(target),
        )
    else:
        goal = float(target.value or 0)
        status = target_status(value, goal, target.direction, amber_margin(goal, margin_percent), metric=m)
        baseline_hidden = False
    if suppressed or baseline_hidden:
        # A colour next to a hidden value (or a goal computed from a hidden baseline) gives the value
        # away ("højst 1" and green means exactly 1): say only that it rests on small numbers.
        status = Status("none", "Skjult", "Status vises ikke, fordi tallet bygger på små tal.", "")
        goal = None if baseline_hidden else goal
        baseline = None
    return TargetRow(
        target=target,
        metric=m,
        scope_label=scope_label(target),
        period_label=period_label(target.period_start, target.period_end),
        goal_text=goal_text(target),
        goal=goal,
        baseline=baseline,
        value=value,
        value_text=_value_text(m, value, suppressed),
        status=status,
        warning=target_warning(m, target.direction, relative=target.kind == TargetKind.RELATIVE),
        provisional=target.period_end >= today,
    )


def targets_with_status(
    user: Any,
    *,
    administration_id: int | None = None,
    unit_id: int | None = None,
    include_archived: bool = False,
) -> list[TargetRow]:
    """Targets in the user's scope, each with its status. `administration_id` keeps the targets of that
    administration (on itself or any of its units); `unit_id` keeps those set on exactly that unit."""
    qs = visible_targets(user)
    if administration_id is not None:
        qs = qs.filter(administration_id=administration_id)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if not include_archived:
        qs = qs.filter(archived=False)
    qs = qs.order_by(
        F("administration__code").asc(nulls_first=True),
        F("unit__name").asc(nulls_first=True),
        "metric",
        "period_start",
        "pk",
    )
    targets = list(qs)
    measures = _measures(user, targets) if targets else {}
    today = timezone.localdate()
    return [_row(t, measures, today) for t in targets]


@dataclass(frozen=True)
class VersionRow:
    number: int
    action: str
    changed_by: str
    changed_at: datetime
    reason: str
    # (label, before, after) for what changed since the previous version; the whole target for the first.
    changes: list[tuple[str, str, str]]


def target_history(user: Any, target: Target) -> list[VersionRow]:
    """The target's versions, newest first, each with what changed since the one before."""
    target_get(user, target.pk)  # scope check
    versions = list(
        TargetVersion.objects.filter(target=target).select_related("changed_by").order_by("number")
    )
    rows: list[VersionRow] = []
    previous: dict[str, str] = {}
    for v in versions:
        summary: dict[str, str] = dict(v.summary)
        labels = list(dict.fromkeys([*previous, *summary]))
        changes = [
            (label, previous.get(label, ""), summary.get(label, ""))
            for label in labels
            if previous.get(label, "") != summary.get(label, "")
        ]
        who = (v.changed_by.get_full_name() or v.changed_by.username) if v.changed_by else "Systemet"
        rows.append(
            VersionRow(
                number=v.number,
                action=v.get_action_display(),
                changed_by=who,
                changed_at=v.changed_at,
                reason=v.reason,
                changes=changes,
            )
        )
        previous = summary
    return rows[::-1]
