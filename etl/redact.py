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


def redact_expr(col: str, phones: bool = True) -> pl.Expr:
    """The same for a polars text column (cells without '@' or digits are not scanned)."""
    e = pl.col(col)
    e = pl.when(e.str.contains("@", literal=True)).then(e.str.replace_all(EMAIL, EMAIL_MARK)).otherwise(e)
    if phones:
        e = e.str.replace_all(PHONE, PHONE_MARK)
    return e.alias(col)


def found(text: str) -> list[str]:
    """Every e-mail address and phone number in a text (for tests and checks)."""
    return _EMAIL_RE.findall(text) + _PHONE_RE.findall(text)
