"""Sign-in: with a password configured no page shows data before sign-in (AppTest and a real
browser); roles limit pages; unconfigured, the server binds to localhost only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server
from ui.auth import Viewer, check_password, hash_password

REPO = Path(__file__).resolve().parent.parent
OCTOBER = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}


def test_password_hashes():
    stored = hash_password("correct horse", salt="abc", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$abc$") and "correct horse" not in stored
    assert check_password("correct horse", stored) and not check_password("wrong", stored)
    assert not check_password("x", "plaintext-in-secrets")


def signed_out_app(db: Path, monkeypatch, role: str | None = None) -> AppTest:
    monkeypatch.setenv("REVLINE_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    entry = {"hash": hash_password("s3cret", iterations=1000)} | ({"role": role} if role else {})
    at.secrets["revline"] = {"passwords": [entry]}
    at.query_params.update(OCTOBER)
    return at


def test_no_data_before_sign_in(revenue_db, monkeypatch):
    at = signed_out_app(revenue_db, monkeypatch)
    at.run()
    assert not at.exception and not at.metric and not at.dataframe
    assert at.text_input[0].label == "Password"
    deep = signed_out_app(revenue_db, monkeypatch)
    deep.switch_page("pages/sales.py").run()
    assert not deep.metric and not deep.dataframe  # a deep link is no way around it
    at.text_input[0].set_value("wrong")
    at.button[0].click().run()
    assert not at.metric and any("Wrong password" in e.value for e in at.error)
    at.text_input[0].set_value("s3cret")
    at.button[0].click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Revenue"] == "$30.0k"


def test_role_limits_pages(revenue_db, monkeypatch):
    at = signed_out_app(revenue_db, monkeypatch, role="marketing")
    at.run()
    at.text_input[0].set_value("s3cret")
    at.button[0].click().run()
    assert any(t.value == "Overview" for t in at.title)
    assert Viewer("x", "marketing").may_see("marketing") and not Viewer("x", "marketing").may_see("sales")
    with pytest.raises(ValueError, match="Known pages") as refused:  # not in this role's navigation
        at.switch_page("pages/sales.py")
    assert "handoff.py" not in str(refused.value) and "marketing.py" in str(refused.value)


def listening_addresses(port: int) -> set[str]:
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                out.add(addr)
    return out


def test_server_binds_to_localhost_by_default(revenue_db):
    port = free_port()
    env = {**os.environ, "REVLINE_DB": str(revenue_db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            if listening_addresses(port):
                break
            time.sleep(0.2)
        addrs = listening_addresses(port)
        assert addrs and addrs <= {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 / ::1
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_browser_sees_no_data_before_sign_in(revenue_db, tmp_path, monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[[revline.passwords]]\nhash = "{hash_password("s3cret", iterations=1000)}"\n')
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    with streamlit_server(revenue_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{url}/?range=custom&start=2026-10-01&end=2026-10-31")
        page.get_by_text("Password").first.wait_for(timeout=30_000)
        assert page.get_by_text("$30.0k").count() == 0 and page.get_by_text("Revenue").count() == 0
        page.get_by_label("Password", exact=True).fill("s3cret")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("$30.0k").first.wait_for(timeout=30_000)
        browser.close()
