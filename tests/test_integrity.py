"""Integrity of the warehouse built from the demo exports: totals equal the source files, no
fan-out, idempotent reloads, overlapping re-exports update instead of duplicating, linked data.

The expected totals are recomputed here from the files with the csv module and fastexcel, not with
the ETL's own reader, so a reader bug cannot hide itself.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import fastexcel
import pytest

from etl.loader import load

FX = {"USD": Decimal("1"), "EUR": Decimal("1.08")}


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    return demo_warehouse


def q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def money(text: str) -> Decimal:
    text = text.strip().replace(",", "").replace("$", "")
    return Decimal(text) if text not in ("", "--", "-") else Decimal(0)


def csv_rows(path: Path, encoding: str, delimiter: str, header_starts: str) -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip('\ufeff"').startswith(header_starts))
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    return [r for r in reader if r and not (next(iter(r.values())) or "").startswith("Total")]


def xlsx_rows(path: Path) -> list[dict[str, str]]:
    df = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars()
    return [r for r in df.iter_rows(named=True) if not str(next(iter(r.values())) or "").startswith("Total")]


def expected_spend(exports: Path) -> dict[tuple[str, str], Decimal]:
    """Per (platform, month): spend in the reporting currency, later files winning per key."""
    latest: dict[tuple, tuple[Decimal, str]] = {}
    def take(platform: str, rows: list[dict], account: str, cid: str, day: str, cost: str, cur) -> None:
        for r in rows:
            latest[(platform, r.get(account) or "", r[cid], r[day])] = (money(str(r[cost] or "")), cur(r))
    for f in sorted((exports / "meta").iterdir(), key=lambda p: p.stat().st_mtime_ns):
        take("meta", csv_rows(f, "utf-8-sig", ",", "Campaign name"), "Account ID", "Campaign ID", "Day",
             "Amount spent (USD)", lambda r: "USD")
    for f in sorted((exports / "google_ads").iterdir(), key=lambda p: p.stat().st_mtime_ns):
        raw = f.read_bytes()
        enc, delim = ("utf-16", "\t") if raw.startswith(b"\xff\xfe") else ("utf-8", ",")
        take("google_ads", csv_rows(f, enc, delim, "Campaign status"), "Customer ID", "Campaign ID", "Day",
             "Cost", lambda r: r["Currency code"])
    for f in (exports / "tiktok").iterdir():
        rows = xlsx_rows(f) if f.suffix == ".xlsx" else csv_rows(f, "utf-8", ",", "By Day")
        take("tiktok", rows, "Advertiser ID", "Campaign ID", "By Day", "Cost", lambda r: "USD")
    for f in (exports / "linkedin").iterdir():
        take("linkedin", csv_rows(f, "utf-8", ",", "Start Date"), "Account ID", "Campaign ID",
             "Start Date (in UTC)", "Total Spent", lambda r: r["Currency"])
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (platform, _acct, _cid, day), (amount, cur) in latest.items():
        month = day[:7] if "-" in day[:5] else _mdy_month(day)
        out[(platform, month)] += (amount * FX[cur]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return dict(out)


def _mdy_month(day: str) -> str:
    m, _d, y = day.split("/")
    return f"{y}-{int(m):02d}"


def test_every_demo_file_loads(demo):
    _exports, _db, results = demo
    assert results and all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert {r.adapter for r in results} >= {
        "meta_ads", "google_ads", "tiktok_ads", "linkedin_ads", "hubspot_contacts", "hubspot_deals",
        "salesforce_leads", "salesforce_opportunities", "salesforce_activities", "targets",
    }  # fmt: skip


def test_counts_add_up_for_every_load(demo):
    _exports, db, _results = demo
    bad = q(db, "select file_name from load_log where rows_read <> rows_loaded + rows_rejected + rows_duplicate")
    assert bad == []
    # the demo plants exactly 3 unparseable MQL dates, nothing else is rejected
    assert q(db, "select count(*), min(reason) from rejected_rows")[0][0] == 3
    assert q(db, "select count(*) from rejected_rows where reason like '%MQL Date%'")[0][0] == 3


def test_spend_per_platform_and_month_equals_source_files(demo):
    exports, db, _results = demo
    expected = expected_spend(exports)
    got = {
        (p, m): s
        for p, m, s in q(db, "select platform, strftime(date, '%Y-%m'), sum(spend) from ad_spend group by all")
    }
    assert got == expected


def test_no_fan_out(demo):
    _exports, db, _results = demo
    for table, key in [("leads", "lead_id"), ("deals", "deal_id"), ("activities", "activity_id"),
                       ("ad_spend", "platform, account_id, campaign_id, date"), ("targets", "month, metric, segment")]:  # fmt: skip
        total, distinct = q(db, f"select count(*), count(distinct ({key})) from {table}")[0]
        assert total == distinct > 0, table
    # joining deals to leads does not multiply deals
    assert q(db, "select count(*) from deals d left join leads l using (lead_id)") == q(db, "select count(*) from deals")


def test_loading_twice_changes_nothing(demo, tmp_path):
    exports, db, _results = demo
    copy = tmp_path / "again.duckdb"
    copy.write_bytes(db.read_bytes())
    tables = ["ad_spend", "leads", "deals", "activities", "targets", "rejected_rows"]
    before = {t: q(copy, f"select count(*), sum(hash(*columns(*))) from {t}") for t in tables}
    results = load([exports], copy)
    assert {r.status for r in results} == {"duplicate_file"}
    after = {t: q(copy, f"select count(*), sum(hash(*columns(*))) from {t}") for t in tables}
    assert before == after


def test_overlapping_meta_reexport_updates_rows(demo):
    exports, db, _results = demo
    files = sorted((exports / "meta").iterdir(), key=lambda p: p.stat().st_mtime_ns)
    assert len(files) == 2
    later = csv_rows(files[1], "utf-8-sig", ",", "Campaign name")
    earlier_keys = {(r["Campaign ID"], r["Day"]) for r in csv_rows(files[0], "utf-8-sig", ",", "Campaign name")}
    overlap = [r for r in later if (r["Campaign ID"], r["Day"]) in earlier_keys]
    assert overlap, "the demo's second Meta export overlaps the first"
    r = overlap[0]
    rows = q(db, "select spend_local from ad_spend where platform = 'meta' and campaign_id = ? and date = ?",
             [r["Campaign ID"], r["Day"]])  # fmt: skip
    assert rows == [(money(r["Amount spent (USD)"]),)]
    n_meta_keys = len(earlier_keys | {(r["Campaign ID"], r["Day"]) for r in later})
    assert q(db, "select count(*) from ad_spend where platform = 'meta'")[0][0] == n_meta_keys


def test_paid_leads_link_to_campaigns_and_deals_to_leads(demo):
    _exports, db, _results = demo
    paid, linked = q(
        db,
        """select count(*), count(*) filter (where exists (
               select 1 from ad_spend a where a.platform = l.platform and a.campaign_name = l.campaign_name))
           from leads l where channel in ('paid_social', 'paid_search') and utm_campaign is not null""",
    )[0]
    assert paid > 100 and linked / paid > 0.75
    deals, with_lead = q(db, "select count(*), count(l.lead_id) from deals d left join leads l using (lead_id)")[0]
    assert deals > 50 and with_lead / deals > 0.9
