"""Plotly figures with one colour per channel and platform everywhere, and readable hovers. Trend
lines draw partial periods (first and last week or month of a range, or past the data's last day)
dotted with open markers, so a part-week is not read as a ramp or a cliff.

Plotly draws labels, legends and hovers as a small HTML dialect (`<b>`, `<a href>`, `<br>`), so a
campaign or owner named `<b>x</b>` would render bold or as a link. `text_safe` escapes `&`, `<`, `>`
in every text column before a figure is built (Plotly shows the entities as the literal text); the
helpers here apply it, and a page building a figure itself passes its frame through it.

Readable as a BI tool's charts: every axis is titled with its unit (`axis_title`), series and
categories carry human labels (`series_label`: registry labels for metrics, the value catalogue
queries/values.py for codes), funnel stages run (visitor ->) lead -> customer (`FUNNEL_ORDER`), one colour per platform
and channel from the colour-blind-safe Okabe-Ito palette, ratios are drawn as 0-100 %, and a chart without data is a message (`has_data`).
"""

from __future__ import annotations

from datetime import date

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from queries.columns import SERIES
from queries.registry import format_value, metrics
from queries.registry import metric as registry_metric
from queries.settings import load_settings
from queries.values import FUNNEL_ORDER, channel_colors, code_label, platform_colors
from ui.coverage import coverage
from ui.periods import partial_periods

LAYOUT = {"margin": {"l": 10, "r": 10, "t": 60, "b": 10}, "legend": {"orientation": "h", "y": -0.25, "title": None}}

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency. One colour per
# platform and per channel in every chart, said in config/channels.toml (queries/values.py reads it).
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000", "grey": "#999999"}  # fmt: skip
MEASURE_COLORS = {"revenue": OKABE_ITO["blue"], "new_pipeline": OKABE_ITO["orange"], "leads": OKABE_ITO["blue"],
                  "mqls": OKABE_ITO["orange"], "sqls": OKABE_ITO["green"], "spend": OKABE_ITO["blue"],
                  **{f"{b}_search_{m}": OKABE_ITO["blue" if b == "brand" else "sky"]
                     for b in ("brand", "non_brand") for m in ("clicks", "impressions")}}  # fmt: skip
TARGET_COLOR = "#555555"  # target lines: dark grey dashes, no series colour
AXIS_UNITS = {"currency": None, "ratio": "%", "count": None, "days": "days", "hours": "hours", "minutes": "minutes",
         "months": "months", "multiple": "x", "weeks": "weeks"}  # fmt: skip


def series_label(name: str) -> str:
    """A measure's or category's name for people: `new_pipeline` -> "New pipeline", `google_ads` ->
    "Google Ads". Names not known here (campaigns, reps, deal stages) are data and stay as they are."""
    if name in SERIES:
        return SERIES[name]
    if (shown := code_label(name)) != name:
        return shown
    known = {m.name: m.label for m in metrics()}
    return known.get(name, name)


def axis_title(text: str, unit: str | None = None) -> str:
    """"Spend (USD)", "SLA compliance (%)", "Median time in stage (days)"."""
    shown = load_settings().reporting_currency if unit == "currency" else AXIS_UNITS.get(unit or "", unit)
    return f"{text} ({shown})" if shown else text


def has_data(df: pl.DataFrame, y: str) -> bool:
    """False for no rows or only zeros/NULLs (a query listing every band with 0 rows): an empty chart
    is a message, not empty axes."""
    return not df.is_empty() and bool(df[y].cast(pl.Float64).fill_null(0).abs().sum() > 0)


def _relabel(df: pl.DataFrame, *columns: str | None) -> pl.DataFrame:
    cols = [c for c in dict.fromkeys(columns) if c and c in df.columns and df.schema[c] == pl.String]
    return df.with_columns(pl.col(c).replace({v: series_label(v) for v in df[c].drop_nulls().unique().to_list()})
                           for c in cols)  # fmt: skip


def text_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Text columns with `&`, `<`, `>` as entities: names render as text in every chart."""
    text = [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]
    return df.with_columns(
        pl.col(c).cast(pl.String).str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True)
        for c in text
    )  # fmt: skip


def colors_for(column: str) -> dict[str, str]:
    """The fixed colour of each channel or platform, by name and by its label (charts show labels)."""
    raw = {"channel": channel_colors(), "platform": platform_colors(), "measure": MEASURE_COLORS}.get(column, {})
    return {**raw, **{series_label(k): v for k, v in raw.items()}}


def _orders(df: pl.DataFrame, *columns: str | None) -> dict[str, list[str]]:
    """Funnel stages in funnel order on whichever axis or legend holds them."""
    order = [series_label(s) for s in FUNNEL_ORDER]
    return {c: [s for s in order if s in set(df[c].to_list())] for c in columns
            if c and c in df.columns and set(df[c].drop_nulls().to_list()) <= set(order)
            and not df[c].is_empty()}  # fmt: skip


def _ticks(fig: go.Figure, fmt: str, axis: str, full_percent: bool = False) -> None:
    """Ratios as % (0-100 % with `full_percent`, not 0-1), money as $12k."""
    if fmt.endswith("%"):
        fig.update_layout({f"{axis}axis": {"tickformat": ".0%", **({"range": [0, 1.05]} if full_percent else {})}})
    elif fmt.startswith("$"):
        fig.update_layout({f"{axis}axis": {"tickformat": "$~s"}})


def line(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f",
         period: tuple[str, date, date] | None = None, sources: tuple[str, ...] = (),
         x_title: str | None = None, y_title: str | None = None) -> go.Figure:  # fmt: skip
    """A trend line. With `period` = (grain, first day, last day) of the range, `x` holds period starts
    and `sources` says what the measures come from (registry kinds): periods outside the data are
    left out, partial ones drawn dotted and open. Series (the `color` column) show their labels."""
    partial: dict[str | None, set[str]] = {}  # per platform when the lines are platforms, else one set
    if period is not None and not df.is_empty():
        grain, start, end = period
        periods, cov = df[x].unique().to_list(), coverage()
        partial_all, uncovered = partial_periods(periods, grain, start, end, cov.extent(sources))
        partial[None] = {_key(p) for p in partial_all}
        if color == "platform":
            for name in df[color].unique().to_list():
                own = partial_periods(periods, grain, start, end, cov.extent(sources, platform=name))[0]
                partial[name] = {_key(p) for p in own}
        df = df.filter(~pl.col(x).is_in(list(uncovered))) if uncovered else df
    partial = {(k if k is None else series_label(k)): v for k, v in partial.items()}  # traces carry labels
    fig = px.line(_relabel(text_safe(df), color), x=x, y=y, color=color, title=title, markers=True,
                  color_discrete_map=colors_for(color or ""))  # fmt: skip
    fig.update_traces(hovertemplate=f"%{{x|%b %d, %Y}}<br>%{{y:{fmt}}}<extra>%{{fullData.name}}</extra>")
    if any(partial.values()):
        _dot_partial(fig, partial, fmt)
    _ticks(fig, fmt, "y")
    grain = {"week": "Week starting", "month": "Month"}.get(period[0] if period else "", "Date")
    return fig.update_layout(**LAYOUT, xaxis_title=x_title or grain, yaxis_title=y_title or series_label(y))


def _key(value) -> str:
    return str(value)[:10]


def _dot_partial(fig: go.Figure, partial: dict[str | None, set[str]], fmt: str) -> None:
    """Split each trace: solid between whole periods, dotted into and out of partial ones."""
    for trace in list(fig.data):
        own = partial.get(trace.name, partial[None])
        points = {_key(v): y for v, y in zip(trace.x, trace.y, strict=True)}
        first, last = min(points), max(points)
        points.update({p: None for p in own if first < p < last and p not in points})  # a hole, not a bridge
        xs = sorted(points)
        ys = [points[k] for k in xs]
        trace.x = xs
        is_partial = [v in own for v in xs]
        near = [p or (i > 0 and is_partial[i - 1]) or (i + 1 < len(xs) and is_partial[i + 1])
                for i, p in enumerate(is_partial)]  # fmt: skip
        trace.y = [None if p else v for v, p in zip(ys, is_partial, strict=True)]
        fig.add_trace(go.Scatter(
            x=xs, y=[v if n else None for v, n in zip(ys, near, strict=True)], mode="lines+markers",
            line={"color": trace.line.color, "dash": "dot"}, legendgroup=trace.legendgroup, showlegend=False,
            marker={"symbol": ["circle-open" if p else "circle" for p in is_partial], "color": trace.line.color},
            hovertemplate=f"%{{x|%b %d, %Y}} (partial)<br>%{{y:{fmt}}}<extra>{trace.name}</extra>",
        ))  # fmt: skip
    fig.update_layout(title_subtitle_text="Dotted, open points: partial periods (only some of their days are in the range or the data)")


def bar(df: pl.DataFrame, x: str, y: str, title: str, color: str | None = None, fmt: str = ",.0f",
        horizontal: bool = False, x_title: str | None = None, y_title: str | None = None,
        full_percent: bool = False) -> go.Figure:  # fmt: skip
    """Bars of `y` per `x` category. `x_title` names the categories, `y_title` the value with its unit
    (both default to labels of the column names); with `full_percent` a ratio axis runs 0-100 %."""
    data = _relabel(text_safe(df), x, color)
    kw = {"x": y, "y": x, "orientation": "h"} if horizontal else {"x": x, "y": y}
    fig = px.bar(data, **kw, color=color, title=title, color_discrete_map=colors_for(color or ""),
                 category_orders=_orders(data, x, color))  # fmt: skip
    value = "x" if horizontal else "y"
    category = "y" if horizontal else "x"
    fig.update_traces(hovertemplate=f"%{{{category}}}<br>%{{{value}:{fmt}}}<extra></extra>")
    _ticks(fig, fmt, value, full_percent)
    if horizontal:
        fig.update_yaxes(autorange="reversed")  # the first category on top, as it is read
    return fig.update_layout(**LAYOUT, showlegend=False if color == x else None, **{
        f"{category}axis_title": x_title or series_label(x), f"{value}axis_title": y_title or series_label(y)})


def funnel(stages: pl.DataFrame, title: str, counted: str, text: str, subtitle: str | None = None) -> go.Figure:
    """The funnel of `funnel/stages` (one segment), stages labelled, lead on top to customer."""
    data = _relabel(stages, "stage")
    fig = px.funnel(data.sort("stage_order"), x="records", y="stage", title=title, labels={"records": counted},
                    subtitle=subtitle)  # fmt: skip
    fig.update_traces(marker_color=OKABE_ITO["blue"], connector_fillcolor="#D6E4F0")
    fig.update_traces(texttemplate=text, hovertemplate="%{y}<br>%{x:,} " + counted + "<extra></extra>")
    return fig.update_layout(**LAYOUT, yaxis_title="Stage", xaxis_title=axis_title(f"Records ({counted})"))


def weekly_target(fig: go.Figure, targets: pl.DataFrame, days: int, metric: str = "revenue",
                  segment: str | None = "all") -> None:
    """A dashed line at the weekly share of `metric`'s target for `segment` (View.target_segment):
    the months' targets pro rata over the `days` of the chart's range (shared/targets_in_range),
    times 7. Nothing when no target is set or none fits the view's filters (segment None)."""
    if segment is None:
        return
    rows = targets.filter((pl.col("metric") == metric) & (pl.col("segment") == segment))
    total = rows["target"].sum() if not rows.is_empty() else None
    if not total or days <= 0:
        return
    per_week = float(total) * 7 / days
    m = registry_metric(metric)
    fig.add_hline(y=per_week, line_dash="dash", line_color=TARGET_COLOR,
                  annotation_text=f"{m.label} target {format_value(m, per_week, load_settings().reporting_currency)}"
                                  " per week", annotation_position="top left")  # fmt: skip


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def heatmap(heat: pl.DataFrame, timezone: str) -> go.Figure:
    """SLA compliance per ISO weekday x local hour of the MQL (handoff/speed_and_sla by hour_weekday),
    with the MQL count and the time zone in the hover; cells without MQLs stay blank."""
    hours = list(range(24))
    days = sorted(heat["weekday"].unique().to_list())
    cell = {(r["weekday"], r["hour"]): r for r in heat.iter_rows(named=True)}
    z = [[(cell[(d, h)]["compliance"] if (d, h) in cell else None) for h in hours] for d in days]
    n = [[(cell[(d, h)]["mqls"] if (d, h) in cell else 0) for h in hours] for d in days]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{h:02d}:00" for h in hours], y=[WEEKDAYS[d - 1] if 1 <= d <= 7 else str(d) for d in days],
        customdata=n, colorscale="RdYlBu", zmin=0, zmax=1, xgap=1, ygap=1,
        colorbar={"title": {"text": "Within SLA"}, "tickformat": ".0%"},
        hovertemplate=f"%{{y}} %{{x}} ({escaped(timezone)})<br>%{{z:.0%}} within the SLA<br>%{{customdata:,}} MQLs"
                      "<extra></extra>",
    ))  # fmt: skip
    return fig.update_layout(
        **LAYOUT, title=f"SLA compliance by hour and weekday the MQL arrived ({escaped(timezone)})",
        xaxis_title=f"Hour the MQL arrived or was assigned ({escaped(timezone)}; reps with their own zone: theirs)",
        yaxis_title="Weekday", yaxis_autorange="reversed")  # fmt: skip


def escaped(value: str) -> str:
    """One name with `&`, `<`, `>` as entities (as `text_safe` does for a frame)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
