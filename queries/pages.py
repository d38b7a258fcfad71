"""The page catalogue, said once: each dashboard page's name (pages/<name>.py), title, icon, navigation
section, the sign-in roles allowed to open it, the sidebar roles it is the landing page of, its KPI
tiles (registry metric names), the queries it runs beside them, the sidebar filters it uses (only
those are drawn: date filters on the Data page did nothing), its own controls' URL keys (ui/state.py
url_control), the digest sections that link to it and the heading of its README screenshot.

app.py builds the navigation from it, ui/auth.py the role permissions, the pages draw their tiles
from it, the digest links its sections by it, and the benchmarks, the screenshots script, the docs
and the tests walk it. No streamlit import: the query layer, the reports and the benchmarks read it
without the app. tests/test_page_queries.py renders each page and checks `queries` against the
queries the page really ran, so the benchmark cannot drift from the pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from queries.dimensions import DIMENSIONS
from queries.drill import Drill, parse

# The roles, one vocabulary for the teams: a sign-in role (secrets, ui/auth.py, docs/SECURITY.md) says which
# pages a viewer may open, the sidebar's "I am" (URL key `role`) which page they land on.
EVERY_ROLE = ("leadership", "marketing", "sales")
OLD_ROLES = {"marketer": "marketing"}  # the sidebar's earlier word: still read in secrets files and links


def role_name(role: str | None) -> str | None:
    """The role a secrets file or a link names, an old word read as today's (`marketer`: `marketing`)."""
    return OLD_ROLES.get(role, role) if isinstance(role, str) else role

FILTERS: tuple[str, ...] = ("dates", "compare", *DIMENSIONS)  # every sidebar filter a page may use
RANGE = ("dates", *DIMENSIONS)  # a page without tiles has nothing to compare
FRAME_QUERIES = ("filters/date_range",)  # what app.py runs for every page (the sidebar's date bounds)

Query = tuple[str, dict[str, Any]]  # a query a page runs: its name and the page's own arguments (by, grain,
# mode...); the view's range, as-of and filters and the KPI settings come from View.params


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    icon: str
    section: str
    roles: tuple[str, ...]  # the roles that may open it (EVERY_ROLE)
    landing_for: tuple[str, ...] = ()  # the roles whose sidebar "I am" lands here
    tiles: tuple[str, ...] = ()  # registry metrics shown as tiles, in order
    filters: tuple[str, ...] = FILTERS  # sidebar filters its numbers use (FILTERS); others are not drawn
    controls: tuple[str, ...] = ()  # URL keys of its own controls (ui/state.py url_control)
    queries: tuple[Query, ...] = ()  # what it runs beside its tiles, controls at their defaults
    digest: tuple[str, ...] = ()  # the digest sections (reports/render.py) that link to it
    screenshot: str | None = None  # its README picture (docs/screenshots/): the heading shown, "" the top


RECORDS = tuple((f"records/{r}", parse({"records": r}).args()) for r in ("leads", "deals"))  # the default drills

PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", ":material/dashboard:", "Dashboards", EVERY_ROLE, ("leadership",),
         ("revenue", "new_pipeline", "new_customers", "spend", "mqls", "sqls", "cac_blended", "win_rate",
          "sla_compliance", "speed_to_lead_median", "pipeline_coverage", "ltv_cac", "sessions",
          "visitor_to_lead_rate", "arr", "net_revenue_retention"), controls=("ov_drivers",),
         queries=(("shared/trend", {"grain": "week"}), ("shared/targets_in_range", {}), ("shared/annotations", {}),
                  ("funnel/stages", {"mode": "cohort", "by": "total"}), ("handoff/response_bands", {})),
         digest=("tiles", "trend", "movers"), screenshot=""),
    Page("marketing", "Marketing", ":material/campaign:", "Dashboards", ("leadership", "marketing"), ("marketing",),
         ("spend", "leads", "blended_cpl", "cost_per_sql", "ctr", "cpc", "platform_roas", "revenue_roas"),
         queries=(("paid_media/cost_per_stage", {"grain": "total", "by": "platform"}),
                  ("paid_media/performance", {"grain": "total", "by": "platform"}),
                  ("paid_media/cost_per_stage", {"grain": "total", "by": "campaign"}),
                  ("paid_media/performance", {"grain": "total", "by": "campaign"}),
                  ("paid_media/performance", {"grain": "week", "by": "platform"}), ("shared/annotations", {}),
                  ("paid_media/cost_per_stage", {"grain": "total", "by": "channel"}),
                  ("web/traffic", {"grain": "week", "by": "channel"}), ("web/landing_pages", {"by": "landing_page"}),
                  ("web/search", {"by": "range"}), ("web/top_queries", {"top": 20})),
         digest=("cost_per_stage",), screenshot=""),
    Page("sales", "Sales", ":material/handshake:", "Dashboards", ("leadership", "sales"), (),
         ("revenue", "win_rate", "close_rate", "avg_deal_size", "sales_cycle_days", "pipeline_velocity",
          "quota_attainment", "pipeline_coverage"),
         queries=(("sales/performance", {"by": "owner"}), ("data/unmatched_targets", {}),
                  ("sales/activity_targets", {"by": "owner"}),  # ui/activity.py
                  ("sales/pipeline", {"by": "total"}), ("sales/time_in_stage", {}),
                  ("pipeline/waterfall", {"by": "total"}), ("pipeline/moves", {}), ("pipeline/slippage", {}),
                  ("pipeline/forecast", {"by": "total"}), ("pipeline/forecast_accuracy", {})),
         screenshot="Quota attainment"),
    Page("funnel", "Funnel", ":material/filter_alt:", "Dashboards", EVERY_ROLE, filters=RANGE,
         controls=("fn_mode", "fn_stage"),
         queries=(*(("funnel/stages", {"mode": "cohort", "by": by}) for by in ("total", "channel")),
                  ("funnel/cohort_maturity", {"cohort_grain": "month", "stage": "sql", "max_weeks": 26}),
                  ("funnel/time_in_stage", {"by": "total"})),
         digest=("funnel",)),
    Page("handoff", "Handoff", ":material/timer:", "Dashboards", ("leadership", "sales"), ("sales",),
         ("speed_to_lead_median", "speed_to_lead_p90", "within_5_min_rate", "sla_compliance"),
         queries=(("handoff/unworked_queue", {}), ("handoff/response_bands", {}), *(("handoff/speed_and_sla", {"grain": "total", "by": by})
                              for by in ("owner", "channel", "hour_weekday")), ("handoff/recycled_rejected", {}),
                  *(("handoff/score_bands", {"by": by}) for by in ("total", "owner"))),  # ui/score_bands.py
         digest=("sla",), screenshot=""),
    Page("revenue", "Revenue", ":material/payments:", "Dashboards", ("leadership", "sales"), (),
         ("mrr", "arr", "net_new_mrr", "paying_customers", "net_revenue_retention", "gross_revenue_retention",
          "logo_retention", "revenue_churn_rate", "arpa", "ltv"),  # filtered: LTV is the assumption, MRR "–" with why
         queries=(("revenue/movements", {}), ("revenue/cohorts", {}), ("revenue/channels", {"by": "channel"}),
                  ("revenue/channels", {"by": "platform"}))),
    Page("records", "Records", ":material/list_alt:", "Data", EVERY_ROLE, filters=RANGE,  # the drill: pages/records.py
         queries=RECORDS),  # one of the two, as the URL says (records=leads|deals)
    Page("data", "Data", ":material/database:", "Data", ("leadership",), filters=(),
         queries=tuple((f"data/{n}", {}) for n in ("coverage", "freshness", "load_history", "rejected_rows",
                                                   "unmapped_stages", "billing_match", "table_counts")),
         digest=("coverage",)),
    Page("definitions", "Definitions", ":material/menu_book:", "Data", EVERY_ROLE, filters=(),
         controls=("def_team",)),
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(p.name for p in PAGES)
DASHBOARDS: tuple[str, ...] = tuple(p.name for p in PAGES if p.section == "Dashboards")  # the chart pages
WIDE = "wide"  # URL key of the tables shown with all their columns, one value per table key (ui/format.py)
CONTROLS: frozenset[str] = frozenset(c for p in PAGES for c in p.controls) | {WIDE}  # valid URL keys (ui/state.py)
LANDING_PAGE: str = "overview"  # the default sidebar role's landing page
DIGEST_SECTIONS: dict[str, str] = {s: p.name for p in PAGES for s in p.digest}  # section -> page, in order


def page(name: str) -> Page:
    for p in PAGES:
        if p.name == name:
            return p
    raise KeyError(name)


def landing(role: str) -> str:
    """The page a sidebar role opens on."""
    return next((p.name for p in PAGES if role_name(role) in p.landing_for), LANDING_PAGE)


def role_pages() -> dict[str, set[str]]:
    """Sign-in role -> the pages it may open."""
    return {role: {p.name for p in PAGES if role in p.roles} for role in EVERY_ROLE}


def origin_pages(origin: str) -> tuple[str, ...]:
    """The pages that show an aggregate (run its query): the pages a drill from it comes from."""
    return tuple(p.name for p in PAGES if any(q == origin for q, _ in p.queries))


def closed_list(drill: Drill, may_see: Callable[[str], bool]) -> tuple[str, ...] | None:
    """None when a Records list may open for a viewer who `may_see` these pages, else the pages it
    drills from that the viewer may not open. A list opens when each key narrowing it (queries/drill.py
    Drill.said) comes from an origin whose every page the viewer may open: an aggregate shown on
    several pages (the Overview's response bands, the Handoff page's) is as closed as the strictest."""
    for key in drill.said():
        origins = drill.origins(key)
        if not any(all(may_see(p) for p in origin_pages(o)) and origin_pages(o) for o in origins):
            return tuple(dict.fromkeys(p for o in origins for p in origin_pages(o) if not may_see(p)))
    return None
