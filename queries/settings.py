"""KPI settings from config/revline.toml [kpi] (and [freshness]), turned into the named parameters
queries take."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.config import config_dir
from etl.config_check import REVLINE, WEEKDAYS, read_checked


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@dataclass(frozen=True)
class ScoreBand:
    """A lead score band ([[scoring.band]]): its name, the lowest numeric score in it (None: by rating
    only) and the Salesforce Ratings it holds."""

    name: str
    min_score: float | None = None
    ratings: tuple[str, ...] = ()


DEFAULT_BANDS = (ScoreBand("Hot", 75, ("Hot",)), ScoreBand("Warm", 50, ("Warm",)), ScoreBand("Cool", 25),
                 ScoreBand("Cold", 0, ("Cold",)))  # config/revline.toml's, used when a file has none  # fmt: skip


@dataclass(frozen=True)
class KpiSettings:
    sla_hours: float = 4.0
    clock: str = "business"
    clock_start: str = "mql"
    business_timezone: str = "America/New_York"
    business_days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
    business_start: str = "09:00"
    business_end: str = "17:00"
    owner_timezones: dict[str, str] = field(default_factory=dict)
    monthly_sales_cost: float = 0.0
    gross_margin: float = 1.0
    monthly_churn: float = 0.02
    contract_months: float = 12.0
    warn_hours: float = 1.0
    opportunity_window_days: int = 30  # a lead's deal counts for opportunity_rate within this many days
    sla_target: float = 0.9  # SLA compliance a team aims for (0-1): tables highlight reps below it
    reporting_currency: str = "USD"
    warn_after_days: int = 3  # [freshness]: warn when the newest data is older than this
    brand_terms: tuple[str, ...] = ()  # [web]: a search query containing one is brand (queries/web/search.sql)
    score_bands: tuple[ScoreBand, ...] = ()  # [[scoring.band]], highest first (queries/macros.sql lead_bands)
    mql_min_sql_rate: float = 0.2  # [scoring]: the suggested MQL threshold's SQL rate
    min_landing_sessions: int = 100  # [web]: a landing page with fewer sessions is not ranked by conversion

    def params(self) -> dict[str, Any]:
        """Every configurable query parameter, by the name queries use."""
        names = list(self.owner_timezones) or [""]
        zones = list(self.owner_timezones.values()) or ["UTC"]
        return {
            "sla_hours": float(self.sla_hours),
            "clock": self.clock,
            "clock_start": self.clock_start,
            "biz_tz": self.business_timezone,
            "biz_days": [WEEKDAYS[d[:3].lower()] for d in self.business_days],
            "biz_start_min": _minutes(self.business_start),
            "biz_end_min": _minutes(self.business_end),
            "owner_tz_names": names,
            "owner_tz_zones": zones,
            "monthly_sales_cost": float(self.monthly_sales_cost),
            "gross_margin": float(self.gross_margin),
            "monthly_churn": float(self.monthly_churn),
            "contract_months": float(self.contract_months),
            "warn_hours": float(self.warn_hours),
            "brand_terms": list(self.brand_terms) or [""],  # [""]: none (a list binds with its type)
            "min_landing_sessions": int(self.min_landing_sessions),
            "opportunity_window_days": int(self.opportunity_window_days),
            **self.band_params(),
            "mql_min_sql_rate": float(self.mql_min_sql_rate),
        }

    def band_params(self) -> dict[str, Any]:
        """The score bands as parallel lists (a list binds with its type: [""] / [None] for none)."""
        bands = self.score_bands or DEFAULT_BANDS
        ratings = [(r.strip().lower(), b.name) for b in bands for r in b.ratings] or [("", "")]
        return {
            "score_band_names": [b.name for b in bands],
            "score_band_mins": [None if b.min_score is None else float(b.min_score) for b in bands],
            "score_rating_values": [r for r, _ in ratings],
            "score_rating_bands": [b for _, b in ratings],
        }


def load_settings(directory: Path | None = None) -> KpiSettings:
    data = read_checked(REVLINE, directory or config_dir())  # every [kpi] value typed and in range: one schema
    kpi = dict(data.get("kpi", {}))
    kpi["business_days"] = tuple(kpi.get("business_days", KpiSettings.business_days))
    currency = data.get("reporting", {}).get("currency", "USD")
    warn_days = data.get("freshness", {}).get("warn_after_days", KpiSettings.warn_after_days)
    brand_terms = data.get("web", {}).get("brand_terms", [])
    brand_terms = (brand_terms,) if isinstance(brand_terms, str) else tuple(brand_terms)
    scoring = data.get("scoring", {})
    bands = tuple(ScoreBand(b["name"].strip(), b.get("min_score"), tuple(_texts(b.get("ratings", ()))))
                  for b in scoring.get("band", []))  # fmt: skip
    min_sessions = data.get("web", {}).get("min_landing_sessions", KpiSettings.min_landing_sessions)
    return KpiSettings(**kpi, reporting_currency=currency, warn_after_days=warn_days, brand_terms=brand_terms,
                       score_bands=bands, mql_min_sql_rate=scoring.get("mql_min_sql_rate", 0.2),
                       min_landing_sessions=min_sessions)


def _texts(value: str | list[str] | tuple[str, ...]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# ---- links from record lists to the CRM ([crm] in config/revline.toml) ----
RECORD_OBJECTS = {  # (source_system, list) -> the CRM's object in its record URL
    ("hubspot", "leads"): "0-1", ("hubspot", "deals"): "0-3",  # HubSpot object type ids: contacts, deals
    ("salesforce", "leads"): "Lead", ("salesforce", "deals"): "Opportunity",
}  # fmt: skip
SETS = {"hubspot": "hubspot_portal_id", "salesforce": "salesforce_domain"}  # the key a user must set per CRM


@dataclass(frozen=True)
class RecordLinks:
    """URL templates for a CRM record; `{id}` is the record id (URL-encoded), `{object}` the CRM's
    object (RECORD_OBJECTS), `{portal_id}` / `{domain}` the account. Unset account: ids stay text."""

    hubspot_portal_id: str = ""
    hubspot_record_url: str = "https://app.hubspot.com/contacts/{portal_id}/record/{object}/{id}"
    salesforce_domain: str = ""
    salesforce_record_url: str = "https://{domain}.lightning.force.com/lightning/r/{object}/{id}/view"

    def url(self, source: str | None, records: str, record_id: str | None) -> str | None:
        """The record's page in its CRM, or None (not configured, unknown CRM, or a result that is not
        an http(s) URL: a hostile id or template never becomes a javascript: link)."""
        from urllib.parse import quote, urlsplit

        obj = RECORD_OBJECTS.get((source or "", records))
        if obj is None or not record_id or not self.configured(source):
            return None
        fields = {"id": quote(str(record_id), safe=""), "object": obj,
                  "portal_id": quote(self.hubspot_portal_id.strip(), safe=""),
                  "domain": quote(self.salesforce_domain.strip(), safe="")}  # fmt: skip
        try:
            url = getattr(self, f"{source}_record_url").format(**fields)
        except (KeyError, IndexError, ValueError):
            return None
        parts = urlsplit(url)
        return url if parts.scheme in ("http", "https") and parts.netloc else None

    def configured(self, source: str | None) -> bool:
        """A CRM links once its template's account placeholder has a value (or it has none)."""
        if source not in SETS:
            return False
        key = SETS[source]
        placeholder = "{" + key.split("_", 1)[1] + "}"
        return placeholder not in getattr(self, f"{source}_record_url") or bool(getattr(self, key).strip())


def load_record_links(directory: Path | None = None) -> RecordLinks:
    data = read_checked(REVLINE, directory or config_dir())  # [crm] keys known (one schema)
    crm = {k: str(v) for k, v in data.get("crm", {}).items()}
    return RecordLinks(**crm)
