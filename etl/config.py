"""Revline configuration: config/revline.toml and config/channels.toml, the files users edit.

`REVLINE_CONFIG_DIR` points elsewhere (tests use their own). The email hashing key is a secret:
it comes from `REVLINE_EMAIL_HASH_KEY`, else from a key file created once next to the warehouse
(never from the repository).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHANNELS = (
    "paid_social", "paid_search", "organic_search", "organic_social", "email",
    "referral", "direct", "events", "outbound", "partner", "other",
)  # fmt: skip
RULE_FIELDS = ("platform", "utm_source", "utm_medium", "original_source", "lead_source")


@dataclass(frozen=True)
class ChannelRule:
    channel: str
    conditions: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Config:
    reporting_currency: str = "USD"
    fx: dict[str, float] = field(default_factory=lambda: {"USD": 1.0})
    default_currency: str = "USD"
    timezones: dict[str, str] = field(default_factory=dict)
    ambiguous_order: str = "mdy"
    automated_assignees: tuple[str, ...] = ()
    automated_subjects: tuple[str, ...] = ()
    won_stages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lost_stages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    platform_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    channel_rules: tuple[ChannelRule, ...] = ()
    max_field_bytes: int = 1_000_000  # [limits]: a longer cell rejects its row (etl/read.py)

    def timezone(self, source: str) -> str:
        return self.timezones.get(source, "UTC")


def config_dir() -> Path:
    return Path(os.environ.get("REVLINE_CONFIG_DIR", REPO / "config"))


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"config file {path} is not valid TOML: {exc}") from exc


def _tuple(v: object) -> tuple[str, ...]:
    if v is None:
        return ()
    return tuple(str(x) for x in (v if isinstance(v, list) else [v]))


def load_config(directory: Path | None = None) -> Config:
    d = directory or config_dir()
    main = _read(d / "revline.toml")
    chan = _read(d / "channels.toml")
    rules = []
    for r in chan.get("rule", []):
        if r.get("channel") not in CHANNELS:
            raise SystemExit(
                f"{d / 'channels.toml'}: unknown channel {r.get('channel')!r}; use one of {CHANNELS}"
            )
        conds = {f: tuple(v.lower() for v in _tuple(r[f])) for f in RULE_FIELDS if f in r}
        rules.append(ChannelRule(r["channel"], conds))
    sf, hs = main.get("salesforce", {}), main.get("hubspot", {})
    return Config(
        reporting_currency=main.get("reporting", {}).get("currency", "USD"),
        fx={k.upper(): float(v) for k, v in main.get("fx", {"USD": 1.0}).items()},
        default_currency=main.get("accounts", {}).get("default_currency", "USD"),
        timezones=dict(main.get("timezones", {})),
        ambiguous_order=main.get("dates", {}).get("ambiguous_order", "mdy"),
        automated_assignees=_tuple(sf.get("automated_assignees")),
        automated_subjects=_tuple(sf.get("automated_subjects")),
        won_stages={"salesforce": _tuple(sf.get("won_stages", ["Closed Won"])),
                    "hubspot": _tuple(hs.get("won_stages", ["Closed Won"]))},
        lost_stages={"salesforce": _tuple(sf.get("lost_stages", ["Closed Lost"])),
                     "hubspot": _tuple(hs.get("lost_stages", ["Closed Lost"]))},
        platform_sources={p["platform"]: tuple(s.lower() for s in _tuple(p["utm_source"]))
                          for p in chan.get("platform", [])},
        channel_rules=tuple(rules),
        max_field_bytes=int(main.get("limits", {}).get("max_field_bytes", 1_000_000)),
    )  # fmt: skip


def email_hash_key(db_path: Path) -> str:
    """The keyed-hash secret: `REVLINE_EMAIL_HASH_KEY`, else `[revline] email_hash_key` in
    .streamlit/secrets.toml, else a per-warehouse key file created on first use."""
    if key := os.environ.get("REVLINE_EMAIL_HASH_KEY"):
        return key
    secrets_file = Path(os.environ.get("REVLINE_SECRETS", ".streamlit/secrets.toml"))
    if secrets_file.exists():
        key = str(tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("revline", {}).get("email_hash_key", ""))
        if key:
            return key
    key_file = db_path.with_name(db_path.name + ".key")
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    return key
