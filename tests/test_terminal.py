"""A clean terminal: starting the app (the first start builds the demo warehouse in data/), opening
it, stopping it with SIGTERM or Ctrl-C, and `python -m etl load` print only what a user needs: no
watchdog RuntimeWarning, no traceback, no "nanobind: leaked" report from DuckDB's bindings."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM_ARGS, REPO

NOISE = ("RuntimeWarning", "Warning:", "Traceback", "leaked", "nanobind")
FIXTURES = REPO / "tests" / "fixtures" / "exports"


def _app_copy(tmp_path: Path) -> Path:
    """The app's files in a fresh folder with an empty data/: its first start builds the demo there."""
    dest = tmp_path / "revline"
    top = {".git", "data", "tests", "benchmarks", "docs"}

    def skip(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if (Path(folder) == REPO and n in top) or n == "__pycache__"]

    shutil.copytree(REPO, dest, ignore=skip)
    (dest / "data").mkdir()
    return dest


def _noise(output: str) -> list[str]:
    return [line for line in output.splitlines() if any(n in line for n in NOISE)]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_first_start_open_and_stop_print_no_noise(tmp_path, stop, chromium, server_port):
    app = _app_copy(tmp_path)
    port = server_port
    env = {k: v for k, v in os.environ.items() if k != "REVLINE_DB"}  # unset: the demo is built
    env["REVLINE_PREWARM"] = "1"  # as users run it: the warming thread holds a connection too
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "streamlit did not start"
                time.sleep(0.3)
        with sync_playwright() as p:  # a visit builds the demo warehouse and runs its queries
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(url)
            page.get_by_text("Demo data", exact=False).first.wait_for(timeout=120_000)
            page.get_by_text("Revenue", exact=False).first.wait_for(timeout=60_000)
            browser.close()
        assert (app / "data" / "warehouse.duckdb").is_file()
        time.sleep(2)  # let the watcher see the files the demo build wrote
    finally:
        proc.send_signal(stop)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert "You can now view your Streamlit app" in output
    assert _noise(output) == [], output[-3000:]


def test_load_prints_only_the_summary(tmp_path):
    db = tmp_path / "wh.duckdb"
    files = [FIXTURES / "revline" / "targets.csv", FIXTURES / "meta" / "Example-Co-Ads-Campaigns-Mar-1-2026-Mar-3-2026.csv"]
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", *map(str, files), "--db", str(db)],
        cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip() == ""  # a blank line at most
    assert _noise(done.stdout) == []
    for f in files:  # one summary line per file, naming it
        assert f.name in done.stdout
