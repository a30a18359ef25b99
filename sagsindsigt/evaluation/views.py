"""FOKUS pages: they parse input, call selectors and services, and render. No rules live here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sagsindsigt.common.confirm import Confirmation, confirmation_page, confirmed
from sagsindsigt.evaluation import pages, services
from sagsindsigt.evaluation.forms import (
    AnswerForm,
    AssessmentForm,
    AttachmentForm,
    CriterionEditForm,
    FollowUpForm,
    MainCriterionEditForm,
    RespondentForm,
    RoundForm,
)
from sagsindsigt.evaluation.models import Attachment, Evaluation
from sagsindsigt.evaluation.reports import report_context, report_pdf, report_xlsx
from sagsindsigt.evaluation.selectors import (
    answers_by_key,
    attachment_get,
    evaluation_result,
    previous_evaluation,
)

View = Callable[..., HttpResponse]


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    return pages.evaluation_visible(request.user, pk)


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def submit_confirmation(evaluation: Evaluation) -> Confirmation:
    return Confirmation(
        key="bekraeft-indsend",
        action_url=reverse("evaluation_submit", args=[evaluation.pk]),
        back_url=reverse("evaluation_detail", args=[evaluation.pk]),
        button_label="Indsend besvarelsen",
        question="Indsend besvarelsen?",
        consequence=(
            f"Besvarelsen sendes til Borgerrådgiveren. Derefter kan {evaluation.administration.name} "
            "ikke længere ændre svarene eller bilagene; kun Borgerrådgiveren kan sende den tilbage."
        ),
        confirm_label="Ja, indsend besvarelsen",
    )


def publish_confirmation(evaluation: Evaluation) -> Confirmation:
    return Confirmation(
        key="bekraeft-offentliggoer",
        action_url=reverse("evaluation_publish", args=[evaluation.pk]),
        back_url=reverse("evaluation_detail", args=[evaluation.pk]),
        button_label="Offentliggør den endelige rapport",
        question="Offentliggør den endelige rapport?",
        consequence=(
            f"Rapporten for {evaluation.administration.name} bliver endelig og kan ikke længere ændres. "
            "Forvaltningens ledere og de centrale analytikere kan derefter læse den."
        ),
        confirm_label="Ja, offentliggør rapporten",
    )


def _service_post(
    action: Callable[[HttpRequest, Evaluation], str],
    confirmation: Callable[[Evaluation], Confirmation] | None = None,
    opener: Callable[[Any, int], Evaluation] = pages.evaluation_visible,
) -> View:
    """A POST-only view that runs one service on an evaluation (`opener` decides who may) and goes back
    to its page; a final action (with a `confirmation`) runs only when the post says it was confirmed, and
    asks otherwise."""

    @login_required
    @require_POST
    @wraps(action)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = opener(request.user, pk)
        if confirmation is not None and not confirmed(request):
            return confirmation_page(request, confirmation(evaluation))
        try:
            done = action(request, evaluation)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, done)
        return redirect("evaluation_detail", pk=evaluation.pk)

    return view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = pages.home_page(request.user)
    return render(request, "evaluation/home.html", vars(page))


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    pages.require_round_manager(request.user)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            round_ = services.round_create(
                actor=request.user,
                year=d["year"],
                scheme=d["scheme"],
                administrations=list(d["administrations"]),
                answer_deadline=d["answer_deadline"],
                assessment_deadline=d["assessment_deadline"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Runden {round_.year} er oprettet, og forvaltningerne er inviteret.")
            return redirect("evaluation_round", year=round_.year)
    return render(request, "evaluation/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, year: int) -> HttpResponse:
    return render(request, "evaluation/round.html", vars(pages.round_page(request.user, year)))


@login_required
def history_view(request: HttpRequest) -> HttpResponse:
    rounds, rows = pages.history_page(request.user)
    return render(request, "evaluation/history.html", {"rounds": rounds, "rows": rows})


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = pages.detail_page(request.user, pk)
    ctx = {
        **vars(page),
        "confirm_submit": submit_confirmation(page.evaluation),
        "confirm_publish": publish_confirmation(page.evaluation),
    }
    return render(request, "evaluation/detail.html", ctx)


@login_required
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.evaluation_to_answer(request.user, pk)
    if not evaluation.is_open_for_answers:
        messages.error(request, "Besvarelsen er indsendt og kan ikke længere ændres.")
        return redirect("evaluation_detail", pk=evaluation.pk)
    form = AnswerForm(request.POST or None, evaluation=evaluation, initial=pages.answers_as_given(evaluation))
    if request.method == "POST" and form.is_valid():
        try:
            services.answers_save(
                actor=request.user,
                evaluation=evaluation,
                criteria=form.criteria_texts(),
                sub_questions=form.sub_question_texts(),
            )
            services.evaluation_units_set(
                actor=request.user, evaluation=evaluation, units=list(form.cleaned_data["units"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Svarene er gemt.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "evaluation/answer_form.html",
        {"evaluation": evaluation, "form": form, "previous": previous_evaluation(evaluation)},
    )


@_service_post
def copy_previous(request: HttpRequest, evaluation: Evaluation) -> str:
    count = services.answers_copy_previous(actor=request.user, evaluation=evaluation)
    return f"{count} svar fra forrige runde er hentet ind som udgangspunkt. Gennemgå og ret dem."


def _submit(request: HttpRequest, evaluation: Evaluation) -> str:
    services.evaluation_submit(actor=request.user, evaluation=evaluation)
    return "Besvarelsen er indsendt til Borgerrådgiveren og kan ikke længere ændres."


submit = _service_post(_submit, submit_confirmation, pages.evaluation_to_answer)


@_service_post
def reopen(request: HttpRequest, evaluation: Evaluation) -> str:
    services.evaluation_reopen(actor=request.user, evaluation=evaluation)
    return "Besvarelsen er sendt tilbage til forvaltningen."


@_service_post
def mark_assessed(request: HttpRequest, evaluation: Evaluation) -> str:
    services.evaluation_mark_assessed(actor=request.user, evaluation=evaluation)
    return "Evalueringen er markeret som vurderet."


def _publish(request: HttpRequest, evaluation: Evaluation) -> str:
    services.evaluation_publish(actor=request.user, evaluation=evaluation)
    return "Den endelige rapport er offentliggjort."


publish = _service_post(_publish, publish_confirmation, pages.evaluation_to_assess)


@login_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.evaluation_to_answer(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                evaluation=evaluation,
                upload=form.cleaned_data["file"],
                criterion=form.cleaned_data["criterion"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Bilaget er vedhæftet.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluation/attachment_form.html", {"evaluation": evaluation, "form": form})


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    try:
        attachment = attachment_get(request.user, pk, attachment_pk)
    except (Evaluation.DoesNotExist, Attachment.DoesNotExist):
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    try:
        attachment = attachment_get(request.user, pk, attachment_pk)
    except (Evaluation.DoesNotExist, Attachment.DoesNotExist):
        raise Http404 from None
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "Bilaget er fjernet.")
    return redirect("evaluation_detail", pk=pk)


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.evaluation_to_assess(request.user, pk)
    result = evaluation_result(evaluation)
    initial: dict[str, Any] = {
        "overall_assessment": evaluation.overall_assessment,
        "recommendations": evaluation.recommendations,
    }
    for row in result.rows:
        initial[f"hoved_{row.main.pk}"] = row.remarks
        for c in row.criteria:
            initial[f"kategori_{c.criterion.pk}"] = "" if c.category is None else str(c.category)
            initial[f"bemaerkning_{c.criterion.pk}"] = c.remarks
    form = AssessmentForm(request.POST or None, evaluation=evaluation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                actor=request.user,
                evaluation=evaluation,
                criteria={
                    pk: services.CriterionInput(category=cat, remarks=rem)
                    for pk, (cat, rem) in form.criteria_values().items()
                },
                main_remarks=form.main_remarks(),
                overall_assessment=form.cleaned_data["overall_assessment"],
                recommendations=form.cleaned_data["recommendations"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Vurderingen er gemt.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "evaluation/assess_form.html",
        {"evaluation": evaluation, "form": form, "answers": answers_by_key(evaluation)},
    )


@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.evaluation_to_assess(request.user, pk)
    form = FollowUpForm(
        request.POST or None,
        initial={"meeting_date": evaluation.follow_up_date, "notes": evaluation.follow_up_notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                actor=request.user,
                evaluation=evaluation,
                meeting_date=form.cleaned_data["meeting_date"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Noterne fra opfølgningsmødet er gemt.")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluation/follow_up_form.html", {"evaluation": evaluation, "form": form})


@login_required
def respondents(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, current = pages.respondents_page(request.user, pk)
    form = RespondentForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST":
        remove = request.POST.get("fjern", "")
        try:
            if remove.isdigit():
                user = pages.respondent_get(evaluation, int(remove))
                services.respondent_remove(actor=request.user, evaluation=evaluation, user=user)
                messages.success(request, "Besvareren er fjernet.")
                return redirect("evaluation_respondents", pk=evaluation.pk)
            if form.is_valid():
                services.respondent_add(
                    actor=request.user, evaluation=evaluation, user=form.cleaned_data["user"]
                )
                messages.success(request, "Besvareren er tilføjet.")
                return redirect("evaluation_respondents", pk=evaluation.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "evaluation/respondents.html",
        {"evaluation": evaluation, "form": form, "respondents": current},
    )


def _filename(evaluation: Evaluation, extension: str) -> str:
    return f"fokus-{evaluation.round.year}-{evaluation.administration.code}.{extension}"


@login_required
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.report_evaluation(request.user, pk)
    response = HttpResponse(report_pdf(report_context(evaluation)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(evaluation, "pdf")}"'
    return response


@login_required
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = pages.report_evaluation(request.user, pk)
    response = HttpResponse(
        report_xlsx(report_context(evaluation)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(evaluation, "xlsx")}"'
    return response


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, manage = pages.scheme_page(request.user, pk)
    return render(request, "evaluation/scheme.html", {"scheme": scheme, "can_manage": manage})


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = pages.criterion_to_edit(request.user, pk)
    form = CriterionEditForm(request.POST or None, initial={"text": criterion.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(actor=request.user, criterion=criterion, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Kriterium {criterion.number} er ændret.")
            return redirect("evaluation_scheme", pk=criterion.scheme_id)
    return render(
        request, "evaluation/scheme_edit.html", {"form": form, "scheme": criterion.scheme, "what": criterion}
    )


@login_required
def main_criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    main = pages.main_criterion_to_edit(request.user, pk)
    form = MainCriterionEditForm(
        request.POST or None,
        main=main,
        initial={"title": main.title, "determining": main.determining_criterion},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.main_criterion_update(
                actor=request.user,
                main=main,
                title=form.cleaned_data["title"],
                determining=form.cleaned_data["determining"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Hovedkriterium {main.letter} er ændret.")
            return redirect("evaluation_scheme", pk=main.scheme_id)
    return render(request, "evaluation/scheme_edit.html", {"form": form, "scheme": main.scheme, "what": main})


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = pages.scheme_to_manage(request.user, pk)
    copy = services.scheme_copy(
        actor=request.user, scheme=scheme, name=f"Kopi af {scheme.name}", year_label=scheme.year_label
    )
    messages.success(request, f"Skemaet er kopieret til «{copy.name}».")
    return redirect("evaluation_scheme", pk=copy.pk)
