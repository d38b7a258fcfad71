"""One e-mail hash key per warehouse, found the same way from any working directory; a load with
another key is refused before it changes anything (it would stop merging the same person across
HubSpot and Salesforce)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.config import email_hash_key, email_key_source
from etl.demo_data import write_demo
from etl.loader import load
from etl.warehouse import key_fingerprint

REPO = Path(__file__).resolve().parent.parent


def cli_load(paths: list[Path], db: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`python -m etl load` as a user runs it from `cwd`, with no key in the environment."""
    base = {k: v for k, v in os.environ.items() if k not in ("REVLINE_EMAIL_HASH_KEY", "REVLINE_SECRETS")}
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", *map(str, paths), "--db", str(db)],
        cwd=cwd, env={**base, "PYTHONPATH": str(REPO), **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def read(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
        con.execute("use w").fetchall()
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """The demo's HubSpot and Salesforce exports: many people are in both CRMs (same e-mail)."""
    files = write_demo(tmp_path_factory.mktemp("exports"))
    return [f for f in files if "hubspot" in str(f)], [f for f in files if "salesforce" in str(f)]


def test_two_loads_from_different_folders_merge_people_like_one(tmp_path, crm):
    hubspot, salesforce = crm
    reference = tmp_path / "reference.duckdb"
    load(hubspot + salesforce, reference)  # one load, one key
    # a folder with its own .streamlit/secrets.toml (an earlier Revline read that one, cwd-relative)
    a, b = tmp_path / "a", tmp_path / "b"
    (a / ".streamlit").mkdir(parents=True)
    (a / ".streamlit" / "secrets.toml").write_text('[revline]\nemail_hash_key = "cwd-key"\n')
    b.mkdir()
    db = tmp_path / "w.duckdb"
    first = cli_load(hubspot, db, cwd=a)
    assert first.returncode == 0, first.stderr
    second = cli_load(salesforce, db, cwd=b)
    assert second.returncode == 0, second.stderr
    # the same people merged: as many leads as one load of both makes (each key merges alike)
    leads = read(db, "select count(*), count(distinct email_hash) from leads")
    assert leads == read(reference, "select count(*), count(distinct email_hash) from leads")
    merged = read(db, "select count(*) from stg_hubspot__contacts")[0][0] + read(
        db, "select count(*) from stg_salesforce__leads")[0][0]  # fmt: skip
    assert leads[0][0] < merged  # people in both CRMs count once
    # both loads found the key file beside the warehouse, never the working folder's secrets
    key = (tmp_path / "w.duckdb.key").read_text().strip()
    assert read(db, "select value from warehouse_meta where name = 'email_key_fingerprint'") == [
        (key_fingerprint(key),)
    ]


def test_a_load_with_another_key_is_refused_and_changes_nothing(tmp_path, crm):
    hubspot, salesforce = crm
    db = tmp_path / "w.duckdb"
    assert cli_load(hubspot, db, cwd=tmp_path, REVLINE_EMAIL_HASH_KEY="the-first-key").returncode == 0
    before = db.read_bytes()
    out = cli_load(salesforce, db, cwd=tmp_path, REVLINE_EMAIL_HASH_KEY="another-key")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "hashes e-mails with another key" in out.stderr and "REVLINE_EMAIL_HASH_KEY" in out.stderr
    assert key_fingerprint("the-first-key") in out.stderr and key_fingerprint("another-key") in out.stderr
    assert "another-key" not in out.stderr.replace(key_fingerprint("another-key"), "")  # never the key
    assert db.read_bytes() == before
    assert not (tmp_path / "w.duckdb.next").exists() and not (tmp_path / "w.duckdb.gen").exists()
    # the key itself is nowhere in the warehouse, only its fingerprint
    con = duckdb.connect(":memory:")
    con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
    for table, column in con.execute(
        "select table_name, column_name from duckdb_columns() where database_name = 'w' and data_type = 'VARCHAR'"
    ).fetchall():
        hits = con.execute(f'select count(*) from w."{table}" where contains("{column}", ?)', ["the-first-key"])
        assert hits.fetchall() == [(0,)], (table, column)
    con.close()
    # with the warehouse's key, the same files load
    again = cli_load(salesforce, db, cwd=tmp_path, REVLINE_EMAIL_HASH_KEY="the-first-key")
    assert again.returncode == 0, again.stderr


def test_the_secrets_file_is_found_beside_the_app_not_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("REVLINE_EMAIL_HASH_KEY")
    monkeypatch.delenv("REVLINE_SECRETS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[revline]\nemail_hash_key = "cwd-key"\n')
    db = tmp_path / "w.duckdb"
    assert email_hash_key(db) != "cwd-key"
    assert email_key_source(db) in (str(REPO / ".streamlit" / "secrets.toml"), str(tmp_path / "w.duckdb.key"))
    monkeypatch.setenv("REVLINE_SECRETS", str(tmp_path / ".streamlit" / "secrets.toml"))
    assert email_hash_key(db) == "cwd-key"  # named explicitly: used
