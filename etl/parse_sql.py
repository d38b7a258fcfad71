"""SQL expressions that turn a raw text cell into a typed value, per the column's contract type.

Everything here is a constant of ours (formats, regexes); values from files and config are always
bound as parameters by the caller. A cell that is not blank but does not parse yields NULL, which
etl/staging.py turns into a reject with a reason.
"""

from __future__ import annotations

from etl.currency import SYMBOLS

# Characters that change how text is shown without showing themselves: bidi embeddings, overrides
# and isolates (a rep named "\u202eabc" shows as "cba"), marks, and zero-width characters (two names
# that look identical but are not): Unicode's default-ignorable code points, with the line and
# paragraph separators (variation selectors U+FE00-FE0F stay: they choose an emoji's look). Every
# text and id cell of every export is stored with each of them written out as its escape (\u202e),
# the treatment file names get (etl/errors.py printable):
# every surface that shows data (app, CSV, digest, Slack, e-mail, summary) shows them as text
# (docs/decisions/0116-invisible-characters-are-written-out-at-load.md).
HIDDEN_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    (0x2028, 0x202E),  # line and paragraph separators; bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated format characters
    (0x3164, 0x3164),  # Hangul filler
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xE0000, 0xE007F),  # tag characters (text no one sees, e.g. hidden instructions)
)
HIDDEN = "".join(chr(c) for lo, hi in HIDDEN_RANGES for c in range(lo, hi + 1))
HIDDEN_CLASS = "[" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in HIDDEN_RANGES) + "]"


def visible(text: str) -> str:
    """`text` with each HIDDEN character written out as its escape: what `shown` does in SQL."""
    return "".join(_escape(ch) if ch in HIDDEN else ch for ch in text)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def shown(x: str) -> str:
    """SQL: text `x` with each HIDDEN character written out as its escape (a guard first: most
    cells have none)."""
    each = (
        f"lambda ch: case when regexp_matches(ch, {lit(HIDDEN_CLASS)}) then (case when unicode(ch) > 65535 "
        "then printf('\\U%08x', unicode(ch)) else printf('\\u%04x', unicode(ch)) end) else ch end"
    )
    out = f"array_to_string(list_transform(string_split({x}, ''), {each}), '')"
    return f"(case when regexp_matches({x}, {lit(HIDDEN_CLASS)}) then {out} else {x} end)"


BLANK_TOKENS = ("", "--", "-", "—", "n/a", "N/A", "null", "NULL", "(not set)", "none")

ISO = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%SZ",  # a date column's calendar date; datetimes read the zone (ZONED)
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
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
        "%d-%m-%Y %H:%M",  # Dutch UIs: 23-9-2026 14:05
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%y",  # German Salesforce locales: 23.09.26
        "%d.%m.%y %H:%M",
        "%d/%m/%y",
        "%d/%m/%Y %I:%M %p",
    ),
}
SQL_TYPES = {
    "text": "varchar",
    "label": "varchar",
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


def one_of(x: str, values: tuple[str, ...] | list[str]) -> str:
    """SQL: `x` equals one of our constants. Written as `=` ... `or`, not `in (...)`: DuckDB plans a
    constant list of ten as a join, one per use, which cost every typed batch 0.2 s on a 5-row file
    and doubled the cleaning of a 500k-row batch (docs/benchmarks.md)."""
    return "(" + " or ".join(f"{x} = {lit(v)}" for v in values) + ")"


def is_blank(x: str) -> str:
    return one_of(f"coalesce(trim({x}), '')", BLANK_TOKENS)


def cleaned(x: str) -> str:
    """The cell trimmed, or NULL when blank or a blank token ('--', 'n/a', ...)."""
    return f"(case when {is_blank(x)} then null else trim({x}) end)"


# Numbers are read by grammar, never by DuckDB's cast alone (it takes "NaN", "inf", "0x1A", "1e5",
# "1_000"). `number_core` strips what tools put around a number; what remains must match the
# grammar of the column's convention: "point" (1,234.56) or "comma" (1.234,56; "1 234,56" once
# spaces are stripped). A cell that matches exactly one grammar is evidence for it (etl/typecast.py);
# "1,234" matches both and is ambiguous. The first group of a thousands-grouped number never starts
# with 0, so "0,500" can only be a decimal.
GRAMMAR = {
    "point": r"^[-+]?([1-9]\d{0,2}(,\d{3})+|\d*)(\.\d+)?$",
    "comma": r"^[-+]?([1-9]\d{0,2}(\.\d{3})+|\d*)(,\d+)?$",
}
NUMBER_FORMATS = ("point", "comma")


def number_core(tx: str) -> str:
    """The cell without currency symbols and codes, %, spaces and apostrophes (thousands in
    "1 234,56" and "1'234.56"); "(12)" is an accounting negative."""
    stripped = rf"regexp_replace({tx}, '[(){SYMBOLS}%''\s\x{{00a0}}\x{{202f}}]|[A-Z]{{3}}', '', 'g')"
    return f"(case when {tx} like '(%)' then '-' || {stripped} else {stripped} end)"


def is_number(core: str, fmt: str) -> str:
    """`core` is a number in convention `fmt` (at least one digit, grammar of GRAMMAR[fmt])."""
    return f"({core} ~ {lit(GRAMMAR[fmt])} and {core} ~ '\\d')"


def number_text(tx: str, fmt: str | None, whole: bool = False, core: str | None = None) -> str:
    """The cell as a plain decimal text ('-1234.56'), or NULL when it is not a number in convention
    `fmt`. `fmt` None: nothing in the file says which separator is the decimal one, so only numbers
    without separators are read, except in whole-number columns (`whole`): a count cannot be 1.234,
    so a lone separator before three digits groups thousands there (Google's quoted "12,345").
    `core`: `number_core(tx)` computed once already (a column of a lower projection), so the statement
    does not repeat it in every branch (its size is what a batch pays to plan)."""
    core = core or number_core(tx)
    if fmt == "point":
        normal = f"replace({core}, ',', '')"
    elif fmt == "comma":
        normal = f"replace(replace({core}, '.', ''), ',', '.')"
    else:
        normal = f"replace(replace({core}, ',', ''), '.', '')" if whole else core
    if fmt:
        ok = is_number(core, fmt)
    elif whole:  # grouped thousands, one separator throughout, no decimals
        ok = f"({core} ~ '^[-+]?([1-9]\\d{{0,2}}(,\\d{{3}})+|[1-9]\\d{{0,2}}(\\.\\d{{3}})+|\\d+)$')"
    else:
        ok = f"({core} ~ '^[-+]?\\d+$')"
    plain = r"'^-?\d+$'" if fmt != "point" else r"'^-?\d*(\.\d+)?$'"
    # fast path: most cells are plain numbers (no symbol, no separator)
    return f"(case when {tx} ~ {plain} and {tx} ~ '\\d' then {tx} when {ok} then {normal} end)"


# A time that carries its own zone ("…10:00:00Z", ".000Z", "+01:00", "-0500", " UTC") is that
# instant, whatever zone the export's naive times are in: the zone is split off after the clock
# time, the rest read with the column's formats, the offset subtracted
# (docs/decisions/0110-a-time-with-its-own-zone-is-that-instant.md).
ZONED = r"^(.*\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
MAX_OFFSET_MINUTES = 14 * 60  # UTC-12 .. UTC+14: anything beyond is no zone, and rejects the row


def zoned_utc(tx: str, timed: list[str]) -> str:
    """UTC of a cell that carries its own zone (ZONED), read with the clock formats `timed`; NULL
    when the rest does not read or the offset is no real one ("+25:00", "+01:75")."""
    rest, zone = (f"regexp_extract({tx}, {lit(ZONED)}, {i})" for i in (1, 2))
    digits = f"replace(substr({zone}, 2), ':', '')"
    hours, minutes = f"try_cast(substr({digits}, 1, 2) as int)", f"coalesce(try_cast(nullif(substr({digits}, 3, 2), '') as int), 0)"
    offset = (
        f"(case when {zone} !~ '^[+-]' then 0 when {minutes} < 60 and {hours} * 60 + {minutes} <= {MAX_OFFSET_MINUTES} "
        f"then (case when {zone} like '-%' then -1 else 1 end) * ({hours} * 60 + {minutes}) end)"
    )
    return f"(try_strptime({rest}, {lits(timed)}) - to_minutes({offset}))"


def _numeric(type_: str, blank: str, text: str) -> str:
    """A number cell typed: a whole number (a fraction is no int), a finite double, or money to cents."""
    if type_ == "int":
        d = f"try_cast({text} as decimal(38,6))"
        return f"(case when {blank} then null when {d} = trunc({d}) then try_cast({d} as bigint) end)"
    if type_ == "number":
        return f"(case when {blank} then null when isfinite(try_cast({text} as double)) then try_cast({text} as double) end)"
    return f"(case when {blank} then null else try_cast(try_cast({text} as decimal(38,6)) as decimal(18,2)) end)"


def typed(
    x: str, type_: str, fmts: list[str], numbers: str | None, tz_param: str | None, clean: bool = False,
    core: str | None = None,
) -> str:
    """Typed expression for raw text column `x`; NULL when blank or unparseable.

    `fmts` are the date formats and `numbers` the number convention ("point", "comma" or None when
    undecided) chosen for this column of this file (etl/typecast.py). `clean`: `x` is
    already trimmed with blank tokens turned into NULL (see `cleaned`), so no cell is tested twice.
    `core`: for a number column, `number_core(x)` already computed (see `number_text`).
    """
    blank = f"({x} is null)" if clean else is_blank(x)
    tx = x if clean else f"trim({x})"
    if type_ == "text":
        return f"(case when {blank} then null else {shown(tx)} end)"
    if type_ == "label":  # a dimension value as written: '' and "(not set)" are values, never blank
        return f"(case when {x} is null then null else {shown(f'trim({x})')} end)"
    if type_ == "email_hash":  # hashed, never shown
        return f"(case when {blank} then null else {tx} end)"
    if type_ == "id":
        no_zero = rf"regexp_replace({tx}, '\.0$', '')"
        return f"(case when {blank} then null else {shown(no_zero)} end)"
    if type_ in ("int", "number", "money"):
        return _numeric(type_, blank, number_text(tx, numbers, whole=type_ == "int", core=core))
    if type_ == "bool":
        return (
            f"(case when {blank} then null when {one_of(f'lower({tx})', TRUE)} "
            f"then true when {one_of(f'lower({tx})', FALSE)} then false end)"
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
        timed = [f for f in (fmts or ISO) if "%H" in f or "%I" in f]
        zoned = f"when {tx} ~ {lit(ZONED)} then {zoned_utc(tx, timed)}"
        if tz_param is None:
            return f"(case when {blank} then null {zoned} else {ts} end)"
        # wall-clock times are in the export's zone; a date without a time is a calendar date
        # (Close Date 3/20/2026 is March 20 wherever the user sits): midnight UTC, not shifted
        dated = [f for f in fmts if f not in timed] or list(ISO[:1])
        local = f"try_strptime({tx}, {lits(timed)})" if timed else "null::timestamp"
        return (
            f"(case when {blank} then null {zoned} else coalesce(({local} at time zone {tz_param}) at time zone 'UTC', "
            f"try_strptime({tx}, {lits(dated)})) end)"
        )
    raise ValueError(type_)


def format_hits(x: str, fmt: str) -> str:
    """How many non-blank cells of `x` parse with one date format."""
    return f"count(*) filter (where not {is_blank(x)} and try_strptime(trim({x}), {lit(fmt)}) is not null)"
