"""The forms of saved views: save the dashboard's filters under a name; rename and opt in to the digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.forms import date_field
from sagsindsigt.common.periods import Period
from sagsindsigt.insight.saved.models import SavedPage, SavedView
from sagsindsigt.insight.saved.periods import FIXED, PERIOD_KINDS, kind_of
from sagsindsigt.insight.saved.services import NAME_LENGTH, SavedViewData


class SaveViewForm(forms.Form):
    """Shown on every dashboard page: the filters come along hidden, the user names the view and says
    whether its period is the dates shown or what they mean (the last 12 whole months, ...)."""

    name = forms.CharField(label=_("Navn på visningen"), max_length=NAME_LENGTH)
    period_kind = forms.ChoiceField(label=_("Visningens periode"), choices=list(PERIOD_KINDS.items()))
    digest = forms.BooleanField(label=_("Send mig tallene hver måned (månedsbrev)"), required=False)
    page = forms.ChoiceField(choices=SavedPage.choices, widget=forms.HiddenInput)
    object_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    fra = date_field(_("Fra"))
    til = date_field(_("Til"))
    maal = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the dashboard's period picker has fields called fra and til too.
        kwargs.setdefault("auto_id", "id_gem_%s")
        super().__init__(*args, **kwargs)
        self.fields["fra"].widget = forms.HiddenInput()
        self.fields["til"].widget = forms.HiddenInput()

    @classmethod
    def for_page(
        cls, page: str, object_id: int | None, period: Period, metric: str, today: date
    ) -> SaveViewForm:
        form = cls(
            initial={
                "page": page,
                "object_id": object_id,
                "fra": period.start,
                "til": period.end,
                "maal": metric,
                "period_kind": kind_of(period, today),
            },
        )
        form.fields["period_kind"].choices = [  # type: ignore[attr-defined]
            (k, f"{label} ({period.label()})" if k == FIXED else label) for k, label in PERIOD_KINDS.items()
        ]
        return form

    def to_data(self) -> SavedViewData:
        d = self.cleaned_data
        return SavedViewData(
            name=d["name"],
            page=d["page"],
            object_id=d["object_id"],
            period_kind=d["period_kind"],
            period_start=d["fra"],
            period_end=d["til"],
            metric=d["maal"] or "",
            digest=d["digest"],
        )


class SavedViewEditForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=NAME_LENGTH)
    digest = forms.BooleanField(label=_("Send mig tallene hver måned (månedsbrev)"), required=False)

    @classmethod
    def initial_from(cls, view: SavedView) -> dict[str, Any]:
        return {"name": view.name, "digest": view.digest}
