"""A whole account-month: many functions priced together (:func:`bill`).

AWS does not bill a function alone. The volume tiers apply to the month's GB-s summed per
(region, architecture), and the free tier (1M requests, 400,000 GB-s, 100 GB of response
streaming) is one pool for the whole account, across regions and architectures. So a
fleet costs less than the sum of its functions priced alone without a free tier, and
more than their sum each with a free tier of its own.

How the shared discounts are attributed back to functions (documented choice):

* **Volume tiers**: each (region, architecture) group's tiered duration charge is split
  pro rata to GB-s, i.e. every function in the group pays the group's average rate.
* **Free tier**: split pro rata to eligible usage. If the eligible functions use ``U``
  GB-s against the 400,000 GB-s pool, each gets ``min(1, 400,000 / U)`` of its own GB-s
  free, valued at its group's tier-1 rate; requests and streamed GB likewise. Functions
  with Provisioned Concurrency or on Lambda@Edge are not eligible. Which region or
  architecture AWS applies the pool to first is not in our sources; pro rata is our
  choice and every bill reports it as an assumption.

Each function's ``share_usd`` (its attributed part; the shares add up to the total) is
shown beside its ``marginal_usd`` (what removing it from the fleet would save) and its
``standalone_usd`` (its :func:`~lambdacost.estimate` alone in an account).

Examples
--------
Two 1024 MB functions of 300,000 GB-s each: alone, each fits in the free tier; together
they use 600,000 GB-s, and 200,000 GB-s are billed at $0.0000166667.

>>> from lambdacost.bills import bill
>>> fleet = [
...     {"name": "a", "memory_mb": 1024, "duration_ms": 300, "requests": 1_000_000},
...     {"name": "b", "memory_mb": 1024, "duration_ms": 300, "requests": 1_000_000},
... ]
>>> b = bill(fleet, as_of="2026-11-01")
>>> round(b.total_usd, 2), [round(f.share_usd, 2) for f in b.functions]
(3.53, [1.77, 1.77])
>>> [round(f.standalone_usd, 2) for f in b.functions], [round(f.marginal_usd, 2) for f in b.functions]
([0.0, 0.0], [3.53, 3.53])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import billing
from .errors import InvalidParameterError, LambdaCostError, PriceNotAvailableError
from .estimate import LineItem, line_items
from .prices import ARCHITECTURES, PriceBook, Rates
from .tables import count, html_table, rate, text_table, usd
from .usage import METER_KEYWORDS, MeterSpec, Usage, function_usage, resolve_pricebook
from .validation import check_choice

__all__ = ["ATTRIBUTION", "FUNCTION_KEYS", "Bill", "FunctionCharge", "GroupCharge", "bill"]

#: Keys a function of a fleet may have (beyond ``name``), as :func:`~lambdacost.estimate` spells them.
FUNCTION_KEYS = (
    "memory_mb",
    "duration_ms",
    "requests",
    "arch",
    "region",
    "ephemeral_storage_mb",
    "requests_per",
) + METER_KEYWORDS
_REQUIRED = ("name", "memory_mb", "duration_ms", "requests")
ATTRIBUTION = (
    "the account's free tier is shared pro rata: each eligible function gets the same fraction of its requests, "
    "GB-s and streamed GB free (AWS does not say which region or architecture it applies the pool to first); "
    "each (region, architecture) group's tiered duration charge is split pro rata to GB-s"
)


@dataclass(frozen=True)
class FunctionCharge:
    """One function's part of a :class:`Bill`.

    Attributes
    ----------
    name, region, arch : str
    usage : Usage
        Its metered quantities.
    share_usd : float
        Its attributed part of the bill (the shares add up to the total). [USD]
    marginal_usd : float
        What removing it from the fleet would save. [USD]
    standalone_usd : float
        Its cost alone in an account (free tier as the bill's). [USD]
    free_tier_usd : float
        The free-tier credit attributed to it (<= 0). [USD]
    inputs : dict
        Its inputs after parsing.
    """

    name: str
    region: str
    arch: str
    usage: Usage
    share_usd: float
    marginal_usd: float
    standalone_usd: float
    free_tier_usd: float
    inputs: dict

    def to_dict(self) -> dict[str, Any]:
        out = {
            k: getattr(self, k)
            for k in ("name", "region", "arch", "share_usd", "marginal_usd", "standalone_usd", "free_tier_usd")
        }
        out["usage"] = {f.name: getattr(self.usage, f.name) for f in dataclasses.fields(self.usage)}
        out["inputs"] = dict(self.inputs)
        return out


@dataclass(frozen=True)
class GroupCharge:
    """The line items of one (region, architecture) group; Lambda@Edge is a group of its own."""

    region: str
    arch: str
    edge: bool
    line_items: tuple[LineItem, ...]

    @property
    def total_usd(self) -> float:
        return float(sum(item.cost_usd for item in self.line_items))

    @property
    def label(self) -> str:
        return f"{self.region} {self.arch}" + (" Lambda@Edge" if self.edge else "")


@dataclass(frozen=True)
class Bill:
    """An account-month of Lambda functions priced together."""

    functions: tuple[FunctionCharge, ...]
    groups: tuple[GroupCharge, ...]
    free_tier: bool
    as_of: str
    pricing: dict
    assumptions: tuple[str, ...]

    @property
    def total_usd(self) -> float:
        """The month's total. [USD]"""
        return float(sum(group.total_usd for group in self.groups))

    @property
    def line_items(self) -> tuple[LineItem, ...]:
        """Every group's line items, named ``"<region> <arch>: <item>"``."""
        return tuple(
            dataclasses.replace(item, name=f"{g.label}: {item.name}") for g in self.groups for item in g.line_items
        )

    def function(self, name: str) -> FunctionCharge:
        """The charge of the function called ``name``."""
        for f in self.functions:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: total, functions, groups with line items, assumptions, pricing."""
        return {
            "total_usd": self.total_usd,
            "as_of": self.as_of,
            "free_tier": self.free_tier,
            "functions": [f.to_dict() for f in self.functions],
            "groups": [
                {
                    "region": g.region,
                    "arch": g.arch,
                    "edge": g.edge,
                    "total_usd": g.total_usd,
                    "line_items": [i.__dict__.copy() for i in g.line_items],
                }
                for g in self.groups
            ],
            "assumptions": list(self.assumptions),
            "pricing": dict(self.pricing),
        }

    CSV_HEADERS = ("name", "region", "arch", "requests", "gb_seconds", "standalone_usd", "share_usd", "marginal_usd")

    def csv_rows(self) -> list[list]:
        """One row per function (see :attr:`CSV_HEADERS`), then a total row."""
        rows = [
            [
                f.name,
                f.region,
                f.arch,
                f.usage.requests + f.usage.edge_requests,
                f.usage.gb_seconds + f.usage.edge_gb_seconds,
                f.standalone_usd,
                f.share_usd,
                f.marginal_usd,
            ]
            for f in self.functions
        ]
        rows.append(["total", "", "", "", "", "", self.total_usd, ""])
        return rows

    def to_frame(self):
        """The functions as a pandas DataFrame, one row each."""
        import pandas as pd

        return pd.DataFrame(self.csv_rows()[:-1], columns=list(self.CSV_HEADERS))

    def _function_rows(self):
        return [
            [
                f.name,
                f"{f.region} {f.arch}",
                count(f.usage.requests + f.usage.edge_requests),
                count(f.usage.gb_seconds + f.usage.edge_gb_seconds),
                usd(f.standalone_usd),
                usd(f.share_usd),
                usd(f.marginal_usd),
            ]
            for f in self.functions
        ]

    _HEADERS = ("function", "group", "requests", "GB-s", "alone", "share", "marginal")

    def __repr__(self) -> str:  # the dataclass repr would dump every function and line item
        return f"<Bill {self.total_usd:.6f} USD: {len(self.functions)} function(s)>"

    def __str__(self) -> str:
        title = f"{len(self.functions)} function(s), {len(self.groups)} group(s), prices of {self.as_of} (stamp {self.pricing['stamp']})"
        rows = self._function_rows() + [["total", "", "", "", "", usd(self.total_usd), ""]]
        parts = [title, "", text_table(self._HEADERS, rows, [False, False, True, True, True, True, True])]
        for g in self.groups:
            items = [[i.name, count(i.quantity), i.unit, rate(i.rate_usd), usd(i.cost_usd)] for i in g.line_items]
            items.append(["subtotal", "", "", "", usd(g.total_usd)])
            parts += [
                "",
                g.label,
                text_table(("item", "quantity", "unit", "rate", "cost"), items, [False, True, False, True, True]),
            ]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return html_table(self._HEADERS, self._function_rows(), caption=f"Lambda bill, total {usd(self.total_usd)}")

    def explain(self) -> str:
        """The derivation: groups, tiers, the shared free tier and each function's part."""
        from .explain import explain_bill

        return explain_bill(self)


def bill(
    functions: Iterable[Mapping[str, Any]], *, free_tier: bool = True, as_of=None, pricebook: PriceBook | None = None
) -> Bill:
    """Price many functions in one account-month together.

    Parameters
    ----------
    functions : iterable of mapping
        One mapping per function: ``name``, ``memory_mb``, ``duration_ms`` (a number or a
        :mod:`~lambdacost.distributions` object), ``requests`` and any optional keyword
        of :func:`~lambdacost.estimate` (:data:`FUNCTION_KEYS`).
    free_tier : bool, default True
        Apply the account's monthly free tier (one pool for all functions).
    as_of : date or str, optional
        Billing date for every function. Default today.
    pricebook : PriceBook, optional

    Returns
    -------
    Bill

    Raises
    ------
    InvalidParameterError
        Named ``function '<name>': <field>`` for a bad value of one function; an unknown
        key or a duplicate name.
    """
    book, day = resolve_pricebook(pricebook, as_of)
    specs = list(functions)
    if not specs:
        raise InvalidParameterError("functions", "at least one function", [])
    metered, seen = [], set()
    for index, spec in enumerate(specs):
        name = _name(spec, index)
        if name in seen:
            raise InvalidParameterError("name", "unique within the fleet", name)
        seen.add(name)
        metered.append((name,) + _meter(book, day, spec, name))
    usages = [m[2] for m in metered]
    rates = [m[1] for m in metered]
    groups = [(r.region, r.arch, u.edge) for r, u in zip(rates, usages)]
    keys = list(dict.fromkeys(groups))
    group_of = np.array([keys.index(g) for g in groups])
    group_rates = [rates[groups.index(k)] for k in keys]
    eligible = np.array([bool(free_tier) and u.free_tier_eligible for u in usages], dtype=float)
    n = len(usages)
    scenarios = np.vstack([np.ones((1, n)), 1.0 - np.eye(n), np.eye(n)])  # fleet, fleet without i, i alone
    parts = _account(scenarios, usages, rates, group_of, group_rates, eligible, book.free_tier if free_tier else None)
    total = parts["total"]
    ratios = {k: float(v[0]) for k, v in parts["free_ratio"].items()}
    charges = []
    for i, (name, r, u, inputs, _) in enumerate(metered):
        free_usd = -eligible[i] * (
            ratios["gb_seconds"] * u.gb_seconds * r.tier_usd_per_gb_second[0]
            + ratios["requests"] * u.all_requests * r.request_usd
            + ratios["streamed_gb"] * u.streamed_gb * (r.streaming_usd_per_gb or 0.0)
        )
        charges.append(
            FunctionCharge(
                name,
                r.region,
                r.arch,
                u,
                float(parts["share"][i]),
                float(total[0] - total[1 + i]),
                float(total[1 + n + i]),
                float(free_usd),
                inputs,
            )
        )
    group_charges = []
    for g, key in enumerate(keys):
        members = [i for i in range(n) if group_of[i] == g]
        summed = _sum_usage([usages[i] for i in members])
        free = {
            k: ratios[k]
            * sum(eligible[i] * getattr(usages[i], "all_requests" if k == "requests" else k) for i in members)
            for k in ratios
        }
        items = line_items(
            summed,
            group_rates[g],
            free_requests=free["requests"],
            free_gb_seconds=free["gb_seconds"],
            free_streamed_gb=free["streamed_gb"],
        )
        group_charges.append(GroupCharge(key[0], key[1], key[2], tuple(items)))
    assumptions = [ATTRIBUTION]
    for name, r, _, _, notes in metered:
        assumptions += list(r.assumptions) + [f"{name}: {note}" for note in notes]
    reference = group_rates[0]
    pricing = {
        "stamp": book.stamp,
        "sheet": "lambda.toml",
        "era": reference.era.name,
        "granularity_ms": reference.granularity_ms,
        "source_url": reference.source.url,
        "read_on": reference.source.read_on.isoformat(),
        "free_tier_source_url": book.free_tier.source.url,
    }
    return Bill(
        tuple(charges),
        tuple(group_charges),
        bool(free_tier),
        day.isoformat(),
        pricing,
        tuple(dict.fromkeys(assumptions)),
    )


def _name(spec, index: int) -> str:
    if not isinstance(spec, Mapping):
        raise InvalidParameterError(f"functions[{index}]", "a mapping of function fields", spec)
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidParameterError(f"functions[{index}].name", "a non-empty string", name)
    return name


def _meter(book: PriceBook, day, spec: Mapping[str, Any], name: str):
    """(Rates, Usage, inputs, assumptions) of one function; errors name the function."""
    unknown = sorted(set(spec) - set(FUNCTION_KEYS) - {"name"})
    if unknown:
        raise InvalidParameterError(
            f"function {name!r}: {unknown[0]}",
            "one of the known keys: " + ", ".join(("name",) + FUNCTION_KEYS),
            spec[unknown[0]],
        )
    missing = [k for k in _REQUIRED if k not in spec]
    if missing:
        raise InvalidParameterError(f"function {name!r}: {missing[0]}", "given (required)", None)
    try:
        arch = spec.get("arch", "x86_64")
        check_choice("arch", arch, ARCHITECTURES)
        rates = book.rates(spec.get("region", "us-east-1"), arch, day)
        meters = MeterSpec(**{k: spec[k] for k in METER_KEYWORDS if k in spec})
        usage, inputs, notes = function_usage(
            book,
            rates,
            spec["memory_mb"],
            spec["duration_ms"],
            spec["requests"],
            spec.get("ephemeral_storage_mb", 512),
            spec.get("requests_per", "month"),
            meters,
        )
    except InvalidParameterError as error:
        raise InvalidParameterError(f"function {name!r}: {error.name}", error.allowed, error.got) from None
    except LambdaCostError as error:
        raise PriceNotAvailableError(f"function {name!r}: {error}") from None
    return rates, usage, inputs, notes


def _sum_usage(usages: list[Usage]) -> Usage:
    summed = {name: float(sum(getattr(u, name) for u in usages)) for name in Usage._SUMMED}
    return Usage(**summed, edge=usages[0].edge)


def _account(scenarios, usages, rates: list[Rates], group_of, group_rates: list[Rates], eligible, free):
    """Account totals for each row of ``scenarios`` (0/1 inclusion of each function).

    Vectorized over scenarios: group sums are matrix products, each group's tiers are
    evaluated on a column. Also returns the full fleet's (row 0) attribution per function.
    """

    def column(name):
        return np.array([getattr(u, name) for u in usages], dtype=float)

    gbs, req, streamed = column("gb_seconds"), column("all_requests"), column("streamed_gb")
    request_rate = np.array([r.request_usd for r in rates])
    first_rate = np.array([r.tier_usd_per_gb_second[0] for r in rates])
    stream_rate = np.array([r.streaming_usd_per_gb or 0.0 for r in rates])
    linear = np.array(
        [
            sum(
                i.cost_usd
                for i in line_items(
                    dataclasses.replace(u, requests=0.0, async_extra_requests=0.0, gb_seconds=0.0, streamed_gb=0.0), r
                )
            )
            for u, r in zip(usages, rates)
        ]
    )
    onehot = np.eye(len(group_rates))[group_of]  # (n, groups)
    group_gbs = scenarios @ (gbs[:, None] * onehot)  # (m, groups)
    tiered = np.column_stack(
        [
            billing.tiered_duration_usd(group_gbs[:, g], r.tier_usd_per_gb_second, r.tier_from_gb_seconds)
            for g, r in enumerate(group_rates)
        ]
    )
    pools = {"gb_seconds": (gbs, first_rate), "requests": (req, request_rate), "streamed_gb": (streamed, stream_rate)}
    allowance = (
        {"gb_seconds": free.gb_seconds, "requests": free.requests, "streamed_gb": free.streaming_gb}
        if free is not None
        else {}
    )
    total = tiered.sum(axis=1) + scenarios @ (req * request_rate + streamed * stream_rate + linear)
    ratio = {}
    for key, (quantity, value) in pools.items():
        used = scenarios @ (quantity * eligible)
        pool = allowance.get(key, 0.0)
        # min(1, pool / used), dividing only where usage exceeds the pool (no overflow near 0)
        ratio[key] = np.divide(pool, used, out=np.ones_like(used), where=used > pool) if pool else np.zeros_like(used)
        total = total - ratio[key] * (scenarios @ (quantity * eligible * value))
    # Attribution in the full fleet: group tiered charge pro rata to GB-s, free credit pro rata.
    group_total = group_gbs[0][group_of]
    share = tiered[0][group_of] * np.divide(gbs, group_total, out=np.zeros_like(gbs), where=group_total > 0)
    share += req * request_rate + streamed * stream_rate + linear
    for key, (quantity, value) in pools.items():
        share -= ratio[key][0] * quantity * eligible * value
    return {"total": total, "share": share, "free_ratio": ratio}
