"""`python -m etl demo`: a deterministic, realistic demo dataset in the tools' exact export formats.

The story (docs/decisions/0056-the-demo-is-one-simulated-company-with-a-tested-story.md): TikTok brings cheap leads that rarely become SQLs; Tom
Becker follows up slowly; weekend MQLs wait until Monday; spend peaks in September-November and
in March; Meta "Retargeting - Website Visitors" shows a great platform ROAS but never closes.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from etl.demo_data.ads import AdWriter
from etl.demo_data.billing import BillingWriter
from etl.demo_data.crm import CrmWriter
from etl.demo_data.pipeline import weekly_deal_exports
from etl.demo_data.web import write_web
from etl.demo_data.world import (
    COMPANIES,
    FIRST,
    LAST,
    ORGANIC,
    REPS,
    UTM_MEDIUMS,
    UTM_SOURCES,
    Lead,
    business_time,
    campaigns,
    days,
    poisson,
    season,
)

DEFAULT_END = date(2026, 11, 22)


def write_demo(out_dir: Path, scale: float = 1.0, end: date = DEFAULT_END, seed: int = 7, *,
               campaign_split: int = 1, qualify: float = 1.0, activities: float = 0.0) -> list[Path]:  # fmt: skip
    """Write every demo export under `out_dir` and return their paths (oldest export first).

    The defaults tell the demo story. The keyword options change the shape of the data, for the
    benchmark (`python -m benchmarks`): `campaign_split` runs each campaign as that many audience variants
    with a share of its spend each (more ad rows per lead; leads per day and CPL unchanged), `qualify`
    multiplies the MQL -> SQL and SQL -> opportunity probabilities (more deals per lead), and
    `activities` adds that many activities per Salesforce lead on average (nurture emails, calls,
    emails and meetings).
    """
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    export_at = datetime(end.year, end.month, end.day, 18, 2)
    camps = campaigns(scale, rng, campaign_split)
    ads = AdWriter(out_dir, end, xlsx=scale <= 1)
    crm = CrmWriter(out_dir, export_at, xlsx=scale <= 1, qualify=qualify, activities=activities)
    crm.add = (billing := BillingWriter(out_dir, export_at)).watching(crm.add)  # Stripe exports: etl/demo_data/billing.py
    organic_scale = scale
    n = 0
    for d in days(end):
        s = season(d)
        for c in camps:
            if rng.random() < 0.03:  # paused for the day: no delivery, no row
                continue
            spend = round(c.daily_spend * s * (0.8 + (1.2 - 0.8) * rng.random()), 2)  # rng.uniform(0.8, 1.2)
            leads = poisson(rng, spend / c.cpl) if c.leads else 0
            ads.row(c, d, spend, leads, rng)
            for _ in range(leads):
                n += 1
                crm.add(_lead(n, d, rng, campaign=c), rng, c.sql_factor, c.win_factor)
        weekday = 0.45 if d.weekday() >= 5 else 1.0
        for src in ORGANIC:
            for _ in range(poisson(rng, src[0] * organic_scale * weekday)):
                n += 1
                crm.add(_lead(n, d, rng, organic=src), rng, src[3], 1.0)
    paths = weekly_deal_exports(out_dir, crm.deal_leads, export_at) + ads.close() + crm.close(rng) + billing.close()
    paths.append((_targets(out_dir / "targets.csv", crm.actuals, ads.spend, end, rng, crm.rep_revenue), export_at))
    paths += write_web(out_dir / "web", end, scale)  # GA4 and Search Console downloads (a generator of their own)
    for i, (path, when) in enumerate(paths):
        stamp = when.timestamp() + i * 1e-3  # distinct, ordered modification times
        os.utime(path, (stamp, stamp))
    return [p for p, _ in paths]


def _targets(path: Path, actuals: dict, spend: dict, end: date, rng: random.Random,
             rep_revenue: dict | None = None) -> Path:  # fmt: skip
    """Monthly targets a planning team would have set: a little above what happened, for every
    month of the data and the month after it; a sales forecast beside revenue; and each rep's
    revenue quota (segment = the owner as the CRM exports it), summing near the team's."""
    months = sorted({m for m, _ in actuals} | set(spend))
    nxt = (end.replace(day=1) + timedelta(days=32)).replace(day=1).strftime("%Y-%m")
    lines = ["month,metric,segment,value"]
    team: dict[str, float] = {}
    for i, m in enumerate([*months, nxt]):
        base = m if m in spend and m != end.strftime("%Y-%m") else months[-2]
        for metric in ("revenue", "new_pipeline", "new_customers", "mqls", "sqls"):
            value = actuals.get((base, metric), 0.0) * rng.uniform(1.0, 1.2) * (1.0 + 0.01 * i)
            lines.append(f"{m},{metric},all,{round(value, -2) if value > 1000 else round(value)}")
            team[m] = value if metric == "revenue" else team[m]
        lines.append(f"{m},spend,all,{round(spend.get(base, 0.0) * rng.uniform(0.95, 1.05), -2)}")
        forecast = actuals.get((base, "revenue"), 0.0) * rng.uniform(0.85, 1.1)
        lines.append(f"{m},forecast,all,{round(forecast, -2)}")
    lines += _quotas(team, rep_revenue or {}, months, end, rng)  # after the team's: their draws stay the same
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quotas(team: dict[str, float], rep_revenue: dict, months: list[str], end: date,
            rng: random.Random) -> list[str]:  # fmt: skip
    """Each rep's monthly revenue quota: the team's target split by the rep's share of won revenue,
    half that month's (what the rep did) and half all months' (a rep with a quiet month still has a
    quota), with a little noise: some reps beat it, some miss it, and the quotas sum near the team's."""
    reps = sorted({r for _, r in rep_revenue})
    total = sum(rep_revenue.values()) or 1.0
    overall = {r: sum(v for (_, o), v in rep_revenue.items() if o == r) / total for r in reps}
    lines = []
    for m, target in team.items():
        base = m if m in months and m != end.strftime("%Y-%m") else months[-2]
        month_total = sum(rep_revenue.get((base, r), 0.0) for r in reps) or 1.0
        for r in reps if target > 0 else ():  # no quotas for a month with no revenue target
            share = 0.5 * rep_revenue.get((base, r), 0.0) / month_total + 0.5 * overall[r]
            lines.append(f"{m},revenue,{r},{round(target * share * rng.uniform(0.95, 1.05), -2)}")
    return lines


def _lead(n: int, d: date, rng: random.Random, campaign=None, organic=None) -> Lead:
    below = rng._randbelow  # rng.choice(seq) is seq[rng._randbelow(len(seq))]: the same draws, faster
    first, last = FIRST[below(len(FIRST))], LAST[below(len(LAST))]
    email = None if rng.random() < 0.01 else f"{first}.{last}{n}@example.com".lower()
    crm = "hubspot" if rng.random() < 0.65 else "salesforce"
    created = business_time(rng, d)
    lead = Lead(n, crm, created, REPS[below(len(REPS))], COMPANIES[below(len(COMPANIES))], first, last, email)
    if campaign is not None:
        lead.campaign = campaign
        r = rng.random()
        if r < 0.82:
            sources, mediums = UTM_SOURCES[campaign.platform], UTM_MEDIUMS[campaign.platform]
            source, medium = sources[below(len(sources))], mediums[below(len(mediums))]
            lead.utm = (source, medium, _spelling(campaign.name, rng))
        elif r < 0.84:
            lead.utm = ("facebook" if campaign.platform == "meta" else "google", "cpc", "spring-promo-old")
    else:
        lead.organic = organic
    return lead


_SPELLINGS: dict[str, tuple[str, ...]] = {}


def _spelling(name: str, rng: random.Random) -> str:
    """How a campaign name travels in a UTM: case, `+`, `%20` or `_` for spaces."""
    spellings = _SPELLINGS.get(name)
    if spellings is None:
        spellings = _SPELLINGS[name] = (
            name, name.lower(), name.replace(" ", "+").lower(), name.replace(" ", "%20"),
            name.replace(" ", "_").lower(),
        )  # fmt: skip
    return spellings[rng._randbelow(5)]  # rng.choice(spellings)


__all__ = ["DEFAULT_END", "timedelta", "write_demo"]
