"""Deal outcomes from HubSpot custom pipelines (fixtures shaped like a real org's exports: stages
`Closed: won` / `Closed: lost` / `Closed: abandoned`, an "all properties" export with `Is Deal
Closed?` and `Deal probability`, and a custom view without any flag). A stage that nothing maps is
named by the load and on the Data page, never silently open."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.config import REPO
from etl.config_check import ConfigError
from etl.loader import load

ALL_PROPERTIES = (
    '"Record ID","Amount","Amount in company currency","Close Date","Create Date","Deal Name","Deal owner",'
    '"Deal probability","Deal Stage","Is Deal Closed?","Last Modified Date","Pipeline"'
)
CUSTOM_VIEW = "\ufeffRecord ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Closed Lost Reason,Last Modified Date,Create Date"


def _exports(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    props = folder / "hubspot-crm-exports-all-deals-2026-11-16.csv"
    props.write_text("\n".join([
        ALL_PROPERTIES,
        '"901","1200","1200","2026-11-03 12:00","2026-10-01 09:00","Deal 001","Owner A","1.0","Closed: won","true","2026-11-03 12:05","Sales Pipeline"',
        '"902","800","800","2026-11-04 12:00","2026-10-02 09:00","Deal 002","Owner A","0.0","Closed: lost","true","2026-11-04 12:05","Sales Pipeline"',
        '"903","500","500","2026-11-05 12:00","2026-10-03 09:00","Deal 003","Owner B","0.1","Closed: abandoned","false","2026-11-05 12:05","Sales Pipeline"',
        '"904","","","2026-12-01 12:00","2026-10-04 09:00","Deal 004","Owner B","0.07","Opportunity identified","false","2026-11-06 12:05","Sales Pipeline"',
    ]) + "\n", encoding="utf-8")  # fmt: skip
    view = folder / "hubspot-crm-exports-won-and-waiting-2026-11-16.csv"
    view.write_text("\n".join([
        CUSTOM_VIEW,
        "905,Deal 005,Closed: won,2026-11-07 12:00,Owner A,300,,2026-11-07 12:05,2026-10-05 09:00",
        "906,Deal 006,Awaiting event,2026-12-10 12:00,Owner A,,,2026-11-08 12:05,2026-10-06 09:00",
        "907,Deal 007,Awaiting event,2026-12-11 12:00,Owner B,,,2026-11-08 12:06,2026-10-07 09:00",
    ]) + "\n", encoding="utf-8")  # fmt: skip
    return [props, view]


def _deals(db: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("select deal_id, stage_outcome, is_closed, is_won, pipeline from deals").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_flags_decide_and_unmapped_stages_are_named(tmp_path):
    db = tmp_path / "w.duckdb"
    props, view = load(_exports(tmp_path / "exports"), db)
    assert _deals(db) == {
        "901": ("won", True, True, "Sales Pipeline"),  # Is Deal Closed? true, probability 1.0
        "902": ("lost", True, False, "Sales Pipeline"),  # closed, probability 0
        "903": ("open", False, False, "Sales Pipeline"),  # HubSpot itself says not closed
        "904": ("open", False, False, "Sales Pipeline"),
        # no flag: config's default won stage "Closed Won", spelled with a colon (case and punctuation
        # do not count: stage_key in etl/sql/05_deal_stages.sql)
        "905": ("won", True, True, None),
        "906": ("unmapped", False, False, None),  # no flag, no config line: open, but listed
        "907": ("unmapped", False, False, None),
    }
    assert "unmapped" not in props.message
    assert view.message == (
        "2 deals have a stage mapped to no outcome, counted open until mapped: 'Awaiting event' (2): "
        "add to config/revline.toml "
        '[hubspot] open_stages = [..., "Awaiting event"]  (or won_stages / lost_stages)'
    )


def test_pipeline_and_global_stage_lists(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """Labels compare case-insensitively; a pipeline's own lists come before the global ones."""
    cfg = tmp_path / "config"
    cfg.mkdir()
    shutil.copy(REPO / "config" / "channels.toml", cfg / "channels.toml")
    (cfg / "revline.toml").write_text(
        '[hubspot]\nwon_stages = ["closed: WON"]\nlost_stages = ["Closed Lost"]\nopen_stages = ["awaiting EVENT"]\n'
        '[hubspot.pipelines."Sales Pipeline"]\nwon = ["Closed: won"]\nlost = ["Closed: lost", "Closed: abandoned"]\n'
        'open = ["Opportunity identified"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(cfg))
    db = tmp_path / "w.duckdb"
    results = load(_exports(tmp_path / "exports"), db)
    assert all("mapped to no outcome" not in r.message for r in results)
    deals = _deals(db)
    assert deals["905"] == ("won", True, True, None)  # global [hubspot] won_stages, other case
    assert deals["906"] == deals["907"] == ("open", False, False, None)
    # the export's flags still come first: HubSpot keeps 903 open although the pipeline lists it lost
    assert deals["903"] == ("open", False, False, "Sales Pipeline")


def test_a_stage_in_two_lists_is_a_config_error(tmp_path):
    from etl.config import load_config

    (tmp_path / "revline.toml").write_text('[salesforce]\nwon_stages = ["Done"]\nlost_stages = ["done"]\n')
    with pytest.raises(ConfigError, match="stage 'done' is both won and lost in \\[salesforce\\]"):
        load_config(tmp_path)


def test_data_page_lists_unmapped_stages(tmp_path, app):
    from tests.test_pages import visit

    db = tmp_path / "w.duckdb"
    load(_exports(tmp_path / "exports"), db)
    at = visit(app(db), "data")
    assert any("2 deals have a stage that no rule maps" in w.value for w in at.warning)
    shown = next(d.value for d in at.dataframe if "config_line" in d.value.columns)
    assert list(zip(shown["stage"], shown["deals"], shown["config_line"], strict=True)) == [
        ("Awaiting event", 2, '[hubspot] open_stages = [..., "Awaiting event"]'),
    ]
