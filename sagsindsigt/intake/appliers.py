"""Upsert of validated records by source + key, with before-images so a load can be rolled back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.functions import TruncMonth

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.common.models import StaleKind
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.complaints.models import Appeal, Complaint, ComplaintPoint
from sagsindsigt.intake.models import Load, LoadChange
from sagsindsigt.intake.records import Record


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _from_plain(model: type[models.Model], name: str, value: Any) -> Any:
    # get_field knows attnames such as "unit_id" too.
    if value is not None and isinstance(model._meta.get_field(name), models.DateField):
        return dt.date.fromisoformat(value)
    return value


@dataclass
class Outcome:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Plain inserts for the high-volume kinds: COPY on PostgreSQL (inside the open transaction, so still
    all-or-nothing), executemany elsewhere. Django's bulk_create costs more in Python than the insert."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The raw psycopg cursor bypasses Django's error translation: without it a lost connection
            # arrives as psycopg's own error and Django never learns that the connection is unusable.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (names are ours)
                [[_plain(v) for v in row] for row in rows],
            )


class Applier:
    """One record kind. `fields` are compared to decide changed/unchanged and restored on rollback."""

    model: type[models.Model]
    fields: tuple[str, ...]
    # The dates that place a row in a month of the figures (the month of receipt, of decision, ...).
    event_dates: tuple[str, ...]
    stale_kind: StaleKind
    # Kinds without related rows are inserted without building model instances.
    fast_insert = False

    def __init__(self, source_system: str) -> None:
        self.source_system = source_system
        # A source's first load finds nothing to compare with: skip the lookups. (A concurrent first load
        # of other rows with the same keys then fails on the unique constraint, and nothing is applied.)
        self.empty = not self.model._default_manager.filter(source_system=source_system).exists()

    def mark_touched(self, load: Load) -> None:
        """Mark stale the months and units the load's rows fall in now and those its changed rows fell in
        before (before-images), so that figures are right after a commit and after a rollback. Called in
        the load's transaction, before a rollback removes the rows."""
        months: set[dt.date] = set()
        rows = self.model._default_manager.filter(load_id=load.pk)
        units = set(rows.values_list("unit_id", flat=True).order_by().distinct())
        for name in self.event_dates:
            found = rows.exclude(**{f"{name}__isnull": True}).annotate(m=TruncMonth(name))
            months.update(found.values_list("m", flat=True).order_by().distinct())
        changes = LoadChange.objects.filter(load_id=load.pk, model=self.model._meta.label)
        for before in changes.values_list("before", flat=True):
            if before.get("unit_id") is not None:
                units.add(before["unit_id"])
            months.update(
                dt.date.fromisoformat(before[name]) for name in self.event_dates if before.get(name)
            )
        mark_stale(self.stale_kind, months=months, units=units)

    # -- reading what exists ------------------------------------------------------------------------
    def existing(self, batch: Sequence[Record]) -> dict[Any, dict[str, Any]]:
        if self.empty:
            return {}
        keys = [r.key for r in batch]
        if connection.vendor == "postgresql":
            # One array parameter instead of thousands of bound parameters.
            columns = ["id", "load_id", *self.fields]
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} FROM {table} "  # noqa: S608
                    "WHERE source_system = %s AND external_id = ANY(%s)",
                    [self.source_system, keys],
                )
                rows = [dict(zip(["pk", *columns[1:]], values, strict=True)) for values in cursor.fetchall()]
        else:
            rows = list(
                self.model._default_manager.filter(
                    source_system=self.source_system, external_id__in=keys
                ).values("pk", "load_id", *self.fields)
            )
        return {row["external_id"]: row for row in rows}

    def differs(self, record: Record, row: dict[str, Any]) -> bool:
        return any(row[f] != record.fields[f] for f in self.fields)

    def classify(self, batch: Sequence[Record]) -> Outcome:
        found = self.existing(batch)
        out = Outcome()
        for record in batch:
            row = found.get(record.key)
            if row is None:
                out.new += 1
            elif self.differs(record, row):
                out.changed += 1
            else:
                out.unchanged += 1
        return out

    # -- writing ------------------------------------------------------------------------------------
    def apply(self, batch: Sequence[Record], load: Load) -> Outcome:
        found = self.existing(batch)
        out = Outcome()
        new: list[Record] = []
        changed: list[tuple[Record, dict[str, Any]]] = []
        for record in batch:
            row = found.get(record.key)
            if row is None:
                new.append(record)
            elif self.differs(record, row):
                changed.append((record, row))
            else:
                out.unchanged += 1
        if new and self.fast_insert:
            columns = [*new[0].fields, "load_id"]
            insert_rows(self.model, columns, [[*r.fields.values(), load.pk] for r in new])
        elif new:
            created = self.model._default_manager.bulk_create(
                [self.model(load_id=load.pk, **r.fields) for r in new], batch_size=2000
            )
            self.after_create(new, created)
        if changed:
            LoadChange.objects.bulk_create(
                [
                    LoadChange(
                        load=load,
                        model=self.model._meta.label,
                        object_id=row["pk"],
                        before=self.before_image(row),
                    )
                    for _record, row in changed
                ],
                batch_size=2000,
            )
            objects = []
            for record, row in changed:
                obj = self.model(pk=row["pk"], load_id=load.pk, **record.fields)
                objects.append(obj)
            self.model._default_manager.bulk_update(objects, [*self.fields, "load_id"], batch_size=1000)
            self.after_update(changed)
        out.new, out.changed = len(new), len(changed)
        return out

    def before_image(self, row: dict[str, Any]) -> dict[str, Any]:
        return {k: _plain(v) for k, v in row.items() if k != "pk"}

    def after_create(self, records: Sequence[Record], created: Sequence[models.Model]) -> None:
        """Related rows (points, reasons) for new objects."""

    def after_update(self, changed: Sequence[tuple[Record, dict[str, Any]]]) -> None:
        """Related rows for changed objects."""

    # -- rollback -----------------------------------------------------------------------------------
    def rollback(self, load: Load) -> None:
        label = self.model._meta.label
        changes = list(LoadChange.objects.filter(load=load, model=label))
        changed_ids = {c.object_id for c in changes}
        manager = self.model._default_manager
        manager.filter(load_id=load.pk).exclude(pk__in=changed_ids).delete()
        for change in changes:
            values = {
                k: _from_plain(self.model, k, v) for k, v in change.before.items() if not k.startswith("_")
            }
            manager.filter(pk=change.object_id).update(**values)
            self.restore_related(change)

    def restore_related(self, change: LoadChange) -> None:
        """Put back related rows from the before-image."""


class CaseApplier(Applier):
    model = Case
    event_dates = ("received_date", "decided_date")
    stale_kind = StaleKind.CASES
    fast_insert = True
    fields = (
        "external_id",
        "unit_id",
        "case_type_id",
        "received_date",
        "decided_date",
        "closed_date",
        "status",
        "due_date",
        "processing_days",
        "citizen_key",
        "caseworker_key",
    )


class VolumeCountApplier(Applier):
    model = VolumeCount
    event_dates = ("month",)
    stale_kind = StaleKind.VOLUME_COUNTS
    fast_insert = True
    fields = ("unit_id", "case_type_id", "month", "received", "decided", "decided_within_deadline")

    def existing(self, batch: Sequence[Record]) -> dict[Any, dict[str, Any]]:
        if self.empty:
            return {}
        months = {r.key[2] for r in batch}
        units = {r.key[0] for r in batch}
        rows = VolumeCount.objects.filter(
            source_system=self.source_system, month__in=months, unit_id__in=units
        ).values("pk", "load_id", *self.fields)
        return {(row["unit_id"], row["case_type_id"], row["month"]): row for row in rows}


class ComplaintApplier(Applier):
    model = Complaint
    event_dates = ("received_date", "answered_date")
    stale_kind = StaleKind.COMPLAINTS
    fields = (
        "external_id",
        "unit_id",
        "kind",
        "channel",
        "received_date",
        "answered_date",
        "reply_days",
        "case_type_id",
        "supervision_case_opened",
        "learning_note",
        "citizen_key",
    )

    def existing(self, batch: Sequence[Record]) -> dict[Any, dict[str, Any]]:
        found = super().existing(batch)
        points: dict[int, list[tuple[int, str]]] = {}
        for p in ComplaintPoint.objects.filter(complaint_id__in=[r["pk"] for r in found.values()]).order_by(
            "pk"
        ):
            points.setdefault(p.complaint_id, []).append((p.theme_id, p.outcome))
        for row in found.values():
            row["_points"] = points.get(row["pk"], [])
        return found

    def differs(self, record: Record, row: dict[str, Any]) -> bool:
        return super().differs(record, row) or sorted(row["_points"]) != sorted(record.extra["points"])

    def before_image(self, row: dict[str, Any]) -> dict[str, Any]:
        image = super().before_image(row)
        image["_points"] = [list(p) for p in row["_points"]]
        return image

    def after_create(self, records: Sequence[Record], created: Sequence[models.Model]) -> None:
        ComplaintPoint.objects.bulk_create(
            [
                ComplaintPoint(complaint_id=obj.pk, theme_id=theme, outcome=outcome)
                for record, obj in zip(records, created, strict=True)
                for theme, outcome in record.extra["points"]
            ],
            batch_size=2000,
        )

    def after_update(self, changed: Sequence[tuple[Record, dict[str, Any]]]) -> None:
        ComplaintPoint.objects.filter(complaint_id__in=[row["pk"] for _r, row in changed]).delete()
        ComplaintPoint.objects.bulk_create(
            [
                ComplaintPoint(complaint_id=row["pk"], theme_id=theme, outcome=outcome)
                for record, row in changed
                for theme, outcome in record.extra["points"]
            ],
            batch_size=2000,
        )

    def restore_related(self, change: LoadChange) -> None:
        ComplaintPoint.objects.filter(complaint_id=change.object_id).delete()
        ComplaintPoint.objects.bulk_create(
            [
                ComplaintPoint(complaint_id=change.object_id, theme_id=theme, outcome=outcome)
                for theme, outcome in change.before["_points"]
            ]
        )


class AppealApplier(Applier):
    model = Appeal
    event_dates = ("decision_date",)
    stale_kind = StaleKind.APPEALS
    fields = (
        "external_id",
        "unit_id",
        "case_type_id",
        "appeal_body",
        "law_area",
        "paragraph",
        "decision_date",
        "outcome",
    )

    def existing(self, batch: Sequence[Record]) -> dict[Any, dict[str, Any]]:
        found = super().existing(batch)
        through = Appeal.reversal_reasons.through
        reasons: dict[int, list[int]] = {}
        for appeal_id, theme_id in through.objects.filter(
            appeal_id__in=[r["pk"] for r in found.values()]
        ).values_list("appeal_id", "complainttheme_id"):
            reasons.setdefault(appeal_id, []).append(theme_id)
        for row in found.values():
            row["_reasons"] = sorted(reasons.get(row["pk"], []))
        return found

    def differs(self, record: Record, row: dict[str, Any]) -> bool:
        return super().differs(record, row) or row["_reasons"] != record.extra["reversal_reasons"]

    def before_image(self, row: dict[str, Any]) -> dict[str, Any]:
        image = super().before_image(row)
        image["_reasons"] = row["_reasons"]
        return image

    def _set_reasons(self, pairs: list[tuple[int, list[int]]]) -> None:
        through = Appeal.reversal_reasons.through
        through.objects.filter(appeal_id__in=[pk for pk, _ in pairs]).delete()
        through.objects.bulk_create(
            [through(appeal_id=pk, complainttheme_id=t) for pk, ids in pairs for t in ids]
        )

    def after_create(self, records: Sequence[Record], created: Sequence[models.Model]) -> None:
        self._set_reasons(
            [(obj.pk, r.extra["reversal_reasons"]) for r, obj in zip(records, created, strict=True)]
        )

    def after_update(self, changed: Sequence[tuple[Record, dict[str, Any]]]) -> None:
        self._set_reasons([(row["pk"], r.extra["reversal_reasons"]) for r, row in changed])

    def restore_related(self, change: LoadChange) -> None:
        self._set_reasons([(change.object_id, change.before["_reasons"])])


APPLIERS: dict[str, type[Applier]] = {
    "cases": CaseApplier,
    "volume_counts": VolumeCountApplier,
    "complaints": ComplaintApplier,
    "appeals": AppealApplier,
}
