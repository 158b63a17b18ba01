"""The rules of every meter: a checked :class:`Scenario` in, the month's :class:`Usage` out, and the free tier one function uses."""

from __future__ import annotations

import numpy as np

from .. import billing
from ..prices import FreeTier
from ..rules import (
    EPHEMERAL_STORAGE_INCLUDED_MB,
    HOURS_PER_MONTH,
    MB_PER_GB,
    MS_PER_S,
    SECONDS_PER_MONTH,
)
from .model import _PLAIN_NUMBER, FreeUse, Scenario, Usage, _any, _filled, _ndim, _zero


def _pc(s) -> dict:
    get = s.get if isinstance(s, dict) else lambda k: getattr(s, k)
    return {k: get(k) for k in ("provisioned_concurrency", "provisioned_s", "provisioned_utilization")}


def _provisioned_requests(requests, billed_ms, provisioned_concurrency, provisioned_s, provisioned_utilization):
    """Invocations served by Provisioned Concurrency: its busy time over one invocation's. [count]"""
    if _zero(provisioned_concurrency):
        return 0.0
    work_s = np.multiply(requests, billed_ms) * (1.0 / MS_PER_S)
    if provisioned_utilization is None:  # traffic even over the month: the share of it that fits
        served_s = np.minimum(work_s * (1.0 / SECONDS_PER_MONTH), provisioned_concurrency) * provisioned_s
    else:
        served_s = np.minimum(np.multiply(provisioned_utilization, provisioned_concurrency) * provisioned_s, work_s)
    positive = np.asarray(work_s) > 0
    return np.where(positive, np.multiply(requests, served_s) / np.where(positive, work_s, 1.0), 0.0)


def billed_durations(s: Scenario):
    """Billed duration of a warm and of a cold invocation (the mean, for a distribution). [ms]

    AWS rounds each invocation up to the billing step, a cold one after adding its INIT (or
    SnapStart restore) time: ``ceil(duration + init)``.
    """
    if s.distribution is not None:
        warm = s.distribution.expected_billed_ms(s.granularity_ms)
        return warm, (
            s.distribution.expected_billed_ms(s.granularity_ms, s.cold_add_ms) if _any(s.cold_add_ms) else warm
        )
    warm = billing.billed_duration_ms(s.duration_ms, s.granularity_ms)
    if _zero(s.cold_add_ms) or (_zero(s.cold_start_rate) and s.cold_starts is None):
        return warm, warm
    return warm, billing.cold_start_billed_ms(s.duration_ms, s.cold_add_ms, s.granularity_ms)


def _plain(s: Scenario) -> bool:
    """Whether :func:`meter` can skip every meter but requests, duration and /tmp: plain floats, the others off.

    What the common single call (``estimate(1536, 120, 3e6)``) meters; the quantities are those
    of the general path bit for bit (tests/test_engine.py compares both).
    """
    return (
        type(s.memory_mb) is float
        and type(s.requests) is float
        and type(s.duration_ms) is float
        and type(s.ephemeral_storage_mb) is float
        and type(s.free_tier) is bool
        and s.distribution is None
        and s.cold_starts is None
        and type(s.cold_start_rate) is float
        and s.cold_start_rate == 0.0
        and type(s.provisioned_concurrency) is float
        and s.provisioned_concurrency == 0.0
        and s.provisioned_requests is None
        and s.provisioned_billed_ms is None
        and s.snapstart_charged is False
        and s.edge is False
        and s.more_meters is False
        and type(s.response_mb) is float
        and s.response_mb == 0.0
        and type(s.async_payload_kb) is float
        and s.async_payload_kb == 0.0
        and type(s.second_response_share) is float
        and s.second_response_share == 0.0
    )


def meter(s: Scenario) -> Usage:
    """The month's quantities, meter by meter, of checked scenarios: the rules of every meter.

    Parameters
    ----------
    s : Scenario
        From :func:`check_scenario`.

    Returns
    -------
    Usage
        Each quantity broadcast over the scenario's elements (scalars for a scalar scenario).

    Notes
    -----
    * Provisioned Concurrency serves its busy share of the work; the rest spills over to
      on-demand. Its configured GB-s are concurrency x memory x enabled time rounded up to
      5 minutes.
    * Cold starts are on-demand invocations billed ``ceil(duration + init)`` (or the SnapStart
      restore); their extra time is on-demand duration.
    * Ephemeral storage above 512 MB is billed over every invocation's billed time.
    * Lambda@Edge moves requests and duration to its own meters; it and Provisioned Concurrency
      get no free tier.
    """
    memory, requests = s.memory_mb, s.requests
    if _plain(s):  # one scenario of plain floats, only requests, duration and /tmp metered
        billed = float(billing.billed_duration_ms(s.duration_ms, s.granularity_ms))
        on_demand_ms = billed * requests  # the general path's products, in its order
        storage = 0.0
        if s.ephemeral_storage_mb > EPHEMERAL_STORAGE_INCLUDED_MB:
            storage = float(billing.ephemeral_storage_gb_seconds(s.ephemeral_storage_mb, on_demand_ms))
        return _filled(
            Usage,
            {
                "requests": requests,
                "gb_seconds": float(billing.gb_seconds(memory, on_demand_ms)),
                "storage_gb_seconds": storage,
                "billed_duration_ms": billed,
                "free_tier_eligible": s.free_tier,
            },
        )
    billed, cold_billed = billed_durations(s)
    pc_requests = 0.0 if _zero(s.provisioned_concurrency) else _provisioned_requests(requests, billed, **_pc(s))
    if s.provisioned_requests is not None:  # given, as in the pricing page's PC Example 1
        pc_requests = s.provisioned_requests
    pc_billed = billed if s.provisioned_billed_ms is None else s.provisioned_billed_ms
    on_demand = requests if _zero(pc_requests) else np.subtract(requests, pc_requests)
    if s.cold_starts is not None:
        cold = s.cold_starts
    elif _zero(s.cold_start_rate):
        cold = 0.0
    else:
        cold = np.multiply(s.cold_start_rate, on_demand)
    extra_ms = 0.0 if _zero(cold) else np.subtract(cold_billed, billed)
    if _zero(extra_ms) or _zero(cold):
        on_demand_ms, init_gbs, mean_billed = billed * on_demand, 0.0, billed
    else:
        extra_total_ms = np.multiply(extra_ms, cold)
        on_demand_ms = np.multiply(billed, on_demand) + extra_total_ms
        init_gbs = billing.gb_seconds(memory, extra_total_ms)
        positive = np.asarray(on_demand) > 0
        mean_billed = np.where(positive, on_demand_ms / np.where(positive, on_demand, 1.0), billed)
    gbs = billing.gb_seconds(memory, on_demand_ms)
    storage = 0.0
    if not (_ndim(s.ephemeral_storage_mb) == 0 and s.ephemeral_storage_mb <= EPHEMERAL_STORAGE_INCLUDED_MB):
        all_ms = on_demand_ms if _zero(pc_requests) else on_demand_ms + np.multiply(pc_billed, pc_requests)
        storage = billing.ephemeral_storage_gb_seconds(s.ephemeral_storage_mb, all_ms)
    pc_gbs = pc_duration = 0.0
    if not _zero(s.provisioned_concurrency):
        pc_gbs = billing.provisioned_gb_seconds(s.provisioned_concurrency, memory, s.provisioned_s)
        pc_duration = billing.gb_seconds(memory, pc_billed, pc_requests)
    cache = restore = 0.0
    if s.snapstart_charged:
        cache = billing.snapstart_cache_gb_seconds(memory, s.snapstart_active_s)
        restore = billing.snapstart_restore_gb(memory, cold)
    streamed = 0.0 if _zero(s.response_mb) else billing.streamed_gb(s.response_mb, requests)
    if not _zero(s.second_response_share):
        streamed = _streamed_two_sizes(s, requests)
    extra = 0.0 if _zero(s.async_payload_kb) else billing.async_payload_extra_requests(s.async_payload_kb, requests)
    eligible = s.free_tier
    if not _zero(s.provisioned_concurrency) and not s.provisioned_free_tier:
        eligible = np.logical_and(eligible, np.equal(s.provisioned_concurrency, 0))
    quantities = dict(
        requests=requests,
        async_extra_requests=extra,
        gb_seconds=gbs,
        init_gb_seconds=init_gbs,
        storage_gb_seconds=storage,
        provisioned_gb_seconds=pc_gbs,
        provisioned_duration_gb_seconds=pc_duration,
        provisioned_requests=pc_requests,
        cold_starts=cold,
        snapstart_cache_gb_seconds=cache,
        snapstart_restore_gb=restore,
        streamed_gb=streamed,
        billed_duration_ms=mean_billed,
    )
    if s.more_meters:
        quantities.update(_more_quantities(s, requests, cold))
    if s.edge:
        quantities.update(
            requests=0.0, gb_seconds=0.0, init_gb_seconds=0.0, edge_requests=requests, edge_gb_seconds=gbs
        )
        eligible = False
    if all(isinstance(v, _PLAIN_NUMBER) or _ndim(v) == 0 for v in quantities.values()):
        quantities = {k: float(v) for k, v in quantities.items()}
        eligible = bool(eligible)
    quantities.update(free_tier_eligible=eligible, edge=s.edge, more_meters=s.more_meters)
    return _filled(Usage, quantities)


def free_use(usage: Usage, allowance: FreeTier, eligible=True) -> FreeUse:
    """The free tier one function alone in an account uses: the smaller of usage and allowance.

    Parameters
    ----------
    usage : Usage
    allowance : FreeTier
        The account's monthly allowance (requests, GB-s, streamed GB).
    eligible : bool or array of bool
        Whether the free tier is applied at all; :attr:`Usage.free_tier_eligible` is honoured too.

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> free_use(Usage(requests=3e6, gb_seconds=540_000.0), default_pricebook().free_tier)
    FreeUse(requests=1000000.0, gb_seconds=400000.0, streamed_gb=0.0)
    """
    both = usage.free_tier_eligible
    if type(eligible) is bool and type(both) is bool:
        if not (eligible and both):
            return FreeUse()
        requests, gbs, streamed = usage.all_requests, usage.gb_seconds, usage.streamed_gb
        if type(requests) is float and type(gbs) is float and type(streamed) is float:  # one function: used() below
            return FreeUse(
                0.0 if requests == 0 else float(min(requests, allowance.requests)),
                0.0 if gbs == 0 else float(min(gbs, allowance.gb_seconds)),
                0.0 if streamed == 0 else float(min(streamed, allowance.streaming_gb)),
            )
    on = eligible and both if type(eligible) is bool and type(both) is bool else np.logical_and(eligible, both)
    if _ndim(on) == 0 and not on:
        return FreeUse()
    scalar = _ndim(on) == 0
    scale = 1.0 if scalar else on

    def used(quantity, pool):
        if _zero(quantity):
            return 0.0
        if scalar and isinstance(quantity, float):  # one number: min of floats, as np.minimum takes it
            return float(min(quantity, pool))
        value = np.minimum(quantity, pool) * scale
        return float(value) if _ndim(value) == 0 else value

    return FreeUse(
        used(usage.all_requests, allowance.requests),
        used(usage.gb_seconds, allowance.gb_seconds),
        used(usage.streamed_gb, allowance.streaming_gb),
    )


#: Retained durable data is prorated over 30-day months, as the pricing page's example does
#: ("104GB x (7/30) = 24.27 GB-month").
DURABLE_DAYS_PER_MONTH = 30.0


#: Durable data is counted in decimal GB in that example ("1M x 104KB = 104GB").
DURABLE_KB_PER_GB = 1e6


#: CloudWatch Logs GB: 1024^3 bytes, i.e. 1024^2 KB (as AWS's IncomingBytes are converted by
#: the Duckbill Group's estimator cited in the sheet).
LOGS_KB_PER_GB = 1024.0**2


#: Provisioned-mode ESM: "Pricing is calculated per second, with a 1-minute minimum".
ESM_BILLING_STEP_S, ESM_MINIMUM_S = 1.0, 60.0


def _streamed_two_sizes(s: Scenario, requests):
    """Response streaming beyond 6 MB a request, at two sizes. [GB]"""
    second = np.multiply(requests, s.second_response_share)
    return billing.streamed_gb(s.response_mb, np.subtract(requests, second)) + billing.streamed_gb(
        s.second_response_mb, second
    )


def _more_quantities(s: Scenario, requests, cold) -> dict:
    """The month's quantities of the meters :func:`_checked_more_meters` checks (zeros when unused)."""
    out = {}
    if s.esm_type is not None:
        out[f"esm_{s.esm_type}_epu_hours"] = s.esm_epu_hours
    if not _zero(s.durable_executions):
        written_gb = np.multiply(s.durable_executions, s.durable_written_kb) / DURABLE_KB_PER_GB
        out.update(
            durable_operations=np.multiply(s.durable_executions, s.durable_operations),
            durable_written_gb=written_gb,
            durable_retained_gb_months=np.multiply(written_gb, s.durable_retained_days) / DURABLE_DAYS_PER_MONTH,
        )
    if s.tenant_isolation:
        out["tenant_environment_gb"] = np.multiply(cold, s.memory_mb) / MB_PER_GB
    if not _zero(s.logged_kb):
        out["logged_gb"] = np.multiply(requests, s.logged_kb) / LOGS_KB_PER_GB
    if not _zero(s.savings_plan_per_hour):
        out[f"savings_plan_{s.savings_plan_term}_cost"] = np.multiply(s.savings_plan_per_hour, HOURS_PER_MONTH)
    return out
