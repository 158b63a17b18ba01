"""The engine's common path compiled: one fused numba pass per element, input checks included.

:func:`price` computes exactly what :func:`lambdacost.engine.price_scenario` computes for a
scenario whose optional meters are off or among the simple ones (on-demand duration with its
billing step, the volume tiers with the free GB-s taken off first, requests with the free
requests, ephemeral storage, cold starts with INIT or restore time, async payload chunks),
operation by operation in the engine's order, so the two agree to the last bit on every
element. The rules stay in :mod:`lambdacost.engine`; this module is their compiled form, and
``tests/test_kernel.py`` pins the two together on random inputs.

The element checks of the large inputs (:func:`lambdacost.engine.element_limits`) run in the
same pass: no extra sweep over memory. When an element fails them, :func:`price` returns None
and the caller lets :func:`lambdacost.engine.check_scenario` raise its usual message.

Importing this module imports numba (slow, ~0.3 s): :mod:`lambdacost.monthly` imports it only
for inputs large enough to pay for it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types
from numba.extending import overload

from . import engine
from .rules import ASYNC_CHUNK_KB, ASYNC_INCLUDED_KB, EPHEMERAL_STORAGE_INCLUDED_MB, MB_PER_GB, MS_PER_S

__all__ = ["CHECKED", "fusable", "price"]

#: Inputs whose element checks run inside the kernel (``check_scenario(..., unchecked=CHECKED)``).
CHECKED = ("memory_mb", "duration_ms", "requests", "ephemeral_storage_mb")

_GB_S = 1.0 / (MB_PER_GB * MS_PER_S)  # as billing.gb_seconds writes it


def _at(values, position):
    """Element ``position`` of an operand: of an array, ``values[position]``; of a scalar, itself."""
    return values[position] if np.ndim(values) else values


@overload(_at)
def _at_compiled(values, position):
    # numba compiles one loop per combination of array and scalar operands: no strides to multiply
    if isinstance(values, types.Array):
        return lambda values, position: values[position]
    return lambda values, position: values


@njit(cache=True, inline="always")
def _billed(duration, granularity):
    if granularity == 1.0:  # billing.billed_duration_ms
        return np.ceil(duration)
    return np.ceil(duration / granularity) * granularity


@njit(cache=True, inline="always")
def _inside(x, low, high, step):
    # branch-free within an element (bitwise &), so the loop vectorizes; NaN fails every comparison,
    # and so does an infinity, ``high`` being finite (price() sends no open range here)
    ok = (x >= low) & (x <= high)
    if step == 1.0:  # the same for every element: the compiler takes it out of the loop
        return ok & (np.floor(x) == x)
    if step > 0.0:
        return ok & (np.floor(x / step) == x / step)
    return ok


@njit(parallel=True, cache=True, nogil=True)
def _price(
    out,
    memory,
    duration,
    requests,
    storage,
    free,
    cold_rate,
    cold_add,
    payload,
    request_rate,
    storage_rate,
    tier_rates,
    tier_starts,
    limits,
    granularity,
    free_requests,
    free_gb_seconds,
    check,
):
    """The engine's arithmetic per element. A meter that is off comes in as the scalar that makes
    its terms exactly zero (no cold starts: rate 0; no payload: 0 KB; no storage: 512 MB), and
    ``x + 0.0 == x``, so one branch-free loop serves every case bit for bit."""
    n = out.shape[0]
    tiers = len(tier_rates)
    bad = 0
    for i in prange(n):
        m = _at(memory, i)
        d = _at(duration, i)
        r = _at(requests, i)
        st = _at(storage, i)
        if check:
            ok = (
                _inside(m, limits[0, 0], limits[0, 1], limits[0, 2])
                & _inside(d, limits[1, 0], limits[1, 1], limits[1, 2])
                & _inside(r, limits[2, 0], limits[2, 1], limits[2, 2])
                & _inside(st, limits[3, 0], limits[3, 1], limits[3, 2])
            )
            bad += 0 if ok else 1
        # meter: billed time, cold starts' extra time (billed ceil(duration + init)), GB-s
        billed = _billed(d, granularity)
        cold = _at(cold_rate, i) * r
        extra_ms = _billed(d + _at(cold_add, i), granularity) - billed
        on_demand_ms = billed * r + extra_ms * cold
        gbs = m * on_demand_ms * 1.0 * _GB_S
        extra_kb = max(_at(payload, i) - ASYNC_INCLUDED_KB, 0.0)
        extra_requests = np.ceil(extra_kb / ASYNC_CHUNK_KB) * r
        all_requests = r + extra_requests
        # free_use: the smaller of usage and allowance, where the free tier applies
        on = _at(free, i)  # 1.0 or 0.0: what numpy makes of the engine's bool
        free_r = min(all_requests, free_requests) * on
        free_g = min(gbs, free_gb_seconds) * on
        # charges, added up per component in the engine's order
        rate = _at(request_rate, i)
        requests_cost = 0.0 + r * rate + extra_requests * rate + (-free_r) * rate
        duration_cost = 0.0
        low = _at(tier_starts[0], i)
        for k in range(tiers):
            high = _at(tier_starts[k + 1], i) + free_g if k + 1 < tiers else np.inf
            duration_cost = duration_cost + min(max(gbs - low, 0.0), high - low) * _at(tier_rates[k], i)
            low = high
        duration_cost = duration_cost + (-free_g) * _at(tier_rates[0], i)
        extra_mb = max(st - EPHEMERAL_STORAGE_INCLUDED_MB, 0.0)
        storage_cost = extra_mb * on_demand_ms * 1.0 * _GB_S * _at(storage_rate, i)
        out[i] = 0.0 + requests_cost + duration_cost + storage_cost
    return bad


def _operand(value, shape, dtype=np.float64):
    """The element operand as the kernel takes it: a flat array over the elements, or one value."""
    if np.ndim(value) == 0:
        return dtype(value)
    array = np.asarray(value)
    if array.shape != shape:
        return None
    return np.ascontiguousarray(array, dtype=dtype).reshape(-1)


def fusable(inputs: dict) -> bool:
    """Whether :func:`price` covers a call of ``monthly_cost`` with these inputs (before checks).

    Only the meters it compiles may be on; a duration distribution, Provisioned Concurrency,
    SnapStart, Lambda@Edge, response streaming, cold-start counts and the meters of
    :data:`lambdacost.engine.ENGINE_ONLY_KEYWORDS` go through the engine.
    """
    from .distributions import DurationDistribution

    def off(value) -> bool:  # a scalar zero: the meter it drives is not used
        return isinstance(value, int | float) and value == 0

    if isinstance(inputs["duration_ms"], DurationDistribution):
        return False
    if engine.engine_only(inputs):  # the meters priced in numpy only (event source mappings, ...)
        return False
    if not off(inputs["provisioned_concurrency"]) or not off(inputs["response_mb"]):
        return False
    if any(inputs[k] is not None for k in ("provisioned_hours", "provisioned_utilization", "cold_starts")):
        return False
    if inputs["traffic_concurrency"] is not None or inputs["snapstart"] is not False or inputs["edge"] is not False:
        return False
    return off(inputs["restore_duration_ms"]) and inputs["snapstart_active_hours"] is None


def price(book, scenario: engine.Scenario, rates: engine.RateTable, check: bool = True):
    """``price_scenario(book, scenario, rates)["cost"]`` in one compiled pass, or None.

    ``scenario`` comes from ``check_scenario(..., unchecked=CHECKED)`` of a :func:`fusable` call.
    Returns None where the fused path does not apply (operands of different shapes, a limit
    without a finite bound, or an element outside :func:`lambdacost.engine.element_limits`: the
    caller then checks and prices through the engine, which raises the usual message for a bad
    element). ``check=False`` skips the element checks (for a fully checked scenario, and to time
    what the checks cost).
    """
    s = scenario
    operands = {
        "memory": s.memory_mb,
        "duration": s.duration_ms,
        "requests": s.requests,
        "storage": s.ephemeral_storage_mb,
        "cold_rate": s.cold_start_rate,
        "cold_add": s.cold_add_ms,
    }
    payload_on = not (isinstance(s.async_payload_kb, int | float) and s.async_payload_kb == 0)
    operands["payload"] = s.async_payload_kb if payload_on else 0.0
    arrays = [np.shape(v) for v in (*operands.values(), s.free_tier) if np.ndim(v)]
    rate_arrays = [v for v in rates.rates.values() if v is not None and np.ndim(v)]
    shapes = arrays + [v.shape for v in rate_arrays]
    if not shapes:
        return None
    shape = shapes[0]
    if any(other != shape for other in shapes):
        return None
    # One compiled loop per combination of array and scalar operands (numba specializes on type).
    # To keep the combinations few: memory, duration and requests each as given; the optional
    # meters' operands all scalars or all arrays; the rates all scalars (one pair) or all arrays.
    n = int(np.prod(shape))
    args = [_operand(operands[name], shape) for name in ("memory", "duration", "requests")]
    optional = [operands["storage"], s.free_tier, operands["cold_rate"], operands["cold_add"], operands["payload"]]
    if any(np.ndim(v) for v in optional):
        optional = [np.broadcast_to(v, shape) for v in optional]
    args += [_operand(v, shape) for v in optional]
    rate_values = [rates.per_request, rates.ephemeral_storage_per_gb_second, *rates.tier_rates()]
    rate_values += rates.tier_starts()
    if any(np.ndim(v) for v in rate_values):
        rate_values = [np.broadcast_to(v, shape) for v in rate_values]
    rate_values = [_operand(v, shape) for v in rate_values]
    if any(a is None for a in (*args, *rate_values)):
        return None
    tiers = rates.tiers
    tier_rates, tier_starts = tuple(rate_values[2 : 2 + tiers]), tuple(rate_values[2 + tiers :])
    limits = np.array(
        [
            (low, high, 0.0 if step is None else float(step))
            for name, (low, high, step, _) in engine.element_limits(rates).items()
            if name in CHECKED
        ],
        dtype=np.float64,
    )
    if not np.isfinite(limits[:, :2]).all():  # _inside tests finiteness by the range alone
        return None
    allowance = book.free_tier
    out = np.empty(n)
    bad = _price(
        out,
        *args,
        *rate_values[:2],
        tier_rates,
        tier_starts,
        limits,
        float(s.granularity_ms),
        float(allowance.requests),
        float(allowance.gb_seconds),
        check,
    )
    if bad:
        return None
    return out.reshape(shape)
