"""A busier municipality than `mini` for the rollup tests: a few hundred random rows over 2023–2025."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from sagsindsigt.cases.models import CaseType, VolumeCount
from sagsindsigt.cases.tests.factories import CaseFactory
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.complaints.tests.factories import AppealFactory, ComplaintFactory, ComplaintPointFactory
from sagsindsigt.conftest import Mini


@pytest.fixture
def busy(mini: Mini) -> Mini:
    """Mini plus a few hundred random rows over 2023–2025, edges of months and years included."""
    rng = random.Random(20261123)  # noqa: S311 (test data)
    units = [mini.sof_a, mini.sof_b, mini.buf_unit, mini.bif_unit]
    themes = list(ComplaintTheme.objects.filter(parent__isnull=True)[:6])
    start = date(2023, 1, 1)
    for _ in range(300):
        received = start + timedelta(days=rng.randrange(3 * 365))
        decided = received + timedelta(days=rng.randrange(90)) if rng.random() < 0.8 else None
        CaseFactory(
            unit=rng.choice(units), case_type=mini.ct_wd, received_date=received, decided_date=decided
        )
    for _ in range(80):
        received = start + timedelta(days=rng.randrange(3 * 365))
        answered = received + timedelta(days=rng.randrange(40)) if rng.random() < 0.7 else None
        ombudsman = rng.random() < 0.3
        complaint = ComplaintFactory(
            unit=rng.choice(units),
            kind=rng.choice(["formal", "substantive"]),
            channel="ombudsman" if ombudsman else "direct",
            supervision_case_opened=ombudsman and rng.random() < 0.5,
            received_date=received,
            answered_date=answered,
            case_type=rng.choice([None, mini.ct_wd]),
        )
        for theme in rng.sample(themes, rng.randint(1, 3)):
            ComplaintPointFactory(
                complaint=complaint,
                theme=theme,
                outcome=rng.choice(["upheld", "partly", "not_upheld", "rejected", "pending"]),
            )
    for _ in range(40):
        appeal = AppealFactory(
            unit=rng.choice(units),
            outcome=rng.choice(["upheld", "changed", "remitted", "rejected"]),
            decision_date=start + timedelta(days=rng.randrange(3 * 365)),
        )
        if appeal.outcome in ("changed", "remitted"):
            appeal.reversal_reasons.set(rng.sample(themes, 2))
    return mini


@pytest.fixture
def bif_year(mini: Mini) -> Mini:
    """Mini plus BIF's monthly counts for most of 2024, so the municipality's control chart has months to
    draw; April, May and August keep only SOF's and BUF's few cases, which the tables hide."""
    for month in (3, 6, 7, 9, 10, 11, 12):
        VolumeCount.objects.create(
            source_system="BIF-TAL",
            unit=mini.bif_unit,
            case_type=CaseType.objects.get(code="KF"),
            month=date(2024, month, 1),
            received=500 + 10 * month,
            decided=480 + 10 * month,
            decided_within_deadline=400 + 5 * month,
        )
    return mini
