"""Revline targets.csv through the real loader."""

from __future__ import annotations

from datetime import date

FILES = ["revline/targets.csv"]


def test_load_log_counts_and_adapter(loaded):
    log = loaded.log("targets.csv")
    assert (log["adapter"], log["status"]) == ("targets", "loaded")
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"], log["rows_duplicate"],
            log["rows_skipped"]) == (4, 4, 0, 0, 0)  # fmt: skip


def test_types(loaded):
    assert loaded.types("targets") == {
        "month": "DATE",
        "metric": "VARCHAR",
        "segment": "VARCHAR",
        "value": "DOUBLE",
        "segment_kind": "VARCHAR",  # all | owner | channel, NULL: matches nothing loaded
    }
    assert loaded.types("stg_revline__targets")["month"] == "DATE"


def test_months_and_blank_segment(loaded):
    """`2026-03` is the first of the month; a blank segment means 'all'."""
    assert loaded.q("select month, metric, segment, value from targets order by month, metric") == [
        (date(2026, 3, 1), "mqls", "paid_social", 120.0),
        (date(2026, 3, 1), "new_pipeline", "all", 750000.0),
        (date(2026, 3, 1), "revenue", "all", 250000.0),
        (date(2026, 4, 1), "revenue", "all", 275000.5),
    ]


def test_segment_kind_without_crm_data(loaded):
    """Only targets are loaded here: 'all' is the team, and 'paid_social' names no channel the loaded
    data knows yet, so it is listed as unmatched (queries/data/unmatched_targets.sql)."""
    assert loaded.q("select distinct segment, segment_kind from targets order by segment") == [
        ("all", "all"), ("paid_social", None)]
