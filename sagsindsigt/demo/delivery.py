"""The demo's data delivered as the municipality's systems would deliver it, and loaded through intake:
a CSV per case system (Windows-1252, `;`, Danish headers), BIF's monthly counts as XLSX, the complaint
system's CSV, and appeals pushed as JSON through the push service."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings

from sagsindsigt.cases.models import Case, CaseType, VolumeCount
from sagsindsigt.complaints.models import Appeal, Complaint, ComplaintTheme, PointOutcome
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.services import load_import, load_push, source_create, source_issue_token
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import Unit

CASE_HEADER = [
    "Sagsnummer",
    "Enhed",
    "Sagstype",
    "Modtaget",
    "Afgørelse sendt",
    "Lukket",
    "Borger-id",
    "Sagsbehandler",
]
COUNT_HEADER = ["Enhed", "Sagstype", "Måned", "Modtagne", "Afgjorte", "Afgjort inden for frist"]
COMPLAINT_HEADER = [
    "Klagenummer",
    "Enhed",
    "Klageart",
    "Kanal",
    "Modtaget",
    "Besvaret",
    "Sagstype",
    "Tema",
    "Udfald",
    "Tilsynssag",
    "Læring",
    "Borger-id",
]
COMPLAINT_SOURCE = "Klagesystem"
APPEAL_SOURCE = "Ankestyrelsen"


class DemoLoadFailed(RuntimeError):
    """A demo file did not load; the message carries the intake report."""


def _dk(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else ""


class Deliveries:
    """Collects the generator's rows as export files, then loads them through intake."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(settings.VAR_DIR) / "demo"
        self.directory.mkdir(parents=True, exist_ok=True)
        self._case_files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        self._units: dict[int, str] = {}
        self._types: dict[int, str] = {}
        self._complaint_rows: list[list[str]] = []
        self._appeals: list[dict[str, str]] = []
        self._counts: list[list[Any]] = []
        self.count_source = ""

    def _codes(self) -> None:
        if not self._units:
            self._units = dict(Unit.objects.values_list("pk", "code"))
            self._types = dict(CaseType.objects.values_list("pk", "code"))

    def cases(self, source: str, cases: Sequence[Case]) -> int:
        self._codes()
        writer = self._writers.get(source)
        if writer is None:
            handle = (self.directory / f"{_file_stem(source)}.csv").open("w", encoding="cp1252", newline="")
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(CASE_HEADER)
            self._case_files[source], self._writers[source] = handle, writer
        for c in cases:
            writer.writerow(
                [
                    c.external_id,
                    self._units[c.unit_id],
                    self._types[c.case_type_id],
                    _dk(c.received_date),
                    _dk(c.decided_date),
                    _dk(c.closed_date),
                    c.citizen_key,
                    c.caseworker_key,
                ]
            )
        return len(cases)

    def counts(self, source: str, rows: Sequence[VolumeCount]) -> int:
        self._codes()
        self.count_source = source
        self._counts += [
            [
                self._units[r.unit_id],
                self._types[r.case_type_id],
                r.month,
                r.received,
                r.decided,
                r.decided_within_deadline,
            ]
            for r in rows
        ]
        return len(rows)

    def complaints(self, built: Sequence[tuple[Complaint, Sequence[ComplaintTheme], Sequence[str]]]) -> int:
        self._codes()
        for complaint, themes, outcomes in built:
            for theme, outcome in zip(themes, outcomes, strict=True):
                self._complaint_rows.append(
                    [
                        complaint.external_id,
                        self._units[complaint.unit_id],
                        complaint.get_kind_display(),
                        complaint.get_channel_display(),
                        _dk(complaint.received_date),
                        _dk(complaint.answered_date),
                        self._types.get(complaint.case_type_id or 0, ""),
                        theme.code,
                        str(PointOutcome(outcome).label),
                        "Ja" if complaint.supervision_case_opened else "Nej",
                        complaint.learning_note,
                        complaint.citizen_key,
                    ]
                )
        return len(built)

    def appeals(self, appeals: Sequence[Appeal], reasons: Sequence[Sequence[str]]) -> int:
        self._codes()
        for appeal, codes in zip(appeals, reasons, strict=True):
            self._appeals.append(
                {
                    "Ankesagsnummer": appeal.external_id,
                    "Enhed": self._units[appeal.unit_id],
                    "Sagstype": self._types.get(appeal.case_type_id or 0, ""),
                    "Klageinstans": appeal.get_appeal_body_display(),
                    "Lovområde": appeal.get_law_area_display(),
                    "Paragraf": appeal.paragraph,
                    "Afgørelsesdato": appeal.decision_date.isoformat(),
                    "Udfald": appeal.get_outcome_display(),
                    "Omgørelsesårsager": ", ".join(codes),
                }
            )
        return len(appeals)

    def deliver(self) -> list[Load]:
        """Create the sources with their mappings and load every file through intake; all must apply."""
        loads = []
        for source, handle in self._case_files.items():
            handle.close()
            path = Path(handle.name)
            loads.append(_load_file(_source(source, "cases", CASE_HEADER), path))
        if self._counts:
            path = self.directory / f"{_file_stem(self.count_source)}.xlsx"
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "Kontaktforløb"
            sheet.append(COUNT_HEADER)
            for row in self._counts:
                sheet.append(row)
            book.save(path)
            loads.append(_load_file(_source(self.count_source, "volume_counts", COUNT_HEADER), path))
        if self._complaint_rows:
            path = self.directory / "klager.csv"
            with path.open("w", encoding="cp1252", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
                writer.writerow(COMPLAINT_HEADER)
                writer.writerows(self._complaint_rows)
            loads.append(_load_file(_source(COMPLAINT_SOURCE, "complaints", COMPLAINT_HEADER), path))
        if self._appeals:
            appeals = _source(APPEAL_SOURCE, "appeals", list(self._appeals[0]))
            token = source_issue_token(actor=SYSTEM, source=appeals)
            loads.append(_check(load_push(token=token, source=appeals, records_data=self._appeals)[0]))
        return loads


def _file_stem(source: str) -> str:
    return source.lower().replace(" ", "-")


def _source(name: str, kind: str, header: list[str]) -> Source:
    """The headers above are the default Danish labels of our fields, so the default mapping fits."""
    mapping = Mapping.default(kind)
    present = {h.casefold() for h in header}
    columns = {k: v for k, v in mapping.columns.items() if v.casefold() in present}
    return source_create(
        actor=SYSTEM, name=name, kind=kind, mapping=Mapping.from_json({"columns": columns}, kind)
    )


def _load_file(source: Source, path: Path) -> Load:
    return _check(load_import(actor=SYSTEM, source=source, path=path, file_name=path.name))


def _check(load: Load) -> Load:
    if load.status != LoadStatus.COMMITTED:
        problems = "; ".join(str(i) for i in load.issues.all()[:10])
        raise DemoLoadFailed(f"{load.source_system}: {load.message} {problems}")
    return load
