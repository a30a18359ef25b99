"""The metric registry: every figure Sagsindsigt shows, defined once over `Figures` (pure; no database).

A metric's value for any scope and period is computed from that scope and period's Figures, which add up
from the rollups, so the same definition serves the overview, a unit, a month on a control chart, a
funnel point, a target and the REST API. "No data" (None) is never shown as 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sagsindsigt.common.danish import number
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.stats.control import ChartKind

Kind = Literal["rate", "share", "days", "count"]
Better = Literal["lower", "higher", "neither"]


@dataclass(frozen=True)
class Context:
    """What a metric may need beyond the figures: the municipality's reply rule, a theme (a core theme
    with the local sub-themes mapped to it)."""

    reply_rule_days: int = 10
    theme_ids: frozenset[int] = frozenset()


Count = Callable[[Figures, Context], int]


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    formula: str
    unit: str
    better: Better
    sources: tuple[str, ...]
    kind: Kind
    chart: ChartKind
    numerator: Count | None = None
    denominator: Count | None = None
    histogram: Callable[[Figures], Counter[int]] | None = None
    quantile: float = 0.5
    needs_theme: bool = False
    # Reads the working-day histograms (the largest part of a read; left out when nothing needs them).
    needs_days: bool = False
    # What `counts` gives, in everyday words for table headings and chart axes (not "numerator" and
    # "denominator"): what is counted, and what it is counted out of.
    events_label: str = "Antal"
    volume_label: str = "Antal"

    @property
    def scale(self) -> float:
        """Multiplier from the stored fraction to the unit shown (per 1,000, percent)."""
        return {"rate": 1000.0, "share": 100.0}.get(self.kind, 1.0)

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    def counts(self, f: Figures, ctx: Context = Context()) -> tuple[int, int]:
        """(events, volume): numerator and denominator, or for days the cases counted twice; for the
        funnel plot, control charts and suppression."""
        if self.histogram is not None:
            n = sum(self.histogram(f).values())
            return n, n
        assert self.numerator is not None  # noqa: S101 (every other kind has one)
        num = self.numerator(f, ctx)
        return num, self.denominator(f, ctx) if self.denominator is not None else num

    def value(self, f: Figures, ctx: Context = Context()) -> float | None:
        """In the unit shown (per 1,000, percent, working days, count); None when there is no data."""
        if self.histogram is not None:
            return histogram_quantile(self.histogram(f), self.quantile)
        assert self.numerator is not None  # noqa: S101
        num = self.numerator(f, ctx)
        if self.denominator is None:
            return float(num)
        den = self.denominator(f, ctx)
        return None if den <= 0 else self.scale * num / den

    def fraction(self, f: Figures, ctx: Context = Context()) -> float | None:
        """A rate or share as numerator / denominator (0.19, not 19 %); None when there is no data."""
        if self.numerator is None or self.denominator is None:
            raise ValueError(f"{self.code} er ikke en rate eller andel")
        den = self.denominator(f, ctx)
        return None if den <= 0 else self.numerator(f, ctx) / den

    def format(self, value: float | None) -> str:
        if value is None:
            return "ingen data"
        if self.kind == "count":
            return number(value)
        if self.kind == "share":
            return f"{number(value, 1)} %"
        return number(value, 1)


def histogram_quantile(histogram: Counter[int], q: float) -> float | None:
    """The q-quantile of integer observations given as value -> count, interpolated linearly between
    order statistics (the usual definition: the median of 2 and 4 is 3). None for no observations."""
    total = sum(n for n in histogram.values() if n > 0)
    if total == 0:
        return None
    position = (total - 1) * q
    low_rank, high_rank = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for value in sorted(v for v, n in histogram.items() if n > 0):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None  # noqa: S101
    return low + (high - low) * (position - low_rank)


def _within_rule(f: Figures, ctx: Context) -> int:
    return sum(n for days, n in f.reply_days.items() if days <= ctx.reply_rule_days)


def _theme_points(f: Figures, ctx: Context) -> int:
    return sum(f.points_by_theme.get(theme, 0) for theme in ctx.theme_ids)


CASES = ("cases", "volume_counts")
PER_DECIDED = "pr. 1.000 afgjorte sager"

METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "complaints_per_1000",
            "Klager pr. 1.000 afgjorte sager",
            "klager modtaget i perioden / afgjorte sager i perioden × 1.000",
            PER_DECIDED,
            "lower",
            ("complaints", *CASES),
            "rate",
            "u",
            numerator=lambda f, c: f.complaints,
            denominator=lambda f, c: f.decided,
            events_label="Klager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "formal_per_1000",
            "Formalitetsklager pr. 1.000 afgjorte sager",
            "formalitetsklager / afgjorte sager × 1.000",
            PER_DECIDED,
            "lower",
            ("complaints", *CASES),
            "rate",
            "u",
            numerator=lambda f, c: f.complaints_formal,
            denominator=lambda f, c: f.decided,
            events_label="Formalitetsklager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "substantive_per_1000",
            "Realitetsklager pr. 1.000 afgjorte sager",
            "realitetsklager / afgjorte sager × 1.000",
            PER_DECIDED,
            "lower",
            ("complaints", *CASES),
            "rate",
            "u",
            numerator=lambda f, c: f.complaints_substantive,
            denominator=lambda f, c: f.decided,
            events_label="Realitetsklager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "points_per_1000",
            "Klagepunkter pr. 1.000 afgjorte sager",
            "klagepunkter på klager modtaget i perioden / afgjorte sager × 1.000",
            PER_DECIDED,
            "lower",
            ("complaints", *CASES),
            "rate",
            "u",
            numerator=lambda f, c: f.complaint_points,
            denominator=lambda f, c: f.decided,
            events_label="Klagepunkter",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "theme_points_per_1000",
            "Klagepunkter om temaet pr. 1.000 afgjorte sager",
            "klagepunkter med temaet / afgjorte sager × 1.000",
            PER_DECIDED,
            "lower",
            ("complaints", *CASES),
            "rate",
            "u",
            numerator=_theme_points,
            denominator=lambda f, c: f.decided,
            needs_theme=True,
            events_label="Klagepunkter om temaet",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "points_upheld_share",
            "Andel klagepunkter med medhold",
            "(medhold + delvist medhold) / (medhold + delvist medhold + ikke medhold); afviste og "
            "uafgjorte punkter tæller ikke med",
            "%",
            "lower",
            ("complaints",),
            "share",
            "p",
            numerator=lambda f, c: f.points_upheld + f.points_partly,
            denominator=lambda f, c: f.points_upheld + f.points_partly + f.points_not_upheld,
            events_label="Klagepunkter med helt eller delvist medhold",
            volume_label="Klagepunkter med afgjort udfald",
        ),
        Metric(
            "reply_days_median",
            "Svartid på klager (median)",
            "medianen af arbejdsdage fra modtagelse til svar, for klager besvaret i perioden",
            "arbejdsdage",
            "lower",
            ("complaints",),
            "days",
            "xmr",
            histogram=lambda f: f.reply_days,
            needs_days=True,
            events_label="Besvarede klager",
            volume_label="Besvarede klager",
        ),
        Metric(
            "reply_within_rule",
            "Klager besvaret inden for svarfristen",
            "klager besvaret inden for kommunens svarfrist (arbejdsdage) / klager besvaret i perioden",
            "%",
            "higher",
            ("complaints",),
            "share",
            "p",
            numerator=_within_rule,
            denominator=lambda f, c: sum(f.reply_days.values()),
            needs_days=True,
            events_label="Besvaret inden for svarfristen",
            volume_label="Besvarede klager",
        ),
        Metric(
            "processing_days_median",
            "Sagsbehandlingstid (median)",
            "medianen af arbejdsdage fra modtagelse til afgørelse, for sager afgjort i perioden "
            "(kun kilder med sagsrækker)",
            "arbejdsdage",
            "lower",
            ("cases",),
            "days",
            "xmr",
            histogram=lambda f: f.processing_days,
            needs_days=True,
            events_label="Afgjorte sager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "processing_days_p90",
            "Sagsbehandlingstid (90 % afgjort inden)",
            "90-percentilen af arbejdsdage fra modtagelse til afgørelse, for sager afgjort i perioden",
            "arbejdsdage",
            "lower",
            ("cases",),
            "days",
            "xmr",
            histogram=lambda f: f.processing_days,
            quantile=0.9,
            needs_days=True,
            events_label="Afgjorte sager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "within_deadline_share",
            "Afgjort inden for den vejledende frist",
            "sager afgjort senest på fristdatoen / afgjorte sager med en frist",
            "%",
            "higher",
            CASES,
            "share",
            "p",
            numerator=lambda f, c: f.decided_within_deadline,
            denominator=lambda f, c: f.decided_deadline_known,
            events_label="Afgjort inden for fristen",
            volume_label="Afgjorte sager med en frist",
        ),
        Metric(
            "reversal_rate",
            "Omgørelsesprocent",
            "(ændret/ophævet + hjemvist) / realitetsbehandlede ankesager (afviste tæller ikke med)",
            "%",
            "lower",
            ("appeals",),
            "share",
            "p",
            numerator=lambda f, c: f.appeals_reversed,
            denominator=lambda f, c: f.appeals_on_merits,
            events_label="Omgjorte ankesager",
            volume_label="Realitetsbehandlede ankesager",
        ),
        Metric(
            "supervision_share",
            "Klager via Borgerrådgiveren, der blev til en tilsynssag",
            "klager via Borgerrådgiveren med tilsynssag / klager via Borgerrådgiveren",
            "%",
            "lower",
            ("complaints",),
            "share",
            "p",
            numerator=lambda f, c: f.supervision_cases,
            denominator=lambda f, c: f.complaints_ombudsman,
            events_label="Blev til en tilsynssag",
            volume_label="Klager via Borgerrådgiveren",
        ),
        Metric(
            "complaints",
            "Antal klager",
            "klager modtaget i perioden",
            "klager",
            "neither",
            ("complaints",),
            "count",
            "xmr",
            numerator=lambda f, c: f.complaints,
            events_label="Klager",
            volume_label="Klager",
        ),
        Metric(
            "decided",
            "Antal afgjorte sager",
            "sager afgjort i perioden (og månedstal fra kilder uden sagsrækker)",
            "sager",
            "neither",
            CASES,
            "count",
            "xmr",
            numerator=lambda f, c: f.decided,
            events_label="Afgjorte sager",
            volume_label="Afgjorte sager",
        ),
        Metric(
            "appeals_decided",
            "Afgjorte ankesager",
            "ankesager afgjort af klageinstansen i perioden",
            "ankesager",
            "neither",
            ("appeals",),
            "count",
            "xmr",
            numerator=lambda f, c: f.appeals_decided,
            events_label="Afgjorte ankesager",
            volume_label="Afgjorte ankesager",
        ),
    )
}


def rewards_not_recording(m: Metric) -> bool:
    """A target that caps a count of complaints (rather than a rate) is met most easily by not
    registering complaints (DOMAIN.md §2, Måltal): the UI warns about it."""
    return m.kind == "count" and "complaints" in m.sources
