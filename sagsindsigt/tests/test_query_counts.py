"""Every page and API endpoint with its number of database queries pinned on the demo municipality.

A change that adds queries to a page, such as an N+1 over administrations, units, targets or rows, fails
here. Each URL of the resolver (Django's admin aside) needs an entry in VISITS, so a new page cannot go
unpinned. The known N+1s that are already there are noted at their entries.

Re-measuring after a change: run the module with QUERY_COUNTS set to a file, on both engines; no limit
is asserted then, and each request appends "engine, test id, queries, pinned" to the file:

    export SAGSINDSIGT_DEV=1
    QUERY_COUNTS=/tmp/counts.tsv .venv/bin/python -m pytest sagsindsigt/tests/test_query_counts.py
    QUERY_COUNTS=/tmp/counts.tsv DATABASE_URL=postgres://postgres@127.0.0.1:5432/sagsindsigt \\
        .venv/bin/python -m pytest sagsindsigt/tests/test_query_counts.py
    sort -t$'\\t' -k2,2 -k1,1 /tmp/counts.tsv

Pin the larger of the two counts plus at most 2.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sagsindsigt.cases.models import Case, CaseArea
from sagsindsigt.common.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from sagsindsigt.common.models import StaleKind
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.complaints.models import Complaint, ComplaintPoint, ComplaintTheme
from sagsindsigt.complaints.services import PointInput, complaint_register
from sagsindsigt.demo.delivery import APPEAL_SOURCE, COMPLAINT_SOURCE
from sagsindsigt.demo.generator import DemoSummary
from sagsindsigt.evaluation import services as fokus
from sagsindsigt.evaluation.models import Attachment, Criterion, Evaluation, MainCriterion, Scheme
from sagsindsigt.evaluation.selectors import scheme_templates
from sagsindsigt.evaluation.tests.helpers import answer_and_submit, assess
from sagsindsigt.insight.models import SavedView, Target, TargetKind
from sagsindsigt.insight.saved.services import SavedViewData, saved_view_create
from sagsindsigt.insight.targets.services import TargetData, target_create
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.services import load_receive, load_validate, source_issue_token
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import Administration, Unit, User

MEASURE_FILE = os.environ.get("QUERY_COUNTS", "")

ANALYST = "analytiker"  # central analyst, the whole municipality
LEADER = "leder.sof"  # administration leader of SOF; answers SOF's FOKUS questionnaire
OMBUDSMAN = "borgerraadgiver"  # runs and assesses the FOKUS rounds
ADMIN = "admin"  # system administrator: sources and loads

PERIOD = "fra=2025-01-01&til=2025-12-31"
OPEN_ROUND = 2026  # added by the `scene` fixture; 2013 and 2015 are the demo's published rounds


# --- the demo data the entries point at ------------------------------------------------------------


def _administration(code: str) -> int:
    return Administration.objects.get(code=code).pk


def _unit(code: str) -> int:
    return Unit.objects.get(code=code).pk


def _evaluation(year: int, code: str) -> int:
    return Evaluation.objects.get(round__year=year, administration__code=code).pk


def _source(name: str) -> int:
    return Source.objects.get(name=name).pk


def _largest_load() -> int:
    return (
        Load.objects.filter(status=LoadStatus.COMMITTED)
        .order_by("-counts__new", "pk")
        .values_list("pk", flat=True)[0]
    )


def _template() -> int:
    return scheme_templates().values_list("pk", flat=True)[0]


def _attachment() -> dict[str, Any]:
    found = Attachment.objects.get(evaluation_id=_evaluation(OPEN_ROUND, "SOF"))
    return {"pk": found.evaluation_id, "attachment_pk": found.pk}


def _target(metric: str) -> int:
    return Target.objects.filter(metric=metric).order_by("pk").values_list("pk", flat=True)[0]


def _saved_view(name: str) -> int:
    return SavedView.objects.get(owner__username=LEADER, name=name).pk


def _hand_registered_complaint() -> dict[str, Any]:
    """A complaint registered in the UI's service (the demo's complaints all come from an import)."""
    complaint = complaint_register(
        actor=User.objects.get(username=OMBUDSMAN),
        unit=Unit.objects.get(code="SOF-BBU-AMA"),
        kind="formal",
        received_date=date(2025, 3, 3),
        points=[PointInput(theme=ComplaintTheme.objects.get(code="T01"))],
    )
    return {"pk": complaint.pk}


def _complaint_edit() -> dict[str, Any]:
    """The answer and an outcome for the complaint `_hand_registered_complaint` made, and a new point."""
    point = ComplaintPoint.objects.filter(complaint__source_system="").latest("pk")
    fields = {
        "answered_date": "2025-03-10",
        "learning_note": "Partshøring glemt.",
        f"udfald-{point.pk}": "upheld",
        "punkt-TOTAL_FORMS": "1",
        "punkt-INITIAL_FORMS": "0",
        "punkt-0-theme": ComplaintTheme.objects.get(code="T05").pk,
        "punkt-0-outcome": "not_upheld",
        "save": "1",
    }
    return {"data": fields}


def _imported_complaint() -> dict[str, Any]:
    return {"pk": Complaint.objects.exclude(source_system="").order_by("pk").values_list("pk", flat=True)[0]}


def _no_kwargs() -> dict[str, Any]:
    return {}


# --- request bodies, built inside the test's transaction ------------------------------------------


def _form(**fields: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"data": fields}


def _mapping_file() -> dict[str, Any]:
    """SBSYS's mapping as the export gives it, uploaded again."""
    source = Source.objects.get(name="SBSYS")
    body = Mapping.from_json(source.mapping, source.kind).dumps(source.name).encode()
    return {"data": {"file": SimpleUploadedFile("kortlaegning.json", body, "application/json")}}


def _validated_load() -> dict[str, Any]:
    """A re-delivery of the first 50 SBSYS cases, received and validated: the commit applies it."""
    source = Source.objects.get(name="SBSYS")
    lines = (Path(settings.VAR_DIR) / "demo" / "sbsys.csv").read_bytes().splitlines(keepends=True)
    admin = User.objects.get(username=ADMIN)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "sbsys-50.csv"
        path.write_bytes(b"".join(lines[:51]))
        load = load_receive(actor=admin, source=source, path=path, file_name=path.name)
    load_validate(actor=admin, load=load)
    assert load.status == LoadStatus.VALIDATED, load.message
    return {"data": {CONFIRM_FIELD: CONFIRM_VALUE}, "load_pk": load.pk}


APPEAL = {
    "Enhed": "SOF-BBU-AMA",
    "Sagstype": "",
    "Klageinstans": "Ankestyrelsen",
    "Lovområde": "Serviceloven",
    "Paragraf": "",
    "Afgørelsesdato": "12-03-2025",
}


def push_body(n: int) -> dict[str, Any]:
    """n new appeals from Ankestyrelsen, every third remitted with two reasons."""
    token = source_issue_token(actor=SYSTEM, source=Source.objects.get(name=APPEAL_SOURCE))
    records = [
        {
            **APPEAL,
            "Ankesagsnummer": f"QC-{i}",
            "Udfald": "Hjemvist" if i % 3 == 0 else "Stadfæstet",
            "Omgørelsesårsager": "T10, T05" if i % 3 == 0 else "",
        }
        for i in range(n)
    ]
    return {
        "data": {"records": records},
        "content_type": "application/json",
        "headers": {"Authorization": f"Bearer {token}"},
    }


# --- the table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One request: the URL name, its kwargs from the demo data, who asks, the answer and the pin."""

    name: str
    user: str | None  # None: not logged in
    status: int
    max_queries: int
    kwargs: Callable[[], dict[str, Any]] = _no_kwargs
    query: str = ""
    method: str = "get"
    # POST only: the arguments for client.post, built before the counting starts. A "load_pk" key
    # becomes the URL's pk (for a load made by the builder).
    body: Callable[[], dict[str, Any]] | None = None
    label: str = ""  # tells two visits of one URL apart when their kwargs differ

    @property
    def id(self) -> str:
        label = f" {self.label}" if self.label else ""
        suffix = f"?{self.query}" if self.query else ""
        return f"{self.method.upper()} {self.name}{label}{suffix} [{self.user or 'anonym'}]"


def csv_table(table: str) -> str:
    return f"{PERIOD}&format=csv&tabel={table}"


VISITS: list[Visit] = [
    # organisation
    Visit("login", None, 200, 2),
    Visit("logout", ANALYST, 302, 8, method="post", body=_form()),
    # insight: dashboards (they read the rollups) and targets. Targets are read in batches, one read of
    # figures per distinct period (see test_the_targets_panel_does_not_grow_with_the_number_of_targets).
    # Without a period the overview shows the 12 months before today, the ones after the demo's last
    # month read from the raw tables: its count depends on today's date (measured in December 2026).
    Visit("overview", ANALYST, 200, 84),
    Visit("overview", ANALYST, 200, 54, query=PERIOD),
    Visit("overview", ANALYST, 200, 54, query=f"{PERIOD}&maal=within_deadline_share"),
    Visit("overview", ANALYST, 200, 54, query=csv_table("tal")),
    Visit("overview", ANALYST, 200, 54, query=f"{PERIOD}&format=xlsx&tabel=tragt"),
    Visit("overview", LEADER, 200, 52, query=PERIOD),
    # The administration and unit pages read their largest units month by month for the trend chart.
    Visit("administration", ANALYST, 200, 56, lambda: {"pk": _administration("SOF")}, PERIOD, label="SOF"),
    Visit(
        "administration",
        ANALYST,
        200,
        53,
        lambda: {"pk": _administration("SOF")},
        csv_table("tal"),
        label="SOF",
    ),
    Visit("administration", LEADER, 200, 56, lambda: {"pk": _administration("SOF")}, PERIOD, label="SOF"),
    # The demo's own targets (demo/targets.py) include relative ones: their baseline year is one more
    # distinct period to read on the pages that show them.
    Visit("administration", ANALYST, 200, 55, lambda: {"pk": _administration("BIF")}, PERIOD, label="BIF"),
    Visit("unit", ANALYST, 200, 54, lambda: {"pk": _unit("SOF-BBU")}, PERIOD, label="SOF-BBU"),
    Visit("unit", ANALYST, 200, 54, lambda: {"pk": _unit("SOF-BBU")}, csv_table("tal"), label="SOF-BBU"),
    Visit(
        "unit", ANALYST, 200, 54, lambda: {"pk": _unit("SOF-BBU")}, csv_table("udvikling"), label="SOF-BBU"
    ),
    Visit("unit", ANALYST, 200, 51, lambda: {"pk": _unit("SOF-BBU-AMA")}, PERIOD, label="SOF-BBU-AMA"),
    Visit(
        "case_area",
        ANALYST,
        200,
        28,
        lambda: {"pk": CaseArea.objects.order_by("name").values_list("pk", flat=True)[0]},
        PERIOD,
    ),
    Visit(
        "case_area",
        ANALYST,
        200,
        28,
        lambda: {"pk": CaseArea.objects.order_by("name").values_list("pk", flat=True)[0]},
        csv_table("tal"),
    ),
    Visit("theme", ANALYST, 200, 29, lambda: {"pk": ComplaintTheme.objects.get(code="T01").pk}, PERIOD),
    Visit(
        "theme", ANALYST, 200, 30, lambda: {"pk": ComplaintTheme.objects.get(code="T01").pk}, csv_table("tal")
    ),
    Visit("targets", ANALYST, 200, 34),
    Visit("targets", ANALYST, 200, 33, query="arkiverede=1"),
    Visit("targets", LEADER, 200, 28),
    Visit("target_create", ANALYST, 200, 9),
    Visit("target_edit", ANALYST, 200, 26, lambda: {"pk": _target("formal_per_1000")}, label="absolute"),
    Visit("target_edit", ANALYST, 200, 36, lambda: {"pk": _target("complaints")}, label="relative"),
    Visit(
        "target_archive",
        ANALYST,
        302,
        13,
        lambda: {"pk": _target("formal_per_1000")},
        method="post",
        body=_form(**{"arkiv-reason": "Erstattet af et nyt mål."}),
    ),
    # saved views: the list reads the views and whether their units and administrations are in sight
    Visit("saved_views", LEADER, 200, 7),
    Visit(
        "saved_view_create",
        LEADER,
        302,
        17,
        method="post",
        body=lambda: {
            "data": {
                "name": "Ny visning",
                "page": "administration",
                "object_id": _administration("SOF"),
                "period_kind": "last_12_months",
                "fra": "2025-01-01",
                "til": "2025-12-31",
                "maal": "reversal_rate",
            }
        },
    ),
    Visit("saved_view_open", LEADER, 302, 6, lambda: {"pk": _saved_view("SOF-BBU")}, label="in scope"),
    Visit("saved_view_open", LEADER, 403, 6, lambda: {"pk": _saved_view("BUF")}, label="out of scope"),
    Visit("saved_view_edit", LEADER, 200, 5, lambda: {"pk": _saved_view("SOF-BBU")}),
    Visit(
        "saved_view_delete",
        LEADER,
        302,
        10,
        lambda: {"pk": _saved_view("SOF-BBU")},
        method="post",
        body=_form(),
    ),
    # cases and complaints (row access)
    Visit("case_list", ANALYST, 200, 9),
    Visit("case_list", ANALYST, 200, 9, query="status=open&fra=2025-01-01&til=2025-12-31"),
    Visit("case_list", LEADER, 200, 9, query="page=2"),
    Visit("case_export", ANALYST, 200, 6, query="fra=2025-01-01&til=2025-12-31"),
    Visit(
        "case_detail",
        ANALYST,
        200,
        9,
        lambda: {"pk": Case.objects.filter(unit__code="SOF-BBU-AMA").order_by("pk").values("pk")[0]["pk"]},
    ),
    Visit("complaint_list", ANALYST, 200, 12),
    Visit("complaint_list", OMBUDSMAN, 200, 12, query="kind=formal"),
    Visit("complaint_create", OMBUDSMAN, 200, 8),
    Visit("complaint_export", ANALYST, 200, 8),
    Visit(
        "complaint_detail",
        OMBUDSMAN,
        200,
        8,
        lambda: {"pk": Complaint.objects.order_by("pk").values_list("pk", flat=True)[0]},
    ),
    Visit("complaint_edit", OMBUDSMAN, 200, 8, _hand_registered_complaint),
    # The edit writes and audits each changed row; then the rollups catch up with the months it marked.
    Visit(
        "complaint_edit",
        OMBUDSMAN,
        302,
        65,
        _hand_registered_complaint,
        method="post",
        body=_complaint_edit,
    ),
    Visit("complaint_edit", OMBUDSMAN, 200, 8, _imported_complaint, label="imported"),
    # intake
    Visit("intake_home", ADMIN, 200, 7),
    Visit("intake_source_new", ADMIN, 200, 5),
    Visit("intake_source", ADMIN, 200, 5, lambda: {"pk": _source("SBSYS")}),
    Visit("intake_mapping_export", ADMIN, 200, 5, lambda: {"pk": _source("SBSYS")}),
    Visit(
        "intake_mapping_import",
        ADMIN,
        302,
        9,
        lambda: {"pk": _source("SBSYS")},
        method="post",
        body=_mapping_file,
    ),
    Visit(
        "intake_source_token",
        ADMIN,
        200,
        9,
        lambda: {"pk": _source(APPEAL_SOURCE)},
        method="post",
        body=_form(),
    ),
    Visit("intake_load", ADMIN, 200, 6, lambda: {"pk": _largest_load()}),
    Visit("intake_progress", ADMIN, 200, 5, lambda: {"pk": _largest_load()}),
    Visit("intake_issues_csv", ADMIN, 200, 6, lambda: {"pk": _largest_load()}),
    Visit("intake_commit", ADMIN, 302, 23, method="post", body=_validated_load),
    # After the commit the rollups catch up with the months the load touched (in the request when they are
    # few): per 6-month chunk, and on SQLite ≈ 66 rows per insert, so it grows with the load's spread.
    Visit(
        "intake_rollback",
        ADMIN,
        302,
        221,
        lambda: {"pk": Load.objects.get(source_system=COMPLAINT_SOURCE).pk},
        method="post",
        body=_form(**{CONFIRM_FIELD: CONFIRM_VALUE}),
    ),
    # the REST API
    Visit("api-v1:api-root", ANALYST, 404, 2),
    Visit("api-v1:openapi-json", ANALYST, 200, 2),
    Visit("api-v1:openapi-view", ANALYST, 200, 4),
    Visit("api-v1:metric_list", ANALYST, 200, 4),
    Visit("api-v1:metric_values", ANALYST, 200, 17, lambda: {"code": "within_deadline_share"}, PERIOD),
    *(
        Visit(
            "api-v1:metric_values", ANALYST, 200, pin, lambda: {"code": "formal_per_1000"}, f"{PERIOD}&{by}"
        )
        for by, pin in (
            ("opdeling=ingen", 18),
            ("opdeling=enhed", 19),
            ("opdeling=forvaltning", 20),
            ("opdeling=maaned", 18),
        )
    ),
    Visit(
        "api-v1:metric_values", LEADER, 200, 18, lambda: {"code": "reversal_rate"}, f"{PERIOD}&opdeling=enhed"
    ),
    Visit(
        "api-v1:push",
        None,
        201,
        66,
        lambda: {"source_name": APPEAL_SOURCE},
        method="post",
        body=lambda: push_body(20),
    ),
    # FOKUS: the demo's published 2013 and 2015 rounds, and an open 2026 round (the `scene` fixture)
    Visit("evaluation_home", LEADER, 200, 6),
    # The respondents of all 21 evaluations the ombudsman sees are found in one query.
    Visit("evaluation_home", OMBUDSMAN, 200, 8),
    # A round's matrix reads its categories at once; the history reads each round (and its scheme) on
    # its own: it grows by a few queries a round, one round every other year.
    Visit("evaluation_history", ANALYST, 200, 28),
    Visit("evaluation_round_create", OMBUDSMAN, 200, 6),
    Visit("evaluation_round", OMBUDSMAN, 200, 14, lambda: {"year": 2015}, label="2015"),
    Visit("evaluation_round", OMBUDSMAN, 200, 13, lambda: {"year": OPEN_ROUND}, label="2026"),
    Visit("evaluation_scheme", OMBUDSMAN, 200, 10, lambda: {"pk": _template()}),
    # Copies the scheme criterion by criterion (an insert and a read of its sub-questions each): grows
    # with the scheme, not the data.
    Visit(
        "evaluation_scheme_copy", OMBUDSMAN, 302, 59, lambda: {"pk": _template()}, method="post", body=_form()
    ),
    Visit(
        "evaluation_criterion_edit",
        OMBUDSMAN,
        200,
        5,
        lambda: {"pk": Criterion.objects.filter(scheme_id=_template()).order_by("number")[0].pk},
    ),
    Visit(
        "evaluation_main_criterion_edit",
        OMBUDSMAN,
        200,
        8,
        lambda: {"pk": MainCriterion.objects.filter(scheme_id=_template()).order_by("letter")[0].pk},
    ),
    Visit("evaluation_detail", LEADER, 200, 32, lambda: {"pk": _evaluation(2015, "SOF")}, label="2015 SOF"),
    Visit(
        "evaluation_detail",
        OMBUDSMAN,
        200,
        33,
        lambda: {"pk": _evaluation(OPEN_ROUND, "BIF")},
        label="2026 BIF",
    ),
    Visit("evaluation_answer", LEADER, 200, 15, lambda: {"pk": _evaluation(OPEN_ROUND, "SOF")}),
    # Saves answer by answer (an insert and an audit event each): grows with the scheme, not the data.
    Visit(
        "evaluation_copy_previous",
        LEADER,
        302,
        50,
        lambda: {"pk": _evaluation(OPEN_ROUND, "SOF")},
        method="post",
        body=_form(),
    ),
    Visit(
        "evaluation_submit",
        LEADER,
        302,
        10,
        lambda: {"pk": _evaluation(OPEN_ROUND, "SOF")},
        method="post",
        body=_form(**{CONFIRM_FIELD: CONFIRM_VALUE}),
    ),
    Visit(
        "evaluation_reopen",
        OMBUDSMAN,
        302,
        9,
        lambda: {"pk": _evaluation(OPEN_ROUND, "BIF")},
        method="post",
        body=_form(),
    ),
    Visit("evaluation_attachment_upload", LEADER, 200, 6, lambda: {"pk": _evaluation(OPEN_ROUND, "SOF")}),
    Visit("evaluation_attachment", LEADER, 200, 6, _attachment),
    Visit("evaluation_attachment_remove", LEADER, 302, 11, _attachment, method="post", body=_form()),
    Visit("evaluation_respondents", LEADER, 200, 7, lambda: {"pk": _evaluation(OPEN_ROUND, "SOF")}),
    Visit("evaluation_assess", OMBUDSMAN, 200, 28, lambda: {"pk": _evaluation(OPEN_ROUND, "BIF")}),
    Visit(
        "evaluation_mark_assessed",
        OMBUDSMAN,
        302,
        10,
        lambda: {"pk": _evaluation(OPEN_ROUND, "BIF")},
        method="post",
        body=_form(),
    ),
    Visit("evaluation_follow_up", OMBUDSMAN, 200, 5, lambda: {"pk": _evaluation(OPEN_ROUND, "BUF")}),
    Visit(
        "evaluation_publish",
        OMBUDSMAN,
        302,
        9,
        lambda: {"pk": _evaluation(OPEN_ROUND, "BUF")},
        method="post",
        body=_form(**{CONFIRM_FIELD: CONFIRM_VALUE}),
    ),
    Visit("evaluation_report_pdf", LEADER, 200, 40, lambda: {"pk": _evaluation(2015, "SOF")}),
    Visit("evaluation_report_xlsx", LEADER, 200, 40, lambda: {"pk": _evaluation(2015, "SOF")}),
]


# --- what the demo lacks: targets and a FOKUS round in progress -----------------------------------


@pytest.fixture(scope="module")
def scene(demo: DemoSummary, django_db_blocker: Any) -> Iterator[None]:
    """Targets on every level, and a 2026 FOKUS round: SOF answering (with an attachment), BIF submitted
    and partly assessed, BUF at the follow-up meeting. Removed again by the demo's wipe."""
    with django_db_blocker.unblock():
        _set_targets()
        _open_round()
        _save_views()
    yield
    with django_db_blocker.unblock():
        for attachment in Attachment.objects.all():
            attachment.file.delete(save=False)


def _set_targets() -> None:
    analyst = User.objects.get(username=ANALYST)
    target_create(
        actor=analyst,
        data=TargetData(
            metric="within_deadline_share",
            value=Decimal(85),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        ),
    )
    target_create(
        actor=analyst,
        data=TargetData(
            metric="theme_points_per_1000",
            value=Decimal(2),
            theme=ComplaintTheme.objects.get(code="T01"),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        ),
    )
    for administration in Administration.objects.order_by("code"):
        target_create(
            actor=analyst,
            data=TargetData(
                metric="formal_per_1000",
                value=Decimal(3),
                administration=administration,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
            ),
        )
    for unit in Unit.objects.filter(administration__code="SOF", parent__isnull=True).order_by("code")[:3]:
        target_create(
            actor=analyst,
            data=TargetData(
                metric="processing_days_median",
                value=Decimal(20),
                administration=unit.administration,
                unit=unit,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
            ),
        )
    target_create(
        actor=analyst,
        data=TargetData(
            metric="complaints",
            kind=TargetKind.RELATIVE,
            direction="at_most",
            change_percent=Decimal(-20),
            baseline_start=date(2024, 1, 1),
            baseline_end=date(2024, 12, 31),
            administration=Administration.objects.get(code="SOF"),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        ),
        warning_acknowledged=True,
    )


def _save_views() -> None:
    """The SOF leader's views: one per kind of page, and one of BUF's overview saved before the leader's
    scope was narrowed to SOF (written directly: the service refuses it now)."""
    leader = User.objects.get(username=LEADER)
    for name, page, object_id in (
        ("Overblik", "overview", None),
        ("SOF", "administration", _administration("SOF")),
        ("SOF-BBU", "unit", _unit("SOF-BBU")),
        ("Sagsområde", "case_area", CaseArea.objects.order_by("name").values_list("pk", flat=True)[0]),
        ("T01", "theme", ComplaintTheme.objects.get(code="T01").pk),
    ):
        saved_view_create(
            actor=leader,
            data=SavedViewData(name=name, page=page, object_id=object_id, period_kind="last_12_months"),
        )
    SavedView.objects.create(
        owner=leader,
        name="BUF",
        page="administration",
        administration=Administration.objects.get(code="BUF"),
        period_kind="last_month",
    )


def _open_round() -> None:
    ombudsman = User.objects.get(username=OMBUDSMAN)
    admin = User.objects.get(username=ADMIN)
    round_ = fokus.round_create(
        actor=ombudsman,
        year=OPEN_ROUND,
        scheme=Scheme.objects.get(pk=_template()),
        administrations=list(Administration.objects.order_by("code")),
        answer_deadline=date(2026, 11, 1),
        assessment_deadline=date(2026, 12, 31),
    )
    evaluations = {e.administration.code: e for e in round_.evaluations.select_related("administration")}
    # SOF: answering, a few criteria and an attachment
    sof, leader = evaluations["SOF"], User.objects.get(username=LEADER)
    criteria = list(Criterion.objects.filter(scheme_id=round_.scheme_id).order_by("number"))
    fokus.answers_save(
        actor=leader, evaluation=sof, criteria={c.pk: f"Svar på kriterium {c.number}." for c in criteria[:5]}
    )
    fokus.attachment_add(
        actor=leader,
        evaluation=sof,
        upload=SimpleUploadedFile("aarshjul.pdf", b"%PDF-1.4\n%demo\n", "application/pdf"),
        criterion=criteria[0],
        description="Årshjul for kvalitetsopfølgning",
    )
    # BIF: submitted, half assessed
    bif = answer_and_submit(evaluations["BIF"], User.objects.get(username="leder.bif"))
    assess(bif, ombudsman, dict.fromkeys(range(1, 8), 5))
    # BUF: through the follow-up meeting, ready to publish
    buf = answer_and_submit(evaluations["BUF"], admin)
    assess(buf, ombudsman, dict.fromkeys(range(1, 16), 6))
    fokus.conclusions_set(
        actor=ombudsman, evaluation=buf, overall_assessment="God indsats.", recommendations="Fortsæt."
    )
    fokus.evaluation_mark_assessed(actor=ombudsman, evaluation=buf)
    fokus.follow_up_record(
        actor=ombudsman, evaluation=buf, meeting_date=timezone.localdate(), notes="Mødet er holdt."
    )


# --- the tests -----------------------------------------------------------------------------------


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            # An unnamed pattern cannot be reversed, so it cannot have an entry: name it by its route.
            yield f"{namespace}{entry.name or entry.pattern}"


# Django's own admin is not ours to pin.
EXCLUDED_NAMESPACES = ("admin:",)


def test_every_url_of_the_project_has_a_pinned_visit() -> None:
    # given
    names = {n for n in _url_names(get_resolver()) if not n.startswith(EXCLUDED_NAMESPACES)}
    pinned = {v.name for v in VISITS}
    # then: a new page needs an entry in VISITS, and an entry needs a page
    assert sorted(names - pinned) == [], "URLs without a pinned query count"
    assert sorted(pinned - names) == [], "entries in VISITS without a URL"


def test_visit_ids_are_unique() -> None:
    ids = [v.id for v in VISITS]
    assert len(ids) == len(set(ids))


# Each area's pins in a test of its own, so a failure names the area. The first word of a URL name
# (before "_" or ":") decides the area.
AREAS = {
    "login": "organisation",
    "logout": "organisation",
    "overview": "dashboards",
    "administration": "dashboards",
    "unit": "dashboards",
    "case": "cases",
    "theme": "dashboards",
    "targets": "targets",
    "target": "targets",
    "complaint": "complaints",
    "intake": "intake",
    "api-v1": "api",
    "evaluation": "fokus",
    "saved": "saved views",
}


def _area(visit: Visit) -> str:
    if visit.name == "case_area":
        return "dashboards"
    return AREAS[visit.name.replace(":", "_").split("_")[0]]


def _visits(area: str) -> Any:
    return pytest.mark.parametrize("visit", [v for v in VISITS if _area(v) == area], ids=lambda v: v.id)


def test_every_visit_belongs_to_an_area_with_a_test() -> None:
    tested = {
        "organisation",
        "dashboards",
        "saved views",
        "cases",
        "targets",
        "complaints",
        "intake",
        "api",
        "fokus",
    }
    assert {_area(v) for v in VISITS} == tested


def _visit(visit: Visit, client: Client, assert_max_queries: Any, capture_on_commit: Any) -> None:
    """Request the visit's URL as its user and assert the pin. Work that runs after the commit (the
    rollups' catch-up) is part of the request in production, so it is counted too."""
    # given
    if visit.user is not None:
        client.force_login(User.objects.get(username=visit.user))
    kwargs = visit.kwargs()
    body = visit.body() if visit.body is not None else {}
    if "load_pk" in body:
        kwargs["pk"] = body.pop("load_pk")
    url = reverse(visit.name, kwargs=kwargs)
    if visit.query:
        url = f"{url}?{visit.query}"
    # when
    limit = 100_000 if MEASURE_FILE else visit.max_queries
    with assert_max_queries(limit, info=visit.id) as captured, capture_on_commit(execute=True):
        if visit.method == "post":
            response = client.post(url, **body)
        else:
            response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # a file response reads as it is sent
    # then
    if MEASURE_FILE:
        with open(MEASURE_FILE, "a", encoding="utf-8") as out:
            csv.writer(out, delimiter="\t").writerow(
                [connection.vendor, visit.id, len(captured), visit.max_queries]
            )
    assert response.status_code == visit.status, _excerpt(response)


@pytest.mark.django_db
@_visits("organisation")
def test_organisation_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("dashboards")
def test_dashboard_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("saved views")
def test_saved_view_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("targets")
def test_target_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("cases")
def test_case_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("complaints")
def test_complaint_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("intake")
def test_intake_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("api")
def test_api_endpoints(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
@_visits("fokus")
def test_fokus_pages(
    visit: Visit,
    scene: None,
    client: Client,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _visit(visit, client, django_assert_max_num_queries, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_the_targets_panel_does_not_grow_with_the_number_of_targets(
    scene: None, client: Client, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given the overview's count with the scene's targets, suppression decided afresh (a write moves the
    # data version on, so no decision is kept from an earlier read: ADR 0015)
    client.force_login(User.objects.get(username=ANALYST))
    url = f"{reverse('overview')}?{PERIOD}"
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(StaleKind.COMPLAINTS, months=[date(2025, 1, 1)])
    with django_assert_max_num_queries(100_000) as before:
        client.get(url)
    # when every administration gets two more targets, one of them relative
    _more_targets()
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(StaleKind.COMPLAINTS, months=[date(2025, 1, 1)])
    # then the overview reads as many times as before: the targets are read in batches
    with django_assert_max_num_queries(len(before)):
        assert client.get(url).status_code == 200


def _more_targets() -> None:
    analyst = User.objects.get(username=ANALYST)
    for administration in Administration.objects.order_by("code"):
        for metric in ("reversal_rate", "points_per_1000"):
            target_create(
                actor=analyst,
                data=TargetData(
                    metric=metric,
                    value=Decimal(20),
                    administration=administration,
                    period_start=date(2025, 1, 1),
                    period_end=date(2025, 12, 31),
                ),
            )
        target_create(
            actor=analyst,
            data=TargetData(
                metric="decided",
                kind=TargetKind.RELATIVE,
                direction="at_least",
                change_percent=Decimal(5),
                baseline_start=date(2024, 1, 1),
                baseline_end=date(2024, 12, 31),
                administration=administration,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
            ),
        )


def _excerpt(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return ""
    return response.content.decode(errors="replace")[:2000]
