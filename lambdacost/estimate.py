"""One function-month priced and explained (:func:`estimate`), and the same model
vectorized over any number of scenarios (:func:`monthly_cost`).

Both validate their inputs here, at the edge, then call the numpy core in
:mod:`lambdacost.billing`; neither adds arithmetic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from . import billing
from .errors import InvalidParameterError
from .prices import ARCHITECTURES, PriceBook, Rates, default_pricebook
from .tables import count, html_table, rate, text_table, usd
from .validation import check_choice, check_numeric, requests_per_month_factor, to_date

__all__ = ["LineItem", "Estimate", "estimate", "monthly_cost", "MAX_DURATION_MS"]

MAX_DURATION_MS = 900_000  # 15 minutes, Lambda's longest timeout
#: Rows of a nditer block: small enough that every temporary stays in cache.
BLOCK_SIZE = 1 << 13


@dataclass(frozen=True)
class LineItem:
    """One line of a bill: ``quantity`` [``unit``] x ``rate_usd`` = ``cost_usd``.

    Free-tier credits are line items with a negative quantity and cost.
    """

    name: str
    quantity: float
    unit: str
    rate_usd: float
    cost_usd: float
    source_url: str = ""
    read_on: str = ""


@dataclass(frozen=True)
class Estimate:
    """A priced function-month with everything needed to explain it.

    Attributes
    ----------
    inputs : dict
        What was asked, after parsing (``memory_mb``, ``duration_ms``, ``requests``, ...).
    line_items : tuple of LineItem
        Each meter and each free-tier credit.
    billed_duration_ms, gb_seconds, storage_gb_seconds : float
        The quantities behind the line items. [ms], [GB-s], [GB-s]
    pricing : dict
        Provenance: pricing stamp, sheet, era, region, read date, source URL.
    assumptions : tuple of str
        Anything the price rests on that is not read from a source.
    """

    inputs: dict
    line_items: tuple[LineItem, ...]
    billed_duration_ms: float
    gb_seconds: float
    storage_gb_seconds: float
    pricing: dict
    assumptions: tuple[str, ...] = ()
    _rates: Rates | None = field(default=None, repr=False, compare=False)

    @property
    def total_usd(self) -> float:
        """The month's total. [USD]"""
        return float(sum(item.cost_usd for item in self.line_items))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``total_usd``, ``line_items``, ``inputs``, ``pricing``, ``assumptions``."""
        return {
            "total_usd": self.total_usd,
            "line_items": [item.__dict__.copy() for item in self.line_items],
            "inputs": dict(self.inputs),
            "pricing": dict(self.pricing),
            "assumptions": list(self.assumptions),
        }

    def to_frame(self):
        """The line items as a pandas DataFrame (one row per item)."""
        import pandas as pd

        return pd.DataFrame([item.__dict__ for item in self.line_items])

    def _rows(self):
        return [[i.name, count(i.quantity), i.unit, rate(i.rate_usd), usd(i.cost_usd)] for i in self.line_items]

    _HEADERS = ("item", "quantity", "unit", "rate", "cost")

    def __str__(self) -> str:
        table = text_table(self._HEADERS, self._rows() + [["total", "", "", "", usd(self.total_usd)]], [False, True, False, True, True])
        return f"{self._title()}\n\n{table}"

    def _title(self) -> str:
        i = self.inputs
        return (
            f"{count(i['memory_mb'])} MB, {count(i['duration_ms'])} ms, {count(i['requests'])} requests/month, "
            f"{i['arch']}, {i['region']} (prices {self.pricing['stamp']}, {self.pricing['era']} billing)"
        )

    def _repr_html_(self) -> str:
        rows = self._rows() + [["total", "", "", "", usd(self.total_usd)]]
        return html_table(self._HEADERS, rows, caption=self._title())

    def explain(self) -> str:
        """The derivation, step by step, in words and numbers."""
        from .explain import explain_estimate

        return explain_estimate(self, self._rates)


def _resolve(book: PriceBook | None, as_of) -> tuple[PriceBook, date]:
    book = book or default_pricebook()
    day = to_date(as_of, book.earliest) or date.today()
    return book, day


def estimate(
    memory_mb,
    duration_ms,
    requests,
    *,
    arch: str = "x86_64",
    region: str = "us-east-1",
    ephemeral_storage_mb=512,
    free_tier: bool = True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
) -> Estimate:
    """Price one Lambda function for one month, line by line.

    Parameters
    ----------
    memory_mb : int
        Allocated memory. [MB; 128..10240 in 1 MB steps, 128..3008 in 64 MB steps
        before 2020-12-01]
    duration_ms : float
        Average duration of one invocation, as the REPORT line's ``Duration``. [ms]
    requests : float
        Invocations per month, or per ``requests_per``. [count]
    arch : {"x86_64", "arm64"}
    region : str
        AWS region code. [e.g. "eu-west-1"]
    ephemeral_storage_mb : int, default 512
        Configured /tmp; above 512 MB it is billed. [MB]
    free_tier : bool, default True
        Apply the monthly free tier (1M requests, 400,000 GB-s) to this function alone.
    as_of : date or str, optional
        Billing date; selects the price era. Default today.
    requests_per : {"month", "day", "hour", "minute", "second"}
        Unit of ``requests``; months are AWS's 730 hours.
    pricebook : PriceBook, optional
        Prices to use; default the packaged sheets (or ``$LAMBDACOST_PRICING_DIR``).

    Returns
    -------
    Estimate

    Examples
    --------
    512 MB, 120 ms, 5 million requests: 0.5 GB x 0.12 s x 5e6 = 300,000 GB-s, all inside
    the free tier; 4 million requests billed at $0.20 per million.

    >>> from lambdacost import estimate
    >>> e = estimate(512, 120, 5_000_000, as_of="2026-11-01")
    >>> e.gb_seconds, round(e.total_usd, 2)
    (300000.0, 0.8)
    """
    book, day = _resolve(pricebook, as_of)
    check_choice("arch", arch, ARCHITECTURES)
    rates = book.rates(region, arch, day)
    memory, duration, monthly, storage = _checked(rates, memory_mb, duration_ms, requests, ephemeral_storage_mb, requests_per)
    billed = float(billing.billed_duration_ms(duration, rates.granularity_ms))
    usage = float(billing.gb_seconds(memory, billed, monthly))
    storage_usage = float(billing.ephemeral_storage_gb_seconds(storage, billed, monthly))
    free = rates.free_tier
    free_requests = min(monthly, free.requests) if free_tier else 0.0
    free_usage = float(billing.free_gb_seconds_used(usage, free.gb_seconds)) if free_tier else 0.0
    source = (rates.source.url, rates.source.read_on.isoformat())
    free_source = (free.source.url, free.source.read_on.isoformat())
    items = [LineItem("requests", monthly, "requests", rates.request_usd, monthly * rates.request_usd, *source)]
    if free_requests:
        items.append(LineItem("requests free tier", -free_requests, "requests", rates.request_usd, -free_requests * rates.request_usd, *free_source))
    quantities = billing.tier_gb_seconds(usage, rates.tier_from_gb_seconds)
    for tier, (quantity, tier_rate) in enumerate(zip(quantities, rates.tier_usd_per_gb_second), start=1):
        if tier == 1 or quantity > 0:
            name = "duration" if len(quantities) == 1 else f"duration tier {tier}"
            items.append(LineItem(name, float(quantity), "GB-s", tier_rate, float(quantity) * tier_rate, *source))
    if free_usage:
        first = rates.tier_usd_per_gb_second[0]
        items.append(LineItem("duration free tier", -free_usage, "GB-s", first, -free_usage * first, *free_source))
    if storage_usage:
        storage_rate = rates.ephemeral_storage_usd_per_gb_second
        items.append(LineItem("ephemeral storage", storage_usage, "GB-s", storage_rate, storage_usage * storage_rate, *source))
    inputs = {
        "memory_mb": memory,
        "duration_ms": duration,
        "requests": monthly,
        "arch": arch,
        "region": region,
        "ephemeral_storage_mb": storage,
        "free_tier": bool(free_tier),
        "as_of": day.isoformat(),
    }
    pricing = {
        "stamp": book.stamp,
        "sheet": "lambda.toml",
        "era": rates.era.name,
        "granularity_ms": rates.granularity_ms,
        "region": rates.region,
        "region_name": rates.region_name,
        "source_url": rates.source.url,
        "read_on": rates.source.read_on.isoformat(),
        "free_tier_source_url": free.source.url,
    }
    return Estimate(inputs, tuple(items), billed, usage, storage_usage, pricing, rates.assumptions, rates)


def _checked(rates: Rates, memory_mb, duration_ms, requests, storage_mb, requests_per):
    """Validate the numeric inputs against the era's limits; return them as float64."""
    era = rates.era
    memory = check_numeric("memory_mb", memory_mb, era.memory_mb_min, era.memory_mb_max, "MB", step=era.memory_mb_step)
    duration = check_numeric("duration_ms", duration_ms, 0, era.max_duration_ms, "ms")
    monthly = check_numeric("requests", requests, 0, np.inf, "requests") * requests_per_month_factor(requests_per)
    if rates.ephemeral_storage_mb_max == 512 and np.any(np.asarray(storage_mb) != 512):
        raise InvalidParameterError("ephemeral_storage_mb", f"512 MB on {rates.as_of} (configurable /tmp came later)", storage_mb)
    storage = check_numeric("ephemeral_storage_mb", storage_mb, 512, rates.ephemeral_storage_mb_max, "MB", step=1)
    return memory, duration, monthly, storage


def monthly_cost(
    memory_mb,
    duration_ms,
    requests,
    *,
    arch="x86_64",
    region="us-east-1",
    ephemeral_storage_mb=512,
    free_tier=True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
):
    """Monthly cost of many scenarios at once, element-wise; the model of :func:`estimate`.

    Each element is one function alone in an account-month. Inputs broadcast like numpy
    ufuncs: scalars in, float out; arrays in, an array out; a pandas Series in, a Series
    on its index out (named ``cost_usd``). ``arch`` and ``region`` may be arrays too.

    Parameters
    ----------
    memory_mb, duration_ms, requests, ephemeral_storage_mb : numeric
        As in :func:`estimate`. [MB], [ms], [count], [MB]
    arch, region : str or array-like of str
    free_tier : bool or array-like of bool
    as_of : date or str, optional
        One billing date for all elements.
    requests_per : str
        Unit of ``requests``.
    pricebook : PriceBook, optional

    Returns
    -------
    float, ndarray or Series
        [USD]

    Examples
    --------
    Ten million 120 ms requests at three memory sizes: 128 MB stays inside the free
    GB-s (150,000 GB-s), so only the 9 million billable requests cost ($1.80).

    >>> import numpy as np
    >>> from lambdacost import monthly_cost
    >>> costs = monthly_cost(np.array([128, 512, 1024]), 120, 10_000_000, as_of="2026-11-01")
    >>> np.round(costs, 2).tolist()
    [1.8, 5.13, 15.13]
    """
    book, day = _resolve(pricebook, as_of)
    index = _pandas_index(memory_mb, duration_ms, requests, ephemeral_storage_mb, arch, region, free_tier)
    check_choice("arch", arch, ARCHITECTURES)
    rates = _rate_operands(book, arch, region, day)
    reference = rates.pop("_reference")
    factor = requests_per_month_factor(requests_per)
    free = np.asarray(free_tier, dtype=bool)
    tiers = len(reference.tier_usd_per_gb_second)

    def kernel(memory_mb, duration_ms, requests, storage_mb, tier_rate_0, **operands):
        # Checked block by block, while the block is in cache; the first bad value is named.
        memory, duration, monthly, storage = _checked(reference, memory_mb, duration_ms, requests, storage_mb, "month")
        return billing.monthly_cost_usd(
            memory,
            duration,
            monthly * factor if factor != 1 else monthly,
            storage_mb=storage,
            granularity_ms=reference.granularity_ms,
            tier_usd_per_gb_second=(tier_rate_0, *(operands.pop(f"tier_rate_{i}") for i in range(1, tiers))),
            tier_from_gb_seconds=(0, *(operands.pop(f"tier_start_{i}") for i in range(1, tiers))),
            **operands,
        )

    operands = {
        "memory_mb": memory_mb,
        "duration_ms": duration_ms,
        "requests": requests,
        "storage_mb": ephemeral_storage_mb,
        "free_requests": free * reference.free_tier.requests,
        "free_gb_seconds": free * reference.free_tier.gb_seconds,
        **rates,
    }
    result = _blockwise(kernel, operands)
    if index is not None:
        import pandas as pd

        return pd.Series(result, index=index, name="cost_usd")
    return float(result) if np.ndim(result) == 0 else result


def _rate_operands(book: PriceBook, arch, region, day: date) -> dict:
    """Per-element rate arrays (or scalars) for the architectures and regions given."""
    arch_a, region_a = np.asarray(arch, dtype=object), np.asarray(region, dtype=object)
    pairs, inverse = np.unique(np.stack(np.broadcast_arrays(arch_a, region_a)).reshape(2, -1).T.astype(str), axis=0, return_inverse=True)
    table = [book.rates(r, a, day) for a, r in pairs]
    tiers = max(len(t.tier_usd_per_gb_second) for t in table)

    def padded(values, n):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (n - len(values))

    columns = {
        "usd_per_request": [t.request_usd for t in table],
        "storage_usd_per_gb_second": [t.ephemeral_storage_usd_per_gb_second for t in table],
    }
    for i in range(tiers):
        columns[f"tier_rate_{i}"] = [padded(t.tier_usd_per_gb_second, tiers)[i] for t in table]
        if i:
            columns[f"tier_start_{i}"] = [padded(t.tier_from_gb_seconds, tiers)[i] for t in table]
    shape = np.broadcast_shapes(arch_a.shape, region_a.shape)
    if len(table) == 1:
        out = {name: values[0] for name, values in columns.items()}
    else:
        out = {name: np.asarray(values)[inverse].reshape(shape) for name, values in columns.items()}
    # as_of is one date per call, so every element shares the era's limits and free tier.
    out["_reference"] = table[0]
    return out


def _blockwise(kernel, operands: dict):
    """Evaluate ``kernel`` over the broadcast of ``operands`` in cache-sized blocks.

    numpy evaluates an expression one whole-array pass at a time; for millions of rows
    every temporary then lives in main memory. ``np.nditer`` hands the kernel blocks of
    BLOCK_SIZE rows of the array operands (a loop over blocks, not elements), so the
    temporaries stay in cache. Scalar operands are passed to the kernel as they are.
    """
    values = {name: _as_float(value, name) for name, value in operands.items()}
    arrays = {name: value for name, value in values.items() if np.ndim(value)}
    scalars = {name: value for name, value in values.items() if not np.ndim(value)}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    if int(np.prod(shape)) <= BLOCK_SIZE:
        return kernel(**values)
    iterator = np.nditer(
        [*arrays.values(), None],
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=[["readonly"]] * len(arrays) + [["writeonly", "allocate"]],
        op_dtypes=[np.float64] * (len(arrays) + 1),
        buffersize=BLOCK_SIZE,
    )
    with iterator:
        for *blocks, out in iterator:
            out[...] = kernel(**scalars, **dict(zip(arrays, blocks)))
        return iterator.operands[-1]


def _as_float(value, name: str):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(name, "numeric", value) from None
    return array if array.ndim else float(array)


def _pandas_index(*values):
    """The index of the first pandas object among ``values``, else None (pvlib's rule)."""
    for value in values:
        if type(value).__module__.startswith("pandas"):
            return value.index
    return None
