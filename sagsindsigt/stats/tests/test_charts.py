"""Vega-Lite specs for funnel plots and control charts, compiled and rendered by vl-convert and Chromium."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils.html import json_script

from sagsindsigt.stats import charts
from sagsindsigt.stats.control import ControlChart, Signal, signals, u_chart
from sagsindsigt.stats.funnel import FunnelPoint, FunnelResult, FunnelUnit, funnel_curve, funnel_points

LABELS = tuple(f"{2025 + i // 12}-{i % 12 + 1:02d}" for i in range(18))
# A u-chart with a recording break at month 11 (2025-11) and a rising trend in 2025-05..2025-10.
COUNTS = [5, 6, 4, 7, 5, 6, 8, 9, 10, 11, 12, 9, 14, 15, 16, 15, 17, 16]


def _funnel(links: dict[str, str] | None = None) -> tuple[FunnelResult, dict[str, Any]]:
    units = [
        FunnelUnit("Hjælpemidler", 12, 800),
        FunnelUnit("Børn og unge", 40, 1200),
        FunnelUnit("Jobcenter", 3, 150),
        FunnelUnit("Ydelser", 90, 2500),
        FunnelUnit("Borgerservice", 1, 400),
        FunnelUnit("Nyoprettet enhed", 0, 0),
        FunnelUnit("Handicap", 25, 300),
    ]
    result = funnel_points(units, "rate")
    assert result.target is not None
    curve = funnel_curve(result.target, "rate", [20 * i for i in range(1, 140)], interpolate=True)
    spec = charts.funnel_spec(
        result,
        curve,
        title="Klager pr. 1.000 afgjorte sager",
        value_label="Klager pr. 1.000 sager",
        volume_label="Afgjorte sager",
        scale=1000,
        links=links,
    )
    return result, spec


def _control(break_label: str | None = None) -> tuple[ControlChart, list[Signal], dict[str, Any]]:
    chart = u_chart(COUNTS, [100] * len(COUNTS), break_at=10)
    found = signals(chart)
    spec = charts.control_chart_spec(
        chart,
        LABELS,
        found,
        title="Klager pr. 100 afgjorte sager",
        value_label="Klager pr. 100 sager",
        scale=100,
        break_label=break_label,
    )
    return chart, found, spec


def _contrast_with_white(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


# --- funnel plot ----------------------------------------------------------------------------------------


def test_funnel_spec_draws_units_with_scaled_values_and_leaves_out_no_data() -> None:
    # given
    result, spec = _funnel()
    # when
    units = {row["unit"]: row for row in spec["datasets"]["units"]}
    # then
    assert "Nyoprettet enhed" not in units
    assert set(units) == {p.key for p in result.points if p.classification != "no_data"}
    assert units["Handicap"]["value"] == pytest.approx(25 / 300 * 1000)
    assert units["Handicap"]["volume"] == 300
    assert units["Handicap"]["placement"] == "Over 99,8 %-grænsen"
    assert units["Borgerservice"]["placement"] == "Under 99,8 %-grænsen"
    assert units["Hjælpemidler"]["placement"] == "Under 95 %-grænsen"
    assert units["Ydelser"]["placement"] == "Inden for grænserne"


def test_funnel_spec_has_both_limit_lines_on_both_sides_and_the_target() -> None:
    # given
    result, spec = _funnel()
    assert result.target is not None
    # when
    lines = spec["datasets"]["lines"]
    parts = {row["part"] for row in lines}
    target = [row["value"] for row in lines if row["line"] == "Samlet niveau"]
    # then
    assert parts == {
        "95 %-grænse nedre",
        "95 %-grænse øvre",
        "99,8 %-grænse nedre",
        "99,8 %-grænse øvre",
        "Samlet niveau",
    }
    assert target and all(v == pytest.approx(result.target * 1000) for v in target)
    upper_95 = [r["value"] for r in lines if r["part"] == "95 %-grænse øvre"]
    upper_998 = [r["value"] for r in lines if r["part"] == "99,8 %-grænse øvre"]
    assert all(a <= b for a, b in zip(upper_95, upper_998, strict=True))


def test_funnel_spec_is_strict_json_even_with_infinite_limits() -> None:
    # given: a hand-made point whose outer limit is infinite and one with a NaN value
    result = FunnelResult(
        kind="rate",
        target=0.02,
        points=(
            FunnelPoint("A", 5, 100, 0.05, (0.0, 0.06), (0.0, math.inf), "within"),
            FunnelPoint("B", 5, 100, math.nan, (0.0, 0.06), (0.0, 0.08), "above_95"),
        ),
        overdispersion=None,
        adjusted=False,
    )
    # when
    spec = charts.funnel_spec(result, (), title="T", value_label="V", volume_label="N", scale=1000)
    # then
    text = json.dumps(spec, allow_nan=False)
    assert "Infinity" not in text
    assert {row["unit"]: row["upper_998"] for row in spec["datasets"]["units"]}["A"] is None


def test_funnel_classes_differ_by_marker_not_colour_alone_and_contrast_with_white() -> None:
    # given
    classes = charts.CLASSIFICATIONS.values()
    # when
    markers = [(shape, filled) for _label, _colour, shape, filled in classes]
    # then
    assert len(set(markers)) == len(markers)
    assert all(_contrast_with_white(colour) >= 4.5 for _label, colour, _shape, _filled in classes)
    assert [label for label, *_ in classes] == [
        "Inden for grænserne",
        "Over 95 %-grænsen",
        "Over 99,8 %-grænsen",
        "Under 95 %-grænsen",
        "Under 99,8 %-grænsen",
    ]


def test_funnel_description_is_danish_and_counts_the_classes() -> None:
    # given
    _result, spec = _funnel()
    # when
    description = spec["description"]
    # then
    assert description.startswith("Tragtdiagram: Klager pr. 1.000 afgjorte sager.")
    assert "6 enheder." in description
    assert "Over 99,8 %-grænsen: 1" in description
    assert "1 enhed uden data er ikke vist." in description


def test_funnel_svg_names_outliers_and_draws_limit_lines_and_legend() -> None:
    # given
    _result, spec = _funnel()
    # when
    svg = charts.spec_to_svg(spec)
    # then: the units outside the limits are named, those within and those without data are not
    assert "Handicap" in svg
    assert "Borgerservice" in svg
    assert "Hjælpemidler" in svg
    assert "Ydelser" not in svg
    assert "Nyoprettet enhed" not in svg
    # four limit lines and the target, each its own path, and their legend
    assert svg.count('class="mark-line role-mark') == 5
    for text in ("95 %-grænse", "99,8 %-grænse", "Samlet niveau", "Over 99,8 %-grænsen", "Afgjorte sager"):
        assert text in svg
    # Danish thousands separator on the volume axis
    assert ">1.000<" in svg


# --- control chart --------------------------------------------------------------------------------------


def test_control_chart_marks_exactly_the_points_in_a_signal() -> None:
    # given
    _chart, found, spec = _control()
    flagged = {i for s in found for i in s.indices}
    assert flagged  # the series is built to contain a trend
    # when
    marked = {i for i, row in enumerate(spec["datasets"]["values"]) if row["signal"] == charts.SIGNAL}
    # then
    assert marked == flagged
    tips = {row["period"]: row["tip"] for row in spec["datasets"]["values"]}
    assert tips[LABELS[min(flagged)]].endswith(f"; {found[0].text}")
    assert "signal" not in tips[LABELS[0]].lower() and found[0].text not in tips[LABELS[0]]


def test_control_chart_limits_step_at_the_break_and_are_separate_lines() -> None:
    # given
    chart, _found, spec = _control()
    # when
    upper = [r for r in spec["datasets"]["lines"] if r["line"] == "Kontrolgrænse" and "øvre" in r["part"]]
    # then: one line per segment, with the values of each segment's own limits
    assert len({r["part"] for r in upper}) == 2
    assert upper[0]["value"] == pytest.approx(chart.upper[0] * 100)
    assert upper[-1]["value"] == pytest.approx(chart.upper[-1] * 100)
    assert chart.upper[0] != chart.upper[-1]
    assert spec["datasets"]["break"] == [{"period": "2025-11", "text": "Brud i registreringen"}]


def test_control_chart_svg_shows_break_signal_legend_and_period_labels() -> None:
    # given
    _chart, _found, spec = _control(break_label="Nyt fagsystem")
    # when
    svg = charts.spec_to_svg(spec)
    # then
    assert "Nyt fagsystem" in svg
    assert "Brud i registreringen" not in svg
    assert 'class="mark-rule role-mark' in svg
    for text in ("Signal", "Ingen signal", "Gennemsnit", "Kontrolgrænse", LABELS[0], "Klager pr. 100 sager"):
        assert text in svg


def test_control_chart_without_break_has_no_rule() -> None:
    # given
    chart = u_chart(COUNTS[:8], [100] * 8)
    # when
    spec = charts.control_chart_spec(chart, LABELS[:8], signals(chart), title="T", value_label="V", scale=100)
    svg = charts.spec_to_svg(spec)
    # then
    assert "break" not in spec["datasets"]
    assert 'class="mark-rule role-mark' not in svg
    assert "Brud" not in svg
    assert "Ingen signaler." in spec["description"]


def test_control_chart_needs_one_label_per_value() -> None:
    # given
    chart = u_chart(COUNTS[:8], [100] * 8)
    # when / then
    with pytest.raises(ValueError, match="one label per plotted value"):
        charts.control_chart_spec(chart, LABELS[:7], [], title="T", value_label="V", scale=100)


# --- both charts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: _funnel()[1], lambda: _control()[2]], ids=["funnel", "control"])
def test_specs_are_strict_json_sized_to_the_container_and_described_in_danish(make: Any) -> None:
    # given
    spec = make()
    # when
    text = json.dumps(spec, allow_nan=False)
    # then
    assert json.loads(text) == spec
    assert spec["width"] == "container"
    assert spec["$schema"].endswith("/vega-lite/v6.json")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["description"].startswith(("Tragtdiagram:", "Kontroldiagram:"))


@pytest.mark.parametrize("make", [lambda: _funnel()[1], lambda: _control()[2]], ids=["funnel", "control"])
def test_svg_is_self_contained_labelled_and_free_of_english_aria_text(make: Any) -> None:
    # given
    spec = make()
    # when
    svg = charts.spec_to_svg(spec)
    # then: no external references (only the SVG namespaces and in-document clip paths)
    assert "<image" not in svg
    assert re.findall(r'href="(?!#)', svg) == []
    assert set(re.findall(r"https?://[^\"' )]+", svg)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", svg))
    # one Danish label on the root, none of Vega's English ones
    assert f'role="img" aria-label="{spec["description"]}"' in svg.replace("&quot;", '"')
    assert f"<title>{spec['description']}</title>" in svg
    for english in ("mark container", "titled", "Y-axis", "X-axis", "visualization"):
        assert english not in svg
    assert 'width="720"' in svg


def test_png_export_is_a_png_at_the_requested_scale() -> None:
    # given
    spec = _control()[2]
    # when
    one, two = charts.spec_to_png(spec, scale=1), charts.spec_to_png(spec, scale=2)
    # then
    assert one.startswith(b"\x89PNG\r\n\x1a\n")
    width_one = int.from_bytes(one[16:20], "big")
    width_two = int.from_bytes(two[16:20], "big")
    assert width_one == charts.EXPORT_WIDTH
    assert width_two == 2 * width_one


# --- in the browser, under the site's Content-Security-Policy ------------------------------------------


STATIC = Path(settings.BASE_DIR) / "static"


@pytest.mark.browser
def test_charts_render_in_chromium_under_the_strict_csp(page: Any) -> None:
    # given: a page served with the site's CSP, the vendored Vega files and charts.js, two charts and one
    # chart whose data is missing
    csp = "; ".join(
        f"{name} {' '.join(values)}"
        for name, values in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
    )
    scripts = "".join(
        f'<script src="/static/{path}" defer></script>'
        for path in (
            "vendor/vega/vega.min.js",
            "vendor/vega/vega-lite.min.js",
            "vendor/vega/vega-embed.min.js",
            "js/charts.js",
        )
    )
    head = f'<meta charset="utf-8"><title>Diagrammer</title>{scripts}'
    linked = _funnel({"Hjælpemidler": "/enhed/7/?maal=x"})[1]
    body = (
        f'<div id="funnel" data-vega-spec="funnel-data"></div>{json_script(_funnel()[1], "funnel-data")}'
        f'<div id="linked" data-vega-spec="linked-data"></div>{json_script(linked, "linked-data")}'
        f'<div id="control" data-vega-spec="control-data"></div>{json_script(_control()[2], "control-data")}'
        '<div id="broken" data-vega-spec="missing"></div>'
    )
    html = f'<!doctype html><html lang="da"><head>{head}</head><body>{body}</body></html>'

    def serve(route: Any) -> None:
        path = route.request.url.split("charts.test", 1)[1]
        if path.startswith("/enhed/"):
            route.fulfill(body="<!doctype html><title>Enhed</title>", content_type="text/html")
        elif path == "/":
            route.fulfill(
                body=html, content_type="text/html; charset=utf-8", headers={"Content-Security-Policy": csp}
            )
        else:
            route.fulfill(path=str(STATIC / path.removeprefix("/static/")), content_type="text/javascript")

    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.route("http://charts.test/**", serve)

    # when
    page.goto("http://charts.test/")
    page.wait_for_selector('#funnel[data-rendered="true"] svg')
    page.wait_for_selector('#control[data-rendered="true"] svg')
    page.wait_for_selector('#broken[data-rendered="failed"]')
    # a chart swapped in by htmx is drawn too
    page.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'swapped';"
        " d.setAttribute('data-vega-spec', 'control-data'); document.body.append(d);"
        " document.body.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true})); }"
    )
    page.wait_for_selector('#swapped[data-rendered="true"] svg')

    # then: no CSP violation, no injected <style>, Danish labels and fallback, tooltips from the interpreter
    assert page.evaluate("window.cspViolations") == []
    assert page.locator("style").count() == 0
    funnel = page.locator("#funnel")
    assert funnel.get_attribute("aria-roledescription") == "diagram"
    assert (funnel.get_attribute("aria-label") or "").startswith("Tragtdiagram:")
    assert page.locator("#funnel svg").get_attribute("aria-hidden") == "true"
    assert page.locator("#broken").inner_text() == "Diagrammet kunne ikke vises. Tallene står i tabellen."
    assert [e for e in errors if "Diagram kunne ikke tegnes" not in e] == []
    assert len(errors) == 1  # the broken chart, reported once
    # every unit's point has a <title> naming the unit, its value and its limits: the native tooltip
    titles = page.locator("#funnel svg .mark-symbol path title").all_text_contents()
    assert len(titles) == len(_funnel()[1]["datasets"]["units"])
    tip = next(t for t in titles if t.startswith("Hjælpemidler:"))
    assert "15,0 Klager pr. 1.000 sager" in tip and "95 %-grænser" in tip and "Afgjorte sager: 800" in tip
    # without links the points are not in the tab order
    assert page.locator("#funnel [tabindex]").count() == 0

    # and a point with a link is a keyboard-focusable link named by its tip, which Enter follows
    linked_svg = page.locator("#linked svg")
    assert linked_svg.get_attribute("aria-hidden") is None
    assert page.locator("#linked").get_attribute("role") == "group"
    link = page.get_by_role("link", name=re.compile("^Hjælpemidler:"))
    assert link.count() == 1 and link.get_attribute("tabindex") == "0"
    assert page.locator("#linked [role=link]").count() == 1  # the other units have no page here
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("http://charts.test/enhed/7/?maal=x")
