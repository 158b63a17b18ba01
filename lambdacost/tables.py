"""Plain-text and HTML tables, and number formats, for results shown to people.

Kept free of pandas and rich so that ``lambdacost estimate`` starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["usd", "rate", "count", "text_table", "html_table"]


def usd(value: float) -> str:
    """Dollars rounded to cents, the way AWS shows a bill line.

    Examples
    --------
    >>> usd(2.3333338), usd(-6.6666800), usd(-0.0)
    ('$2.33', '-$6.67', '$0.00')
    """
    cents = round(value, 2)
    return f"-${-cents:,.2f}" if cents < 0 else f"${abs(cents):,.2f}"


def rate(value: float) -> str:
    """A unit price at its full published precision (no trailing zeros).

    Examples
    --------
    >>> rate(0.0000166667), rate(2e-07)
    ('$0.0000166667', '$0.0000002')
    """
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return f"${text}"


def count(value: float) -> str:
    """A quantity with thousands separators, up to 4 decimals.

    Examples
    --------
    >>> count(1_000_000), count(60000.0), count(0.06)
    ('1,000,000', '60,000', '0.06')
    """
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
