"""One number everywhere: for any range and filters, a metric's tile (the summary the app draws), the
summary command and the total of every table showing it agree, on the demo warehouse built by the
real ETL. And every metric x dimension pair is either computed or said to be not applicable."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.__main__ import main as summary_command
from queries.coverage import load_coverage
from queries.registry import DIMENSIONS, metrics
from queries.runner import parameters, run
from queries.summary import summarize
from queries.view import View, as_of_for

WEEK = (date(2026, 11, 16), date(2026, 11, 22))  # the demo's last whole week (the example)
FIRST, LAST = date(2025, 10, 1), date(2026, 11, 22)  # the demo's span


def command(db, start: date, end: date, compare: str = "previous", **filters: str | list[str] | None) -> dict:
    """`python -m queries summary` in this process, as JSON (no --as-of: the default rule); several
    values of a filter as a repeated option."""
    argv = ["summary", "--db", str(db), "--start", start.isoformat(), "--end", end.isoformat(), "--compare", compare]
    argv += [a for d, v in filters.items() if v is not None
             for one in ([v] if isinstance(v, str) else v) for a in (f"--{d}", one)]  # fmt: skip
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert summary_command(argv) == 0
    return json.loads(out.getvalue())


def app_view(db, start: date, end: date, compare: str = "previous", **filters: str | list[str] | None) -> View:
    """The view the app builds for these sidebar choices (ui/state.py sidebar_filters)."""
    return View(start, end, compare, as_of_for(load_coverage(db).through, datetime.now()), filters)


def table(db, view: View, query: str, **args) -> list[dict]:
    return run(query, db=db, **view.params(query, **args)).to_dicts()


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    _, db, _ = demo_warehouse
    options: dict[str, list[str]] = {}
    for kind, value in run("filters/options", db=db).iter_rows():
        options.setdefault(kind, []).append(value)
    return db, options


def test_demo_week_sla_compliance_is_the_same_in_the_app_and_the_summary(demo):
    """85.9% in the app and 61.2% in the summary for the same week: the summary judged the week at
    the wall-clock now (every MQL untouched when the exports were taken became a breach), the app at
    the end of the week. Both now judge it when the data ends: Nov 22 23:59:59."""
    db, _ = demo
    out = command(db, *WEEK)
    assert out["as_of"] == "2026-11-22 23:59:59"
    tile = summarize(view=app_view(db, *WEEK), db=db)["metrics"]
    for name, r in out["metrics"].items():
        assert close(r["value"], tile[name]["value"]), name
        assert close(r["target"], tile[name]["target"]), name
    sla = out["metrics"]["sla_compliance"]["value"]
    rows = table(db, app_view(db, *WEEK), "handoff/speed_and_sla", grain="total", by="owner")
    met, breached = sum(r["met"] for r in rows), sum(r["breached"] for r in rows)
    assert sla == pytest.approx(met / (met + breached)) and round(sla, 3) == 0.859


@st.composite
def views(draw, options: dict[str, list[str]]):
    start = draw(st.dates(FIRST, LAST))
    end = min(LAST + timedelta(days=3), start + timedelta(days=draw(st.integers(0, 120))))
    # a filter: none, one value, or two (the sidebar's multi-select: rows with any of them)
    filters = {d: draw(st.one_of(st.none(), st.sampled_from(options[d]),
                                 st.lists(st.sampled_from(options[d]), min_size=2, max_size=2, unique=True)))
               for d in DIMENSIONS if draw(st.booleans())}  # fmt: skip
    return start, end, draw(st.sampled_from(["previous", "yoy"])), filters


def test_tile_summary_command_and_tables_agree(demo):
    db, options = demo

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(views(options))
    def check(drawn):
        start, end, compare, filters = drawn
        view = app_view(db, start, end, compare, **filters)
        tile = summarize(view=view, db=db)["metrics"]  # what ui/kpi.py tiles draw
        cli = command(db, start, end, compare, **filters)["metrics"]
        for name in tile:  # the summary command: the same value, target and pace for every metric
            for key in ("value", "comparison", "target", "pace"):
                assert close(cli[name][key], tile[name][key]), (name, key, drawn)
        # a filter a metric is not split by: no value and the reason, never the unfiltered number
        for m in metrics():
            unsplit = [d for d in filters if filters[d] is not None and d in m.not_split_by]
            assert bool(tile[m.name]["not_split_by"]) == bool(unsplit), (m.name, drawn)
            if unsplit:
                assert tile[m.name]["value"] is None
        # the Sales page's per-rep table adds up to the revenue and win-rate tiles
        reps = table(db, view, "sales/performance", by="owner")
        if tile["revenue"]["value"] is not None:
            assert close(float(sum(r["won_amount"] for r in reps)), tile["revenue"]["value"]), drawn
        won, lost = sum(r["won"] for r in reps), sum(r["lost"] for r in reps)
        if tile["win_rate"]["value"] is not None or won + lost:
            assert close(tile["win_rate"]["value"], won / (won + lost) if won + lost else None), drawn
        # the Handoff page's per-rep table adds up to the SLA-compliance tile
        sla = table(db, view, "handoff/speed_and_sla", grain="total", by="owner")
        met, breached = sum(r["met"] for r in sla), sum(r["breached"] for r in sla)
        if tile["sla_compliance"]["value"] is not None or met + breached:
            assert close(tile["sla_compliance"]["value"], met / (met + breached) if met + breached else None), drawn
        # the Overview trend, summed over its weeks (clipped to the range), adds up to the tiles
        trend = table(db, view, "shared/trend", grain="day")
        for name in ("revenue", "leads", "mqls", "sqls") + (() if filters.get("owner") else ("spend",)):
            if tile[name]["value"] is not None:
                assert close(float(sum(r[name] for r in trend)), tile[name]["value"]), (name, drawn)
        # the Funnel page in flow mode shows the tiles' counts; the Marketing page's leads by channel add up
        flow = {r["stage"]: r["records"] for r in table(db, view, "funnel/stages", mode="flow", by="total")}
        for name, stage in (("leads", "lead"), ("mqls", "mql"), ("sqls", "sql")):
            assert flow.get(stage, 0) == tile[name]["value"], (name, drawn)
            if not filters.get("owner"):  # the Marketing page says its tables are not split by owner
                mix = table(db, view, "paid_media/cost_per_stage", grain="total", by="channel")
                assert sum(r[name] or 0 for r in mix) == tile[name]["value"], (name, drawn)
        # the Marketing page's platform table adds up to the spend tile
        if tile["spend"]["value"] is not None:
            platforms = table(db, view, "paid_media/performance", grain="total", by="platform")
            assert close(float(sum(r["spend"] or 0 for r in platforms)), tile["spend"]["value"]), drawn

    check()


ADDITIVE = ("revenue", "new_pipeline", "new_customers", "leads", "mqls", "sqls", "spend")


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_a_multi_value_filter_is_the_sum_of_its_values(demo, dim):
    """Every row has one value of each dimension, so for counts and sums the tile filtered by two
    values is the tiles of each value added up (and the per-rep table total is the tile); a one-value
    list is the single value (the summary command's old `--owner X`)."""
    db, options = demo
    a, b = options[dim][:2]
    both = summarize(view=app_view(db, date(2026, 9, 1), LAST, **{dim: [a, b]}), db=db)["metrics"]
    each = [summarize(view=app_view(db, date(2026, 9, 1), LAST, **{dim: v}), db=db)["metrics"] for v in (a, b)]
    for name in ADDITIVE:
        if both[name]["not_split_by"]:
            continue
        assert close(both[name]["value"], each[0][name]["value"] + each[1][name]["value"]), (name, dim)
    one = command(db, date(2026, 9, 1), LAST, **{dim: a})["metrics"]
    assert all(close(one[n]["value"], each[0][n]["value"]) for n in ADDITIVE), dim
    reps = table(db, app_view(db, date(2026, 9, 1), LAST, **{dim: [a, b]}), "sales/performance", by="owner")
    assert close(float(sum(r["won_amount"] for r in reps)), both["revenue"]["value"]), dim


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_every_metric_by_every_dimension_is_computed_or_not_applicable(demo, dim):
    """Filtered by a dimension, each metric is either computed by it (its queries take the filter:
    registry.py refuses a registry where they do not) or has no value and says why in place."""
    db, options = demo
    value = options[dim][0]
    out = summarize(view=app_view(db, date(2026, 9, 1), LAST, **{dim: value}), db=db)["metrics"]
    everyone = summarize(view=app_view(db, date(2026, 9, 1), LAST), db=db)["metrics"]
    for m in metrics():
        r = out[m.name]
        if dim in m.not_split_by:
            assert r["value"] is None and r["target"] is None and r["not_split_by"] == {dim: m.not_split_by[dim]}
        else:
            assert dim in parameters(m.query) and not r["not_split_by"], m.name
    # a count cut by one value of a dimension is at most the count for everyone, and cut for real
    for name in ("new_customers", "leads", "mqls"):
        assert out[name]["value"] <= everyone[name]["value"], (name, dim)
    assert any(out[n]["value"] != everyone[n]["value"] for n in ("new_customers", "leads", "mqls")), dim


def test_a_table_says_which_filters_it_does_not_take(demo):
    db, _ = demo
    view = app_view(db, *WEEK, owner="Tom Becker")
    assert view.unapplied("paid_media/performance") == ["owner"]
    assert view.unapplied("sales/performance") == [] and view.unapplied("shared/headline") == []
    with pytest.raises(ValueError, match="takes no"):
        view.params("handoff/speed_and_sla", mode="cohort")  # an argument a query lacks is an error


def test_the_app_shows_the_summary_commands_numbers(demo, app):
    """The rendered tiles for the demo week, filtered by a rep, are the summary command's numbers; a
    metric not split by rep says so in place instead of showing the team's value."""
    from queries.registry import format_value, metric

    db, _ = demo
    cli = command(db, *WEEK, owner="Tom Becker")["metrics"]
    at = app(db, timeout=180, range="custom", start=WEEK[0].isoformat(), end=WEEK[1].isoformat(), owner="Tom Becker")
    shown = {m.label: m.value for m in at.metric}
    for name in ("revenue", "new_customers", "win_rate", "sla_compliance", "mqls", "sqls"):
        assert shown[metric(name).label] == format_value(metric(name), cli[name]["value"]), name
    assert shown["CAC (blended)"] == "–" and cli["cac_blended"]["value"] is None
    captions = [c.value for c in at.caption]
    assert any("Not split by owner: ad spend is not recorded per rep" in c for c in captions)
    assert any("As of Nov 22, 2026 23:59" in c for c in at.sidebar.caption.values)
    at.switch_page("pages/sales.py")
    at.run()
    reps = at.dataframe[0].value  # the per-rep table: Tom's row only, its bookings = the Revenue tile
    assert list(reps["rep"]) == ["Tom Becker"] and float(reps["won_amount"].sum()) == cli["revenue"]["value"]


def test_the_page_catalogue_is_the_one_list():
    """app.py, ui/auth.py, the benchmarks and the tests all read queries/pages.py; every page file
    exists and starts with its sign-in gate; every tile is a registry metric."""
    from pathlib import Path

    from benchmarks import page_queries, page_render
    from queries.pages import EVERY_ROLE, NAMES, PAGES, landing
    from queries.registry import metric
    from ui.auth import ROLE_PAGES
    from ui.state import ROLES

    root = Path(__file__).resolve().parent.parent
    assert page_render.NAMES is NAMES and set(page_queries.QUERY_SETS) <= set(NAMES)
    assert ROLE_PAGES["leadership"] == set(NAMES) and "data" not in ROLE_PAGES["marketing"]
    assert (landing("leadership"), landing("marketing"), landing("sales")) == ("overview", "marketing", "handoff")
    assert landing("marketer") == "marketing"  # the sidebar's old word (queries/pages.py OLD_ROLES)
    assert tuple(ROLES) == EVERY_ROLE == tuple(ROLE_PAGES)  # one vocabulary: sign-in roles and "I am"
    for p in PAGES:
        text = (root / "pages" / f"{p.name}.py").read_text()
        assert f'require_viewer("{p.name}")' in text
        assert all(metric(t) for t in p.tiles)
        assert (f'page("{p.name}").tiles' in text) == bool(p.tiles), p.name
