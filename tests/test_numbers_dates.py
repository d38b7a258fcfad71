"""Numbers and dates are read the way the whole file writes them (etl/typecast.py `decide`), never
from the delimiter or the first rows: golden files, real loader, real DuckDB file.

Each expected value is written out by hand next to the cell it comes from.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl import read
from etl.loader import load

META_H = [
    "Campaign name",
    "Day",
    "Campaign ID",
    "Impressions",
    "Link clicks",
    "Amount spent (USD)",
    "Results",
]
SF_LEADS_H = [
    "Lead ID",
    "Lead Owner",
    "Company / Account",
    "Lead Source",
    "Lead Status",
    "Created Date",
    "MQL Date",
]
SF_OPPS_H = ["Opportunity ID", "Opportunity Owner", "Stage", "Amount", "Close Date", "Created Date"]


def csv_text(header: list[str], rows: list[list[str]], sep: str = ",") -> str:
    """Cells quoted like the tools quote them when they hold the delimiter or a quote."""

    def q(v: str) -> str:
        return f'"{v}"' if sep in v or '"' in v else v

    return "\n".join(sep.join(q(v) for v in row) for row in [header, *rows]) + "\n"


def meta_rows(spends: list[str], results: str = "2") -> list[list[str]]:
    """One Meta campaign-day per spend cell: March 1st, 2nd, ... 2026."""
    return [
        ["Spring", f"2026-03-{i + 1:02d}", "120000000000000001", "1000", "20", s, results]
        for i, s in enumerate(spends)
    ]


class Loaded:
    def __init__(self, tmp_path: Path, name: str, text: str):
        (tmp_path / name).write_text(text, encoding="utf-8")
        self.db = tmp_path / f"{name}.duckdb"
        [self.result] = load([tmp_path / name], self.db)
        self.con = duckdb.connect(str(self.db), read_only=True)

    def q(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def rejected(self) -> dict[int, str]:
        return dict(self.q("select line_number, reason from rejected_rows order by 1"))

    def log(self) -> tuple:
        return self.q(
            "select status, rows_read, rows_loaded, rows_rejected, date_order, number_format from load_log"
        )[0]


@pytest.fixture
def loaded(tmp_path):
    opened: list[Loaded] = []

    def go(name: str, text: str) -> Loaded:
        opened.append(Loaded(tmp_path, name, text))
        return opened[-1]

    yield go
    for w in opened:
        w.con.close()


def spend(w: Loaded) -> list[Decimal]:
    return [s for (s,) in w.q("select spend from stg_meta__campaign_days order by date")]


def test_semicolon_file_with_decimal_points_is_not_read_100x(loaded):
    """`;` says nothing about the decimal separator: "12.50" is 12.50, "1,234.50" is 1234.50."""
    w = loaded("meta-semicolon-dots.csv", csv_text(META_H, meta_rows(["12.50", "1,234.50", "7"]), sep=";"))
    assert spend(w) == [Decimal("12.50"), Decimal("1234.50"), Decimal("7.00")]
    assert w.log() == ("loaded", 3, 3, 0, "ymd", "point")


def test_comma_file_with_decimal_commas_in_quoted_cells(loaded):
    """ "12,50" and "1.234,50" quoted in a `,` file: decimal comma; "1,5" is 1.50, never 15."""
    w = loaded("meta-comma-decimals.csv", csv_text(META_H, meta_rows(["12,50", "1.234,50", "1,5", "0,5"])))
    assert spend(w) == [Decimal("12.50"), Decimal("1234.50"), Decimal("1.50"), Decimal("0.50")]
    assert w.log() == ("loaded", 4, 4, 0, "ymd", "comma")


def test_space_thousands_with_decimal_comma(loaded):
    """ "1 234,56" (no-break space, as Excel writes it) and a count "12 345"."""
    rows = meta_rows(["1\u00a0234,56"])
    rows[0][3] = "12\u202f345"
    w = loaded("meta-fr.csv", csv_text(META_H, rows, sep=";"))
    assert spend(w) == [Decimal("1234.56")]
    assert w.q("select impressions from stg_meta__campaign_days") == [(12345,)]


def test_a_cell_against_its_columns_convention_is_rejected_with_column_and_value(loaded):
    """Three decimal points settle the column; "0,5" and "1.234,50" then contradict it (line 5, 6)."""
    w = loaded(
        "meta-mixed.csv", csv_text(META_H, meta_rows(["12.50", "3.25", "1,234.00", "0,5", "1.234,50"]))
    )
    assert spend(w) == [Decimal("12.50"), Decimal("3.25"), Decimal("1234.00")]
    assert w.rejected() == {
        5: "\"Amount spent (USD)\" value '0,5' contradicts the column's decimal point (1,234.56)",
        6: "\"Amount spent (USD)\" value '1.234,50' contradicts the column's decimal point (1,234.56)",
    }
    assert w.log()[:4] == ("loaded_with_rejects", 5, 3, 2)


def test_ambiguous_amounts_are_rejected_when_nothing_settles_them(loaded):
    """ "1,234" could be 1234 or 1.234 and no cell of the file has a decimal: rejected, not guessed.
    A count ("Impressions") cannot be fractional, so "1,000" there is 1000 (the contract's type settles it)."""
    rows = meta_rows(["1,234", "15"])
    rows[1][3] = "1,000"
    w = loaded("meta-ambiguous.csv", csv_text(META_H, rows))
    assert w.rejected() == {
        2: "\"Amount spent (USD)\" value '1,234' is ambiguous: nothing in the file says whether ',' or '.' "
        "is its decimal separator"
    }
    assert w.q("select impressions, spend from stg_meta__campaign_days") == [(1000, Decimal("15.00"))]
    assert w.log()[4:] == ("ymd", None)


def test_the_files_other_columns_settle_an_ambiguous_column(loaded):
    """ "Results" writes "2,5" (decimal comma): the same export's "1.234" spend is then 1234."""
    w = loaded("meta-settled.csv", csv_text(META_H, meta_rows(["1.234", "7"], results="2,5"), sep=";"))
    assert spend(w) == [Decimal("1234.00"), Decimal("7.00")]
    assert w.q("select results from stg_meta__campaign_days limit 1") == [(2.5,)]


@pytest.mark.parametrize("cell", ["NaN", "nan", "Inf", "-inf", "Infinity", "0x1A", "1e5", "1.2E+3", "1_000"])
def test_what_duckdb_would_cast_but_no_export_writes_is_rejected(loaded, cell):
    """DuckDB's try_cast reads all of these (NaN, inf, 26, 100000, 1200, 1000): Revline refuses them."""
    rows = meta_rows(["12.50", cell])
    rows[0][3] = cell  # and as a count
    w = loaded("meta-junk.csv", csv_text(META_H, rows))
    assert w.rejected() == {
        2: f"cannot read \"Impressions\" value '{cell}' as int",
        3: f"cannot read \"Amount spent (USD)\" value '{cell}' as money",
    }
    assert w.log()[:4] == ("loaded_with_rejects", 2, 0, 2)


def test_an_amount_beyond_decimal_18_2_rejects_its_row_only(loaded):
    """10^17 does not fit DECIMAL(18,2); 9e15 fits but times the largest FX rate of config (GBP 1.27)
    would not (to_reporting): both rows rejected, the others load and the models build."""
    rows = meta_rows(["12.50", "100000000000000000", "9000000000000000.00", "7.25"])
    rows[0][3] = "99999999999999999999"  # beyond BIGINT, as a count
    w = loaded("meta-huge.csv", csv_text(META_H, rows))
    assert w.rejected() == {
        2: "\"Impressions\" value '99999999999999999999' is out of range for int (BIGINT)",
        3: "\"Amount spent (USD)\" value '100000000000000000' is out of range for money (DECIMAL(18,2))",
        4: "\"Amount spent (USD)\" value '9000000000000000.00' is out of range: beyond DECIMAL(18,2) once "
        "converted to the reporting currency",
    }
    assert w.log()[:4] == ("loaded_with_rejects", 4, 1, 3)
    assert w.q("select spend from ad_spend") == [(Decimal("7.25"),)]  # 7.25 USD x 1.0


def sf_lead(n: int, created: str, mql: str = "") -> list[str]:
    return [f"00Q5g0000{n:06d}A", "Dana", "Acme", "Web", "Open", created, mql]


def test_day_first_is_decided_by_a_row_far_past_the_first_thousand(loaded, monkeypatch):
    """1,500 rows whose day never passes 12, then "23/03/2026": every date of the file is day first,
    so "04/11/2026 09:14" is 4 November, never April 11. Small batches: the deciding row is in a later
    batch than the first rows, and the file is typed after all of it was read."""
    monkeypatch.setattr(read, "BATCH_BYTES", 16 << 10)
    rows = [sf_lead(i, f"{1 + i % 12:02d}/11/2026 09:14") for i in range(1500)]
    rows.append(sf_lead(1500, "23/03/2026 10:00", "24/03/2026 11:30"))
    w = loaded("report-gb.csv", csv_text(SF_LEADS_H, rows))
    assert w.log() == ("loaded", 1501, 1501, 0, "dmy", None)
    months = w.q("select month(created_at), count(*) from stg_salesforce__leads group by 1 order by 1")
    assert months == [(3, 1), (11, 1500)]  # November stays November, not spread over the year
    # 04/11/2026 09:14 in New York (config [timezones]) = 14:14 UTC
    assert w.q("select created_at from stg_salesforce__leads where lead_id = '00Q5g0000000003A'") == [
        (datetime(2026, 11, 4, 14, 14),)
    ]


def test_day_month_cells_against_the_files_order_are_rejected(loaded):
    """Two rows say day first (23/03, 14/03), one says month first (03/23): the majority decides and
    the odd row is rejected rather than read as a 23rd month."""
    rows = [sf_lead(1, "23/03/2026 10:00"), sf_lead(2, "14/03/2026 10:00"), sf_lead(3, "03/23/2026 10:00")]
    w = loaded("report-mixed-dates.csv", csv_text(SF_LEADS_H, rows))
    assert w.rejected() == {
        4: "\"Created Date\" value '03/23/2026 10:00' is month first, but the file's other dates are day first"
    }
    assert w.log()[4] == "dmy"


def sf_opp(n: int, close: str, created: str, stage: str = "Prospecting") -> list[str]:
    return [f"0065g0000{n:06d}A", "Dana", stage, "1,000.00", close, created]


def test_implausible_dates_are_rejected_with_reasons(loaded):
    today = date.today()
    ahead = today.replace(year=today.year + 2).strftime("%m/%d/%Y")
    future = f"{today.replace(year=today.year + 1).strftime('%m/%d/%Y')} 9:00 AM"
    rows = [
        sf_opp(1, "3/20/2026", "3/4/2026 9:14 AM"),  # fine
        sf_opp(2, "3/20/2026", "3/4/1999 9:14 AM"),  # created before 2000
        sf_opp(3, "3/1/2026", "3/4/2026 9:14 AM"),  # closed three days before it was created
        sf_opp(4, ahead, "3/4/2026 9:14 AM"),  # an open deal closing in two years
        sf_opp(5, "3/20/2026", future),  # created a year from now
        sf_opp(6, "3/4/2026", "3/4/2026 11:30 PM"),  # same day, 04:30 UTC the next day: fine
    ]
    w = loaded("report-opps.csv", csv_text(SF_OPPS_H, rows))
    assert w.rejected() == {
        3: "created before 2000",
        4: "closed before it was created",
        5: "a close date more than a year ahead",
        6: "created in the future; closed before it was created",
    }
    assert w.log()[:4] == ("loaded_with_rejects", 6, 2, 4)


def test_config_order_only_for_a_wholly_ambiguous_file(loaded, tmp_path):
    """config [dates] ambiguous_order = "mdy" (the default): an ambiguous file follows it, one day
    above 12 anywhere overrides it."""
    w = loaded("report-ambiguous.csv", csv_text(SF_LEADS_H, [sf_lead(1, "04/03/2026 09:14")]))
    assert w.log()[4] == "mdy"
    assert w.q("select month(created_at) from stg_salesforce__leads") == [(4,)]
    assert w.result.message == (
        "no date in the file says whether day or month comes first: read month first (config [dates])"
    )
    settled = loaded(
        "report-settled.csv", csv_text(SF_LEADS_H, [sf_lead(1, "04/03/2026 09:14", "13/03/2026 10:00")])
    )
    assert (settled.log()[4], settled.result.message) == ("dmy", "")
