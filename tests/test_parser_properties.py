"""Property-based tests (hypothesis) for the parsers every export goes through: money and numbers
in the ways tools write them, dates in every accepted order, and local times to UTC. The parsers
are the SQL expressions of etl/parse_sql.py, run in DuckDB exactly as the loader runs them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from etl.config import load_config
from etl.contracts import all_contracts
from etl.parse_sql import FAMILIES, ISO, typed
from etl.staging import ensure_tables
from etl.typecast import Conventions, decide
from tests.tiers import examples

CON = duckdb.connect()
MONEY = st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2,
                    allow_nan=False, allow_infinity=False)  # fmt: skip
ZONES = ["America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "UTC"]


def parse(value: str, type_: str, fmts: list[str] | None = None, numbers: str | None = "point",
          tz: str | None = None) -> object:  # fmt: skip
    """`numbers`: the column's decimal separator as etl/typecast.py decides it (None: undecided)."""
    expr = typed("$v", type_, fmts or [], numbers, "$tz" if tz else None)
    params = {"v": value} | ({"tz": tz} if tz else {})
    return CON.execute(f"select {expr}", params).fetchall()[0][0]


def written(amount: Decimal, style: str) -> str:
    """`amount` as tools write it."""
    sign, text = ("-" if amount < 0 else ""), f"{abs(amount):,.2f}"
    if style == "plain":
        return f"{amount:.2f}"
    if style == "thousands":  # Google "1,033.33"
        return sign + text
    if style == "dollar":  # Salesforce "$12,400.00"
        return f"{sign}${text}"
    if style == "accounting":  # "(12.00)"
        return f"({text})" if amount < 0 else text
    if style == "code":  # "1,234.50 USD"
        return f"{sign}{text} USD"
    if style == "comma":  # FR "1 234,56" (narrow no-break space, as Excel writes it)
        return sign + text.replace(",", "\u202f").replace(".", ",")
    raise ValueError(style)


@examples(150)
@given(MONEY, st.sampled_from(["plain", "thousands", "dollar", "accounting", "code"]))
def test_money_round_trips(amount, style):
    assert parse(written(amount, style), "money") == amount


@examples(100)
@given(MONEY)
def test_money_with_decimal_comma(amount):
    assert parse(written(amount, "comma"), "money", numbers="comma") == amount


@examples(100)
@given(st.integers(min_value=0, max_value=10**12))
def test_counts_with_thousands_separators(n):
    assert parse(f"{n:,}", "int") == n
    assert parse(str(n), "int") == n
    assert parse(f"{n:,}".replace(",", "."), "int", numbers="comma") == n
    # undecided (no decimal anywhere in the file): a count cannot be 1.234, so "12,345" is 12345
    assert parse(f"{n:,}", "int", numbers=None) == n


@examples(150)
@given(MONEY, st.sampled_from(["plain", "thousands", "dollar", "accounting", "code"]))
def test_a_decimal_point_amount_never_reads_as_decimal_comma(amount, style):
    """The 100x bug: "1,234.50" in a decimal-comma column is refused, never read as 1.23 or 123450."""
    text = written(amount, style)
    assume("." in text or "," in text)
    assert parse(text, "money", numbers="comma") is None


@examples(150)
@given(MONEY)
def test_a_decimal_comma_amount_never_reads_as_decimal_point(amount):
    text = written(amount, "comma").replace("\u202f", ".")  # "1.234,56"
    assume(text.lstrip("-") not in ("0,00",) and "," in text)
    assert parse(text, "money", numbers="point") is None


@examples(100)
@given(st.sampled_from(["NaN", "nan", "Inf", "-inf", "Infinity", "-Infinity", "0x1A", "1e5", "1.2E+3", "1_000",
                        "1E5", "12e-2", "--5", "1.2.3,4", "1,2,3.4.5", "$", "(", "12 34 USD EUR x"]),
       st.sampled_from(["point", "comma", None]))  # fmt: skip
def test_what_duckdb_would_cast_but_no_export_writes_is_refused(text, numbers):
    for type_ in ("money", "int", "number"):
        assert parse(text, type_, numbers=numbers) is None, (text, type_, numbers)


@examples(100)
@given(st.integers(min_value=10**16, max_value=10**30), st.sampled_from(["point", "comma", None]))
def test_amounts_beyond_decimal_18_2_are_refused_not_truncated(n, numbers):
    assert parse(str(n), "money", numbers=numbers) is None
    assert parse(str(n), "int", numbers=numbers) == (n if n < 2**63 else None)


@examples(100)
@given(st.text(alphabet="abcxyz!?#", min_size=1, max_size=8))
def test_text_that_is_no_number_never_becomes_one(junk):
    assert parse(junk, "money") is None and parse(junk, "int") is None and parse(junk, "number") is None


@examples(100)
@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from(["{:.2f}%", "{:.2f}"]))
def test_percentages(x, pattern):
    assert parse(pattern.format(x), "number") == pytest.approx(round(x, 2))


@examples(150)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
       st.sampled_from([f for f in (*ISO, *FAMILIES["mdy"], *FAMILIES["dmy"]) if "%H" not in f and "%I" not in f]))  # fmt: skip
def test_dates_in_every_accepted_format(day, fmt):
    text = day.strftime(fmt)
    if "%y" in fmt:
        assume(day.year >= 2000 and day.year <= 2068)  # two-digit years are 19xx/20xx by convention
    assert parse(text, "date", [fmt]) == day


@examples(150)
@given(st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31)), st.sampled_from(ZONES))
def test_local_times_convert_to_utc(local, zone):
    local = local.replace(second=0, microsecond=0)
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz)
    # skip wall times that do not exist or happen twice (DST changes): a report cannot mean them
    assume(aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local)
    assume(local.replace(tzinfo=tz, fold=1).utcoffset() == aware.utcoffset())
    expected = aware.astimezone(UTC).replace(tzinfo=None)
    text = f"{local.month}/{local.day}/{local.year} {(local.hour % 12) or 12}:{local.minute:02d} " + (
        "AM" if local.hour < 12 else "PM")  # fmt: skip
    assert parse(text, "datetime", ["%m/%d/%Y %I:%M %p"], tz=zone) == expected


@examples(150)
@given(st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31)),
       st.integers(min_value=-12 * 4, max_value=14 * 4), st.sampled_from(["Z", ".000Z", "+hh:mm", "+hhmm", " +hh:mm"]),
       st.sampled_from([*ZONES, None]))  # fmt: skip
def test_a_time_with_its_own_zone_is_that_instant(instant, quarters, style, zone):
    """Whatever the export's configured zone, a time written with `Z` or an offset is that instant
    in UTC: the configured zone applies only to naive times
    (docs/decisions/0110-a-time-with-its-own-zone-is-that-instant.md)."""
    instant = instant.replace(microsecond=0)
    offset = timedelta(minutes=15 * quarters) if "hh" in style else timedelta(0)
    local = instant + offset
    sign, minutes = ("-" if offset < timedelta(0) else "+"), abs(int(offset.total_seconds())) // 60
    zone_text = style.replace("+hh", f"{sign}{minutes // 60:02d}").replace("mm", f"{minutes % 60:02d}")
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + zone_text
    fmts = [*ISO, *FAMILIES["mdy"]]
    assert parse(text, "datetime", fmts, tz=zone) == instant


META = next(c for c in all_contracts() if c.name == "meta_ads")


def decided(spends: list[str], days: list[str]) -> tuple[Conventions, list]:
    """`decide` and typing over a Meta raw table holding these cells, as the loader runs them."""
    con = duckdb.connect()
    ensure_tables(con, META)
    con.executemany(
        f"insert into {META.raw_table} (load_id, source_line, spend, date) values (1, ?, ?, ?)",
        [(i + 2, s, d) for i, (s, d) in enumerate(zip(spends, days, strict=True))],
    )
    conv = decide(con, META, 1, load_config())
    fmt = conv.numbers["spend"]
    spend = typed("spend", "money", [], fmt, None)
    day = typed("date", "date", conv.date_formats["date"], fmt, None)
    return conv, con.execute(f"select {spend}, {day} from {META.raw_table} order by source_line").fetchall()


@examples(60)
@given(st.lists(st.tuples(MONEY, st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))),
                min_size=1, max_size=40),
       st.sampled_from(["thousands", "comma"]), st.booleans(), st.randoms(use_true_random=False))  # fmt: skip
def test_the_whole_file_decides_separator_and_day_month_order(rows, style, day_first, rnd):
    """Amounts in one locale's style and dates in one order, shuffled: wherever the deciding cells sit,
    every amount and every date is read right, or the file is undecided and nothing is guessed."""
    rnd.shuffle(rows)
    spends = [written(a, style).replace("\u202f", ".") for a, _ in rows]  # comma style: "1.234,56"
    days = [d.strftime("%d/%m/%Y" if day_first else "%m/%d/%Y") for _, d in rows]
    conv, values = decided(spends, days)
    # every cell has two decimals, so each one is evidence: the style always decides
    assert conv.numbers["spend"] == ("point" if style == "thousands" else "comma")
    assert [v for v, _ in values] == [a for a, _ in rows]
    if any(d.day > 12 for _, d in rows):  # one day above 12 anywhere settles the order
        assert conv.date_order == ("dmy" if day_first else "mdy")
    if conv.date_order == ("dmy" if day_first else "mdy"):
        assert [d for _, d in values] == [d for _, d in rows]
