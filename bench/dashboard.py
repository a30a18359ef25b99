"""Dashboard benchmark: server time of the overview and administration pages over a big municipality's
five years of cases (read from the rollups), against a naive GROUP BY over the raw case table, measured
in the same run."""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from django.test import Client

    from sagsindsigt.common.periods import Period
    from sagsindsigt.organisation.models import User

DB_NAME = "sagsindsigt_bench_dashboard"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SOURCE = "BENCH"
WARMUPS = 3
AIM_P95_MS = 200.0
AIM_RATIO = 10.0
UNIT_SLOTS = 1000  # resolution of the weighted unit pick (0.1 %)
TYPE_SLOTS = 100  # resolution of the weighted case-type and theme picks (1 %)

# --- The municipality --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    volume: float  # relative volume inside its administration
    mean_days: float  # mean calendar days to decision (exponential, cut at 120)


@dataclass(frozen=True)
class AreaSpec:
    name: str
    kle: str
    types: tuple[TypeSpec, TypeSpec, TypeSpec]


@dataclass(frozen=True)
class AdministrationSpec:
    code: str
    name: str
    weight: float  # share of the municipality's cases
    centres: tuple[tuple[str, tuple[str, str, str]], ...]  # level 1 with its three level-2 units
    areas: tuple[AreaSpec, AreaSpec]
    appeal_body: str
    law_areas: tuple[str, str]


T = TypeSpec
ADMINISTRATIONS: tuple[AdministrationSpec, ...] = (
    AdministrationSpec(
        "BIF",
        "Beskæftigelses- og Integrationsforvaltningen",
        30,
        (
            ("Jobcenter København", ("Jobcenter Nord", "Jobcenter Syd", "Jobcenter Vest")),
            ("Ydelsescenter", ("Kontanthjælp", "Sygedagpenge", "Ressourceforløb")),
            ("Integrationscenter", ("Integrationsydelse", "Danskuddannelse", "Modtagelse")),
        ),
        (
            AreaSpec(
                "Forsørgelse",
                "15.20",
                (
                    T("BIF-KH", "Kontanthjælp", 5, 14),
                    T("BIF-ENK", "Enkeltydelser", 3, 10),
                    T("BIF-TB", "Tilbagebetaling", 1, 30),
                ),
            ),
            AreaSpec(
                "Sygedagpenge og fleksjob",
                "15.24",
                (
                    T("BIF-SDP", "Forlængelse af sygedagpenge", 3, 20),
                    T("BIF-FLEX", "Visitation til fleksjob", 1, 55),
                    T("BIF-RF", "Ressourceforløb", 1, 45),
                ),
            ),
        ),
        "bn",
        ("aktivloven", "lab"),
    ),
    AdministrationSpec(
        "SOF",
        "Socialforvaltningen",
        25,
        (
            ("Borgercenter Voksne", ("Myndighed Nord", "Myndighed Syd", "Myndighed Øst")),
            ("Borgercenter Handicap", ("Voksne med handicap", "Bostøtte", "Merudgifter")),
            ("Borgercenter Børn og Unge", ("Børnefamilier Nord", "Børnefamilier Syd", "Ungeenheden")),
        ),
        (
            AreaSpec(
                "Voksne med særlige behov",
                "27.20",
                (
                    T("SOF-85", "Socialpædagogisk støtte", 4, 35),
                    T("SOF-107", "Midlertidigt botilbud", 1, 60),
                    T("SOF-100", "Merudgifter", 2, 40),
                ),
            ),
            AreaSpec(
                "Børn og unge med særlige behov",
                "27.24",
                (
                    T("SOF-FOR", "Forebyggende foranstaltninger", 3, 30),
                    T("SOF-ANB", "Anbringelse uden for hjemmet", 1, 50),
                    T("SOF-42", "Tabt arbejdsfortjeneste", 2, 28),
                ),
            ),
        ),
        "ast",
        ("serviceloven", "serviceloven"),
    ),
    AdministrationSpec(
        "SUF",
        "Sundheds- og Omsorgsforvaltningen",
        20,
        (
            ("Visitation", ("Visitation Nord", "Visitation Syd", "Visitation Vest")),
            ("Hjælpemidler", ("Kropsbårne hjælpemidler", "Biler og boligindretning", "Genbrug")),
            ("Sundhed og Rehabilitering", ("Træning", "Forebyggelse", "Madservice")),
        ),
        (
            AreaSpec(
                "Hjemmehjælp og pleje",
                "27.36",
                (
                    T("SUF-83P", "Praktisk hjælp", 5, 12),
                    T("SUF-83PP", "Personlig pleje", 4, 8),
                    T("SUF-PB", "Plejebolig", 1, 40),
                ),
            ),
            AreaSpec(
                "Hjælpemidler og boligændringer",
                "27.37",
                (
                    T("SUF-112", "Hjælpemidler", 4, 25),
                    T("SUF-116", "Boligændring", 1, 70),
                    T("SUF-114", "Støtte til bil", 1, 90),
                ),
            ),
        ),
        "ast",
        ("serviceloven", "social_pension"),
    ),
    AdministrationSpec(
        "BUF",
        "Børne- og Ungdomsforvaltningen",
        15,
        (
            ("Pladsanvisning", ("Dagtilbud", "Fripladser", "Skoleindskrivning")),
            ("PPR og Specialundervisning", ("PPR Nord", "PPR Syd", "Specialskoler")),
            ("Sundhedspleje og Tandpleje", ("Sundhedspleje", "Tandpleje", "Børneterapi")),
        ),
        (
            AreaSpec(
                "Dagtilbud og skole",
                "28.01",
                (
                    T("BUF-PLADS", "Plads i dagtilbud", 5, 18),
                    T("BUF-FRI", "Økonomisk friplads", 3, 14),
                    T("BUF-SKOLE", "Skoleskift", 2, 12),
                ),
            ),
            AreaSpec(
                "Specialundervisning",
                "17.13",
                (
                    T("BUF-SPEC", "Visitation til specialtilbud", 1, 45),
                    T("BUF-BEF", "Befordring", 2, 20),
                    T("BUF-PPR", "PPR-vurdering", 1, 50),
                ),
            ),
        ),
        "ast",
        ("serviceloven", "other"),
    ),
    AdministrationSpec(
        "TMF",
        "Teknik- og Miljøforvaltningen",
        10,
        (
            ("Byggeri", ("Byggesager Indre By", "Byggesager Ydre By", "Landzone")),
            ("Miljø", ("Jord og grundvand", "Virksomheder", "Støj")),
            ("Byens Drift", ("Parkering", "Vejtilladelser", "Renovation")),
        ),
        (
            AreaSpec(
                "Byggeri",
                "02.00",
                (
                    T("TMF-BYG", "Byggetilladelse", 3, 55),
                    T("TMF-DISP", "Dispensation", 1, 70),
                    T("TMF-IBRUG", "Ibrugtagningstilladelse", 2, 20),
                ),
            ),
            AreaSpec(
                "Miljø og vej",
                "09.00",
                (
                    T("TMF-MILJ", "Miljøgodkendelse", 1, 80),
                    T("TMF-PARK", "Beboerlicens til parkering", 5, 7),
                    T("TMF-GRAV", "Gravetilladelse", 2, 14),
                ),
            ),
        ),
        "other",
        ("other", "other"),
    ),
)
# Cases on a level-1 unit itself are few; the level-2 units differ in size (realistic skew).
CENTRE_UNIT_WEIGHT = 0.3
CENTRE_SIZE = (1.3, 1.0, 0.7)
LEAF_SIZE = (1.8, 1.0, 0.5)

# Core themes (migration complaints/0004): formal/service themes a formal complaint is about, by weight.
FORMAL_THEMES: tuple[tuple[str, float], ...] = (
    ("T01", 20),
    ("T02", 15),
    ("T03", 10),
    ("T05", 10),
    ("T12", 10),
    ("T10", 8),
    ("T11", 5),
    ("T04", 5),
    ("T06", 4),
    ("T13", 4),
    ("T09", 2),
    ("T14", 2),
    ("T07", 1),
    ("T08", 1),
    ("T15", 1),
    ("T17", 1),
    ("T18", 1),
)
SUBSTANTIVE_THEME = "T16"
# Ankestyrelsen's most frequent reasons for changing or remitting a decision.
REVERSAL_THEMES: tuple[tuple[str, float], ...] = (("T10", 50), ("T05", 20), ("T16", 20), ("T04", 10))


def slots(weights: Sequence[float], size: int) -> list[int]:
    """`size` 1-based indices into `weights`, each occurring in proportion to its weight (largest
    remainder), so `slots[1 + floor(random() * size)]` is a weighted pick in SQL."""
    total = sum(weights)
    exact = [w * size / total for w in weights]
    counts = [int(e) for e in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: size - sum(counts)]:
        counts[i] += 1
    return [i + 1 for i, n in enumerate(counts) for _ in range(n)]


# --- Database ----------------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_url_from_environment() -> str:
    """BENCH_PG_ADMIN as in bench/intake.py; else the server of a PostgreSQL DATABASE_URL; else local."""
    explicit = os.environ.get("BENCH_PG_ADMIN", "")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return with_database(url, "postgres")
    return DEFAULT_ADMIN_URL


def connect(url: str) -> Any:
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"bench/dashboard.py needs PostgreSQL; cannot connect to {urlsplit(url).hostname} "
            f"database {urlsplit(url).path.lstrip('/')} (set BENCH_PG_ADMIN or a postgres:// "
            f"DATABASE_URL; --reuse needs an earlier run): {exc}"
        ) from exc


def recreate_database(admin_url: str, name: str) -> None:
    with connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["SAGSINDSIGT_DEV"] = "1"
    # Production-like rendering: no query log, no debug templates.
    os.environ["DEBUG"] = "0"
    # django-axes logs every log-in at INFO.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def execute(sql: str, params: dict[str, Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- Generation --------------------------------------------------------------------------------------


@dataclass
class Organisation:
    unit_ids: list[int]
    unit_admin: list[int]  # 1-based administration index of each unit
    unit_weights: list[float]
    type_ids: list[int]
    type_means: list[float]
    type_slots: list[list[int]]  # per administration: weighted 1-based indices into type_ids
    analyst: User
    leaders: dict[int, User]  # administration pk → its leader


def create_organisation() -> Organisation:
    from django.db import transaction

    from sagsindsigt.cases.models import CaseArea, CaseType
    from sagsindsigt.organisation.models import (
        Administration,
        MunicipalitySettings,
        Role,
        ScopeKind,
        Unit,
        User,
    )

    with transaction.atomic():
        MunicipalitySettings.objects.create(name="Benchmark Kommune")
        analyst = User(username="analytiker", role=Role.CENTRAL_ANALYST, scope_kind=ScopeKind.MUNICIPALITY)
        analyst.set_unusable_password()
        analyst.save()
        org = Organisation([], [], [], [], [], [], analyst, {})
        for a_index, spec in enumerate(ADMINISTRATIONS, start=1):
            administration = Administration.objects.create(code=spec.code, name=spec.name)
            weights: list[tuple[Unit, float]] = []
            for c_index, (centre_name, leaves) in enumerate(spec.centres):
                centre = Unit.objects.create(
                    administration=administration, code=f"{spec.code}-{c_index + 1}", name=centre_name
                )
                weights.append((centre, CENTRE_UNIT_WEIGHT))
                for l_index, leaf_name in enumerate(leaves):
                    leaf = Unit.objects.create(
                        administration=administration,
                        parent=centre,
                        code=f"{spec.code}-{c_index + 1}{l_index + 1}",
                        name=leaf_name,
                    )
                    weights.append((leaf, CENTRE_SIZE[c_index] * LEAF_SIZE[l_index]))
            total = sum(w for _u, w in weights)
            for unit, w in weights:
                org.unit_ids.append(unit.pk)
                org.unit_admin.append(a_index)
                org.unit_weights.append(spec.weight * w / total)
            first_type = len(org.type_ids)
            volumes: list[float] = []
            for area_spec in spec.areas:
                area = CaseArea.objects.create(name=area_spec.name, kle_code=area_spec.kle)
                for type_spec in area_spec.types:
                    case_type = CaseType.objects.create(
                        case_area=area, code=type_spec.code, name=type_spec.name
                    )
                    org.type_ids.append(case_type.pk)
                    org.type_means.append(type_spec.mean_days)
                    volumes.append(type_spec.volume)
            org.type_slots.append([first_type + i for i in slots(volumes, TYPE_SLOTS)])
            leader = User(
                username=f"leder-{spec.code.lower()}",
                role=Role.ADMINISTRATION_LEADER,
                scope_kind=ScopeKind.ADMINISTRATION,
                scope_administration=administration,
            )
            leader.set_unusable_password()
            leader.save()
            org.leaders[administration.pk] = leader
    return org


def window(today: date) -> tuple[date, date]:
    """Five years of receipts ending with the current month (2021-12-01 … 2026-11-30 in November 2026)."""
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return date(following.year - 5, following.month, 1), following - timedelta(days=1)


def working_days(first: date, last: date) -> list[date]:
    """Monday to Friday from first to last: what a receipt or a decision date is drawn from."""
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def generate_cases(org: Organisation, n: int, today: date) -> int:
    """About 91 % decided (0–120 days, exponential per case type), 4 % closed, the rest open; a case
    whose decision would fall after today is still open."""
    days = working_days(*window(today))
    sql = """
        INSERT INTO cases_case (source_system, external_id, unit_id, case_type_id, received_date,
            decided_date, closed_date, status, due_date, processing_days, citizen_key, caseworker_key)
        SELECT %(source)s, 'S' || lpad(g::text, 9, '0'), (%(unit_ids)s::bigint[])[ui],
            (%(type_ids)s::bigint[])[ti], received,
            CASE WHEN status = 'decided' THEN received + delay END,
            CASE WHEN status = 'closed' THEN received + delay END,
            status, received + 30,
            CASE WHEN status = 'decided' THEN round(delay * 5 / 7.0)::int END,
            encode(sha256(int8send(citizen)), 'hex'),
            encode(sha256(int8send(ui * 1000 + worker)), 'hex')
        FROM (
            SELECT g, ui, ti, received, delay, citizen, worker,
                CASE WHEN received + delay > %(today)s::date THEN 'open'
                     WHEN rs < 0.91 THEN 'decided' WHEN rs < 0.95 THEN 'closed' ELSE 'open' END AS status
            FROM (
                SELECT g, ui, ti, rs, citizen, worker, received,
                    least(120, floor(-ln(1 - rd) * (%(type_means)s::float8[])[ti]))::int AS delay
                FROM (
                    SELECT g, ui, rs, rd, citizen, worker, received,
                        (%(type_slots)s::int[])[(%(unit_admin)s::int[])[ui]]
                            [1 + floor(rt * %(type_slot_count)s)::int] AS ti
                    FROM (
                        SELECT g,
                            (%(unit_slots)s::int[])[1 + floor(random() * %(unit_slot_count)s)::int] AS ui,
                            random() AS rt, random() AS rd, random() AS rs,
                            (%(days)s::date[])[1 + floor(random() * %(n_days)s)::int] AS received,
                            1 + floor(random() * %(citizens)s)::bigint AS citizen,
                            floor(random() * 20)::int AS worker
                        FROM generate_series(1, %(n)s) AS g
                    ) draws
                ) typed
            ) timed
        ) decided
    """
    return execute(
        sql,
        {
            "source": SOURCE,
            "n": n,
            "today": today,
            "days": days,
            "n_days": len(days),
            # About two cases per citizen over five years.
            "citizens": max(1, n // 2),
            "unit_ids": org.unit_ids,
            "unit_admin": org.unit_admin,
            "unit_slots": slots(org.unit_weights, UNIT_SLOTS),
            "unit_slot_count": UNIT_SLOTS,
            "type_slot_count": TYPE_SLOTS,
            "type_ids": org.type_ids,
            "type_means": org.type_means,
            "type_slots": org.type_slots,
        },
    )


def core_theme_ids(codes: Sequence[str]) -> dict[str, int]:
    """The core themes loaded by migration complaints/0004, created if an installation lacks one."""
    from sagsindsigt.complaints.models import ComplaintTheme, ThemeKind

    found = dict(ComplaintTheme.objects.filter(parent__isnull=True).values_list("code", "pk"))
    for code in codes:
        if code not in found:
            kind = ThemeKind.SUBSTANTIVE if code == SUBSTANTIVE_THEME else ThemeKind.FORMAL
            found[code] = ComplaintTheme.objects.create(code=code, name=code, kind=kind).pk
    return found


def generate_complaints(org: Organisation, n: int, today: date) -> tuple[int, int]:
    """Complaints (60 % formal; 85 % direct, 10 % via the ombudsman, 5 % via the appeal body; 80 %
    answered within 0–30 days, 15 % later, 5 % not), then 1–3 points each on core themes."""
    days = working_days(*window(today))
    complaints = execute(
        """
        INSERT INTO complaints_complaint (unit_id, case_type_id, kind, channel, received_date,
            answered_date, reply_days, supervision_case_opened, learning_note, citizen_key,
            source_system, external_id, created_at)
        SELECT (%(unit_ids)s::bigint[])[ui], (%(type_ids)s::bigint[])[ti], kind, channel, received,
            answered, CASE WHEN answered IS NOT NULL THEN round((answered - received) * 5 / 7.0)::int END,
            channel = 'ombudsman' AND rv < 0.2, '', encode(sha256(int8send(citizen)), 'hex'),
            %(source)s, 'K' || lpad(g::text, 9, '0'),
            (received + time '10:00') AT TIME ZONE 'Europe/Copenhagen'
        FROM (
            SELECT g, ui, ti, kind, channel, received, rv, citizen,
                CASE WHEN received + delay <= %(today)s::date THEN received + delay END AS answered
            FROM (
                SELECT g, ui, rv, citizen, received,
                    (%(type_slots)s::int[])[(%(unit_admin)s::int[])[ui]]
                        [1 + floor(rt * %(type_slot_count)s)::int] AS ti,
                    CASE WHEN rk < 0.6 THEN 'formal' ELSE 'substantive' END AS kind,
                    CASE WHEN rc < 0.85 THEN 'direct' WHEN rc < 0.95 THEN 'ombudsman' ELSE 'appeal_body' END
                        AS channel,
                    CASE WHEN ra < 0.80 THEN floor(rx * 31)::int WHEN ra < 0.95 THEN 31 + floor(rx * 90)::int
                    END AS delay
                FROM (
                    SELECT g, (%(unit_slots)s::int[])[1 + floor(random() * %(unit_slot_count)s)::int] AS ui,
                        random() AS rt, random() AS rk, random() AS rc, random() AS ra, random() AS rx,
                        random() AS rv, 1 + floor(random() * %(citizens)s)::bigint AS citizen,
                        (%(days)s::date[])[1 + floor(random() * %(n_days)s)::int] AS received
                    FROM generate_series(1, %(n)s) AS g
                ) draws
            ) drawn
        ) answered
        """,
        {
            "source": SOURCE,
            "n": n,
            "today": today,
            "days": days,
            "n_days": len(days),
            "citizens": max(1, n),
            "unit_ids": org.unit_ids,
            "unit_admin": org.unit_admin,
            "unit_slots": slots(org.unit_weights, UNIT_SLOTS),
            "unit_slot_count": UNIT_SLOTS,
            "type_slot_count": TYPE_SLOTS,
            "type_ids": org.type_ids,
            "type_slots": org.type_slots,
        },
    )
    themes = core_theme_ids([c for c, _w in FORMAL_THEMES] + [SUBSTANTIVE_THEME])
    # A complaint's points are distinct themes: the first is drawn, the next ones are 3 and 6 further on.
    # The count takes two draws: 60 % one point, 40 % × 75 % = 30 % two, 10 % three.
    points = execute(
        """
        INSERT INTO complaints_complaintpoint (complaint_id, theme_id, outcome)
        SELECT id,
            CASE WHEN kind = 'substantive' AND k = 1 THEN %(substantive)s
                 ELSE (%(formal)s::bigint[])[1 + mod(first - 1 + 3 * (k - 1), %(n_formal)s)] END,
            CASE WHEN answered_date IS NULL THEN 'pending' WHEN ro < 0.12 THEN 'upheld'
                 WHEN ro < 0.25 THEN 'partly' WHEN ro < 0.90 THEN 'not_upheld' ELSE 'rejected' END
        FROM (
            SELECT id, kind, answered_date, first, k, random() AS ro
            FROM (
                SELECT id, kind, answered_date,
                    (%(formal_slots)s::int[])[1 + floor(random() * %(type_slot_count)s)::int] AS first,
                    CASE WHEN random() < 0.6 THEN 1 WHEN random() < 0.75 THEN 2 ELSE 3 END AS n
                FROM complaints_complaint
            ) c
            CROSS JOIN LATERAL generate_series(1, c.n) AS k
        ) p
        """,
        {
            "substantive": themes[SUBSTANTIVE_THEME],
            "formal": [themes[c] for c, _w in FORMAL_THEMES],
            "n_formal": len(FORMAL_THEMES),
            "formal_slots": slots([w for _c, w in FORMAL_THEMES], TYPE_SLOTS),
            "type_slot_count": TYPE_SLOTS,
        },
    )
    return complaints, points


def generate_appeals(org: Organisation, n: int, today: date) -> tuple[int, int]:
    """Appeal decisions up to today (66 % upheld, 10 % changed, 9 % remitted, 15 % rejected); every
    changed or remitted decision gets one reversal reason, 30 % of them a second."""
    days = working_days(window(today)[0], today)
    appeals = execute(
        """
        INSERT INTO complaints_appeal (unit_id, case_type_id, appeal_body, law_area, paragraph,
            decision_date, outcome, source_system, external_id)
        SELECT (%(unit_ids)s::bigint[])[ui], (%(type_ids)s::bigint[])[ti], (%(bodies)s::text[])[ai],
            (%(laws)s::text[])[ai][1 + floor(rl * 2)::int], '', decided,
            CASE WHEN ro < 0.66 THEN 'upheld' WHEN ro < 0.76 THEN 'changed' WHEN ro < 0.85 THEN 'remitted'
                 ELSE 'rejected' END,
            %(source)s, 'A' || lpad(g::text, 9, '0')
        FROM (
            SELECT g, ui, ai, rl, ro, decided,
                (%(type_slots)s::int[])[ai][1 + floor(rt * %(type_slot_count)s)::int] AS ti
            FROM (
                SELECT g, ui, (%(unit_admin)s::int[])[ui] AS ai, rt, rl, ro, decided
                FROM (
                    SELECT g, (%(unit_slots)s::int[])[1 + floor(random() * %(unit_slot_count)s)::int] AS ui,
                        random() AS rt, random() AS rl, random() AS ro,
                        (%(days)s::date[])[1 + floor(random() * %(n_days)s)::int] AS decided
                    FROM generate_series(1, %(n)s) AS g
                ) draws
            ) placed
        ) typed
        """,
        {
            "source": SOURCE,
            "n": n,
            "days": days,
            "n_days": len(days),
            "unit_ids": org.unit_ids,
            "unit_admin": org.unit_admin,
            "unit_slots": slots(org.unit_weights, UNIT_SLOTS),
            "unit_slot_count": UNIT_SLOTS,
            "type_slot_count": TYPE_SLOTS,
            "type_ids": org.type_ids,
            "type_slots": org.type_slots,
            "bodies": [a.appeal_body for a in ADMINISTRATIONS],
            "laws": [list(a.law_areas) for a in ADMINISTRATIONS],
        },
    )
    themes = core_theme_ids([c for c, _w in REVERSAL_THEMES])
    reasons = execute(
        """
        WITH picks AS (
            SELECT id, (%(slots)s::int[])[1 + floor(random() * %(type_slot_count)s)::int] AS i, random() AS r2
            FROM complaints_appeal WHERE outcome IN ('changed', 'remitted')
        )
        INSERT INTO complaints_appeal_reversal_reasons (appeal_id, complainttheme_id)
        SELECT id, (%(themes)s::bigint[])[i] FROM picks
        UNION ALL
        SELECT id, (%(themes)s::bigint[])[1 + mod(i, %(n)s)] FROM picks WHERE r2 < 0.3
        """,
        {
            "slots": slots([w for _c, w in REVERSAL_THEMES], TYPE_SLOTS),
            "type_slot_count": TYPE_SLOTS,
            "themes": [themes[c] for c, _w in REVERSAL_THEMES],
            "n": len(REVERSAL_THEMES),
        },
    )
    return appeals, reasons


# --- Measurement -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float


def timing(runs_s: Sequence[float]) -> Timing:
    ms = sorted(1000 * r for r in runs_s)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
    return Timing(statistics.median(ms), p95)


def timed_runs(fn: Callable[[], object], runs: int, warmups: int = WARMUPS) -> Timing:
    for _ in range(warmups):
        fn()
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        measured.append(time.perf_counter() - started)
    return timing(measured)


def page_timing(client: Client, url: str, runs: int) -> Timing:
    return timed_runs(lambda: get_ok(client, url), runs)


def print_first_reads(pages: Sequence[tuple[str, Client, str]], period: Period) -> None:
    """The first read of a page after a write: the suppression decisions (ADR 0015) are made afresh (the
    write moves the data version on); the timings above are of later reads, which find them kept."""
    from django.db import transaction

    from sagsindsigt.common.models import StaleKind
    from sagsindsigt.common.staleness import mark_stale

    print("first read after a write (suppression decided afresh), median of 3:")
    for label, client, url in pages:
        runs = []
        for _ in range(3):
            with transaction.atomic():
                mark_stale(StaleKind.COMPLAINTS, months=[period.end], units=None)
            started = time.perf_counter()
            get_ok(client, url)
            runs.append(time.perf_counter() - started)
        print(f"  {label:40} {1000 * statistics.median(runs):6.1f} ms")


def get_ok(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
    return response.content.decode()


NAIVE_SQL = """
    SELECT u.administration_id,
        count(*) FILTER (WHERE c.received_date BETWEEN %(start)s AND %(end)s) AS received,
        count(*) FILTER (WHERE c.decided_date BETWEEN %(start)s AND %(end)s) AS decided,
        count(*) FILTER (WHERE c.decided_date BETWEEN %(start)s AND %(end)s
                           AND c.decided_date <= c.due_date) AS within
    FROM cases_case c JOIN organisation_unit u ON u.id = c.unit_id
    WHERE c.received_date BETWEEN %(start)s AND %(end)s OR c.decided_date BETWEEN %(start)s AND %(end)s
    GROUP BY 1 ORDER BY 1
"""


def naive_overview(period: Period) -> dict[int, tuple[int, int, int]]:
    rows = fetch(NAIVE_SQL, {"start": period.start, "end": period.end})
    return {admin: (received, decided, within) for admin, received, decided, within in rows}


def page_column(html: str, column: str) -> list[int]:
    """The shown counts of one column of the figures table, the total last ('<5' and '–' skipped)."""
    return [int(v.replace(".", "")) for v in re.findall(rf'data-col="{column}">([\d.]+)<', html)]


def check_figures(
    label: str, html: str, rows: Sequence[tuple[int, int, int]] | None, total: tuple[int, int, int]
) -> str:
    """Compare the page's received/decided counts with the naive query's: the total line, and the rows
    when they are administrations (`rows`; a drill-down's rows are subtrees the naive query lacks)."""
    problems = []
    for i, column in enumerate(("received", "decided")):
        shown = page_column(html, column)
        wanted = [*(r[i] for r in rows or ()), total[i]]
        got = sorted(shown) if rows is not None else shown[-1:]
        if got != sorted(wanted):
            problems.append(f"{column}: page {got} ≠ naive {sorted(wanted)}")
    verdict = "; ".join(problems) if problems else "received and decided equal the naive query's"
    return f"  {label}: {verdict}"


def profile(label: str, client: Client, url: str) -> None:
    """The queries of one request, slowest first, and the plan of the slowest (for a page that is slow)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        get_ok(client, url)
        elapsed = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    in_db = sum(float(q["time"]) for q in queries)
    print(f"  {label}: {1000 * elapsed:.0f} ms, {len(queries)} queries taking {1000 * in_db:.0f} ms")
    for q in queries[:4]:
        print(f"    {1000 * float(q['time']):6.0f} ms  {q['sql'][:150]}")
    if queries:
        plan = fetch(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {queries[0]['sql']}")
        print("    plan of the slowest:")
        for (plan_line,) in plan[:12]:
            print(f"      {plan_line}")


def rollup_refresh_timed() -> tuple[float, dict[str, int]]:
    from django.apps import apps

    from sagsindsigt.insight.rollups.refresh import rollup_refresh

    started = time.perf_counter()
    rollup_refresh(months=None)
    elapsed = time.perf_counter() - started
    counts = {
        m._meta.db_table: m._default_manager.count()
        for m in apps.get_app_config("insight").get_models()
        if "rollup" in m._meta.db_table
    }
    return elapsed, counts


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:48} {seconds:7.1f} s{'  ' + note if note else ''}")


def generate(args: argparse.Namespace, today: date) -> tuple[User, dict[int, User]]:
    """The municipality and its five years of data, in SQL; the analyst and the leaders."""
    started = time.perf_counter()
    org = create_organisation()
    line(
        f"organisation ({len(org.unit_ids)} units, {len(org.type_ids)} case types)",
        time.perf_counter() - started,
    )
    step = time.perf_counter()
    cases = generate_cases(org, args.cases, today)
    line(f"{cases:,} cases", time.perf_counter() - step)
    step = time.perf_counter()
    complaints, points = generate_complaints(org, args.complaints, today)
    line(f"{complaints:,} complaints, {points:,} complaint points", time.perf_counter() - step)
    step = time.perf_counter()
    appeals, reasons = generate_appeals(org, args.appeals, today)
    line(f"{appeals:,} appeals, {reasons:,} reversal reasons", time.perf_counter() - step)
    step = time.perf_counter()
    execute("VACUUM ANALYZE")
    line("VACUUM ANALYZE", time.perf_counter() - step)
    size = fetch("SELECT pg_size_pretty(pg_total_relation_size('cases_case'))")[0][0]
    line("generation", time.perf_counter() - started, f"(cases_case with indexes: {size})")
    return org.analyst, org.leaders


def existing_users() -> tuple[User, dict[int, User]]:
    from sagsindsigt.organisation.models import User

    leaders = {
        u.scope_administration_id: u
        for u in User.objects.filter(username__startswith="leder-")
        if u.scope_administration_id is not None
    }
    return User.objects.get(username="analytiker"), leaders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5_000_000)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--appeals", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests (and naive runs) per page")
    parser.add_argument("--admin-url", default=admin_url_from_environment())
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"measure the data an earlier run left in {DB_NAME} (no generation)",
    )
    parser.add_argument("--profile", action="store_true", help="print the slowest queries of each page")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.reuse:
        connect(with_database(args.admin_url, DB_NAME)).close()
    else:
        recreate_database(args.admin_url, DB_NAME)
    setup_django(with_database(args.admin_url, DB_NAME))
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from sagsindsigt.insight.dashboards.forms import default_period
    from sagsindsigt.organisation.models import Administration

    today = timezone.localdate()
    first, last = window(today)
    if args.reuse:
        print(f"dashboard benchmark on the data already in PostgreSQL {DB_NAME} (--reuse)")
        call_command("migrate", verbosity=0, interactive=False)
        analyst, leaders = existing_users()
    else:
        print(
            f"dashboard benchmark: {args.cases:,} cases, {args.complaints:,} complaints, "
            f"{args.appeals:,} appeals, {first:%d-%m-%Y} … {last:%d-%m-%Y}, PostgreSQL {DB_NAME}"
        )
        call_command("migrate", verbosity=0, interactive=False)
        line("create database + migrate", time.perf_counter() - started)
        analyst, leaders = generate(args, today)

    refresh_s, rollup_rows = rollup_refresh_timed()
    line("rollup_refresh(months=None)", refresh_s)
    for name, n in rollup_rows.items():
        print(f"    {name:30} {n:>12,} rows")

    period = default_period(today)
    naive = naive_overview(period)
    largest = max(naive, key=lambda pk: naive[pk][0])
    administration = Administration.objects.get(pk=largest)
    admin_url = f"/forvaltning/{largest}/"
    print(
        f"server time (Django test Client, in-process), default period {period.label()}, "
        f"{args.requests} requests after {WARMUPS} warm-ups; largest administration {administration.code}:"
    )
    analyst_client, leader_client = Client(), Client()
    analyst_client.force_login(analyst)
    leader_client.force_login(leaders[largest])
    pages: list[tuple[str, Client, str]] = [
        ("analyst  / (overview)", analyst_client, "/"),
        (f"analyst  {admin_url} ({administration.code})", analyst_client, admin_url),
        (f"leader   / (own: {administration.code})", leader_client, "/"),
        (f"leader   {admin_url} ({administration.code})", leader_client, admin_url),
    ]
    results = [(label, page_timing(client, page_url, args.requests)) for label, client, page_url in pages]
    # Like for like: the read behind the overview's table (the naive query's figures and more) without
    # the rest of the page (24-month histories, funnel, signals, targets, open cases, the template).
    from sagsindsigt.insight.dashboards.selectors import overview_by_administration

    results.append(
        (
            "analyst  overview table read only",
            timed_runs(lambda: overview_by_administration(analyst, period), args.requests),
        )
    )
    baseline = timed_runs(lambda: naive_overview(period), args.requests)

    aims = f"p95<{AIM_P95_MS:.0f}ms  ratio≥{AIM_RATIO:.0f}"
    print(f"  {'page':40} {'median':>9} {'p95':>9} {'naive/page':>11}  {aims}")
    for label, t in results:
        ratio = baseline.median_ms / t.median_ms
        print(
            f"  {label:40} {t.median_ms:6.1f} ms {t.p95_ms:6.1f} ms {ratio:10.1f}x  "
            f"{'yes' if t.p95_ms < AIM_P95_MS else 'NO':>9}  {'yes' if ratio >= AIM_RATIO else 'NO':>8}"
        )
    naive_label = "naive GROUP BY over cases_case"
    print(f"  {naive_label:40} {baseline.median_ms:6.1f} ms {baseline.p95_ms:6.1f} ms")
    print_first_reads(pages, period)

    print("consistency with the naive query:")
    codes = dict(Administration.objects.values_list("pk", "code"))
    per_admin = [naive[pk] for pk in sorted(naive, key=lambda pk: codes[pk])]
    everything = (sum(r[0] for r in per_admin), sum(r[1] for r in per_admin), 0)
    checks = [
        ("analyst /", analyst_client, "/", per_admin, everything),
        (f"analyst {admin_url}", analyst_client, admin_url, None, naive[largest]),
        ("leader /", leader_client, "/", [naive[largest]], naive[largest]),
        (f"leader {admin_url}", leader_client, admin_url, None, naive[largest]),
    ]
    for label, client, page_url, expected_rows, total in checks:
        print(check_figures(label, get_ok(client, page_url), expected_rows, total))
    if args.profile:
        print("queries per page (one request each):")
        for label, client, page_url in pages:
            profile(label, client, page_url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak RSS {peak} MB; total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
