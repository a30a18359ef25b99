"""Demo FOKUS rounds 2013 and 2015 for the seven administrations; BIF 2015 exactly as in seed 001."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import transaction

from sagsindsigt.common.audit import audit_record
from sagsindsigt.common.models import AuditAction
from sagsindsigt.evaluation.colours import FOKUS_SCALE, Colour
from sagsindsigt.evaluation.demo_texts import (
    BIF_2015_OVERALL,
    BIF_2015_RECOMMENDATIONS,
    BIF_2015_REMARKS,
    BIF_2015_SUB_ANSWERS,
)
from sagsindsigt.evaluation.models import (
    Answer,
    Criterion,
    CriterionAssessment,
    Evaluation,
    EvaluationStatus,
    MainCriterionRemark,
    Round,
    Scheme,
    SubQuestion,
)
from sagsindsigt.evaluation.services.schemes import copy_scheme
from sagsindsigt.organisation.models import Administration, Unit

CODES = ("ØKF", "KFF", "BUF", "SUF", "SOF", "TMF", "BIF")
TEMPLATE_NAME = "FOKUS 2015"

# Seed 001: the ombudsman's categories for BIF in 2015.
BIF_2015 = {1: 5, 2: 7, 3: 5, 4: 6, 5: 6, 6: 7, 7: 6, 8: 6, 9: 6, 10: 6, 11: 5, 12: 5, 13: 5, 14: 5, 15: 7}

# The 2013 overview in seed 001 names two main criteria differently: the wording was versioned.
TITLES_2013 = {
    "E": "Forvaltningens opfølgning",
    "G": "Forvaltningens måling eller registrering af effekt",
}


@dataclass(frozen=True)
class Profile:
    """Typical category in 2013 and 2015, and criteria left blank (no sufficient answer)."""

    level_2013: int
    level_2015: int
    blank_2013: tuple[int, ...] = ()
    units_listed: bool = False


PROFILES = {
    "ØKF": Profile(4, 5),
    # Footnote 3 of the 2013 overview: KFF did not give (sufficient) information on everything.
    "KFF": Profile(3, 4, blank_2013=(11, 12, 13, 14, 15)),
    "BUF": Profile(3, 5, units_listed=True),
    "SUF": Profile(5, 6),
    "SOF": Profile(3, 4, units_listed=True),
    "TMF": Profile(2, 4),
    "BIF": Profile(6, 6),
}

ANSWER_PHRASES = (
    "Forvaltningen har beskrevet sin praksis i det vedlagte årshjul for kvalitetsopfølgning.",
    "Ledelsen følger kvartalsvis op på området i direktionen og på centerchefmøderne.",
    "Arbejdet er forankret i de enkelte centre; centralforvaltningen koordinerer og samler op.",
    "Forvaltningen har gennemført sagsaudits i udvalgte enheder og drøftet resultaterne i ledelsen.",
    "Indsatsen er beskrevet i forvaltningens kvalitetsstrategi, som revideres årligt.",
    "Der er endnu ikke en fast procedure, men en arbejdsgruppe er nedsat og afrapporterer i år.",
)
REMARK_PHRASES = {
    Colour.GREEN: (
        "Borgerrådgiveren har lagt vægt på, at indsatsen er gennemført og har ledelsesmæssig forankring.",
        "Borgerrådgiveren har noteret sig, at forvaltningen følger op og justerer indsatsen løbende.",
    ),
    Colour.YELLOW: (
        "Borgerrådgiveren har noteret sig, at forvaltningen er i gang, men at indsatsen endnu ikke "
        "omfatter alle relevante enheder.",
        "Borgerrådgiveren har lagt vægt på, at planlægningen er gennemført, mens udførelsen udestår.",
    ),
    Colour.RED: (
        "Borgerrådgiveren har noteret sig, at forvaltningen kun i meget begrænset omfang "
        "er aktiv på området.",
        "Borgerrådgiveren har ikke kunnet konstatere en konkret plan for indsatsen.",
    ),
}


def _categories(rng: random.Random, level: int, blank: tuple[int, ...]) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for number in range(1, 16):
        step = rng.choice((-1, 0, 0, 0, 1))
        out[number] = None if number in blank else max(1, min(7, level + step))
    return out


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class RoundDates:
    answer_deadline: date
    assessment_deadline: date
    submitted: date
    assessed: date
    follow_up: date
    published: date


DATES = {
    2013: RoundDates(
        date(2013, 11, 15),
        date(2014, 1, 31),
        date(2013, 11, 14),
        date(2014, 1, 10),
        date(2014, 1, 22),
        date(2014, 2, 14),
    ),
    2015: RoundDates(
        date(2015, 10, 30),
        date(2015, 12, 18),
        date(2015, 10, 29),
        date(2015, 11, 27),
        date(2015, 12, 8),
        date(2016, 1, 15),
    ),
}


@transaction.atomic
def load_evaluation_demo(*, rng: random.Random) -> None:
    """Create the 2013 and 2015 rounds (skipped if they exist), all seven evaluations published."""
    if Round.objects.filter(year__in=DATES).exists():
        return
    template = Scheme.objects.filter(name=TEMPLATE_NAME, round__isnull=True).order_by("pk").first()
    if template is None:
        raise RuntimeError("Skemaet «FOKUS 2015» mangler; kør migreringerne først.")
    administrations = {a.code: a for a in Administration.objects.filter(code__in=CODES)}
    missing = sorted(set(CODES) - set(administrations))
    if missing:
        raise RuntimeError(f"Forvaltningerne {', '.join(missing)} findes ikke.")
    for year in sorted(DATES):
        scheme = copy_scheme(template, name=f"FOKUS {year}", year_label=str(year))
        if year == 2013:
            for main in scheme.main_criteria.filter(letter__in=TITLES_2013):
                main.title = TITLES_2013[main.letter]
                main.save(update_fields=["title"])
        dates = DATES[year]
        round_ = Round.objects.create(
            year=year,
            scheme=scheme,
            answer_deadline=dates.answer_deadline,
            assessment_deadline=dates.assessment_deadline,
        )
        audit_record(actor=None, action=AuditAction.CREATE, instance=round_, extra={"demo": True})
        for code in CODES:
            _evaluation(rng, round_, administrations[code], dates)


def _evaluation(rng: random.Random, round_: Round, administration: Administration, dates: RoundDates) -> None:
    profile = PROFILES[administration.code]
    year = round_.year
    exact = administration.code == "BIF" and year == 2015
    if exact:
        categories: dict[int, int | None] = dict(BIF_2015)
    elif year == 2013:
        categories = _categories(rng, profile.level_2013, profile.blank_2013)
    else:
        categories = _categories(rng, profile.level_2015, ())
    evaluation = Evaluation.objects.create(
        round=round_,
        administration=administration,
        status=EvaluationStatus.PUBLISHED,
        overall_assessment=BIF_2015_OVERALL if exact else _overall(administration, categories),
        recommendations=BIF_2015_RECOMMENDATIONS if exact else _recommendations(categories),
        follow_up_date=dates.follow_up,
        follow_up_notes="Forvaltningen bekræftede på mødet Borgerrådgiverens forståelse af besvarelsen.",
        submitted_at=_at(dates.submitted),
        assessed_at=_at(dates.assessed),
        published_at=_at(dates.published),
    )
    if profile.units_listed:
        units = list(Unit.objects.filter(administration=administration, parent__isnull=True).order_by("code"))
        if units:
            evaluation.units.set(rng.sample(units, k=min(3, len(units))))
    scheme_id = round_.scheme_id
    criteria = list(Criterion.objects.filter(scheme_id=scheme_id).select_related("main_criterion"))
    answers, assessments = [], []
    for criterion in sorted(criteria, key=lambda c: c.number):
        category = categories[criterion.number]
        answers.append(
            Answer(
                evaluation=evaluation,
                criterion=criterion,
                text="" if category is None else " ".join(rng.sample(ANSWER_PHRASES, k=2)),
            )
        )
        colour = FOKUS_SCALE.colour_of(category)
        remark = "" if colour is None or exact else rng.choice(REMARK_PHRASES[colour])
        assessments.append(
            CriterionAssessment(evaluation=evaluation, criterion=criterion, category=category, remarks=remark)
        )
    for sub in SubQuestion.objects.filter(criterion__scheme_id=scheme_id).order_by("code"):
        text = (
            BIF_2015_SUB_ANSWERS.get(sub.code, "") if exact else f"{administration.name} opgør ikke tallet."
        )
        answers.append(Answer(evaluation=evaluation, sub_question=sub, text=text))
    Answer.objects.bulk_create(answers)
    CriterionAssessment.objects.bulk_create(assessments)
    remarks = []
    for main in round_.scheme.main_criteria.all():
        if exact:
            text = BIF_2015_REMARKS.get(main.letter, "")
        else:
            members = [categories[c.number] for c in criteria if c.main_criterion_id == main.pk]
            text = _main_remark(members)
        remarks.append(MainCriterionRemark(evaluation=evaluation, main_criterion=main, remarks=text))
    MainCriterionRemark.objects.bulk_create(remarks)


def _main_remark(categories: list[int | None]) -> str:
    known = [c for c in categories if c is not None]
    if not known:
        return "Borgerrådgiveren har ikke modtaget (fyldestgørende) oplysninger om dette hovedkriterium."
    if min(known) >= 5:
        return "Borgerrådgiveren har lagt vægt på, at forvaltningens metoder er alsidige og fortløbende."
    if min(known) >= 3:
        return "Borgerrådgiveren har noteret sig, at forvaltningen er i gang med at styrke sin indsats."
    return "Borgerrådgiveren har noteret sig, at indsatsen på dette område fortsat er i sin vorden."


def _overall(administration: Administration, categories: dict[int, int | None]) -> str:
    known = [c for c in categories.values() if c is not None]
    average = sum(known) / len(known) if known else 0
    tone = (
        "gør en god indsats for at forbedre og sikre kvaliteten"
        if average >= 5
        else "er aktivt i gang med at styrke og kvalificere sin indsats"
        if average >= 3
        else "endnu kun i begrænset omfang har sat gang i en indsats"
    )
    return (
        f"Borgerrådgiverens konklusioner viser overordnet set, at {administration.name} {tone}.\n\n"
        "Borgerrådgiveren har lagt vægt på den ledelsesmæssige forankring af indsatsen."
    )


def _recommendations(categories: dict[int, int | None]) -> str:
    if any(c is None for c in categories.values()):
        return "Det er Borgerrådgiverens anbefaling, at forvaltningen besvarer alle spørgsmål fyldestgørende."
    if min(c for c in categories.values() if c is not None) < 5:
        return (
            "Det er Borgerrådgiverens anbefaling, at forvaltningen fastsætter konkrete mål og følger op på, "
            "om de iværksatte tiltag efterleves."
        )
    return "Det er Borgerrådgiverens anbefaling, at forvaltningen fortsætter og evaluerer selve indsatsen."
