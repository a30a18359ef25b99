"""The demo data, and the final report as PDF (read back with pypdf) and XLSX (read back with openpyxl)."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.evaluation.colours import Colour
from sagsindsigt.evaluation.demo import load_evaluation_demo
from sagsindsigt.evaluation.models import CriterionAssessment, Evaluation, MainCriterion, Round
from sagsindsigt.evaluation.reports import genitive, report_context, report_pdf, report_xlsx
from sagsindsigt.evaluation.selectors import classification, round_matrix
from sagsindsigt.evaluation.tests.conftest import BIF_2015, SEVEN
from sagsindsigt.organisation.models import Role
from sagsindsigt.organisation.tests.factories import AdministrationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> dict[str, Evaluation]:
    for code, name in SEVEN:
        administration = AdministrationFactory(code=code, name=name)
        for n in range(4):
            UnitFactory(administration=administration, code=f"{code}-{n}", name=f"{name} enhed {n}")
    load_evaluation_demo(rng=random.Random(20151))
    return {
        e.administration.code: e
        for e in Evaluation.objects.filter(round__year=2015).select_related("administration", "round")
    }


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return _flat("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def test_demo_has_two_published_rounds_for_all_seven_with_bif_2015_as_the_seed(
    demo: dict[str, Evaluation],
) -> None:
    # then
    assert sorted(Round.objects.values_list("year", flat=True)) == [2013, 2015]
    assert Evaluation.objects.filter(status="published").count() == 14
    bif = demo["BIF"]
    categories = dict(
        CriterionAssessment.objects.filter(evaluation=bif).values_list("criterion__number", "category")
    )
    assert categories == BIF_2015
    assert {r.letter: r.colour for r in classification(bif)} == dict.fromkeys("ABCDEFG", Colour.GREEN)
    # the 2013 scheme kept its own wording for E and G
    assert (
        MainCriterion.objects.get(scheme__round__year=2013, letter="E").title == "Forvaltningens opfølgning"
    )
    assert MainCriterion.objects.get(scheme__round__year=2015, letter="E").title == "Forvaltningens tiltag"


def test_demo_is_deterministic_given_the_rng(demo: dict[str, Evaluation]) -> None:
    # given
    def fingerprint() -> list[tuple[Any, ...]]:
        return list(
            CriterionAssessment.objects.order_by(
                "evaluation__round__year", "evaluation__administration__code", "criterion__number"
            ).values_list("evaluation__administration__code", "criterion__number", "category", "remarks")
        )

    first = fingerprint()
    Round.objects.all().delete()
    from sagsindsigt.evaluation.models import Scheme

    Scheme.objects.filter(round__isnull=True).exclude(name="FOKUS 2015").delete()
    Scheme.objects.filter(name__in=["FOKUS 2013"]).delete()

    # when
    load_evaluation_demo(rng=random.Random(20151))

    # then
    assert fingerprint() == first
    load_evaluation_demo(rng=random.Random(1))  # existing rounds: nothing happens
    assert fingerprint() == first


def test_demo_matrix_has_content_for_both_rounds(demo: dict[str, Evaluation]) -> None:
    for year in (2013, 2015):
        matrix = round_matrix(Round.objects.get(year=year))
        filled = [c for _main, cells in matrix.rows for c in cells if c.colour is not None]
        assert len(matrix.administrations) == 7
        assert len(filled) >= 40
    kff_2013 = round_matrix(Round.objects.get(year=2013))
    f_row = next(cells for main, cells in kff_2013.rows if main.letter == "F")
    codes = [a.code for a in kff_2013.administrations]
    assert f_row[codes.index("KFF")].colour is None  # seed footnote 3: no sufficient answer


def test_pdf_report_renders_with_sections_colours_and_appendix_matrix(demo: dict[str, Evaluation]) -> None:
    # given: BIF 2015 with criterion 7 lowered so D is yellow (the PDF must follow the data)
    bif = demo["BIF"]
    CriterionAssessment.objects.filter(evaluation=bif, criterion__number=7).update(category=3)
    context = report_context(bif)

    # when
    pdf = report_pdf(context)
    text = _pdf_text(pdf)

    # then
    assert pdf.startswith(b"%PDF")
    assert "FOKUS" in text and "Endelig rapport" in text
    assert "Beskæftigelses- og Integrationsforvaltningens løbende indsats" in text
    for heading in ("1. Indledning", "2. Evalueringens fokus og metode", "Bilag 1", "Bilag 2"):
        assert heading in text
    headings = [f"{row.main.letter}. {row.main.title}" for row in context.result.rows]
    positions = [text.find(h, text.find("3. Borgerrådgiverens konklusioner")) for h in headings]
    assert all(p > 0 for p in positions), headings
    assert positions == sorted(positions)
    appendix = text.find("Bilag 1", positions[-1])
    for i, row in enumerate(context.result.rows):
        section = text[positions[i] : positions[i + 1] if i + 1 < len(positions) else appendix]
        assert row.colour is not None
        assert row.colour.label in section, (row.main.letter, row.colour.label)
        assert "Borgerrådgiverens bemærkninger" in section
    d_section = text[positions[3] : positions[4]]
    assert "Gul" in d_section and "Kriterium 7 er bestemmende for klassificeringen" in d_section
    # appendix 2: all seven administrations, and every coloured cell of both matrices as a word
    bilag2 = text[text.find("Bilag 2", appendix) :]
    for code, _name in SEVEN:
        assert f"({code})" in bilag2
    words = re.findall(r"\b(Grøn|Gul|Rød)\b", bilag2)
    matrices = [context.matrix, context.previous_matrix]
    expected = [c.colour.label for m in matrices if m for _m, cells in m.rows for c in cells if c.colour]
    assert sorted(words) == sorted(expected)
    assert "Alle forvaltninger 2015" in bilag2 and "Alle forvaltninger 2013" in bilag2


def test_pdf_quotes_the_answers_to_sub_questions(demo: dict[str, Evaluation]) -> None:
    text = _pdf_text(report_pdf(report_context(demo["BIF"])))
    assert "Om kriterium 1.3" in text
    assert "136.856 kontaktføreløb" in text
    assert "Se svaret til spørgsmål 1.3." in text


def test_xlsx_has_the_same_data_and_escapes_formulas(demo: dict[str, Evaluation]) -> None:
    from openpyxl import load_workbook

    # given
    bif = demo["BIF"]
    bif.overall_assessment = '=HYPERLINK("http://example.invalid")'
    bif.save(update_fields=["overall_assessment"])

    # when
    workbook = load_workbook(io.BytesIO(report_xlsx(report_context(bif))))

    # then
    assert workbook.sheetnames == [
        "Hovedkriterier",
        "Kriterier",
        "Bilag 1 Udvikling",
        "Bilag 2 2015",
        "Bilag 2 2013",
        "Vurdering",
    ]
    main = list(workbook["Hovedkriterier"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in main] == [
        ("A", 1, "Grøn"),
        ("B", 2, "Grøn"),
        ("C", 4, "Grøn"),
        ("D", 7, "Grøn"),
        ("E", 9, "Grøn"),
        ("F", 14, "Grøn"),
        ("G", 15, "Grøn"),
    ]
    criteria = {r[1]: r[3] for r in workbook["Kriterier"].iter_rows(min_row=2, values_only=True)}
    assert criteria == BIF_2015
    matrix = list(workbook["Bilag 2 2015"].iter_rows(values_only=True))
    assert len(matrix[0]) == 8 and matrix[0][-1] == "Beskæftigelses- og Integrationsforvaltningen"
    assert len(matrix) == 8
    values = dict(workbook["Vurdering"].iter_rows(min_row=2, values_only=True))
    assert str(values["Samlet vurdering"]).startswith("'=")


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_report_downloads_are_access_checked(
    demo: dict[str, Evaluation], client: Client, fmt: str, magic: bytes
) -> None:
    # given
    bif = demo["BIF"]
    url = reverse(f"evaluation_report_{fmt}", args=[bif.pk])
    bif_leader = UserFactory.in_administration(bif.administration, username="leder.bif")
    sof_leader = UserFactory.in_administration(demo["SOF"].administration, username="leder.sof")
    caseworker = UserFactory(username="sb", role=Role.CASEWORKER)

    # then
    client.force_login(bif_leader)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(magic)
    assert f"fokus-2015-BIF.{fmt}" in response["Content-Disposition"]
    client.force_login(sof_leader)
    assert client.get(url).status_code == 404
    client.force_login(caseworker)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Socialforvaltningen", "Socialforvaltningens"), ("Borgerrådgivers", "Borgerrådgivers'")],
)
def test_genitive(name: str, expected: str) -> None:
    assert genitive(name) == expected
