"""One answer, one version: while another process loads and restores the warehouse over and over,
every summary (the digest's base) and every pinned run (what the app does for a page run) reads
exactly one warehouse version. Checked by identities between metrics that different queries
compute, which only hold within one version:
  spend (paid_media/performance) = blended CPL x leads (paid_media/cost_per_stage)
  spend = cost per MQL x MQLs;  revenue (shared/headline) = revenue ROAS x spend.
Each new version changes spend (an ad export loaded, then the previous generation restored)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from etl.demo_data import write_demo
from etl.loader import load
from queries.connection import pin, version
from queries.examples import arguments
from queries.runner import run
from queries.summary import summarize

REPO = Path(__file__).resolve().parent.parent
START, END = date(2026, 10, 1), date(2026, 11, 22)
AS_OF = datetime(2026, 11, 22, 23, 59, 59)
TOTAL = {"grain": "total", "by": "total"}
NAMES = ["spend", "leads", "blended_cpl", "mqls", "cost_per_mql", "revenue", "revenue_roas"]
CHURN = """
import sys
from pathlib import Path
from etl.loader import load
from etl.warehouse import generations, restore
db = Path(sys.argv[1])
for f in sys.argv[2:]:
    assert all(r.ok for r in load([f], db))   # a version with this export's spend
    restore(db, generations(db)[0].name)      # the version before it, swapped back
"""


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@pytest.fixture(scope="module")
def churning(tmp_path_factory: pytest.TempPathFactory):
    """A demo warehouse without some ad exports, and a function starting the churn on it."""
    root = tmp_path_factory.mktemp("one-version")
    files = write_demo(root / "exports")
    extra = [f for f in files if f.parent.name in ("linkedin", "tiktok") or "Jun-1-2026" in f.name]
    db = root / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        assert all(r.ok for r in load([f for f in files if f not in extra], db))

    def start(rounds: int) -> subprocess.Popen:
        env = {**os.environ, "REVLINE_EMAIL_HASH_KEY": "test-key"}
        return subprocess.Popen([sys.executable, "-c", CHURN, str(db), *map(str, extra * rounds)], cwd=REPO,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip

    return db, start


def consistent(m: dict) -> bool:
    spend = m["spend"]
    return (
        close(spend, m["blended_cpl"] * m["leads"])
        and close(spend, m["cost_per_mql"] * m["mqls"])
        and close(m["revenue"], m["revenue_roas"] * spend)
    )


def test_every_summary_reads_one_version_during_loads(churning):
    db, start = churning
    proc = start(rounds=3)
    spends, bad, n = set(), [], 0
    while proc.poll() is None or n < 3:
        out = summarize(START, END, "previous", AS_OF, db=db, names=NAMES)["metrics"]
        for period in ("value", "comparison"):
            m = {k: out[k][period] for k in NAMES}
            if not consistent(m):
                bad.append(m)
        spends.add(out["spend"]["value"])
        n += 1
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert bad == []
    assert len(spends) >= 2 and n >= 5, (spends, n)  # the loads did land between summaries


def test_a_pinned_run_reads_one_version_during_loads(churning):
    """What app.py does for a page run: `pin()` at the start, then the page's queries one by one
    (here with pauses, as a slow page has), all on the pinned version; the next run sees the new one."""
    db, start = churning
    proc = start(rounds=2)
    results, errors = [], []

    def page_run() -> None:
        try:
            pinned = pin(db)
            perf = run("paid_media/performance", db=db, **arguments("paid_media/performance", START, END, **TOTAL))
            time.sleep(0.4)  # a load may swap a new version in meanwhile
            cps = run("paid_media/cost_per_stage", db=db, **arguments("paid_media/cost_per_stage", START, END, **TOTAL))
            assert version(db) == pinned
            results.append((float(perf["spend"].sum()), float(cps["cpl"][0]), int(cps["leads"][0])))
        except Exception as exc:  # any error fails the test
            errors.append(repr(exc))

    while proc.poll() is None or len(results) < 3:
        worker = threading.Thread(target=page_run)  # Streamlit runs each script run in its own thread
        worker.start()
        worker.join()
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert errors == []
    assert all(close(spend, cpl * leads) for spend, cpl, leads in results), results
    assert len({r[0] for r in results}) >= 2  # versions changed between runs


def test_a_swap_between_attach_and_length_check_is_not_damage(demo_warehouse, revenue_db, tmp_path, monkeypatch):
    """The race CI once hit: a reader attached the old file, a load swapped in a smaller new one, and
    the length check (the path's size against the old header) called the warehouse cut short."""
    import shutil

    import queries.connection as connection

    big = demo_warehouse[1]
    path = tmp_path / "w.duckdb"
    shutil.copy(big, path)
    smaller = tmp_path / "next.duckdb"
    shutil.copy(revenue_db, smaller)
    real, swapped = connection.problem_in, []

    def swap_then_check(con, catalog, full, p=None):
        if not swapped:  # the load's atomic rename lands between the attach and the check
            os.replace(smaller, path)
            swapped.append(True)
        return real(con, catalog, full, p)

    expected = run("filters/date_range", db=revenue_db).row(0, named=True)
    monkeypatch.setattr(connection, "problem_in", swap_then_check)
    assert run("filters/date_range", db=path).row(0, named=True) == expected  # the new file, read, not "damaged"
    assert swapped and path.stat().st_size < big.stat().st_size
