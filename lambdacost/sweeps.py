"""Cost surfaces: the model of :func:`~lambdacost.monthly_cost` over a cartesian grid.

The numpy core broadcasts element-wise only; the cartesian product is made here, once,
as an *open mesh*: each axis becomes an array that is long along its own dimension and 1
along the others (``np.ix_`` style), so the core computes the product by broadcasting,
and operations on one axis (billed duration, request charge) run once per value, not once
per scenario. Rates are looked up once per unique (arch, region) pair and broadcast the
same way. Three ways out:

* :func:`sweep` returns a tidy DataFrame, one row per scenario;
* :func:`sweep` with ``reduce=`` walks the grid in chunks of ``chunk_rows`` scenarios and
  keeps only the reduction (cheapest/dearest scenario, sum or mean per group), so the
  memory used does not grow with the grid;
* :func:`cost_grid` returns the N-dimensional cost arrays, as numpy arrays or, with
  ``chunks=``, as lazy ``dask.array`` arrays over the same core, for grids larger than
  memory.

Rows, and the axes of :func:`cost_grid`, follow :data:`DIMS`: ``memory_mb`` varies slowest,
``free_tier`` fastest (the order of ``itertools.product`` over the axes in that order).

Examples
--------
>>> from lambdacost.sweeps import sweep
>>> frame = sweep([128, 1024], 120, [1e6, 1e7], arch=["x86_64", "arm64"], as_of="2026-11-01")
>>> frame.shape
(8, 12)
>>> frame.loc[frame.total_usd.idxmax(), ["memory_mb", "requests", "arch"]].to_dict()
{'memory_mb': 1024.0, 'requests': 10000000.0, 'arch': 'x86_64'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import prod

import numpy as np

from . import billing
from .errors import InvalidParameterError
from .prices import ARCHITECTURES, PriceBook, default_pricebook
from .validation import check_choice, check_numeric, requests_per_month_factor, to_date

__all__ = ["DIMS", "COST_COLUMNS", "REDUCTIONS", "CostGrid", "cost_grid", "sweep"]

#: The axes of a sweep, slowest-varying first.
DIMS = ("memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", "free_tier")
#: The cost components of every scenario.
COST_COLUMNS = ("gb_seconds", "compute_usd", "request_usd", "storage_usd", "total_usd")
#: What ``sweep(..., reduce=...)`` can keep of each group.
REDUCTIONS = ("min", "max", "sum", "mean")
#: Scenarios evaluated at once by a chunked reduction: ~10 arrays of 8 MB each.
DEFAULT_CHUNK_ROWS = 1 << 20
_STRINGS = ("arch", "region")


@dataclass(frozen=True)
class CostGrid:
    """The cost of every scenario of a cartesian grid, as N-dimensional arrays.

    Attributes
    ----------
    dims : tuple of str
        The axis names, :data:`DIMS`.
    coords : dict of str to ndarray
        The values along each axis (``requests`` per month), in ``dims`` order.
    gb_seconds, compute_usd, request_usd, storage_usd, total_usd : ndarray or dask array
        Each of shape ``shape``. [GB-s], [USD]
    """

    dims: tuple[str, ...]
    coords: dict
    gb_seconds: object
    compute_usd: object
    request_usd: object
    storage_usd: object
    total_usd: object

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values along each axis."""
        return tuple(len(self.coords[d]) for d in self.dims)

    @property
    def size(self) -> int:
        """Number of scenarios."""
        return prod(self.shape)


@dataclass(frozen=True)
class _Grid:
    """Validated axes and the rate table of their (arch, region) pairs."""

    coords: dict  # name -> 1-D ndarray, requests already per month
    rates: dict  # operand name -> ndarray of shape (n_arch, n_region)
    tiers: int
    granularity_ms: float
    free_requests: float
    free_gb_seconds: float

    @property
    def shape(self):
        return tuple(len(self.coords[d]) for d in DIMS)

    def storage_billed(self) -> bool:
        return bool(np.any(self.coords["ephemeral_storage_mb"] > billing.EPHEMERAL_STORAGE_INCLUDED_MB))


def _axis(name, values) -> np.ndarray:
    array = np.atleast_1d(np.asarray(values, dtype=object if name in _STRINGS else None))
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(name, "a value or a non-empty 1-D sequence", values)
    return array


def _prepare(
    memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of, requests_per, pricebook
) -> _Grid:
    """Validate every axis at the edge (as :func:`~lambdacost.estimate` does) and build the rate table."""
    book: PriceBook = pricebook or default_pricebook()
    day = to_date(as_of, book.earliest) or date.today()
    archs, regions = _axis("arch", arch), _axis("region", region)
    check_choice("arch", archs, ARCHITECTURES)
    table = [[book.rates(str(r), str(a), day) for r in regions] for a in archs]
    reference = table[0][0]
    era = reference.era
    memory = check_numeric(
        "memory_mb", _axis("memory_mb", memory_mb), era.memory_mb_min, era.memory_mb_max, "MB", step=era.memory_mb_step
    )
    duration = check_numeric("duration_ms", _axis("duration_ms", duration_ms), 0, era.max_duration_ms, "ms")
    monthly = check_numeric("requests", _axis("requests", requests), 0, np.inf, "requests") * requests_per_month_factor(
        requests_per
    )
    storage_in = _axis("ephemeral_storage_mb", ephemeral_storage_mb)
    if reference.ephemeral_storage_mb_max == 512 and np.any(storage_in != 512):
        raise InvalidParameterError(
            "ephemeral_storage_mb", f"512 MB on {day} (configurable /tmp came later)", ephemeral_storage_mb
        )
    storage = check_numeric("ephemeral_storage_mb", storage_in, 512, reference.ephemeral_storage_mb_max, "MB", step=1)
    free = _axis("free_tier", free_tier)
    if free.dtype != bool:
        raise InvalidParameterError("free_tier", "True or False", free.tolist())
    flat = [rates for row in table for rates in row]
    tiers = max(len(r.tier_usd_per_gb_second) for r in flat)

    def padded(values):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (tiers - len(values))

    operands = {
        "usd_per_request": [r.request_usd for r in flat],
        "storage_usd_per_gb_second": [r.ephemeral_storage_usd_per_gb_second for r in flat],
    }
    for i in range(tiers):
        operands[f"tier_rate_{i}"] = [padded(r.tier_usd_per_gb_second)[i] for r in flat]
        operands[f"tier_start_{i}"] = [padded(r.tier_from_gb_seconds)[i] for r in flat]
    shape = (len(archs), len(regions))
    coords = {
        "memory_mb": memory,
        "duration_ms": duration,
        "requests": monthly,
        "arch": archs.astype(str),
        "region": regions.astype(str),
        "ephemeral_storage_mb": storage,
        "free_tier": free,
    }
    return _Grid(
        coords=coords,
        rates={name: np.asarray(values, dtype=float).reshape(shape) for name, values in operands.items()},
        tiers=tiers,
        granularity_ms=reference.granularity_ms,
        free_requests=reference.free_tier.requests,
        free_gb_seconds=reference.free_tier.gb_seconds,
    )


def _components(grid: _Grid, memory_mb, duration_ms, requests, storage_mb, free, rates: dict) -> dict:
    """Every cost component, by the core in :mod:`lambdacost.billing`, for broadcastable operands.

    The same arithmetic, in the same order, as :func:`lambdacost.billing.monthly_cost_usd`,
    so totals agree with :func:`~lambdacost.monthly_cost` to the last bit.
    """
    billed = billing.billed_duration_ms(duration_ms, grid.granularity_ms)
    usage = billing.gb_seconds(memory_mb, billed, requests)
    compute = billing.tiered_duration_usd(
        usage,
        [rates[f"tier_rate_{i}"] for i in range(grid.tiers)],
        [rates[f"tier_start_{i}"] for i in range(grid.tiers)],
        free * grid.free_gb_seconds,
    )
    request = billing.request_usd(requests, rates["usd_per_request"], free * grid.free_requests)
    total = compute + request
    if grid.storage_billed():
        storage = (
            billing.ephemeral_storage_gb_seconds(storage_mb, billed, requests) * rates["storage_usd_per_gb_second"]
        )
        total = total + storage
    else:
        storage = 0.0  # nothing above the included 512 MB
    return {
        "gb_seconds": usage,
        "compute_usd": compute,
        "request_usd": request,
        "storage_usd": storage,
        "total_usd": total,
    }


def _mesh_rates(grid: _Grid, ndim: int, arch_axis: int) -> dict:
    """The rate table shaped to broadcast over the (arch, region) axes; scalars if one pair."""
    if grid.rates["usd_per_request"].size == 1:
        return {name: float(table[0, 0]) for name, table in grid.rates.items()}
    shape = [1] * ndim
    shape[arch_axis : arch_axis + 2] = grid.rates["usd_per_request"].shape
    return {name: table.reshape(shape) for name, table in grid.rates.items()}


def _open_mesh(grid: _Grid, wrap=None) -> dict:
    """Each numeric axis long along its own dimension, 1 elsewhere (``np.ix_``)."""
    mesh = {}
    for k, name in enumerate(DIMS):
        if name in _STRINGS:
            continue
        shape = [1] * len(DIMS)
        shape[k] = -1
        values = grid.coords[name].reshape(shape)
        mesh[name] = wrap(values, k) if wrap else values
    return mesh


def _grid_arrays(grid: _Grid, wrap=None, broadcast=np.broadcast_to) -> dict:
    mesh = _open_mesh(grid, wrap)
    rates = _mesh_rates(grid, len(DIMS), DIMS.index("arch"))
    parts = _components(
        grid,
        mesh["memory_mb"],
        mesh["duration_ms"],
        mesh["requests"],
        mesh["ephemeral_storage_mb"],
        mesh["free_tier"],
        rates,
    )
    return {name: broadcast(value, grid.shape) for name, value in parts.items()}


def cost_grid(
    memory_mb,
    duration_ms,
    requests,
    *,
    arch="x86_64",
    region="us-east-1",
    ephemeral_storage_mb=512,
    free_tier=True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
    chunks: int | None = None,
) -> CostGrid:
    """Cost components of every scenario of the grid, as N-dimensional arrays.

    Parameters
    ----------
    memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier
        Each a value or a 1-D sequence; as in :func:`~lambdacost.monthly_cost`.
        [MB], [ms], [count per ``requests_per``], -, -, [MB], -
    as_of, requests_per, pricebook
        As in :func:`~lambdacost.monthly_cost`.
    chunks : int, optional
        If given, return lazy ``dask.array`` arrays in blocks of at most about this many
        scenarios, computed by the same core chunk by chunk (requires dask).

    Returns
    -------
    CostGrid
        Arrays of shape ``(len(memory_mb), len(duration_ms), ..., len(free_tier))``.

    Examples
    --------
    >>> from lambdacost.sweeps import cost_grid
    >>> grid = cost_grid([128, 256, 512], 100, [1e6, 1e8], arch=["x86_64", "arm64"], as_of="2026-11-01")
    >>> grid.shape
    (3, 1, 2, 2, 1, 1, 1)
    >>> cheapest = grid.total_usd[..., 0, 0, 0].argmin(axis=0)  # per (duration, requests, arch)
    >>> grid.coords["memory_mb"][cheapest].ravel().tolist()
    [128.0, 128.0, 128.0, 128.0]
    """
    grid = _prepare(
        memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of, requests_per, pricebook
    )
    if chunks is None:
        arrays = _grid_arrays(grid)
    else:
        import dask.array as da

        sizes = _block_shape(grid.shape, check_numeric("chunks", chunks, 1, np.inf, "scenarios"))

        def wrap(values, k):
            return da.from_array(values, chunks=tuple(sizes[k] if i == k else 1 for i in range(len(DIMS))))

        arrays = _grid_arrays(grid, wrap, broadcast=lambda value, shape: da.broadcast_to(value, shape, chunks=sizes))
    return CostGrid(DIMS, dict(grid.coords), **arrays)


def _block_shape(shape, target_rows) -> tuple[int, ...]:
    """Block sizes per axis with about ``target_rows`` scenarios per block: halve the largest."""
    sizes = list(shape)
    while prod(sizes) > target_rows and max(sizes) > 1:
        k = int(np.argmax(sizes))
        sizes[k] = -(-sizes[k] // 2)
    return tuple(sizes)


def sweep(
    memory_mb,
    duration_ms,
    requests,
    *,
    arch="x86_64",
    region="us-east-1",
    ephemeral_storage_mb=512,
    free_tier=True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
    reduce: str | None = None,
    by=(),
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
):
    """Price every combination of the given inputs: a tidy DataFrame, or its reduction.

    Every input of :func:`~lambdacost.monthly_cost` may be a value or a sequence; the
    result has one row per scenario of their cartesian product (see :data:`DIMS` for the
    order), a column per input and a column per cost component (:data:`COST_COLUMNS`).
    Each row is priced like one function alone in an account-month, exactly as
    :func:`~lambdacost.estimate` prices it.

    Parameters
    ----------
    memory_mb, duration_ms, requests : numeric or sequence
        [MB], [ms], [count per ``requests_per``]
    arch, region : str or sequence of str
    ephemeral_storage_mb : numeric or sequence, default 512
        [MB]
    free_tier : bool or sequence of bool, default True
    as_of, requests_per, pricebook
        As in :func:`~lambdacost.monthly_cost` (one date for the whole grid).
    reduce : {"min", "max", "sum", "mean"}, optional
        Evaluate in chunks of ``chunk_rows`` scenarios and return only, per group of
        ``by``: the cheapest (``"min"``) or dearest (``"max"``) scenario, as a full row
        (ties go to the first in grid order, i.e. the smallest memory); or the ``"sum"`` or
        ``"mean"`` of each cost column, with a ``scenarios`` count. Memory use is bounded
        by ``chunk_rows`` and the number of groups, whatever the grid's size.
    by : str or sequence of str, default ()
        Axes to group by for ``reduce``; none: one row for the whole grid.
    chunk_rows : int, default 2**20
        Scenarios evaluated at once by a reduction.

    Returns
    -------
    pandas.DataFrame
        ``requests`` is per month; ``arch`` and ``region`` are categorical.

    Examples
    --------
    The cheapest memory size per architecture for 120 ms at 10 million requests (a
    duration that does not depend on memory favours the smallest size):

    >>> best = sweep(range(128, 1025, 64), 120, 1e7, arch=["x86_64", "arm64"], as_of="2026-11-01",
    ...              reduce="min", by="arch")
    >>> best[["arch", "memory_mb", "total_usd"]].round(2).values.tolist()
    [['x86_64', 128.0, 1.8], ['arm64', 128.0, 1.8]]
    """
    grid = _prepare(
        memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of, requests_per, pricebook
    )
    if reduce is not None:
        return _reduced(grid, reduce, by, chunk_rows)
    if by not in ((), [], None):
        raise InvalidParameterError("by", "empty unless reduce is given", by)
    return _frame(grid, np.indices(grid.shape, sparse=True), _grid_arrays(grid))


def _frame(grid: _Grid, index_per_dim, costs: dict, names=DIMS, cost_names=COST_COLUMNS):
    """The tidy table: each input gathered by its index array, then the cost columns.

    ``index_per_dim`` holds one integer array per axis in ``names``, all broadcastable to
    the rows' shape: the sparse ``np.indices`` of the grid for the full table, or equal-length
    1-D arrays for selected scenarios.
    """
    import pandas as pd

    shape = np.broadcast_shapes(*(np.shape(idx) for idx in index_per_dim), *(np.shape(costs[c]) for c in cost_names))
    columns = {}
    for name, idx in zip(names, index_per_dim):
        if name in _STRINGS:
            categories, codes = _categories(grid.coords[name])
            columns[name] = pd.Categorical.from_codes(
                np.broadcast_to(codes[idx], shape).reshape(-1), categories=categories
            )
        else:
            columns[name] = np.broadcast_to(grid.coords[name][idx], shape).reshape(-1)
    for name in cost_names:
        columns[name] = np.broadcast_to(costs[name], shape).reshape(-1)
    return pd.DataFrame(columns, copy=False)


def _categories(values: np.ndarray):
    """Distinct values in order of first appearance (the order the user gave), and codes."""
    unique, first, codes = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return unique[order], rank[codes]


def _reduced(grid: _Grid, reduce, by, chunk_rows):
    """Walk the grid chunk by chunk, keeping only the reduction per group of ``by``.

    The axes are ordered ``by`` first, so each group is a contiguous run of ``block`` flat
    indices; every chunk holds whole groups or lies inside one, and each chunk's groups
    are reduced with ``ufunc.reduceat`` (a loop over chunks, never over scenarios).
    """
    if reduce not in REDUCTIONS:
        raise InvalidParameterError("reduce", "one of " + ", ".join(map(repr, REDUCTIONS)), reduce)
    by = (by,) if isinstance(by, str) else tuple(by or ())
    for name in by:
        if name not in DIMS:
            raise InvalidParameterError("by", "axis names among " + ", ".join(DIMS), name)
    if len(set(by)) != len(by):
        raise InvalidParameterError("by", "distinct axis names", list(by))
    chunk_rows = int(check_numeric("chunk_rows", chunk_rows, 1, np.inf, "scenarios", step=1))
    order = by + tuple(d for d in DIMS if d not in by)
    lens = tuple(len(grid.coords[d]) for d in order)
    groups, block = prod(lens[: len(by)]), prod(lens[len(by) :])
    table_size = grid.rates["usd_per_request"].size
    n_regions = len(grid.coords["region"])

    def evaluate(flat):
        """Per-axis indices (DIMS order) and the cost components of flat scenarios."""
        index = dict(zip(order, np.unravel_index(flat, lens)))
        # A one-value axis stays a scalar: no gather, no array.
        value = {
            d: grid.coords[d][index[d]] if len(grid.coords[d]) > 1 else grid.coords[d][0]
            for d in DIMS
            if d not in _STRINGS
        }
        if table_size == 1:
            rates = {name: float(table[0, 0]) for name, table in grid.rates.items()}
        else:
            pair = index["arch"] * n_regions + index["region"]
            rates = {name: table.reshape(-1)[pair] for name, table in grid.rates.items()}
        parts = _components(
            grid,
            value["memory_mb"],
            value["duration_ms"],
            value["requests"],
            value["ephemeral_storage_mb"],
            value["free_tier"],
            rates,
        )
        return [index[d] for d in DIMS], {name: np.broadcast_to(v, flat.shape) for name, v in parts.items()}

    keep_min = reduce == "min"
    if reduce in ("min", "max"):
        best = np.full(groups, np.inf if keep_min else -np.inf)
        best_at = np.zeros(groups, dtype=np.int64)
    else:
        sums = np.zeros((len(COST_COLUMNS), groups))
    for start, stop in _chunks(groups, block, chunk_rows):
        flat = np.arange(start, stop, dtype=np.int64)
        _, parts = evaluate(flat)
        first, last = start // block, (stop - 1) // block
        bounds = np.maximum(np.arange(first, last + 1, dtype=np.int64) * block, start) - start
        if reduce in ("min", "max"):
            total = parts["total_usd"]
            segment = (np.minimum if keep_min else np.maximum).reduceat(total, bounds)
            hits = np.flatnonzero(total == np.repeat(segment, np.diff(np.append(bounds, total.size))))
            _, first_hit = np.unique(np.searchsorted(bounds, hits, side="right") - 1, return_index=True)
            at = hits[first_hit] + start  # the first scenario reaching each segment's extreme
            current = best[first : last + 1]
            better = segment < current if keep_min else segment > current  # ties keep the earlier
            best[first : last + 1] = np.where(better, segment, current)
            best_at[first : last + 1] = np.where(better, at, best_at[first : last + 1])
        else:
            for k, name in enumerate(COST_COLUMNS):
                sums[k, first : last + 1] += np.add.reduceat(parts[name], bounds)
    if reduce in ("min", "max"):
        index, parts = evaluate(best_at)
        return _frame(grid, index, parts)
    group_index = np.unravel_index(np.arange(groups), lens[: len(by)]) if by else ()
    values = sums / block if reduce == "mean" else sums
    costs = dict(zip(COST_COLUMNS, values))
    costs["scenarios"] = np.full(groups, block, dtype=np.int64)
    return _frame(grid, group_index, costs, names=by, cost_names=(*COST_COLUMNS, "scenarios"))


def _chunks(groups: int, block: int, chunk_rows: int):
    """(start, stop) flat ranges of at most ``chunk_rows``: whole groups, or parts of one."""
    if block <= chunk_rows:
        step = (chunk_rows // block) * block
        total = groups * block
        for start in range(0, total, step):
            yield start, min(start + step, total)
    else:
        for group in range(groups):
            end = (group + 1) * block
            for start in range(group * block, end, chunk_rows):
                yield start, min(start + chunk_rows, end)
