"""The one input checker: every input of a call against the era's limits, with one message per rule."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import numpy as np

from .. import billing
from ..errors import InvalidParameterError, PriceNotAvailableError
from ..prices import PriceBook
from ..rules import (
    ASYNC_MAX_KB,
    EPHEMERAL_STORAGE_INCLUDED_MB,
    HOURS_PER_MONTH,
    MAX_HOURS_PER_MONTH,
    MAX_INIT_MS,
    MS_PER_S,
    PACKAGE_TYPES,
    STREAMING_INCLUDED_MB,
)
from ..validation import check_choice, check_numeric, requests_per_month_factor
from .meters import ESM_BILLING_STEP_S, ESM_MINIMUM_S, _pc, _provisioned_requests, billed_durations
from .model import (
    _PLAIN_NUMBER,
    ENGINE_ONLY_KEYWORDS,
    METER_KEYWORDS,
    WARNING,
    Scenario,
    _any,
    _at_defaults,
    _filled,
    _ndim,
    _plain,
    _shown,
    _zero,
    meter_keywords,
)
from .rates import RateTable, _code, init_is_billed

#: The most requests one month may hold. Lambda's regional concurrency cannot come near it (1e15 a month
#: is 380 million a second), float64 still counts it exactly, and every cost stays finite even at
#: 10,240 MB x 900,000 ms (9e18 GB-s: about $1.5e14).
MAX_REQUESTS_PER_MONTH = 1e15


#: The most execution environments one function may keep: far above any account's concurrency
#: quota, and it keeps Provisioned Concurrency finite at 10,240 MB all month (about $1e14).
MAX_CONCURRENCY = 1e9


#: The largest streamed response priced, per invocation: a month of the largest response at the
#: most requests stays finite. [MB]
MAX_RESPONSE_MB = 1e6


def element_limits(rates: RateTable) -> dict:
    """The range each element of the large numeric inputs must lie in: ``(low, high, step, unit)``.

    :func:`check_scenario` checks against these; the compiled kernel (:mod:`lambdacost.kernel`)
    checks the same limits inside its pass (``step`` None: any finite number in range).
    """
    cached = rates.__dict__.get("_element_limits")  # read on every call: worked out once per table
    if cached is None:
        cached = rates.__dict__["_element_limits"] = _element_limits(rates)
    return cached


def _element_limits(rates: RateTable) -> dict:
    reference = rates.reference
    era = reference.era
    return {
        "memory_mb": (era.memory_mb_min, era.memory_mb_max, era.memory_mb_step, "MB"),
        "duration_ms": (0, era.max_duration_ms, None, "ms"),
        "requests": (0, MAX_REQUESTS_PER_MONTH, None, "requests a month"),
        "ephemeral_storage_mb": (EPHEMERAL_STORAGE_INCLUDED_MB, reference.ephemeral_storage_mb_max, 1, "MB"),
    }


def _today() -> date:
    """``date.today()``, worked out once a second: a local date changes only on a whole second."""
    second = int(time.time())
    if second != _TODAY[0]:
        _TODAY[:] = second, date.fromtimestamp(second)  # date.today() anywhere in that second
    return _TODAY[1]


#: The whole second of the epoch :func:`_today` last worked the date out for, and that date.
_TODAY: list = [None, None]


#: Where ENGINE_ONLY_KEYWORDS start in METER_KEYWORDS (and in a meters tuple).
_FIRST_ENGINE_ONLY = tuple(METER_KEYWORDS).index(ENGINE_ONLY_KEYWORDS[0])


#: What a flag may be (a tuple made once: ``bool | np.bool_`` builds a union on every call).
_FLAGS = (bool, np.bool_)


def _flag(name: str, value) -> bool:
    if type(value) is bool:
        return value
    if not isinstance(value, _FLAGS):
        raise InvalidParameterError(name, "True or False", value)
    return bool(value)


def check_scenario(
    book: PriceBook,
    rates: RateTable,
    memory_mb,
    duration_ms,
    requests,
    *,
    ephemeral_storage_mb=512,
    requests_per: str = "month",
    free_tier=True,
    unchecked=(),
    **meters,
) -> tuple[Scenario, dict, list[str]]:
    """Check every input of one call against the era's limits: the one input checker.

    Scalars and arrays go through the same checks, each with one message naming the parameter,
    the allowed range and the first bad value. The parameters are those of
    :func:`lambdacost.estimate`, ``meters`` its optional meter keywords (:data:`METER_KEYWORDS`,
    with their defaults); ``rates`` is the :func:`rate_table` of the call. ``unchecked``
    names inputs of :func:`element_limits` whose elements the caller checks itself, in its own
    pass (the compiled kernel); they are only turned into float arrays here.

    Returns
    -------
    scenario : Scenario
        The checked operands of :func:`meter`.
    inputs : dict
        What was asked, after parsing (for results).
    assumptions : list of str
        What the price will rest on that is not read from a source; those starting with
        :data:`WARNING` say that an input is probably not what was meant.
    """
    return check_scenario_ordered(
        book,
        rates,
        memory_mb,
        duration_ms,
        requests,
        ephemeral_storage_mb,
        requests_per,
        free_tier,
        tuple(meter_keywords(meters).values()),  # in METER_KEYWORDS order
        unchecked,
    )


def check_scenario_ordered(
    book: PriceBook,
    rates: RateTable,
    memory_mb,
    duration_ms,
    requests,
    ephemeral_storage_mb,
    requests_per: str,
    free_tier,
    meters: tuple,
    unchecked=(),
) -> tuple[Scenario, dict, list[str]]:
    """:func:`check_scenario` with the meter keywords given as one tuple, in :data:`METER_KEYWORDS` order.

    For :func:`lambdacost.estimate`, which has every keyword at hand: passing thirty keywords by
    name costs about 2 us a call in name matching alone, a tuple next to nothing.
    """
    (
        provisioned_concurrency,
        provisioned_hours,
        provisioned_utilization,
        traffic_concurrency,
        cold_start_rate,
        cold_starts,
        init_duration_ms,
        package_type,
        runtime,
        snapstart,
        restore_duration_ms,
        snapstart_active_hours,
        edge,
        response_mb,
        async_payload_kb,
        provisioned_requests,
        provisioned_duration_ms,
        provisioned_free_tier,
        second_response_mb,
        second_response_share,
        esm_type,
        esm_epu_hours,
        durable_executions,
        durable_operations,
        durable_written_kb,
        durable_retained_days,
        tenant_isolation,
        logged_kb,
        savings_plan_per_hour,
        savings_plan_term,
    ) = meters
    reference = rates.reference
    day, granularity = reference.as_of, reference.granularity_ms
    assumptions: list[str] = []
    if day is not None and day > _today():  # a future day: its prices cannot be known yet
        assumptions.append(
            f"priced on {day} with the prices known on {book.stamp} (the pricing stamp): later changes are not known"
        )
    distribution = None
    if not isinstance(duration_ms, _PLAIN_NUMBER):  # a number needs no import
        from ..distributions import DurationDistribution

        distribution = duration_ms if isinstance(duration_ms, DurationDistribution) else None
    limits = element_limits(rates)

    def numeric(name, values):
        if name in unchecked:
            return np.asarray(values, dtype=float) if _ndim(values) else float(values)
        low, high, step, unit = limits[name]
        return check_numeric(name, values, low, high, unit, step=step)

    if not unchecked:  # every element checked here (not the kernel's call): no closure on the way
        low, high, step, unit = limits["memory_mb"]
        memory = check_numeric("memory_mb", memory_mb, low, high, unit, step=step)
        mean_ms = distribution.mean_ms if distribution is not None else duration_ms
        low, high, step, unit = limits["duration_ms"]
        duration = check_numeric("duration_ms", mean_ms, low, high, unit, step=step)
    else:
        memory = numeric("memory_mb", memory_mb)
        mean_ms = distribution.mean_ms if distribution is not None else duration_ms
        duration = numeric("duration_ms", mean_ms)
    factor = requests_per_month_factor(requests_per)
    if "requests" in unchecked or factor == 1:
        monthly = numeric("requests", requests)
    else:  # the month's bound, in the unit the requests are given in
        monthly = check_numeric(
            "requests",
            requests,
            0,
            MAX_REQUESTS_PER_MONTH / factor,
            f"requests a {requests_per} ({MAX_REQUESTS_PER_MONTH:g} a month)",
        )
    if factor != 1:
        monthly = monthly * factor
    storage_max = reference.ephemeral_storage_mb_max
    included = EPHEMERAL_STORAGE_INCLUDED_MB
    if (
        "ephemeral_storage_mb" not in unchecked
        and storage_max == included
        and _any(np.asarray(ephemeral_storage_mb) != included)
    ):
        raise InvalidParameterError(
            "ephemeral_storage_mb", f"{included:g} MB on {day} (configurable /tmp came later)", ephemeral_storage_mb
        )
    storage = numeric("ephemeral_storage_mb", ephemeral_storage_mb)
    free = free_tier if type(free_tier) is bool else np.asarray(free_tier)
    if type(free) is not bool:
        if free.dtype != bool:
            raise InvalidParameterError("free_tier", "True or False", free_tier)
        free = bool(free) if free.ndim == 0 else free
    inputs: dict[str, Any] = {
        "memory_mb": memory,
        "duration_ms": duration,
        "requests": monthly,
        "arch": reference.arch if len(rates.pairs) == 1 else [r.arch for r in rates.pairs],
        "region": reference.region if len(rates.pairs) == 1 else [r.region for r in rates.pairs],
        "ephemeral_storage_mb": storage,
    }
    snapstart, edge = _flag("snapstart", snapstart), _flag("edge", edge)
    if type(package_type) is not str or package_type not in PACKAGE_TYPES:  # a lone string: no call
        check_choice("package_type", package_type, PACKAGE_TYPES)
    if runtime is not None and (not isinstance(runtime, str) or not runtime.strip() or runtime != runtime.strip()):
        raise InvalidParameterError("runtime", "a Lambda runtime id such as 'python3.12'", runtime)
    if package_type != "Zip":
        inputs["package_type"] = package_type
    if runtime:
        inputs["runtime"] = runtime

    if distribution is not None:
        from ..distributions import Percentiles

        inputs["duration_distribution"] = distribution.to_dict()
        if isinstance(distribution, Percentiles):
            assumptions.append(distribution.assumption)
    # Cold starts: INIT (or a SnapStart restore) added to the handler duration before rounding.
    if cold_starts is None and _off(cold_start_rate) and _off(init_duration_ms) and _off(restore_duration_ms):
        # none (the common case): no check below can fail and no note applies
        init_ms, restore_ms, rate = float(init_duration_ms), float(restore_duration_ms), float(cold_start_rate)
        add_ms = restore_ms if snapstart else (init_ms if init_is_billed(book, day, package_type, runtime) else 0.0)
        some_cold = False
    else:
        init_ms, add_ms, rate, cold_starts, some_cold = _checked_cold_starts(
            book,
            day,
            snapstart,
            package_type,
            runtime,
            init_duration_ms,
            restore_duration_ms,
            cold_start_rate,
            cold_starts,
            inputs,
            assumptions,
        )

    scenario = dict(
        memory_mb=memory,
        requests=monthly,
        duration_ms=duration,
        distribution=distribution,
        cold_add_ms=add_ms,
        granularity_ms=granularity,
        ephemeral_storage_mb=storage,
        free_tier=free,
        cold_start_rate=rate,
        cold_starts=cold_starts,
    )
    if (
        _off(provisioned_concurrency)
        and provisioned_hours is None
        and provisioned_utilization is None
        and traffic_concurrency is None
    ):  # no PC (the common case): what _checked_provisioned gives, without its checks that cannot fail
        scenario.update(
            provisioned_concurrency=float(provisioned_concurrency), provisioned_s=0.0, provisioned_utilization=None
        )
    else:
        scenario.update(
            _checked_provisioned(  # PC checks need billed time: computed only when PC is on
                book,
                rates,
                memory,
                monthly,
                lambda: billed_durations(Scenario(**scenario))[0],
                provisioned_concurrency,
                provisioned_hours,
                provisioned_utilization,
                traffic_concurrency,
                inputs,
                assumptions,
                served=provisioned_requests,
            )
        )
    more_meters = not _at_defaults(
        meters[_FIRST_ENGINE_ONLY:]
    )  # else their checks below are skipped: the common case costs nothing
    scenario["more_meters"] = more_meters
    if more_meters:
        scenario.update(
            _checked_provisioned_split(
                rates,
                memory,
                monthly,
                scenario,
                provisioned_requests,
                provisioned_duration_ms,
                provisioned_free_tier,
                inputs,
                assumptions,
            )
        )
    if cold_starts is not None:
        warm, _ = billed_durations(Scenario(**scenario))
        served = scenario.get("provisioned_requests")
        on_demand = np.subtract(
            monthly, _provisioned_requests(monthly, warm, **_pc(scenario)) if served is None else served
        )
        too_many = np.asarray(cold_starts > on_demand * (1 + 1e-12))
        if too_many.any():
            first = np.broadcast_to(cold_starts, too_many.shape)[too_many].flat[0]
            raise InvalidParameterError("cold_starts", "at most the on-demand invocations", _plain(first))
    if some_cold:
        inputs["cold_starts"] = cold_starts if cold_starts is not None else None
    if snapstart or snapstart_active_hours is not None:  # else the Scenario's defaults: nothing charged
        scenario.update(
            _checked_snapstart(book, rates, snapstart, runtime, snapstart_active_hours, inputs, assumptions)
        )

    if _off(response_mb):
        response = float(response_mb)
    else:
        response = check_numeric("response_mb", response_mb, 0, MAX_RESPONSE_MB, "MB")
        if _any(response):
            inputs["response_mb"] = response
            if _any(np.greater(response, STREAMING_INCLUDED_MB)):
                rates.require("streaming_per_gb")
                if not more_meters or _zero(second_response_share):  # two sizes: said by _checked_second_response
                    assumptions.append(f"every response streams {_shown(response)} MB")
    if _off(async_payload_kb):
        payload = float(async_payload_kb)
    else:
        payload = check_numeric("async_payload_kb", async_payload_kb, 0, ASYNC_MAX_KB, "KB")
        if _any(payload):
            inputs["async_payload_kb"] = payload
    if edge:
        rates.require("edge_per_request")
        rates.require("edge_per_gb_second")
        for name, value in (
            ("provisioned_concurrency", scenario["provisioned_concurrency"]),
            ("snapstart", snapstart),
            ("response_mb", np.greater(response, STREAMING_INCLUDED_MB)),
            ("async_payload_kb", billing.async_payload_extra_requests(payload, 1)),
            ("ephemeral_storage_mb", np.greater(storage, EPHEMERAL_STORAGE_INCLUDED_MB)),
        ):
            if _any(value):
                given = {"snapstart": snapstart, "ephemeral_storage_mb": storage, "response_mb": response}
                raise InvalidParameterError(
                    name,
                    "left at its default for Lambda@Edge (our sources price only Edge requests and duration)",
                    _plain(given.get(name, value if name != "async_payload_kb" else payload)),
                )
        inputs["edge"] = True
    if more_meters:
        scenario.update(
            _checked_second_response(rates, response, second_response_mb, second_response_share, inputs, assumptions)
        )
        scenario.update(
            _checked_more_meters(
                book,
                rates,
                scenario,
                edge,
                esm_type,
                esm_epu_hours,
                durable_executions,
                durable_operations,
                durable_written_kb,
                durable_retained_days,
                tenant_isolation,
                logged_kb,
                inputs,
                assumptions,
            )
        )
        scenario.update(
            _checked_savings_plan(book, rates, edge, savings_plan_per_hour, savings_plan_term, inputs, assumptions)
        )
    pc = scenario["provisioned_concurrency"]
    pc_without_free = not _zero(pc) and not scenario.get("provisioned_free_tier")  # scalars: no ufunc
    if _any(free) and (edge or (pc_without_free and _any(np.logical_and(free, np.greater(pc, 0))))):
        assumptions.append(
            "no free tier: "
            + ("Lambda@Edge has no free tier in our sources" if edge else "the function has Provisioned Concurrency")
        )
    scenario.update(response_mb=response, async_payload_kb=payload, edge=edge)
    return _filled(Scenario, scenario), inputs, assumptions


def _off(value) -> bool:
    """A plain 0 (int or float, not a flag): its meter is off, and no check of it can fail."""
    return (type(value) is float or type(value) is int) and value == 0


def _checked_cold_starts(
    book,
    day,
    snapstart,
    package_type,
    runtime,
    init_duration_ms,
    restore_duration_ms,
    rate,
    cold_starts,
    inputs,
    assumptions,
):
    """Cold-start operands: INIT (or restore) time, the time a cold start adds where billed, the rate or count."""
    init_ms = check_numeric("init_duration_ms", init_duration_ms, 0, MAX_INIT_MS, "ms")
    restore_ms = check_numeric("restore_duration_ms", restore_duration_ms, 0, MAX_INIT_MS, "ms")
    if snapstart and _any(init_ms):
        raise InvalidParameterError(
            "init_duration_ms",
            "0 with SnapStart (a SnapStart cold start is a restore: give restore_duration_ms)",
            init_ms,
        )
    if not snapstart and _any(restore_ms):
        raise InvalidParameterError("restore_duration_ms", "0 without SnapStart", restore_ms)
    init_billed = snapstart or init_is_billed(book, day, package_type, runtime)
    add_ms = restore_ms if snapstart else (init_ms if init_billed else 0.0)
    rate = check_numeric("cold_start_rate", rate, 0, 1, "")
    if cold_starts is not None:
        if _any(rate):
            raise InvalidParameterError("cold_starts", "omitted when cold_start_rate is given", cold_starts)
        cold_starts = check_numeric("cold_starts", cold_starts, 0, np.inf, "cold starts")
    some_cold = _any(rate) or (cold_starts is not None and _any(cold_starts))
    if some_cold:
        inputs.update(init_duration_ms=init_ms)
        if _any(init_ms) and not init_billed:
            assumptions.append(
                f"INIT is not billed on {day} for an on-demand ZIP function on a managed runtime (billed from 2025-08-01)"
            )
        if not _any(init_ms if not snapstart else restore_ms):
            assumptions.append(_no_cold_time_warning(snapstart, rate, cold_starts))
        if _any(add_ms) and not snapstart and package_type == "Zip" and not (runtime or "").startswith("provided"):
            assumptions.append(
                "a cold start of a ZIP function on a managed runtime is billed ceil(duration + init), "
                "as AWS shows for container images"
            )
    return init_ms, add_ms, rate, cold_starts, some_cold


def _checked_provisioned(
    book,
    rates: RateTable,
    memory,
    monthly,
    billed,
    concurrency,
    hours,
    utilization,
    traffic,
    inputs,
    assumptions,
    served=None,
) -> dict:
    """Provisioned Concurrency operands: concurrency, enabled seconds and busy share (or None).

    ``billed`` is called for the billed duration of a warm invocation only when PC is on;
    ``served`` is the invocations served on it where given (checked by
    :func:`_checked_provisioned_split`)."""
    concurrency = check_numeric("provisioned_concurrency", concurrency, 0, MAX_CONCURRENCY, "environments", step=1)
    if not _any(concurrency):
        for name, value in (
            ("provisioned_hours", hours),
            ("provisioned_utilization", utilization),
            ("traffic_concurrency", traffic),
        ):
            if value is not None:
                raise InvalidParameterError(name, "given only with provisioned_concurrency above 0", value)
        return {"provisioned_concurrency": concurrency, "provisioned_s": 0.0, "provisioned_utilization": None}
    reference = rates.reference
    launch = book.milestones.get("provisioned_concurrency")
    if launch is not None and reference.as_of < launch.date:
        raise PriceNotAvailableError(
            f"Provisioned Concurrency did not exist on {reference.as_of} (priced from {launch.date})"
        )
    rates.require("provisioned_per_gb_second")
    rates.require("provisioned_duration_per_gb_second")
    hours = HOURS_PER_MONTH if hours is None else check_numeric("provisioned_hours", hours, 0, MAX_HOURS_PER_MONTH, "h")
    enabled_s = np.multiply(hours, 3600.0)
    work_s = np.multiply(monthly, billed()) * (1.0 / MS_PER_S)  # concurrency-seconds of invocations
    capacity_s = np.multiply(concurrency, enabled_s)
    if utilization is not None and traffic is not None:
        raise InvalidParameterError(
            "traffic_concurrency", "omitted when provisioned_utilization is given", "both given"
        )
    if traffic is not None:
        shape = np.atleast_1d(check_numeric("traffic_concurrency", traffic, 0, MAX_CONCURRENCY, "environments"))
        if shape.ndim != 1:
            raise InvalidParameterError("traffic_concurrency", "a 1-D sequence of concurrency per time slot", traffic)
        window_s = float(shape.sum()) * np.divide(enabled_s, shape.size)
        too_much = np.asarray(window_s > work_s * (1 + 1e-9))
        if too_much.any():
            work = float(np.broadcast_to(work_s, too_much.shape)[too_much].flat[0])
            window = float(np.broadcast_to(window_s, too_much.shape)[too_much].flat[0])
            raise InvalidParameterError(
                "traffic_concurrency",
                f"a shape with at most the workload's {work:,.0f} concurrency-seconds (requests x duration)",
                f"{window:,.0f} concurrency-seconds",
            )
        served_s = billing.provisioned_served_fraction(shape, concurrency) * window_s
        utilization = np.divide(
            served_s, capacity_s, out=np.zeros_like(np.asarray(served_s, dtype=float)), where=np.asarray(capacity_s) > 0
        )
        utilization = float(utilization) if _ndim(utilization) == 0 else utilization
        inputs["traffic_concurrency"] = shape.tolist()
    elif utilization is not None:
        utilization = check_numeric("provisioned_utilization", utilization, 0, 1, "")
        over = np.asarray(np.multiply(utilization, capacity_s) > work_s * (1 + 1e-9))  # more than the work
        if over.any():

            def pick(values):
                return float(np.broadcast_to(values, over.shape)[over].flat[0])

            raise InvalidParameterError(
                "provisioned_utilization",
                f"at most {pick(work_s) / pick(capacity_s):.6g}: the workload's {pick(work_s):,.0f} concurrency-seconds "
                f"fill no more of {pick(concurrency):g} environments x {pick(hours):g} h",
                pick(utilization),
            )
        inputs["provisioned_utilization"] = utilization
    elif served is None:
        assumptions.append(
            "traffic is spread evenly over the 730-hour month (no provisioned_utilization or traffic_concurrency given)"
        )
    inputs.update(provisioned_concurrency=concurrency, provisioned_hours=hours)
    assumptions.append(
        launch.assumption
        if launch is not None and launch.assumption
        else "functions with Provisioned Concurrency get no free tier"
    )
    assumptions.append("INIT runs of recycled provisioned environments are not counted")
    for r in rates.pairs:
        if r.arch in book.region_rates(r.region, r.as_of).provisioned_derived:
            assumptions.append(f"the arm64 Provisioned Concurrency rates for {r.region} are the x86_64 ones x 0.8")
    return {"provisioned_concurrency": concurrency, "provisioned_s": enabled_s, "provisioned_utilization": utilization}


def _checked_snapstart(book, rates: RateTable, snapstart, runtime, active_hours, inputs, assumptions) -> dict:
    """SnapStart operands: whether cache and restore are charged, and the cache's active time."""
    off = {"snapstart_charged": False, "snapstart_active_s": 0.0}
    if not snapstart:
        if active_hours is not None:
            raise InvalidParameterError("snapstart_active_hours", "given only with snapstart", active_hours)
        return off
    reference = rates.reference
    launch, priced = book.milestones.get("snapstart"), book.milestones.get("snapstart_python_dotnet")
    runtime = runtime or ""
    if launch is not None and reference.as_of < launch.date:
        raise PriceNotAvailableError(f"SnapStart did not exist on {reference.as_of} (launched {launch.date})")
    if runtime.startswith(("python", "dotnet")) and priced is not None and reference.as_of < priced.date:
        raise PriceNotAvailableError(f"SnapStart for {runtime} did not exist on {reference.as_of} (from {priced.date})")
    hours = (
        HOURS_PER_MONTH
        if active_hours is None
        else check_numeric("snapstart_active_hours", active_hours, 0, MAX_HOURS_PER_MONTH, "h")
    )
    inputs.update(snapstart=True, snapstart_active_hours=hours)
    if runtime.startswith("java"):
        return off  # "SnapStart pricing does not apply to supported Java managed runtimes"
    for r in rates.pairs:
        if r.snapstart_cache_per_gb_second is None or r.snapstart_restore_per_gb is None:
            raise PriceNotAvailableError(
                f"no SnapStart rates for {r.region} in the sheets (our sources show us-east-1 only)"
            )
    if not runtime:
        assumptions.append("runtime not given: SnapStart cache and restore are charged (they are free for Java)")
    return {"snapstart_charged": True, "snapstart_active_s": np.multiply(hours, 3600.0)}


#: AWS keeps a durable execution's data 14 days after it completes unless configured (1 to 90).
DURABLE_DEFAULT_RETAINED_DAYS = 14.0


#: The longest time durable data is priced for: a bound that keeps every cost finite. [days]
DURABLE_MAX_RETAINED_DAYS = 3650.0


#: The most EPU-hours one call may price: a million pollers all month, far above any quota.
MAX_EPU_HOURS = 1e6 * 744


#: The largest per-execution or per-invocation sizes priced (keeps costs finite). [KB]
MAX_DURABLE_KB = 1e9


MAX_LOGGED_KB = 1e6


ESM_TYPES = ("kafka", "sqs")
#: How each event source is named in messages.
ESM_NAMES = {"kafka": "Kafka", "sqs": "SQS"}


def _no_cold_time_warning(snapstart: bool, rate, cold_starts) -> str:
    given = f"cold_start_rate {_shown(rate)}" if cold_starts is None else f"cold_starts {_shown(cold_starts)}"
    missing = "restore_duration_ms" if snapstart else "init_duration_ms"
    return (
        f"{WARNING}{given} adds no billed time: {missing} is 0, so cold starts add 0 GB-s "
        f"(give the {'restore' if snapstart else 'INIT'} duration of a cold start to bill it)"
    )


def _meter_sheets(book: PriceBook, rate_key: str) -> list:
    """Every ``[meters]`` table of the sheets that prices ``rate_key`` in some region."""
    return [m for m in book.meters.values() if any(rate_key in r for r in m.regions.values())]


def _uniform(book: PriceBook, rates: RateTable, field: str, rate_key: str, label: str, assumptions: list):
    """The rate ``field`` of a meter, the same for every (architecture, region) pair of the call.

    Raises one line where a pair has no such rate: before the meter is priced, in a region or an
    architecture our sources do not price it for (the region is named before the billing date, so
    that a region never priced is not mistaken for one priced later).
    """
    values = []
    for r in rates.pairs:
        value = getattr(r, field)
        if value is None:
            sheets = _meter_sheets(book, rate_key)
            where = sorted({region for m in sheets for region in m.regions})
            here = [m for m in sheets if r.region in m.regions]
            if not here:
                raise PriceNotAvailableError(
                    f"no {label} rate for {r.region} in our sources (priced in: {', '.join(where) or 'no region'}): "
                    "leave the meter out, or price it in one of those regions"
                )
            start = min(m.effective_from for m in here)
            if r.as_of < start:
                raise PriceNotAvailableError(f"{label} is priced from {start}, got as_of {r.as_of}")
            raise PriceNotAvailableError(f"no {label} rate for {r.region} {r.arch} in our sources")
        values.append(value)
        note = r.meter_assumptions.get(rate_key)
        if note:
            assumptions.append(note)
    if any(v != values[0] for v in values[1:]):
        raise InvalidParameterError("region", f"one {label} rate for the whole call", "pairs with different rates")
    return values[0]


def _checked_provisioned_split(
    rates: RateTable, memory, monthly, scenario: dict, served, duration_ms, free_tier_pc, inputs, assumptions
) -> dict:
    """The invocations served on Provisioned Concurrency and their duration, where given.

    The pricing page's PC Example 1 has 500,000 of 3 million invocations on PC at 100 ms and the
    rest on demand at 120 ms: ``provisioned_requests`` and ``provisioned_duration_ms`` express it.
    """
    free_tier_pc = _flag("provisioned_free_tier", free_tier_pc)
    concurrency = scenario["provisioned_concurrency"]
    out = {"provisioned_requests": None, "provisioned_billed_ms": None, "provisioned_free_tier": free_tier_pc}
    given = {"provisioned_requests": served, "provisioned_duration_ms": duration_ms}
    if not _any(concurrency):
        for name, value in (*given.items(), ("provisioned_free_tier", free_tier_pc or None)):
            if value is not None:
                raise InvalidParameterError(name, "given only with provisioned_concurrency above 0", value)
        return out
    if free_tier_pc:
        no_free = "functions with Provisioned Concurrency get no free tier"
        assumptions[:] = [a for a in assumptions if no_free not in a]
        assumptions.append(
            "the free tier is applied to a function with Provisioned Concurrency (its on-demand GB-s and all its "
            "requests), as the pricing page's PC Example 1 does; its text says such functions get none"
        )
        inputs["provisioned_free_tier"] = True
    if duration_ms is not None and served is None:
        raise InvalidParameterError(
            "provisioned_duration_ms",
            "given with provisioned_requests (the invocations served at that duration)",
            duration_ms,
        )
    if duration_ms is not None:
        duration = check_numeric("provisioned_duration_ms", duration_ms, 0, rates.reference.era.max_duration_ms, "ms")
        out["provisioned_billed_ms"] = billing.billed_duration_ms(duration, rates.reference.granularity_ms)
        inputs["provisioned_duration_ms"] = duration
    if served is None:
        return out
    if scenario["provisioned_utilization"] is not None:
        raise InvalidParameterError(
            "provisioned_requests", "omitted when provisioned_utilization or traffic_concurrency is given", served
        )
    served = check_numeric("provisioned_requests", served, 0, MAX_REQUESTS_PER_MONTH, "requests a month")
    over = np.asarray(np.greater(served, np.multiply(monthly, 1 + 1e-12)))
    if over.any():
        raise InvalidParameterError(
            "provisioned_requests",
            "at most the month's requests",
            _plain(np.broadcast_to(served, over.shape)[over].flat[0]),
        )
    billed_ms = out["provisioned_billed_ms"]
    if billed_ms is None:
        billed_ms = billed_durations(Scenario(**scenario))[0]
    work_s = np.multiply(served, billed_ms) / MS_PER_S
    capacity_s = np.multiply(concurrency, billing.provisioned_enabled_s(scenario["provisioned_s"]))
    too_much = np.asarray(work_s > capacity_s * (1 + 1e-9))
    if too_much.any():

        def pick(values):  # the first element that fails
            return float(np.broadcast_to(values, too_much.shape)[too_much].flat[0])

        raise InvalidParameterError(
            "provisioned_requests",
            f"at most what the environments can serve: {pick(capacity_s):,.0f} concurrency-seconds "
            f"({pick(capacity_s) * MS_PER_S / pick(billed_ms):,.0f} invocations)",
            pick(served),
        )
    inputs["provisioned_requests"] = served
    out["provisioned_requests"] = served
    return out


def _checked_second_response(rates: RateTable, response, second_mb, share, inputs, assumptions) -> dict:
    """A second streamed-response size for a share of the requests (the streaming example's two sizes)."""
    second = check_numeric("second_response_mb", second_mb, 0, MAX_RESPONSE_MB, "MB")
    share = check_numeric("second_response_share", share, 0, 1, "")
    if _any(share) != _any(second):
        name, value = ("second_response_mb", second) if _any(second) else ("second_response_share", share)
        other = "second_response_share" if name == "second_response_mb" else "second_response_mb"
        raise InvalidParameterError(name, f"given only with {other} above 0", _plain(value))
    if not _any(share):
        return {}
    if _any(np.greater(second, STREAMING_INCLUDED_MB)):
        rates.require("streaming_per_gb")
    inputs.update(second_response_mb=second, second_response_share=share)
    if _any(np.greater(response, STREAMING_INCLUDED_MB)) or _any(np.greater(second, STREAMING_INCLUDED_MB)):
        assumptions.append(
            f"a share of {_shown(share)} of the responses streams {_shown(second)} MB, the others {_shown(response)} MB"
        )
    return {"second_response_mb": second, "second_response_share": share}


def _checked_more_meters(
    book: PriceBook,
    rates: RateTable,
    scenario: dict,
    edge: bool,
    esm_type,
    epu_hours,
    executions,
    operations,
    written_kb,
    retained_days,
    tenant_isolation,
    logged_kb,
    inputs: dict,
    assumptions: list,
) -> dict:
    """Operands of the provisioned-mode ESM, durable-function, tenant-isolation and logs meters."""
    out: dict[str, Any] = {}
    # Provisioned-mode event source mapping, in Event Poller Unit hours.
    if esm_type is not None:
        check_choice("esm_type", _code(esm_type), ESM_TYPES)
        esm_type = _code(esm_type)
    hours = check_numeric("esm_epu_hours", epu_hours, 0, MAX_EPU_HOURS, "EPU-hours")
    if (esm_type is None) != (not _any(hours)):
        if esm_type is None:
            raise InvalidParameterError("esm_type", "'kafka' or 'sqs' with esm_epu_hours above 0", None)
        raise InvalidParameterError("esm_epu_hours", f"above 0 with esm_type {esm_type!r}", _plain(hours))
    if esm_type is not None:
        key = f"esm_{esm_type}_per_epu_hour"
        _uniform(book, rates, key, key, f"provisioned-mode {ESM_NAMES[esm_type]} event source mapping", assumptions)
        billed_s = np.maximum(
            np.ceil(np.multiply(hours, 3600.0) / ESM_BILLING_STEP_S) * ESM_BILLING_STEP_S, ESM_MINIMUM_S
        )
        out.update(esm_type=esm_type, esm_epu_hours=np.where(np.greater(hours, 0), billed_s / 3600.0, 0.0))
        if _ndim(out["esm_epu_hours"]) == 0:
            out["esm_epu_hours"] = float(out["esm_epu_hours"])
        inputs.update(esm_type=esm_type, esm_epu_hours=hours)
        assumptions.append(
            "the month's EPU-hours are billed per second with the 1-minute minimum applied to the month's total "
            "(not to each poller's run)"
        )
    # Durable functions: operations, data written and data retained.
    runs = check_numeric("durable_executions", executions, 0, MAX_REQUESTS_PER_MONTH, "executions a month")
    if _any(runs):
        if operations is None:
            raise InvalidParameterError(
                "durable_operations",
                "given with durable_executions above 0: the operations of one execution (start, steps, waits, "
                "callbacks), at least 1",
                None,
            )
        ops = check_numeric("durable_operations", operations, 1, 1e6, "operations an execution")
        kb = check_numeric("durable_written_kb", written_kb, 0, MAX_DURABLE_KB, "KB an execution")
        if retained_days is None:
            days = DURABLE_DEFAULT_RETAINED_DAYS
            assumptions.append(
                "durable data is kept 14 days (AWS's default retention after completion) and executions are short; "
                "give durable_retained_days for the running time plus the retention"
            )
        else:
            days = check_numeric("durable_retained_days", retained_days, 0, DURABLE_MAX_RETAINED_DAYS, "days")
        for key, field in (
            ("durable_operations_per_million", "durable_per_operation"),
            ("durable_written_per_gb", "durable_written_per_gb"),
            ("durable_retained_per_gb_month", "durable_retained_per_gb_month"),
        ):
            _uniform(book, rates, field, key, "durable functions", assumptions)
        out.update(durable_executions=runs, durable_operations=ops, durable_written_kb=kb, durable_retained_days=days)
        inputs.update(
            durable_executions=runs, durable_operations=ops, durable_written_kb=kb, durable_retained_days=days
        )
    else:
        for name, value in (
            ("durable_operations", operations),
            ("durable_retained_days", retained_days),
            ("durable_written_kb", written_kb if _any(written_kb) else None),
        ):
            if value is not None:
                raise InvalidParameterError(name, "given only with durable_executions above 0", _plain(value))
    # Tenant isolation: each new (tenant-isolated) execution environment, per GB of memory.
    if _flag("tenant_isolation", tenant_isolation):
        if _any(scenario["provisioned_concurrency"]):
            raise InvalidParameterError(
                "provisioned_concurrency",
                "0 with tenant_isolation (our sources price them only apart)",
                _plain(scenario["provisioned_concurrency"]),
            )
        cold_given = scenario["cold_starts"] if scenario["cold_starts"] is not None else scenario["cold_start_rate"]
        if not _any(cold_given):
            raise InvalidParameterError(
                "cold_start_rate",
                "above 0 (or cold_starts) with tenant_isolation: each new execution environment is charged",
                _plain(cold_given),
            )
        key = f"{rates.pairs[0].arch}_tenant_isolation_per_gb"  # priced per architecture
        _uniform(book, rates, "tenant_isolation_per_gb", key, "tenant-isolation", assumptions)
        out["tenant_isolation"] = True
        inputs["tenant_isolation"] = True
        assumptions.append("every cold start creates a new tenant-isolated execution environment (and no other does)")
    # CloudWatch Logs ingestion of what each invocation logs.
    logged = check_numeric("logged_kb", logged_kb, 0, MAX_LOGGED_KB, "KB an invocation")
    if _any(logged):
        tiers = _uniform(book, rates, "logs_per_gb", "logs_per_gb", "CloudWatch Logs", assumptions)
        starts = [r.logs_tier_from_gb for r in rates.pairs]
        if any(s != starts[0] for s in starts[1:]) or tiers is None:
            raise InvalidParameterError("region", "one CloudWatch Logs tier table for the whole call", "several")
        out["logged_kb"] = logged
        inputs["logged_kb"] = logged
    if edge:
        for name in ("esm_type", "durable_executions", "tenant_isolation", "logged_kb", "second_response_share"):
            value = out.get(name, scenario.get(name))
            if value is not None and _any(value):
                raise InvalidParameterError(
                    name,
                    "left at its default for Lambda@Edge (our sources price only Edge requests and duration)",
                    value,
                )
    return out


SAVINGS_PLAN_TERMS = ("1yr", "3yr")


#: The largest hourly commitment priced: far above any one function's on-demand spend. [currency/h]
MAX_SAVINGS_PLAN_PER_HOUR = 1e7


def _checked_savings_plan(book: PriceBook, rates: RateTable, edge, commitment, term, inputs, assumptions) -> dict:
    """A Compute Savings Plan's hourly commitment and term, with the discount's source checked."""
    commitment = check_numeric("savings_plan_per_hour", commitment, 0, MAX_SAVINGS_PLAN_PER_HOUR, "USD an hour")
    check_choice("savings_plan_term", term, SAVINGS_PLAN_TERMS)
    if not _any(commitment):
        if term != METER_KEYWORDS["savings_plan_term"]:
            raise InvalidParameterError("savings_plan_term", "given only with savings_plan_per_hour above 0", term)
        return {}
    if edge:
        raise InvalidParameterError(
            "savings_plan_per_hour", "0 for Lambda@Edge (not covered by Compute Savings Plans)", _plain(commitment)
        )
    key = f"savings_plan_{term}_discount"
    _uniform(book, rates, key, key, "Compute Savings Plans", assumptions)
    assumptions.append(
        "the Savings Plan's commitment goes to this function's Lambda usage alone (in an account it goes first to "
        "the usage with the largest discount, EC2 and Fargate), and the usage it covers is spread evenly over the "
        "month's 730 hours (it applies hour by hour; commitment unused in an hour is lost)"
    )
    inputs.update(savings_plan_per_hour=commitment, savings_plan_term=term)
    return {"savings_plan_per_hour": commitment, "savings_plan_term": term}
