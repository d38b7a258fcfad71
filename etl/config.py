"""Revline configuration: config/revline.toml and config/channels.toml, the files users edit.

`REVLINE_CONFIG_DIR` points elsewhere (tests use their own). The email hashing key is a secret,
found the same way from any working directory (never from the repository): see `email_key_source`.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.config_check import (
    LOAD_FILES,
    ConfigError,
    check_config_dir,
    config_dir,
    parse,
    read_checked,
    shown_path,
)
from etl.errors import WarehouseError

REPO = Path(__file__).resolve().parent.parent
RULE_FIELDS = ("platform", "utm_source", "utm_medium", "original_source", "lead_source", "ga4_channel_group")


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
    stages: tuple[tuple[str, str, str, str], ...] = ()  # (source, pipeline or "", stage, outcome): _stages
    # (source, stage, probability 0-1): weights an open deal only where its export has no probability
    stage_probabilities: tuple[tuple[str, str, float], ...] = ()
    platform_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    platform_labels: dict[str, str] = field(default_factory=dict)  # in the file's order (coverage lists them so)
    channels: tuple[str, ...] = ()  # the channels config/channels.toml [labels] names, in its order
    channel_rules: tuple[ChannelRule, ...] = ()
    keep_generations: int = 3
    max_field_bytes: int = 1_000_000  # [limits]: a longer cell rejects its row (etl/read.py)

    def timezone(self, source: str) -> str:
        return self.timezones.get(source, "UTC")


def read_toml(path: Path, error: type[Exception]) -> dict:
    """A config file's TOML; a syntax error is `error` naming the file (never a traceback)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path} is not valid TOML: {exc}") from None


def _tuple(v: object) -> tuple[str, ...]:
    if v is None:
        return ()
    return tuple(str(x) for x in (v if isinstance(v, list) else [v]))


def check_load_config(directory: Path | None = None) -> None:
    """What every entry point runs first: the config folder there, the load's config files
    (revline.toml, channels.toml) readable, every value typed and in range, and the stage lists
    consistent; else one ConfigError."""
    if directory is None:
        check_config_dir()
    load_config(directory)


def load_config(directory: Path | None = None) -> Config:
    d = directory or config_dir()
    main, chan = (read_checked(schema, d) for schema in LOAD_FILES)  # every value typed and in range
    # the channels are the ones [labels] names; a file without [labels] (older Revline) has its rules' channels
    channels = tuple(chan.get("labels") or dict.fromkeys(str(r.get("channel")) for r in chan.get("rule", [])))
    rules = []
    for r in chan.get("rule", []):
        conds = {f: tuple(v.lower() for v in _tuple(r[f])) for f in RULE_FIELDS if f in r}
        rules.append(ChannelRule(r["channel"], conds))
    sf = main.get("salesforce", {})
    return Config(
        reporting_currency=main.get("reporting", {}).get("currency", "USD"),
        fx={k.upper(): float(v) for k, v in main.get("fx", {"USD": 1.0}).items()},
        default_currency=main.get("accounts", {}).get("default_currency", "USD"),
        timezones=dict(main.get("timezones", {})),
        ambiguous_order=main.get("dates", {}).get("ambiguous_order", "mdy"),
        automated_assignees=_tuple(sf.get("automated_assignees")),
        automated_subjects=_tuple(sf.get("automated_subjects")),
        stages=_stages(d / "revline.toml", main),
        stage_probabilities=tuple((src, stage.strip(), float(p)) for src, probs in DEFAULT_PROBABILITIES.items()
                                  for stage, p in main.get(src, {}).get("stage_probabilities", probs).items()),
        platform_sources={p["platform"]: tuple(s.lower() for s in _tuple(p["utm_source"]))
                          for p in chan.get("platform", [])},
        platform_labels={p["platform"]: str(p.get("label", p["platform"])) for p in chan.get("platform", [])},
        channels=channels,
        channel_rules=tuple(rules),
        keep_generations=int(main.get("warehouse", {}).get("keep_generations", 3)),
        max_field_bytes=int(main.get("limits", {}).get("max_field_bytes", 1_000_000)),
    )  # fmt: skip


def secrets_file() -> Path:
    """`REVLINE_SECRETS`, else the app's own `.streamlit/secrets.toml` in the repository folder,
    wherever the command runs from (a cwd-relative lookup gave two loads two keys)."""
    return Path(os.environ.get("REVLINE_SECRETS") or REPO / ".streamlit" / "secrets.toml")


def email_key_source(db_path: Path) -> str:
    """Where the e-mail hash key comes from, first found: `REVLINE_EMAIL_HASH_KEY`, `[revline]
    email_hash_key` in the secrets file, the key file beside the warehouse (made on first use)."""
    if os.environ.get("REVLINE_EMAIL_HASH_KEY"):
        return "REVLINE_EMAIL_HASH_KEY"
    secrets_path = secrets_file()
    if secrets_path.exists():
        found = parse(secrets_path, "REVLINE_SECRETS").get("revline", {}).get("email_hash_key")
        if found:
            return str(secrets_path)
    return str(_key_file(db_path))


def _key_file(db_path: Path) -> Path:
    """The key file beside the warehouse as named, else beside a symlinked warehouse's target."""
    named = db_path.with_name(db_path.name + ".key")
    target = Path(os.path.realpath(db_path))
    return named if named.exists() else target.with_name(target.name + ".key")
OUTCOMES = ("won", "lost", "open")
DEFAULT_STAGES = {  # the CRMs' default pipelines; an org's own stages go in config/revline.toml
    "salesforce": {"won": ["Closed Won"], "lost": ["Closed Lost"], "open": [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
        "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review"]},
    "hubspot": {"won": ["Closed Won"], "lost": ["Closed Lost"], "open": [
        "Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Decision Maker Bought-In",
        "Contract Sent"]},
}  # fmt: skip


# the CRMs' default pipelines' probabilities (HubSpot's and Salesforce's out-of-the-box values); an
# org's own go in config/revline.toml `[<crm>] stage_probabilities`, which replaces the list
DEFAULT_PROBABILITIES = {
    "salesforce": {"Prospecting": 0.1, "Qualification": 0.1, "Needs Analysis": 0.2, "Value Proposition": 0.5,
                   "Id. Decision Makers": 0.6, "Perception Analysis": 0.7, "Proposal/Price Quote": 0.75,
                   "Negotiation/Review": 0.9},
    "hubspot": {"Appointment Scheduled": 0.2, "Qualified To Buy": 0.4, "Presentation Scheduled": 0.6,
                "Decision Maker Bought-In": 0.8, "Contract Sent": 0.9},
}  # fmt: skip


def _stages(path: Path, main: dict) -> tuple[tuple[str, str, str, str], ...]:
    """Deal stage outcomes: `[<crm>] won_stages / lost_stages / open_stages` for every pipeline and
    `[<crm>.pipelines."<Pipeline>"] won / lost / open` for one (it takes precedence). Labels compare
    case-insensitively; a stage in two lists of one scope is a config error, not a guess."""
    rows: dict[tuple[str, str, str], str] = {}
    for src, defaults in DEFAULT_STAGES.items():
        section = main.get(src, {})
        scopes = [("", {o: section.get(f"{o}_stages", defaults[o]) for o in OUTCOMES})]
        scopes += [(p.strip().lower(), lists) for p, lists in section.get("pipelines", {}).items()]
        for pipeline, lists in scopes:
            for outcome in OUTCOMES:
                for stage in _tuple(lists.get(outcome)):
                    k = (src, pipeline, stage.strip().lower())
                    if rows.setdefault(k, outcome) != outcome:
                        where = f'[{src}.pipelines."{pipeline}"]' if pipeline else f"[{src}]"
                        raise ConfigError(f"{shown_path(path)}: stage {stage!r} is both {rows[k]} and {outcome} in {where}")
    return tuple((*k, o) for k, o in rows.items())


def email_hash_key(db_path: Path) -> str:
    """The keyed-hash secret, from the first source `email_key_source` names."""
    if key := os.environ.get("REVLINE_EMAIL_HASH_KEY"):
        return key
    secrets_path = secrets_file()
    if secrets_path.exists():
        key = str(parse(secrets_path, "REVLINE_SECRETS").get("revline", {}).get("email_hash_key", ""))
        if key:
            return key
    key_file = _key_file(db_path)
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
    except FileExistsError:  # another load made it a moment ago
        return key_file.read_text().strip()
    except OSError as exc:
        raise WarehouseError(f"Could not create the e-mail hash key file {key_file} ({exc.strerror}). "
                             "Set REVLINE_EMAIL_HASH_KEY, or make that folder writable.") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key
