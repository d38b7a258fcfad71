"""The notebook baseline: the headline KPIs computed with pandas straight from the same exports, the
way a team does it without Revline. Same definitions as the KPI layer (newest export wins, people in
both CRMs counted once, CRM wall-clock times in America/New_York, date-only values as dates), so
the benchmark can check both give the same numbers before comparing their speed."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

TZ = "America/New_York"
FX = {"USD": 1.0, "EUR": 1.08}


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern), key=lambda p: p.stat().st_mtime_ns)


def _utc(local: pd.Series, fmt: str) -> pd.Series:
    t = pd.to_datetime(local, format=fmt, errors="coerce")
    return t.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC").dt.tz_localize(None)


def _in(s: pd.Series, start: date, end: date) -> pd.Series:
    d = s.dt.date
    return (d >= start) & (d <= end)


def spend(folder: Path) -> pd.DataFrame:
    parts = []
    for f in _files(folder, "meta/*.csv"):
        df = pd.read_csv(f, encoding="utf-8-sig", dtype={"Campaign ID": str, "Account ID": str})
        parts.append(pd.DataFrame({"platform": "meta", "account": df["Account ID"], "campaign": df["Campaign ID"],
                                   "day": df["Day"], "spend": df["Amount spent (USD)"], "rate": 1.0}))  # fmt: skip
    for f in _files(folder, "google_ads/*.csv"):
        utf16 = f.read_bytes()[:2] == b"\xff\xfe"
        df = pd.read_csv(f, encoding="utf-16" if utf16 else "utf-8", sep="\t" if utf16 else ",", skiprows=2,
                         thousands=",", dtype={"Campaign ID": str})  # fmt: skip
        df = df[~df["Campaign status"].astype(str).str.startswith("Total")]
        parts.append(pd.DataFrame({"platform": "google_ads", "account": "", "campaign": df["Campaign ID"],
                                   "day": df["Day"], "spend": df["Cost"], "rate": 1.0}))  # fmt: skip
    for f in _files(folder, "tiktok/*.csv"):
        df = pd.read_csv(f, dtype={"Campaign ID": str})
        parts.append(pd.DataFrame({"platform": "tiktok", "account": "", "campaign": df["Campaign ID"],
                                   "day": df["By Day"], "spend": df["Cost"], "rate": 1.0}))  # fmt: skip
    for f in _files(folder, "linkedin/*.csv"):
        df = pd.read_csv(f, skiprows=5, dtype={"Campaign ID": str})
        df = df[df["Start Date (in UTC)"] != "Total"]
        day = pd.to_datetime(df["Start Date (in UTC)"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
        parts.append(pd.DataFrame({"platform": "linkedin", "account": df["Account Name"], "campaign": df["Campaign ID"],
                                   "day": day, "spend": df["Total Spent"], "rate": df["Currency"].map(FX)}))  # fmt: skip
    out = pd.concat(parts, ignore_index=True).drop_duplicates(["platform", "account", "campaign", "day"], keep="last")
    out["spend"] = (out["spend"].astype(float) * out["rate"]).round(2)
    out["day"] = pd.to_datetime(out["day"])
    return out


def leads(folder: Path) -> pd.DataFrame:
    hs = pd.concat([pd.read_csv(f, dtype=str) for f in _files(folder, "hubspot/*contacts*.csv")])
    hs = pd.DataFrame({"id": "hs" + hs["Record ID"], "email": hs["Email"],
                       "created": _utc(hs["Create Date"], "%Y-%m-%d %H:%M"),
                       "mql": _utc(hs["Became a Marketing Qualified Lead Date"], "%Y-%m-%d %H:%M")})  # fmt: skip
    sf_files = [f for f in _files(folder, "salesforce/report*.csv") if f.read_bytes()[:10] == b'"Lead ID",']
    sf = pd.concat([pd.read_csv(f, dtype=str, encoding="cp1252") for f in sf_files])
    sf = sf[sf["Lead ID"].str.len() == 18].drop_duplicates("Lead ID", keep="last")
    sf = sf[~sf["MQL Date"].fillna("").str.contains("[A-Za-z]{3}", regex=True)]  # the loader rejects these
    sf = pd.DataFrame({"id": "sf" + sf["Lead ID"], "email": sf["Email"],
                       "created": _utc(sf["Created Date"], "%m/%d/%Y %I:%M %p"),
                       "mql": _utc(sf["MQL Date"], "%m/%d/%Y %I:%M %p")})  # fmt: skip
    people = pd.concat([hs, sf], ignore_index=True)
    people["person"] = people["email"].str.strip().str.lower().fillna(people["id"])
    return people.groupby("person", as_index=False).agg(created=("created", "min"), mql=("mql", "min"))


def deals(folder: Path) -> pd.DataFrame:
    hs = pd.concat([pd.read_csv(f, dtype=str) for f in _files(folder, "hubspot/*deals*.csv")])
    hs = pd.DataFrame({"id": "hs" + hs["Record ID"], "amount": pd.to_numeric(hs["Amount"]),
                       "won": hs["Is Closed Won"] == "true", "lost": hs["Deal Stage"] == "Closed Lost",
                       "closed": pd.to_datetime(hs["Close Date"], format="%Y-%m-%d")})  # fmt: skip
    sf_files = [f for f in _files(folder, "salesforce/report*.csv") if f.read_bytes()[:17] == b'"Opportunity ID",']
    sf = pd.concat([pd.read_csv(f, dtype=str) for f in sf_files])
    sf = sf[sf["Opportunity ID"].str.len() == 18].drop_duplicates("Opportunity ID", keep="last")
    sf = pd.DataFrame({"id": "sf" + sf["Opportunity ID"],
                       "amount": pd.to_numeric(sf["Amount"].str.replace(r"[$,]", "", regex=True)),
                       "won": (sf["Won"] == "1") & (sf["Closed"] == "1"),
                       "lost": (sf["Won"] == "0") & (sf["Closed"] == "1"),
                       "closed": pd.to_datetime(sf["Close Date"], format="%m/%d/%Y")})  # fmt: skip
    return pd.concat([hs, sf], ignore_index=True)


def headline(folder: Path, start: date, end: date) -> dict[str, float]:
    """Spend, leads, MQLs, blended CPL, revenue and win rate for [start, end]."""
    ads, people, opps = spend(folder), leads(folder), deals(folder)
    total_spend = float(ads.loc[_in(ads["day"], start, end), "spend"].sum())
    n_leads = int(_in(people["created"], start, end).sum())
    closed = opps[_in(opps["closed"], start, end) & (opps["won"] | opps["lost"])]
    won = closed[closed["won"]]
    return {
        "spend": round(total_spend, 2),
        "leads": n_leads,
        "mqls": int(_in(people["mql"], start, end).sum()),
        "blended_cpl": total_spend / n_leads if n_leads else float("nan"),
        "revenue": round(float(won["amount"].sum()), 2),
        "win_rate": len(won) / len(closed) if len(closed) else float("nan"),
    }


def main() -> None:
    """`python -m benchmarks.pandas_baseline EXPORTS START END`: the headline KPIs as JSON, and the
    seconds they took (the benchmark runs this in a child process for its peak RSS)."""
    import time

    folder, start, end = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), date.fromisoformat(sys.argv[3])
    t = time.perf_counter()
    kpis = headline(folder, start, end)
    print(json.dumps({"kpis": kpis, "seconds": round(time.perf_counter() - t, 3)}))


if __name__ == "__main__":
    main()
