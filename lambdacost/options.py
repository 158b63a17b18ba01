"""What each option costs at each load: the workload, the option names and :func:`option_cost`.

Serverless is tap water, paid per use and nothing when idle; EC2, Fargate, App Runner and
Lambda Managed Instances are a delivery contract, paid for the capacity ordered. Lambda's
monthly cost comes from the one engine (:mod:`lambdacost.engine`); a server's is a step function
(the instance count steps up with load) plus linear parts (load balancer LCUs, App Runner active
time, per-request fees).

Options are named ``"<kind>:<spec>"``:

===============================  ===================================================================
``lambda:arm64``                 Lambda on-demand (``lambda`` alone: the workload's arch)
``ec2:t4g.small``                EC2 instances (an ALB where they run 2+, see ``load_balancer``)
``beanstalk:t3.small``           Elastic Beanstalk, load-balanced: EC2 instances + an ALB
``beanstalk:t3.small:single``    Elastic Beanstalk single-instance environment: one EC2, no ALB
``fargate:0.5vcpu-1gb``          Fargate tasks, x86_64 (``fargate:0.5vcpu-1gb:arm64`` for Graviton)
``express:1vcpu-2gb``            ECS Express Mode: what it provisions, Fargate tasks + an ALB
``apprunner:1vcpu-2gb``          App Runner instances (provisioned memory + active vCPU)
``lmi:m7g.xlarge``               Lambda Managed Instances: EC2 + 15 % fee + $0.20/M requests
===============================  ===================================================================

Examples
--------
>>> from lambdacost.options import Workload, option_cost
>>> print(round(float(option_cost("ec2:t4g.small", Workload(512, 120), [1e6])["cost"][0]), 3))
41.042
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from . import billing, engine
from .capacity import (
    SECONDS_PER_MONTH,
    Assumptions,
    apprunner_active_hours,
    check_profile,
    instances_needed,
    instances_per_request,
    lmi_environment,
)
from .engine import METER_KEYWORDS
from .errors import InvalidParameterError
from .option_kinds import DEFAULT_OPTIONS, FRONT_DOORS, OPTION_KINDS
from .prices import PriceBook
from .prices.paas import PaasPriceBook, default_paas_prices
from .rules import HOURS_PER_MONTH
from .validation import check_numeric

__all__ = [
    "DEFAULT_OPTIONS",
    "EXPRESS_MODE_SOURCE",
    "FRONT_DOORS",
    "OPTION_KINDS",
    "COMPONENTS",
    "Option",
    "Workload",
    "lambda_rates",
    "option_capacity",
    "option_cost",
    "option_instances_per_request",
    "option_min_instances",
    "parse_option",
]

#: Where Express Mode's defaults and resources are documented.
EXPRESS_MODE_SOURCE = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html"
COMPONENTS = ("compute_cost", "requests_cost", "front_door_cost", "load_balancer_cost", "management_cost")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)vcpu-(\d+(?:\.\d+)?)gb$")


@dataclass(frozen=True)
class Workload:
    """One Lambda function's load, and how an always-on option would have to carry it.

    Parameters
    ----------
    memory_mb : float
        Lambda memory. [MB, 128..10240]
    duration_ms : float
        Mean duration of one invocation. [ms]
    requests_per_month : float, default 0
        The load of interest (compare at it; the CLI's ``--rps`` x 2,628,000). [count]
    arch : {"x86_64", "arm64"}
        Lambda architecture of the reference option ``lambda``.
    region : str, default "us-east-1"
    front_door : {"function-url", "http-api", "rest-api"}
        How requests reach Lambda (and Lambda Managed Instances).
    profile : sequence of 24 float, optional
        Relative traffic per hour of the day; servers are sized for the busiest hour.
        From a time series: :func:`lambdacost.capacity.profile_from_series`.
    ephemeral_storage_mb : float, default 512
    free_tier : bool, default True
        Lambda's monthly free tier (1M requests, 400,000 GB-s).
    as_of : date or str, optional
        Billing date for Lambda prices (default today).
    assumptions : Assumptions
        The capacity model's assumptions.
    meters : mapping, optional
        Lambda's optional meters, as :func:`~lambdacost.estimate` names them
        (``provisioned_concurrency``, ``cold_start_rate``, ``init_duration_ms``, ``response_mb``,
        ...): the Lambda options are priced with them by the one engine.
    """

    memory_mb: float
    duration_ms: float
    requests_per_month: float = 0.0
    arch: str = "x86_64"
    region: str = "us-east-1"
    front_door: str = "function-url"
    profile: tuple | None = None
    ephemeral_storage_mb: float = 512
    free_tier: bool = True
    as_of: object = None
    assumptions: Assumptions = field(default_factory=Assumptions)
    meters: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        from .engine import resolve_pricebook

        book, day = resolve_pricebook(None, self.as_of)
        era = book.era(day)  # the limits of the billing date (checked again against any pricebook given)
        check_numeric("memory_mb", self.memory_mb, era.memory_mb_min, era.memory_mb_max, "MB")
        check_numeric("duration_ms", self.duration_ms, 0, era.max_duration_ms, "ms")
        unknown = sorted(set(self.meters) - set(METER_KEYWORDS))
        if unknown:
            raise InvalidParameterError("meters", "keys among " + ", ".join(METER_KEYWORDS), unknown[0])
        object.__setattr__(self, "meters", MappingProxyType(dict(self.meters)))
        check_numeric("requests_per_month", self.requests_per_month, 0, np.inf, "requests")
        if self.front_door not in FRONT_DOORS:
            raise InvalidParameterError("front_door", "one of " + ", ".join(FRONT_DOORS), self.front_door)
        if self.arch not in ("x86_64", "arm64"):
            raise InvalidParameterError("arch", "one of 'x86_64', 'arm64'", self.arch)
        weights = check_profile(self.profile)
        object.__setattr__(
            self, "profile", None if weights is None else tuple(np.asarray(self.profile, dtype=float).tolist())
        )

    @classmethod
    def from_rps(cls, memory_mb, duration_ms, rps, **kwargs) -> Workload:
        """A workload at ``rps`` mean requests per second (730-hour month)."""
        check_numeric("rps", rps, 0, np.inf, "requests/s")
        return cls(memory_mb, duration_ms, float(rps) * SECONDS_PER_MONTH, **kwargs)


@dataclass(frozen=True)
class Option:
    """A parsed option name: kind, spec (instance type or size) and architecture."""

    name: str
    kind: str
    spec: str
    arch: str = "x86_64"
    vcpu: float = 0.0
    memory_gib: float = 0.0
    #: a single-instance environment (Beanstalk): exactly one instance, no load balancer
    single: bool = False

    @property
    def fleet(self) -> str:
        """The kind as the capacity model's assumptions name it (``beanstalk-single`` apart)."""
        return "beanstalk-single" if self.single else self.kind


def parse_option(name: str, workload: Workload | None = None, paas_pricebook: PaasPriceBook | None = None) -> Option:
    """Parse ``"kind:spec"``; unknown kinds or instance types raise with close matches.

    Examples
    --------
    >>> parse_option("fargate:0.5vcpu-1gb:arm64")
    Option(name='fargate:0.5vcpu-1gb:arm64', kind='fargate', spec='0.5vcpu-1gb', arch='arm64', vcpu=0.5, memory_gib=1.0, single=False)
    >>> parse_option("ec2:t4g.smal")
    Traceback (most recent call last):
    ...
    lambdacost.errors.InvalidParameterError: instance_type must be a priced instance type (did you mean 't4g.small', 't3.small', 't4g.nano'?), got 't4g.smal'
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidParameterError("option", "a name such as 'ec2:t4g.small'", name)
    text = name.strip()
    kind, colon, rest = text.partition(":")
    kind = kind.lower()
    if colon and not rest.strip():  # 'ec2:' names a kind and then no size or type
        example = f"{kind}:{OPTION_KINDS[kind]}" if OPTION_KINDS.get(kind) else "ec2:t4g.small"
        raise InvalidParameterError("option", f"a kind and what follows its colon, such as {example!r}", name)
    if kind not in OPTION_KINDS:
        close = difflib.get_close_matches(kind, list(OPTION_KINDS), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise InvalidParameterError("option", "one of the kinds " + ", ".join(OPTION_KINDS) + hint, name)
    spec = rest or OPTION_KINDS[kind]
    canonical = f"{kind}:{spec}" if spec else kind
    prices = paas_pricebook or default_paas_prices()
    region = workload.region if workload else "us-east-1"
    if kind == "lambda":
        arch = spec or (workload.arch if workload else "x86_64")
        if arch not in ("x86_64", "arm64"):
            raise InvalidParameterError("option", "lambda, lambda:x86_64 or lambda:arm64", name)
        return Option(f"lambda:{arch}", kind, arch, arch)
    if kind in ("ec2", "beanstalk", "lmi"):
        spec, _, mode = spec.partition(":")
        if mode not in ("", "single") or (mode and kind != "beanstalk"):
            raise InvalidParameterError(
                "option",
                f"{kind}:<instance type>" + (" or beanstalk:<type>:single" if kind == "beanstalk" else ""),
                name,
            )
        instance = prices.ec2(spec, region)
        return Option(canonical, kind, spec, instance.arch, instance.vcpu, instance.memory_gib, single=mode == "single")
    size, _, arch = spec.partition(":")
    arch = arch or "x86_64"
    match = _SIZE.match(size.lower())
    if not match or arch not in ("x86_64", "arm64") or (kind == "apprunner" and arch != "x86_64"):
        example = {
            "fargate": "fargate:0.5vcpu-1gb or fargate:1vcpu-2gb:arm64",
            "express": "express:1vcpu-2gb or express:2vcpu-4gb:arm64",
        }.get(kind, "apprunner:1vcpu-2gb")
        raise InvalidParameterError("option", f"a size such as {example}", name)
    vcpu, memory = float(match.group(1)), float(match.group(2))
    if vcpu <= 0 or memory <= 0:
        raise InvalidParameterError("option", "a size with vCPU and GB > 0", name)
    return Option(canonical, kind, size.lower(), arch, vcpu, memory)


# --- cost of one option over an array of loads -------------------------------------------


def _lambda_parts(workload: Workload, arch: str, requests: np.ndarray, pricebook: PriceBook | None) -> dict:
    """Lambda's cost at each load, by the one engine: requests, and everything else as compute."""
    from .engine import resolve_pricebook

    book, day = resolve_pricebook(pricebook, workload.as_of)
    table = engine.rate_table(book, arch, workload.region, day)
    if table.currency != "USD":  # servers are priced in USD: another currency is never set beside them
        raise InvalidParameterError(
            "region",
            f"a region billed in USD (servers are priced in USD; {workload.region} bills Lambda in "
            f"{table.currency}: price it with estimate)",
            workload.region,
        )
    parts = engine.price(
        book,
        table,
        workload.memory_mb,
        workload.duration_ms,
        requests,
        ephemeral_storage_mb=workload.ephemeral_storage_mb,
        free_tier=workload.free_tier,
        **workload.meters,
    )
    shape = np.shape(requests)
    requests_cost = np.broadcast_to(parts["requests_cost"], shape)
    return {"compute_cost": np.broadcast_to(parts["cost"], shape) - requests_cost, "requests_cost": requests_cost}


def lambda_rates(workload: Workload, arch: str, pricebook: PriceBook | None):
    """Lambda's rates for the workload's region and billing date, from ``pricebook`` (default the sheets)."""
    from .engine import resolve_pricebook

    book, day = resolve_pricebook(pricebook, workload.as_of)
    return book.rates(workload.region, arch, day)


def _front_door(workload: Workload, prices: PaasPriceBook, requests: np.ndarray):
    if workload.front_door == "function-url":
        return np.zeros_like(requests)
    api = prices.api_gateway(workload.front_door.split("-")[0], workload.region)
    api.check_priced(float(np.max(requests, initial=0.0)))  # a row missing its higher tiers prices only below them
    free = api.free_requests if workload.assumptions.api_gateway_free_tier else 0.0
    # The marginal (tiered) form used for Lambda GB-s serves request tiers too.
    return billing.tiered_duration_cost(requests, api.usd_per_request, api.tier_from_requests, free)


def _alb(workload: Workload, prices: PaasPriceBook, requests: np.ndarray):
    alb = prices.alb(workload.region)
    a = workload.assumptions
    # LCUs per (request/s): the larger of the new-connection and processed-bytes dimensions.
    lcu_per_rps = max(
        a.new_connections_per_request / alb.lcu_new_connections_per_second,
        a.kb_per_request * 1e3 * 3600 / 1e9 / alb.lcu_gb_per_hour,
    )
    lcu_hours = requests / SECONDS_PER_MONTH * lcu_per_rps * HOURS_PER_MONTH
    return alb.usd_per_hour * HOURS_PER_MONTH + lcu_hours * alb.usd_per_lcu_hour


def _balancer(workload: Workload, prices: PaasPriceBook, requests: np.ndarray, instances: np.ndarray):
    """Plain EC2's and Fargate's load balancer: where 2+ instances run (default), always or never."""
    choice = workload.assumptions.load_balancer
    if choice is False:
        return np.zeros_like(requests)
    cost = _alb(workload, prices, requests)
    return cost if choice else np.where(instances > 1, cost, 0.0)


def option_instances_per_request(option: Option, workload: Workload) -> float:
    """Instances (or tasks) of ``option`` one request per month keeps busy at the busiest hour.

    The capacity model of :func:`lambdacost.capacity.instances_per_request` for the option's vCPU
    and memory. [instances per (request/month)]
    """
    if option.kind == "lmi":  # the instance must hold one execution environment of the function
        vcpu, memory_gib = lmi_environment(workload.memory_mb, workload.assumptions.lmi_memory_gib_per_vcpu)
        if vcpu > option.vcpu or memory_gib > option.memory_gib:
            raise InvalidParameterError(
                "option",
                f"an instance that holds one execution environment of {vcpu:g} vCPU / {memory_gib:g} GB "
                f"(the function's memory, at least 2 GB, at {workload.assumptions.lmi_memory_gib_per_vcpu:g} GB per vCPU)",
                f"{option.name} ({option.vcpu:g} vCPU / {option.memory_gib:g} GiB)",
            )
    return instances_per_request(
        workload.memory_mb, workload.duration_ms, option.vcpu, option.memory_gib, workload.assumptions, workload.profile
    )


def option_min_instances(option: Option, assumptions) -> int:
    """The fewest instances (or tasks) ``option`` runs under ``assumptions``. [count]"""
    if option.single:
        return 1
    if option.kind == "lmi":
        return assumptions.lmi_min_instances
    if option.kind == "apprunner":
        return assumptions.apprunner_min_instances
    return assumptions.min_instances


def option_capacity(option: Option, workload: Workload, paas_pricebook: PaasPriceBook | None = None) -> float:
    """The most requests per month ``option`` is priced for: one instance's worth for a
    single-instance environment, below the API Gateway tiers the sheet knows for Lambda and
    Lambda Managed Instances behind one, inf otherwise. [requests/month]"""
    top = float("inf")
    if option.kind in ("lambda", "lmi") and workload.front_door != "function-url":
        prices = paas_pricebook or default_paas_prices()
        # Priced only below the first tier not found: the largest float under it is still priced.
        below = prices.api_gateway(workload.front_door.split("-")[0], workload.region).priced_below_requests
        top = float(np.nextafter(below, 0.0)) if np.isfinite(below) else top
    if not option.single:
        return top
    per_request = option_instances_per_request(option, workload)
    return top if per_request <= 0 else min(top, float(np.round(1.0 / per_request, 6)))


def option_cost(
    option: str | Option,
    workload: Workload,
    requests,
    *,
    pricebook: PriceBook | None = None,
    paas_pricebook: PaasPriceBook | None = None,
) -> dict:
    """Monthly cost of one option at each load, with its components.

    Parameters
    ----------
    option : str or Option
    workload : Workload
    requests : array-like
        Requests per month. [count]
    pricebook : PriceBook, optional
        Lambda prices (default the packaged sheets, or ``$LAMBDACOST_PRICING_DIR``).
    paas_pricebook : PaasPriceBook, optional
        EC2, Fargate, App Runner, ALB and API Gateway prices (default the packaged sheet).

    Returns
    -------
    dict of ndarray
        ``cost``, the components (``compute_cost``, ``requests_cost``, ``front_door_cost``,
        ``load_balancer_cost``, ``management_cost``) and ``instances`` (NaN for Lambda). [USD]

    Examples
    --------
    Two t4g.small for a month, 2 x $0.0168 x 730 h = $24.528, behind an Application Load
    Balancer: $0.0225 x 730 h = $16.425, plus 1M requests of one new connection each,
    1M / 25 per second = 40,000 LCU-seconds = 11.1 LCU-hours x $0.008 = $0.089.

    >>> w = Workload(512, 120)
    >>> print(round(float(option_cost("ec2:t4g.small", w, [1e6])["cost"][0]), 3))
    41.042
    """
    prices = paas_pricebook or default_paas_prices()
    opt = option if isinstance(option, Option) else parse_option(option, workload, prices)
    r = np.asarray(check_numeric("requests", requests, 0, np.inf, "requests"), dtype=float).reshape(-1)
    zeros = np.zeros_like(r)
    parts = {name: zeros for name in COMPONENTS}
    parts["instances"] = np.full_like(r, np.nan)
    hours = HOURS_PER_MONTH
    a = workload.assumptions
    if opt.kind == "lambda":
        parts.update(_lambda_parts(workload, opt.arch, r, pricebook))
        parts["front_door_cost"] = _front_door(workload, prices, r)
    elif opt.kind in ("ec2", "beanstalk", "lmi"):
        instance = prices.ec2(opt.spec, workload.region)
        n = instances_needed(r, option_instances_per_request(opt, workload), option_min_instances(opt, a))
        if opt.single and np.any(n > 1):
            raise InvalidParameterError(
                "requests",
                f"at most {option_capacity(opt, workload):,.0f} requests/month for {opt.name} (one instance)",
                float(r[n > 1].min()),
            )
        parts["instances"] = n
        parts["compute_cost"] = n * instance.usd_per_hour * hours
        if opt.kind == "lmi":
            lmi = prices.managed_instances
            parts["management_cost"] = parts["compute_cost"] * lmi.management_fee_fraction
            parts["requests_cost"] = r * lmi.per_request
            parts["front_door_cost"] = _front_door(workload, prices, r)
        if opt.kind == "beanstalk" and not opt.single:
            parts["load_balancer_cost"] = _alb(workload, prices, r)
        elif opt.kind == "ec2":
            parts["load_balancer_cost"] = _balancer(workload, prices, r, n)
    elif opt.kind in ("fargate", "express"):
        rates = prices.fargate(workload.region, opt.arch)
        n = instances_needed(r, option_instances_per_request(opt, workload), option_min_instances(opt, a))
        parts["instances"] = n
        parts["compute_cost"] = (
            n * (opt.vcpu * rates.usd_per_vcpu_hour + opt.memory_gib * rates.usd_per_gb_hour) * hours
        )
        # ECS Express Mode provisions "Application Load Balancer with HTTPS listener" for every service.
        parts["load_balancer_cost"] = (
            _alb(workload, prices, r) if opt.kind == "express" else _balancer(workload, prices, r, n)
        )
    else:  # apprunner
        rates = prices.apprunner(workload.region)
        n = instances_needed(r, option_instances_per_request(opt, workload), a.apprunner_min_instances)
        active = apprunner_active_hours(r, workload.duration_ms, n, workload.profile)
        parts["instances"] = n
        # Memory is billed on every provisioned hour (idle rate), vCPU only while active.
        parts["compute_cost"] = n * hours * opt.memory_gib * rates.provisioned_usd_per_gb_hour + active * (
            opt.vcpu * rates.active_usd_per_vcpu_hour
            + opt.memory_gib * (rates.active_usd_per_gb_hour - rates.provisioned_usd_per_gb_hour)
        )
    parts["cost"] = sum(parts[name] for name in COMPONENTS)
    return parts
