"""One way to build an AppTest of the app: the `app` fixture (tests/conftest.py) wraps `open_app`, and
a test using that fixture is marked `app` (pytest.ini), so the fast tier leaves it out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def open_app(
    mp: pytest.MonkeyPatch,
    db: Path | None = None,
    page: str | None = None,
    *,
    script: Path | str | Callable[[], None] = APP,
    timeout: float = 120,
    secrets: dict | None = None,
    user: dict | None = None,
    run: bool = True,
    **params: str | list[str],
) -> AppTest:
    """An AppTest of `script` (app.py, a page file or a function) reading warehouse `db` (REVLINE_DB
    left as it is when None), with `secrets`, the signed-in `user` and the URL `params`, switched to
    pages/`page`.py; run once, with no exception, unless `run` is False."""
    if db is not None:
        mp.setenv("REVLINE_DB", str(db))
    if callable(script):
        at = AppTest.from_function(script, default_timeout=timeout)
    else:
        at = AppTest.from_file(str(script), default_timeout=timeout)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    at.query_params.update(params)
    if page:
        at.switch_page(f"pages/{page}.py")
    if run:
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
    return at
