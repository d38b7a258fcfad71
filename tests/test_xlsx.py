"""XLSX workbooks as people leave them: a hidden stale sheet first, IDs Excel rounded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import xlsxwriter

from etl.loader import load

HEADER = [
    "By Day",
    "Campaign name",
    "Campaign ID",
    "Primary status",
    "Cost",
    "Impressions",
    "Clicks (destination)",
    "Conversions",
]


def workbook(path: Path, sheets: list[tuple[str, list[list], bool]]) -> Path:
    """sheets: (name, rows, hidden). xlsxwriter writes ints and floats as number cells."""
    wb = xlsxwriter.Workbook(str(path))
    visible = []
    for name, rows, hidden in sheets:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
        (visible.append(ws) if not hidden else ws.hide())
    visible[0].activate()  # Excel needs the active sheet to be visible
    wb.close()
    return path


def stg(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select campaign_id, campaign_name, spend::double from stg_tiktok__campaign_days order by 1, 2"
        ).fetchall()


def test_hidden_stale_first_sheet_is_ignored_and_named(tmp_path):
    stale = [HEADER, ["2026-03-01", "Old name", "1791234567890123456", "Active", 999.0, 1, 1, 1]]
    current = [
        HEADER,
        ["2026-03-01", "Spring Sale TT", "1791234567890123456", "Active", 45.67, 12000, 150, 5],
    ]
    f = workbook(tmp_path / "report.xlsx", [("Old", stale, True), ("Report", current, False)])
    (r,) = load([f], tmp_path / "w.duckdb")
    assert (r.status, r.counts.rows_loaded) == ("loaded", 1)
    assert "hidden sheet(s) 'Old' ignored: read the visible sheet 'Report'" in r.message
    assert stg(tmp_path / "w.duckdb") == [("1791234567890123456", "Spring Sale TT", 45.67)]


def test_a_visible_sheet_without_a_known_header_is_passed_over(tmp_path):
    notes = [["Exported by", "someone"], ["Filters", "none"]]
    current = [HEADER, ["2026-03-01", "Brand TT", "1791234567890123458", "Active", 20.0, 2000, 20, 2]]
    f = workbook(tmp_path / "report.xlsx", [("About", notes, False), ("Data", current, False)])
    (r,) = load([f], tmp_path / "w.duckdb")
    assert (r.status, r.counts.rows_loaded) == ("loaded", 1)


def test_ids_excel_stored_as_numbers_beyond_2_53_refuse_the_file(tmp_path):
    # two campaigns whose 19-digit IDs Excel kept as numbers: both read as 1791234567890124032
    rows = [
        HEADER,
        ["2026-03-01", "Spring Sale TT", 1791234567890123456, "Active", 45.67, 12000, 150, 5],
        ["2026-03-01", "Brand TT", 1791234567890123458, "Active", 20.0, 2000, 20, 2],
    ]
    f = workbook(tmp_path / "report.xlsx", [("Report", rows, False)])
    (r,) = load([f], tmp_path / "w.duckdb")
    assert r.status == "failed"
    assert r.message.startswith(
        "report.xlsx: has 2 'Campaign ID' value(s) that Excel stored as numbers with more than 15 digits "
        "(first on line 2: 1791234567890124032)"
    ), r.message
    assert "Expected: the export as downloaded, not re-saved in Excel" in r.message
    assert stg(tmp_path / "w.duckdb") == []  # nothing merged, nothing loaded


def test_ids_stored_as_text_or_small_numbers_load_distinct(tmp_path):
    rows = [
        HEADER,
        ["2026-03-01", "Spring Sale TT", "1791234567890123456", "Active", 45.67, 12000, 150, 5],
        ["2026-03-01", "Brand TT", "1791234567890123458", "Active", 20.0, 2000, 20, 2],
        ["2026-03-01", "Search", 12345678901, "Active", 5.0, 100, 1, 0],  # 11 digits: exact as a number
    ]
    f = workbook(tmp_path / "report.xlsx", [("Report", rows, False)])
    (r,) = load([f], tmp_path / "w.duckdb")
    assert (r.status, r.counts.rows_loaded) == ("loaded", 3), r.message
    assert stg(tmp_path / "w.duckdb") == [
        ("12345678901", "Search", 5.0),
        ("1791234567890123456", "Spring Sale TT", 45.67),
        ("1791234567890123458", "Brand TT", 20.0),
    ]


def test_csv_resaved_by_excel_with_ids_in_scientific_notation_is_refused(tmp_path):
    f = tmp_path / "report.csv"
    f.write_text(
        ",".join(HEADER) + "\n"
        "2026-03-01,Spring Sale TT,1.79123E+18,Active,45.67,12000,150,5\n"
        "2026-03-01,Brand TT,1.79123E+18,Active,20.00,2000,20,2\n"
    )
    (r,) = load([f], tmp_path / "w.duckdb")
    assert r.status == "failed"
    assert r.message.startswith(
        "report.csv: has 'Campaign ID' values that Excel stored as numbers with more than 15 digits "
        "(first on line 2: 1.79123E+18)"
    ), r.message
    assert stg(tmp_path / "w.duckdb") == []
