"""The demo's master data: municipality settings, administrations, units, case types, deadlines, users."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist

from django.contrib.auth.hashers import make_password

from sagsindsigt.cases.models import CaseArea, CaseType, GuidelineDeadline
from sagsindsigt.cases.selectors import deadline_in_force
from sagsindsigt.common.workingdays import WorkingDayRules, add_working_days, due_date, is_working_day
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.demo.casetypes import CASE_AREAS, FIRST_PUBLISHED, CaseTypeSpec
from sagsindsigt.demo.catalogue import (
    ADMINISTRATIONS,
    COMPLAINTS_PER_DECISION,
    DEMO_PASSWORD,
    FORMAL_THEMES,
    LOCAL_THEMES,
    MUNICIPALITY_NAME,
    PROCESSING_SIGMA,
    UNITS,
    USER_SPECS,
    WEEKEND_WEIGHT,
    WORSE_COMPLAINT_FACTOR,
    WORSE_UNITS,
    YEARLY_CASES,
)
from sagsindsigt.demo.delivery import Deliveries
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, ScopeKind, Unit, User
from sagsindsigt.organisation.selectors import working_day_rules


class DemoError(Exception):
    """The demo cannot be generated here; the message is Danish and meant for the user."""


class DemoDataExists(DemoError):
    """The database already has an organisation; the demo never mixes with or overwrites real data."""


def period_start(end: date) -> date:
    """The first day of the three years that end on `end`."""
    try:
        first = end.replace(year=end.year - 3)
    except ValueError:  # 29 February
        first = end.replace(year=end.year - 3, day=28)
    return first + timedelta(days=1)


@dataclass
class Tally:
    """What one administration's deliveries hold, for the summary."""

    cases: int = 0
    volume_counts: int = 0
    complaints: int = 0
    complaint_points: int = 0
    appeals: int = 0


@dataclass(frozen=True)
class Profile:
    """How one leaf unit performs; drawn once so its cases, complaints and appeals agree."""

    unit: Unit
    within_share: float  # expected share decided within the deadline
    complaint_rate: float  # complaints per decided case
    reversal_rate: float  # of appeals decided on the merits
    caseworkers: tuple[str, ...]
    log_mu: float  # log(processing time / deadline) ~ N(log_mu, PROCESSING_SIGMA)


@dataclass(frozen=True)
class Stream:
    """One unit handling one case type: the unit of volume."""

    profile: Profile
    spec: CaseTypeSpec
    case_type: CaseType
    yearly: float


@dataclass
class World:
    """The period, rules and master data rows the activity is drawn from, and the deliveries it fills."""

    start: date
    end: date
    scale: float
    rules: WorkingDayRules
    administrations: dict[str, Administration]
    case_types: dict[str, CaseType]
    deadlines: dict[int, list[GuidelineDeadline]]
    themes: dict[str, ComplaintTheme]
    streams: dict[str, list[Stream]]
    tallies: dict[str, Tally]
    citizens: int  # size of the pool of citizens (their ids are pseudonymised by intake)
    deliveries: Deliveries = field(default_factory=Deliveries)
    months: list[Month] = field(default_factory=list)
    _due: dict[tuple[int, date], date | None] = field(default_factory=dict)
    _working: dict[date, date] = field(default_factory=dict)

    def due(self, case_type: CaseType, received: date) -> date | None:
        # ~80 types × ~1,100 days: cheap to cache, and due_date() is the single source of truth.
        key = (case_type.pk, received)
        if key not in self._due:
            found = deadline_in_force(self.deadlines[case_type.pk], received)
            self._due[key] = due_date(received, found.value, found.unit, self.rules).due if found else None
        return self._due[key]

    def working_on_or_after(self, day: date) -> date:
        # Decisions are sent on working days; a weekend or holiday moves to the next one.
        found = self._working.get(day)
        if found is None:
            found = day if is_working_day(day, self.rules) else add_working_days(day, 1, self.rules)
            self._working[day] = found
        return found


@dataclass(frozen=True)
class Month:
    """One calendar month of the period, with the weights for drawing a day of receipt."""

    first: date
    days: tuple[date, ...]  # the days of the month inside the period
    cum_weights: tuple[float, ...]
    covered: float  # share of the month inside the period
    years_in: float  # years from the period's start, for the trend


def create_master_data(end: date, scale: float, seed: int) -> World:
    """Settings, administrations, local themes, case types with deadlines, and units with profiles."""
    settings_row = MunicipalitySettings.objects.order_by("pk").first() or MunicipalitySettings()
    settings_row.name = MUNICIPALITY_NAME
    settings_row.closed_june_5, settings_row.closed_dec_24 = True, False
    settings_row.closed_dec_31, settings_row.closed_may_1 = False, False
    settings_row.reply_working_days = 10
    settings_row.save()
    rules = working_day_rules(settings_row)
    start = period_start(end)

    administrations = {
        a.code: a
        for a in Administration.objects.bulk_create(
            [Administration(code=spec.code, name=spec.name) for spec in ADMINISTRATIONS]
        )
    }
    themes = {t.code: t for t in ComplaintTheme.objects.filter(parent__isnull=True)}
    missing = {*FORMAL_THEMES, "T16"} - set(themes)
    if missing:
        raise DemoError(f"Kernetemaerne mangler ({', '.join(sorted(missing))}); kør først migrate.")
    for local in ComplaintTheme.objects.bulk_create(
        [
            ComplaintTheme(
                code=s.code,
                name=s.name,
                legal_basis=themes[s.parent].legal_basis,
                kind=themes[s.parent].kind,
                rule_weight=themes[s.parent].rule_weight,
                parent=themes[s.parent],
                administration=administrations[s.administration],
            )
            for s in LOCAL_THEMES
        ]
    ):
        themes[local.code] = local

    case_types, deadlines, specs = _create_case_types(start)
    tallies = {a.code: Tally() for a in ADMINISTRATIONS}
    # Relative volumes are scaled so the case-level administrations receive YEARLY_CASES a year.
    case_level = {a.code for a in ADMINISTRATIONS if a.case_level}
    case_level_total = sum(
        t.yearly for area in CASE_AREAS if area.administration in case_level for t in area.case_types
    )
    factor = YEARLY_CASES * scale / case_level_total
    streams = {
        adm.code: _create_units(
            adm.code,
            administrations[adm.code],
            case_types,
            specs,
            factor,
            random.Random(f"{seed}:{adm.code}:units"),
        )
        for adm in ADMINISTRATIONS
    }
    world = World(
        start=start,
        end=end,
        scale=scale,
        rules=rules,
        administrations=administrations,
        case_types=case_types,
        deadlines=deadlines,
        themes=themes,
        streams=streams,
        tallies=tallies,
        citizens=max(100, int(180_000 * scale)),
    )
    world.months = list(_months(world))
    return world


def _create_case_types(
    start: date,
) -> tuple[dict[str, CaseType], dict[int, list[GuidelineDeadline]], dict[str, CaseTypeSpec]]:
    areas = CaseArea.objects.bulk_create([CaseArea(name=a.name) for a in CASE_AREAS])
    types = CaseType.objects.bulk_create(
        [
            CaseType(case_area=area, code=spec.code, name=spec.name)
            for area, area_spec in zip(areas, CASE_AREAS, strict=True)
            for spec in area_spec.case_types
        ]
    )
    case_types = {t.code: t for t in types}
    specs = {spec.code: spec for area in CASE_AREAS for spec in area.case_types}
    first = min(FIRST_PUBLISHED, start)
    rows: list[GuidelineDeadline] = []
    for code, spec in specs.items():
        valid_from = first
        if spec.previous is not None and spec.changed_on is not None and spec.changed_on > first:
            value, unit = spec.previous
            rows.append(
                GuidelineDeadline(
                    case_type=case_types[code],
                    value=value,
                    unit=unit,
                    legal_basis=spec.legal_basis,
                    valid_from=first,
                    valid_to=spec.changed_on - timedelta(days=1),
                )
            )
            valid_from = spec.changed_on
        value, unit = spec.deadline
        rows.append(
            GuidelineDeadline(
                case_type=case_types[code],
                value=value,
                unit=unit,
                legal_basis=spec.legal_basis,
                valid_from=valid_from,
            )
        )
    deadlines: dict[int, list[GuidelineDeadline]] = defaultdict(list)
    for row in GuidelineDeadline.objects.bulk_create(rows):
        deadlines[row.case_type.pk].append(row)
    return case_types, dict(deadlines), specs


def _create_units(
    adm_code: str,
    administration: Administration,
    case_types: dict[str, CaseType],
    specs: dict[str, CaseTypeSpec],
    factor: float,
    rng: random.Random,
) -> list[Stream]:
    centres = Unit.objects.bulk_create(
        [Unit(administration=administration, code=c.code, name=c.name) for c in UNITS[adm_code]]
    )
    leaf_specs = [
        (centre, leaf) for centre, spec in zip(centres, UNITS[adm_code], strict=True) for leaf in spec.leaves
    ]
    leaves = Unit.objects.bulk_create(
        [
            Unit(administration=administration, parent=centre, code=leaf.code, name=leaf.name)
            for centre, leaf in leaf_specs
        ]
    )
    # A unit's share of a case type it shares with sibling units: districts differ in size.
    weights = {(leaf.code, code): rng.uniform(0.6, 1.4) for _, leaf in leaf_specs for code in leaf.case_types}
    totals: dict[str, float] = defaultdict(float)
    for (_, code), weight in weights.items():
        totals[code] += weight
    streams: list[Stream] = []
    for unit, (_, leaf) in zip(leaves, leaf_specs, strict=True):
        yearly = {
            code: specs[code].yearly * factor * weights[leaf.code, code] / totals[code]
            for code in leaf.case_types
        }
        profile = _draw_profile(unit, sum(yearly.values()), rng)
        streams += [Stream(profile, specs[code], case_types[code], volume) for code, volume in yearly.items()]
    return streams


def _draw_profile(unit: Unit, yearly: float, rng: random.Random) -> Profile:
    worse = unit.code in WORSE_UNITS
    within = rng.uniform(0.58, 0.66) if worse else rng.uniform(0.74, 0.93)
    # Worse units: 2.5 times the typical unit's rate (not their own draw, which could be low).
    low, high = COMPLAINTS_PER_DECISION
    complaints = (
        (low + high) / 2 * WORSE_COMPLAINT_FACTOR * rng.uniform(0.9, 1.1) if worse else rng.uniform(low, high)
    )
    reversal = rng.uniform(0.2, 0.36) + (0.04 if worse else 0.0)
    # About 250 decisions per caseworker a year; never fewer than three (small numbers identify people).
    caseworkers = tuple(f"{unit.code}-SB{i:02d}" for i in range(max(3, round(yearly / 250))))
    # P(time <= deadline) = P(log ratio <= 0) = within.
    log_mu = -PROCESSING_SIGMA * NormalDist().inv_cdf(within)
    return Profile(unit, within, complaints, reversal, caseworkers, log_mu)


def _months(world: World) -> Iterator[Month]:
    first = world.start.replace(day=1)
    while first <= world.end:
        following = (first + timedelta(days=32)).replace(day=1)
        days = tuple(
            d
            for d in (first + timedelta(days=i) for i in range((following - first).days))
            if world.start <= d <= world.end
        )
        cum: list[float] = []
        total = 0.0
        for day in days:
            total += 1.0 if is_working_day(day, world.rules) else WEEKEND_WEIGHT
            cum.append(total)
        yield Month(
            first, days, tuple(cum), len(days) / (following - first).days, (first - world.start).days / 365.25
        )
        first = following


def create_users(world: World) -> int:
    """The demo log-ins; returns how many were created."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[s.scope for s in USER_SPECS])}
    # A user made before the demo (e.g. by createsuperuser) keeps its own password and role.
    taken = set(
        User.objects.filter(username__in=[s.username for s in USER_SPECS]).values_list("username", flat=True)
    )
    # One hash for all: they share the published password anyway, and each hash costs half a second.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for spec in USER_SPECS:
        if spec.username in taken:
            continue
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            role=spec.role,
            is_staff=spec.staff,
            is_superuser=spec.superuser,
        )
        if not spec.scope:
            user.scope_kind = ScopeKind.MUNICIPALITY
        elif spec.scope in world.administrations:
            user.scope_kind = ScopeKind.ADMINISTRATION
            user.scope_administration = world.administrations[spec.scope]
        else:
            user.scope_kind, user.scope_unit = ScopeKind.UNIT, units[spec.scope]
        user.password = password
        user.save()
        created += 1
    return created
