"""Export column contracts, kept as data in etl/contracts/*.toml, and header-based detection.

An adapter is chosen from a file's header row, never from its name
(docs/decisions/0002-the-header-row-chooses-the-adapter.md).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from etl.config_check import config_dir

CONTRACTS_DIR = Path(__file__).parent / "contracts"
TYPES = {"text", "label", "id", "int", "number", "money", "date", "datetime", "bool", "email_hash", "month"}
# The vendors' UI languages whose header labels a contract's [locales.<code>] tables list.
LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish",
    "nl": "Dutch", "pt": "Portuguese", "it": "Italian",
}  # fmt: skip
# The CRMs a lead or deal comes from (a contract's `source`, the warehouse's `source_system`), by name
CRM_NAMES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    headers: tuple[str, ...]  # English labels first, then the localised ones of [locales]
    required: bool = False
    kind: str = ""  # "breakdown": finer than the key (ad, age...), summed into it (etl/grain.py)
    maps_to: str | None = None  # the unified table's column it feeds (etl/models.py)
    labels: tuple[tuple[str, str], ...] = ()  # (language code, header) for every header
    blank_ok: bool = False  # required in the header, but a row may leave it empty (Search Console CTR on a day without impressions)

    def languages(self, alias: str) -> set[str]:
        """The UI languages a header of this column is written in ("Impressions": en and fr)."""
        return {lang for lang, h in self.labels if h == alias}

    def header_in(self, language: str | None) -> str:
        """The column's header as that UI language writes it, for messages (else English)."""
        if language == "en":
            return self.headers[0]
        return next((h for lang, h in self.labels if lang == language), self.headers[0])


@dataclass(frozen=True)
class Contract:
    name: str
    label: str
    source: str
    entity: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    date_order: str = "ymd"
    timezone: str | None = None
    pii: tuple[str, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()  # (SQL condition on typed columns, reason) -> reject
    daily_breakdown: str | None = None  # the vendor UI's click path to one row per day (ad reports)
    add_columns: str = ""  # where the vendor UI adds a missing column, for messages
    unified: tuple[tuple[str, str], ...] = ()  # unified table fed, platform, SQL expressions (etl/unified.py)
    report_start: tuple[str, ...] = ()  # preamble labels of the report's first day (etl/grain.py)
    report_end: tuple[str, ...] = ()
    preamble_mark: str = ""  # the first line of the vendor's downloads (GA4), to name a file of it that is no report by day
    range_from: str = ""  # the contract of the same export's file whose first/last day is this file's range (etl/bundle.py)
    property_from_folder: bool = False  # the site: from the export's zip or folder name (etl/bundle.py)
    row_cap: int = 0  # the vendor's row limit: a file that reaches it is said to be cut (Search Console: 1,000)
    # header shapes refused outright, on every sheet: (patterns, how many cells must match, problem, advice)
    # (Search Console's comparison export, its chart grouped by week or month)
    refusals: tuple[tuple[tuple[str, ...], int, str, str], ...] = ()
    date_formats: tuple[str, ...] = ()  # strptime formats beyond ISO and the day/month families (GA4 20260923)
    # the timestamp columns whose newest value dates an export whose name and content carry no export
    # time (Stripe): the newest wins by it, then by the download time (etl/export_time.py newest_in_rows)
    export_time_from: tuple[str, ...] = ()
    english_only: str = ""  # why the vendor writes English headers in every UI language (no [locales])
    # headers any file may have ("Customer", "Total"): matching them alone never names this export
    generic_headers: tuple[str, ...] = ()

    @property
    def raw_table(self) -> str:
        return f"raw_{self.source}__{self.entity}"

    @property
    def stg_table(self) -> str:
        return f"stg_{self.source}__{self.entity}"

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def breakdowns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == "breakdown")


@dataclass
class Match:
    """How a header row maps onto one contract."""

    contract: Contract
    positions: dict[str, int] = field(default_factory=dict)  # column name -> header index
    headers: dict[str, str] = field(default_factory=dict)  # column name -> header text as found
    missing: list[Column] = field(default_factory=list)  # required columns not found
    aliases: dict[str, str] = field(default_factory=dict)  # column name -> contract header matched

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def language(self) -> str:
        """The UI language most matched headers are written in; English on a tie."""
        votes = dict.fromkeys(LANGUAGES, 0)
        for col in self.contract.columns:
            if col.name in self.aliases:
                for lang in col.languages(self.aliases[col.name]):
                    votes[lang] += 1
        return max(votes, key=lambda lang: (votes[lang], lang == "en"))

    @property
    def coverage(self) -> float:
        n = len(self.contract.required)
        return (n - len(self.missing)) / n if n else 0.0


def norm_header(text: str) -> str:
    """Compare headers ignoring BOM, quotes, case and runs of whitespace."""
    text = text.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"\s+", " ", text).lower()


def _locales(path: Path, data: dict) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """From the contract's [locales.<language>] tables: column name -> [(language, header)], and
    the localised names of personal-data columns (key `pii`), which are never read either. A key
    naming no column of this contract is skipped: tests/test_locales.py keeps such keys to a known
    list, so that a typo still fails."""
    names = {c["name"] for c in data["columns"]}
    out: dict[str, list[tuple[str, str]]] = {}
    pii: list[str] = []
    for lang, table in data.get("locales", {}).items():
        if lang not in LANGUAGES:
            raise ValueError(f"{path.name}: [locales.{lang}] is not one of {', '.join(LANGUAGES)}")
        for name, headers in table.items():
            headers = [headers] if isinstance(headers, str) else list(headers)
            if name == "pii":
                pii += headers
            elif name in names:  # others label columns a later contract may add (tests/test_locales.py)
                out.setdefault(name, []).extend((lang, h) for h in headers)
    return out, pii


def _load(path: Path, configured: dict[str, str] | None = None) -> Contract:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    locales, local_pii = _locales(path, data)
    cols = []
    for c in data["columns"]:
        if c["type"] not in TYPES:
            raise ValueError(f"{path.name}: column {c['name']!r} has unknown type {c['type']!r}")
        if c.get("config_header") in (configured or {}):  # the org's own field name, read first
            c = c | {"headers": list(dict.fromkeys([configured[c["config_header"]], *c["headers"]]))}
        # a header a [locales] table also lists ("Nom de la campagne", "Impressions") counts as that
        # language's, so that a French export reads as French; English headers stay first
        local = locales.get(c["name"], [])
        listed = {h for _, h in local}
        labels = [("en", h) for h in c["headers"] if h not in listed] + local
        headers = tuple(dict.fromkeys([*c["headers"], *(h for _, h in local)]))
        cols.append(Column(c["name"], c["type"], headers, bool(c.get("required")), c.get("kind", ""),
                          c.get("maps_to"), tuple(labels), bool(c.get("blank_ok"))))
    unknown = set(data.get("export_time_from", ())) - {c.name for c in cols}
    if unknown:
        raise ValueError(f"{path.name}: export_time_from names no column: {sorted(unknown)}")
    return Contract(
        name=data["name"],
        label=data["label"],
        source=data["source"],
        entity=data["entity"],
        key=tuple(data["key"]),
        columns=tuple(cols),
        date_order=data.get("date_order", "ymd"),
        timezone=data.get("timezone"),
        pii=(*data.get("pii", ()), *local_pii),
        checks=tuple((ch["reject_when"], ch["reason"]) for ch in data.get("checks", ())),
        daily_breakdown=data.get("daily_breakdown"),
        add_columns=data.get("add_columns", ""),
        unified=tuple(data.get("unified", {}).items()),
        report_start=_labels(data.get("report_start")),
        report_end=_labels(data.get("report_end")),
        date_formats=tuple(data.get("date_formats", ())),
        export_time_from=tuple(data.get("export_time_from", ())),
        english_only=data.get("english_only", ""),
        generic_headers=tuple(norm_header(h) for h in data.get("generic_headers", ())),
        preamble_mark=data.get("preamble_mark", ""),
        range_from=data.get("range_from", ""),
        row_cap=int(data.get("row_cap", 0)),
        property_from_folder=bool(data.get("property_from_folder")),
        refusals=tuple((tuple(r["headers"]), int(r.get("at_least", 1)), r["problem"], r["advice"])
                       for r in data.get("refuse", ())),
    )


def _labels(value: str | list[str] | None) -> tuple[str, ...]:
    return tuple([value] if isinstance(value, str) else value or [])


def all_contracts() -> tuple[Contract, ...]:
    """The contracts, with the header names config/revline.toml gives columns that declare
    `config_header = "<section>.<key>"` (an org's custom field: [scoring] salesforce_score_field)."""
    return _contracts(configured_headers())


@cache
def _contracts(configured: tuple[tuple[str, str], ...]) -> tuple[Contract, ...]:
    return tuple(_load(p, dict(configured)) for p in sorted(CONTRACTS_DIR.glob("*.toml")))


# (section, key) of revline.toml that name a header, as a column's `config_header` says "section.key"
CONFIG_HEADERS = (("scoring", "salesforce_score_field"),)


def configured_headers() -> tuple[tuple[str, str], ...]:
    """("section.key", header) for each CONFIG_HEADERS value set in the config folder's revline.toml.
    Read again only when the file changes (detection asks on every header it tries)."""
    path = config_dir() / "revline.toml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return ()
    return _headers_in(path, stamp)


@cache
def _headers_in(path: Path, _stamp: int) -> tuple[tuple[str, str], ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ()  # the config check names a broken file; detection keeps the contracts' own names
    found = ((f"{s}.{k}", data[s].get(k)) for s, k in CONFIG_HEADERS if isinstance(data.get(s), dict))
    return tuple((name, v.strip()) for name, v in found if isinstance(v, str) and v.strip())


def contract(name: str) -> Contract:
    for c in all_contracts():
        if c.name == name:
            return c
    raise KeyError(name)


def match(header: list[str], c: Contract) -> Match:
    normed = [norm_header(h) for h in header]
    m = Match(c)
    taken: set[int] = set()
    for col in c.columns:
        for alias in col.headers:
            idx = next((i for i, h in enumerate(normed) if i not in taken and _matches(h, alias)), None)
            if idx is not None:
                m.positions[col.name] = idx
                m.headers[col.name] = header[idx].replace("\ufeff", "").strip()
                m.aliases[col.name] = alias
                taken.add(idx)
                break
        else:
            if col.required:
                m.missing.append(col)
    return m


def _matches(text: str, alias: str) -> bool:
    return _matcher(alias)(text)


@cache
def _matcher(alias: str) -> Callable[[str], bool]:
    """An alias normalised and compiled once: detecting a header compares every alias of every
    contract with every cell (80k comparisons for a five-file load), so a plain alias is one string
    comparison and a wildcard one a compiled regex, not fnmatch's per-call work."""
    pattern = norm_header(alias)
    if not any(ch in pattern for ch in "*?["):
        return pattern.__eq__
    rx = re.compile(fnmatch.translate(pattern))
    return lambda text: text == pattern or rx.match(text) is not None


@cache
def _sources_reading(text: str) -> frozenset[str]:
    """The sources whose contracts read a header (normalised): "Impressions" is everyone's."""
    return frozenset(
        c.source for c in all_contracts() for col in c.columns if any(_matches(text, a) for a in col.headers)
    )


def resembles(m: Match) -> bool:
    """A header that misses required columns still names the export it comes from when it has one
    of them and a header only this vendor writes ("Campaign status", "Impr.", "ID de registro"): a
    header-only or localised export is named, while a file that shares only generic words ("Date",
    "Clicks", "Impressions", "Cost") with the exports is not (Search Console, GA4)."""
    if m.ok or len(m.positions) < 2 or len(m.missing) == len(m.contract.required):
        return False
    return any(_sources_reading(norm_header(h)) == {m.contract.source} and norm_header(h) not in m.contract.generic_headers
               for h in m.headers.values())


def detect(header: list[str]) -> tuple[Match | None, Match | None]:
    """Return (best full match, best partial match) for a header row."""
    matches = [match(header, c) for c in all_contracts()]
    full = [m for m in matches if m.ok]
    best_full = max(full, key=lambda m: (len(m.positions), len(m.contract.columns)), default=None)
    partial = [m for m in matches if resembles(m)]
    best_partial = max(partial, key=lambda m: (m.coverage, len(m.positions)), default=None)
    return best_full, best_partial
