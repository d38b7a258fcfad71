"""Reading files and folders safely: what a folder holds besides exports, names that are not
UTF-8 or hold markup, odd line endings, stray quotes, runaway fields, temporary copies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import read, scratch
from etl.config import load_config
from etl.loader import load
from tests import tiers

REPO = Path(__file__).resolve().parent.parent
TARGETS = "month,metric,segment,value\n2026-03,new_pipeline,all,100000\n2026-03,spend,all,5000\n"
TIKTOK = (
    "By Day,Campaign name,Campaign ID,Primary status,Cost,Impressions,Clicks (destination),Conversions\n"
    "2026-03-01,Spring Sale TT,1791234567890123456,Active,45.67,12000,150,5\n"
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "REVLINE_EMAIL_HASH_KEY": "test-key", "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_folder_skips_lock_files_os_files_and_hidden_folders_with_a_note(tmp_path):
    exports = tmp_path / "exports"
    (exports / "hubspot").mkdir(parents=True)
    (exports / ".cache").mkdir()
    (exports / "targets.csv").write_text(TARGETS)
    (exports / "hubspot" / "~$deals.xlsx").write_bytes(b"\x00lock owner")  # Excel's lock file
    for junk in (".DS_Store", "desktop.ini", "Thumbs.db", ".hidden.csv"):
        (exports / junk).write_bytes(b"\x00\x01junk")
    (exports / ".cache" / "old.csv").write_text(TARGETS)
    proc = cli("exports", "--db", "w.duckdb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    assert "skipped: exports/hubspot/~$deals.xlsx: an Excel lock file" in err
    assert "skipped: exports/.DS_Store:" in err and "skipped: exports/Thumbs.db:" in err
    assert "skipped: exports/desktop.ini:" in err and "skipped: exports/.hidden.csv: a hidden file" in err
    assert "skipped: exports/.cache: a hidden folder" in err
    assert "failed" not in err
    # only the export was loaded or logged: skipped files are not failures
    assert rows(tmp_path / "w.duckdb", "select file_name, status from load_log") == [
        ("targets.csv", "loaded")
    ]


def test_non_utf8_names_load_and_show_escaped(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    name = os.fsencode(folder) + b"/caf\xe9 \xff targets.csv"  # Latin-1 bytes from an old zip
    with open(name, "wb") as fh:
        fh.write((TARGETS + "2026-13,new_pipeline,all,1\n").encode())  # one bad month: rejected row
    results = load([folder], tmp_path / "w.duckdb")
    assert [(r.name, r.status) for r in results] == [
        (r"exports/caf\xe9 \xff targets.csv", "loaded_with_rejects")
    ]
    db = tmp_path / "w.duckdb"
    assert rows(db, "select file_name, rows_loaded, rows_rejected from load_log") == [
        (r"caf\xe9 \xff targets.csv", 2, 1)
    ]
    assert rows(db, "select file_name, line_number from rejected_rows") == [(r"caf\xe9 \xff targets.csv", 4)]
    proc = cli("exports", "--db", "w2.duckdb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert r"exports/caf\xe9 \xff targets.csv" in proc.stdout.decode() + proc.stderr.decode()


def test_failures_name_the_path_inside_the_folder_given(tmp_path):
    (tmp_path / "exports" / "hubspot").mkdir(parents=True)
    (tmp_path / "exports" / "hubspot" / "deals.csv").write_text("order,total\n1,2\n")
    (tmp_path / "exports" / "salesforce").mkdir()
    (tmp_path / "exports" / "salesforce" / "deals.csv").write_text(TARGETS)
    results = load([tmp_path / "exports"], tmp_path / "w.duckdb")
    failed = [r for r in results if not r.ok]
    assert [r.message.split(": ")[0] for r in failed] == ["exports/hubspot/deals.csv"]
    assert failed[0].message.startswith("exports/hubspot/deals.csv: is not an export Revline recognises")
    proc = cli("exports", "--db", "w2.duckdb", cwd=tmp_path)
    assert proc.returncode == 1
    assert "failed: exports/hubspot/deals.csv: is not an export" in " ".join(proc.stderr.decode().split())


def test_markup_and_control_characters_in_names_print_as_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[red]targets[blue].csv").write_text(TARGETS)
    (folder / "[bold]bad\x1b[31m\r.csv").write_text("order,total\n1,2\n")
    proc = cli("in", "--db", "w.duckdb", cwd=tmp_path)
    out = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 1, out
    assert "\x1b" not in out and "\r" not in out  # no control character reaches the terminal
    assert "[red]targets[blue].csv" in out  # shown literally, not as markup
    assert r"failed: in/[bold]bad\x1b[31m\r.csv: is not an export" in " ".join(proc.stderr.decode().split())


def test_classic_mac_line_endings_load_with_right_line_numbers(tmp_path):
    f = tmp_path / "targets.csv"
    f.write_bytes((TARGETS + "2026-13,new_pipeline,all,1\n2026-04,spend,all,6000\n").replace("\n", "\r").encode())
    (r,) = load([f], tmp_path / "w.duckdb")
    assert (r.status, r.counts.rows_read, r.counts.rows_loaded, r.counts.rows_rejected) == (
        "loaded_with_rejects",
        4,
        3,
        1,
    )
    assert rows(tmp_path / "w.duckdb", "select line_number, raw_line from rejected_rows") == [
        (4, "2026-13,new_pipeline,all,1")
    ]


def _stray_file(tmp_path: Path, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """A TikTok report whose campaign names hold a stray inch mark; line 5 has a quoted field with
    a newline (lines 5-6), so a naive quote count goes wrong after line 3."""
    lines = [
        TIKTOK.rstrip("\n"),  # lines 1-2
        '2026-03-01,27" monitors,1791234567890123457,Active,10.00,1000,10,1',  # line 3: stray quote
        "2026-03-01,Brand TT,1791234567890123458,Active,20.00,2000,20,2",  # line 4
        '2026-03-01,"Two\nlines",1791234567890123459,Active,30.00,3000,30,3',  # lines 5-6
        '2026-03-01,12" screens,1791234567890123460,Active,40.00,4000,40,4',  # line 7: stray quote
        "2026-03-02,Brand TT,1791234567890123458,Active,50.00,5000,50,5",  # line 8
    ]
    f = tmp_path / "tiktok.csv"
    text = newline.join(lines) + newline
    f.write_bytes(("\ufeff" if encoding == "utf-16" else "").encode(encoding) + text.encode(encoding))
    return f


@pytest.mark.parametrize(
    ("batch_bytes", "encoding", "newline"),
    [
        (None, "utf-8", "\n"),
        (7, "utf-8", "\n"),
        (64, "utf-8", "\n"),
        (None, "utf-8", "\r\n"),
        (50, "utf-16", "\r\n"),
    ],
)
def test_stray_quote_rejects_its_row_not_the_file(tmp_path, monkeypatch, batch_bytes, encoding, newline):
    if batch_bytes:
        monkeypatch.setattr(read, "BATCH_BYTES", batch_bytes)  # boundaries inside every record
    f = _stray_file(tmp_path, encoding, newline)  # also as Google's UTF-16 "Excel .csv" with CRLF
    (r,) = load([f], tmp_path / "w.duckdb")
    assert (r.status, r.counts.rows_read, r.counts.rows_loaded, r.counts.rows_rejected) == (
        "loaded_with_rejects",
        6,
        4,
        2,
    )
    db = tmp_path / "w.duckdb"
    rejected = rows(db, "select line_number, raw_line, reason from rejected_rows order by 1")
    assert [(line, raw.split(",")[1]) for line, raw, _ in rejected] == [
        (3, '"27"" monitors"'),
        (7, '"12"" screens"'),
    ]
    assert all(
        reason.startswith('a quote (") inside a field that does not start with one')
        for *_, reason in rejected
    )
    loaded = rows(db, "select source_line, campaign_name from stg_tiktok__campaign_days order by 1")
    assert loaded == [(2, "Spring Sale TT"), (4, "Brand TT"), (5, "Two\nlines"), (8, "Brand TT")]


def test_a_field_over_the_limit_rejects_its_row(tmp_path):
    from dataclasses import replace

    cfg = replace(load_config(), max_field_bytes=1000)
    f = tmp_path / "targets.csv"
    f.write_text(TARGETS + f"2026-04,spend,{'x' * 5000},7000\n2026-05,spend,all,8000\n")
    (r,) = load([f], tmp_path / "w.duckdb", cfg=cfg)
    assert (r.counts.rows_read, r.counts.rows_loaded, r.counts.rows_rejected) == (4, 3, 1)
    (line, raw, reason) = rows(
        tmp_path / "w.duckdb", "select line_number, raw_line, reason from rejected_rows"
    )[0]
    assert line == 4 and raw == "2026-04,spend,[5000 bytes],7000"
    assert reason == "field 3 is 5000 bytes, over the limit of 1,000 ([limits] max_field_bytes)"
    assert load_config().max_field_bytes == 1_000_000  # config/revline.toml's default


def test_temporary_copies_are_private_and_stale_ones_removed(tmp_path, monkeypatch):
    root = scratch.private_root()
    assert (os.stat(root).st_mode & 0o777) == 0o700
    # a load killed while it held a transcoded copy: its process is gone, its folder stays
    code = "from etl import scratch; d = scratch.work_dir(); (d / 'copy.csv').write_text('x'); print(d, flush=True); input()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    stale = Path(proc.stdout.readline().strip())
    proc.kill()  # SIGKILL: no clean-up of its own
    proc.wait()
    assert stale.parent == root and (stale / "copy.csv").exists()
    old = time.time() - 3600
    os.utime(stale, (old, old))
    mine = scratch.work_dir()  # this process's folder is held: never removed
    f = tmp_path / "targets.csv"
    f.write_bytes(b"\xff\xfe" + TARGETS.encode("utf-16-le"))  # UTF-16: read through a UTF-8 copy
    copies: list[tuple[bytes, list[Path], bool]] = []
    transcode = read._transcode

    def spy(*args, **kwargs):
        fh = transcode(*args, **kwargs)
        where = os.readlink(f"/proc/self/fd/{fh.fileno()}")  # Linux: "<folder>/#123 (deleted)"
        copies.append((fh.read(), list(mine.iterdir()), where.startswith(f"{mine}/")))
        fh.seek(0)
        return fh

    monkeypatch.setattr(read, "_transcode", spy)
    (r,) = load([f], tmp_path / "w.duckdb")  # a load starts by removing stale folders
    assert r.status == "loaded" and r.counts.rows_loaded == 2
    assert not stale.exists() and mine.exists()
    # the UTF-8 copy existed, in the private folder, but never under a name a killed load could leave
    assert copies == [(TARGETS.encode(), [], True)]


def test_stray_quotes_read_the_same_at_every_batch_size(tmp_path, monkeypatch):
    """Whatever the chunk boundaries, the same rows with the same lines and notes come out."""
    f = _stray_file(tmp_path)

    def rows_read() -> list[tuple]:
        return [row for frame in read.read_export(f).batches for row in frame.iter_rows()]

    whole = rows_read()
    assert [row[0] for row in whole] == [2, 3, 4, 5, 7, 8]
    for size in [*tiers.every(range(1, f.stat().st_size + 1)), f.stat().st_size + 1]:
        monkeypatch.setattr(read, "BATCH_BYTES", size)
        assert rows_read() == whole, size


def test_a_zip_archive_is_read_as_its_files(tmp_path):
    """Search Console downloads a ZIP of CSVs: its files are read one by one and named inside the zip
    (tests/test_load_search_console.py loads a whole one); tables it does not know are refused by name."""
    import zipfile

    from etl.loader import load

    path = tmp_path / "Performance-on-Search-2026-03-03.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Queries.csv", "Top queries,Clicks\nrevline,3\n")
        z.writestr("Pages.csv", "Top pages,Clicks\n/,3\n")
    results = load([path], tmp_path / "w.duckdb")
    assert [(r.name, r.status) for r in results] == [
        ("Performance-on-Search-2026-03-03.zip/Queries.csv", "failed"),
        ("Performance-on-Search-2026-03-03.zip/Pages.csv", "failed"),
    ]
    assert all(str(tmp_path) not in r.message for r in results)
