"""Memory and architecture tuning, offline: which configuration to pick, and why.

:func:`tune` prices every memory size (1 MB steps, or a list) on both architectures, with
the duration at each size from a model of :mod:`lambdacost.durations` (one measurement and
Amdahl's law, or measured points, or an AWS Lambda Power Tuning run), and ranks them under
a strategy, as Power Tuning's analyzer does:

* ``"cost"``: the lowest monthly cost;
* ``"speed"``: the shortest duration;
* ``"balanced"``: the lowest ``weight * cost / max(cost) + (1 - weight) * duration /
  max(duration)`` (``weight`` 1 is ``cost``, 0 is ``speed``).

Ties go to the faster option, then to the cheaper, then to the smaller memory size. The
whole table is returned, not only the winner. Costs come from
:func:`~lambdacost.monthly_cost`: requests, volume tiers, the free tier, the region and
arm64 rates all count.

Examples
--------
800 ms measured at 1024 MB, 70 % CPU-bound, single-threaded, 5 million requests a month.
The 30 % of I/O makes small sizes cheapest; the fastest is 1,769 MB (one vCPU: a single
thread gains nothing above it, and among equally fast sizes the cheapest wins).

>>> from lambdacost.tuning import tune
>>> inputs = dict(duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, as_of="2026-11-01")
>>> tune(5e6, **inputs).best[["memory_mb", "arch"]].to_dict()
{'memory_mb': 128, 'arch': 'arm64'}
>>> tune(5e6, strategy="speed", **inputs).best[["memory_mb", "arch"]].to_dict()
{'memory_mb': 1769, 'arch': 'arm64'}
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from .durations import ARM64_SPEED_FACTOR, arch_duration_ms, interpolate_duration_ms, scale_duration_ms
from .errors import InvalidParameterError
from .prices import ARCHITECTURES, PriceBook, default_pricebook
from .readers.power_tuning import read_power_tuning
from .rules import vcpus
from .tables import label_column
from .validation import check_choice, check_numeric, to_date

__all__ = ["STRATEGIES", "DURATION_SOURCES", "Tuning", "tune", "recommend"]

STRATEGIES = ("cost", "speed", "balanced")
#: How a size's duration was had: a measurement, between two measured sizes, outside the
#: measured sizes (below the smallest: the first segment extended; above the largest: held
#: flat), or from one measurement by Amdahl's law.
DURATION_SOURCES = ("measured", "interpolated", "extrapolated", "modelled")


@dataclass(frozen=True)
class Tuning:
    """The result of :func:`tune`: every configuration, ranked, and the recommendation.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (memory_mb, arch): ``memory_mb``, ``arch``, ``vcpus``, ``duration_ms``,
        ``measured`` (the duration is a measurement, not a model), ``duration_source``
        (:data:`DURATION_SOURCES`: how the duration at that size was had, on the measured
        architecture; the other's is that times the arm64 speed factor),
        ``price_per_invocation`` (no free tier), ``cost``, ``score``, ``rank``
        (1 = recommended) and ``recommended``.
    strategy : str
    weight : float
        The ``balanced`` weight (1 = cost only, 0 = speed only).
    requests : float
        Invocations per month. [count]
    currency : str
        What ``cost`` and ``price_per_invocation`` are in: ``"USD"``, or ``"CNY"`` in the China
        regions (also the table's ``currency`` column).
    assumptions : tuple of str
        How the durations were had: the duration model, its range and the arm64 factor.
    warnings : tuple of str
        What the recommendation rests on that was not measured: an extrapolated size, or an
        architecture chosen from the other one's measurements.
    """

    table: object
    strategy: str
    weight: float
    requests: float
    currency: str
    assumptions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def best(self):
        """The recommended row (a pandas Series)."""
        return self.table.loc[self.table["recommended"]].iloc[0]

    def to_frame(self):
        """Every configuration, ranked: the :attr:`table`."""
        return self.table.copy()

    def to_dict(self) -> dict:
        """JSON-ready: ``strategy``, ``weight``, ``requests``, ``currency``, ``best``, ``warnings``,
        ``assumptions`` and the full ``table``."""
        records = self.table.astype({"arch": str, "currency": str}).to_dict(orient="records")
        best = self.table.index.get_loc(self.best.name)
        return {
            "strategy": self.strategy,
            "weight": self.weight,
            "requests": self.requests,
            "currency": self.currency,
            "best": records[best],
            "warnings": list(self.warnings),
            "assumptions": list(self.assumptions),
            "table": records,
        }


def recommend(table, strategy: str = "cost", weight: float = 0.5, *, cost_column: str = "cost"):
    """Score and rank a table of configurations under a strategy.

    Parameters
    ----------
    table : pandas.DataFrame
        With ``duration_ms`` [ms], ``memory_mb`` [MB] and ``cost_column`` [currency] columns.
    strategy : {"cost", "speed", "balanced"}
    weight : float, default 0.5
        For ``balanced``: 1 is cost only, 0 is speed only. [0..1]
    cost_column : str, default "cost"

    Returns
    -------
    pandas.DataFrame
        A copy with ``score``, ``rank`` (1 = best; ties to the faster, then the cheaper,
        then the smaller memory) and ``recommended`` (True on the rank-1 row).

    Examples
    --------
    Two configurations cost the same: the faster one wins.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"memory_mb": [512, 1024, 2048], "duration_ms": [200.0, 100.0, 60.0],
    ...                   "cost": [10.0, 10.0, 12.0]})
    >>> recommend(t, "cost").query("recommended").memory_mb.tolist()
    [1024]
    >>> recommend(t, "balanced", 0.3)["score"].round(3).tolist()
    [0.95, 0.6, 0.51]
    """
    check_choice("strategy", strategy, STRATEGIES)
    weight = check_numeric("weight", weight, 0, 1, "(1 = cost only, 0 = speed only)")
    for name in ("memory_mb", "duration_ms", cost_column):
        if name not in table.columns:
            raise InvalidParameterError("table", f"a DataFrame with a {name!r} column", list(table.columns))
    cost = table[cost_column].to_numpy(dtype=float)
    duration = table["duration_ms"].to_numpy(dtype=float)
    if strategy == "cost":
        score = cost
    elif strategy == "speed":
        score = duration
    else:
        score = weight * _share_of_max(cost) + (1 - weight) * _share_of_max(duration)
    order = np.lexsort((table["memory_mb"].to_numpy(dtype=float), cost, duration, score))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    out = table.copy()
    out["score"] = score
    out["rank"] = rank
    out["recommended"] = rank == 1
    return out


def _share_of_max(values: np.ndarray) -> np.ndarray:
    """``values / max(values)``; all zeros when the maximum is 0 (e.g. all inside the free tier)."""
    top = values.max(initial=0.0)
    return values / top if top > 0 else np.zeros_like(values)


def _measured_points(measured):
    if isinstance(measured, dict):
        return np.asarray(list(measured.keys()), dtype=float), np.asarray(list(measured.values()), dtype=float)
    try:
        sizes, times = measured
    except (TypeError, ValueError):
        raise InvalidParameterError(
            "measured", "a {memory_mb: duration_ms} mapping or a (memory_mb, duration_ms) pair", measured
        ) from None
    return np.asarray(sizes, dtype=float), np.asarray(times, dtype=float)


def tune(
    requests,
    *,
    duration_ms=None,
    measured_memory_mb=None,
    cpu_share=1.0,
    threads=1,
    measured=None,
    power_tuning=None,
    measured_arch: str = "x86_64",
    arm64_speed_factor=ARM64_SPEED_FACTOR,
    memory_mb=None,
    arch=ARCHITECTURES,
    strategy: str = "cost",
    weight: float = 0.5,
    region: str = "us-east-1",
    ephemeral_storage_mb=512,
    free_tier: bool = True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
) -> Tuning:
    """Price every memory size on every architecture and recommend one.

    Give the duration in exactly one way:

    * ``duration_ms`` measured at ``measured_memory_mb``, with ``cpu_share`` and
      ``threads``: scaled by :func:`~lambdacost.durations.scale_duration_ms`;
    * ``measured``: durations at several sizes, joined by
      :func:`~lambdacost.durations.interpolate_duration_ms`;
    * ``power_tuning``: a Power Tuning result (see :func:`read_power_tuning`); by default
      only the sizes it measured are priced.

    Durations are for ``measured_arch``; the other architecture's follow from
    ``arm64_speed_factor`` (arm64 / x86_64 duration, see
    :func:`~lambdacost.durations.arch_duration_ms`).

    Parameters
    ----------
    requests : float
        Invocations per ``requests_per``. [count]
    duration_ms : float, optional
        One measured duration. [ms]
    measured_memory_mb : float, optional
        The memory it was measured at. [MB]
    cpu_share : float, default 1.0
        CPU-bound share of ``duration_ms``. [0..1]
    threads : float, default 1
        Threads the code keeps busy. [>= 1]
    measured : mapping or pair of sequences, optional
        ``{memory_mb: duration_ms}``. [MB] -> [ms]
    power_tuning : str, os.PathLike or dict, optional
        Power Tuning output (file, JSON text or parsed).
    measured_arch : {"x86_64", "arm64"}
    arm64_speed_factor : float, default 1.0
    memory_mb : sequence of int, optional
        Sizes to consider; default every size of the era in 1 MB steps (the measured sizes
        for ``power_tuning``). [MB]
    arch : str or sequence of str, default both
    strategy : {"cost", "speed", "balanced"}
    weight : float, default 0.5
        For ``balanced``: 1 is cost only, 0 is speed only. [0..1]
    region, ephemeral_storage_mb, free_tier, as_of, requests_per, pricebook
        As in :func:`~lambdacost.monthly_cost`.

    Returns
    -------
    Tuning

    Examples
    --------
    Pure I/O work (nothing gets faster with memory): the smallest size is cheapest.

    >>> r = tune(1e8, duration_ms=300, measured_memory_mb=1024, cpu_share=0, as_of="2026-11-01")
    >>> r.best[["memory_mb", "arch", "duration_ms"]].to_dict()
    {'memory_mb': 128, 'arch': 'arm64', 'duration_ms': 300.0}
    >>> len(r.table)  # 10,113 sizes x 2 architectures
    20226
    """
    import pandas as pd

    from .engine import rate_table
    from .monthly import monthly_cost

    check_choice("strategy", strategy, STRATEGIES)
    weight = float(check_numeric("weight", weight, 0, 1, "(1 = cost only, 0 = speed only)"))
    check_choice("measured_arch", measured_arch, ARCHITECTURES)
    given = [
        name
        for name, value in (("duration_ms", duration_ms), ("measured", measured), ("power_tuning", power_tuning))
        if value is not None
    ]
    if len(given) != 1:
        raise InvalidParameterError(
            "duration_ms",
            "given in exactly one way: duration_ms, measured or power_tuning",
            f"{len(given)} ways ({', '.join(given) or 'none'})",
        )
    book = pricebook or default_pricebook()
    era = book.era(to_date(as_of, book.earliest))
    is_measured = None
    if power_tuning is not None:
        stats = read_power_tuning(power_tuning)
        sizes, times = stats.memory_mb.to_numpy(), stats.duration_ms.to_numpy()
        # the run's sizes must exist in the billing era asked for: blamed on the file, not on --memory
        outside = np.flatnonzero((sizes < era.memory_mb_min) | (sizes > era.memory_mb_max))
        if outside.size:
            where = power_tuning if isinstance(power_tuning, str | os.PathLike) else "power_tuning"
            allowed = f"a size in {era.memory_mb_min}..{era.memory_mb_max} MB (the {era.name} era's)"
            raise InvalidParameterError(f"{where} stats value", allowed, int(sizes[outside[0]]))
    elif measured is not None:
        sizes, times = _measured_points(measured)
        check_numeric("measured_memory_mb", sizes, era.memory_mb_min, era.memory_mb_max, "MB")
    if memory_mb is None:
        memory_mb = (
            sizes
            if power_tuning is not None
            else np.arange(era.memory_mb_min, era.memory_mb_max + 1, era.memory_mb_step)
        )
    memory = np.atleast_1d(
        check_numeric(
            "memory_mb",
            np.asarray(memory_mb, dtype=float),
            era.memory_mb_min,
            era.memory_mb_max,
            "MB",
            step=era.memory_mb_step,
        )
    )
    if memory.ndim != 1 or memory.size == 0:
        raise InvalidParameterError("memory_mb", "a non-empty 1-D sequence", memory_mb)
    archs = np.atleast_1d(np.asarray(arch, dtype=object))
    check_choice("arch", archs, ARCHITECTURES)
    if duration_ms is not None:
        if measured_memory_mb is None:
            raise InvalidParameterError("measured_memory_mb", "the memory duration_ms was measured at", None)
        check_numeric("measured_memory_mb", measured_memory_mb, era.memory_mb_min, era.memory_mb_max, "MB")
        base = scale_duration_ms(duration_ms, measured_memory_mb, memory, cpu_share=cpu_share, threads=threads)
        is_measured = memory == float(measured_memory_mb)
    elif len(sizes) == 1:
        base = np.where(memory == sizes[0], times[0], np.nan)
        if np.isnan(base).any():
            raise InvalidParameterError(
                "memory_mb", f"the one measured size ({sizes[0]:g} MB) when only one is measured", memory_mb
            )
    else:
        base = interpolate_duration_ms(memory, sizes, times)
    if is_measured is None:
        is_measured = np.isin(memory, sizes)
    if duration_ms is not None:
        source = np.where(is_measured, "measured", "modelled")
        low = high = float(measured_memory_mb)
        assumptions = [
            f"durations at other sizes are modelled from one measurement ({float(duration_ms):,.6g} ms at "
            f"{low:,.0f} MB on {measured_arch}) by Amdahl's law: {float(cpu_share):.0%} CPU-bound, "
            f"{float(threads):g} thread(s), CPU in proportion to memory up to one vCPU at 1,769 MB "
            "(lambdacost.durations.scale_duration_ms)"
        ]
    else:
        low, high = float(np.min(sizes)), float(np.max(sizes))
        inside = (memory >= low) & (memory <= high)
        source = np.where(is_measured, "measured", np.where(inside, "interpolated", "extrapolated"))
        what = "the Power Tuning run's" if power_tuning is not None else "the"
        assumptions = [f"durations are {what} measurements at {_sizes(sizes)} MB on {measured_arch}"]
        if len(sizes) > 1 and (source == "interpolated").any():
            assumptions.append("between two measured sizes, the duration is linear in 1/vCPU (Amdahl's form)")
        if (memory < low).any():
            assumptions.append(
                f"below {low:,.0f} MB the durations are extrapolated: the first measured segment extended, "
                f"never faster than at {low:,.0f} MB nor slower than all-CPU work"
            )
        if (memory > high).any():
            assumptions.append(
                f"above {high:,.0f} MB the durations are extrapolated: held at the {high:,.0f} MB measurement "
                "(no speed-up assumed that was not measured)"
            )
    others = [str(a) for a in dict.fromkeys(archs.tolist()) if a != measured_arch]
    factor = float(check_numeric("arm64_speed_factor", arm64_speed_factor, 1e-3, 1e3, "(arm64/x86_64 duration ratio)"))
    if others:
        how = f"x {factor:g}" if measured_arch == "x86_64" else f"/ {factor:g}"
        equal = "; 1 = equal speed, an assumption, not a measurement" if factor == 1.0 else ""
        assumptions.append(
            f"{others[0]} durations are the {measured_arch} ones {how} "
            f"(arm64_speed_factor: arm64 duration / x86_64 duration{equal})"
        )
    # Rows: memory-major, then architecture (one (M, A) grid, raveled).
    duration = arch_duration_ms(
        np.asarray(base)[:, None], archs[None, :], arm64_speed_factor=arm64_speed_factor, measured_arch=measured_arch
    )
    arch_grid = np.broadcast_to(archs[None, :], duration.shape)
    memory_grid = np.broadcast_to(memory[:, None], duration.shape)
    common = dict(
        arch=arch_grid.astype(str),
        region=region,
        ephemeral_storage_mb=ephemeral_storage_mb,
        as_of=as_of,
        pricebook=book,
    )
    cost = monthly_cost(memory_grid, duration, requests, free_tier=free_tier, requests_per=requests_per, **common)
    per_invocation_cost = monthly_cost(memory_grid, duration, 1.0, free_tier=False, **common)
    monthly_requests = float(np.asarray(check_numeric("requests", requests, 0, np.inf, "requests"))) * _factor(
        requests_per
    )
    table = pd.DataFrame(
        {
            "memory_mb": memory_grid.reshape(-1).astype(np.int64),
            "arch": pd.Categorical(arch_grid.reshape(-1).astype(str), categories=list(ARCHITECTURES)),
            "vcpus": vcpus(memory_grid).reshape(-1),
            "duration_ms": np.asarray(duration, dtype=float).reshape(-1),
            "measured": np.broadcast_to(np.asarray(is_measured)[:, None], duration.shape).reshape(-1)
            & (arch_grid.reshape(-1) == measured_arch),
            "duration_source": pd.Categorical(
                np.broadcast_to(source[:, None], duration.shape).reshape(-1), categories=list(DURATION_SOURCES)
            ),
            "price_per_invocation": np.asarray(per_invocation_cost).reshape(-1),
            "cost": np.asarray(cost).reshape(-1),
        }
    )
    currency = rate_table(book, measured_arch, region, to_date(as_of, book.earliest)).currency
    table["currency"] = label_column(currency, len(table))
    ranked = recommend(table, strategy, weight)
    best = ranked.loc[ranked["recommended"]].iloc[0]
    warnings = []
    if best["duration_source"] == "extrapolated":
        warnings.append(
            f"the recommended {int(best['memory_mb']):,} MB is outside the measured sizes "
            f"({low:,.0f}-{high:,.0f} MB): its {float(best['duration_ms']):,.6g} ms is extrapolated, not "
            f"measured; measure it, or limit memory_mb to {low:,.0f}..{high:,.0f}"
        )
    if str(best["arch"]) != measured_arch:
        warnings.append(
            f"{best['arch']} is recommended from {measured_arch} measurements with arm64_speed_factor "
            f"{factor:g}"
            + (" (equal speed assumed)" if factor == 1.0 else "")
            + f": measure on {best['arch']} to confirm"
        )
    return Tuning(ranked, strategy, weight, monthly_requests, currency, tuple(assumptions), tuple(warnings))


def _sizes(sizes) -> str:
    """Measured sizes for a sentence: ``512, 1,024 and 2,048``."""
    names = [f"{float(m):,.0f}" for m in sorted(np.asarray(sizes, dtype=float).tolist())]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _factor(requests_per: str) -> float:
    from .validation import requests_per_month_factor

    return requests_per_month_factor(requests_per)
