"""The model of :func:`lambdacost.estimate`, vectorized: :func:`monthly_cost` over any number of
scenarios, evaluated in cache-sized blocks of the numpy core."""

from __future__ import annotations

from datetime import date

import numpy as np

from . import billing
from .errors import InvalidParameterError, PriceNotAvailableError
from .prices import ARCHITECTURES, PriceBook, Rates
from .usage import MAX_HOURS_PER_MONTH, MAX_INIT_MS, PACKAGE_TYPES, checked_inputs, init_is_billed, resolve_pricebook
from .validation import HOURS_PER_MONTH, check_choice, check_numeric, requests_per_month_factor

__all__ = ["monthly_cost"]

#: Rows of a nditer block: small enough that every temporary stays in cache.
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
    provisioned_concurrency=0,
    provisioned_hours=None,
    provisioned_utilization=None,
    cold_start_rate=0.0,
    init_duration_ms=0.0,
    package_type: str = "Zip",
    runtime: str | None = None,
    response_mb=0.0,
    async_payload_kb=0.0,
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
    provisioned_concurrency, provisioned_hours, provisioned_utilization : numeric, optional
        As in :func:`estimate` (arrays allowed; no traffic shape here).
    cold_start_rate, init_duration_ms : numeric, optional
        As in :func:`estimate`; ``package_type`` and ``runtime`` (one for all elements)
        and ``as_of`` decide whether INIT is billed.
    response_mb, async_payload_kb : numeric, optional
        As in :func:`estimate`. SnapStart, Lambda@Edge and duration distributions are
        :func:`estimate`-only.

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
    book, day = resolve_pricebook(pricebook, as_of)
    index = _pandas_index(memory_mb, duration_ms, requests, ephemeral_storage_mb, arch, region, free_tier)
    check_choice("arch", arch, ARCHITECTURES)
    rates = _rate_operands(book, arch, region, day)
    reference = rates.pop("_reference")
    factor = requests_per_month_factor(requests_per)
    free = np.asarray(free_tier, dtype=bool)
    tiers = len(reference.tier_usd_per_gb_second)

    def kernel(memory_mb, duration_ms, requests, storage_mb, tier_rate_0, **operands):
        # Checked block by block, while the block is in cache; the first bad value is named.
        memory, duration, monthly, storage = checked_inputs(
            reference, memory_mb, duration_ms, requests, storage_mb, "month"
        )
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
    meters = _meter_operands(
        book,
        arch,
        region,
        day,
        reference,
        free,
        provisioned_concurrency,
        provisioned_hours,
        provisioned_utilization,
        cold_start_rate,
        init_duration_ms,
        package_type,
        runtime,
        response_mb,
        async_payload_kb,
    )
    if meters:
        operands.update(meters)
        kernel = _with_reachability_check(kernel, reference, factor)
    result = _blockwise(kernel, operands)
    if index is not None:
        import pandas as pd

        return pd.Series(result, index=index, name="cost_usd")
    return float(result) if np.ndim(result) == 0 else result


def _meter_operands(
    book,
    arch,
    region,
    day,
    reference: Rates,
    free,
    provisioned_concurrency,
    provisioned_hours,
    provisioned_utilization,
    cold_start_rate,
    init_duration_ms,
    package_type,
    runtime,
    response_mb,
    async_payload_kb,
) -> dict:
    """Checked operands of the optional meters of :func:`monthly_cost`; empty at their defaults."""
    out = {}
    concurrency = check_numeric("provisioned_concurrency", provisioned_concurrency, 0, np.inf, "environments", step=1)
    if np.any(concurrency):
        launch = book.milestones.get("provisioned_concurrency")
        if launch is not None and day < launch.date:
            raise PriceNotAvailableError(f"Provisioned Concurrency did not exist on {day} (priced from {launch.date})")
        hours = (
            HOURS_PER_MONTH
            if provisioned_hours is None
            else check_numeric("provisioned_hours", provisioned_hours, 0, MAX_HOURS_PER_MONTH, "h")
        )
        out.update(
            _rate_operands(
                book,
                arch,
                region,
                day,
                ("provisioned_usd_per_gb_second", "provisioned_duration_usd_per_gb_second"),
                "Provisioned Concurrency",
            )
        )
        out.update(provisioned_concurrency=concurrency, provisioned_s=np.multiply(hours, 3600.0))
        if provisioned_utilization is not None:
            out["provisioned_utilization"] = check_numeric("provisioned_utilization", provisioned_utilization, 0, 1, "")
    else:
        for name, value in (
            ("provisioned_hours", provisioned_hours),
            ("provisioned_utilization", provisioned_utilization),
        ):
            if value is not None:
                raise InvalidParameterError(name, "given only with provisioned_concurrency above 0", value)
    rate_ = check_numeric("cold_start_rate", cold_start_rate, 0, 1, "")
    init = check_numeric("init_duration_ms", init_duration_ms, 0, MAX_INIT_MS, "ms")
    check_choice("package_type", package_type, PACKAGE_TYPES)
    if np.any(rate_) and np.any(init) and init_is_billed(book, day, package_type, runtime):
        out.update(cold_fraction=rate_, init_ms=init)
    payload = check_numeric("async_payload_kb", async_payload_kb, 0, billing.ASYNC_MAX_KB, "KB")
    if np.any(payload):
        out["extra_requests_per_request"] = billing.async_payload_extra_requests(payload, 1)
    response = check_numeric("response_mb", response_mb, 0, np.inf, "MB")
    if np.any(np.greater(response, billing.STREAMING_INCLUDED_MB)):
        out.update(_rate_operands(book, arch, region, day, ("streaming_usd_per_gb",), "response streaming"))
        out.update(streamed_mb_per_request=response, free_streamed_gb=free * reference.free_tier.streaming_gb)
    return out


def _with_reachability_check(kernel, reference: Rates, factor: float):
    """Wrap ``kernel`` so that a utilization beyond the work there is names the first bad element."""

    def checked(**operands):
        if "provisioned_utilization" in operands:
            billed = billing.billed_duration_ms(operands["duration_ms"], reference.granularity_ms)
            work_s = np.multiply(operands["requests"], billed) * (factor / billing.MS_PER_S)
            asked = (
                np.multiply(operands["provisioned_utilization"], operands["provisioned_concurrency"])
                * operands["provisioned_s"]
            )
            bad = np.asarray(asked > work_s * (1 + 1e-9))
            if bad.any():
                value = np.broadcast_to(operands["provisioned_utilization"], bad.shape)[bad].flat[0]
                raise InvalidParameterError(
                    "provisioned_utilization",
                    "at most the share of provisioned time the workload can fill (requests x duration)",
                    float(value),
                )
        return kernel(**operands)

    return checked


def _rate_operands(
    book: PriceBook, arch, region, day: date, meters: tuple[str, ...] = (), meter_name: str = ""
) -> dict:
    """Per-element rate arrays (or scalars) for the architectures and regions given."""
    arch_a, region_a = np.asarray(arch, dtype=object), np.asarray(region, dtype=object)
    pairs, inverse = np.unique(
        np.stack(np.broadcast_arrays(arch_a, region_a)).reshape(2, -1).T.astype(str), axis=0, return_inverse=True
    )
    table = [book.rates(r, a, day) for a, r in pairs]
    tiers = max(len(t.tier_usd_per_gb_second) for t in table)

    def padded(values, n):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (n - len(values))

    if meters:  # only the optional meters' rates, each required for every pair
        for t in table:
            if any(getattr(t, m) is None for m in meters):
                raise PriceNotAvailableError(
                    f"no {meter_name} rate for {t.region} {t.arch} in the {t.era.name} era of the sheets"
                )
        columns = {m: [getattr(t, m) for t in table] for m in meters}
        shape = np.broadcast_shapes(arch_a.shape, region_a.shape)
        if len(table) == 1:
            return {name: values[0] for name, values in columns.items()}
        return {name: np.asarray(values)[inverse].reshape(shape) for name, values in columns.items()}
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
