"""Bidi controls and zero-width characters in data values are written out as escapes (`\\u202e`) at
load, the treatment file names get, so every surface shows them as text: a rep named with U+202E
never shows as another name, two names that differ by a zero-width space never look identical
(docs/decisions/0116-invisible-characters-are-written-out-at-load.md). Real HubSpot and Salesforce
exports through the real loader into a real DuckDB file, read by the app, its CSV, the digest and
the summary command."""

from __future__ import annotations

import json
from datetime import date

import pytest

from etl.parse_sql import HIDDEN
from queries.__main__ import main as queries_main
from queries.runner import run
from reports.digest import build
from reports.render import render
from tests import kpi_fixtures
from tests.test_pages import visit
from ui.format import neutralise

RLO = "\u202e"  # right-to-left override: "\u202erekceB moT" shows as "Tom Becker"
MIRROR = RLO + "rekceB moT"
TWIN = "Dana\u200b Whitfield"  # looks like "Dana Whitfield"
SHOWN_MIRROR = "\\u202erekceB moT"
SHOWN_TWIN = "Dana\\u200b Whitfield"


def hidden(text: str) -> set[str]:
    return {ch for ch in text if ch in HIDDEN}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The handoff golden exports with Tom Becker renamed to a mirrored name behind U+202E (HubSpot
    contacts) and one of Dana's leads owned by her zero-width twin; the Salesforce leads and
    activities carry every hidden character in their owner and subject cells."""
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = tmp_path_factory.mktemp("invisible")
    hs, sf, acts = kpi_fixtures.write_handoff_exports(folder / "exports")
    text = hs.read_text(encoding="utf-8").replace("Tom Becker", MIRROR)
    lines = [ln.replace("Dana Whitfield", TWIN) if ln.startswith('"101"') else ln for ln in text.splitlines()]
    hs.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    sf.write_text(sf.read_text(encoding="utf-8").replace("Priya Raman", "Priya" + HIDDEN + " Raman"), encoding="utf-8")
    acts.write_text(acts.read_text(encoding="utf-8").replace("Priya Raman", "Priya" + HIDDEN + " Raman"),
                    encoding="utf-8")  # fmt: skip
    yield kpi_fixtures.build(folder, [hs, sf, acts])
    mp.undo()


def test_the_warehouse_holds_the_names_written_out(db):
    """Every text column of every table read for people: no hidden character; the three names as
    they are shown. (raw_* keep the export's cells exactly as they were: no page reads them.)"""
    owners = {r[0] for r in kpi_fixtures.rows(db, "select distinct owner from stg_hubspot__contacts")}
    assert owners == {SHOWN_MIRROR, SHOWN_TWIN, "Dana Whitfield"}  # the twin is its own, visible name
    priya = "Priya" + "".join(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}" for ch in HIDDEN) + " Raman"
    columns = kpi_fixtures.rows(db, "select table_name, list(column_name) from information_schema.columns "
                                    "where data_type = 'VARCHAR' and table_name not like 'raw\\_%' escape '\\' "
                                    "group by table_name")  # fmt: skip
    seen = set()
    for table, names in columns:  # one read per table: each model is built once, not once per column
        cells = ", ".join(f'"{name}"' for name in names)
        for name, value in kpi_fixtures.rows(db, f'select distinct name, value from (unpivot "{table}" '
                                                 f"on {cells} into name name value value)"):  # fmt: skip
            assert not hidden(value), (table, name, value)
            seen.add(value)
    assert {SHOWN_MIRROR, SHOWN_TWIN, priya} <= seen


def test_a_rejected_line_shows_them_written_out_too(tmp_path, load_files):
    """A line rejected (a date that is not a date) keeps its raw text for the Data page: with
    the override written out, not acting on the page."""
    folder = tmp_path / "exports"
    [hs, *_] = kpi_fixtures.write_handoff_exports(folder)
    lines = hs.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"2026-11-02 09:50"', f'"{RLO}not a date"')
    hs.write_text("\r\n".join(lines), encoding="utf-8")
    loaded = load_files(hs)
    [(raw,)] = loaded.con.execute("select raw_line from rejected_rows").fetchall()
    assert "\\u202enot a date" in raw and not hidden(raw)


def test_digest_html_and_summary_show_the_names_written_out(db, capsys):
    d = build(db, "leadership", date(2026, 11, 2), date(2026, 11, 8), today=date(2026, 11, 29))
    html = render(d)
    assert f'<td>{SHOWN_MIRROR}</td>' in html and f"<td>{SHOWN_TWIN}</td>" in html
    assert "<td>Dana Whitfield</td>" in html and not hidden(html)
    capsys.readouterr()
    # the name as the page shows it is the name a filter takes
    assert queries_main(["summary", "--db", str(db), "--start", "2026-11-02", "--end", "2026-11-08",
                         "--owner", SHOWN_MIRROR, "--format", "markdown"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert SHOWN_MIRROR in out and not hidden(out)
    assert queries_main(["summary", "--db", str(db), "--start", "2026-11-02", "--end", "2026-11-08",
                         "--owner", SHOWN_MIRROR]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["filters"]["owner"] == [SHOWN_MIRROR] and result["metrics"]["mqls"]["value"] == 2  # B and C


def test_the_csv_of_a_table_shows_the_names_written_out(db):
    options = [r[1] for r in run("filters/options", db=db).iter_rows() if r[0] == "owner"]
    assert SHOWN_MIRROR in options and SHOWN_TWIN in options and not hidden("".join(options))
    csv = neutralise(run("filters/options", db=db)).write_csv()  # the CSV every table download writes
    assert SHOWN_MIRROR in csv and not hidden(csv)


@pytest.mark.app
def test_the_app_shows_the_names_written_out(db, app):
    at = visit(app(db, range="custom", start="2026-11-02", end="2026-11-08"), "handoff")
    shown = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert SHOWN_MIRROR in shown and SHOWN_TWIN in shown and "Dana Whitfield" in shown
    everything = shown + [m.value for m in at.markdown] + [c.value for c in at.caption]
    everything += [o for s in at.multiselect for o in s.options]
    assert not hidden("".join(everything))
    at = visit(app(db, range="custom", start="2026-11-02", end="2026-11-08", owner=SHOWN_MIRROR), "handoff")
    assert SHOWN_MIRROR in [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]


def test_sql_and_python_write_out_every_hidden_character_alike():
    """Every default-ignorable code point, separator and bidi control (not only the twelve the
    first attack used: a soft hyphen once made "Dana Whit\\u00adfield" look like "Dana Whitfield"),
    written out the same by the loader's SQL and by Python; emoji variation selectors kept."""
    import duckdb

    from etl.parse_sql import shown, visible

    text = "".join(f"a{ch}" for ch in HIDDEN) + "❤\ufe0f €"
    [(out,)] = duckdb.connect().execute(f"select {shown('$t')}", {"t": text}).fetchall()
    assert out == visible(text) and not hidden(out) and out.endswith("❤\ufe0f €")
    assert {"\u00ad", "\u034f", "\u2028", "\u3164", "\U000e0041"} <= set(HIDDEN)
