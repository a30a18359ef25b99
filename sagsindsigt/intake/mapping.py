"""How a source's export maps to our fields: column names, value maps and date formats (pure)."""

from __future__ import annotations

import json
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from typing import Any

from sagsindsigt.intake.readers import normalise_header

DEFAULT_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # Danish, shown in the mapping form and in messages
    required: bool
    kind: str  # text | date | month | int | bool | code | choice | cpr | id | codes
    max_length: int = 200
    value_mapped: bool = False  # a local value → our value map applies
    default_header: str = ""


def _f(
    name: str,
    label: str,
    kind: str,
    *,
    required: bool = False,
    mapped: bool = False,
    header: str = "",
    max_length: int = 200,
) -> FieldSpec:
    return FieldSpec(name, label, required, kind, max_length, mapped, header or label)


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "cases": (
        _f("external_id", "Sagsnummer", "text", required=True, max_length=100),
        _f("unit", "Enhed", "code", required=True, mapped=True),
        _f("case_type", "Sagstype", "code", required=True, mapped=True),
        _f("received_date", "Modtaget", "date", required=True),
        _f("decided_date", "Afgørelse sendt", "date"),
        _f("closed_date", "Lukket", "date"),
        _f("citizen_cpr", "CPR-nummer", "cpr"),
        _f("citizen_id", "Borger-id", "id"),
        _f("caseworker_id", "Sagsbehandler", "id"),
    ),
    "volume_counts": (
        _f("unit", "Enhed", "code", required=True, mapped=True),
        _f("case_type", "Sagstype", "code", required=True, mapped=True),
        _f("month", "Måned", "month", required=True),
        _f("received", "Modtagne", "int", required=True),
        _f("decided", "Afgjorte", "int", required=True),
        _f("decided_within_deadline", "Afgjort inden for frist", "int"),
    ),
    "complaints": (
        _f("external_id", "Klagenummer", "text", required=True, max_length=100),
        _f("unit", "Enhed", "code", required=True, mapped=True),
        _f("kind", "Klageart", "choice", required=True, mapped=True),
        _f("channel", "Kanal", "choice", mapped=True),
        _f("received_date", "Modtaget", "date", required=True),
        _f("answered_date", "Besvaret", "date"),
        _f("case_type", "Sagstype", "code", mapped=True),
        _f("theme", "Tema", "code", required=True, mapped=True),
        _f("outcome", "Udfald", "choice", mapped=True),
        _f("supervision_case_opened", "Tilsynssag", "bool", mapped=True),
        _f("learning_note", "Læring", "text", max_length=5000),
        _f("citizen_cpr", "CPR-nummer", "cpr"),
        _f("citizen_id", "Borger-id", "id"),
    ),
    "appeals": (
        _f("external_id", "Ankesagsnummer", "text", required=True, max_length=100),
        _f("unit", "Enhed", "code", required=True, mapped=True),
        _f("case_type", "Sagstype", "code", mapped=True),
        _f("appeal_body", "Klageinstans", "choice", required=True, mapped=True),
        _f("law_area", "Lovområde", "choice", required=True, mapped=True),
        _f("paragraph", "Paragraf", "text", max_length=50),
        _f("decision_date", "Afgørelsesdato", "date", required=True),
        _f("outcome", "Udfald", "choice", required=True, mapped=True),
        _f("reversal_reasons", "Omgørelsesårsager", "codes", mapped=True),
    ),
}


class MappingInvalid(ValueError):
    """A mapping file or form that cannot be used; the message is Danish."""


@dataclass(frozen=True)
class Mapping:
    """Columns by header name (matched case- and whitespace-insensitively) and value maps per field."""

    kind: str
    columns: dict[str, str]  # our field name -> header in the source's export
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> local value -> ours
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    sheet: str = ""

    @property
    def specs(self) -> tuple[FieldSpec, ...]:
        return FIELDS[self.kind]

    def header_for(self, name: str) -> str:
        return self.columns.get(name, "")

    def key_for(self, name: str) -> str:
        return normalise_header(self.header_for(name)) if self.header_for(name) else ""

    def translate(self, name: str, value: str) -> str:
        """A local value through the field's value map (keys matched case-insensitively)."""
        table = self.values.get(name)
        if not table:
            return value
        return table.get(value.strip().casefold(), value)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "columns": dict(self.columns),
            "values": self.values,
            "date_formats": list(self.date_formats),
            "sheet": self.sheet,
        }

    @classmethod
    def default(cls, kind: str) -> Mapping:
        return cls(kind=kind, columns={s.name: s.default_header for s in FIELDS[kind]})

    @classmethod
    def from_json(cls, data: MappingABC[str, Any] | None, kind: str) -> Mapping:
        """Parse and validate; unknown fields and malformed maps are refused with a Danish message."""
        if not data:
            return cls.default(kind)
        if data.get("kind", kind) != kind:
            raise MappingInvalid(f"Kortlægningen er til posttypen «{data.get('kind')}», ikke «{kind}».")
        known = {s.name for s in FIELDS[kind]}
        columns = data.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise MappingInvalid("«columns» skal være et objekt med felt → kolonneoverskrift.")
        unknown = sorted(set(columns) - known)
        if unknown:
            raise MappingInvalid(f"Ukendte felter i kortlægningen: {', '.join(unknown)}.")
        missing = [s.label for s in FIELDS[kind] if s.required and not str(columns.get(s.name, "")).strip()]
        if missing:
            raise MappingInvalid(f"Disse påkrævede felter mangler en kolonne: {', '.join(missing)}.")
        values = data.get("values", {})
        if not isinstance(values, dict):
            raise MappingInvalid("«values» skal være et objekt med felt → {lokal værdi: vores værdi}.")
        clean_values: dict[str, dict[str, str]] = {}
        for name, table in values.items():
            if name not in known:
                raise MappingInvalid(f"Værdioversættelse for ukendt felt «{name}».")
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                raise MappingInvalid(f"Værdioversættelsen for «{name}» skal være lokal værdi → vores værdi.")
            clean_values[name] = {str(k).strip().casefold(): v.strip() for k, v in table.items()}
        formats = tuple(data.get("date_formats") or DEFAULT_DATE_FORMATS)
        if not all(isinstance(f, str) and "%" in f for f in formats):
            raise MappingInvalid("Datoformater skal skrives som fx %d-%m-%Y.")
        return cls(
            kind=kind,
            columns={k: v.strip() for k, v in columns.items() if v.strip()},
            values=clean_values,
            date_formats=formats,
            sheet=str(data.get("sheet") or ""),
        )

    def dumps(self, source_name: str) -> str:
        return json.dumps({"source": source_name, **self.to_json()}, ensure_ascii=False, indent=2)


def parse_value_lines(text: str) -> dict[str, str]:
    """The mapping form's «lokal = vores» lines as a dict; blank lines and #-comments ignored."""
    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in stripped:
            raise MappingInvalid(f"Linje {number}: skriv «lokal værdi = vores værdi».")
        local, ours = (part.strip() for part in stripped.split("=", 1))
        if not local or not ours:
            raise MappingInvalid(f"Linje {number}: både lokal værdi og vores værdi skal udfyldes.")
        result[local.casefold()] = ours
    return result


def value_lines(table: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in table.items())
