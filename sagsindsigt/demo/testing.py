"""The generated demo municipality for tests: generated once, shared by a module, wiped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import override_settings

from sagsindsigt.cases.models import Case, CaseArea, CaseType, GuidelineDeadline, VolumeCount
from sagsindsigt.common.models import AuditEvent
from sagsindsigt.complaints.models import Appeal, Complaint, ComplaintPoint, ComplaintTheme
from sagsindsigt.demo.generator import DemoSummary, generate
from sagsindsigt.evaluation.models import Round, Scheme
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysRollup,
    MonthRollup,
    RecordingBreak,
    RollupFill,
    Target,
    TargetVersion,
    ThemeRollup,
)
from sagsindsigt.intake.models import Load, Source
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Unit, User

# The demo users' passwords are hashed with the real hasher in use; tests need not pay for it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class DemoOptions:
    """What `generate` is called with; the same options give the same municipality."""

    end_date: date
    scale: float
    seed: int


def wipe() -> None:
    """Remove everything the generator creates, and targets tests set on it, children before parents."""
    TargetVersion.objects.all().delete()
    Target.objects.all().delete()
    RecordingBreak.objects.all().delete()
    for rollup in (MonthRollup, DaysRollup, AdministrationDaysRollup, ThemeRollup, RollupFill):
        rollup.objects.all().delete()
    Appeal.reversal_reasons.through.objects.all().delete()
    Appeal.objects.all().delete()
    ComplaintPoint.objects.all().delete()
    Complaint.objects.all().delete()
    VolumeCount.objects.all().delete()
    Case.objects.all().delete()
    GuidelineDeadline.objects.all().delete()
    CaseType.objects.all().delete()
    CaseArea.objects.all().delete()
    ComplaintTheme.objects.filter(parent__isnull=False).delete()
    User.objects.all().delete()
    AuditEvent.objects.all().delete()
    Load.objects.all().delete()
    Source.objects.all().delete()
    # The FOKUS demo rounds and their scheme copies; the migrated template stays.
    schemes = [r.scheme_id for r in Round.objects.all()]
    Round.objects.all().delete()
    Scheme.objects.filter(pk__in=schemes).delete()
    Unit.objects.filter(parent__isnull=False).delete()
    Unit.objects.all().delete()
    Administration.objects.all().delete()
    MunicipalitySettings.objects.all().delete()


@contextmanager
def demo_municipality(django_db_blocker: Any, options: DemoOptions) -> Iterator[DemoSummary]:
    """Generate the demo outside any test's transaction (so it outlives each test's rollback), exactly as
    `manage.py demo` does: every row through intake, and the rollups caught up before it commits."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with django_db_blocker.unblock():
            summary = generate(end_date=options.end_date, scale=options.scale, seed=options.seed)
        try:
            yield summary
        finally:
            with django_db_blocker.unblock():
                wipe()
