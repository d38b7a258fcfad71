"""GA4 report downloads through the real loader into web_sessions: one test per quirk of the real
downloads (shared formats note, GA4 §1-3), on files written here in their exact shapes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

RULE = "# " + "-" * 40
CHANNEL = "Session primary channel group (Default Channel Group)"
TRAFFIC_METRICS = ("Sessions,Engaged sessions,Engagement rate,Average engagement time per session,"
                   "Events per session,Event count,Key events,Session key event rate,Total revenue")  # fmt: skip


def report_preamble(title: str, start: str, end: str) -> list[str]:
    """The 9 `#` lines of a standard report download ("Share this report > Download file")."""
    return [RULE, f"# {title}", "# Account: Acme", "# Property: acme.com - GA4", RULE, "# ",
            "# All Users", f"# Start date: {start}", f"# End date: {end}"]  # fmt: skip


def traffic_row(channel: str, day: str, sessions: int, engaged: int, key_events: int) -> str:
    """A Traffic acquisition row: rates as raw fractions with full float precision, as GA4 writes them."""
    return f"{channel},{day},{sessions},{engaged},{engaged / sessions!r},34.91581342434585,4.5,{sessions * 4},{key_events},{key_events / sessions!r},0"


def write(path: Path, lines: list[str], newline: str = "\r\n", final: str = "") -> Path:
    """CRLF and no final newline, as most real downloads."""
    path.write_bytes((newline.join(lines) + final).encode("utf-8"))
    return path


DAY1 = [("Paid Search", 40, 12, 3), ("Direct", 30, 20, 1), ("AI Assistant", 5, 4, 1),
        ("(not set)", 3, 0, 0), ("", 2, 1, 0)]  # fmt: skip
DAY2 = [("Paid Social", 25, 10, 2), ("Organic Search", 50, 30, 4), ("Unassigned", 4, 0, 0)]


def traffic_file(folder: Path, label: str = CHANNEL, name: str = "Traffic_acquisition.csv", end: str = "20260302",
                 day2: list = DAY2) -> Path:  # fmt: skip
    header = f"{label},Date,{TRAFFIC_METRICS}"
    rows = [traffic_row(c, "20260301", s, e, k) for c, s, e, k in DAY1]
    rows += [traffic_row(c, "20260302", s, e, k) for c, s, e, k in day2]
    return write(folder / name, [*report_preamble(f"Traffic acquisition: {label}", "20260301", end), header, *rows])


def test_nine_line_preamble_yyyymmdd_and_raw_fractions(load_files, tmp_path):
    """Header on line 10 after the 9 `#` lines; 20260301 is a date; the raw fractions (rates) are
    not read, so nothing is rejected; every row is loaded and the sessions add up per file."""
    w = load_files(traffic_file(tmp_path))
    log = w.log("Traffic_acquisition.csv")
    assert (log["adapter"], log["status"], log["header_line"]) == ("ga4_traffic_channels", "loaded", 10)
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_skipped"]) == (8, 8, 0, 0)
    # 40 + 30 + 5 + 3 + 2 = 80 on Mar 1; 25 + 50 + 4 = 79 on Mar 2
    assert w.q("select date, sum(sessions), sum(engaged_sessions), sum(key_events) from web_sessions "
               "where report = 'channel' group by 1 order by 1") == [
        (date(2026, 3, 1), 80, 37, 5.0), (date(2026, 3, 2), 79, 40, 6.0)]  # fmt: skip


def test_not_set_and_empty_channel_values_count(load_files, tmp_path):
    """'(not set)' and '' are two channel values with their own sessions, never blanks merged."""
    w = load_files(traffic_file(tmp_path))
    assert w.q("select channel_group, sessions, channel from web_sessions where date = '2026-03-01' "
               "and channel_group in ('(not set)', '') order by 1") == [("", 2, "other"), ("(not set)", 3, "other")]  # fmt: skip


def test_channel_groups_map_to_revline_channels(load_files, tmp_path):
    """config/channels.toml ga4_channel_group rules: Paid Search -> paid search, Paid Social -> paid
    social, AI Assistant -> its own channel, Unassigned -> other."""
    w = load_files(traffic_file(tmp_path))
    assert dict(w.q("select channel_group, channel from web_sessions")) == {
        "Paid Search": "paid_search", "Direct": "direct", "AI Assistant": "ai_assistant", "(not set)": "other",
        "": "other", "Paid Social": "paid_social", "Organic Search": "organic_search", "Unassigned": "other",
    }  # fmt: skip


def test_2026_label_spelling(load_files, tmp_path):
    """`(Default channel group)`, lower case, as in the 2026 downloads with `AI Assistant`."""
    label = "Session primary channel group (Default channel group)"
    w = load_files(traffic_file(tmp_path, label))
    assert w.log("Traffic_acquisition.csv")["adapter"] == "ga4_traffic_channels"
    assert w.q("select sessions from web_sessions where channel = 'ai_assistant'") == [(5,)]


def test_exploration_download_with_grand_total_row_first(load_files, tmp_path):
    """download.csv: 5-line preamble, a blank line, then the header; the `Grand total` row comes first
    with empty dimension cells and one field more than the header; LF and a blank last line. The
    total is skipped (not a record), and the loaded rows add up to it."""
    header = f"{CHANNEL},Date,{TRAFFIC_METRICS}"
    rows = [traffic_row(c, "20260301", s, e, k) for c, s, e, k in DAY1]
    total = ",,80,37,0.4625,30.1,4.0,320,5,0.0625,0,Grand total"  # two dimension cells, then the label
    lines = [RULE, "# blog-94120", f"# Traffic acquisition: {CHANNEL}-Tab 3", "# 20260301-20260301", RULE, "",
             header, total, *rows]  # fmt: skip
    w = load_files(write(tmp_path / "download.csv", lines, "\n", "\n\n"))
    log = w.log("download.csv")
    assert (log["status"], log["header_line"], log["rows_read"], log["rows_loaded"], log["rows_skipped"]) == (
        "loaded", 7, 5, 5, 2)  # the Grand total and the blank last line  # fmt: skip
    assert w.q("select sum(sessions), sum(engaged_sessions), sum(key_events) from web_sessions") == [(80, 37, 5.0)]
    assert log["exported_at"] == datetime(2026, 3, 1)  # the range end of the `# 20260301-20260301` line


def test_french_headers_english_channel_values(load_files, tmp_path):
    """French UI: headers and preamble labels translate (`# Date de fin : …`), channel values stay English."""
    header = ("Groupe de canaux principal de la session (Groupe de canaux par défaut),Date,Sessions,"
              "Nouveaux utilisateurs,Événements clés")  # fmt: skip
    pre = [RULE, "# Acquisition de trafic : Groupe de canaux principal de la session", "# Compte : Acme",
           "# Propriété : acme.fr - GA4", RULE, "#  ", "# Tous les utilisateurs", "# Date de début : 20260301",
           "# Date de fin : 20260302"]  # fmt: skip
    rows = ["Paid Search,20260301,40,10,3", "Cross-network,20260302,6,2,0"]
    w = load_files(write(tmp_path / "acquisition.csv", [*pre, header, *rows]))
    log = w.log("acquisition.csv")
    assert (log["adapter"], log["status"], log["rows_loaded"]) == ("ga4_traffic_channels", "loaded", 2)
    assert log["exported_at"] == datetime(2026, 3, 2)
    assert w.q("select date, channel, sessions, new_users, key_events from web_sessions order by date") == [
        (date(2026, 3, 1), "paid_search", 40, 10, 3.0), (date(2026, 3, 2), "other", 6, 2, 0.0)]  # fmt: skip


def test_excel_resave_semicolons_and_decimal_commas(load_files, tmp_path):
    """Re-saved by a French Excel: `;` separators, decimal commas in the rates and in a fractional
    key-event count (data-driven attribution), the preamble padded with `;`."""
    header = f"{CHANNEL};Date;Sessions;Engaged sessions;Engagement rate;Key events"
    pre = [line + ";;;;;" for line in report_preamble("Traffic acquisition", "20260301", "20260301")]
    rows = ["Paid Search;20260301;40;12;0,3;2,5", "Email;20260301;10;5;0,5;1"]
    w = load_files(write(tmp_path / "resaved.csv", [*pre, header, *rows]))
    log = w.log("resaved.csv")
    assert (log["status"], log["delimiter"], log["number_format"], log["rows_loaded"]) == ("loaded", ";", "comma", 2)
    assert w.q("select channel, sessions, key_events from web_sessions order by 1") == [
        ("email", 10, 1.0), ("paid_search", 40, 2.5)]  # fmt: skip


def test_report_without_date_is_refused_naming_report_and_click_path(load_files, tmp_path):
    """The same report without the Date dimension holds range totals: refused, never loaded onto a day."""
    header = f"{CHANNEL},{TRAFFIC_METRICS}"
    rows = ["Paid Search,4395,1544,0.35130830489192266,34.91581342434585,4.543117178612059,19967,0,0,0"]
    w = load_files(write(tmp_path / "no_date.csv", [*report_preamble("Traffic acquisition", "20250101", "20251030"),
                                                    header, *rows]))  # fmt: skip
    log = w.log("no_date.csv")
    assert log["status"] == "failed" and log["rows_loaded"] == 0
    assert "GA4 Traffic acquisition report" in log["message"] and "no breakdown by day" in log["message"]
    assert "Time > Date" in log["message"]
    assert w.q("select count(*) from web_sessions") == [(0,)]


def test_overview_download_is_refused_naming_its_title(load_files, tmp_path):
    """Reports snapshot / Acquisition overview: several date-less cards in one file."""
    lines = [*report_preamble("Reports snapshot", "20260101", "20260630")[:6], "# Start date: 20260101",
             "# End date: 20260630", "Nth week,Active users", "0010,2", "0011,6"]  # fmt: skip
    w = load_files(write(tmp_path / "Reports_snapshot.csv", lines))
    log = w.log("Reports_snapshot.csv")
    assert log["status"] == "failed" and "'Reports snapshot'" in log["message"]
    assert "GA4 Landing page report" in log["message"] and "Time > Date" in log["message"]


def test_newest_export_wins_per_day_whatever_the_load_order(load_files, tmp_path):
    """Two downloads covering Mar 1-2: the one whose range ends later (the newer export) wins, though
    it is loaded first. The older file's rows identical to the current ones are not staged again; its
    two differing rows (Paid Social 25, Organic Search 50 on Mar 2) lose and are counted as older."""
    newer = traffic_file(tmp_path, name="newer.csv", end="20260303",
                         day2=[("Paid Social", 26, 10, 2), ("Organic Search", 55, 30, 4), ("Unassigned", 4, 0, 0)])
    older = traffic_file(tmp_path, name="older.csv", end="20260302")
    w = load_files(newer)
    w.load(older)
    assert w.q("select sum(sessions) from web_sessions where date = '2026-03-02'") == [(26 + 55 + 4,)]
    assert w.log("older.csv")["rows_older"] == 2


def test_landing_page_report(load_files, tmp_path):
    """Landing page report with Date: users and new users, '(not set)' and '' pages count."""
    header = ("Landing page,Date,Sessions,Active users,New users,Average engagement time per session,"
              "Key events,Total revenue,Session key event rate")  # fmt: skip
    rows = ["/pricing,20260301,120,100,80,51.2,30,0,0.25", "/,20260301,300,250,200,20.5,6,0,0.02",
            "(not set),20260301,13,12,0,0,0,0,0", ",20260301,5,1,5,0,0,0,0"]  # fmt: skip
    w = load_files(write(tmp_path / "Landing_page_Landing_page.csv",
                         [*report_preamble("Landing page: Landing page", "20260301", "20260301"), header, *rows]))
    log = w.log("Landing_page_Landing_page.csv")
    assert (log["adapter"], log["rows_read"], log["rows_loaded"]) == ("ga4_landing_pages", 4, 4)
    # 120 + 300 + 13 + 5 = 438 sessions, 100 + 250 + 12 + 1 = 363 users, 36 key events
    assert w.q("select sum(sessions), sum(users), sum(new_users), sum(key_events), count(distinct landing_page) "
               "from web_sessions where report = 'landing_page'") == [(438, 363, 285, 36.0, 4)]  # fmt: skip
    assert w.q("select landing_page, sessions, channel from web_sessions where landing_page in ('', '(not set)') "
               "order by 1") == [("", 5, None), ("(not set)", 13, None)]  # fmt: skip


def test_source_medium_report_splits_and_maps_by_utm_rules(load_files, tmp_path):
    header = f"Session source / medium,Date,{TRAFFIC_METRICS}"
    rows = [traffic_row("google / cpc", "20260301", 40, 10, 2), traffic_row("(direct) / (none)", "20260301", 30, 9, 1),
            traffic_row("newsletter / email", "20260301", 8, 6, 1)]  # fmt: skip
    w = load_files(write(tmp_path / "sm.csv", [*report_preamble("Traffic acquisition: Session source / medium",
                                                                 "20260301", "20260301"), header, *rows]))  # fmt: skip
    assert w.log("sm.csv")["adapter"] == "ga4_traffic_sources"
    assert w.q("select source, medium, channel, sessions from web_sessions order by sessions desc") == [
        ("google", "cpc", "paid_search", 40), ("(direct)", "(none)", "other", 30), ("newsletter", "email", "email", 8)]  # fmt: skip


def test_coverage_names_a_missing_stretch_as_a_gap(load_files, tmp_path):
    """Two downloads, Mar 1-2 and Mar 5-6: Mar 3-4 is a gap of the report in mart_coverage ("no data"),
    not days of zero sessions."""
    first = traffic_file(tmp_path, name="a.csv")
    second = write(tmp_path / "b.csv", [*report_preamble("Traffic acquisition", "20260305", "20260306"),
                                        f"{CHANNEL},Date,Sessions", "Direct,20260305,9", "Direct,20260306,8"])  # fmt: skip
    w = load_files(first, second)
    assert w.q("select kind, label, status, first_day, last_day from mart_coverage "
               "where adapter = 'ga4_traffic_channels' order by first_day") == [
        ("web", "GA4 Traffic acquisition report (session channel group)", "covered", date(2026, 3, 1), date(2026, 3, 2)),
        ("web", "GA4 Traffic acquisition report (session channel group)", "gap", date(2026, 3, 3), date(2026, 3, 4)),
        ("web", "GA4 Traffic acquisition report (session channel group)", "covered", date(2026, 3, 5), date(2026, 3, 6)),
    ]  # fmt: skip
    assert w.q("select count(*) from web_sessions where date between '2026-03-03' and '2026-03-04'") == [(0,)]
