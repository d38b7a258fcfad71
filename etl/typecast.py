"""Type one batch of raw text cells in SQL (etl/parse_sql.py): each column's date format is decided
once per file, and every cell that does not parse, or breaks a plausibility check of the contract,
gives its row a reason (`_typed._reason`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl

from etl.config import Config
from etl.contracts import Contract
from etl.db import one, run
from etl.parse_sql import FAMILIES, ISO, cleaned, format_hits, typed
from etl.read import RawFile, cell

CURRENCY_SUFFIX = re.compile(r"\(([A-Z]{3})\)\s*$")


def type_batch(con, raw: RawFile, load_id: int, first_line: int, cfg: Config, fmts: dict[str, list[str]]) -> None:
    """`_typed`: the batch's rows typed, with `_reason` for the ones that fail (etl/parse_sql.py)."""
    c, m = raw.sniffed.match.contract, raw.sniffed.match
    decimal_comma = raw.sniffed.delimiter == ";"
    tz = "$tz" if c.timezone else None
    # three steps, each cell cleaned once: trim + blank tokens -> NULL, then type, then reasons
    cleaned_cols = ", ".join(f"{cleaned(f'r.{_q(col.name)}')} as {_q('__raw_' + col.name)}" for col in c.columns)
    typed_cols = ", ".join(
        f"{typed(_q('__raw_' + col.name), col.type, fmts.get(col.name, []), decimal_comma, tz, clean=True)} "
        f"as {_q(col.name)}, {_q('__raw_' + col.name)}"
        for col in c.columns
    )
    failed, reasons = _reasons_sql(c, m.headers)
    params = {"load_id": load_id, "first_line": first_line, **({"tz": cfg.timezone(c.timezone)} if c.timezone else {})}
    run(
        con,
        f"""create or replace temp table _typed as
        select *, case when {failed} then {reasons} end as _reason from (
            select load_id, source_line, {typed_cols} from (
                select r.load_id, r.source_line, {cleaned_cols}
                from {c.raw_table} r where r.load_id = $load_id and r.source_line >= $first_line
            )
        )""",
        params,
    )
    if _has_currency(c):
        run(
            con,
            "update _typed set currency = upper(coalesce(currency, $header_currency, $default_currency))",
            {"header_currency": _header_currency(c, m.headers), "default_currency": cfg.default_currency},
        )
        run(
            con,
            """update _typed set _reason = concat_ws('; ', _reason,
                   'no exchange rate for currency ''' || currency || ''' in config [fx]')
               where currency not in (select currency from config_fx)""",
        )


SAMPLE_ROWS = 1000


def first_batches(batches: Iterator[pl.DataFrame], rows: int) -> list[pl.DataFrame]:
    """The first batches, until they hold `rows` records (or the file ends)."""
    head, n = [], 0
    while n < rows and (frame := next(batches, None)) is not None:
        head.append(frame)
        n += int(frame["_skip"].is_null().sum())
    return head


def date_formats(con, raw: RawFile, records: pl.DataFrame, cfg: Config) -> tuple[str, dict[str, list[str]]]:
    """Decide the day/month order once per file from its first SAMPLE_ROWS records (a day above 12
    settles it, else a `;` + decimal comma locale means day first), then each date column's format,
    so typing runs one strptime per cell."""
    c, positions = raw.sniffed.match.contract, raw.sniffed.match.positions
    decimal_comma = raw.sniffed.delimiter == ";"
    dates = [col for col in c.columns if col.type in ("date", "datetime", "month")]
    if not dates:
        return c.date_order, {}
    candidates = [(col.name, f) for col in dates for f in (*ISO, *FAMILIES["mdy"], *FAMILIES["dmy"])]
    cells = {col.name: f"r.{cell(positions[col.name])}" if col.name in positions else "null" for col in dates}
    con.register("_sample", records.head(SAMPLE_ROWS))
    try:
        hits = one(con, f"select {', '.join(format_hits(cells[name], f) for name, f in candidates)} from _sample r")
    finally:
        con.unregister("_sample")
    score = dict(zip(candidates, hits, strict=True))
    family = {o: sum(max(score[(col.name, f)] for f in FAMILIES[o]) for col in dates) for o in FAMILIES}
    if family["mdy"] != family["dmy"]:
        order = max(family, key=lambda o: family[o])
    elif decimal_comma and family["dmy"]:  # no month-first locale writes "1 234,56"
        order = "dmy"
    else:
        order = c.date_order if c.date_order in FAMILIES else cfg.ambiguous_order
    chosen = {}
    for col in dates:
        usable = [f for f in (*ISO, *FAMILIES[order]) if score[(col.name, f)]]
        chosen[col.name] = sorted(usable, key=lambda f: -score[(col.name, f)]) or [ISO[0]]
    return order, chosen


def _reasons_sql(c: Contract, headers: dict[str, str]) -> tuple[str, str]:
    """(cheap test that a row fails, why it fails) from its typed cells and its cleaned raw cells
    (`__raw_*`, NULL when blank): a required value is missing, a value does not parse, or a
    plausibility check of the contract fails. The reason text is only built for failing rows."""
    tests, parts = [], []
    for col in c.columns:
        raw = _q("__raw_" + col.name)
        label = headers.get(col.name, col.headers[0]).replace("'", "''")
        if col.required:
            tests.append(f"{raw} is null")
            parts.append(f"case when {raw} is null then 'missing required value in \"{label}\"' end")
        tests.append(f"({_q(col.name)} is null and {raw} is not null)")
        parts.append(
            f"case when {_q(col.name)} is null and {raw} is not null then "
            f"'cannot read \"{label}\" value ''' || left({raw}, 60) || ''' as {col.type}' end"
        )
    for condition, reason in c.checks:  # plausibility rules of the contract (absurd values)
        tests.append(f"coalesce({condition}, false)")
        parts.append(f"case when coalesce({condition}, false) then '{reason.replace(chr(39), chr(39) * 2)}' end")
    return " or ".join(tests) or "false", f"nullif(concat_ws('; ', {', '.join(parts)}), '')"


def _header_currency(c: Contract, headers: dict[str, str]) -> str | None:
    for col in c.columns:
        m = CURRENCY_SUFFIX.search(headers.get(col.name, "")) if col.type == "money" else None
        if m:
            return m.group(1)
    return None


def _has_currency(c: Contract) -> bool:
    return any(col.type == "money" for col in c.columns) and any(col.name == "currency" for col in c.columns)


def _q(name: str) -> str:
    return f'"{name}"'
