"""The page catalogue, said once: each dashboard page's name (pages/<name>.py), title, icon, navigation
section, the sign-in roles allowed to open it, the sidebar roles it is the landing page of, its KPI
tiles (registry metric names), the sidebar filters it uses (only those are drawn: date filters on the
Data page did nothing) and its own controls' URL keys (ui/state.py url_control). app.py builds the navigation from it, ui/auth.py the role permissions,
the pages draw their tiles from it, and the benchmarks and tests walk it. No streamlit import: the
benchmarks read it without the app."""

from __future__ import annotations

from dataclasses import dataclass

from queries.registry import DIMENSIONS

EVERY_ROLE = ("leadership", "marketing", "sales")  # sign-in roles (ui/auth.py, docs/SECURITY.md)
FILTERS: tuple[str, ...] = ("dates", "compare", *DIMENSIONS)  # every sidebar filter a page may use
RANGE = ("dates", *DIMENSIONS)  # a page without tiles has nothing to compare


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    icon: str
    section: str
    roles: tuple[str, ...]  # sign-in roles that may open it
    landing_for: tuple[str, ...] = ()  # sidebar roles ("I am") that land here
    tiles: tuple[str, ...] = ()  # registry metrics shown as tiles, in order
    filters: tuple[str, ...] = FILTERS  # sidebar filters its numbers use (FILTERS); others are not drawn
    controls: tuple[str, ...] = ()  # URL keys of its own controls (ui/state.py url_control)


PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", ":material/dashboard:", "Dashboards", EVERY_ROLE, ("leadership",),
         ("revenue", "new_pipeline", "new_customers", "spend", "mqls", "sqls", "cac_blended", "win_rate",
          "sla_compliance", "speed_to_lead_median", "pipeline_coverage", "ltv_cac"), controls=("ov_drivers",)),
    Page("marketing", "Marketing", ":material/campaign:", "Dashboards", ("leadership", "marketing"), ("marketer",),
         ("spend", "leads", "blended_cpl", "cost_per_sql", "ctr", "cpc", "platform_roas", "revenue_roas")),
    Page("sales", "Sales", ":material/handshake:", "Dashboards", ("leadership", "sales"), (),
         ("revenue", "win_rate", "close_rate", "avg_deal_size", "sales_cycle_days", "pipeline_velocity",
          "quota_attainment", "pipeline_coverage")),
    Page("funnel", "Funnel", ":material/filter_alt:", "Dashboards", EVERY_ROLE, filters=RANGE,
         controls=("fn_mode", "fn_stage")),
    Page("handoff", "Handoff", ":material/timer:", "Dashboards", ("leadership", "sales"), ("sales",),
         ("speed_to_lead_median", "speed_to_lead_p90", "within_5_min_rate", "sla_compliance")),
    Page("records", "Records", ":material/list_alt:", "Data", EVERY_ROLE, filters=RANGE),  # the drill: pages/records.py
    Page("data", "Data", ":material/database:", "Data", ("leadership",), filters=()),
    Page("definitions", "Definitions", ":material/menu_book:", "Data", EVERY_ROLE, filters=(),
         controls=("def_team",)),
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(p.name for p in PAGES)
WIDE = "wide"  # URL key of the tables shown with all their columns, one value per table key (ui/format.py)
CONTROLS: frozenset[str] = frozenset(c for p in PAGES for c in p.controls) | {WIDE}  # valid URL keys (ui/state.py)
LANDING_PAGE: str = "overview"  # the default sidebar role's landing page


def page(name: str) -> Page:
    for p in PAGES:
        if p.name == name:
            return p
    raise KeyError(name)


def landing(role: str) -> str:
    """The page a sidebar role opens on."""
    return next((p.name for p in PAGES if role in p.landing_for), LANDING_PAGE)


def role_pages() -> dict[str, set[str]]:
    """Sign-in role -> the pages it may open."""
    return {role: {p.name for p in PAGES if role in p.roles} for role in EVERY_ROLE}
