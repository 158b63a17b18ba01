"""Every meter priced: a :class:`Usage` at a :class:`RateTable`, the free amounts credited, summed per component."""

from __future__ import annotations

import math
import operator

import numpy as np

from .. import billing
from ..prices import Rates
from ..rules import (
    HOURS_PER_MONTH,
    STREAMING_INCLUDED_MB,
)
from .model import COMPONENTS, FREE_TIER_ORDER, Charge, FreeUse, Scenario, Usage, _any, _ndim, _zero
from .rates import RateTable


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
    >>> from datetime import date
    >>> from lambdacost.engine import rate_table
    >>> from lambdacost.prices import default_pricebook
    >>> t = rate_table(default_pricebook(), "x86_64", "us-east-1", date(2026, 11, 1))
    >>> items = charges(Usage(requests=1e6, gb_seconds=7e9), t, FreeUse(gb_seconds=400_000.0))
    >>> [(c.name, float(c.quantity)) for c in items]
    [('requests', 1000000.0), ('duration tier 1', 6000400000.0), ('duration tier 2', 999600000.0), ('duration free tier', -400000.0)]
    """
    return [Charge(*row) for row in charge_rows(usage, rates, free)]


def charge_rows(usage: Usage, rates: RateTable, free: FreeUse | None = None) -> list[tuple]:
    """:func:`charges` as tuples in :class:`Charge` field order, for a caller that turns them into something else.

    ``(name, quantity, unit, rate, rate_key, component, free, shown)``: what
    :func:`lambdacost.estimate` makes its line items of, without a Charge record in between.
    """
    free = free or FreeUse()
    names, duration_keys, meters, float_starts = _charge_table(rates)
    items: list[tuple] = []
    append = items.append
    if not usage.edge:
        per_request = rates.per_request
        append(("requests", usage.requests, "requests", per_request, _REQUESTS_KEY, "requests_cost", False, True))
        quantity = usage.async_extra_requests
        if quantity != 0.0 if type(quantity) is float else not _zero(quantity):
            append(
                (
                    "async payload chunks",
                    quantity,
                    "requests",
                    per_request,
                    _REQUESTS_KEY,
                    "requests_cost",
                    False,
                    False,
                )
            )
        quantity = -free.requests
        if quantity != 0.0 if type(quantity) is float else not _zero(quantity):
            append(("requests free tier", quantity, "requests", per_request, "free_tier", "requests_cost", True, False))
        tier_rates, starts = rates._tiers
        free_gb_seconds = free.gb_seconds
        shifted = [starts[0]] + [start + free_gb_seconds for start in starts[1:]]
        gb_seconds = usage.gb_seconds
        if float_starts and type(gb_seconds) is float and type(free_gb_seconds) is float:
            # billing.tier_gb_seconds on plain floats, without its type checks
            ends = shifted[1:] + [math.inf]
            quantities = [min(max(gb_seconds - lo, 0.0), hi - lo) for lo, hi in zip(shifted, ends)]
        else:
            quantities = billing.tier_gb_seconds(gb_seconds, shifted)
        for k, (quantity, rate) in enumerate(zip(quantities, tier_rates)):
            if type(quantity) is not float:
                quantity = float(quantity) if _ndim(quantity) == 0 else quantity
            elif k and quantity == 0.0:  # tier 1 is always shown
                continue
            if k == 0 or not _zero(quantity):
                append((names[k], quantity, "GB-s", rate, duration_keys[k], "duration_cost", False, k == 0))
        quantity = -free_gb_seconds
        if quantity != 0.0 if type(quantity) is float else not _zero(quantity):
            append(("duration free tier", quantity, "GB-s", tier_rates[0], "free_tier", "duration_cost", True, False))
    edge = usage.edge
    quantities = _METER_QUANTITIES(usage)
    if edge or tuple(map(type, quantities)) != _FLOATS or quantities != _ZEROS:  # else none of them is metered
        for (name, unit, rate, key, component, on_edge), quantity in zip(meters, quantities):
            shown = edge if on_edge else False
            if shown or (quantity != 0.0 if type(quantity) is float else not _zero(quantity)):
                append((name, quantity, unit, rate, key, component, False, shown))
    quantity = -free.streamed_gb
    if quantity != 0.0 if type(quantity) is float else not _zero(quantity):
        append(
            (
                "response streaming free tier",
                quantity,
                "GB",
                rates.streaming_per_gb,
                "free_tier",
                "streaming_cost",
                True,
                False,
            )
        )
    if usage.more_meters:
        items += _more_charges(usage, rates)
        items += _savings_plan_charges(items, usage, rates)
    return items


_REQUESTS_KEY = "requests_per_million"


def _charge_table(rates: RateTable) -> tuple:
    """What :func:`charges` reads of a table on every call: tier names, rate keys, the optional meters."""
    cached = rates.__dict__.get("_charge_table")  # worked out once per table
    if cached is None:
        arch = rates.reference.arch
        names = ("duration",) if rates.tiers == 1 else tuple(f"duration tier {k + 1}" for k in range(rates.tiers))
        meters = tuple(
            (name, unit, getattr(rates, rate), key.format(arch=arch), component, on_edge)
            for name, _, unit, rate, key, component, on_edge in _METERS
        )
        float_starts = all(type(start) is float for start in rates._tiers[1])  # one pair: the tiers as floats
        # tier k's rate is element k of the sheet's list: its key says so, so that it can cite its own source
        key = f"{arch}_per_gb_second"
        keys = tuple(key if k == 0 else f"{key}[{k}]" for k in range(rates.tiers))
        cached = rates.__dict__["_charge_table"] = (names, keys, meters, float_starts)
    return cached


#: The meters after requests and duration, in the order of a bill: name, Usage field, unit, rate
#: (RateTable attribute), rate key in the sheet ({arch} filled in), component, always shown on Edge.
_METERS = (
    (
        "ephemeral storage",
        "storage_gb_seconds",
        "GB-s",
        "ephemeral_storage_per_gb_second",
        "ephemeral_storage_per_gb_second",
        "storage_cost",
        False,
    ),
    (
        "provisioned concurrency",
        "provisioned_gb_seconds",
        "GB-s",
        "provisioned_per_gb_second",
        "provisioned_{arch}_per_gb_second",
        "provisioned_cost",
        False,
    ),
    (
        "provisioned duration",
        "provisioned_duration_gb_seconds",
        "GB-s",
        "provisioned_duration_per_gb_second",
        "provisioned_duration_{arch}_per_gb_second",
        "provisioned_cost",
        False,
    ),
    (
        "SnapStart cache",
        "snapstart_cache_gb_seconds",
        "GB-s",
        "snapstart_cache_per_gb_second",
        "snapstart_cache_per_gb_second",
        "snapstart_cost",
        False,
    ),
    (
        "SnapStart restore",
        "snapstart_restore_gb",
        "GB",
        "snapstart_restore_per_gb",
        "snapstart_restore_per_gb",
        "snapstart_cost",
        False,
    ),
    (
        "Lambda@Edge requests",
        "edge_requests",
        "requests",
        "edge_per_request",
        "edge_requests_per_million",
        "edge_cost",
        True,
    ),
    (
        "Lambda@Edge duration",
        "edge_gb_seconds",
        "GB-s",
        "edge_per_gb_second",
        "edge_per_gb_second",
        "edge_cost",
        True,
    ),
    ("response streaming", "streamed_gb", "GB", "streaming_per_gb", "streaming_per_gb", "streaming_cost", False),
)


#: The quantities of :data:`_METERS` read off a Usage in one call, and what they are when none is metered.
_METER_QUANTITIES = operator.attrgetter(*(field for _, field, *_ in _METERS))
_FLOATS, _ZEROS = (float,) * len(_METERS), (0.0,) * len(_METERS)


def components_in_use(s: Scenario) -> tuple[str, ...]:
    """The :data:`COMPONENTS` a checked scenario can charge, read from its inputs (nothing is metered).

    Examples
    --------
    >>> components_in_use(Scenario(memory_mb=1024, requests=1e6, duration_ms=100, provisioned_concurrency=2))
    ('requests_cost', 'duration_cost', 'storage_cost', 'provisioned_cost')
    """
    on = {
        "requests_cost": True,
        "duration_cost": True,
        "storage_cost": True,
        "provisioned_cost": not _zero(s.provisioned_concurrency) and _any(s.provisioned_concurrency),
        "snapstart_cost": bool(s.snapstart_charged),
        "edge_cost": bool(s.edge),
        "streaming_cost": _any(np.greater(s.response_mb, STREAMING_INCLUDED_MB))
        or _any(np.greater(s.second_response_mb, STREAMING_INCLUDED_MB)),
        "esm_cost": s.esm_type is not None,
        "durable_cost": _any(s.durable_executions),
        "tenant_isolation_cost": bool(s.tenant_isolation),
        "logs_cost": _any(s.logged_kb),
        "savings_plan_cost": _any(s.savings_plan_per_hour),
    }
    return tuple(c for c in COMPONENTS if on[c])


def total_cost(items: list[Charge]):
    """The sum of the charges' costs, component by component (a credit cancels its own meter). [currency]"""
    return _sum(components(items))


def _sum(parts: dict):
    total = 0.0
    for part in parts.values():
        if not _zero(part):
            total = total + part
    return float(total) if _ndim(total) == 0 else total


def components(items: list[Charge]) -> dict:
    """The charges added up per :data:`COMPONENTS` entry (zero where a meter is unused). [currency]"""
    out = dict.fromkeys(COMPONENTS, 0.0)
    for item in items:
        out[item.component] = out[item.component] + item.cost
    return {k: float(v) if _ndim(v) == 0 else v for k, v in out.items()}


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
    >>> from datetime import date
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


def _more_charges(usage: Usage, rates: RateTable) -> list[tuple]:
    """The charges of :func:`_more_quantities`' meters (rates from the sheet's ``[meters]`` tables)."""
    items = []
    r = rates.reference

    def add(name, quantity, unit, rate, key, component):
        if not _zero(quantity):
            items.append((name, quantity, unit, rate, key, component, False, False))

    add(
        "provisioned ESM (Kafka)",
        usage.esm_kafka_epu_hours,
        "EPU-hours",
        r.esm_kafka_per_epu_hour,
        "esm_kafka_per_epu_hour",
        "esm_cost",
    )
    add(
        "provisioned ESM (SQS)",
        usage.esm_sqs_epu_hours,
        "EPU-hours",
        r.esm_sqs_per_epu_hour,
        "esm_sqs_per_epu_hour",
        "esm_cost",
    )
    add(
        "durable operations",
        usage.durable_operations,
        "operations",
        r.durable_per_operation,
        "durable_operations_per_million",
        "durable_cost",
    )
    add(
        "durable data written",
        usage.durable_written_gb,
        "GB",
        r.durable_written_per_gb,
        "durable_written_per_gb",
        "durable_cost",
    )
    add(
        "durable data retained",
        usage.durable_retained_gb_months,
        "GB-months",
        r.durable_retained_per_gb_month,
        "durable_retained_per_gb_month",
        "durable_cost",
    )
    add(
        "tenant isolation",
        usage.tenant_environment_gb,
        "GB",
        r.tenant_isolation_per_gb,
        f"{r.arch}_tenant_isolation_per_gb",
        "tenant_isolation_cost",
    )
    if not _zero(usage.logged_gb):
        tier_rates, starts = r.logs_per_gb, r.logs_tier_from_gb
        for k, (quantity, rate) in enumerate(zip(billing.tier_gb_seconds(usage.logged_gb, starts), tier_rates)):
            quantity = float(quantity) if _ndim(quantity) == 0 else quantity
            name = "CloudWatch Logs ingestion" if len(tier_rates) == 1 else f"CloudWatch Logs ingestion tier {k + 1}"
            if k == 0 or _any(quantity):
                items.append((name, quantity, "GB", rate, "logs_per_gb", "logs_cost", False, False))
    return items


#: The components a Compute Savings Plan covers (duration and Provisioned Concurrency; see the sheet).
SAVINGS_PLAN_COVERS = ("duration_cost", "provisioned_cost")


def _savings_plan_charges(items: list[tuple], usage: Usage, rates: RateTable) -> list[tuple]:
    """The commitment and what it covers: the covered usage leaves the on-demand bill at its on-demand cost.

    A commitment of ``C`` USD a month at discount ``d`` pays for ``C / (1 - d)`` USD of on-demand
    duration and Provisioned Concurrency; the rest of them stays at on-demand rates. The 3-year
    plan (the larger discount) applies first.
    """
    out: list[tuple] = []
    plans = [(t, getattr(usage, f"savings_plan_{t}_cost")) for t in ("3yr", "1yr")]
    if all(_zero(c) for _, c in plans):
        return out
    eligible = 0.0
    for _, quantity, _, rate, _, component, _, _ in items:
        if component in SAVINGS_PLAN_COVERS:
            eligible = eligible + quantity * rate  # the charge's cost
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
            (
                f"Compute Savings Plan ({years}-year)",
                float(HOURS_PER_MONTH),
                "hours",
                rate,
                key,
                "savings_plan_cost",
                False,
                False,
            )
        )
        covered = float(covered) if _ndim(covered) == 0 else covered
        out.append(
            (
                f"covered by the Savings Plan ({years}-year)",
                np.negative(covered),
                "USD on demand",
                1.0,
                key,
                "savings_plan_cost",
                False,
                False,
            )
        )
    return out
