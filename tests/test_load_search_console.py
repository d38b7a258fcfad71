"""Search Console performance exports through the real loader: the zip as downloaded, its folder,
Chart.csv or Dates.csv, Queries/Pages over the chart's range, on files written here in the real shapes
(shared formats note §4: UTF-8, LF, no final newline, CTR as "0.43%")."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

CHART = ["Date,Clicks,Impressions,CTR,Position", "2026-03-01,0,0,,", "2026-03-02,3,120,2.5%,8.1",
         "2026-03-03,1,300,0.33%,12", "2026-03-04,0,50,0%,30.5"]  # fmt: skip
QUERIES = ["Top queries,Clicks,Impressions,CTR,Position", "acme,2,40,5%,1.2",
           '"acme, pricing",1,10,10%,2.5', '"""acme"" reviews",1,5,20%,3',
           '"how does acme\ncompare to others",0,30,0%,9.75', "acme login,0,2,0%,1"]  # fmt: skip
PAGES = ["Top pages,Clicks,Impressions,CTR,Position", "https://acme.example/,3,300,1%,10.5",
         "https://acme.example/pricing,1,170,0.59%,14"]  # fmt: skip
FILTERS = ["Filter,Value", "Search type,Web", "Date,Last 28 days"]
COUNTRIES = ["Country,Clicks,Impressions,CTR,Position", "United Kingdom,4,470,0.85%,11.2"]
NAME = "acme.example-Performance-on-Search-2026-03-05"


def export(folder: Path, chart: list[str] = CHART, chart_name: str = "Chart.csv", names: dict | None = None) -> Path:
    """The unzipped folder of an export, LF and no final newline."""
    folder.mkdir(parents=True)
    names = names or {}
    for name, lines in ((chart_name, chart), ("Queries.csv", QUERIES), ("Pages.csv", PAGES),
                        ("Countries.csv", COUNTRIES), ("Filters.csv", FILTERS)):  # fmt: skip
        (folder / names.get(name, name)).write_bytes("\n".join(lines).encode("utf-8"))
    return folder


def test_folder_loads_whole_with_chart_sums_and_empty_ctr(load_files, tmp_path):
    w = load_files(export(tmp_path / NAME))
    assert {r.name.split("/")[-1]: r.status for r in w.results} == dict.fromkeys(
        ["Chart.csv", "Queries.csv", "Pages.csv", "Countries.csv", "Filters.csv"], "loaded")  # fmt: skip
    # clicks 0 + 3 + 1 + 0 = 4, impressions 0 + 120 + 300 + 50 = 470; "2.5%" -> 0.025; the day without
    # impressions has no CTR and no position, and is a row (a day of zero clicks, not a missing day)
    assert w.q("select count(*), sum(clicks), sum(impressions) from search_daily") == [(4, 4, 470)]
    assert w.q("select date, ctr, position from search_daily order by date limit 2") == [
        (date(2026, 3, 1), None, None), (date(2026, 3, 2), 0.025, 8.1)]  # fmt: skip
    assert w.q("select distinct property from search_daily") == [("acme.example",)]


def test_queries_take_the_charts_range_and_keep_quoted_text(load_files, tmp_path):
    """Commas, doubled quotes and a line feed inside quoted queries; the range is the chart's first
    and last day; clicks 2 + 1 + 1 + 0 + 0 = 4 and impressions 40 + 10 + 5 + 30 + 2 = 87."""
    w = load_files(export(tmp_path / NAME))
    assert w.q("select min(range_start), max(range_end), count(*), sum(clicks), sum(impressions) "
               "from search_queries") == [(date(2026, 3, 1), date(2026, 3, 4), 5, 4, 87)]  # fmt: skip
    assert {q for (q,) in w.q("select query from search_queries")} == {
        "acme", "acme, pricing", '"acme" reviews', "how does acme\ncompare to others", "acme login"}
    assert w.q("select ctr from search_queries where query = 'acme, pricing'") == [(0.1,)]
    assert w.q("select count(*), sum(clicks) from search_pages") == [(2, 4)]


def test_dates_csv_newest_first_reads_as_chart_csv(load_files, tmp_path):
    """Exports up to 2025-10 call the chart Dates.csv and list it newest first."""
    chart = [CHART[0], *reversed(CHART[1:])]
    w = load_files(export(tmp_path / NAME, chart, "Dates.csv"))
    assert w.q("select count(*), sum(clicks), min(date), max(date) from search_daily") == [
        (4, 4, date(2026, 3, 1), date(2026, 3, 4))]  # fmt: skip
    assert w.q("select distinct range_start, range_end from search_queries") == [(date(2026, 3, 1), date(2026, 3, 4))]


def test_the_zip_as_downloaded(load_files, tmp_path):
    """Once refused as "a ZIP archive": its CSV files load as its folder's, named inside the zip."""
    folder = export(tmp_path / "x" / NAME)
    zipped = tmp_path / f"{NAME}.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f.name)
    w = load_files(zipped)
    assert sorted(r.name for r in w.results) == sorted(f"{NAME}.zip/{f.name}" for f in folder.iterdir())
    assert all(r.status == "loaded" for r in w.results)
    assert w.q("select sum(clicks), any_value(property) from search_daily") == [(4, "acme.example")]
    assert w.q("select distinct exported_at_source from load_log") == [("export folder name date",)]


def test_french_file_and_header_names(load_files, tmp_path):
    """French UI: Requêtes.csv with "Requêtes les plus fréquentes,Clics,…", numbers not localised."""
    q = ["Requêtes les plus fréquentes,Clics,Impressions,CTR,Position", "deco charpente,1442,3195,45.13%,1.1"]
    folder = tmp_path / NAME
    folder.mkdir()
    (folder / "Dates.csv").write_bytes("\n".join(["Date,Clics,Impressions,CTR,Position", *CHART[1:]]).encode())
    (folder / "Requêtes.csv").write_bytes("\n".join(q).encode())
    w = load_files(folder)
    assert [r.status for r in w.results] == ["loaded", "loaded"]
    assert w.q("select query, clicks, ctr, range_end from search_queries") == [
        ("deco charpente", 1442, pytest.approx(0.4513), date(2026, 3, 4))]  # fmt: skip


def test_the_1000_row_cap_is_said(load_files, tmp_path):
    folder = export(tmp_path / NAME)
    rows = [QUERIES[0], *(f"query {i},0,{2000 - i},0%,5" for i in range(1000))]
    (folder / "Queries.csv").write_bytes("\n".join(rows).encode())
    w = load_files(folder)
    (q,) = [r for r in w.results if r.name.endswith("Queries.csv")]
    assert q.counts.rows_loaded == 1000 and "1,000-row limit of the export" in q.message


def test_queries_alone_are_refused_for_want_of_a_range(load_files, tmp_path):
    folder = tmp_path / "gsc report 09-07"
    folder.mkdir()
    (folder / "Queries.csv").write_bytes("\n".join(QUERIES).encode())
    w = load_files(folder / "Queries.csv")
    (r,) = w.results
    assert r.status == "failed" and "carries no dates" in r.message and "zip as downloaded" in r.message


def test_two_properties_of_the_same_days_stay_apart(load_files, tmp_path):
    """Keyed by the property of the zip or folder name: another site's chart of the same days is its own series."""
    other = [CHART[0], "2026-03-01,5,50,10%,2", "2026-03-02,1,10,10%,3"]
    w = load_files(export(tmp_path / NAME), export(tmp_path / "https___other.example_-Performance-on-Search-2026-03-05", other))
    assert w.q("select property, sum(clicks) from search_daily group by 1 order by 1") == [
        ("acme.example", 4), ("https___other.example_", 6)]  # fmt: skip


@pytest.mark.parametrize("header", [
    "Top queries,Last 3 months Clicks,Previous 3 months Clicks,Last 3 months Impressions,Previous 3 months Impressions",
    "Date,10/1/25 - 12/31/25 Clicks,10/1/24 - 12/31/24 Clicks,10/1/25 - 12/31/25 Impressions",
])  # fmt: skip
def test_a_comparison_export_is_refused_with_advice(load_files, tmp_path, header):
    f = tmp_path / "Queries.csv"
    f.write_bytes(f"{header}\nacme,3,1,40,20".encode())
    (r,) = load_files(f).results
    assert r.status == "failed" and "with a comparison: two date ranges" in r.message and "not Compare" in r.message


def test_an_excel_download_is_refused_for_the_csv_one(load_files, tmp_path):
    from tests.fixtures.make_fixtures import xlsx

    f = xlsx(tmp_path / f"{NAME}.xlsx", [r.split(",") for r in ["Top queries,Clicks,Impressions,CTR,Position", "acme,2,40,0.05,1.2"]])
    (r,) = load_files(f).results
    assert r.status == "failed" and "Excel download of a multi-table export" in r.message
    assert "Download CSV" in r.message


def test_a_missing_month_is_a_gap_in_coverage(load_files, tmp_path):
    """Two exports, March and May: April is a gap ("no data"), never zero clicks."""
    may = ["Date,Clicks,Impressions,CTR,Position", "2026-05-01,2,40,5%,3", "2026-05-31,1,30,3.33%,4"]
    w = load_files(export(tmp_path / NAME), export(tmp_path / "acme.example-Performance-on-Search-2026-06-01", may))
    assert w.q("select status, first_day, last_day from mart_coverage where kind = 'search' order by first_day") == [
        ("covered", date(2026, 3, 1), date(2026, 3, 4)), ("gap", date(2026, 3, 5), date(2026, 4, 30)),
        ("covered", date(2026, 5, 1), date(2026, 5, 31))]  # fmt: skip


def test_a_page_listed_twice_counts_both_rows(load_files, tmp_path):
    """Real exports list a URL twice with different numbers (buyshedsdirect: 1833 and 0 clicks): both
    count, combined: clicks 3 + 1 = 4, impressions 300 + 100 = 400, CTR 4 / 400 = 1 %, position
    weighted by impressions (10 x 300 + 20 x 100) / 400 = 12.5."""
    folder = export(tmp_path / NAME)
    pages = [PAGES[0], "https://acme.example/,3,300,1%,10", "https://acme.example/,1,100,1%,20"]
    (folder / "Pages.csv").write_bytes("\n".join(pages).encode())
    w = load_files(folder)
    assert w.q("select page, clicks, impressions, ctr, position, rows from search_pages") == [
        ("https://acme.example/", 4, 400, 0.01, 12.5, 2)]  # fmt: skip


def test_a_zip_member_path_never_writes_outside_its_folder(load_files, tmp_path):
    """A member named `../../Chart.csv` is read by its base name inside the private folder."""
    folder = export(tmp_path / "x" / NAME)
    zipped = tmp_path / f"{NAME}.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"../../{f.name}")
    w = load_files(zipped)
    assert all(r.status == "loaded" for r in w.results)
    assert sorted(r.name for r in w.results) == sorted(f"{NAME}.zip/{f.name}" for f in folder.iterdir())
    assert not (tmp_path.parent / "Chart.csv").exists() and w.q("select sum(clicks) from search_daily") == [(4,)]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An Excel download: one sheet per table, CTR a number (0.025 shown 2.5%), as Apache POI writes it."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None and v != "":
                    ws.write_number(r, c, v) if isinstance(v, int | float) else ws.write_string(r, c, v)
    wb.close()
    return path


def test_the_excel_download_loads_its_sheets_as_the_csv_files(load_files, tmp_path):
    """Chart and Queries sheets; CTR numeric (0.025 -> 2.5 %), a date re-saved as a serial (46085 = 2026-03-04)."""
    chart = [["Date", "Clicks", "Impressions", "CTR", "Position"], ["2026-03-01", 0, 0, "", ""],
             ["2026-03-02", 3, 120, 0.025, 8.1], [46085, 1, 300, 0.0033, 12]]  # fmt: skip
    queries = [["Top queries", "Clicks", "Impressions", "CTR", "Position"], ["acme, pricing", 4, 420, 0.0095, 2.5]]
    f = workbook(tmp_path / f"{NAME}.xlsx", {"Chart": chart, "Queries": queries, "Filters": [["Filter", "Value"], ["Search type", "Web"]]})
    w = load_files(f)
    assert sorted((r.name, r.status) for r in w.results) == [
        (f"{NAME}.xlsx/Chart", "loaded"), (f"{NAME}.xlsx/Filters", "loaded"), (f"{NAME}.xlsx/Queries", "loaded")]  # fmt: skip
    assert w.q("select date, clicks, ctr from search_daily order by date") == [
        (date(2026, 3, 1), 0, None), (date(2026, 3, 2), 3, 0.025), (date(2026, 3, 4), 1, 0.0033)]  # fmt: skip
    assert w.q("select query, clicks, ctr, range_start, range_end, property from search_queries") == [
        ("acme, pricing", 4, 0.0095, date(2026, 3, 1), date(2026, 3, 4), "acme.example")]  # fmt: skip


def test_a_chart_grouped_by_month_is_refused(load_files, tmp_path):
    f = tmp_path / "Chart.csv"
    f.write_bytes(b"Date range,Clicks,Impressions,CTR,Position\n2025-01-01 - 2025-01-31,329,164179,0.2%,45.3")
    (r,) = load_files(f).results
    assert r.status == "failed" and "grouped by week or month" in r.message and "Days" in r.message
