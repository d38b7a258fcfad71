"""Sign-in: Streamlit's built-in OIDC (`st.login`) when `[auth]` is in secrets, or a shared password
for small teams (stored only as a PBKDF2 hash in secrets), with optional page access by role.
Unconfigured, the app stays on localhost (.streamlit/config.toml) and says so. See docs/SECURITY.md.

Make a password hash: `python -m ui.auth "the password" [ROLE]`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass

import streamlit as st

ROLE_PAGES = {
    "leadership": {"overview", "marketing", "sales", "funnel", "handoff", "data", "definitions"},
    "marketing": {"overview", "marketing", "funnel", "definitions"},
    "sales": {"overview", "sales", "funnel", "handoff", "definitions"},
}
ITERATIONS = 200_000


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    try:
        algo, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str | None  # None: every page

    def may_see(self, page: str) -> bool:
        return self.role is None or page in ROLE_PAGES.get(self.role, set())


def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except FileNotFoundError:
        return {}


def require_sign_in() -> Viewer | None:
    """Stop the script until the visitor is signed in, when sign-in is configured. Returns the viewer,
    or None when no sign-in is configured."""
    conf = _secrets()
    revline = dict(conf.get("revline", {}))
    if "auth" in conf:  # OIDC
        if not st.user.get("is_logged_in"):
            st.title("Revline")
            st.button("Sign in", on_click=st.login, type="primary")
            st.stop()
        email = str(st.user.get("email", ""))
        role = dict(revline.get("user_roles", {})).get(email, revline.get("default_role"))
        return Viewer(email, role)
    passwords = [dict(p) for p in revline.get("passwords", [])]
    if not passwords:
        return None
    if "viewer" in st.session_state:
        return st.session_state["viewer"]
    st.title("Revline")
    with st.form("sign_in"):
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        for p in passwords:
            if check_password(password, str(p.get("hash", ""))):
                st.session_state["viewer"] = Viewer("team", p.get("role"))
                st.rerun()
        st.error("Wrong password.")
    st.stop()
    return None  # unreachable: st.stop() ends the run


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit('usage: python -m ui.auth "password" [leadership|marketing|sales]')
    role = f'role = "{sys.argv[2]}", ' if len(sys.argv) > 2 else ""
    print(f'[[revline.passwords]]\n{role.replace(", ", chr(10))}hash = "{hash_password(sys.argv[1])}"')
