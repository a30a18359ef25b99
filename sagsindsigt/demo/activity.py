"""The demo's activity: cases or monthly counts for each administration, then its complaints and appeals."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sagsindsigt.cases.models import Case, CaseType, VolumeCount
from sagsindsigt.cases.services import status_for
from sagsindsigt.common.workingdays import add_working_days
from sagsindsigt.complaints.models import (
    Appeal,
    AppealOutcome,
    Channel,
    Complaint,
    ComplaintKind,
    ComplaintTheme,
    PointOutcome,
    ThemeKind,
)
from sagsindsigt.demo.casetypes import CaseTypeSpec
from sagsindsigt.demo.catalogue import (
    APPEAL_DELAY_DAYS,
    CLOSED_WITHOUT_DECISION,
    FORMAL_THEMES,
    GENERIC_NOTE,
    LEARNING_NOTES,
    LOCAL_THEMES,
    PROCESSING_SIGMA,
    REVERSAL_REASONS,
    SEASON,
    STALLED,
    STALLED_FACTOR,
    SUBSTANTIVE_EXTRA_THEMES,
    TIGHTENED_PENALTY,
    AdministrationSpec,
)
from sagsindsigt.demo.masterdata import Month, Profile, Stream, World

# Called with an administration's code and the share of its months done, after each month.
Progress = Callable[[str, float], None]

CHUNK = 5000


@dataclass(frozen=True)
class ComplaintDraft:
    """A complaint chosen while generating cases or counts; written once the case rows have ids."""

    profile: Profile
    case_type: CaseType
    case: Case | None
    anchor: date  # the decision date; the end date for a case still open after its due date
    due: date | None
    late: bool
    undecided: bool
    citizen_key: str


@dataclass(frozen=True)
class AppealDraft:
    """An appeal decision chosen while generating cases or counts; numbered once all are known."""

    profile: Profile
    spec: CaseTypeSpec
    case_type: CaseType
    case: Case | None
    decision_date: date


@dataclass
class Drafts:
    """What one administration's cases or counts gave rise to, to be written after them."""

    complaints: list[ComplaintDraft] = field(default_factory=list)
    appeals: list[AppealDraft] = field(default_factory=list)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean < 30:
        # Knuth's multiplication method: exact, and cheap for small means.
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _citizen(world: World, rng: random.Random) -> str:
    # A pool smaller than the number of cases, so some citizens have several cases.
    # The source system's own person id; intake pseudonymises it like any other identifier.
    return f"B{rng.randrange(world.citizens):07d}"


def _expected(stream: Stream, month: Month, growth: float) -> float:
    trend = 1 + growth * (month.years_in - 1.5)  # centred, so the three-year total stays on target
    return stream.yearly / 12 * SEASON[month.first.month - 1] * trend * month.covered


def generate_cases(world: World, adm: AdministrationSpec, rng: random.Random, report: Progress) -> Drafts:
    """Draw and deliver an administration's cases month by month."""
    tally = world.tallies[adm.code]
    drafts = Drafts()
    growth = rng.uniform(-0.02, 0.06)
    numbers: dict[int, int] = defaultdict(int)  # year → last case number of the source system
    buffer: list[Case] = []
    for i, month in enumerate(world.months):
        cases: list[Case] = []
        for stream in world.streams[adm.code]:
            count = _poisson(rng, _expected(stream, month, growth))
            for received in sorted(rng.choices(month.days, cum_weights=month.cum_weights, k=count)):
                cases.append(_draw_case(world, stream, received, adm.source_system, rng, drafts))
        # Case numbers follow the order of receipt within the source system, as in a real ESDH system.
        cases.sort(key=lambda c: c.received_date)
        for case in cases:
            numbers[case.received_date.year] += 1
            case.external_id = f"{case.received_date.year}-{numbers[case.received_date.year]:06d}"
        buffer += cases
        if len(buffer) >= CHUNK:
            tally.cases += world.deliveries.cases(adm.source_system, buffer)
            buffer.clear()
        report(adm.code, (i + 1) / len(world.months))
    tally.cases += world.deliveries.cases(adm.source_system, buffer)
    return drafts


def _draw_case(
    world: World, stream: Stream, received: date, source: str, rng: random.Random, drafts: Drafts
) -> Case:
    profile, spec = stream.profile, stream.spec
    due = world.due(stream.case_type, received)
    span = (due - received).days if due is not None else 30
    decided: date | None = None
    closed: date | None = None
    if rng.random() < CLOSED_WITHOUT_DECISION:
        day = received + timedelta(days=round(span * rng.uniform(0.1, 1.0)))
        closed = day if day <= world.end else None
    else:
        ratio = rng.lognormvariate(profile.log_mu, PROCESSING_SIGMA)
        if rng.random() < STALLED:
            ratio *= rng.uniform(*STALLED_FACTOR)
        tightened = spec.tightened_on
        if tightened is not None and timedelta(0) <= received - tightened < timedelta(days=183):
            ratio *= TIGHTENED_PENALTY
        day = world.working_on_or_after(received + timedelta(days=round(span * ratio)))
        decided = day if day <= world.end else None
    citizen = _citizen(world, rng)
    case = Case(
        source_system=source,
        external_id="",
        unit_id=profile.unit.pk,
        case_type_id=stream.case_type.pk,
        received_date=received,
        decided_date=decided,
        closed_date=closed,
        status=status_for(decided, closed),
        due_date=due,
        citizen_key=citizen,
        caseworker_key=rng.choice(profile.caseworkers),
    )
    late = due is not None and (decided or world.end) > due
    open_late = decided is None and closed is None and late
    if decided is not None or open_late:
        # Late cases draw complaints about waiting; on-time ones a little below the unit's rate.
        weight = 1.5 if open_late else (2.0 if late else 0.8)
        if rng.random() < profile.complaint_rate * weight:
            drafts.complaints.append(
                ComplaintDraft(
                    profile, stream.case_type, case, decided or world.end, due, late, decided is None, citizen
                )
            )
    if decided is not None and spec.appeal is not None and rng.random() < spec.appeal.rate:
        decision = decided + timedelta(days=rng.randint(*APPEAL_DELAY_DAYS))
        if decision <= world.end:
            drafts.appeals.append(AppealDraft(profile, spec, stream.case_type, case, decision))
    return case


def generate_volume_counts(
    world: World, adm: AdministrationSpec, rng: random.Random, report: Progress
) -> Drafts:
    """Draw and deliver monthly counts for an administration that delivers no cases."""
    tally = world.tallies[adm.code]
    drafts = Drafts()
    growth = rng.uniform(-0.02, 0.06)
    rows: list[VolumeCount] = []
    for i, month in enumerate(world.months):
        for stream in world.streams[adm.code]:
            expected = _expected(stream, month, growth)
            received, decided = _poisson(rng, expected), _poisson(rng, expected * 0.98)
            within = sum(rng.random() < stream.profile.within_share for _ in range(decided))
            rows.append(
                VolumeCount(
                    source_system=adm.source_system,
                    unit=stream.profile.unit,
                    case_type=stream.case_type,
                    month=month.first,
                    received=received,
                    decided=decided,
                    decided_within_deadline=within,
                )
            )
            # Complaints and appeals stay case-level even where the cases are only counted.
            for _ in range(_poisson(rng, decided * stream.profile.complaint_rate)):
                day = rng.choice(month.days)
                drafts.complaints.append(
                    ComplaintDraft(
                        stream.profile,
                        stream.case_type,
                        None,
                        day,
                        None,
                        rng.random() > stream.profile.within_share,
                        False,
                        _citizen(world, rng),
                    )
                )
            if stream.spec.appeal is not None:
                for _ in range(_poisson(rng, decided * stream.spec.appeal.rate)):
                    decision = rng.choice(month.days) + timedelta(days=rng.randint(*APPEAL_DELAY_DAYS))
                    if decision <= world.end:
                        drafts.appeals.append(
                            AppealDraft(stream.profile, stream.spec, stream.case_type, None, decision)
                        )
        report(adm.code, (i + 1) / len(world.months))
    tally.volume_counts += world.deliveries.counts(adm.source_system, rows)
    return drafts


# --- Complaints and appeals ------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _complaint_themes(rng: random.Random, kind: ComplaintKind, late: bool) -> list[str]:
    points = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    if kind == ComplaintKind.SUBSTANTIVE:
        chosen, pool = ["T16"], SUBSTANTIVE_EXTRA_THEMES
    else:
        first = rng.choices(("T01", "T02"), weights=(75, 25))[0] if late else _pick(rng, FORMAL_THEMES)
        chosen, pool = [first], FORMAL_THEMES
    while len(chosen) < points:
        theme = _pick(rng, pool)
        if theme not in chosen:
            chosen.append(theme)
    return chosen


def _point_outcome(rng: random.Random, theme: ComplaintTheme) -> PointOutcome:
    if theme.kind == ThemeKind.SUBSTANTIVE:
        weights = (12, 10, 63, 15)
    else:
        weights = (30, 15, 45, 10)
    outcomes = (PointOutcome.UPHELD, PointOutcome.PARTLY, PointOutcome.NOT_UPHELD, PointOutcome.REJECTED)
    return rng.choices(outcomes, weights=weights)[0]


def _reply_working_days(rng: random.Random) -> int:
    # Most replies keep the 10-working-day reply guarantee; some are late, a few very late.
    bucket = rng.random()
    if bucket < 0.82:
        return rng.randint(1, 10)
    if bucket < 0.96:
        return rng.randint(11, 25)
    return rng.randint(26, 60)


def _local(world: World, rng: random.Random, adm: str, code: str) -> ComplaintTheme:
    for local in LOCAL_THEMES:
        if local.parent == code and local.administration == adm and rng.random() < local.share:
            return world.themes[local.code]
    return world.themes[code]


def write_complaints(
    world: World, adm: AdministrationSpec, drafts: Sequence[ComplaintDraft], rng: random.Random
) -> None:
    """Number the complaints in order of receipt, draw their points and outcomes, and deliver them."""
    tally = world.tallies[adm.code]
    built: list[tuple[Complaint, list[ComplaintTheme]]] = []
    for draft in drafts:
        substantive = not draft.undecided and rng.random() < (0.2 if draft.late else 0.45)
        kind = ComplaintKind.SUBSTANTIVE if substantive else ComplaintKind.FORMAL
        codes = _complaint_themes(rng, kind, draft.late)
        if draft.late and codes[0] in ("T01", "T02") and draft.due is not None and draft.anchor > draft.due:
            # A complaint about waiting arrives while the citizen is still waiting.
            received = draft.due + timedelta(days=rng.randint(1, (draft.anchor - draft.due).days))
        else:
            received = draft.anchor + timedelta(days=rng.randint(1, 42))  # klagefrist 4 weeks, give or take
        if received > world.end:
            continue
        if kind == ComplaintKind.SUBSTANTIVE:
            channel = rng.choices((Channel.APPEAL_BODY, Channel.DIRECT), weights=(65, 35))[0]
        else:
            # Borgerrådgiveren handles formal complaints only (DOMAIN.md §2).
            channel = rng.choices((Channel.DIRECT, Channel.OMBUDSMAN), weights=(50, 50))[0]
        answered: date | None = add_working_days(received, _reply_working_days(rng), world.rules)
        if answered is not None and answered > world.end:
            answered = None
        themes = [_local(world, rng, adm.code, code) for code in codes]
        complaint = Complaint(
            unit_id=draft.profile.unit.pk,
            case_type_id=draft.case_type.pk,
            kind=kind,
            channel=channel,
            received_date=received,
            answered_date=answered,
            related_case=draft.case,
            supervision_case_opened=channel == Channel.OMBUDSMAN and rng.random() < 0.1,
            citizen_key=draft.citizen_key,
            source_system=adm.source_system,
        )
        built.append((complaint, themes))
    built.sort(key=lambda pair: pair[0].received_date)
    numbers: dict[int, int] = defaultdict(int)
    delivered: list[tuple[Complaint, list[ComplaintTheme], list[str]]] = []
    for complaint, themes in built:
        year = complaint.received_date.year
        numbers[year] += 1
        # One complaint system for the whole municipality: numbers carry the administration.
        complaint.external_id = f"KL-{adm.code}-{year}-{numbers[year]:05d}"
        is_answered = complaint.answered_date is not None
        outcomes = [_point_outcome(rng, t) if is_answered else PointOutcome.PENDING for t in themes]
        delivered.append((complaint, themes, [str(o) for o in outcomes]))
        learned = [
            t
            for t, o in zip(themes, outcomes, strict=True)
            if o in (PointOutcome.UPHELD, PointOutcome.PARTLY)
        ]
        if learned and rng.random() < 0.35:
            complaint.learning_note = LEARNING_NOTES.get(learned[0].core.code, GENERIC_NOTE)
    tally.complaints += world.deliveries.complaints(delivered)
    tally.complaint_points += sum(len(themes) for _c, themes, _o in delivered)


def write_appeals(
    world: World, adm: AdministrationSpec, drafts: Sequence[AppealDraft], rng: random.Random
) -> None:
    """Number the appeals in order of decision, draw their outcomes and reasons, and deliver them."""
    tally = world.tallies[adm.code]
    ordered = sorted(drafts, key=lambda d: d.decision_date)
    numbers: dict[int, int] = defaultdict(int)
    appeals: list[Appeal] = []
    reasons: list[list[str]] = []
    for draft in ordered:
        appealable = draft.spec.appeal
        if appealable is None:  # drafts are only made for appealable types; this satisfies the type checker
            continue
        if rng.random() < 0.10:
            outcome = AppealOutcome.REJECTED
        elif rng.random() < draft.profile.reversal_rate:
            outcome = rng.choices((AppealOutcome.CHANGED, AppealOutcome.REMITTED), weights=(35, 65))[0]
        else:
            outcome = AppealOutcome.UPHELD
        codes: list[str] = []
        if outcome in (AppealOutcome.CHANGED, AppealOutcome.REMITTED):
            wanted = rng.choices((1, 2), weights=(70, 30))[0]
            while len(codes) < wanted:
                code = _pick(rng, REVERSAL_REASONS)
                if code not in codes:
                    codes.append(code)
        year = draft.decision_date.year
        numbers[year] += 1
        appeals.append(
            Appeal(
                unit_id=draft.profile.unit.pk,
                case_type_id=draft.case_type.pk,
                appeal_body=appealable.body,
                law_area=appealable.law_area,
                paragraph=appealable.paragraph,
                decision_date=draft.decision_date,
                outcome=outcome,
                related_case=draft.case,
                source_system=adm.source_system,
                external_id=f"ANK-{adm.code}-{year}-{numbers[year]:05d}",
            )
        )
        reasons.append(codes)
    tally.appeals += world.deliveries.appeals(appeals, reasons)
