"""The Sales page's pipeline dynamics section (ui/pipeline.py) on the snapshot golden warehouse
(tests/pipeline_fixtures.py): the waterfall with its numbers and the deals behind each bar, the
slipping deals, the weighted pipeline and projection against target, rendered by the real app."""

from __future__ import annotations

import json

from tests.test_pages import captions, tiles, visit

NOVEMBER = {"range": "custom", "start": "2026-11-01", "end": "2026-11-30"}


def test_sales_page_draws_the_waterfall_slippage_and_projection(pipeline_db, app):
    at = visit(app(pipeline_db, **NOVEMBER), "sales")
    charts = {json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    fall = charts["Open pipeline closing in the range: start, in, out, end"]["data"][0]
    assert fall["type"] == "waterfall"
    # the golden waterfall of tests/test_kpi_pipeline.py: d1 is the last export before Dec 1
    # start 62,580; in 13,000 + 5,000 + 4,500; out 2,000, 30,000, 5,000, 10,000; end 38,080 (total bar)
    assert fall["y"][:8] == [62580.0, 13000.0, 5000.0, 4500.0, -2000.0, -30000.0, -5000.0, -10000.0]
    assert fall["measure"][-1] == "total" and fall["text"][-1] == "$38.1k"
    said = " ".join(captions(at))
    assert "resolution is the export cadence" in said
    # the deals behind each bar open the Records page: "Pushed out · 2" drills with move=pushed_out
    links = {b.proto.label: b.proto for b in at.get("page_link")}
    assert "Pushed out · 2" in links and "move=pushed_out" in links["Pushed out · 2"].page + str(
        links["Pushed out · 2"].query_string)
    slips = next(d.value for d in at.dataframe if "pushes" in d.value.columns)
    assert slips[slips["deal_id"] == "601"]["pushes"].tolist() == [2]  # Tom's deal, pushed twice
    t = tiles(at)
    assert t["Weighted pipeline"] == "$18.0k" and t["Projected revenue"] == "$25.5k"  # 18,040; 7,500 + 18,040
    target = charts["Projection against the revenue target"]["layout"]["shapes"][0]
    assert target["y0"] == 30000.0  # November's revenue target
