"""Currency symbols, said once: how money is shown (queries/values.py `currency_symbol`) and which
currency a symbol written inside an amount cell names (etl/typecast.py `cell_currency`,
docs/decisions/0111-a-currency-written-in-an-amount-cell-is-that-currency.md)."""

from __future__ import annotations

CURRENCY_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}  # other currencies show their code
# Other currencies that write the same symbol: "$5" in a row whose currency is CAD is 5 CAD, and in a
# CAD account's export without a currency column too; "$5" otherwise is USD.
ALSO_WRITTEN = {"$": ("CAD", "AUD", "NZD", "SGD", "HKD", "MXN"), "¥": ("CNY",)}
SYMBOLS = "".join(CURRENCY_SYMBOL.values())  # what etl/parse_sql.number_core strips around a number


def symbol_currencies(symbol: str) -> tuple[str, ...]:
    """The currencies `symbol` may stand for, the one it means alone first ("$": USD, CAD, ...)."""
    return (*(code for code, s in CURRENCY_SYMBOL.items() if s == symbol), *ALSO_WRITTEN.get(symbol, ()))
