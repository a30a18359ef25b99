"""The target form: parses year / quarter / custom periods and a baseline; the service decides the rest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.cases.models import CaseArea, CaseType
from sagsindsigt.common.forms import date_field
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.targets.models import Target, TargetDirection, TargetKind
from sagsindsigt.insight.targets.rules import default_direction, target_warning
from sagsindsigt.insight.targets.services import TargetData, may_set_municipality_targets
from sagsindsigt.organisation.access import administrations_in_scope, units_in_scope
from sagsindsigt.organisation.models import Administration, Unit

PERIOD_TYPES = [("year", _("Kalenderår")), ("quarter", _("Kvartal")), ("custom", _("Selvvalgt periode"))]
QUARTERS = [("", _("Vælg kvartal")), *((str(q), f"{q}. kvartal") for q in range(1, 5))]
DIRECTIONS = [
    ("", _("Som nøgletallet tilsiger (lavere eller højere er bedre)")),
    (TargetDirection.AT_MOST, _("Højst (et loft)")),
    (TargetDirection.AT_LEAST, _("Mindst (et minimum)")),
]


def metric_option(code: str) -> str:
    m = METRICS[code]
    return f"{m.name} (enhed: {m.unit})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.administration.code} · {obj.name}"


def _year_field(label: Any, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Skriv et årstal, fx 2025."),
            "min_value": _("Årstallet skal ligge mellem 2000 og 2100."),
            "max_value": _("Årstallet skal ligge mellem 2000 og 2100."),
        },
    )


class TargetForm(forms.Form):
    metric = forms.ChoiceField(
        label=_("Nøgletal"),
        choices=[("", _("Vælg nøgletal")), *((code, metric_option(code)) for code in METRICS)],
        help_text=_("Enheden står i parentes. Hvordan hvert nøgletal beregnes, står under formularen."),
        error_messages={
            "required": _("Vælg et nøgletal."),
            "invalid_choice": _("Vælg et nøgletal fra listen."),
        },
    )
    theme = forms.ModelChoiceField(
        label=_("Klagetema"),
        queryset=ComplaintTheme.objects.none(),
        required=False,
        empty_label=_("Intet tema"),
        help_text=_("Kun til nøgletallet »Klagepunkter om temaet pr. 1.000 afgjorte sager«."),
    )
    administration = forms.ModelChoiceField(
        label=_("Forvaltning"),
        queryset=Administration.objects.none(),
        required=False,
        error_messages={
            "required": _("Vælg forvaltningen."),
            "invalid_choice": _("Vælg en forvaltning fra listen."),
        },
    )
    unit = UnitChoiceField(
        label=_("Enhed"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Hele forvaltningen"),
        help_text=_("Målet gælder enheden med dens underenheder."),
        error_messages={"invalid_choice": _("Vælg en enhed fra listen.")},
    )
    case_area = forms.ModelChoiceField(
        label=_("Sagsområde"),
        queryset=CaseArea.objects.all(),
        required=False,
        empty_label=_("Alle sagsområder"),
    )
    case_type = forms.ModelChoiceField(
        label=_("Sagstype"), queryset=CaseType.objects.all(), required=False, empty_label=_("Alle sagstyper")
    )
    period_type = forms.ChoiceField(
        label=_("Periode"), choices=PERIOD_TYPES, initial="year", widget=forms.RadioSelect
    )
    year = _year_field(_("År"))
    quarter = forms.ChoiceField(label=_("Kvartal"), choices=QUARTERS, required=False)
    period_start = date_field(_("Fra (selvvalgt periode)"), required=False)
    period_end = date_field(_("Til (selvvalgt periode)"), required=False)
    kind = forms.ChoiceField(
        label=_("Måltype"), choices=TargetKind.choices, initial=TargetKind.ABSOLUTE, widget=forms.RadioSelect
    )
    value = forms.DecimalField(
        label=_("Målværdi"),
        required=False,
        localize=True,
        max_digits=12,
        decimal_places=2,
        help_text=_("I nøgletallets enhed, fx 12 for 12 klager pr. 1.000 afgjorte sager eller 80 for 80 %."),
    )
    change_percent = forms.DecimalField(
        label=_("Ændring i procent"),
        required=False,
        localize=True,
        max_digits=6,
        decimal_places=2,
        help_text=_("I forhold til basisperioden: fx -40 for 40 % færre, 10 for 10 % flere."),
    )
    baseline_year = _year_field(_("Basisår"))
    baseline_start = date_field(_("Basisperiode fra"), required=False)
    baseline_end = date_field(_("Basisperiode til"), required=False)
    direction = forms.ChoiceField(label=_("Retning"), choices=DIRECTIONS, required=False)
    amber_margin_percent = forms.DecimalField(
        label=_("Gul margen (% af målet)"),
        initial=Decimal(10),
        localize=True,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "Hvor langt fra målet tallet må ligge og stadig være gult i stedet for rødt. "
            "10 betyder 10 % af målværdien."
        ),
        error_messages={"required": _("Skriv den gule margen, fx 10.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    acknowledge_warning = forms.BooleanField(label=_("Jeg har forstået advarslen"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_allowed = may_set_municipality_targets(user)
        administration = self.fields["administration"]
        administration.queryset = administrations_in_scope(user).order_by("code")  # type: ignore[attr-defined]
        administration.empty_label = _("Hele kommunen") if municipality_allowed else _("Vælg forvaltning")  # type: ignore[attr-defined]
        administration.required = not municipality_allowed
        today = timezone.localdate()
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            units_in_scope(user)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .order_by("administration__code", "name")
        )
        self.fields["theme"].queryset = ComplaintTheme.objects.filter(active=True).order_by("code")  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(target: Target) -> dict[str, Any]:
        """The form's initial values for an existing target, with its period shown as year or quarter
        when it is one."""
        initial: dict[str, Any] = {
            "metric": target.metric,
            "theme": target.theme_id,
            "administration": target.administration_id,
            "unit": target.unit_id,
            "case_area": target.case_area_id,
            "case_type": target.case_type_id,
            "kind": target.kind,
            "value": target.value,
            "change_percent": target.change_percent,
            "direction": target.direction,
            "amber_margin_percent": target.amber_margin_percent,
            "note": target.note,
            "acknowledge_warning": target.warning_acknowledged,
        }
        start, end = target.period_start, target.period_end
        if Period(start, end) == Period.year(start.year):
            initial |= {"period_type": "year", "year": start.year}
        elif start.month % 3 == 1 and Period(start, end) == Period.quarter(start.year, start.month // 3 + 1):
            initial |= {"period_type": "quarter", "year": start.year, "quarter": str(start.month // 3 + 1)}
        else:
            initial |= {"period_type": "custom", "period_start": start, "period_end": end}
        if target.baseline_start and target.baseline_end:
            year = target.baseline_start.year
            if Period(target.baseline_start, target.baseline_end) == Period.year(year):
                initial["baseline_year"] = year
            else:
                initial |= {"baseline_start": target.baseline_start, "baseline_end": target.baseline_end}
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_type, year = data.get("period_type"), data.get("year")
        start: date | None = None
        end: date | None = None
        if period_type in ("year", "quarter"):
            if year is None and "year" not in self.errors:
                self.add_error("year", _("Skriv året, fx 2025."))
            elif year is not None and period_type == "year":
                start, end = Period.year(year).start, Period.year(year).end
            elif year is not None:
                if not data.get("quarter"):
                    self.add_error("quarter", _("Vælg kvartalet."))
                else:
                    q = Period.quarter(year, int(data["quarter"]))
                    start, end = q.start, q.end
        elif period_type == "custom":
            start, end = data.get("period_start"), data.get("period_end")
            if start is None and "period_start" not in self.errors:
                self.add_error("period_start", _("Skriv periodens første dag."))
            if end is None and "period_end" not in self.errors:
                self.add_error("period_end", _("Skriv periodens sidste dag."))
            if start and end and end < start:
                self.add_error("period_end", _("Perioden skal slutte efter den begynder."))
                start = end = None
        data["resolved_start"], data["resolved_end"] = start, end

        if data.get("kind") == TargetKind.ABSOLUTE:
            if data.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("Skriv målværdien."))
        elif data.get("kind") == TargetKind.RELATIVE:
            if data.get("change_percent") is None and "change_percent" not in self.errors:
                self.add_error("change_percent", _("Skriv ændringen i procent, fx -40 for 40 % færre."))
            base_year = data.get("baseline_year")
            b_start, b_end = data.get("baseline_start"), data.get("baseline_end")
            if base_year is not None:
                b_start, b_end = Period.year(base_year).start, Period.year(base_year).end
            elif b_start is None or b_end is None:
                if not {"baseline_year", "baseline_start", "baseline_end"} & set(self.errors):
                    self.add_error("baseline_year", _("Skriv basisåret, eller vælg basisperiodens datoer."))
            elif b_end < b_start:
                self.add_error("baseline_end", _("Basisperioden skal slutte efter den begynder."))
            data["resolved_baseline"] = (b_start, b_end)
        return data

    def direction_chosen(self) -> str | None:
        """The direction the target will get: the one chosen, else the metric's own."""
        metric = METRICS.get(self.cleaned_data.get("metric") or "")
        if metric is None:
            return None
        return self.cleaned_data.get("direction") or default_direction(metric)

    def warning(self) -> str | None:
        """The count-cap warning for what was submitted (DOMAIN.md §2), or None."""
        metric = METRICS.get(self.cleaned_data.get("metric") or "")
        direction = self.direction_chosen()
        if metric is None or direction is None:
            return None
        return target_warning(
            metric, direction, relative=self.cleaned_data.get("kind") == TargetKind.RELATIVE
        )

    def to_data(self) -> TargetData:
        d = self.cleaned_data
        relative = d["kind"] == TargetKind.RELATIVE
        b_start, b_end = d.get("resolved_baseline", (None, None)) if relative else (None, None)
        return TargetData(
            metric=d["metric"],
            period_start=d["resolved_start"],
            period_end=d["resolved_end"],
            kind=d["kind"],
            value=None if relative else d["value"],
            change_percent=d["change_percent"] if relative else None,
            baseline_start=b_start,
            baseline_end=b_end,
            direction=d["direction"] or None,
            amber_margin_percent=d["amber_margin_percent"],
            administration=d["administration"],
            unit=d["unit"],
            case_area=d["case_area"],
            case_type=d["case_type"],
            theme=d["theme"],
            note=d["note"],
        )


class TargetEditForm(TargetForm):
    reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vises i målets historik, fx »Vedtaget af udvalget 12-03-2025«."),
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Begrundelse (valgfri)"), required=False, max_length=2000)
