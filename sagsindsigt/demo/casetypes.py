"""The demo's case areas and case types: deadlines, legal basis, relative volumes and appeal routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sagsindsigt.common.workingdays import DeadlineUnit
from sagsindsigt.complaints.models import AppealBody, LawArea

WD, CD = DeadlineUnit.WORKING_DAYS, DeadlineUnit.CALENDAR_DAYS
WK, MO = DeadlineUnit.WEEKS, DeadlineUnit.MONTHS

# Before the demo period, so every case finds a deadline in force (unless a test picks an old end date).
FIRST_PUBLISHED = date(2019, 1, 1)


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
