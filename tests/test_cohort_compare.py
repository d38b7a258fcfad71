"""Issue 21 point 9: a cohort rate (registry `cohort = true`: close rate) compared across periods is
compared like with like, on every surface (summary command, tiles, digest): the comparison cohort is
judged at the same age (docs/decisions/0117-cohort-rates-are-compared-at-the-same-age.md), not with the months it has had since.

Fixture (tests/kpi_fixtures.py write_cohort_exports), data through Oct 15, range Oct 1-15, judged at
Oct 15 23:59:59. The previous period is Sep 16-30, 15 days earlier, so the September cohort is judged
at Sep 30 23:59:59 (each deal as old as its counterpart created on the same day of October's range):
  October 1-15 cohort: 701 won Oct 10, 702 won Oct 14, 703 and 704 open   -> close rate 2 / 4 = 50 %
  September 16-30 cohort at the same age: 601 won Sep 25 (602 won Oct 10, 603 won Oct 14: later
  than their counterparts have had; 604 lost)                              -> 1 / 4 = 25 %
  change = (0.50 - 0.25) / 0.25 = +100 %.  The old code compared with September's 3 / 4 won by now
  (75 %): -33.3 %, a young cohort read as a collapse.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from queries.registry import metric, metrics
from queries.summary import summarize
from reports.digest import DigestConfig, build
from reports.render import render
from tests.conftest import golden
from tests.test_summary import summary

VALUE, BEFORE, CHANGE = 2 / 4, 1 / 4, (2 / 4 - 1 / 4) / (1 / 4)
AS_OF = datetime(2026, 10, 15, 23, 59, 59)


@pytest.fixture(scope="module")
def cohort_db(tmp_path_factory):
    yield from golden(tmp_path_factory, "cohort")


def test_cohort_metrics_are_marked_in_the_registry():
    cohort = [m.name for m in metrics() if m.cohort]
    assert cohort == ["close_rate", "opportunity_rate", "lead_to_meeting_rate"]
    for name in cohort:
        assert "same age" in metric(name).definition  # the definition says which rule


def test_summary_command_compares_cohorts_at_the_same_age(cohort_db):
    p = summary(cohort_db, "--start", "2026-10-01", "--end", "2026-10-15", "--as-of", "2026-10-15 23:59:59")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["comparison"] == {"mode": "previous", "start": "2026-09-16", "end": "2026-09-30"}
    r = out["metrics"]["close_rate"]
    assert r["value"] == pytest.approx(VALUE) and r["comparison"] == pytest.approx(BEFORE)
    assert r["change"] == pytest.approx(CHANGE)
    assert r["comparison_as_of"] == "2026-09-30 23:59:59"
    # a flow metric is untouched: deals closed in the range, whenever created
    assert out["metrics"]["win_rate"]["comparison_as_of"] is None


def test_summary_markdown_says_how_it_compares(cohort_db):
    p = summary(cohort_db, "--start", "2026-10-01", "--end", "2026-10-15", "--as-of", "2026-10-15 23:59:59",
                "--format", "markdown")  # fmt: skip
    assert p.returncode == 0, p.stderr
    row = next(line for line in p.stdout.splitlines() if line.startswith("| Close rate"))
    assert "+100.0%" in row and "Compared at the same age" in row and "Sep 30, 2026" in row


def test_tile_compares_cohorts_at_the_same_age(cohort_db, app):
    at = app(cohort_db, "sales", range="custom", start="2026-10-01", end="2026-10-15")
    tile = {m.label: m for m in at.metric}["Close rate"]
    assert tile.value == "50.0%"
    assert tile.delta == "+100.0% vs previous period"  # never -33.3 % against a cohort twice its age
    assert any("Compared at the same age" in c.value and "Sep 30, 2026" in c.value for c in at.caption)


def test_digest_compares_cohorts_at_the_same_age(cohort_db):
    config = DigestConfig("http://localhost:8501", {"sales": {"metrics": ["close_rate"], "sections": ["tiles"]}})
    d = build(cohort_db, "sales", date(2026, 10, 1), date(2026, 10, 15), today=date(2026, 10, 16), config=config)
    assert d.as_of == AS_OF
    r = d.summary["metrics"]["close_rate"]
    assert (r["value"], r["comparison"], r["change"]) == pytest.approx((VALUE, BEFORE, CHANGE))
    tile = re.search(r'data-metric="close_rate">(.*?)</div></div>', render(d)).group(1)
    assert "+100.0%" in tile and "vs 25.0%" in tile and "Compared at the same age" in tile


def test_a_period_fully_in_the_past_keeps_its_alignment(cohort_db):
    """Oct 1-10 judged at Oct 15 against Sep 21-30, 10 days earlier: judged at Oct 5 23:59:59.
    October: 701 won Oct 10, 702 won Oct 14, 703 open -> 2 / 3. September 21-30: 603 (created Sep 27)
    won Oct 14, 17 days old; its counterpart of Oct 7 has had 8 days: not won at that age -> 0 / 1
    (the old code: 1 / 1, as if September had closed everything)."""
    out = summarize(date(2026, 10, 1), date(2026, 10, 10), as_of=AS_OF, db=cohort_db, names=["close_rate"])
    r = out["metrics"]["close_rate"]
    assert r["value"] == pytest.approx(2 / 3) and r["comparison"] == 0.0 and r["change"] is None
    assert r["comparison_as_of"] == "2026-10-05 23:59:59"
