"""The numpy core: how AWS Lambda turns memory, time and requests into dollars.

Every function here is pure and element-wise: it takes *numeric* inputs (a scalar, an
ndarray, or anything that broadcasts like one, such as a dask array) and returns the
same kind, broadcast. There is no I/O, no pandas, no loop over elements and no masked
store: branches are ``np.where``/``np.maximum``/``np.minimum``, so the functions run
unchanged, chunk by chunk, on dask arrays. Validation happens at the API edge
(:mod:`lambdacost.estimate`), not here.

Units are in the names: ``_mb`` megabytes as Lambda counts them (1 GB = 1024 MB),
``_ms`` milliseconds, ``gb_seconds`` GB-seconds, ``_usd`` US dollars.

The model, per function and month (see DESIGN.md)::

    billed_ms   = ceil(duration_ms / granularity_ms) * granularity_ms
    gb_seconds  = memory_mb / 1024 * billed_ms / 1000 * requests
    compute_usd = tiered(gb_seconds) - min(gb_seconds, free_gb_seconds) * tier-1 rate
    request_usd = max(requests - free_requests, 0) * request rate
    storage_usd = (storage_mb - 512) / 1024 * billed_ms / 1000 * requests * storage rate

Examples
--------
512 MB for 120 ms, one million times: 0.5 GB x 0.12 s x 1e6 = 60,000 GB-s.

>>> print(gb_seconds(512, billed_duration_ms(119.2), 1_000_000))
60000.0
>>> print(round(tiered_duration_usd(60_000, (0.0000166667,), (0,)), 6))
1.000002
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MB_PER_GB",
    "MS_PER_S",
    "EPHEMERAL_STORAGE_INCLUDED_MB",
    "billed_duration_ms",
    "gb_seconds",
    "tier_gb_seconds",
    "tiered_duration_usd",
    "free_gb_seconds_used",
    "request_usd",
    "ephemeral_storage_gb_seconds",
    "monthly_cost_usd",
]

#: Lambda counts memory in binary megabytes: 1 GB = 1024 MB (AWS Example: 1536 MB = 1.5 GB).
MB_PER_GB = 1024.0
MS_PER_S = 1000.0
#: Ephemeral storage every function gets at no charge.
EPHEMERAL_STORAGE_INCLUDED_MB = 512.0


def billed_duration_ms(duration_ms, granularity_ms=1):
    """Duration rounded up to the billing granularity, per invocation.

    Parameters
    ----------
    duration_ms : numeric
        Measured duration of one invocation. [ms]
    granularity_ms : numeric, default 1
        Billing step: 1 since December 2020, 100 before. [ms]

    Returns
    -------
    numeric
        Billed duration. [ms]

    Examples
    --------
    >>> print(billed_duration_ms(27.55), billed_duration_ms(27.40, 100))
    28.0 100.0
    """
    if np.ndim(granularity_ms) == 0 and granularity_ms == 1:
        return np.ceil(duration_ms)  # the common case since 2020: one pass, not three
    return np.ceil(np.divide(duration_ms, granularity_ms)) * granularity_ms


def gb_seconds(memory_mb, billed_ms, requests=1):
    """GB-seconds: allocated memory in GB times billed time in seconds, times requests.

    Parameters
    ----------
    memory_mb : numeric
        Allocated memory. [MB, 1 GB = 1024 MB]
    billed_ms : numeric
        Billed duration of one invocation. [ms]
    requests : numeric, default 1
        Invocations. [count]

    Returns
    -------
    numeric
        [GB-s]

    Examples
    --------
    >>> print(gb_seconds(1536, 120, 3_000_000))
    540000.0
    """
    return np.multiply(memory_mb, billed_ms) * requests * (1.0 / (MB_PER_GB * MS_PER_S))


def tier_gb_seconds(total_gb_seconds, tier_from_gb_seconds):
    """Split monthly GB-s into the volume tiers: one array per tier.

    Parameters
    ----------
    total_gb_seconds : numeric
        Aggregate monthly duration of one (region, architecture). [GB-s]
    tier_from_gb_seconds : sequence of numeric
        Where each tier starts, the first at 0. [GB-s]

    Returns
    -------
    list of numeric
        GB-s falling in each tier; they sum to ``total_gb_seconds``.

    Examples
    --------
    >>> [float(x) for x in tier_gb_seconds(7e9, (0, 6e9, 15e9))]
    [6000000000.0, 1000000000.0, 0.0]
    """
    starts = list(tier_from_gb_seconds)
    ends = starts[1:] + [np.inf]
    return [np.clip(np.subtract(total_gb_seconds, lo), 0, np.subtract(hi, lo)) for lo, hi in zip(starts, ends)]


def tiered_duration_usd(total_gb_seconds, tier_usd_per_gb_second, tier_from_gb_seconds, free_gb_seconds=0):
    """Cost of monthly GB-s under volume tiers, less the free GB-s at the tier-1 rate.

    Written in marginal form, ``r0 * max(x - free, 0) + sum((r_i - r_{i-1}) * max(x - start_i, 0))``:
    continuous at every tier start, and the free GB-s (always inside tier 1) are the first
    ones used, as in AWS's examples.

    Parameters
    ----------
    total_gb_seconds : numeric
        [GB-s]
    tier_usd_per_gb_second : sequence of numeric
        Rate of each tier. [USD/GB-s]
    tier_from_gb_seconds : sequence of numeric
        Start of each tier, the first at 0. [GB-s]
    free_gb_seconds : numeric, default 0
        Free-tier GB-s left for this usage. [GB-s]

    Returns
    -------
    numeric
        [USD]

    Examples
    --------
    Nine billion x86_64 GB-s in us-east-1: 6e9 at the tier-1 rate, 3e9 at tier 2.

    >>> print(round(tiered_duration_usd(9e9, (0.0000166667, 0.000015, 0.0000133334), (0, 6e9, 15e9)), 2))
    145000.2
    """
    rates = list(tier_usd_per_gb_second)
    cost = np.maximum(np.subtract(total_gb_seconds, free_gb_seconds), 0) * rates[0]
    for previous, rate, start in zip(rates, rates[1:], list(tier_from_gb_seconds)[1:]):
        cost = cost + np.maximum(np.subtract(total_gb_seconds, start), 0) * np.subtract(rate, previous)
    return cost


def free_gb_seconds_used(total_gb_seconds, free_gb_seconds):
    """GB-s covered by the free tier: the smaller of usage and allowance. [GB-s]

    Examples
    --------
    >>> print(free_gb_seconds_used(540_000, 400_000), free_gb_seconds_used(6_250, 400_000))
    400000 6250
    """
    return np.minimum(total_gb_seconds, free_gb_seconds)


def request_usd(requests, usd_per_request, free_requests=0):
    """Request charge after the free requests. [USD]

    Examples
    --------
    >>> print(round(request_usd(3_000_000, 0.2e-6, 1_000_000), 2))
    0.4
    """
    return np.maximum(np.subtract(requests, free_requests), 0) * usd_per_request


def ephemeral_storage_gb_seconds(storage_mb, billed_ms, requests=1):
    """GB-s of configured /tmp above the 512 MB included, over billed time. [GB-s]

    Examples
    --------
    AWS Example 3: 2048 MB configured is 1.5 GB billed.

    >>> print(ephemeral_storage_gb_seconds(2048, 1000, 1))
    1.5
    """
    extra_mb = np.maximum(np.subtract(storage_mb, EPHEMERAL_STORAGE_INCLUDED_MB), 0)
    return gb_seconds(extra_mb, billed_ms, requests)


def monthly_cost_usd(
    memory_mb,
    duration_ms,
    requests,
    *,
    granularity_ms,
    usd_per_request,
    tier_usd_per_gb_second,
    tier_from_gb_seconds,
    storage_mb=EPHEMERAL_STORAGE_INCLUDED_MB,
    storage_usd_per_gb_second=0.0,
    free_requests=0.0,
    free_gb_seconds=0.0,
):
    """Total monthly cost of one function alone in an account, element-wise.

    The sum of the meters above: tiered duration less the free GB-s at the tier-1 rate,
    requests less the free requests, and ephemeral storage.

    Parameters
    ----------
    memory_mb, duration_ms, requests : numeric
        Allocated memory [MB], measured duration per invocation [ms], invocations per
        month [count].
    granularity_ms : numeric
        Billing step. [ms]
    usd_per_request : numeric
        [USD]
    tier_usd_per_gb_second, tier_from_gb_seconds : sequence of numeric
        Volume tiers as in :func:`tiered_duration_usd`.
    storage_mb : numeric, default 512
        Configured ephemeral storage. [MB]
    storage_usd_per_gb_second : numeric, default 0
        [USD/GB-s]
    free_requests, free_gb_seconds : numeric, default 0
        Free-tier allowance left for this function; 0 for none. [count], [GB-s]

    Returns
    -------
    numeric
        [USD]

    Examples
    --------
    AWS's mobile-backend example: 3M requests of 120 ms at 1536 MB, us-east-1 x86_64.

    >>> print(round(monthly_cost_usd(1536, 120, 3e6, granularity_ms=1, usd_per_request=0.2e-6,
    ...       tier_usd_per_gb_second=(0.0000166667,), tier_from_gb_seconds=(0,),
    ...       free_requests=1e6, free_gb_seconds=400_000), 2))
    2.73
    """
    billed = billed_duration_ms(duration_ms, granularity_ms)
    usage = gb_seconds(memory_mb, billed, requests)
    compute = tiered_duration_usd(usage, tier_usd_per_gb_second, tier_from_gb_seconds, free_gb_seconds)
    total = compute + request_usd(requests, usd_per_request, free_requests)
    if np.ndim(storage_mb) == 0 and storage_mb <= EPHEMERAL_STORAGE_INCLUDED_MB:
        return total  # nothing above the included 512 MB: skip four passes of zeros
    return total + ephemeral_storage_gb_seconds(storage_mb, billed, requests) * storage_usd_per_gb_second
