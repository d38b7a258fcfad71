"""Each alert rule firing and not firing, on the golden warehouses (thresholds either side of a value
worked out by hand) and the demo; the CLI's exit codes; the rules file checked."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import duckdb
import pytest

from etl.config import REPO
from etl.config_check import ConfigError
from etl.loader import load
from queries.summary import summarize
from reports.__main__ import main
from reports.alerts import AlertConfig, evaluate, load_alert_config


def fire(db, now: datetime, **rule) -> list:
    return evaluate(db, now, AlertConfig([rule], [], {"Tom Becker": "tom@example.com"}))


def test_pace_behind_target(revenue_db):
    # data through Oct 25 (the last deal closing date): October's revenue 30,000 (deals 501 and 504)
    # against 40,000 x 25/31 = 32,258 due by then -> pace 0.93, i.e. 7% behind
    now = datetime(2026, 11, 29, 9, 0)
    [a] = fire(revenue_db, now, kind="pace", metric="revenue", behind_pct=5)
    assert a.message.startswith("Revenue is 7% behind target pace for October 2026 to Oct 25, 2026")
    assert "(pace 93%)" in a.message and "start=2026-10-01&end=2026-10-25" in a.link
    assert fire(revenue_db, now, kind="pace", metric="revenue", behind_pct=10) == []
    # MQLs: 3 of a target of 4 -> 3 / (4 x 25/31) = 0.93 as well
    assert len(fire(revenue_db, now, kind="pace", metric="mqls", behind_pct=5)) == 1
    assert fire(revenue_db, now, kind="pace", metric="spend", behind_pct=50) == []  # no spend target: no pace


def test_change_vs_previous_week(demo_warehouse):
    _, db, _ = demo_warehouse
    now = datetime(2026, 11, 23, 9, 0)  # the demo's data ends Sunday Nov 22: that week vs the one before
    r = summarize(date(2026, 11, 16), date(2026, 11, 22), "previous", datetime(2026, 11, 22, 23, 59, 59), None, db,
                  names=["revenue"])["metrics"]["revenue"]  # fmt: skip
    pct = abs(r["change"]) * 100
    assert r["change"] > 0
    [a] = fire(db, now, kind="change", metric="revenue", pct=pct - 1)
    assert a.message.startswith(f"Revenue rose {abs(r['change']):.0%} in the week Nov 16–22, 2026")
    assert fire(db, now, kind="change", metric="revenue", pct=pct + 1) == []
    assert fire(db, now, kind="change", metric="revenue", pct=pct - 1, direction="worse") == []  # a rise is better
    assert len(fire(db, now, kind="change", metric="revenue", pct=pct - 1, direction="better")) == 1


def test_daily_value_outside_trailing_sigma(revenue_db):
    # data through Oct 25; spend of the 28 days before (Sep 27 - Oct 24): Oct 5 1,150 (Meta 100 + 50,
    # Google 1,000), Oct 6 200, 26 days 0 -> mean 1,350/28 = 48.21, population sd
    # sqrt((1150^2 + 200^2)/28 - 48.21^2) = 215.26; Oct 25: 0, |0 - 48.21| = 0.224 sd
    now = datetime(2026, 11, 29, 9, 0)
    [a] = fire(revenue_db, now, kind="anomaly", measure="spend", trailing_days=28, sigma=0.2)
    assert a.message == "Ad spend on Oct 25, 2026 was 0.00, outside the 28-day mean 48.21 ± 0.2 σ (215.26)."
    assert fire(revenue_db, now, kind="anomaly", measure="spend", trailing_days=28, sigma=0.25) == []


@pytest.mark.parametrize(("now", "fires"), [
    (datetime(2026, 11, 3, 16, 0), False),  # deadline 2 h away: pending
    (datetime(2026, 11, 3, 17, 30), True),  # 30 min away, within warn_hours = 1: about to breach
    (datetime(2026, 11, 3, 18, 30), False),  # past it: breached, no longer "about to"
])  # fmt: skip
def test_mql_about_to_breach_goes_to_its_rep(handoff_db, now, fires):
    # lead C: Tom Becker, MQL Tue Nov 3 09:00 EST (14:00 UTC), never touched; SLA 4 business hours
    # -> deadline 13:00 EST = 18:00 UTC
    alerts = fire(handoff_db, now, kind="sla")
    assert [(a.subject, a.to) for a in alerts] == ([("Tom Becker", ("tom@example.com",))] if fires else [])
    if fires:
        assert "1 MQL(s) of Tom Becker about to breach the SLA: lead 103" in alerts[0].message


def test_source_not_loaded_for_days(handoff_db):
    # Salesforce leads and activities cover up to Nov 2, HubSpot contacts to Nov 9
    fired = fire(handoff_db, datetime(2026, 11, 6, 12, 0), kind="stale", days=3)  # Nov 2 is 4 days back
    assert sorted(a.subject for a in fired) == ["Salesforce activities", "Salesforce leads"]
    assert "no data after Nov 2, 2026, 4 days ago" in fired[0].message
    assert fire(handoff_db, datetime(2026, 11, 6, 12, 0), kind="stale", days=4) == []


@pytest.fixture(scope="module")
def rejecting_db(tmp_path_factory):
    """A load of targets.csv with 1 of its 4 rows unreadable (25% rejected)."""
    folder = tmp_path_factory.mktemp("rejects")
    (folder / "targets.csv").write_text(
        "month,metric,segment,value\n2026-10,revenue,all,40000\n2026-10,mqls,all,4\n2026-10,sqls,all,abc\n"
        "2026-10,new_pipeline,all,30000\n", encoding="utf-8")  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        load([folder / "targets.csv"], folder / "w.duckdb")
    with duckdb.connect(str(folder / "w.duckdb"), read_only=True) as con:
        loaded_at = con.execute("select finished_at from load_log").fetchall()[0][0]
    return folder / "w.duckdb", loaded_at


def test_load_rejecting_too_many_rows(rejecting_db):
    db, loaded_at = rejecting_db
    soon = loaded_at + timedelta(hours=1)
    [a] = fire(db, soon, kind="rejects", pct=20, within_days=7)
    assert a.subject == "targets.csv" and "rejected 1 of 4 rows (25%)" in a.message
    assert fire(db, soon, kind="rejects", pct=30, within_days=7) == []
    assert fire(db, loaded_at + timedelta(days=8), kind="rejects", pct=20, within_days=7) == []  # an old load


def test_cli_exit_codes(handoff_db, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    (config / "alerts.toml").write_text('[[rule]]\nkind = "stale"\ndays = 3\n', encoding="utf-8")
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config))
    assert main(["alerts", "--db", str(handoff_db), "--now", "2026-11-06 12:00"]) == 1
    out = capsys.readouterr().out
    assert "[stale] Salesforce leads: no data after Nov 2, 2026" in out
    assert main(["alerts", "--db", str(handoff_db), "--now", "2026-11-04 12:00"]) == 0
    assert capsys.readouterr().out.strip() == "No alert fired."
    assert main(["alerts", "--db", str(handoff_db), "--now", "2026-11-06 12:00", "--only", "sla"]) == 0  # stale skipped
    capsys.readouterr()
    (config / "alerts.toml").write_text('[[rule]]\nkind = "weather"\n', encoding="utf-8")
    assert main(["alerts", "--db", str(handoff_db)]) == 2
    assert '[[rule]] number 1: kind = "weather": not allowed; must be one of "pace"' in capsys.readouterr().err


def test_repository_rules_are_valid(tmp_path):
    config = load_alert_config()
    assert {r["kind"] for r in config.rules} == {"pace", "change", "anomaly", "sla", "stale", "rejects"}
    (tmp_path / "alerts.toml").write_text('[[rule]]\nkind = "anomaly"\nmeasure = "ctr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='measure = "ctr": not allowed; must be one of "revenue", "new_pipeline"'):
        load_alert_config(tmp_path / "alerts.toml")


def test_overview_lists_the_same_alerts(revenue_db, tmp_path, monkeypatch, app):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    (config / "alerts.toml").write_text('[[rule]]\nkind = "pace"\nmetric = "revenue"\nbehind_pct = 5\n', encoding="utf-8")
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config))
    [expected] = evaluate(revenue_db, datetime(2026, 11, 29), load_alert_config(config / "alerts.toml"))
    at = app(revenue_db, range="custom", start="2026-10-01", end="2026-10-31")
    [shown] = [w.value for w in at.warning if "behind target pace" in w.value]
    assert shown.startswith("Revenue is 7% behind target pace for October 2026") and "pace 93%" in shown
    assert expected.link in shown  # the same alert, with its link
