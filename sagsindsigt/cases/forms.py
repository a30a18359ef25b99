"""The filter of the case list: the administrations and units the user may see."""

from __future__ import annotations

from django import forms

from sagsindsigt.cases.models import CaseStatus
from sagsindsigt.common.forms import date_field
from sagsindsigt.organisation.access import administrations_in_scope, units_in_scope
from sagsindsigt.organisation.models import Administration, Unit


class CaseFilterForm(forms.Form):
    administration = forms.ModelChoiceField(
        label="Forvaltning", queryset=Administration.objects.none(), required=False, empty_label="Alle"
    )
    unit = forms.ModelChoiceField(
        label="Enhed (med underenheder)", queryset=Unit.objects.none(), required=False, empty_label="Alle"
    )
    status = forms.ChoiceField(label="Status", choices=[("", "Alle"), *CaseStatus.choices], required=False)
    fra = date_field("Modtaget fra", required=False)
    til = date_field("Modtaget til", required=False)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["administration"].queryset = administrations_in_scope(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_in_scope(user).order_by(  # type: ignore[attr-defined]
            "administration__code", "name"
        )
