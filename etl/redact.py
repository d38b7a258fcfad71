"""E-mail addresses and phone numbers, found by pattern wherever they sit in a row.

Redacting the CRM's personal-data columns by name is not enough: a shifted row, a free-text note
or a column Revline does not know puts them anywhere. etl/read.py redacts every cell by pattern
before anything reaches the warehouse (the e-mail column itself is hashed in SQL), so no table, no
rejected raw line and no freed block of the DuckDB file can hold them. The patterns are written for
both Rust (polars) and Python `re`: no look-around.

Phone shapes: international (`+44 20 7946 0958`), North American (`(555) 123-4567`,
`555-123-4567`, `555.123.4567`) and national trunk-prefix numbers (`020 7946 0958`,
`06 12 34 56 78`, `0171-1234567`). None of them matches a date, a time, an amount or a plain
digit ID; Google Ads account IDs (`123-456-7890`) do, so ID columns of exports that carry no
personal data (ad reports) are left alone (`phone_safe`).
"""

from __future__ import annotations

import re

import polars as pl

EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
PHONE = (
    r"\+\d(?:[ \-]?\(?\d\)?){7,14}"  # international, 8 to 15 digits (E.164)
    r"|\(\d{3}\) ?\d{3}[ \-.]\d{4}\b"  # (555) 123-4567
    r"|\b\d{3}[\-.]\d{3}[\-.]\d{4}\b|\b\d{3} \d{3} \d{4}\b"  # 555-123-4567, 555.123.4567
    r"|\b0\d{1,4}(?:(?: \d{2,4}){2,4}| \d{6,8}|-\d{5,8})\b"  # 020 7946 0958, 0171-1234567
)
EMAIL_MARK, PHONE_MARK = "[email]", "[phone]"
_EMAIL_RE, _PHONE_RE = re.compile(EMAIL), re.compile(PHONE)


def redact_text(text: str) -> str:
    """A text with every e-mail address and phone number replaced by a mark."""
    return _PHONE_RE.sub(PHONE_MARK, _EMAIL_RE.sub(EMAIL_MARK, text))


# the same patterns for polars' Rust engine, ASCII-only (`\b` and `\d` as ASCII run on its fast DFA)
RS_EMAIL = EMAIL
RS_PHONE = PHONE.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]")


def redact_frame(
    frame: pl.DataFrame, columns: list[str], keep_phones: set[str] = frozenset()
) -> pl.DataFrame:
    """`frame` with e-mails and phones redacted in `columns` (phones not in `keep_phones`). Each
    column is searched first and rewritten only if it holds one: most hold none."""
    cols = [c for c in columns if c in frame.columns]
    if not cols:
        return frame
    hits = frame.select(
        *(pl.col(c).str.contains("@", literal=True).any().alias(f"e{i}") for i, c in enumerate(cols)),
        *(
            pl.col(c).str.contains(RS_PHONE).any().alias(f"p{i}")
            for i, c in enumerate(cols)
            if c not in keep_phones
        ),
    ).row(0, named=True)
    fixes = {}
    for i, c in enumerate(cols):
        e = pl.col(c)
        if hits[f"e{i}"]:
            e = e.str.replace_all(RS_EMAIL, EMAIL_MARK)
        if hits.get(f"p{i}"):
            e = e.str.replace_all(RS_PHONE, PHONE_MARK)
        if hits[f"e{i}"] or hits.get(f"p{i}"):
            fixes[c] = e
    return frame.with_columns(e.alias(c) for c, e in fixes.items()) if fixes else frame


def found(text: str) -> list[str]:
    """Every e-mail address and phone number in a text (for tests and checks)."""
    return _EMAIL_RE.findall(text) + _PHONE_RE.findall(text)
