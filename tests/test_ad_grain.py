"""Ad exports at the campaign x day grain, through the real loader into a real DuckDB file.

Rows finer than campaign x day (one per ad, per age) are summed and counted as merged; two ads with
the same numbers are two rows, a repeated line is one; vendor default exports without a Campaign ID
load keyed by campaign name and count once next to an export with IDs; exports without a breakdown
by day are refused with the vendor's click path; every file's counts and ad totals add up
(load_log), for every fixture export and the demo exports.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

import etl.staging
from etl.cli import summary_table
from etl.contracts import contract
from etl.db import execute
from etl.unified import ad_contracts

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
LI_DAILY = "linkedin/campaign_891400001.csv"
META_AGE = "meta/Example-Co-Ads-Campaigns-Age-Mar-8-2026-Mar-9-2026.csv"
META_DEFAULT = "meta/Example-Co-Ads-Campaigns-7-Mar-20267-Mar-2026.csv"
GOOGLE_IDS = "google_ads/Campaign report.csv"
GOOGLE_DEFAULT = "google_ads/Campaign report (2).csv"
AD_ADAPTERS = tuple(c.name for c in ad_contracts())  # every ad platform's contract
COUNTS = "rows_read, rows_loaded, rows_merged, rows_rejected, rows_duplicate"


def counts(w, name: str) -> tuple:
    log = w.log(name)
    return tuple(log[c] for c in COUNTS.split(", "))


def campaign_days(w, platform: str) -> list[tuple]:
    return w.q(
        """select date::varchar, campaign_id, campaign_name, impressions, clicks, spend_local, conversions
           from ad_spend where platform = ? order by date, campaign_name""",
        [platform],
    )


def test_linkedin_daily_ad_rows_sum_to_campaign_days(load_files):
    """7 ad rows of 2 ad sets on 2 days: 4 campaign days loaded, 3 rows merged into them."""
    w = load_files(LI_DAILY)
    assert counts(w, "campaign_891400001.csv") == (7, 4, 3, 0, 0)
    # new naming: "Ad Set" is Revline's campaign, "Campaign" its group; conversions = Conversions + Leads
    assert campaign_days(w, "linkedin") == [
        ("2026-09-21", "891400002", "CFO Webinar - Lead Gen", 900, 5, Decimal("30.00"), 2.0),  # 0 conv + 2 leads
        # Ops 9/21: 40.10 + 12.50 + 12.50 = 65.10; 2000 + 600 + 600 = 3200; 10 + 3 + 3 = 16; 1 + 0 + 0
        # (Ops_Ad_2 and Ops_Ad_3 have the same numbers: two ads, both counted)
        ("2026-09-21", "891400001", "Ops Leaders - Website Visits", 3200, 16, Decimal("65.10"), 1.0),
        ("2026-09-22", "891400002", "CFO Webinar - Lead Gen", 800, 4, Decimal("25.25"), 1.0),
        # Ops 9/22: 35.00 + 10.00 = 45.00; 1800 + 500 = 2300; 8 + 2 = 10; 0 + 1
        ("2026-09-22", "891400001", "Ops Leaders - Website Visits", 2300, 10, Decimal("45.00"), 1.0),
    ]
    assert w.q("select distinct campaign_group from ad_spend") == [("Q3 Demand",)]
    assert w.q("select count(*), count(distinct ad_id) from stg_linkedin__campaign_days") == [(7, 4)]


LI_HEADER = (
    "Start Date (in UTC)\tAccount Name\tCurrency\tCampaign ID\tCampaign Name\tAd Set ID\tAd Set Name\tAd Name\t"
    "Ad ID\tTotal Spent\tImpressions\tClicks\tConversions\tLeads\tReach"
)


def linkedin_export(path: Path, start: str, end: str, rows: list[str]) -> Path:
    preamble = ["Ad Performance Report (in UTC)", f'"Report Start: {start}, 12:00 AM"',
                f'"Report End: {end}, 11:59 PM"', '"Date Generated: September 23, 2026, 12:40 PM"', ""]  # fmt: skip
    path.write_text("\n".join([*preamble, LI_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_linkedin_export_without_daily_breakdown_is_refused(load_files, tmp_path):
    """One row per ad for Sep 21-23, each dated the report start: a 3-day total on one day."""
    path = linkedin_export(tmp_path / "campaign_891400009 (3).csv", "September 21, 2026", "September 23, 2026", [
        "9/21/2026\tExample Co EU\tEUR\t1224500001\tQ3 Demand\t891400009\tRetargeting\tAd_1\t1552900011\t55.39\t3422\t11\t0\t0\t2800",
        "9/21/2026\tExample Co EU\tEUR\t1224500001\tQ3 Demand\t891400009\tRetargeting\tAd_2\t1552900012\t5.28\t440\t3\t0\t0\t2800",
    ])  # fmt: skip
    w = load_files(path)
    [result] = w.results
    assert result.status == "failed"
    assert result.message == (
        "campaign_891400009 (3).csv: is a LinkedIn Campaign Manager campaign performance report (daily) without "
        "a breakdown by day: all 2 rows are dated 2026-09-21, the report start, though the report covers "
        "2026-09-21 to 2026-09-23 (one row per ad for the whole range). "
        "Expected: the report exported with Time breakdown: Daily."
    )
    assert "add" not in result.message.lower()
    load_id = w.log(path.name)["load_id"]
    for table in ("raw_linkedin__campaign_days", "stg_linkedin__campaign_days", "ad_spend"):
        assert w.q(f"select count(*) from {table} where load_id = ?", [load_id]) == [(0,)], table


def test_linkedin_one_day_report_of_ad_rows_loads(load_files, tmp_path):
    path = linkedin_export(tmp_path / "campaign_891400009.csv", "September 23, 2026", "September 23, 2026", [
        "9/23/2026\tExample Co EU\tEUR\t1224500001\tQ3 Demand\t891400009\tRetargeting\tAd_1\t1552900011\t9.36\t293\t1\t0\t0\t6",
        "9/23/2026\tExample Co EU\tEUR\t1224500001\tQ3 Demand\t891400009\tRetargeting\tAd_2\t1552900012\t1.11\t47\t0\t0\t0\t13",
    ])  # fmt: skip
    w = load_files(path)
    assert counts(w, path.name) == (2, 1, 1, 0, 0)
    # 9.36 + 1.11 = 10.47; 293 + 47 = 340; 1 + 0 = 1
    assert campaign_days(w, "linkedin") == [("2026-09-23", "891400009", "Retargeting", 340, 1, Decimal("10.47"), 0.0)]


def test_meta_age_breakdown_sums_to_campaign_days(load_files):
    w = load_files(META_AGE)
    assert counts(w, Path(META_AGE).name) == (8, 3, 5, 0, 0)
    assert campaign_days(w, "meta") == [
        # Brand 3/8: 1.20 + 1.80 = 3.00; 600 + 800 = 1400; no clicks; Results are reach, not conversions
        ("2026-03-08", "120208123456789013", "Brand Awareness Q1", 1400, 0, Decimal("3.00"), 0.0),
        # Spring 3/8: 10.00 + 20.50 + 20.50 = 51.00 (25-34 and 35-44 have the same numbers: both count);
        # 1000 + 2000 + 2000 = 5000; 20 + 41 + 41 = 102; 2 + 3 + 3 = 8 leads
        ("2026-03-08", "120208123456789012", "Spring Sale - Prospecting", 5000, 102, Decimal("51.00"), 8.0),
        # Spring 3/9: 5.25 + 7.75 + 9.99 = 22.99; 500 + 800 + 1000 = 2300; 9 + 12 + 18 = 39; 1 + 0 + 2 = 3
        ("2026-03-09", "120208123456789012", "Spring Sale - Prospecting", 2300, 39, Decimal("22.99"), 3.0),
    ]


def test_a_repeated_line_is_a_duplicate_and_identical_numbers_are_not(load_files, tmp_path):
    lines = (EXPORTS / META_AGE).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "Example-Co-Ads-Campaigns-Age-repeated.csv"
    path.write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")  # the 25-34 row of 3/8 twice
    w = load_files(path)
    assert counts(w, path.name) == (9, 3, 5, 0, 1)
    assert w.q("select sum(spend_local) from ad_spend") == [(Decimal("76.99"),)]  # 51.00 + 3.00 + 22.99


def test_the_same_rows_again_change_nothing(load_files, tmp_path):
    """The same file again is a duplicate file; a new download of the same rows (another Date
    Generated line, so other bytes) counts its rows as duplicates and stages nothing."""
    w = load_files(LI_DAILY)
    text = (EXPORTS / LI_DAILY).read_text(encoding="utf-8")
    again = tmp_path / "campaign_891400001 (1).csv"
    again.write_text(text.replace("8:14 AM", "9:30 AM"), encoding="utf-8")
    w.load(LI_DAILY, again)
    assert [r.status for r in w.results] == ["duplicate_file", "loaded"]
    assert counts(w, again.name) == (7, 0, 0, 0, 7)
    assert w.q("select count(*) from stg_linkedin__campaign_days") == [(7,)]
    assert w.q("select count(*), sum(spend_local) from ad_spend") == [(4, Decimal("165.35"))]


def test_a_newer_export_replaces_each_day_as_a_whole(load_files, tmp_path):
    """A newer download of Sep 22 has one ad fewer: the day's sum is the newer file's, not the newer
    rows plus the old row of the missing ad. Sep 21, not in the newer file, stays."""
    lines = (EXPORTS / LI_DAILY).read_text(encoding="utf-8").splitlines()
    newer = tmp_path / "campaign_891400001 (2).csv"
    keep = [line for line in lines if not line.startswith("9/21/") and "Ops_Ad_2" not in line]
    newer.write_text("\n".join(keep).replace("35.00\t1800", "36.00\t1850") + "\n", encoding="utf-8")
    w = load_files(LI_DAILY)
    w.load(newer)
    assert counts(w, newer.name) == (2, 2, 0, 0, 0)
    assert campaign_days(w, "linkedin")[2:] == [
        ("2026-09-22", "891400002", "CFO Webinar - Lead Gen", 800, 4, Decimal("25.25"), 1.0),
        ("2026-09-22", "891400001", "Ops Leaders - Website Visits", 1850, 8, Decimal("36.00"), 0.0),
    ]
    assert w.q("select sum(spend_local) from ad_spend where date = '2026-09-21'") == [(Decimal("95.10"),)]


META_IDS_HEADER = "\ufeffReporting starts,Reporting ends,Campaign name,Campaign ID,Day,Impressions,Amount spent (USD),Account name"


def test_meta_default_export_loads_by_campaign_name(load_files):
    w = load_files(META_DEFAULT)
    assert counts(w, Path(META_DEFAULT).name) == (2, 2, 0, 0, 0)
    assert w.q("select account_id, campaign_id, campaign_name, spend_local from ad_spend order by 3") == [
        ("", None, "Brand Awareness Q1", Decimal("40.00")),
        ("", None, "Spring Sale - Prospecting", Decimal("100.00")),
    ]


@pytest.mark.parametrize("ids_first", [True, False])
def test_exports_with_and_without_campaign_id_count_a_campaign_once(load_files, tmp_path, ids_first):
    """The same two campaigns on Mar 7 from an export with IDs (90.00 + 45.00 = 135.00) and from the
    default export (100.00 + 40.00 = 140.00): two campaign days, the newer file's numbers."""
    ids = tmp_path / "Example-Co-Ads-Campaigns-Mar-7-2026-Mar-7-2026.csv"
    ids.write_text("\n".join([
        META_IDS_HEADER,
        "2026-03-07,2026-03-07,Spring Sale - Prospecting,120208123456789012,2026-03-07,8800,90.00,Example Co Ads",
        "2026-03-07,2026-03-07,Brand Awareness Q1,120208123456789013,2026-03-07,43000,45.00,Example Co Ads",
    ]) + "\n", encoding="utf-8")  # fmt: skip
    first, second = (ids, META_DEFAULT) if ids_first else (META_DEFAULT, ids)
    w = load_files(first)
    w.load(second)
    assert w.q("select account_id, campaign_id, spend_local from ad_spend order by campaign_id") == [
        ("Example Co Ads", "120208123456789012", Decimal("100.00") if ids_first else Decimal("90.00")),
        ("Example Co Ads", "120208123456789013", Decimal("40.00") if ids_first else Decimal("45.00")),
    ]


def test_google_default_report_without_campaign_id_loads_and_takes_the_id(load_files):
    w = load_files(GOOGLE_IDS, GOOGLE_DEFAULT)
    assert counts(w, Path(GOOGLE_DEFAULT).name) == (3, 3, 0, 0, 0)
    assert w.q(
        """select date::varchar, campaign_id, campaign_name, spend_local from ad_spend
           where date >= '2026-03-07' order by all"""
    ) == [
        ("2026-03-07", "12345678901", "Search - Brand", Decimal("41.20")),  # the ID from Campaign report.csv
        ("2026-03-07", None, "Performance Max - Spring", Decimal("29.95")),  # no export names its ID
        ("2026-03-08", "12345678901", "Search - Brand", Decimal("38.80")),
    ]


def test_campaign_id_is_not_required_by_any_ad_export():
    for name in AD_ADAPTERS:
        assert "campaign_id" not in {col.name for col in contract(name).required}, name


def test_meta_default_export_over_a_date_range_is_refused(load_files, tmp_path):
    lines = (EXPORTS / META_DEFAULT).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "Example-Co-Ads-Campaigns-1-Mar-20267-Mar-2026.csv"
    path.write_text("\n".join([lines[0], *(ln.replace("2026-03-07,2026-03-07", "2026-03-01,2026-03-07") for ln in lines[1:])]))
    w = load_files(path)
    [result] = w.results
    assert result.status == "failed"
    assert result.message.endswith(
        "without a breakdown by day (2 rows cover a date range). Expected: the report exported with "
        "Breakdown > By time > Day."
    )
    assert w.q("select count(*) from ad_spend") == [(0,)]


def adds_up(w) -> None:
    """rows_read = loaded + rejected + duplicate + merged for every file; ad files that loaded hold
    the same totals in the file and in the warehouse."""
    log = w.q(f"select file_name, status, adapter, {COUNTS}, invariant_ok, file_spend, stored_spend, "
              "file_impressions, stored_impressions, file_clicks, stored_clicks from load_log")  # fmt: skip
    assert [r for r in log if r[3] != r[4] + r[5] + r[6] + r[7]] == []
    ads = [r for r in log if r[2] in AD_ADAPTERS and r[1].startswith("loaded") and r[3]]
    assert ads and [r for r in ads if not (r[8] is True and r[9] == r[10] and r[11] == r[12] and r[13] == r[14])] == []


def test_every_fixture_export_adds_up(load_files):
    w = load_files(*sorted(p for p in EXPORTS.rglob("*") if p.is_file()))
    adds_up(w)


AD_FIXTURES = sorted(
    str(p.relative_to(EXPORTS)) for c in ad_contracts() for p in (EXPORTS / c.source).iterdir()
)  # every ad platform has a fixture folder named by its contract's source


@pytest.mark.parametrize("path", AD_FIXTURES)
def test_each_ad_fixture_alone_lands_in_ad_spend_whole(load_files, path):
    """Loaded alone, an ad export's totals in ad_spend are the file's (load_log file_*)."""
    w = load_files(path)
    log = w.log(Path(path).name)
    if log["status"] == "failed":  # refused exports load nothing
        assert w.q("select count(*) from ad_spend") == [(0,)]
        return
    assert w.q("select sum(spend_local), sum(impressions), sum(clicks) from ad_spend") == [
        (log["file_spend"], log["file_impressions"], log["file_clicks"])
    ]


def test_demo_exports_add_up(demo_warehouse, load_files):
    exports, _db, results = demo_warehouse
    assert [r.path.name for r in results if not r.ok] == []
    for r in results:
        c = r.counts
        assert c.rows_read == c.rows_loaded + c.rows_rejected + c.rows_duplicate + c.rows_merged, r.path.name
        if r.adapter in AD_ADAPTERS:
            assert c.invariant_ok and (c.file_spend, c.file_impressions, c.file_clicks) == (
                c.stored_spend, c.stored_impressions, c.stored_clicks,
            ), r.path.name  # fmt: skip
    ads = [p for p in sorted(exports.rglob("*")) if p.parent.name in ("meta", "google_ads", "linkedin")]
    w = load_files(ads[0])  # the first export alone: all of it in ad_spend
    log = w.log(ads[0].name)
    assert w.q("select sum(spend_local), sum(impressions), sum(clicks) from ad_spend") == [
        (log["file_spend"], log["file_impressions"], log["file_clicks"])
    ]


def test_a_file_that_would_break_the_invariant_is_refused_and_loads_nothing(load_files, monkeypatch):
    """Staging that loses a row (here made to, after the real insert) fails the file, both sides logged."""
    real = etl.staging.insert_stg

    def losing_a_row(con, c):
        n = real(con, c)
        execute(con, f"delete from {c.stg_table} where source_line = (select max(source_line) from {c.stg_table})")
        return n

    monkeypatch.setattr(etl.staging, "insert_stg", losing_a_row)
    w = load_files(LI_DAILY)
    [result] = w.results
    assert result.status == "failed"
    assert result.message.startswith("campaign_891400001.csv: does not add up, so nothing was loaded: 1 campaign days")
    log = w.log("campaign_891400001.csv")
    # the last line (CFO_Ad_1, 9/22: 25.25) is lost: 165.35 in the file, 140.10 kept
    assert (log["invariant_ok"], log["file_spend"], log["stored_spend"]) == (False, Decimal("165.35"), Decimal("140.10"))
    assert w.q("select count(*) from stg_linkedin__campaign_days") == [(0,)]
    assert w.q("select count(*) from ad_spend") == [(0,)]


def test_summary_shows_merged_within_80_columns(load_files):
    w = load_files(LI_DAILY, META_AGE)
    console = Console(width=80, record=True, color_system=None)
    console.print(summary_table(w.results, Path("data/warehouse.duckdb")))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "merged" in text
    # read, loaded, merged, rejected, duplicate, skipped beside the file name
    assert [line.split() for line in text.splitlines() if "campaign_891400001" in line] == [
        ["campaign_891400001.csv", "7", "4", "3", "0", "0", "0"]
    ]


def test_a_warehouse_from_before_the_invariant_gets_its_columns(tmp_path, monkeypatch):
    """load_log of an older warehouse lacks the invariant's columns: a load adds them in place."""
    import duckdb

    from etl.loader import load

    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            """create table load_log (load_id integer primary key, file_name varchar, file_sha256 varchar,
               adapter varchar, started_at timestamp, finished_at timestamp, rows_read bigint, rows_loaded bigint,
               rows_rejected bigint, rows_duplicate bigint, rows_skipped bigint, status varchar, message varchar,
               file_path varchar, encoding varchar, delimiter varchar, header_line integer, date_order varchar)"""
        )
        # staging as an older Revline left it: without the breakdown columns of the contract
        con.execute("create table raw_linkedin__campaign_days (load_id integer, source_line integer, date varchar)")
        con.execute(
            """create table stg_linkedin__campaign_days (load_id integer, source_line integer, date date,
               row_hash varchar)"""
        )
    [result] = load([EXPORTS / LI_DAILY], db)
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select rows_merged, invariant_ok from load_log").fetchall() == [(3, True)]
        assert con.execute("select count(distinct ad_id) from stg_linkedin__campaign_days").fetchall() == [(4,)]


def test_google_ad_group_and_tiktok_ad_reports_sum_to_campaign_days(load_files, tmp_path):
    google = tmp_path / "Ad group report.csv"
    google.write_text("\r\n".join([
        "Ad group report", '"March 7, 2026 - March 7, 2026"',
        "Ad group status,Ad group,Campaign,Day,Currency code,Cost,Impr.,Clicks",
        "Enabled,Brand - Exact,Search - Brand,2026-03-07,USD,20.00,600,30",
        "Enabled,Brand - Phrase,Search - Brand,2026-03-07,USD,21.20,610,25",
        "Total: Ad groups, --, --,,USD,41.20,1210,55",
    ]) + "\r\n", encoding="utf-8")  # fmt: skip
    tiktok = tmp_path / "Custom report 2026-03-07 ads.csv"
    tiktok.write_text("\n".join([
        "By Day,Campaign name,Campaign ID,Ad group name,Ad name,Ad ID,Cost,Impressions,Reach,Clicks (destination)",
        "2026-03-07,Spring Sale TT,1791234567890123456,Broad,Video A,1800000000000000001,10.00,4000,3500,40",
        "2026-03-07,Spring Sale TT,1791234567890123456,Broad,Video B,1800000000000000002,10.00,4000,3500,40",
    ]) + "\n", encoding="utf-8")  # fmt: skip
    w = load_files(google, tiktok)
    assert counts(w, google.name) == (2, 1, 1, 0, 0)
    assert counts(w, tiktok.name) == (2, 1, 1, 0, 0)  # two ads with the same numbers: both count
    assert w.q("select platform, campaign_name, impressions, clicks, spend_local from ad_spend order by 1") == [
        ("google_ads", "Search - Brand", 1210, 55, Decimal("41.20")),  # 600 + 610; 30 + 25; 20.00 + 21.20
        ("tiktok", "Spring Sale TT", 8000, 80, Decimal("20.00")),  # 4000 + 4000; 40 + 40; 10.00 + 10.00
    ]


def test_a_dutch_linkedin_report_without_a_daily_breakdown_is_refused_too(tmp_path):
    """The Dutch UI writes "Begindatum van rapport: 21 september 2026": a report over three days
    whose every ad row is dated its first day is refused like the English one, not stored on Sep 21."""
    from etl.loader import load

    header = "Begindatum (in UTC)\tAccountnaam\tValuta\tCampagne-ID\tCampagnenaam\tAdvertentienaam\tTotaal besteed\tWeergaven\tKlikken"
    lines = [
        "Rapport met advertentieprestaties (in UTC)",
        "Begindatum van rapport: 21 september 2026 00:00",
        "Einddatum van rapport: 23 september 2026 23:59",
        "Datum aangemaakt: 24 september 2026 07:06",
        "",
        header,
        '21-9-2026\tVoorbeeld B.V.\tEUR\t1224430799\tNajaar\tAdvertentie_1\t"9,36"\t293\t1',
        '21-9-2026\tVoorbeeld B.V.\tEUR\t1224430799\tNajaar\tAdvertentie_2\t"1,11"\t47\t0',
    ]
    path = tmp_path / "export-nl.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (r,) = load([path], tmp_path / "w.duckdb")
    assert r.status == "failed"
    assert "all 2 rows are dated 2026-09-21, the report start, though the report covers 2026-09-21 to 2026-09-23" in r.message
    assert r.message.endswith("Expected: the report exported with Time breakdown: Daily.")
