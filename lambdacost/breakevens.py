"""Where Lambda and an option cost the same: :func:`breakeven`, exact on each linear piece.

Both monthly costs are piecewise linear in requests between breakpoints (Lambda's free tier and
volume-tier kinks, API Gateway's request tiers, instance-count steps, App Runner active-time
kinks); on each piece the difference is affine and its root is solved in closed form.

Examples
--------
>>> from lambdacost.options import Workload
>>> w = Workload(memory_mb=512, duration_ms=120, requests_per_month=20 * 2_628_000)
>>> be = breakeven(w, "ec2:t4g.small")
>>> print(round(be.requests_per_month / 1e6, 3), round(be.crossings[0].cost, 2))
43.038 44.78
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .capacity import (
    SECONDS_PER_MONTH,
    check_profile,
)
from .errors import InvalidParameterError
from .options import (
    Option,
    Workload,
    lambda_rates,
    option_capacity,
    option_cost,
    option_instances_per_request,
    option_min_instances,
    parse_option,
)
from .prices import PriceBook
from .prices.paas import PaasPriceBook, default_paas_prices
from .validation import check_numeric

__all__ = ["MAX_BREAKPOINTS", "TIE_COST", "BreakEven", "Crossing", "breakeven"]

#: Most breakpoints (instance-count steps and tier kinks) one break-even search examines.
MAX_BREAKPOINTS = 5_000_000
#: Cost differences at or below this are ties (float noise), not a cheaper option. [USD]
TIE_COST = 1e-9


def _lambda_breakpoints(workload: Workload, arch: str, pricebook: PriceBook | None) -> list[float]:
    """Loads where Lambda's cost may kink: where the free tier runs out and each volume tier
    starts (on-demand GB-s, requests and streamed GB per request taken from the engine), and
    where Provisioned Concurrency fills up. A superset is harmless."""
    from .estimates import estimate

    rates = lambda_rates(workload, arch, pricebook)
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
    per_request = option_instances_per_request(opt, workload)
    minimum = option_min_instances(opt, workload.assumptions)
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


@dataclass(frozen=True)
class Crossing:
    """A load where the cheaper of Lambda and the option changes.

    ``kind`` is ``"continuous"`` when both costs are equal there (within float precision),
    ``"step"`` when the option's instance count steps over Lambda's cost.
    """

    requests_per_month: float
    cost: float
    option_cost: float
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
            f"({first.rps:.3g} req/s, ${first.cost:,.2f}); {below} is cheaper below"
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
    # A single instance carries only so much; behind an API Gateway row whose higher tiers were
    # not found, Lambda (and Lambda Managed Instances) are priced only below them.
    high = min(high, option_capacity(opt, workload, prices), option_capacity(ref, workload, prices))
    if not high > low:
        return BreakEven(opt.name, ref.name, low, high, (), True)
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
        return option_cost(opt, workload, x, **books)["cost"] - option_cost(ref, workload, x, **books)["cost"]

    d1, d2 = difference(np.concatenate([x1, x2])).reshape(2, -1)
    slope = (d2 - d1) / (x2 - x1)
    left, right = d1 - slope * (x1 - a), d2 + slope * (b - x2)  # affine limits at the piece's ends
    # True where Lambda is cheaper by more than float noise: equal costs are a tie, not a crossing.
    cheaper_left, cheaper_right = left > TIE_COST, right > TIE_COST
    inside = np.flatnonzero(cheaper_left != cheaper_right)
    roots = a[inside] + (b[inside] - a[inside]) * left[inside] / (left[inside] - right[inside])
    at_steps = np.flatnonzero(cheaper_right[:-1] != cheaper_left[1:])
    loads = np.concatenate([roots, b[at_steps]])
    kinds = np.array(["continuous"] * roots.size + ["step"] * at_steps.size, dtype=object)
    below = np.concatenate([cheaper_left[inside], cheaper_right[at_steps]])
    order = np.argsort(loads, kind="stable")
    loads, kinds, below = loads[order], kinds[order], below[order]
    lambda_costs = option_cost(ref, workload, loads, **books)["cost"] if loads.size else np.empty(0)
    option_costs = option_cost(opt, workload, loads, **books)["cost"] if loads.size else np.empty(0)
    crossings = tuple(
        Crossing(float(x), float(c), float(o), str(k), bool(w))
        for x, c, o, k, w in zip(loads, lambda_costs, option_costs, kinds, below)
    )
    return BreakEven(opt.name, ref.name, low, high, crossings, bool(cheaper_left[0]) if cheaper_left.size else True)
