"""Two downloads pasted into one file (a second preamble and header in the middle, as when one CSV
is appended to another) are refused, naming the file, the line of the second header and what to do;
their rows are never added up as one export's breakdown
(docs/decisions/0112-two-downloads-in-one-file-are-refused.md). Real loader, real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import xlsxwriter

from etl.loader import load

GOOGLE_H = "Campaign status,Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value"
META_H = ["Campaign name", "Day", "Campaign ID", "Impressions", "Link clicks", "Amount spent (USD)", "Results"]


def google(spend: str, preamble: bool = True) -> list[str]:
    head = ["Campaign report", '"March 1, 2026 - March 1, 2026"'] if preamble else []
    return [*head, GOOGLE_H, f'Enabled,Brand,2026-03-01,USD,{spend},"1,000",10,1.00,40.00']


def loaded(tmp_path: Path, files: dict[str, list[str]]) -> tuple[list, duckdb.DuckDBPyConnection]:
    for name, lines in files.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    results = load([tmp_path / n for n in files], db)
    return results, duckdb.connect(str(db), read_only=True)


def refusal(line: int, header_line: int) -> str:
    return (
        f"line {line} repeats the header of line {header_line}: the file holds two downloads pasted together, "
        f"and their rows would be added up. Expected: each download as its own file: cut this one before line "
        f"{line} (and the report title lines just above it, if any), save both parts and load them; the newer "
        "export wins."
    )


def test_a_second_preamble_and_header_refuses_the_file_and_loads_none_of_it(tmp_path):
    """200 then 230 for the same campaign and day: never 430. The batch's other file still loads."""
    results, con = loaded(tmp_path, {
        "Campaign report.csv": google("200.00") + google("230.00"),
        "Campaign report (1).csv": google("230.00"),
    })  # fmt: skip
    assert [(r.status, r.message) for r in results] == [
        ("failed", "Campaign report.csv: " + refusal(7, 3)),
        ("loaded", ""),
    ]
    assert con.execute("select spend from ad_spend").fetchall() == [(230,)]


def test_a_repeated_header_without_preamble_in_another_column_order(tmp_path):
    """A CRM export appended to another (no preamble), the second with its columns reordered and
    its labels in another case, a few rows further down."""
    hs = '"Record ID","Email","Create Date","Lifecycle Stage"'
    rows = [f'"{100 + i}","p{i}@example.com","2026-03-0{i + 1} 10:15","Lead"' for i in range(4)]
    second = '"create date","RECORD ID","Lifecycle Stage","Email"'
    results, con = loaded(tmp_path, {
        "hubspot-crm-exports-all-contacts-2026-03-05.csv": [hs, *rows, second, '"2026-03-05 10:00","200","Lead",""'],
    })  # fmt: skip
    assert (results[0].status, results[0].message) == (
        "failed", "hubspot-crm-exports-all-contacts-2026-03-05.csv: " + refusal(6, 1)
    )
    assert con.execute("select count(*) from stg_hubspot__contacts").fetchone() == (0,)


def test_two_downloads_on_one_sheet_of_a_workbook(tmp_path):
    path = tmp_path / "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-1-2026.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Raw Data Report")
    rows = [META_H, ["Spring", "2026-03-01", "120000000000000001", "1000", "20", "200.00", "2"],
            [], META_H, ["Spring", "2026-03-01", "120000000000000001", "1000", "20", "230.00", "2"]]  # fmt: skip
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    db = tmp_path / "w.duckdb"
    [result] = load([path], db)
    assert (result.status, result.message) == ("failed", f"{path.name}: " + refusal(4, 1))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from ad_spend").fetchone() == (0,)


def test_a_row_with_a_header_word_in_a_cell_is_a_record(tmp_path):
    """A campaign named "Cost" or a status "Campaign" is data: one label is no header."""
    lines = [*google("200.00"), 'Campaign,Cost,2026-03-02,USD,12.00,"1,000",10,1.00,40.00']
    results, con = loaded(tmp_path, {"Campaign report.csv": lines})
    assert results[0].status == "loaded"
    assert con.execute("select campaign_name, spend from ad_spend order by date").fetchall() == [
        ("Brand", 200), ("Cost", 12),
    ]  # fmt: skip
