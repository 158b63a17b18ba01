"""Many scenarios at once: :func:`monthly_cost`, the engine's total over arrays of inputs, evaluated in
cache-sized blocks."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import billing, engine
from .engine import resolve_pricebook
from .prices import PriceBook
from .rules import EPHEMERAL_STORAGE_INCLUDED_MB

__all__ = ["monthly_cost", "BLOCK_SIZE"]

#: Rows of a block: small enough that every temporary stays in cache.
BLOCK_SIZE = 1 << 13


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
    **meters,
):
    """Monthly cost of many scenarios at once, element-wise: :func:`~lambdacost.estimate`'s total.

    Each element is one function alone in an account-month, priced by the same engine as
    :func:`~lambdacost.estimate`, so the two agree on every scenario. Inputs broadcast like numpy
    ufuncs: scalars in, float out; arrays in, an array out; a pandas Series in, a Series on its
    index out (named ``cost``).

    Parameters
    ----------
    memory_mb, duration_ms, requests, ephemeral_storage_mb : numeric
        As in :func:`~lambdacost.estimate`. [MB], [ms], [count], [MB]
    arch, region : str or array-like of str
    free_tier : bool or array-like of bool
    as_of : date or str, optional
        One billing date for all elements.
    requests_per : str
        Unit of ``requests``.
    pricebook : PriceBook, optional
    **meters
        Any optional meter keyword of :func:`~lambdacost.estimate` (``provisioned_concurrency``,
        ``cold_start_rate``, ``init_duration_ms``, ``response_mb``, ...; see
        :data:`lambdacost.engine.METER_KEYWORDS`): the numeric ones may be arrays;
        ``traffic_concurrency``, ``package_type``, ``runtime``, ``snapstart`` and ``edge`` are one
        value for all elements. ``duration_ms`` may be a duration distribution, likewise.

    Returns
    -------
    float, ndarray or Series
        In the regions' currency: USD, or CNY in the China regions (a call mixing the two is
        refused, as the numbers would not add up). [currency]

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
    book, day = resolve_pricebook(pricebook, as_of)
    table = None
    if not meters and requests_per == "month" and type(free_tier) is bool:
        numbers = (memory_mb, duration_ms, requests, ephemeral_storage_mb)
        if all(type(v) is float or type(v) is int for v in numbers):
            table = engine.rate_table(book, arch, region, day)
            if len(table.pairs) == 1:
                result = _one_scenario(book, table, *map(float, numbers), free_tier)
                if result is not None:
                    return result
    index = _pandas_index(memory_mb, duration_ms, requests, ephemeral_storage_mb, arch, region, free_tier)
    table = table or engine.rate_table(book, arch, region, day)
    keywords = engine.meter_keywords(meters)
    numeric = {
        "memory_mb": memory_mb,
        "duration_ms": duration_ms,
        "requests": requests,
        "ephemeral_storage_mb": ephemeral_storage_mb,
        "free_tier": free_tier,
    }
    fixed = {"requests_per": requests_per, **keywords}

    result = None
    if _size(numeric, table) >= FUSED_MIN_SIZE and _numba_ok():
        from . import kernel

        if kernel.fusable({**numeric, **fixed}):
            # One compiled pass: the element checks of the large inputs and the engine's arithmetic.
            scenario, _, _ = engine.check_scenario(book, table, **numeric, **fixed, unchecked=kernel.CHECKED)
            result = kernel.price(book, scenario, table)
    if result is None:
        result = _engine_path(book, table, numeric, fixed)
    if index is not None:
        import pandas as pd

        return pd.Series(result, index=index, name="cost")
    return float(result) if np.ndim(result) == 0 else result


#: Elements from which the compiled kernel (numba) is worth importing and calling.
FUSED_MIN_SIZE = 1 << 14


def _one_scenario(book: PriceBook, table: engine.RateTable, memory, duration, requests, storage, free_tier: bool):
    """``price_scenario(...)["cost"]`` of one scenario without optional meters, in plain floats, or None.

    The engine's operations in the engine's order (its meter, free_use, charges and total, skipped
    terms included), on numbers inside :func:`lambdacost.engine.element_limits`; so it equals the
    engine bit for bit (``tests/test_engine.py`` pins the two on random scenarios). None for a
    number outside them: the caller then goes through the engine, which raises its message.
    """
    reference = table.reference
    for value, (low, high, step, _) in zip(
        (memory, duration, requests, storage), engine.element_limits(table).values()
    ):
        if not low <= value <= high or (step is not None and not (value / step).is_integer()):
            return None  # NaN fails the comparisons too
    if storage != EPHEMERAL_STORAGE_INCLUDED_MB and reference.ephemeral_storage_mb_max == EPHEMERAL_STORAGE_INCLUDED_MB:
        return None  # before configurable /tmp: the engine names the rule
    # meter
    billed = billing.billed_duration_ms(duration, reference.granularity_ms)
    on_demand_ms = billed * requests
    gbs = billing.gb_seconds(memory, on_demand_ms)
    storage_gbs = 0.0
    if storage > EPHEMERAL_STORAGE_INCLUDED_MB:
        storage_gbs = billing.gb_seconds(max(storage - EPHEMERAL_STORAGE_INCLUDED_MB, 0.0), on_demand_ms)
    # free_use
    free_requests = free_gbs = 0.0
    if free_tier:
        allowance = book.free_tier
        free_requests = 0.0 if requests == 0 else float(min(requests + 0.0, allowance.requests))
        free_gbs = 0.0 if gbs == 0 else float(min(gbs, allowance.gb_seconds))
    # charges, added up per component (a zero term is left out, as charges leaves its item out)
    rate = table.per_request
    requests_cost = 0.0 + requests * rate
    if free_requests:
        requests_cost = requests_cost + (-free_requests) * rate
    starts, tier_rates = table.tier_starts(), table.tier_rates()
    shifted = [starts[0]] + [start + free_gbs for start in starts[1:]]
    ends = shifted[1:] + [math.inf]
    duration_cost = 0.0
    for k in range(len(tier_rates)):
        quantity = min(max(gbs - shifted[k], 0.0), ends[k] - shifted[k])  # billing.tier_gb_seconds on floats
        if k == 0 or quantity != 0:
            duration_cost = duration_cost + quantity * tier_rates[k]
    if free_gbs:
        duration_cost = duration_cost + (-free_gbs) * tier_rates[0]
    storage_cost = 0.0
    if storage_gbs:
        storage_cost = 0.0 + storage_gbs * table.ephemeral_storage_per_gb_second
    total = 0.0
    for part in (requests_cost, duration_cost, storage_cost):
        if part != 0:
            total = total + part
    return total


def _size(numeric: dict, table: engine.RateTable) -> int:
    sizes = [np.size(v) for v in numeric.values() if isinstance(v, np.ndarray) or hasattr(v, "__len__")]
    sizes += [np.size(v) for v in table.rates.values() if v is not None and np.ndim(v)]
    return max(sizes, default=1)


def _numba_ok() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _engine_path(book: PriceBook, table: engine.RateTable, numeric: dict, fixed: dict):
    """The engine in numpy: checks over the whole arrays, then the meters block by block."""
    # Checked once over the whole arrays (reductions only: no array-sized copies); the meters
    # and charges then run block by block, each block's temporaries in cache.
    scenario, _, _ = engine.check_scenario(book, table, **numeric, **fixed)

    def kernel(rates: engine.RateTable, values: dict):
        return engine.price_scenario(book, engine.Scenario(**values), rates)["cost"]

    fields = {f.name: getattr(scenario, f.name) for f in dataclasses.fields(scenario)}
    return _blockwise(kernel, table, fields)


def _blockwise(kernel, table: engine.RateTable, values: dict):
    """Evaluate ``kernel(rates, values)`` over the broadcast of the array operands, block by block.

    numpy evaluates an expression one whole-array pass at a time; for millions of rows every
    temporary then lives in main memory. ``np.nditer`` hands the kernel blocks of BLOCK_SIZE rows
    of the array operands and of the per-element rates (a loop over blocks, not elements), so the
    temporaries stay in cache. Scalars, None and objects (a duration distribution) pass as they are.
    """
    arrays = {k: v for k, v in values.items() if isinstance(v, np.ndarray) and v.ndim}
    scalars = {k: v for k, v in values.items() if k not in arrays}
    if not arrays and len(table.pairs) == 1:  # one scenario: no blocks
        return kernel(table, values)
    rate_arrays = {k: v for k, v in table.rates.items() if v is not None and np.ndim(v)}
    shapes = [a.shape for a in arrays.values()] + [v.shape for v in rate_arrays.values()]
    shape = np.broadcast_shapes(*shapes) if shapes else ()
    if int(np.prod(shape)) <= BLOCK_SIZE:
        return kernel(table, {**scalars, **arrays})
    if all(a.shape == shape and a.flags.c_contiguous for a in (*arrays.values(), *rate_arrays.values())):
        # The common case, arrays of one shape: blocks are views, nothing is copied.
        flat = {k: v.reshape(-1) for k, v in arrays.items()}
        flat_rates = {k: v.reshape(-1) for k, v in rate_arrays.items()}
        out = np.empty(int(np.prod(shape)))
        for start in range(0, out.size, BLOCK_SIZE):
            part = slice(start, start + BLOCK_SIZE)
            block_rates = {**table.rates, **{k: v[part] for k, v in flat_rates.items()}}
            out[part] = kernel(
                engine.RateTable(table.pairs, block_rates, table.tiers),
                {**scalars, **{k: v[part] for k, v in flat.items()}},
            )
        return out.reshape(shape)
    names = list(arrays) + [f"rate:{k}" for k in rate_arrays]
    iterator = np.nditer(
        [*arrays.values(), *rate_arrays.values(), None],
        flags=["external_loop", "buffered", "zerosize_ok"],
        op_flags=[["readonly"]] * len(names) + [["writeonly", "allocate"]],
        op_dtypes=[a.dtype if a.dtype == bool else np.float64 for a in arrays.values()]
        + [np.float64] * (len(rate_arrays) + 1),
        buffersize=BLOCK_SIZE,
    )
    with iterator:
        for *blocks, out in iterator:
            block = dict(zip(names, blocks))
            rates = {k: block.pop(f"rate:{k}") for k in rate_arrays}
            out[...] = kernel(
                engine.RateTable(table.pairs, {**table.rates, **rates}, table.tiers), {**scalars, **block}
            )
        return iterator.operands[-1]


def _pandas_index(*values):
    """The index of the first pandas object among ``values``, else None (pvlib's rule)."""
    for value in values:
        if type(value).__module__.startswith("pandas"):
            return value.index
    return None
