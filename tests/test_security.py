"""Hostile filter values change nothing: every value is bound as a parameter, never formatted into
SQL. Checked through every query, the summary command and every page."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from queries.catalog import all_queries, arguments
from queries.runner import run

REPO = Path(__file__).resolve().parent.parent
HOSTILE = [
    "x' or '1'='1",
    "'; drop table leads; --",
    'paid_social"; delete from deals; --',
    "/* */ union select 1 --",
    "Tom Becker' --",
]
OCT = (date(2026, 10, 1), date(2026, 10, 31))


def fingerprint(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(con.execute(f"select count(*), sum(hash(*columns(*))) from {t}").fetchall()[0]
                     for t in ("ad_spend", "leads", "deals", "activities", "targets"))  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_every_query_treats_hostile_filters_as_values(revenue_db, value):
    before = fingerprint(revenue_db)
    for name in all_queries():
        args = arguments(name, *OCT)
        hostile = {k: value for k in ("channel", "platform", "campaign", "owner") if k in args}
        if not hostile:
            continue
        out = run(name, db=revenue_db, **{**args, **hostile})
        nothing = run(name, db=revenue_db, **{**args, **dict.fromkeys(hostile, "no such value")})
        assert out.equals(nothing), name  # a value that matches nothing, not SQL
    assert fingerprint(revenue_db) == before


def test_summary_command_with_hostile_filters(revenue_db):
    before = fingerprint(revenue_db)
    for value in HOSTILE:
        p = subprocess.run(
            [sys.executable, "-m", "queries", "summary", "--db", str(revenue_db), "--start", "2026-10-01",
             "--end", "2026-10-31", "--channel", value, "--owner", value],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr
        assert '"revenue"' in p.stdout
    assert fingerprint(revenue_db) == before


def test_every_page_with_hostile_url_parameters(revenue_db, monkeypatch):
    before = fingerprint(revenue_db)
    monkeypatch.setenv("REVLINE_DB", str(revenue_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params.update(range="custom", start="2026-10-01'--", end="2026-10-31; drop table leads",
                           channel=HOSTILE[1], owner=HOSTILE[0], campaign=HOSTILE[3], role="x' or 1=1")  # fmt: skip
    at.run()
    assert not at.exception
    for page in ("overview", "marketing", "sales", "funnel", "handoff", "data", "definitions"):
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, page
    # unknown filter values fall back to "(all)" and are dropped from the URL
    assert "channel" not in at.query_params and at.query_params["role"] == "leadership"
    assert fingerprint(revenue_db) == before


def test_email_hash_key_comes_from_secrets_never_the_repo(tmp_path, monkeypatch):
    from etl.config import email_hash_key

    monkeypatch.delenv("REVLINE_EMAIL_HASH_KEY")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[revline]\nemail_hash_key = "from-secrets"\n')
    monkeypatch.setenv("REVLINE_SECRETS", str(secrets))
    assert email_hash_key(tmp_path / "w.duckdb") == "from-secrets"
    monkeypatch.setenv("REVLINE_SECRETS", str(tmp_path / "none.toml"))
    key = email_hash_key(tmp_path / "w.duckdb")  # a random key kept next to the warehouse
    assert len(key) == 64 and (tmp_path / "w.duckdb.key").read_text().strip() == key
    assert oct((tmp_path / "w.duckdb.key").stat().st_mode)[-3:] == "600"
    assert email_hash_key(tmp_path / "w.duckdb") == key
