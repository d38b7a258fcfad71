"""Type an export's raw text cells in SQL (etl/parse_sql.py). The file's conventions are decided
once, from every record it holds (`decide`: aggregates over its raw rows), then each batch is
typed; every cell that does not parse, or breaks a plausibility check of the contract, gives its row
a reason (`_typed._reason`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.config import Config
from etl.contracts import Contract
from etl.currency import CURRENCY_SYMBOL, SYMBOLS, symbol_currencies
from etl.db import execute, one, quoted
from etl.parse_sql import (
    BLANK_TOKENS,
    FAMILIES,
    ISO,
    NUMBER_FORMATS,
    is_number,
    lit,
    number_core,
    one_of,
    typed,
)

CURRENCY_SUFFIX = re.compile(r"\(([A-Z]{3})\)\s*$")
NUMERIC = ("int", "number", "money")
DATES = ("date", "datetime", "month")
NAMES = {"dmy": "day first", "mdy": "month first"}
MONEY_MAX = 10**16  # DECIMAL(18,2): 16 digits before the point


@dataclass
class Conventions:
    """How one file writes dates and numbers, decided from all of its records."""

    date_order: str  # mdy | dmy | ymd (no day/month cell in the file)
    date_formats: dict[str, list[str]] = field(default_factory=dict)  # column -> strptime formats
    numbers: dict[str, str | None] = field(default_factory=dict)  # column -> point | comma | None
    number_format: str | None = None  # what the load log says: point | comma | mixed | None
    note: str | None = None  # for the load's message: the day/month order came from config


def decide(con, c: Contract, load_id: int, cfg: Config) -> Conventions:
    """Day/month order, each date column's formats and each number column's decimal separator, from
    aggregates over every raw record of the file (`raw_<table> where load_id = ?`): one scan of the
    number columns, one of the date columns, memory flat whatever the file's size.

    Numbers: a cell that reads in exactly one convention ("0,5", "1.234,56", "1,234.56", "12.50") is
    evidence for it; the column follows the majority of its evidence, or the file's when it has none
    (one export, one locale), else stays undecided (see parse_sql.number_text). Dates: a first field
    above 12 says day first, a second one month first; the majority over all date columns decides,
    else a decimal comma in the file says day first, else the contract's order, else config
    [dates] ambiguous_order. Cells that disagree with what was decided are rejected with a reason."""
    nums = [col.name for col in c.columns if col.type in NUMERIC]
    dates = [col.name for col in c.columns if col.type in DATES]
    evidence = {name: (0, 0) for name in nums} | _number_evidence(con, c, load_id, nums)
    hits = {name: {} for name in dates} | _date_evidence(con, c, load_id, dates)
    day_first = sum(h.pop("day_first", 0) for h in hits.values())
    month_first = sum(h.pop("month_first", 0) for h in hits.values())

    file_wide = _majority(sum(p for p, _ in evidence.values()), sum(cm for _, cm in evidence.values()))
    numbers = {name: _majority(*evidence[name]) or file_wide for name in nums}
    used = {v for v in numbers.values() if v}
    number_format = used.pop() if len(used) == 1 else ("mixed" if used else None)

    ordered = sum(h.pop("day_month", 0) for h in hits.values()) > 0
    note = None
    if day_first != month_first:
        order = "dmy" if day_first > month_first else "mdy"
    elif not ordered:
        order = "ymd"
    else:
        order = _fallback(c, cfg, number_format == "comma")
        if order == cfg.ambiguous_order and number_format != "comma" and c.date_order not in FAMILIES:
            note = f"no date in the file says whether day or month comes first: read {NAMES[order]} (config [dates])"
    chosen = {}
    for name in dates:
        chosen[name] = sorted((*ISO, *FAMILIES.get(order, ()), *c.date_formats), key=lambda f: -hits[name].get(f, 0))
    return Conventions(order, chosen, numbers, number_format, note)


def _majority(point: int, comma: int) -> str | None:
    return "point" if point > comma else "comma" if comma > point else None


def _fallback(c: Contract, cfg: Config, decimal_comma: bool) -> str:
    """Day/month order of a file none of whose dates settles it."""
    if decimal_comma:  # no month-first locale writes "1 234,56"
        return "dmy"
    return c.date_order if c.date_order in FAMILIES else cfg.ambiguous_order


def _cells(c: Contract, load_id: int, names: list[str]) -> str:
    """The file's cells of columns `names`, one row each: (col, v) (blank tokens such as "n/a" stay:
    no grammar or date format reads them, so they are evidence for nothing)."""
    cols = ", ".join(quoted(n) for n in names)
    return (
        f"(select col, trim(v) as v from (unpivot (select {cols} from {c.raw_table} where load_id = $load_id) "
        f"on {cols} into name col value v))"
    )


def _number_evidence(con, c: Contract, load_id: int, nums: list[str]) -> dict[str, tuple[int, int]]:
    """Per number column: (cells only a decimal point reads, cells only a decimal comma reads). Cells
    are grouped by shape first (digits 1-9 as 9; 0 kept, "0,500" is no thousands group), so each
    grammar runs once per shape, not once per cell."""
    if not nums:
        return {}
    core = number_core("shape")
    only = {
        f: f"{is_number(core, f)} and not {is_number(core, other)}"
        for f, other in (NUMBER_FORMATS, NUMBER_FORMATS[::-1])
    }
    rows = con.execute(
        f"""select col, coalesce(sum(n) filter (where {only["point"]}), 0),
                   coalesce(sum(n) filter (where {only["comma"]}), 0)
            from (select col, translate(v, '123456789', '999999999') as shape, count(*) as n
                  from {_cells(c, load_id, nums)} where contains(v, ',') or contains(v, '.') group by all)
            group by col""",
        {"load_id": load_id},
    ).fetchall()
    return {name: (point, comma) for name, point, comma in rows}


# a day above 12 first (14/03/2026, 23.11.26) or second (3/14/2026): which field is the day
DAY_FIRST = r"^\s*(1[3-9]|2\d|3[01])[/.-](0?[1-9]|1[0-2])[/.-]\d\d"
MONTH_FIRST = r"^\s*(0?[1-9]|1[0-2])[/.-](1[3-9]|2\d|3[01])[/.-]\d\d"
DAY_MONTH = r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d\d"  # either order
# a cell against the file's decided order, and what its reject reason says
AGAINST = {
    "dmy": (MONTH_FIRST, "is month first, but the file''s other dates are day first"),
    "mdy": (DAY_FIRST, "is day first, but the file''s other dates are month first"),
}
FORMAT_SAMPLE = 10_000  # rows whose shapes order each date column's formats (speed only, see below)


def _date_evidence(con, c: Contract, load_id: int, dates: list[str]) -> dict[str, dict[str, int]]:
    """Per date column: how many cells have a first ("day_first") or second ("month_first") field
    above 12, over the whole file, and how many cells of a sample each candidate format reads. The
    formats only order the list typing tries (etl/parse_sql.typed): every format of the decided
    order stays in it, so a format first seen past the sample still reads."""
    if not dates:
        return {}
    fields = ", ".join(
        f"count(*) filter (where {quoted(n)} ~ {lit(f)})"
        for n in dates
        for f in (DAY_FIRST, MONTH_FIRST, DAY_MONTH)
    )
    counts = one(con, f"select {fields} from {c.raw_table} where load_id = ?", [load_id])
    candidates = (*ISO, *FAMILIES["mdy"], *FAMILIES["dmy"])
    tests = ", ".join(
        # a year >= 1000: `%Y` also reads "23.09.26" (year 26), which `%y` reads as 2026
        f"coalesce(sum(n) filter (where year(try_strptime(replace(shape, '9', '1'), {lit(f)})) >= 1000), 0)"
        for f in candidates
    )
    cols = ", ".join(quoted(n) for n in dates)
    sample = f"(select {cols} from {c.raw_table} where load_id = $load_id limit {FORMAT_SAMPLE})"
    rows = con.execute(
        f"""select col, {tests}
            from (select col, translate(trim(v), '0123456789', '9999999999') as shape, count(*) as n
                  from (unpivot {sample} on {cols} into name col value v) group by all)
            group by col""",
        {"load_id": load_id},
    ).fetchall()
    hits = {name: dict(zip(candidates, n, strict=True)) for name, *n in rows}
    return {
        name: {"day_first": counts[3 * i], "month_first": counts[3 * i + 1], "day_month": counts[3 * i + 2]}
        | hits.get(name, {})
        for i, name in enumerate(dates)
    }


def type_batch(con, raw, load_id: int, lines: tuple[int, int], cfg: Config, conv: Conventions) -> None:
    """`_typed`: the records of source lines `lines` (first, last) typed, with `_reason` for the ones
    that fail (etl/parse_sql.py)."""
    c, m = raw.sniffed.match.contract, raw.sniffed.match
    tz = "$tz" if c.timezone else None
    # each cell trimmed once, then blank tokens -> NULL, then a number's core (parse_sql.number_core)
    # once, then typed, then reasons: every step a projection over the one below, so no expression
    # repeats another's (a batch pays for the statement's size in planning, ~0.1 s on a tiny file)
    trimmed_cols = ", ".join(  # a label (GA4 dimension value) keeps '' and "(not set)": they count
        f"coalesce(trim(r.{quoted(col.name)}), '') as {quoted('__t_' + col.name)}" if col.type != "label"
        else f"r.{quoted(col.name)} as {quoted('__raw_' + col.name)}"
        for col in c.columns
    )
    cleaned_cols = ", ".join(  # = parse_sql.cleaned: a NULL cell trims to '', a blank token
        f"(case when {one_of(quoted('__t_' + col.name), BLANK_TOKENS)} then null else {quoted('__t_' + col.name)} end) "
        f"as {quoted('__raw_' + col.name)}" if col.type != "label" else quoted("__raw_" + col.name)
        for col in c.columns
    )
    core_cols = "".join(
        f", {number_core(quoted('__raw_' + col.name))} as {quoted('__core_' + col.name)}"
        for col in c.columns if col.type in NUMERIC
    )
    typed_cols = ", ".join(
        f"{typed(quoted('__raw_' + col.name), col.type, conv.date_formats.get(col.name, []), conv.numbers.get(col.name), tz, clean=True, core=quoted('__core_' + col.name) if col.type in NUMERIC else None)} "
        f"as {quoted(col.name)}, {quoted('__raw_' + col.name)}"
        for col in c.columns
    )
    failed, reasons = _reasons_sql(c, m.headers, conv)
    params = {
        "load_id": load_id,
        "first_line": lines[0],
        "last_line": lines[1],
        **({"tz": cfg.timezone(c.timezone)} if c.timezone else {}),
        **({"money_max": MONEY_MAX / max(1.0, *cfg.fx.values())} if "$money_max" in failed else {}),
    }
    # The reasons are written in a second statement, only when a row fails: their SQL is most of the
    # statement's size, and planning it cost every batch ~0.1 s CPU even when no row failed (a tiny
    # fixture file spends far more on planning than on its rows). '' marks a failing row until then.
    execute(
        con,
        f"""create or replace temp table _typed as
        select *, case when {failed} then '' end as _reason from (
            select load_id, source_line, {typed_cols} from (
                select *{core_cols} from (
                    select load_id, source_line, {cleaned_cols} from (
                        select r.load_id, r.source_line, {trimmed_cols}
                        from {c.raw_table} r
                        where r.load_id = $load_id and r.source_line between $first_line and $last_line
                    )
                )
            )
        )""",
        params,
    )
    if one(con, "select count(*) from _typed where _reason is not null")[0]:
        used = {k: v for k, v in params.items() if f"${k}" in reasons}
        execute(con, f"update _typed set _reason = {reasons} where _reason is not null", used)
    if _has_currency(c):
        currencies = {"header_currency": _header_currency(c, m.headers), "default_currency": cfg.default_currency}
        marked, currency, reason = cell_currency(c, m.headers)
        # the same gate: the update's SQL costs more to plan than most files have rows to mark
        if one(con, f"select count(*) from _typed where {marked}")[0]:
            execute(con, f"update _typed set currency = {currency}, _reason = {reason} where {marked}", currencies)
        execute(con, "update _typed set currency = upper(coalesce(currency, $header_currency, $default_currency))", currencies)
        execute(
            con,
            """update _typed set _reason = concat_ws('; ', _reason,
                   'no exchange rate for currency ''' || currency || ''' in config [fx]')
               where currency not in (select currency from config_fx)""",
        )


def _reasons_sql(c: Contract, headers: dict[str, str], conv: Conventions) -> tuple[str, str]:
    """(cheap test that a row fails, why it fails) from its typed cells and its cleaned raw cells
    (`__raw_*`, NULL when blank): a required value is missing, a value does not parse, or a
    plausibility check of the contract fails. The reason text is only built for failing rows."""
    tests, parts = [], []
    for col in c.columns:
        raw = quoted("__raw_" + col.name)
        label = headers.get(col.name, col.headers[0]).replace("'", "''")
        if col.required and not col.blank_ok:
            tests.append(f"{raw} is null")
            parts.append(f"case when {raw} is null then 'missing required value in \"{label}\"' end")
        tests.append(f"({quoted(col.name)} is null and {raw} is not null)")
        why = f"'cannot read \"{label}\" value ''' || left({raw}, 60) || ''' as {col.type}'"
        if col.type in NUMERIC:
            why = _number_why(raw, label, col.type, conv.numbers.get(col.name), why)
        elif col.type in DATES and conv.date_order in AGAINST:
            pattern, says = AGAINST[conv.date_order]
            value = f"'\"{label}\" value ''' || left({raw}, 60) || '''"
            why = f"(case when {raw} ~ {lit(pattern)} then {value} {says}' else {why} end)"
        parts.append(f"case when {quoted(col.name)} is null and {raw} is not null then {why} end")
        if col.type == "money":  # times an FX rate it must still fit (to_reporting, etl/sql/00_macros.sql)
            too_large = f"coalesce(abs({quoted(col.name)}) >= $money_max, false)"
            tests.append(too_large)
            parts.append(
                f"case when {too_large} then '\"{label}\" value ''' || left({raw}, 60) || ''' is out of range: "
                "beyond DECIMAL(18,2) once converted to the reporting currency' end"
            )
    for condition, reason in c.checks:  # plausibility rules of the contract (absurd values)
        tests.append(f"coalesce({condition}, false)")
        parts.append(
            f"case when coalesce({condition}, false) then '{reason.replace(chr(39), chr(39) * 2)}' end"
        )
    return " or ".join(tests) or "false", f"nullif(concat_ws('; ', {', '.join(parts)}), '')"


SEPARATORS = {"point": "decimal point (1,234.56)", "comma": "decimal comma (1.234,56)"}
RANGES = {"int": "BIGINT", "number": "DOUBLE", "money": "DECIMAL(18,2)"}


def _number_why(raw: str, label: str, type_: str, fmt: str | None, unreadable: str) -> str:
    """Why a number cell did not type: not a number at all (NaN, inf, 0x1A, 1e5), against the
    column's decimal separator, ambiguous with none decided, not whole in a count, or out of range."""
    core = number_core(raw)
    value = f"'\"{label}\" value ''' || left({raw}, 60) || '''"
    whens = [f"when not ({is_number(core, 'point')} or {is_number(core, 'comma')}) then {unreadable}"]
    if fmt:
        whens.append(
            f"when not {is_number(core, fmt)} then {value} contradicts the column''s {SEPARATORS[fmt]}'"
        )
    elif type_ != "int":  # counts read a lone separator before 3 digits as thousands (parse_sql.number_text)
        whens.append(
            f"when not {core} ~ '^[-+]?\\d+$' then {value} is ambiguous: nothing in the file says "
            "whether '','' or ''.'' is its decimal separator'"
        )
    if type_ == "int":
        digits = f"abs(try_cast(regexp_replace({core}, '[.,].*$', '') as double))"
        whens.append(f"when {digits} < 9e18 then {value} is not a whole number'")
    whens.append(f"else {value} is out of range for {type_} ({RANGES[type_]})'")
    return f"(case {' '.join(whens)} end)"


CODE = r"([A-Z]{3})"  # an ISO code before or after the number: "EUR 20,000.00", "1 234,56 CHF"


def cell_currency(c: Contract, headers: dict[str, str]) -> tuple[str, str, str]:
    """(rows whose amount cells name a currency, that currency, their `_reason` with disagreements
    added), over `_typed` before the row's currency falls back to the header or the default. A code
    or symbol written in an amount cell is the amount's currency: a symbol several currencies write
    ("$") is the row's currency (column, else header, else `[accounts] default_currency`) when that
    is one of them, else the one it means alone (etl/currency.py). It must agree with the row's
    currency column or header and with the row's other amounts, else the row is rejected
    (docs/decisions/0111-a-currency-written-in-an-amount-cell-is-that-currency.md)."""
    money = [col for col in c.columns if col.type == "money"]
    given = "upper(coalesce(currency, $header_currency))"
    row = f"coalesce({given}, upper($default_currency))"
    resolved, marks, parts = [], [], []
    against = "(case when currency is not null then 'the row''s currency is ' else 'the header says ' end)"
    for col in money:
        raw = quoted("__raw_" + col.name)
        code = f"nullif(regexp_extract({raw}, {lit(CODE)}, 1), '')"
        symbol = f"regexp_extract({raw}, {lit(f'([{SYMBOLS}])')}, 1)"
        whens = " ".join(
            f"when {symbol} = {lit(s)} then (case when {one_of(row, symbol_currencies(s))} "
            f"then {row} else {lit(symbol_currencies(s)[0])} end)"
            for s in sorted(set(CURRENCY_SYMBOL.values()))
        )
        cur = f"(case when {code} is not null then {code} {whens} end)"
        resolved.append(cur)
        marks.append(f"coalesce({raw} ~ {lit(f'[A-Z{SYMBOLS}]')}, false)")
        label = headers.get(col.name, col.headers[0]).replace("'", "''")
        value = f"'\"{label}\" value ''' || left({raw}, 60) || '''"
        parts.append(
            f"case when {_names_two(raw, code, symbol)} then {value} names more than one currency' "
            f"when {cur} <> {given} then {value} is in ' || {cur} || ', but ' || {against} || {given} end"
        )
    found = f"list_distinct([{', '.join(resolved)}])"  # without NULLs
    if len(money) > 1:
        parts.append(
            f"case when len({found}) > 1 then 'amounts in one row are written in different currencies: ' "
            f"|| array_to_string(list_sort({found}), ', ') end"
        )
    reason = f"nullif(concat_ws('; ', _reason, {', '.join(parts)}), '')"
    return " or ".join(marks), f"coalesce({', '.join(resolved)}, currency)", reason


def _names_two(raw: str, code: str, symbol: str) -> str:
    """SQL: the cell names two currencies ("5 USD EUR", "€5 USD", "£5 €"): two codes, two symbols,
    or a code its symbol never stands for. Booked in either, the amount would be a guess."""
    codes = f"len(list_distinct(regexp_extract_all({raw}, {lit(CODE)}, 1)))"
    symbols = f"len(list_distinct(regexp_extract_all({raw}, {lit(f'[{SYMBOLS}]')})))"
    against = " or ".join(
        f"({symbol} = {lit(s)} and not {one_of(code, symbol_currencies(s))})"
        for s in sorted(set(CURRENCY_SYMBOL.values()))
    )
    return f"({codes} > 1 or {symbols} > 1 or ({code} is not null and ({against})))"


def _header_currency(c: Contract, headers: dict[str, str]) -> str | None:
    for col in c.columns:
        m = CURRENCY_SUFFIX.search(headers.get(col.name, "")) if col.type == "money" else None
        if m:
            return m.group(1)
    return None


def _has_currency(c: Contract) -> bool:
    return any(col.type == "money" for col in c.columns) and any(col.name == "currency" for col in c.columns)

