"""Lambda against servers: the monthly cost of one workload on each option, and where they cross.

Serverless is tap water, paid per use and nothing when idle; EC2, Fargate, App Runner and
Lambda Managed Instances are a delivery contract, paid for the capacity ordered. Lambda's
monthly cost is piecewise linear in requests (kinks at the free tier and the volume tiers);
a server's is a step function (the instance count steps up with load) plus linear parts
(load balancer LCUs, App Runner active time, per-request fees). :func:`breakeven` solves
for the crossings exactly on each linear piece.

Options are named ``"<kind>:<spec>"``:

========================  ==========================================================
``lambda:arm64``          Lambda on-demand (``lambda`` alone: the workload's arch)
``ec2:t4g.small``         EC2 instances (an ALB only with ``load_balancer=True``)
``beanstalk:t3.small``    Elastic Beanstalk: EC2 instances + an Application Load Balancer
``fargate:0.5vcpu-1gb``   Fargate tasks, x86_64 (``fargate:0.5vcpu-1gb:arm64`` for Graviton)
``apprunner:1vcpu-2gb``   App Runner instances (provisioned memory + active vCPU)
``lmi:m7g.xlarge``        Lambda Managed Instances: EC2 + 15 % fee + $0.20/M requests
========================  ==========================================================

Examples
--------
>>> from lambdacost.comparison import Workload, breakeven
>>> w = Workload(memory_mb=512, duration_ms=120, requests_per_month=20 * 2_628_000)
>>> be = breakeven(w, "ec2:t4g.small")
>>> print(round(be.requests_per_month / 1e6, 3), round(be.crossings[0].cost_usd, 2))
26.162 24.53
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
)
from .engine import METER_KEYWORDS
from .errors import InvalidParameterError
from .prices import PriceBook
from .prices.paas import PaasPriceBook, default_paas_prices
from .rules import HOURS_PER_MONTH
from .validation import check_numeric

__all__ = [
    "DEFAULT_OPTIONS",
    "FRONT_DOORS",
    "OPTION_KINDS",
    "BreakEven",
    "Comparison",
    "Crossing",
    "Option",
    "Workload",
    "breakeven",
    "compare",
    "option_cost",
    "parse_option",
]

#: How requests reach a Lambda function: Function URLs are free, API Gateway bills per request.
FRONT_DOORS = ("function-url", "http-api", "rest-api")
#: Option kinds and the spec used when only the kind is given.
OPTION_KINDS = {
    "lambda": "",
    "ec2": "t4g.small",
    "beanstalk": "t3.small",
    "fargate": "0.5vcpu-1gb",
    "apprunner": "1vcpu-2gb",
    "lmi": "m7g.xlarge",
}
DEFAULT_OPTIONS = (
    "ec2:t4g.small",
    "beanstalk:t3.small",
    "fargate:0.5vcpu-1gb",
    "apprunner:1vcpu-2gb",
    "lmi:m7g.xlarge",
)
#: Most breakpoints (instance-count steps and tier kinks) one break-even search examines.
MAX_BREAKPOINTS = 5_000_000
#: Cost differences at or below this are ties (float noise), not a cheaper option. [USD]
TIE_USD = 1e-9
COMPONENTS = ("compute_usd", "requests_usd", "front_door_usd", "load_balancer_usd", "management_usd")
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


def parse_option(name: str, workload: Workload | None = None, paas_pricebook: PaasPriceBook | None = None) -> Option:
    """Parse ``"kind:spec"``; unknown kinds or instance types raise with close matches.

    Examples
    --------
    >>> parse_option("fargate:0.5vcpu-1gb:arm64")
    Option(name='fargate:0.5vcpu-1gb:arm64', kind='fargate', spec='0.5vcpu-1gb', arch='arm64', vcpu=0.5, memory_gib=1.0)
    >>> parse_option("ec2:t4g.smal")
    Traceback (most recent call last):
    ...
    lambdacost.errors.InvalidParameterError: instance_type must be a priced instance type (did you mean 't4g.small', 't3.small', 't4g.nano'?), got 't4g.smal'
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidParameterError("option", "a name such as 'ec2:t4g.small'", name)
    text = name.strip()
    kind, _, rest = text.partition(":")
    kind = kind.lower()
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
        instance = prices.ec2(spec, region)
        return Option(canonical, kind, spec, instance.arch, instance.vcpu, instance.memory_gib)
    size, _, arch = spec.partition(":")
    arch = arch or "x86_64"
    match = _SIZE.match(size.lower())
    if not match or arch not in ("x86_64", "arm64") or (kind == "apprunner" and arch != "x86_64"):
        example = "fargate:0.5vcpu-1gb or fargate:1vcpu-2gb:arm64" if kind == "fargate" else "apprunner:1vcpu-2gb"
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
    parts = engine.price(
        book,
        engine.rate_table(book, arch, workload.region, day),
        workload.memory_mb,
        workload.duration_ms,
        requests,
        ephemeral_storage_mb=workload.ephemeral_storage_mb,
        free_tier=workload.free_tier,
        **workload.meters,
    )
    shape = np.shape(requests)
    requests_usd = np.broadcast_to(parts["requests_usd"], shape)
    return {"compute_usd": np.broadcast_to(parts["cost_usd"], shape) - requests_usd, "requests_usd": requests_usd}


def _lambda_rates(workload: Workload, arch: str, pricebook: PriceBook | None):
    """Lambda's rates for the workload's region and billing date, from ``pricebook`` (default the sheets)."""
    from .engine import resolve_pricebook

    book, day = resolve_pricebook(pricebook, workload.as_of)
    return book.rates(workload.region, arch, day)


def _lambda_breakpoints(workload: Workload, arch: str, pricebook: PriceBook | None) -> list[float]:
    """Loads where Lambda's cost may kink: where the free tier runs out and each volume tier
    starts (on-demand GB-s, requests and streamed GB per request taken from the engine), and
    where Provisioned Concurrency fills up. A superset is harmless."""
    from .estimates import estimate

    rates = _lambda_rates(workload, arch, pricebook)
    reference = 1e6  # a load where every meter is linear in requests, Provisioned Concurrency aside
    meters = {k: v for k, v in workload.meters.items() if not k.startswith(("provisioned", "traffic"))}
    e = estimate(workload.memory_mb, workload.duration_ms, reference, arch=arch, region=workload.region,
                 ephemeral_storage_mb=workload.ephemeral_storage_mb, as_of=workload.as_of, pricebook=pricebook,
                 **meters)  # fmt: skip
    u, free = e.usage, rates.free_tier
    starts = (0.0, *rates.tier_from_gb_seconds)
    full = [0.0]  # loads at which Provisioned Concurrency is full (on-demand starts there)
    concurrency = float(workload.meters.get("provisioned_concurrency", 0) or 0)
    if concurrency:
        full.append(concurrency * SECONDS_PER_MONTH / (u.billed_duration_ms / 1000.0 or 1.0))
    points = []
    per = {
        "gb": u.gb_seconds / reference,
        "requests": u.all_requests / reference,
        "streamed": u.streamed_gb / reference,
    }
    for offset in full:
        if per["requests"] > 0:
            points.append(offset + free.requests / per["requests"])
        if per["streamed"] > 0:
            points.append(offset + free.streaming_gb / per["streamed"])
        if per["gb"] > 0:
            for start in starts:
                points += [offset + (start + f) / per["gb"] for f in (0.0, free.gb_seconds)]
    return points


def _front_door(workload: Workload, prices: PaasPriceBook, requests: np.ndarray):
    if workload.front_door == "function-url":
        return np.zeros_like(requests)
    api = prices.api_gateway(workload.front_door.split("-")[0], workload.region)
    free = api.free_requests if workload.assumptions.api_gateway_free_tier else 0.0
    # The marginal (tiered) form used for Lambda GB-s serves request tiers too.
    return billing.tiered_duration_usd(requests, api.usd_per_request, api.tier_from_requests, free)


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


def _per_request(option: Option, workload: Workload) -> float:
    return instances_per_request(
        workload.memory_mb, workload.duration_ms, option.vcpu, option.memory_gib, workload.assumptions, workload.profile
    )


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
        ``cost_usd``, the components (``compute_usd``, ``requests_usd``, ``front_door_usd``,
        ``load_balancer_usd``, ``management_usd``) and ``instances`` (NaN for Lambda). [USD]

    Examples
    --------
    Two t4g.small for a month: 2 x $0.0168 x 730 h = $24.528.

    >>> w = Workload(512, 120)
    >>> print(round(float(option_cost("ec2:t4g.small", w, [1e6])["cost_usd"][0]), 3))
    24.528
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
        parts["front_door_usd"] = _front_door(workload, prices, r)
    elif opt.kind in ("ec2", "beanstalk", "lmi"):
        instance = prices.ec2(opt.spec, workload.region)
        n = instances_needed(r, _per_request(opt, workload), a.min_instances)
        parts["instances"] = n
        parts["compute_usd"] = n * instance.usd_per_hour * hours
        if opt.kind == "lmi":
            lmi = prices.managed_instances
            parts["management_usd"] = parts["compute_usd"] * lmi.management_fee_fraction
            parts["requests_usd"] = r * lmi.request_usd
            parts["front_door_usd"] = _front_door(workload, prices, r)
        if opt.kind == "beanstalk" or (opt.kind == "ec2" and a.load_balancer):
            parts["load_balancer_usd"] = _alb(workload, prices, r)
    elif opt.kind == "fargate":
        rates = prices.fargate(workload.region, opt.arch)
        n = instances_needed(r, _per_request(opt, workload), a.min_instances)
        parts["instances"] = n
        parts["compute_usd"] = n * (opt.vcpu * rates.usd_per_vcpu_hour + opt.memory_gib * rates.usd_per_gb_hour) * hours
        if a.load_balancer:
            parts["load_balancer_usd"] = _alb(workload, prices, r)
    else:  # apprunner
        rates = prices.apprunner(workload.region)
        n = instances_needed(r, _per_request(opt, workload), a.apprunner_min_instances)
        active = apprunner_active_hours(r, workload.duration_ms, n, workload.profile)
        parts["instances"] = n
        # Memory is billed on every provisioned hour (idle rate), vCPU only while active.
        parts["compute_usd"] = n * hours * opt.memory_gib * rates.provisioned_usd_per_gb_hour + active * (
            opt.vcpu * rates.active_usd_per_vcpu_hour
            + opt.memory_gib * (rates.active_usd_per_gb_hour - rates.provisioned_usd_per_gb_hour)
        )
    parts["cost_usd"] = sum(parts[name] for name in COMPONENTS)
    return parts


def _breakpoints(
    opt: Option, workload: Workload, prices: PaasPriceBook, pricebook: PriceBook | None, low: float, high: float
) -> np.ndarray:
    """Loads where the option's cost may kink or step (a superset is harmless)."""
    points = []
    if opt.kind in ("lambda", "lmi") and workload.front_door != "function-url":
        api = prices.api_gateway(workload.front_door.split("-")[0], workload.region)
        points += [*api.tier_from_requests, api.free_requests]
    if opt.kind == "lambda":
        points += _lambda_breakpoints(workload, opt.arch, pricebook)
        return np.asarray(points, dtype=float)
    per_request = _per_request(opt, workload)
    minimum = (
        workload.assumptions.apprunner_min_instances if opt.kind == "apprunner" else workload.assumptions.min_instances
    )
    top = int(np.ceil(high * per_request)) + 1
    if top * (25 if opt.kind == "apprunner" else 1) > MAX_BREAKPOINTS:
        raise InvalidParameterError("high", f"a load needing at most {MAX_BREAKPOINTS:,} instance steps", high)
    levels = np.arange(minimum, top + 1, dtype=float)
    steps = levels / per_request if per_request > 0 else np.empty(0)
    if opt.kind == "apprunner":
        # Active time min(n, in-flight) kinks where the in-flight count of an hour reaches n.
        weights = check_profile(workload.profile)
        weights = np.ones(24) if weights is None else weights
        # Hours with (next to) no traffic never reach a full instance within any finite range.
        rate = weights[weights > 1e-9] / SECONDS_PER_MONTH * workload.duration_ms / 1000.0
        steps = np.concatenate([steps, np.divide.outer(levels, rate).reshape(-1)]) if rate.size else steps
    return np.concatenate([np.asarray(points, dtype=float), steps])


# --- break-even ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Crossing:
    """A load where the cheaper of Lambda and the option changes.

    ``kind`` is ``"continuous"`` when both costs are equal there (within float precision),
    ``"step"`` when the option's instance count steps over Lambda's cost.
    """

    requests_per_month: float
    cost_usd: float
    option_cost_usd: float
    kind: str
    lambda_cheaper_below: bool

    @property
    def rps(self) -> float:
        """The same load as a mean rate. [requests/s]"""
        return self.requests_per_month / SECONDS_PER_MONTH


@dataclass(frozen=True)
class BreakEven:
    """Where Lambda and one option cost the same, in ``[low, high]`` requests per month."""

    option: str
    against: str
    low: float
    high: float
    crossings: tuple[Crossing, ...]
    lambda_cheaper_at_low: bool

    @property
    def requests_per_month(self) -> float | None:
        """The first crossing, or None when the costs never cross in the range."""
        return self.crossings[0].requests_per_month if self.crossings else None

    def __str__(self) -> str:
        if not self.crossings:
            cheaper = self.against if self.lambda_cheaper_at_low else self.option
            return (
                f"{self.against} and {self.option} never cross between {self.low:,.0f} and {self.high:,.0f} "
                f"requests/month: {cheaper} is cheaper throughout"
            )
        first = self.crossings[0]
        below = self.against if first.lambda_cheaper_below else self.option
        text = (
            f"{self.against} and {self.option} break even at {first.requests_per_month:,.0f} requests/month "
            f"({first.rps:.3g} req/s, ${first.cost_usd:,.2f}); {below} is cheaper below"
        )
        if len(self.crossings) > 1:
            text += f" ({len(self.crossings)} crossings in range: the instance count steps)"
        return text


def breakeven(
    workload: Workload,
    option: str,
    *,
    low: float = 1.0,
    high: float = 1e11,
    against: str | None = None,
    pricebook: PriceBook | None = None,
    paas_pricebook: PaasPriceBook | None = None,
) -> BreakEven:
    """Loads where Lambda and ``option`` cost the same, exactly, from the piecewise-linear costs.

    Both monthly costs are linear between breakpoints (free-tier and tier kinks for Lambda and
    API Gateway; instance-count steps and App Runner active-time kinks for servers). On each
    piece the difference is affine: it is evaluated at two interior points and its root
    solved in closed form. A change of sign across a breakpoint (a step) is a crossing too.

    Parameters
    ----------
    workload : Workload
    option : str
        The option weighed against Lambda (``"ec2:t4g.small"``, ...).
    low, high : float, default 1 and 1e11
        The range searched. [requests/month]
    against : str, optional
        The Lambda option (default ``"lambda"``: the workload's architecture).
    pricebook : PriceBook, optional
        Lambda prices (default the packaged sheets, or ``$LAMBDACOST_PRICING_DIR``).
    paas_pricebook : PaasPriceBook, optional
        Prices of the other options (default the packaged sheet).

    Returns
    -------
    BreakEven
        Every crossing in the range, in order; none means they never cross there.

    Examples
    --------
    >>> w = Workload(512, 120, arch="arm64")
    >>> print(breakeven(w, "ec2:t4g.small", high=1e6))
    lambda:arm64 and ec2:t4g.small never cross between 1 and 1,000,000 requests/month: lambda:arm64 is cheaper throughout
    """
    prices = paas_pricebook or default_paas_prices()
    low = float(check_numeric("low", low, 0, np.inf, "requests"))
    high = float(check_numeric("high", high, 0, np.inf, "requests"))
    if not high > low:
        raise InvalidParameterError("high", f"greater than low ({low:g})", high)
    ref = parse_option(against or "lambda", workload, prices)
    opt = parse_option(option, workload, prices)
    if ref.kind != "lambda":
        raise InvalidParameterError("against", "a Lambda option (lambda, lambda:x86_64, lambda:arm64)", against)
    points = np.concatenate(
        [
            [low, high],
            _breakpoints(ref, workload, prices, pricebook, low, high),
            _breakpoints(opt, workload, prices, pricebook, low, high),
        ]
    )
    points = np.unique(points[(points >= low) & (points <= high)])
    # Breakpoints closer than float resolution would give pieces with no interior points.
    points = points[np.concatenate([[True], np.diff(points) > points[1:] * 1e-12])]
    a, b = points[:-1], points[1:]
    x1, x2 = a + (b - a) / 3, a + 2 * (b - a) / 3

    books = {"pricebook": pricebook, "paas_pricebook": prices}

    def difference(x):
        return option_cost(opt, workload, x, **books)["cost_usd"] - option_cost(ref, workload, x, **books)["cost_usd"]

    d1, d2 = difference(np.concatenate([x1, x2])).reshape(2, -1)
    slope = (d2 - d1) / (x2 - x1)
    left, right = d1 - slope * (x1 - a), d2 + slope * (b - x2)  # affine limits at the piece's ends
    # True where Lambda is cheaper by more than float noise: equal costs are a tie, not a crossing.
    cheaper_left, cheaper_right = left > TIE_USD, right > TIE_USD
    inside = np.flatnonzero(cheaper_left != cheaper_right)
    roots = a[inside] + (b[inside] - a[inside]) * left[inside] / (left[inside] - right[inside])
    at_steps = np.flatnonzero(cheaper_right[:-1] != cheaper_left[1:])
    loads = np.concatenate([roots, b[at_steps]])
    kinds = np.array(["continuous"] * roots.size + ["step"] * at_steps.size, dtype=object)
    below = np.concatenate([cheaper_left[inside], cheaper_right[at_steps]])
    order = np.argsort(loads, kind="stable")
    loads, kinds, below = loads[order], kinds[order], below[order]
    lambda_costs = option_cost(ref, workload, loads, **books)["cost_usd"] if loads.size else np.empty(0)
    option_costs = option_cost(opt, workload, loads, **books)["cost_usd"] if loads.size else np.empty(0)
    crossings = tuple(
        Crossing(float(x), float(c), float(o), str(k), bool(w))
        for x, c, o, k, w in zip(loads, lambda_costs, option_costs, kinds, below)
    )
    return BreakEven(opt.name, ref.name, low, high, crossings, bool(cheaper_left[0]) if cheaper_left.size else True)


# --- the tidy comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One workload priced on each option: the cost table and the break-even loads, computed once.

    Made by :func:`compare`; the CLI and :func:`lambdacost.plot.paas_vs_serverless` only format
    or draw it.

    Attributes
    ----------
    workload : Workload
    reference : str
        The Lambda option every other option is weighed against (``"lambda:x86_64"``, ...).
    table : pandas.DataFrame
        One row per option and load: ``option``, ``requests_per_month``, ``cost_usd``, the
        components (``compute_usd``, ``requests_usd``, ``front_door_usd``, ``load_balancer_usd``,
        ``management_usd``) and ``instances`` (NaN for Lambda). [USD], [count]
    breakevens : tuple of BreakEven
        One per option other than the reference, in the table's order: every crossing with the
        reference in the range searched.
    assumptions : tuple of str
        The capacity model's assumptions and those behind derived instance specs.

    Examples
    --------
    >>> w = Workload(512, 120, arch="arm64", as_of="2026-11-01")
    >>> c = compare(w, ["ec2:t4g.small"], requests=[1e6, 1e9])
    >>> c.reference, [round(x["requests_per_month"] / 1e6, 1) for x in c.crossings]
    ('lambda:arm64', [30.1])
    >>> print(c.breakeven("ec2:t4g.small"))
    lambda:arm64 and ec2:t4g.small break even at 30,061,240 requests/month (11.4 req/s, $24.53); lambda:arm64 is cheaper below
    """

    workload: Workload
    reference: str
    table: object
    breakevens: tuple[BreakEven, ...]
    assumptions: tuple[str, ...]

    @property
    def options(self) -> list[str]:
        """The options priced, the reference first."""
        return list(dict.fromkeys(self.table["option"]))

    @property
    def crossings(self) -> tuple[dict, ...]:
        """Every crossing, option by option: ``option``, ``requests_per_month``, ``rps``,
        ``cost_usd`` (the reference's cost there), ``option_cost_usd``, ``kind`` and
        ``lambda_cheaper_below``."""
        return tuple(_crossing_dict(be.option, c) for be in self.breakevens for c in be.crossings)

    def breakeven(self, option: str) -> BreakEven:
        """The break-even of one option against the reference."""
        for be in self.breakevens:
            if be.option == option:
                return be
        raise InvalidParameterError("option", "one of " + ", ".join(b.option for b in self.breakevens), option)

    def to_frame(self):
        """The cost table (a copy): one row per option and load."""
        return self.table.copy()

    def to_dict(self) -> dict:
        """Plain data for JSON: workload, reference, costs (table records), break-evens, assumptions.

        NaN (a Lambda option's instance count) becomes None.
        """
        w = self.workload
        costs = [
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            for row in self.table.to_dict("records")
        ]
        return {
            "workload": {
                "memory_mb": w.memory_mb,
                "duration_ms": w.duration_ms,
                "requests_per_month": w.requests_per_month,
                "rps": w.requests_per_month / SECONDS_PER_MONTH,
                "arch": w.arch,
                "region": w.region,
                "front_door": w.front_door,
            },
            "reference": self.reference,
            "costs": costs,
            "breakevens": [
                {
                    "option": be.option,
                    "against": be.against,
                    "low": be.low,
                    "high": be.high,
                    "requests_per_month": be.requests_per_month,
                    "lambda_cheaper_at_low": be.lambda_cheaper_at_low,
                    "crossings": [_crossing_dict(be.option, c) for c in be.crossings],
                    "summary": str(be),
                }
                for be in self.breakevens
            ],
            "assumptions": list(self.assumptions),
        }


def _crossing_dict(option: str, c: Crossing) -> dict:
    return {
        "option": option,
        "requests_per_month": c.requests_per_month,
        "rps": c.rps,
        "cost_usd": c.cost_usd,
        "option_cost_usd": c.option_cost_usd,
        "kind": c.kind,
        "lambda_cheaper_below": c.lambda_cheaper_below,
    }


def compare(
    workload: Workload,
    options=None,
    requests=None,
    *,
    low: float | None = None,
    high: float | None = None,
    pricebook: PriceBook | None = None,
    paas_pricebook: PaasPriceBook | None = None,
) -> Comparison:
    """Monthly cost of the workload on each option over a range of loads, and where they cross.

    Parameters
    ----------
    workload : Workload
    options : sequence of str, optional
        Options to price (default :data:`DEFAULT_OPTIONS`). The workload's Lambda option
        (``lambda``) is always included, first.
    requests : array-like, optional
        Loads to evaluate. Default 61 points from 10^4 to 10^10 plus the workload's own
        ``requests_per_month`` when positive. [requests/month]
    low, high : float, optional
        The range searched for break-even loads (default the smallest positive and the largest
        of ``requests``; no search when they do not span a range). [requests/month]
    pricebook : PriceBook, optional
        Lambda prices (default the packaged sheets, or ``$LAMBDACOST_PRICING_DIR``).
    paas_pricebook : PaasPriceBook, optional
        Prices of the other options (default the packaged sheet).

    Returns
    -------
    Comparison
        ``table`` (the tidy costs), ``breakevens`` and ``crossings`` (against the reference
        Lambda option), ``reference`` and ``assumptions``.

    Examples
    --------
    >>> w = Workload(512, 120, arch="arm64")
    >>> c = compare(w, ["ec2:t4g.small"], requests=[0, 1e9])
    >>> c.table.pivot(index="requests_per_month", columns="option", values="cost_usd").round(2).to_dict("list")
    {'ec2:t4g.small': [24.53, 208.49], 'lambda:arm64': [0.0, 994.47]}
    """
    import pandas as pd

    prices = paas_pricebook or default_paas_prices()
    names = list(DEFAULT_OPTIONS if options is None else options)
    if isinstance(options, str):
        names = [o for o in options.split(",") if o.strip()]
    ref = parse_option("lambda", workload, prices)
    parsed = [ref] + [o for o in (parse_option(n, workload, prices) for n in names) if o.name != ref.name]
    parsed = list({o.name: o for o in parsed}.values())
    if requests is None:
        loads = np.geomspace(1e4, 1e10, 61)
        if workload.requests_per_month > 0:
            loads = np.union1d(loads, [workload.requests_per_month])
    else:
        loads = np.asarray(check_numeric("requests", requests, 0, np.inf, "requests"), dtype=float).reshape(-1)
    frames = []
    for opt in parsed:
        parts = option_cost(opt, workload, loads, pricebook=pricebook, paas_pricebook=prices)
        frames.append(
            pd.DataFrame(
                {
                    "option": opt.name,
                    "requests_per_month": loads,
                    "cost_usd": parts["cost_usd"],
                    **{c: parts[c] for c in COMPONENTS},
                    "instances": parts["instances"],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    positive = loads[loads > 0]
    low = float(positive.min()) if low is None and positive.size else low
    high = float(loads.max()) if high is None and loads.size else high
    breakevens = ()
    if low is not None and high is not None and high > low:
        breakevens = tuple(
            breakeven(
                workload, opt.name, low=low, high=high, against=ref.name, pricebook=pricebook, paas_pricebook=prices
            )
            for opt in parsed[1:]
        )
    assumptions = list(workload.assumptions.describe())
    if workload.front_door != "function-url":
        assumptions.append(workload.assumptions.describe_api_gateway_free_tier())
    for opt in parsed:
        if opt.kind in ("ec2", "beanstalk", "lmi"):
            assumptions += prices.ec2(opt.spec, workload.region).assumptions
        if opt.kind == "fargate":
            assumptions.append(
                f"{opt.name}: task size taken as given; Fargate's allowed vCPU/memory pairs are not checked"
            )
        if opt.kind in prices.availability:
            assumptions.append(prices.availability[opt.kind].describe(opt.name))
    return Comparison(workload, ref.name, table, breakevens, tuple(assumptions))
