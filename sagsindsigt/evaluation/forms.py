"""Forms for FOKUS; they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.forms import date_field
from sagsindsigt.evaluation.models import Evaluation, Scheme
from sagsindsigt.evaluation.selectors import scheme_full
from sagsindsigt.organisation.models import Administration, ScopeKind, Unit, User


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        used = f" (runde {obj.round.year})" if hasattr(obj, "round") else " (skabelon)"
        return f"{obj.name}{used}"


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    scheme = SchemeChoiceField(
        label=_("Skema, der kopieres til runden"),
        queryset=Scheme.objects.select_related("round").order_by("-year_label", "-pk"),
        empty_label=_("Vælg skema"),
        help_text=_("Runden får sin egen kopi; ændringer i kopien rører ikke tidligere runder."),
    )
    administrations = forms.ModelMultipleChoiceField(
        label=_("Deltagende forvaltninger"),
        queryset=Administration.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    answer_deadline = date_field(_("Svarfrist"))
    assessment_deadline = date_field(_("Frist for Borgerrådgiverens vurdering"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answer, assessment = data.get("answer_deadline"), data.get("assessment_deadline")
        if answer and assessment and assessment < answer:
            self.add_error("assessment_deadline", _("Fristen for vurdering kan ikke ligge før svarfristen."))
        return data


class AnswerForm(forms.Form):
    """One textarea per criterion and sub-question, and the units the answers cover."""

    units = forms.ModelMultipleChoiceField(
        label=_("Enheder, som besvarelsen omfatter"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg ingen, hvis besvarelsen omfatter hele forvaltningen."),
    )

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            Q(valid_to__isnull=True) | Q(valid_to__gte=today), administration=evaluation.administration
        ).order_by("name")
        self.scheme = scheme_full(evaluation.round.scheme_id)
        self.groups: list[tuple[Any, list[tuple[Any, str, list[str]]]]] = []
        for main in self.scheme.main_criteria.all():
            rows = []
            for criterion in main.criteria.all():
                key = f"c{criterion.pk}"
                self.fields[key] = forms.CharField(
                    label=f"Kriterium {criterion.number}: {criterion.text}",
                    required=False,
                    max_length=20_000,
                    widget=_textarea(6),
                )
                subs = []
                for sub in criterion.sub_questions.all():
                    sub_key = f"s{sub.pk}"
                    self.fields[sub_key] = forms.CharField(
                        label=f"Spørgsmål {sub.code}: {sub.text}",
                        required=False,
                        max_length=20_000,
                        widget=_textarea(4),
                    )
                    subs.append(sub_key)
                rows.append((criterion, key, subs))
            self.groups.append((main, rows))

    def grouped(self) -> list[tuple[Any, list[tuple[Any, Any, list[Any]]]]]:
        return [
            (main, [(c, self[key], [self[s] for s in subs]) for c, key, subs in rows])
            for main, rows in self.groups
        ]

    def criteria_texts(self) -> dict[int, str]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("c") and k[1:].isdigit()}

    def sub_question_texts(self) -> dict[int, str]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("s") and k[1:].isdigit()}


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Kriterium {obj.number}"


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"), help_text=_("PDF, Word, Excel, OpenDocument, tekst eller billede.")
    )
    criterion = CriterionChoiceField(
        label=_("Hører til"), queryset=Scheme.objects.none(), required=False, empty_label="Hele besvarelsen"
    )
    description = forms.CharField(label=_("Beskrivelse"), required=False, max_length=300)

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sagsindsigt.evaluation.models import Criterion

        self.fields["criterion"].queryset = Criterion.objects.filter(  # type: ignore[attr-defined]
            scheme_id=evaluation.round.scheme_id
        ).order_by("number")


class AssessmentForm(forms.Form):
    """Category and remarks per criterion, remarks per main criterion, conclusions."""

    overall_assessment = forms.CharField(
        label=_("Samlet vurdering"), required=False, max_length=50_000, widget=_textarea(8)
    )
    recommendations = forms.CharField(
        label=_("Anbefalinger"), required=False, max_length=50_000, widget=_textarea(6)
    )

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme_full(evaluation.round.scheme_id)
        choices = [("", "Ingen kategori (ikke fyldestgørende oplyst)")] + [
            (str(c.number), f"{c.number} – {c.text}") for c in self.scheme.categories.all()
        ]
        self.groups: list[tuple[Any, str, list[tuple[Any, str, str]]]] = []
        for main in self.scheme.main_criteria.all():
            rows = []
            for criterion in main.criteria.all():
                cat_key, rem_key = f"kategori_{criterion.pk}", f"bemaerkning_{criterion.pk}"
                self.fields[cat_key] = forms.TypedChoiceField(
                    label=f"Kategori for kriterium {criterion.number}",
                    choices=choices,
                    required=False,
                    coerce=int,
                    empty_value=None,
                )
                self.fields[rem_key] = forms.CharField(
                    label=f"Bemærkninger til kriterium {criterion.number}",
                    required=False,
                    max_length=20_000,
                    widget=_textarea(3),
                )
                rows.append((criterion, cat_key, rem_key))
            main_key = f"hoved_{main.pk}"
            self.fields[main_key] = forms.CharField(
                label=f"Borgerrådgiverens bemærkninger til {main.letter}",
                required=False,
                max_length=50_000,
                widget=_textarea(6),
            )
            self.groups.append((main, main_key, rows))

    def grouped(self) -> list[tuple[Any, Any, list[tuple[Any, Any, Any]]]]:
        return [
            (main, self[main_key], [(c, self[cat], self[rem]) for c, cat, rem in rows])
            for main, main_key, rows in self.groups
        ]

    def criteria_values(self) -> dict[int, tuple[int | None, str]]:
        d = self.cleaned_data
        return {
            c.pk: (d.get(cat), d.get(rem, "")) for _main, _key, rows in self.groups for c, cat, rem in rows
        }

    def main_remarks(self) -> dict[int, str]:
        return {main.pk: self.cleaned_data.get(key, "") for main, key, _rows in self.groups}


class FollowUpForm(forms.Form):
    meeting_date = date_field(_("Dato for opfølgningsmødet"))
    notes = forms.CharField(
        label=_("Noter fra mødet"), required=False, max_length=50_000, widget=_textarea(8)
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.username}, {obj.get_role_display()})"


class RespondentForm(forms.Form):
    user = UserChoiceField(label=_("Bruger"), queryset=User.objects.none(), empty_label=_("Vælg bruger"))

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        admin_id = evaluation.administration_id
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .filter(
                Q(scope_kind=ScopeKind.ADMINISTRATION, scope_administration_id=admin_id)
                | Q(scope_kind=ScopeKind.UNIT, scope_unit__administration_id=admin_id)
            )
            .exclude(pk__in=evaluation.respondents.values("pk"))
            .order_by("username")
        )


class CriterionEditForm(forms.Form):
    text = forms.CharField(label=_("Kriteriets tekst"), max_length=5000, widget=_textarea(4))


class MainCriterionEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    determining = CriterionChoiceField(
        label=_("Bestemmende kriterium"), queryset=Scheme.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, main: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["determining"].queryset = main.criteria.order_by("number")  # type: ignore[attr-defined]
