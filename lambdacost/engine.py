"""The one model of the bill: checked usage and rates in, every meter's quantity and cost out.

Every user-facing function goes through here and nowhere else: :func:`check_scenario` is the one
input checker (scalars and arrays alike, one message per rule), :func:`meter` turns a checked
:class:`Scenario` into the month's :class:`Usage` meter by meter, and :func:`charges` prices a
usage at a :class:`RateTable` with the free amounts given. :func:`lambdacost.estimate` is the engine
on one scenario, :func:`~lambdacost.monthly_cost` its total over arrays, :func:`~lambdacost.sweep`
the engine over a grid, :func:`~lambdacost.bill` the engine per function with the tiers and the free
tier taken over the account. A new meter is one edit here plus its rate in the sheet.

Every function broadcasts element-wise like a ufunc (``np.where``/``np.minimum``, no loop over
elements); a meter whose inputs are scalar zeros is skipped, so the common case costs nothing extra.

Examples
--------
>>> from lambdacost.prices import default_pricebook
>>> book = default_pricebook()
>>> from datetime import date
>>> rates = rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1))
>>> scenario, _, _ = check_scenario(book, rates, 1536, 120, 3e6)
>>> usage = meter(scenario)
>>> print(usage.gb_seconds)
540000.0
>>> free = free_use(usage, book.free_tier, scenario.free_tier)
>>> print(round(total_usd(charges(usage, rates, free)), 2))
2.73
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from . import billing
from .errors import InvalidParameterError, PriceNotAvailableError
from .prices import ARCHITECTURES, FreeTier, PriceBook, Rates, default_pricebook
from .records import frozen_record
from .rules import (
    ASYNC_MAX_KB,
    EPHEMERAL_STORAGE_INCLUDED_MB,
    HOURS_PER_MONTH,
    MAX_HOURS_PER_MONTH,
    MAX_INIT_MS,
    MB_PER_GB,
    MS_PER_S,
    PACKAGE_TYPES,
    SECONDS_PER_MONTH,
    STREAMING_INCLUDED_MB,
)
from .validation import check_choice, check_numeric, requests_per_month_factor, to_date

#: isinstance against a tuple made once: ``float | int`` builds a union on every call.
_PLAIN_NUMBER = (float, int)

__all__ = [
    "METER_KEYWORDS",
    "COMPONENTS",
    "FREE_TIER_ORDER",
    "Usage",
    "FreeUse",
    "Scenario",
    "RateTable",
    "Charge",
    "rate_table",
    "check_scenario",
    "meter",
    "free_use",
    "charges",
    "total_usd",
    "components",
    "components_in_use",
    "price",
    "price_scenario",
    "init_is_billed",
    "resolve_pricebook",
    "meter_keywords",
    "tier_notes",
    "pool_share",
    "element_limits",
    "ENGINE_ONLY_KEYWORDS",
    "engine_only",
    "WARNING",
]

#: The optional meter keywords of :func:`lambdacost.estimate`, accepted by every entry point
#: (``monthly_cost``, ``sweep``, ``bill`` and fleet files) with the same names and defaults.
METER_KEYWORDS = {
    "provisioned_concurrency": 0,
    "provisioned_hours": None,
    "provisioned_utilization": None,
    "traffic_concurrency": None,
    "cold_start_rate": 0.0,
    "cold_starts": None,
    "init_duration_ms": 0.0,
    "package_type": "Zip",
    "runtime": None,
    "snapstart": False,
    "restore_duration_ms": 0.0,
    "snapstart_active_hours": None,
    "edge": False,
    "response_mb": 0.0,
    "async_payload_kb": 0.0,
    # The meters below run in numpy only (the compiled kernel leaves them to the engine).
    "provisioned_requests": None,
    "provisioned_duration_ms": None,
    "provisioned_free_tier": False,
    "second_response_mb": 0.0,
    "second_response_share": 0.0,
    "esm_type": None,
    "esm_epu_hours": 0.0,
    "durable_executions": 0.0,
    "durable_operations": None,
    "durable_written_kb": 0.0,
    "durable_retained_days": None,
    "tenant_isolation": False,
    "logged_kb": 0.0,
    "savings_plan_usd_per_hour": 0.0,
    "savings_plan_term": "1yr",
}
#: Meter keywords that are one value for a whole call (not element-wise).
SCALAR_KEYWORDS = (
    "traffic_concurrency",
    "package_type",
    "runtime",
    "snapstart",
    "edge",
    "provisioned_free_tier",
    "esm_type",
    "tenant_isolation",
    "savings_plan_term",
)
#: The meter keywords only the engine prices (not :mod:`lambdacost.kernel`): a call that sets any
#: of them away from its default takes the engine's path.
ENGINE_ONLY_KEYWORDS = tuple(METER_KEYWORDS)[tuple(METER_KEYWORDS).index("provisioned_requests") :]
#: What starts a note of :func:`check_scenario` that is a warning (the input is probably not what
#: was meant), not an assumption: results show it apart.
WARNING = "warning: "

#: How the free GB-s meet the volume tiers: taken off the month's GB-s *before* they are priced
#: through the tiers. This is what AWS's own Pricing Calculator shows ("... - 400000 free tier
#: GB-s = ... total billable GB-s / Tiered price for: ..."), https://calculator.aws/#/addService/Lambda.
#: No AWS bill crossing a tier boundary has been found to confirm it.
FREE_TIER_ORDER = (
    "the free GB-s are taken off the month's GB-s before the volume tiers, as the AWS Pricing Calculator shows "
    "(no AWS bill crossing a tier boundary was found to confirm the order)"
)

#: The cost components every priced scenario splits into (they add up to ``cost_usd``). [USD]
COMPONENTS = (
    "requests_usd",
    "duration_usd",
    "storage_usd",
    "provisioned_usd",
    "snapstart_usd",
    "edge_usd",
    "streaming_usd",
    "esm_usd",
    "durable_usd",
    "tenant_isolation_usd",
    "logs_usd",
    "savings_plan_usd",
)


@frozen_record
class Usage:
    """The metered quantities of a function-month (floats, or arrays of them), or a group's sum.

    ``gb_seconds`` is on-demand duration, the quantity the volume tiers and the free tier apply
    to; it includes the INIT or restore time of cold starts.
    """

    requests: Any = 0.0  #: invocations billed at the request rate [count]
    async_extra_requests: Any = 0.0  #: extra requests for async events above 256 KB [count]
    gb_seconds: Any = 0.0  #: on-demand duration [GB-s]
    init_gb_seconds: Any = 0.0  #: part of gb_seconds spent in INIT or restore [GB-s]
    storage_gb_seconds: Any = 0.0  #: ephemeral storage above 512 MB [GB-s]
    provisioned_gb_seconds: Any = 0.0  #: Provisioned Concurrency configured [GB-s]
    provisioned_duration_gb_seconds: Any = 0.0  #: duration served on it [GB-s]
    provisioned_requests: Any = 0.0  #: invocations served on it [count]
    cold_starts: Any = 0.0  #: cold starts (SnapStart: restores) [count]
    snapstart_cache_gb_seconds: Any = 0.0  #: [GB-s]
    snapstart_restore_gb: Any = 0.0  #: [GB]
    edge_requests: Any = 0.0  #: Lambda@Edge requests [count]
    edge_gb_seconds: Any = 0.0  #: Lambda@Edge duration [GB-s]
    streamed_gb: Any = 0.0  #: response streaming beyond 6 MB a request [GB]
    esm_kafka_epu_hours: Any = 0.0  #: provisioned-mode Kafka event source mapping [EPU-h]
    esm_sqs_epu_hours: Any = 0.0  #: provisioned-mode SQS event source mapping [EPU-h]
    durable_operations: Any = 0.0  #: durable-function operations [count]
    durable_written_gb: Any = 0.0  #: durable-function data written [GB, decimal]
    durable_retained_gb_months: Any = 0.0  #: durable-function data retained [GB-month]
    tenant_environment_gb: Any = 0.0  #: new tenant-isolated environments x memory [GB]
    logged_gb: Any = 0.0  #: CloudWatch Logs ingested [GB]
    savings_plan_1yr_usd: Any = 0.0  #: Compute Savings Plan commitment this month, 1-year term [USD]
    savings_plan_3yr_usd: Any = 0.0  #: likewise, 3-year term [USD]
    billed_duration_ms: Any = 0.0  #: mean billed duration of an on-demand invocation [ms]
    free_tier_eligible: Any = True  #: no Provisioned Concurrency and not Lambda@Edge
    edge: bool = False
    more_meters: bool = False  #: a meter of ENGINE_ONLY_KEYWORDS is in use (else its charges are skipped)

    #: The fields that add up over functions (a group's usage is their sum).
    QUANTITIES = (
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
        "esm_kafka_epu_hours",
        "esm_sqs_epu_hours",
        "durable_operations",
        "durable_written_gb",
        "durable_retained_gb_months",
        "tenant_environment_gb",
        "logged_gb",
        "savings_plan_1yr_usd",
        "savings_plan_3yr_usd",
    )

    @property
    def all_requests(self):
        """Requests the request rate and the free requests apply to. [count]"""
        return self.requests + self.async_extra_requests

    @classmethod
    def total(cls, usages, edge: bool = False) -> Usage:
        """The sum of ``usages`` (a group of functions): every quantity added up."""
        usages = list(usages)
        summed = {name: float(sum(getattr(u, name) for u in usages)) for name in cls.QUANTITIES}
        return cls(**summed, edge=edge, more_meters=any(u.more_meters for u in usages))

    def to_dict(self) -> dict[str, Any]:
        """The quantities and flags as a JSON-ready dict (floats and bools)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


@frozen_record
class FreeUse:
    """Free-tier amounts used: requests [count], on-demand GB-s [GB-s], streamed GB [GB]."""

    requests: Any = 0.0
    gb_seconds: Any = 0.0
    streamed_gb: Any = 0.0


# --- rates per element ---------------------------------------------------------------------

#: The rates of the optional meters, each with the meter's name for messages.
_OPTIONAL_RATES = {
    "provisioned_usd_per_gb_second": "Provisioned Concurrency",
    "provisioned_duration_usd_per_gb_second": "Provisioned Concurrency",
    "snapstart_cache_usd_per_gb_second": "SnapStart",
    "snapstart_restore_usd_per_gb": "SnapStart",
    "edge_request_usd": "Lambda@Edge",
    "edge_usd_per_gb_second": "Lambda@Edge",
    "streaming_usd_per_gb": "response-streaming",
}


@dataclass(frozen=True)
class RateTable:
    """Every rate of the (architecture, region) pairs of a call, element by element.

    Each rate is a float when the call has one pair, else an array broadcast like the ``arch`` and
    ``region`` given. An optional meter's rate is None where some pair has none in the sheets
    (using that meter then raises :class:`~lambdacost.PriceNotAvailableError`).

    Attributes
    ----------
    pairs : tuple of Rates
        The distinct pairs' rates; ``pairs[0]`` is the reference for the era and the free tier.
    rates : dict of str to float or ndarray
        ``request_usd``, ``ephemeral_storage_usd_per_gb_second``, ``tier_rate_<k>`` and
        ``tier_start_<k>`` per volume tier, and the optional meters' rates.
    tiers : int
        Number of volume tiers (shorter tier lists repeat their last rate).
    """

    pairs: tuple[Rates, ...]
    rates: dict
    tiers: int

    def __post_init__(self):
        # Each rate also as an attribute: read without the failed lookup before __getattr__.
        self.__dict__.update(self.rates)
        tiers = range(self.tiers)
        self.__dict__["_tiers"] = (
            tuple(self.rates[f"tier_rate_{k}"] for k in tiers),
            tuple(self.rates[f"tier_start_{k}"] for k in tiers),
        )

    @property
    def reference(self) -> Rates:
        return self.pairs[0]

    def __getattr__(self, name: str):
        try:
            return self.__dict__["rates"][name]
        except KeyError:
            raise AttributeError(name) from None

    def tier_rates(self) -> list:
        return list(self._tiers[0])

    def tier_starts(self) -> list:
        return list(self._tiers[1])

    def require(self, name: str) -> None:
        """Raise unless every pair has the rate ``name``."""
        for r in self.pairs:
            if getattr(r, name) is None:
                meter_name = _OPTIONAL_RATES[name]
                if meter_name == "Lambda@Edge":
                    if r.arch != "x86_64":
                        raise InvalidParameterError(
                            "arch", "'x86_64' for Lambda@Edge (no arm64 Edge rate in our sources)", r.arch
                        )
                    edge_regions = [k for k, v in r.era.regions.items() if v.edge_request_usd is not None]
                    raise InvalidParameterError(
                        "region",
                        " or ".join(map(repr, edge_regions)) + " for Lambda@Edge (the only region(s) with Edge rates "
                        f"in our sources, {r.era.name} era)",
                        r.region,
                    )
                raise PriceNotAvailableError(
                    f"no {meter_name} rate for {r.region} {r.arch} in the {r.era.name} era of the sheets"
                )

    def select(self, index) -> RateTable:
        """The rates of the elements at ``index`` (an integer array into flat elements)."""
        if len(self.pairs) == 1:
            return self
        chosen = {
            k: (np.broadcast_to(v, self._shape).reshape(-1)[index] if v is not None else None)
            for k, v in self.rates.items()
        }
        return RateTable(self.pairs, chosen, self.tiers)

    @property
    def _shape(self):
        shapes = [np.shape(v) for v in self.rates.values() if v is not None]
        return np.broadcast_shapes(*shapes)


def _code(value):
    """An architecture or region code as AWS spells it (lower case, no spaces); others as given."""
    return value.strip().lower() if isinstance(value, str) else value


def rate_table(book: PriceBook, arch, region, day: date) -> RateTable:
    """The rates of every element of ``arch`` x ``region`` (broadcast), looked up once per pair.

    Parameters
    ----------
    book : PriceBook
    arch, region : str or array-like of str
        Broadcast against each other, as numpy does (an open mesh gives a table per pair).
    day : date
        Billing date (one era for the whole call).

    Returns
    -------
    RateTable

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> t = rate_table(default_pricebook(), ["x86_64", "arm64"], "us-east-1", date(2026, 11, 1))
    >>> t.tier_rate_0.tolist()
    [1.66667e-05, 1.33334e-05]
    """
    if isinstance(arch, str) and isinstance(region, str):
        arch, region = _code(arch), _code(region)  # "ARM64", " EU-WEST-1" as AWS spells them
        key = (id(book), arch, region, day)
        cached = _TABLES.get(key)
        if cached is not None and cached[0] is book:  # one pair: looked up once per book and day
            return cached[1]
        check_choice("arch", arch, ARCHITECTURES)
        pairs, inverse, shape = [(arch, region)], None, ()
    else:
        codes = np.frompyfunc(_code, 1, 1)
        arch_a, region_a = codes(np.asarray(arch, dtype=object)), codes(np.asarray(region, dtype=object))
        arch_a, region_a = np.asarray(arch_a, dtype=object), np.asarray(region_a, dtype=object)
        check_choice("arch", arch_a, ARCHITECTURES)
        for name, values in (("region", region_a), ("arch", arch_a)):
            if not all(isinstance(v, str) for v in values.reshape(-1)):
                bad = next(v for v in values.reshape(-1) if not isinstance(v, str))
                raise InvalidParameterError(
                    name, "a region code such as 'us-east-1'" if name == "region" else "a string", bad
                )
        shape = np.broadcast_shapes(arch_a.shape, region_a.shape)
        flat = np.stack([np.broadcast_to(arch_a, shape).reshape(-1), np.broadcast_to(region_a, shape).reshape(-1)])
        keys = [f"{a}\0{r}" for a, r in zip(flat[0], flat[1])]
        distinct = list(dict.fromkeys(keys))
        position = {k: i for i, k in enumerate(distinct)}
        inverse = np.fromiter((position[k] for k in keys), dtype=np.intp, count=len(keys)).reshape(shape)
        pairs = [tuple(k.split("\0")) for k in distinct]
    table = [book.rates(r, a, day) for a, r in pairs]
    tiers = max(len(t.tier_usd_per_gb_second) for t in table)

    def padded(values):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (tiers - len(values))

    columns = {
        "request_usd": [t.request_usd for t in table],
        "ephemeral_storage_usd_per_gb_second": [t.ephemeral_storage_usd_per_gb_second for t in table],
    }
    for k in range(tiers):
        columns[f"tier_rate_{k}"] = [padded(t.tier_usd_per_gb_second)[k] for t in table]
        columns[f"tier_start_{k}"] = [padded(t.tier_from_gb_seconds)[k] for t in table]
    for name in _OPTIONAL_RATES:
        values = [getattr(t, name) for t in table]
        columns[name] = None if any(v is None for v in values) else values
    rates = {}
    for name, values in columns.items():
        if values is None:
            rates[name] = None
        elif inverse is None:
            rates[name] = float(values[0])
        else:
            rates[name] = np.asarray(values, dtype=float)[inverse]
    result = RateTable(tuple(table), rates, tiers)
    if inverse is None:
        if len(_TABLES) >= 256:
            _TABLES.clear()
        _TABLES[(id(book), arch, region, day)] = (book, result)
    return result


#: Rate tables of one (architecture, region) pair, by (id(book), arch, region, day); the book is
#: kept beside its table so that a recycled id never returns another book's rates.
_TABLES: dict = {}


# --- the one input checker -------------------------------------------------------------------


@frozen_record
class Scenario:
    """Checked inputs of the engine, monthly, element-wise (floats or broadcastable arrays).

    Built only by :func:`check_scenario`; :func:`meter` reads nothing else.
    """

    memory_mb: Any
    requests: Any  #: per month [count]
    duration_ms: Any  #: measured duration of one invocation (the mean of a distribution) [ms]
    distribution: Any = None  #: a duration distribution, rounded invocation by invocation
    cold_add_ms: Any = 0.0  #: INIT or restore time a cold start adds before rounding, where billed [ms]
    granularity_ms: Any = 1  #: billing step [ms]
    ephemeral_storage_mb: Any = 512.0
    free_tier: Any = True
    cold_start_rate: Any = 0.0
    cold_starts: Any = None  #: a count instead of a rate
    provisioned_concurrency: Any = 0.0
    provisioned_s: Any = 0.0  #: time enabled [s]
    provisioned_utilization: Any = None  #: None: traffic even over the month
    snapstart_charged: bool = False
    snapstart_active_s: Any = 0.0
    edge: bool = False
    response_mb: Any = 0.0
    async_payload_kb: Any = 0.0
    provisioned_requests: Any = None  #: invocations served on PC, as given (None: from utilization)
    provisioned_billed_ms: Any = None  #: billed duration of one of them (None: as on-demand) [ms]
    provisioned_free_tier: bool = False  #: the free tier applied to the on-demand part of a PC function
    second_response_mb: Any = 0.0
    second_response_share: Any = 0.0
    esm_type: str | None = None
    esm_epu_hours: Any = 0.0  #: billed: per second, at least 1 minute [EPU-h]
    durable_executions: Any = 0.0
    durable_operations: Any = 0.0  #: per execution [count]
    durable_written_kb: Any = 0.0  #: per execution [KB]
    durable_retained_days: Any = 0.0
    tenant_isolation: bool = False
    logged_kb: Any = 0.0  #: per invocation [KB]
    savings_plan_usd_per_hour: Any = 0.0
    savings_plan_term: str = "1yr"
    more_meters: bool = False  #: any keyword of ENGINE_ONLY_KEYWORDS away from its default


def resolve_pricebook(book: PriceBook | None, as_of) -> tuple[PriceBook, date]:
    """The price book to use (default the packaged sheets) and the billing date (default today)."""
    if book is None:
        book = default_pricebook()
    elif not isinstance(book, PriceBook):  # a path or a name: say what it takes
        raise InvalidParameterError("pricebook", "a PriceBook, such as PriceBook.load(DIR), or None", book)
    return book, to_date(as_of, book.earliest) or date.today()


def meter_keywords(given: dict) -> dict:
    """Every optional meter keyword of :func:`lambdacost.estimate`, the ones ``given`` filled in.

    Raises
    ------
    InvalidParameterError
        For a keyword that is not one of :data:`METER_KEYWORDS`.

    Examples
    --------
    >>> meter_keywords({"cold_start_rate": 0.1})["cold_start_rate"], meter_keywords({})["package_type"]
    (0.1, 'Zip')
    """
    unknown = sorted(set(given) - set(METER_KEYWORDS))
    if unknown:
        raise InvalidParameterError(
            unknown[0], "a keyword of estimate(): " + ", ".join(METER_KEYWORDS), given[unknown[0]]
        )
    return {**METER_KEYWORDS, **given}


def init_is_billed(book: PriceBook, as_of: date, package_type: str = "Zip", runtime: str | None = None) -> bool:
    """Whether an on-demand cold start pays for its INIT phase on ``as_of``.

    From 2025-08-01 (milestone ``init_billing``) always; before, only for container
    images and custom runtimes (``provided.*``).

    Examples
    --------
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


def _any(values) -> bool:
    if type(values) is float or type(values) is int or type(values) is bool:
        return bool(values)
    return bool(np.any(values))


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


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool | np.bool_):
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
    provisioned_requests=None,
    provisioned_duration_ms=None,
    provisioned_free_tier: bool = False,
    second_response_mb=0.0,
    second_response_share=0.0,
    esm_type: str | None = None,
    esm_epu_hours=0.0,
    durable_executions=0.0,
    durable_operations=None,
    durable_written_kb=0.0,
    durable_retained_days=None,
    tenant_isolation: bool = False,
    logged_kb=0.0,
    savings_plan_usd_per_hour=0.0,
    savings_plan_term: str = "1yr",
    unchecked=(),
) -> tuple[Scenario, dict, list[str]]:
    """Check every input of one call against the era's limits: the one input checker.

    Scalars and arrays go through the same checks, each with one message naming the parameter,
    the allowed range and the first bad value. The parameters are those of
    :func:`lambdacost.estimate`; ``rates`` is the :func:`rate_table` of the call. ``unchecked``
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
    reference = rates.reference
    day, granularity = reference.as_of, reference.granularity_ms
    assumptions: list[str] = []
    if day is not None and day > date.today():  # a future day: its prices cannot be known yet
        assumptions.append(
            f"priced on {day} with the prices known on {book.stamp} (the pricing stamp): later changes are not known"
        )
    distribution = None
    if not isinstance(duration_ms, _PLAIN_NUMBER):  # a number needs no import
        from .distributions import DurationDistribution

        distribution = duration_ms if isinstance(duration_ms, DurationDistribution) else None
    limits = element_limits(rates)

    def numeric(name, values):
        if name in unchecked:
            return np.asarray(values, dtype=float) if _ndim(values) else float(values)
        low, high, step, unit = limits[name]
        return check_numeric(name, values, low, high, unit, step=step)

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
    check_choice("package_type", package_type, PACKAGE_TYPES)
    if runtime is not None and (not isinstance(runtime, str) or not runtime.strip() or runtime != runtime.strip()):
        raise InvalidParameterError("runtime", "a Lambda runtime id such as 'python3.12'", runtime)
    if package_type != "Zip":
        inputs["package_type"] = package_type
    if runtime:
        inputs["runtime"] = runtime

    # Cold starts: INIT (or a SnapStart restore) added to the handler duration before rounding.
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
    rate = check_numeric("cold_start_rate", cold_start_rate, 0, 1, "")
    if cold_starts is not None:
        if _any(rate):
            raise InvalidParameterError("cold_starts", "omitted when cold_start_rate is given", cold_starts)
        cold_starts = check_numeric("cold_starts", cold_starts, 0, np.inf, "cold starts")
    if distribution is not None:
        from .distributions import Percentiles

        inputs["duration_distribution"] = distribution.to_dict()
        if isinstance(distribution, Percentiles):
            assumptions.append(distribution.assumption)
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
    more = (  # in ENGINE_ONLY_KEYWORDS order
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
        savings_plan_usd_per_hour,
        savings_plan_term,
    )
    more_meters = not _at_defaults(more)  # else their checks below are skipped: the common case costs nothing
    scenario["more_meters"] = more_meters
    scenario.update(
        {}
        if not more_meters
        else _checked_provisioned_split(
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
    scenario.update(_checked_snapstart(book, rates, snapstart, runtime, snapstart_active_hours, inputs, assumptions))

    response = check_numeric("response_mb", response_mb, 0, MAX_RESPONSE_MB, "MB")
    if _any(response):
        inputs["response_mb"] = response
        if _any(np.greater(response, STREAMING_INCLUDED_MB)):
            rates.require("streaming_usd_per_gb")
            if not more_meters or _zero(second_response_share):  # two sizes: said by _checked_second_response
                assumptions.append(f"every response streams {_shown(response)} MB")
    payload = check_numeric("async_payload_kb", async_payload_kb, 0, ASYNC_MAX_KB, "KB")
    if _any(payload):
        inputs["async_payload_kb"] = payload
    if edge:
        rates.require("edge_request_usd")
        rates.require("edge_usd_per_gb_second")
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
            _checked_savings_plan(book, rates, edge, savings_plan_usd_per_hour, savings_plan_term, inputs, assumptions)
        )
    pc = scenario["provisioned_concurrency"]
    pc_without_free = not _zero(pc) and not scenario.get("provisioned_free_tier")  # scalars: no ufunc
    if _any(free) and (edge or (pc_without_free and _any(np.logical_and(free, np.greater(pc, 0))))):
        assumptions.append(
            "no free tier: "
            + ("Lambda@Edge has no free tier in our sources" if edge else "the function has Provisioned Concurrency")
        )
    scenario.update(response_mb=response, async_payload_kb=payload, edge=edge)
    return Scenario(**scenario), inputs, assumptions


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
    rates.require("provisioned_usd_per_gb_second")
    rates.require("provisioned_duration_usd_per_gb_second")
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
        if r.snapstart_cache_usd_per_gb_second is None or r.snapstart_restore_usd_per_gb is None:
            raise PriceNotAvailableError(
                f"no SnapStart rates for {r.region} in the sheets (our sources show us-east-1 only)"
            )
    if not runtime:
        assumptions.append("runtime not given: SnapStart cache and restore are charged (they are free for Java)")
    return {"snapstart_charged": True, "snapstart_active_s": np.multiply(hours, 3600.0)}


# --- meters ----------------------------------------------------------------------------------


def _ndim(value) -> int:
    """``np.ndim``, without numpy's dispatch for the plain numbers of a single call."""
    if isinstance(value, _PLAIN_NUMBER):  # also numpy's float64 and Python's bool
        return 0
    return np.ndim(value)


def _zero(value) -> bool:
    """True for a scalar 0 (or None): the meter it drives is skipped."""
    if value is None:
        return True
    if isinstance(value, _PLAIN_NUMBER):  # the common case, without numpy's dispatch
        return value == 0
    return np.ndim(value) == 0 and value == 0


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
    return Usage(**quantities, free_tier_eligible=eligible, edge=s.edge, more_meters=s.more_meters)


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


@frozen_record
class Charge:
    """One meter of a bill: ``quantity`` [``unit``] x ``rate_usd``; ``component`` it counts in."""

    name: str
    quantity: Any
    unit: str
    rate_usd: Any
    rate_key: str  #: the rate's key in the sheet, for provenance and SKUs
    component: str
    free: bool = False  #: a free-tier credit (a negative quantity)
    shown: bool = False  #: listed even when zero

    @property
    def cost_usd(self):
        return self.quantity * self.rate_usd


def charges(usage: Usage, rates: RateTable, free: FreeUse | None = None) -> list[Charge]:
    """Every meter of ``usage`` priced at ``rates``, the free amounts ``free`` credited.

    The on-demand GB-s go through the volume tiers after the free GB-s are taken off
    (:data:`FREE_TIER_ORDER`): shown as each tier's GB-s, with the tier boundaries after the
    first moved up by the free GB-s, and the free GB-s credited at the tier-1 rate, so that the
    items add up to ``tiered(GB-s - free GB-s)``.

    Parameters
    ----------
    usage : Usage
        One function's, a group's (summed), or arrays of them.
    rates : RateTable
    free : FreeUse, optional
        Free-tier amounts used (:func:`free_use`, or a bill's share of the account pool).

    Returns
    -------
    list of Charge
        Meters of zero quantity are left out unless always shown (requests, tier 1, Edge).

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> t = rate_table(default_pricebook(), "x86_64", "us-east-1", date(2026, 11, 1))
    >>> items = charges(Usage(requests=1e6, gb_seconds=7e9), t, FreeUse(gb_seconds=400_000.0))
    >>> [(c.name, float(c.quantity)) for c in items]
    [('requests', 1000000.0), ('duration tier 1', 6000400000.0), ('duration tier 2', 999600000.0), ('duration free tier', -400000.0)]
    """
    free = free or FreeUse()
    items: list[Charge] = []
    arch = rates.reference.arch

    def add(name, quantity, unit, rate, key, component, free_credit=False, shown=False):
        if shown or not _zero(quantity):
            items.append(Charge(name, quantity, unit, rate, key, component, free_credit, shown))

    if not usage.edge:
        add(
            "requests",
            usage.requests,
            "requests",
            rates.request_usd,
            "requests_usd_per_million",
            "requests_usd",
            shown=True,
        )
        add(
            "async payload chunks",
            usage.async_extra_requests,
            "requests",
            rates.request_usd,
            "requests_usd_per_million",
            "requests_usd",
        )
        add(
            "requests free tier",
            -free.requests,
            "requests",
            rates.request_usd,
            "free_tier",
            "requests_usd",
            free_credit=True,
        )
        starts, tier_rates = rates.tier_starts(), rates.tier_rates()
        shifted = [starts[0]] + [start + free.gb_seconds for start in starts[1:]]
        quantities = billing.tier_gb_seconds(usage.gb_seconds, shifted)
        for k, (quantity, rate) in enumerate(zip(quantities, tier_rates)):
            name = "duration" if rates.tiers == 1 else f"duration tier {k + 1}"
            quantity = float(quantity) if _ndim(quantity) == 0 else quantity
            add(name, quantity, "GB-s", rate, f"{arch}_usd_per_gb_second", "duration_usd", shown=k == 0)
        add(
            "duration free tier",
            -free.gb_seconds,
            "GB-s",
            tier_rates[0],
            "free_tier",
            "duration_usd",
            free_credit=True,
        )
    add(
        "ephemeral storage",
        usage.storage_gb_seconds,
        "GB-s",
        rates.ephemeral_storage_usd_per_gb_second,
        "ephemeral_storage_usd_per_gb_second",
        "storage_usd",
    )
    add(
        "provisioned concurrency",
        usage.provisioned_gb_seconds,
        "GB-s",
        rates.provisioned_usd_per_gb_second,
        f"provisioned_{arch}_usd_per_gb_second",
        "provisioned_usd",
    )
    add(
        "provisioned duration",
        usage.provisioned_duration_gb_seconds,
        "GB-s",
        rates.provisioned_duration_usd_per_gb_second,
        f"provisioned_duration_{arch}_usd_per_gb_second",
        "provisioned_usd",
    )
    add(
        "SnapStart cache",
        usage.snapstart_cache_gb_seconds,
        "GB-s",
        rates.snapstart_cache_usd_per_gb_second,
        "snapstart_cache_usd_per_gb_second",
        "snapstart_usd",
    )
    add(
        "SnapStart restore",
        usage.snapstart_restore_gb,
        "GB",
        rates.snapstart_restore_usd_per_gb,
        "snapstart_restore_usd_per_gb",
        "snapstart_usd",
    )
    add(
        "Lambda@Edge requests",
        usage.edge_requests,
        "requests",
        rates.edge_request_usd,
        "edge_requests_usd_per_million",
        "edge_usd",
        shown=usage.edge,
    )
    add(
        "Lambda@Edge duration",
        usage.edge_gb_seconds,
        "GB-s",
        rates.edge_usd_per_gb_second,
        "edge_usd_per_gb_second",
        "edge_usd",
        shown=usage.edge,
    )
    add(
        "response streaming",
        usage.streamed_gb,
        "GB",
        rates.streaming_usd_per_gb,
        "streaming_usd_per_gb",
        "streaming_usd",
    )
    add(
        "response streaming free tier",
        -free.streamed_gb,
        "GB",
        rates.streaming_usd_per_gb,
        "free_tier",
        "streaming_usd",
        free_credit=True,
    )
    if usage.more_meters:
        items += _more_charges(usage, rates)
        items += _savings_plan_charges(items, usage, rates)
    return items


def components_in_use(s: Scenario) -> tuple[str, ...]:
    """The :data:`COMPONENTS` a checked scenario can charge, read from its inputs (nothing is metered).

    Examples
    --------
    >>> components_in_use(Scenario(memory_mb=1024, requests=1e6, duration_ms=100, provisioned_concurrency=2))
    ('requests_usd', 'duration_usd', 'storage_usd', 'provisioned_usd')
    """
    on = {
        "requests_usd": True,
        "duration_usd": True,
        "storage_usd": True,
        "provisioned_usd": not _zero(s.provisioned_concurrency) and _any(s.provisioned_concurrency),
        "snapstart_usd": bool(s.snapstart_charged),
        "edge_usd": bool(s.edge),
        "streaming_usd": _any(np.greater(s.response_mb, STREAMING_INCLUDED_MB))
        or _any(np.greater(s.second_response_mb, STREAMING_INCLUDED_MB)),
        "esm_usd": s.esm_type is not None,
        "durable_usd": _any(s.durable_executions),
        "tenant_isolation_usd": bool(s.tenant_isolation),
        "logs_usd": _any(s.logged_kb),
        "savings_plan_usd": _any(s.savings_plan_usd_per_hour),
    }
    return tuple(c for c in COMPONENTS if on[c])


def total_usd(items: list[Charge]):
    """The sum of the charges' costs, component by component (a credit cancels its own meter). [USD]"""
    return _sum(components(items))


def _sum(parts: dict):
    total = 0.0
    for part in parts.values():
        if not _zero(part):
            total = total + part
    return float(total) if _ndim(total) == 0 else total


def components(items: list[Charge]) -> dict:
    """The charges added up per :data:`COMPONENTS` entry (zero where a meter is unused). [USD]"""
    out = dict.fromkeys(COMPONENTS, 0.0)
    for item in items:
        out[item.component] = out[item.component] + item.cost_usd
    return {k: float(v) if _ndim(v) == 0 else v for k, v in out.items()}


def price(book: PriceBook, rates: RateTable, memory_mb, duration_ms, requests, **keywords) -> dict:
    """The whole engine on scenarios alone in an account: check, meter, free tier, charges.

    Parameters
    ----------
    book : PriceBook
    rates : RateTable
        From :func:`rate_table`.
    memory_mb, duration_ms, requests, **keywords
        As :func:`check_scenario` takes them.

    Returns
    -------
    dict
        :data:`COMPONENTS`, ``gb_seconds`` and ``cost_usd``, each broadcast over the scenarios.

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> book = default_pricebook()
    >>> parts = price(book, rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1)), 1536, 120, 3e6)
    >>> round(parts["duration_usd"], 6), round(parts["requests_usd"], 2), round(parts["cost_usd"], 6)
    (2.333338, 0.4, 2.733338)
    """
    scenario, _, _ = check_scenario(book, rates, memory_mb, duration_ms, requests, **keywords)
    return price_scenario(book, scenario, rates)


def price_scenario(book: PriceBook, scenario: Scenario, rates: RateTable) -> dict:
    """:func:`price` of a checked scenario: meters, the free tier of one function alone, charges."""
    usage = meter(scenario)
    items = charges(usage, rates, free_use(usage, book.free_tier, scenario.free_tier))
    out = components(items)
    out["cost_usd"] = _sum(out)
    out["gb_seconds"] = usage.gb_seconds
    return out


def _plain(value):
    """A JSON-ready value: floats for 0-d numbers, lists for arrays."""
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _shown(value) -> str:
    return f"{float(value):g}" if _ndim(value) == 0 else "the given"


def tier_notes(rates: Rates, gb_seconds: float, free_gb_seconds: float = 0.0) -> list[str]:
    """What a result that reaches tier 2 rests on: the free-tier order, and derived tier rates.

    Parameters
    ----------
    rates : Rates
        Of one (region, architecture).
    gb_seconds, free_gb_seconds : float
        The group's (or function's) on-demand GB-s and the free GB-s taken off them. [GB-s]

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> r = default_pricebook().rates("us-east-1", "x86_64", date(2026, 11, 1))
    >>> tier_notes(r, 1e6, 4e5), len(tier_notes(r, 7e9, 4e5))
    ([], 1)
    """
    starts = rates.tier_from_gb_seconds
    if len(starts) < 2 or gb_seconds <= starts[1]:
        return []  # all in tier 1, whichever way the free GB-s come off
    notes = [FREE_TIER_ORDER] if free_gb_seconds else []
    if rates.derived_tiers_assumption and gb_seconds - free_gb_seconds > starts[1]:
        notes.append(rates.derived_tiers_assumption)
    return notes


def pool_share(pool: float, used):
    """The share of eligible use a free-tier pool covers, the same for every user of it:
    ``min(1, pool / used)``; 0 without a pool. (How bill and the log reports split one allowance.)

    Examples
    --------
    >>> pool_share(400_000, 600_000), pool_share(400_000, 100_000), pool_share(0, 5.0)
    (0.6666666666666666, 1.0, 0.0)
    """
    used = np.asarray(used, dtype=float)
    out = np.divide(pool, used, out=np.ones_like(used), where=used > pool) if pool else np.zeros_like(used)
    return out if out.ndim else float(out)


# --- meters beyond requests and duration: PC served share, two response sizes, provisioned-mode
# event source mappings, durable functions, tenant isolation, CloudWatch Logs --------------------
# Each is checked by one _checked_* function and metered and priced by _more_quantities and
# _more_charges; their rates come from the sheet's [meters] tables (RateTable.pairs).

#: Retained durable data is prorated over 30-day months, as the pricing page's example does
#: ("104GB x (7/30) = 24.27 GB-month").
DURABLE_DAYS_PER_MONTH = 30.0
#: Durable data is counted in decimal GB in that example ("1M x 104KB = 104GB").
DURABLE_KB_PER_GB = 1e6
#: AWS keeps a durable execution's data 14 days after it completes unless configured (1 to 90).
DURABLE_DEFAULT_RETAINED_DAYS = 14.0
#: The longest time durable data is priced for: a bound that keeps every cost finite. [days]
DURABLE_MAX_RETAINED_DAYS = 3650.0
#: CloudWatch Logs GB: 1024^3 bytes, i.e. 1024^2 KB (as AWS's IncomingBytes are converted by
#: the Duckbill Group's estimator cited in the sheet).
LOGS_KB_PER_GB = 1024.0**2
#: Provisioned-mode ESM: "Pricing is calculated per second, with a 1-minute minimum".
ESM_BILLING_STEP_S, ESM_MINIMUM_S = 1.0, 60.0
#: The most EPU-hours one call may price: a million pollers all month, far above any quota.
MAX_EPU_HOURS = 1e6 * 744
#: The largest per-execution or per-invocation sizes priced (keeps costs finite). [KB]
MAX_DURABLE_KB = 1e9
MAX_LOGGED_KB = 1e6
ESM_TYPES = ("kafka", "sqs")


def engine_only(inputs: dict) -> bool:
    """Whether a call's meter keywords use a meter only the engine prices (:data:`ENGINE_ONLY_KEYWORDS`).

    Examples
    --------
    >>> engine_only(meter_keywords({})), engine_only(meter_keywords({"esm_type": "kafka"}))
    (False, True)
    """
    return not _at_defaults(tuple(inputs.get(k, d) for k, d in zip(ENGINE_ONLY_KEYWORDS, _ENGINE_ONLY_DEFAULTS)))


_ENGINE_ONLY_DEFAULTS = tuple(METER_KEYWORDS[k] for k in ENGINE_ONLY_KEYWORDS)


def _at_defaults(values: tuple) -> bool:
    """True if every value is its keyword's default (plain Python values only: an array is not)."""
    for value, default in zip(values, _ENGINE_ONLY_DEFAULTS):
        if value is default:
            continue
        if default is None or type(default) is bool:  # None and flags: only themselves
            return False
        kind = type(value)
        if not ((kind is float or kind is int or kind is str) and value == default):
            return False
    return True


def _no_cold_time_warning(snapstart: bool, rate, cold_starts) -> str:
    given = f"cold_start_rate {_shown(rate)}" if cold_starts is None else f"cold_starts {_shown(cold_starts)}"
    missing = "restore_duration_ms" if snapstart else "init_duration_ms"
    return (
        f"{WARNING}{given} adds no billed time: {missing} is 0, so cold starts add 0 GB-s "
        f"(give the {'restore' if snapstart else 'INIT'} duration of a cold start to bill it)"
    )


def _meter_sheet(book: PriceBook, rate_key: str):
    return next((m for m in book.meters.values() if any(rate_key in r for r in m.regions.values())), None)


def _uniform(book: PriceBook, rates: RateTable, field: str, rate_key: str, label: str, assumptions: list):
    """The rate ``field`` of a meter, the same for every (architecture, region) pair of the call.

    Raises one line where a pair has no such rate: before the meter is priced, in a region or an
    architecture our sources do not price it for.
    """
    values = []
    for r in rates.pairs:
        value = getattr(r, field)
        if value is None:
            sheet = _meter_sheet(book, rate_key)
            if sheet is not None and r.as_of < sheet.effective_from:
                raise PriceNotAvailableError(f"{label} is priced from {sheet.effective_from}, got as_of {r.as_of}")
            where = sorted(sheet.regions) if sheet is not None else []
            raise PriceNotAvailableError(
                f"no {label} rate for {r.region} {r.arch} in our sources (priced for: {', '.join(where) or 'none'})"
            )
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
        rates.require("streaming_usd_per_gb")
    inputs.update(second_response_mb=second, second_response_share=share)
    if _any(np.greater(response, STREAMING_INCLUDED_MB)) or _any(np.greater(second, STREAMING_INCLUDED_MB)):
        assumptions.append(
            f"a share of {_shown(share)} of the responses streams {_shown(second)} MB, the others {_shown(response)} MB"
        )
    return {"second_response_mb": second, "second_response_share": share}


def _streamed_two_sizes(s: Scenario, requests):
    """Response streaming beyond 6 MB a request, at two sizes. [GB]"""
    second = np.multiply(requests, s.second_response_share)
    return billing.streamed_gb(s.response_mb, np.subtract(requests, second)) + billing.streamed_gb(
        s.second_response_mb, second
    )


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
        key = f"esm_{esm_type}_usd_per_epu_hour"
        _uniform(book, rates, key, key, f"provisioned-mode {esm_type.upper()} event source mapping", assumptions)
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
            ("durable_operations_usd_per_million", "durable_operation_usd"),
            ("durable_written_usd_per_gb", "durable_written_usd_per_gb"),
            ("durable_retained_usd_per_gb_month", "durable_retained_usd_per_gb_month"),
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
        if any(r.arch != "x86_64" for r in rates.pairs):
            raise InvalidParameterError(
                "arch", "'x86_64' with tenant_isolation (no arm64 tenant-isolation rate in our sources)", "arm64"
            )
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
        key = "x86_64_tenant_isolation_usd_per_gb"
        _uniform(book, rates, "tenant_isolation_usd_per_gb", key, "tenant-isolation", assumptions)
        out["tenant_isolation"] = True
        inputs["tenant_isolation"] = True
        assumptions.append("every cold start creates a new tenant-isolated execution environment (and no other does)")
    # CloudWatch Logs ingestion of what each invocation logs.
    logged = check_numeric("logged_kb", logged_kb, 0, MAX_LOGGED_KB, "KB an invocation")
    if _any(logged):
        tiers = _uniform(book, rates, "logs_usd_per_gb", "logs_usd_per_gb", "CloudWatch Logs", assumptions)
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
    if not _zero(s.savings_plan_usd_per_hour):
        out[f"savings_plan_{s.savings_plan_term}_usd"] = np.multiply(s.savings_plan_usd_per_hour, HOURS_PER_MONTH)
    return out


def _more_charges(usage: Usage, rates: RateTable) -> list[Charge]:
    """The charges of :func:`_more_quantities`' meters (rates from the sheet's ``[meters]`` tables)."""
    items = []
    r = rates.reference

    def add(name, quantity, unit, rate, key, component):
        if not _zero(quantity):
            items.append(Charge(name, quantity, unit, rate, key, component))

    add(
        "provisioned ESM (Kafka)",
        usage.esm_kafka_epu_hours,
        "EPU-hours",
        r.esm_kafka_usd_per_epu_hour,
        "esm_kafka_usd_per_epu_hour",
        "esm_usd",
    )
    add(
        "provisioned ESM (SQS)",
        usage.esm_sqs_epu_hours,
        "EPU-hours",
        r.esm_sqs_usd_per_epu_hour,
        "esm_sqs_usd_per_epu_hour",
        "esm_usd",
    )
    add(
        "durable operations",
        usage.durable_operations,
        "operations",
        r.durable_operation_usd,
        "durable_operations_usd_per_million",
        "durable_usd",
    )
    add(
        "durable data written",
        usage.durable_written_gb,
        "GB",
        r.durable_written_usd_per_gb,
        "durable_written_usd_per_gb",
        "durable_usd",
    )
    add(
        "durable data retained",
        usage.durable_retained_gb_months,
        "GB-months",
        r.durable_retained_usd_per_gb_month,
        "durable_retained_usd_per_gb_month",
        "durable_usd",
    )
    add(
        "tenant isolation",
        usage.tenant_environment_gb,
        "GB",
        r.tenant_isolation_usd_per_gb,
        f"{r.arch}_tenant_isolation_usd_per_gb",
        "tenant_isolation_usd",
    )
    if not _zero(usage.logged_gb):
        tier_rates, starts = r.logs_usd_per_gb, r.logs_tier_from_gb
        for k, (quantity, rate) in enumerate(zip(billing.tier_gb_seconds(usage.logged_gb, starts), tier_rates)):
            quantity = float(quantity) if _ndim(quantity) == 0 else quantity
            name = "CloudWatch Logs ingestion" if len(tier_rates) == 1 else f"CloudWatch Logs ingestion tier {k + 1}"
            if k == 0 or _any(quantity):
                items.append(Charge(name, quantity, "GB", rate, "logs_usd_per_gb", "logs_usd"))
    return items


# --- Compute Savings Plans: an hourly commitment, a discount on what it covers -----------------

SAVINGS_PLAN_TERMS = ("1yr", "3yr")
#: The largest hourly commitment priced: far above any one function's on-demand spend. [USD/h]
MAX_SAVINGS_PLAN_USD_PER_HOUR = 1e7
#: The components a Compute Savings Plan covers (duration and Provisioned Concurrency; see the sheet).
SAVINGS_PLAN_COVERS = ("duration_usd", "provisioned_usd")


def _checked_savings_plan(book: PriceBook, rates: RateTable, edge, commitment, term, inputs, assumptions) -> dict:
    """A Compute Savings Plan's hourly commitment and term, with the discount's source checked."""
    commitment = check_numeric("savings_plan_usd_per_hour", commitment, 0, MAX_SAVINGS_PLAN_USD_PER_HOUR, "USD an hour")
    check_choice("savings_plan_term", term, SAVINGS_PLAN_TERMS)
    if not _any(commitment):
        if term != METER_KEYWORDS["savings_plan_term"]:
            raise InvalidParameterError("savings_plan_term", "given only with savings_plan_usd_per_hour above 0", term)
        return {}
    if edge:
        raise InvalidParameterError(
            "savings_plan_usd_per_hour", "0 for Lambda@Edge (not covered by Compute Savings Plans)", _plain(commitment)
        )
    key = f"savings_plan_{term}_discount"
    _uniform(book, rates, key, key, "Compute Savings Plans", assumptions)
    assumptions.append(
        "the Savings Plan's commitment goes to this function's Lambda usage alone (in an account it goes first to "
        "the usage with the largest discount, EC2 and Fargate), and the usage it covers is spread evenly over the "
        "month's 730 hours (it applies hour by hour; commitment unused in an hour is lost)"
    )
    inputs.update(savings_plan_usd_per_hour=commitment, savings_plan_term=term)
    return {"savings_plan_usd_per_hour": commitment, "savings_plan_term": term}


def _savings_plan_charges(items: list[Charge], usage: Usage, rates: RateTable) -> list[Charge]:
    """The commitment and what it covers: the covered usage leaves the on-demand bill at its on-demand cost.

    A commitment of ``C`` USD a month at discount ``d`` pays for ``C / (1 - d)`` USD of on-demand
    duration and Provisioned Concurrency; the rest of them stays at on-demand rates. The 3-year
    plan (the larger discount) applies first.
    """
    out: list[Charge] = []
    plans = [(t, getattr(usage, f"savings_plan_{t}_usd")) for t in ("3yr", "1yr")]
    if all(_zero(c) for _, c in plans):
        return out
    eligible = 0.0
    for item in items:
        if item.component in SAVINGS_PLAN_COVERS:
            eligible = eligible + item.cost_usd
    eligible = np.maximum(eligible, 0.0)
    for term, commitment in plans:
        if _zero(commitment):
            continue
        discount = getattr(rates.reference, f"savings_plan_{term}_discount")
        covered = np.minimum(np.divide(commitment, 1.0 - discount), eligible)
        eligible = eligible - covered
        key, years = f"savings_plan_{term}_discount", term[0]
        rate = np.divide(commitment, HOURS_PER_MONTH)
        out.append(
            Charge(
                f"Compute Savings Plan ({years}-year)", float(HOURS_PER_MONTH), "hours", rate, key, "savings_plan_usd"
            )
        )
        covered = float(covered) if _ndim(covered) == 0 else covered
        out.append(
            Charge(
                f"covered by the Savings Plan ({years}-year)",
                np.negative(covered),
                "USD on demand",
                1.0,
                key,
                "savings_plan_usd",
            )
        )
    return out
