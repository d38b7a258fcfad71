"""Deal stages that no rule maps, named in the load summary so that they are never silently open.

The rules are the macros of etl/sql/05_deal_stages.sql (the deals model uses the same ones); this
module asks them about the rows one file staged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.contracts import Contract
from etl.db import execute
from etl.newest import winners_cte

MACROS = Path(__file__).parent / "sql" / "05_deal_stages.sql"
FLAGS = ("pipeline", "is_won", "is_lost", "is_closed")


def unmapped_stages(con: duckdb.DuckDBPyConnection, c: Contract, load_id: int, exported_at) -> list[tuple[str | None, str, int]]:
    """(pipeline, stage, deals) of this load's rows whose stage maps to no outcome, among the rows
    that are now their deal's current version (an older export's rows do not count)."""
    names = {col.name for col in c.columns}
    if "stage" not in names:
        return []
    execute(con, MACROS.read_text(encoding="utf-8"))
    arg = {f: (f"s.{f}" if f in names else "null") for f in FLAGS}
    prob = "null"
    if col := next((col for col in c.columns if col.name == "probability"), None):
        # Salesforce "Probability (%)" is a percent, HubSpot "Deal probability" a fraction
        prob = "s.probability / 100" if all("%" in h for h in col.headers) else "s.probability"
    return con.execute(
        f"""with {winners_cte(c)}
            select {arg['pipeline']} as pipeline, s.stage, count(*) from {c.stg_table} s
            join winners w on w.load_id = s.load_id and w.source_line = s.source_line
            left join config_stages p on p.source_system = $source and p.pipeline <> ''
                and p.pipeline = lower(trim({arg['pipeline']})) and stage_key(p.stage) = stage_key(s.stage)
            left join config_stages a on a.source_system = $source and a.pipeline = '' and stage_key(a.stage) = stage_key(s.stage)
            where s.load_id = $load_id
              and deal_outcome({arg['is_won']}, {arg['is_lost']}, {arg['is_closed']}, {prob}, p.outcome, a.outcome) = 'unmapped'
            group by all order by 3 desc, 2""",
        {"load_id": load_id, "source": c.source, "exported_at": exported_at},
    ).fetchall()


def config_hint(source: str, pipeline: str | None, stages: list[str]) -> str:
    """The config/revline.toml lines that map `stages` (the user picks won, lost or open)."""
    labels = ", ".join(f'"{s}"' for s in stages)
    if pipeline:
        return f'[{source}.pipelines."{pipeline}"] open = [{labels}]  (or won = / lost =)'
    return f"[{source}] open_stages = [..., {labels}]  (or won_stages / lost_stages)"


def unmapped_note(con: duckdb.DuckDBPyConnection, c: Contract, load_id: int, exported_at) -> list[str]:
    rows = unmapped_stages(con, c, load_id, exported_at)
    if not rows:
        return []
    by_pipeline: dict[str | None, list[tuple[str, int]]] = {}
    for pipeline, stage, n in rows:
        by_pipeline.setdefault(pipeline, []).append((stage, n))
    parts = []
    for pipeline, stages in by_pipeline.items():
        listed = ", ".join(f"{s!r} ({n})" for s, n in stages)
        where = f" in pipeline {pipeline!r}" if pipeline else ""
        parts.append(f"{listed}{where}: add to config/revline.toml {config_hint(c.source, pipeline, [s for s, _ in stages])}")
    total = sum(n for _, _, n in rows)
    return [f"{total} deals have a stage mapped to no outcome, counted open until mapped: " + "; ".join(parts)]
