"""Every option is documented (as Datasette tests its own): each key a Revline URL may carry is in the
README's "What a link can say" table, and each date preset the table names exists; docs/SECURITY.md's
table of the pages each role opens is the page catalogue's."""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from functools import cache
from pathlib import Path

import pytest

from queries.pages import EVERY_ROLE, PAGES
from ui.periods import PRESETS
from ui.state import URL_KEYS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECURITY = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text(encoding="utf-8")


def link_table() -> str:
    start = README.index("### What a link can say")
    return README[start : README.index("\n\n!", start)]


def test_every_url_key_is_documented():
    documented = {k for row in link_table().splitlines() if row.startswith("| `")
                  for k in re.findall(r"`(\w+)`", row.split(" | ")[0])}  # fmt: skip
    assert documented >= URL_KEYS, sorted(URL_KEYS - documented)
    assert documented <= URL_KEYS, sorted(documented - URL_KEYS)  # nothing documented that the app ignores


def test_documented_presets_exist():
    row = next(r for r in link_table().splitlines() if r.startswith("| `range`"))
    named = set(re.findall(r"`(\w+)`", row.split(" | ")[1]))
    assert named and named <= set(PRESETS), sorted(named - set(PRESETS))


# --- No dangling reference: every link, named file and decision record a reader follows exists. ---

ROOT = Path(__file__).resolve().parents[1]
DECISIONS = ROOT / "docs" / "decisions"
RECORD = re.compile(r"^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
SKIP = {".git", "__pycache__", ".venv", "node_modules", "files"}  # files: the bad-input corpus
# A repo path as docs and comments name one: `etl/sql/10_ad_spend.sql`, `queries/shared/headline`
# (a query), `ui/state.anchor_day` (a module's name), `etl/sql/60_*` (a glob), `docs/screenshots/`.
# `data/` is left out: it names both the (uncommitted) warehouse folder and the queries/data/ area.
REPO_PATH = re.compile(
    r"(?<![\w./<$-])(?:app\.py|(?:etl|queries|reports|ui|pages|tests|docs|config|scripts|benchmarks|"
    r"\.ci|\.streamlit)/[\w./*<>{}-]*)"
)
LOCAL = [line.rstrip("/") for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
         if "/" in line and not line.startswith(("!", "#", "*"))]  # fmt: skip
OUTSIDE = re.compile(r"\b(?:SPEC|STACK\.md|FORMATS\.md|DECISIONS\.md)\b")  # documents outside the repo


def repo_files(*suffixes: str) -> list[Path]:
    return sorted(p for p in _tree() if p.suffix in suffixes)


@cache
def _tree() -> list[Path]:
    """The repository's files, without data/ and the SKIP folders (walked once, not entered)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        here = Path(folder)
        dirs[:] = [d for d in dirs if d not in SKIP and not (here == ROOT and d == "data")]
        found += [here / f for f in files]
    return found


def markdown_files() -> list[Path]:
    return [p for p in [ROOT / "README.md", ROOT / "CONTRIBUTING.md"] if p.exists()] + sorted(
        (ROOT / "docs").rglob("*.md")
    )


def comments(path: Path) -> str:
    """The prose of a source file: comments and docstrings of Python, comment lines of SQL and TOML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        mark = "--" if path.suffix == ".sql" else "#"
        return "\n".join(line.split(mark, 1)[1] for line in text.splitlines() if mark in line)
    found = [
        t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT
    ]
    nodes = [
        n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
    ]
    return "\n".join(found + [d for n in nodes if (d := ast.get_docstring(n))])


@cache
def prose() -> dict[Path, str]:
    """Where a reader meets file names: the markdown docs and the comments of code and config."""
    out = {p: p.read_text(encoding="utf-8") for p in markdown_files()}
    out |= {p: comments(p) for p in repo_files(".py", ".sql", ".toml") if p.name != "test_docs.py"}
    out |= {p: p.read_text(encoding="utf-8") for p in repo_files(".txt", ".sh")}
    return out


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(h) for h in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)}


def exists(name: str) -> bool:
    """A named path exists as written, as a glob, as a module or query without its suffix, or as a
    module followed by one of its names (`ui/state.anchor_day`)."""
    name = name.rstrip(".")
    if any(name.startswith(local) for local in LOCAL):
        return True  # a file the user or a run creates, never committed (.gitignore)
    if "*" in name:
        return any(ROOT.glob(name))
    base = name.split(".", 1)[0] if "/" in name and "." in name.rsplit("/", 1)[1] else name
    return any(
        (ROOT / n).exists() for n in (name, name + ".py", name + ".sql", base, base + ".py", base + ".sql")
    )


def test_markdown_links_resolve():
    broken = []
    for md in markdown_files():
        for target in re.findall(r"\]\(([^)\s]+)\)", md.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, fragment = target.partition("#")
            file = (md.parent / path).resolve() if path else md
            if not file.exists() or (fragment and file.suffix == ".md" and fragment not in anchors(file)):
                broken.append(f"{md.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_named_repo_paths_exist():
    missing = sorted({f"{p.relative_to(ROOT)}: {name}" for p, text in prose().items()
                      for name in REPO_PATH.findall(text)
                      if not re.search(r"[<>{}]", name) and not exists(name)})  # fmt: skip
    assert not missing, missing


def test_no_reference_to_documents_outside_the_repo():
    found = [f"{p.relative_to(ROOT)}: {m}" for p, text in prose().items() for m in OUTSIDE.findall(text)]
    assert not found, found


def records() -> list[Path]:
    return sorted(p for p in DECISIONS.glob("*.md") if p.name != "README.md")


def test_decision_records_are_numbered_once_and_indexed():
    names = [p.name for p in records()]
    assert names and all(RECORD.match(n) for n in names), [n for n in names if not RECORD.match(n)]
    numbers = [int(RECORD.match(n)[1]) for n in names]
    assert numbers == list(range(1, len(numbers) + 1)), numbers  # one number each, none skipped
    index = set(
        re.findall(r"\]\((\d{4}-[\w-]+\.md)\)", (DECISIONS / "README.md").read_text(encoding="utf-8"))
    )
    assert index == set(names), sorted(index ^ set(names))


@pytest.mark.parametrize("record", records(), ids=lambda p: p.name[:4])
def test_decision_record_is_short_with_three_headings(record: Path):
    lines = record.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and len(lines) <= 30, (lines[0], len(lines))
    assert [line for line in lines if line.startswith("## ")] == [
        "## Context",
        "## Decision",
        "## Consequences",
    ]


def test_decision_records_carry_no_process_labels():
    label = re.compile(r"\b(?:issue|point|session|round) #?\d+|\bhelper\b", re.I)
    found = [f"{p.name}: {m}" for p in records() for m in label.findall(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_named_decision_records_exist():
    named = {m for text in prose().values() for m in re.findall(r"\b\d{4}-[a-z0-9-]+\.md\b", text)}
    assert named and not {n for n in named if not (DECISIONS / n).exists()}, sorted(named)


def test_named_sections_exist():
    """`docs/SECURITY.md "Files and names"` or `README: "Load your own exports"` names a heading that exists."""
    cited = re.compile(r'\b(README|docs/[\w./-]+\.md)(?:\.md)?[:,]? "([^"]+)"')
    missing = [f"{p.relative_to(ROOT)}: {doc} {title!r}" for p, text in prose().items()
               for doc, title in cited.findall(text)
               if anchor(title) not in anchors(ROOT / (doc if doc.endswith(".md") else "README.md"))]  # fmt: skip
    assert not missing, missing


def module_names_missing(dotted: str) -> bool:
    """`etl.scratch.clean_stale_temp` needs etl/scratch.py (or a package) that mentions clean_stale_temp."""
    parts = dotted.split(".")
    for i in range(len(parts), 1, -1):
        base = ROOT.joinpath(*parts[:i])
        source = next((s for s in (base.with_suffix(".py"), base / "__init__.py") if s.exists()), None)
        if source or base.is_dir():
            rest = parts[i:i + 1]  # fmt: skip
            return bool(rest and source and not re.search(rf"\b{re.escape(rest[0])}\b", source.read_text()))
    return True


def test_named_queries_and_modules_exist():
    """A query named by area and name (`handoff/mql_response`) and a module or its name
    (`ui.format.table`) in docs and comments exist."""
    areas = "|".join(sorted({p.parent.name for p in (ROOT / "queries").glob("*/*.sql")}))
    query = re.compile(rf"(?<![\w./-])((?:{areas})/\w+)(?![\w/.]*\.(?:csv|toml|py|md|duckdb))")
    module = re.compile(r"(?<![\w./-])((?:etl|queries|reports|ui|pages|benchmarks|scripts)(?:\.\w+)+)")
    missing = sorted(
        {f"{p.relative_to(ROOT)}: {q}" for p, text in prose().items() for q in query.findall(text)
         if not (ROOT / "queries" / f"{q}.sql").exists()}
        | {f"{p.relative_to(ROOT)}: {m}" for p, text in prose().items() for m in module.findall(text)
           if m.split(".")[1] not in ("py", "sql", "toml", "md") and module_names_missing(m)}
    )  # fmt: skip
    assert not missing, missing


def test_named_tests_exist():
    """The threat table and the docs name tests as `tests/test_x.py::test_name`: each is defined."""
    missing = [f"{p.relative_to(ROOT)}: {file}::{name}" for p, text in prose().items()
               for file, name in re.findall(r"(tests/[\w/]+\.py)::(\w+)", text)
               if not (ROOT / file).exists() or not re.search(rf"def {name}\b", (ROOT / file).read_text())]  # fmt: skip
    assert not missing, missing


def test_the_security_page_table_is_the_catalogue():
    """Every page, each role's "yes" where the catalogue (queries/pages.py) lets the role open it."""
    lines = [r.strip() for r in SECURITY.splitlines() if r.strip().startswith("| ")]
    head = next(i for i, r in enumerate(lines) if r.startswith("| page | "))
    assert [c.strip() for c in lines[head].strip("|").split("|")][1:] == list(EVERY_ROLE)
    documented = {}
    for row in lines[head + 1 :]:  # the |---| line is not among them
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != len(EVERY_ROLE) + 1:
            break
        documented[cells[0]] = tuple(r for r, c in zip(EVERY_ROLE, cells[1:], strict=True) if c == "yes")
    assert documented == {p.title: p.roles for p in PAGES}


def test_the_readme_layout_names_every_top_level_folder():
    """README "Layout" lists every folder of the repo (hidden ones aside), so a newcomer finds each."""
    block = README[README.index("## Layout") :].split("```")[1]
    listed = {w.rstrip("/,") for line in block.splitlines() for w in line.split()[:2] if w.endswith(("/", "/,"))}
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders <= listed, sorted(folders - listed)


def test_contributing_is_short_and_has_the_three_recipes():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 120
    recipes = re.findall(r"^## Recipe \d: (.+)$", text, flags=re.M)
    assert recipes == ["add an export type (here, an ad platform)", "add a metric", "add a page"]
