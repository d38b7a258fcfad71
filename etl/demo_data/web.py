"""The demo's website (issue #24): GA4 report downloads and Google Search Console performance exports
in their real formats (samples in tests/fixtures/exports/ga4 and search_console), for the demo's
whole range.

The story: GA4 counts the site's visits by channel, peaking with the ad season (etl/demo_data/world.py
`season`); the Landing page report shows one page, /demo, converting far better than the rest (a key
event on about one session in four, against one in a hundred or fewer on the blog), and the spring sale's page (March
and April 2026) a high rate on a handful of sessions, which the Marketing page does not rank (its
minimum of sessions). Search Console, one export per month as a marketer downloads it, shows brand search
("revline", config/revline.toml [web] brand_terms) flat until the awareness push of September 2026
(the Brand Awareness video's season peak), then rising month by month.

Draws come from a generator of their own, so the rest of the demo (ads, CRM) is the same with or
without this module."""

from __future__ import annotations

import random
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from etl.demo_data.world import days, season

PROPERTY = "revline.example"
AWARENESS = date(2026, 9, 1)  # the awareness push: brand search rises from here
# GA4 session primary channel group -> (sessions per weekday, follows the ad season, key events per session)
CHANNELS = {
    "Organic Search": (680, False, 0.035), "Direct": (290, False, 0.040), "Paid Search": (370, True, 0.050),
    "Paid Social": (420, True, 0.020), "Referral": (95, False, 0.055), "Email": (70, False, 0.060),
    "Organic Social": (90, False, 0.015), "AI Assistant": (20, False, 0.050), "Unassigned": (60, False, 0.01),
}  # fmt: skip
SPRING = "/lp/spring-sale-2026"  # live in March and April 2026 only: a few sessions a day
# landing page -> (share of sessions, key events per session): /demo converts far better than the rest
PAGES = {
    "/": (0.33, 0.018), "/pricing": (0.12, 0.045), "/demo": (0.06, 0.240),
    "/blog/cac-payback-explained": (0.16, 0.006), "/blog/speed-to-lead": (0.11, 0.009),
    "/features/attribution": (0.08, 0.025), "/integrations/hubspot": (0.07, 0.020),
    "/webinar/pipeline-ops": (0.04, 0.060), "(not set)": (0.015, 0.0), SPRING: (0.0005, 0.40),
}  # fmt: skip
BRAND = ("revline", "revline pricing", "revline login", "revline vs hubspot", "revline demo", "revline reviews")
NON_BRAND = ("marketing dashboard", "b2b funnel analytics", "cac payback calculator", "speed to lead",
             "sales pipeline report", "cost per sql", "marketing attribution, multi-touch",
             "hubspot salesforce dashboard", "lead to mql conversion rate", 'what is "pipeline velocity"')  # fmt: skip
RULE = "# " + "-" * 40
TRAFFIC = ("Session primary channel group (Default channel group),Date,Sessions,Engaged sessions,Engagement rate,"
           "Average engagement time per session,Events per session,Event count,Key events,Session key event rate,"
           "Total revenue")  # fmt: skip
LANDING = ("Landing page,Date,Sessions,Active users,New users,Average engagement time per session,Key events,"
           "Total revenue,Session key event rate")  # fmt: skip


def write_web(out_dir: Path, end: date, scale: float = 1.0, seed: int = 24) -> list[tuple[Path, datetime]]:
    """The GA4 Traffic acquisition and Landing page downloads (with Date) and a Search Console zip per
    month, each with the moment it was downloaded. `scale` multiplies the visits as it does the leads
    (the same rows, bigger numbers)."""
    rng = random.Random(seed)
    traffic, landing = [], []
    for d in days(end):
        weekday = 0.55 if d.weekday() >= 5 else 1.0
        day = d.strftime("%Y%m%d")
        by_channel = {ch: round(base * scale * weekday * (season(d) if paid else 1.0) * rng.uniform(0.85, 1.15))
                      for ch, (base, paid, _) in CHANNELS.items()}  # fmt: skip
        for ch, sessions in by_channel.items():
            engaged = round(sessions * rng.uniform(0.5, 0.7))
            key = _whole(sessions * CHANNELS[ch][2] * rng.uniform(0.7, 1.3), rng)
            traffic.append(f"{ch},{day},{sessions},{engaged},{_fraction(engaged, sessions)},"
                           f"{rng.uniform(30, 90):.4f},{rng.uniform(3, 6):.4f},{sessions * 4},{key},"
                           f"{_fraction(key, sessions)},0")  # fmt: skip
        total = sum(by_channel.values())
        live = {p: s for p, (s, _) in PAGES.items() if p != SPRING or d.month in (3, 4)}  # a spring campaign's page
        for page, sessions in _split(total, live).items():
            if sessions == 0:
                continue
            key = _whole(sessions * PAGES[page][1] * rng.uniform(0.8, 1.2), rng)
            landing.append(f"{page},{day},{sessions},{round(sessions * 0.86)},{round(sessions * 0.62)},"
                           f"{rng.uniform(20, 80):.4f},{key},0,{_fraction(key, sessions)}")  # fmt: skip
    first = next(days(end)).strftime("%Y%m%d")
    downloaded = datetime(end.year, end.month, end.day, 17, 40)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [
        (_ga4(out_dir / "Traffic_acquisition_Session_primary_channel_group_(Default_channel_group).csv",
              "Traffic acquisition: Session primary channel group (Default channel group)", first, end, TRAFFIC,
              traffic), downloaded),
        (_ga4(out_dir / "Landing_page_Landing_page.csv", "Landing page: Landing page", first, end, LANDING, landing),
         downloaded),
    ]  # fmt: skip
    return files + _search_console(out_dir, end, rng)


def _search_console(out_dir: Path, end: date, rng: random.Random) -> list[tuple[Path, datetime]]:
    """One performance export per month (the last one to `end`), downloaded the day after its range."""
    out = []
    month = next(days(end)).replace(day=1)
    while month <= end:
        last = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), end)
        lift = 1.0 + max(0, (month.year - AWARENESS.year) * 12 + month.month - AWARENESS.month + 1) * 0.35
        span = (last - month).days + 1
        queries = [(q, 1.8 * lift / (i + 1), 0.35) for i, q in enumerate(BRAND)]  # per day: clicks, CTR
        queries += [(q, 2.4 / (i + 1) ** 0.7, 0.025) for i, q in enumerate(NON_BRAND)]
        rows, clicks_all, impressions_all = [], 0, 0
        for q, per_day, ctr in queries:
            clicks = round(per_day * span * rng.uniform(0.85, 1.15))
            impressions = max(clicks, round(clicks / ctr * rng.uniform(0.8, 1.2)))
            position = rng.uniform(1.0, 1.6) if q in BRAND else rng.uniform(4.0, 18.0)
            rows.append((q, clicks, impressions, position))
            clicks_all, impressions_all = clicks_all + clicks, impressions_all + impressions
        rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
        chart = []
        for i in range(span):  # the chart: every query, anonymised ones too (about a fifth more)
            d = month + timedelta(days=i)
            c = round(clicks_all / span * rng.uniform(1.1, 1.35))
            n = round(impressions_all / span * rng.uniform(1.1, 1.35))
            chart.append(f"{d.isoformat()},{c},{n},{_percent(c, n)},{rng.uniform(5, 9):.1f}")
        exported = datetime.combine(last + timedelta(days=1), datetime.min.time()).replace(hour=9)
        if last == end:
            exported = datetime(end.year, end.month, end.day, 17, 45)
        path = out_dir / f"{PROPERTY}-Performance-on-Search-{exported:%Y-%m-%d}.zip"
        members = {
            "Chart.csv": ["Date,Clicks,Impressions,CTR,Position", *chart],
            "Queries.csv": ["Top queries,Clicks,Impressions,CTR,Position",
                            *(f"{_quoted(q)},{c},{n},{_percent(c, n)},{p:.2f}" for q, c, n, p in rows)],
            "Pages.csv": ["Top pages,Clicks,Impressions,CTR,Position",
                          *(f"https://{PROPERTY}{p},{c},{n},{_percent(c, n)},{rng.uniform(2, 12):.2f}"
                            for p, c, n in _pages(clicks_all, impressions_all))],
            "Devices.csv": ["Device,Clicks,Impressions,CTR,Position",
                            f"Desktop,{clicks_all},{impressions_all},{_percent(clicks_all, impressions_all)},6.2"],
            "Filters.csv": ["Filter,Value", "Search type,Web", "Date,Custom"],
        }  # fmt: skip
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, lines in members.items():  # UTF-8, LF, no final newline, as Search Console writes
                member = zipfile.ZipInfo(name, date_time=exported.timetuple()[:6])  # the same bytes every run
                z.writestr(member, "\n".join(lines), zipfile.ZIP_DEFLATED)
        out.append((path, exported))
        month = last + timedelta(days=1)
    return out


def _pages(clicks: int, impressions: int) -> list[tuple[str, int, int]]:
    shares = {"/": 0.45, "/demo": 0.2, "/pricing": 0.15, "/blog/cac-payback-explained": 0.12, "/blog/speed-to-lead": 0.08}
    c, n = _split(clicks, shares), _split(impressions, shares)
    return [(p, c[p], n[p]) for p in shares]


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` split by `shares` in whole numbers that add up to it (largest remainders)."""
    scale = sum(shares.values())
    exact = {k: total * s / scale for k, s in shares.items()}
    whole = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - whole[k], reverse=True)[: total - sum(whole.values())]:
        whole[k] += 1
    return whole


def _whole(expected: float, rng: random.Random) -> int:
    """A count with `expected` as its mean: 0.4 a day is 1 on some days, not 0 on all of them."""
    return int(expected) + (rng.random() < expected - int(expected))


def _fraction(part: int, whole: int) -> str:
    """A rate as GA4 writes it: a raw fraction (0.6666666666666666), 0 for none."""
    return repr(part / whole) if whole else "0"


def _percent(clicks: int, impressions: int) -> str:
    """CTR as Search Console writes it: 43.2%, 5%, 0%; empty on a day without impressions."""
    if not impressions:
        return ""
    return f"{100 * clicks / impressions:.2f}".rstrip("0").rstrip(".") + "%"


def _quoted(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(ch in text for ch in ',"\n') else text


def _ga4(path: Path, title: str, first: str, end: date, header: str, rows: list[str]) -> Path:
    """A GA4 report download ("Share this report > Download file"): the 9 `#` lines, CRLF, no final newline."""
    preamble = [RULE, f"# {title}", "# Account: Revline Demo", f"# Property: {PROPERTY} - GA4", RULE, "# ",
                "# All Users", f"# Start date: {first}", f"# End date: {end:%Y%m%d}"]  # fmt: skip
    path.write_bytes("\r\n".join([*preamble, header, *rows]).encode("utf-8"))
    return path
