"""Render every dashboard page once in this process (AppTest), for its peak RSS: `python -m
benchmarks.app_memory DB`. The parent reads the peak from the OS when this process ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.page_render import APP, VIEW
from queries.pages import NAMES


def main(db: Path) -> None:
    os.environ["REVLINE_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=600)
    at.query_params.update(VIEW)
    at.run()
    for page in NAMES:
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
