"""One function-month priced and explained: :func:`estimate`, its :class:`Estimate` and the
:class:`LineItem` s of a bill, all from the one engine (:mod:`lambdacost.engine`) on one scenario.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

import numpy as np

from . import engine
from .engine import Charge, Usage
from .errors import InvalidParameterError
from .prices import PriceBook, Rates
from .records import frozen_record
from .tables import count, html_table, money, text_table, unit_price

__all__ = ["LineItem", "Estimate", "estimate", "line_items", "pricing_provenance"]


@frozen_record
class LineItem:
    """One line of a bill: ``quantity`` [``unit``] x ``rate`` = ``cost``, in the result's currency.

    Free-tier credits are line items with a negative quantity and cost.
    """

    name: str
    quantity: float
    unit: str
    rate: float
    cost: float
    source_url: str = ""
    read_on: str = ""
    sku: str = ""


@frozen_record
class Estimate:
    """A priced function-month with everything needed to explain it.

    Attributes
    ----------
    inputs : dict
        What was asked, after parsing (``memory_mb``, ``duration_ms``, ``requests``, ...).
    line_items : tuple of LineItem
        Each meter and each free-tier credit.
    billed_duration_ms, gb_seconds, storage_gb_seconds : float
        The quantities behind the line items. [ms], [GB-s], [GB-s]
    pricing : dict
        Provenance: pricing stamp, sheet, era, region, read date, source URL.
    currency : str
        What every cost and rate is in: ``"USD"``, or ``"CNY"`` in the China regions.
    assumptions : tuple of str
        Anything the price rests on that is not read from a source.
    """

    inputs: dict
    line_items: tuple[LineItem, ...]
    billed_duration_ms: float
    gb_seconds: float
    storage_gb_seconds: float
    pricing: dict
    currency: str
    assumptions: tuple[str, ...] = ()
    _rates: Rates | None = field(default=None, repr=False, compare=False)
    #: every metered quantity behind the line items (Provisioned Concurrency, INIT, ...)
    usage: Usage | None = field(default=None, repr=False, compare=False)
    #: inputs that are probably not what was meant (e.g. a cold-start rate without INIT time)
    warnings: tuple[str, ...] = ()

    @property
    def total_cost(self) -> float:
        """The month's total. [currency]"""
        return float(sum(item.cost for item in self.line_items))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``currency``, ``total_cost``, ``line_items``, ``inputs``, ``pricing``,
        ``assumptions`` (and ``warnings`` where there are any)."""
        out = {
            "currency": self.currency,
            "total_cost": self.total_cost,
            "line_items": [item.__dict__.copy() for item in self.line_items],
            "inputs": dict(self.inputs),
            "pricing": dict(self.pricing),
            "assumptions": list(self.assumptions),
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    CSV_HEADERS = ("item", "quantity", "unit", "rate", "cost", "currency", "source_url")

    def csv_rows(self) -> list[list]:
        """One row per line item (see :attr:`CSV_HEADERS`), then a total row."""
        c = self.currency
        rows = [[i.name, i.quantity, i.unit, i.rate, i.cost, c, i.source_url] for i in self.line_items]
        rows.append(["total", "", "", "", self.total_cost, c, ""])
        return rows

    def to_frame(self):
        """The line items as a pandas DataFrame (one row per item, with its ``currency``)."""
        import pandas as pd

        return pd.DataFrame([{**item.__dict__, "currency": self.currency} for item in self.line_items])

    def _rows(self):
        c = self.currency
        return [[i.name, count(i.quantity), i.unit, unit_price(i.rate, c), money(i.cost, c)] for i in self.line_items]

    _HEADERS = ("item", "quantity", "unit", "rate", "cost")

    def __repr__(self) -> str:  # the dataclass repr would dump every line item
        return f"<Estimate {self.total_cost:.6f} {self.currency}: {self._title()}>"

    def __str__(self) -> str:
        table = text_table(
            self._HEADERS,
            self._rows() + [["total", "", "", "", money(self.total_cost, self.currency)]],
            [False, True, False, True, True],
        )
        credit = -self.free_tier_cost
        warned = "".join(f"\n\nWarning: {w}." for w in self.warnings)
        if not credit:
            return f"{self._title()}\n\n{table}{warned}"
        return (
            f"{self._title()}\n\n{table}\n\n{money(self.total_cost + credit, self.currency)} a month without the free tier, which is one "
            f"pool for the whole account: other functions may already use it.{warned}"
        )

    @property
    def free_tier_cost(self) -> float:
        """The free-tier credits in the total (<= 0). [currency]"""
        return float(sum(item.cost for item in self.line_items if item.name.endswith("free tier")))

    def _title(self) -> str:
        i = self.inputs
        return (
            f"{count(i['memory_mb'])} MB, {count(i['duration_ms'])} ms, {count(i['requests'])} requests/month, "
            f"{i['arch']}, {i['region']} (prices of {i['as_of']}, {self.pricing['era']} billing; "
            f"sheets read {self.pricing['stamp']})"
        )

    def _repr_html_(self) -> str:
        rows = self._rows() + [["total", "", "", "", money(self.total_cost, self.currency)]]
        return html_table(self._HEADERS, rows, caption=self._title())

    def explain(self) -> str:
        """The derivation, step by step, in words and numbers."""
        from .explain import explain_estimate

        return explain_estimate(self, self._rates)


def estimate(
    memory_mb,
    duration_ms,
    requests,
    *,
    arch: str = "x86_64",
    region: str = "us-east-1",
    ephemeral_storage_mb=512,
    free_tier: bool = True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
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
    savings_plan_per_hour=0.0,
    savings_plan_term: str = "1yr",
) -> Estimate:
    """Price one Lambda function for one month, line by line.

    Parameters
    ----------
    memory_mb : int
        Allocated memory. [MB; 128..10240 in 1 MB steps, 128..3008 in 64 MB steps
        before 2020-12-01]
    duration_ms : float or DurationDistribution
        Average duration of one invocation, as the REPORT line's ``Duration`` [ms]; or a
        :mod:`~lambdacost.distributions` object (``Samples``, ``Percentiles``,
        ``Lognormal``), in which case each invocation is rounded up on its own and the
        bill uses the mean *billed* duration.
    requests : float
        Invocations per month, or per ``requests_per``. [count]
    arch : {"x86_64", "arm64"}
    region : str
        AWS region code. [e.g. "eu-west-1"]
    ephemeral_storage_mb : int, default 512
        Configured /tmp; above 512 MB it is billed. [MB]
    free_tier : bool, default True
        Apply the monthly free tier (1M requests, 400,000 GB-s) to this function alone.
        Functions with Provisioned Concurrency or on Lambda@Edge get none (see Notes).
    as_of : date or str, optional
        Billing date; selects the price era and the INIT rule. Default today.
    requests_per : {"month", "day", "hour", "minute", "second"}
        Unit of ``requests``; months are AWS's 730 hours.
    pricebook : PriceBook, optional
        Prices to use; default the packaged sheets (or ``$LAMBDACOST_PRICING_DIR``).
    provisioned_concurrency : int, default 0
        Configured Provisioned Concurrency. [environments]
    provisioned_hours : float, optional
        Hours it is enabled this month (rounded up to 5 minutes); default the whole
        730-hour month. [h, 0..744]
    provisioned_utilization : float, optional
        Busy share of the provisioned environments while enabled. [0..1]
    traffic_concurrency : array-like, optional
        Instead of a utilization: average concurrency in equal time slots spanning the
        enabled period. [environments]
    cold_start_rate : float, default 0
        Share of on-demand invocations that start cold. [0..1]
    cold_starts : float, optional
        Cold starts this month, instead of a rate. [count]
    init_duration_ms : float, default 0
        INIT duration of a cold start. [ms, 0..10,000]
    package_type : {"Zip", "Image"}
    runtime : str, optional
        Lambda runtime id (``python3.12``, ``provided.al2023``, ``java21``...).
    snapstart : bool, default False
        SnapStart on: cold starts are restores; cache and restore are charged.
    restore_duration_ms : float, default 0
        SnapStart's ``Billed Restore Duration`` of one restore. [ms]
    snapstart_active_hours : float, optional
        Hours the published version is active (at least 3 are charged); default 730. [h]
    edge : bool, default False
        Priced as Lambda@Edge (own request and duration rates, us-east-1 x86_64 only).
    response_mb : float, default 0
        Size of each streamed response; the part beyond 6 MB is charged. [MB]
    async_payload_kb : float, default 0
        Size of each asynchronous event; above 256 KB every 64 KB is one more request. [KB]
    provisioned_requests : float, optional
        Instead of a utilization: the invocations served on Provisioned Concurrency this
        month; the others run on demand. [count]
    provisioned_duration_ms : float, optional
        Duration of the ``provisioned_requests`` invocations, where it differs from
        ``duration_ms`` (which is then the on-demand invocations'). [ms]
    provisioned_free_tier : bool, default False
        Apply the free tier to a function with Provisioned Concurrency, as the pricing
        page's PC Example 1 does (its text says such functions get none).
    second_response_mb, second_response_share : float, default 0
        A second streamed-response size [MB] for a share of the requests [0..1];
        ``response_mb`` is then the other requests' size.
    esm_type : {"kafka", "sqs"}, optional
        A provisioned-mode event source mapping feeds the function (billed in Event
        Poller Unit hours, per second with a 1-minute minimum).
    esm_epu_hours : float, default 0
        Its Event Poller Unit hours this month. [EPU-h]
    durable_executions : float, default 0
        Durable-function executions this month; ``requests`` counts every invocation,
        replays included. [count]
    durable_operations : float, optional
        Durable operations of one execution (start, steps, waits, callbacks). [count]
    durable_written_kb : float, default 0
        Data one execution's operations write (decimal GB: 1 GB = 1,000,000 KB, as AWS's
        example counts). [KB]
    durable_retained_days : float, optional
        Days that data is kept, while running plus after completion; default 14 (AWS's
        default retention). [days]
    tenant_isolation : bool, default False
        Tenant isolation mode: each cold start (a new execution environment) is charged per
        GB of memory (x86_64, us-east-1 only in our sources).
    logged_kb : float, default 0
        What each invocation writes to CloudWatch Logs (START/END/REPORT lines included);
        priced as Lambda logs in the Standard class, by the account's monthly tiers. [KB]
    savings_plan_per_hour : float, default 0
        A Compute Savings Plan's hourly commitment spent on this function: it is paid every
        hour, and buys its usage of duration and Provisioned Concurrency at the plan's discount;
        the rest stays at on-demand rates. [currency/h]
    savings_plan_term : {"1yr", "3yr"}, default "1yr"
        The plan's term, which sets its discount (15 % or 17 % in our one source).

    Returns
    -------
    Estimate

    Notes
    -----
    Provisioned Concurrency: the configured environments cost concurrency x memory x
    enabled time at the PC rate; the invocations they serve pay the PC duration rate;
    the rest (spill-over) pays on-demand rates. Without a utilization or traffic shape,
    traffic is taken as even over the month. The pricing page says "The Lambda free tier
    does not apply to functions enabling Provisioned Concurrency"; lambdacost follows
    that text (its Example 1 does subtract the free tier; reported as an assumption).

    INIT: a cold start is billed ``ceil(duration + init)``. On-demand ZIP functions on
    managed runtimes pay for INIT from 2025-08-01; before that only container images and
    custom runtimes (``provided.*``) did.

    Examples
    --------
    512 MB, 120 ms, 5 million requests: 0.5 GB x 0.12 s x 5e6 = 300,000 GB-s, all inside
    the free tier; 4 million requests billed at $0.20 per million.

    >>> from lambdacost import estimate
    >>> e = estimate(512, 120, 5_000_000, as_of="2026-11-01")
    >>> e.gb_seconds, round(e.total_cost, 2)
    (300000.0, 0.8)

    One cold start in a hundred with 500 ms of INIT adds 5 ms to the mean billed duration
    since INIT billing began (2025-08-01), nothing before for a ZIP function:

    >>> estimate(1024, 100, 1e6, cold_start_rate=0.01, init_duration_ms=500, as_of="2026-11-01").billed_duration_ms
    105.0
    >>> estimate(1024, 100, 1e6, cold_start_rate=0.01, init_duration_ms=500, as_of="2025-07-01").billed_duration_ms
    100.0
    """
    book, day = engine.resolve_pricebook(pricebook, as_of)
    table = engine.rate_table(book, arch, region, day)
    scenario, inputs, assumptions = engine.check_scenario_ordered(  # check_scenario, without 30 names to match
        book,
        table,
        memory_mb,
        duration_ms,
        requests,
        ephemeral_storage_mb,
        requests_per,
        free_tier,
        (  # in engine.METER_KEYWORDS order (tests/test_engine.py checks it)
            provisioned_concurrency,
            provisioned_hours,
            provisioned_utilization,
            traffic_concurrency,
            cold_start_rate,
            cold_starts,
            init_duration_ms,
            package_type,
            runtime,
            snapstart,
            restore_duration_ms,
            snapstart_active_hours,
            edge,
            response_mb,
            async_payload_kb,
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
            savings_plan_per_hour,
            savings_plan_term,
        ),
    )
    if not (
        type(scenario.memory_mb) is float and type(scenario.duration_ms) is float and type(scenario.requests) is float
    ):
        _refuse_arrays(scenario)
    usage = engine.meter(scenario)
    free = engine.free_use(usage, book.free_tier, scenario.free_tier)
    rates = table.reference
    items = _line_items(engine.charge_rows(usage, table, free), rates)
    inputs.update(free_tier=bool(free_tier), as_of=day.isoformat())
    assumptions += engine.tier_notes(rates, usage.gb_seconds, free.gb_seconds)
    warnings = ()
    if assumptions:  # most single calls have none
        warnings = tuple(dict.fromkeys(a[len(engine.WARNING) :] for a in assumptions if a.startswith(engine.WARNING)))
        assumptions = [a for a in assumptions if not a.startswith(engine.WARNING)]
    return Estimate(
        inputs,
        tuple(items),
        usage.billed_duration_ms,
        usage.gb_seconds,
        usage.storage_gb_seconds,
        pricing_provenance(book, rates),
        rates.currency,
        rates.assumptions + tuple(dict.fromkeys(assumptions)),
        rates,
        usage,
        warnings,
    )


def _refuse_arrays(scenario) -> None:
    """Raise naming the first of memory, duration and requests that is an array, showing (the start of) it."""
    for name in ("memory_mb", "duration_ms", "requests"):
        value = getattr(scenario, name)
        if not isinstance(value, float) and np.ndim(value):
            shown = np.array2string(np.asarray(value).reshape(-1)[:4], separator=", ", threshold=4)
            raise InvalidParameterError(
                name,
                "one number: estimate prices one scenario (monthly_cost or sweep price arrays)",
                f"an array of shape {np.shape(value)}: {shown}{'...' if np.size(value) > 4 else ''}",
            )


def pricing_provenance(book: PriceBook, rates: Rates) -> dict[str, Any]:
    """Where a result's prices come from: stamp, sheet, era, region, source and read date."""
    key = (id(book), id(rates))
    cached = _PROVENANCE.get(key)
    if cached is not None and cached[0] is book and cached[1] is rates:  # a recycled id is another book
        return dict(cached[2])
    if len(_PROVENANCE) >= 256:
        _PROVENANCE.clear()
    provenance = _provenance(book, rates)
    _PROVENANCE[key] = (book, rates, provenance)
    return dict(provenance)


#: Provenance by (id(book), id(rates)), beside the two objects (the stamp walks every sheet entry).
_PROVENANCE: dict = {}


def _provenance(book: PriceBook, rates: Rates) -> dict[str, Any]:
    return {
        "stamp": book.stamp,
        "sheet": "lambda.toml",
        "era": rates.era.name,
        "granularity_ms": rates.granularity_ms,
        "region": rates.region,
        "region_name": rates.region_name,
        "source_url": rates.source.url,
        "read_on": rates.source.read_on.isoformat(),
        "free_tier_source_url": rates.free_tier.source.url,
    }


def line_items(items: list[Charge], rates: Rates) -> list[LineItem]:
    """The engine's charges of one function or group as line items with their provenance.

    Parameters
    ----------
    items : list of Charge
        From :func:`lambdacost.engine.charges` on scalar usage.
    rates : Rates
        The (region, architecture) they were priced at: source, read date and SKUs.
    """
    return _line_items(
        [(c.name, c.quantity, c.unit, c.rate, c.rate_key, c.component, c.free, c.shown) for c in items], rates
    )


def _line_items(rows, rates: Rates) -> list[LineItem]:
    """:func:`line_items` of :func:`lambdacost.engine.charge_rows` (tuples in Charge field order)."""
    free_source, by_key = _item_sources(rates)
    out = []
    for name, quantity, unit, rate, key, _, free, _ in rows:
        if free:
            source = free_source
        else:
            source = by_key.get(key)
            if source is None:
                own = rates.rate_sources.get(key, rates.source)  # a [meters] rate has its own source
                sku = rates.skus.get(key.partition("[")[0], "")  # a tier's SKU is its list's
                source = by_key[key] = (own.url, own.read_on.isoformat(), sku)
        quantity, rate = float(quantity), float(rate)
        url, read_on, sku = source  # positional, not *source: a call with a star costs more
        out.append(LineItem(name, quantity, unit, rate, quantity * rate, url, read_on, sku))
    return out


def _item_sources(rates: Rates) -> tuple:
    """The free tier's (source URL, read date, SKU) and a dict of the others' by rate key, kept per ``rates``."""
    cached = _SOURCES.get(id(rates))
    if cached is not None and cached[0] is rates:  # a recycled id is another table
        return cached[1]
    if len(_SOURCES) >= 256:
        _SOURCES.clear()
    free = rates.free_tier.source
    sources = ((free.url, free.read_on.isoformat(), ""), {})
    _SOURCES[id(rates)] = (rates, sources)
    return sources


#: Line-item sources by id(rates), beside the object (a read date is formatted once, not per item).
_SOURCES: dict = {}
