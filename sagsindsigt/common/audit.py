"""Recording audit events; services call these for every create, change and delete."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from sagsindsigt.common.models import AccessLogEntry, AuditAction, AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model) -> Snapshot:
    """The instance's concrete field values (foreign keys as ids), JSON-ready."""
    return {
        field.attname: _plain(getattr(instance, field.attname)) for field in instance._meta.concrete_fields
    }


def _actor_id(actor: Any) -> int | None:
    return actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    instance: models.Model,
    before: Snapshot | None = None,
    extra: Snapshot | None = None,
) -> AuditEvent:
    after = {} if action == AuditAction.DELETE else snapshot(instance)
    before = before or {}
    keys = sorted(set(before) | set(after))
    changes = {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
    if extra:
        changes.update(extra)
    return AuditEvent.objects.create(
        actor_id=_actor_id(actor),
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
    )


def access_log(*, user: Any, what: str, object_ids: list[int], detail: str = "") -> None:
    AccessLogEntry.objects.create(
        user_id=_actor_id(user), what=what, object_ids=object_ids[:1000], detail=detail[:500]
    )
