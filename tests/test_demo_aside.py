"""Your data never mixes with the demo: a load (command or upload) onto the demo warehouse moves the
demo aside, intact, and starts the user's own warehouse where it was (etl/demo_aside.py, decision
0113). The stand-in demo here is what etl/bootstrap.py makes (a load, then the marker beside it) from
small fixtures; the app test builds the real demo on the app's first start."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import duckdb
import pytest

from etl.bootstrap import demo_marker, is_demo
from etl.cli import main
from etl.loader import load

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
DEMO_ADS = [EXPORTS / "google_ads" / "Campaign report.csv", EXPORTS / "google_ads" / "Campaign report (2).csv"]
CONTACTS = EXPORTS / "hubspot" / "hubspot-crm-exports-all-contacts-2026-03-05-1.csv"
CONTACTS_2 = EXPORTS / "hubspot" / "hubspot-crm-exports-all-contacts-2026-03-05-2.csv"


def small_demo(root: Path) -> Path:
    """A demo at `root/data/warehouse.duckdb` with one generation (two loads), marked as bootstrap marks it."""
    db = root / "data" / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    for f in DEMO_ADS:
        load([f], db)
    demo_marker(db).write_text("Built from the demo exports by the app's first start (etl/bootstrap.py).\n")
    return db


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(db: Path) -> list[str]:
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
        return sorted(r[0] for r in con.execute("select file_name from w.load_log").fetchall())
    finally:
        con.close()


def leads(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from leads").fetchall()[0][0]
    finally:
        con.close()


DEMO_FILES = sorted(f.name for f in DEMO_ADS)


@pytest.mark.parametrize("by", ["default", "--db"])
def test_cli_load_onto_the_demo_starts_your_own_warehouse(tmp_path, monkeypatch, capsys, by):
    """The README's command, with no --db (the default path) or with --db naming the demo file by hand."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = small_demo(tmp_path)
    demo_sha = sha(db)
    capsys.readouterr()
    args = ["load", str(CONTACTS)] + (["--db", "data/warehouse.duckdb"] if by == "--db" else [])
    assert main(args) == 0
    out = capsys.readouterr().out
    aside = tmp_path / "data" / "demo.duckdb"
    assert files_in(db) == [CONTACTS.name] and leads(db) == 2  # the real rows, alone
    assert not is_demo(db)  # no badge on the user's warehouse
    assert is_demo(aside) and sha(aside) == demo_sha and files_in(aside) == DEMO_FILES  # the demo intact
    assert "Loaded into data/warehouse.duckdb (your own warehouse)" in out
    (line,) = [x for x in out.splitlines() if x.startswith("demo:")]  # one line: where the demo went
    assert "data/demo.duckdb" in line and "REVLINE_DB=data/demo.duckdb" in line


def test_a_demo_set_aside_is_refused_as_a_target(tmp_path, monkeypatch, capsys):
    """`--db` at the moved demo, or REVLINE_DB naming it: refused with the way on, nothing written."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    small_demo(tmp_path)
    assert main(["load", str(CONTACTS)]) == 0
    aside = tmp_path / "data" / "demo.duckdb"
    before = sha(aside)
    capsys.readouterr()
    assert main(["load", str(CONTACTS_2), "--db", "data/demo.duckdb"]) == 2
    err = capsys.readouterr().err
    assert "data/demo.duckdb is the demo warehouse" in err and "--db data/warehouse.duckdb" in err
    monkeypatch.setenv("REVLINE_DB", "data/demo.duckdb")
    assert main(["load", str(CONTACTS_2)]) == 2
    assert sha(aside) == before and files_in(aside) == DEMO_FILES and not (tmp_path / "data" / "demo-2.duckdb").exists()
    assert files_in(tmp_path / "data" / "warehouse.duckdb") == [CONTACTS.name]


def test_a_dry_run_onto_the_demo_counts_against_an_empty_warehouse(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = small_demo(tmp_path)
    before = sha(db)
    capsys.readouterr()
    assert main(["load", "--dry-run", str(DEMO_ADS[0])]) == 0  # a demo file: new to an empty warehouse
    out = capsys.readouterr().out
    assert "duplicate_file" not in out and "a load would move it to data/demo.duckdb" in out
    assert sha(db) == before and is_demo(db) and not (tmp_path / "data" / "demo.duckdb").exists()


def test_restore_generations_and_a_second_load_across_the_move(tmp_path, monkeypatch, capsys):
    """The demo's generations move with it and still restore; the user's warehouse starts without
    any (the demo is never one of its versions), and a second load goes into it and keeps the first."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = small_demo(tmp_path)
    aside = tmp_path / "data" / "demo.duckdb"
    assert main(["load", str(CONTACTS)]) == 0
    assert main(["load", str(CONTACTS_2)]) == 0  # the second load: into the user's warehouse
    assert files_in(db) == sorted([CONTACTS.name, CONTACTS_2.name]) and not (tmp_path / "data" / "demo-2.duckdb").exists()
    capsys.readouterr()
    assert main(["restore", "--list", "--db", "data/demo.duckdb"]) == 0
    demo_list = capsys.readouterr().out
    assert "the demo: invented numbers" in demo_list and "-load1" in demo_list  # the demo's own generation
    assert main(["restore", "--list"]) == 0
    mine = capsys.readouterr().out.splitlines()
    gens = [line.split()[0] for line in mine if line.endswith("readable") and not line.startswith("live")]
    assert mine[0] == "live: data/warehouse.duckdb (readable)" and len(gens) == 1  # the first load's version
    assert main(["restore", gens[0]]) == 0
    assert files_in(db) == [CONTACTS.name] and not is_demo(db)
    demo_gen = next(line.split()[0] for line in demo_list.splitlines() if "-load1" in line)
    assert main(["restore", demo_gen, "--db", "data/demo.duckdb"]) == 0
    assert files_in(aside) == [DEMO_ADS[0].name] and is_demo(aside)  # the demo after its first load
    assert files_in(db) == [CONTACTS.name]


def test_two_loads_at_once_move_the_demo_once(tmp_path, monkeypatch):
    """The choice is made under the load lock: the load that waited finds the user's warehouse."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    db = small_demo(tmp_path)
    moved: list[Path] = []
    threads = [threading.Thread(target=load, args=([f], db), kwargs={"demo_to": moved}) for f in (CONTACTS, CONTACTS_2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert moved == [tmp_path / "data" / "demo.duckdb"] and sorted(p.name for p in db.parent.glob("demo*.duckdb")) == ["demo.duckdb"]
    assert files_in(db) == sorted([CONTACTS.name, CONTACTS_2.name]) and files_in(moved[0]) == DEMO_FILES


def test_a_reader_of_the_demo_keeps_reading_it_through_the_move(tmp_path):
    """The app reads the demo while a load sets it aside: its open file is the demo still, the
    load is not blocked by it, and the next attach of the path reads the user's warehouse."""
    db = small_demo(tmp_path)
    reader = duckdb.connect(":memory:")
    reader.execute("attach ? as wh (read_only)", [str(db)]).fetchall()
    demo_rows = reader.execute("select count(*) from wh.ad_spend").fetchall()[0][0]
    assert demo_rows > 0
    moved: list[Path] = []
    (r,) = load([CONTACTS], db, demo_to=moved)
    assert r.ok and moved
    assert reader.execute("select count(*) from wh.ad_spend").fetchall()[0][0] == demo_rows
    reader.close()
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute("select count(*) from ad_spend").fetchall()[0][0] == 0
    fresh.close()
    assert files_in(moved[0]) == DEMO_FILES


def _data_page_in_the_frame() -> None:
    """The Data page inside the app's frame, as app.py runs it. AppTest starts every run as a first
    request, which Streamlit's pages/ mode sends through app.py by page switches that drop an upload;
    a browser's upload is one rerun of the page itself, as here."""
    import runpy

    from tests.apptest import APP
    from ui.auth import framed

    with framed():
        runpy.run_path(str(APP.parent / "pages" / "data.py"))


def test_upload_on_the_demo_in_the_app(tmp_path, monkeypatch, app):
    """The README's path from a fresh clone: start the app (it builds the demo), upload a real export
    on the Data page: only the real rows in the warehouse, no Demo badge, the demo intact elsewhere."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    at = app(page="data", timeout=240)  # the first start builds the demo at data/warehouse.duckdb
    db, aside = tmp_path / "data" / "warehouse.duckdb", tmp_path / "data" / "demo.duckdb"
    assert any("Demo data" in w.value for w in at.sidebar.warning)
    assert any("**the demo**" in m.value and "data/demo.duckdb" in m.value for m in at.markdown)
    demo_files, demo_sha = files_in(db), sha(db)
    page = app(script=_data_page_in_the_frame)
    page.file_uploader[0].set_value((CONTACTS.name, CONTACTS.read_bytes(), "text/csv"))
    page.run()
    next(b for b in page.button if b.label == "Load into the warehouse").click().run()
    assert not page.exception, [e.value for e in page.exception]
    assert files_in(db) == [CONTACTS.name] and leads(db) == 2  # the real rows, alone
    assert is_demo(aside) and sha(aside) == demo_sha and files_in(aside) == demo_files  # the demo intact
    assert [i.value for i in page.info if "data/demo.duckdb" in i.value]  # where the demo went
    assert any("2 loaded" in s.value for s in page.success)  # the per-file line, as before
    assert any("**your own**" in m.value for m in page.markdown)  # the rerun reads the new warehouse
    again = app(page="data")  # the app now: the user's warehouse, no badge, the way back to the demo
    assert not any("Demo data" in w.value for w in again.warning)
    assert any("**your own**" in m.value for m in again.markdown)
    assert any("Open the demo" in c.value and "REVLINE_DB=data/demo.duckdb" in c.value for c in again.caption)
    page.file_uploader[0].set_value(("contacts 2.csv", CONTACTS_2.read_bytes(), "text/csv"))
    page.run()
    next(b for b in page.button if b.label == "Load into the warehouse").click().run()  # a second upload
    assert files_in(db) == sorted([CONTACTS.name, "contacts 2.csv"]) and files_in(aside) == demo_files


def test_an_empty_own_warehouse_shows_how_to_load(tmp_path, monkeypatch, app):
    """A first load that loaded nothing still set the demo aside: the dashboards say how to load
    exports and where the demo is, not a page of empty tiles."""
    monkeypatch.delenv("REVLINE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = small_demo(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    (r,) = load([empty], db)
    assert not r.ok and not is_demo(db)
    for page in ("overview", "sales"):
        at = app(page=page)
        assert [t.value for t in at.title] == ["Your warehouse is empty"], page
        assert not at.metric, page  # no tiles of dashes
        assert any("python3 -m etl load" in m.value for m in at.markdown), page
        assert any("data/demo.duckdb" in c.value for c in at.caption), page
    data = app(page="data")
    assert [t.value for t in data.title] == ["Data"] and any("**your own**" in m.value for m in data.markdown)


def test_commands_over_the_warehouse_say_when_it_is_the_demo(tmp_path, monkeypatch, capsys):
    """`python -m queries summary` and `python -m reports` name the demo once; the user's warehouse
    and the demo set aside are each said for what they are."""
    from queries.cli import warehouse

    monkeypatch.delenv("REVLINE_DB", raising=False)
    db = small_demo(tmp_path)
    assert warehouse(str(db)) == db
    assert f"note: {db} is the demo warehouse" in capsys.readouterr().err
    load([CONTACTS], db)
    assert warehouse(str(db)) == db and capsys.readouterr().err == ""
    aside = tmp_path / "data" / "demo.duckdb"
    assert warehouse(str(aside)) == aside and f"note: {aside} is the demo warehouse" in capsys.readouterr().err
