"""Quota attainment per rep for the Sales page: a bar per rep with a quota (sorted by attainment,
the 100 % quota line and the pace line: the share of the range passed at the view's as-of), a
table of quota, won, attainment and pace, the reps without a quota named in a caption (not drawn as
0 %), and targets.csv segments that match no owner or channel named, never dropped silently.
The numbers are sales/performance's (quota, quota_attainment, quota_pace, elapsed_share)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from queries.markdown import plain
from queries.registry import metric, not_applicable
from queries.view import View
from ui.charts import OKABE_ITO, TARGET_COLOR, axis_title, bar, text_safe
from ui.data import query
from ui.format import table

# status -> colour (Okabe-Ito: blue / sky / vermillion stay apart for every colour vision); the legend
# names them with a symbol, so the colour is never the only signal
COLUMNS = ("quota", "quota_attainment", "quota_pace", "elapsed_share", "attainment_target")  # shown here only
STATUS = {"▲ Quota met": OKABE_ITO["blue"], "● On pace": OKABE_ITO["sky"], "▼ Behind pace": OKABE_ITO["vermillion"]}


def chart(reps: pl.DataFrame) -> go.Figure | None:
    """Attainment of each rep with a quota, best first; None when no rep has one."""
    have = reps.filter(pl.col("quota").is_not_null()).sort("quota_attainment", "rep", descending=[True, False])
    if have.is_empty():
        return None
    met, ahead, behind = STATUS
    data = have.select("rep", "quota_attainment", status=(
        pl.when(pl.col("quota_attainment") >= 1).then(pl.lit(met))
        .when(pl.col("quota_pace") >= 1).then(pl.lit(ahead)).otherwise(pl.lit(behind))))  # fmt: skip
    fig = bar(data, "rep", "quota_attainment", "Quota attainment per rep", color="status", fmt=".0%",
              horizontal=True, x_title="Rep", y_title=axis_title("Quota attainment", "ratio"))  # fmt: skip
    # each bar carries its status symbol, so the subtitle is the legend (a legend under a one-bar chart
    # sat on the axis)
    fig.for_each_trace(lambda t: t.update(marker_color=STATUS[t.name], texttemplate=f"{t.name[0]} %{{x:.0%}}",
                                          textposition="outside", cliponaxis=False))  # fmt: skip
    top = max(1.0, float(data["quota_attainment"].max() or 0))
    fig.update_layout(xaxis_range=[0, top * 1.18], height=max(280, 190 + 42 * data.height), showlegend=False,
                      margin={"l": 10, "r": 10, "t": 100, "b": 10},
                      title_subtitle_text="▲ quota met (dark blue) · ● on pace for the range (light blue) · "
                                          "▼ behind pace (orange)")  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=text_safe(data)["rep"].to_list())  # as bar() shows them
    lines = [(1.0, "dash", "Quota 100%", "left")]
    expected = have["elapsed_share"][0]
    if expected is not None and 0 < expected < 1:  # the pace line: the share of the range passed at as-of
        lines.append((expected, "dot", f"Expected by now {expected:.0%}", "right"))
    for x, dash, text, anchor in lines:  # labels above the plot, clear of the bars
        fig.add_vline(x=x, line_dash=dash, line_color=TARGET_COLOR)
        fig.add_annotation(x=x, y=1, xref="x", yref="paper", yanchor="bottom", xanchor=anchor, text=text,
                           showarrow=False, font={"color": TARGET_COLOR, "size": 12})  # fmt: skip
    return fig


def unmatched_notes() -> list[str]:
    """One sentence per targets.csv segment that names no owner or channel in the loaded data."""
    notes = []
    for r in query("data/unmatched_targets").iter_rows(named=True):
        months = f"{r['first_month']:%b %Y}" + ("" if r["first_month"] == r["last_month"]
                                                 else f" to {r['last_month']:%b %Y}")  # fmt: skip
        notes.append(f"Targets for '{plain(r['segment'])}' ({r['metrics']}, {months}) match no owner or channel "
                     "in the CRM data, so they count nowhere. In targets.csv, write the owner's name as the CRM "
                     "exports it (case and spaces do not matter).")  # fmt: skip
    return notes


def show(view: View, reps: pl.DataFrame) -> None:
    """The quota section: notes on unmatched targets, the chart, who has no quota, the table."""
    for note in unmatched_notes():
        st.warning(note, icon=":material/person_off:")
    if unsplit := not_applicable(metric("quota_attainment"), view.filters):
        st.caption(f"Quota attainment is not split by {' or '.join(unsplit)}: quotas are set for the team or "
                   "a rep, so wins of one slice over a whole quota would mislead.")  # fmt: skip
        return
    fig = chart(reps)
    if fig is None:
        st.caption("No rep has a revenue quota in this range. Add rows `month,revenue,<owner>,<amount>` to "
                   "targets.csv, the owner's name as the CRM exports it.")  # fmt: skip
        return
    st.plotly_chart(fig, key="quota_attainment")
    if missing := reps.filter(pl.col("quota").is_null())["rep"].to_list():
        st.caption(f"No quota in targets.csv for {', '.join(plain(str(r)) for r in missing)}: not drawn.")
    table(reps.filter(pl.col("quota").is_not_null())
          .select("rep", "quota", "won_amount", *COLUMNS[1:]),
          "sales-quotas", "quotas")  # fmt: skip
