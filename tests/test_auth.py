"""Sign-in: with a password configured no page shows data before sign-in (AppTest and a real
browser, tests/e2e/test_gate.py for every URL path); every page refuses on its own; single sign-on
needs an allow-list and compares e-mails lower-cased; roles are checked at start and by the hash
command; uploads refuse without a viewer; unconfigured, the server binds to localhost only."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from tests.e2e.server import CHROMIUM_ARGS, streamlit_server
from ui import auth
from ui.auth import ROLE_PAGES, Backoff, Viewer, check_password, hash_password

REPO = Path(__file__).resolve().parent.parent
OCTOBER = {"range": "custom", "start": "2026-10-01", "end": "2026-10-31"}


def test_password_hashes():
    stored = hash_password("correct horse", salt="abc", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$abc$") and "correct horse" not in stored
    assert check_password("correct horse", stored) and not check_password("wrong", stored)
    assert not check_password("x", "plaintext-in-secrets")


def signed_out_app(app, db: Path, role: str | None = None) -> AppTest:
    entry = {"hash": hash_password("s3cret-s3cret", iterations=1000)} | ({"role": role} if role else {})
    return app(db, secrets={"revline": {"passwords": [entry]}}, run=False, **OCTOBER)


def test_no_data_before_sign_in(revenue_db, app):
    at = signed_out_app(app, revenue_db)
    at.run()
    assert not at.exception and not at.metric and not at.dataframe
    assert at.text_input[0].label == "Password"
    deep = signed_out_app(app, revenue_db)
    deep.switch_page("pages/sales.py").run()
    assert not deep.metric and not deep.dataframe  # a deep link is no way around it
    at.text_input[0].set_value("wrong-password")
    at.button[0].click().run()
    assert not at.metric and any("Wrong password" in e.value for e in at.error)
    at.text_input[0].set_value("s3cret-s3cret")
    at.button[0].click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Revenue"] == "$30.0k"


def test_role_limits_pages(revenue_db, app):
    at = signed_out_app(app, revenue_db, role="marketing")
    at.run()
    at.text_input[0].set_value("s3cret-s3cret")
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


def test_server_binds_to_localhost_by_default(revenue_db, server_port):
    port = server_port
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


def test_browser_sees_no_data_before_sign_in(revenue_db, tmp_path, monkeypatch, chromium):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[[revline.passwords]]\nhash = "{hash_password("s3cret-s3cret", iterations=1000)}"\n')
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    with streamlit_server(revenue_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{url}/?range=custom&start=2026-10-01&end=2026-10-31")
        page.get_by_text("Password").first.wait_for(timeout=30_000)
        assert page.get_by_text("$30.0k").count() == 0 and page.get_by_text("Revenue").count() == 0
        page.get_by_label("Password", exact=True).fill("s3cret-s3cret")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("$30.0k").first.wait_for(timeout=30_000)
        browser.close()


PAGE_FILES = sorted((REPO / "pages").glob("*.py"))
OIDC = {"redirect_uri": "http://127.0.0.1:9/oauth2callback", "cookie_secret": "test-cookie-secret-0123456789",
        "client_id": "revline-test", "client_secret": "not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}  # fmt: skip


def assert_nothing_shown(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    assert not at.metric and not at.dataframe and not at.get("plotly_chart"), where
    assert not at.get("file_uploader") and not at.get("download_button"), where
    assert not any("Definitions" in t.value or t.value == "Data" for t in at.title), where


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.stem)
def test_every_page_refuses_on_its_own(page, revenue_db, app):
    """On a cold server Streamlit may run a pages/ file by URL without app.py: the page's own lock."""
    secrets = {"revline": {"passwords": [{"hash": hash_password("s3cret-s3cret", iterations=1000)}]}}
    at = app(revenue_db, script=page, secrets=secrets, **OCTOBER)
    assert_nothing_shown(at, page.name)


def oidc_app(app, db: Path, revline: dict, user: dict | None = None) -> AppTest:
    secrets = {"auth": OIDC, "revline": revline}
    return app(db, secrets=secrets, user=user or {"is_logged_in": False}, run=False, **OCTOBER)


def test_oidc_without_allow_list_refuses_sign_in(revenue_db, app):
    at = oidc_app(app, revenue_db, {"default_role": "sales"},
                  {"is_logged_in": True, "email": "anyone@gmail.com"})  # fmt: skip
    at.run()
    assert_nothing_shown(at, "no allow-list")
    assert "allowed_domains" in at.error[0].value and not at.button  # no way to sign in at all
    for page in PAGE_FILES:  # and no URL path around it
        deep = oidc_app(app, revenue_db, {}, {"is_logged_in": True, "email": "anyone@gmail.com"})
        deep.switch_page(f"pages/{page.name}").run()
        assert_nothing_shown(deep, page.name)


def test_oidc_signed_out_sees_only_sign_in(revenue_db, app):
    at = oidc_app(app, revenue_db, {"allowed_domains": ["example.com"]})
    at.run()
    assert_nothing_shown(at, "signed out")
    assert [b.label for b in at.button] == ["Sign in"]


def test_oidc_allow_list_and_roles_ignore_case(revenue_db, app):
    revline = {"allowed_emails": ["CMO@Example.com"], "allowed_domains": ["Sales.Example.COM"],
               "user_roles": {"Cmo@EXAMPLE.com": "marketing"}, "default_role": "sales"}  # fmt: skip
    outsider = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "eve@gmail.com"})
    outsider.run()
    assert_nothing_shown(outsider, "outsider")
    assert "`eve@gmail.com` is not allowed" in outsider.error[0].value
    unverified = oidc_app(app, revenue_db, revline,
                          {"is_logged_in": True, "email": "rep@sales.example.com", "email_verified": False})  # fmt: skip
    unverified.run()
    assert_nothing_shown(unverified, "unverified e-mail")

    cmo = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "cmo@EXAMPLE.com", "email_verified": True})
    cmo.run()
    assert not cmo.exception and any(t.value == "Overview" for t in cmo.title)
    assert "Signed in: cmo@example.com (marketing)" in [c.value for c in cmo.sidebar.caption]
    with pytest.raises(ValueError, match="Known pages"):  # marketing, not every page
        cmo.switch_page("pages/data.py")
    rep = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "Rep@SALES.example.com", "email_verified": "true"})
    rep.run()
    assert "Signed in: rep@sales.example.com (sales)" in [c.value for c in rep.sidebar.caption]
    rep.switch_page("pages/handoff.py").run()
    assert not rep.exception and any(t.value == "Handoff" for t in rep.title)


def test_allow_list_read_from_secrets():
    from ui.auth import AuthConfig

    cfg = AuthConfig.read({"auth": OIDC, "revline": {"allowed_domains": " @Example.COM ", "allowed_emails": [""]}})
    assert cfg.allowed_domains == {"example.com"} and not cfg.allowed_emails  # a plain string is a list of one
    assert cfg.admits("Ann@example.com") and not cfg.admits("ann@example.com.evil.io")
    assert not cfg.admits("ann@sub.example.com") and not cfg.problems()
    empty = AuthConfig.read({"auth": OIDC, "revline": {"allowed_domains": [""], "allowed_emails": "  "}})
    assert "without an allow-list" in empty.problems()[0]  # blanks are no allow-list


@pytest.mark.parametrize("where", ["password", "user_roles", "default_role"])
def test_unknown_role_is_refused_at_start(where, revenue_db, app):
    """A role that is none of them (`finance`, a typo) once passed and crashed the app after sign-in."""
    if where == "password":
        at = signed_out_app(app, revenue_db, role="finance")
    else:
        at = oidc_app(app, revenue_db, {"allowed_domains": ["example.com"],
                      **({"user_roles": {"a@example.com": "finance"}} if where == "user_roles"
                         else {"default_role": "finance"})},
                      {"is_logged_in": True, "email": "a@example.com"})  # fmt: skip
    at.run()
    assert_nothing_shown(at, where)
    assert "unknown role 'finance'" in at.error[0].value
    assert "leadership, marketing, sales" in at.error[0].value
    assert not at.text_input  # nobody signs in until the admin fixes it


@pytest.mark.parametrize("where", ["user_roles", "default_role"])
def test_marketer_the_old_word_is_the_marketing_role(where, revenue_db, app):
    """One vocabulary for roles (queries/pages.py): `marketer`, the sidebar's old word, still works in secrets."""
    at = oidc_app(app, revenue_db, {"allowed_domains": ["example.com"],
                  **({"user_roles": {"a@example.com": "marketer"}} if where == "user_roles"
                     else {"default_role": "marketer"})},
                  {"is_logged_in": True, "email": "a@example.com", "email_verified": True})  # fmt: skip
    at.run()
    assert not at.exception and not at.error
    assert "Signed in: a@example.com (marketing)" in [c.value for c in at.sidebar.caption]
    with pytest.raises(ValueError, match="Known pages"):  # the marketing role's pages, not Data
        at.switch_page("pages/data.py")
    assert Viewer("team", "marketer") == Viewer("team", "marketing")  # a password's role as well


def test_hash_command_checks_the_role():
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ui.auth", *args], cwd=REPO, capture_output=True, text=True)

    bad = cli(LONG, "finance")
    assert bad.returncode == 2 and not bad.stdout
    assert "unknown role 'finance'" in bad.stderr and "leadership, marketing, sales" in bad.stderr
    for role in ROLE_PAGES:
        good = cli(LONG, role)
        assert good.returncode == 0 and f'role = "{role}"' in good.stdout
        stored = good.stdout.split('hash = "')[1].split('"')[0]
        assert check_password(LONG, stored)
    old = cli(LONG, "marketer")  # the old word: today's written
    assert old.returncode == 0 and 'role = "marketing"' in old.stdout
    assert cli().returncode == 2


def test_upload_refused_without_a_viewer(tmp_path, app):
    """The upload itself checks sign-in, whatever page or widget reached it."""
    db = tmp_path / "w.duckdb"

    def script():
        from dataclasses import dataclass

        import streamlit as st

        from ui.upload import load_uploads

        @dataclass
        class Uploaded:
            name: str
            data: bytes
            size: int = 10

            def getvalue(self) -> bytes:
                return self.data

        for r in load_uploads([Uploaded("meta.csv", b"Campaign name,Day\\n=HYPERLINK(1),2026-10-01\\n")]):
            st.write(f"{r.status}: {r.message}")

    secrets = {"revline": {"passwords": [{"hash": hash_password("s3cret-s3cret", iterations=1000)}]}}
    at = app(db, script=script, timeout=60, secrets=secrets)
    assert not at.exception
    assert [m.value for m in at.markdown] == ["failed: Sign in first: nothing was loaded."]
    assert not db.exists() and not (tmp_path / "uploads").exists()


def test_marketing_role_gets_no_deal_list(revenue_db, app):
    # Records is open to every role (Funnel's leads drill there), but deal lists are the Sales page's
    at = signed_out_app(app, revenue_db, role="marketing")
    at.query_params.update(records="deals", set="closed", rep="Tom Becker", of="sales/performance")
    at.run()
    at.text_input[0].set_value("s3cret-s3cret")
    at.button[0].click().run()
    at.switch_page("pages/records.py").run()
    assert not at.exception and not at.dataframe
    assert any("This list opens from the Sales page, which your role" in i.value for i in at.info)


def test_backoff_doubles_per_client_and_for_everybody():
    """The schedule on the real object, with explicit times: three failures free, then 1, 2, 4 s per
    client up to the cap; another client is not locked by them until the global limit is passed."""
    b = Backoff(free=3, first=1.0, global_free=6, window=600.0, most=8.0)
    for t in range(3):
        b.failed("10.0.0.1", now=float(t))
        assert b.wait("10.0.0.1", now=float(t)) == 0  # a few typos cost nothing
    b.failed("10.0.0.1", now=10.0)
    assert b.wait("10.0.0.1", now=10.0) == 1.0 and b.wait("10.0.0.1", now=11.0) == 0
    b.failed("10.0.0.1", now=11.0)
    assert b.wait("10.0.0.1", now=11.0) == 2.0
    for n in range(6, 12):
        b.failed("10.0.0.1", now=100.0 * n)
    assert b.wait("10.0.0.1", now=1100.0) == 8.0  # capped
    assert b.wait("10.0.0.2", now=1100.0) == 0  # the failures of 10.0.0.1 older than the window
    for i in range(7):  # seven clients, one failure each, within the window: one more than global_free
        b.failed(f"10.0.1.{i}", now=2000.0 + i)
    assert b.wait("10.0.0.9", now=2006.0) == 1.0  # a new client waits too: the flood is spread over addresses
    b.succeeded("10.0.0.1")
    assert b.wait("10.0.0.1", now=5000.0) == 0


def test_wrong_passwords_lock_sign_in_and_a_locked_attempt_costs_no_hash(revenue_db, app, monkeypatch, caplog):
    """Thirty wrong passwords in a row, then the right one: refused while locked, each locked attempt
    refused before any hash is computed (logged as refused, not as failed), accepted once the lock has
    passed; every failure and refusal logged."""
    monkeypatch.setattr(auth, "BACKOFF", Backoff(free=3, first=2.0))
    at = app(revenue_db, secrets={"revline": {"passwords": [{"hash": hash_password("s3cret-s3cret")}]}}, run=False,
             **OCTOBER)  # fmt: skip
    at.run()
    caplog.set_level(logging.WARNING, logger="revline.auth")

    def attempt(password: str) -> list[str]:
        at.text_input[0].set_value(password)
        at.button[0].click().run()
        assert not at.exception
        return [e.value for e in at.error]

    for _ in range(4):
        assert attempt("wrong-password") == ["Wrong password."]
    for _ in range(26):
        assert "sign-in is locked" in attempt("wrong-password")[0]
    assert "sign-in is locked" in attempt("s3cret-s3cret")[0] and not at.metric  # the right one, too soon
    failed = [r.getMessage() for r in caplog.records if r.name == "revline.auth"]
    assert failed[:4] == [f"failed password sign-in from unknown ({n} in a row)" for n in range(1, 5)]
    assert len(failed) == 31 and all("refused: locked" in m for m in failed[4:])
    time.sleep(auth.BACKOFF.wait("unknown") + 0.1)
    assert attempt("s3cret-s3cret") == [] and at.metric  # signed in once the lock has passed


# --- Sessions that end with their credential (#29.1), passwords with a floor (#29.2), verified e-mails only
# (#29.3), sign-out (#21) ---

LONG = "correct-horse-battery"  # MIN_PASSWORD (12) or more


def password_secrets(*entries: tuple[str, str | None]) -> dict:
    return {"revline": {"passwords": [{"hash": hash_password(pw, iterations=1000)} | ({"role": r} if r else {})
                                      for pw, r in entries]}}  # fmt: skip


def signed_in(app, db: Path, secrets: dict, password: str) -> AppTest:
    at = app(db, secrets=secrets, run=False, **OCTOBER)
    at.run()
    at.text_input[0].set_value(password)
    at.button[0].click().run()
    assert not at.exception and at.metric, [e.value for e in at.error]
    return at


def on_data_page(at: AppTest) -> bool:
    return any(t.value == "Data" for t in at.title) and bool(at.get("file_uploader"))


@pytest.mark.parametrize("change", ["removed", "changed", "role narrowed"])
def test_a_session_ends_with_its_password_and_follows_its_role(change, revenue_db, app):
    """Signed in on the Data page (upload included), then the admin edits secrets: a removed or changed
    password ends the session at the tab's next run (the sign-in form, nothing else); a narrowed role
    takes the Data page away at once. The other password's entry is left as it was."""
    secrets = password_secrets((LONG, None), ("another-team-password", "sales"))
    at = signed_in(app, revenue_db, secrets, LONG)
    at.switch_page("pages/data.py").run()
    assert on_data_page(at)
    entries = secrets["revline"]["passwords"]
    if change == "removed":
        at.secrets["revline"] = {"passwords": entries[1:]}
    elif change == "changed":
        at.secrets["revline"] = {"passwords": [{"hash": hash_password("a-new-long-password", iterations=1000)},
                                               entries[1]]}  # fmt: skip
    else:
        at.secrets["revline"] = {"passwords": [entries[0] | {"role": "marketing"}, entries[1]]}
    at.run()
    assert not at.exception and not on_data_page(at)
    if change == "role narrowed":
        assert "Signed in: team (marketing)" in [c.value for c in at.sidebar.caption]
        with pytest.raises(ValueError, match="Known pages"):  # Data is not in the marketing navigation
            at.switch_page("pages/data.py")
        return
    assert_nothing_shown(at, change)
    assert [t.label for t in at.text_input] == ["Password"]
    assert any("Your session ended" in i.value for i in at.info)
    with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):  # the one page left: no URL back
        at.switch_page("pages/data.py")


def test_an_oidc_session_follows_the_allow_list_and_roles_of_each_run(revenue_db, app):
    revline = {"allowed_emails": ["ann@example.com"]}
    at = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "ann@example.com",
                                             "email_verified": True})  # fmt: skip
    at.switch_page("pages/data.py").run()
    assert on_data_page(at)
    at.secrets["revline"] = {"allowed_emails": ["ann@example.com"], "user_roles": {"ann@example.com": "marketing"}}
    at.run()
    assert not on_data_page(at) and "Signed in: ann@example.com (marketing)" in [c.value for c in at.sidebar.caption]
    at.secrets["revline"] = {"allowed_emails": ["bob@example.com"]}
    at.run()
    assert_nothing_shown(at, "taken off the allow-list")
    assert "`ann@example.com` is not allowed" in at.error[0].value


def test_the_password_floor_and_the_iteration_count():
    """An empty or short password gets no hash from the command (an unset shell variable is ""); a new
    hash has 600,000 iterations; an older hash (200,000, or any count it names) still verifies."""
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ui.auth", *args], cwd=REPO, capture_output=True, text=True)

    for short in ["", "x", "a" * (auth.MIN_PASSWORD - 1)]:
        refused = cli(short)
        assert refused.returncode == 2 and not refused.stdout
        assert f"at least {auth.MIN_PASSWORD}" in refused.stderr and "pbkdf2" not in refused.stderr
    for trivial in [" " * auth.MIN_PASSWORD, "a" * 40, "ab" * auth.MIN_PASSWORD, "1234" * 3]:  # long, not strong
        refused = cli(trivial)
        assert refused.returncode == 2 and not refused.stdout
        assert f"at least {auth.MIN_DISTINCT}" in refused.stderr and "different characters" in refused.stderr
    good = "plum kettle 42"
    made = cli(good)
    assert made.returncode == 0
    stored = made.stdout.split('hash = "')[1].split('"')[0]
    assert stored.startswith("pbkdf2_sha256$600000$") and check_password(good, stored)
    assert auth.ITERATIONS == 600_000
    old = hash_password("an-older-password", salt="0011", iterations=200_000)
    assert check_password("an-older-password", old) and not check_password("an-older-passwore", old)
    assert not check_password("an-older-password", old.replace("$200000$", "$0$"))


@pytest.mark.parametrize("typed", ["", "x", "short-pw", " " * 12])
def test_an_empty_or_short_password_never_signs_in(typed, revenue_db, app):
    """Even when secrets hold the hash of exactly that password (made before the floor existed)."""
    at = app(revenue_db, secrets=password_secrets((typed, None)), run=False, **OCTOBER)
    at.run()
    at.text_input[0].set_value(typed)
    at.button[0].click().run()
    assert_nothing_shown(at, repr(typed))
    assert any(f"at least {auth.MIN_PASSWORD} characters" in e.value for e in at.error)


@pytest.mark.parametrize(("claim", "admitted"), [
    (True, True), ("true", True), ("TRUE ", True),
    (False, False), ("false", False), ("False", False), (None, False), ("", False), ("yes", False), (1, False),
])  # fmt: skip
def test_only_an_explicitly_verified_email_is_admitted(claim, admitted, revenue_db, app):
    user = {"is_logged_in": True, "email": "ann@example.com"} | ({} if claim is None else {"email_verified": claim})
    at = oidc_app(app, revenue_db, {"allowed_domains": ["example.com"]}, user)
    at.run()
    if admitted:
        assert not at.exception and at.metric
    else:
        assert_nothing_shown(at, repr(claim))


def test_a_provider_that_omits_the_claim_needs_the_escape_hatch(revenue_db, app):
    """`accept_missing_email_verified = true` admits an absent claim only; "false" is still refused; a
    value that is not a boolean is a setup mistake."""
    revline = {"allowed_domains": ["example.com"], "accept_missing_email_verified": True}
    absent = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "ann@example.com"})
    absent.run()
    assert not absent.exception and absent.metric
    for claim in ["false", False]:
        refused = oidc_app(app, revenue_db, revline, {"is_logged_in": True, "email": "ann@example.com",
                                                      "email_verified": claim})  # fmt: skip
        refused.run()
        assert_nothing_shown(refused, repr(claim))
    typo = oidc_app(app, revenue_db, revline | {"accept_missing_email_verified": "yes"},
                    {"is_logged_in": True, "email": "ann@example.com"})  # fmt: skip
    typo.run()
    assert_nothing_shown(typo, "typo")
    assert "accept_missing_email_verified = 'yes'" in at_error(typo)


def at_error(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_a_password_session_signs_out_from_the_sidebar(revenue_db, app):
    at = signed_in(app, revenue_db, password_secrets((LONG, None)), LONG)
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    at.sidebar.button[0].click().run()
    assert_nothing_shown(at, "signed out")
    assert [t.label for t in at.text_input] == ["Password"] and not at.info  # not "your session ended"
    with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):
        at.switch_page("pages/data.py")


def test_removing_the_last_password_closes_the_app_instead_of_opening_it(revenue_db, app):
    """With no sign-in left in secrets the app would be unconfigured, which means open to anyone who
    reaches the port: the process that ran with sign-in fails closed instead, for the signed-in tab
    and for a new visitor, until secrets hold sign-in again."""
    at = signed_in(app, revenue_db, password_secrets((LONG, None)), LONG)
    at.switch_page("pages/data.py").run()
    assert on_data_page(at)
    at.secrets["revline"] = {"email_hash_key": "unrelated"}  # the [[revline.passwords]] block deleted
    at.run()
    assert_nothing_shown(at, "last password removed")
    assert "Sign-in was configured when this server started" in at.error[0].value
    stranger = app(revenue_db, secrets={"revline": {"email_hash_key": "unrelated"}}, run=False, **OCTOBER)
    stranger.run()
    assert_nothing_shown(stranger, "a new visitor")
    assert not stranger.text_input and "restart the server" in stranger.error[0].value
