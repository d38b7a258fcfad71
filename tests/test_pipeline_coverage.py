"""Pipeline coverage, golden for every date-range preset on the October golden warehouse.

Definition (queries/shared/headline.sql): open pipeline (open at the as-of, forecast category not
omitted) with its expected close in the range / target still to close (the range's revenue target,
pro rata by day, minus revenue won in the range). No value, rather than 0x or a huge multiple, when
the range ended before the as-of's day, the target is met, or there is no target.

The fixture (tests/kpi_fixtures.py): revenue target 40,000 for October only; won 20,000 (closed
Oct 15) and 10,000 (Oct 20); one open deal of 6,000 expected to close Oct 30. Judged Oct 31 at noon,
presets anchored on Oct 31.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from queries.summary import summarize
from queries.view import View
from ui.periods import PRESETS, resolve

AS_OF = datetime(2026, 10, 31, 12, 0)
OPEN = 6000.0  # the open deal, expected Oct 30


def share(days: int) -> float:
    return 40000 * days / 31  # October's target, pro rata by day


GOLDEN = {
    "last_7": OPEN / (share(7) - 0),  # Oct 25-31: nothing won in it
    "last_30": OPEN / (share(30) - 30000),  # Oct 2-31: both wins inside
    "last_90": OPEN / (40000 - 30000),  # Aug 3 - Oct 31: only October has a target
    "this_week": None,  # Mon Oct 26 - Sat Oct 31: the deals export ends Oct 25, no data (queries/coverage.py)
    "last_week": None,  # Oct 19-25: ended before Oct 31, nothing is left to close in it
    "this_month": OPEN / (40000 - 30000),  # 0.60
    "last_month": None,  # September: ended (and no target)
    "this_quarter": OPEN / (40000 - 30000),
    "last_quarter": None,  # July - September: ended
    "ytd": OPEN / (40000 - 30000),
}


def test_every_preset_has_a_golden_value():
    assert set(GOLDEN) == set(PRESETS) - {"custom"}


@pytest.mark.parametrize("preset", sorted(GOLDEN))
def test_pipeline_coverage_for_each_preset(revenue_db, preset):
    start, end = resolve(preset, date(2026, 10, 31))
    r = summarize(view=View(start, end, "previous", AS_OF), db=revenue_db, names=["pipeline_coverage"])
    value = r["metrics"]["pipeline_coverage"]["value"]
    if GOLDEN[preset] is None:
        assert value is None, (preset, value)
    else:
        assert value == pytest.approx(GOLDEN[preset]), preset


def test_no_value_when_the_target_is_met_or_missing(revenue_db):
    met = View(date(2026, 10, 15), date(2026, 10, 31), "previous", AS_OF)  # target 21,935 < won 30,000
    none = View(date(2026, 11, 1), date(2026, 11, 30), "previous", AS_OF)  # no November target
    for view in (met, none):
        assert summarize(view=view, db=revenue_db, names=["pipeline_coverage"])["metrics"]["pipeline_coverage"][
            "value"] is None  # fmt: skip


def test_the_tile_says_why_there_is_no_coverage(revenue_db, app):
    at = app(revenue_db, range="custom", start="2026-10-01", end="2026-10-10")  # ended before Oct 25
    assert {m.label: m.value for m in at.metric}["Pipeline coverage"] == "–"
    assert any("No coverage: the range has ended" in c.value for c in at.caption)
