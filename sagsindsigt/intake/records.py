"""Turns raw rows into validated records for one record kind; every problem names row and column."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sagsindsigt.cases.models import CaseType, GuidelineDeadline
from sagsindsigt.cases.selectors import deadline_in_force
from sagsindsigt.cases.services import status_for
from sagsindsigt.common.pseudonym import InvalidCpr, pseudonymise_cpr, pseudonymise_id
from sagsindsigt.common.workingdays import WorkingDayRules, due_date, elapsed_working_days
from sagsindsigt.complaints.models import (
    AppealBody,
    AppealOutcome,
    Channel,
    ComplaintKind,
    ComplaintTheme,
    LawArea,
    PointOutcome,
)
from sagsindsigt.intake.mapping import FieldSpec, Mapping
from sagsindsigt.intake.readers import RawRow, Table, column_label
from sagsindsigt.intake.values import ValueProblem, clean_text, parse_bool, parse_date, parse_int
from sagsindsigt.organisation.models import Unit

CHOICES: dict[str, dict[str, str]] = {
    # field -> {accepted spelling (value or Danish label, casefolded) -> stored value}
    "kind": {
        **{v: v for v in ComplaintKind.values},
        **{str(lbl).casefold(): v for v, lbl in ComplaintKind.choices},
        "formalitet": ComplaintKind.FORMAL,
        "realitet": ComplaintKind.SUBSTANTIVE,
    },
    "channel": {**{v: v for v in Channel.values}, **{str(lbl).casefold(): v for v, lbl in Channel.choices}},
    "appeal_body": {
        **{v: v for v in AppealBody.values},
        **{str(lbl).casefold(): v for v, lbl in AppealBody.choices},
    },
    "law_area": {**{v: v for v in LawArea.values}, **{str(lbl).casefold(): v for v, lbl in LawArea.choices}},
}
OUTCOMES = {
    "complaints": {
        **{v: v for v in PointOutcome.values},
        **{str(lbl).casefold(): v for v, lbl in PointOutcome.choices},
    },
    "appeals": {
        **{v: v for v in AppealOutcome.values},
        **{str(lbl).casefold(): v for v, lbl in AppealOutcome.choices},
        "ændret": AppealOutcome.CHANGED,
        "ophævet": AppealOutcome.CHANGED,
        "afvist": AppealOutcome.REJECTED,
        "henvist": AppealOutcome.REJECTED,
        "bortfaldet": AppealOutcome.REJECTED,
    },
}
_LOOKS_PERSONAL = re.compile(r"\d{6}-?\d{4}")
# Every imported date is an event that has happened (received, decided, closed, answered, a month's
# counts); none is earlier than the digital case systems (ADR 0019). Due dates are computed, not imported.
EARLIEST_DATE = date(1990, 1, 1)


def echo(value: str) -> str:
    """A short, safe rendering of a cell for a message: never something that could be a CPR number."""
    if _LOOKS_PERSONAL.search(value):
        return "(skjult)"
    return value if len(value) <= 40 else value[:37] + "…"


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str
    message: str
    warning: bool = False


@dataclass
class Record:
    """A validated row: its upsert key and the model field values."""

    row: int
    key: Any
    fields: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. complaint points, reversal reasons


class Lookups:
    """What rows are checked against, loaded once per load."""

    def __init__(
        self, *, administration_id: int | None, rules: WorkingDayRules, today: date, future_days: int = 0
    ) -> None:
        self.rules = rules
        self.administration_id = administration_id
        self.latest_date = today + timedelta(days=future_days)
        self.units = {
            u.code.casefold(): (u.pk, u.administration_id)
            for u in Unit.objects.only("pk", "code", "administration_id")
        }
        self.case_types = {c.code.casefold(): c.pk for c in CaseType.objects.only("pk", "code")}
        self.deadlines: dict[int, list[GuidelineDeadline]] = {}
        for d in GuidelineDeadline.objects.order_by("valid_from"):
            self.deadlines.setdefault(d.case_type_id, []).append(d)
        self.themes: dict[str, int] = {}
        for t in ComplaintTheme.objects.filter(active=True):
            self.themes[t.code.casefold()] = t.pk
            self.themes.setdefault(t.name.casefold(), t.pk)
        self._due: dict[tuple[int, date], date | None] = {}

    def due(self, case_type_id: int, received: date) -> date | None:
        key = (case_type_id, received)
        if key not in self._due:
            found = deadline_in_force(self.deadlines.get(case_type_id, []), received)
            self._due[key] = due_date(received, found.value, found.unit, self.rules).due if found else None
        return self._due[key]


Converter = Callable[[str], Any]


class Plan:
    """The mapping compiled once per load: for each field its normalised header key, its value map and
    a converter. Reading a row is then a loop over this plan, with no per-cell lookups of the mapping."""

    def __init__(self, mapping: Mapping, lookups: Lookups) -> None:
        self.mapping, self.lookups = mapping, lookups
        self.fields = [
            (
                spec,
                mapping.key_for(spec.name),
                mapping.values.get(spec.name) or None,
                mapping.header_for(spec.name) or spec.label,
                self._converter(spec),
            )
            for spec in mapping.specs
        ]
        self.columns = {spec.name: column for spec, _key, _table, column, _convert in self.fields}
        self._cpr: dict[str, str] = {}  # per load only: the same citizen appears in many rows

    def read(self, raw: RawRow) -> tuple[dict[str, Any], list[Issue]]:
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        cells = raw.values
        for spec, key, table, column, convert in self.fields:
            text = cells.get(key, "") if key else ""
            if table is not None:
                text = table.get(text.strip().casefold(), text)
            if not text or text.isspace():
                if spec.required:
                    issues.append(Issue(raw.number, column, "skal udfyldes."))
                values[spec.name] = None
                continue
            try:
                values[spec.name] = convert(text)
            except ValueProblem as problem:
                issues.append(Issue(raw.number, column, str(problem)))
                values[spec.name] = None
        return values, issues

    def _converter(self, spec: FieldSpec) -> Converter:  # noqa: C901 (one branch per field kind reads best)
        kind, formats = spec.kind, self.mapping.date_formats
        if kind == "text":
            return lambda v: clean_text(v, max_length=spec.max_length)
        if kind == "date":
            return self._plausible(_memo(lambda v: parse_date(v, formats)))
        if kind == "month":
            return self._plausible(lambda v: parse_month(v, formats), month=True)
        if kind == "int":
            return lambda v: parse_int(v, minimum=0)
        if kind == "bool":
            return parse_bool
        if kind == "choice":
            table = OUTCOMES[self.mapping.kind] if spec.name == "outcome" else CHOICES[spec.name]
            return lambda v: _lookup(table, v, "ukendt værdi «{}». Tilføj den i kortlægningen.")
        if kind == "code":
            return self._code(spec)
        if kind == "codes":
            themes, translate = self.lookups.themes, self.mapping.translate

            def codes(value: str) -> list[int]:
                parts = [translate(spec.name, p.strip()) for p in value.split(",") if p.strip()]
                return [_lookup(themes, p, "ukendt tema «{}».") for p in parts]

            return codes
        if kind == "cpr":
            return self._pseudonymise
        if kind == "id":
            return _memo(pseudonymise_id)
        raise AssertionError(kind)

    def _plausible(self, convert: Converter, *, month: bool = False) -> Converter:
        """A date after the source's latest allowed day (today plus its tolerance) or before
        EARLIEST_DATE is an error: a received date in 2099 is a typing error, not a case."""
        latest, earliest = self.lookups.latest_date, EARLIEST_DATE

        def checked(value: str) -> Any:
            found = convert(value)
            if found is None:
                return None
            if found > (latest.replace(day=1) if month else latest):
                shown = f"{found:%m-%Y}" if month else f"{found:%d-%m-%Y}"
                limit = f"{latest:%m-%Y}" if month else f"{latest:%d-%m-%Y}"
                raise ValueProblem(f"{shown} ligger i fremtiden; senest tilladt er {limit}.")
            if found < earliest:
                shown = f"{found:%m-%Y}" if month else f"{found:%d-%m-%Y}"
                raise ValueProblem(f"{shown} ligger før {earliest:%d-%m-%Y} og er ikke troværdig.")
            return found

        return checked

    def _pseudonymise(self, value: str) -> str:
        found = self._cpr.get(value)
        if found is None:
            # A CPR number typed into a numeric Excel cell loses its leading zero.
            digits = value.strip()
            if len(digits) == 9 and digits.isdigit():
                digits = "0" + digits
            try:
                found = self._cpr[value] = pseudonymise_cpr(digits)
            except InvalidCpr as problem:
                raise ValueProblem(str(problem)) from None
        return found

    def _code(self, spec: FieldSpec) -> Converter:
        lookups = self.lookups
        if spec.name == "unit":

            def unit(value: str) -> int:
                found = lookups.units.get(value.strip().casefold())
                if found is None:
                    raise ValueProblem(
                        f"ukendt enhedskode «{echo(value.strip())}». Opret enheden i stamdata "
                        "eller oversæt koden i kortlægningen."
                    )
                if lookups.administration_id and found[1] != lookups.administration_id:
                    raise ValueProblem("enheden hører ikke til kildesystemets forvaltning.")
                return found[0]

            return unit
        table = lookups.case_types if spec.name == "case_type" else lookups.themes
        message = "ukendt sagstype «{}»." if spec.name == "case_type" else "ukendt klagetema «{}»."
        return lambda v: _lookup(table, v, message)


def _memo(convert: Converter, limit: int = 100_000) -> Converter:
    """Dates and caseworker ids repeat across rows: convert each distinct text once per load. Problems are
    not cached, so every bad row is still reported."""
    seen: dict[str, Any] = {}

    def cached(value: str) -> Any:
        found = seen.get(value, seen)
        if found is seen:
            found = convert(value)
            if len(seen) < limit:
                seen[value] = found
        return found

    return cached


def _lookup(table: dict[str, Any], value: str, message: str) -> Any:
    found = table.get(value.strip().casefold())
    if found is None:
        raise ValueProblem(message.format(echo(value.strip())))
    return found


def parse_month(value: str, formats: tuple[str, ...]) -> date | None:
    """A month as mm-åååå, åååå-mm or any full date (its month); stored as the first day."""
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})[-./](\d{4})|(\d{4})[-./](\d{1,2})", text)
    if match:
        month, year = (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        if not 1 <= month <= 12:
            raise ValueProblem(f"ugyldig måned: {month}")
        return date(year, month, 1)
    parsed = parse_date(text, formats)
    return parsed.replace(day=1) if parsed else None


def _build(  # noqa: C901 (one block per record kind reads best)
    kind: str, row: int, values: dict[str, Any], issues: list[Issue], plan: Plan, source_system: str
) -> Record | list[Issue]:
    """A record, or every problem of the row: its cells' (`issues`, extended here) and those between its
    cells."""

    def problem(name: str, message: str) -> None:
        issues.append(Issue(row, plan.columns[name], message))

    if kind == "cases":
        received, decided, closed = values["received_date"], values["decided_date"], values["closed_date"]
        if received and decided and decided < received:
            problem("decided_date", "afgørelsen kan ikke ligge før modtagelsen.")
        if received and closed and closed < received:
            problem("closed_date", "lukningen kan ikke ligge før modtagelsen.")
        if issues:
            return issues
        status = status_for(decided, closed)
        return Record(
            row,
            values["external_id"],
            {
                "source_system": source_system,
                "external_id": values["external_id"],
                "unit_id": values["unit"],
                "case_type_id": values["case_type"],
                "received_date": received,
                "decided_date": decided,
                "closed_date": closed,
                "status": status,
                "due_date": plan.lookups.due(values["case_type"], received),
                "processing_days": elapsed_working_days(received, decided, plan.lookups.rules),
                "citizen_key": values["citizen_cpr"] or values["citizen_id"] or "",
                "caseworker_key": values["caseworker_id"] or "",
            },
        )
    if kind == "volume_counts":
        within = values["decided_within_deadline"]
        if within is not None and values["decided"] is not None and within > values["decided"]:
            problem("decided_within_deadline", "kan ikke være større end antal afgjorte.")
        if issues:
            return issues
        key = (values["unit"], values["case_type"], values["month"])
        return Record(
            row,
            key,
            {
                "source_system": source_system,
                "unit_id": values["unit"],
                "case_type_id": values["case_type"],
                "month": values["month"],
                "received": values["received"],
                "decided": values["decided"],
                "decided_within_deadline": within,
            },
        )
    if kind == "complaints":
        received, answered = values["received_date"], values["answered_date"]
        if received and answered and answered < received:
            problem("answered_date", "svaret kan ikke ligge før modtagelsen.")
        channel = values["channel"] or Channel.DIRECT
        supervision = bool(values["supervision_case_opened"])
        channel_bad = any(issue.column == plan.columns["channel"] for issue in issues)
        if supervision and channel != Channel.OMBUDSMAN and not channel_bad:
            problem("supervision_case_opened", "kun klager via Borgerrådgiveren kan føre til en tilsynssag.")
        if issues:
            return issues
        return Record(
            row,
            values["external_id"],
            {
                "source_system": source_system,
                "external_id": values["external_id"],
                "unit_id": values["unit"],
                "kind": values["kind"],
                "channel": channel,
                "received_date": received,
                "answered_date": answered,
                "reply_days": elapsed_working_days(received, answered, plan.lookups.rules),
                "case_type_id": values["case_type"],
                "supervision_case_opened": supervision,
                "learning_note": values["learning_note"] or "",
                "citizen_key": values["citizen_cpr"] or values["citizen_id"] or "",
            },
            extra={"points": [(values["theme"], values["outcome"] or PointOutcome.PENDING)]},
        )
    if kind == "appeals":
        if issues:
            return issues
        return Record(
            row,
            values["external_id"],
            {
                "source_system": source_system,
                "external_id": values["external_id"],
                "unit_id": values["unit"],
                "case_type_id": values["case_type"],
                "appeal_body": values["appeal_body"],
                "law_area": values["law_area"],
                "paragraph": values["paragraph"] or "",
                "decision_date": values["decision_date"],
                "outcome": values["outcome"],
            },
            extra={"reversal_reasons": sorted(values["reversal_reasons"] or [])},
        )
    raise AssertionError(kind)


def header_issues(table: Table, mapping: Mapping) -> list[Issue]:
    """Missing required columns (all listed in one message) are errors; unknown columns are warnings."""
    present = set(table.keys)
    missing = [
        mapping.header_for(s.name) or s.label
        for s in mapping.specs
        if s.required and mapping.key_for(s.name) not in present
    ]
    issues = []
    if missing:
        issues.append(
            Issue(
                None,
                "",
                "Filen mangler disse påkrævede kolonner: " + ", ".join(f"«{m}»" for m in missing) + ".",
            )
        )
    known = {mapping.key_for(s.name) for s in mapping.specs}
    for index, (header, key) in enumerate(zip(table.headers, table.keys, strict=True)):
        if key not in known:
            # column_label names the column by number when the "header" may be data (a CPR number, say).
            label = column_label(header, index)
            issues.append(
                Issue(
                    None,
                    header if "«" in label else label,
                    f"{label[0].upper()}{label[1:]} kendes ikke og springes over.",
                    warning=True,
                )
            )
    return issues


def _key(kind: str, values: dict[str, Any]) -> Any:
    """The row's upsert key, or None while a part of it is missing or invalid."""
    parts = (
        (values["unit"], values["case_type"], values["month"])
        if kind == "volume_counts"
        else (values["external_id"],)
    )
    if any(part is None for part in parts):
        return None
    return parts if len(parts) > 1 else parts[0]


def records(table: Table, mapping: Mapping, lookups: Lookups, source_system: str) -> Iterator[Record | Issue]:
    """Validated records and issues, in file order. Complaint rows sharing a number become one complaint
    with several points (they must agree on the complaint's own fields)."""
    kind = mapping.kind
    noun = "post" if table.format == "json" else "række"  # pushed records are numbered 1, 2, … (API)
    first_row: dict[Any, int] = {}  # key -> the row it first appeared in
    complaints: dict[str, Record] = {}
    plan = Plan(mapping, lookups)
    key_names = ("unit", "case_type", "month") if kind == "volume_counts" else ("external_id",)
    key_columns = [plan.columns[name] for name in key_names]
    key_label = " og ".join(", ".join(f"«{c}»" for c in key_columns).rsplit(", ", 1))
    for raw in table.rows:
        if raw.problem:
            yield Issue(raw.number, "", raw.problem)
            continue
        values, issues = plan.read(raw)
        record = _build(kind, raw.number, values, issues, plan, source_system)
        if kind != "complaints":
            key = _key(kind, values)
            first = raw.number if key is None else first_row.setdefault(key, raw.number)
            if first != raw.number:
                yield Issue(
                    raw.number,
                    key_columns[-1],
                    f"samme {key_label} som i {noun} {first} (dublet).",
                )
                if isinstance(record, Record):
                    continue
        if isinstance(record, list):
            yield from record
            continue
        if kind == "complaints":
            earlier = complaints.get(record.key)
            if earlier is None:
                complaints[record.key] = record
                continue
            theme = record.extra["points"][0][0]
            if earlier.fields != record.fields:
                yield Issue(
                    raw.number,
                    plan.columns["external_id"],
                    f"klagenummeret står også i {noun} {earlier.row} med andre oplysninger om klagen.",
                )
            elif theme in {t for t, _o in earlier.extra["points"]}:
                yield Issue(
                    raw.number,
                    plan.columns["theme"],
                    f"temaet står allerede på klagen i {noun} {earlier.row}.",
                )
            else:
                earlier.extra["points"].append(record.extra["points"][0])
            continue
        yield record
    yield from complaints.values()
