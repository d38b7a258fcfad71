"""The value catalogue (queries/values.py): every code value the SQL, the loader and the config can
emit has a label people read, derived from the SQL, the config and a real warehouse rather than a
hand list, so a new code without a label fails here before it reaches a table, chart or digest."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.config import load_config
from etl.contracts import all_contracts
from queries.values import CODE, STAGES, codes, kinds, value_label

ROOT = Path(__file__).resolve().parent.parent
RAW = {c for k in kinds().values() for c, shown in k.items() if c != shown}  # every code with a label
CASE = re.compile(r"\bcase\b((?:(?!\bcase\b).)*?)\bend\s+as\s+(\w+)", re.S | re.I)
EMITTED = re.compile(r"\b(?:then|else)\s+'([^']*)'", re.I)


def shown_codes(html: str) -> set[str]:
    """Catalogue codes a reader would see in an HTML page (text and table cells, not attributes or
    links): snake_case codes anywhere in the text, any code (`meta`, `pending`) as a whole cell."""
    text = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    cells = {c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", text)}
    text = re.sub(r"<[^>]+>", " ", text)
    return (set(re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text)) & codes()) | (cells & RAW)


def emitted(path: str, column: str) -> set[str]:
    """The string literals a `case ... end as <column>` of a SQL file can produce."""
    sql = (ROOT / path).read_text(encoding="utf-8")
    found = {v for body, alias in CASE.findall(sql) if alias == column for v in EMITTED.findall(body)}
    assert found, (path, column, "no case expression found: the test no longer reads this SQL")
    return found


def labelled(kind: str, values: set[str]) -> None:
    known = kinds()[kind]
    missing = sorted(v for v in values if v not in known)
    assert not missing, f"add labels for {kind} {missing} to queries/values.py (or config/channels.toml)"
    assert all(not CODE.fullmatch(known[v]) and known[v].strip() for v in values), known


@pytest.mark.parametrize(("path", "column", "kind"), [
    ("queries/handoff/unworked_queue.sql", "status", "sla_status"),
    ("queries/handoff/mql_response.sql", "sla_status", "sla_status"),
    ("queries/handoff/recycled_rejected.sql", "outcome", "outcome"),
    ("etl/sql/30_deals.sql", "forecast_category", "forecast_category"),
])  # fmt: skip
def test_every_code_a_query_emits_has_a_label(path, column, kind):
    labelled(kind, {v for v in emitted(path, column) if CODE.fullmatch(v) or v.isalpha()})


def test_response_bands_stages_and_tables_from_the_sql():
    bands = set(re.findall(r"\('([^']+)', \d\)", (ROOT / "queries/handoff/response_bands.sql").read_text()))
    assert len(bands) == 7
    labelled("band", {b for b in bands if b.isalpha()})  # '0-5 min' and '> 24 h' are words already
    stages = re.findall(r"\('(\w+)', \d, \w+\)", (ROOT / "queries/funnel/stages.sql").read_text())
    assert tuple(stages) == STAGES  # the one funnel order is the SQL's
    labelled("stage", set(stages))
    tables = set(re.findall(r"select '(\w+)'|all select '(\w+)'", (ROOT / "queries/data/table_counts.sql").read_text()))
    labelled("table_name", {t for pair in tables for t in pair if t})


def test_load_statuses_from_the_loader():
    src = (ROOT / "etl/loader.py").read_text()
    statuses = set(re.findall(r'FileResult\(\w+, "(\w+)"', src)) | set(re.findall(r'"(loaded\w*)"', src))
    assert {"loaded", "loaded_with_rejects", "failed", "duplicate_file"} <= statuses
    labelled("load_status", statuses)


def test_channels_platforms_and_export_types_from_the_config():
    labelled("channel", set(load_config().channels))
    rules = tomllib.loads((ROOT / "config/channels.toml").read_text())["rule"]
    labelled("channel", {r["channel"] for r in rules})
    labelled("platform", set(load_config().platform_sources))
    labelled("adapter", {c.name for c in all_contracts()})


def test_every_code_in_the_demo_warehouse_has_a_label(demo_warehouse):
    _e, db, _r = demo_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        for kind, sql in [
            ("channel", "select channel from leads union select channel from ad_spend union select channel from deals"),
            ("platform", "select platform from leads union select platform from ad_spend"),
            ("forecast_category", "select forecast_category from deals"),
            ("load_status", "select status from load_log"),
            ("adapter", "select adapter from load_log"),
            ("source_system", "select source_system from leads union select source_system from deals"),
        ]:  # fmt: skip
            labelled(kind, {v for (v,) in con.execute(sql).fetchall() if v})
    finally:
        con.close()


def test_value_label_per_column():
    assert value_label("status", "about_to_breach") == "About to breach"
    assert value_label("status", "loaded_with_rejects") == "Loaded, some rows rejected"
    assert value_label("transition", "opportunity -> customer") == "Opportunity → Customer"
    assert value_label("channel", "paid_social") == "Paid social"
    assert value_label("platform", "google_ads") == "Google Ads"
    assert value_label("channel", "webinar_series") == "Webinar series"  # a code nobody labelled
    assert value_label("stage", "Closed Won") == "Closed Won"  # CRM deal stages are data
    assert value_label("campaign", "brand_search_q3") == "brand_search_q3"  # names from data stay
    assert value_label("channel", None) is None
    assert {"paid_social", "best_case", "about_to_breach", "ad_spend", "loaded_with_rejects"} <= codes()
    page = '<p>by paid_social</p><table><tr data-channel="organic_search"><td>meta</td><td>brand_search_q3</td></tr>'
    assert shown_codes(page) == {"paid_social", "meta"}  # a campaign named with _ is data, not a code


def test_channel_labels_come_from_the_config(tmp_path, monkeypatch):
    (tmp_path / "channels.toml").write_text('[labels]\npaid_social = "Social ads"\n', encoding="utf-8")
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(tmp_path))
    assert value_label("channel", "paid_social") == "Social ads"
    assert value_label("channel", "organic_search") == "Organic search"  # unlabelled: no underscores


def test_the_table_function_shows_labels_and_keeps_the_order(app):
    at = app(script=_queue)
    df = pl.from_pandas(at.dataframe[0].value)
    assert df["status"].to_list() == ["Breached", "About to breach", "Pending"]  # the SQL's order
    assert df["channel"].to_list() == ["Paid social", "Organic search", None]


def _queue() -> None:
    import polars as pl

    from ui.format import table

    table(pl.DataFrame({"lead_id": ["a", "b", "c"], "channel": ["paid_social", "organic_search", None],
                        "status": ["breached", "about_to_breach", "pending"]}), "queue-test", "q")
