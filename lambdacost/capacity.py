"""What an always-on option must provision to carry a Lambda workload.

A server is paid for whether busy or not, so its cost follows the capacity it must hold at
the busiest hour. This module turns a load (requests per month, duration, memory, a daily
traffic profile) into that capacity:

* concurrency by Little's law: requests in flight = arrival rate x duration;
* vCPU and memory demand of those requests;
* instances (or tasks) needed at a target utilisation, never fewer than a minimum kept
  for high availability;
* for App Runner, the instance-hours that are active (processing) rather than idle.

Every assumption is a field of :class:`Assumptions` with a documented default. Functions
are vectorized over ``requests_per_month``: scalars in, scalars out; arrays in, arrays out.

Examples
--------
20 requests per second of 120 ms are 2.4 requests in flight (Little's law):

>>> from lambdacost.capacity import concurrency
>>> print(round(concurrency(20, 120), 6))
2.4
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InvalidParameterError
from .rules import HOURS_PER_MONTH, MB_PER_GB, SECONDS_PER_MONTH, vcpus

#: AWS replaced the 12-month free tier with credits for accounts created from this day on
#: (the 12-month API Gateway free tier: https://aws.amazon.com/api-gateway/pricing/).
API_GATEWAY_FREE_TIER_ACCOUNTS_BEFORE = "2025-07-15"
API_GATEWAY_FREE_TIER_SOURCES = (
    "https://aws.amazon.com/api-gateway/pricing/; "
    "https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/core-skills/aws-billing-and-cost-management/"
    "references/free-tier.md"
)

#: Lambda Managed Instances: "Lambda launches three instances by default for AZ resiliency", and
#: "The minimum supported function size is 2GB and 1 vCPU" (AWS Lambda developer guide, best
#: practices for Lambda Managed Instances); "The supported memory-to-CPU ratios are 2GB, 4GB, or
#: 8GB per CPU" (AWS SAM CapacityProviderConfig, ExecutionEnvironmentMemoryGiBPerVCpu).
LMI_DEFAULT_INSTANCES = 3
LMI_MIN_FUNCTION_GIB = 2.0
LMI_MEMORY_GIB_PER_VCPU = (2.0, 4.0, 8.0)
LMI_SOURCES = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-best-practices.html; "
    "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/"
    "sam-property-function-capacityproviderconfig.html"
)

__all__ = [
    "HOURS_PER_DAY",
    "LMI_DEFAULT_INSTANCES",
    "LMI_MEMORY_GIB_PER_VCPU",
    "LMI_MIN_FUNCTION_GIB",
    "HOURS_PER_MONTH",
    "SECONDS_PER_MONTH",
    "Assumptions",
    "apprunner_active_hours",
    "check_profile",
    "concurrency",
    "hourly_rps",
    "instances_needed",
    "instances_per_request",
    "lmi_environment",
    "mean_rps",
    "peak_factor",
    "profile_from_series",
]

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class Assumptions:
    """The capacity model's assumptions, each a named parameter.

    Parameters
    ----------
    target_utilization : float, default 0.7
        Share of an instance's vCPU and memory that sizing may use; the rest is headroom
        for bursts. [fraction in (0, 1]]
    min_instances : int, default 2
        Fewest instances or tasks of a server option (EC2, Beanstalk, Fargate, ECS Express
        Mode), so that one can fail: high availability. [count]
    apprunner_min_instances : int, default 1
        Fewest provisioned App Runner instances (the service keeps at least one). [count]
    lmi_min_instances : int, default 3
        Fewest Lambda Managed Instances: AWS launches three by default for AZ resiliency. [count]
    lmi_memory_gib_per_vcpu : {2, 4, 8}, default 2
        Memory per vCPU of a Lambda Managed Instances execution environment; the environment has
        the function's memory (at least 2 GB) and that memory / this ratio vCPUs (at least 1). [GiB]
    vcpu_per_request : float, optional
        vCPU one in-flight request keeps busy. Default: the CPU share Lambda gave it,
        the CPU share Lambda gives ``memory_mb`` (:func:`lambdacost.rules.vcpus`; the duration was measured with it), times
        ``cpu_busy_fraction``. [vCPU]
    cpu_busy_fraction : float, default 1.0
        Share of a request's duration spent on CPU rather than waiting on I/O; used only
        when ``vcpu_per_request`` is not given. [fraction in (0, 1]]
    memory_per_request_mb : float, optional
        Memory one in-flight request needs on a server. Default: the Lambda memory size,
        as one Lambda environment serves one request at a time (conservative: a server
        process shares code and runtime between requests). [MB]
    new_connections_per_request : float, default 1.0
        New TCP connections per request at a load balancer (1: no keep-alive). [count]
    kb_per_request : float, default 10.0
        Bytes a load balancer processes per request, request plus response. [KB, 1000 B]
    load_balancer : bool or None, default None
        An Application Load Balancer in front of plain EC2 and Fargate. None: wherever they run
        more than one instance (the two kept for high availability need one endpoint that
        spreads requests, as a function URL or API Gateway gives Lambda); True: always;
        False: never. Elastic Beanstalk (load-balanced) and ECS Express Mode always have one,
        a single-instance Beanstalk environment none; App Runner includes its own.
    api_gateway_free_tier : bool, default False
        Apply API Gateway's 1M free requests a month. It lasts 12 months from sign-up and only
        accounts created before 2025-07-15 have it (later ones get the credit-based free plan).

    Notes
    -----
    Servers are sized for the busiest hour of the profile and run all month (no
    autoscaling): the cost of a fixed fleet. Burstable types (t3, t4g) are assumed to
    sustain the target utilisation; CPU credits beyond the baseline are not priced.
    """

    target_utilization: float = 0.7
    min_instances: int = 2
    apprunner_min_instances: int = 1
    lmi_min_instances: int = LMI_DEFAULT_INSTANCES
    lmi_memory_gib_per_vcpu: float = 2.0
    vcpu_per_request: float | None = None
    cpu_busy_fraction: float = 1.0
    memory_per_request_mb: float | None = None
    new_connections_per_request: float = 1.0
    kb_per_request: float = 10.0
    load_balancer: bool | None = None
    api_gateway_free_tier: bool = False

    def __post_init__(self):
        _fraction("target_utilization", self.target_utilization)
        _fraction("cpu_busy_fraction", self.cpu_busy_fraction)
        for name in ("min_instances", "apprunner_min_instances", "lmi_min_instances"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise InvalidParameterError(name, "a whole number >= 1", value)
        for name in ("vcpu_per_request", "memory_per_request_mb"):
            value = getattr(self, name)
            if value is not None and not (np.isfinite(value) and value > 0):
                raise InvalidParameterError(name, "a finite number > 0 (or None for the default)", value)
        if self.lmi_memory_gib_per_vcpu not in LMI_MEMORY_GIB_PER_VCPU:
            raise InvalidParameterError(
                "lmi_memory_gib_per_vcpu", "one of 2, 4, 8 (GiB per vCPU)", self.lmi_memory_gib_per_vcpu
            )
        if self.load_balancer not in (None, True, False):
            raise InvalidParameterError(
                "load_balancer", "True, False or None (where servers run 2+ instances)", self.load_balancer
            )
        for name in ("new_connections_per_request", "kb_per_request"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise InvalidParameterError(name, "a finite number >= 0", value)

    def vcpu_for(self, memory_mb: float) -> float:
        """vCPU one in-flight request of a ``memory_mb`` Lambda function needs. [vCPU]"""
        if self.vcpu_per_request is not None:
            return float(self.vcpu_per_request)
        return float(vcpus(memory_mb)) * self.cpu_busy_fraction  # the CPU share Lambda gave it

    def memory_gib_for(self, memory_mb: float) -> float:
        """Memory one in-flight request needs on a server. [GiB]"""
        return (self.memory_per_request_mb if self.memory_per_request_mb is not None else memory_mb) / MB_PER_GB

    def describe(self, kinds=None, burstable: bool = True) -> tuple[str, ...]:
        """The assumptions in words, for results and reports: those of the option ``kinds``
        priced (default all), the burstable-instance one only if ``burstable``."""
        kinds = (
            {"ec2", "beanstalk", "beanstalk-single", "fargate", "express", "apprunner", "lmi"}
            if kinds is None
            else set(kinds)
        )
        out = []
        fleets = kinds & {"ec2", "beanstalk", "beanstalk-single", "fargate", "express"}
        if fleets or "lmi" in kinds:
            fewest = []
            if fleets - {"beanstalk-single"}:
                fewest.append(f"at least {self.min_instances} for high availability")
            if "beanstalk-single" in kinds:
                fewest.append("a single-instance Beanstalk environment exactly 1")
            if "lmi" in kinds:
                fewest.append(
                    f"Lambda Managed Instances at least {self.lmi_min_instances} (AWS's default, for AZ resiliency)"
                )
            out.append(
                f"servers sized for the busiest hour at {self.target_utilization:.0%} utilisation, running all month "
                f"(no autoscaling), {', '.join(fewest)}"
            )
        if "apprunner" in kinds:
            out.append(
                f"App Runner keeps at least {self.apprunner_min_instances} provisioned instance(s); active time is "
                "the request time in flight (requests not overlapping), capped at the provisioned instance-hours"
            )
        if burstable and kinds & {"ec2", "beanstalk", "beanstalk-single", "lmi"}:
            out.append(
                "burstable t3/t3a/t4g instances assumed to sustain the target utilisation (CPU credits not priced)"
            )
        balanced = self.balanced_kinds(kinds)
        if balanced:
            where = []
            if balanced & {"ec2", "fargate"}:
                where.append(
                    {
                        None: "in front of EC2 and Fargate wherever they run 2 or more instances (one endpoint "
                        "spreading requests, as Lambda's function URL or API Gateway is; --no-load-balancer leaves "
                        "it out)",
                        True: "in front of EC2 and Fargate at every load (--load-balancer)",
                    }[self.load_balancer]
                )
            named = [
                n
                for k, n in (("beanstalk", "load-balanced Beanstalk"), ("express", "ECS Express Mode"))
                if k in balanced
            ]
            if named:
                where.append(f"always in front of {' and '.join(named)}")
            out.append(
                f"an Application Load Balancer {', and '.join(where)}; {self.new_connections_per_request:g} new "
                f"connection(s) and {self.kb_per_request:g} KB processed per request, active-connection and "
                "rule-evaluation LCUs not priced"
            )
        if kinds & {"ec2", "fargate"} and self.load_balancer is False:
            out.append("no load balancer in front of EC2 and Fargate (--no-load-balancer)")
        if "lmi" in kinds:
            out.append(
                f"Lambda Managed Instances execution environments have the function's memory, at least "
                f"{LMI_MIN_FUNCTION_GIB:g} GB, and {self.lmi_memory_gib_per_vcpu:g} GB per vCPU, at least 1 vCPU "
                f"({LMI_SOURCES}, read 2026-12-01)"
            )
        return tuple(out)

    def balanced_kinds(self, kinds) -> set:
        """The option kinds among ``kinds`` that may have a load balancer under these assumptions."""
        always = set(kinds) & {"beanstalk", "express"}
        plain = set(kinds) & {"ec2", "fargate"}
        return always | (plain if self.load_balancer is not False else set())

    def describe_api_gateway_free_tier(self) -> str:
        """Whether API Gateway's free requests are counted, and who has them, in words."""
        applied = "applied" if self.api_gateway_free_tier else "not applied"
        return (
            f"API Gateway free tier (1M calls a month, 12 months from sign-up) {applied}: only accounts created "
            f"before {API_GATEWAY_FREE_TIER_ACCOUNTS_BEFORE} have it ({API_GATEWAY_FREE_TIER_SOURCES}, read 2026-12-01)"
        )


def lmi_environment(memory_mb: float, memory_gib_per_vcpu: float = 2.0) -> tuple[float, float]:
    """The vCPU and memory of a Lambda Managed Instances execution environment for a function.

    The environment has the function's memory, raised to the 2 GB minimum, and one vCPU per
    ``memory_gib_per_vcpu`` GiB of it; a function too small for 1 vCPU at that ratio is raised
    to the ratio's memory. [vCPU], [GiB]

    Examples
    --------
    >>> lmi_environment(512)       # raised to the 2 GB, 1 vCPU minimum
    (1.0, 2.0)
    >>> lmi_environment(8192, 4)   # 8 GB at 4 GB per vCPU
    (2.0, 8.0)
    >>> lmi_environment(2048, 4)   # 1 vCPU needs 4 GB at 4:1
    (1.0, 4.0)
    """
    if memory_gib_per_vcpu not in LMI_MEMORY_GIB_PER_VCPU:
        raise InvalidParameterError("lmi_memory_gib_per_vcpu", "one of 2, 4, 8 (GiB per vCPU)", memory_gib_per_vcpu)
    memory_gib = max(float(memory_mb) / MB_PER_GB, LMI_MIN_FUNCTION_GIB, float(memory_gib_per_vcpu))
    return memory_gib / memory_gib_per_vcpu, memory_gib


def _fraction(name: str, value) -> float:
    if not (isinstance(value, (int, float, np.floating)) and 0 < value <= 1):
        raise InvalidParameterError(name, "a fraction in (0, 1]", value)
    return float(value)


def check_profile(profile) -> np.ndarray | None:
    """Check a daily traffic profile and scale it to a mean of 1.

    Parameters
    ----------
    profile : sequence of 24 float, or None
        Relative traffic in each hour of the day (UTC hours 0..23), any scale. None means
        flat traffic.

    Returns
    -------
    ndarray of shape (24,) or None
        Weights with mean 1: hour ``h`` carries ``weight[h]`` times the mean rate.

    Examples
    --------
    >>> w = check_profile([1] * 12 + [3] * 12)
    >>> print(w[0], w[-1])
    0.5 1.5
    """
    if profile is None:
        return None
    try:
        weights = np.asarray(profile, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError("profile", "24 non-negative hourly weights", profile) from None
    if (
        weights.shape != (HOURS_PER_DAY,)
        or not np.all(np.isfinite(weights))
        or np.any(weights < 0)
        or weights.sum() <= 0
    ):
        shown = weights.tolist() if weights.ndim else profile
        raise InvalidParameterError("profile", "24 non-negative hourly weights, not all zero", shown)
    return weights / weights.mean()


def profile_from_series(series) -> np.ndarray:
    """A daily profile (24 weights) from a time series of traffic, averaged by hour of day.

    Parameters
    ----------
    series : pandas.Series
        Requests (or any rate) indexed by timestamps, any spacing; every hour of the day
        (0..23, in the index's time zone) must appear at least once.

    Returns
    -------
    ndarray of shape (24,)
        Mean traffic in each hour of the day, scaled to a mean of 1.

    Examples
    --------
    >>> import pandas as pd
    >>> index = pd.date_range("2026-11-02", periods=48, freq="h")
    >>> series = pd.Series([1.0] * 12 + [3.0] * 12 + [1.0] * 12 + [3.0] * 12, index=index)
    >>> print(profile_from_series(series)[[0, 23]])
    [0.5 1.5]
    """
    try:
        hours = np.asarray(series.index.hour, dtype=int)
    except AttributeError:
        raise InvalidParameterError("series", "a pandas Series on a DatetimeIndex", type(series).__name__) from None
    values = np.asarray(series, dtype=float)
    counts = np.bincount(hours, minlength=HOURS_PER_DAY)
    if np.any(counts == 0):
        missing = np.flatnonzero(counts == 0).tolist()
        raise InvalidParameterError("series", "traffic for every hour of the day 0..23", f"no data for hours {missing}")
    return check_profile(np.bincount(hours, weights=values, minlength=HOURS_PER_DAY) / counts)


def peak_factor(profile) -> float:
    """Busiest hour's rate over the mean rate (1 for flat traffic).

    Examples
    --------
    >>> print(peak_factor([1] * 12 + [3] * 12))
    1.5
    """
    weights = check_profile(profile)
    return 1.0 if weights is None else float(weights.max())


def mean_rps(requests_per_month):
    """Mean arrival rate over AWS's 730-hour month. [requests/s]

    Examples
    --------
    >>> print(mean_rps(2_628_000))
    1.0
    """
    return np.divide(requests_per_month, SECONDS_PER_MONTH)


def hourly_rps(requests_per_month, profile=None) -> np.ndarray:
    """Arrival rate in each hour of the day, shape ``(..., 24)``. [requests/s]

    Examples
    --------
    >>> print(hourly_rps(2_628_000, [0] * 12 + [1] * 12)[[0, 23]])
    [0. 2.]
    """
    weights = check_profile(profile)
    weights = np.ones(HOURS_PER_DAY) if weights is None else weights
    return np.multiply.outer(mean_rps(requests_per_month), weights)


def concurrency(rps, duration_ms):
    """Requests in flight by Little's law: arrival rate x time in the system. [count]"""
    return np.multiply(rps, np.divide(duration_ms, 1000.0))


def instances_per_request(
    memory_mb, duration_ms, vcpu, memory_gib, assumptions: Assumptions = Assumptions(), profile=None
) -> float:
    """Instances needed per monthly request at the busiest hour, before rounding up.

    ``ceil(requests_per_month * this)`` instances carry the load; the binding resource is
    vCPU or memory, whichever runs out first.

    Parameters
    ----------
    memory_mb, duration_ms : float
        The Lambda function's memory [MB] and duration [ms].
    vcpu, memory_gib : float
        One instance's vCPU [count] and memory [GiB].
    assumptions : Assumptions
    profile : sequence of 24 float, optional

    Raises
    ------
    InvalidParameterError
        One request does not fit in one instance at the target utilisation: no number of
        instances can serve the load.

    Examples
    --------
    512 MB, 120 ms on a 2 vCPU / 2 GiB instance at 70 %: memory binds, 0.5 GiB per
    request in 1.4 GiB usable.

    >>> k = instances_per_request(512, 120, 2, 2)
    >>> print(round(k * 20 * 2_628_000, 6))  # at 20 requests/s
    0.857143
    """
    u = assumptions.target_utilization
    vcpu_need, memory_need = assumptions.vcpu_for(memory_mb), assumptions.memory_gib_for(memory_mb)
    if vcpu_need > vcpu * u or memory_need > memory_gib * u:
        raise InvalidParameterError(
            "load",
            f"servable by an instance of {vcpu:g} vCPU / {memory_gib:g} GiB at {u:.0%} utilisation "
            f"(one request needs {vcpu_need:.3g} vCPU and {memory_need:.3g} GiB)",
            f"{memory_mb:g} MB x {duration_ms:g} ms",
        )
    per_request = max(vcpu_need / (vcpu * u), memory_need / (memory_gib * u))
    return peak_factor(profile) / SECONDS_PER_MONTH * (duration_ms / 1000.0) * per_request


def instances_needed(requests_per_month, per_request: float, min_instances: int):
    """Instances to run: ``max(min_instances, ceil(requests_per_month * per_request))``. [count]

    Examples
    --------
    >>> print(instances_needed([0, 1e6, 1e7], 3e-7, 2).tolist())
    [2.0, 2.0, 3.0]
    """
    # Round away float noise (3e-7 * 1e7 = 3.0000000000000004) before the ceiling.
    raw = np.round(np.multiply(requests_per_month, per_request), 9)
    return np.maximum(float(min_instances), np.ceil(raw))


def apprunner_active_hours(requests_per_month, duration_ms, instances, profile=None):
    """App Runner active instance-hours per month: request time in flight, capped by the fleet.

    In each hour of the day the instances are active for at most the request time in flight
    (Little's law: concurrency x 1 h) and at most all of them. An upper bound: requests that
    overlap on one instance bill its active time once.

    Parameters
    ----------
    requests_per_month : numeric
    duration_ms : float
        [ms]
    instances : numeric
        Provisioned instances, broadcast against ``requests_per_month``. [count]
    profile : sequence of 24 float, optional

    Returns
    -------
    numeric
        [instance-hours per month]

    Examples
    --------
    One request per second of 500 ms keeps half an instance busy: 365 of 730 hours.

    >>> print(apprunner_active_hours(2_628_000, 500, 1))
    365.0
    """
    in_flight = concurrency(hourly_rps(requests_per_month, profile), duration_ms)
    busy = np.minimum(np.expand_dims(instances, -1), in_flight)
    return busy.mean(axis=-1) * HOURS_PER_MONTH
