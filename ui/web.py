"""The visitor stage on the pages (issue #24): the Marketing page's Traffic, Landing pages and Search
sections and the Funnel's word on its top stage, from the GA4 and Search Console exports
(queries/web/, funnel/stages). A section whose export is not loaded for the range says which export
to load and where to download it, never an empty chart. The queries each section runs are declared
with the page in queries/pages.py."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from queries.pages import page
from queries.view import View
from ui.charts import axis_title, bar, has_data, line
from ui.data import query, settings
from ui.format import table

EXPORT = "Search Console export"  # the Search bars' category axis
TOP_QUERIES = dict(page("marketing").queries)["web/top_queries"]["top"]  # as the catalogue declares it
LOAD = "and load the file on the Data page."
GA4_TRAFFIC = ("No GA4 traffic in this range. In Google Analytics 4 open Reports > Acquisition > Traffic acquisition, "
               "add the Date dimension (the + beside the table's first column), then Share this report > "
               f"Download file > Download CSV, {LOAD}")  # fmt: skip
GA4_LANDING = ("No GA4 Landing page report in this range. In Google Analytics 4 open Reports > Engagement > "
               "Landing page, add the Date dimension, then Share this report > Download file > Download CSV, "
               f"{LOAD}")  # fmt: skip
SEARCH_CONSOLE = ("No Search Console export lies wholly in this range (an export's queries cover its whole range "
                  "and cannot be cut to a shorter one). In Google Search Console open Performance > Search results, "
                  "pick the dates (one export per month gives a monthly trend), then Export > Download ZIP, "
                  f"{LOAD}")  # fmt: skip
NO_BRAND = ("Brand and non-brand search need the brand's terms: set `[web] brand_terms` in config/revline.toml "
            '(for example `brand_terms = ["acme"]`; a query containing one, in any case, is brand).')  # fmt: skip


def traffic(view: View) -> None:
    """Sessions and the visitor -> lead rate by channel, per week (web/traffic)."""
    st.subheader("Traffic")
    weekly = query("web/traffic", view, grain="week", by="channel")
    if not has_data(weekly, "sessions"):
        st.info(GA4_TRAFFIC)
        return
    data = weekly.filter(pl.col("sessions").is_not_null()).rename({"segment": "channel"})
    data = data.filter(pl.col("sessions").max().over("channel") > 0)  # a channel with CRM leads but no visits: not drawn
    period = ("week", view.start, view.end)
    left, right = st.columns(2)
    left.plotly_chart(line(data, "period", "sessions", "Sessions per week", "channel", period=period,
                           sources=("web",), y_title="Sessions (GA4)"), key="mk_sessions")  # fmt: skip
    right.plotly_chart(line(data, "period", "visitor_to_lead_rate", "Visitor → lead rate per week", "channel",
                            fmt=".1%", period=period, sources=("web", "leads"),
                            y_title=axis_title("CRM leads per GA4 session", "ratio")), key="mk_visitor_lead")  # fmt: skip
    st.caption("Visitor → lead rate: CRM leads created in the week over GA4 sessions, channel by channel. "
               "Two systems' totals side by side (GA4 counts visits, the CRM people), not a per-visitor match.")  # fmt: skip


def landing_pages(view: View) -> None:
    """The GA4 Landing page report: pages ranked by conversion from a minimum of sessions (config)."""
    st.subheader("Landing pages")
    pages = query("web/landing_pages", view, by="landing_page")
    if pages.is_empty():
        st.info(GA4_LANDING)
        return
    minimum = settings().min_landing_sessions
    st.caption(f"Ranked by conversion rate (GA4 key events / sessions) among the pages with at least {minimum:,} "
               "sessions in the range (`[web] min_landing_sessions` in config/revline.toml): below that, a rate "
               "swings on a handful of visits. Leads per page are not shown: the CRM exports carry a lead's UTM "
               "source, medium and campaign but not the page it landed on.")  # fmt: skip
    ranked, few = pages.filter(pl.col("ranked")), pages.filter(~pl.col("ranked"))
    if ranked.is_empty():
        st.info(f"No landing page had {minimum:,} sessions or more in this range: pick a longer range, or see "
                "the pages below.")  # fmt: skip
    else:
        table(ranked.drop("ranked"), "landing-pages", "mk_landing")
    if not few.is_empty():
        with st.expander(f"{few.height:,} pages with fewer than {minimum:,} sessions (not ranked)"):
            table(few.drop("ranked"), "landing-pages", "mk_landing_few")


def search(view: View) -> None:
    """Brand vs non-brand search per Search Console export range, and the top queries."""
    st.subheader("Search")
    ranges = query("web/search", view, by="range")
    top = query("web/top_queries", view, top=TOP_QUERIES)
    if ranges.is_empty():
        st.info(SEARCH_CONSOLE)
        return
    if ranges["brand_search_clicks"].is_null().all():
        st.info(NO_BRAND)
    elif not has_data(ranges, "brand_search_impressions"):  # terms set, none found: a wrong term, not no brand
        st.warning(f"No listed search query contains a brand term ({', '.join(settings().brand_terms)}): check "
                   "`[web] brand_terms` in config/revline.toml.")  # fmt: skip
    else:
        shown = ranges.with_columns(pl.Series("export", [export_name(a, b) for a, b in  # one bar per export range
                                                         zip(ranges["range_start"], ranges["range_end"], strict=True)]))
        left, right = st.columns(2)
        clicks = shown.unpivot(index="export", on=["brand_search_clicks", "non_brand_search_clicks"],
                               variable_name="measure")  # fmt: skip
        left.plotly_chart(bar(clicks, "export", "value", "Brand and non-brand search clicks", "measure",
                              x_title=EXPORT, y_title="Search clicks").update_layout(  # legend below the
                              legend={"orientation": "h", "y": -0.5, "yanchor": "top"}),  # turned dates and title
                          key="mk_brand_clicks")  # fmt: skip
        right.plotly_chart(bar(shown, "export", "brand_search_impressions", "Brand search impressions",
                               x_title=EXPORT, y_title="Search impressions"), key="mk_brand_impressions")  # fmt: skip
        st.caption("One bar per Search Console export (their queries cover the export's whole range). Listed queries "
                   "only: Search Console leaves anonymised queries out and lists at most 1,000 per export, so brand "
                   "+ non-brand is below the property's total. Non-brand impressions, many times the brand's, are "
                   "in the top queries below rather than on the brand's axis. A misspelling of the brand counts as "
                   "brand only with a term of its own in `[web] brand_terms`.")  # fmt: skip
    st.markdown(f"**Top {TOP_QUERIES} queries by clicks**")
    table(top, "top-queries", "mk_queries")


def export_name(first: date, last: date) -> str:
    """A Search Console export by its range: "Oct 2026" for a whole month, "Nov 1–22, 2026" for part of
    one, else both dates."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b} {first.day}–{last.day}, {last.year}"
    return f"{first:%b} {first.day}, {first.year} – {last:%b} {last.day}, {last.year}"


def funnel_top(view: View, mode: str, stages: pl.DataFrame) -> None:
    """Under the Funnel's mode switch: where the funnel starts, and why."""
    if mode == "cohort":
        st.caption("Cohort mode starts at leads: GA4 counts visits, not people, and cannot say which visit "
                   "became which lead, so visitors have no cohort to follow. Flow mode starts at visitors.")  # fmt: skip
    elif "visitor" in stages["stage"].to_list():
        st.caption("Visitors: GA4 sessions in the range (visits, not people). The lead step is the visitor → "
                   "lead rate: two systems' totals side by side, not a per-visitor match.")  # fmt: skip
    elif any(view.dims.get(d) for d in ("platform", "campaign", "owner")):
        st.caption("No visitors at the top: GA4 sessions carry no ad platform, campaign or rep, so they cannot "
                   "be cut by the sidebar's filters. Clear them to start the funnel at visitors.")  # fmt: skip
    else:
        st.info(f"The funnel starts at leads: {GA4_TRAFFIC}")


def marketing(view: View) -> None:
    """The Marketing page's web sections, in page order."""
    traffic(view)
    landing_pages(view)
    search(view)
