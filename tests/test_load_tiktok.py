"""TikTok Ads Manager reports through the real loader: CSV and XLSX, `-` placeholders, 19-digit IDs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

CSV = "tiktok/Custom report 2026-03-01 to 2026-03-02.csv"
XLSX = "tiktok/Custom report 2026-03-03 to 2026-03-03.xlsx"
FILES = [CSV, XLSX]


def test_load_log_counts_and_adapter(loaded):
    for file_name, read, encoding in (
        ("Custom report 2026-03-01 to 2026-03-02.csv", 4, "utf-8"),
        ("Custom report 2026-03-03 to 2026-03-03.xlsx", 3, ""),
    ):
        log = loaded.log(file_name)
        assert (log["adapter"], log["status"], log["encoding"], log["header_line"]) == (
            "tiktok_ads", "loaded", encoding, 1,
        )  # fmt: skip
        assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
                log["rows_skipped"]) == (read, read, 0, 0, 0)  # fmt: skip


def test_column_types(loaded):
    stg = loaded.types("stg_tiktok__campaign_days")
    assert [stg[c] for c in ("date", "campaign_id", "spend", "impressions", "clicks", "conversions")] == [
        "DATE", "VARCHAR", "DECIMAL(18,2)", "BIGINT", "BIGINT", "DOUBLE",
    ]  # fmt: skip


def test_19_digit_ids_stay_exact_text(loaded):
    """1791234567890123456 is not representable as a double: it must never pass through a number."""
    assert loaded.q("select distinct campaign_id from ad_spend where platform = 'tiktok' order by 1") == [
        ("1791234567890123456",), ("1791234567890123457",), ("1809876543210987654",),
    ]  # fmt: skip
    assert loaded.q("select distinct campaign_id from stg_tiktok__campaign_days order by 1") == [
        ("1791234567890123456",), ("1791234567890123457",), ("1809876543210987654",),
    ]  # fmt: skip


def test_values_placeholders_and_default_currency(loaded):
    """`-` is a placeholder (NULL in staging, 0 in ad_spend); "1,204.10" -> 1204.10; no currency column,
    so the account default (config [accounts] default_currency = USD) applies."""
    stg = loaded.q(
        "select date, campaign_id, spend, impressions, clicks, conversions, currency from stg_tiktok__campaign_days "
        "order by date, campaign_id"
    )
    d = Decimal
    assert stg == [
        (date(2026, 3, 1), "1791234567890123456", d("45.67"), 12000, 150, 5.0, "USD"),
        (date(2026, 3, 1), "1791234567890123457", d("20.00"), 8000, 40, None, "USD"),
        (date(2026, 3, 2), "1791234567890123456", d("1204.10"), 250000, 3100, 62.0, "USD"),
        (date(2026, 3, 2), "1791234567890123457", d("0.00"), 0, 0, None, "USD"),
        (date(2026, 3, 3), "1791234567890123456", d("50.50"), 13000, 160, 6.0, "USD"),
        (date(2026, 3, 3), "1791234567890123457", d("19.99"), 7000, 35, None, "USD"),
        (date(2026, 3, 3), "1809876543210987654", d("5.00"), 900, 3, None, "USD"),
    ]
    assert loaded.q(
        "select count(*), sum(spend), sum(conversions), min(channel), max(channel) from ad_spend "
        "where platform = 'tiktok'"
    ) == [(7, d("1345.26"), 73.0, "paid_social", "paid_social")]
