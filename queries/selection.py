"""Cascading dimension filters: which values each filter may offer given what the others chose, and
which chosen values a change (or a typed link) made impossible.

`combos` are the distinct (channel, platform, campaign, owner) rows that occur together
(queries/filters/combos.sql, built at load). A filter offers the values that occur with the
selections of the OTHER filters, so platform Meta with a Google campaign can no longer be picked.
A selection that is impossible anyway (a link, or another filter changed) is settled: values are
dropped, lowest-priority filter first, until every chosen value occurs with the others' choices; the
caller says what was dropped. No streamlit here: the rules are tested without the app.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import polars as pl

from queries.registry import DIMENSIONS
from queries.view import Selection


def split_values(values: Iterable[str], known: Collection[str]) -> list[str]:
    """Values given repeated (`--campaign A --campaign B`, `?campaign=A&campaign=B`) or comma-separated
    (`--platform meta,google_ads`). A value that is itself a known one stays whole (campaign names can
    hold commas); otherwise it is split on commas."""
    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in value.split(",")] if value not in known and "," in value else [value]
        out += [p for p in parts if p and p not in out]
    return out


def options(combos: pl.DataFrame, chosen: Mapping[str, Selection], dim: str) -> list[str]:
    """The values of `dim` that occur with every other filter's selection (its own is ignored)."""
    rows = combos
    for other, values in chosen.items():
        if other != dim and values:
            rows = rows.filter(pl.col(other).is_in(list(values)))
    return sorted(rows[dim].drop_nulls().unique().to_list())


def settle(
    combos: pl.DataFrame, chosen: Mapping[str, Selection], first: Iterable[str] = ()
) -> tuple[dict[str, Selection], list[tuple[str, tuple[str, ...]]]]:
    """`chosen` with the values dropped that do not occur with the other filters' selections, and
    (dimension, dropped values) in the order dropped. Priority: the dimensions in `first` (the one
    the user just changed), then the registry's order; the lowest-priority filter gives way first."""
    order = [*dict.fromkeys([*first, *DIMENSIONS])]
    out: dict[str, Selection] = {d: chosen.get(d) or None for d in DIMENSIONS}
    dropped: list[tuple[str, tuple[str, ...]]] = []
    changed = True
    while changed:  # a drop can only widen the others' options (an emptied filter means all): ends
        changed = False
        for d in reversed(order):
            values = out[d]
            if not values:
                continue
            allowed = set(options(combos, out, d))
            keep = tuple(v for v in values if v in allowed)
            if keep != values:
                dropped.append((d, tuple(v for v in values if v not in allowed)))
                out[d] = keep or None
                changed = True
    return out, dropped


def known(combos: pl.DataFrame) -> dict[str, list[str]]:
    """Every value each dimension has (what a link may name at all)."""
    return {d: sorted(combos[d].drop_nulls().unique().to_list()) for d in DIMENSIONS}
