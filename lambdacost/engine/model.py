"""The engine's vocabulary: meter keywords, cost components and the records passed from check to meter to charges."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..records import frozen_record

#: isinstance against a tuple made once: ``float | int`` builds a union on every call.
_PLAIN_NUMBER = (float, int)


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
    "savings_plan_per_hour": 0.0,
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


#: The cost components every priced scenario splits into (they add up to ``cost``). [currency]
COMPONENTS = (
    "requests_cost",
    "duration_cost",
    "storage_cost",
    "provisioned_cost",
    "snapstart_cost",
    "edge_cost",
    "streaming_cost",
    "esm_cost",
    "durable_cost",
    "tenant_isolation_cost",
    "logs_cost",
    "savings_plan_cost",
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
    savings_plan_1yr_cost: Any = 0.0  #: Compute Savings Plan commitment this month, 1-year term [currency]
    savings_plan_3yr_cost: Any = 0.0  #: likewise, 3-year term [currency]
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
        "savings_plan_1yr_cost",
        "savings_plan_3yr_cost",
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
    savings_plan_per_hour: Any = 0.0
    savings_plan_term: str = "1yr"
    more_meters: bool = False  #: any keyword of ENGINE_ONLY_KEYWORDS away from its default


def _filled(cls, values: dict):
    """The frozen record ``cls(**values)``, its ``__dict__`` made in two dict operations, not one store a field.

    What :func:`~lambdacost.records.frozen_record`'s ``__init__`` does (it fills ``__dict__``), for the
    wide records a single call builds: a Scenario has 34 fields, a Usage 27, and storing them one by
    one cost ~1 us each record. ``values`` must name fields only (the engine's own dicts do); those
    left out keep their defaults.
    """
    record = _new(cls)
    fields = _DEFAULTS[cls].copy()  # every field in order, as __init__ writes them
    fields.update(values)
    _set(record, "__dict__", fields)
    return record


_new, _set = object.__new__, object.__setattr__


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


def _any(values) -> bool:
    if type(values) is float or type(values) is int or type(values) is bool:
        return bool(values)
    return bool(np.any(values))


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


@frozen_record
class Charge:
    """One meter of a bill: ``quantity`` [``unit``] x ``rate``; ``component`` it counts in."""

    name: str
    quantity: Any
    unit: str
    rate: Any
    rate_key: str  #: the rate's key in the sheet, for provenance and SKUs
    component: str
    free: bool = False  #: a free-tier credit (a negative quantity)
    shown: bool = False  #: listed even when zero

    @property
    def cost(self):
        return self.quantity * self.rate


def _plain(value):
    """A JSON-ready value: floats for 0-d numbers, lists for arrays."""
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _shown(value) -> str:
    return f"{float(value):g}" if _ndim(value) == 0 else "the given"


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


#: Each wide record's fields in order with their defaults (dataclasses.MISSING where required), for :func:`_filled`.
_DEFAULTS = {cls: {f.name: f.default for f in dataclasses.fields(cls)} for cls in (Scenario, Usage)}
