"""A currency written inside an amount cell (`EUR 20,000.00`, `20.000,00 €`, `£1,000.00`, `$5`,
`¥300`, a code before or after) is that amount's currency, converted by config [fx]; a row whose
cell disagrees with its currency column, header or other amounts, or names a currency [fx] lacks,
is rejected with file, line and reason
(docs/decisions/0111-a-currency-written-in-an-amount-cell-is-that-currency.md). Real loader, real
DuckDB file; rates of config/revline.toml: EUR 1.08, GBP 1.27, CAD 0.73, USD 1.0."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from etl.loader import load

SF_OPPS = "Opportunity ID,Opportunity Owner,Stage,Amount,Close Date,Created Date"
SF_OPPS_CUR = "Opportunity ID,Opportunity Owner,Stage,Amount Currency,Amount,Close Date,Created Date"


def loaded(tmp_path: Path, name: str, lines: list[str]) -> duckdb.DuckDBPyConnection:
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load([tmp_path / name], db)
    return duckdb.connect(str(db), read_only=True)


def deals(con) -> dict[str, tuple]:
    rows = con.execute("select deal_id, amount_local, currency, amount from deals").fetchall()
    return {d: (local, cur, amount) for d, local, cur, amount in rows}


def rejects(con) -> dict[int, str]:
    return dict(con.execute("select line_number, reason from rejected_rows order by 1").fetchall())


def opp(n: int, amount: str, currency: str | None = None) -> str:
    cells = [f"0065g{n:010d}", "Dana", "Prospecting", *([currency] if currency is not None else []),
             f'"{amount}"' if "," in amount else amount, "3/20/2026", "3/4/2026 9:14 AM"]  # fmt: skip
    return ",".join(cells)


def test_the_cells_currency_is_used_without_a_currency_column(tmp_path):
    """No currency column: the cell's code or symbol wins over `[accounts] default_currency` (USD)."""
    lines = [SF_OPPS, opp(1, "EUR 20,000.00"), opp(2, "£1,000.00"), opp(3, "$5"), opp(4, "1,500.00 CAD"),
             opp(5, "2,000.00"), opp(6, "¥300"), opp(7, "CHF 100.00"), opp(8, "EUR12.50")]  # fmt: skip
    con = loaded(tmp_path, "report1772633650000.csv", lines)
    assert deals(con) == {
        "0065g0000000001": (Decimal("20000.00"), "EUR", Decimal("21600.00")),  # x 1.08, never 20,000 USD
        "0065g0000000002": (Decimal("1000.00"), "GBP", Decimal("1270.00")),  # x 1.27
        "0065g0000000003": (Decimal("5.00"), "USD", Decimal("5.00")),
        "0065g0000000004": (Decimal("1500.00"), "CAD", Decimal("1095.00")),  # x 0.73
        "0065g0000000005": (Decimal("2000.00"), "USD", Decimal("2000.00")),  # bare: the default currency
        "0065g0000000008": (Decimal("12.50"), "EUR", Decimal("13.50")),
    }
    assert rejects(con) == {
        7: "no exchange rate for currency 'JPY' in config [fx]",  # never 300 dollars
        8: "no exchange rate for currency 'CHF' in config [fx]",
    }


def test_a_cell_against_its_rows_currency_column_rejects_the_row(tmp_path):
    lines = [SF_OPPS_CUR, opp(1, "EUR 1,000.00", "EUR"), opp(2, "€1,000.00", "EUR"), opp(3, "EUR 1,000.00", "USD"),
             opp(4, "$1,000.00", "CAD"), opp(5, "$5.00", "EUR"), opp(6, "1,000.00", "GBP"),
             opp(7, "£250.00", "gbp"), opp(8, "1,000.00 USD", "")]  # fmt: skip
    con = loaded(tmp_path, "report1772633650001.csv", lines)
    assert deals(con) == {
        "0065g0000000001": (Decimal("1000.00"), "EUR", Decimal("1080.00")),
        "0065g0000000002": (Decimal("1000.00"), "EUR", Decimal("1080.00")),
        "0065g0000000004": (Decimal("1000.00"), "CAD", Decimal("730.00")),  # "$" in a CAD row is CAD
        "0065g0000000006": (Decimal("1000.00"), "GBP", Decimal("1270.00")),
        "0065g0000000007": (Decimal("250.00"), "GBP", Decimal("317.50")),
        "0065g0000000008": (Decimal("1000.00"), "USD", Decimal("1000.00")),  # blank currency cell: the amount's
    }
    assert rejects(con) == {
        4: "\"Amount\" value 'EUR 1,000.00' is in EUR, but the row's currency is USD",
        6: "\"Amount\" value '$5.00' is in USD, but the row's currency is EUR",
    }


def test_decimal_comma_amounts_with_symbols_and_a_header_currency(tmp_path):
    """Meta's header says the account currency ("Amount spent (EUR)"); a cell in another one is refused."""
    header = "Campaign name,Day,Campaign ID,Impressions,Link clicks,Amount spent (EUR),Results"
    rows = ["20.000,00 €", "1.234,56 EUR", "€ 7,50", "£1.000,00", "5,00 $"]
    lines = [header] + [f'Spring,2026-03-{i + 1:02d},120000000000000001,1000,20,"{s}",2' for i, s in enumerate(rows)]
    con = loaded(tmp_path, "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-5-2026.csv", lines)
    got = con.execute("select day(date), spend_local, currency, spend from ad_spend order by date").fetchall()
    assert got == [
        (1, Decimal("20000.00"), "EUR", Decimal("21600.00")),
        (2, Decimal("1234.56"), "EUR", Decimal("1333.32")),  # 1234.56 x 1.08 = 1333.3248
        (3, Decimal("7.50"), "EUR", Decimal("8.10")),
    ]
    assert rejects(con) == {
        5: "\"Amount spent (EUR)\" value '£1.000,00' is in GBP, but the header says EUR",
        6: "\"Amount spent (EUR)\" value '5,00 $' is in USD, but the header says EUR",
    }


def test_two_amounts_of_one_row_in_two_currencies_reject_it(tmp_path):
    header = "Campaign status,Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value"
    lines = [
        "Campaign report", '"March 1, 2026 - March 3, 2026"', header,
        'Enabled,Brand,2026-03-01,,€12.50,"1,000",10,1.00,€40.00',
        'Enabled,Brand,2026-03-02,,€12.50,"1,000",10,1.00,$40.00',
        'Enabled,Brand,2026-03-03,USD,12.50,"1,000",10,1.00,GBP 40.00',
    ]  # fmt: skip
    con = loaded(tmp_path, "Campaign report.csv", lines)
    assert con.execute("select day(date), spend_local, currency, conversion_value from ad_spend").fetchall() == [
        (1, Decimal("12.50"), "EUR", Decimal("43.20")),  # 40 EUR x 1.08
    ]
    assert rejects(con) == {
        5: "amounts in one row are written in different currencies: EUR, USD",
        6: "\"Conv. value\" value 'GBP 40.00' is in GBP, but the row's currency is USD",
    }


def test_a_cell_naming_two_currencies_rejects_its_row(tmp_path):
    """Two codes, two symbols, or a code its symbol never stands for: either currency would be a
    guess, so the row is refused (it once took the first one it saw: "€5 USD" booked as $5)."""
    lines = [SF_OPPS, opp(1, "€5 USD"), opp(2, "$5 EUR"), opp(3, "£5 €"), opp(4, "5 USD EUR"), opp(5, "USD 5 USD"),
             opp(6, "$5 CAD")]  # fmt: skip
    con = loaded(tmp_path, "report-two.csv", lines)
    assert deals(con) == {  # one currency named twice, and a "$" CAD writes too, stay readable
        "0065g0000000005": (Decimal("5.00"), "USD", Decimal("5.00")),
        "0065g0000000006": (Decimal("5.00"), "CAD", Decimal("3.65")),  # 5 x CAD 0.73
    }
    said = rejects(con)
    assert sorted(said) == [2, 3, 4, 5]
    assert all("names more than one currency" in reason for reason in said.values())
