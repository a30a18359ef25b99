"""Vega-Lite specs for the funnel plot and control chart, and their server-side SVG/PNG rendering."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from sagsindsigt.common.danish import MONTHS, SHORT_MONTHS, number, plural
from sagsindsigt.stats.control import ControlChart, Signal
from sagsindsigt.stats.funnel import CLASSIFICATION_DA, Classification, FunnelCurvePoint, FunnelResult

# The compiler version in vl-convert-python that matches static/vendor/vega (vega-lite 6.4.1), so an
# exported chart and the one in the browser come from the same compiler.
VL_VERSION = "6.4"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
EXPORT_WIDTH = 720
HEIGHT = 360
VALUE_FORMAT = ",.1f"

# Danish number and date formats (d3 locale objects), so axes and tooltips read "1.234,5", not "1,234.5".
DANISH_LOCALE: dict[str, Any] = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "time": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": list(MONTHS),
        "shortMonths": list(SHORT_MONTHS),
    },
}

# Every colour has at least 4.5:1 contrast against white. Above and below differ by triangle direction and
# 95 % and 99.8 % by hollow versus filled, so no class is told apart by colour alone. Above and below are
# warm and cool rather than red and green: whether "above" is good depends on the measure.
CLASSIFICATIONS: dict[Classification, tuple[str, str, str, bool]] = {
    "within": (CLASSIFICATION_DA["within"], "#6b6b6b", "circle", True),
    "above_95": (CLASSIFICATION_DA["above_95"], "#b45309", "triangle-up", False),
    "above_998": (CLASSIFICATION_DA["above_998"], "#a50f15", "triangle-up", True),
    "below_95": (CLASSIFICATION_DA["below_95"], "#1d4ed8", "triangle-down", False),
    "below_998": (CLASSIFICATION_DA["below_998"], "#1e3a8a", "triangle-down", True),
}
WHITE = "#ffffff"
LINE_COLOUR = "#595959"
VALUE_COLOUR = "#1e3a8a"
SIGNAL_COLOUR = "#a50f15"
NO_SIGNAL = "Ingen signal"
SIGNAL = "Signal"
BREAK_LABEL = "Brud i registreringen"


def _number(value: float | None) -> float | None:
    """A JSON-safe number: NaN and infinities become None, which Vega-Lite leaves out of the chart."""
    if value is None or not math.isfinite(value):
        return None
    return value


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else _number(value * scale)


def _da(value: float, decimals: int = 1) -> str:
    """A number as Danish text: 1.234,5."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _interval(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{_da(low)}–{_da(high)}"


def _pointer(links: object) -> dict[str, Any]:
    # A hand over the points only when they lead somewhere.
    return {"cursor": "pointer"} if links else {}


def _units(n: int) -> str:
    return plural(n, "enhed", "enheder")


def _span(labels: Sequence[str], indices: tuple[int, ...]) -> str:
    first, last = labels[indices[0]], labels[indices[-1]]
    return first if first == last else f"{first} til {last}"


def _base(
    title: str, description: str, layers: list[dict[str, Any]], datasets: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        # A line break after the chart's name keeps the title inside a phone-wide chart.
        "title": {"text": title.split(": ", 1) if ": " in title else title, "limit": {"expr": "width"}},
        "description": description,
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "datasets": datasets,
        "layer": layers,
        "config": {
            "locale": DANISH_LOCALE,
            # Vega's generated ARIA text is English ("line mark container"); the chart is labelled by its
            # Danish description instead, and the table beside it carries the figures.
            "aria": False,
            "font": "sans-serif",
            # Legends stack under the chart, one below the other, so a phone-wide chart keeps them whole.
            "legend": {
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 2,
                "layout": {"bottom": {"direction": "vertical", "anchor": "start"}},
            },
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
        },
    }


def _name_layer(x: dict[str, Any], y: dict[str, Any], left: bool) -> dict[str, Any]:
    return {
        "data": {"name": "units"},
        "transform": [
            {"filter": {"and": [{"field": "named", "equal": True}, {"field": "name_left", "equal": left}]}}
        ],
        "mark": {
            "type": "text",
            "align": "right" if left else "left",
            "dx": -9 if left else 9,
            "fontSize": 11,
            "color": "#333333",
        },
        "encoding": {"x": x, "y": y, "text": {"field": "unit", "type": "nominal"}},
    }


def funnel_spec(
    result: FunnelResult,
    curve: tuple[FunnelCurvePoint, ...],
    *,
    title: str,
    value_label: str,
    volume_label: str,
    scale: float,
    target_label: str = "Samlet niveau",
    links: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A funnel plot: units as points (value × scale against volume), the target and the limit lines.
    Each point carries its hover text (`tip`: unit, value, volume, limits) and, when `links` names the
    unit's page, its `href`; static/js/charts.js turns them into a <title> and a keyboard link."""
    drawn = [p for p in result.points if p.classification != "no_data" and p.value is not None]
    max_volume = max([p.denominator for p in drawn], default=0.0)
    points = []
    for p in drawn:
        label = CLASSIFICATIONS[p.classification][0]
        inner = p.limits_95 or (None, None)
        outer = p.limits_998 or (None, None)
        value = _scaled(p.value, scale)
        tip = (
            f"{p.key}: {_da(value) if value is not None else '–'} {value_label}; "
            f"{volume_label}: {_da(p.denominator, 0)}; "
            f"95 %-grænser {_interval(_scaled(inner[0], scale), _scaled(inner[1], scale))}; {label}"
        )
        points.append(
            {
                "unit": p.key,
                "tip": tip,
                "href": (links or {}).get(p.key),
                "count": p.count,
                "volume": _number(p.denominator),
                "value": value,
                "placement": label,
                "named": p.classification != "within",
                "name_left": p.denominator > 0.75 * max_volume,
                "lower_95": _scaled(inner[0], scale),
                "upper_95": _scaled(inner[1], scale),
                "lower_998": _scaled(outer[0], scale),
                "upper_998": _scaled(outer[1], scale),
            }
        )

    lines: list[dict[str, Any]] = []
    for c in curve:
        for level, limits in (("95 %-grænse", c.limits_95), ("99,8 %-grænse", c.limits_998)):
            for bound, limit in zip(("nedre", "øvre"), limits, strict=True):
                lines.append(
                    {
                        "line": level,
                        "part": f"{level} {bound}",
                        "volume": _number(c.volume),
                        "value": _scaled(limit, scale),
                    }
                )
    volumes = [c.volume for c in curve] + [p.denominator for p in drawn]
    if result.target is not None and volumes:
        for volume in (min(volumes), max(volumes)):
            lines.append(
                {
                    "line": target_label,
                    "part": target_label,
                    "volume": _number(volume),
                    "value": _scaled(result.target, scale),
                }
            )

    # The limits at small volumes run off towards 0 and huge values; keep the y axis to what the units need
    # (their values and their own 99.8 % limits) and clip the lines there, so the points are not squashed
    # flat. Shares near 100 % thus get an axis that does not start at 0.
    y_needed = [
        v
        for p in drawn
        for v in (_scaled(p.value, scale), *(_scaled(lim, scale) for lim in p.limits_998 or ()))
        if v is not None
    ]
    if (target := _scaled(result.target, scale)) is not None:
        y_needed.append(target)
    y_scale: dict[str, Any] = {"zero": False, "nice": True}
    if y_needed:
        low, high = min(y_needed), max(y_needed)
        pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
        top = high + pad if result.kind == "rate" else min(high + pad, scale)
        y_scale["domain"] = [max(low - pad, 0.0), top]

    order = list(CLASSIFICATIONS)
    labels = [CLASSIFICATIONS[k][0] for k in order]
    legend_title = "Placering"
    # A nice domain from zero leaves room after the largest unit without negative volumes on the axis.
    x = {
        "field": "volume",
        "type": "quantitative",
        "title": volume_label,
        "axis": {"format": ",d"},
        "scale": {"zero": True, "nice": True},
    }
    y = {"field": "value", "type": "quantitative", "title": value_label, "scale": y_scale}
    line_names = [target_label, "95 %-grænse", "99,8 %-grænse"]
    layers: list[dict[str, Any]] = [
        {
            "data": {"name": "lines"},
            "mark": {"type": "line", "clip": True, "color": LINE_COLOUR, "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": y,
                "detail": {"field": "part", "type": "nominal"},
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "title": "Linjer",
                    "scale": {"domain": line_names, "range": [[1, 0], [6, 4], [2, 2]]},
                },
            },
        },
        {
            "data": {"name": "units"},
            "mark": {"type": "point", "size": 90, "strokeWidth": 2, "opacity": 1, **_pointer(links)},
            "encoding": {
                "x": x,
                "y": y,
                "shape": {
                    "field": "placement",
                    "type": "nominal",
                    "title": legend_title,
                    "scale": {"domain": labels, "range": [CLASSIFICATIONS[k][2] for k in order]},
                },
                "stroke": {
                    "field": "placement",
                    "type": "nominal",
                    "title": legend_title,
                    "scale": {"domain": labels, "range": [CLASSIFICATIONS[k][1] for k in order]},
                },
                "fill": {
                    "field": "placement",
                    "type": "nominal",
                    "title": legend_title,
                    "scale": {
                        "domain": labels,
                        "range": [CLASSIFICATIONS[k][1] if CLASSIFICATIONS[k][3] else WHITE for k in order],
                    },
                },
            },
        },
        # Name the units outside the 95 % limits: an exported image has no tooltips, and these are the
        # units a reader looks for. Naming every unit would bury the funnel under text. Names near the
        # right edge go to the left of their point, so they stay inside the chart.
        *(_name_layer(x, y, left) for left in (False, True)),
    ]
    counts = [(CLASSIFICATIONS[k][0], sum(1 for p in drawn if p.classification == k)) for k in order]
    description = (
        f"Tragtdiagram: {title}. {_units(len(drawn))}. Lodret akse: {value_label}; vandret akse: "
        f"{volume_label}. Linjer: {target_label}, 95 %- og 99,8 %-grænser. "
        + "; ".join(f"{label}: {number(n)}" for label, n in counts if n)
        + "."
    )
    if missing := len(result.points) - len(drawn):
        description += f" {_units(missing)} uden data er ikke vist."
    return _base(title, description, layers, {"lines": lines, "units": points})


def _signal_points(kind: str, size: int, mark: dict[str, Any], encoding: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": {"name": "values"},
        "transform": [{"filter": {"field": "signal", "equal": kind}}],
        "mark": {**mark, "size": size},
        "encoding": encoding,
    }


def control_chart_spec(
    chart: ControlChart,
    labels: Sequence[str],
    signals: Sequence[Signal],
    *,
    title: str,
    value_label: str,
    scale: float,
    break_label: str | None = None,
    links: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """A control chart: the values over time, centre line and limits per point, signals and the break.
    A point's hover text (`tip`) and link (`href`, from `links`, one per label) are as in `funnel_spec`;
    a month without a value (held back) is not drawn and has neither."""
    if len(labels) != len(chart.values):
        raise ValueError("one label per plotted value")
    if links is not None and len(links) != len(labels):
        raise ValueError("one link (or None) per label")
    texts: dict[int, list[str]] = {}
    for signal in signals:
        for i in signal.indices:
            texts.setdefault(i, []).append(signal.text)
    segment_of = {i: n for n, seg in enumerate(chart.segments()) for i in seg}

    values = []
    for i, label in enumerate(labels):
        value = _scaled(chart.values[i], scale)
        centre = _scaled(chart.centre[i], scale)
        tip = None
        if value is not None:
            tip = (
                f"{label}: {_da(value)} {value_label}; gennemsnit {'–' if centre is None else _da(centre)}; "
                f"kontrolgrænser {_interval(_scaled(chart.lower[i], scale), _scaled(chart.upper[i], scale))}"
                + (f"; {'; '.join(texts[i])}" if i in texts else "")
            )
        values.append(
            {
                "period": label,
                "value": value,
                "centre": centre,
                "lower": _scaled(chart.lower[i], scale),
                "upper": _scaled(chart.upper[i], scale),
                "signal": SIGNAL if i in texts else NO_SIGNAL,
                "tip": tip,
                "href": links[i] if links is not None and value is not None else None,
            }
        )
    lines = [
        {
            "period": label,
            "line": line,
            "part": f"{line} {part} {segment_of[i]}",
            "value": _scaled(v[i], scale),
        }
        for line, part, v in (
            ("Gennemsnit", "midt", chart.centre),
            ("Kontrolgrænse", "øvre", chart.upper),
            ("Kontrolgrænse", "nedre", chart.lower),
        )
        for i, label in enumerate(labels)
    ]

    # A band scale without padding puts each point in the middle of its band, so the break rule can sit at
    # the band's left edge: halfway between the last month before the break and the first after it.
    x = {
        "field": "period",
        "type": "ordinal",
        "title": "Periode",
        "sort": None,
        "scale": {"type": "band", "domain": list(labels), "paddingInner": 0, "paddingOuter": 0},
        "axis": {"labelAngle": -45, "labelOverlap": True},
    }
    # Not from zero: what matters is the variation around the centre line, e.g. 40–60 days on an XmR chart.
    y = {"field": "value", "type": "quantitative", "title": value_label, "scale": {"zero": False}}
    point_encoding: dict[str, Any] = {
        "x": x,
        "y": y,
        "shape": {
            "field": "signal",
            "type": "nominal",
            "title": "Punkter",
            "scale": {"domain": [NO_SIGNAL, SIGNAL], "range": ["circle", "diamond"]},
        },
        "color": {
            "field": "signal",
            "type": "nominal",
            "title": "Punkter",
            "scale": {"domain": [NO_SIGNAL, SIGNAL], "range": [VALUE_COLOUR, SIGNAL_COLOUR]},
        },
    }
    point_mark: dict[str, Any] = {"type": "point", "filled": True, "opacity": 1, **_pointer(links)}
    layers: list[dict[str, Any]] = [
        {
            "data": {"name": "lines"},
            "mark": {"type": "line", "interpolate": "step", "color": LINE_COLOUR},
            "encoding": {
                "x": x,
                "y": y,
                "detail": {"field": "part", "type": "nominal"},
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "title": "Linjer",
                    "scale": {"domain": ["Gennemsnit", "Kontrolgrænse"], "range": [[1, 0], [6, 4]]},
                },
            },
        },
        {
            "data": {"name": "values"},
            "mark": {"type": "line", "color": VALUE_COLOUR, "strokeWidth": 2},
            "encoding": {"x": x, "y": y},
        },
        # A diamond looks smaller than a circle of the same area: signal points are drawn larger.
        *(
            _signal_points(kind, size, point_mark, point_encoding)
            for kind, size in ((NO_SIGNAL, 60), (SIGNAL, 140))
        ),
    ]
    datasets: dict[str, Any] = {"lines": lines, "values": values}
    annotation = break_label or BREAK_LABEL
    if chart.break_at is not None:
        datasets["break"] = [{"period": labels[chart.break_at], "text": annotation}]
        at_break = {**x, "bandPosition": 0}
        layers.append(
            {
                "data": {"name": "break"},
                "mark": {"type": "rule", "color": "#333333", "strokeWidth": 1.5},
                "encoding": {"x": at_break},
            }
        )
        layers.append(
            {
                "data": {"name": "break"},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 4,
                    "y": 4,
                    "color": "#333333",
                },
                "encoding": {"x": at_break, "text": {"field": "text", "type": "nominal"}},
            }
        )

    flagged = sum(1 for row in values if row["signal"] == SIGNAL)
    description = f"Kontroldiagram: {title}. {plural(len(labels), 'periode', 'perioder')}"
    if labels:
        description += f" fra {labels[0]} til {labels[-1]}"
    description += f". Lodret akse: {value_label}. Linjer: gennemsnit og kontrolgrænser."
    if chart.break_at is not None:
        description += f" {annotation} fra {labels[chart.break_at]}."
    if signals:
        found = "; ".join(f"{s.text} ({_span(labels, s.indices)})" for s in signals)
        description += f" Signaler i {plural(flagged, 'punkt', 'punkter')}: {found}."
    else:
        description += " Ingen signaler."
    return _base(title, description, layers, datasets)


# One colour per line, each at least 4.5:1 against white; the lines also differ by their points' shape and
# last year's by its dash, so no line is told apart by colour alone.
TREND_COLOURS = ("#1b1f23", "#1d4ed8", "#b45309", "#047857", "#a50f15", "#6d28d9", "#0e7490")
TREND_SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-right")
THIS_PERIOD = "Valgt periode"
LAST_YEAR = "Samme periode sidste år"


@dataclass(frozen=True)
class TrendPoint:
    """One month of a line: `month` names the month the value is for (last year's line names last year's
    months), `value` is None when nothing is plotted (no data, or held back as a small number)."""

    month: str
    value: float | None
    href: str | None = None


@dataclass(frozen=True)
class TrendSeries:
    name: str
    points: tuple[TrendPoint, ...]  # one per label of the chart
    last_year: bool = False  # drawn dashed, in the colour of the line before it


def trend_spec(
    series: Sequence[TrendSeries], labels: Sequence[str], *, title: str, value_label: str
) -> dict[str, Any]:
    """Several lines over the same months (units, or a scope and its same months last year). A month
    without a value breaks its line and has no point, hover text or link."""
    if any(len(s.points) != len(labels) for s in series):
        raise ValueError("one point per label in every series")
    colours: list[str] = []
    for s in series:
        colours.append(colours[-1] if s.last_year and colours else TREND_COLOURS[len(colours) % 7])
    names = [s.name for s in series]
    rows = [
        {
            "period": label,
            "series": s.name,
            "dash": LAST_YEAR if s.last_year else THIS_PERIOD,
            "value": _number(p.value),
            "tip": None if p.value is None else f"{s.name}, {p.month}: {_da(p.value)} {value_label}",
            "href": None if p.value is None else p.href,
        }
        for s in series
        for label, p in zip(labels, s.points, strict=True)
    ]
    x = {
        "field": "period",
        "type": "ordinal",
        "title": "Måned",
        "sort": None,
        "scale": {"domain": list(labels)},
        "axis": {"labelAngle": -45, "labelOverlap": True},
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": value_label,
        "scale": {"zero": False},
        "axis": {"format": VALUE_FORMAT},
    }
    colour = {
        "field": "series",
        "type": "nominal",
        "title": "Linjer",
        "legend": {"columns": 1, "labelLimit": 400},
        "scale": {"domain": names, "range": colours},
    }
    layers: list[dict[str, Any]] = [
        {
            "data": {"name": "values"},
            # A month without a value breaks the line rather than joining its neighbours across it.
            "mark": {"type": "line", "strokeWidth": 2, "invalid": "break-paths-show-domains"},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "detail": {"field": "series", "type": "nominal"},
                "strokeDash": {
                    "field": "dash",
                    "type": "nominal",
                    "title": "Periode",
                    "scale": {"domain": [THIS_PERIOD, LAST_YEAR], "range": [[1, 0], [6, 4]]},
                },
            },
        },
        {
            "data": {"name": "values"},
            "mark": {
                "type": "point",
                "filled": True,
                "opacity": 1,
                "size": 60,
                **_pointer(any(p.href for s in series for p in s.points)),
            },
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "shape": {
                    "field": "series",
                    "type": "nominal",
                    "title": "Linjer",
                    "legend": {"columns": 1, "labelLimit": 400},
                    "scale": {"domain": names, "range": [TREND_SHAPES[i % 7] for i in range(len(names))]},
                },
            },
        },
    ]
    description = f"Udviklingsdiagram: {title}. {len(labels)} måneder"
    if labels:
        description += f" ({labels[0]}–{labels[-1]})"
    description += f". Lodret akse: {value_label}. Linjer: " + ", ".join(
        f"{s.name} (stiplet)" if s.last_year else s.name for s in series
    )
    latest = []
    for s in series:
        shown = [p for p in s.points if p.value is not None]
        if shown:
            latest.append(f"{s.name} {_da(shown[-1].value)} ({shown[-1].month})")  # type: ignore[arg-type]
    if latest:
        description += ". Seneste måned med tal: " + "; ".join(latest)
    if hidden := sum(1 for s in series for p in s.points if p.value is None):
        description += f". {hidden} måneder uden tal eller med for små tal er ikke vist"
    return _base(title, description + ".", layers, {"values": rows})


def _for_export(spec: dict[str, Any]) -> dict[str, Any]:
    # There is no container to measure on the server: give "container" widths a fixed size.
    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container":
        fixed["width"] = EXPORT_WIDTH
    return fixed


def _convert_options(spec: dict[str, Any]) -> dict[str, Any]:
    # The locale is passed again as options in case the converter's default overrides config.locale, and no
    # base URL is allowed: our specs carry their data inline, so the converter never needs the network.
    return {
        "vl_spec": _for_export(spec),
        "vl_version": VL_VERSION,
        "allowed_base_urls": [],
        "format_locale": DANISH_LOCALE["number"],
        "time_format_locale": DANISH_LOCALE["time"],
    }


def spec_to_svg(spec: dict[str, Any]) -> str:
    """The chart as a standalone SVG, compiled with the same Vega-Lite version as the browser uses."""
    # Imported here: the extension is large and only exports need it, not every request or management command.
    import vl_convert

    return _labelled(str(vl_convert.vegalite_to_svg(**_convert_options(spec))), spec.get("description", ""))


_VEGA_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"')


def _labelled(svg: str, description: str) -> str:
    # Vega's own ARIA names parts of the chart in English ("line mark container"); the file gets one
    # Danish name instead: role="img" makes its inside presentational, and <title> names it.
    svg = _VEGA_ARIA.sub("", svg)
    head_end = svg.index(">", svg.index("<svg")) + 1
    label = escape(description, {'"': "&quot;"})
    head = svg[: head_end - 1] + f' role="img" aria-label="{label}">'
    return head + f"<title>{escape(description)}</title>" + svg[head_end:]


def spec_to_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG; scale 2 gives a sharp image for reports and slides."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(**_convert_options(spec), scale=scale))
