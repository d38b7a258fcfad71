"""Ad-platform exports of the demo: Meta (two overlapping CSVs), Google Ads (UTF-16 "Excel .csv"
and a plain CSV for a second account), TikTok (XLSX or CSV) and LinkedIn (CSV, EUR)."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

from etl.demo_data.exports import GOOGLE, LINKEDIN, META, TIKTOK, CsvOut, XlsxOut, mdy, thousands
from etl.demo_data.world import ACCOUNTS, START, Campaign

META_SPLIT_END = date(2026, 6, 30)  # the first Meta export ends here ...
META_SPLIT_START = date(2026, 6, 1)  # ... and the later one starts here: June is in both
EUR_PER_USD = 1 / 1.08
CPM = {"meta": 11, "google_ads": 28, "tiktok": 7, "linkedin": 42}
CTR = {"meta": 0.011, "google_ads": 0.045, "tiktok": 0.008, "linkedin": 0.006}


def _long(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


class AdWriter:
    def __init__(self, out: Path, end: date, xlsx: bool) -> None:
        self.end = end
        gen = datetime(end.year, end.month, end.day, 18, 5)
        self.meta1 = CsvOut(out / "meta" / "Revline-Demo-Campaigns-Oct-1-2025-Jun-30-2026.csv", META, bom=True)
        self.meta2 = CsvOut(out / "meta" / f"Revline-Demo-Campaigns-Jun-1-2026-{end.strftime('%b')}-{end.day}-{end.year}.csv",
                            META, bom=True)  # fmt: skip
        rng_line = f"{_long(START)} - {_long(end)}"
        self.google1 = CsvOut(out / "google_ads" / "Campaign report.csv", GOOGLE, encoding="utf-16-le",
                              bom=True, delimiter="\t", crlf=True, preamble=["Campaign report", rng_line])  # fmt: skip
        self.google2 = CsvOut(out / "google_ads" / "Campaign report (1).csv", GOOGLE, crlf=True,
                              preamble=["Campaign report", rng_line])  # fmt: skip
        tiktok = out / "tiktok" / f"Custom Report {end.isoformat()}"
        self.tiktok = XlsxOut(tiktok.with_suffix(".xlsx"), TIKTOK) if xlsx else CsvOut(tiktok.with_suffix(".csv"), TIKTOK)
        self.linkedin = CsvOut(out / "linkedin" / "campaign_performance_report.csv", LINKEDIN, preamble=[
            "Campaign Performance Report (in UTC)", f'"Report Start: {mdy(START)}, Report End: {mdy(end)}"',
            f"Date Generated: {mdy(end)} 6:05 PM", f"Account: {ACCOUNTS['linkedin']}", ""])  # fmt: skip
        self.totals = {"g1": [0.0, 0, 0, 0.0, 0.0], "g2": [0.0, 0, 0, 0.0, 0.0], "li": [0.0, 0, 0, 0, 0.0, 0.0]}
        self.spend: dict[str, float] = {}
        self.day: date | None = None
        self.when = {"meta1": datetime(2026, 7, 1, 9, 0), "rest": gen}

    def row(self, c: Campaign, d: date, spend: float, leads: int, rng: random.Random) -> None:
        if d != self.day:  # the day's strings, once per day
            self.day, self.iso, self.mdy, self.month = d, d.isoformat(), mdy(d), f"{d.year}-{d.month:02d}"
        month = self.month
        self.spend[month] = self.spend.get(month, 0.0) + spend
        random_ = rng.random  # a + (b - a) * random() is rng.uniform(a, b), inlined
        cpm = CPM[c.platform] * (0.8 + (1.25 - 0.8) * random_())
        impressions = max(1, int(spend / cpm * 1000))
        ctr = CTR[c.platform]
        clicks = int(impressions * ctr * (0.7 + (1.3 - 0.7) * random_()))
        value = round(spend * c.roas * (0.6 + (1.4 - 0.6) * random_()), 2) if c.roas > 0.25 else 0.0
        conversions = leads + (int(value / 150) if c.roas > 2 else 0)
        if c.platform == "meta":
            self._meta(c, d, spend, impressions, clicks, conversions, value)
        elif c.platform == "google_ads":
            self._google(c, d, spend, impressions, clicks, conversions, value)
        elif c.platform == "tiktok":
            self._tiktok(c, d, spend, impressions, clicks, conversions, value)
        else:
            self._linkedin(c, d, spend, impressions, clicks, leads, conversions - leads, value)

    def _meta(self, c, d, spend, impr, clicks, conv, value) -> None:
        iso = self.iso
        indicator = "actions:offsite_conversion.fb_pixel_purchase" if c.roas > 2 else "actions:lead"

        def cells(k: float) -> list:
            s = round(spend * k, 2)
            return [c.name, iso, c.campaign_id, c.account_id, "Revline Demo", iso, iso,
                    "active", conv or "", indicator, impr, int(impr * 0.8), clicks or "", int(clicks * 1.4) or "",
                    f"{s:.2f}", f"{value * k:.2f}" if value else "", "7-day click or 1-day view"]  # fmt: skip

        if d <= META_SPLIT_END:
            self.meta1.row(cells(1.0))
        if d >= META_SPLIT_START:  # the later export revises June (late attribution, billing)
            self.meta2.row(cells(1.02 if d <= META_SPLIT_END else 1.0))

    def _google(self, c, d, spend, impr, clicks, conv, value) -> None:
        out, key = (self.google1, "g1") if c.account_id == ACCOUNTS["google_ads"] else (self.google2, "g2")
        t = self.totals[key]
        t[0] += spend
        t[1] += impr
        t[2] += clicks
        t[3] += conv
        t[4] += value
        out.row(["Enabled", c.name, c.campaign_id, self.iso, "USD", thousands(spend), thousands(impr, 0),
                 thousands(clicks, 0), f"{clicks / impr:.2%}", thousands(spend / clicks) if clicks else "--",
                 f"{conv:.2f}", thousands(value), thousands(spend / conv) if conv else "--"])  # fmt: skip

    def _tiktok(self, c, d, spend, impr, clicks, conv, value) -> None:
        numeric = isinstance(self.tiktok, XlsxOut)
        self.tiktok.row([self.iso, c.name, c.campaign_id, "Active",
                         spend if numeric else f"{spend:.2f}", impr, int(impr * 0.7), clicks,
                         f"{clicks / impr:.2%}", round(spend / clicks, 2) if clicks else "-",
                         round(spend / impr * 1000, 2), conv, round(spend / conv, 2) if conv else "-",
                         value if value else "-"])  # fmt: skip

    def _linkedin(self, c, d, spend, impr, clicks, leads, conv, value) -> None:
        eur = round(spend * EUR_PER_USD, 2)
        value_eur = round(value * EUR_PER_USD, 2)
        t = self.totals["li"]
        for i, v in enumerate((eur, impr, clicks, leads, conv, value_eur)):
            t[i] += v
        self.linkedin.row([self.mdy, "Revline Demo EMEA", c.group, c.name, c.campaign_id, "Sponsored Content",
                           "EUR", f"{eur:.2f}", impr, clicks, f"{clicks / impr:.4f}", leads, conv,
                           f"{value_eur:.2f}"])  # fmt: skip

    def close(self) -> list[tuple[Path, datetime]]:
        for key, out in (("g1", self.google1), ("g2", self.google2)):
            s, i, c, conv, v = self.totals[key]
            for label in ("Total: Campaigns", "Total: Account"):
                out.row([label, "", "", "", "USD", thousands(s), thousands(i, 0), thousands(c, 0),
                         f"{c / i:.2%}" if i else "--", thousands(s / c) if c else "--", f"{conv:.2f}",
                         thousands(v), thousands(s / conv) if conv else "--"])  # fmt: skip
        s, i, c, leads, conv, v = self.totals["li"]
        self.linkedin.row(["Total", "", "", "", "", "", "EUR", f"{s:.2f}", i, c, f"{c / i:.4f}" if i else "",
                           leads, conv, f"{v:.2f}"])  # fmt: skip
        rest = self.when["rest"]
        return [(self.meta1.close(), self.when["meta1"]), (self.meta2.close(), rest),
                (self.google1.close(), rest), (self.google2.close(), rest), (self.tiktok.close(), rest),
                (self.linkedin.close(), rest)]  # fmt: skip
