"""The floors of the code, read from the source with `ast` (module-level and function-local imports):
load and model (etl) < the semantic layer (queries) < its consumers (reports, ui) < the app (pages,
app.py) < tools (benchmarks, scripts, tests). Nothing imports from a higher floor or from a sibling
consumer, no two project modules import each other (directly or round a longer loop, even inside a
function), and streamlit stays in the app's floors."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"etl": 0, "queries": 1, "reports": 2, "ui": 2, "pages": 3, "app": 3, "benchmarks": 4, "scripts": 4,
          "tests": 4}  # fmt: skip
NO_STREAMLIT = ("etl", "queries", "reports")  # a report or a cron job never starts the app's runtime


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    skip = {".git", ".venv", "venv", "node_modules", "__pycache__"}
    return {module_name(p): p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)}


def imported(name: str) -> set[str]:
    """Every module `name` imports, anywhere in its body: project modules resolved to the file that
    defines them (`from queries import pages` is queries.pages), others by their top-level name."""
    package = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(modules()[name].read_text(encoding="utf-8"), package) - {name}


def imports_in(source: str, package: str) -> set[str]:
    """The modules `source` imports: at the top, inside functions, under `if TYPE_CHECKING`."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        out |= {_resolve(t) for t in targets}
    return out


def _resolve(target: str) -> str:
    """The project module that defines `target` (its longest prefix that is a file), else the top name."""
    probe = target
    while probe and probe not in modules():
        probe = probe.rpartition(".")[0]
    return probe or target.split(".")[0]


def floor(name: str) -> int | None:
    return FLOORS.get(name.split(".")[0])


def graph() -> dict[str, set[str]]:
    return {m: {t for t in imported(m) if t in modules()} for m in modules()}


def test_every_project_module_stands_on_a_floor():
    assert not [m for m in modules() if floor(m) is None], "add the new top-level package to FLOORS"


def test_nothing_imports_from_a_higher_floor_or_a_sibling_consumer():
    wrong = [f"{m} imports {t}" for m, targets in graph().items() for t in sorted(targets)
             if floor(t) > floor(m) or (floor(t) == floor(m) < 4 and t.split(".")[0] != m.split(".")[0])]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a set importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_two_modules_import_each_other_even_inside_a_function():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_loop_and_a_pair():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(cycles(edges)) == [["a", "b", "c"], ["d", "e"]]


def test_streamlit_stays_above_the_reports():
    wrong = [m for m in modules() if m.split(".")[0] in NO_STREAMLIT and "streamlit" in imported(m)]
    assert not wrong, f"import streamlit only in ui/, pages/ and app.py: {wrong}"


def test_the_reader_sees_imports_inside_functions():
    source = ("from queries.view import View\nif TYPE_CHECKING:\n    from ui.state import current_view\n"
              "def f():\n    from reports.digest import build\n    import streamlit as st\n"
              "from . import pdf\nfrom queries import pages\n")  # fmt: skip
    found = imports_in(source, "reports")
    assert {"queries.view", "ui.state", "reports.digest", "streamlit", "reports.pdf", "queries.pages"} <= found
