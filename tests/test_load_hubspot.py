"""HubSpot contacts and deals exports through the real loader: quoted CSV with `YYYY-MM-DD HH:MM`
datetimes, the three labels of Original source, XLSX with Excel date cells, hashed emails only."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import fastexcel

from etl.contracts import contract

TRAFFIC = "hubspot/hubspot-crm-exports-all-contacts-2026-03-05.csv"  # "Original Traffic Source"
SOURCE = "hubspot/hubspot-crm-exports-all-contacts-2026-03-05-1.csv"  # "Original Source"
SOURCE_DATA = "hubspot/hubspot-crm-exports-all-contacts-2026-03-05-2.csv"  # "Original source data 1"
CONTACTS_XLSX = "hubspot/hubspot-crm-exports-all-contacts-2026-03-10.xlsx"
DEALS = "hubspot/hubspot-crm-exports-all-deals-2026-03-22.csv"
DEALS_XLSX = "hubspot/hubspot-crm-exports-all-deals-2026-03-26.xlsx"
FILES = [TRAFFIC, SOURCE, SOURCE_DATA, CONTACTS_XLSX, DEALS, DEALS_XLSX]
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def records(path: str) -> list[dict[str, str]]:
    """The export's rows by header, read independently of the ETL."""
    if path.endswith(".xlsx"):
        frame = fastexcel.read_excel(str(EXPORTS / path)).load_sheet(0, dtypes="string").to_polars()
        return [{k: v or "" for k, v in r.items()} for r in frame.iter_rows(named=True)]
    return list(csv.DictReader(io.StringIO((EXPORTS / path).read_text(encoding="utf-8"))))


def test_load_log_counts_and_adapter(loaded):
    expected = {TRAFFIC: 4, SOURCE: 2, SOURCE_DATA: 1, CONTACTS_XLSX: 3, DEALS: 4, DEALS_XLSX: 2}
    for path, n in expected.items():
        log = loaded.log(Path(path).name)
        adapter = "hubspot_deals" if "deals" in path else "hubspot_contacts"
        assert (log["adapter"], log["status"], log["header_line"]) == (adapter, "loaded", 1), path
        assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
                log["rows_skipped"]) == (n, n, 0, 0, 0), path  # fmt: skip


def test_column_types(loaded):
    stg = loaded.types("stg_hubspot__contacts")
    assert [stg[c] for c in ("contact_id", "email_hash", "created_at", "mql_at", "first_touch_at")] == [
        "VARCHAR", "VARCHAR", "TIMESTAMP", "TIMESTAMP", "TIMESTAMP",
    ]  # fmt: skip
    leads = loaded.types("leads")
    assert [leads[c] for c in ("lead_id", "created_at", "mql_at", "sql_at", "first_touch_at")] == [
        "VARCHAR", "TIMESTAMP", "TIMESTAMP", "TIMESTAMP", "TIMESTAMP",
    ]  # fmt: skip
    deals = loaded.types("deals")
    assert [deals[c] for c in ("amount", "created_at", "closed_at", "is_closed", "is_won")] == [
        "DECIMAL(18,2)", "TIMESTAMP", "TIMESTAMP", "BOOLEAN", "BOOLEAN",
    ]  # fmt: skip


def test_three_original_source_labels(loaded):
    """`Original Traffic Source` (new portals), `Original Source`, `Original source` + `data 1/2` (old)."""
    assert loaded.q(
        """select contact_id, original_source, original_source_dd1, original_source_dd2 from stg_hubspot__contacts
           where contact_id in ('51234567801', '61234567801', '71234567801') order by contact_id"""
    ) == [
        ("51234567801", "Paid social", "Facebook", "spring_sale"),
        ("61234567801", "Email marketing", "march_newsletter", "March newsletter"),
        ("71234567801", "Offline Sources", "IMPORT", "trade-show-list.csv"),
    ]


def test_leads_channel_platform_and_campaign(loaded):
    assert loaded.q(
        "select lead_id, source_system, channel, platform, utm_source, utm_medium, utm_campaign from leads "
        "order by lead_id"
    ) == [
        ("51234567801", "hubspot", "paid_social", "meta", "Facebook", "paid", "spring_sale"),
        ("51234567802", "hubspot", "paid_search", "google_ads", None, "cpc", "Spring Sale Search"),
        ("51234567803", "hubspot", "organic_search", None, None, None, None),
        ("51234567804", "hubspot", "direct", None, None, None, None),
        ("61234567801", "hubspot", "email", None, None, None, "march_newsletter"),
        ("61234567802", "hubspot", "referral", None, None, None, None),
        ("71234567801", "hubspot", "events", None, None, None, None),
        ("81234567801", "hubspot", "paid_social", "linkedin", "LinkedIn", "paid", "Ops Leaders - Lead Gen"),
        ("81234567802", "hubspot", "organic_social", None, None, None, None),
        ("81234567803", "hubspot", "paid_social", "tiktok", "TikTok", "paid", "Spring Sale TT"),
    ]


def test_datetimes_are_account_time_converted_to_utc(loaded):
    """America/New_York wall times (config [timezones] hubspot): EST (UTC-5) until 8 March 2026, then
    EDT (UTC-4). CSV text `2026-03-02 10:15` and XLSX date cells alike."""
    assert loaded.q(
        """select lead_id, created_at, mql_at, sql_at, owner_assigned_at, first_touch_at, lifecycle_stage
           from leads where lead_id in ('51234567801', '51234567802', '81234567801', '81234567803')
           order by lead_id"""
    ) == [
        ("51234567801", datetime(2026, 3, 2, 15, 15), datetime(2026, 3, 2, 16, 0), None,
         datetime(2026, 3, 2, 16, 5), datetime(2026, 3, 2, 16, 20), "mql"),
        ("51234567802", datetime(2026, 3, 2, 21, 40), datetime(2026, 3, 2, 22, 0), datetime(2026, 3, 4, 14, 30),
         datetime(2026, 3, 2, 22, 1), datetime(2026, 3, 3, 14, 10), "sql"),
        ("81234567801", datetime(2026, 3, 4, 14, 0), datetime(2026, 3, 4, 14, 30), None,
         datetime(2026, 3, 4, 14, 31), None, "mql"),
        ("81234567803", datetime(2026, 3, 9, 14, 0), None, None, None, None, "lead"),
    ]  # fmt: skip


def test_email_stored_only_as_keyed_hash(loaded):
    expected = {}
    for path in (TRAFFIC, SOURCE, SOURCE_DATA, CONTACTS_XLSX):
        for r in records(path):
            key = ("test-key" + r["Email"].strip().lower()).encode()
            expected[r["Record ID"]] = hashlib.sha256(key).hexdigest()
    stored = dict(loaded.q("select lead_id, email_hash from leads"))
    assert stored == expected
    assert all(len(h) == 64 and set(h) <= set("0123456789abcdef") for h in stored.values())
    # "JULES.PROXLEY@Example.com" hashes like its lower-case spelling
    assert stored["81234567803"] == hashlib.sha256(b"test-keyjules.proxley@example.com").hexdigest()


def test_no_personal_data_in_clear_anywhere(loaded):
    pii_headers = contract("hubspot_contacts").pii
    personal = {
        v.strip().lower()
        for path in (TRAFFIC, SOURCE, SOURCE_DATA, CONTACTS_XLSX)
        for r in records(path)
        for h, v in r.items()
        if h in pii_headers and v.strip()
    }
    assert len(personal) == 10 * 3 + 8  # names and emails of 10 contacts, 8 phone numbers
    cells = "\n".join(loaded.text_cells()).lower()
    assert "acme example inc" in cells  # the scan does see the loaded text
    assert [v for v in sorted(personal) if v in cells] == []


def test_deals(loaded):
    """Won/lost from `Is Closed Won` and the stage lists; blank Amount is unknown (NULL); contacts link
    through `Associated Contact IDs`, and the deal takes the lead's channel."""
    d = Decimal
    assert loaded.q(
        """select deal_id, lead_id, stage, is_closed, is_won, amount, currency, created_at, closed_at,
                  expected_close_at, owner, channel
           from deals order by deal_id"""
    ) == [
        ("9876543210", "51234567802", "Closed Won", True, True, d("12000.00"), "USD", datetime(2026, 3, 4, 14, 45),
         datetime(2026, 3, 20, 18, 0), None, "Tom Becker", "paid_search"),
        ("9876543211", "51234567802", "Closed Lost", True, False, d("2500.50"), "USD", datetime(2026, 3, 5, 16, 0),
         datetime(2026, 3, 21, 14, 0), None, "Tom Becker", "paid_search"),
        ("9876543212", "51234567801", "Appointment Scheduled", False, False, None, "USD",
         datetime(2026, 3, 6, 21, 20), None, datetime(2026, 4, 15, 4, 0), "Dana Whitfield", "paid_social"),
        ("9876543213", None, "Contract Sent", False, False, d("5400.50"), "USD", datetime(2026, 3, 7, 13, 0), None,
         datetime(2026, 4, 30, 4, 0), "Dana Whitfield", "other"),
        ("9876543220", "81234567801", "Closed Won", True, True, d("3600.00"), "USD", datetime(2026, 3, 10, 13, 0),
         datetime(2026, 3, 25, 14, 0), None, "Dana Whitfield", "paid_social"),
        ("9876543221", "81234567802", "Qualified To Buy", False, False, d("8250.75"), "USD",
         datetime(2026, 3, 11, 18, 30), None, datetime(2026, 4, 20, 4, 0), "Tom Becker", "organic_social"),
    ]  # fmt: skip
