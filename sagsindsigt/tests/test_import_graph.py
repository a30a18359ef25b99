"""The house's shape (ADR 0014): imports point one way, no cycles, and pure modules stay pure."""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the sagsindsigt package

# Which app may import which (the picture in ADR 0014). Domain apps import common and organisation and
# each other only downward; none imports insight, which reads them all. `stats` is pure and may be
# imported by anyone. The demo builds a whole municipality, so it sits on top.
MAY_IMPORT: dict[str, set[str]] = {
    "common": set(),
    "stats": {"common"},
    "organisation": {"common"},
    "cases": {"common", "organisation"},
    "complaints": {"common", "organisation", "cases"},
    "intake": {"common", "organisation", "cases", "complaints"},
    "evaluation": {"common", "organisation", "stats"},
    "insight": {"common", "organisation", "cases", "complaints", "intake", "stats"},
    "demo": {"common", "organisation", "cases", "complaints", "intake", "evaluation", "insight", "stats"},
}
DOMAIN_APPS = ("common", "organisation", "cases", "complaints", "intake", "evaluation")

# Pure calculations: no Django, no database, only the standard library and other pure modules.
PURE = (
    "sagsindsigt.common.danish",
    "sagsindsigt.common.periods",
    "sagsindsigt.common.suppression",
    "sagsindsigt.common.workingdays",
    "sagsindsigt.evaluation.colours",
    "sagsindsigt.insight.dashboards.analysis",
    "sagsindsigt.insight.dashboards.grid",
    "sagsindsigt.insight.dashboards.presentation",
    "sagsindsigt.insight.metrics.figures",
    "sagsindsigt.insight.metrics.registry",
    "sagsindsigt.insight.saved.periods",
    "sagsindsigt.insight.targets.rules",
    "sagsindsigt.stats",
    "sagsindsigt.stats.charts",
    "sagsindsigt.stats.control",
    "sagsindsigt.stats.distributions",
    "sagsindsigt.stats.funnel",
)


def _source_files() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts
        and "migrations" not in p.relative_to(ROOT).parts
        and p.parent != ROOT  # the package's own __init__ and conftest belong to no app
    ]


def _module(path: Path) -> str:
    parts = ("sagsindsigt", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    """Every module name an import statement in the file names (also inside functions)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in _source_files()}
    return {m: {n for n in _imports(p, m) if n in files and n != m} for m, p in files.items()}


def _app(module: str) -> str:
    return module.split(".")[1]


def test_every_app_has_a_place_in_the_picture() -> None:
    apps = {_app(m) for m in _graph()}
    assert apps <= set(MAY_IMPORT), (
        f"Nye apps skal have en plads i ADR 0014 og MAY_IMPORT: {apps - set(MAY_IMPORT)}"
    )


def test_imports_point_only_the_allowed_way() -> None:
    wrong = sorted(
        f"{m} -> {n}"
        for m, targets in _graph().items()
        for n in targets
        if _app(n) != _app(m) and _app(n) not in MAY_IMPORT[_app(m)]
    )
    assert wrong == []


def test_no_domain_app_imports_insight() -> None:
    wrong = sorted(
        f"{m} -> {n}"
        for m, targets in _graph().items()
        for n in targets
        if _app(m) in DOMAIN_APPS and _app(n) == "insight"
    )
    assert wrong == []


def test_no_import_cycle_between_files() -> None:
    try:
        TopologicalSorter(_graph()).prepare()
    except CycleError as error:
        pytest.fail(f"Importcyklus mellem filer: {' -> '.join(error.args[1])}")


def test_no_import_cycle_between_apps() -> None:
    apps: dict[str, set[str]] = defaultdict(set)
    for m, targets in _graph().items():
        apps[_app(m)].update(_app(n) for n in targets if _app(n) != _app(m))
    try:
        TopologicalSorter(apps).prepare()
    except CycleError as error:
        pytest.fail(f"Importcyklus mellem apps: {' -> '.join(error.args[1])}")


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_no_django(module: str) -> None:
    path = ROOT.joinpath(*module.split(".")[1:]).with_suffix(".py")
    if not path.exists():
        path = ROOT.joinpath(*module.split(".")[1:], "__init__.py")
    imported = _imports(path, module)
    assert not {n for n in imported if n.split(".")[0] == "django"}
    ours = {n for n in imported if n.startswith("sagsindsigt.")}
    assert {n for n in ours if n not in PURE and n.rsplit(".", 1)[0] not in PURE} == set()


def test_no_source_module_is_over_800_lines() -> None:
    long = sorted(
        f"{p.relative_to(ROOT)} ({n})"
        for p in _source_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    )
    assert long == []
