"""A deterministic demo municipality: organisation, deadlines, three years of cases, complaints, appeals."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import transaction

from sagsindsigt.cases.models import Case, CaseArea, CaseType, GuidelineDeadline, VolumeCount
from sagsindsigt.cases.services import deadline_in_force, status_for
from sagsindsigt.common.workingdays import (
    DeadlineUnit,
    WorkingDayRules,
    add_working_days,
    due_date,
    is_working_day,
)
from sagsindsigt.complaints.models import (
    Appeal,
    AppealBody,
    AppealOutcome,
    Channel,
    Complaint,
    ComplaintKind,
    ComplaintTheme,
    LawArea,
    PointOutcome,
    ThemeKind,
)
from sagsindsigt.demo.delivery import Deliveries
from sagsindsigt.evaluation.demo import load_evaluation_demo
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Role, ScopeKind, Unit, User
from sagsindsigt.organisation.selectors import working_day_rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Tables of realistic data ---------------------------------------------------------------------

WD, CD = DeadlineUnit.WORKING_DAYS, DeadlineUnit.CALENDAR_DAYS
WK, MO = DeadlineUnit.WEEKS, DeadlineUnit.MONTHS

MUNICIPALITY_NAME = "Københavns Kommune (demo)"
# Before the demo period, so every case finds a deadline in force (unless a test picks an old end date).
FIRST_PUBLISHED = date(2019, 1, 1)


@dataclass(frozen=True)
class AdministrationSpec:
    code: str
    name: str
    source_system: str  # one per administration, so case numbers can be counted per administration
    case_level: bool = True  # False: the administration delivers monthly counts only (DOMAIN.md §1)


ADMINISTRATIONS: tuple[AdministrationSpec, ...] = (
    AdministrationSpec("ØKF", "Økonomiforvaltningen", "eDoc"),
    AdministrationSpec("KFF", "Kultur- og Fritidsforvaltningen", "KMD"),
    AdministrationSpec("BUF", "Børne- og Ungdomsforvaltningen", "DUBU"),
    AdministrationSpec("SUF", "Sundheds- og Omsorgsforvaltningen", "SAPA"),
    AdministrationSpec("SOF", "Socialforvaltningen", "SBSYS"),
    AdministrationSpec("TMF", "Teknik- og Miljøforvaltningen", "Byg og Miljø"),
    AdministrationSpec(
        "BIF", "Beskæftigelses- og Integrationsforvaltningen", "BIF-kontakt", case_level=False
    ),
)


@dataclass(frozen=True)
class Appealable:
    """How decisions of a case type reach an appeal body, and how often."""

    law_area: LawArea
    paragraph: str
    rate: float  # share of decided cases appealed
    body: AppealBody


def _appeal(law_area: LawArea, paragraph: str, rate: float, body: AppealBody | None = None) -> Appealable:
    employment = law_area in (LawArea.BESKAEFTIGELSESINDSATS, LawArea.SYGEDAGPENGELOVEN)
    default = AppealBody.BESKAEFTIGELSESNAEVNET if employment else AppealBody.ANKESTYRELSEN
    return Appealable(law_area, paragraph, rate, body or default)


SEL, AKTL, LAB = LawArea.SERVICELOVEN, LawArea.AKTIVLOVEN, LawArea.BESKAEFTIGELSESINDSATS
SDPL, PENS, OTHER = LawArea.SYGEDAGPENGELOVEN, LawArea.SOCIAL_PENSION, LawArea.OTHER
NAEVN = AppealBody.OTHER


@dataclass(frozen=True)
class CaseTypeSpec:
    code: str
    name: str
    deadline: tuple[int, DeadlineUnit]
    legal_basis: str
    yearly: int  # relative yearly volume; all volumes are scaled to YEARLY_CASES together
    appeal: Appealable | None = None
    # The council revises published deadlines: the one in force before `changed_on`.
    previous: tuple[int, DeadlineUnit] | None = None
    changed_on: date | None = None

    @property
    def tightened_on(self) -> date | None:
        """The day a shorter deadline took effect, if the change shortened it."""
        if self.previous is None or self.changed_on is None:
            return None
        return self.changed_on if _rough_days(*self.previous) > _rough_days(*self.deadline) else None


def _rough_days(value: int, unit: DeadlineUnit) -> float:
    return value * {CD: 1.0, WD: 1.4, WK: 7.0, MO: 30.4}[unit]


@dataclass(frozen=True)
class CaseAreaSpec:
    name: str
    administration: str
    case_types: tuple[CaseTypeSpec, ...]


T = CaseTypeSpec
CASE_AREAS: tuple[CaseAreaSpec, ...] = (
    CaseAreaSpec(
        "Aktindsigt og persondata",
        "ØKF",
        (
            T("ØKF-AKT", "Aktindsigt", (7, WD), "offentlighedsloven § 36; forvaltningsloven § 9", 2500),
            T(
                "ØKF-GDPR",
                "Indsigt i egne personoplysninger",
                (1, MO),
                "databeskyttelsesforordningen art. 12, stk. 3, og art. 15",
                800,
            ),
        ),
    ),
    CaseAreaSpec(
        "Erstatning og kommunale ejendomme",
        "ØKF",
        (
            T(
                "ØKF-ERS",
                "Erstatningskrav mod kommunen",
                (3, MO),
                "dansk rets almindelige erstatningsregler",
                600,
                previous=(4, MO),
                changed_on=date(2024, 7, 1),
            ),
            T("ØKF-TING", "Tingskade ved kommunal service", (8, WK), "god forvaltningsskik", 400),
            T("ØKF-LEJE", "Leje af kommunale lokaler", (20, WD), "kommunalfuldmagten", 900),
            T("ØKF-AREAL", "Brug af kommunale arealer", (6, WK), "kommunalfuldmagten", 500),
        ),
    ),
    CaseAreaSpec(
        "Borgerservice",
        "KFF",
        (
            T("KFF-PAS", "Pas", (15, WD), "pasbekendtgørelsen", 8000),
            T("KFF-KORT", "Kørekort", (4, WK), "kørekortbekendtgørelsen", 5000),
            T("KFF-FLYT", "Flytning og folkeregistrering", (10, WD), "CPR-loven §§ 10-12", 6000),
            T("KFF-SYG", "Sundhedskort og lægevalg", (2, WK), "sundhedsloven §§ 12-13", 4000),
            T("KFF-LEGI", "Legitimationskort", (15, WD), "lov om legitimationskort", 1500),
        ),
    ),
    CaseAreaSpec(
        "Folkeoplysning og foreninger",
        "KFF",
        (
            T("KFF-LOK", "Lokaletilskud", (3, MO), "folkeoplysningsloven § 24", 600),
            T("KFF-AKTT", "Aktivitetstilskud", (8, WK), "folkeoplysningsloven § 18", 900),
            T(
                "KFF-ANV",
                "Anvisning af lokaler",
                (6, WK),
                "folkeoplysningsloven § 21",
                1200,
                previous=(8, WK),
                changed_on=date(2024, 1, 1),
            ),
        ),
    ),
    CaseAreaSpec(
        "Kultur, idræt og biblioteker",
        "KFF",
        (
            T(
                "KFF-KULT",
                "Kulturstøtte fra puljer",
                (10, WK),
                "kommunalfuldmagten; puljens retningslinjer",
                700,
            ),
            T("KFF-IDR", "Tilskud til idrætsanlæg", (3, MO), "folkeoplysningsloven § 25", 200),
            T("KFF-BIB", "Eftergivelse af biblioteksgebyrer", (4, WK), "biblioteksloven § 19", 500),
        ),
    ),
    CaseAreaSpec(
        "Dagtilbud",
        "BUF",
        (
            T(
                "BUF-PLA",
                "Pladsanvisning i dagtilbud",
                (4, WK),
                "dagtilbudsloven § 23",
                9000,
                _appeal(OTHER, "dagtilbudsloven § 23", 0.008, NAEVN),
            ),
            T(
                "BUF-FRI",
                "Økonomisk friplads",
                (4, WK),
                "dagtilbudsloven § 43, stk. 1, nr. 2",
                4000,
                _appeal(OTHER, "dagtilbudsloven § 43", 0.015, NAEVN),
            ),
            T(
                "BUF-SOS",
                "Søskendetilskud",
                (4, WK),
                "dagtilbudsloven § 43, stk. 1, nr. 3",
                2500,
                _appeal(OTHER, "dagtilbudsloven § 43", 0.01, NAEVN),
            ),
            T(
                "BUF-PRIV",
                "Tilskud til privat pasning",
                (6, WK),
                "dagtilbudsloven § 80",
                600,
                _appeal(OTHER, "dagtilbudsloven § 80", 0.01, NAEVN),
            ),
            T(
                "BUF-EGNE",
                "Tilskud til pasning af egne børn",
                (6, WK),
                "dagtilbudsloven § 86",
                150,
                _appeal(OTHER, "dagtilbudsloven § 86", 0.01, NAEVN),
            ),
            T(
                "BUF-SFO",
                "Plads i fritidstilbud",
                (4, WK),
                "dagtilbudsloven § 52",
                3000,
                _appeal(OTHER, "dagtilbudsloven § 52", 0.008, NAEVN),
            ),
        ),
    ),
    CaseAreaSpec(
        "Skole og specialundervisning",
        "BUF",
        (
            T(
                "BUF-SKO",
                "Skoleindskrivning og skoleskift",
                (3, WK),
                "folkeskoleloven §§ 36 og 40",
                6000,
                _appeal(OTHER, "folkeskoleloven § 36", 0.01, NAEVN),
            ),
            T(
                "BUF-BEF",
                "Befordring til skole",
                (3, WK),
                "folkeskoleloven § 26",
                1500,
                _appeal(OTHER, "folkeskoleloven § 26", 0.03, NAEVN),
            ),
            T("BUF-HJEM", "Undervisning i hjemmet", (4, WK), "friskoleloven § 34", 100),
            T(
                "BUF-SPEC",
                "Visitation til specialundervisning",
                (3, MO),
                "folkeskoleloven § 3, stk. 2",
                1200,
                _appeal(OTHER, "folkeskoleloven § 3, stk. 2", 0.05, NAEVN),
                previous=(4, MO),
                changed_on=date(2024, 8, 1),
            ),
            T(
                "BUF-PPR",
                "Pædagogisk-psykologisk vurdering",
                (12, WK),
                "folkeskoleloven § 12",
                2500,
                _appeal(OTHER, "folkeskoleloven § 12", 0.02, NAEVN),
            ),
        ),
    ),
    CaseAreaSpec(
        "Børnetandpleje",
        "BUF",
        (
            T(
                "BUF-TAND",
                "Tandregulering",
                (3, MO),
                "sundhedsloven § 127",
                2000,
                _appeal(OTHER, "sundhedsloven § 127", 0.02, NAEVN),
            ),
        ),
    ),
    CaseAreaSpec(
        "Pleje og praktisk hjælp",
        "SUF",
        (
            T(
                "SUF-PPH",
                "Personlig pleje og praktisk hjælp",
                (10, WD),
                "serviceloven § 83",
                7000,
                _appeal(SEL, "§ 83", 0.02),
            ),
            T(
                "SUF-MAD",
                "Madservice",
                (10, WD),
                "serviceloven § 83, stk. 1, nr. 3",
                2500,
                _appeal(SEL, "§ 83", 0.01),
            ),
            T(
                "SUF-REH",
                "Rehabiliteringsforløb",
                (2, WK),
                "serviceloven § 83 a",
                2000,
                _appeal(SEL, "§ 83 a", 0.01),
            ),
            T(
                "SUF-AFL",
                "Afløsning og aflastning af pårørende",
                (4, WK),
                "serviceloven § 84",
                600,
                _appeal(SEL, "§ 84", 0.02),
            ),
            T(
                "SUF-PLB",
                "Visitation til plejebolig",
                (6, WK),
                "almenboligloven §§ 54 og 58 a",
                1100,
                _appeal(OTHER, "almenboligloven § 58 a", 0.01),
            ),
        ),
    ),
    CaseAreaSpec(
        "Hjælpemidler og boligændringer",
        "SUF",
        (
            T(
                "SUF-HJM",
                "Hjælpemidler",
                (8, WK),
                "serviceloven § 112",
                6000,
                _appeal(SEL, "§ 112", 0.02),
                previous=(12, WK),
                changed_on=date(2025, 1, 1),
            ),
            T("SUF-FORB", "Forbrugsgoder", (8, WK), "serviceloven § 113", 900, _appeal(SEL, "§ 113", 0.03)),
            T(
                "SUF-KROP",
                "Kropsbårne hjælpemidler",
                (4, WK),
                "serviceloven § 112",
                2500,
                _appeal(SEL, "§ 112", 0.01),
            ),
            T("SUF-BOL", "Boligændringer", (3, MO), "serviceloven § 116", 1200, _appeal(SEL, "§ 116", 0.03)),
            T(
                "SUF-BIL",
                "Støtte til køb af bil",
                (6, MO),
                "serviceloven § 114",
                300,
                _appeal(SEL, "§ 114", 0.08),
                previous=(8, MO),
                changed_on=date(2024, 7, 1),
            ),
        ),
    ),
    CaseAreaSpec(
        "Træning og omsorgstandpleje",
        "SUF",
        (
            T(
                "SUF-GEN",
                "Vedligeholdelsestræning",
                (4, WK),
                "serviceloven § 86, stk. 2",
                1800,
                _appeal(SEL, "§ 86", 0.01),
            ),
            T(
                "SUF-GENS",
                "Genoptræning efter sundhedsloven",
                (7, CD),
                "sundhedsloven § 140",
                3500,
                _appeal(OTHER, "sundhedsloven § 140", 0.005),
            ),
            T(
                "SUF-TAND",
                "Omsorgstandpleje",
                (4, WK),
                "sundhedsloven § 131",
                700,
                _appeal(OTHER, "sundhedsloven § 131", 0.005),
            ),
        ),
    ),
    # Barnets lov replaced the children's part of serviceloven on 1 January 2024.
    CaseAreaSpec(
        "Børn og familier",
        "SOF",
        (
            T(
                "SOF-BFU",
                "Børnefaglig undersøgelse",
                (4, MO),
                "barnets lov § 20 (før 2024: serviceloven § 50)",
                3500,
                _appeal(OTHER, "barnets lov § 20", 0.005),
            ),
            T(
                "SOF-FOR",
                "Forebyggende foranstaltninger",
                (8, WK),
                "barnets lov § 32",
                4500,
                _appeal(OTHER, "barnets lov § 32", 0.02),
            ),
            T(
                "SOF-ANB",
                "Anbringelse uden for hjemmet",
                (3, MO),
                "barnets lov, kapitel 10",
                600,
                _appeal(OTHER, "barnets lov § 46", 0.06),
            ),
            T(
                "SOF-MUB",
                "Merudgifter til børn med handicap",
                (8, WK),
                "barnets lov § 86",
                1200,
                _appeal(OTHER, "barnets lov § 86", 0.04),
            ),
            T(
                "SOF-TAB",
                "Tabt arbejdsfortjeneste",
                (8, WK),
                "barnets lov § 87",
                700,
                _appeal(OTHER, "barnets lov § 87", 0.05),
                previous=(12, WK),
                changed_on=date(2024, 1, 1),
            ),
        ),
    ),
    CaseAreaSpec(
        "Voksne med handicap",
        "SOF",
        (
            T(
                "SOF-MUV",
                "Merudgifter for voksne",
                (12, WK),
                "serviceloven § 100",
                1500,
                _appeal(SEL, "§ 100", 0.04),
                previous=(16, WK),
                changed_on=date(2024, 7, 1),
            ),
            T(
                "SOF-BPA",
                "Borgerstyret personlig assistance",
                (6, MO),
                "serviceloven § 96",
                120,
                _appeal(SEL, "§ 96", 0.10),
            ),
            T("SOF-LED", "Ledsageordning", (8, WK), "serviceloven § 97", 500, _appeal(SEL, "§ 97", 0.03)),
            T(
                "SOF-SPS",
                "Socialpædagogisk støtte",
                (8, WK),
                "serviceloven § 85",
                2000,
                _appeal(SEL, "§ 85", 0.02),
            ),
            T(
                "SOF-BOT",
                "Botilbud",
                (6, MO),
                "serviceloven §§ 107-108",
                500,
                _appeal(SEL, "§ 107", 0.04),
                previous=(8, MO),
                changed_on=date(2025, 1, 1),
            ),
            T("SOF-HAN", "Handleplan", (4, WK), "serviceloven § 141", 1500, _appeal(SEL, "§ 141", 0.002)),
        ),
    ),
    CaseAreaSpec(
        "Udsatte voksne og boligsocial anvisning",
        "SOF",
        (
            T(
                "SOF-MIS",
                "Behandling for stofmisbrug",
                (14, CD),
                "serviceloven § 101",
                1500,
                _appeal(SEL, "§ 101", 0.005),
            ),
            T(
                "SOF-ALK",
                "Alkoholbehandling",
                (14, CD),
                "sundhedsloven § 141",
                1800,
                _appeal(OTHER, "sundhedsloven § 141", 0.002),
            ),
            T(
                "SOF-BOA",
                "Boligsocial anvisning",
                (3, MO),
                "almenboligloven § 59",
                2500,
                _appeal(OTHER, "almenboligloven § 59", 0.01),
            ),
            T("SOF-ENK", "Enkeltydelser", (4, WK), "aktivloven §§ 81-85", 5000, _appeal(AKTL, "§ 81", 0.03)),
            T(
                "SOF-SAM",
                "Hjælp til udgifter ved samvær",
                (4, WK),
                "aktivloven § 83",
                600,
                _appeal(AKTL, "§ 83", 0.02),
            ),
        ),
    ),
    CaseAreaSpec(
        "Byggeri",
        "TMF",
        (
            T(
                "TMF-BYG",
                "Byggetilladelse",
                (40, WD),
                "byggeloven § 16; bygningsreglementet",
                4500,
                previous=(50, WD),
                changed_on=date(2025, 1, 1),
            ),
            T("TMF-NED", "Nedrivningstilladelse", (20, WD), "byggeloven § 16", 600),
            T("TMF-LOK", "Dispensation fra lokalplan", (8, WK), "planloven § 19", 500),
        ),
    ),
    CaseAreaSpec(
        "Miljø og affald",
        "TMF",
        (
            T("TMF-MIL", "Miljøgodkendelse af virksomhed", (6, MO), "miljøbeskyttelsesloven § 33", 250),
            T("TMF-JORD", "Anmeldelse af jordflytning", (10, WD), "jordforureningsloven § 50", 2500),
            T(
                "TMF-STØJ",
                "Tilladelse til støjende bygge- og anlægsarbejde",
                (10, WD),
                "miljøbeskyttelsesloven § 42; kommunens forskrift for bygge- og anlægsarbejder",
                1800,
            ),
            T("TMF-AFF", "Dispensation fra affaldsordning", (4, WK), "affaldsbekendtgørelsen", 700),
        ),
    ),
    CaseAreaSpec(
        "Vej og parkering",
        "TMF",
        (
            T("TMF-BEB", "Beboerparkeringslicens", (5, WD), "færdselsloven § 92; parkeringsreglerne", 6000),
            T("TMF-HPK", "Handicapparkeringsplads", (6, WK), "færdselsloven § 92", 400),
            T(
                "TMF-VEJ",
                "Råden over vejareal",
                (15, WD),
                "vejloven § 80",
                3500,
                previous=(20, WD),
                changed_on=date(2024, 4, 1),
            ),
            T("TMF-UDE", "Udeservering", (4, WK), "vejloven § 80", 900),
            T("TMF-TRÆ", "Fældning af bevaringsværdige træer", (6, WK), "planloven § 19; lokalplanen", 300),
        ),
    ),
    CaseAreaSpec(
        "Sygedagpenge og fleksjob",
        "BIF",
        (
            T(
                "BIF-SDP",
                "Sygedagpenge",
                (4, WK),
                "sygedagpengeloven",
                9000,
                _appeal(SDPL, "sygedagpengeloven", 0.015),
            ),
            T(
                "BIF-JAF",
                "Jobafklaringsforløb",
                (8, WK),
                "sygedagpengeloven § 24",
                1500,
                _appeal(SDPL, "§ 24", 0.03),
            ),
            T(
                "BIF-FLEKS",
                "Visitation til fleksjob",
                (3, MO),
                "lov om en aktiv beskæftigelsesindsats",
                1800,
                _appeal(LAB, "fleksjob", 0.03),
            ),
            T("BIF-LEDY", "Ledighedsydelse", (4, WK), "aktivloven § 74", 1200, _appeal(AKTL, "§ 74", 0.02)),
            T(
                "BIF-RESS",
                "Ressourceforløb",
                (3, MO),
                "lov om en aktiv beskæftigelsesindsats",
                900,
                _appeal(LAB, "ressourceforløb", 0.03),
                previous=(4, MO),
                changed_on=date(2024, 1, 1),
            ),
        ),
    ),
    CaseAreaSpec(
        "Kontanthjælp, uddannelseshjælp og integration",
        "BIF",
        (
            T("BIF-KTH", "Kontanthjælp", (4, WK), "aktivloven § 11", 7000, _appeal(AKTL, "§ 11", 0.015)),
            T("BIF-UDH", "Uddannelseshjælp", (4, WK), "aktivloven § 11", 3500, _appeal(AKTL, "§ 11", 0.01)),
            T("BIF-REV", "Revalidering", (8, WK), "aktivloven § 46", 150, _appeal(AKTL, "§ 46", 0.02)),
            T(
                "BIF-INT",
                "Selvforsørgelses- og hjemrejseprogram",
                (1, MO),
                "integrationsloven § 16",
                800,
                _appeal(OTHER, "integrationsloven § 16", 0.01),
            ),
        ),
    ),
    CaseAreaSpec(
        "Pension",
        "BIF",
        (
            T(
                "BIF-FP",
                "Førtidspension",
                (6, MO),
                "lov om social pension § 16",
                1200,
                _appeal(PENS, "§ 16", 0.06),
            ),
            T(
                "BIF-PT",
                "Personligt tillæg",
                (4, WK),
                "lov om social pension § 14",
                2500,
                _appeal(PENS, "§ 14", 0.01),
            ),
            T(
                "BIF-HT",
                "Helbredstillæg",
                (4, WK),
                "lov om social pension § 14 a",
                2000,
                _appeal(PENS, "§ 14 a", 0.01),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class LeafSpec:
    code: str
    name: str
    case_types: tuple[str, ...]


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    leaves: tuple[LeafSpec, ...]


L, C = LeafSpec, CentreSpec
_FAMILY = ("SOF-BFU", "SOF-FOR", "SOF-ANB", "SOF-MUB", "SOF-TAB")
_BORGERSERVICE = ("KFF-PAS", "KFF-KORT", "KFF-FLYT", "KFF-SYG", "KFF-LEGI")
_VISITATION = ("SUF-PPH", "SUF-MAD", "SUF-REH", "SUF-AFL", "SUF-PLB")
_JOBCENTRE = ("BIF-SDP", "BIF-JAF", "BIF-FLEKS", "BIF-LEDY", "BIF-RESS")
# Cases attach to leaf units; a centre is the leaves' parent.
UNITS: dict[str, tuple[CentreSpec, ...]] = {
    "ØKF": (
        C(
            "ØKF-KS",
            "Koncernservice",
            (
                L("ØKF-KS-JUR", "Jura og Aktindsigt", ("ØKF-AKT", "ØKF-GDPR")),
                L("ØKF-KS-ERS", "Forsikring og Erstatning", ("ØKF-ERS", "ØKF-TING")),
            ),
        ),
        C(
            "ØKF-KEI",
            "Københavns Ejendomme og Indkøb",
            (
                L("ØKF-KEI-UDL", "Udlejning", ("ØKF-LEJE", "ØKF-AREAL", "ØKF-AKT")),
                L("ØKF-KEI-ARE", "Arealforvaltning", ("ØKF-AREAL",)),
            ),
        ),
    ),
    "KFF": (
        C(
            "KFF-KBS",
            "Københavns Borgerservice",
            (
                L("KFF-KBS-RÅD", "Borgerservice Rådhuset", _BORGERSERVICE),
                L("KFF-KBS-NØR", "Borgerservice Nørrebro", _BORGERSERVICE),
                L("KFF-KBS-AMA", "Borgerservice Amager", _BORGERSERVICE),
            ),
        ),
        C(
            "KFF-CKF",
            "Center for Kultur og Fritid",
            (
                L("KFF-CKF-FOR", "Folkeoplysning og Foreningsservice", ("KFF-LOK", "KFF-AKTT", "KFF-ANV")),
                L("KFF-CKF-KUL", "Kulturstøtte og Idrætsanlæg", ("KFF-KULT", "KFF-IDR")),
                L("KFF-CKF-BIB", "Københavns Biblioteker", ("KFF-BIB",)),
            ),
        ),
    ),
    "BUF": (
        C(
            "BUF-PLA",
            "Pladsanvisningen",
            (
                L("BUF-PLA-NOR", "Pladsanvisning Nord", ("BUF-PLA", "BUF-SFO")),
                L("BUF-PLA-SYD", "Pladsanvisning Syd", ("BUF-PLA", "BUF-SFO")),
                L("BUF-PLA-TIL", "Friplads og Tilskud", ("BUF-FRI", "BUF-SOS", "BUF-PRIV", "BUF-EGNE")),
            ),
        ),
        C(
            "BUF-SKO",
            "Center for Skole og Specialundervisning",
            (
                L("BUF-SKO-IND", "Skoleindskrivning og Befordring", ("BUF-SKO", "BUF-BEF", "BUF-HJEM")),
                L("BUF-SKO-VIS", "Visitation og PPR Syd", ("BUF-SPEC", "BUF-PPR")),
                L("BUF-SKO-PPR", "Visitation og PPR Nord", ("BUF-SPEC", "BUF-PPR")),
            ),
        ),
        C(
            "BUF-TAN",
            "Børne- og Ungdomstandplejen",
            (
                L("BUF-TAN-REG", "Tandregulering Øst", ("BUF-TAND",)),
                L("BUF-TAN-VES", "Tandregulering Vest", ("BUF-TAND",)),
            ),
        ),
    ),
    "SUF": (
        C(
            "SUF-CSP",
            "Center for Sundhed og Pleje",
            (
                L("SUF-CSP-NOR", "Visitationen Nord", _VISITATION),
                L("SUF-CSP-SYD", "Visitationen Syd", _VISITATION),
            ),
        ),
        C(
            "SUF-CHB",
            "Center for Hjælpemidler og Boligændringer",
            (
                L("SUF-CHB-HJM", "Hjælpemidler og Forbrugsgoder", ("SUF-HJM", "SUF-FORB", "SUF-KROP")),
                L("SUF-CHB-BOL", "Boligændringer og Handicapbiler", ("SUF-BOL", "SUF-BIL")),
            ),
        ),
        C(
            "SUF-CTT",
            "Center for Træning og Tandpleje",
            (
                L("SUF-CTT-NØR", "Træningsenheden Nørrebro", ("SUF-GEN", "SUF-GENS")),
                L("SUF-CTT-AMA", "Træningsenheden Amager", ("SUF-GEN", "SUF-GENS")),
                L("SUF-CTT-TAN", "Omsorgstandplejen", ("SUF-TAND",)),
            ),
        ),
    ),
    "SOF": (
        C(
            "SOF-BBU",
            "Borgercenter Børn og Unge",
            (
                L("SOF-BBU-AMA", "Familieafdelingen Amager", _FAMILY),
                L("SOF-BBU-NØR", "Familieafdelingen Nørrebro", _FAMILY),
                L("SOF-BBU-VES", "Familieafdelingen Vesterbro/Valby", _FAMILY),
                L("SOF-BBU-ØST", "Familieafdelingen Østerbro/Indre By", _FAMILY),
            ),
        ),
        C(
            "SOF-BCH",
            "Borgercenter Handicap",
            (
                L(
                    "SOF-BCH-MYN",
                    "Myndighed Voksne med Handicap",
                    ("SOF-MUV", "SOF-BPA", "SOF-LED", "SOF-BOT", "SOF-HAN", "SOF-SPS"),
                ),
                L("SOF-BCH-PSY", "Socialpsykiatrisk Myndighed", ("SOF-SPS", "SOF-BOT", "SOF-HAN")),
            ),
        ),
        C(
            "SOF-BCV",
            "Borgercenter Voksne",
            (
                L("SOF-BCV-RUS", "Rusmiddelbehandling København", ("SOF-MIS", "SOF-ALK")),
                L("SOF-BCV-BOA", "Boligsocial Anvisning", ("SOF-BOA",)),
                L("SOF-BCV-SOC", "Socialcenter København", ("SOF-ENK", "SOF-SAM", "SOF-SPS", "SOF-HAN")),
            ),
        ),
    ),
    "TMF": (
        C(
            "TMF-CBY",
            "Center for Byggeri",
            (
                L("TMF-CBY-IND", "Byggesager Indre By", ("TMF-BYG", "TMF-NED", "TMF-LOK")),
                L("TMF-CBY-YDR", "Byggesager Ydre By", ("TMF-BYG", "TMF-NED", "TMF-LOK")),
            ),
        ),
        C(
            "TMF-CMB",
            "Center for Miljøbeskyttelse",
            (
                L("TMF-CMB-VIR", "Virksomheder og Støj", ("TMF-MIL", "TMF-STØJ")),
                L("TMF-CMB-JOR", "Jord og Affald", ("TMF-JORD", "TMF-AFF")),
            ),
        ),
        C(
            "TMF-CPB",
            "Center for Parkering og Byrum",
            (
                L("TMF-CPB-PAR", "Parkeringslicenser", ("TMF-BEB", "TMF-HPK")),
                L("TMF-CPB-VEJ", "Vejtilladelser", ("TMF-VEJ", "TMF-UDE")),
                L("TMF-CPB-TRÆ", "Byens Træer", ("TMF-TRÆ",)),
            ),
        ),
    ),
    "BIF": (
        C(
            "BIF-JC",
            "Jobcenter København",
            (
                L("BIF-JC-AMA", "Jobcenter København Amager", _JOBCENTRE),
                L("BIF-JC-NØR", "Jobcenter København Nørrebro", _JOBCENTRE),
                L("BIF-JC-VAL", "Jobcenter København Valby", _JOBCENTRE),
            ),
        ),
        C(
            "BIF-YS",
            "Ydelsesservice København",
            (
                L("BIF-YS-KTH", "Kontanthjælp og Uddannelseshjælp", ("BIF-KTH", "BIF-UDH", "BIF-REV")),
                L("BIF-YS-PEN", "Pension og Tillæg", ("BIF-FP", "BIF-PT", "BIF-HT")),
                L("BIF-YS-INT", "Integrationshuset", ("BIF-INT",)),
            ),
        ),
    ),
}

# Units that are genuinely worse: more complaints and fewer cases decided within the deadline.
WORSE_UNITS: tuple[str, ...] = ("SOF-BBU-NØR", "BUF-PLA-SYD")
WORSE_COMPLAINT_FACTOR = 2.5
# A unit's complaints per decided case is drawn from this range (DOMAIN.md: about 2-8 per 1,000).
COMPLAINTS_PER_DECISION = (2.5 / 1000, 7.0 / 1000)

# Cases received per year in the case-level administrations at scale 1.0 (three years ≈ 300,000 rows).
YEARLY_CASES = 100_000
# January to December; normalised to mean 1 below. July is the holiday month, December is short.
SEASON_RAW = (1.10, 1.05, 1.06, 0.98, 1.00, 0.97, 0.70, 0.95, 1.08, 1.07, 1.05, 0.85)
SEASON = tuple(s * 12 / sum(SEASON_RAW) for s in SEASON_RAW)
WEEKEND_WEIGHT = 0.05  # applications by web form arrive on days the municipality is closed, too
CLOSED_WITHOUT_DECISION = 0.01
# Some cases stall (forgotten, or waiting for a doctor's statement): a long, late tail that leaves
# recent ones open at the end date.
STALLED = 0.015
STALLED_FACTOR = (2.0, 6.0)
PROCESSING_SIGMA = 0.5  # spread of log(processing time / deadline)
TIGHTENED_PENALTY = 1.25  # slower for half a year after a deadline is shortened: the backlog remains
APPEAL_DELAY_DAYS = (40, 270)

# Weights of the core themes (DOMAIN.md §3) in formal complaints; T01 and T02 dominate in practice.
FORMAL_THEMES: dict[str, int] = {
    "T01": 30,
    "T02": 20,
    "T03": 10,
    "T04": 4,
    "T05": 6,
    "T06": 3,
    "T07": 2,
    "T08": 1,
    "T09": 4,
    "T10": 6,
    "T11": 6,
    "T12": 12,
    "T13": 5,
    "T14": 2,
    "T15": 2,
    "T17": 1,
    "T18": 4,
}
# Further points in a substantive complaint (the first point is always T16).
SUBSTANTIVE_EXTRA_THEMES: dict[str, int] = {"T05": 35, "T10": 30, "T04": 15, "T03": 10, "T06": 10}
# AST: insufficient fact-finding or reasons in about three of four reversals.
REVERSAL_REASONS: dict[str, int] = {"T10": 45, "T05": 30, "T04": 10, "T03": 5, "T11": 5, "T06": 5}


@dataclass(frozen=True)
class LocalThemeSpec:
    code: str
    name: str
    parent: str
    administration: str
    share: float  # how often the administration files a point of the parent theme under the sub-theme


LOCAL_THEMES: tuple[LocalThemeSpec, ...] = (
    LocalThemeSpec("T01-SOF-1", "Ventetid på handleplan", "T01", "SOF", 0.25),
    LocalThemeSpec("T11-SOF-1", "Manglende inddragelse i den børnefaglige undersøgelse", "T11", "SOF", 0.3),
)

LEARNING_NOTES: dict[str, str] = {
    "T01": "Sagen lå stille i flere uger. Teamet gennemgår nu ugentligt sager, der nærmer sig fristen.",
    "T02": "Borgeren fik ikke svar inden for 10 arbejdsdage. "
    "Tilbagemeldingsgarantien er drøftet på tavlemødet.",
    "T03": "Vejledningen om muligheden for at søge var mangelfuld. Brevskabelonen er opdateret.",
    "T04": "Nye oplysninger fra lægen blev ikke sendt i partshøring. "
    "Tjeklisten for partshøring er genopfrisket.",
    "T05": "Afgørelsen nævnte ikke de forhold, der blev lagt vægt på. "
    "Nye medarbejdere er tilmeldt begrundelseskurset.",
    "T06": "Klagevejledningen manglede i afgørelsesbrevet. Skabelonen er rettet.",
    "T07": "En telefonsamtale var ikke noteret på sagen. Notatpligten er gennemgået i teamet.",
    "T09": "Anmodningen om aktindsigt blev ikke besvaret inden for 7 arbejdsdage. "
    "Den registreres nu med det samme.",
    "T10": "Sagen blev afgjort uden udtalelse fra egen læge. "
    "Vi bruger nu oplysningstjeklisten før afgørelse.",
    "T11": "Borgeren blev ikke inddraget i planen. Planen gennemgås nu med borgeren ved første møde.",
    "T12": "Borgeren oplevede tonen i telefonen som afvisende. Drøftet på personalemødet.",
    "T13": "Sagen skiftede team, uden at borgeren fik besked. Overdragelsesproceduren er præciseret.",
    "T14": "Et brev med personoplysninger blev sendt med almindelig e-mail. Alle er mindet om sikker post.",
    "T16": "Afgørelsen er fastholdt, men den var svær at forstå. Vi skriver nu kortere afgørelser.",
}
GENERIC_NOTE = "Klagen er gennemgået i teamet, og læringen er delt på personalemødet."


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: Role
    scope: str  # "" = the whole municipality, an administration code or a unit code
    staff: bool = False
    superuser: bool = False


USER_SPECS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Anne", "Sørensen", Role.SYSTEM_ADMIN, "", staff=True, superuser=True),
    # Staff so the Django admin can be used to maintain master data.
    UserSpec("analytiker", "Lars", "Nielsen", Role.CENTRAL_ANALYST, "", staff=True),
    UserSpec("leder.sof", "Hanne", "Jensen", Role.ADMINISTRATION_LEADER, "SOF"),
    UserSpec("leder.bif", "Peter", "Hansen", Role.ADMINISTRATION_LEADER, "BIF"),
    UserSpec("enhedsleder", "Camilla", "Larsen", Role.UNIT_LEADER, "SOF-BBU"),
    UserSpec("sagsbehandler", "Søren", "Pedersen", Role.CASEWORKER, "SOF-BBU-AMA"),
    UserSpec("borgerraadgiver", "Mette", "Christensen", Role.OMBUDSMAN, ""),
    UserSpec("redaktoer", "Jonas", "Andersen", Role.LIBRARY_EDITOR, ""),
    UserSpec("tilsyn", "Louise", "Rasmussen", Role.REVIEWER, "SOF-BCH"),
)
DEMO_PASSWORD = "sagsindsigt-demo"  # noqa: S105 - published demo log-in, never a real one


def _scope_text(scope: str) -> str:
    if not scope:
        return "Hele kommunen"
    for adm in ADMINISTRATIONS:
        if adm.code == scope:
            return adm.name
    for centres in UNITS.values():
        for centre in centres:
            for code, name in [(centre.code, centre.name), *((u.code, u.name) for u in centre.leaves)]:
                if code == scope:
                    return f"{name} ({code})"
    raise ValueError(f"Ukendt adgangsområde {scope!r}")


# (username, role label, scope) for `manage.py demo --print-logins`; the password is DEMO_PASSWORD.
DEMO_USERS: list[tuple[str, StrOrPromise, str]] = [
    (u.username, u.role.label, _scope_text(u.scope)) for u in USER_SPECS
]

# --- Public interface ------------------------------------------------------------------------------

Progress = Callable[[str, float], None]


class DemoError(Exception):
    """The demo cannot be generated here; the message is Danish and meant for the user."""


class DemoDataExists(DemoError):
    """The database already has an organisation; the demo never mixes with or overwrites real data."""


@dataclass(frozen=True)
class DemoSummary:
    administrations: int
    units: int
    case_types: int
    cases: int
    volume_counts: int
    complaints: int
    complaint_points: int
    appeals: int
    users: int


def period_start(end: date) -> date:
    """The first day of the three years that end on `end`."""
    try:
        first = end.replace(year=end.year - 3)
    except ValueError:  # 29 February
        first = end.replace(year=end.year - 3, day=28)
    return first + timedelta(days=1)


@transaction.atomic
def generate(
    *, end_date: date, scale: float = 1.0, seed: int = 2026, progress: Progress | None = None
) -> DemoSummary:
    """Create the demo municipality; the same seed, scale and end date give the same data."""
    if scale <= 0:
        raise ValueError("Skalaen skal være større end 0.")
    if Administration.objects.exists():
        raise DemoDataExists(
            "Databasen har allerede data (der findes forvaltninger); demodata oprettes kun i en tom database."
        )
    world = _create_master_data(end_date, scale, seed)
    users = _create_users(world)
    report = progress or (lambda _code, _fraction: None)
    for adm in ADMINISTRATIONS:
        rng = random.Random(f"{seed}:{adm.code}:activity")
        if adm.case_level:
            drafts = _generate_cases(world, adm, rng, report)
        else:
            drafts = _generate_volume_counts(world, adm, rng, report)
        _write_complaints(world, adm, drafts.complaints, rng)
        _write_appeals(world, adm, drafts.appeals, rng)
    # Everything above was written as export files; now it enters the way real data does.
    world.deliveries.deliver()
    # The ombudsman's evaluation rounds 2013 and 2015, so the FOKUS comparison views have content.
    load_evaluation_demo(rng=random.Random(f"{seed}:fokus"))
    return DemoSummary(
        administrations=len(world.administrations),
        units=Unit.objects.count(),
        case_types=len(world.case_types),
        cases=sum(t.cases for t in world.tallies.values()),
        volume_counts=sum(t.volume_counts for t in world.tallies.values()),
        complaints=sum(t.complaints for t in world.tallies.values()),
        complaint_points=sum(t.complaint_points for t in world.tallies.values()),
        appeals=sum(t.appeals for t in world.tallies.values()),
        users=users,
    )


# --- Master data -----------------------------------------------------------------------------------


@dataclass
class _Tally:
    """What one administration's deliveries hold, for the summary."""

    cases: int = 0
    volume_counts: int = 0
    complaints: int = 0
    complaint_points: int = 0
    appeals: int = 0


@dataclass(frozen=True)
class _Profile:
    """How one leaf unit performs; drawn once so its cases, complaints and appeals agree."""

    unit: Unit
    within_share: float  # expected share decided within the deadline
    complaint_rate: float  # complaints per decided case
    reversal_rate: float  # of appeals decided on the merits
    caseworkers: tuple[str, ...]
    log_mu: float  # log(processing time / deadline) ~ N(log_mu, PROCESSING_SIGMA)


@dataclass(frozen=True)
class _Stream:
    """One unit handling one case type: the unit of volume."""

    profile: _Profile
    spec: CaseTypeSpec
    case_type: CaseType
    yearly: float


@dataclass
class _World:
    start: date
    end: date
    scale: float
    rules: WorkingDayRules
    administrations: dict[str, Administration]
    case_types: dict[str, CaseType]
    deadlines: dict[int, list[GuidelineDeadline]]
    themes: dict[str, ComplaintTheme]
    streams: dict[str, list[_Stream]]
    tallies: dict[str, _Tally]
    citizens: int  # size of the pool of citizens (their ids are pseudonymised by intake)
    deliveries: Deliveries = field(default_factory=Deliveries)
    months: list[_Month] = field(default_factory=list)
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
class _Month:
    first: date
    days: tuple[date, ...]  # the days of the month inside the period
    cum_weights: tuple[float, ...]
    covered: float  # share of the month inside the period
    years_in: float  # years from the period's start, for the trend


def _create_master_data(end: date, scale: float, seed: int) -> _World:
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
    tallies = {a.code: _Tally() for a in ADMINISTRATIONS}
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
    world = _World(
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
) -> list[_Stream]:
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
    streams: list[_Stream] = []
    for unit, (_, leaf) in zip(leaves, leaf_specs, strict=True):
        yearly = {
            code: specs[code].yearly * factor * weights[leaf.code, code] / totals[code]
            for code in leaf.case_types
        }
        profile = _draw_profile(unit, sum(yearly.values()), rng)
        streams += [
            _Stream(profile, specs[code], case_types[code], volume) for code, volume in yearly.items()
        ]
    return streams


def _draw_profile(unit: Unit, yearly: float, rng: random.Random) -> _Profile:
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
    return _Profile(unit, within, complaints, reversal, caseworkers, log_mu)


def _months(world: _World) -> Iterator[_Month]:
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
        yield _Month(
            first, days, tuple(cum), len(days) / (following - first).days, (first - world.start).days / 365.25
        )
        first = following


def _create_users(world: _World) -> int:
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


# --- Activity --------------------------------------------------------------------------------------

CHUNK = 5000


@dataclass(frozen=True)
class _ComplaintDraft:
    """A complaint chosen while generating cases or counts; written once the case rows have ids."""

    profile: _Profile
    case_type: CaseType
    case: Case | None
    anchor: date  # the decision date; the end date for a case still open after its due date
    due: date | None
    late: bool
    undecided: bool
    citizen_key: str


@dataclass(frozen=True)
class _AppealDraft:
    profile: _Profile
    spec: CaseTypeSpec
    case_type: CaseType
    case: Case | None
    decision_date: date


@dataclass
class _Drafts:
    complaints: list[_ComplaintDraft] = field(default_factory=list)
    appeals: list[_AppealDraft] = field(default_factory=list)


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


def _citizen(world: _World, rng: random.Random) -> str:
    # A pool smaller than the number of cases, so some citizens have several cases.
    # The source system's own person id; intake pseudonymises it like any other identifier.
    return f"B{rng.randrange(world.citizens):07d}"


def _expected(stream: _Stream, month: _Month, growth: float) -> float:
    trend = 1 + growth * (month.years_in - 1.5)  # centred, so the three-year total stays on target
    return stream.yearly / 12 * SEASON[month.first.month - 1] * trend * month.covered


def _generate_cases(world: _World, adm: AdministrationSpec, rng: random.Random, report: Progress) -> _Drafts:
    tally = world.tallies[adm.code]
    drafts = _Drafts()
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
    world: _World, stream: _Stream, received: date, source: str, rng: random.Random, drafts: _Drafts
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
                _ComplaintDraft(
                    profile, stream.case_type, case, decided or world.end, due, late, decided is None, citizen
                )
            )
    if decided is not None and spec.appeal is not None and rng.random() < spec.appeal.rate:
        decision = decided + timedelta(days=rng.randint(*APPEAL_DELAY_DAYS))
        if decision <= world.end:
            drafts.appeals.append(_AppealDraft(profile, spec, stream.case_type, case, decision))
    return case


def _generate_volume_counts(
    world: _World, adm: AdministrationSpec, rng: random.Random, report: Progress
) -> _Drafts:
    tally = world.tallies[adm.code]
    drafts = _Drafts()
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
                    _ComplaintDraft(
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
                            _AppealDraft(stream.profile, stream.spec, stream.case_type, None, decision)
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


def _local(world: _World, rng: random.Random, adm: str, code: str) -> ComplaintTheme:
    for local in LOCAL_THEMES:
        if local.parent == code and local.administration == adm and rng.random() < local.share:
            return world.themes[local.code]
    return world.themes[code]


def _write_complaints(
    world: _World, adm: AdministrationSpec, drafts: Sequence[_ComplaintDraft], rng: random.Random
) -> None:
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


def _write_appeals(
    world: _World, adm: AdministrationSpec, drafts: Sequence[_AppealDraft], rng: random.Random
) -> None:
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
