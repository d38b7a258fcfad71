"""Stripe Dashboard Subscriptions and Invoices exports through the real loader (#26 point 1): the
layout as downloaded, rejects with file, line and reason, e-mails only as the CRM's keyed hash
(compared case-insensitively), and which of two date-less exports is newer."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from etl.loader import load
from tests.fixtures.make_fixtures import STRIPE_SUBS_HEADER, csv_text

SUBS = "stripe/subscriptions.csv"
INVOICES = "stripe/invoices.csv"
CONTACTS = "hubspot/hubspot-crm-exports-all-contacts-2026-03-05.csv"
FILES = [CONTACTS, SUBS, INVOICES]


def test_load_log_counts_and_adapter(loaded):
    subs, inv = loaded.log("subscriptions.csv"), loaded.log("invoices.csv")
    assert (subs["adapter"], subs["status"], subs["rows_read"], subs["rows_loaded"], subs["rows_rejected"]) == (
        "stripe_subscriptions", "loaded_with_rejects", 3, 2, 1)  # fmt: skip
    assert (inv["adapter"], inv["status"], inv["rows_read"], inv["rows_loaded"], inv["rows_rejected"]) == (
        "stripe_invoices", "loaded", 2, 2, 0)  # fmt: skip
    # no date in the names: dated by the newest timestamp each file holds
    assert (subs["exported_at"], subs["exported_at_source"]) == (datetime(2026, 3, 5, 10, 0), "newest timestamp in the file")
    assert inv["exported_at"] == datetime(2026, 3, 5, 10, 1)  # Paid At of in_1A
    assert "export time: its newest timestamp (2026-03-05 10:00 UTC)" in subs["message"]


def test_an_unknown_status_is_rejected_with_file_line_and_reason(loaded):
    [(file, line, text, reason)] = loaded.q("select file_name, line_number, raw_line, reason from rejected_rows "
                                           "where file_name = 'subscriptions.csv'")  # fmt: skip
    assert (file, line) == ("subscriptions.csv", 4)
    assert reason.startswith("status is not one of Stripe's subscription statuses")
    assert "casey@stripe-only.example" not in text and text.startswith("sub_1C,cus_C,[redacted],[redacted],")


def test_values_and_types_as_downloaded(loaded):
    """`usd` -> USD, `false` -> False, empty dates NULL, `3` seats, 1200.00 a year in EUR."""
    assert loaded.q("""select subscription_id, customer_id, quantity, currency, interval, amount, status, created_at,
                              ended_at, cancel_at_period_end from stg_stripe__subscriptions order by 1""") == [
        ("sub_1A", "cus_A", 3, "USD", "month", Decimal("50.00"), "active", datetime(2026, 3, 5, 10, 0), None, False),
        ("sub_1B", "cus_B", 1, "EUR", "year", Decimal("1200.00"), "active", datetime(2026, 3, 1, 9, 0), None, False),
    ]  # fmt: skip
    assert loaded.q("select invoice_id, subtotal, total_discount, total, paid from stg_stripe__invoices order by 1") == [
        ("in_1A", Decimal("150.00"), Decimal("0.00"), Decimal("150.00"), True),
        ("in_1B", Decimal("1200.00"), Decimal("120.00"), Decimal("1080.00"), True),
    ]  # fmt: skip


def test_billing_emails_are_only_stored_as_the_crm_hash_compared_case_insensitively(loaded):
    """`Avery.Testwell@Example.com` in Stripe is HubSpot's `avery.testwell@example.com`: the same hash,
    so the customer matches its lead; no address and no customer name is stored anywhere in clear."""
    cells = loaded.text_cells()
    assert not [c for c in cells if "@" in c or "Testwell" in c]
    assert loaded.q("select customer_id, lead_id from billing_customers order by 1") == [
        ("cus_A", "51234567801"), ("cus_B", None)]  # fmt: skip
    assert loaded.q("""select count(distinct email_hash) from (select customer_email as email_hash
                       from stg_stripe__subscriptions where customer_id = 'cus_A'
                       union all select email_hash from leads where lead_id = '51234567801')""") == [(1,)]


def test_billing_is_a_coverage_source(loaded):
    assert loaded.q("select kind, first_day from mart_coverage where adapter = 'stripe_subscriptions'") == [
        ("billing", date(2026, 3, 1))]  # fmt: skip


def _write(path: Path, rows: list[list[str]], mtime: datetime) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text([STRIPE_SUBS_HEADER, *rows]), encoding="utf-8")
    stamp = mtime.replace(tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _sub(sid: str, seats: str, status: str, period_start: str, canceled: str = "", ended: str = "") -> list[str]:
    return [sid, "cus_9", "Nine", "nine@example.com", "price_1", "Pro", seats, "usd", "month", "10.00", status,
            "2026-01-10 08:00", "2026-01-10 08:00", period_start, "", "", "", canceled, ended, "false", ""]  # fmt: skip


def _q(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_export_holding_the_newer_timestamp_wins_whatever_its_name_and_copy_time(tmp_path, monkeypatch):
    """`subscriptions (1).csv` (the later download, its subscription canceled on Mar 20) sorts before
    `subscriptions.csv` and the older export was copied after it (newer mtime): by its newest
    timestamp the canceled version is newer, loaded first or last."""
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    newer = _write(tmp_path / "dl" / "subscriptions (1).csv",
                   [_sub("sub_9", "2", "canceled", "2026-03-10 08:00", "2026-03-20 12:00", "2026-03-20 12:00")],
                   datetime(2026, 3, 21, 9, 0))  # fmt: skip
    older = _write(tmp_path / "dl" / "subscriptions.csv", [_sub("sub_9", "2", "active", "2026-03-10 08:00")],
                   datetime(2026, 3, 25, 9, 0))  # fmt: skip  (copied later: the newer mtime)
    for i, order in enumerate(([newer, older], [older, newer])):
        db = tmp_path / f"w{i}.duckdb"
        results = [r for f in order for r in load([f], db)]
        assert _q(db, "select status, ended_at from subscriptions") == [("canceled", datetime(2026, 3, 20, 12, 0))]
        note = next(r for r in results if r.path == older).message
        assert "older than the version already loaded" in note or i == 1
        assert all("export time: its newest timestamp" in r.message for r in results)


def test_two_exports_with_the_same_newest_timestamp_are_decided_by_the_download_time(tmp_path, monkeypatch):
    """A seat added on Mar 15 writes no new timestamp: both exports hold Mar 10 as their newest. The
    one downloaded later (Mar 16) wins even when loaded first, and the summary says the download time decided."""
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    later = _write(tmp_path / "dl" / "subscriptions (1).csv", [_sub("sub_9", "3", "active", "2026-03-10 08:00")],
                   datetime(2026, 3, 16, 9, 0))  # fmt: skip
    earlier = _write(tmp_path / "dl" / "subscriptions.csv", [_sub("sub_9", "2", "active", "2026-03-10 08:00")],
                     datetime(2026, 3, 12, 9, 0))  # fmt: skip
    db = tmp_path / "w.duckdb"
    load([later], db)
    [second] = load([earlier], db)
    assert _q(db, "select quantity from subscriptions") == [(3,)]
    assert second.rows_older == 1
    assert ("same newest timestamp (2026-03-10 08:00 UTC) as subscriptions (1).csv: the download time decided "
            "(this file 2026-03-12 09:00 UTC, subscriptions (1).csv 2026-03-16 09:00 UTC; the later one wins)") in second.message
