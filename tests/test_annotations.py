"""Annotations: a fixture annotations.csv and a Meta export through the real loader; the table's rows
(the file's, each campaign's first and last spend day, the load), the query's filters by scope, and
the shapes drawn on a figure."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from queries.runner import run
from ui.annotations import add_annotations

META = "meta/Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv"
CSV = """date,end date,label,scope
2026-03-02,,Price change,
2026-03-01,2026-03-03,Spring promo,campaign: Spring Sale - Prospecting
2026-03-03,,Meta outage,platform: meta
2026-03-05,2026-03-04,Backwards,all
2026-03-06,,Bad scope,region: EU
"""


def _warehouse(tmp_path, load_files):
    path = tmp_path / "annotations.csv"
    path.write_text(CSV, encoding="utf-8")
    return load_files(path, META)


def test_file_rows_load_and_rejects(tmp_path, load_files):
    wh = _warehouse(tmp_path, load_files)
    log = wh.log("annotations.csv")
    assert (log["adapter"], log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == ("annotations", 5, 3, 2)
    assert sorted(r for (r,) in wh.q("select reason from rejected_rows")) == [
        "end date before the date",
        "scope is not all, channel: X, platform: X or campaign: X",
    ]
    file_rows = ("select date, end_date, label, scope, scope_kind, channel, platform, campaign from annotations "
                 "where origin = 'file' order by date, label")
    assert wh.q(file_rows) == [
        (date(2026, 3, 1), date(2026, 3, 3), "Spring promo", "campaign: Spring Sale - Prospecting", "campaign",
         None, None, "Spring Sale - Prospecting"),
        (date(2026, 3, 2), None, "Price change", "all", "all", None, None, None),
        (date(2026, 3, 3), None, "Meta outage", "platform: meta", "platform", None, "meta", None),
    ]


def test_campaign_start_and_end_are_the_first_and_last_spend_days(tmp_path, load_files):
    wh = _warehouse(tmp_path, load_files)
    # by hand from the Meta fixture's "Amount spent" (its data: Mar 1 - Mar 3): Spring Sale 123.45 on
    # Mar 1, 98.76 on Mar 2; Brand Awareness 45.00 on Mar 1 and 0.00 on Mar 2 (no spend: not its last
    # day); Retargeting 60.00 on Mar 3 only. Start = min(date where spend > 0), marked when after the
    # data's first day (Mar 1); End = max(date where spend > 0), marked when before its last (Mar 3).
    campaign_rows = ("select label, date, platform, campaign from annotations where origin = 'campaign' "
                     "order by campaign, label desc")
    assert wh.q(campaign_rows) == [
        ("End: Brand Awareness Q1", date(2026, 3, 1), "meta", "Brand Awareness Q1"),
        ("Start: Retargeting – Cart", date(2026, 3, 3), "meta", "Retargeting – Cart"),
        ("End: Spring Sale - Prospecting", date(2026, 3, 2), "meta", "Spring Sale - Prospecting"),
    ]
    # one load of two files, on the day it ran
    assert wh.q("select date, label, scope from annotations where origin = 'load'") == wh.q(
        "select min(started_at)::date, 'Data loaded: 2 files', 'all' from load_log")


def _labels(db, **filters) -> list[str]:
    dims = {"channel": None, "platform": None, "campaign": None, **filters}
    rows = run("shared/annotations", db=db, start_date=date(2026, 3, 1), end_date=date(2026, 3, 3), **dims)
    return rows["label"].to_list()


def test_query_filters_by_scope(tmp_path, load_files):
    db = _warehouse(tmp_path, load_files).db
    # unfiltered: the file's rows; campaign markers wait for a channel/platform/campaign filter;
    # the load ran today, outside March
    assert _labels(db) == ["Spring promo", "Price change", "Meta outage"]
    assert _labels(db, platform="Meta") == [  # case-insensitive; every campaign is on Meta (by date, label)
        "End: Brand Awareness Q1", "Spring promo", "End: Spring Sale - Prospecting", "Price change",
        "Meta outage", "Start: Retargeting – Cart",
    ]  # fmt: skip
    # another campaign's promo hides, the platform-wide outage and the all-scope note stay
    assert _labels(db, campaign="Brand Awareness Q1") == [
        "End: Brand Awareness Q1", "Price change", "Meta outage"]  # fmt: skip
    assert _labels(db, platform="google_ads") == ["Spring promo", "Price change"]


def test_figure_gets_a_line_or_band_and_a_label_per_row(tmp_path, load_files):
    db = _warehouse(tmp_path, load_files).db
    rows = run("shared/annotations", db=db, start_date=date(2026, 3, 1), end_date=date(2026, 3, 3),
               channel=None, platform=None, campaign=None)  # fmt: skip
    fig = add_annotations(go.Figure(go.Scatter(x=[date(2026, 3, 1), date(2026, 3, 3)], y=[1, 2])), rows)
    shapes = [(s.type, s.x0, s.x1) for s in fig.layout.shapes]
    assert shapes == [  # the promo runs through the end of Mar 3: a band to Mar 4 00:00
        ("rect", date(2026, 3, 1), date(2026, 3, 4)),
        ("line", date(2026, 3, 2), date(2026, 3, 2)),
        ("line", date(2026, 3, 3), date(2026, 3, 3)),
    ]
    assert [a.text for a in fig.layout.annotations] == ["Spring promo", "Price change", "Meta outage"]
