"""The schemas of config/digests.toml and config/alerts.toml (every value's type and range, checked by
etl/config_check.py's one checker), and `check_config`: every config file, checked before a report,
an alert or the app runs."""

from __future__ import annotations

from pathlib import Path

from etl.config import check_load_config
from etl.config_check import Each, Rows, Schema, Table, Value, list_of, number, one_of, read_checked, text
from queries.pages import DIGEST_SECTIONS
from queries.registry import metrics

KINDS = ("pace", "change", "anomaly", "sla", "stale", "rejects")  # alert rule kinds (reports/alerts.py RULES)
TREND_MEASURES = ("revenue", "new_pipeline", "spend", "leads", "mqls", "sqls")  # what an anomaly rule watches
METRIC = Value('a metric name of queries/registry.toml, such as "revenue"',
               lambda v: isinstance(v, str) and v in {m.name for m in metrics()})  # fmt: skip
ADDRESS = text(r"[^@\s]+@[^@\s]+\.[^@\s]+", 'an e-mail address in quotes such as "dana@example.com"')
ADDRESSES = list_of(ADDRESS)

DIGESTS = Schema("digests.toml", Table({
    "base_url": text(r"https?://\S+", 'the dashboard\'s address such as "http://localhost:8501"'),
    "movers": number(0, whole=True),
    "drivers": number(0, whole=True),
    "breaches": number(0, whole=True),
    "delivery": Table({"send_seconds": number(0, above=True), "command_seconds": number(0, above=True)}),
    "roles": Each(Table({
        "title": text(),
        "metrics": list_of(METRIC),
        "sections": list_of(one_of(*DIGEST_SECTIONS)),
        "recipients": ADDRESSES,
    })),
}))  # fmt: skip

# the keys each rule kind reads (reports/alerts.py): any other key on a rule of that kind is refused
RULE_KEYS = {
    "pace": ("metric", "behind_pct"),
    "change": ("metric", "pct", "direction"),
    "anomaly": ("measure", "trailing_days", "sigma"),
    "sla": ("lookback_days",),
    "stale": ("days",),
    "rejects": ("pct", "within_days"),
}


def _rule_keys(data: dict) -> tuple[str, object, str] | None:
    """A key another kind reads, on this rule (`pct` on a pace rule): it would be silently ignored."""
    for i, rule in enumerate(data.get("rule", []), 1):
        allowed = RULE_KEYS.get(rule.get("kind"), ())
        for k, v in rule.items():
            if k != "kind" and k not in allowed:
                return (f"[[rule]] number {i} (kind \"{rule['kind']}\"): {k}", v,
                        f"a {rule['kind']} rule reads only kind, {', '.join(allowed)}")  # fmt: skip
    return None


ALERTS = Schema("alerts.toml", Table({
    "recipients": ADDRESSES,
    "repeat_hours": number(0),
    "reps": Each(ADDRESS),
    "rule": Rows(Table({
        "kind": one_of(*KINDS),
        "metric": METRIC,
        "behind_pct": number(0, 100, above=True),
        "pct": number(0, above=True),
        "direction": one_of("worse", "better", "any"),
        "measure": one_of(*TREND_MEASURES),
        "trailing_days": number(2, whole=True),
        "sigma": number(0, above=True),
        "days": number(0, whole=True),
        "within_days": number(1, whole=True),
        "lookback_days": number(1, whole=True),
    }, required=("kind",), when=("kind", {"pace": ("metric",), "change": ("metric",), "anomaly": ("measure",)}))),
}), [_rule_keys])  # fmt: skip

REPORT_FILES = (DIGESTS, ALERTS)


def check_config(directory: Path | None = None) -> None:
    """Every config file Revline reads (revline.toml, channels.toml, digests.toml, alerts.toml): readable
    TOML, every value typed and in range; else one ConfigError naming the file, key, value and what is
    allowed. What `python -m reports` and the app run before anything else."""
    check_load_config(directory)
    for schema in REPORT_FILES:
        read_checked(schema, directory)
