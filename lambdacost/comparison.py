"""Lambda against servers, side by side: :func:`compare` prices one workload on each option over a
range of loads and finds every crossing, once, into one :class:`Comparison`.

Examples
--------
>>> from lambdacost.options import Workload
>>> c = compare(Workload(512, 120, arch="arm64"), ["ec2:t4g.small"], requests=[0, 1e9])
>>> c.table.pivot(index="requests_per_month", columns="option", values="cost").round(2).to_dict("list")
{'ec2:t4g.small': [40.95, 313.8], 'lambda:arm64': [0.0, 994.47]}
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from .breakevens import BreakEven, Crossing, breakeven
from .capacity import (
    SECONDS_PER_MONTH,
)
from .errors import InvalidParameterError, PriceNotAvailableError
from .options import (
    COMPONENTS,
    DEFAULT_OPTIONS,
    EXPRESS_MODE_SOURCE,
    Workload,
    option_capacity,
    option_cost,
    parse_option,
)
from .prices import PriceBook
from .prices.paas import PaasPriceBook, default_paas_prices
from .validation import check_numeric

__all__ = ["Comparison", "compare"]


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
        One row per option and load: ``option``, ``requests_per_month``, ``cost``, the
        components (``compute_cost``, ``requests_cost``, ``front_door_cost``, ``load_balancer_cost``,
        ``management_cost``) and ``instances`` (None, never NaN, where no instances are run:
        Lambda itself). [USD], [count]
    breakevens : tuple of BreakEven
        One per option other than the reference, in the table's order: every crossing with the
        reference in the range searched.
    assumptions : tuple of str
        The capacity model's assumptions and those behind derived instance specs.
    not_priced : tuple of (str, str)
        Default options the sheet cannot price in the workload's region, each with the one-line
        reason; they are left out of ``table`` and ``breakevens`` (options named by the caller
        are never left out: a missing price raises instead).

    Examples
    --------
    >>> w = Workload(512, 120, arch="arm64", as_of="2026-11-01")
    >>> c = compare(w, ["ec2:t4g.small"], requests=[1e6, 1e9])
    >>> c.reference, [round(x["requests_per_month"] / 1e6, 1) for x in c.crossings]
    ('lambda:arm64', [51.0])
    >>> print(c.breakeven("ec2:t4g.small"))
    lambda:arm64 and ec2:t4g.small break even at 51,021,391 requests/month (19.4 req/s, $45.49); lambda:arm64 is cheaper below
    """

    workload: Workload
    reference: str
    #: ``(option, loads, costs)`` per option, the reference first: what :attr:`table` is
    #: made of (built on first use, so that formatting a few rows needs no pandas).
    parts: tuple[tuple[str, np.ndarray, dict], ...] = field(repr=False)
    breakevens: tuple[BreakEven, ...]
    assumptions: tuple[str, ...]
    not_priced: tuple[tuple[str, str], ...] = ()

    @functools.cached_property
    def table(self):
        """The tidy cost table (see the class docstring)."""
        import pandas as pd

        frames = [
            pd.DataFrame(
                {
                    "option": name,
                    "requests_per_month": loads,
                    "cost": costs["cost"],
                    **{c: costs[c] for c in COMPONENTS},
                    # None where no instances are run (Lambda itself): never NaN.
                    "instances": pd.Series([_instances(n) for n in costs["instances"]], dtype=object),
                }
            )
            for name, loads, costs in self.parts
        ]
        return pd.concat(frames, ignore_index=True)

    def records_at(self, requests_per_month: float) -> list[dict]:
        """The table's rows at one load as plain Python records (as ``to_dict("records")``
        gives them), in the table's order, without building the table."""
        records = []
        for name, loads, costs in self.parts:
            for k in np.flatnonzero(np.asarray(loads) == requests_per_month):
                row = {"option": name, "requests_per_month": loads[k]}
                for column in ("cost", *COMPONENTS, "instances"):
                    row[column] = np.broadcast_to(costs[column], np.shape(loads))[k]
                row["instances"] = _instances(row["instances"])
                records.append({c: (v.item() if isinstance(v, np.generic) else v) for c, v in row.items()})
        return records

    @property
    def options(self) -> list[str]:
        """The options priced, the reference first."""
        return [name for name, loads, _ in self.parts if len(loads)]

    @property
    def crossings(self) -> tuple[dict, ...]:
        """Every crossing, option by option: ``option``, ``requests_per_month``, ``rps``,
        ``cost`` (the reference's cost there), ``option_cost``, ``kind`` and
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

    #: what every cost is in: servers are priced in USD, so a comparison is made only where Lambda bills in USD
    currency = "USD"

    def to_dict(self) -> dict:
        """Plain data for JSON: workload, reference, currency, costs (table records), break-evens, assumptions.

        A Lambda option's instance count is None.
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
            "currency": self.currency,
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
            "not_priced": [{"option": name, "reason": reason} for name, reason in self.not_priced],
        }


def _crossing_dict(option: str, c: Crossing) -> dict:
    return {
        "option": option,
        "requests_per_month": c.requests_per_month,
        "rps": c.rps,
        "cost": c.cost,
        "option_cost": c.option_cost,
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
        Options to price (default :data:`~lambdacost.option_kinds.DEFAULT_OPTIONS`, what a new
        customer can buy: those the sheet cannot price in the workload's region are left out
        and listed in ``not_priced``). The workload's Lambda option (``lambda``) is always
        included, first.
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
    >>> c.table.pivot(index="requests_per_month", columns="option", values="cost").round(2).to_dict("list")
    {'ec2:t4g.small': [40.95, 313.8], 'lambda:arm64': [0.0, 994.47]}
    """
    from .engine import resolve_pricebook

    book, day = resolve_pricebook(pricebook, workload.as_of)
    book.region_rates(workload.region, day)  # an unknown region is the user's, before any server's
    prices = paas_pricebook or default_paas_prices()
    names = list(DEFAULT_OPTIONS if options is None else options)
    if isinstance(options, str):
        names = [o for o in options.split(",") if o.strip()]
    # The defaults are what a new customer can buy anywhere; where the sheet cannot price one in
    # this region it is left out and said so. An option the caller names is priced or refused.
    not_priced = {}
    ref = parse_option("lambda", workload, prices)
    parsed = [ref]
    for name in names:
        try:
            opt = parse_option(name, workload, prices)
        except PriceNotAvailableError as error:
            if options is not None:
                raise
            not_priced[name] = str(error)
            continue
        if opt.name != ref.name:
            parsed.append(opt)
    parsed = list({o.name: o for o in parsed}.values())
    if requests is None:
        loads = np.geomspace(1e4, 1e10, 61)
        if workload.requests_per_month > 0:
            loads = np.union1d(loads, [workload.requests_per_month])
    else:
        loads = np.asarray(check_numeric("requests", requests, 0, np.inf, "requests"), dtype=float).reshape(-1)
    # A single-instance environment is priced up to what its one instance carries, Lambda behind
    # an API Gateway row with unknown higher tiers below them.
    capacity = {opt.name: option_capacity(opt, workload, prices) for opt in parsed}
    positive = loads[loads > 0]
    low = float(positive.min()) if low is None and positive.size else low
    high = float(loads.max()) if high is None and loads.size else high
    search = low is not None and high is not None and high > low
    parts, breakevens = [], []
    for opt in parsed:
        top = min(capacity[opt.name], capacity[ref.name])  # a break-even needs both costs
        try:
            priced = loads[loads <= capacity[opt.name]]
            costs = option_cost(opt, workload, priced, pricebook=pricebook, paas_pricebook=prices)
            found = None
            if opt is not ref and search and min(high, top) > low:
                found = breakeven(
                    workload,
                    opt.name,
                    low=low,
                    high=min(high, top),
                    against=ref.name,
                    pricebook=pricebook,
                    paas_pricebook=prices,
                )
        except PriceNotAvailableError as error:
            if options is not None or opt is ref:
                raise
            not_priced[opt.name] = str(error)
            continue
        parts.append((opt.name, priced, costs))
        if found is not None:
            breakevens.append(found)
    parsed = [opt for opt in parsed if opt.name not in not_priced]
    assumptions = list(
        workload.assumptions.describe(
            {opt.fleet for opt in parsed[1:]}, burstable=any(opt.spec.startswith("t") for opt in parsed[1:])
        )
    )
    if workload.front_door != "function-url":
        assumptions.append(workload.assumptions.describe_api_gateway_free_tier())
        assumptions += prices.api_gateway(workload.front_door.split("-")[0], workload.region).assumptions
    balanced = {name for name, _, cost in parts if np.any(cost["load_balancer_cost"] > 0)}
    for opt in parsed:
        if opt.kind in ("ec2", "beanstalk", "lmi"):
            assumptions += prices.ec2(opt.spec, workload.region).assumptions
        if opt.kind in ("fargate", "express"):
            assumptions += prices.fargate(workload.region, opt.arch).assumptions
            assumptions.append(
                f"{opt.name}: task size taken as given; Fargate's allowed vCPU/memory pairs are not checked"
            )
        if opt.kind == "express":
            assumptions.append(
                f"{opt.name}: ECS Express Mode priced as what it provisions, Fargate tasks of this size and an "
                f"Application Load Balancer of its own ({EXPRESS_MODE_SOURCE}, read 2026-12-01); autoscaling, "
                "logs, alarms and the certificate not priced"
            )
        if opt.single and np.isfinite(capacity[opt.name]):
            assumptions.append(
                f"{opt.name}: a single-instance environment (one instance, no load balancer) carries at most "
                f"{capacity[opt.name]:,.0f} requests/month; not priced above"
            )
        if opt.kind in prices.availability:
            assumptions.append(prices.availability[opt.kind].describe(opt.name))
        if opt.name in balanced:  # only where an ALB was priced: a region without one never gets here
            assumptions += prices.alb(workload.region).assumptions
    assumptions = list(dict.fromkeys(assumptions))  # one type named by two options gives its rows once
    order = {name: k for k, name in enumerate(names)}  # in the order of the defaults, wherever they failed
    missing = tuple(sorted(not_priced.items(), key=lambda item: order.get(item[0], len(order))))
    return Comparison(workload, ref.name, tuple(parts), tuple(breakevens), tuple(assumptions), missing)


def _instances(n) -> float | None:
    """An instance count as shown: None where no instances are run (Lambda), never NaN."""
    return None if np.isnan(n) else float(n)
