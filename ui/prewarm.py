"""Warm the default view after each load, in the background of the app process.

The first render after a new warehouse version pays for what is memoized per version: the per-MQL
handoff base for the period and its comparison period, and DuckDB reading the columns from disk
(10M leads: Overview's first render 6.1 s, after warming ~1 s). A daemon thread per app process
notices a new version (a load swapped one in) and computes every headline metric for the default
filters (last 30 days vs the previous 30) through the same query runner the pages use, so the bases
are ready before someone opens the dashboard. `REVLINE_PREWARM=0` turns it off (the tests do).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import date
from pathlib import Path

from etl.warehouse import db_path
from queries.connection import version
from queries.coverage import load_coverage
from queries.summary import summarize
from queries.view import View
from ui.state import DEFAULT_COMPARE, default_view

POLL_S = 30.0
log = logging.getLogger(__name__)
_started = threading.Event()
_stop = threading.Event()  # set by tests to end the watcher
_start_lock = threading.Lock()


def warm(db: Path, today: date) -> dict:
    """The default view's headline metrics: the sidebar's defaults (last 30 days of data, previous period)."""
    start, end, as_of = default_view(today, load_coverage(db).through)
    return summarize(view=View(start, end, DEFAULT_COMPARE, as_of), db=db)


def _watch() -> None:
    seen = None
    while not _stop.is_set():
        db = db_path()
        current = version(db)
        if current is not None and current != seen:
            seen = current
            t = time.perf_counter()
            try:
                warm(db, date.today())
                log.info("warmed the default view of %s in %.1f s", db, time.perf_counter() - t)
            except Exception:  # an empty or half-configured warehouse: the pages say what is wrong
                log.debug("could not warm %s", db, exc_info=True)
        _stop.wait(POLL_S)


def start() -> threading.Thread | None:
    """Start the watcher once per process (app.py calls this on every run); the new thread, if any."""
    if os.environ.get("REVLINE_PREWARM", "1") == "0" or _started.is_set():
        return None
    with _start_lock:
        if _started.is_set():
            return None
        thread = threading.Thread(target=_watch, name="revline-prewarm", daemon=True)
        thread.start()
        _started.set()
        return thread
