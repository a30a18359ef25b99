"""Tables of realistic data for the demo: administrations, units, rates and weights, themes and users."""

from __future__ import annotations

from dataclasses import dataclass

from sagsindsigt.organisation.models import Role

MUNICIPALITY_NAME = "Københavns Kommune (demo)"


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
