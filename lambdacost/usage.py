"""What one function uses in a month, meter by meter: the inputs of :func:`lambdacost.estimate`
checked and turned into quantities (GB-seconds, requests, provisioned GB-seconds, SnapStart,
Lambda@Edge, streaming), each with the assumption it rests on."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from . import billing
from .errors import InvalidParameterError, PriceNotAvailableError
from .prices import PriceBook, Rates, default_pricebook
from .validation import HOURS_PER_MONTH, check_choice, check_numeric, requests_per_month_factor, to_date

__all__ = [
    "MeterSpec",
    "Usage",
    "METER_KEYWORDS",
    "function_usage",
    "checked_inputs",
    "init_is_billed",
    "resolve_pricebook",
]

#: The INIT phase "has a maximum of 10 s" (AWS, INIT billing post).
MAX_INIT_MS = 10_000
#: Longest month: Provisioned Concurrency and SnapStart cache hours are capped by it.
MAX_HOURS_PER_MONTH = 31 * 24
PACKAGE_TYPES = ("Zip", "Image")


def resolve_pricebook(book: PriceBook | None, as_of) -> tuple[PriceBook, date]:
    book = book or default_pricebook()
    day = to_date(as_of, book.earliest) or date.today()
    return book, day


@dataclass(frozen=True)
class MeterSpec:
    """The optional meters of one function, as given (checked in :func:`_usage`)."""

    provisioned_concurrency: Any = 0
    provisioned_hours: Any = None
    provisioned_utilization: Any = None
    traffic_concurrency: Any = None
    cold_start_rate: Any = 0.0
    cold_starts: Any = None
    init_duration_ms: Any = 0.0
    package_type: str = "Zip"
    runtime: str | None = None
    snapstart: bool = False
    restore_duration_ms: Any = 0.0
    snapstart_active_hours: Any = None
    edge: bool = False
    response_mb: Any = 0.0
    async_payload_kb: Any = 0.0


#: The names of :func:`estimate`'s optional meter keywords (fleet files use them too).
METER_KEYWORDS = tuple(f.name for f in dataclasses.fields(MeterSpec))


@dataclass(frozen=True)
class Usage:
    """The metered quantities of one function-month (or their sum over a fleet group).

    All quantities are monthly. ``gb_seconds`` is on-demand duration, the quantity the
    volume tiers and the free tier apply to; it includes INIT/restore time of cold starts.
    """

    requests: float = 0.0  #: invocations billed at the request rate [count]
    async_extra_requests: float = 0.0  #: extra requests for async events above 256 KB [count]
    gb_seconds: float = 0.0  #: on-demand duration [GB-s]
    init_gb_seconds: float = 0.0  #: part of gb_seconds spent in INIT or restore [GB-s]
    storage_gb_seconds: float = 0.0  #: ephemeral storage above 512 MB [GB-s]
    provisioned_gb_seconds: float = 0.0  #: Provisioned Concurrency configured [GB-s]
    provisioned_duration_gb_seconds: float = 0.0  #: duration served on it [GB-s]
    provisioned_requests: float = 0.0  #: invocations served on it [count]
    cold_starts: float = 0.0  #: cold starts (SnapStart: restores) [count]
    snapstart_cache_gb_seconds: float = 0.0  #: [GB-s]
    snapstart_restore_gb: float = 0.0  #: [GB]
    edge_requests: float = 0.0  #: Lambda@Edge requests [count]
    edge_gb_seconds: float = 0.0  #: Lambda@Edge duration [GB-s]
    streamed_gb: float = 0.0  #: response streaming beyond 6 MB a request [GB]
    billed_duration_ms: float = 0.0  #: mean billed duration of an on-demand invocation [ms]
    free_tier_eligible: bool = True
    edge: bool = False

    @property
    def all_requests(self) -> float:
        """Requests the request rate and the free requests apply to. [count]"""
        return self.requests + self.async_extra_requests

    _SUMMED = (
        "requests",
        "async_extra_requests",
        "gb_seconds",
        "init_gb_seconds",
        "storage_gb_seconds",
        "provisioned_gb_seconds",
        "provisioned_duration_gb_seconds",
        "provisioned_requests",
        "cold_starts",
        "snapstart_cache_gb_seconds",
        "snapstart_restore_gb",
        "edge_requests",
        "edge_gb_seconds",
        "streamed_gb",
    )


def function_usage(
    book: PriceBook, rates: Rates, memory_mb, duration_ms, requests, storage_mb, requests_per, spec: MeterSpec
):
    """Check one function's inputs and meter its month: (Usage, inputs dict, assumptions)."""
    from .distributions import DurationDistribution, Percentiles

    distribution = duration_ms if isinstance(duration_ms, DurationDistribution) else None
    mean_duration = distribution.mean_ms if distribution is not None else duration_ms
    memory, duration, monthly, storage = checked_inputs(
        rates, memory_mb, mean_duration, requests, storage_mb, requests_per
    )
    inputs = {
        "memory_mb": memory,
        "duration_ms": duration,
        "requests": monthly,
        "arch": rates.arch,
        "region": rates.region,
        "ephemeral_storage_mb": storage,
    }
    assumptions: list[str] = []
    granularity = rates.granularity_ms

    def billed(add_ms=0.0) -> float:
        if distribution is not None:
            return distribution.expected_billed_ms(granularity, add_ms)
        return float(billing.cold_start_billed_ms(duration, add_ms, granularity))

    warm = billed()
    if distribution is not None:
        inputs["duration_distribution"] = distribution.to_dict()
        if isinstance(distribution, Percentiles):
            assumptions.append(distribution.assumption)

    pc = _provisioned(book, rates, spec, memory, monthly, warm, inputs, assumptions)
    on_demand = monthly - pc["requests"]
    cold, cold_billed = _cold_starts(book, rates, spec, on_demand, billed, warm, inputs, assumptions)
    fraction = cold / on_demand if on_demand else 0.0
    mean_billed = float(billing.mixed_billed_ms(warm, cold_billed, fraction))
    gb_s = float(billing.gb_seconds(memory, mean_billed, on_demand))
    init_gb_s = float(billing.gb_seconds(memory, cold_billed - warm, cold))
    storage_gb_s = float(billing.ephemeral_storage_gb_seconds(storage, mean_billed, on_demand))
    if pc["requests"]:
        storage_gb_s += float(billing.ephemeral_storage_gb_seconds(storage, warm, pc["requests"]))
    snap = _snapstart(book, rates, spec, memory, cold, inputs, assumptions)
    streamed = _streaming(rates, spec, monthly, inputs, assumptions)
    extra = _async_extra(spec, monthly, inputs)
    usage = Usage(
        requests=monthly,
        async_extra_requests=extra,
        gb_seconds=gb_s,
        init_gb_seconds=init_gb_s,
        storage_gb_seconds=storage_gb_s,
        provisioned_gb_seconds=pc["gb_seconds"],
        provisioned_duration_gb_seconds=pc["duration_gb_seconds"],
        provisioned_requests=pc["requests"],
        cold_starts=cold,
        snapstart_cache_gb_seconds=snap[0],
        snapstart_restore_gb=snap[1],
        streamed_gb=streamed,
        billed_duration_ms=mean_billed,
        free_tier_eligible=not pc["concurrency"],
    )
    if spec.edge:
        usage = _edge(rates, spec, usage, storage, inputs)
    return usage, inputs, assumptions


def _provisioned(book, rates: Rates, spec: MeterSpec, memory, monthly, warm_ms, inputs, assumptions) -> dict:
    """Provisioned Concurrency: configured GB-s, and the requests and GB-s it serves."""
    none = {"concurrency": 0.0, "requests": 0.0, "gb_seconds": 0.0, "duration_gb_seconds": 0.0}
    concurrency = check_numeric(
        "provisioned_concurrency", spec.provisioned_concurrency, 0, np.inf, "environments", step=1
    )
    if not concurrency:
        for name in ("provisioned_hours", "provisioned_utilization", "traffic_concurrency"):
            if getattr(spec, name) is not None:
                raise InvalidParameterError(
                    name, "given only with provisioned_concurrency above 0", getattr(spec, name)
                )
        return none
    launch = book.milestones.get("provisioned_concurrency")
    if launch is not None and rates.as_of < launch.date:
        raise PriceNotAvailableError(
            f"Provisioned Concurrency did not exist on {rates.as_of} (priced from {launch.date})"
        )
    if rates.provisioned_usd_per_gb_second is None or rates.provisioned_duration_usd_per_gb_second is None:
        raise PriceNotAvailableError(
            f"no Provisioned Concurrency rates for {rates.region} {rates.arch} in the {rates.era.name} era of the sheets"
        )
    hours = (
        HOURS_PER_MONTH
        if spec.provisioned_hours is None
        else check_numeric("provisioned_hours", spec.provisioned_hours, 0, MAX_HOURS_PER_MONTH, "h")
    )
    enabled_s = hours * 3600.0
    work_s = monthly * warm_ms / billing.MS_PER_S  # concurrency-seconds of invocations
    capacity_s = concurrency * enabled_s
    if spec.provisioned_utilization is not None and spec.traffic_concurrency is not None:
        raise InvalidParameterError(
            "traffic_concurrency", "omitted when provisioned_utilization is given", "both given"
        )
    if spec.traffic_concurrency is not None:
        shape = np.atleast_1d(check_numeric("traffic_concurrency", spec.traffic_concurrency, 0, np.inf, "environments"))
        slot_s = enabled_s / shape.size
        window_s = float(shape.sum()) * slot_s
        if window_s > work_s * (1 + 1e-9):
            raise InvalidParameterError(
                "traffic_concurrency",
                f"a shape with at most the workload's {work_s:,.0f} concurrency-seconds (requests x duration)",
                f"{window_s:,.0f} concurrency-seconds",
            )
        served_s = float(billing.provisioned_served_fraction(shape, concurrency)) * window_s
        inputs["traffic_concurrency"] = shape.tolist()
    elif spec.provisioned_utilization is not None:
        utilization = check_numeric("provisioned_utilization", spec.provisioned_utilization, 0, 1, "")
        reachable = work_s / capacity_s if capacity_s else 1.0  # nothing enabled: nothing to over-fill
        if utilization > reachable * (1 + 1e-9):
            raise InvalidParameterError(
                "provisioned_utilization",
                f"at most {reachable:.6g}: the workload's {work_s:,.0f} concurrency-seconds fill no more of {concurrency:g} environments x {hours:g} h",
                utilization,
            )
        served_s = utilization * capacity_s
        inputs["provisioned_utilization"] = utilization
    else:
        served_s = min(work_s / (HOURS_PER_MONTH * 3600.0), concurrency) * enabled_s
        assumptions.append(
            "traffic is spread evenly over the 730-hour month (no provisioned_utilization or traffic_concurrency given)"
        )
    requests = monthly * served_s / work_s if work_s else 0.0
    inputs.update(provisioned_concurrency=concurrency, provisioned_hours=hours)
    assumptions.append(
        launch.assumption
        if launch is not None and launch.assumption
        else "functions with Provisioned Concurrency get no free tier"
    )
    assumptions.append("INIT runs of recycled provisioned environments are not counted")
    row = book.region_rates(rates.region, rates.as_of)
    if rates.arch in row.provisioned_derived:
        assumptions.append(f"the arm64 Provisioned Concurrency rates for {rates.region} are the x86_64 ones x 0.8")
    return {
        "concurrency": concurrency,
        "requests": requests,
        "gb_seconds": float(billing.provisioned_gb_seconds(concurrency, memory, enabled_s)),
        "duration_gb_seconds": float(billing.gb_seconds(memory, warm_ms, requests)),
    }


def init_is_billed(book: PriceBook, as_of: date, package_type: str = "Zip", runtime: str | None = None) -> bool:
    """Whether an on-demand cold start pays for its INIT phase on ``as_of``.

    From 2025-08-01 (milestone ``init_billing``) always; before, only for container
    images and custom runtimes (``provided.*``).

    Examples
    --------
    >>> from datetime import date
    >>> from lambdacost.prices import default_pricebook
    >>> book = default_pricebook()
    >>> init_is_billed(book, date(2024, 6, 1)), init_is_billed(book, date(2024, 6, 1), "Image")
    (False, True)
    >>> init_is_billed(book, date(2024, 6, 1), runtime="provided.al2023"), init_is_billed(book, date(2025, 8, 1))
    (True, True)
    """
    change = book.milestones.get("init_billing")
    if change is not None and as_of >= change.date:
        return True
    return package_type == "Image" or (runtime or "").startswith("provided")


def _cold_starts(book, rates: Rates, spec: MeterSpec, on_demand, billed, warm_ms, inputs, assumptions):
    """Cold starts among the on-demand invocations and the billed duration of one."""
    check_choice("package_type", spec.package_type, PACKAGE_TYPES)
    init_ms = check_numeric("init_duration_ms", spec.init_duration_ms, 0, MAX_INIT_MS, "ms")
    if spec.cold_starts is not None:
        if spec.cold_start_rate:
            raise InvalidParameterError("cold_starts", "omitted when cold_start_rate is given", spec.cold_starts)
        cold = check_numeric(
            "cold_starts", spec.cold_starts, 0, on_demand, "cold starts (at most the on-demand invocations)"
        )
    else:
        cold = check_numeric("cold_start_rate", spec.cold_start_rate, 0, 1, "") * on_demand
    restore_ms = check_numeric("restore_duration_ms", spec.restore_duration_ms, 0, MAX_INIT_MS, "ms")
    if spec.snapstart:
        if init_ms:
            raise InvalidParameterError(
                "init_duration_ms",
                "0 with SnapStart (a SnapStart cold start is a restore: give restore_duration_ms)",
                init_ms,
            )
        add_ms = restore_ms
    else:
        if restore_ms:
            raise InvalidParameterError("restore_duration_ms", "0 without SnapStart", restore_ms)
        add_ms = init_ms if init_is_billed(book, rates.as_of, spec.package_type, spec.runtime) else 0.0
    if spec.package_type != "Zip":
        inputs["package_type"] = spec.package_type
    if spec.runtime:
        inputs["runtime"] = spec.runtime
    if not cold:
        return 0.0, warm_ms
    inputs.update(cold_starts=cold, init_duration_ms=init_ms)
    if init_ms and not add_ms:
        assumptions.append(
            f"INIT is not billed on {rates.as_of} for an on-demand ZIP function on a managed runtime (billed from 2025-08-01)"
        )
    if add_ms and not spec.snapstart and spec.package_type == "Zip" and not (spec.runtime or "").startswith("provided"):
        assumptions.append(
            "a cold start of a ZIP function on a managed runtime is billed ceil(duration + init), as AWS shows for container images"
        )
    return cold, billed(add_ms)


def _snapstart(book, rates: Rates, spec: MeterSpec, memory, restores, inputs, assumptions) -> tuple[float, float]:
    """SnapStart cache GB-s and restored GB, or zeros when off or free (Java)."""
    if not spec.snapstart:
        if spec.snapstart_active_hours is not None:
            raise InvalidParameterError(
                "snapstart_active_hours", "given only with snapstart", spec.snapstart_active_hours
            )
        return 0.0, 0.0
    launch, priced = book.milestones.get("snapstart"), book.milestones.get("snapstart_python_dotnet")
    runtime = spec.runtime or ""
    if launch is not None and rates.as_of < launch.date:
        raise PriceNotAvailableError(f"SnapStart did not exist on {rates.as_of} (launched {launch.date})")
    if runtime.startswith(("python", "dotnet")) and priced is not None and rates.as_of < priced.date:
        raise PriceNotAvailableError(f"SnapStart for {runtime} did not exist on {rates.as_of} (from {priced.date})")
    hours = (
        HOURS_PER_MONTH
        if spec.snapstart_active_hours is None
        else check_numeric("snapstart_active_hours", spec.snapstart_active_hours, 0, MAX_HOURS_PER_MONTH, "h")
    )
    inputs.update(snapstart=True, snapstart_active_hours=hours)
    if runtime.startswith("java"):
        return 0.0, 0.0  # "SnapStart pricing does not apply to supported Java managed runtimes"
    if rates.snapstart_cache_usd_per_gb_second is None or rates.snapstart_restore_usd_per_gb is None:
        raise PriceNotAvailableError(
            f"no SnapStart rates for {rates.region} in the sheets (our sources show us-east-1 only)"
        )
    if not runtime:
        assumptions.append("runtime not given: SnapStart cache and restore are charged (they are free for Java)")
    return float(billing.snapstart_cache_gb_seconds(memory, hours * 3600.0)), float(
        billing.snapstart_restore_gb(memory, restores)
    )


def _streaming(rates: Rates, spec: MeterSpec, monthly, inputs, assumptions) -> float:
    response_mb = check_numeric("response_mb", spec.response_mb, 0, np.inf, "MB")
    streamed = float(billing.streamed_gb(response_mb, monthly))
    if response_mb:
        inputs["response_mb"] = response_mb
    if streamed and rates.streaming_usd_per_gb is None:
        raise PriceNotAvailableError(
            f"no response-streaming rate for {rates.region} in the sheets (our sources show us-east-1 only)"
        )
    if streamed:
        assumptions.append(f"every response streams {response_mb:g} MB")
    return streamed


def _async_extra(spec: MeterSpec, monthly, inputs) -> float:
    payload_kb = check_numeric("async_payload_kb", spec.async_payload_kb, 0, billing.ASYNC_MAX_KB, "KB")
    if payload_kb:
        inputs["async_payload_kb"] = payload_kb
    return float(billing.async_payload_extra_requests(payload_kb, monthly))


def _edge(rates: Rates, spec: MeterSpec, usage: Usage, storage, inputs) -> Usage:
    """Move requests and duration to the Lambda@Edge meters."""
    if rates.edge_request_usd is None or rates.edge_usd_per_gb_second is None:
        if rates.arch != "x86_64":
            raise InvalidParameterError(
                "arch", "'x86_64' for Lambda@Edge (no arm64 Edge rate in our sources)", rates.arch
            )
        raise InvalidParameterError(
            "region",
            f"'us-east-1' for Lambda@Edge (the only region with Edge rates in our sources, {rates.era.name} era)",
            rates.region,
        )
    for name, value, default in (
        ("provisioned_concurrency", usage.provisioned_gb_seconds, 0),
        ("snapstart", spec.snapstart, False),
        ("response_mb", usage.streamed_gb, 0),
        ("async_payload_kb", usage.async_extra_requests, 0),
        ("ephemeral_storage_mb", storage - 512, 0),
    ):
        if value != default:
            raise InvalidParameterError(
                name,
                "left at its default for Lambda@Edge (our sources price only Edge requests and duration)",
                getattr(spec, name, storage),
            )
    inputs["edge"] = True
    return dataclasses.replace(
        usage,
        requests=0.0,
        gb_seconds=0.0,
        init_gb_seconds=0.0,
        edge_requests=usage.requests,
        edge_gb_seconds=usage.gb_seconds,
        free_tier_eligible=False,
        edge=True,
    )


def checked_inputs(rates: Rates, memory_mb, duration_ms, requests, storage_mb, requests_per):
    """Validate the numeric inputs against the era's limits; return them as float64."""
    era = rates.era
    memory = check_numeric("memory_mb", memory_mb, era.memory_mb_min, era.memory_mb_max, "MB", step=era.memory_mb_step)
    duration = check_numeric("duration_ms", duration_ms, 0, era.max_duration_ms, "ms")
    monthly = check_numeric("requests", requests, 0, np.inf, "requests") * requests_per_month_factor(requests_per)
    if rates.ephemeral_storage_mb_max == 512 and np.any(np.asarray(storage_mb) != 512):
        raise InvalidParameterError(
            "ephemeral_storage_mb", f"512 MB on {rates.as_of} (configurable /tmp came later)", storage_mb
        )
    storage = check_numeric("ephemeral_storage_mb", storage_mb, 512, rates.ephemeral_storage_mb_max, "MB", step=1)
    return memory, duration, monthly, storage
