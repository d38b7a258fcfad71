"""Meta Ads Manager exports through the real loader: BOM + (USD), an EUR account, the French
cp1252 ';' export, XLSX, and the whole-range export without a Day column (refused)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

USD = "meta/Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv"
EUR = "meta/Example-GmbH-Campaigns-Mar-1-2026-Mar-3-2026.csv"
FR = "meta/Exemple-SARL-Campagnes-1-mars-2026-3-mars-2026.csv"
XLSX = "meta/Example-Co-Ads-Campaigns-Mar-4-2026-Mar-6-2026.xlsx"
WHOLE_RANGE = "meta/Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv"
FILES = [USD, EUR, FR, XLSX]


def name(path: str) -> str:
    return path.rsplit("/", 1)[1]


def spend_rows(loaded, account: str) -> list[tuple]:
    return loaded.q(
        """select date, campaign_id, campaign_name, impressions, clicks, spend, currency, spend_local,
                  conversions, conversion_value
           from ad_spend where platform = 'meta' and account_id = ? order by date, campaign_id""",
        [account],
    )


def test_load_log_counts_and_adapter(loaded):
    expected = {  # file: (rows_read, loaded, rejected, duplicate, skipped, encoding, delimiter)
        USD: (5, 5, 0, 0, 0, "utf-8-sig", ","),
        EUR: (3, 3, 0, 0, 0, "utf-8-sig", ","),
        FR: (3, 3, 0, 0, 0, "cp1252", ";"),
        XLSX: (3, 3, 0, 0, 0, "", "\x1f"),
    }
    for path, (read, ok, rejected, dup, skipped, encoding, delimiter) in expected.items():
        log = loaded.log(name(path))
        assert (log["adapter"], log["status"], log["message"]) == ("meta_ads", "loaded", "")
        counts = tuple(log[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"))
        assert (*counts, log["rows_skipped"]) == (read, ok, rejected, dup, skipped), path
        assert (log["encoding"], log["delimiter"], log["header_line"]) == (encoding, delimiter, 1), path
    assert all(r.ok for r in loaded.results)
    assert loaded.q("select count(*) from rejected_rows") == [(0,)]


def test_column_types(loaded):
    stg = loaded.types("stg_meta__campaign_days")
    assert (stg["date"], stg["campaign_id"], stg["spend"], stg["impressions"], stg["results"]) == (
        "DATE", "VARCHAR", "DECIMAL(18,2)", "BIGINT", "DOUBLE",
    )  # fmt: skip
    spend = loaded.types("ad_spend")
    assert {k: spend[k] for k in ("date", "campaign_id", "spend", "spend_local", "conversion_value")} == {
        "date": "DATE", "campaign_id": "VARCHAR", "spend": "DECIMAL(18,2)",
        "spend_local": "DECIMAL(18,2)", "conversion_value": "DECIMAL(18,2)",
    }  # fmt: skip
    assert (spend["impressions"], spend["clicks"], spend["conversions"]) == ("BIGINT", "BIGINT", "DOUBLE")


def test_bom_and_usd_header_currency(loaded):
    """UTF-8 BOM before "Reporting starts"; blank metrics are 0; only `actions:*` results are
    conversions ("reach" is not); "1,234.50" typed by hand keeps its value."""
    d = Decimal
    assert spend_rows(loaded, "Example Co Ads")[:5] == [
        (date(2026, 3, 1), "120208123456789012", "Spring Sale - Prospecting", 10000, 250, d("123.45"), "USD",
         d("123.45"), 12.0, d("0.00")),
        (date(2026, 3, 1), "120208123456789013", "Brand Awareness Q1", 49500, 0, d("45.00"), "USD", d("45.00"),
         0.0, d("0.00")),
        (date(2026, 3, 2), "120208123456789012", "Spring Sale - Prospecting", 8400, 180, d("98.76"), "USD",
         d("98.76"), 9.0, d("0.00")),
        (date(2026, 3, 2), "120208123456789013", "Brand Awareness Q1", 0, 0, d("0.00"), "USD", d("0.00"), 0.0,
         d("0.00")),
        (date(2026, 3, 3), "120208123456789014", "Retargeting \u2013 Cart", 3000, 45, d("60.00"), "USD", d("60.00"),
         3.0, d("1234.50")),
    ]  # fmt: skip
    # the BOM is not part of the first header: "Reporting starts" was found and typed
    assert loaded.q(
        "select min(reporting_starts), max(reporting_ends) from stg_meta__campaign_days s "
        "join load_log l using (load_id) where l.file_name = ?",
        [name(USD)],
    ) == [(date(2026, 3, 1), date(2026, 3, 3))]


def test_eur_account_converted_with_config_fx(loaded):
    """`Amount spent (EUR)` and no Currency column: currency EUR from the header, spend x 1.08."""
    assert [(r[0], r[5], r[6], r[7]) for r in spend_rows(loaded, "Example GmbH")] == [
        (date(2026, 3, 1), Decimal("108.00"), "EUR", Decimal("100.00")),
        (date(2026, 3, 2), Decimal("270.54"), "EUR", Decimal("250.50")),
        (date(2026, 3, 3), Decimal("1.07"), "EUR", Decimal("0.99")),
    ]
    assert loaded.q(
        "select distinct currency from stg_meta__campaign_days s join load_log l using (load_id) "
        "where l.file_name = ?",
        [name(EUR)],
    ) == [("EUR",)]


def test_french_cp1252_semicolon_decimal_comma(loaded):
    """`Jour`, `Nom de la campagne`, `Montant dépensé (EUR)`; "1 234,56" and no-break-space thousands;
    dd/mm/yyyy dates that never pass 12 are read day first (the ';' + decimal comma locale)."""
    rows = spend_rows(loaded, "Exemple SARL")
    assert [(r[0], r[1], r[2], r[3], r[4], r[7], r[5], r[6]) for r in rows] == [
        (date(2026, 3, 1), "120208555000000001", "Soldes de printemps", 12345, 310, Decimal("1234.56"),
         Decimal("1333.32"), "EUR"),
        (date(2026, 3, 2), "120208555000000001", "Soldes de printemps", 9870, 205, Decimal("987.65"),
         Decimal("1066.66"), "EUR"),
        (date(2026, 3, 3), "120208555000000002", "Notoriété marque", 2000, 0, Decimal("0.50"), Decimal("0.54"),
         "EUR"),
    ]  # fmt: skip
    assert loaded.log(name(FR))["date_order"] == "dmy"


def test_xlsx_numeric_cells(loaded):
    rows = loaded.q(
        """select s.date, s.campaign_id, s.impressions, s.clicks, s.spend, s.results, s.currency, s.source_line
           from stg_meta__campaign_days s join load_log l using (load_id) where l.file_name = ? order by s.date""",
        [name(XLSX)],
    )
    assert rows == [
        (date(2026, 3, 4), "120208123456789012", 9000, 150, Decimal("111.11"), 10.0, "USD", 2),
        (date(2026, 3, 5), "120208123456789012", 7600, 150, Decimal("87.50"), 7.0, "USD", 3),
        (date(2026, 3, 6), "120208123456789012", 5100, 150, Decimal("64.25"), 4.0, "USD", 4),
    ]


def test_18_digit_campaign_ids_stay_exact_text(loaded):
    ids = {r[0] for r in loaded.q("select distinct campaign_id from ad_spend")}
    assert ids == {
        "120208123456789012", "120208123456789013", "120208123456789014", "120208987654321001",
        "120208555000000001", "120208555000000002",
    }  # fmt: skip


def test_whole_range_export_is_refused(load_files):
    w = load_files(WHOLE_RANGE)
    [result] = w.results
    assert result.status == "failed"
    assert result.message == (
        "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv: is a Meta Ads Manager campaign report (by day) "
        "without a breakdown by day (2 rows cover a date range). "
        "Expected: the report exported with Breakdown > By time > Day."
    )
    log = w.log(name(WHOLE_RANGE))
    assert (log["status"], log["rows_read"], log["rows_loaded"]) == ("failed", 0, 0)
    for table in ("raw_meta__campaign_days", "stg_meta__campaign_days", "ad_spend", "rejected_rows"):
        assert w.q(f"select count(*) from {table}") == [(0,)], table


def test_whole_range_export_of_a_single_day_loads(load_files, tmp_path):
    """Without a Day column but with Reporting starts = Reporting ends, each row is that day."""
    text = (
        "\ufeffReporting starts,Reporting ends,Campaign name,Campaign ID,Impressions,Amount spent (USD)\n"
        "2026-03-01,2026-03-01,Spring Sale - Prospecting,120208123456789012,10000,123.45\n"
    )
    path = tmp_path / "one-day.csv"
    path.write_text(text, encoding="utf-8")
    w = load_files(path)
    assert w.results[0].status == "loaded", w.results[0].message
    assert w.q("select date, campaign_id, spend from ad_spend") == [
        (date(2026, 3, 1), "120208123456789012", Decimal("123.45"))
    ]


def test_an_empty_report_says_no_data_and_loads_nothing(tmp_path):
    """Ads Manager writes its literal "No data available." line under the header of an empty
    report: not a record to reject, a row to skip; the load says there were no records."""
    from etl.loader import load

    path = tmp_path / "Example-Campaigns-1-Sep-2024-30-Sep-2024.csv"
    path.write_text(
        "\ufeffReporting starts,Reporting ends,Campaign name,Campaign ID,Day,Impressions,Amount spent (USD)\n"
        "No data available.\n",
        encoding="utf-8",
    )
    (r,) = load([path], tmp_path / "w.duckdb")
    c = r.counts
    assert (r.status, c.rows_read, c.rows_rejected, c.rows_skipped) == ("loaded", 0, 0, 1)
    assert "no records after the header" in r.message
