"""One place per list: ad platforms and channels live in etl/contracts/*.toml and config/channels.toml,
funnel stages in queries/values.py, currency symbols in etl/currency.py, CRM names in etl/contracts.py, column labels
in registry.toml and queries/columns.py. These tests fail when a copy of a list appears in production
code, and when a platform misses a piece the app needs (label, colour, channel rule, fixture,
coverage row), so adding a platform is its contract, its [[platform]], a fixture and a test."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from etl.config import load_config
from etl.contracts import CRM_NAMES, all_contracts
from etl.currency import CURRENCY_SYMBOL
from etl.unified import KINDS, ad_contracts
from queries.columns import BENCHMARKS, BY_KIND, COLUMNS
from queries.registry import metrics
from queries.values import STAGES, channel_colors, platform_colors, platform_labels

ROOT = Path(__file__).resolve().parent.parent
CHANNELS_TOML = tomllib.loads((ROOT / "config" / "channels.toml").read_text(encoding="utf-8"))
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
# etl/demo_data writes each vendor's own export format (one writer per platform, like a fixture): a
# platform without a demo still works, so the demo is not a list the app reads.
NOT_PRODUCTION = ("tests", "etl/demo_data")


def platforms() -> dict[str, str]:
    """Ad platform id -> its contract's source (the fixture folder's name)."""
    return {dict(c.unified)["platform"]: c.source for c in ad_contracts()}


def catalogues() -> dict[str, tuple[set[str], str | None]]:
    """List kind -> (its members, the one code file allowed to list them; None: only data files may)."""
    return {
        "platform": (set(platforms()), None),
        "ad export type": ({c.name for c in ad_contracts()}, None),
        "channel": (set(load_config().channels), None),
        "platform or channel label": ({*platform_labels().values(), *CHANNELS_TOML["labels"].values()}, None),
        "funnel stage": (set(STAGES), "queries/values.py"),
        "CRM name": (set(CRM_NAMES.values()), "etl/contracts.py"),
        "currency symbol": (set(CURRENCY_SYMBOL.values()), "etl/currency.py"),
    }


def production(ext: str) -> list[Path]:
    return [p for p in sorted(ROOT.rglob(f"*.{ext}"))
            if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
            and not str(p.relative_to(ROOT)).startswith(NOT_PRODUCTION)]  # fmt: skip


def literal_lists(tree: ast.AST):
    """Every tuple, list, set or dict written out in the code, as (line, its string constants)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [*node.keys, *node.values]
        else:
            continue
        yield node.lineno, {e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)}


def test_no_python_file_restates_a_list():
    """A literal collection holding two or more members of one list is a copy of that list."""
    found, lists = [], catalogues()
    for path in production("py"):
        name = str(path.relative_to(ROOT))
        for line, strings in literal_lists(ast.parse(path.read_text(encoding="utf-8"))):
            for kind, (members, home) in lists.items():
                if len(strings & members) >= 2 and name != home:
                    found.append(f"{name}:{line} lists {kind}s {sorted(strings & members)}")
    assert not found, "read these from their one place instead:\n" + "\n".join(found)


def test_no_sql_file_names_platforms_or_channels():
    """SQL reads platforms and channels from tables the load writes (_ad_rows, _coverage_sources,
    config_platforms, config_channel_rules), never as literals. Channel codes that are also plain
    words ('email', 'other' are activity types too) are left out of the check."""
    codes = {**{p: "platform" for p in platforms()}, **{c.name: "ad export type" for c in ad_contracts()},
             **{c: "channel" for c in load_config().channels if "_" in c}}  # fmt: skip
    found = []
    for path in production("sql"):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        by_kind: dict[str, list[str]] = {}
        for name in sorted(set(re.findall(r"'([^']*)'", text)) & set(codes)):
            by_kind.setdefault(codes[name], []).append(name)
        found += [f"{path.relative_to(ROOT)} lists {k}s {v}" for k, v in by_kind.items() if len(v) >= 2]
    assert not found, found


def test_every_ad_platform_has_a_label_colour_channel_and_fixture():
    listed = {p["platform"]: p for p in CHANNELS_TOML["platform"]}
    mapped = {p for r in CHANNELS_TOML["rule"] for p in r.get("platform", [])}
    for platform, source in platforms().items():
        assert platform in listed, f"add a [[platform]] for {platform!r} to config/channels.toml"
        assert {"label", "color", "utm_source"} <= set(listed[platform]), (platform, "label, color, utm_source")
        assert platform in mapped, f"map {platform!r} to a channel with a [[rule]] on platform"
        assert any((EXPORTS / source).iterdir()), f"add a fixture export under tests/fixtures/exports/{source}/"
    assert set(listed) == set(platforms()), "a [[platform]] without a contract, or the reverse"
    assert len(set(platform_colors().values())) == len(platform_colors())  # two platforms, two colours


def test_every_channel_has_a_label_and_its_own_colour():
    assert set(channel_colors()) == set(load_config().channels)
    assert len(set(channel_colors().values())) == len(channel_colors())


def test_coverage_sources_are_the_contracts(load_files):
    """Every contract feeding a unified table is a coverage source, ad platforms labelled as
    config/channels.toml says: a platform forgotten here would show its spend as "–"."""
    w = load_files(*sorted(p for p in EXPORTS.rglob("*") if p.is_file()))
    rows = w.q("select distinct kind, adapter, label, platform from mart_coverage")
    fed = {c.name: KINDS[dict(c.unified)["table"]] for c in all_contracts() if dict(c.unified).get("table") in KINDS}
    assert {a: k for k, a, _l, _p in rows} == fed
    assert {p: label for k, _a, label, p in rows if k == "ads"} == platform_labels()


def test_column_labels_are_said_once():
    """A metric's column is labelled by the registry (`short` or `label`), never again here."""
    names = {n for m in metrics() for n in (m.name, m.column)}
    said = [c for cols in BY_KIND.values() for c in cols]
    assert len(said) == len(set(said)), "a column in two kinds"
    assert not names & set(said), f"label these in queries/registry.toml: {sorted(names & set(said))}"
    assert all(COLUMNS[m.column][0] == (m.short or m.label) for m in metrics() if m.column not in said)


def test_benchmarks_judge_in_the_registry_direction():
    direction = {m.column: m.direction for m in metrics()}
    assert {c: b.better for c, b in BENCHMARKS.items()} == {c: direction[c] for c in BENCHMARKS}


def test_table_headers_come_from_the_column_catalogue():
    """HTML table headers (the digest) are the catalogue's labels, not words typed into markup."""
    typed = [f"{p.relative_to(ROOT)}" for p in production("py") if re.search(r"<th>[A-Za-z]", p.read_text("utf-8"))]
    assert not typed, typed
