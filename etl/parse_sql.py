"""SQL expressions that turn a raw text cell into a typed value, per the column's contract type.

Everything here is a constant of ours (formats, regexes); values from files and config are always
bound as parameters by the caller. A cell that is not blank but does not parse yields NULL, which
etl/stage.py turns into a reject with a reason.
"""

from __future__ import annotations

BLANK_TOKENS = ("", "--", "-", "—", "n/a", "N/A", "null", "NULL", "(not set)", "none")

ISO = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d",
)
FAMILIES = {
    "mdy": (
        "%m/%d/%Y",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%y",
        "%m/%d/%y %I:%M %p",
        "%m-%d-%Y",
    ),
    "dmy": (
        "%d/%m/%Y",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d.%m.%Y",
        "%d.%m.%Y %H:%M",
        "%d-%m-%Y",
        "%d/%m/%y",
        "%d/%m/%Y %I:%M %p",
    ),
}
SQL_TYPES = {
    "text": "varchar",
    "id": "varchar",
    "email_hash": "varchar",
    "int": "bigint",
    "number": "double",
    "money": "decimal(18,2)",
    "date": "date",
    "month": "date",
    "datetime": "timestamp",
    "bool": "boolean",
}
TRUE = ("true", "1", "yes", "y", "checked", "x", "wahr", "vrai")
FALSE = ("false", "0", "no", "n", "unchecked", "falsch", "faux")


def lit(s: str) -> str:
    """Quote one of our own constants as a SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def lits(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(lit(i) for i in items) + "]"


def is_blank(x: str) -> str:
    return f"(coalesce(trim({x}), '') in ({', '.join(lit(t) for t in BLANK_TOKENS)}))"


def cleaned(x: str) -> str:
    """The cell trimmed, or NULL when blank or a blank token ('--', 'n/a', ...)."""
    return f"(case when {is_blank(x)} then null else trim({x}) end)"


def numeric_text(x: str, decimal_comma: bool, tx: str | None = None) -> str:
    """Strip currency symbols and codes, %, spaces and thousands separators; (12) means -12."""
    tx = tx or f"trim({x})"
    stripped = rf"regexp_replace({tx}, '[()$€£¥%''\s\x{{00a0}}\x{{202f}}]|[A-Z]{{3}}', '', 'g')"
    if decimal_comma:
        stripped = f"replace(replace({stripped}, '.', ''), ',', '.')"
    else:
        stripped = f"replace({stripped}, ',', '')"
    return f"(case when {tx} like '(%)' then '-' || {stripped} else {stripped} end)"


def typed(
    x: str, type_: str, fmts: list[str], decimal_comma: bool, tz_param: str | None, clean: bool = False
) -> str:
    """Typed expression for raw text column `x`; NULL when blank or unparseable.

    `fmts` are the date formats chosen for this column of this file (etl/stage.py). `clean`: `x` is
    already trimmed with blank tokens turned into NULL (see `cleaned`), so no cell is tested twice.
    """
    blank = f"({x} is null)" if clean else is_blank(x)
    tx = x if clean else f"trim({x})"
    if type_ in ("text", "email_hash"):
        return f"(case when {blank} then null else {tx} end)"
    if type_ == "id":
        return rf"(case when {blank} then null else regexp_replace({tx}, '\.0$', '') end)"
    num = numeric_text(x, decimal_comma, tx)
    plain = f"try_cast({tx} as double)"  # fast path: most cells are plain numbers
    if type_ == "int":
        return (
            rf"(case when {blank} then null when {tx} ~ '^-?\d+$' then try_cast({tx} as bigint) "
            rf"when {num} ~ '^-?\d+(\.0+)?$' then try_cast(split_part({num}, '.', 1) as bigint) end)"
        )
    if type_ == "number":
        return f"(case when {blank} then null when {plain} is not null and not {decimal_comma} then {plain} else try_cast({num} as double) end)"
    if type_ == "money":
        exact = f"try_cast(try_cast({tx} as decimal(38,6)) as decimal(18,2))"
        cleaned = f"try_cast(try_cast({num} as decimal(38,6)) as decimal(18,2))"
        if decimal_comma:
            return f"(case when {blank} then null else {cleaned} end)"
        return f"(case when {blank} then null when {exact} is not null then {exact} else {cleaned} end)"
    if type_ == "bool":
        return (
            f"(case when {blank} then null when lower({tx}) in ({', '.join(lit(t) for t in TRUE)}) "
            f"then true when lower({tx}) in ({', '.join(lit(t) for t in FALSE)}) then false end)"
        )
    if type_ == "month":
        return (
            f"(case when {blank} then null else coalesce(try_strptime({tx}, '%Y-%m'), "
            f"try_strptime({tx}, {lits(list(fmts) or list(ISO))}))::date end)"
        )
    fmt = lit(fmts[0]) if len(fmts) == 1 else lits(list(fmts) or list(ISO))
    ts = f"try_strptime({tx}, {fmt})"
    if type_ == "date":
        return f"(case when {blank} then null else {ts}::date end)"
    if type_ == "datetime":
        if tz_param is None:
            return f"(case when {blank} then null else {ts} end)"
        # wall-clock times are in the export's zone; a date without a time is a calendar date
        # (Close Date 3/20/2026 is March 20 wherever the user sits): midnight UTC, not shifted
        timed = [f for f in fmts if "%H" in f or "%I" in f]
        dated = [f for f in fmts if f not in timed] or list(ISO[:1])
        local = f"try_strptime({tx}, {lits(timed)})" if timed else "null::timestamp"
        return (
            f"(case when {blank} then null else coalesce(({local} at time zone {tz_param}) at time zone 'UTC', "
            f"try_strptime({tx}, {lits(dated)})) end)"
        )
    raise ValueError(type_)


def format_hits(x: str, fmt: str) -> str:
    """How many non-blank cells of `x` parse with one date format."""
    return f"count(*) filter (where not {is_blank(x)} and try_strptime(trim({x}), {lit(fmt)}) is not null)"
