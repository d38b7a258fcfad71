"""Shared test setup: the test tiers (markers by what a test uses), a fixed email-hash key, the golden
and demo warehouses, fixture loading, the AppTest factory and the browser."""

from __future__ import annotations

import fcntl
import functools
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests import tiers
from tests.apptest import open_app
from tests.e2e.server import CHROMIUM, free_port

# no background warming in the app under test (tests/test_prewarm.py runs it on purpose)
os.environ["REVLINE_PREWARM"] = "0"


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Every run on every core (tests/tiers.py)."""
    tiers.parallel(config)


def pytest_configure(config: pytest.Config) -> None:
    """The inner loop's hypothesis profile (tests/tiers.py)."""
    tiers.configure(config)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test tiers (pytest.ini): markers from what each test uses (tests/tiers.py)."""
    tiers.apply(items)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium for the browser tier. Missing, the test skips locally and fails under CI
    (CI=true): CI must run every tier."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture
def server_port() -> int:
    """A free local port for a server the test starts itself (so it is in the browser tier)."""
    return free_port()


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch):
    """`app(db, page, secrets=, user=, script=, timeout=, run=, **url)`: tests/apptest.py open_app, with
    REVLINE_DB set for this test only."""
    return functools.partial(open_app, monkeypatch)


@pytest.fixture(scope="session")
def app_once():
    """`app_once(db, ...)`: open_app with REVLINE_DB set only while it runs, for module fixtures that
    render the app once for many tests."""

    def _open(db: Path, *args, **kwargs):
        with pytest.MonkeyPatch.context() as mp:
            return open_app(mp, db, *args, **kwargs)

    return _open


@pytest.fixture(autouse=True)
def _hash_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, build) -> Path:
    """The folder `build(folder)` filled, built once per run: under pytest-xdist the first worker to
    need it builds it and the others wait and read the same files (tests open these warehouses
    read-only; one that changes a warehouse works on a copy)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent / "golden"  # the run's folder, shared by its workers
    root.mkdir(exist_ok=True)
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / "built").touch()
    return folder


def golden(tmp_path_factory: pytest.TempPathFactory, name: str, writer=None):
    """A golden warehouse of tests/kpi_fixtures.py built with the real ETL, once per run (session
    fixtures run before the function-level hash key, so they set it themselves)."""
    from tests import kpi_fixtures

    writer = writer or getattr(kpi_fixtures, f"write_{name}_exports")
    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    folder = once_per_run(tmp_path_factory, name, lambda f: kpi_fixtures.build(f, writer(f / "exports")))
    yield folder / "golden.duckdb"
    mp.undo()


@pytest.fixture(scope="session")
def spark():
    """The worker's one SparkSession (local[2], etl/engine.SPARK_CONF): the `spark` tier (tests/tiers.py)."""
    from etl.engine import spark_session

    return spark_session()


@pytest.fixture(scope="session")
def revenue_db(tmp_path_factory: pytest.TempPathFactory):
    """The October 2026 golden warehouse: ads, leads, deals, targets."""
    yield from golden(tmp_path_factory, "revenue")


@pytest.fixture(scope="session")
def handoff_db(tmp_path_factory: pytest.TempPathFactory):
    """The November 2026 handoff golden warehouse: MQLs, first touches, activities."""
    yield from golden(tmp_path_factory, "handoff")


@pytest.fixture(scope="session")
def meetings_db(tmp_path_factory: pytest.TempPathFactory):
    """The November 2026 meetings golden warehouse: Salesforce leads, opportunities, meetings."""
    yield from golden(tmp_path_factory, "meetings")


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory):
    """The October 2026 web golden warehouse: GA4 reports, Search Console exports, HubSpot leads."""
    yield from golden(tmp_path_factory, "web")


@pytest.fixture(scope="session")
def scoring_db(tmp_path_factory: pytest.TempPathFactory):
    """The October 2026 score-band golden warehouse: scored HubSpot contacts, rated Salesforce leads, deals."""
    yield from golden(tmp_path_factory, "scoring")


@pytest.fixture(scope="session")
def activity_db(tmp_path_factory: pytest.TempPathFactory):
    """The September 2026 sales-activity golden warehouse: HubSpot contacts, deals, meetings, calls, a task."""
    yield from golden(tmp_path_factory, "activity")


@pytest.fixture(scope="session")
def pipeline_db(tmp_path_factory: pytest.TempPathFactory):
    """The November 2026 deal snapshots golden warehouse (tests/pipeline_fixtures.py)."""
    from tests.pipeline_fixtures import write_snapshot_exports

    yield from golden(tmp_path_factory, "pipeline", write_snapshot_exports)


@pytest.fixture(scope="session")
def billing_db(tmp_path_factory: pytest.TempPathFactory):
    """The January-June 2026 billing golden warehouse: Stripe subscriptions and invoices, HubSpot contacts."""
    yield from golden(tmp_path_factory, "billing")


OCTOBER = {"start_date": "2026-10-01", "end_date": "2026-10-31"}
NO_FILTERS = {"channel": None, "platform": None, "campaign": None}


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """The demo exports (scale 1), the warehouse the real ETL builds from them and its per-file
    results, once per run (~25 s of CPU each time it is built)."""
    from etl.demo_data import write_demo
    from etl.loader import load

    def build(folder: Path) -> None:
        write_demo(folder / "exports")
        results = load([folder / "exports"], folder / "w.duckdb")
        (folder / "results.pickle").write_bytes(pickle.dumps(results))

    mp = pytest.MonkeyPatch()
    mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
    root = once_per_run(tmp_path_factory, "demo", build)
    yield root / "exports", root / "w.duckdb", pickle.loads((root / "results.pickle").read_bytes())
    mp.undo()


# --- Loading the real-format fixture exports (tests/test_load_*.py, tests/test_bad_input.py) ---

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


@dataclass
class Loaded:
    """A warehouse built by the real loader: a read-only connection and the per-file results."""

    db: Path
    con: duckdb.DuckDBPyConnection
    results: list

    def q(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def log(self, file_name: str) -> dict:
        cur = self.con.execute("select * from load_log where file_name = ?", [file_name])
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        assert len(rows) == 1, f"{file_name}: {len(rows)} load_log rows"
        return dict(zip(cols, rows[0], strict=True))

    def types(self, table: str) -> dict[str, str]:
        return dict(
            self.q("select column_name, data_type from duckdb_columns() where table_name = ?", [table])
        )

    def text_cells(self) -> list[str]:
        """Every non-null text cell of every table (raw, staging, contract, log and reject tables)."""
        cells = []
        for table, column in self.q(
            "select table_name, column_name from duckdb_columns() where data_type = 'VARCHAR' and not internal"
        ):
            cells += [v for (v,) in self.q(f'select "{column}" from "{table}" where "{column}" is not null')]
        return cells

    def load(self, *paths: str | Path) -> list:
        """Load more files into the same warehouse (a later run of the CLI); returns their results."""
        self.con.close()
        self.results = _load(self.db, paths)
        self.con = duckdb.connect(str(self.db), read_only=True)
        return self.results


def _load(db: Path, paths) -> list:
    from etl.loader import load

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
        mp.delenv("REVLINE_CONFIG_DIR", raising=False)
        return load([EXPORTS / p for p in paths], db)


def load_exports(folder: Path, *paths: str | Path) -> Loaded:
    """Run the real loader (repo config, email hash key `test-key`) on exports given relative to
    tests/fixtures/exports (or absolute) into folder/warehouse.duckdb."""
    db = folder / "warehouse.duckdb"
    results = _load(db, paths)
    return Loaded(db, duckdb.connect(str(db), read_only=True), results)


@pytest.fixture
def load_files(tmp_path: Path):
    """`load_files(*paths)`: a fresh warehouse in tmp_path per call; connections closed after the test."""
    opened: list[Loaded] = []

    def _load(*paths: str | Path) -> Loaded:
        opened.append(load_exports(tmp_path / f"w{len(opened)}", *paths))
        return opened[-1]

    yield _load
    for loaded in opened:
        loaded.con.close()


@pytest.fixture(scope="module")
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The calling module's FILES loaded once, in one batch."""
    result = load_exports(tmp_path_factory.mktemp("load"), *request.module.FILES)
    yield result
    result.con.close()


@pytest.fixture(autouse=True)
def _fresh_sign_in_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no failed sign-ins counted (the back-off is per server process)."""
    from ui import auth

    monkeypatch.setattr(auth, "BACKOFF", auth.Backoff())
    monkeypatch.setattr(auth, "SEEN", auth.Seen())  # nor a sign-in configured by an earlier test
