"""Hostile filter values change nothing: every value is bound as a parameter, never formatted into
SQL. Checked through every query, the summary command and every page."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from queries.examples import all_queries, arguments
from queries.pages import DASHBOARDS, NAMES
from queries.registry import DIMENSIONS
from queries.runner import run

REPO = Path(__file__).resolve().parent.parent
HOSTILE = [
    "x' or '1'='1",
    "'; drop table leads; --",
    'paid_social"; delete from deals; --',
    "/* */ union select 1 --",
    "Tom Becker' --",
]
OCT = (date(2026, 10, 1), date(2026, 10, 31))


def fingerprint(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(con.execute(f"select count(*), sum(hash(*columns(*))) from {t}").fetchall()[0]
                     for t in ("ad_spend", "leads", "deals", "activities", "targets"))  # fmt: skip


@functools.cache  # the same for every hostile value (each test checks the warehouse is unchanged)
def matching_nothing(name: str, db: Path):
    args = arguments(name, *OCT)
    return run(name, db=db, **{**args, **{k: "no such value" for k in DIMENSIONS if k in args}})


@pytest.mark.parametrize("value", HOSTILE)
def test_every_query_treats_hostile_filters_as_values(revenue_db, value):
    before = fingerprint(revenue_db)
    for name in all_queries():
        args = arguments(name, *OCT)
        hostile = {k: value for k in DIMENSIONS if k in args}
        if not hostile:
            continue
        out = run(name, db=revenue_db, **{**args, **hostile})
        assert out.equals(matching_nothing(name, revenue_db)), name  # a value that matches nothing, not SQL
    assert fingerprint(revenue_db) == before


def test_summary_command_with_hostile_filters(revenue_db):
    before = fingerprint(revenue_db)
    for value in HOSTILE:
        p = subprocess.run(
            [sys.executable, "-m", "queries", "summary", "--db", str(revenue_db), "--start", "2026-10-01",
             "--end", "2026-10-31", "--channel", value, "--owner", value],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr
        assert '"revenue"' in p.stdout
    assert fingerprint(revenue_db) == before


def test_every_page_with_hostile_url_parameters(revenue_db, app):
    before = fingerprint(revenue_db)
    at = app(revenue_db, range="custom", start="2026-10-01'--", end="2026-10-31; drop table leads",
             channel=HOSTILE[1], owner=HOSTILE[0], campaign=HOSTILE[3], role="x' or 1=1")  # fmt: skip
    assert not at.exception
    for page in NAMES:  # the page catalogue (queries/pages.py)
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, page
    # unknown filter values fall back to "(all)" and are dropped from the URL
    assert "channel" not in at.query_params and at.query_params["role"] == "leadership"
    assert fingerprint(revenue_db) == before


def test_email_hash_key_comes_from_secrets_never_the_repo(tmp_path, monkeypatch):
    from etl.config import email_hash_key

    monkeypatch.delenv("REVLINE_EMAIL_HASH_KEY")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[revline]\nemail_hash_key = "from-secrets"\n')
    monkeypatch.setenv("REVLINE_SECRETS", str(secrets))
    assert email_hash_key(tmp_path / "w.duckdb") == "from-secrets"
    monkeypatch.setenv("REVLINE_SECRETS", str(tmp_path / "none.toml"))
    key = email_hash_key(tmp_path / "w.duckdb")  # a random key kept next to the warehouse
    assert len(key) == 64 and (tmp_path / "w.duckdb.key").read_text().strip() == key
    assert oct((tmp_path / "w.duckdb.key").stat().st_mode)[-3:] == "600"
    assert email_hash_key(tmp_path / "w.duckdb") == key


# --- Names from exports are text, never formulas or markup (docs/SECURITY.md "Files and names") ---

FORMULA = '=HYPERLINK("http://evil.example","click")'
MARKUP = "<b>x</b>"
OWNER = "<b>Eve</b>"
STAGE = "<a href='http://evil.example'>Negotiation</a>"  # single quotes: Plotly's link syntax, and CSV-safe


def write_hostile_exports(folder: Path) -> list[Path]:
    """A Meta export whose campaigns are a formula (spend 999999) and markup, HubSpot contacts owned
    by a rep whose name is markup and one whose name starts with @ (a formula to Excel), and deals
    of the markup rep, one open in a stage whose name is a link."""
    from tests.kpi_fixtures import DEALS_HEADER, HUBSPOT_HEADER, META_HEADER, _quoted, hubspot_row

    folder.mkdir(parents=True, exist_ok=True)
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    meta = folder / "meta.csv"
    meta.write_text(
        META_HEADER + "\n"
        f"{quoted},2026-10-05,333333333333333333,9001,2026-10-05,2026-10-05,1000,10,999999.00,1,actions:lead,0\n"
        f"{MARKUP},2026-10-05,444444444444444444,9001,2026-10-05,2026-10-05,500,5,10.00,1,actions:lead,0\n",
        encoding="utf-8",
    )
    contacts = folder / "hubspot-crm-exports-all-contacts-2026-11-01.csv"
    contacts.write_text("\r\n".join([
        HUBSPOT_HEADER,
        hubspot_row(1, OWNER, "2026-10-05 09:00", "2026-10-05 10:00", touch="2026-10-05 10:03",
                    utm=("facebook", "paid", "x")),
        hubspot_row(2, "@SUM(1+1)", "2026-10-06 09:00", "2026-10-06 10:00"),
    ]) + "\r\n", encoding="utf-8")  # fmt: skip
    deals = folder / "hubspot-crm-exports-all-deals-2026-11-01.csv"
    deals.write_text("\r\n".join([
        DEALS_HEADER,
        _quoted("501", "Deal", STAGE, "6000", "2026-10-30", "2026-10-10 10:00", OWNER, "false", "1"),
        _quoted("502", "Won", "Closed Won", "1000", "2026-10-20", "2026-10-08 10:00", OWNER, "true", "1"),
    ]) + "\r\n", encoding="utf-8")  # fmt: skip
    from tests.fixtures.make_fixtures import STRIPE_SUBS_HEADER, csv_text

    stripe = folder / "subscriptions.csv"  # the markup rep's customer pays: the Revenue page draws its charts
    stripe.write_text(csv_text([STRIPE_SUBS_HEADER, [
        "sub_1", "cus_1", MARKUP, "lead1@example.com", MARKUP, STAGE, "1", "usd", "month", "100.00", "active",
        "2026-10-06 09:00", "2026-10-06 09:00", "2026-10-06 09:00", "2026-11-06 09:00", "", "", "", "", "false", FORMULA,
    ]]), encoding="utf-8")  # fmt: skip
    return [meta, contacts, deals, stripe]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    from tests import kpi_fixtures

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        folder = tmp_path_factory.mktemp("hostile")
        yield kpi_fixtures.build(folder, write_hostile_exports(folder / "exports"))


def test_neutralise_golden():
    import polars as pl

    from ui.format import neutralise

    df = pl.DataFrame({"name": [FORMULA, "+1 555 0100", "@SUM(A1)", "\tx", "\rx", "-5", "+2.5", "plain", None],
                       "spend": [-3.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})  # fmt: skip
    out = neutralise(df)
    # formula-like text gets a leading apostrophe; text that is a plain signed number stays a number
    assert out["name"].to_list() == ["'" + FORMULA, "'+1 555 0100", "'@SUM(A1)", "'\tx", "'\rx", "-5", "+2.5",
                                     "plain", None]  # fmt: skip
    assert out["spend"].to_list() == df["spend"].to_list() and out.schema["spend"] == pl.Float64


TITLES = {"overview": "Overview", "marketing": "Marketing", "sales": "Sales", "funnel": "Funnel",
          "handoff": "Handoff", "data": "Data", "definitions": "Definitions", "records": "Records",
          "revenue": "Revenue"}  # fmt: skip


@pytest.fixture(scope="module")
def warm_navigation(revenue_db, app_once):
    """Until some run in the process calls st.navigation, Streamlit is in its `pages/` mode and a page
    asked for by name runs alone (then the page sends the run to app.py's landing page): run the
    frame once, so a new AppTest opens the page it names, like a browser opening /marketing."""
    app_once(revenue_db)


def open_page(app, db: Path, page: str, params: dict | None = None) -> AppTest:
    """A new session's first run on `page` with the URL `params` (October 2026 by default)."""
    at = app(db, page, **(params or {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}))
    assert TITLES[page] in [t.value for t in at.title], (page, [t.value for t in at.title])
    return at


def hostile_app(app, db: Path, page: str) -> AppTest:
    return open_page(app, db, page)


def test_tables_carry_no_formula(hostile_db, app, warm_navigation):
    """What st.dataframe gets (and so its toolbar, were it on) and the CSV buttons: text, not formulas."""
    at = hostile_app(app, hostile_db, "marketing")
    campaigns = next(d.value for d in at.dataframe if "campaign" in d.value.columns)
    assert "'" + FORMULA in set(campaigns["campaign"]) and FORMULA not in set(campaigns["campaign"])
    assert MARKUP in set(campaigns["campaign"])  # not a formula: shown as it is (the grid draws text)
    assert 999999.0 in set(campaigns["spend"])  # numbers stay numbers
    at = hostile_app(app, hostile_db, "handoff")
    reps = next(d.value for d in at.dataframe if "rep" in d.value.columns)
    assert "'@SUM(1+1)" in set(reps["rep"]) and OWNER in set(reps["rep"])
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True  # the toolbar's own download and copy are off


def decoded(spec: str) -> str:
    """A figure's JSON with its \\u003c escapes undone, as the browser's Plotly reads it."""
    return json.dumps(json.loads(spec), ensure_ascii=False)


def test_charts_escape_names():
    import polars as pl

    from ui.charts import bar, line

    fig = bar(pl.DataFrame({"segment": [OWNER, "A & B"], "compliance": [0.5, 1.0]}), "segment", "compliance",
              "By rep", horizontal=True)  # fmt: skip
    assert list(fig.data[0].y) == ["&lt;b&gt;Eve&lt;/b&gt;", "A &amp; B"]  # Plotly shows entities as text
    assert OWNER not in decoded(fig.to_json())
    fig = line(pl.DataFrame({"period": [date(2026, 10, 5)] * 2, "spend": [1.0, 2.0], "platform": [MARKUP, "meta"]}),
               "period", "spend", "Spend", "platform")  # fmt: skip
    assert [t.name for t in fig.data] == ["&lt;b&gt;x&lt;/b&gt;", "Meta"]  # legend and hover name (labelled)


@pytest.mark.parametrize("page", DASHBOARDS)
def test_every_chart_on_every_page_is_text_safe(page, hostile_db, app, warm_navigation):
    at = hostile_app(app, hostile_db, page)
    specs = [decoded(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs, page
    for spec in specs:
        assert OWNER not in spec and MARKUP not in spec and STAGE not in spec, page
    if page == "handoff":
        assert any("&lt;b&gt;Eve&lt;/b&gt;" in s for s in specs)  # the rep is in the "By rep" chart, as text
    if page == "sales":
        assert any("&lt;a href=" in s for s in specs)  # the stage is in "Open pipeline by stage", as text


# --- The warehouse the app opens: a configured path must exist; the demo says it is the demo ---


def test_configured_missing_warehouse_is_an_error(tmp_path, monkeypatch, app):
    missing = tmp_path / "typo" / "warehuose.duckdb"
    monkeypatch.chdir(tmp_path)
    at = app(missing)
    assert not at.exception and not at.metric
    assert str(missing) in at.error[0].value and "REVLINE_DB" in at.error[0].value
    assert not missing.exists() and not (tmp_path / "data").exists()  # no demo built anywhere
    p = subprocess.run([sys.executable, "-m", "queries", "summary", "--start", "2026-10-01", "--end", "2026-10-31"],
                       cwd=REPO, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "REVLINE_DB": str(missing)})  # fmt: skip
    assert p.returncode == 2 and str(missing) in p.stderr and "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "queries", "summary", "--db", str(missing), "--start", "2026-10-01",
                        "--end", "2026-10-31"], cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert p.returncode == 2 and str(missing) in p.stderr


def test_demo_says_so_on_every_page_and_yours_does_not(tmp_path, monkeypatch, revenue_db, app):
    monkeypatch.delenv("REVLINE_DB", raising=False)  # nothing configured: the demo, at the default location
    monkeypatch.chdir(tmp_path)
    at = app(timeout=180)
    assert (tmp_path / "data" / "warehouse.duckdb").exists()
    for page in NAMES:  # the page catalogue (queries/pages.py)
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert any("Demo data" in w.value for w in at.main.warning), page  # at the top of the page
        assert any("Demo data" in w.value for w in at.sidebar.warning), page
    mine = app(revenue_db)  # a configured warehouse: no badge
    assert not mine.exception and not any("Demo data" in w.value for w in mine.warning)


# --- Hostile URL values fall back to valid ones with a note, on every page ---

HOSTILE_URLS = {
    "year one": ({"range": "custom", "start": "0001-01-01", "end": "2026-10-31"}, "start date `0001-01-01`"),
    "year 9999": ({"range": "custom", "start": "2026-10-01", "end": "9999-12-01"}, "end date `9999-12-01`"),
    "no such day": ({"range": "custom", "start": "2026-02-30", "end": "2026-10-31"}, "start date `2026-02-30`"),
    "garbage": ({"range": "custom", "start": "yesterday", "end": "%00<script>"}, "is not a day"),
    "reversed": ({"range": "custom", "start": "2026-10-31", "end": "2026-10-01"}, "ends before it starts"),
    "preset": ({"range": "forever"}, "range `forever` is not one of the choices"),
    "compare": ({"compare": "tomorrow"}, "compare `tomorrow`"),
    "dimensions": ({"channel": "nope", "platform": "myspace", "owner": "Nobody"}, "platform `myspace`"),
    "role": ({"role": "admin"}, "role `admin`"),
    "unknown keys": ({"utm_source": "x", "debug": "1"}, "`debug`, `utm_source`: not a filter"),
    "markdown": ({"channel": "[sign in again](http://evil.example)"}, "channel `[sign in again](http://evil.example)`"),
}


@pytest.mark.parametrize("name", HOSTILE_URLS)
def test_hostile_url_values_fall_back_with_a_note(name, revenue_db, app, warm_navigation):
    params, note = HOSTILE_URLS[name]
    for page in NAMES:
        at = open_page(app, revenue_db, page, params)
        assert any(note in i.value for i in at.info), (name, page, [i.value for i in at.info])
        if page == "overview" and name == "reversed":  # read as October: the golden target, never negative
            # judged when the data ends, Oct 25 (queries/view.py as_of_for): pace = 30,000 / (40,000 x 25/31) = 93%
            assert "Target $40.0k · pace 93%" in [c.value for c in at.caption]


def test_a_reversed_range_never_makes_a_negative_target(revenue_db):
    # October's revenue target is 40000; a range from Oct 20 back to Oct 5 reaches no day of it:
    # share = max(0, 5 - 20 + 1) / 31 = 0, so the target is 0, not -14/31 * 40000
    out = run("shared/targets_in_range", db=revenue_db, start_date=date(2026, 10, 20), end_date=date(2026, 10, 5))
    assert out["target"].min() >= 0 and set(out["target"].to_list()) == {0.0}
