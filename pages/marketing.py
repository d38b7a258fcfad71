"""Marketing: what each platform, campaign and channel costs and returns, from ad spend to CRM
pipeline and revenue. Drill down from platform to campaign with the sidebar's platform filter."""

import polars as pl
import streamlit as st

from queries.pages import page
from queries.values import value_label
from ui.annotations import with_annotations
from ui.auth import require_viewer
from ui.charts import axis_title, bar, has_data, line
from ui.coverage import notice
from ui.data import query
from ui.drill import Link
from ui.format import table
from ui.kpi import tiles
from ui.state import current_view
from ui.web import marketing as web_sections

require_viewer("marketing")  # before anything else: signed in and allowed this page

view = current_view()
st.title("Marketing")
notice(view)


tiles(view, page("marketing").tiles)  # the catalogue: queries/pages.py

st.subheader("Platforms")
platforms = query("paid_media/cost_per_stage", view, grain="total", by="platform")
perf = query("paid_media/performance", view, grain="total", by="platform")
if perf.is_empty():
    st.caption("No ad-platform data in this range. Load Meta, Google Ads, TikTok or LinkedIn exports on the Data page.")
else:
    joined = perf.select("segment", "impressions", "clicks", "ctr", "cpc", "cpm", "platform_roas").join(
        platforms.select("segment", "spend", "leads", "mqls", "sqls", "cpl", "cost_per_mql", "cost_per_sql",
                         "pipeline_roas", "revenue_roas"), on="segment", how="left")  # fmt: skip
    table(joined.rename({"segment": "platform"}), "platforms", "platforms")  # labels, formats, sort: queries/columns.py

    platforms_chosen = view.dims["platform"]  # the drill is the sidebar's platform filter (in the URL)
    on = ", ".join(value_label("platform", p) for p in platforms_chosen) if platforms_chosen else "every platform"
    st.subheader(f"Campaigns on {on}",
                 help="Scoped by the sidebar's Platform filter: pick platforms there to drill down.")  # fmt: skip
    camp_cost = query("paid_media/cost_per_stage", view, grain="total", by="campaign")
    camp_perf = query("paid_media/performance", view, grain="total", by="campaign")
    campaigns = camp_perf.select("segment", "platform", "spend", "ctr", "cpc", "platform_roas").join(
        camp_cost.select("segment", "platform", "leads", "mqls", "sqls", "cpl", "cost_per_sql", "revenue_roas"),
        on=["segment", "platform"], how="left")  # fmt: skip
    table(campaigns.rename({"segment": "campaign"}), "campaigns", "campaigns", drill=Link(  # leads created (flow)
        "leads", "paid_media/cost_per_stage", {"stage": "lead", "mode": "flow"},
        {"row_campaign": "campaign", "row_platform": "platform"}, "Open the leads of this campaign"))

st.subheader("Trends")
line = with_annotations(line, view, view.start, view.end)  # campaign starts/ends, loads, notes (ui/annotations.py)
weekly = query("paid_media/performance", view, grain="week", by="platform").with_columns(pl.col("spend").cast(pl.Float64))
left, right = st.columns(2)
if not has_data(weekly, "spend"):
    left.info("No ad spend in this range. Load Meta, Google Ads, TikTok or LinkedIn exports on the Data page.")
else:
    left.plotly_chart(line(weekly.drop("platform").rename({"segment": "platform"}), "period", "spend",
                           "Spend per week", "platform", fmt="$,.0f", period=("week", view.start, view.end),
                           sources=("ads",), y_title=axis_title("Spend per week", "currency")),
                      key="mk_spend")  # fmt: skip
mix = query("paid_media/cost_per_stage", view, grain="total", by="channel")
if not has_data(mix, "leads"):
    right.info("No leads in this range, so no channel mix. Load CRM leads on the Data page.")
else:
    right.plotly_chart(bar(mix.rename({"segment": "channel"}).sort("leads", descending=True), "channel", "leads",
                           "Leads by channel", "channel",
                           x_title="Channel", y_title="Leads created"), key="mk_mix")  # fmt: skip

web_sections(view)  # Traffic, Landing pages, Search: GA4 and Search Console (ui/web.py)
