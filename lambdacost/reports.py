"""What the logs say functions cost: per invocation, per function, and what-ifs.

Input is the tidy frame of :func:`lambdacost.readers.logs.read_logs` (pandas, or dask with
``engine="dask"``). Every invocation is priced from **its own** billed duration and memory
(``memory_size_mb x billed_duration_ms``, summed exactly as integers), never from an
average duration times an average memory.

* :func:`cost_invocations` adds GB-s and list-price cost columns to every row.
* :func:`report` gives one row per function: invocations, cold-start rate, p50/p95/p99
  duration, billed GB-s, cost for the period the logs cover and projected to a month
  (AWS's 730-hour month), memory used vs configured.
* :func:`what_ifs` re-prices each invocation under a change: ``"arm64"`` (with a speed
  factor), ``"memory=1024"``, ``"right-size"`` (max memory used + headroom), with the
  saving in money and percent.

Billing rules (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html and
https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/). ``Billed Duration`` in a REPORT
record already includes INIT where AWS billed it, so the cost of what happened is the sum
of billed durations and INIT is never added again. A what-if re-derives billed time per
invocation as ``ceil(duration + init (where billable) + billed restore)``: INIT is billable
for invocations on or after 2025-08-01 (AWS standardised INIT billing) and for earlier ones
whose own billed duration shows it was billed (container images, custom runtimes).

Each function is priced on its own, as if alone in its account, with its own volume tiers;
the free tier is off by default (``free_tier=True`` shares one account allowance across
the functions of the report in proportion to their usage). Account-level pooling of tiers
and free tier across a whole fleet belongs to ``bill``.

Examples
--------
>>> from lambdacost.readers.log_parse import parse_lines
>>> df = parse_lines([
...     "REPORT RequestId: a1\\tDuration: 99.20 ms\\tBilled Duration: 100 ms\\tMemory Size: 1024 MB\\tMax Memory Used: 80 MB",
...     "REPORT RequestId: a2\\tDuration: 299.01 ms\\tBilled Duration: 300 ms\\tMemory Size: 1024 MB\\tMax Memory Used: 90 MB",
... ], function="api")
>>> r = report(df, as_of="2026-11-01")
>>> print(r.loc[0, "function"], int(r.loc[0, "invocations"]), float(r.loc[0, "billed_gb_seconds"]))
api 2 0.4
>>> print(round(float(r.loc[0, "cost"]), 10))  # 0.4 GB-s x 0.0000166667 + 2 x 0.0000002
7.0667e-06
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd

from . import billing, engine
from .durations import ARM64_SPEED_FACTOR, arch_duration_ms, scale_duration_ms
from .errors import InvalidParameterError
from .prices import ARCHITECTURES, PriceBook, Rates, default_pricebook, one_currency
from .rules import HOURS_PER_MONTH, MB_PER_GB, MS_PER_S
from .tables import label_column
from .validation import check_numeric, to_date

__all__ = [
    "DAYS_PER_MONTH",
    "NO_SPAN_NOTE",
    "cost_invocations",
    "report",
    "what_ifs",
    "parse_scenario",
]

#: AWS's calculator month, 730 hours, in days.
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
#: 1 ms billing began with the December 2020 billing cycle (pricing sheet, era "1ms").
_ONE_MS_BILLING_FROM = pd.Timestamp("2020-12-01", tz="UTC")
_MB_MS_PER_GB_S = MB_PER_GB * MS_PER_S
_STAT_COLUMNS = [
    "function",
    "timestamp",
    "duration_ms",
    "billed_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "cold_start",
    "status",
]


# ----------------------------------------------------------------------------- helpers


def _is_dask(df) -> bool:
    return type(df).__module__.startswith("dask")


def _per_function(value, functions: Sequence[str], name: str) -> dict:
    """``value`` for every function: one value for all, or a mapping function -> value."""
    if isinstance(value, Mapping):
        missing = [f for f in functions if f not in value]
        if missing:
            raise InvalidParameterError(name, "a value for every function in the logs", f"nothing for {missing[0]!r}")
        return {f: value[f] for f in functions}
    return dict.fromkeys(functions, value)


def _resolve_as_of(df, as_of, book: PriceBook) -> date:
    """The billing date: given, else the day of the newest record, else today."""
    day = to_date(as_of, book.earliest)
    if day is not None:
        return day
    newest = df["timestamp"].max()
    newest = newest.compute() if _is_dask(newest) else newest
    return date.today() if pd.isna(newest) else newest.date()


def _rates(functions, arch, region, day: date, book: PriceBook) -> dict[str, Rates]:
    archs = _per_function(arch, functions, "arch")
    regions = _per_function(region, functions, "region")
    cache: dict[tuple, Rates] = {}
    for f in functions:  # one look-up per (arch, region), not per row
        key = (archs[f], regions[f])
        if key not in cache:
            cache[key] = book.rates(regions[f], archs[f], day)
    one_currency({r.region: r.currency for r in cache.values()})  # a report adds and compares its costs
    return {f: cache[(archs[f], regions[f])] for f in functions}


def _currency_column(rates: dict[str, Rates], rows: int) -> pd.Categorical:
    """The one currency of ``rates`` (checked by :func:`_rates`) as a categorical column of ``rows``."""
    return label_column(next(iter(rates.values())).currency if rates else "USD", rows)


def _priced(gb_seconds, invocations, cards: list[Rates], book: PriceBook, free_gb=0.0, free_requests=0.0):
    """(duration_cost, requests_cost) per function, each with its own tiers, by the one engine."""
    gb_seconds = np.asarray(gb_seconds, dtype=float)
    if not cards:
        return np.zeros(0), np.zeros(0)
    table = engine.rate_table(
        book, np.array([r.arch for r in cards]), np.array([r.region for r in cards]), cards[0].as_of
    )
    usage = engine.Usage(requests=np.asarray(invocations, dtype=float), gb_seconds=gb_seconds)
    free = engine.FreeUse(np.broadcast_to(free_requests, gb_seconds.shape), np.broadcast_to(free_gb, gb_seconds.shape))
    parts = engine.components(engine.charges(usage, table, free))
    return np.broadcast_to(parts["duration_cost"], gb_seconds.shape), np.broadcast_to(
        parts["requests_cost"], gb_seconds.shape
    )


def _covered_days(stats: pd.DataFrame, covered_days) -> np.ndarray:
    """Days each function's logs cover: ``covered_days`` if given, else the function's own span
    from its first to its last record (NaN without timestamps), never another function's."""
    if covered_days is not None:
        return np.full(len(stats), float(check_numeric("covered_days", covered_days, 1e-6, 36600, "days")))
    days = ((stats["last"] - stats["first"]) / pd.Timedelta(days=1)).to_numpy(dtype=float, na_value=np.nan)
    return np.where(days > 0, days, np.nan)


def _period_fraction(days: np.ndarray) -> float:
    """The share of a month the logs cover, for the free tier of the period (the longest span)."""
    finite = days[np.isfinite(days)]
    return min(float(finite.max()) / DAYS_PER_MONTH, 1.0) if finite.size else 1.0


def _span(days: np.ndarray) -> float | None:
    """The longest span, or None when no function's span is known."""
    finite = days[np.isfinite(days)]
    return float(finite.max()) if finite.size else None


def _per_month(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether each function's span is known, months per covered period: 0 where not known)."""
    known = np.isfinite(days)
    return known, np.divide(DAYS_PER_MONTH, days, out=np.zeros(len(days)), where=known)


def _not_known_where(values, known: np.ndarray):
    """``values`` as pandas' nullable Float64: ``pd.NA`` (not known) where ``known`` is False, never NaN."""
    return pd.arrays.FloatingArray(np.where(known, np.asarray(values, dtype=float), 0.0), ~known)


#: What report() and what_ifs() say for functions whose logs have no time span.
NO_SPAN_NOTE = (
    "no time span in the logs of {functions} (no timestamps, or all at one instant): the monthly projection is not "
    "known; pass {how}"
)


#: Logs covering less than this are projected to a month with a warning: an hour already stands
#: for 730 of them. [days]
SHORT_SPAN_DAYS = 1 / 24


def _span_notes(functions: list, days: np.ndarray, known: np.ndarray, given: bool) -> list[str]:
    """What report() and what_ifs() say of the spans a monthly projection rests on.

    Examples
    --------
    >>> for note in _span_notes(["a", "b"], np.array([0.8 / 86400, np.nan]), np.array([True, False]), False):
    ...     print(note)
    no time span in the logs of b (no timestamps, or all at one instant): the monthly projection is not known; pass covered_days
    warning: the logs of a cover under an hour (the shortest 0.8 s): their monthly projection multiplies that much traffic by 3,285,000; pass covered_days for the time the logs stand for
    """
    notes = []
    no_span = [f for f, k in zip(functions, known) if not k]
    if no_span:
        notes.append(NO_SPAN_NOTE.format(functions=", ".join(no_span), how="covered_days"))
    short = [(d, f) for f, d, k in zip(functions, days, known) if k and d < SHORT_SPAN_DAYS]
    if short and not given:
        shortest = min(d for d, _ in short) * 86400
        shown = f"{shortest:.3g} s" if shortest < 60 else f"{shortest / 60:.3g} min"
        notes.append(
            f"warning: the logs of {', '.join(f for _, f in short)} cover under an hour (the shortest {shown}): "
            f"their monthly projection multiplies that much traffic by {DAYS_PER_MONTH * 86400 / shortest:,.0f}; "
            "pass covered_days for the time the logs stand for"
        )
    return notes


# ----------------------------------------------------------------------------- per invocation


def cost_invocations(
    df: pd.DataFrame, *, arch="x86_64", region="us-east-1", as_of=None, pricebook: PriceBook | None = None
) -> pd.DataFrame:
    """Price every invocation from its billed duration and memory, at tier-1 list rates.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`lambdacost.readers.logs.read_logs`.
    arch : {"x86_64", "arm64"} or mapping of function -> arch
    region : str or mapping of function -> str
        AWS region code.
    as_of : date or str, optional
        Billing date (selects the price era); default the newest record's day.
    pricebook : PriceBook, optional

    Returns
    -------
    pandas.DataFrame
        ``df`` plus ``arch``, ``region``, ``gb_seconds`` [GB-s], ``duration_cost``,
        ``requests_cost`` and ``cost`` [currency]. Volume tiers apply to monthly totals, so
        per-row cost uses the tier-1 rate; :func:`report` applies the tiers.

    Examples
    --------
    >>> from lambdacost.readers.log_parse import parse_lines
    >>> df = parse_lines(["REPORT RequestId: a\\tDuration: 3.10 ms\\tBilled Duration: 546 ms\\t"
    ...                   "Memory Size: 2048 MB\\tMax Memory Used: 95 MB\\tInit Duration: 542.01 ms"])
    >>> out = cost_invocations(df, arch="arm64", as_of="2025-10-01")
    >>> print(out.loc[0, "gb_seconds"], round(float(out.loc[0, "cost"]), 12))  # 2 GB x 0.546 s x 0.0000133334 + 0.0000002
    1.092 1.4760073e-05
    """
    book = pricebook or default_pricebook()
    day = _resolve_as_of(df, as_of, book)
    functions = sorted(pd.unique(df["function"]))
    rates = _rates(functions, arch, region, day, book)
    out = df.copy()
    out["arch"] = out["function"].map({f: r.arch for f, r in rates.items()})
    out["region"] = out["function"].map({f: r.region for f, r in rates.items()})
    rate = out["function"].map({f: r.tier_per_gb_second[0] for f, r in rates.items()}).to_numpy(float)
    request = out["function"].map({f: r.per_request for f, r in rates.items()}).to_numpy(float)
    out["gb_seconds"] = billing.gb_seconds(
        out["memory_size_mb"].to_numpy(float), out["billed_duration_ms"].to_numpy(float)
    )
    out["duration_cost"] = out["gb_seconds"].to_numpy() * rate
    out["requests_cost"] = request
    out["cost"] = out["duration_cost"] + out["requests_cost"]
    out["currency"] = _currency_column(rates, len(out))
    out.attrs = dict(df.attrs, as_of=day)
    return out


# ----------------------------------------------------------------------------- per function


def _row_groups(codes: np.ndarray, groups: int) -> list[tuple[int, slice | np.ndarray]]:
    """(code, row selector) for every group code with rows: slices when the rows come
    grouped (one file per function, the usual case), else index arrays from one stable sort."""
    grouped = codes.size < 2 or (codes[1:] >= codes[:-1]).all()
    order = None if grouped else np.argsort(codes.astype(np.min_scalar_type(groups)), kind="stable")  # radix sort
    bounds = np.searchsorted(codes if grouped else codes[order], np.arange(groups + 1))
    return [
        (k, slice(bounds[k], bounds[k + 1]) if order is None else order[bounds[k] : bounds[k + 1]])
        for k in range(groups)
        if bounds[k + 1] > bounds[k]
    ]


def _groups(frame: pd.DataFrame) -> list[tuple[str, slice | np.ndarray]]:
    """(function, row selector) for every function with rows in ``frame``."""
    function = frame["function"]
    if isinstance(function.dtype, pd.CategoricalDtype):  # as read_logs gives it: codes at hand
        codes, names = function.cat.codes.to_numpy(), function.cat.categories
    else:
        codes, names = pd.factorize(function, sort=True)
    return [(names[k], rows) for k, rows in _row_groups(codes, len(names))]


def _partial_stats(frame: pd.DataFrame, groups: list | None = None) -> pd.DataFrame:
    """Per function, the statistics that merge exactly across partitions: integer sums,
    minima and maxima; ``groups`` the frame's :func:`_groups` if already at hand."""
    billed = frame["billed_duration_ms"].to_numpy("int64")
    memory = frame["memory_size_mb"].to_numpy("int64")
    used = frame["max_memory_used_mb"].to_numpy("int64")
    cold = frame["cold_start"].to_numpy(bool)
    errors = (frame["status"] != "success").to_numpy(bool)
    stamps = frame["timestamp"]
    rows = [
        {
            "function": name,
            "invocations": len(cold[rows_of]),
            "cold_starts": int(cold[rows_of].sum()),
            "errors": int(errors[rows_of].sum()),
            "billed_mb_ms": int((memory[rows_of] * billed[rows_of]).sum()),
            "smallest_memory_mb": int(memory[rows_of].min()),
            "memory_size_mb": int(memory[rows_of].max()),
            "max_memory_used_mb": int(used[rows_of].max()),
            "memory_used_mb_sum": int(used[rows_of].sum()),
            "first": stamps.iloc[rows_of].min(),
            "last": stamps.iloc[rows_of].max(),
        }
        for name, rows_of in (_groups(frame) if groups is None else groups)  # one iteration per function
    ]
    meta = _PARTIAL_META
    out = pd.DataFrame(rows, columns=list(meta.columns)) if rows else meta.copy()
    for column in ("first", "last"):  # all-NaT would infer another dtype; partitions must match
        out[column] = pd.to_datetime(out[column], utc=True).astype(meta[column].dtype)
    return out


_SUM_BLOCK = 1 << 24  # values a block of _exact_sum: its float sums of 27-bit integers stay exact


def _exact_sum(values: np.ndarray) -> float:
    """The sum of ``values`` correctly rounded (what :func:`math.fsum` gives), so independent
    of their order, in a few numpy passes instead of a sort.

    Each double is an integer of 53 bits times a power of two: the integers are split in
    halves of 27 and 26 bits and summed per power of two (exact in float64 within a block),
    then added up exactly in Python integers, and rounded once.

    Examples
    --------
    >>> _exact_sum(np.array([0.1, 0.2, 0.3])), _exact_sum(np.array([1e16, 1.0, -1e16]))
    (0.6, 1.0)
    """
    if not np.isfinite(values).all():  # NaN or infinity: as numpy adds them
        return float(np.sort(values).sum())
    if values.size == 0:
        return 0.0
    mantissa, exponent = np.frexp(values)
    whole = (mantissa * 2.0**53).astype(np.int64)  # exact: 53 significant bits
    lowest = int(exponent.min())
    shift = exponent - lowest
    total = 0
    for at in range(0, values.size, _SUM_BLOCK):
        part = slice(at, at + _SUM_BLOCK)
        high = np.bincount(shift[part], weights=whole[part] >> 26)  # |high| < 2**27
        low = np.bincount(shift[part], weights=whole[part] & (2**26 - 1))
        for k in np.flatnonzero((high != 0) | (low != 0)).tolist():
            total += ((int(high[k]) << 26) + int(low[k])) << k
    scale = lowest - 53
    try:
        return float(Fraction(total * 2**scale) if scale >= 0 else Fraction(total, 2**-scale))
    except OverflowError:  # beyond the largest double: infinite, as numpy adds
        return math.inf if total > 0 else -math.inf


def _duration_stats(frame: pd.DataFrame, groups: list | None = None, pool: ThreadPoolExecutor | None = None):
    """Per function, percentiles and mean of the durations, independent of row order
    (order statistics and an exactly rounded sum); needs all of a function's rows.
    ``groups`` as in :func:`_partial_stats`; with a ``pool`` the exact sums run in its
    threads while this one selects the percentiles (numpy holds no GIL in either)."""
    duration = frame["duration_ms"].to_numpy(float)
    parts = [(name, duration[rows_of]) for name, rows_of in (_groups(frame) if groups is None else groups)]
    sums = [pool.submit(_exact_sum, of_function) for _, of_function in parts] if pool else None
    rows = []
    for k, (name, of_function) in enumerate(parts):  # one iteration per function
        p50, p95, p99 = np.quantile(of_function, [0.5, 0.95, 0.99])  # by partition: no sort needed
        total = sums[k].result() if sums else _exact_sum(of_function)
        rows.append((name, float(p50), float(p95), float(p99), total / len(of_function)))
    return pd.DataFrame(rows, columns=list(_DURATION_META.columns)).astype(_DURATION_META.dtypes.to_dict())


_PARTIAL_META = pd.DataFrame(
    {
        "function": pd.Series([], dtype=object),
        **{c: pd.Series([], dtype="int64") for c in ("invocations", "cold_starts", "errors", "billed_mb_ms")},
        **{
            c: pd.Series([], dtype="int64")
            for c in ("smallest_memory_mb", "memory_size_mb", "max_memory_used_mb", "memory_used_mb_sum")
        },
        "first": pd.Series([], dtype="datetime64[ns, UTC]"),
        "last": pd.Series([], dtype="datetime64[ns, UTC]"),
    }
)
_DURATION_META = pd.DataFrame(
    {
        "function": pd.Series([], dtype=object),
        **{
            c: pd.Series([], dtype=float)
            for c in ("duration_p50_ms", "duration_p95_ms", "duration_p99_ms", "duration_mean_ms")
        },
    }
)
#: From this many rows the statistics of :func:`report` and :func:`what_ifs` are computed in
#: parallel threads (numpy's selections and reductions release the GIL); fewer rows take
#: less time than starting the threads.
PARALLEL_MIN_ROWS = 1 << 16
_SUMS = ("invocations", "cold_starts", "errors", "billed_mb_ms", "memory_used_mb_sum")


def _function_stats(df) -> pd.DataFrame:
    """One row per function, sorted by name; the same numbers from pandas and dask."""
    if _is_dask(df):
        import dask

        # Sums, minima and maxima per partition; only (function, duration) moves between
        # workers, so that each function's durations meet for the percentiles.
        partial = df[_STAT_COLUMNS].map_partitions(_partial_stats, meta=_PARTIAL_META)
        durations = (
            df[["function", "duration_ms"]].shuffle(on="function").map_partitions(_duration_stats, meta=_DURATION_META)
        )
        partial, durations = dask.compute(partial, durations)
    elif len(df) >= PARALLEL_MIN_ROWS:
        groups = _groups(df)
        with ThreadPoolExecutor(max_workers=2) as pool:
            partial = pool.submit(_partial_stats, df, groups)
            durations = _duration_stats(df, groups, pool)
            partial = partial.result()
    else:
        groups = _groups(df)
        partial, durations = _partial_stats(df, groups), _duration_stats(df, groups)
    partial["function"] = partial["function"].astype(object)
    grouped = partial.groupby("function", sort=True)
    stats = grouped[list(_SUMS)].sum()
    stats["smallest_memory_mb"] = grouped["smallest_memory_mb"].min()
    for column in ("memory_size_mb", "max_memory_used_mb"):
        stats[column] = grouped[column].max()
    stats["first"], stats["last"] = grouped["first"].min(), grouped["last"].max()
    stats["mean_memory_used_mb"] = stats["memory_used_mb_sum"] / stats["invocations"]
    durations = durations.assign(function=durations["function"].astype(object)).set_index("function")
    return stats.join(durations).reset_index()


def report(
    df,
    *,
    arch="x86_64",
    region="us-east-1",
    as_of=None,
    covered_days: float | None = None,
    free_tier: bool = False,
    pricebook: PriceBook | None = None,
) -> pd.DataFrame:
    """Per function: invocations, cold starts, latency, billed GB-s, cost and a monthly projection.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        From :func:`lambdacost.readers.logs.read_logs`.
    arch : {"x86_64", "arm64"} or mapping of function -> arch
    region : str or mapping of function -> str
    as_of : date or str, optional
        Billing date (price era); default the newest record's day, else today.
    covered_days : float, optional
        How many days the logs cover; default each function's span from its first to its
        last timestamp. A function without one (logs without timestamps) has ``pd.NA``, "not
        known", in ``covered_days``, ``monthly_invocations`` and ``monthly_cost`` (never
        NaN): pass ``covered_days`` to project it to a month.
    free_tier : bool, default False
        Share one monthly free-tier allowance (prorated to ``covered_days`` for the
        period cost) across the report's functions in proportion to their usage.
    pricebook : PriceBook, optional

    Returns
    -------
    pandas.DataFrame
        One row per function, sorted by name. Money in its ``currency`` column (USD, or CNY in
        the China regions), ``billed_gb_seconds`` in GB-s, durations in ms, memory in MB; ``cost`` is the period the logs cover,
        ``monthly_cost`` the 730-hour-month projection; those two and ``covered_days``
        are pandas' nullable ``Float64``. ``attrs`` holds ``as_of``, ``covered_days`` (the
        longest span, None when none is known), ``no_span`` (the functions without one) and
        ``assumptions``.
    """
    _check_free_tier(free_tier)
    book = pricebook or default_pricebook()
    day = _resolve_as_of(df, as_of, book)
    stats = _function_stats(df)
    functions = stats["function"].tolist()
    rates = _rates(functions, arch, region, day, book)
    cards = [rates[f] for f in functions]
    days = _covered_days(stats, covered_days)
    known, per_month = _per_month(days)  # a function without a span shares no monthly free tier

    invocations = stats["invocations"].to_numpy(float)
    usage = stats["billed_mb_ms"].to_numpy(float) / _MB_MS_PER_GB_S
    free_gb, free_requests = _free_shares(usage, invocations, book, free_tier, _period_fraction(days))
    m_free_gb, m_free_requests = _free_shares(usage * per_month, invocations * per_month, book, free_tier, 1.0)

    out = pd.DataFrame({"function": functions, "arch": [r.arch for r in cards], "region": [r.region for r in cards]})
    out["invocations"] = stats["invocations"]
    out["cold_starts"] = stats["cold_starts"]
    out["cold_start_rate"] = stats["cold_starts"] / stats["invocations"]
    out["errors"] = stats["errors"]
    for column in ("duration_p50_ms", "duration_p95_ms", "duration_p99_ms", "duration_mean_ms"):
        out[column] = stats[column]
    out["billed_gb_seconds"] = usage
    out["duration_cost"], out["requests_cost"] = _priced(usage, invocations, cards, book, free_gb, free_requests)
    out["cost"] = out["duration_cost"] + out["requests_cost"]
    out["memory_size_mb"] = stats["memory_size_mb"]
    out["max_memory_used_mb"] = stats["max_memory_used_mb"]
    out["mean_memory_used_mb"] = stats["mean_memory_used_mb"]
    out["memory_used_pct"] = 100.0 * stats["max_memory_used_mb"] / stats["memory_size_mb"]
    out["first"] = stats["first"]
    out["last"] = stats["last"]
    out["monthly_invocations"] = _not_known_where(invocations * per_month, known)
    monthly = np.add(*_priced(usage * per_month, invocations * per_month, cards, book, m_free_gb, m_free_requests))
    out["monthly_cost"] = _not_known_where(monthly, known)
    assumptions = sorted({a for r in cards for a in r.assumptions})
    no_span = tuple(f for f, k in zip(functions, known) if not k)
    assumptions += _span_notes(functions, days, known, covered_days is not None)
    if (stats["smallest_memory_mb"] < stats["memory_size_mb"]).any():
        assumptions.append("some functions ran at several memory sizes; memory_size_mb shows the largest")
    assumptions.append("each function priced alone with its own volume tiers; account-level pooling is done by bill()")
    out["covered_days"] = _not_known_where(days, known)
    out["currency"] = _currency_column(rates, len(out))
    out.attrs = {
        "as_of": day,
        "covered_days": _span(days),
        "no_span": no_span,
        "assumptions": assumptions,
        "free_tier": free_tier,
    }
    if "parse" in getattr(df, "attrs", {}):
        out.attrs["parse"] = df.attrs["parse"]
    return out


def _check_free_tier(free_tier) -> None:
    if not isinstance(free_tier, bool | np.bool_):  # "no" would count as True
        raise InvalidParameterError("free_tier", "True or False", free_tier)


def _free_shares(gb_seconds, requests, book: PriceBook, free_tier: bool, fraction: float):
    """Split one free-tier allowance across functions in proportion to their usage."""
    if not free_tier or len(gb_seconds) == 0:
        return 0.0, 0.0
    pool = book.free_tier
    share_gb = gb_seconds * engine.pool_share(pool.gb_seconds * fraction, float(np.sum(gb_seconds)))
    share_requests = requests * engine.pool_share(pool.requests * fraction, float(np.sum(requests)))
    return share_gb, share_requests


# ----------------------------------------------------------------------------- what-ifs


def parse_scenario(text: str) -> tuple[str, float | str | None]:
    """``"arm64"``, ``"x86_64"``, ``"memory=1024"``, ``"right-size"`` or ``"right-size=0.3"``.

    Examples
    --------
    >>> parse_scenario("memory=1024"), parse_scenario("right-size"), parse_scenario("arm64")
    (('memory', 1024.0), ('right-size', None), ('arch', 'arm64'))
    """
    kind, _, value = str(text).strip().partition("=")
    allowed = "one of 'arm64', 'x86_64', 'memory=<MB>', 'right-size', 'right-size=<headroom 0..1>'"
    if kind in ARCHITECTURES and not value:
        return "arch", kind
    if kind == "memory" and value:
        try:
            return "memory", float(check_numeric("memory_mb", float(value), 128, 10240, "MB", step=1))
        except ValueError:
            raise InvalidParameterError("what_if", allowed, text) from None
    if kind in ("right-size", "rightsize", "right_size"):
        if not value:
            return "right-size", None
        try:
            return "right-size", float(check_numeric("headroom", float(value), 0, 1, "(fraction)"))
        except ValueError:
            raise InvalidParameterError("what_if", allowed, text) from None
    raise InvalidParameterError("what_if", allowed, text)


def _init_billable(frame: pd.DataFrame, billed_from: date) -> np.ndarray:
    """Cold starts whose INIT is billed: on/after ``billed_from`` (the price sheet's
    ``init_billing`` milestone, 2025-08-01), or where the billed time shows it."""
    init = frame["init_duration_ms"].to_numpy(float)
    restore = np.nan_to_num(frame["billed_restore_duration_ms"].to_numpy(float))
    stamp = frame["timestamp"]
    after_change = (stamp >= pd.Timestamp(billed_from, tz="UTC")).to_numpy()
    # In the 100 ms era rounding hides whether INIT was billed; trust the data only after it.
    shown = (
        frame["billed_duration_ms"].to_numpy(float)
        >= np.ceil(np.round(frame["duration_ms"].to_numpy(float) + np.nan_to_num(init) + restore, 6))
    ) & ~(stamp < _ONE_MS_BILLING_FROM).to_numpy()
    return ~np.isnan(init) & (after_change | shown)


def _what_if_columns(
    frame: pd.DataFrame,
    *,
    kind,
    target,
    functions_arch,
    right_size_mb,
    arm64_speed_factor,
    cpu_share,
    threads,
    granularity_ms,
    init_billed_from,
):
    """Per invocation: MB x billed ms as-is (today's rules) and under the scenario."""
    duration = frame["duration_ms"].to_numpy(float)
    memory = frame["memory_size_mb"].to_numpy(float)
    init = np.nan_to_num(frame["init_duration_ms"].to_numpy(float))
    restore = np.nan_to_num(frame["billed_restore_duration_ms"].to_numpy(float))
    billable = _init_billable(frame, init_billed_from)
    billed_ms = frame["billed_duration_ms"].to_numpy(float)
    # Billed time the fields do not explain (a timeout's INIT, a JSON SnapStart restore
    # whose billed part is not logged) is kept as it is; 100 ms-era rounding is not kept.
    extra = billed_ms - np.ceil(np.round(duration + np.where(billable, init, 0.0) + restore, 6))
    stamp = frame["timestamp"]
    hundred_ms_era = (stamp < _ONE_MS_BILLING_FROM).to_numpy() | (
        stamp.isna().to_numpy() & (billed_ms % 100 == 0) & (extra < 100)
    )
    restore = restore + np.where(hundred_ms_era, 0.0, np.maximum(extra, 0.0))
    new_memory = memory
    if kind == "arch":
        measured = frame["function"].map(functions_arch).to_numpy(object)
        on_arm = measured == "arm64"
        x86_dur = arch_duration_ms(duration, target, arm64_speed_factor=arm64_speed_factor, measured_arch="x86_64")
        arm_dur = arch_duration_ms(duration, target, arm64_speed_factor=arm64_speed_factor, measured_arch="arm64")
        x86_init = arch_duration_ms(init, target, arm64_speed_factor=arm64_speed_factor, measured_arch="x86_64")
        arm_init = arch_duration_ms(init, target, arm64_speed_factor=arm64_speed_factor, measured_arch="arm64")
        new_duration, new_init = np.where(on_arm, arm_dur, x86_dur), np.where(on_arm, arm_init, x86_init)
    else:
        if kind == "memory":
            new_memory = np.full_like(memory, target)
        else:
            new_memory = frame["function"].map(right_size_mb).to_numpy(float)
        new_duration = scale_duration_ms(duration, memory, new_memory, cpu_share=cpu_share, threads=threads)
        new_init = scale_duration_ms(init, memory, new_memory, cpu_share=cpu_share, threads=threads)

    def billed(d, i):  # AWS rounds once: ceil(duration + billed INIT + restore)
        return billing.cold_start_billed_ms(np.round(d + np.where(billable, i, 0.0) + restore, 6), 0.0, granularity_ms)

    return pd.DataFrame(
        {
            "function": frame["function"].to_numpy(object),
            "base_mb_ms": (memory * billed(duration, init)).astype("int64"),
            "new_mb_ms": (new_memory * billed(new_duration, new_init)).astype("int64"),
            "new_memory_mb": new_memory.astype("int64"),
        }
    )


def _what_if_meta() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "function": pd.Series([], dtype=object),
            **{c: pd.Series([], dtype="int64") for c in ("base_mb_ms", "new_mb_ms", "new_memory_mb")},
        }
    )


def _sum_by_function(parts) -> pd.DataFrame:
    spec = {"base_mb_ms": "sum", "new_mb_ms": "sum", "new_memory_mb": "max"}
    out = parts.groupby("function").agg(spec)
    out = out.compute() if _is_dask(out) else out
    return out.sort_index().reset_index()


def what_ifs(
    df,
    scenarios: Sequence[str] = ("arm64",),
    *,
    arch="x86_64",
    region="us-east-1",
    as_of=None,
    arm64_speed_factor: float = ARM64_SPEED_FACTOR,
    headroom: float = 0.2,
    cpu_share: float = 1.0,
    threads: float = 1,
    covered_days: float | None = None,
    free_tier: bool = False,
    pricebook: PriceBook | None = None,
) -> pd.DataFrame:
    """Re-price every invocation under each scenario; the saving per function.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        From :func:`lambdacost.readers.logs.read_logs`.
    scenarios : sequence of str
        ``"arm64"`` / ``"x86_64"`` (move to that architecture; duration x
        ``arm64_speed_factor``), ``"memory=1024"`` (duration rescaled with
        :func:`lambdacost.durations.scale_duration_ms`), ``"right-size"`` (memory = max
        memory used x (1 + ``headroom``), rounded up to the era's memory step), or
        ``"right-size=0.3"`` for another headroom.
    arch, region, as_of, covered_days, free_tier, pricebook
        As in :func:`report`: the baseline is the report's cost of the period.
    arm64_speed_factor : float, default ARM64_SPEED_FACTOR
        arm64 duration / x86_64 duration. [ratio]
    headroom : float, default 0.2
        Share above the max memory used kept when right-sizing. [0..1]
    cpu_share, threads : float
        Duration model for memory changes (see :func:`~lambdacost.durations.scale_duration_ms`);
        the default, fully CPU-bound single thread, is an assumption to replace with a
        measurement. INIT is rescaled with the same model.

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, function): ``baseline_cost`` (as billed under the rules of
        ``as_of``), ``what_if_cost``, ``saving``, ``saving_pct``, ``monthly_saving``,
        memory and architecture before and after, GB-s before and after. Requests cost
        the same in both and are included in both. ``monthly_saving`` is nullable
        ``Float64``: ``pd.NA`` for a function whose logs have no time span (as in :func:`report`).
    """
    _check_free_tier(free_tier)
    book = pricebook or default_pricebook()
    day = _resolve_as_of(df, as_of, book)
    headroom = float(check_numeric("headroom", headroom, 0, 1, "(fraction)"))
    arm64_speed_factor = float(
        check_numeric("arm64_speed_factor", arm64_speed_factor, 1e-3, 1e3, "(arm64/x86_64 duration ratio)")
    )
    stats = _function_stats(df)
    functions = stats["function"].tolist()
    rates = _rates(functions, arch, region, day, book)
    era = book.era(day)
    init_billing = book.milestones["init_billing"]
    days = _covered_days(stats, covered_days)
    known, per_month = _per_month(days)
    # Right size: max memory used + headroom, up to the era's memory step and limits.
    wanted = (
        np.ceil(stats["max_memory_used_mb"].to_numpy(float) * (1 + headroom) / era.memory_mb_step) * era.memory_mb_step
    )
    right_size_mb = dict(zip(functions, np.clip(wanted, era.memory_mb_min, era.memory_mb_max)))
    regions = {f: r.region for f, r in rates.items()}
    frames = []
    for text in scenarios:  # a handful of scenarios, each vectorized over all invocations
        kind, target = parse_scenario(text)
        if kind == "right-size" and target is not None:
            wanted = (
                np.ceil(stats["max_memory_used_mb"].to_numpy(float) * (1 + target) / era.memory_mb_step)
                * era.memory_mb_step
            )
            sizes = dict(zip(functions, np.clip(wanted, era.memory_mb_min, era.memory_mb_max)))
        else:
            sizes = right_size_mb
        options = dict(
            kind=kind,
            target=target,
            functions_arch={f: r.arch for f, r in rates.items()},
            right_size_mb=sizes,
            arm64_speed_factor=arm64_speed_factor,
            cpu_share=cpu_share,
            threads=threads,
            granularity_ms=era.granularity_ms,
            init_billed_from=init_billing.date,
        )
        columns = [
            "function",
            "timestamp",
            "duration_ms",
            "billed_duration_ms",
            "memory_size_mb",
            "init_duration_ms",
            "billed_restore_duration_ms",
        ]
        if _is_dask(df):
            parts = df[columns].map_partitions(_what_if_columns, meta=_what_if_meta(), **options)
        else:
            parts = _what_if_columns(df[columns], **options)
        sums = _sum_by_function(parts).set_index("function").loc[functions]
        new_arch = {f: (target if kind == "arch" else r.arch) for f, r in rates.items()}
        new_rates = _rates(functions, new_arch, regions, day, book)
        invocations = stats["invocations"].to_numpy(float)
        base_gb = sums["base_mb_ms"].to_numpy(float) / _MB_MS_PER_GB_S
        new_gb = sums["new_mb_ms"].to_numpy(float) / _MB_MS_PER_GB_S
        base_cards, new_cards = [rates[f] for f in functions], [new_rates[f] for f in functions]
        fraction = _period_fraction(days)  # the same free tier as report() gives the period
        base_free = _free_shares(base_gb, invocations, book, free_tier, fraction)
        new_free = _free_shares(new_gb, invocations, book, free_tier, fraction)
        base_cost = np.add(*_priced(base_gb, invocations, base_cards, book, *base_free))
        new_cost = np.add(*_priced(new_gb, invocations, new_cards, book, *new_free))
        saving = base_cost - new_cost
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(base_cost > 0, 100.0 * saving / base_cost, 0.0)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": str(text),
                    "function": functions,
                    "arch": [r.arch for r in base_cards],
                    "what_if_arch": [r.arch for r in new_cards],
                    "memory_size_mb": stats["memory_size_mb"].to_numpy(),
                    "what_if_memory_mb": sums["new_memory_mb"].to_numpy(),
                    "baseline_gb_seconds": base_gb,
                    "what_if_gb_seconds": new_gb,
                    "baseline_cost": base_cost,
                    "what_if_cost": new_cost,
                    "saving": saving,
                    "saving_pct": pct,
                    "monthly_saving": _not_known_where(saving * per_month, known),
                    "currency": _currency_column(rates, len(functions)),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    assumptions = [
        f"arm64 duration = x86_64 duration x {arm64_speed_factor:g} (arm64_speed_factor), INIT included",
        f"memory changes rescale duration and INIT with scale_duration_ms(cpu_share={cpu_share:g}, threads={threads:g})",
        f"INIT billable on/after {init_billing.date} ({init_billing.source.url}) or where the billed duration shows it",
        "billed time the REPORT fields do not explain is kept unchanged in the what-if",
        f"baseline and what-if are both re-derived per invocation under the {era.name} billing rules of {day}",
    ]
    no_span = tuple(f for f, k in zip(functions, known) if not k)
    assumptions += _span_notes(functions, days, known, covered_days is not None)
    out.attrs = {
        "as_of": day,
        "covered_days": _span(days),
        "no_span": no_span,
        "assumptions": assumptions,
        "free_tier": free_tier,
    }
    return out
