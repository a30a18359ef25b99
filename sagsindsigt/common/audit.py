"""Recording audit events; services call these for every create, change and delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from sagsindsigt.common.models import AccessLogEntry, AuditAction, AuditEvent

Snapshot = dict[str, Any]
M = TypeVar("M", bound=models.Model)

# Rows an export reads at a time, and so the most ids one access-log entry of an export holds.
EXPORT_CHUNK = 2000


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
    """One entry with every id read; never cut short (an export writes one entry per chunk instead)."""
    AccessLogEntry.objects.create(
        user_id=_actor_id(user), what=what, object_ids=object_ids, detail=detail[:500]
    )


def access_logged(
    rows: QuerySet[M], *, user: Any, what: str, detail: str = "", chunk_size: int | None = None
) -> Iterator[M]:
    """The rows, read a chunk at a time; each chunk's ids go to the access log (one entry per chunk) before
    its rows are handed on. So the log names every row that left, however many, and memory stays flat.
    An export of nothing is logged too, with no ids."""
    chunk_size = chunk_size or EXPORT_CHUNK
    chunk: list[M] = []
    logged = False
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            access_log(user=user, what=what, object_ids=[r.pk for r in chunk], detail=detail)
            logged = True
            yield from chunk
            chunk = []
    if chunk or not logged:
        access_log(user=user, what=what, object_ids=[r.pk for r in chunk], detail=detail)
        yield from chunk
