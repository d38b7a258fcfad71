"""What the loaded exports cover, and what that means for a period: the data's last day (where the
default view ends), which sources lag or have gaps, and whether a metric's sources cover a range.

One path for the app and the summary command: both read `data/coverage` (mart_coverage) here.
Rules in docs/decisions/0062-coverage-is-read-from-the-datas-own-dates.md
and docs/decisions/0064-metrics-without-full-coverage-say-so.md.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from queries.runner import run

KIND_LABELS = {"ads": "ad-platform", "leads": "CRM lead", "deals": "CRM deal", "activities": "CRM activity", "web": "web-analytics", "search": "Search Console", "billing": "Stripe billing"}
Days = tuple[date, date]  # first and last day, inclusive


def day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def days(span: Days) -> str:
    """'Nov 21, 2026', 'Nov 21–22, 2026', 'Oct 30 – Nov 2, 2026', 'Dec 30, 2025 – Jan 2, 2026'."""
    a, b = span
    if a == b:
        return day(a)
    if a.year != b.year:
        return f"{day(a)} – {day(b)}"
    if a.month != b.month:
        return f"{a:%b} {a.day} – {b:%b} {b.day}, {b.year}"
    return f"{a:%b} {a.day}–{b.day}, {b.year}"


def _merge(spans: list[Days]) -> tuple[Days, ...]:
    """Overlapping or adjacent stretches as one."""
    out: list[Days] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _clip(spans: list[Days], start: date, end: date) -> list[Days]:
    return [(max(a, start), min(b, end)) for a, b in spans if a <= end and b >= start]


@dataclass(frozen=True)
class Source:
    """One export type (all its accounts): the days from its first to its last covered day, and the
    gaps inside (a gap of any one account is missing data for the source's totals)."""

    adapter: str
    kind: str
    label: str
    first: date
    last: date
    gaps: tuple[Days, ...] = ()
    platform: str | None = None  # ad platforms: as in ad_spend, for the sidebar's platform filter

    def missing(self, start: date, end: date) -> list[Days]:
        """Days of start..end its exports do not cover."""
        out = []
        if start < self.first:
            out.append((start, min(end, self.first - timedelta(days=1))))
        out += _clip(list(self.gaps), start, end)
        if end > self.last:
            out.append((max(start, self.last + timedelta(days=1)), end))
        return [s for s in out if s[0] <= s[1]]


@dataclass(frozen=True)
class Check:
    """Whether a metric's sources cover a range: 'complete', 'incomplete' (a value, read with care)
    or 'no_data' (no value: "–" with the reason, never 0)."""

    status: str
    note: str = ""
    missing: dict[str, list[Days]] = field(default_factory=dict)  # source label -> days not covered

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    def as_dict(self) -> dict:
        return {"status": self.status, "note": self.note,
                "missing": {k: [[a.isoformat(), b.isoformat()] for a, b in v] for k, v in self.missing.items()}}  # fmt: skip


def _on(s: Source, platform: str | Collection[str] | None) -> bool:
    """Does source `s` count under the platform filter (one platform, several, or None: all)?
    Sources that are no ad platform (CRM) always count."""
    if platform is None or s.platform is None:
        return True
    return s.platform in ((platform,) if isinstance(platform, str) else platform)


@dataclass(frozen=True)
class Coverage:
    sources: tuple[Source, ...]

    @property
    def through(self) -> date | None:
        """The latest day any loaded source covers: where the default view ends."""
        return max((s.last for s in self.sources), default=None)

    def check(self, kinds: tuple[str, ...] | list[str], start: date, end: date,
              platform: str | Collection[str] | None = None) -> Check:
        """Do the sources of `kinds` cover start..end? A source whose data lies wholly outside the range
        (it stopped before it or started after it) does not count; a kind with no source inside the
        range means no data, and so does a kind whose every source misses every day of the range (a
        month between two downloads: its sums would read 0). With `platform` (the sidebar filter: one or several) only those ad platforms count."""
        if not kinds:
            return Check("complete")
        missing: dict[str, list[Days]] = {}
        absent = []
        for kind in kinds:
            own = [s for s in self.sources if s.kind == kind and _on(s, platform)]
            inside = [s for s in own if s.first <= end and s.last >= start]
            if not inside:
                absent.append(_absent(kind, own, (start, end)))
            elif all(_merge(s.missing(start, end)) == ((start, end),) for s in inside):
                # every export of the kind misses every day (a month between two downloads): no data, not 0
                absent.append(f"No {KIND_LABELS.get(kind, kind)} data for {days((start, end))}: no loaded export covers it")
                continue
            for s in inside:
                if gaps := s.missing(start, end):
                    missing[s.label] = gaps
        if absent:
            return Check("no_data", "; ".join(absent))
        if missing:
            by_days: dict[tuple[Days, ...], list[str]] = {}
            for label, gaps in missing.items():
                by_days.setdefault(tuple(gaps), []).append(label)
            note = "; ".join(f"{', '.join(labels)}: no data {', '.join(days(g) for g in gaps)}"
                             for gaps, labels in by_days.items())  # fmt: skip
            return Check("incomplete", f"Incomplete ({note})", missing)
        return Check("complete")

    def extent(self, kinds: tuple[str, ...] | list[str],
               platform: str | Collection[str] | None = None) -> tuple[date, date, tuple[Days, ...]] | None:
        """(first day, last day, holes) of the data of `kinds` taken together (or of one ad platform):
        holes are days inside that some source of theirs does not cover (gaps, a late start, an early end)."""
        own = [s for s in self.sources if s.kind in kinds and _on(s, platform)]
        if not own:
            return None
        first, last = min(s.first for s in own), max(s.last for s in own)
        holes = [g for s in own for g in s.missing(first, last)]
        return first, last, _merge(holes)

    def notices(self, start: date, end: date) -> list[str]:
        """What every page says at the top: how far the data goes, which sources lag, gaps in range."""
        through = self.through
        if through is None:
            return []
        lagging = sorted((s for s in self.sources if s.last < through), key=lambda s: (s.last, s.label))
        text = f"Data through {day(through)}"
        if lagging:
            text += "; " + ", ".join(f"{s.label} through {day(s.last)}" for s in lagging)
        out = [text + "."]
        gaps = [(s.label, g) for s in self.sources for g in _clip(list(s.gaps), start, end)]
        if gaps:
            out.append("No export covers " + "; ".join(f"{label} {days(g)}" for label, g in gaps) + ".")
        if end > through:
            out.append(f"This range runs past the data: {days((max(start, through + timedelta(days=1)), end))} "
                       "has no data yet.")  # fmt: skip
        return out

    def stale(self, today: date, warn_after_days: int) -> str | None:
        """A warning when the newest data is older than `warn_after_days` (config [freshness])."""
        through = self.through
        if through is None or (today - through).days <= warn_after_days:
            return None
        age = (today - through).days
        return (f"The newest data is {age} days old (through {day(through)}). "
                "Load newer exports on the Data page.")  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "data_through": self.through.isoformat() if self.through else None,
            "sources": [
                {"source": s.adapter, "label": s.label, "kind": s.kind, "first_day": s.first.isoformat(),
                 "last_day": s.last.isoformat(), "gaps": [[a.isoformat(), b.isoformat()] for a, b in s.gaps]}
                for s in self.sources
            ],
        }  # fmt: skip


def _absent(kind: str, own: list[Source], span: Days) -> str:
    what = KIND_LABELS.get(kind, kind)
    if not own:
        return f"No {what} data loaded"
    first, last = min(s.first for s in own), max(s.last for s in own)
    return f"No {what} data for {days(span)}: it covers {days((first, last))}"


def load_coverage(db: Path | None = None) -> Coverage:
    """Sources and gaps from `data/coverage` (mart_coverage)."""
    rows = run("data/coverage", db=db).iter_rows(named=True)
    by_source: dict[str, dict] = {}
    for r in rows:
        s = by_source.setdefault(r["adapter"], {"kind": r["kind"], "label": r["label"], "platform": r["platform"],
                                                "covered": [], "gaps": []})  # fmt: skip
        s["covered" if r["status"] == "covered" else "gaps"].append((r["first_day"], r["last_day"]))
    sources = [
        Source(a, s["kind"], s["label"], min(c[0] for c in s["covered"]), max(c[1] for c in s["covered"]),
               _merge(s["gaps"]), s["platform"])
        for a, s in by_source.items() if s["covered"]
    ]  # fmt: skip
    return Coverage(tuple(sorted(sources, key=lambda s: (s.kind != "ads", s.label))))
