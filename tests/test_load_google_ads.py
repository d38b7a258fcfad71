"""Google Ads campaign reports through the real loader: the UTF-16LE tab-separated "Excel .csv" and
the plain UTF-8 CSV, both with the 2 preamble lines and `Total:` rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

EXCEL = "google_ads/Campaign report (Excel).csv"
PLAIN = "google_ads/Campaign report.csv"
FILES = [EXCEL, PLAIN]
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def test_load_log_counts_and_adapter(loaded):
    expected = {  # read, loaded, rejected, duplicate, skipped (Total: rows), encoding, delimiter
        "Campaign report (Excel).csv": (4, 4, 0, 0, 3, "utf-16-le", "\t"),
        "Campaign report.csv": (3, 3, 0, 0, 2, "utf-8", ","),
    }
    for file_name, (read, ok, rejected, dup, skipped, encoding, delimiter) in expected.items():
        log = loaded.log(file_name)
        assert (log["adapter"], log["status"]) == ("google_ads", "loaded")
        assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
                log["rows_skipped"]) == (read, ok, rejected, dup, skipped), file_name  # fmt: skip
        assert (log["encoding"], log["delimiter"], log["header_line"]) == (encoding, delimiter, 3)


def test_column_types(loaded):
    stg = loaded.types("stg_google_ads__campaign_days")
    assert [stg[c] for c in ("date", "campaign_id", "spend", "impressions", "clicks", "conversions")] == [
        "DATE", "VARCHAR", "DECIMAL(18,2)", "BIGINT", "BIGINT", "DOUBLE",
    ]  # fmt: skip
    assert loaded.types("ad_spend")["spend"] == "DECIMAL(18,2)"


def test_utf16_excel_csv_values_and_physical_lines(loaded):
    """Line 1 report name, line 2 date range, line 3 header: data starts on line 4."""
    rows = loaded.q(
        """select s.source_line, s.date, s.campaign_status, s.campaign_name, s.campaign_id, s.spend,
                  s.impressions, s.clicks, s.conversions, s.conversion_value
           from stg_google_ads__campaign_days s join load_log l using (load_id)
           where l.file_name = 'Campaign report (Excel).csv' order by s.source_line"""
    )
    d = Decimal
    assert rows == [
        (4, date(2026, 3, 1), "Enabled", "Search - Brand", "12345678901", d("1033.33"), 12345, 456, 12.0,
         d("1440.00")),
        (5, date(2026, 3, 1), "Enabled", "Search - Generic", "12345678902", d("250.00"), 5000, 130, 0.0, d("0.00")),
        (6, date(2026, 3, 2), "Enabled", "Search - Brand", "12345678901", d("987.65"), 11002, 401, 10.5,
         d("1260.00")),
        (7, date(2026, 3, 2), "Paused", "Search - Generic", "12345678902", d("0.00"), 0, 0, 0.0, d("0.00")),
    ]  # fmt: skip


def test_plain_csv_thousands_percent_and_double_dash(loaded):
    """`"1,033.33"` -> 1033.33, `"12,345"` -> 12345, `--` -> NULL in staging and 0 in ad_spend."""
    stg = loaded.q(
        """select s.date, s.campaign_id, s.spend, s.impressions, s.conversions, s.conversion_value
           from stg_google_ads__campaign_days s join load_log l using (load_id)
           where l.file_name = 'Campaign report.csv' order by s.source_line"""
    )
    assert stg == [
        (date(2026, 3, 3), "12345678901", Decimal("1033.33"), 12345, None, None),
        (date(2026, 3, 3), "12345678902", Decimal("12.34"), 1000, 1.0, Decimal("99.00")),
        (date(2026, 3, 4), "12345678901", Decimal("2100.00"), 20001, 20.0, Decimal("2400.50")),
    ]
    assert loaded.q(
        "select spend, conversions, conversion_value, currency, channel from ad_spend "
        "where campaign_id = '12345678901' and date = '2026-03-03'"
    ) == [(Decimal("1033.33"), 0.0, Decimal("0.00"), "USD", "paid_search")]


def test_total_rows_are_skipped_not_loaded(loaded):
    assert loaded.q("select count(*), sum(spend) from ad_spend where platform = 'google_ads'") == [
        (7, Decimal("5416.65"))
    ]
    assert loaded.q("select count(*) from stg_google_ads__campaign_days where campaign_name like 'Total%' "
                    "or date is null") == [(0,)]  # fmt: skip
    assert loaded.q("select count(*) from rejected_rows") == [(0,)]


def test_same_rows_downloaded_again_are_duplicates(load_files, tmp_path):
    """A re-download (new date range line, so new bytes) with the same rows changes nothing."""
    again = tmp_path / "Campaign report (1).csv"
    again.write_bytes((EXPORTS / PLAIN).read_bytes().replace(b"March 4, 2026", b"March 5, 2026"))
    w = load_files(PLAIN)
    w.load(again)
    log = w.log(again.name)
    assert (log["status"], log["rows_read"], log["rows_loaded"], log["rows_duplicate"]) == ("loaded", 3, 0, 3)
    assert w.q("select count(*) from ad_spend") == [(3,)]
    assert w.q("select count(*) from stg_google_ads__campaign_days") == [(3,)]
    # and the very same file again is a duplicate file: nothing read into staging
    [same] = w.load(PLAIN)
    assert (same.status, same.counts.rows_duplicate, same.counts.rows_loaded) == ("duplicate_file", 3, 0)
    assert w.q("select count(*) from stg_google_ads__campaign_days") == [(3,)]
