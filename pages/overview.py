"""Overview, for leadership's Monday review: on track vs last period and vs target, the 13-week
trend, where the funnel leaks, and whether the handoff is healthy."""

from datetime import datetime

import polars as pl
import streamlit as st

from etl.config import config_dir
from etl.config_check import ConfigError
from queries.connection import version
from queries.markdown import plain
from queries.movers import drivers, movers, movers_table
from queries.pages import page
from queries.registry import metrics
from queries.settings import load_settings
from queries.view import trend_start
from reports.alerts import AlertConfigError, evaluate
from ui.annotations import with_annotations
from ui.auth import require_viewer
from ui.charts import axis_title, bar, funnel, has_data, line, weekly_target
from ui.data import query
from ui.kpi import driver_slices, period_top, summary
from ui.state import current_view, url_flag

require_viewer("overview")  # before anything else: signed in and allowed this page

view = current_view()
st.title("Overview")
period_top(view, page("overview").tiles)  # coverage, range, tiles (the catalogue: queries/pages.py)

st.subheader("Last 13 weeks")
first_monday = trend_start(view.end)  # 13 whole weeks, the last one to date (queries/view.py)
trend = query("shared/trend", view, start_date=first_monday, end_date=view.end, grain="week")
targets = query("shared/targets_in_range", start_date=first_monday, end_date=view.end)  # weekly target lines
days = (view.end - first_monday).days + 1
line = with_annotations(line, view, first_monday, view.end)  # campaign starts/ends, loads, notes (ui/annotations.py)
left, right = st.columns(2)
if not has_data(trend, "revenue") and not has_data(trend, "new_pipeline"):
    left.info("No won or new deals in these 13 weeks, so no revenue or pipeline trend. Load HubSpot deals "
              "or Salesforce opportunities on the Data page, or pick a range that has them.")  # fmt: skip
else:
    money = trend.unpivot(index="period", on=["revenue", "new_pipeline"], variable_name="measure").with_columns(
        pl.col("value").cast(pl.Float64))
    fig = line(money, "period", "value", "Revenue and new pipeline per week", "measure", fmt="$,.0f",
               period=("week", first_monday, view.end), sources=("deals",),
               y_title=axis_title("Amount", "currency"))  # fmt: skip
    weekly_target(fig, targets, days, "revenue", view.target_segment)  # the team's, or the one rep's or channel's
    left.plotly_chart(fig, key="t_money")
if not has_data(trend, "leads"):
    right.info("No leads created in these 13 weeks. Load HubSpot contacts or Salesforce leads on the Data page.")
else:
    stages = trend.unpivot(index="period", on=["leads", "mqls", "sqls"], variable_name="measure")
    fig = line(stages, "period", "value", "Leads, MQLs and SQLs per week", "measure",
               period=("week", first_monday, view.end), sources=("leads",), y_title="Records per week")  # fmt: skip
    for name in ("mqls", "sqls"):
        weekly_target(fig, targets, days, name, view.target_segment)
    right.plotly_chart(fig, key="t_stages")

left, right = st.columns(2)
with left:
    st.subheader("Funnel snapshot")
    snapshot = query("funnel/stages", view, mode="cohort", by="total")
    if snapshot["records"].sum() == 0:
        st.info("No leads created in this range, so no funnel. Pick a longer range or load CRM leads.")
    else:
        st.plotly_chart(funnel(snapshot, "Leads created in the range: how far they got", "of leads created in range",
                               "%{value:,} (%{percentInitial:.0%})", subtitle="Cohort counts, not the tiles' flow "
                               "counts"), key="funnel")  # fmt: skip
with right:
    st.subheader("Handoff health")
    bands = query("handoff/response_bands", view)
    if has_data(bands, "mqls"):
        st.plotly_chart(bar(bands, "band", "mqls", "MQLs by time to first rep touch",
                            x_title="Time from MQL to first rep touch", y_title="MQLs"), key="bands")  # fmt: skip
    else:
        st.info("No MQLs in this range, so no response times to show.")

st.subheader("What changed")
currency = load_settings().reporting_currency
moved = movers(summary(view, [m.name for m in metrics()])["metrics"], page("overview").tiles, currency)
if moved:
    st.caption("Biggest moves by business impact: headline metrics first, rates in percentage points.")
    driven = None  # the drivers read one summary per channel, platform and rep: asked for, not by default
    if st.toggle("Show what drove each change (the channels, platforms or reps that moved it most)",
                 **url_flag("ov_drivers")):  # fmt: skip
        by_slice = driver_slices(view, [x.name for x in moved])
        driven = {x.name: drivers(x.name, x.up, by_slice) for x in moved}
    st.markdown(movers_table(moved, driven, currency))
else:
    st.caption("No comparison data for this range.")

st.subheader("Active alerts")  # config/alerts.toml, evaluated as `python -m reports alerts` does
active = st.cache_data(ttl=60, show_spinner=False)(lambda warehouse_version, minute, config, rules: evaluate())
rules = config_dir() / "alerts.toml"  # an edited rules file or another config folder is a new answer
try:  # per load, the clock (SLA, staleness) and the rules
    alerts = active(version(), f"{datetime.now():%Y-%m-%d %H:%M}", str(config_dir()),
                    rules.read_text(encoding="utf-8") if rules.exists() else "")  # fmt: skip
except (AlertConfigError, ConfigError) as exc:  # a broken rules file: said, not a traceback
    st.error(str(exc))
    alerts = []
for a in alerts:
    st.warning(plain(a.message) + (f" [Open]({a.link})" if a.link else ""))  # names from files: as text
if not alerts:
    st.caption("No alert fires.")
