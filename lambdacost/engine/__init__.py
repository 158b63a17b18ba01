"""The one model of the bill: checked usage and rates in, every meter's quantity and cost out.

Every user-facing function goes through here and nowhere else: :func:`check_scenario` is the one
input checker (scalars and arrays alike, one message per rule), :func:`meter` turns a checked
:class:`Scenario` into the month's :class:`Usage` meter by meter, and :func:`charges` prices a
usage at a :class:`RateTable` with the free amounts given. :func:`lambdacost.estimate` is the engine
on one scenario, :func:`~lambdacost.monthly_cost` its total over arrays, :func:`~lambdacost.sweep`
the engine over a grid, :func:`~lambdacost.bill` the engine per function with the tiers and the free
tier taken over the account.

The package reads in the order of a call: :mod:`~lambdacost.engine.model` (the keywords, the
components and the records passed along), :mod:`~lambdacost.engine.rates` (the sheets' rates per
element), :mod:`~lambdacost.engine.meters` (the rules of each meter),
:mod:`~lambdacost.engine.checks` (the checker) and :mod:`~lambdacost.engine.charges` (the prices).
A new meter is a check, a quantity and a charge, one in each of the last three, plus its rate in
the sheet.

Every function broadcasts element-wise like a ufunc (``np.where``/``np.minimum``, no loop over
elements); a meter whose inputs are scalar zeros is skipped, so the common case costs nothing extra.

Examples
--------
>>> from lambdacost.prices import default_pricebook
>>> book = default_pricebook()
>>> from datetime import date
>>> rates = rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1))
>>> scenario, _, _ = check_scenario(book, rates, 1536, 120, 3e6)
>>> usage = meter(scenario)
>>> print(usage.gb_seconds)
540000.0
>>> free = free_use(usage, book.free_tier, scenario.free_tier)
>>> print(round(total_cost(charges(usage, rates, free)), 2))
2.73
"""

from __future__ import annotations

from datetime import date  # noqa: F401  (the examples below use it)

from ..prices import PriceBook
from .charges import _sum, charge_rows, charges, components, components_in_use, pool_share, tier_notes, total_cost
from .checks import MAX_REQUESTS_PER_MONTH, check_scenario, check_scenario_ordered, element_limits
from .meters import free_use, meter
from .model import (
    COMPONENTS,
    ENGINE_ONLY_KEYWORDS,
    FREE_TIER_ORDER,
    METER_KEYWORDS,
    SCALAR_KEYWORDS,
    WARNING,
    Charge,
    FreeUse,
    Scenario,
    Usage,
    engine_only,
    meter_keywords,
)
from .rates import RateTable, init_is_billed, rate_table, resolve_pricebook

__all__ = [
    "METER_KEYWORDS",
    "COMPONENTS",
    "FREE_TIER_ORDER",
    "Usage",
    "FreeUse",
    "Scenario",
    "RateTable",
    "Charge",
    "rate_table",
    "check_scenario",
    "check_scenario_ordered",
    "meter",
    "free_use",
    "charges",
    "charge_rows",
    "total_cost",
    "components",
    "components_in_use",
    "price",
    "price_scenario",
    "init_is_billed",
    "resolve_pricebook",
    "meter_keywords",
    "tier_notes",
    "pool_share",
    "element_limits",
    "ENGINE_ONLY_KEYWORDS",
    "engine_only",
    "WARNING",
    "SCALAR_KEYWORDS",
    "MAX_REQUESTS_PER_MONTH",
]


def price(book: PriceBook, rates: RateTable, memory_mb, duration_ms, requests, **keywords) -> dict:
    """The whole engine on scenarios alone in an account: check, meter, free tier, charges.

    Parameters
    ----------
    book : PriceBook
    rates : RateTable
        From :func:`rate_table`.
    memory_mb, duration_ms, requests, **keywords
        As :func:`check_scenario` takes them.

    Returns
    -------
    dict
        :data:`COMPONENTS`, ``gb_seconds`` and ``cost``, each broadcast over the scenarios.

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> book = default_pricebook()
    >>> parts = price(book, rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1)), 1536, 120, 3e6)
    >>> round(parts["duration_cost"], 6), round(parts["requests_cost"], 2), round(parts["cost"], 6)
    (2.333338, 0.4, 2.733338)
    """
    scenario, _, _ = check_scenario(book, rates, memory_mb, duration_ms, requests, **keywords)
    return price_scenario(book, scenario, rates)


def price_scenario(book: PriceBook, scenario: Scenario, rates: RateTable) -> dict:
    """:func:`price` of a checked scenario: meters, the free tier of one function alone, charges."""
    usage = meter(scenario)
    items = charges(usage, rates, free_use(usage, book.free_tier, scenario.free_tier))
    out = components(items)
    out["cost"] = _sum(out)
    out["gb_seconds"] = usage.gb_seconds
    return out
