"""The weekly digest: golden numbers worked out by hand on the fixture warehouses, the same numbers
as `python -m queries summary` and the Overview page on the demo, a self-contained HTML file and a
PDF whose text holds the same values."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest

from etl.config_check import ConfigError
from queries.__main__ import main as queries_main
from queries.notes import shown_label
from queries.registry import format_value, metric
from queries.summary import summarize
from reports.__main__ import main
from reports.digest import build, last_complete_week, load_digest_config
from reports.pdf import write
from reports.render import render
from tests.test_pages import tiles
from tests.test_values import shown_codes

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(("through", "week"), [
    (date(2026, 11, 22), (date(2026, 11, 16), date(2026, 11, 22))),  # a Sunday: its own week
    (date(2026, 11, 28), (date(2026, 11, 16), date(2026, 11, 22))),  # Saturday: the week before
    (date(2026, 11, 23), (date(2026, 11, 16), date(2026, 11, 22))),  # Monday: the week before
])  # fmt: skip
def test_default_week_is_the_last_complete_week_of_the_data(through, week):
    assert last_complete_week(through) == week


def test_golden_october_digest(revenue_db):
    d = build(revenue_db, "leadership", date(2026, 10, 1), date(2026, 10, 31), today=TODAY)
    m = d.summary["metrics"]
    # revenue: deals 501 (10,000, won Oct 20) + 504 (20,000, won Oct 15); target 40,000, whole month
    # judged at the end of the data's last day, Oct 25 (queries/view.py as_of_for): 25 of 31 days
    # elapsed, pace = 30,000 / (40,000 x 25/31) = 0.93
    r = m["revenue"]
    assert (r["value"], r["target"]) == (30000, 40000) and r["pace"] == pytest.approx(30000 / (40000 * 25 / 31))
    # new pipeline: deals created in October 501 + 502 + 503 = 10,000 + 4,000 + 6,000
    assert m["new_pipeline"]["value"] == 20000
    # spend: Meta 100 + 200 + 50, Google 1,000; MQLs: L1, L2, L3 of a target of 4 -> pace 3 / (4 x 25/31)
    assert m["spend"]["value"] == 1350 and m["mqls"]["value"] == 3
    assert m["mqls"]["pace"] == pytest.approx(3 / (4 * 25 / 31))
    assert d.as_of == datetime(2026, 10, 25, 23, 59, 59)
    by_channel = {r["segment"]: r for r in d.cost_per_stage}
    # paid_social: 350 spend over L1 and L2 (2 leads, 2 MQLs) -> 175 per MQL; paid_search: 1,000 / 1
    assert (by_channel["paid_social"]["leads"], by_channel["paid_social"]["cost_per_mql"]) == (2, 175)
    assert by_channel["paid_search"]["cost_per_mql"] == 1000
    assert by_channel["organic_search"]["cost_per_mql"] is None  # no cost data, not zero cost
    # funnel of the 4 leads created: MQL L1-L3, SQL L1 and L3, opportunity and customer L1
    assert [(r["stage"], r["records"]) for r in d.funnel] == [
        ("lead", 4), ("mql", 3), ("sql", 2), ("opportunity", 1), ("customer", 1)]  # fmt: skip
    html = render(d)
    tile = re.search(r'data-metric="revenue">(.*?)</div></div>', html).group(1)
    assert "$30.0k" in tile and "target $40.0k · pace 93%" in tile
    row = re.search(r'data-channel="paid_social">(.*?)</tr>', html).group(1)
    assert "$350" in row and "$175" in row and "<td>Paid social</td>" in row  # the channel's label
    organic = re.search(r'data-channel="organic_search">(.*?)</tr>', html).group(1)
    # no ad spend rows: "no ad spend" and no cost per stage, never $0 (paid_media/cost_per_stage NULLs)
    assert "<td>Organic search</td>" in organic and "no ad spend" in organic and "$0" not in organic
    assert not shown_codes(html)
    link = "http://localhost:8501/overview?range=custom&amp;start=2026-10-01&amp;end=2026-10-31&amp;compare=previous"
    assert link in html
    assert "http://localhost:8501/funnel?range=custom" in html and "http://localhost:8501/marketing?" in html
    # freshness: each source's span (deals: 504 created Sep 1 to 502 closing Oct 25)
    assert "<tr><td>HubSpot deals</td><td>2026-09-01</td><td>2026-10-25</td></tr>" in html


def test_golden_sla_by_rep_and_breaches(handoff_db):
    d = build(handoff_db, "leadership", date(2026, 11, 2), date(2026, 11, 8), today=TODAY)
    reps = {r["segment"]: (r["mqls"], r["met"], r["breached"], r["pending"], r["compliance"]) for r in d.sla_by_rep}
    # Dana: A 3 min, D 180 business min, G 10 min, all within 4 h; Tom: B 30 business min (met),
    # C never touched and past its deadline (breached) -> 1 / 2; Priya: F 20 min (automation ignored)
    assert reps == {"Dana Whitfield": (3, 3, 0, 0, 1.0), "Tom Becker": (2, 1, 1, 0, 0.5),
                    "Priya Raman": (1, 1, 0, 0, 1.0)}  # fmt: skip
    assert [(b["lead_id"], b["owner"], b["touch_at"]) for b in d.breaches] == [("103", "Tom Becker", None)]
    html = render(d)
    assert "Breaches (1)" in html and "not touched" in html and "http://localhost:8501/handoff?" in html


@pytest.fixture(scope="module")
def demo_digest(demo_warehouse, tmp_path_factory):
    _, db, _ = demo_warehouse
    out = tmp_path_factory.mktemp("digest")
    assert main(["digest", "--db", str(db), "--out", str(out)]) == 0
    d = build(db, "leadership")
    return db, d, out


def test_digest_numbers_equal_the_summary_command(demo_digest, capsys):
    db, d, out = demo_digest
    assert (d.start, d.end) == (date(2026, 11, 16), date(2026, 11, 22))  # the demo's data ends Sunday Nov 22
    capsys.readouterr()
    assert queries_main(["summary", "--db", str(db), "--start", "2026-11-16", "--end", "2026-11-22",
                 "--as-of", d.as_of.isoformat(sep=" ")]) == 0  # fmt: skip
    cli = json.loads(capsys.readouterr().out)["metrics"]
    html = (out / "revline-leadership-2026-11-16-2026-11-22.html").read_text(encoding="utf-8")
    for name in d.metrics:
        r = cli[name]
        assert (d.summary["metrics"][name]["value"], d.summary["metrics"][name]["change"]) == (r["value"], r["change"])
        tile = re.search(rf'data-metric="{name}">(.*?)</div></div>', html).group(1)
        assert f'<div class="value">{format_value(metric(name), r["value"])}</div>' in tile
        if r["change"] is not None:
            assert f"{r['change']:+.1%}" in tile
    # top movers: the Overview's "What changed" ranking (business impact), each driver the summary for its slice
    from queries.movers import movers as ranked
    from queries.pages import page

    assert [m["name"] for m in d.movers] == [x.name for x in ranked(cli, page("overview").tiles, limit=5)]
    revenue = next(m for m in d.movers if m["name"] == "revenue")  # +48% in the demo's week
    assert len(revenue["drivers"]) == 2, "a mover names the slices that moved it most"
    for drv in revenue["drivers"]:
        sliced = summarize(d.start, d.end, "previous", d.as_of, {drv["dimension"]: drv["slice"]}, db,
                           names=["revenue"])["metrics"]["revenue"]  # fmt: skip
        assert (drv["value"], drv["comparison"]) == (sliced["value"], sliced["comparison"])
        assert drv["delta"] == sliced["value"] - sliced["comparison"] > 0  # moved it the same way
    assert "Paid search</a> $16.2k → $77.0k" in html  # the demo's biggest revenue driver, as in the table


def test_digest_tiles_equal_the_overview_it_links_to(demo_digest, app):
    db, d, _ = demo_digest
    at = app(db, range="custom", start="2026-11-16", end="2026-11-22", compare="previous")
    shown = tiles(at)
    elsewhere = [n for n in d.metrics if shown_label(metric(n).label, d.summary["metrics"][n]) not in shown]
    assert elsewhere == ["ltv"]  # the leadership digest's LTV is a Revenue page tile; the Overview has LTV : CAC
    for name in set(d.metrics) - set(elsewhere):
        r = d.summary["metrics"][name]
        assert shown[shown_label(metric(name).label, r)] == format_value(metric(name), r["value"])  # "LTV (assumed)"


def test_overview_what_changed_is_the_digests(demo_digest, app):
    """One answer to "what changed and why": the Overview's movers and drivers are the digest's."""
    db, d, _ = demo_digest
    at = app(db, range="custom", start="2026-11-16", end="2026-11-22", compare="previous",
             ov_drivers="on")  # fmt: skip
    table = next(m.value for m in at.markdown if m.value.startswith("| Metric |"))
    assert "Driven by" in table.splitlines()[0] and at.toggle(key="ov_drivers").value
    rows = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()[2:]]
    assert rows[: len(d.movers)] == [metric(m["name"]).label for m in d.movers]  # the same ranking
    revenue = next(line for line in table.splitlines() if line.startswith("| Revenue |"))
    for drv in next(m for m in d.movers if m["name"] == "revenue")["drivers"]:
        shown = format_value(metric("revenue"), drv["comparison"]) + " → " + format_value(metric("revenue"), drv["value"])
        assert shown.replace("$", "\\$") in revenue or shown in revenue


def test_no_code_value_in_any_role_digest(demo_digest, tmp_path):
    """Channels, stages and statuses by their labels (queries/values.py), never `paid_social`."""
    db, _, _ = demo_digest
    for role in ("leadership", "marketing", "sales"):
        html = render(build(db, role))
        assert not shown_codes(html), role
        if role != "sales":  # its channel drivers' links (the sales digest's tables are per rep)
            assert "organic_search" in html  # ...while links and data attributes keep the ids


def test_html_is_self_contained(demo_digest):
    _, _, out = demo_digest
    html = (out / "revline-leadership-2026-11-16-2026-11-22.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<style>" in html  # charts and CSS inline
    for fetches in ("<script", " src=", "<link", "@import", "url("):
        assert fetches not in html  # nothing a mail client or browser would fetch


def test_pdf_has_the_same_content(demo_digest):
    _, d, out = demo_digest
    reader = pypdf.PdfReader(out / "revline-leadership-2026-11-16-2026-11-22.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Leadership weekly: Nov 16–22, 2026" in text
    for name in ("revenue", "mqls", "win_rate"):
        assert format_value(metric(name), d.summary["metrics"][name]["value"]) in text
    assert "SLA compliance by rep" in text and "Cost per stage by channel" in text


def test_each_role_has_its_own_metrics(demo_digest, tmp_path):
    db, _, _ = demo_digest
    sales = build(db, "sales")
    assert "sales_cycle_days" in sales.metrics and "cost_per_stage" not in sales.sections
    html, pdf = write(sales, tmp_path)
    assert "Sales cycle" in html.read_text(encoding="utf-8") and pdf.stat().st_size > 0


def test_cli_refuses_what_it_cannot_do(tmp_path, demo_warehouse, capsys):
    _, db, _ = demo_warehouse
    assert main(["digest", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)]) == 2
    assert "no warehouse at" in capsys.readouterr().err
    assert main(["digest", "--db", str(db), "--out", str(tmp_path), "--role", "finance"]) == 2
    assert "no digest role 'finance'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["digest", "--db", str(db), "--out", str(tmp_path), "--start", "2026-11-16"])
    assert "--start and --end go together" in capsys.readouterr().err
    assert not list(Path(tmp_path).glob("*.html"))


def test_a_week_without_data_says_so_never_zero(demo_digest):
    db, _, _ = demo_digest
    d = build(db, "leadership", date(2020, 1, 6), date(2020, 1, 12), today=TODAY)  # years before the demo's data
    html = render(d)
    revenue = re.search(r'data-metric="revenue">(.*?)</div></div>', html).group(1)
    assert '<div class="value">–</div>' in revenue and "No CRM deal data for Jan 6–12, 2020" in revenue
    funnel = html[html.index('<section id="funnel">'):]
    assert "No CRM lead data for Jan 6–12, 2020: it covers" in funnel and "No leads created" not in funnel


def test_a_bad_digest_config_is_one_sentence(tmp_path):
    (tmp_path / "digests.toml").write_text('[roles.ops]\nmetrics = ["revenue", "vibes"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'\[roles.ops\] metrics = .*: not allowed; its item "vibes" is not a metric name'):
        load_digest_config(tmp_path / "digests.toml")


@pytest.mark.parametrize("command", ["digest", "alerts"])
def test_queries_says_where_digest_and_alerts_moved(command, tmp_path, capsys):
    """`python -m queries digest|alerts` (old cron lines) answer with one line naming the new command, exit 2."""
    assert queries_main([command, "--db", str(tmp_path / "w.duckdb"), "--send"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == f"revline: `{command}` moved: run `python -m reports {command} --db {tmp_path / 'w.duckdb'} --send`\n"
    assert not list(tmp_path.iterdir())  # nothing run, nothing written


def test_the_moved_commands_as_run_from_a_shell():
    """The real process: `python -m queries digest` exits 2 with one line; `python -m reports` knows both commands."""
    repo = Path(__file__).resolve().parents[1]
    old = subprocess.run([sys.executable, "-m", "queries", "digest", "--out", "x"], cwd=repo,
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert (old.returncode, old.stdout) == (2, "")
    assert old.stderr.splitlines() == ["revline: `digest` moved: run `python -m reports digest --out x`"]
    new = subprocess.run([sys.executable, "-m", "reports", "--help"], cwd=repo, capture_output=True, text=True,
                         check=False)  # fmt: skip
    assert new.returncode == 0 and "{digest,alerts}" in new.stdout
