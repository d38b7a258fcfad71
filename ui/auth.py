"""Sign-in: Streamlit's built-in OIDC (`st.login`) when `[auth]` is in secrets, or a shared password
for small teams (stored only as a PBKDF2 hash in secrets), with optional page access by role.
Unconfigured, the app stays on localhost (.streamlit/config.toml) and says so. See docs/SECURITY.md.

Two locks: the frame (app.py) signs the visitor in before any page exists (`require_sign_in`), and
every page checks again (`require_viewer`). Until some run in the process calls st.navigation,
Streamlit is in its legacy `pages/` mode and runs a page file asked for by URL (/data) on its own,
without app.py: that is the first request after every server start (and every AppTest run). A page
run outside the frame (`framed()`) therefore sends the request through app.py, remembering the page.

Make a password hash: `python -m ui.auth "the password" [ROLE]` (at least MIN_PASSWORD characters).

A signed-in session is checked against the current secrets on every run (`signed_in_viewer`): a
password session keeps only the fingerprint of its entry's hash, so a removed or changed password
ends it at the next run, and its role is read from the entry each time (a narrowed role applies at
once); an OIDC viewer is matched against the allow-list and roles of the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import streamlit as st

from queries.pages import role_name, role_pages

ROLE_PAGES = role_pages()  # from the page catalogue (queries/pages.py)
ITERATIONS = 600_000  # PBKDF2-SHA256, OWASP's figure; older hashes carry their own count and still verify
MIN_PASSWORD = 12  # characters: the hash command refuses a shorter password, sign-in refuses it unhashed
MIN_DISTINCT = 5  # different characters, so twelve spaces or "abababababab" are refused the same way
SETUP = "docs/SECURITY.md"
_framed: ContextVar[bool] = ContextVar("revline_framed", default=False)
LOG = logging.getLogger("revline.auth")


def password_problem(password: str) -> str | None:
    """Why a password is too weak to hash or to try, or None: under MIN_PASSWORD characters, or
    fewer than MIN_DISTINCT different ones (twelve spaces, one key held down, "abababababab")."""
    if len(password) < MIN_PASSWORD:
        return f"the password has {len(password)} characters; Revline passwords have at least {MIN_PASSWORD}"
    if len(set(password)) < MIN_DISTINCT or not password.strip():
        return (f"the password has only {len(set(password))} different characters; Revline passwords have at "
                f"least {MIN_DISTINCT}")  # fmt: skip
    return None


@dataclass
class Backoff:
    """Failed password sign-ins, per client (its IP address; one shared "unknown" client when the
    server cannot tell) and for the whole process. After `free` failures in a row, each further one
    locks sign-in for that client for `first`, twice, four times... seconds, at most `most`; the same for everybody
    after `global_free` failures within `window` seconds from any client. An attempt made while
    locked is refused without checking the password (no hash is computed), so a flood costs nothing;
    a checked attempt costs at most one hash per configured password (a password longer than
    MAX_PASSWORD is not hashed). Every failure and refusal is logged."""

    free: int = 3
    first: float = 1.0  # seconds of the first lock; each failure after doubles it
    global_free: int = 20
    window: float = 600.0
    most: float = 900.0
    clients: dict[str, tuple[int, float]] = field(default_factory=dict)  # client -> (failures, locked until)
    recent: list[float] = field(default_factory=list)  # times of failures from any client
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds until `client` may try again (0: now)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            self.recent = [t for t in self.recent if now - t < self.window]
            own = self.clients.get(client, (0, 0.0))[1] - now
            over = len(self.recent) - self.global_free
            shared = self.recent[-1] + min(self.first * 2.0 ** (over - 1), self.most) - now if over > 0 else 0.0
            return max(own, shared, 0.0)

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self.lock:
            n = self.clients.get(client, (0, 0.0))[0] + 1
            until = now + min(self.first * 2.0 ** (n - self.free - 1), self.most) if n > self.free else 0.0
            self.clients[client] = (n, until)
            self.recent.append(now)
            if len(self.clients) > 10_000:  # bounded memory: the oldest clients forgotten
                for key in list(self.clients)[:1_000]:
                    del self.clients[key]
        LOG.warning("failed password sign-in from %s (%d in a row)", client, n)

    def succeeded(self, client: str) -> None:
        with self.lock:
            self.clients.pop(client, None)


BACKOFF = Backoff()  # one per server process: every session's attempts count
MAX_PASSWORD = 1024


def _client() -> str:
    """The client's address as the server saw it (not a header the client writes); "unknown" (one
    client for all) when Streamlit gives none, as for localhost."""
    address = None
    with contextlib.suppress(Exception):  # no server behind the run (AppTest): unknown
        address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


@contextlib.contextmanager
def framed() -> Iterator[None]:
    """app.py runs the navigation inside this: a page run outside it was not admitted by the frame."""
    token = _framed.set(True)
    try:
        yield
    finally:
        _framed.reset(token)


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash, at the iteration count the hash names (a hash made
    before 600,000 still verifies; re-hash it with `python -m ui.auth`)."""
    try:
        algo, iterations, salt, digest = stored.split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    if algo != "pbkdf2_sha256" or not 1 <= rounds <= 10_000_000:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds).hex()
    return hmac.compare_digest(candidate, digest)


def fingerprint(entry: dict) -> str:
    """What a password session keeps of its credential: a digest of the entry's stored hash (never
    the password); the same entry in a later run gives the same fingerprint, a changed one another."""
    return hashlib.sha256(str(entry.get("hash", "")).encode()).hexdigest()


def email_verified(value: object) -> bool:
    """Only an explicit true is verified: the boolean, or the string "true" some providers send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str | None  # None: every page

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", role_name(self.role))  # `marketer`, the old word, is `marketing`

    def may_see(self, page: str) -> bool:
        return self.role is None or page in ROLE_PAGES.get(self.role, set())


def role_problem(role: object, where: str) -> str | None:
    """Why `role` (from `where` in secrets) is not a role, or None when it is one (or absent)."""
    if role is None or role_name(role) in ROLE_PAGES:  # `marketer` too (queries/pages.py OLD_ROLES)
        return None
    return f"{where}: unknown role {role!r}; the roles are {', '.join(ROLE_PAGES)} (or no role for every page)."


def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except FileNotFoundError:
        return {}


def _norm(email: object) -> str:
    return str(email or "").strip().lower()


def _names(value: object) -> list[str]:
    """A secrets list of e-mails or domains; one written as a plain string is a list of one."""
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


@dataclass(frozen=True)
class AuthConfig:
    """What secrets say about sign-in, read once per run: every e-mail lower-cased here."""

    oidc: bool
    passwords: tuple[dict, ...]
    user_roles: dict[str, str]
    default_role: str | None
    allowed_domains: frozenset[str]
    allowed_emails: frozenset[str]
    accept_missing_email_verified: object = False  # [revline]: for providers that never send the claim

    @property
    def configured(self) -> bool:
        return self.oidc or bool(self.passwords)

    @classmethod
    def read(cls, conf: dict | None = None) -> AuthConfig:
        conf = _secrets() if conf is None else conf
        rv = dict(conf.get("revline", {}))
        return cls(
            oidc="auth" in conf,
            passwords=tuple(dict(p) for p in rv.get("passwords", [])),
            user_roles={_norm(k): v for k, v in dict(rv.get("user_roles", {})).items()},
            default_role=rv.get("default_role"),
            allowed_domains=frozenset(_norm(d).lstrip("@") for d in _names(rv.get("allowed_domains"))) - {""},
            allowed_emails=frozenset(_norm(e) for e in _names(rv.get("allowed_emails"))) - {""},
            accept_missing_email_verified=rv.get("accept_missing_email_verified", False),
        )

    def problems(self) -> list[str]:
        """Mistakes in the sign-in setup, for the admin: the app refuses to start on any of them."""
        out = [role_problem(p.get("role"), f"[[revline.passwords]] #{i + 1}") for i, p in enumerate(self.passwords)]
        out += [role_problem(r, f"[revline.user_roles] {e!r}") for e, r in self.user_roles.items()]
        out.append(role_problem(self.default_role, "[revline] default_role"))
        if not isinstance(self.accept_missing_email_verified, bool):
            out.append(f"[revline] accept_missing_email_verified = {self.accept_missing_email_verified!r}: "
                       f"write true or false ({SETUP}).")  # fmt: skip
        if self.oidc and not (self.allowed_domains or self.allowed_emails):
            out.append("Single sign-on is configured without an allow-list, so any account of the provider could "
                       "sign in: set `allowed_domains = [\"example.com\"]` and/or `allowed_emails = [...]` under "
                       f"[revline] in .streamlit/secrets.toml ({SETUP}).")  # fmt: skip
        return [p for p in out if p]

    def admits(self, email: str) -> bool:
        email = _norm(email)
        return email in self.allowed_emails or email.rpartition("@")[2] in self.allowed_domains

    def verified(self, user) -> bool:
        """The provider says the e-mail is verified (explicitly true); or it sends no claim at all and
        the admin set `accept_missing_email_verified = true` for such a provider."""
        claim = user.get("email_verified")
        return email_verified(claim) or (claim is None and self.accept_missing_email_verified is True)

    def password_entry(self, mark: object) -> dict | None:
        """The configured password entry whose fingerprint is `mark`, or None (removed or changed)."""
        if not isinstance(mark, str):
            return None
        return next((p for p in self.passwords if hmac.compare_digest(fingerprint(p), mark)), None)

    def oidc_viewer(self) -> Viewer | None:
        """The signed-in, allowed OIDC user, or None."""
        user = st.user
        if not user.get("is_logged_in") or not self.verified(user):
            return None
        email = _norm(user.get("email"))
        if not email or not self.admits(email):
            return None
        return Viewer(email, self.user_roles.get(email, self.default_role))


def signed_in_viewer(cfg: AuthConfig | None = None) -> Viewer | None:
    """The viewer of this session without drawing anything: None when not (or not validly) signed in."""
    cfg = cfg or AuthConfig.read()
    if cfg.problems():
        return None
    if cfg.oidc:
        return cfg.oidc_viewer()
    mark = st.session_state.get("credential")
    entry = cfg.password_entry(mark)
    if entry is None:
        if mark is not None:  # its password was removed or changed in secrets since sign-in: the session ends
            st.session_state.pop("credential", None)
            st.session_state["session_ended"] = True
            LOG.warning("a password session ended: its password is no longer in secrets")
        return None
    return Viewer("team", entry.get("role"))  # the entry's role now: a narrowed role applies at once


def sign_out(viewer: Viewer | None) -> None:
    """The sidebar's sign-out button for a signed-in viewer (password: forgets the session's
    credential; single sign-on: Streamlit's logout)."""
    if viewer is None:
        return
    if AuthConfig.read().oidc:
        st.sidebar.button("Sign out", key="sign_out", on_click=st.logout, icon=":material/logout:")
    else:
        st.sidebar.button("Sign out", key="sign_out", on_click=_forget, icon=":material/logout:")


def _forget() -> None:
    st.session_state.pop("credential", None)
    st.session_state.pop("session_ended", None)


@dataclass
class Seen:
    """Whether this server process has run with sign-in configured. Removing the last password (or
    `[auth]`) from secrets must not open the running app to everyone: it fails closed until a restart
    (the server then binds to localhost, .streamlit/config.toml) or until secrets hold sign-in again."""

    configured: bool = False

    def gone(self, cfg: AuthConfig) -> bool:
        """Sign-in was configured earlier in this process and is not now."""
        if cfg.configured:
            self.configured = True
        return self.configured and not cfg.configured


SEEN = Seen()  # one per server process
GONE = ("Sign-in was configured when this server started and is not in secrets now, so nobody can use "
        "Revline: put the password or single sign-on back in .streamlit/secrets.toml, or restart the "
        f"server to run without sign-in (on localhost only, {SETUP}).")  # fmt: skip


def may_see(page: str) -> bool:
    """Whether this session may see (and use) `page`: always, when no sign-in is configured (nor was
    in this process)."""
    cfg = AuthConfig.read()
    if SEEN.gone(cfg):
        return False
    viewer = signed_in_viewer(cfg) if cfg.configured else None
    return not cfg.configured or (viewer is not None and viewer.may_see(page))


def require_sign_in() -> Viewer | None:
    """The frame's lock: returns the viewer (None when no sign-in is configured), or shows sign-in as
    the only page of the app and stops, so no page script or widget can run before sign-in."""
    cfg = AuthConfig.read()
    if SEEN.gone(cfg):
        only_page(lambda: _setup_error([GONE]))
    if not cfg.configured:
        return None
    if problems := cfg.problems():
        only_page(lambda: _setup_error(problems))
    viewer = signed_in_viewer(cfg)
    if viewer is not None:
        return viewer
    only_page(lambda: _oidc_sign_in(cfg) if cfg.oidc else _password_sign_in(cfg))
    return None  # unreachable: only_page stops the run


def require_viewer(page: str) -> Viewer | None:
    """A page's own lock, first line of every page: run only inside the frame, for a signed-in viewer
    who may see `page` (when sign-in is configured); anything else renders nothing."""
    if not _framed.get():  # run alone by the pages/ mode: through the frame, which signs in first
        st.session_state["wanted_page"] = page
        with contextlib.suppress(st.errors.StreamlitAPIException):  # no app.py next to it: just stop
            st.switch_page("app.py", query_params={k: st.query_params.get_all(k) for k in st.query_params})
        st.stop()
    if not may_see(page):
        st.stop()
    return signed_in_viewer()


def wanted_page() -> str | None:
    """The page a URL asked for before the frame took the request over (kept through sign-in)."""
    return st.session_state.pop("wanted_page", None)


def only_page(draw, title: str = "Sign in", icon: str = ":material/lock:", url_path: str = "sign-in") -> None:
    """Make `draw` the app's one page and stop: any URL path (/data, /definitions...) lands on it, and
    the sidebar lists no page files (Streamlit's own pages/ list names them "app", "data"...)."""
    st.navigation([st.Page(draw, title=title, icon=icon, url_path=url_path, default=True)],
                  position="hidden").run()  # fmt: skip
    st.stop()


def _setup_error(problems: list[str]) -> None:
    st.title("Revline")
    st.error("Sign-in is misconfigured, so nobody can sign in until the admin fixes it:\n\n"
             + "\n".join(f"- {p}" for p in problems), icon=":material/lock:")  # fmt: skip


def _oidc_sign_in(cfg: AuthConfig) -> None:
    st.title("Revline")
    user = st.user
    if user.get("is_logged_in"):  # signed in with the provider, but not on the allow-list
        st.error(f"`{_norm(user.get('email')).replace('`', '')}` is not allowed to use Revline. "
                 "Ask the admin to add it, or sign in with another account.", icon=":material/block:")  # fmt: skip
        st.button("Sign out", on_click=st.logout)
        return
    st.button("Sign in", on_click=st.login, type="primary")


def _password_sign_in(cfg: AuthConfig) -> None:
    st.title("Revline")
    if st.session_state.get("session_ended"):
        st.info("Your session ended: the password was changed or removed. Sign in again.", icon=":material/key_off:")
    with st.form("sign_in"):
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    client = _client()
    if wait := BACKOFF.wait(client):
        LOG.warning("password sign-in from %s refused: locked for %.0f s more", client, wait)
        st.error(f"Too many wrong passwords: sign-in is locked. Try again in {max(1, round(wait))} s.",
                 icon=":material/lock_clock:")  # fmt: skip
        return
    if password_problem(password):  # empty or trivial: never hashed, never admitted, counted as a failure
        BACKOFF.failed(client)
        st.error(f"Wrong password: Revline passwords have at least {MIN_PASSWORD} characters, "
                 f"{MIN_DISTINCT} of them different.")  # fmt: skip
        return
    if len(password) <= MAX_PASSWORD:
        for p in cfg.passwords:
            if check_password(password, str(p.get("hash", ""))):
                BACKOFF.succeeded(client)
                st.session_state["credential"] = fingerprint(p)
                st.session_state.pop("session_ended", None)
                st.rerun()
    BACKOFF.failed(client)
    st.error("Wrong password.")


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(f'usage: python -m ui.auth "password" [{"|".join(ROLE_PAGES)}]', file=sys.stderr)
        return 2
    role = argv[1] if len(argv) > 1 else None
    if problem := role_problem(role, "ROLE"):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    problem = password_problem(argv[0])  # "" is what an unset shell variable gives
    if problem:
        print(f"error: {problem} (a passphrase of a few words is easiest). Nothing was printed.", file=sys.stderr)
        return 2
    print("[[revline.passwords]]")
    if role:
        print(f'role = "{role_name(role)}"')
    print(f'hash = "{hash_password(argv[0])}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
