"""Bad input: every problem yields a clear message naming the file, loses nothing else, and the
load log always adds up. Real loader, real DuckDB file, files from tests/fixtures/exports/bad/."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl.contracts import all_contracts

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
REPO = Path(__file__).parent.parent
ACCEPTED = [c.label for c in all_contracts()]


def only(w):
    [result] = w.results
    return result


def test_unknown_file_names_itself_and_lists_accepted_exports(load_files):
    r = only(load_files("bad/orders.csv"))
    assert (r.status, r.adapter) == ("failed", "")
    assert r.message.startswith("orders.csv: is not an export Revline recognises")
    assert all(label in r.message for label in ACCEPTED), r.message


def test_missing_required_column_names_column_and_export(load_files):
    r = only(load_files("bad/Example-Co-Ads-No-Spend.csv"))
    assert r.status == "failed"
    assert r.message.startswith(
        "Example-Co-Ads-No-Spend.csv: looks like a Meta Ads Manager campaign report (by day) (header on line 1) "
        "but lacks the column 'Amount spent (USD)'"
    ), r.message


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("bad/empty.csv", "empty.csv: is empty (0 bytes)."),
        (
            "bad/screenshot.csv",
            "screenshot.csv: is a binary file, not a text export (it contains NUL bytes).",
        ),
        (
            "bad/report1772633640009.xls",
            "report1772633640009.xls: is a legacy Excel 97-2003 (.xls) workbook, which Revline does not read.",
        ),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(load_files, path, message):
    w = load_files(path)
    r = only(w)
    assert r.status == "failed"
    assert r.message.startswith(message), r.message
    log = w.log(Path(path).name)
    assert (log["status"], log["message"], log["rows_read"], log["rows_loaded"]) == (
        "failed",
        r.message,
        0,
        0,
    )


def test_unparseable_values_are_rejected_with_line_and_reason(load_files):
    """Google Ads: lines 1-2 preamble, 3 header; a bad date on line 5, `12,3x` money on 6, `1.5k` on 7."""
    w = load_files("bad/Campaign report (bad values).csv")
    log = w.log("Campaign report (bad values).csv")
    assert (log["status"], log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
            log["rows_skipped"]) == ("loaded_with_rejects", 5, 2, 3, 0, 1)  # fmt: skip
    assert w.q("select line_number, reason, raw_line from rejected_rows order by line_number") == [
        (5, "cannot read \"Day\" value '2026-02-30' as date",
         "2026-02-30,Enabled,Search - Brand,12345678901,USD,11.00,110,6"),
        (6, "cannot read \"Cost\" value '12,3x' as money",
         '2026-03-02,Enabled,Search - Brand,12345678901,USD,"12,3x",120,7'),
        (7, "cannot read \"Impr.\" value '1.5k' as int",
         "2026-03-03,Enabled,Search - Brand,12345678901,USD,13.00,1.5k,8"),
    ]  # fmt: skip
    assert w.q("select date, spend from ad_spend order by date") == [
        (date(2026, 3, 1), Decimal("10.00")), (date(2026, 3, 4), Decimal("14.00")),
    ]  # fmt: skip


def test_reject_line_numbers_count_embedded_newlines_and_redact_personal_data(load_files):
    """Salesforce leads: record 1 spans lines 2-3 (a line break in Street), so the bad records are on
    physical lines 4, 5 and 6; their raw lines never show names, emails or phones."""
    w = load_files("bad/report1772633640010.csv")
    log = w.log("report1772633640010.csv")
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
            log["rows_skipped"]) == (5, 2, 3, 0, 6)  # fmt: skip
    rejects = w.q("select line_number, reason, raw_line from rejected_rows order by line_number")
    assert [(line, reason) for line, reason, _ in rejects] == [
        (4, "cannot read \"Created Date\" value '3/32/2026 9:00 AM' as datetime"),
        (5, 'missing required value in "Created Date"'),
        (6, "cannot read \"Converted\" value 'perhaps' as bool"),
    ]
    assert rejects[0][2] == (
        "00Q5g00000BadEEA2,Priya Raman,[redacted],[redacted],,Example Co,[redacted],[redacted],,Web,"
        "Open - Not Contacted,,3/32/2026 9:00 AM,,0,,,"
    )
    assert not any("@" in raw or "Badrow" in raw or "555-010" in raw for _, _, raw in rejects)
    assert w.q("select lead_id from leads order by 1") == [("00Q5g00000BadEEA1",), ("00Q5g00000BadEEA5",)]


def test_ragged_rows_are_rejected(load_files):
    w = load_files("bad/Custom report ragged.csv")
    log = w.log("Custom report ragged.csv")
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == (4, 2, 2)
    assert w.q("select line_number, reason, raw_line from rejected_rows order by line_number") == [
        (3, "row has more fields than the header (18)",
         "2026-03-01,Spring Sale TT,1791234567890123458,Active,45.67,12000,9000,1.33,150,1.25%,0.30,3.81,5,9.13,"
         "3.33%,5,9.13,Conversion,extra"),
        (4, "row has fewer fields than the header (18)", "2026-03-01,Brand TT,1791234567890123459,Active,20.00"),
    ]  # fmt: skip
    assert w.q("select campaign_id from ad_spend order by date") == [
        ("1791234567890123456",), ("1791234567890123456",),
    ]  # fmt: skip


def test_every_load_adds_up(load_files, tmp_path):
    """All fixture exports, good and bad, in one batch, and again (duplicate files):
    rows_read = rows_loaded + rows_rejected + rows_duplicate + rows_merged for every load_log row."""
    files = sorted(p for p in EXPORTS.rglob("*") if p.is_file())
    w = load_files(*files)
    w.load(*files)
    log = w.q("select file_name, status, rows_read, rows_loaded, rows_rejected, rows_duplicate, rows_merged "
              "from load_log")  # fmt: skip
    assert len(log) == 2 * len(files)
    assert [row for row in log if row[2] != row[3] + row[4] + row[5] + row[6]] == []
    statuses = sorted({row[1] for row in log})
    assert statuses == ["duplicate_file", "failed", "loaded", "loaded_with_rejects"]
    failed = sorted(row[0] for row in log if row[1] == "failed")
    assert failed == sorted(2 * [
        "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv", "Example-Co-Ads-No-Spend.csv", "empty.csv",
        "orders.csv", "report1772633640009.xls", "screenshot.csv",
    ])  # fmt: skip
    rejected = w.q("select sum(rows_rejected) from load_log")[0][0]
    # 8, and the Stripe subscriptions fixture's row with an unknown status
    assert w.q("select count(*) from rejected_rows") == [(rejected,)] == [(9,)]


def test_failed_file_loads_nothing_while_the_rest_of_the_batch_loads(load_files):
    """The whole-range Meta export fails after its rows reached the raw table: all of it is rolled back."""
    w = load_files(
        "meta/Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv",
        "meta/Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv",
        "revline/targets.csv",
    )
    assert {r.path.name: r.status for r in w.results} == {
        "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv": "failed",
        "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv": "loaded",
        "targets.csv": "loaded",
    }
    failed_id = w.log("Example-Co-Ads-Campaigns-Mar-1-2026-Mar-31-2026.csv")["load_id"]
    for table in ("raw_meta__campaign_days", "stg_meta__campaign_days", "rejected_rows"):
        assert w.q(f"select count(*) from {table} where load_id = ?", [failed_id]) == [(0,)], table
    assert w.q("select count(*), sum(spend) from ad_spend") == [(5, Decimal("327.21"))]
    assert w.q("select count(*) from targets") == [(4,)]


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "REVLINE_EMAIL_HASH_KEY": "test-key", "COLUMNS": "200"}
    env.pop("REVLINE_CONFIG_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", *args, "--db", str(db)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_exits_non_zero_with_the_message_on_stderr(tmp_path):
    db = tmp_path / "w.duckdb"
    proc = cli(str(EXPORTS / "bad" / "orders.csv"), str(EXPORTS / "revline" / "targets.csv"), db=db)
    assert proc.returncode == 1, proc.stderr
    stderr = " ".join(proc.stderr.split())
    assert "failed: orders.csv: is not an export Revline recognises" in stderr, proc.stderr
    assert "Expected: a CSV or XLSX export from one of: " in stderr and "Google Ads campaign report (by day)," in stderr
    with duckdb.connect(str(db), read_only=True) as con:  # the good file of the batch was loaded
        assert con.execute("select count(*) from targets").fetchall() == [(4,)]


def test_cli_exits_zero_when_every_file_loads(tmp_path):
    proc = cli(str(EXPORTS / "revline" / "targets.csv"), db=tmp_path / "w.duckdb")
    assert proc.returncode == 0, proc.stderr
    assert "failed" not in proc.stderr
