"""`python -m etl load --dry-run`: the same recognition, checks, summary and exit code as a load,
and not one byte written next to the warehouse."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from etl import scratch
from etl.loader import load

REPO = Path(__file__).resolve().parent.parent
EXPORTS = REPO / "tests" / "fixtures" / "exports"
TARGETS = EXPORTS / "revline" / "targets.csv"
CONTACTS = EXPORTS / "hubspot" / "hubspot-crm-exports-all-contacts-2026-03-05.csv"
BAD = EXPORTS / "bad" / "orders.csv"


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REVLINE_EMAIL_HASH_KEY": "test-key", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def state(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file in the folder: size, modification time, content hash."""
    return {
        p.name: (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.iterdir())
    }


def outcome(results) -> list[tuple]:
    return [(r.name, r.status, r.adapter, r.message, r.counts) for r in results]


def test_dry_run_reports_what_a_load_would_do_and_writes_nothing(tmp_path):
    db = tmp_path / "wh" / "w.duckdb"
    assert cli(str(TARGETS), "--db", str(db)).returncode == 0  # an existing warehouse
    before = state(db.parent)
    dry = cli("--dry-run", str(TARGETS), str(CONTACTS), str(BAD), "--db", str(db))
    assert dry.returncode == 1, dry.stderr  # as a real load: one file fails
    assert state(db.parent) == before  # same files, same bytes, same times: no .next, no new .lock
    assert "Dry run: nothing was written to" in dry.stdout
    assert "failed: orders.csv: is not an export Revline recognises" in " ".join(dry.stderr.split())
    # the summary: a line per file with its counts, then "  export, status" under it (etl/cli.py)
    lines = dry.stdout.splitlines()
    table = {ln.split()[0]: ln + lines[i + 1] for i, ln in enumerate(lines[:-1]) if ln.strip().endswith(".csv")
             or (ln.split() and ln.split()[0].endswith(".csv"))}  # fmt: skip
    assert "duplicate_file" in table["targets.csv"]  # it sees what the warehouse already holds
    assert "loaded" in table[CONTACTS.name] and "failed" in table["orders.csv"]
    real = cli(str(TARGETS), str(CONTACTS), str(BAD), "--db", str(db))  # the load itself agrees
    assert real.returncode == 1
    def body(out: str) -> list[str]:  # the table from its header row on (titles differ)
        lines = out.splitlines()
        return lines[next(i for i, ln in enumerate(lines) if "file / export, status" in ln):]

    assert body(real.stdout) == body(dry.stdout)


def test_dry_run_results_equal_a_real_load(tmp_path):
    files = [
        CONTACTS,
        EXPORTS / "salesforce" / "report1772633640000.csv",
        EXPORTS / "bad" / "Custom report ragged.csv",
        BAD,
    ]
    dry = load(files, tmp_path / "absent" / "w.duckdb", dry_run=True)
    assert not (tmp_path / "absent").exists()  # not even the warehouse's folder is created
    real = load(files, tmp_path / "w.duckdb")
    assert outcome(dry) == outcome(real)
    assert {r.status for r in real} == {"loaded", "loaded_with_rejects", "failed"}


def test_dry_run_leaves_no_temporary_copy(tmp_path):
    db = tmp_path / "w.duckdb"
    load([TARGETS], db)
    work = scratch.work_dir()
    load([CONTACTS], db, dry_run=True)
    assert list(work.iterdir()) == []  # the throwaway warehouse and its .next / .lock are gone
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["w.duckdb", "w.duckdb.lock"]
