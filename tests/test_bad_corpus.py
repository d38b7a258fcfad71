"""The bad-input corpus (tests/bad_inputs/): every file people really produce gets a clear message
or rejects with line and reason, never a traceback, and the counts always add up."""

from __future__ import annotations

import duckdb
import pytest

from etl.loader import load
from tests.bad_inputs.make_corpus import CASES, HERE


def test_corpus_is_current_and_large_enough():
    assert len(CASES) >= 30
    assert sorted(p.name for p in HERE.iterdir()) == sorted(c.name for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_input(case, tmp_path):
    db = tmp_path / "w.duckdb"
    (result,) = load([HERE / case.name], db)
    assert result.status == case.status, result.message
    assert "Traceback" not in result.message and "Error:" not in result.message
    c = result.counts
    assert c.rows_read == c.rows_loaded + c.rows_rejected + c.rows_duplicate
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = [r for (r,) in con.execute("select reason from rejected_rows").fetchall()]
        lines = [n for (n,) in con.execute("select line_number from rejected_rows").fetchall()]
        logged = con.execute("select status, message from load_log").fetchall()
    assert logged == [(case.status, result.message)]
    if case.status == "failed":
        assert result.message.startswith(case.name + ":") and case.says in result.message
        assert c.rows_loaded == 0
        return
    if case.says:
        assert any(case.says in r for r in reasons) or case.says in result.message, (reasons, result.message)
    assert c.rows_rejected == case.rejected == len(reasons)
    assert all(n and n > 1 for n in lines)  # a line number after the header, for every reject
    if case.loaded is not None:
        assert c.rows_loaded == case.loaded
    if "skipped" in case.extra:
        assert c.rows_skipped == case.extra["skipped"]
