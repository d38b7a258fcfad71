"""Overview, for leadership's Monday review: on track vs last period and vs target, the 13-week
trend, where the funnel leaks, and whether the handoff is healthy."""

from datetime import datetime, timedelta

import plotly.express as px
import polars as pl
import streamlit as st

from queries.alerts import AlertConfigError, evaluate
from queries.connection import version
from queries.registry import format_value, metric, metrics
from ui.auth import require_viewer
from ui.catalogue import page
from ui.charts import LAYOUT, bar, line
from ui.coverage import notice
from ui.data import q
from ui.format import plain, table
from ui.kpi import summary, tiles
from ui.state import COMPARE, current_filters

require_viewer("overview")  # before anything else: signed in and allowed this page

f = current_filters()
st.title("Overview")
notice(f)
st.caption(f"{f.start:%b %d, %Y} – {f.end:%b %d, %Y}, compared with the {COMPARE[f.compare].lower()}")

tiles(f, page("overview").tiles)  # the catalogue: ui/catalogue.py

st.subheader("Last 13 weeks")
first_monday = f.end - timedelta(days=f.end.weekday() + 7 * 12)  # 13 whole weeks, the last one to date
trend = q("shared/trend", f, start_date=first_monday, end_date=f.end, grain="week")
left, right = st.columns(2)
money = trend.unpivot(index="period", on=["revenue", "new_pipeline"], variable_name="measure").with_columns(
    pl.col("value").cast(pl.Float64))
left.plotly_chart(line(money, "period", "value", "Revenue and new pipeline per week", "measure",
                       period=("week", first_monday, f.end), sources=("deals",)), key="t_money")  # fmt: skip
stages = trend.unpivot(index="period", on=["leads", "mqls", "sqls"], variable_name="measure")
right.plotly_chart(line(stages, "period", "value", "Leads, MQLs and SQLs per week", "measure",
                        period=("week", first_monday, f.end), sources=("leads",)), key="t_stages")  # fmt: skip

left, right = st.columns(2)
with left:
    st.subheader("Funnel snapshot")
    funnel = q("funnel/stages", f, mode="cohort", by="total")
    if funnel["records"].sum() == 0:
        st.caption("No leads created in this range.")
    else:
        fig = px.funnel(funnel, x="records", y="stage", labels={"records": "of leads created in range"},
                        title="Leads created in the range, and how far they got (cohort: not the tiles' flow counts)")
        fig.update_traces(texttemplate="%{value:,} (%{percentInitial:.0%})")
        st.plotly_chart(fig.update_layout(**LAYOUT), key="funnel")
with right:
    st.subheader("Handoff health")
    bands = q("handoff/response_bands", f)
    st.plotly_chart(bar(bands, "band", "mqls", "MQLs by time to first rep touch"), key="bands")

st.subheader("What changed")
movers = summary(f, [m.name for m in metrics()])["metrics"]
rows = [
    {"metric": metric(n).label, "now": format_value(metric(n), r["value"]),
     "before": format_value(metric(n), r["comparison"]), "change": r["change"],
     "good": (r["change"] > 0) == metric(n).higher_is_better}
    for n, r in movers.items() if r["change"] is not None
]  # fmt: skip
if rows:
    top = pl.DataFrame(rows).sort(pl.col("change").abs(), descending=True).head(8)
    table(top, "top-movers", "movers")  # labels and formats: ui/columns.py
else:
    st.caption("No comparison data for this range.")

st.subheader("Active alerts")  # config/alerts.toml, evaluated as `python -m queries alerts` does
active = st.cache_data(ttl=60, show_spinner=False)(lambda warehouse_version, minute: evaluate())
try:
    alerts = active(version(), f"{datetime.now():%Y-%m-%d %H:%M}")  # per load, and the clock (SLA, staleness)
except AlertConfigError as exc:  # a broken rules file: said, not a traceback
    st.error(str(exc))
    alerts = []
for a in alerts:
    st.warning(plain(a.message) + (f" [Open]({a.link})" if a.link else ""))  # names from files: as text
if not alerts:
    st.caption("No alert fires.")
