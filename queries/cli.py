"""What the command lines over the warehouse share (`python -m queries`, `python -m reports`): the
warehouse file a command reads, said once with why there is none."""

from __future__ import annotations

import sys
from pathlib import Path

from etl.bootstrap import WarehouseMissing, is_demo, locate
from queries.connection import WarehouseOutdated, WarehouseUnreadable, require_models


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
