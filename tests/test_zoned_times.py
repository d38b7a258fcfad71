"""A time that carries its own zone (`Z`, `.000Z`, `+01:00`, `-0500`, ` UTC`) is that instant, stored
as UTC; the export's configured zone (config [timezones]) applies only to naive times
(docs/decisions/0110-a-time-with-its-own-zone-is-that-instant.md). Real loader, real DuckDB file,
CRM exports whose zone is America/New_York; each expected UTC time is worked out by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from etl.loader import load

SF_LEADS_H = "Lead ID,Lead Owner,Company / Account,Lead Source,Lead Status,Created Date,MQL Date"
HS_CONTACTS_H = "Record ID,Email,Create Date,Became a Marketing Qualified Lead Date"


def loaded(tmp_path: Path, name: str, lines: list[str]) -> duckdb.DuckDBPyConnection:
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load([tmp_path / name], db)
    return duckdb.connect(str(db), read_only=True)


def test_salesforce_times_with_their_own_zone_are_that_instant(tmp_path):
    rows = {  # Created Date as written -> UTC
        "2026-03-01T10:00:00Z": datetime(2026, 3, 1, 10, 0),  # already UTC: not shifted by New York's 5 h
        "2026-03-01T10:00:00.000Z": datetime(2026, 3, 1, 10, 0),  # milliseconds, as APIs write them
        "2026-03-01T10:00:00+01:00": datetime(2026, 3, 1, 9, 0),  # Paris winter time: 1 h ahead of UTC
        "2026-03-01T10:00:00-0500": datetime(2026, 3, 1, 15, 0),  # offset without a colon
        "2026-07-01 23:30:00 +05:30": datetime(2026, 7, 1, 18, 0),  # India, a space before the offset
        "2026-03-01 22:15 UTC": datetime(2026, 3, 1, 22, 15),
        "2026-03-31T23:30:00-04:00": datetime(2026, 4, 1, 3, 30),  # crosses midnight and a month end
        "2026-03-01 10:00": datetime(2026, 3, 1, 15, 0),  # naive: New York wall-clock (EST, UTC-5)
        "2026-07-01 10:00": datetime(2026, 7, 1, 14, 0),  # naive in summer: EDT, UTC-4
    }
    lines = [SF_LEADS_H] + [f"00Q{i:012d}A,Dana,Acme,Web,Open,{t}," for i, t in enumerate(rows)]
    con = loaded(tmp_path, "report-zones.csv", lines)
    got = dict(con.execute("select lead_id, created_at from stg_salesforce__leads").fetchall())
    assert [got.get(f"00Q{i:012d}A") for i in range(len(rows))] == list(rows.values())
    assert con.execute("select count(*) from rejected_rows").fetchone() == (0,)


def test_hubspot_zoned_and_naive_times_in_one_file(tmp_path):
    """Several datetime columns: the zone is read per cell, whichever column it is in."""
    lines = [
        HS_CONTACTS_H,
        "101,a@x.com,2026-02-10T08:00:00.000Z,2026-02-11T09:30:00+00:00",
        "102,b@x.com,2026-02-10 08:00,2026-02-11T09:30:00.250-08:00",
    ]
    con = loaded(tmp_path, "hubspot-crm-exports-all-contacts-2026-02-12.csv", lines)
    assert con.execute("select contact_id, created_at, mql_at from stg_hubspot__contacts order by 1").fetchall() == [
        ("101", datetime(2026, 2, 10, 8, 0), datetime(2026, 2, 11, 9, 30)),
        # 08:00 in New York (EST) = 13:00 UTC; 09:30:00.250 at UTC-8 = 17:30:00.250 UTC
        ("102", datetime(2026, 2, 10, 13, 0), datetime(2026, 2, 11, 17, 30, 0, 250000)),
    ]


def test_an_impossible_offset_rejects_its_row(tmp_path):
    lines = [
        SF_LEADS_H,
        "00Q000000000001A,Dana,Acme,Web,Open,2026-03-01T10:00:00+25:00,",  # no zone is 25 h off UTC
        "00Q000000000002A,Dana,Acme,Web,Open,2026-03-01T10:00:00+01:75,",
        "00Q000000000003A,Dana,Acme,Web,Open,2026-03-01T10:00:00+01:00,",
    ]
    con = loaded(tmp_path, "report-bad-zones.csv", lines)
    assert con.execute("select line_number, reason from rejected_rows order by 1").fetchall() == [
        (2, "cannot read \"Created Date\" value '2026-03-01T10:00:00+25:00' as datetime"),
        (3, "cannot read \"Created Date\" value '2026-03-01T10:00:00+01:75' as datetime"),
    ]
    assert con.execute("select created_at from stg_salesforce__leads").fetchall() == [(datetime(2026, 3, 1, 9, 0),)]
