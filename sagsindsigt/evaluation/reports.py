"""The final report per administration, as PDF (WeasyPrint) and XLSX (openpyxl), built from one context."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from sagsindsigt.common.exports import escape_cell
from sagsindsigt.evaluation.colours import Colour
from sagsindsigt.evaluation.models import Evaluation, EvaluationStatus
from sagsindsigt.evaluation.selectors import (
    EvaluationResult,
    Matrix,
    answers_by_key,
    evaluation_result,
    round_matrix,
)
from sagsindsigt.organisation.models import MunicipalitySettings

REPORT_CSS = Path(__file__).with_name("report.css")


def genitive(name: str) -> str:
    """Danish genitive: 'Socialforvaltningen' → 'Socialforvaltningens'."""
    return name + ("'" if name.endswith(("s", "x", "z")) else "s")


@dataclass(frozen=True)
class SubAnswer:
    code: str
    text: str
    answer: str


@dataclass(frozen=True)
class ReportContext:
    result: EvaluationResult
    matrix: Matrix
    previous_matrix: Matrix | None
    sub_answers: tuple[SubAnswer, ...]
    units: tuple[str, ...]
    municipality: str

    @property
    def evaluation(self) -> Evaluation:
        return self.result.evaluation

    @property
    def is_final(self) -> bool:
        return self.evaluation.status == EvaluationStatus.PUBLISHED


def report_context(evaluation: Evaluation) -> ReportContext:
    """Callers have checked that the user may see the evaluation and its assessment."""
    result = evaluation_result(evaluation)
    answers = answers_by_key(evaluation)
    subs = tuple(
        SubAnswer(code=s.code, text=s.text, answer=answers[f"s{s.pk}"].text if f"s{s.pk}" in answers else "")
        for row in result.rows
        for c in row.criteria
        for s in c.criterion.sub_questions.all()
    )
    previous = result.previous
    return ReportContext(
        result=result,
        matrix=round_matrix(evaluation.round, including=evaluation),
        previous_matrix=round_matrix(previous.round) if previous is not None else None,
        sub_answers=subs,
        units=tuple(evaluation.units.order_by("name").values_list("name", flat=True)),
        municipality=getattr(MunicipalitySettings.objects.first(), "name", "") or "kommunen",
    )


def _join(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} og {words[-1]}"


def colour_rules(scheme: Any) -> list[dict[str, str]]:
    """'En placering i kategori 1 og 2 medfører en klassificering som rød', from the scheme's own table."""
    meanings = {d.colour: d.meaning for d in scheme.colour_definitions.all()}
    rules = []
    for colour in (Colour.RED, Colour.YELLOW, Colour.GREEN):
        numbers = [c.number for c in scheme.categories.all() if c.colour == colour.value]
        if numbers:
            rules.append(
                {
                    "colour": colour.value,
                    "label": colour.label,
                    "categories": _join(numbers),
                    "meaning": meanings.get(colour.value, ""),
                }
            )
    return rules


def report_html(context: ReportContext) -> str:
    evaluation = context.evaluation
    rows = context.result.rows
    numbers = [c.criterion.number for r in rows for c in r.criteria]
    return render_to_string(
        "evaluation/report.html",
        {
            "ctx": context,
            "colour_rules": colour_rules(context.result.scheme),
            "matrices": [m for m in (context.matrix, context.previous_matrix) if m is not None],
            "first_number": min(numbers, default=1),
            "last_number": max(numbers, default=15),
            "first_letter": rows[0].main.letter if rows else "A",
            "last_letter": rows[-1].main.letter if rows else "G",
            "evaluation": evaluation,
            "administration": evaluation.administration,
            "administration_genitive": genitive(evaluation.administration.name),
            "scheme": context.result.scheme,
            "rows": context.result.rows,
            "previous": context.result.previous,
        },
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The report embeds nothing; refusing every fetch keeps text from ever reaching a file or URL.
    raise ValueError(f"Rapporten henter ingen eksterne ressourcer ({url[:60]}).")


def report_pdf(context: ReportContext) -> bytes:
    """PDF bytes. WeasyPrint is imported here so the rest of the app runs without it installed."""
    from weasyprint import CSS, HTML  # optional, heavy dependency

    html = HTML(string=report_html(context), base_url=str(REPORT_CSS.parent), url_fetcher=_refuse_fetch)
    pdf: bytes = html.write_pdf(stylesheets=[CSS(filename=str(REPORT_CSS))])
    return pdf


def _label(colour: Colour | None) -> str:
    return colour.label if colour is not None else ""


def report_xlsx(context: ReportContext) -> bytes:
    """The same data as the PDF in four sheets; text cells escaped against formula injection."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    evaluation = context.evaluation
    year = evaluation.round.year
    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]], first: bool = False) -> None:
        ws = workbook.active if first else workbook.create_sheet()
        assert ws is not None  # noqa: S101 (a new workbook always has an active sheet)
        ws.title = title
        ws.append([escape_cell(h) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([escape_cell(v) if v is not None else "" for v in row])
        ws.freeze_panes = "A2"

    sheet(
        "Hovedkriterier",
        ["Hovedkriterium", "Titel", "Bestemmende kriterium", f"Klassifikation {year}", "Bemærkninger"],
        [
            [r.main.letter, r.main.title, r.determining_number, _label(r.colour), r.remarks]
            for r in context.result.rows
        ],
        first=True,
    )
    sheet(
        "Kriterier",
        [
            "Hovedkriterium",
            "Kriterium",
            "Tekst",
            "Kategori 1–7",
            "Klassifikation",
            "Bestemmende",
            "Bemærkninger",
        ],
        [
            [
                r.main.letter,
                c.criterion.number,
                c.criterion.text,
                c.category,
                _label(c.colour),
                "Ja" if c.criterion.determining else "Nej",
                c.remarks,
            ]
            for r in context.result.rows
            for c in r.criteria
        ],
    )
    previous = context.result.previous
    sheet(
        "Bilag 1 Udvikling",
        ["Hovedkriterium", str(year), str(previous.round.year) if previous else "Forrige runde", "Udvikling"],
        [
            [
                f"{r.main.letter}. {r.main.title}",
                _label(r.colour),
                _label(r.previous_colour),
                r.development.label if r.development else "",
            ]
            for r in context.result.rows
        ],
    )
    for matrix in (context.matrix, context.previous_matrix):
        if matrix is None:
            continue
        sheet(
            f"Bilag 2 {matrix.round.year}",
            ["Hovedkriterium", *[a.name for a in matrix.administrations]],
            [
                [f"{main.letter}. {main.title}", *[_label(c.colour) for c in cells]]
                for main, cells in matrix.rows
            ],
        )
    sheet(
        "Vurdering",
        ["Felt", "Tekst"],
        [
            ["Forvaltning", evaluation.administration.name],
            ["Runde", str(year)],
            ["Status", evaluation.get_status_display()],
            ["Samlet vurdering", evaluation.overall_assessment],
            ["Anbefalinger", evaluation.recommendations],
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
