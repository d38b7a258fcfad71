"""Exports are read in batches of whole records (etl/read.py) so memory stays flat at any size.

The batch size must never change an answer: every fixture export loaded with tiny batches (many
boundaries per file: quoted newlines, Salesforce footers, totals rows, rejects all cross them)
gives the same warehouse, row for row, as loaded in one batch.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest

from etl import read
from etl.loader import load
from etl.read import record_chunks

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def test_chunks_end_outside_quotes_and_lose_nothing():
    text = b'a,b\n1,"two\nlines"\n3,"say ""hi""\n"\n4,x\n5,"open\n\n"\n6,y\n'
    for size in range(1, len(text) + 2):
        chunks = list(record_chunks(io.BytesIO(text), size))
        assert b"".join(chunks) == text  # nothing lost, nothing repeated
        for c in chunks:
            assert c.endswith(b"\n") and c.count(b'"') % 2 == 0, (size, c)  # whole records only


def test_unclosed_quote_keeps_the_rest_in_one_chunk():
    text = b'1,a\n2,"never closed\n3,b\n4,c\n'
    chunks = list(record_chunks(io.BytesIO(text), 4))
    assert chunks == [b"1,a\n", b'2,"never closed\n3,b\n4,c\n']  # the parser then names the damage


def _snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    tables = [t for (t,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
    snap = {}
    for t in tables:
        cols = [c for (c,) in con.execute(f"select column_name from duckdb_columns() where table_name = '{t}'").fetchall()]
        # wall-clock columns differ between any two loads
        cols = [c for c in cols if c not in ("started_at", "finished_at", "file_path", "last_loaded_at")]
        snap[t] = sorted(con.execute(f"select {', '.join(cols)} from {t}").fetchall(), key=repr)
    con.close()
    return snap


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    db = tmp_path_factory.mktemp("whole") / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:  # module scope: before the autouse key fixture
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        load([EXPORTS], db)
    return _snapshot(db)


def test_tiny_batches_load_the_same_warehouse(whole, tmp_path, monkeypatch):
    monkeypatch.setattr(read, "BATCH_BYTES", 150)  # every fixture CSV crosses several boundaries
    sizes = [f.stat().st_size for f in EXPORTS.rglob("*.csv")]
    assert sum(s > 2 * 150 for s in sizes) >= 10
    db = tmp_path / "w.duckdb"
    results = load([EXPORTS], db)
    assert sum(r.counts.rows_read for r in results) > 50
    batched = _snapshot(db)
    assert batched.keys() == whole.keys()
    for table, rows in whole.items():
        assert batched[table] == rows, table
