"""The simulated company behind the demo exports: campaigns, reps, and each lead's life.

Everything is drawn from one seeded random generator in a fixed order, so the same arguments give
byte-identical files. Times are America/New_York wall-clock times (the CRM export zone in config).
The story the numbers tell is described in docs/decisions/0056-the-demo-is-one-simulated-company-with-a-tested-story.md.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

START = date(2025, 10, 1)
REPS = ("Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Tom Becker", "Lena Sorensen", "Jorge Alvarez")
SLOW_REP = "Tom Becker"
FIRST = ("Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kira", "Liam",
         "Mei", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Yara")  # fmt: skip
LAST = ("Archer", "Baptiste", "Castillo", "Dubois", "Eklund", "Fischer", "Gallo", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi")  # fmt: skip
COMPANIES = ("Northwind Traders", "Café Lumière SARL", "Müller Logistik GmbH", "Bluefin Analytics",
             "Harbor & Pine Co.", "Østergaard Consulting", "Lakeside Dental", "Quantum Parcel",
             "Redwood Health", "São Paulo Têxteis", "Tidewater Labs", "Vértice Ingeniería")  # fmt: skip
DQ_REASONS = ("No budget", "Student", "Competitor", "Bad fit")


@dataclass(frozen=True)
class Campaign:
    platform: str  # meta | google_ads | tiktok | linkedin
    account_id: str
    campaign_id: str
    name: str
    daily_spend: float
    cpl: float  # target cost per CRM lead
    sql_factor: float = 1.0  # multiplies the MQL -> SQL probability
    win_factor: float = 1.0
    roas: float = 1.5  # platform-reported conversion value per unit of spend
    leads: bool = True  # False: spend that brings no leads
    group: str = ""


BASE_CAMPAIGNS = (
    ("meta", "Q1 Demand Gen - US", 180, 95, 1.0, 1.0, 1.2, True, ""),
    ("meta", "Retargeting - Website Visitors", 120, 70, 0.8, 0.0, 5.5, True, ""),
    ("meta", "Lookalike - Customers", 150, 110, 1.1, 1.0, 1.4, True, ""),
    ("meta", "Ebook - Revenue Playbook", 90, 60, 0.7, 0.8, 0.6, True, ""),
    ("meta", "Brand Awareness - Video", 70, 0, 1.0, 1.0, 0.2, False, ""),
    ("meta", "Webinar Promo - Pipeline Ops", 60, 80, 1.2, 1.0, 0.9, True, ""),
    ("meta", "Spring Sale 2026", 80, 85, 1.0, 1.0, 2.1, True, ""),
    ("meta", "Instagram Stories - SMB", 55, 75, 0.8, 0.9, 1.1, True, ""),
    ("google_ads", "Brand Search", 140, 60, 1.6, 1.3, 3.2, True, ""),
    ("google_ads", "Competitor Keywords", 160, 180, 1.3, 1.1, 1.3, True, ""),
    ("google_ads", "Generic - Revenue Analytics", 210, 150, 1.1, 1.0, 1.1, True, ""),
    ("google_ads", "Generic - Sales Dashboard", 130, 140, 1.0, 1.0, 1.0, True, ""),
    ("google_ads", "Display - Remarketing", 75, 0, 1.0, 1.0, 0.4, False, ""),
    ("google_ads", "Performance Max - Trials", 110, 120, 0.9, 1.0, 2.4, True, ""),
    ("google_ads", "YouTube - Explainer", 45, 160, 0.8, 1.0, 0.3, True, ""),
    ("google_ads_2", "EMEA Brand Search", 60, 70, 1.4, 1.2, 2.8, True, ""),
    ("google_ads_2", "EMEA Generic - Attribution", 80, 160, 1.0, 1.0, 1.0, True, ""),
    ("tiktok", "TikTok - Founder Story", 90, 28, 0.25, 0.5, 0.8, True, ""),
    ("tiktok", "TikTok - Lead Magnet Checklist", 110, 24, 0.2, 0.5, 0.7, True, ""),
    ("tiktok", "TikTok - UGC Testimonials", 70, 32, 0.3, 0.6, 0.9, True, ""),
    ("tiktok", "TikTok - Spark Ads", 50, 30, 0.25, 0.5, 0.6, True, ""),
    ("linkedin", "CFO Webinar Series", 170, 210, 1.5, 1.2, 0.9, True, "Finance Leaders"),
    ("linkedin", "RevOps Guide - Sponsored Content", 140, 190, 1.3, 1.1, 0.8, True, "Finance Leaders"),
    ("linkedin", "ABM - Enterprise Accounts", 200, 320, 1.8, 1.5, 0.7, True, "Enterprise ABM"),
    ("linkedin", "Conversation Ads - Demo", 90, 230, 1.2, 1.0, 0.6, True, "Enterprise ABM"),
)
ACCOUNTS = {"meta": "120330000000001", "google_ads": "3451234567", "google_ads_2": "7789012345",
            "tiktok": "7000000000000001", "linkedin": "508123456"}  # fmt: skip
UTM_SOURCES = {"meta": ("facebook", "fb", "instagram"), "google_ads": ("google", "adwords"),
               "tiktok": ("tiktok",), "linkedin": ("linkedin",)}  # fmt: skip
UTM_MEDIUMS = {"meta": ("paid", "paidsocial", "cpc"), "google_ads": ("cpc", "ppc"),
               "tiktok": ("paid", "paidsocial"), "linkedin": ("paid", "paidsocial")}  # fmt: skip
NETWORK = {"meta": "Facebook", "tiktok": "TikTok", "linkedin": "LinkedIn"}
# organic sources: (weight per day at scale 1, HubSpot original source, Salesforce lead source, sql factor)
ORGANIC = (
    (5.0, "Organic search", "Web", 1.3),
    (2.0, "Direct traffic", "Web", 1.1),
    (1.5, "Referrals", "Partner Referral", 1.6),
    (1.5, "Email marketing", "Other", 0.9),
    (0.8, "Offline sources", "Trade Show", 1.2),
    (1.0, "Organic social", "Other", 0.8),
    (1.2, "Other campaigns", "Outbound", 0.9),
)


def campaigns(scale: float, rng: random.Random, split: int = 1) -> list[Campaign]:
    """The campaigns at `scale`: copies of the base set above scale 1. `split` > 1 runs each one as
    `split` audience variants, each with 1/split of its daily spend (same leads per day and CPL, more
    campaign x day rows per lead)."""
    copies = max(1, round(scale)) if scale > 1 else 1
    out = []
    for k in range(copies):
        for j in range(split):
            for i, (plat, name, spend, cpl, sqlf, winf, roas, leads, group) in enumerate(BASE_CAMPAIGNS):
                platform = "google_ads" if plat == "google_ads_2" else plat
                digits = {"meta": 18, "google_ads": 11, "tiktok": 19, "linkedin": 9}[platform]
                cid = str(10 ** (digits - 1) + 7919 * (i + 1) + 104729 * (k * split + j))
                label = name if k == 0 else f"{name} #{k + 1}"
                if j:
                    label = f"{label} - Audience {j + 1}"
                factor = min(scale, 1.0) if scale < 1 else 1.0
                daily = spend * factor if split == 1 else spend * factor / split
                out.append(Campaign(platform, ACCOUNTS[plat], cid, label, daily, cpl, sqlf, winf,
                                    roas, leads, group))  # fmt: skip
    return out


def season(d: date) -> float:
    """A spend peak in September-November and a smaller one in March."""
    return {9: 1.6, 10: 1.85, 11: 1.8, 3: 1.35}.get(d.month, 1.0) * (0.75 if d.weekday() >= 5 else 1.0)


def days(end: date):
    d = START
    while d <= end:
        yield d
        d += timedelta(days=1)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    n, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return n
        n += 1


@dataclass
class Lead:
    """One person's path through the funnel, in local (America/New_York) wall-clock time."""

    n: int
    crm: str  # hubspot | salesforce
    created: datetime
    owner: str
    company: str
    first: str
    last: str
    email: str | None
    campaign: Campaign | None = None
    utm: tuple[str, str, str] | None = None
    organic: tuple | None = None
    mql: datetime | None = None
    assigned: datetime | None = None
    touch: datetime | None = None
    sql: datetime | None = None
    opp: datetime | None = None
    closed: datetime | None = None
    won: bool | None = None
    amount: float | None = None
    dq_reason: str | None = None
    recycled: bool = False
    extra_touches: list[tuple[datetime, str]] = field(default_factory=list)


HOURS = (8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
HOUR_CUM = list(accumulate((3, 7, 9, 9, 7, 8, 9, 8, 7, 5, 4, 3, 3, 2, 1)))
HOUR_TOTAL = HOUR_CUM[-1] + 0.0


def business_time(rng: random.Random, d: date) -> datetime:
    """A creation time: mostly working hours, some evenings. (The draws of `rng.choices(HOURS,
    weights)[0]` and `rng.randrange(60)`, inlined: the same numbers, faster.)"""
    hour = HOURS[bisect(HOUR_CUM, rng.random() * HOUR_TOTAL, 0, 14)]
    return datetime(d.year, d.month, d.day, hour, rng._randbelow(60))


def next_working_morning(t: datetime, rng: random.Random) -> datetime:
    d = t.date() + timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return datetime(d.year, d.month, d.day, 9, 0) + timedelta(minutes=rng.randrange(5, 75))


def first_touch(mql: datetime, owner: str, rng: random.Random) -> datetime:
    weekend = mql.weekday() >= 5 or (mql.weekday() == 4 and mql.hour >= 17)
    after_hours = mql.hour >= 18 or mql.hour < 8
    if weekend:  # the Monday backlog: worked through the day, many after the SLA window
        return next_working_morning(mql, rng) + timedelta(hours=rng.uniform(0.5, 8.5))
    if after_hours and owner != SLOW_REP:
        return next_working_morning(mql, rng)
    if owner == SLOW_REP:
        return mql + timedelta(hours=rng.uniform(5, 22))
    minutes = rng.lognormvariate(math.log(22), 1.0)
    return mql + timedelta(minutes=min(minutes, 60 * 30))


def simulate(
    lead: Lead, rng: random.Random, sql_factor: float, win_factor: float, qualify: float = 1.0
) -> None:
    """Draw the lead's stage times; anything after the export moment is cut later. `qualify` > 1
    multiplies the MQL -> SQL and SQL -> opportunity probabilities (capped): more opportunities."""
    if rng.random() < 0.5:
        lead.mql = lead.created + timedelta(minutes=rng.lognormvariate(math.log(45), 1.2))
        lead.assigned = lead.mql + timedelta(minutes=rng.randrange(0, 4))
        if rng.random() < 0.96:
            lead.touch = first_touch(lead.mql, lead.owner, rng)
        p_sql = min(0.9, 0.34 * sql_factor * qualify)
        if lead.touch and lead.owner == SLOW_REP:
            p_sql *= 0.7
        if lead.touch and rng.random() < p_sql:
            lead.sql = lead.touch + timedelta(hours=rng.uniform(2, 96))
            if rng.random() < min(0.95, 0.6 * qualify):
                lead.opp = lead.sql + timedelta(days=rng.uniform(1, 12))
                lead.amount = round(min(rng.lognormvariate(math.log(17000), 0.7), 240000) / 50) * 50
                lead.won = rng.random() < 0.28 * win_factor
                lead.closed = lead.opp + timedelta(days=rng.uniform(14, 95))
        elif rng.random() < 0.35:
            if rng.random() < 0.4:
                lead.recycled = True
            lead.dq_reason = rng.choice(DQ_REASONS)
        if lead.touch:
            t = lead.touch
            for _ in range(rng.randrange(0, 4)):
                t += timedelta(hours=rng.uniform(20, 80))
                lead.extra_touches.append((t, rng.choice(("Call", "Email", "Email", "Meeting"))))
