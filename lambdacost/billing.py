"""The numpy core: how AWS Lambda turns memory, time and requests into money.

Every function here is pure and element-wise: it takes *numeric* inputs (a scalar, an
ndarray, or anything that broadcasts like one, such as a dask array) and returns the
same kind, broadcast. There is no I/O, no pandas, no loop over elements and no masked
store: branches are ``np.where``/``np.maximum``/``np.minimum``, so the functions run
unchanged, chunk by chunk, on dask arrays. Validation happens once, in
:func:`lambdacost.engine.check_scenario`; the rules of which meter applies when are in
:mod:`lambdacost.engine`; the fixed numbers (1024 MB per GB, 512 MB included) in
:mod:`lambdacost.rules`.

Units are in the names: ``_mb`` megabytes as Lambda counts them (1 GB = 1024 MB),
``_ms`` milliseconds, ``gb_seconds`` GB-seconds, ``_cost`` the rates' currency (USD; CNY in the China regions).

The model, per function and month::

    billed_ms   = ceil(duration_ms / granularity_ms) * granularity_ms
    gb_seconds  = memory_mb / 1024 * billed_ms / 1000 * requests
    compute_cost = tiered(max(gb_seconds - free_gb_seconds, 0))
    request_cost = max(requests - free_requests, 0) * request rate
    storage_cost = (storage_mb - 512) / 1024 * billed_ms / 1000 * requests * storage rate

Examples
--------
512 MB for 120 ms, one million times: 0.5 GB x 0.12 s x 1e6 = 60,000 GB-s.

>>> print(gb_seconds(512, billed_duration_ms(119.2), 1_000_000))
60000.0
>>> print(round(tiered_duration_cost(60_000, (0.0000166667,), (0,)), 6))
1.000002
"""

from __future__ import annotations

import math

import numpy as np

from .rules import (
    ASYNC_CHUNK_KB,
    ASYNC_INCLUDED_KB,
    EPHEMERAL_STORAGE_INCLUDED_MB,
    MB_PER_GB,
    MS_PER_S,
    PROVISIONED_BILLING_STEP_S,
    SNAPSTART_CACHE_MINIMUM_S,
    STREAMING_INCLUDED_MB,
)

#: isinstance against a tuple made once: ``float | int`` builds a union on every call.
_PLAIN_NUMBER = (float, int)

__all__ = [
    "billed_duration_ms",
    "gb_seconds",
    "tier_gb_seconds",
    "tiered_duration_cost",
    "free_gb_seconds_used",
    "request_cost",
    "ephemeral_storage_gb_seconds",
    "cold_start_billed_ms",
    "provisioned_enabled_s",
    "provisioned_gb_seconds",
    "provisioned_served_fraction",
    "snapstart_cache_gb_seconds",
    "snapstart_restore_gb",
    "streamed_gb",
    "async_payload_extra_requests",
]


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
    if type(duration_ms) is float and duration_ms - duration_ms == 0.0 and type(granularity_ms) is int:
        # one finite number: the same rounding as np.ceil, without numpy's dispatch (x / 1 * 1 == x)
        return float(math.ceil(duration_ms / granularity_ms)) * granularity_ms
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
    if type(memory_mb) is float and type(billed_ms) is float:  # one number: the same products in order
        return memory_mb * billed_ms * requests * (1.0 / (MB_PER_GB * MS_PER_S))
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
    if all(isinstance(v, _PLAIN_NUMBER) for v in (total_gb_seconds, *starts)):  # one scenario: plain floats
        return [min(max(total_gb_seconds - lo, 0.0), hi - lo) for lo, hi in zip(starts, ends)]
    return [np.clip(np.subtract(total_gb_seconds, lo), 0, np.subtract(hi, lo)) for lo, hi in zip(starts, ends)]


def tiered_duration_cost(total_gb_seconds, tier_per_gb_second, tier_from_gb_seconds, free_gb_seconds=0):
    """Cost of monthly GB-s under volume tiers, the free GB-s taken off first.

    The free GB-s come off the month's total before it is priced through the tiers (as the AWS
    Pricing Calculator does: see :data:`lambdacost.engine.FREE_TIER_ORDER`). Written in
    marginal form, ``r0 * max(y, 0) + sum((r_i - r_{i-1}) * max(y - start_i, 0))`` with
    ``y = x - free``: continuous at every tier start.

    Parameters
    ----------
    total_gb_seconds : numeric
        [GB-s]
    tier_per_gb_second : sequence of numeric
        Rate of each tier. [currency/GB-s]
    tier_from_gb_seconds : sequence of numeric
        Start of each tier, the first at 0. [GB-s]
    free_gb_seconds : numeric, default 0
        Free-tier GB-s used by this usage (at most the usage). [GB-s]

    Returns
    -------
    numeric
        [currency]

    Examples
    --------
    Nine billion x86_64 GB-s in us-east-1: 6e9 at the tier-1 rate, 3e9 at tier 2.

    >>> tiers = (0.0000166667, 0.000015, 0.0000133334), (0, 6e9, 15e9)
    >>> print(round(tiered_duration_cost(9e9, *tiers), 2))
    145000.2

    With the 400,000 free GB-s, the last 400,000 GB-s of tier 2 are the ones not billed:

    >>> print(round(tiered_duration_cost(9e9, *tiers, 400_000), 2))
    144994.2
    """
    rates = list(tier_per_gb_second)
    billable = np.maximum(np.subtract(total_gb_seconds, free_gb_seconds), 0)
    cost = billable * rates[0]
    for previous, rate, start in zip(rates, rates[1:], list(tier_from_gb_seconds)[1:]):
        cost = cost + np.maximum(np.subtract(billable, start), 0) * np.subtract(rate, previous)
    return cost


def free_gb_seconds_used(total_gb_seconds, free_gb_seconds):
    """GB-s covered by the free tier: the smaller of usage and allowance. [GB-s]

    Examples
    --------
    >>> print(free_gb_seconds_used(540_000, 400_000), free_gb_seconds_used(6_250, 400_000))
    400000 6250
    """
    return np.minimum(total_gb_seconds, free_gb_seconds)


def request_cost(requests, price_per_request, free_requests=0):
    """Request charge after the free requests. [currency]

    Examples
    --------
    >>> print(round(request_cost(3_000_000, 0.2e-6, 1_000_000), 2))
    0.4
    """
    return np.maximum(np.subtract(requests, free_requests), 0) * price_per_request


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


# --- meters beyond on-demand duration -------------------------------------------------


def cold_start_billed_ms(duration_ms, init_ms, granularity_ms=1):
    """Billed duration of an invocation that also ran INIT (or a SnapStart restore).

    AWS rounds the sum once, ``ceil(init + duration)``, not each part (a container-image
    REPORT line: Init 1293.83 ms + Duration 1049.63 ms is billed 2344 ms).

    Parameters
    ----------
    duration_ms : numeric
        Handler duration. [ms]
    init_ms : numeric
        Billed INIT duration, or SnapStart's Billed Restore Duration. [ms]
    granularity_ms : numeric, default 1
        [ms]

    Returns
    -------
    numeric
        [ms]

    Examples
    --------
    >>> print(cold_start_billed_ms(1049.63, 1293.83), cold_start_billed_ms(127.10, 26))
    2344.0 154.0
    """
    return billed_duration_ms(np.add(duration_ms, init_ms), granularity_ms)


def provisioned_enabled_s(enabled_s):
    """Time Provisioned Concurrency is billed: enabled time rounded up to 5 minutes. [s]

    Examples
    --------
    >>> print(provisioned_enabled_s(3601), provisioned_enabled_s(3600))
    3900.0 3600.0
    """
    return np.ceil(np.divide(enabled_s, PROVISIONED_BILLING_STEP_S)) * PROVISIONED_BILLING_STEP_S


def provisioned_gb_seconds(concurrency, memory_mb, enabled_s):
    """GB-s of configured Provisioned Concurrency: concurrency x memory x billed enabled time.

    Parameters
    ----------
    concurrency : numeric
        Configured provisioned concurrency. [environments]
    memory_mb : numeric
        [MB]
    enabled_s : numeric
        Time it was enabled this month; rounded up to 5 minutes. [s]

    Returns
    -------
    numeric
        [GB-s]

    Examples
    --------
    100 environments of 1024 MB for 8 hours: 100 x 1 GB x 28,800 s.

    >>> print(provisioned_gb_seconds(100, 1024, 8 * 3600))
    2880000.0
    """
    return np.multiply(concurrency, memory_mb) * provisioned_enabled_s(enabled_s) * (1.0 / MB_PER_GB)


def provisioned_served_fraction(concurrency_demand, provisioned):
    """Share of the work that fits within ``provisioned`` environments, for a traffic shape.

    ``concurrency_demand`` holds the average concurrent executions in equal time slots
    (the last axis); in each slot ``min(demand, provisioned)`` runs on Provisioned
    Concurrency and the rest spills over to on-demand.

    Parameters
    ----------
    concurrency_demand : array-like
        Average concurrency per slot, last axis over time. [environments]
    provisioned : numeric
        Configured provisioned concurrency. [environments]

    Returns
    -------
    numeric
        Fraction of concurrency-seconds served by Provisioned Concurrency, 0..1
        (1 where there is no demand).

    Examples
    --------
    >>> print(provisioned_served_fraction([2, 10, 4], 5))
    0.6875
    """
    demand = np.asarray(concurrency_demand, dtype=float)
    served = np.minimum(demand, np.expand_dims(provisioned, -1)).sum(axis=-1)
    total = demand.sum(axis=-1)
    return np.where(total > 0, served / np.where(total > 0, total, 1.0), 1.0)


def snapstart_cache_gb_seconds(memory_mb, active_s):
    """SnapStart cache GB-s: memory x the time a version is active, at least 3 hours. [GB-s]

    Examples
    --------
    A 2048 MB function published for one hour still pays for three: 2 GB x 10,800 s.

    >>> print(snapstart_cache_gb_seconds(2048, 3600))
    21600.0
    """
    return np.multiply(memory_mb, np.maximum(active_s, SNAPSTART_CACHE_MINIMUM_S)) * (1.0 / MB_PER_GB)


def snapstart_restore_gb(memory_mb, restores):
    """GB restored from SnapStart snapshots: memory x restores. [GB]

    Examples
    --------
    >>> print(snapstart_restore_gb(1536, 10_000))
    15000.0
    """
    return np.multiply(memory_mb, restores) * (1.0 / MB_PER_GB)


def streamed_gb(response_mb, requests):
    """Response-streaming GB billed before the monthly free GB: the part of each response
    beyond its first 6 MB. [GB, 1 GB = 1024 MB as in AWS's example]

    Examples
    --------
    One million 10 MB responses: 4 MB each beyond the included 6 MB.

    >>> print(round(float(streamed_gb(10, 1_000_000)), 3))
    3906.25
    """
    return np.maximum(np.subtract(response_mb, STREAMING_INCLUDED_MB), 0) * requests * (1.0 / MB_PER_GB)


def async_payload_extra_requests(payload_kb, requests):
    """Extra requests charged for asynchronous events above 256 KB: one per 64 KB chunk.

    Parameters
    ----------
    payload_kb : numeric
        Size of each event, up to 1024 KB. [KB]
    requests : numeric
        Asynchronous events. [count]

    Returns
    -------
    numeric
        [requests]

    Examples
    --------
    A 300 KB event is one request plus one 64 KB chunk; a 1 MB event plus twelve.

    >>> print(async_payload_extra_requests(300, 1), async_payload_extra_requests(1024, 1))
    1.0 12.0
    """
    extra_kb = np.maximum(np.subtract(payload_kb, ASYNC_INCLUDED_KB), 0)
    return np.ceil(extra_kb / ASYNC_CHUNK_KB) * requests
