"""Recovery: each swap keeps the replaced version as a generation that `python -m etl restore` swaps
back; a damaged warehouse, a foreign write-ahead log, a full disk and a read-only folder each end
in one message naming the fix (in the ETL, the summary command and the app), never a traceback,
and never leave a partial file behind. The swap keeps the file's mode, group and symlink."""

from __future__ import annotations

import contextlib
import grp
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.cli import main as etl_main
from etl.loader import load
from etl.warehouse import generations
from queries.connection import WarehouseUnreadable
from queries.runner import run

REPO = Path(__file__).resolve().parent.parent
EXPORTS = Path(__file__).parent / "fixtures" / "exports"
FILES = [
    EXPORTS / "meta" / "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv",
    EXPORTS / "google_ads" / "Campaign report.csv",
    EXPORTS / "tiktok" / "Custom report 2026-03-01 to 2026-03-02.csv",
    EXPORTS / "linkedin" / "campaign_performance_report.csv",
    EXPORTS / "hubspot" / "hubspot-crm-exports-all-contacts-2026-03-05.csv",
]
SPEND = {"start_date": "2026-03-01", "end_date": "2026-03-31"}


def fingerprint(db: Path) -> tuple:
    """Rows and content of the contract tables (in-memory ATTACH: no clash with the app's reader)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
        return tuple(con.execute(f"select count(*), sum(hash(*columns(*))) from w.{t}").fetchall()[0]
                     for t in ("ad_spend", "leads", "load_log"))  # fmt: skip
    finally:
        con.close()


def ad_rows(db: Path) -> int:
    """ad_spend rows as the app's query runner reads them."""
    return run("data/table_counts", db=db).filter(table_name="ad_spend")["row_count"][0]


def leftovers(db: Path) -> list[str]:
    """Partial files a failed load must not leave: the copy, its log and spill folder, half copies."""
    names = [db.name + s for s in (".next", ".next.wal", ".next.tmp")]
    found = [n for n in names if (db.parent / n).exists()]
    gen = db.parent / (db.name + ".gen")
    return found + ([p.name for p in gen.glob("*.partial")] if gen.is_dir() else [])


def cli(module: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "REVLINE_EMAIL_HASH_KEY": "test-key"}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def built(tmp_path: Path, n: int) -> Path:
    """A warehouse made by n loads, one file each: n versions, n - 1 generations."""
    db = tmp_path / "w.duckdb"
    for f in FILES[:n]:
        assert all(r.ok for r in load([f], db))
    return db


def test_a_swap_keeps_mode_group_and_the_symlink(tmp_path):
    real = tmp_path / "srv" / "warehouse.duckdb"
    real.parent.mkdir()
    load([FILES[0]], real)
    group = grp.getgrnam("nogroup" if _has_group("nogroup") else "users").gr_gid
    os.chown(real, -1, group)
    real.chmod(0o640)
    link = tmp_path / "w.duckdb"
    link.symlink_to(real)
    before = os.stat(real).st_ino
    assert all(r.ok for r in load([FILES[1]], link))
    assert link.is_symlink() and Path(os.readlink(link)) == real  # the link still points at the target
    st = os.stat(real)
    assert st.st_ino != before  # the target got the new version
    assert stat.S_IMODE(st.st_mode) == 0o640 and st.st_gid == group
    assert fingerprint(link)[2][0] == 2  # two loads, read through the link
    assert [g.name.endswith("-load1") for g in generations(link)] == [True]


def _has_group(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def test_generations_are_kept_and_restored(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    versions, inodes = {}, {}
    for f in FILES:
        assert all(r.ok for r in load([f], db))
        n = fingerprint(db)[2][0]
        versions[n], inodes[n] = fingerprint(db), os.stat(db).st_ino
    gens = generations(db)
    # keep_generations = 3 (config/revline.toml): the three versions before the live one (5 loads)
    assert [g.name.rsplit("-", 1)[1] for g in gens] == ["load4", "load3", "load2"]
    # a generation is the replaced file itself (hard link), not a copy: no copy time
    assert [os.stat(g.path).st_ino for g in gens] == [inodes[4], inodes[3], inodes[2]]
    assert etl_main(["restore", "--list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert all(g.name in listed for g in gens) and "readable" in listed
    assert etl_main(["restore", gens[2].name, "--db", str(db)]) == 0
    assert fingerprint(db) == versions[2]
    # readers follow the restore; the version it replaced is kept (a restore can be undone)
    assert ad_rows(db) == versions[2][0][0]
    assert generations(db)[0].name.endswith("-load5")
    assert etl_main(["restore", generations(db)[0].name, "--db", str(db)]) == 0
    assert fingerprint(db) == versions[5]
    assert etl_main(["restore", "no-such-generation", "--db", str(db)]) == 2
    assert "No generation 'no-such-generation'" in capsys.readouterr().err
    assert leftovers(db) == []


def damage_message_checks(text: str, db: Path, good: str) -> None:
    assert "Traceback" not in text
    assert "is damaged and cannot be read" in text
    assert f"python -m etl restore {good} --db {db}" in text


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_warehouse_names_the_last_good_generation(tmp_path, monkeypatch, damage, app):
    db = built(tmp_path, 2)
    good = generations(db)[0].name  # the version after the first load
    size = db.stat().st_size
    if damage == "truncate":
        os.truncate(db, size // 2)
    else:  # garbage over the middle of the file, where the tables' blocks are
        with open(db, "r+b") as fh:
            fh.seek(size // 10)
            fh.write(os.urandom(size * 8 // 10))
    damaged_bytes = db.read_bytes()
    # the ETL refuses, changes nothing, leaves nothing
    out = cli("etl", "load", str(FILES[2]), "--db", str(db))
    assert out.returncode == 2, out.stderr
    damage_message_checks(out.stderr, db, good)
    assert db.read_bytes() == damaged_bytes and leftovers(db) == []
    # the summary command
    out = cli("queries", "summary", "--db", str(db), "--start", "2026-03-01", "--end", "2026-03-31")
    assert out.returncode == 2 and out.stdout == ""
    damage_message_checks(out.stderr, db, good)
    # the query runner
    with pytest.raises(WarehouseUnreadable) as exc:
        run("data/table_counts", db=db)
    damage_message_checks(str(exc.value), db, good)
    # the app: one friendly error, no traceback
    at = app(db)
    monkeypatch.delenv("REVLINE_DB")
    assert len(at.error) == 1
    damage_message_checks(at.error[0].value, db, good)
    # and the way back the message names
    out = cli("etl", "restore", good, "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert fingerprint(db)[2][0] == 1
    assert any(p.name.endswith("-damaged.bad") for p in (tmp_path / "w.duckdb.gen").iterdir())  # set aside
    assert all(r.ok for r in load([FILES[1]], db)) and fingerprint(db)[2][0] == 2


def foreign_wal(db: Path) -> None:
    """Leave a write-ahead log of another database beside `db` (a program wrote a different file)."""
    other = db.parent / "other" / db.name
    other.parent.mkdir()
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute('pragma disable_checkpoint_on_shutdown');"
            "c.execute('create table t as select 1 as x'); c.close()")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(other)], check=True)
    shutil.copyfile(other.with_name(other.name + ".wal"), db.with_name(db.name + ".wal"))


def test_a_foreign_wal_is_named_then_moved_aside(tmp_path):
    db = built(tmp_path, 2)
    before = fingerprint(db)
    foreign_wal(db)
    with pytest.raises(WarehouseUnreadable) as exc:
        run("data/table_counts", db=db)
    assert "does not belong" in str(exc.value) and f"python -m etl rebuild --db {db}" in str(exc.value)
    out = cli("etl", "rebuild", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert not db.with_name(db.name + ".wal").exists()
    assert any(p.suffix == ".wal" for p in (tmp_path / "w.duckdb.gen").iterdir())  # kept, aside
    assert fingerprint(db) == before
    assert ad_rows(db) == before[0][0]


def test_a_wal_of_the_file_is_kept_by_the_next_load(tmp_path):
    """Someone wrote to the warehouse directly and the process died before its checkpoint: its
    log belongs to the file, so the next load keeps those changes, and no log stays beside it."""
    db = built(tmp_path, 1)
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute('pragma disable_checkpoint_on_shutdown');"
            "c.execute(\"create table my_notes as select 'kept' as note\"); c.close()")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)
    assert db.with_name(db.name + ".wal").exists()
    assert all(r.ok for r in load([FILES[1]], db))
    assert not db.with_name(db.name + ".wal").exists()
    con = duckdb.connect(":memory:")
    con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
    assert con.execute("select note from w.my_notes").fetchall() == [("kept",)]
    assert con.execute("select count(*) from w.load_log").fetchall() == [(2,)]
    con.close()


def test_leftovers_of_a_killed_load_are_replaced(tmp_path):
    db = built(tmp_path, 1)
    db.with_name(db.name + ".next").write_bytes(os.urandom(5000))
    db.with_name(db.name + ".next.wal").write_bytes(os.urandom(500))
    assert all(r.ok for r in load([FILES[1]], db))
    assert leftovers(db) == [] and fingerprint(db)[2][0] == 2


@contextlib.contextmanager
def mounted(folder: Path, *options: str):
    """A real file system fault: a small tmpfs (a full disk) or a read-only bind mount, as root."""
    subprocess.run(["mount", *options, str(folder)], check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_leaves_nothing_behind(tmp_path):
    src = built(tmp_path, 1)
    size = src.stat().st_size
    disk = tmp_path / "disk"
    disk.mkdir()
    # room for the warehouse and a bit more, not for a second copy
    with mounted(disk, "-t", "tmpfs", "-o", f"size={size + size // 2}", "tmpfs"):
        db = disk / "w.duckdb"
        shutil.copyfile(src, db)
        before = fingerprint(db)
        out = cli("etl", "load", *map(str, FILES[1:]), "--db", str(db))
        assert out.returncode == 2, out.stdout + out.stderr
        assert "Traceback" not in out.stderr and "the disk is full" in out.stderr
        assert "Nothing was changed and no partial file was left" in out.stderr
        assert fingerprint(db) == before and leftovers(db) == []


def test_a_read_only_folder_is_refused_cleanly(tmp_path):
    db = built(tmp_path, 1)
    before = fingerprint(db)
    with mounted(tmp_path, "--bind", "-o", "ro", str(tmp_path)):
        out = cli("etl", "load", str(FILES[1]), "--db", str(db))
        assert out.returncode == 2, out.stdout + out.stderr
        assert "Traceback" not in out.stderr and "read-only file system" in out.stderr
        assert fingerprint(db) == before and leftovers(db) == []
