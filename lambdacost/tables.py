"""Plain-text and HTML tables, and number formats, for results shown to people.

Kept free of pandas and rich so that ``lambdacost estimate`` starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CURRENCIES", "money", "unit_price", "count", "currency_of", "label_column", "text_table", "html_table"]

#: How an amount in each billing currency is written. Every AWS region bills in US dollars but
#: the two China regions, which bill in yuan; CNY is written as its code so that it is never
#: read as dollars (or as yen, which shares the sign).
CURRENCIES = {"USD": "$", "CNY": "CNY "}


def money(value: float, currency: str) -> str:
    """An amount rounded to cents (fen), the way AWS shows a bill line.

    Parameters
    ----------
    value : float
        The amount. [currency]
    currency : str
        ``"USD"`` or ``"CNY"`` (the region's billing currency, ``Rates.currency``).

    Examples
    --------
    >>> money(2.3333338, "USD"), money(-6.6666800, "USD"), money(-0.0, "USD"), money(1.36, "CNY")
    ('$2.33', '-$6.67', '$0.00', 'CNY 1.36')
    """
    cents = round(value, 2)
    sign = CURRENCIES[currency]
    return f"-{sign}{-cents:,.2f}" if cents < 0 else f"{sign}{abs(cents):,.2f}"


def unit_price(value: float, currency: str) -> str:
    """A unit price at its full published precision (no trailing zeros).

    Examples
    --------
    >>> unit_price(0.0000166667, "USD"), unit_price(2e-07, "USD"), unit_price(0.000113477, "CNY")
    ('$0.0000166667', '$0.0000002', 'CNY 0.000113477')
    """
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return f"{CURRENCIES[currency]}{text}"


def count(value: float) -> str:
    """A quantity with thousands separators, up to 4 decimals.

    Examples
    --------
    >>> count(1_000_000), count(60000.0), count(0.06)
    ('1,000,000', '60,000', '0.06')
    """
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def currency_of(result) -> str:
    """What a result's costs are in: its ``currency`` column or attribute (USD where it has none:
    a comparison, whose servers are priced in USD, or a table built by hand).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> currency_of(SimpleNamespace(currency="CNY")), currency_of(object())
    ('CNY', 'USD')
    """
    if hasattr(result, "columns"):
        return str(result["currency"].iloc[0]) if "currency" in result.columns and len(result) else "USD"
    return str(getattr(result, "currency", "USD"))


def label_column(text: str, rows: int):
    """One label ``rows`` times as a pandas categorical (a byte a row): a table's ``currency`` column.

    Examples
    --------
    >>> label_column("CNY", 3).tolist()
    ['CNY', 'CNY', 'CNY']
    """
    import numpy as np  # only for tables that are DataFrames: not at every start
    import pandas as pd

    return pd.Categorical.from_codes(np.zeros(rows, np.int8), categories=[text])


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Align columns; numbers right-aligned where ``right`` says so."""
    right = right or [False] * len(headers)
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]

    def line(cells):
        return "  ".join(str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A small HTML table for notebooks."""
    import html  # only notebooks need it; keeps CLI start-up lean

    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
