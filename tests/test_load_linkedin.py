"""LinkedIn Campaign Manager campaign performance report through the real loader: preamble lines and a
blank line above the header, M/D/YYYY dates, a Total row, spend in EUR."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FILES = ["linkedin/campaign_performance_report.csv"]


def test_load_log_counts_and_adapter(loaded):
    log = loaded.log("campaign_performance_report.csv")
    assert (log["adapter"], log["status"], log["header_line"], log["date_order"]) == (
        "linkedin_ads", "loaded", 7, "mdy",
    )  # fmt: skip
    # the Total row is skipped; the preamble is above the header and not counted at all
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
            log["rows_skipped"]) == (4, 4, 0, 0, 1)  # fmt: skip


def test_column_types(loaded):
    stg = loaded.types("stg_linkedin__campaign_days")
    assert [stg[c] for c in ("date", "campaign_id", "spend", "impressions", "platform_leads")] == [
        "DATE", "VARCHAR", "DECIMAL(18,2)", "BIGINT", "DOUBLE",
    ]  # fmt: skip


def test_staging_lines_and_mdy_dates(loaded):
    assert loaded.q(
        "select source_line, date, campaign_id, currency, spend from stg_linkedin__campaign_days order by source_line"
    ) == [
        (8, date(2026, 3, 1), "512345678", "EUR", Decimal("120.50")),
        (9, date(2026, 3, 1), "512345679", "EUR", Decimal("80.00")),
        (10, date(2026, 3, 2), "512345678", "EUR", Decimal("99.99")),
        (11, date(2026, 3, 2), "512345679", "EUR", Decimal("0.00")),
    ]


def test_ad_spend_in_reporting_currency_with_eur_kept(loaded):
    """Spend x 1.08 (config [fx] EUR); conversions = Conversions + Leads (lead-gen forms)."""
    d = Decimal
    assert loaded.q(
        """select date, account_id, campaign_group, campaign_name, spend, currency, spend_local, conversions,
                  conversion_value, impressions, clicks, channel
           from ad_spend where platform = 'linkedin' order by date, campaign_id"""
    ) == [
        (date(2026, 3, 1), "Example Co EU", "Q1 Demand", "Ops Leaders - Lead Gen", d("130.14"), "EUR",
         d("120.50"), 5.0, d("0.00"), 4100, 37, "paid_social"),
        (date(2026, 3, 1), "Example Co EU", "Q1 Demand", "CFO Webinar", d("86.40"), "EUR", d("80.00"), 2.0,
         d("162.00"), 2500, 20, "paid_social"),
        (date(2026, 3, 2), "Example Co EU", "Q1 Demand", "Ops Leaders - Lead Gen", d("107.99"), "EUR",
         d("99.99"), 3.0, d("0.00"), 3800, 31, "paid_social"),
        (date(2026, 3, 2), "Example Co EU", "Q1 Demand", "CFO Webinar", d("0.00"), "EUR", d("0.00"), 0.0,
         d("0.00"), 0, 0, "paid_social"),
    ]  # fmt: skip
