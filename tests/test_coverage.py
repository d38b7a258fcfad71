"""Coverage and freshness: missing data is never shown as a collapse.

A warehouse whose sources end on different days and have a gap, built by the real ETL from small
exports in the vendors' shapes, all in April 2026 (opened months later):
  Meta (account 9001)   Apr 1-28, $100 a day; no row on Apr 10 (nothing delivered, same export)
  Google Ads            two exports: Apr 1-12 and Apr 20-30, $50 a day -> the week Apr 13-19 missing
  HubSpot contacts      one lead a day Apr 1-30
  HubSpot deals         D1 created Mar 20, won Apr 2 ($10,000); D2 created Apr 30, open, expected
                        to close Jun 30 (a plan, not data)
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from queries.coverage import load_coverage
from queries.runner import run
from queries.summary import summarize
from tests.kpi_fixtures import CONTACTS_HEADER, DEALS_HEADER, GOOGLE_HEADER, META_HEADER, _quoted, build
from ui.periods import partial_periods
from ui.state import anchor_day, default_view

REPO = Path(__file__).resolve().parent.parent
APRIL = [date(2026, 4, 1) + timedelta(days=i) for i in range(30)]


def _google(path: Path, first: date, last: date) -> Path:
    rows = [f"Enabled,Brand Search,33333333333,{d},USD,50.00,1000,10,1.00%,1.00,0.00"
            for d in APRIL if first <= d <= last]  # fmt: skip
    total = f'Total: Campaigns,,,,,"{50 * len(rows):,.2f}",{1000 * len(rows)},{10 * len(rows)},1.00%,{len(rows)}.00,0.00'
    preamble = f"Campaign report\r\n{first:%B} {first.day}, 2026 - {last:%B} {last.day}, 2026\r\n"
    path.write_text(preamble + GOOGLE_HEADER + "\r\n" + "\r\n".join([*rows, total]) + "\r\n", encoding="utf-8")
    return path


def write_april_exports(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    meta = folder / "Example-Campaigns-1-Apr-2026-28-Apr-2026.csv"
    meta.write_text(META_HEADER + "\n" + "".join(
        f"Spring Sale,{d},111111111111111111,9001,{d},{d},1000,10,100.00,1,actions:lead,0\n"
        for d in APRIL if d <= date(2026, 4, 28) and d != date(2026, 4, 10)), encoding="utf-8")  # fmt: skip
    google1 = _google(folder / "Campaign report.csv", date(2026, 4, 1), date(2026, 4, 12))
    google2 = _google(folder / "Campaign report (1).csv", date(2026, 4, 20), date(2026, 4, 30))
    contacts = folder / "hubspot-crm-exports-all-contacts-2026-04-30.csv"
    contacts.write_text("\r\n".join([CONTACTS_HEADER] + [
        _quoted(str(i + 1), f"l{i + 1}@example.com", "Dana Whitfield", f"{d} 10:00", "", "", "", "",
                "Organic search", "", "", "")
        for i, d in enumerate(APRIL)]) + "\r\n", encoding="utf-8")  # fmt: skip
    deals = folder / "hubspot-crm-exports-all-deals-2026-04-30.csv"
    deals.write_text("\r\n".join([
        DEALS_HEADER,
        _quoted("901", "D1", "Closed Won", "10000", "2026-04-02", "2026-03-20 10:00", "Dana Whitfield", "true", ""),
        _quoted("902", "D2", "Contract Sent", "5000", "2026-06-30", "2026-04-30 10:00", "Dana Whitfield", "false", ""),
    ]) + "\r\n", encoding="utf-8")  # fmt: skip
    return [meta, google1, google2, contacts, deals]


@pytest.fixture(scope="module")
def april_db(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = tmp_path_factory.mktemp("april")
    yield build(folder, write_april_exports(folder / "exports"))
    mp.undo()


def test_mart_covers_each_source_with_its_gaps(april_db):
    rows = {(r["adapter"], r["status"], r["first_day"], r["last_day"], r["days"])
            for r in run("data/coverage", db=april_db).iter_rows(named=True)}  # fmt: skip
    d = date
    assert rows == {
        # Apr 10 has no Meta row, but it lies inside the one export's Apr 1-28: no delivery, not a gap
        ("meta_ads", "covered", d(2026, 4, 1), d(2026, 4, 28), 28),
        # two Google exports, Apr 1-12 and Apr 20-30: the 7 days between are a gap
        ("google_ads", "covered", d(2026, 4, 1), d(2026, 4, 12), 12),
        ("google_ads", "gap", d(2026, 4, 13), d(2026, 4, 19), 7),
        ("google_ads", "covered", d(2026, 4, 20), d(2026, 4, 30), 11),
        # 10:00 New York is 14:00 UTC, the same day
        ("hubspot_contacts", "covered", d(2026, 4, 1), d(2026, 4, 30), 30),
        # D1 created Mar 20 .. D2 created Apr 30; D2's Jun 30 close date is a plan and does not count
        ("hubspot_deals", "covered", d(2026, 3, 20), d(2026, 4, 30), 42),
    }


def test_freshness_is_by_data_date(april_db):
    fresh = {r["adapter"]: r for r in run("data/freshness", db=april_db).iter_rows(named=True)}
    assert fresh["meta_ads"]["data_through"] == date(2026, 4, 28) and fresh["meta_ads"]["days_behind"] == 2
    assert fresh["google_ads"]["data_through"] == date(2026, 4, 30) and fresh["google_ads"]["gap_days"] == 7
    assert fresh["google_ads"]["loads"] == 2 and fresh["google_ads"]["rows_loaded"] == 12 + 11
    assert fresh["hubspot_deals"]["data_from"] == date(2026, 3, 20)


def test_metric_checks_name_the_source_and_days(april_db):
    cov = load_coverage(april_db)
    assert cov.through == date(2026, 4, 30)
    spend = cov.check(["ads"], date(2026, 4, 1), date(2026, 4, 30))
    assert spend.status == "incomplete"
    assert spend.missing == {"Google Ads": [(date(2026, 4, 13), date(2026, 4, 19))],
                             "Meta": [(date(2026, 4, 29), date(2026, 4, 30))]}  # fmt: skip
    assert spend.note == "Incomplete (Google Ads: no data Apr 13–19, 2026; Meta: no data Apr 29–30, 2026)"
    assert cov.check(["leads"], date(2026, 4, 1), date(2026, 4, 30)).complete
    assert cov.check(["ads"], date(2026, 4, 20), date(2026, 4, 28)).complete  # both platforms cover it
    # November: nothing loaded covers it -> no data, with what the data does cover
    nov = cov.check(["deals"], date(2026, 11, 1), date(2026, 11, 30))
    assert nov.status == "no_data"
    assert nov.note == "No CRM deal data for Nov 1–30, 2026: it covers Mar 20 – Apr 30, 2026"
    assert cov.check(["activities"], date(2026, 4, 1), date(2026, 4, 30)).note == "No CRM activity data loaded"
    # filtered to Meta (the sidebar's platform), Google's missing week does not matter
    assert cov.check(["ads"], date(2026, 4, 13), date(2026, 4, 19), platform="meta").complete
    assert not cov.check(["ads"], date(2026, 4, 13), date(2026, 4, 19)).complete


def test_summary_never_shows_missing_data_as_zero_or_a_drop(april_db):
    # the last week of April against the week before: Meta ends Apr 28, Google misses Apr 13-19
    out = summarize(date(2026, 4, 24), date(2026, 4, 30), "previous", db=april_db, today=date(2026, 11, 29))
    m = out["metrics"]
    # spend Apr 24-30: Meta 5 days x 100 (Apr 24-28) + Google 7 x 50 = 850, but Meta misses Apr 29-30
    assert m["spend"]["value"] == 850.0 and m["spend"]["coverage"]["status"] == "incomplete"
    assert m["spend"]["coverage"]["missing"] == {"Meta": [["2026-04-29", "2026-04-30"]]}
    # comparison Apr 17-23 is hit by Google's gap (Apr 17-19): no change either way
    assert m["spend"]["comparison_coverage"]["missing"] == {"Google Ads": [["2026-04-17", "2026-04-19"]]}
    assert m["spend"]["change"] is None
    # leads: one a day in both weeks, both covered -> 7 vs 7, change 0
    assert (m["leads"]["value"], m["leads"]["comparison"], m["leads"]["change"]) == (7, 7, 0.0)
    assert out["coverage"]["data_through"] == "2026-04-30"
    assert out["coverage"]["notes"] == [
        "Data through Apr 30, 2026; Meta through Apr 28, 2026.",
        "The newest data is 213 days old (through Apr 30, 2026). Load newer exports on the Data page.",
    ]  # Nov 29 - Apr 30 = 213 days

    # November: no source covers it -> no values (not $0.00) and no changes, and it says why
    nov = summarize(date(2026, 11, 1), date(2026, 11, 28), "previous", db=april_db, today=date(2026, 11, 29))
    for name in ("spend", "leads", "revenue", "blended_cpl"):
        assert nov["metrics"][name]["value"] is None and nov["metrics"][name]["change"] is None, name
    assert nov["metrics"]["spend"]["coverage"]["note"].startswith("No ad-platform data for Nov 1–28, 2026")
    assert "This range runs past the data: Nov 1–28, 2026 has no data yet." in nov["coverage"]["notes"]


def test_gaps_in_range_are_noted(april_db):
    out = summarize(date(2026, 4, 1), date(2026, 4, 30), db=april_db, names=["spend"], today=date(2026, 5, 1))
    assert out["coverage"]["notes"] == ["Data through Apr 30, 2026; Meta through Apr 28, 2026.",
                                        "No export covers Google Ads Apr 13–19, 2026."]  # fmt: skip


def test_summary_command_carries_the_notes(april_db):
    args = [sys.executable, "-m", "queries", "summary", "--db", str(april_db), "--start", "2026-04-24",
            "--end", "2026-04-30", "--as-of", "2026-04-30 23:00"]  # fmt: skip
    md = subprocess.run([*args, "--format", "markdown"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert md.returncode == 0, md.stderr
    assert "> Data through Apr 30, 2026; Meta through Apr 28, 2026." in md.stdout
    # Apr 17-23: Meta 7 x 100 + Google Apr 20-23 4 x 50 = 900, itself hit by the gap: no change
    assert "| Ad spend | $850 | $900 | – |" in md.stdout
    assert "Incomplete (Meta: no data Apr 29–30, 2026)" in md.stdout
    js = json.loads(subprocess.run([*args, "--format", "json"], cwd=REPO, capture_output=True, text=True,
                                   timeout=120).stdout)  # fmt: skip
    assert js["coverage"]["notes"][0] == "Data through Apr 30, 2026; Meta through Apr 28, 2026."


def test_default_range_ends_on_the_data():
    # data through Apr 30 opened on Nov 29: the last 30 days of data, judged at the end of Apr 30
    start, end, as_of = default_view(date(2026, 11, 29), date(2026, 4, 30))
    assert (start, end) == (date(2026, 4, 1), date(2026, 4, 30)) and as_of.isoformat() == "2026-04-30T23:59:59"
    assert anchor_day(date(2026, 11, 29), None) == date(2026, 11, 29)  # nothing loaded: the calendar


def test_partial_periods(april_db):
    weeks = [date(2026, 3, 30) + timedelta(weeks=i) for i in range(6)]  # Mondays Mar 30 .. May 4
    # ads data: Apr 1-30 with Google's hole Apr 13-19 and Meta's Apr 29-30; range Apr 1 - May 10
    extent = load_coverage(april_db).extent(["ads"])
    assert extent == (date(2026, 4, 1), date(2026, 4, 30),
                      ((date(2026, 4, 13), date(2026, 4, 19)), (date(2026, 4, 29), date(2026, 4, 30))))  # fmt: skip
    partial, uncovered = partial_periods(weeks, "week", date(2026, 4, 1), date(2026, 5, 10), extent)
    # week of Mar 30 starts before the range; Apr 13 is Google's missing week; Apr 27 ends after the
    # data and holds Meta's missing days; May 4 lies wholly past the data (left out, not a zero)
    assert partial == {date(2026, 3, 30), date(2026, 4, 13), date(2026, 4, 27)}
    assert uncovered == {date(2026, 5, 4)}
    # deals data starts Mar 20: a week wholly before it is left out, not drawn as zero
    deals = load_coverage(april_db).extent(["deals"])
    assert partial_periods([date(2026, 3, 9), date(2026, 3, 16)], "week", date(2026, 3, 1), date(2026, 4, 30),
                           deals) == ({date(2026, 3, 16)}, {date(2026, 3, 9)})  # fmt: skip
    months = [date(2026, 3, 1), date(2026, 4, 1)]
    assert partial_periods(months, "month", date(2026, 3, 1), date(2026, 4, 30), None) == (set(), set())


def test_bare_url_on_old_data_shows_its_last_weeks_with_a_dated_notice(april_db, app):
    at = app(april_db)
    captions = [c.value for c in at.caption]
    assert "Apr 01, 2026 – Apr 30, 2026, compared with the previous period" in captions
    assert any(c.startswith("Data through Apr 30, 2026; Meta through Apr 28, 2026.") for c in captions)
    age = (date.today() - date(2026, 4, 30)).days
    stale = f"The newest data is {age} days old (through Apr 30, 2026). Load newer exports on the Data page."
    assert at.warning[0].value == stale  # at the top; the Overview's active alerts follow at its end
    assert all("$0.00" not in w.value for w in at.warning)
    tiles = {m.label: m for m in at.metric}
    # spend Apr 1-30: Meta 27 x 100 + Google 23 x 50 = 3,850, marked incomplete, no change vs March
    assert tiles["Ad spend"].value == "$3.9k"
    assert any(":material/warning: Incomplete (Google Ads: no data Apr 13–19, 2026; Meta: no data Apr 29–30, 2026)"
               in c for c in captions)  # fmt: skip
    assert all(m.value not in ("$0.00", "$0") for m in at.metric), {m.label: m.value for m in at.metric}
    assert all("-100" not in str(m.delta) for m in at.metric)
    assert not tiles["MQLs"].delta  # March has no contacts: no change against it


def test_data_page_shows_the_coverage_timeline(april_db, app):
    at = app(april_db)
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value == "Coverage per source" for s in at.subheader)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t["name"] for t in fig["data"]}
    assert names == {"Covered", "Gap: no export covers these days"}
    gap = next(t for t in fig["data"] if t["name"].startswith("Gap"))
    assert gap["y"] == ["Google Ads"]  # one red bar: Google's missing week


def test_summary_on_a_warehouse_without_the_mart_names_the_rebuild(april_db, tmp_path):
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(april_db, old)
    with duckdb.connect(str(old)) as con:
        con.execute("drop table mart_coverage")  # as built by a Revline before coverage
    p = subprocess.run([sys.executable, "-m", "queries", "summary", "--db", str(old), "--start", "2026-04-01",
                        "--end", "2026-04-30"], cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert p.returncode == 2 and "lacks mart_coverage" in p.stderr and "python -m etl rebuild" in p.stderr
    assert "Traceback" not in p.stderr


def test_the_demo_opened_a_week_later_shows_its_last_weeks_not_zeros(demo_warehouse):
    """The issue's case: demo data through Nov 22 opened on Nov 29. Two Meta exports overlap (Oct 1 -
    Jun 30 and Jun 1 - Nov 22): one stretch, no gap."""
    from ui.periods import resolve

    _, db, _ = demo_warehouse
    cov = load_coverage(db)
    assert cov.through == date(2026, 11, 22)
    assert all(not s.gaps for s in cov.sources) and {s.label for s in cov.sources} >= {"Meta", "Google Ads"}
    start, end, as_of = default_view(date(2026, 11, 29), cov.through)
    assert (start, end) == (date(2026, 10, 24), date(2026, 11, 22))
    # "This week" ends on the data's last day too: Mon Nov 16 - Sun Nov 22, not Nov 23-29 of zeros
    week = resolve("this_week", anchor_day(date(2026, 11, 29), cov.through))
    assert week == (date(2026, 11, 16), date(2026, 11, 22))
    out = summarize(*week, "previous", as_of, db=db, names=["spend", "revenue", "mqls"], today=date(2026, 11, 29))
    for name, r in out["metrics"].items():
        assert r["coverage"]["status"] == "complete" and r["value"] > 0, name
        assert r["change"] is not None and r["change"] > -0.9, name  # a real change, not -100%
    assert out["coverage"]["notes"] == [
        # the demo's last meeting was booked on Saturday Nov 21: coverage reads the data's own dates (0062)
        "Data through Nov 22, 2026; HubSpot meetings through Nov 21, 2026.",
        "The newest data is 7 days old (through Nov 22, 2026). Load newer exports on the Data page.",
    ]


def test_a_range_with_no_data_shows_dashes_with_the_reason(april_db, app):
    at = app(april_db, range="custom", start="2026-11-01", end="2026-11-28", role="marketer")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Ad spend"] == "–" and tiles["New leads"] == "–" and tiles["Blended CPL"] == "–"
    captions = [c.value for c in at.caption]
    assert ":gray[No ad-platform data for Nov 1–28, 2026: it covers Apr 1–30, 2026.]" in captions
    assert any("This range runs past the data: Nov 1–28, 2026 has no data yet." in c for c in captions)
    # the spend trend leaves out weeks past the data instead of drawing zeros: no points at all is a
    # message, not empty axes (issue 16)
    assert not any("Spend per week" in json.dumps(json.loads(c.proto.spec)["layout"].get("title", {}))
                   for c in at.get("plotly_chart"))  # fmt: skip
    assert any(i.value.startswith("No ad spend in this range") for i in at.info)
