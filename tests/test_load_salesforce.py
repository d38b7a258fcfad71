"""Salesforce report exports through the real loader: Details Only CSV (every value quoted, LF,
cp1252, embedded newline, footer block), en_US and en_GB datetimes, opportunities with `$12,400.00`
and `Amount Currency`, and an activities "Formatted Report" XLSX (title rows, Grand Totals)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from etl.config import REPO, load_config
from etl.contracts import contract
from etl.loader import load

LEADS_US = "salesforce/report1772633640000.csv"
LEADS_GB = "salesforce/report1772633640001.csv"
OPPS = "salesforce/report1772633640002.csv"
ACTIVITIES = "salesforce/Activities with Leads-2026-03-12-10-02-11.xlsx"
FILES = [LEADS_US, LEADS_GB, OPPS, ACTIVITIES]
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def test_load_log_counts_and_adapter(loaded):
    expected = {  # adapter, read (= loaded), skipped, encoding, header line, date order
        LEADS_US: ("salesforce_leads", 4, 6, "cp1252", 1, "mdy"),  # blank line + 5 footer lines
        LEADS_GB: ("salesforce_leads", 3, 6, "utf-8", 1, "dmy"),  # 13/03/2026 settles day first
        OPPS: ("salesforce_opportunities", 4, 6, "utf-8", 1, "mdy"),
        ACTIVITIES: ("salesforce_activities", 5, 1, "", 7, "mdy"),  # title rows above, Grand Totals below
    }
    for path, (adapter, n, skipped, encoding, header_line, order) in expected.items():
        log = loaded.log(Path(path).name)
        assert (log["adapter"], log["status"], log["encoding"], log["header_line"], log["date_order"]) == (
            adapter, "loaded", encoding, header_line, order,
        ), path  # fmt: skip
        assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
                log["rows_skipped"]) == (n, n, 0, 0, skipped), path  # fmt: skip


def test_column_types(loaded):
    stg = loaded.types("stg_salesforce__leads")
    assert [stg[c] for c in ("lead_id", "created_at", "mql_at", "is_converted", "converted_at")] == [
        "VARCHAR", "TIMESTAMP", "TIMESTAMP", "BOOLEAN", "TIMESTAMP",
    ]  # fmt: skip
    opp = loaded.types("stg_salesforce__opportunities")
    assert [opp[c] for c in ("amount", "probability", "closed_at", "created_at")] == [
        "DECIMAL(18,2)", "DOUBLE", "TIMESTAMP", "TIMESTAMP",
    ]  # fmt: skip
    assert loaded.types("stg_salesforce__activities")["activity_date"] == "DATE"
    assert loaded.types("activities")["occurred_at"] == "TIMESTAMP"
    assert loaded.types("deals")["amount"] == "DECIMAL(18,2)"


def test_en_us_datetimes_in_new_york_become_utc(loaded):
    """`3/4/2026 9:14 AM` America/New_York (EST) = 2026-03-04 14:14 UTC; `3/10/2026 11:45 PM` is after
    the 8 March DST switch (EDT) = 2026-03-11 03:45 UTC."""
    assert loaded.q(
        """select lead_id, created_at, mql_at from stg_salesforce__leads where lead_id like '00Q5g00000AbCd%'
           order by lead_id"""
    ) == [
        ("00Q5g00000AbCdEEA1", datetime(2026, 3, 4, 14, 14), datetime(2026, 3, 4, 14, 30)),
        ("00Q5g00000AbCdEEA2", datetime(2026, 3, 4, 19, 5), datetime(2026, 3, 5, 13, 0)),
        ("00Q5g00000AbCdEEA3", datetime(2026, 3, 11, 3, 45), None),
        ("00Q5g00000AbCdEEA4", datetime(2026, 3, 2, 12, 0), None),
    ]


def test_en_gb_day_first_settled_by_a_day_above_12(loaded):
    """`04/03/2026 09:14` is 4 March because another row has `13/03/2026 16:40`."""
    assert loaded.q(
        "select lead_id, created_at, mql_at from stg_salesforce__leads where lead_id like '00Q5g00000GbUk%' "
        "order by lead_id"
    ) == [
        ("00Q5g00000GbUkEEA1", datetime(2026, 3, 4, 14, 14), datetime(2026, 3, 4, 15, 0)),
        ("00Q5g00000GbUkEEA2", datetime(2026, 3, 13, 20, 40), None),
        ("00Q5g00000GbUkEEA3", datetime(2026, 3, 2, 13, 5), None),
    ]


def test_cp1252_accents_and_embedded_newline_line_numbers(loaded):
    """Lead 2's Street holds a line break: it spans lines 3-4, so lead 3 starts on physical line 5."""
    assert loaded.q(
        """select source_line, lead_id, owner, company, lead_source from stg_salesforce__leads
           where lead_id like '00Q5g00000AbCd%' order by source_line"""
    ) == [
        (2, "00Q5g00000AbCdEEA1", "José Núñez", "Café Lumière SARL", "Web"),
        (3, "00Q5g00000AbCdEEA2", "José Núñez", "Nordic Example AB", "Partner Referral"),
        (5, "00Q5g00000AbCdEEA3", "Priya Raman", "Crème Example Ltd", "Purchased List"),
        (6, "00Q5g00000AbCdEEA4", "Priya Raman", "Example Çorp", "Web"),
    ]


def test_leads_with_activities_and_opportunities(loaded):
    """First touch = earliest rep activity (the 9:15 AM Pardot email by Automated Process is not one);
    opportunity time = the converted opportunity's Created Date; customer = its close date."""
    assert loaded.q(
        """select lead_id, channel, lifecycle_stage, first_touch_at, opportunity_at, customer_at::date
           from leads where lead_id like '00Q5g00000AbCd%' order by lead_id"""
    ) == [
        ("00Q5g00000AbCdEEA1", "organic_search", "customer", datetime(2026, 3, 4, 14, 20),
         datetime(2026, 3, 6, 15, 0), date(2026, 3, 20)),
        ("00Q5g00000AbCdEEA2", "partner", "mql", datetime(2026, 3, 4, 20, 0), None, None),
        ("00Q5g00000AbCdEEA3", "outbound", "lead", datetime(2026, 3, 11, 14, 5), None, None),
        ("00Q5g00000AbCdEEA4", "organic_search", "lead", None, None, None),
    ]  # fmt: skip


def test_opportunities_money_currency_and_stages(loaded):
    """`$12,400.00` -> 12400.00 USD; `EUR 5,000.00` with Amount Currency EUR -> 5400.00 in USD (fx 1.08),
    5000.00 kept as amount_local; a blank Amount stays unknown."""
    d = Decimal
    assert loaded.q(
        """select deal_id, lead_id, stage, is_closed, is_won, amount, currency, amount_local, created_at,
                  closed_at::date, expected_close_at::date, forecast_category, channel, owner
           from deals order by deal_id"""
    ) == [
        ("0065g00000XyZaBAAV", "00Q5g00000AbCdEEA1", "Closed Won", True, True, d("12400.00"), "USD", d("12400.00"),
         datetime(2026, 3, 6, 15, 0), date(2026, 3, 20), None, "closed", "organic_search", "José Núñez"),
        ("0065g00000XyZaCAAV", None, "Negotiation/Review", False, False, d("5400.00"), "EUR", d("5000.00"),
         datetime(2026, 3, 10, 13, 0), None, date(2026, 4, 15), "commit", "organic_search", "Oliver Example"),
        ("0065g00000XyZaDAAV", None, "Prospecting", False, False, d("8750.50"), "USD", d("8750.50"),
         datetime(2026, 3, 11, 20, 30), None, date(2026, 5, 29), "pipeline", "outbound", "Priya Raman"),
        ("0065g00000XyZaEAAV", None, "Closed Lost", True, False, None, "USD", None,
         datetime(2026, 2, 26, 16, 0), date(2026, 3, 18), None, "omitted", "organic_search", "Priya Raman"),
    ]  # fmt: skip
    assert loaded.q("select probability from stg_salesforce__opportunities order by opportunity_id") == [
        (100.0,), (90.0,), (10.0,), (0.0,),
    ]  # fmt: skip


def test_formatted_report_activities(loaded):
    assert loaded.q(
        "select activity_id, lead_id, deal_id, owner, type, occurred_at, is_automated from activities "
        "order by occurred_at"
    ) == [
        ("00T5g00000Act0001AAA", "00Q5g00000AbCdEEA1", None, "Automated Process", "email",
         datetime(2026, 3, 4, 14, 15), True),
        ("00T5g00000Act0002AAA", "00Q5g00000AbCdEEA1", None, "José Núñez", "call", datetime(2026, 3, 4, 14, 20), False),
        ("00U5g00000Evt0001AAA", "00Q5g00000AbCdEEA2", None, "José Núñez", "meeting", datetime(2026, 3, 4, 20, 0),
         False),
        ("00T5g00000Act0003AAA", "00Q5g00000AbCdEEA3", None, "Priya Raman", "email", datetime(2026, 3, 11, 14, 5),
         False),
        ("00T5g00000Act0004AAA", None, "0065g00000XyZaDAAV", "Priya Raman", "other", datetime(2026, 3, 12, 12, 0),
         False),
    ]  # fmt: skip
    assert loaded.q(
        "select min(source_line), max(source_line), min(activity_date) from stg_salesforce__activities"
    ) == [(8, 12, date(2026, 3, 4))]


def test_no_personal_data_in_clear_anywhere(loaded):
    pii_headers = contract("salesforce_leads").pii
    personal = set()
    for path, encoding in ((LEADS_US, "cp1252"), (LEADS_GB, "utf-8")):
        for r in csv.DictReader(io.StringIO((EXPORTS / path).read_bytes().decode(encoding))):
            for h in pii_headers:
                personal |= {part.strip().lower() for part in (r.get(h) or "").split("\n") if part.strip()}
    assert {
        "lea.durande@example.com",
        "ståhlberg",
        "400 example ave",
        "suite 210",
        "+44 20 5550 0100",
    } <= personal
    cells = "\n".join(loaded.text_cells()).lower()
    assert "café lumière sarl" in cells  # the scan does see the loaded text
    assert [v for v in sorted(personal) if v in cells] == []
    hashes = loaded.q("select email_hash from leads")
    assert len(hashes) == 7 and all(len(h) == 64 and set(h) <= set("0123456789abcdef") for (h,) in hashes)


def test_ambiguous_day_month_order_follows_config(tmp_path):
    """An en_GB export with no day above 12: config [dates] ambiguous_order decides (default mdy)."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "channels.toml").write_bytes((REPO / "config" / "channels.toml").read_bytes())
    main = (REPO / "config" / "revline.toml").read_text(encoding="utf-8")
    assert 'ambiguous_order = "mdy"' in main
    (config / "revline.toml").write_text(main.replace('ambiguous_order = "mdy"', 'ambiguous_order = "dmy"'))
    created = {}
    for order, cfg in (("dmy", load_config(config)), ("mdy", load_config(REPO / "config"))):
        db = tmp_path / f"{order}.duckdb"
        [result] = load([EXPORTS / "salesforce/report1772633640003.csv"], db, cfg=cfg)
        assert (result.status, result.counts.date_order) == ("loaded", order)
        with duckdb.connect(str(db), read_only=True) as con:
            created[order] = con.execute("select created_at from leads order by lead_id").fetchall()
    assert created["dmy"] == [(datetime(2026, 3, 4, 14, 14),), (datetime(2026, 3, 2, 13, 5),)]
    assert created["mdy"] == [(datetime(2026, 4, 3, 13, 14),), (datetime(2026, 2, 3, 13, 5),)]
