"""What the command lines over the warehouse share (`python -m queries`, `python -m reports`): the
warehouse file a command reads, said once with why there is none."""

from __future__ import annotations

import sys
from pathlib import Path

from etl.bootstrap import WarehouseMissing, is_demo, locate
from etl.warehouse import db_path
from queries.connection import WarehouseOutdated, WarehouseUnreadable, require_models

DEMO_NOTE = "Demo data: invented numbers from the demo warehouse, not yours"  # every surface showing demo numbers
DEMO_TAG = "[Demo data] "  # the subject of a mail, the head of a Slack post or an alert list


def shows_demo(db: Path | None) -> bool:
    """Whether `db` (None: the warehouse the app and commands open by default) is the demo."""
    return is_demo(Path(db or db_path()))


def warehouse(given: str | None) -> Path | None:
    """The warehouse file, or None after saying why there is none (a named one must exist: never a
    silent demo or an empty default instead) or why it cannot be read (damaged, or built by an older
    Revline that lacks a model table this version reads, e.g. mart_coverage)."""
    try:
        db = Path(given) if given else locate().path
    except WarehouseMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return None
    if not db.is_file():
        print(f"error: no warehouse at {db}: load exports first with `python -m etl load`", file=sys.stderr)
        return None
    try:
        require_models(db)
    except (WarehouseUnreadable, WarehouseOutdated, FileNotFoundError) as exc:  # the way on, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return None
    if is_demo(db):  # said once, as every page's badge says it (etl/demo_aside.py)
        print(f"note: {db} is the demo warehouse: invented numbers, not yours", file=sys.stderr)
    return db
