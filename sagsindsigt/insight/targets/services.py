"""Writes of targets (måltal): role and scope checked, every change audited and kept as a version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from sagsindsigt.cases.models import CaseArea, CaseType
from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.targets.models import Target, TargetKind, TargetVersion, VersionAction
from sagsindsigt.insight.targets.rules import SET_TARGETS, default_direction, target_warning
from sagsindsigt.insight.targets.selectors import target_summary
from sagsindsigt.organisation.access import Perm, can, require, require_unit_in_scope, scope_of
from sagsindsigt.organisation.models import Administration, Role, ScopeKind, Unit

WARNING_NOT_ACKNOWLEDGED = "target_warning"


@dataclass(frozen=True)
class TargetData:
    """What a target says. No administration means the whole municipality; `direction` None takes the
    metric's own (lower is better → højst)."""

    metric: str
    period_start: date
    period_end: date
    kind: str = TargetKind.ABSOLUTE
    value: Decimal | None = None
    change_percent: Decimal | None = None
    baseline_start: date | None = None
    baseline_end: date | None = None
    direction: str | None = None
    amber_margin_percent: Decimal = Decimal(10)
    administration: Administration | None = None
    unit: Unit | None = None
    case_area: CaseArea | None = None
    case_type: CaseType | None = None
    theme: ComplaintTheme | None = None
    note: str = ""


def _is_central(actor: Any) -> bool:
    return getattr(actor, "role", "") == Role.CENTRAL_ANALYST or can(actor, Perm.EDIT_MASTER_DATA)


def may_set_targets(actor: Any) -> bool:
    """Whether the actor may set targets anywhere at all (the scope is checked per target)."""
    return can(actor, SET_TARGETS)


def require_may_set_targets(actor: Any) -> None:
    require(actor, SET_TARGETS)


def may_set_municipality_targets(actor: Any) -> bool:
    return can(actor, SET_TARGETS) and _is_central(actor) and scope_of(actor).is_municipality


def require_may_set_target(actor: Any, *, administration_id: int | None, unit: Unit | None = None) -> None:
    """Central roles set targets anywhere in their scope (normally the municipality); an administration
    leader only for their own administration, never municipality-wide."""
    require(actor, SET_TARGETS)
    scope = scope_of(actor)
    if administration_id is None:
        if not (_is_central(actor) and scope.is_municipality):
            raise PermissionDenied("Kun den centrale analytiker kan sætte mål for hele kommunen.")
    elif _is_central(actor):
        if not scope.contains_administration(administration_id):
            raise PermissionDenied("Forvaltningen ligger uden for dit adgangsområde.")
    elif scope.kind != ScopeKind.ADMINISTRATION or scope.administration_id != administration_id:
        raise PermissionDenied("Du kan kun sætte mål for din egen forvaltning.")
    if unit is not None:
        require_unit_in_scope(actor, [unit])


def may_set_target(actor: Any, target: Target) -> bool:
    try:
        require_may_set_target(actor, administration_id=target.administration_id, unit=target.unit)
    except PermissionDenied:
        return False
    return True


def _cents(value: Decimal | None) -> Decimal | None:
    """As stored (two decimals), so a snapshot before saving equals one read back: 15 and 15.00 are one
    value, and an update that changes nothing must see that."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _apply(target: Target, data: TargetData, *, warning_acknowledged: bool) -> None:
    """Copy `data` onto `target` after the checks no model field can make; full_clean does the rest."""
    metric = METRICS.get(data.metric)
    if metric is None:
        raise ValidationError({"metric": "Vælg et nøgletal fra listen."})
    direction = data.direction or default_direction(metric)
    if direction is None:
        raise ValidationError(
            {"direction": "Vælg, om målet er et loft (højst) eller et minimum (mindst) for dette nøgletal."}
        )
    relative = data.kind == TargetKind.RELATIVE
    warning = target_warning(metric, direction, relative=relative)
    if warning and not warning_acknowledged:
        raise ValidationError(warning, code=WARNING_NOT_ACKNOWLEDGED)
    target.metric = data.metric
    target.theme = data.theme
    # A unit names its administration; a form that sends only the unit means that one.
    target.administration = data.administration or (data.unit.administration if data.unit else None)
    target.unit = data.unit
    target.case_area = data.case_area
    target.case_type = data.case_type
    target.period_start = data.period_start
    target.period_end = data.period_end
    target.kind = data.kind
    # Fields of the other kind are cleared, not kept: the check constraint allows only one kind's.
    target.value = None if relative else _cents(data.value)
    target.change_percent = _cents(data.change_percent) if relative else None
    target.baseline_start = data.baseline_start if relative else None
    target.baseline_end = data.baseline_end if relative else None
    target.direction = direction
    target.amber_margin_percent = _cents(data.amber_margin_percent) or Decimal(0)
    target.note = data.note.strip()
    target.warning_acknowledged = bool(warning)


def _version(*, actor: Any, target: Target, action: str, reason: str = "") -> TargetVersion:
    number = (TargetVersion.objects.filter(target=target).aggregate(n=Max("number"))["n"] or 0) + 1
    return TargetVersion.objects.create(
        target=target,
        number=number,
        action=action,
        data=snapshot(target),
        summary=target_summary(target),
        reason=reason.strip(),
        changed_by=actor if getattr(actor, "pk", None) is not None else None,
    )


@transaction.atomic
def target_create(*, actor: Any, data: TargetData, warning_acknowledged: bool = False) -> Target:
    administration_id = (
        data.administration.pk if data.administration else data.unit.administration_id if data.unit else None
    )
    require_may_set_target(actor, administration_id=administration_id, unit=data.unit)
    target = Target(created_by=actor if getattr(actor, "pk", None) is not None else None)
    _apply(target, data, warning_acknowledged=warning_acknowledged)
    target.full_clean()
    target.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=target)
    _version(actor=actor, target=target, action=VersionAction.CREATED)
    return target


@transaction.atomic
def target_update(
    *, actor: Any, target: Target, data: TargetData, warning_acknowledged: bool = False, reason: str = ""
) -> Target:
    """Change a target; both its old and its new scope must be the actor's to set. A change that
    changes nothing writes nothing."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    require_may_set_target(actor, administration_id=target.administration_id, unit=target.unit)
    if target.archived:
        raise ValidationError("Målet er arkiveret og kan ikke ændres.")
    administration_id = (
        data.administration.pk if data.administration else data.unit.administration_id if data.unit else None
    )
    require_may_set_target(actor, administration_id=administration_id, unit=data.unit)
    before = snapshot(target)
    _apply(target, data, warning_acknowledged=warning_acknowledged)
    target.full_clean()
    after = snapshot(target)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return target
    target.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=target,
        before=before,
        extra={"begrundelse": reason.strip()} if reason.strip() else None,
    )
    _version(actor=actor, target=target, action=VersionAction.UPDATED, reason=reason)
    return target


@transaction.atomic
def target_archive(*, actor: Any, target: Target, reason: str = "") -> Target:
    """Archive a target: it leaves the dashboards but keeps its history."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    require_may_set_target(actor, administration_id=target.administration_id, unit=target.unit)
    if target.archived:
        raise ValidationError("Målet er allerede arkiveret.")
    before = snapshot(target)
    target.archived = True
    target.save(update_fields=["archived"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=target, before=before)
    _version(actor=actor, target=target, action=VersionAction.ARCHIVED, reason=reason)
    return target
