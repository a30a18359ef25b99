"""Forms for registering and filtering complaints; they parse input, the service decides."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.cases.models import CaseType
from sagsindsigt.common.forms import date_field
from sagsindsigt.common.pseudonym import InvalidCpr, normalise_cpr
from sagsindsigt.complaints.models import Channel, Complaint, ComplaintKind, ComplaintTheme, PointOutcome
from sagsindsigt.complaints.services import answered_date_problem
from sagsindsigt.organisation.access import administrations_in_scope, scope_of, units_in_scope
from sagsindsigt.organisation.models import Administration, Unit

if TYPE_CHECKING:
    pass


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.administration.code} · {obj.name}"


class ComplaintForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Enhed"),
        queryset=Unit.objects.none(),
        empty_label=_("Vælg enhed"),
        error_messages={"invalid_choice": _("Vælg en enhed fra listen.")},
    )
    kind = forms.ChoiceField(
        label=_("Klageart"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Vælg formalitetsklage eller realitetsklage.")},
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.DIRECT)
    received_date = date_field(_("Modtaget"))
    answered_date = date_field(_("Besvaret"), required=False)
    case_type = forms.ModelChoiceField(
        label=_("Sagstype"), queryset=CaseType.objects.all(), required=False, empty_label=_("Ikke angivet")
    )
    citizen_cpr = forms.CharField(
        label=_("Borgerens CPR-nummer (valgfrit)"),
        required=False,
        max_length=11,
        help_text=_("Gemmes aldrig: nummeret erstattes straks af et pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    supervision_case_opened = forms.BooleanField(
        label=_("Borgerrådgiveren oprettede en tilsynssag"), required=False
    )
    learning_note = forms.CharField(
        label=_("Læring"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            units_in_scope(user)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .order_by("administration__code", "name")
        )

    def clean_received_date(self) -> date:
        value: date = self.cleaned_data["received_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Modtagelsesdatoen kan ikke ligge i fremtiden."))
        return value

    def clean_citizen_cpr(self) -> str:
        raw: str = self.cleaned_data.get("citizen_cpr", "")
        if not raw:
            return ""
        try:
            normalise_cpr(raw)
        except InvalidCpr as error:
            # The message never repeats the number.
            raise forms.ValidationError(str(error)) from None
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = answered_date_problem(
            data.get("received_date"), data.get("answered_date"), timezone.localdate()
        )
        if problem:
            self.add_error("answered_date", problem)
        if data.get("supervision_case_opened") and data.get("channel") != Channel.OMBUDSMAN:
            self.add_error(
                "supervision_case_opened",
                _("Kun klager modtaget via Borgerrådgiveren kan føre til en tilsynssag."),
            )
        return data


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class PointForm(forms.Form):
    theme = ThemeChoiceField(
        label=_("Tema"),
        queryset=ComplaintTheme.objects.none(),
        required=False,
        empty_label=_("Vælg tema"),
        error_messages={"invalid_choice": _("Vælg et tema fra listen.")},
    )
    outcome = forms.ChoiceField(label=_("Udfald"), choices=PointOutcome.choices, initial=PointOutcome.PENDING)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        local = Q(administration__isnull=True)
        if not scope.is_municipality:
            local |= Q(administration_id=scope.administration_id)
        else:
            local |= Q(administration__isnull=False)
        self.fields["theme"].queryset = ComplaintTheme.objects.filter(local, active=True)  # type: ignore[attr-defined]


class BasePointFormSet(forms.BaseFormSet):
    # Registering needs a first point; editing adds points to those the complaint has.
    require_one = True

    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [f.cleaned_data.get("theme") for f in self.forms if f.cleaned_data.get("theme")]
        if not chosen and self.require_one:
            raise forms.ValidationError(_("Angiv mindst ét klagepunkt med et tema."))
        if len({t.pk for t in chosen}) != len(chosen):
            raise forms.ValidationError(_("Det samme tema er valgt for flere klagepunkter."))


PointFormSet = forms.formset_factory(
    PointForm, formset=BasePointFormSet, extra=0, max_num=20, absolute_max=20
)


class NewPointFormSet(BasePointFormSet):
    require_one = False


NewPointsFormSet = forms.formset_factory(
    PointForm, formset=NewPointFormSet, extra=0, max_num=20, absolute_max=20
)


class ComplaintEditForm(forms.Form):
    """The answer, the learning and each existing point's outcome (one field per point)."""

    answered_date = date_field(_("Besvaret"), required=False)
    learning_note = forms.CharField(
        label=_("Læring"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"answered_date": complaint.answered_date, "learning_note": complaint.learning_note}
        )
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.point_fields: list[tuple[Any, str]] = []
        for point in complaint.points.all():
            name = f"udfald-{point.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("Udfald for %(theme)s") % {"theme": f"{point.theme.code} {point.theme.name}"},
                choices=PointOutcome.choices,
                initial=point.outcome,
                error_messages={"invalid_choice": _("Vælg et udfald fra listen.")},
            )
            self.point_fields.append((point, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = answered_date_problem(
            self.complaint.received_date, data.get("answered_date"), timezone.localdate()
        )
        if problem:
            self.add_error("answered_date", problem)
        return data

    def outcomes(self) -> dict[int, str]:
        return {point.pk: self.cleaned_data[name] for point, name in self.point_fields}

    def bound_point_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(point, self[name]) for point, name in self.point_fields]


class ComplaintFilterForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Forvaltning"), queryset=Administration.objects.none(), required=False, empty_label=_("Alle")
    )
    unit = UnitChoiceField(
        label=_("Enhed"), queryset=Unit.objects.none(), required=False, empty_label=_("Alle")
    )
    theme = ThemeChoiceField(
        label=_("Tema"), queryset=ComplaintTheme.objects.none(), required=False, empty_label=_("Alle")
    )
    kind = forms.ChoiceField(
        label=_("Klageart"), choices=[("", _("Alle")), *ComplaintKind.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=[("", _("Alle")), *Channel.choices], required=False)
    outcome = forms.ChoiceField(
        label=_("Udfald (klagepunkt)"), choices=[("", _("Alle")), *PointOutcome.choices], required=False
    )
    fra = date_field(_("Modtaget fra"), required=False)
    til = date_field(_("Modtaget til"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations_in_scope(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_in_scope(user).order_by(  # type: ignore[attr-defined]
            "administration__code", "name"
        )
        self.fields["theme"].queryset = ComplaintTheme.objects.filter(  # type: ignore[attr-defined]
            administration__isnull=True
        )
