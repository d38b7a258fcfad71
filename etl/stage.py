"""Stage one export: text cells -> raw_<source>__<entity> -> typed stg_<source>__<entity>.

Rows are classified first: blank, total and footer rows are skipped (counted, not rejected).
Every other row is a record: it is loaded, rejected with a reason, or a duplicate of the row
already current for its key. rows_read = rows_loaded + rows_rejected + rows_duplicate.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import duckdb
import polars as pl

from etl.config import Config
from etl.contracts import Contract, norm_header
from etl.db import many, one, run
from etl.errors import LoadError
from etl.parse_sql import FAMILIES, ISO, SQL_TYPES, format_hits, is_blank, typed
from etl.read import RawFile, cell

TOTAL_RE = r"(?i)^\s*(grand\s+)?totals?\s*(:.*|\(.*\))?\s*$"
CURRENCY_SUFFIX = re.compile(r"\(([A-Z]{3})\)\s*$")


@dataclass
class Staged:
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    rows_skipped: int = 0
    date_order: str | None = None


def classify(raw: RawFile) -> pl.DataFrame:
    """Add `_skip`: 'blank', 'total' or 'footer' for rows that are not records, else null."""
    cols = [c for c in raw.frame.columns if c != "_line"]
    filled = pl.sum_horizontal((pl.col(c).str.strip_chars().fill_null("") != "").cast(pl.Int32) for c in cols)
    first = pl.coalesce(
        *[pl.when(pl.col(c).str.strip_chars().fill_null("") != "").then(pl.col(c)) for c in cols]
    )
    f = raw.frame.with_columns(_filled=filled, _first=first)
    multi = f["_filled"] >= 2
    last_multi = int(multi.arg_true().max()) if multi.any() else -1
    return f.with_columns(
        _skip=pl.when(pl.col("_filled") == 0)
        .then(pl.lit("blank"))
        .when(pl.col("_first").str.contains(TOTAL_RE))
        .then(pl.lit("total"))
        .when(pl.int_range(pl.len()) > last_multi)
        .then(pl.lit("footer"))
    ).drop("_filled", "_first")


def ensure_tables(con: duckdb.DuckDBPyConnection, c: Contract) -> None:
    raw_cols = ", ".join(f'"{col.name}" varchar' for col in c.columns)
    run(con, f"create table if not exists {c.raw_table} (load_id integer, source_line integer, {raw_cols})")
    stg_cols = ", ".join(f'"{col.name}" {SQL_TYPES[col.type]}' for col in c.columns)
    run(
        con,
        f"create table if not exists {c.stg_table} (load_id integer, source_line integer, "
        f"{stg_cols}, row_hash varchar)",
    )


def stage(con: duckdb.DuckDBPyConnection, raw: RawFile, load_id: int, cfg: Config, hash_key: str) -> Staged:
    c = raw.sniffed.match.contract
    m = raw.sniffed.match
    frame = classify(raw)
    out = Staged(rows_skipped=int(frame["_skip"].is_not_null().sum()))
    records = frame.filter(pl.col("_skip").is_null())
    out.rows_read = records.height
    ensure_tables(con, c)
    con.register("_file", records)
    try:
        _insert_raw(con, c, m.positions, load_id, hash_key)
        decimal_comma = raw.sniffed.delimiter == ";"
        out.date_order, fmts = _date_formats(con, c, load_id, cfg, decimal_comma)
        _check_grain(con, c, load_id, raw)
        tz = "$tz" if c.timezone else None
        typed_cols = ", ".join(
            f"{typed(f'r.{_q(col.name)}', col.type, fmts.get(col.name, []), decimal_comma, tz)} "
            f"as {_q(col.name)}, r.{_q(col.name)} as {_q('__raw_' + col.name)}"
            for col in c.columns
        )
        params = {"load_id": load_id, **({"tz": cfg.timezone(c.timezone)} if c.timezone else {})}
        run(
            con,
            f"""create or replace temp table _typed as
            select *, {_reasons_sql(c, m.headers)} as _reason from (
                select r.load_id, r.source_line, {typed_cols}
                from {c.raw_table} r where r.load_id = $load_id
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
        out.rows_rejected = _reject(con, raw, records, load_id)
        out.rows_loaded = _insert_stg(con, c)
        out.rows_duplicate = out.rows_read - out.rows_rejected - out.rows_loaded
    finally:
        con.unregister("_file")
    return out


def _q(name: str) -> str:
    return f'"{name}"'


def _insert_raw(con, c: Contract, positions: dict[str, int], load_id: int, hash_key: str) -> None:
    exprs = []
    for col in c.columns:
        if col.name not in positions:
            exprs.append("null")
            continue
        src = cell(positions[col.name])
        if col.type == "email_hash":  # personal data never lands in clear, not even in raw
            exprs.append(f"case when {is_blank(src)} then null else sha256($key || lower(trim({src}))) end")
        else:
            exprs.append(src)
    names = ", ".join(_q(col.name) for col in c.columns)
    run(
        con,
        f"insert into {c.raw_table} (load_id, source_line, {names}) select $load_id, _line, {', '.join(exprs)} from _file",
        {
            "load_id": load_id,
            **({"key": hash_key} if any(col.type == "email_hash" for col in c.columns) else {}),
        },
    )


SAMPLE_ROWS = 5000


def _date_formats(
    con, c: Contract, load_id: int, cfg: Config, decimal_comma: bool
) -> tuple[str, dict[str, list[str]]]:
    """Decide the day/month order once per file (a day above 12 settles it, else a `;` + decimal
    comma locale means day first), then each date column's format from a sample of its values,
    so typing runs one strptime per cell."""
    dates = [col for col in c.columns if col.type in ("date", "datetime", "month")]
    if not dates:
        return c.date_order, {}
    candidates = [(col.name, f) for col in dates for f in (*ISO, *FAMILIES["mdy"], *FAMILIES["dmy"])]
    hits = one(
        con,
        f"select {', '.join(format_hits(f'r.{_q(name)}', f) for name, f in candidates)} "
        f"from (select * from {c.raw_table} where load_id = ? limit {SAMPLE_ROWS}) r",
        [load_id],
    )
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


def _check_grain(con, c: Contract, load_id: int, raw: RawFile) -> None:
    """Meta exports without a breakdown by day carry a date range per row: refuse the file."""
    names = {col.name for col in c.columns}
    if not {"reporting_starts", "reporting_ends"} <= names or "date" not in raw.sniffed.match.positions:
        return
    starts = next(col for col in c.columns if col.name == "reporting_starts")
    if norm_header(raw.sniffed.match.headers["date"]) in {norm_header(h) for h in starts.headers}:
        n = one(  # "date" holds the "Reporting starts" cell here (contracts/meta_ads.toml)
            con,
            f"select count(*) from {c.raw_table} where load_id = ? and date is distinct from reporting_ends",
            [load_id],
        )[0]
        if n:
            raise LoadError(
                raw.path.name,
                f"is a {c.label} without a breakdown by day ({n} rows cover a date range).",
                "the report exported with Breakdown > By Time > Day.",
            )


def _reasons_sql(c: Contract, headers: dict[str, str]) -> str:
    """Why a row cannot be loaded, from its typed and raw cells: a required value is missing, or a
    value does not parse."""
    parts = []
    for col in c.columns:
        raw = _q("__raw_" + col.name)
        label = headers.get(col.name, col.headers[0]).replace("'", "''")
        if col.required:
            parts.append(f"case when {is_blank(raw)} then 'missing required value in \"{label}\"' end")
        parts.append(
            f"case when {_q(col.name)} is null and not {is_blank(raw)} then "
            f"'cannot read \"{label}\" value ''' || left(trim({raw}), 60) || ''' as {col.type}' end"
        )
    for condition, reason in c.checks:  # plausibility rules of the contract (absurd values)
        parts.append(f"case when coalesce({condition}, false) then '{reason.replace(chr(39), chr(39) * 2)}' end")
    return f"nullif(concat_ws('; ', {', '.join(parts)}), '')"


def _header_currency(c: Contract, headers: dict[str, str]) -> str | None:
    for col in c.columns:
        m = CURRENCY_SUFFIX.search(headers.get(col.name, "")) if col.type == "money" else None
        if m:
            return m.group(1)
    return None


def _has_currency(c: Contract) -> bool:
    return any(col.type == "money" for col in c.columns) and any(col.name == "currency" for col in c.columns)


def _reject(con, raw: RawFile, records: pl.DataFrame, load_id: int) -> int:
    """Structural problems (ragged rows) and parse failures go to rejected_rows with the raw line."""
    width = raw.width
    extra_cols = [cell(i) for i in range(width, len(raw.frame.columns) - 1)]
    structural = records.select(
        pl.col("_line"),
        pl.when(pl.any_horizontal(pl.col(c).fill_null("") != "" for c in extra_cols))
        .then(pl.lit(f"row has more fields than the header ({width})"))
        .when(pl.col(cell(width - 1)).is_null() & pl.lit(raw.sniffed.kind == "csv"))
        .then(pl.lit(f"row has fewer fields than the header ({width})"))
        .alias("_structural"),
    ).filter(pl.col("_structural").is_not_null())
    if structural.height:
        con.register("_structural", structural)
        run(
            con,
            """update _typed set _reason = concat_ws('; ', s._structural, _typed._reason)
               from _structural s where _typed.source_line = s._line""",
        )
        con.unregister("_structural")
    bad = con.execute(
        "select source_line, _reason from _typed where _reason is not null order by source_line"
    ).fetchall()
    if not bad:
        return 0
    lines = {line for line, _ in bad}
    texts = _raw_lines(raw, records.filter(pl.col("_line").is_in(lines)))
    many(
        con,
        "insert into rejected_rows values (?, ?, ?, ?, ?)",
        [(load_id, raw.path.name, line, texts.get(line, ""), reason) for line, reason in bad],
    )
    return len(bad)


def _raw_lines(raw: RawFile, rows: pl.DataFrame) -> dict[int, str]:
    """Rebuild the rejected records as CSV text, with personal-data cells redacted."""
    pii = {h.lower() for h in raw.sniffed.match.contract.pii}
    header = raw.sniffed.header
    width = raw.width
    out = {}
    for row in rows.iter_rows():
        cells = list(row[1 : width + 1])
        extras = list(row[width + 1 :])
        while extras and not extras[-1]:
            extras.pop()
        cells += extras
        while cells and cells[-1] is None:
            cells.pop()
        for i, h in enumerate(header[: len(cells)]):
            if h.lower() in pii and cells[i]:
                cells[i] = "[redacted]"
        buf = io.StringIO()
        csv.writer(buf, delimiter=raw.sniffed.delimiter if raw.sniffed.kind == "csv" else ",",
                   lineterminator="").writerow(["" if v is None else v for v in cells])  # fmt: skip
        out[row[0]] = buf.getvalue()
    return out


def _insert_stg(con, c: Contract) -> int:
    """Insert accepted rows unless identical to the row currently winning for their key."""
    cols = ", ".join(_q(col.name) for col in c.columns)
    key = ", ".join(_q(k) for k in c.key)
    join = " and ".join(f"cur.{_q(k)} is not distinct from n1.{_q(k)}" for k in c.key)
    hash_expr = (
        "md5(concat_ws('|', "
        + ", ".join(f"coalesce(cast({_q(col.name)} as varchar), '∅')" for col in c.columns)
        + "))"
    )
    before = one(con, f"select count(*) from {c.stg_table}")[0]
    run(
        con,
        f"""insert into {c.stg_table} (load_id, source_line, {cols}, row_hash)
        with n as (
            select *, {hash_expr} as row_hash from _typed where _reason is null
        ), n1 as (
            select * from n qualify row_number() over (partition by {key}, row_hash order by source_line) = 1
        ), cur as (
            select {key}, row_hash from {c.stg_table}
            qualify row_number() over (partition by {key} order by load_id desc, source_line desc) = 1
        )
        select load_id, source_line, {cols}, row_hash from n1
        where not exists (select 1 from cur where {join} and cur.row_hash = n1.row_hash)""",
    )
    return one(con, f"select count(*) from {c.stg_table}")[0] - before
