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
    "PROVISIONED_BILLING_STEP_S",
    "SNAPSTART_CACHE_MINIMUM_S",
    "STREAMING_INCLUDED_MB",
    "cold_start_billed_ms",
    "mixed_billed_ms",
    "provisioned_enabled_s",
    "provisioned_gb_seconds",
    "provisioned_served_fraction",
    "snapstart_cache_gb_seconds",
    "snapstart_restore_gb",
    "streamed_gb",
    "async_payload_extra_requests",
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
    cold_fraction=0.0,
    init_ms=0.0,
    provisioned_concurrency=0.0,
    provisioned_s=0.0,
    provisioned_utilization=None,
    provisioned_usd_per_gb_second=0.0,
    provisioned_duration_usd_per_gb_second=0.0,
    extra_requests_per_request=0.0,
    streamed_mb_per_request=0.0,
    streaming_usd_per_gb=0.0,
    free_streamed_gb=0.0,
):
    """Total monthly cost of one function alone in an account, element-wise.

    The sum of the meters above: tiered duration less the free GB-s at the tier-1 rate,
    requests less the free requests, and ephemeral storage; optionally cold starts,
    Provisioned Concurrency, async payload chunks and response streaming. Each optional
    meter is skipped entirely while its inputs are scalar zeros, so the common case
    costs nothing extra.

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
    cold_fraction, init_ms : numeric, default 0
        Share of on-demand invocations that start cold [0..1] and their billed INIT (or
        restore) time, added before rounding [ms].
    provisioned_concurrency, provisioned_s : numeric, default 0
        Configured Provisioned Concurrency [environments] and time enabled [s]. Elements
        with provisioned concurrency get no free tier (see :func:`lambdacost.estimate`).
    provisioned_utilization : numeric, optional
        Busy share of the provisioned environments; default even traffic over the
        730-hour month. Served time is capped at the work there is. [0..1]
    provisioned_usd_per_gb_second, provisioned_duration_usd_per_gb_second : numeric
        [USD/GB-s]
    extra_requests_per_request : numeric, default 0
        Async payload chunks per event (:func:`async_payload_extra_requests`). [count]
    streamed_mb_per_request, streaming_usd_per_gb, free_streamed_gb : numeric, default 0
        Response size [MB], streaming rate [USD/GB] and free streamed GB [GB].

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
    if (
        _zero(provisioned_concurrency)
        and _zero(cold_fraction, init_ms)
        and _zero(extra_requests_per_request)
        and _zero(streamed_mb_per_request)
    ):
        usage = gb_seconds(memory_mb, billed, requests)
        compute = tiered_duration_usd(usage, tier_usd_per_gb_second, tier_from_gb_seconds, free_gb_seconds)
        total = compute + request_usd(requests, usd_per_request, free_requests)
        if np.ndim(storage_mb) == 0 and storage_mb <= EPHEMERAL_STORAGE_INCLUDED_MB:
            return total  # nothing above the included 512 MB: skip four passes of zeros
        return total + ephemeral_storage_gb_seconds(storage_mb, billed, requests) * storage_usd_per_gb_second
    on_demand, provisioned_requests, total = requests, 0.0, 0.0
    if not _zero(provisioned_concurrency):
        work_s = np.multiply(requests, billed) * (1.0 / MS_PER_S)
        if provisioned_utilization is None:
            served_s = np.minimum(work_s * (1.0 / SECONDS_PER_MONTH), provisioned_concurrency) * provisioned_s
        else:
            served_s = np.minimum(np.multiply(provisioned_utilization, provisioned_concurrency) * provisioned_s, work_s)
        provisioned_requests = np.where(
            work_s > 0, np.multiply(requests, served_s) / np.where(work_s > 0, work_s, 1.0), 0.0
        )
        on_demand = np.subtract(requests, provisioned_requests)
        none = np.greater(provisioned_concurrency, 0)  # "The Lambda free tier does not apply" (pricing page)
        free_requests, free_gb_seconds, free_streamed_gb = (
            np.where(none, 0.0, f) for f in (free_requests, free_gb_seconds, free_streamed_gb)
        )
        total = (
            provisioned_gb_seconds(provisioned_concurrency, memory_mb, provisioned_s) * provisioned_usd_per_gb_second
        )
        total = total + gb_seconds(memory_mb, billed, provisioned_requests) * provisioned_duration_usd_per_gb_second
    on_demand_billed = billed
    if not _zero(cold_fraction, init_ms):
        on_demand_billed = mixed_billed_ms(
            billed, cold_start_billed_ms(duration_ms, init_ms, granularity_ms), cold_fraction
        )
    usage = gb_seconds(memory_mb, on_demand_billed, on_demand)
    total = total + tiered_duration_usd(usage, tier_usd_per_gb_second, tier_from_gb_seconds, free_gb_seconds)
    all_requests = (
        requests if _zero(extra_requests_per_request) else np.multiply(requests, np.add(extra_requests_per_request, 1))
    )
    total = total + request_usd(all_requests, usd_per_request, free_requests)
    if not (np.ndim(storage_mb) == 0 and storage_mb <= EPHEMERAL_STORAGE_INCLUDED_MB):
        storage = ephemeral_storage_gb_seconds(storage_mb, on_demand_billed, on_demand)
        storage = storage + ephemeral_storage_gb_seconds(storage_mb, billed, provisioned_requests)
        total = total + storage * storage_usd_per_gb_second
    if not _zero(streamed_mb_per_request):
        streamed = streamed_gb(streamed_mb_per_request, requests)
        total = total + np.maximum(np.subtract(streamed, free_streamed_gb), 0) * streaming_usd_per_gb
    return total


def _zero(*values) -> bool:
    """True when any value is a scalar 0: the meter it drives is then skipped."""
    return any(np.ndim(v) == 0 and v == 0 for v in values)


# --- meters beyond on-demand duration (issue 3) ----------------------------------------

#: AWS's calculator month: 730 hours; even traffic is spread over it.
SECONDS_PER_MONTH = 730 * 3600.0
#: Provisioned Concurrency is billed "from the time you enable it ... until it is disabled,
#: rounded up to the nearest five minutes" (AWS Lambda pricing page).
PROVISIONED_BILLING_STEP_S = 300.0
#: SnapStart cache is charged "for a minimum of 3 hours" (AWS Lambda pricing page).
SNAPSTART_CACHE_MINIMUM_S = 3 * 3600.0
#: Response streaming is free for the first 6 MB of each request (AWS Lambda pricing page).
STREAMING_INCLUDED_MB = 6.0
#: Async events: one request per event for the first 256 KB, one more per 64 KB chunk up to 1 MB.
ASYNC_INCLUDED_KB = 256.0
ASYNC_CHUNK_KB = 64.0
ASYNC_MAX_KB = 1024.0


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


def mixed_billed_ms(warm_billed_ms, cold_billed_ms, cold_fraction):
    """Mean billed duration when a fraction of invocations are cold starts. [ms]

    Examples
    --------
    One invocation in a hundred pays 500 ms of INIT on top of 100 ms:

    >>> print(mixed_billed_ms(100.0, 600.0, 0.01))
    105.0
    """
    return np.add(warm_billed_ms, np.multiply(np.subtract(cold_billed_ms, warm_billed_ms), cold_fraction))


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
