"""Export column contracts, kept as data in etl/contracts/*.toml, and header-based detection.

An adapter is chosen from a file's header row, never from its name (SPEC section 3).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CONTRACTS_DIR = Path(__file__).parent / "contracts"
TYPES = {"text", "id", "int", "number", "money", "date", "datetime", "bool", "email_hash", "month"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    headers: tuple[str, ...]
    required: bool = False
    kind: str = ""  # "breakdown": finer than the key (ad, age...), summed into it (etl/grain.py)
    maps_to: str | None = None  # the unified table's column it feeds (etl/models.py)


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
    unified: tuple[tuple[str, str], ...] = ()  # unified table, platform, SQL expressions (etl/models.py)
    report_start: str | None = None  # preamble label of the report's first day (etl/grain.py)
    report_end: str | None = None

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

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def coverage(self) -> float:
        n = len(self.contract.required)
        return (n - len(self.missing)) / n if n else 0.0


def norm_header(text: str) -> str:
    """Compare headers ignoring BOM, quotes, case and runs of whitespace."""
    text = text.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"\s+", " ", text).lower()


def _load(path: Path) -> Contract:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cols = []
    for c in data["columns"]:
        if c["type"] not in TYPES:
            raise ValueError(f"{path.name}: column {c['name']!r} has unknown type {c['type']!r}")
        cols.append(
            Column(c["name"], c["type"], tuple(c["headers"]), bool(c.get("required")), c.get("kind", ""), c.get("maps_to"))
        )
    return Contract(
        name=data["name"],
        label=data["label"],
        source=data["source"],
        entity=data["entity"],
        key=tuple(data["key"]),
        columns=tuple(cols),
        date_order=data.get("date_order", "ymd"),
        timezone=data.get("timezone"),
        pii=tuple(data.get("pii", ())),
        checks=tuple((ch["reject_when"], ch["reason"]) for ch in data.get("checks", ())),
        daily_breakdown=data.get("daily_breakdown"),
        add_columns=data.get("add_columns", ""),
        unified=tuple(data.get("unified", {}).items()),
        report_start=data.get("report_start"),
        report_end=data.get("report_end"),
    )


@cache
def all_contracts() -> tuple[Contract, ...]:
    return tuple(_load(p) for p in sorted(CONTRACTS_DIR.glob("*.toml")))


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
            pattern = norm_header(alias)
            idx = next(
                (
                    i
                    for i, h in enumerate(normed)
                    if i not in taken and (h == pattern or fnmatch.fnmatchcase(h, pattern))
                ),
                None,
            )
            if idx is not None:
                m.positions[col.name] = idx
                m.headers[col.name] = header[idx].replace("\ufeff", "").strip()
                taken.add(idx)
                break
        else:
            if col.required:
                m.missing.append(col)
    return m


def detect(header: list[str]) -> tuple[Match | None, Match | None]:
    """Return (best full match, best partial match) for a header row."""
    matches = [match(header, c) for c in all_contracts()]
    full = [m for m in matches if m.ok]
    best_full = max(full, key=lambda m: (len(m.positions), len(m.contract.columns)), default=None)
    partial = [m for m in matches if not m.ok and m.coverage >= 0.5 and len(m.positions) >= 2]
    best_partial = max(partial, key=lambda m: (m.coverage, len(m.positions)), default=None)
    return best_full, best_partial
