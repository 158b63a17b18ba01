"""One function-month priced and explained (:func:`estimate`), and the same model
vectorized over any number of scenarios (:func:`monthly_cost`).

Both validate their inputs here, at the edge, then call the numpy core in
:mod:`lambdacost.billing`; neither adds arithmetic of its own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from . import billing
from .errors import InvalidParameterError, PriceNotAvailableError
from .prices import ARCHITECTURES, PriceBook, Rates, default_pricebook
from .tables import count, html_table, rate, text_table, usd
from .validation import HOURS_PER_MONTH, check_choice, check_numeric, requests_per_month_factor, to_date

__all__ = ["LineItem", "Estimate", "Usage", "estimate", "monthly_cost", "init_is_billed", "MAX_DURATION_MS", "METER_KEYWORDS"]

MAX_DURATION_MS = 900_000  # 15 minutes, Lambda's longest timeout
#: The INIT phase "has a maximum of 10 s" (AWS, INIT billing post).
MAX_INIT_MS = 10_000
#: Longest month: Provisioned Concurrency and SnapStart cache hours are capped by it.
MAX_HOURS_PER_MONTH = 31 * 24
PACKAGE_TYPES = ("Zip", "Image")
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
    sku: str = ""


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
    #: every metered quantity behind the line items (Provisioned Concurrency, INIT, ...)
    usage: Usage | None = field(default=None, repr=False, compare=False)

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

    def __repr__(self) -> str:  # the dataclass repr would dump every line item
        return f"<Estimate {self.total_usd:.6f} USD: {self._title()}>"

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
    provisioned_concurrency=0,
    provisioned_hours=None,
    provisioned_utilization=None,
    traffic_concurrency=None,
    cold_start_rate=0.0,
    cold_starts=None,
    init_duration_ms=0.0,
    package_type: str = "Zip",
    runtime: str | None = None,
    snapstart: bool = False,
    restore_duration_ms=0.0,
    snapstart_active_hours=None,
    edge: bool = False,
    response_mb=0.0,
    async_payload_kb=0.0,
) -> Estimate:
    """Price one Lambda function for one month, line by line.

    Parameters
    ----------
    memory_mb : int
        Allocated memory. [MB; 128..10240 in 1 MB steps, 128..3008 in 64 MB steps
        before 2020-12-01]
    duration_ms : float or DurationDistribution
        Average duration of one invocation, as the REPORT line's ``Duration`` [ms]; or a
        :mod:`~lambdacost.distributions` object (``Samples``, ``Percentiles``,
        ``Lognormal``), in which case each invocation is rounded up on its own and the
        bill uses the mean *billed* duration.
    requests : float
        Invocations per month, or per ``requests_per``. [count]
    arch : {"x86_64", "arm64"}
    region : str
        AWS region code. [e.g. "eu-west-1"]
    ephemeral_storage_mb : int, default 512
        Configured /tmp; above 512 MB it is billed. [MB]
    free_tier : bool, default True
        Apply the monthly free tier (1M requests, 400,000 GB-s) to this function alone.
        Functions with Provisioned Concurrency or on Lambda@Edge get none (see Notes).
    as_of : date or str, optional
        Billing date; selects the price era and the INIT rule. Default today.
    requests_per : {"month", "day", "hour", "minute", "second"}
        Unit of ``requests``; months are AWS's 730 hours.
    pricebook : PriceBook, optional
        Prices to use; default the packaged sheets (or ``$LAMBDACOST_PRICING_DIR``).
    provisioned_concurrency : int, default 0
        Configured Provisioned Concurrency. [environments]
    provisioned_hours : float, optional
        Hours it is enabled this month (rounded up to 5 minutes); default the whole
        730-hour month. [h, 0..744]
    provisioned_utilization : float, optional
        Busy share of the provisioned environments while enabled. [0..1]
    traffic_concurrency : array-like, optional
        Instead of a utilization: average concurrency in equal time slots spanning the
        enabled period. [environments]
    cold_start_rate : float, default 0
        Share of on-demand invocations that start cold. [0..1]
    cold_starts : float, optional
        Cold starts this month, instead of a rate. [count]
    init_duration_ms : float, default 0
        INIT duration of a cold start. [ms, 0..10,000]
    package_type : {"Zip", "Image"}
    runtime : str, optional
        Lambda runtime id (``python3.12``, ``provided.al2023``, ``java21``...).
    snapstart : bool, default False
        SnapStart on: cold starts are restores; cache and restore are charged.
    restore_duration_ms : float, default 0
        SnapStart's ``Billed Restore Duration`` of one restore. [ms]
    snapstart_active_hours : float, optional
        Hours the published version is active (at least 3 are charged); default 730. [h]
    edge : bool, default False
        Priced as Lambda@Edge (own request and duration rates, us-east-1 x86_64 only).
    response_mb : float, default 0
        Size of each streamed response; the part beyond 6 MB is charged. [MB]
    async_payload_kb : float, default 0
        Size of each asynchronous event; above 256 KB every 64 KB is one more request. [KB]

    Returns
    -------
    Estimate

    Notes
    -----
    Provisioned Concurrency: the configured environments cost concurrency x memory x
    enabled time at the PC rate; the invocations they serve pay the PC duration rate;
    the rest (spill-over) pays on-demand rates. Without a utilization or traffic shape,
    traffic is taken as even over the month. The pricing page says "The Lambda free tier
    does not apply to functions enabling Provisioned Concurrency"; lambdacost follows
    that text (its Example 1 does subtract the free tier; reported as an assumption).

    INIT: a cold start is billed ``ceil(duration + init)``. On-demand ZIP functions on
    managed runtimes pay for INIT from 2025-08-01; before that only container images and
    custom runtimes (``provided.*``) did.

    Examples
    --------
    512 MB, 120 ms, 5 million requests: 0.5 GB x 0.12 s x 5e6 = 300,000 GB-s, all inside
    the free tier; 4 million requests billed at $0.20 per million.

    >>> from lambdacost import estimate
    >>> e = estimate(512, 120, 5_000_000, as_of="2026-11-01")
    >>> e.gb_seconds, round(e.total_usd, 2)
    (300000.0, 0.8)

    One cold start in a hundred with 500 ms of INIT adds 5 ms to the mean billed duration
    since INIT billing began (2025-08-01), nothing before for a ZIP function:

    >>> estimate(1024, 100, 1e6, cold_start_rate=0.01, init_duration_ms=500, as_of="2026-11-01").billed_duration_ms
    105.0
    >>> estimate(1024, 100, 1e6, cold_start_rate=0.01, init_duration_ms=500, as_of="2025-07-01").billed_duration_ms
    100.0
    """
    book, day = _resolve(pricebook, as_of)
    check_choice("arch", arch, ARCHITECTURES)
    rates = book.rates(region, arch, day)
    spec = _Spec(
        provisioned_concurrency, provisioned_hours, provisioned_utilization, traffic_concurrency, cold_start_rate,
        cold_starts, init_duration_ms, package_type, runtime, snapstart, restore_duration_ms, snapstart_active_hours,
        edge, response_mb, async_payload_kb,
    )
    usage, inputs, assumptions = _usage(book, rates, memory_mb, duration_ms, requests, ephemeral_storage_mb, requests_per, spec)
    eligible = bool(free_tier) and usage.free_tier_eligible
    free = rates.free_tier
    items = _line_items(
        usage,
        rates,
        free_requests=min(usage.all_requests, free.requests) if eligible else 0.0,
        free_gb_seconds=float(billing.free_gb_seconds_used(usage.gb_seconds, free.gb_seconds)) if eligible else 0.0,
        free_streamed_gb=min(usage.streamed_gb, free.streaming_gb) if eligible else 0.0,
    )
    inputs.update(free_tier=bool(free_tier), as_of=day.isoformat())
    if free_tier and not usage.free_tier_eligible:
        assumptions.append("no free tier: " + ("Lambda@Edge has no free tier in our sources" if usage.edge else "the function has Provisioned Concurrency"))
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
    return Estimate(
        inputs, tuple(items), usage.billed_duration_ms, usage.gb_seconds, usage.storage_gb_seconds, pricing,
        rates.assumptions + tuple(dict.fromkeys(assumptions)), rates, usage,
    )


@dataclass(frozen=True)
class _Spec:
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
METER_KEYWORDS = tuple(f.name for f in dataclasses.fields(_Spec))


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
        "requests", "async_extra_requests", "gb_seconds", "init_gb_seconds", "storage_gb_seconds",
        "provisioned_gb_seconds", "provisioned_duration_gb_seconds", "provisioned_requests", "cold_starts",
        "snapstart_cache_gb_seconds", "snapstart_restore_gb", "edge_requests", "edge_gb_seconds", "streamed_gb",
    )


def _usage(book: PriceBook, rates: Rates, memory_mb, duration_ms, requests, storage_mb, requests_per, spec: _Spec):
    """Check one function's inputs and meter its month: (Usage, inputs dict, assumptions)."""
    from .distributions import DurationDistribution, Percentiles

    distribution = duration_ms if isinstance(duration_ms, DurationDistribution) else None
    mean_duration = distribution.mean_ms if distribution is not None else duration_ms
    memory, duration, monthly, storage = _checked(rates, memory_mb, mean_duration, requests, storage_mb, requests_per)
    inputs = {"memory_mb": memory, "duration_ms": duration, "requests": monthly, "arch": rates.arch, "region": rates.region, "ephemeral_storage_mb": storage}
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


def _provisioned(book, rates: Rates, spec: _Spec, memory, monthly, warm_ms, inputs, assumptions) -> dict:
    """Provisioned Concurrency: configured GB-s, and the requests and GB-s it serves."""
    none = {"concurrency": 0.0, "requests": 0.0, "gb_seconds": 0.0, "duration_gb_seconds": 0.0}
    concurrency = check_numeric("provisioned_concurrency", spec.provisioned_concurrency, 0, np.inf, "environments", step=1)
    if not concurrency:
        for name in ("provisioned_hours", "provisioned_utilization", "traffic_concurrency"):
            if getattr(spec, name) is not None:
                raise InvalidParameterError(name, "given only with provisioned_concurrency above 0", getattr(spec, name))
        return none
    launch = book.milestones.get("provisioned_concurrency")
    if launch is not None and rates.as_of < launch.date:
        raise PriceNotAvailableError(f"Provisioned Concurrency did not exist on {rates.as_of} (priced from {launch.date})")
    if rates.provisioned_usd_per_gb_second is None or rates.provisioned_duration_usd_per_gb_second is None:
        raise PriceNotAvailableError(f"no Provisioned Concurrency rates for {rates.region} {rates.arch} in the {rates.era.name} era of the sheets")
    hours = HOURS_PER_MONTH if spec.provisioned_hours is None else check_numeric("provisioned_hours", spec.provisioned_hours, 0, MAX_HOURS_PER_MONTH, "h")
    enabled_s = hours * 3600.0
    work_s = monthly * warm_ms / billing.MS_PER_S  # concurrency-seconds of invocations
    capacity_s = concurrency * enabled_s
    if spec.provisioned_utilization is not None and spec.traffic_concurrency is not None:
        raise InvalidParameterError("traffic_concurrency", "omitted when provisioned_utilization is given", "both given")
    if spec.traffic_concurrency is not None:
        shape = np.atleast_1d(check_numeric("traffic_concurrency", spec.traffic_concurrency, 0, np.inf, "environments"))
        slot_s = enabled_s / shape.size
        window_s = float(shape.sum()) * slot_s
        if window_s > work_s * (1 + 1e-9):
            raise InvalidParameterError("traffic_concurrency", f"a shape with at most the workload's {work_s:,.0f} concurrency-seconds (requests x duration)", f"{window_s:,.0f} concurrency-seconds")
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
        assumptions.append("traffic is spread evenly over the 730-hour month (no provisioned_utilization or traffic_concurrency given)")
    requests = monthly * served_s / work_s if work_s else 0.0
    inputs.update(provisioned_concurrency=concurrency, provisioned_hours=hours)
    assumptions.append(launch.assumption if launch is not None and launch.assumption else "functions with Provisioned Concurrency get no free tier")
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


def _cold_starts(book, rates: Rates, spec: _Spec, on_demand, billed, warm_ms, inputs, assumptions):
    """Cold starts among the on-demand invocations and the billed duration of one."""
    check_choice("package_type", spec.package_type, PACKAGE_TYPES)
    init_ms = check_numeric("init_duration_ms", spec.init_duration_ms, 0, MAX_INIT_MS, "ms")
    if spec.cold_starts is not None:
        if spec.cold_start_rate:
            raise InvalidParameterError("cold_starts", "omitted when cold_start_rate is given", spec.cold_starts)
        cold = check_numeric("cold_starts", spec.cold_starts, 0, on_demand, "cold starts (at most the on-demand invocations)")
    else:
        cold = check_numeric("cold_start_rate", spec.cold_start_rate, 0, 1, "") * on_demand
    restore_ms = check_numeric("restore_duration_ms", spec.restore_duration_ms, 0, MAX_INIT_MS, "ms")
    if spec.snapstart:
        if init_ms:
            raise InvalidParameterError("init_duration_ms", "0 with SnapStart (a SnapStart cold start is a restore: give restore_duration_ms)", init_ms)
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
        assumptions.append(f"INIT is not billed on {rates.as_of} for an on-demand ZIP function on a managed runtime (billed from 2025-08-01)")
    if add_ms and not spec.snapstart and spec.package_type == "Zip" and not (spec.runtime or "").startswith("provided"):
        assumptions.append("a cold start of a ZIP function on a managed runtime is billed ceil(duration + init), as AWS shows for container images")
    return cold, billed(add_ms)


def _snapstart(book, rates: Rates, spec: _Spec, memory, restores, inputs, assumptions) -> tuple[float, float]:
    """SnapStart cache GB-s and restored GB, or zeros when off or free (Java)."""
    if not spec.snapstart:
        if spec.snapstart_active_hours is not None:
            raise InvalidParameterError("snapstart_active_hours", "given only with snapstart", spec.snapstart_active_hours)
        return 0.0, 0.0
    launch, priced = book.milestones.get("snapstart"), book.milestones.get("snapstart_python_dotnet")
    runtime = spec.runtime or ""
    if launch is not None and rates.as_of < launch.date:
        raise PriceNotAvailableError(f"SnapStart did not exist on {rates.as_of} (launched {launch.date})")
    if runtime.startswith(("python", "dotnet")) and priced is not None and rates.as_of < priced.date:
        raise PriceNotAvailableError(f"SnapStart for {runtime} did not exist on {rates.as_of} (from {priced.date})")
    hours = HOURS_PER_MONTH if spec.snapstart_active_hours is None else check_numeric("snapstart_active_hours", spec.snapstart_active_hours, 0, MAX_HOURS_PER_MONTH, "h")
    inputs.update(snapstart=True, snapstart_active_hours=hours)
    if runtime.startswith("java"):
        return 0.0, 0.0  # "SnapStart pricing does not apply to supported Java managed runtimes"
    if rates.snapstart_cache_usd_per_gb_second is None or rates.snapstart_restore_usd_per_gb is None:
        raise PriceNotAvailableError(f"no SnapStart rates for {rates.region} in the sheets (our sources show us-east-1 only)")
    if not runtime:
        assumptions.append("runtime not given: SnapStart cache and restore are charged (they are free for Java)")
    return float(billing.snapstart_cache_gb_seconds(memory, hours * 3600.0)), float(billing.snapstart_restore_gb(memory, restores))


def _streaming(rates: Rates, spec: _Spec, monthly, inputs, assumptions) -> float:
    response_mb = check_numeric("response_mb", spec.response_mb, 0, np.inf, "MB")
    streamed = float(billing.streamed_gb(response_mb, monthly))
    if response_mb:
        inputs["response_mb"] = response_mb
    if streamed and rates.streaming_usd_per_gb is None:
        raise PriceNotAvailableError(f"no response-streaming rate for {rates.region} in the sheets (our sources show us-east-1 only)")
    if streamed:
        assumptions.append(f"every response streams {response_mb:g} MB")
    return streamed


def _async_extra(spec: _Spec, monthly, inputs) -> float:
    payload_kb = check_numeric("async_payload_kb", spec.async_payload_kb, 0, billing.ASYNC_MAX_KB, "KB")
    if payload_kb:
        inputs["async_payload_kb"] = payload_kb
    return float(billing.async_payload_extra_requests(payload_kb, monthly))


def _edge(rates: Rates, spec: _Spec, usage: Usage, storage, inputs) -> Usage:
    """Move requests and duration to the Lambda@Edge meters."""
    if rates.edge_request_usd is None or rates.edge_usd_per_gb_second is None:
        if rates.arch != "x86_64":
            raise InvalidParameterError("arch", "'x86_64' for Lambda@Edge (no arm64 Edge rate in our sources)", rates.arch)
        raise InvalidParameterError("region", f"'us-east-1' for Lambda@Edge (the only region with Edge rates in our sources, {rates.era.name} era)", rates.region)
    for name, value, default in (("provisioned_concurrency", usage.provisioned_gb_seconds, 0), ("snapstart", spec.snapstart, False),
                                 ("response_mb", usage.streamed_gb, 0), ("async_payload_kb", usage.async_extra_requests, 0),
                                 ("ephemeral_storage_mb", storage - 512, 0)):
        if value != default:
            raise InvalidParameterError(name, "left at its default for Lambda@Edge (our sources price only Edge requests and duration)", getattr(spec, name, storage))
    inputs["edge"] = True
    return dataclasses.replace(usage, requests=0.0, gb_seconds=0.0, init_gb_seconds=0.0, edge_requests=usage.requests,
                               edge_gb_seconds=usage.gb_seconds, free_tier_eligible=False, edge=True)


def _line_items(usage: Usage, rates: Rates, *, free_requests=0.0, free_gb_seconds=0.0, free_streamed_gb=0.0) -> list[LineItem]:
    """The bill of ``usage`` at ``rates``, with the free amounts given (one function or a group)."""
    arch = rates.arch

    def source(rate_key: str) -> tuple[str, str, str]:  # provenance of one rate, SKU where known
        return rates.source.url, rates.source.read_on.isoformat(), rates.skus.get(rate_key, "")

    free = rates.free_tier
    free_source = (free.source.url, free.source.read_on.isoformat())
    items = []
    if not usage.edge:
        items.append(LineItem("requests", usage.requests, "requests", rates.request_usd, usage.requests * rates.request_usd, *source("requests_usd_per_million")))
        if usage.async_extra_requests:
            extra = usage.async_extra_requests
            items.append(LineItem("async payload chunks", extra, "requests", rates.request_usd, extra * rates.request_usd, *source("requests_usd_per_million")))
        if free_requests:
            items.append(LineItem("requests free tier", -free_requests, "requests", rates.request_usd, -free_requests * rates.request_usd, *free_source))
        quantities = billing.tier_gb_seconds(usage.gb_seconds, rates.tier_from_gb_seconds)
        for tier, (quantity, tier_rate) in enumerate(zip(quantities, rates.tier_usd_per_gb_second), start=1):
            if tier == 1 or quantity > 0:
                name = "duration" if len(quantities) == 1 else f"duration tier {tier}"
                items.append(LineItem(name, float(quantity), "GB-s", tier_rate, float(quantity) * tier_rate, *source(f"{arch}_usd_per_gb_second")))
        if free_gb_seconds:
            first = rates.tier_usd_per_gb_second[0]
            items.append(LineItem("duration free tier", -free_gb_seconds, "GB-s", first, -free_gb_seconds * first, *free_source))
    if usage.storage_gb_seconds:
        storage_rate = rates.ephemeral_storage_usd_per_gb_second
        items.append(LineItem("ephemeral storage", usage.storage_gb_seconds, "GB-s", storage_rate, usage.storage_gb_seconds * storage_rate, *source("ephemeral_storage_usd_per_gb_second")))
    for name, quantity, unit, meter_rate, rate_key in (
        ("provisioned concurrency", usage.provisioned_gb_seconds, "GB-s", rates.provisioned_usd_per_gb_second, f"provisioned_{arch}_usd_per_gb_second"),
        ("provisioned duration", usage.provisioned_duration_gb_seconds, "GB-s", rates.provisioned_duration_usd_per_gb_second, f"provisioned_duration_{arch}_usd_per_gb_second"),
        ("SnapStart cache", usage.snapstart_cache_gb_seconds, "GB-s", rates.snapstart_cache_usd_per_gb_second, "snapstart_cache_usd_per_gb_second"),
        ("SnapStart restore", usage.snapstart_restore_gb, "GB", rates.snapstart_restore_usd_per_gb, "snapstart_restore_usd_per_gb"),
        ("Lambda@Edge requests", usage.edge_requests, "requests", rates.edge_request_usd, "edge_requests_usd_per_million"),
        ("Lambda@Edge duration", usage.edge_gb_seconds, "GB-s", rates.edge_usd_per_gb_second, "edge_usd_per_gb_second"),
        ("response streaming", usage.streamed_gb, "GB", rates.streaming_usd_per_gb, "streaming_usd_per_gb"),
    ):
        if quantity or (usage.edge and name.startswith("Lambda@Edge")):
            items.append(LineItem(name, quantity, unit, meter_rate, quantity * meter_rate, *source(rate_key)))
    if free_streamed_gb:
        items.append(LineItem("response streaming free tier", -free_streamed_gb, "GB", rates.streaming_usd_per_gb, -free_streamed_gb * rates.streaming_usd_per_gb, *free_source))
    return items


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
    meters = _meter_operands(
        book, arch, region, day, reference, free, provisioned_concurrency, provisioned_hours, provisioned_utilization,
        cold_start_rate, init_duration_ms, package_type, runtime, response_mb, async_payload_kb,
    )
    if meters:
        operands.update(meters)
        kernel = _with_reachability_check(kernel, reference, factor)
    result = _blockwise(kernel, operands)
    if index is not None:
        import pandas as pd

        return pd.Series(result, index=index, name="cost_usd")
    return float(result) if np.ndim(result) == 0 else result


def _meter_operands(book, arch, region, day, reference: Rates, free, provisioned_concurrency, provisioned_hours,
                    provisioned_utilization, cold_start_rate, init_duration_ms, package_type, runtime, response_mb, async_payload_kb) -> dict:
    """Checked operands of the optional meters of :func:`monthly_cost`; empty at their defaults."""
    out = {}
    concurrency = check_numeric("provisioned_concurrency", provisioned_concurrency, 0, np.inf, "environments", step=1)
    if np.any(concurrency):
        launch = book.milestones.get("provisioned_concurrency")
        if launch is not None and day < launch.date:
            raise PriceNotAvailableError(f"Provisioned Concurrency did not exist on {day} (priced from {launch.date})")
        hours = HOURS_PER_MONTH if provisioned_hours is None else check_numeric("provisioned_hours", provisioned_hours, 0, MAX_HOURS_PER_MONTH, "h")
        out.update(_rate_operands(book, arch, region, day, ("provisioned_usd_per_gb_second", "provisioned_duration_usd_per_gb_second"), "Provisioned Concurrency"))
        out.update(provisioned_concurrency=concurrency, provisioned_s=np.multiply(hours, 3600.0))
        if provisioned_utilization is not None:
            out["provisioned_utilization"] = check_numeric("provisioned_utilization", provisioned_utilization, 0, 1, "")
    else:
        for name, value in (("provisioned_hours", provisioned_hours), ("provisioned_utilization", provisioned_utilization)):
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
            asked = np.multiply(operands["provisioned_utilization"], operands["provisioned_concurrency"]) * operands["provisioned_s"]
            bad = np.asarray(asked > work_s * (1 + 1e-9))
            if bad.any():
                value = np.broadcast_to(operands["provisioned_utilization"], bad.shape)[bad].flat[0]
                raise InvalidParameterError("provisioned_utilization", "at most the share of provisioned time the workload can fill (requests x duration)", float(value))
        return kernel(**operands)

    return checked


def _rate_operands(book: PriceBook, arch, region, day: date, meters: tuple[str, ...] = (), meter_name: str = "") -> dict:
    """Per-element rate arrays (or scalars) for the architectures and regions given."""
    arch_a, region_a = np.asarray(arch, dtype=object), np.asarray(region, dtype=object)
    pairs, inverse = np.unique(np.stack(np.broadcast_arrays(arch_a, region_a)).reshape(2, -1).T.astype(str), axis=0, return_inverse=True)
    table = [book.rates(r, a, day) for a, r in pairs]
    tiers = max(len(t.tier_usd_per_gb_second) for t in table)

    def padded(values, n):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (n - len(values))

    if meters:  # only the optional meters' rates, each required for every pair
        for t in table:
            if any(getattr(t, m) is None for m in meters):
                raise PriceNotAvailableError(f"no {meter_name} rate for {t.region} {t.arch} in the {t.era.name} era of the sheets")
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
