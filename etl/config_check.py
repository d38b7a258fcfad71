"""Every value of the config files has a type and a range, said once per file as a schema (key ->
what it may be) and checked by one function, `read_checked`, before anything runs.

A mistake is one `ConfigError` line naming the file, the line (a TOML syntax error: where TOML says
it), the key, the value and what is allowed; never a traceback, never a silently wrong number
(`[fx] USD = 0` would have turned every deal into $0). This module holds the checker and the
schemas of the load's files, config/revline.toml and config/channels.toml; reports/config.py holds
those of config/digests.toml and config/alerts.toml (their values name metrics of the query layer).
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.errors import one_line

REPO = Path(__file__).resolve().parent.parent
WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}  # [kpi] business_days


class ConfigError(ValueError):
    """A config file Revline will not run with, said in one line: file, key, value, what is allowed."""


# ---- what a value may be ----
@dataclass(frozen=True)
class Value:
    allowed: str  # said in the message: "a number > 0", "one of 'mql', 'owner_assigned'"
    test: Callable[[object], bool]
    item: Value | None = None  # a list's item: the message names the first item it does not allow


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def number(lo: float | None = None, hi: float | None = None, *, above: bool = False, whole: bool = False) -> Value:
    """A finite number (a whole one with `whole`) >= lo (> lo with `above`) and <= hi."""
    kind = "a whole number" if whole else "a number"
    if lo is not None and hi is not None:
        said = f"{kind} above {lo:g} and at most {hi:g}" if above else f"{kind} from {lo:g} to {hi:g}"
    elif lo is not None:
        said = f"{kind} {'>' if above else '>='} {lo:g}"
    else:
        said = kind

    def test(v: object) -> bool:
        if not _is_number(v) or (whole and not isinstance(v, int)):
            return False
        if lo is not None and (v <= lo if above else v < lo):
            return False
        return hi is None or v <= hi

    return Value(said, test)


def one_of(*values: str, fold: Callable[[str], str] = str) -> Value:
    return Value("one of " + ", ".join(f'"{v}"' for v in values),
                 lambda v: isinstance(v, str) and fold(v) in values)  # fmt: skip


def text(pattern: str | None = None, said: str = "text in quotes") -> Value:
    rx = re.compile(pattern) if pattern else None
    return Value(said, lambda v: isinstance(v, str) and (rx is None or bool(rx.fullmatch(v))))


def list_of(item: Value, *, or_one: bool = False, empty: bool = True) -> Value:
    """A TOML list of `item`s (`or_one`: a single item is a list of one)."""
    said = f"a list [...] of {item.allowed}" + ("" if empty else ", at least one") + (", or one such value" if or_one else "")

    def test(v: object) -> bool:
        if or_one and not isinstance(v, list):
            return item.test(v)
        return isinstance(v, list) and (empty or bool(v)) and all(item.test(x) for x in v)

    return Value(said, test, item)


@cache
def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found is a KeyError; a malformed name a ValueError
        return False
    return True


ZONE = Value('a time zone name such as "America/New_York" or "UTC"', lambda v: isinstance(v, str) and _zone(v))
CURRENCY = text(r"[A-Z]{3}", 'a three-letter currency code such as "USD"')
COLOUR = text(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}", 'a colour "#RRGGBB"')
HHMM = text(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00", 'a time "HH:MM" from "00:00" to "24:00"')
FRACTION = number(0, 1)
TEXTS = list_of(text(), or_one=True)
CODE = text(r"[a-z0-9_]+", 'a code in quotes: lower-case letters, digits and "_"')


# ---- what a table may hold ----
@dataclass(frozen=True)
class Table:
    """Known keys only (a misspelt key would silently fall back to its default): each one's Value
    or sub-Table. `required` keys must be there; `when` adds required keys by another key's value."""

    keys: dict[str, Value | Table | Each | Rows]
    required: tuple[str, ...] = ()
    when: tuple[str, dict[str, tuple[str, ...]]] | None = None


@dataclass(frozen=True)
class Each:
    """A table of free keys (a currency, a rep, a channel), each one's value `value`; `key` its name."""

    value: Value | Table
    key: Value | None = None


@dataclass(frozen=True)
class Rows:
    """An array of tables, [[name]]."""

    row: Table


@dataclass(frozen=True)
class Schema:
    file: str  # the file's name in the config folder
    table: Table
    extra: list[Callable[[dict], tuple[str, object, str] | None]] = field(default_factory=list)  # cross-key rules


# ---- the checker ----
def shown_path(path: Path, folder: str = "REVLINE_CONFIG_DIR") -> str:
    """The file as messages name it: relative to the repository, else its name in the folder the
    setting `folder` names (the app shows messages to people who should not learn the server's folders)."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return f"{path.name} (in {folder})"


def _shown(v: object) -> str:
    said = json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, bool) else str(v).lower()
    said = one_line(said)
    return said if len(said) <= 80 else said[:77] + "..."


def parse(path: Path, folder: str = "REVLINE_CONFIG_DIR") -> dict:
    """The file's TOML ({} when there is no file: every key has its default); a syntax error or a
    file that is not text is a ConfigError naming the file and the line TOML names. A byte-order mark
    (Windows editors write one) is read past."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{shown_path(path, folder)}: cannot be read ({exc.strerror}).") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{shown_path(path, folder)}: is not UTF-8 text; save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        what = one_line(re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)))
        where = f" line {found[1]}, column {found[2]}" if found else ""
        raise ConfigError(f"{shown_path(path, folder)}{where}: not valid TOML: {what}.") from None


def config_dir() -> Path:
    """`REVLINE_CONFIG_DIR`, else the repository's config/ (tests use their own)."""
    return Path(os.environ.get("REVLINE_CONFIG_DIR", REPO / "config"))


def check_config_dir() -> None:
    """A `REVLINE_CONFIG_DIR` that is not a folder is refused: a mistyped one would run on every default."""
    if "REVLINE_CONFIG_DIR" in os.environ and not config_dir().is_dir():
        raise ConfigError("REVLINE_CONFIG_DIR does not name a folder: set it to the folder holding revline.toml, "
                          "or unset it for the repository's config/.")  # fmt: skip


def check(data: dict, schema: Schema, path: Path) -> None:
    """Raise one ConfigError for the first value `schema` does not allow."""
    problem = _walk(data, schema.table, "")
    for rule in schema.extra:
        problem = problem or rule(data)
    if problem:
        key, value, allowed = problem
        raise ConfigError(f"{shown_path(path)}: {key} = {_shown(value)}: not allowed; {allowed}.")


def _walk(data: object, spec: Value | Table | Each | Rows, where: str) -> tuple[str, object, str] | None:
    if isinstance(spec, Value):
        if spec.test(data):
            return None
        bad = [x for x in data if not spec.item.test(x)] if spec.item and isinstance(data, list) else []
        if bad:
            return (where, data, f"its item {_shown(bad[0])} is not {spec.item.allowed}")
        return (where, data, f"must be {spec.allowed}")
    if isinstance(spec, Rows):
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            return (where, data, f"must be tables written [[{where.strip('[]')}]]")
        for i, row in enumerate(data, 1):
            if found := _walk(row, spec.row, f"{where} number {i}:"):
                return found
        return None
    if not isinstance(data, dict):
        return (where, data, "must be a table of keys")
    if isinstance(spec, Each):
        for k, v in data.items():
            if spec.key is not None and not spec.key.test(k):
                return (_key(where, k), v, f"the key must be {spec.key.allowed}")
            if found := _walk(v, spec.value, _child(where, k, spec.value)):
                return found
        return None
    for k, v in data.items():
        sub = spec.keys.get(k)
        if sub is None:
            return (_key(where, k), v, f"unknown key; the keys here are {', '.join(spec.keys)}")
        if found := _walk(v, sub, _child(where, k, sub)):
            return found
    needed = list(spec.required)
    if spec.when and isinstance(data.get(spec.when[0]), str):
        needed += spec.when[1].get(data[spec.when[0]], ())
    for k in needed:
        if k not in data:
            return (_key(where, k), "(missing)", "this key is required here")
    return None


def _key(where: str, key: str) -> str:
    """A key as TOML writes it: quoted when a bare key could not say it (`[fx] "EUR "` shows its space)."""
    key = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    return f"{where} {key}".strip() if where.endswith(("]", ":")) else key


def _child(where: str, key: str, sub: object) -> str:
    """How a key reads in a message: `[kpi] sla_hours`, `[[rule]] number 3: kind`, `[fx] EUR`."""
    if isinstance(sub, Rows):
        return f"[[{where.strip('[]')}.{key}]]" if where else f"[[{key}]]"
    if isinstance(sub, Table | Each):
        return f"[{where.strip('[]')}.{key}]" if where else f"[{key}]"
    return _key(where, key)


def read_checked(schema: Schema, directory: Path | None = None, path: Path | None = None) -> dict:
    """The file of `schema` in `directory` (or at `path`), parsed and checked ({} when it is missing)."""
    path = path or (directory or config_dir()) / schema.file
    data = parse(path)
    check(data, schema, path)
    return data


# ---- config/revline.toml and config/channels.toml ----
STAGES = Table({"won_stages": TEXTS, "lost_stages": TEXTS, "open_stages": TEXTS,
                "pipelines": Each(Table({"won": TEXTS, "lost": TEXTS, "open": TEXTS})),
                "stage_probabilities": Each(number(0, 1))})  # fmt: skip
REVLINE = Schema("revline.toml", Table({
    "reporting": Table({"currency": CURRENCY}),
    "fx": Each(number(0, above=True), key=text(r"[A-Za-z]{3}", 'a three-letter currency code such as "EUR"')),
    "warehouse": Table({"keep_generations": number(0, whole=True)}),
    "accounts": Table({"default_currency": CURRENCY}),
    "timezones": Each(ZONE),
    "dates": Table({"ambiguous_order": one_of("mdy", "dmy")}),
    "limits": Table({"max_field_bytes": number(1, whole=True)}),
    "salesforce": Table({**STAGES.keys, "automated_assignees": TEXTS, "automated_subjects": TEXTS}),
    "hubspot": STAGES,
    "kpi": Table({
        "sla_hours": number(0, 168, above=True),  # a week; more is hours typed for minutes or days
        "clock_start": one_of("mql", "owner_assigned"),
        "clock": one_of("business", "calendar"),
        "business_timezone": ZONE,
        "business_days": list_of(one_of(*map(str.title, WEEKDAYS), fold=lambda d: d[:3].title()), empty=False),
        "business_start": HHMM,
        "business_end": HHMM,
        "owner_timezones": Each(ZONE),
        "warn_hours": number(0),
        "sla_target": FRACTION,
        "monthly_sales_cost": number(0),
        "gross_margin": number(0, 1, above=True),
        "monthly_churn": number(0, 1, above=True),
        "contract_months": number(0, above=True),
        "opportunity_window_days": number(1, whole=True),
    }),
    "freshness": Table({"warn_after_days": number(0, whole=True)}),
    "scoring": Table({"salesforce_score_field": text(), "mql_min_sql_rate": FRACTION,
                      "band": Rows(Table({"name": text(r".*\S.*", "a band name in quotes"), "min_score": number(),
                                          "ratings": TEXTS}, required=("name",)))}),
    "web": Table({"brand_terms": list_of(text(r"(?s).*\S.*", "a term in quotes, not blank"), or_one=True),
                  "min_landing_sessions": number(0, whole=True)}),
    "crm": Table({
        "hubspot_portal_id": Value("the account id, in quotes or as a number",
                                   lambda v: isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool))),
        "hubspot_record_url": text(),
        "salesforce_domain": text(),
        "salesforce_record_url": text(),
    }),
}), [lambda d: _business_hours(d.get("kpi", {})), lambda d: _rates(d),
        lambda d: _bands(d.get("scoring", {}).get("band", []))])  # fmt: skip


def _bands(bands: list) -> tuple[str, object, str] | None:
    """[[scoring.band]]: each name once (a drill names its band), "Unscored" kept for leads without a score."""
    seen: set[str] = set()
    for n, band in enumerate(bands, 1):
        name = band.get("name", "").strip()
        if name.lower() in seen or name.lower() == "unscored":
            return (f"[[scoring.band]] number {n}: name", name, "each band needs a name of its own (not \"Unscored\")")
        seen.add(name.lower())
    return None


def _rates(main: dict) -> tuple[str, object, str] | None:
    """[fx] is units of the reporting currency per unit: its own rate is 1, and a code is said once."""
    fx, seen = main.get("fx", {}), set()
    for code, rate in fx.items():
        if code.upper() in seen:
            return (f"[fx] {code}", rate, f"{code.upper()} is already given a rate (codes ignore case)")
        seen.add(code.upper())
    reporting = main.get("reporting", {}).get("currency", "USD")
    own = next((k for k in fx if k.upper() == reporting), None)
    if own is not None and fx[own] != 1:
        return (f"[fx] {own}", fx[own], f"the reporting currency ({reporting}) is 1 unit of itself: write 1.0")
    return None


def _business_hours(kpi: dict) -> tuple[str, object, str] | None:
    start, end = kpi.get("business_start", "09:00"), kpi.get("business_end", "17:00")
    if start >= end:
        return ("[kpi] business_end", end, f"must be later than business_start ({start})")
    return None


CHANNELS = Schema("channels.toml", Table({
    "labels": Each(text(r".*\S.*", "a label in quotes"), key=CODE),
    "colors": Each(COLOUR, key=CODE),
    "platform": Rows(Table({"platform": CODE, "label": text(r".*\S.*", "a label in quotes"), "color": COLOUR,
                            "utm_source": TEXTS}, required=("platform", "utm_source"))),
    "rule": Rows(Table({"channel": CODE, "platform": TEXTS, "utm_source": TEXTS, "utm_medium": TEXTS,
                        "original_source": TEXTS, "lead_source": TEXTS,
                        "ga4_channel_group": TEXTS}, required=("channel",))),
}), [lambda d: _rule_channels(d)])  # fmt: skip


def _rule_channels(chan: dict) -> tuple[str, object, str] | None:
    """A rule's channel is one [labels] names (a file without [labels], an older Revline, has its rules')."""
    labels = chan.get("labels")
    if not labels:
        return None
    for i, r in enumerate(chan.get("rule", []), 1):
        if r.get("channel") not in labels:
            return (f"[[rule]] number {i}: channel", r.get("channel"),
                    f"must be a channel [labels] names ({', '.join(labels)}), or give it a label there")  # fmt: skip
    return None


LOAD_FILES = (REVLINE, CHANNELS)  # what the load and the query layer read
