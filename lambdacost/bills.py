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

Each function's ``share_cost`` (its attributed part; the shares add up to the total) is
shown beside its ``marginal_cost`` (what removing it from the fleet would save) and its
``standalone_cost`` (its :func:`~lambdacost.estimate` alone in an account).

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
>>> round(b.total_cost, 2), [round(f.share_cost, 2) for f in b.functions]
(3.53, [1.77, 1.77])
>>> [round(f.standalone_cost, 2) for f in b.functions], [round(f.marginal_cost, 2) for f in b.functions]
([0.0, 0.0], [3.53, 3.53])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import billing, engine
from .engine import METER_KEYWORDS, Usage, resolve_pricebook
from .errors import InvalidParameterError, LambdaCostError, PriceNotAvailableError, unknown_key
from .estimates import LineItem, line_items, pricing_provenance
from .prices import PriceBook, one_currency
from .tables import count, html_table, money, text_table, unit_price

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
) + tuple(METER_KEYWORDS)
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
    share_cost : float
        Its attributed part of the bill (the shares add up to the total). [currency]
    marginal_cost : float
        What removing it from the fleet would save. [currency]
    standalone_cost : float
        Its cost alone in an account (free tier as the bill's). [currency]
    free_tier_cost : float
        The free-tier credit attributed to it (<= 0). [currency]
    inputs : dict
        Its inputs after parsing.
    """

    name: str
    region: str
    arch: str
    usage: Usage
    share_cost: float
    marginal_cost: float
    standalone_cost: float
    free_tier_cost: float
    inputs: dict

    def to_dict(self) -> dict[str, Any]:
        out = {
            k: getattr(self, k)
            for k in ("name", "region", "arch", "share_cost", "marginal_cost", "standalone_cost", "free_tier_cost")
        }
        out["usage"] = self.usage.to_dict()
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
    def total_cost(self) -> float:
        return float(sum(item.cost for item in self.line_items))

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
    #: what every cost is in: "USD", or "CNY" for a fleet in the China regions
    currency: str

    @property
    def total_cost(self) -> float:
        """The month's total. [currency]"""
        return float(sum(group.total_cost for group in self.groups))

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
        """A JSON-ready dict: currency, total, functions, groups with line items, assumptions, pricing."""
        return {
            "currency": self.currency,
            "total_cost": self.total_cost,
            "as_of": self.as_of,
            "free_tier": self.free_tier,
            "functions": [f.to_dict() for f in self.functions],
            "groups": [
                {
                    "region": g.region,
                    "arch": g.arch,
                    "edge": g.edge,
                    "total_cost": g.total_cost,
                    "line_items": [i.__dict__.copy() for i in g.line_items],
                }
                for g in self.groups
            ],
            "assumptions": list(self.assumptions),
            "pricing": dict(self.pricing),
        }

    CSV_HEADERS = (
        "name",
        "region",
        "arch",
        "requests",
        "gb_seconds",
        "standalone_cost",
        "share_cost",
        "marginal_cost",
        "currency",
    )

    def csv_rows(self) -> list[list]:
        """One row per function (see :attr:`CSV_HEADERS`), then a total row."""
        rows = [
            [
                f.name,
                f.region,
                f.arch,
                f.usage.requests + f.usage.edge_requests,
                f.usage.gb_seconds + f.usage.edge_gb_seconds,
                f.standalone_cost,
                f.share_cost,
                f.marginal_cost,
                self.currency,
            ]
            for f in self.functions
        ]
        rows.append(["total", "", "", "", "", "", self.total_cost, "", self.currency])
        return rows

    def to_frame(self):
        """The functions as a pandas DataFrame, one row each."""
        import pandas as pd

        return pd.DataFrame(self.csv_rows()[:-1], columns=list(self.CSV_HEADERS))

    def _function_rows(self):
        c = self.currency
        return [
            [
                f.name,
                f"{f.region} {f.arch}",
                count(f.usage.requests + f.usage.edge_requests),
                count(f.usage.gb_seconds + f.usage.edge_gb_seconds),
                money(f.standalone_cost, c),
                money(f.share_cost, c),
                money(f.marginal_cost, c),
            ]
            for f in self.functions
        ]

    _HEADERS = ("function", "group", "requests", "GB-s", "alone", "share", "marginal")

    def __repr__(self) -> str:  # the dataclass repr would dump every function and line item
        return f"<Bill {self.total_cost:.6f} {self.currency}: {len(self.functions)} function(s)>"

    def __str__(self) -> str:
        title = f"{len(self.functions)} function(s), {len(self.groups)} group(s), prices of {self.as_of} (stamp {self.pricing['stamp']})"
        c = self.currency
        rows = self._function_rows() + [["total", "", "", "", "", money(self.total_cost, c), ""]]
        parts = [title, "", text_table(self._HEADERS, rows, [False, False, True, True, True, True, True])]
        for g in self.groups:
            items = [[i.name, count(i.quantity), i.unit, unit_price(i.rate, c), money(i.cost, c)] for i in g.line_items]
            items.append(["subtotal", "", "", "", money(g.total_cost, c)])
            parts += [
                "",
                g.label,
                text_table(("item", "quantity", "unit", "rate", "cost"), items, [False, True, False, True, True]),
            ]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return html_table(
            self._HEADERS, self._function_rows(), caption=f"Lambda bill, total {money(self.total_cost, self.currency)}"
        )

    def explain(self) -> str:
        """The derivation: groups, tiers, the shared free tier and each function's part."""
        from .explain import explain_bill

        return explain_bill(self)


def bill(
    functions: Iterable[Mapping[str, Any]], *, free_tier: bool = True, as_of=None, pricebook: PriceBook | None = None
) -> Bill:
    """Price many functions in one account-month together.

    Each function is metered by the one engine, exactly as :func:`~lambdacost.estimate` meters it;
    the volume tiers then apply to each (region, architecture) group's summed GB-s and the free
    tier is one pool for the account. Memory and time grow linearly with the number of functions:
    each function's marginal cost comes from the group totals.

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
    if not isinstance(free_tier, bool):
        raise InvalidParameterError("free_tier", "True or False", free_tier)
    metered, seen = [], set()
    for index, spec in enumerate(functions):
        name = _name(spec, index)
        if name in seen:
            raise InvalidParameterError("name", "unique within the fleet", name)
        seen.add(name)
        metered.append(_meter(book, day, spec, name))
    if not metered:
        raise InvalidParameterError("functions", "at least one function", [])
    currency = one_currency(
        {m.table.reference.region: m.table.reference.currency for m in metered}, "functions' region"
    )
    account = _Account(metered, book.free_tier if free_tier else None)
    charges = []
    for i, m in enumerate(metered):
        r = m.table.reference
        charges.append(
            FunctionCharge(
                m.name,
                r.region,
                r.arch,
                m.usage,
                float(account.share[i]),
                float(account.marginal[i]),
                float(account.standalone[i]),
                float(account.free_credit[i]),
                m.inputs,
            )
        )
    group_charges = []
    for g, (region, arch, edge) in enumerate(account.keys):
        members = [metered[i] for i in account.members[g]]
        summed = Usage.total((m.usage for m in members), edge=edge)
        free = engine.FreeUse(*(float(account.group_free[k][g]) for k in ("requests", "gb_seconds", "streamed_gb")))
        table = members[0].table
        items = line_items(engine.charges(summed, table, free), table.reference)
        group_charges.append(GroupCharge(region, arch, edge, tuple(items)))
    assumptions = [ATTRIBUTION]
    for m in metered:
        assumptions += list(m.table.reference.assumptions) + [f"{m.name}: {note}" for note in m.notes]
    for g, (_, _, edge) in enumerate(account.keys):
        if not edge:
            gbs, free_gbs = account.group_gbs[g], float(account.group_free["gb_seconds"][g])
            assumptions += engine.tier_notes(metered[int(account.members[g][0])].table.reference, gbs, free_gbs)
    pricing = pricing_provenance(book, metered[0].table.reference)
    for key in ("region", "region_name"):
        del pricing[key]
    pool = book.free_tier
    pricing["free_tier_allowance"] = {
        "requests": pool.requests,
        "gb_seconds": pool.gb_seconds,
        "streaming_gb": pool.streaming_gb,
    }
    return Bill(
        tuple(charges),
        tuple(group_charges),
        bool(free_tier),
        day.isoformat(),
        pricing,
        tuple(dict.fromkeys(assumptions)),
        currency,
    )


def _name(spec, index: int) -> str:
    if not isinstance(spec, Mapping):
        raise InvalidParameterError(f"functions[{index}]", "a mapping of function fields", spec)
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidParameterError(f"functions[{index}].name", "a non-empty string", name)
    return name


@dataclass(frozen=True)
class _Metered:
    """One function through the engine: its rates, usage, inputs, notes and linear charges."""

    name: str
    table: engine.RateTable
    usage: Usage
    inputs: dict
    notes: list
    other_cost: float  #: storage, Provisioned Concurrency, SnapStart, Lambda@Edge and the rest: priced alone [currency]


def _meter(book: PriceBook, day, spec: Mapping[str, Any], name: str) -> _Metered:
    """One function through the engine's checker and meters; errors name the function."""
    unknown = [k for k in spec if k not in FUNCTION_KEYS and k != "name"]
    if unknown:
        raise unknown_key(f"function {name!r}: ", unknown[0], ("name", *FUNCTION_KEYS), spec[unknown[0]])
    missing = [k for k in _REQUIRED if k not in spec]
    if missing:
        raise InvalidParameterError(f"function {name!r}: {missing[0]}", "given (required)", None)
    try:
        table = engine.rate_table(book, spec.get("arch", "x86_64"), spec.get("region", "us-east-1"), day)
        keywords = {k: spec[k] for k in FUNCTION_KEYS if k in spec and k not in ("arch", "region")}
        for key, value in keywords.items():  # blame the input that is a list: a function is one scenario
            if key != "traffic_concurrency" and (isinstance(value, list | tuple) or np.ndim(value) > 0):
                raise InvalidParameterError(key, "one value per function", value)
        scenario, inputs, notes = engine.check_scenario(book, table, **keywords)
        usage = engine.meter(scenario)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"function {name!r}: {error.name}", error.allowed, error.got) from None
    except LambdaCostError as error:
        raise PriceNotAvailableError(f"function {name!r}: {error}") from None
    parts = engine.components(engine.charges(usage, table))
    # Every meter but the free-tier pools' (requests, duration, streaming) is priced alone.
    other = sum(parts[c] for c in engine.COMPONENTS if c not in ("requests_cost", "duration_cost", "streaming_cost"))
    return _Metered(name, table, usage, inputs, notes, float(other))


#: The free-tier pools: (Usage quantity, FreeTier allowance, rate key of the function's table).
_POOLS = {
    "requests": ("all_requests", "requests", "per_request"),
    "gb_seconds": ("gb_seconds", "gb_seconds", "tier_rate_0"),
    "streamed_gb": ("streamed_gb", "streaming_gb", "streaming_per_gb"),
}
#: The pools whose credit is linear (priced at one rate): all but the tiered GB-s.
_LINEAR_POOLS = ("requests", "streamed_gb")
#: Functions whose marginal costs are evaluated at once (bounds the functions x groups work).
_MARGINAL_BLOCK = 4096


class _Account:
    """Account totals with the free-tier pool and each group's tiers, and every function's part.

    Everything is a sum over functions or groups (no function x function matrix), so memory and
    time are linear in the number of functions.
    """

    def __init__(self, metered: list[_Metered], allowance):
        n = len(metered)
        keys = [(m.table.reference.region, m.table.reference.arch, m.usage.edge) for m in metered]
        self.keys = list(dict.fromkeys(keys))
        position = {k: g for g, k in enumerate(self.keys)}
        group = np.fromiter((position[k] for k in keys), dtype=np.intp, count=n)
        self.members = [np.flatnonzero(group == g) for g in range(len(self.keys))]
        tables = [metered[int(m[0])].table for m in self.members]
        n_groups = len(self.keys)

        def column(attribute):
            return np.fromiter((getattr(m.usage, attribute) for m in metered), dtype=float, count=n)

        eligible = np.fromiter(
            (allowance is not None and bool(m.usage.free_tier_eligible) for m in metered), dtype=float, count=n
        )
        gbs = column("gb_seconds")
        quantity = {
            "requests": column("requests") + column("async_extra_requests"),
            "gb_seconds": gbs,
            "streamed_gb": column("streamed_gb"),
        }
        rate = {p: np.array([_rate(t, key) for t in tables])[group] for p, (_, _, key) in _POOLS.items()}
        pool = {p: (getattr(allowance, name) if allowance is not None else 0.0) for p, (_, name, _) in _POOLS.items()}
        used = {p: float(np.sum(quantity[p] * eligible)) for p in _POOLS}
        ratio = {p: engine.pool_share(pool[p], used[p]) for p in _POOLS}
        other = np.fromiter((m.other_cost for m in metered), dtype=float, count=n)
        linear = other + sum(quantity[p] * rate[p] for p in _LINEAR_POOLS)
        credit = {p: quantity[p] * eligible * rate[p] for p in _LINEAR_POOLS}  # credit at ratio 1 [currency]
        credit_total = {p: float(np.sum(credit[p])) for p in _LINEAR_POOLS}
        group_gbs = np.bincount(group, weights=gbs, minlength=n_groups)
        eligible_gbs = np.bincount(group, weights=gbs * eligible, minlength=n_groups)

        def duration(g, total, free):
            return billing.tiered_duration_cost(total, tables[g].tier_rates(), tables[g].tier_starts(), free)

        free_gbs = ratio["gb_seconds"] * eligible_gbs
        group_duration = np.array([duration(g, group_gbs[g], free_gbs[g]) for g in range(n_groups)], dtype=float)
        self.total = float(group_duration.sum() + linear.sum() - sum(ratio[p] * credit_total[p] for p in _LINEAR_POOLS))
        self.group_free = {"gb_seconds": free_gbs}
        for p in _LINEAR_POOLS:
            self.group_free[p] = ratio[p] * np.bincount(group, weights=quantity[p] * eligible, minlength=n_groups)
        self.group_gbs = group_gbs

        # Attribution: each group's duration before the free credit pro rata to GB-s, the free
        # credit pro rata to eligible use.
        tier_1 = rate["gb_seconds"]
        gross = group_duration + free_gbs * np.array([_rate(t, "tier_rate_0") for t in tables])
        part_of_group = np.divide(gbs, group_gbs[group], out=np.zeros(n), where=group_gbs[group] > 0)
        self.free_credit = -(ratio["gb_seconds"] * gbs * eligible * tier_1 + sum(ratio[p] * credit[p] for p in credit))
        self.share = gross[group] * part_of_group + linear + self.free_credit

        # Alone in an account, with the bill's free tier.
        self.standalone = linear.copy()
        for g, at in enumerate(self.members):
            self.standalone[at] += duration(g, gbs[at], np.minimum(gbs[at], pool["gb_seconds"]) * eligible[at])
        for p in _LINEAR_POOLS:
            self.standalone -= np.minimum(quantity[p], pool[p]) * eligible * rate[p]

        # Marginal: the account's total less its total without function i, a block at a time.
        self.marginal = np.empty(n)
        for start in range(0, n, _MARGINAL_BLOCK):
            i = np.arange(start, min(start + _MARGINAL_BLOCK, n))
            without = linear.sum() - linear[i]
            for p in _LINEAR_POOLS:
                left = engine.pool_share(pool[p], used[p] - quantity[p][i] * eligible[i])
                without = without - left * (credit_total[p] - credit[p][i])
            left_gbs = engine.pool_share(pool["gb_seconds"], used["gb_seconds"] - gbs[i] * eligible[i])
            for g in range(n_groups):
                mine = group[i] == g
                total_g = group_gbs[g] - np.where(mine, gbs[i], 0.0)
                free_g = left_gbs * (eligible_gbs[g] - np.where(mine, gbs[i] * eligible[i], 0.0))
                without = without + duration(g, total_g, free_g)
            self.marginal[i] = self.total - without


def _rate(table: engine.RateTable, key: str) -> float:
    value = table.rates[key]
    return 0.0 if value is None else float(value)
