"""Forms for sources, mappings and uploads; they parse input, the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings

from sagsindsigt.intake.mapping import FIELDS, Mapping, MappingInvalid, parse_value_lines, value_lines
from sagsindsigt.intake.models import RecordKind, Source
from sagsindsigt.organisation.models import Administration

FUTURE_DAYS_HELP = (
    "Modtaget-, afgørelses- og andre datoer må højst ligge så mange dage efter i dag "
    "(datoer før 01-01-1990 afvises altid)."
)


def _future_days_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Dage frem, en dato må ligge", min_value=0, max_value=31, initial=1, help_text=FUTURE_DAYS_HELP
    )


class SourceForm(forms.Form):
    name = forms.CharField(label="Navn på kildesystem", max_length=50)
    kind = forms.ChoiceField(label="Posttype", choices=RecordKind.choices)
    administration = forms.ModelChoiceField(
        label="Forvaltning (valgfri)",
        queryset=Administration.objects.all(),
        required=False,
        empty_label="Alle forvaltninger",
        help_text="Begrænser hvilke enheder filerne må indeholde.",
    )
    future_days = _future_days_field()

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Source.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("Der findes allerede et kildesystem med det navn.")
        return name


class MappingForm(forms.Form):
    """One header field per target field, a «lokal = vores» text box per value-mapped field."""

    date_formats = forms.CharField(label="Datoformater (adskilt af komma)", max_length=200)
    sheet = forms.CharField(label="Ark i Excel-filer (tom = første ark)", max_length=100, required=False)
    future_days = _future_days_field()

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        mapping = Mapping.from_json(source.mapping, source.kind)
        self.fields["future_days"].initial = source.future_days
        self.fields["date_formats"].initial = ", ".join(mapping.date_formats)
        self.fields["sheet"].initial = mapping.sheet
        for spec in FIELDS[source.kind]:
            self.fields[f"col_{spec.name}"] = forms.CharField(
                label=f"{spec.label}{' (påkrævet)' if spec.required else ''}: kolonneoverskrift",
                required=spec.required,
                max_length=200,
                initial=mapping.columns.get(spec.name, ""),
            )
            if spec.value_mapped:
                self.fields[f"map_{spec.name}"] = forms.CharField(
                    label=f"{spec.label}: oversættelse af lokale værdier",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=value_lines(mapping.values.get(spec.name, {})),
                    help_text="Én pr. linje: lokal værdi = vores værdi, fx «4711 = SOF-HJ».",
                )

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        values = {}
        for spec in FIELDS[self.source.kind]:
            if spec.value_mapped and data.get(f"map_{spec.name}"):
                try:
                    values[spec.name] = parse_value_lines(data[f"map_{spec.name}"])
                except MappingInvalid as error:
                    raise forms.ValidationError({f"map_{spec.name}": str(error)}) from None
        try:
            return Mapping.from_json(
                {
                    "kind": self.source.kind,
                    "columns": {s.name: data.get(f"col_{s.name}", "") for s in FIELDS[self.source.kind]},
                    "values": values,
                    "date_formats": [f.strip() for f in data["date_formats"].split(",") if f.strip()],
                    "sheet": data.get("sheet", ""),
                },
                self.source.kind,
            )
        except MappingInvalid as error:
            raise forms.ValidationError(str(error)) from None


class MappingFileForm(forms.Form):
    file = forms.FileField(label="Kortlægningsfil (JSON)")

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_file(self) -> Mapping:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("Kortlægningsfilen er for stor (højst 1 MB).")
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError("Filen er ikke gyldig JSON.") from None
        if not isinstance(data, dict):
            raise forms.ValidationError("Filen skal indeholde et JSON-objekt.")
        try:
            return Mapping.from_json(data, self.source.kind)
        except MappingInvalid as error:
            raise forms.ValidationError(str(error)) from None


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Kildesystem", queryset=Source.objects.all(), empty_label="Vælg kildesystem"
    )
    file = forms.FileField(
        label="Fil (CSV eller Excel)", widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.INTAKE_MAX_UPLOAD_BYTES:
            limit = settings.INTAKE_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Filen er for stor; højst {limit} MB.")
        return upload
