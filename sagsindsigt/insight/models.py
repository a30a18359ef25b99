"""The models of insight, defined in their rooms; Django looks for an app's models here."""

from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.insight.rollups.models import (
    AdministrationDaysRollup,
    DaysMeasure,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
    ThemeSource,
)
from sagsindsigt.insight.saved.models import DigestSent, SavedPage, SavedView
from sagsindsigt.insight.targets.models import (
    Target,
    TargetDirection,
    TargetKind,
    TargetVersion,
    VersionAction,
    metric_choices,
)

__all__ = [
    "AdministrationDaysRollup",
    "DaysMeasure",
    "DaysRollup",
    "DigestSent",
    "MonthRollup",
    "RecordingBreak",
    "RollupFill",
    "SavedPage",
    "SavedView",
    "Target",
    "TargetDirection",
    "TargetKind",
    "TargetVersion",
    "ThemeRollup",
    "ThemeSource",
    "VersionAction",
    "metric_choices",
]
