"""FOKUS: versioned schemes, rounds, the administrations' answers and the ombudsman's assessment."""

from __future__ import annotations

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sagsindsigt.evaluation.colours import Colour as PureColour
from sagsindsigt.evaluation.colours import ColourScale, MainCriterionSpec
from sagsindsigt.organisation.models import Administration, Unit

ALLOWED_ATTACHMENT_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "odt",
    "ods",
    "txt",
    "csv",
    "png",
    "jpg",
]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Colour(models.TextChoices):
    RED = PureColour.RED.value, _("Rød")
    YELLOW = PureColour.YELLOW.value, _("Gul")
    GREEN = PureColour.GREEN.value, _("Grøn")


class Scheme(models.Model):
    """One version of the questionnaire and its rules. A round owns its own copy (ADR 0010)."""

    name = models.CharField(_("navn"), max_length=100)
    year_label = models.CharField(_("årgang"), max_length=20)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("kopieret fra"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["year_label", "pk"]
        verbose_name = _("evalueringsskema")
        verbose_name_plural = _("evalueringsskemaer")

    def __str__(self) -> str:
        return self.name

    def scale(self) -> ColourScale:
        return ColourScale({c.number: PureColour(c.colour) for c in self.categories.all()})

    def specs(self) -> list[MainCriterionSpec]:
        specs = []
        for main in self.main_criteria.all():
            members = tuple(c.number for c in main.criteria.all())
            determining = next((c.number for c in main.criteria.all() if c.determining), 0)
            specs.append(MainCriterionSpec(letter=main.letter, members=members, determining=determining))
        return specs


class CategoryDefinition(models.Model):
    """Category 1–7: its wording and its colour, per scheme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField(
        _("kategori"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    text = models.TextField(_("tekst"))
    note = models.TextField(_("bemærkning"), blank=True)
    colour = models.CharField(_("klassifikation"), max_length=10, choices=Colour.choices)

    class Meta:
        ordering = ["scheme", "number"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="category_unique_per_scheme"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=7), name="category_number_1_7"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class ColourDefinition(models.Model):
    """What red, yellow and green mean, in the scheme's own words."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="colour_definitions")
    colour = models.CharField(_("klassifikation"), max_length=10, choices=Colour.choices)
    meaning = models.TextField(_("betydning"))

    class Meta:
        ordering = ["scheme", "pk"]
        verbose_name = _("klassifikation")
        verbose_name_plural = _("klassifikationer")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "colour"], name="colour_definition_unique"),
        ]

    def __str__(self) -> str:
        return self.get_colour_display()


class MainCriterion(models.Model):
    """A–G: a group of criteria; its colour follows its determining criterion."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="main_criteria")
    letter = models.CharField(_("bogstav"), max_length=1)
    title = models.CharField(_("titel"), max_length=300)
    question = models.TextField(_("det overordnede spørgsmål"), blank=True)

    class Meta:
        ordering = ["scheme", "letter"]
        verbose_name = _("hovedkriterium")
        verbose_name_plural = _("hovedkriterier")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "letter"], name="main_criterion_unique_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}. {self.title}"

    @property
    def determining_criterion(self) -> Criterion | None:
        return next((c for c in self.criteria.all() if c.determining), None)


class Criterion(models.Model):
    """Vurderingskriterium 1–15: one question of the questionnaire, categorised 1–7."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    main_criterion = models.ForeignKey(
        MainCriterion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("hovedkriterium")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("tekst"))
    determining = models.BooleanField(_("bestemmende for hovedkriteriet"), default=False)

    class Meta:
        ordering = ["scheme", "number"]
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="criterion_unique_number"),
            models.UniqueConstraint(
                fields=["main_criterion"], condition=Q(determining=True), name="one_determining_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"Kriterium {self.number}"


class SubQuestion(models.Model):
    """An underspørgsmål such as 1.3; answered, but not categorised on its own."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="sub_questions")
    code = models.CharField(_("nummer"), max_length=10)
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ["criterion", "code"]
        verbose_name = _("underspørgsmål")
        verbose_name_plural = _("underspørgsmål")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="sub_question_unique_code"),
        ]

    def __str__(self) -> str:
        return f"Spørgsmål {self.code}"


class Round(models.Model):
    """One evaluation round (2013, 2015, …) with its own copy of the scheme."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    scheme = models.OneToOneField(
        Scheme, on_delete=models.PROTECT, related_name="round", verbose_name=_("skema")
    )
    answer_deadline = models.DateField(_("svarfrist"))
    assessment_deadline = models.DateField(_("frist for vurdering"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evalueringsrunde")
        verbose_name_plural = _("evalueringsrunder")
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment_deadline__isnull=True)
                | Q(assessment_deadline__gte=models.F("answer_deadline")),
                name="round_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"FOKUS {self.year}"


class EvaluationStatus(models.TextChoices):
    INVITED = "invited", _("Inviteret")
    ANSWERING = "answering", _("Besvares")
    SUBMITTED = "submitted", _("Indsendt")
    ASSESSED = "assessed", _("Vurderet")
    FOLLOW_UP = "follow_up", _("Opfølgningsmøde holdt")
    PUBLISHED = "published", _("Offentliggjort")


class Evaluation(models.Model):
    """One administration in one round: its answers, the assessment and the final report."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evaluations")
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("forvaltning")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.INVITED
    )
    respondents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="fokus_evaluations", verbose_name=_("besvarere")
    )
    units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="+",
        verbose_name=_("enheder omfattet af besvarelsen"),
        help_text=_("Ingen valgt: besvarelsen omfatter hele forvaltningen."),
    )
    overall_assessment = models.TextField(_("samlet vurdering"), blank=True)
    recommendations = models.TextField(_("anbefalinger"), blank=True)
    follow_up_date = models.DateField(_("opfølgningsmøde holdt"), null=True, blank=True)
    follow_up_notes = models.TextField(_("noter fra opfølgningsmødet"), blank=True)
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("vurderet"), null=True, blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)

    class Meta:
        ordering = ["round", "administration__code"]
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")
        constraints = [
            models.UniqueConstraint(fields=["round", "administration"], name="one_evaluation_per_round"),
        ]

    def __str__(self) -> str:
        return f"FOKUS {self.round.year} · {self.administration.code}"

    @property
    def is_open_for_answers(self) -> bool:
        return self.status in (EvaluationStatus.INVITED, EvaluationStatus.ANSWERING)

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED


class Answer(models.Model):
    """The administration's answer to one criterion or one sub-question."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sub_question = models.ForeignKey(
        SubQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("svar"), blank=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "pk"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False, sub_question__isnull=True)
                | Q(criterion__isnull=True, sub_question__isnull=False),
                name="answer_to_criterion_xor_sub_question",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "criterion"],
                condition=Q(criterion__isnull=False),
                name="one_answer_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "sub_question"],
                condition=Q(sub_question__isnull=False),
                name="one_answer_per_sub_question",
            ),
        ]

    def __str__(self) -> str:
        return f"Svar {self.pk}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evaluation/{instance.evaluation_id}/{uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A document attached to an answer; served only through an access-checked view."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="attachments")
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hører til kriterium"),
    )
    file = models.FileField(
        _("fil"),
        upload_to=_attachment_path,
        validators=[FileExtensionValidator(ALLOWED_ATTACHMENT_EXTENSIONS)],
    )
    original_name = models.CharField(_("filnavn"), max_length=255)
    size = models.PositiveIntegerField(_("størrelse (bytes)"))
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("vedhæftet"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "pk"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    def __str__(self) -> str:
        return self.original_name


class CriterionAssessment(models.Model):
    """The ombudsman's category (blank: no sufficient answer) and remarks for one criterion."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    category = models.PositiveSmallIntegerField(
        _("kategori"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    remarks = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["evaluation", "criterion__number"]
        verbose_name = _("vurdering af kriterium")
        verbose_name_plural = _("vurderinger af kriterier")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(category__gte=1, category__lte=7),
                name="assessment_category_1_7",
            ),
        ]

    def __str__(self) -> str:
        return f"Vurdering {self.pk}"


class MainCriterionRemark(models.Model):
    """Borgerrådgiverens bemærkninger to one main criterion. Its colour is derived, never stored."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="main_remarks")
    main_criterion = models.ForeignKey(MainCriterion, on_delete=models.CASCADE, related_name="+")
    remarks = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["evaluation", "main_criterion__letter"]
        verbose_name = _("bemærkning til hovedkriterium")
        verbose_name_plural = _("bemærkninger til hovedkriterier")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "main_criterion"], name="one_remark_per_main"),
        ]

    def __str__(self) -> str:
        return f"Bemærkning {self.pk}"
