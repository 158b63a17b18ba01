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

Each scenario is priced by the one engine (:mod:`lambdacost.engine`), exactly as
:func:`~lambdacost.estimate` prices it, and every keyword of :func:`~lambdacost.estimate` is
accepted. Rows, and the axes of :func:`cost_grid`, follow :data:`DIMS` (``memory_mb`` varies
slowest), then each numeric meter keyword given (``provisioned_concurrency``, ``cold_start_rate``,
...) in :data:`~lambdacost.engine.METER_KEYWORDS` order, the last fastest (the order of
``itertools.product`` over the axes in that order).

Examples
--------
>>> from lambdacost.sweeps import sweep
>>> frame = sweep([128, 1024], 120, [1e6, 1e7], arch=["x86_64", "arm64"], as_of="2026-11-01")
>>> frame.shape
(8, 13)
>>> frame.loc[frame.cost.idxmax(), ["memory_mb", "requests", "arch"]].to_dict()
{'memory_mb': 1024.0, 'requests': 10000000.0, 'arch': 'x86_64'}
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from math import prod

import numpy as np

from . import engine
from .engine import resolve_pricebook
from .errors import InvalidParameterError
from .prices import PriceBook
from .tables import label_column
from .validation import check_numeric

__all__ = ["DIMS", "COST_COLUMNS", "REDUCTIONS", "CostGrid", "cheapest", "cost_grid", "sweep"]

#: The axes every sweep has, slowest-varying first; numeric meter keywords given add more.
DIMS = ("memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", "free_tier")
#: The quantity and cost columns every scenario has; optional meters in use add their component
#: (``provisioned_cost``, ``snapstart_cost``, ``edge_cost``, ``streaming_cost``) before ``cost``.
COST_COLUMNS = ("gb_seconds", "requests_cost", "duration_cost", "storage_cost", "cost")
#: What ``sweep(..., reduce=...)`` can keep of each group.
REDUCTIONS = ("min", "max", "sum", "mean")
#: Scenarios evaluated at once by a chunked reduction: ~10 arrays of 8 MB each.
DEFAULT_CHUNK_ROWS = 1 << 20
_STRINGS = ("arch", "region")
#: Meter keywords that may be a sequence (an axis of the grid).
AXIS_METERS = tuple(k for k in engine.METER_KEYWORDS if k not in engine.SCALAR_KEYWORDS)


@dataclass(frozen=True)
class CostGrid:
    """The cost of every scenario of a cartesian grid, as N-dimensional arrays.

    Attributes
    ----------
    dims : tuple of str
        The axis names: :data:`DIMS`, then the meter keywords given as axes.
    coords : dict of str to ndarray
        The values along each axis (``requests`` per month), in ``dims`` order.
    values : dict of str to ndarray or dask array
        :data:`COST_COLUMNS` and the components in use, each of shape ``shape``. [GB-s], [currency]
    currency : str
        What every cost is in: ``"USD"``, or ``"CNY"`` in the China regions (one per grid).
    """

    dims: tuple[str, ...]
    coords: dict
    values: dict
    currency: str = "USD"

    def __getattr__(self, name: str):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values along each axis."""
        return tuple(len(self.coords[d]) for d in self.dims)

    @property
    def size(self) -> int:
        """Number of scenarios."""
        return prod(self.shape)

    def to_frame(self):
        """The tidy table, one row per scenario in grid order (as :func:`sweep` gives it)."""
        import pandas as pd

        index = pd.MultiIndex.from_product([self.coords[d] for d in self.dims], names=list(self.dims))
        columns = {name: np.asarray(value).reshape(-1) for name, value in self.values.items()}
        columns["currency"] = label_column(self.currency, len(index))
        return pd.DataFrame(columns, index=index).reset_index()

    def to_dict(self) -> dict:
        """JSON-ready: ``dims``, ``coords``, ``currency`` and each value array as nested lists."""
        return {
            "currency": self.currency,
            "dims": list(self.dims),
            "coords": {k: np.asarray(v).tolist() for k, v in self.coords.items()},
            "values": {k: np.asarray(v).tolist() for k, v in self.values.items()},
        }


@dataclass(frozen=True)
class _Grid:
    """Validated axes, the rate table over their (arch, region) mesh, and the fixed keywords."""

    dims: tuple[str, ...]
    coords: dict  # name -> 1-D ndarray, requests already per month
    rates: engine.RateTable  # shaped like the open mesh
    fixed: dict  # keywords that are one value for the grid
    book: PriceBook
    columns: tuple[str, ...]  # the cost columns of this grid

    @property
    def shape(self):
        return tuple(len(self.coords[d]) for d in self.dims)


def _axis(name, values) -> np.ndarray:
    array = np.atleast_1d(np.asarray(values, dtype=object if name in _STRINGS else None))
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(name, "a value or a non-empty 1-D sequence", values)
    return array


def _open(values: np.ndarray, k: int, ndim: int) -> np.ndarray:
    shape = [1] * ndim
    shape[k] = -1
    return values.reshape(shape)


def _prepare(
    memory_mb,
    duration_ms,
    requests,
    arch,
    region,
    ephemeral_storage_mb,
    free_tier,
    as_of,
    requests_per,
    pricebook,
    meters: dict,
) -> _Grid:
    """Validate every axis once, on the open mesh, by the engine's input checker."""
    book, day = resolve_pricebook(pricebook, as_of)
    distribution = duration_ms if hasattr(duration_ms, "expected_billed_ms") else None
    axes = {
        "memory_mb": memory_mb,
        "duration_ms": distribution.mean_ms if distribution is not None else duration_ms,
        "requests": requests,
        "arch": arch,
        "region": region,
        "ephemeral_storage_mb": ephemeral_storage_mb,
        "free_tier": free_tier,
    }
    fixed = {"requests_per": requests_per}
    for name, value in meters.items():
        if name in AXIS_METERS and value is not None and not _is_default(name, value):
            axes[name] = value
        else:
            fixed[name] = value
    coords = {name: _axis(name, value) for name, value in axes.items()}
    if coords["free_tier"].dtype != bool:
        raise InvalidParameterError("free_tier", "True or False", coords["free_tier"].tolist())
    dims = tuple(coords)
    ndim = len(dims)
    mesh = {name: _open(values, k, ndim) for k, (name, values) in enumerate(coords.items())}
    rates = engine.rate_table(book, mesh.pop("arch"), mesh.pop("region"), day)
    if distribution is not None:
        if len(coords["duration_ms"]) != 1:
            raise InvalidParameterError("duration_ms", "one duration distribution", duration_ms)
        mesh["duration_ms"] = distribution
    scenario, _, _ = engine.check_scenario(book, rates, **mesh, **fixed)
    coords["requests"] = np.asarray(scenario.requests, dtype=float).reshape(-1)
    coords = {
        k: (v.astype(str) if k in _STRINGS else np.asarray(v, dtype=bool if k == "free_tier" else float))
        for k, v in coords.items()
    }
    fixed["requests_per"] = "month"  # requests are per month from here on
    if distribution is not None:
        fixed["duration_ms"] = distribution
    used = engine.components_in_use(scenario)  # from the inputs: the grid itself is not evaluated here
    optional = [c for c in engine.COMPONENTS if c in used and c not in COST_COLUMNS]
    return _Grid(dims, coords, rates, fixed, book, (*COST_COLUMNS[:-1], *optional, "cost"))


def _is_default(name, value) -> bool:
    default = engine.METER_KEYWORDS[name]
    return default is not None and np.ndim(value) == 0 and value == default


def _evaluate(grid: _Grid, values: dict, rates: engine.RateTable, wrap=None) -> dict:
    """The cost columns of scenarios given per axis (broadcastable arrays), by the one engine.

    ``wrap`` turns each checked array operand (and rate) into another array type, such as a
    chunked dask array, before the meters run: checks need concrete values, the meters do not.
    """
    scenario, _, _ = engine.check_scenario(grid.book, rates, **values, **grid.fixed)
    if wrap is not None:
        fields = {f.name: getattr(scenario, f.name) for f in dataclasses.fields(scenario)}
        scenario = engine.Scenario(
            **{k: wrap(v) if isinstance(v, np.ndarray) and v.ndim else v for k, v in fields.items()}
        )
        rates = dataclasses.replace(
            rates, rates={k: (wrap(v) if v is not None and np.ndim(v) else v) for k, v in rates.rates.items()}
        )
    parts = engine.price_scenario(grid.book, scenario, rates)
    return {name: parts[name] for name in grid.columns}


def _mesh(grid: _Grid) -> dict:
    """Each numeric axis long along its own dimension, 1 elsewhere (``np.ix_``)."""
    mesh = {}
    for k, name in enumerate(grid.dims):
        if name not in _STRINGS:
            mesh[name] = _open(grid.coords[name], k, len(grid.dims))
    if "duration_ms" in grid.fixed:
        del mesh["duration_ms"]
    return mesh


def _grid_arrays(grid: _Grid, wrap=None, broadcast=np.broadcast_to) -> dict:
    parts = _evaluate(grid, {**_mesh(grid), **_duration(grid)}, grid.rates, wrap)
    return {name: broadcast(value, grid.shape) for name, value in parts.items()}


def _duration(grid: _Grid) -> dict:
    return {"duration_ms": grid.fixed["duration_ms"]} if "duration_ms" in grid.fixed else {}


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
    **meters,
) -> CostGrid:
    """Cost columns of every scenario of the grid, as N-dimensional arrays.

    Parameters
    ----------
    memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier
        Each a value or a 1-D sequence; as in :func:`~lambdacost.monthly_cost`.
        [MB], [ms], [count per ``requests_per``], -, -, [MB], -
    as_of, requests_per, pricebook
        As in :func:`~lambdacost.monthly_cost`.
    chunks : int, optional
        If given, return lazy ``dask.array`` arrays in blocks of at most about this many
        scenarios, computed by the same engine chunk by chunk (requires dask).
    **meters
        Any optional meter keyword of :func:`~lambdacost.estimate`
        (:data:`lambdacost.engine.METER_KEYWORDS`); a numeric one given as a sequence is an axis.

    Returns
    -------
    CostGrid
        Arrays of shape ``(len(memory_mb), len(duration_ms), ..., len(free_tier), ...)``.

    Examples
    --------
    >>> from lambdacost.sweeps import cost_grid
    >>> grid = cost_grid([128, 256, 512], 100, [1e6, 1e8], arch=["x86_64", "arm64"], as_of="2026-11-01")
    >>> grid.shape
    (3, 1, 2, 2, 1, 1, 1)
    >>> cheapest = grid.cost[..., 0, 0, 0].argmin(axis=0)  # per (duration, requests, arch)
    >>> grid.coords["memory_mb"][cheapest].ravel().tolist()
    [128.0, 128.0, 128.0, 128.0]
    """
    meters = engine.meter_keywords(meters)
    grid = _prepare(memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of,
                    requests_per, pricebook, meters)  # fmt: skip
    if chunks is None:
        _check_fits(grid.shape, "chunks=... (dask) or sweep(reduce=...)")
        arrays = _grid_arrays(grid)
    else:
        import dask.array as da

        sizes = _block_shape(grid.shape, check_numeric("chunks", chunks, 1, np.inf, "scenarios"))

        def wrap(values):
            return da.from_array(values, chunks=tuple(s if n > 1 else 1 for s, n in zip(sizes, values.shape)))

        arrays = _grid_arrays(grid, wrap, broadcast=lambda value, shape: da.broadcast_to(value, shape, chunks=sizes))
    return CostGrid(grid.dims, dict(grid.coords), arrays, grid.rates.currency)


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
    progress=None,
    **meters,
):
    """Price every combination of the given inputs: a tidy DataFrame, or its reduction.

    Every input of :func:`~lambdacost.estimate` is accepted; the numeric ones may be a value
    or a sequence. The result has one row per scenario of their cartesian product (see
    :data:`DIMS` for the order), a column per axis and the cost columns
    (:data:`COST_COLUMNS`, plus the component of each optional meter in use). Each row is
    priced like one function alone in an account-month, exactly as
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
    progress : callable, optional
        For a reduction: called as ``progress(done, total)`` [scenarios] after each chunk
        (the CLI draws a progress bar with it).
    **meters
        Any optional meter keyword of :func:`~lambdacost.estimate`
        (:data:`lambdacost.engine.METER_KEYWORDS`); a numeric one given as a sequence is an axis.

    Returns
    -------
    pandas.DataFrame
        ``requests`` is per month; ``arch``, ``region`` and ``currency`` (every cost's, one per
        sweep) are categorical.

    Examples
    --------
    The cheapest memory size per architecture for 120 ms at 10 million requests (a
    duration that does not depend on memory favours the smallest size):

    >>> best = sweep(range(128, 1025, 64), 120, 1e7, arch=["x86_64", "arm64"], as_of="2026-11-01",
    ...              reduce="min", by="arch")
    >>> best[["arch", "memory_mb", "cost"]].round(2).values.tolist()
    [['x86_64', 128.0, 1.8], ['arm64', 128.0, 1.8]]

    Half the invocations on Provisioned Concurrency, one in a hundred cold otherwise:

    >>> rows = sweep(1024, 100, 1e8, provisioned_concurrency=[0, 2], cold_start_rate=0.01, init_duration_ms=400,
    ...              as_of="2026-11-01")
    >>> rows[["provisioned_concurrency", "cost"]].round(2).values.tolist()
    [[0.0, 186.47], [2.0, 175.23]]
    """
    meters = engine.meter_keywords(meters)
    grid = _prepare(memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of,
                    requests_per, pricebook, meters)  # fmt: skip
    if reduce is not None:
        return _reduced(grid, reduce, by, chunk_rows, progress)
    if by not in ((), [], None):
        raise InvalidParameterError("by", "empty unless reduce is given", by)
    _check_fits(grid.shape, "a reduction (reduce='min', by=...; the CLI's --cheapest-by) or cost_grid(chunks=...)")
    return _frame(grid, np.indices(grid.shape, sparse=True), _grid_arrays(grid))


#: The most scenarios built whole in memory (a frame row or a grid cell each): about 1.5 GiB of
#: columns at ~20 float64 a row. Larger grids are refused up front, with their size.
MAX_WHOLE_SCENARIOS = 10_000_000


def _check_fits(shape, instead: str) -> None:
    n = prod(shape)
    if n > MAX_WHOLE_SCENARIOS:
        gib = n * 20 * 8 / 2**30
        raise InvalidParameterError(
            "grid",
            f"at most {MAX_WHOLE_SCENARIOS:,} scenarios built whole; for more use {instead}",
            f"{n:,} scenarios ({' x '.join(str(k) for k in shape if k > 1)}, about {gib:,.0f} GiB)",
        )


def cheapest(
    memory_mb,
    duration_ms,
    requests,
    *,
    top: int,
    arch="x86_64",
    region="us-east-1",
    ephemeral_storage_mb=512,
    free_tier=True,
    as_of=None,
    requests_per: str = "month",
    pricebook: PriceBook | None = None,
    **meters,
) -> tuple[int, list[dict]]:
    """The ``top`` cheapest rows of :func:`sweep` (same inputs), without pandas.

    Returns the number of scenarios and the rows as plain records, cheapest first, ties in
    grid order: ``sweep(...).nsmallest(top, "cost", keep="first")`` row for row.

    Examples
    --------
    >>> n, rows = cheapest([128, 1024], 120, 1e7, top=1, as_of="2026-11-01")
    >>> n, rows[0]["memory_mb"], round(rows[0]["cost"], 2)
    (2, 128.0, 1.8)
    """
    meters = engine.meter_keywords(meters)
    grid = _prepare(memory_mb, duration_ms, requests, arch, region, ephemeral_storage_mb, free_tier, as_of,
                    requests_per, pricebook, meters)  # fmt: skip
    _check_fits(grid.shape, "sweep(reduce='min', by=...) (the CLI's --cheapest-by)")
    costs = _grid_arrays(grid)
    total = np.asarray(costs["cost"]).reshape(-1)
    order = np.argsort(total, kind="stable")[: max(int(top), 0)]
    where = np.unravel_index(order, grid.shape)
    rows = []
    for k, flat in enumerate(order):
        row = {name: grid.coords[name][where[d][k]] for d, name in enumerate(grid.dims)}
        row.update({name: np.asarray(costs[name]).reshape(-1)[flat] for name in grid.columns})
        row["currency"] = grid.rates.currency
        rows.append({c: (v.item() if isinstance(v, np.generic) else v) for c, v in row.items()})
    return total.size, rows


def _frame(grid: _Grid, index_per_dim, costs: dict, names=None, cost_names=None):
    """The tidy table: each input gathered by its index array, then the cost columns.

    ``index_per_dim`` holds one integer array per axis in ``names``, all broadcastable to
    the rows' shape: the sparse ``np.indices`` of the grid for the full table, or equal-length
    1-D arrays for selected scenarios.
    """
    import pandas as pd

    names = grid.dims if names is None else names
    cost_names = grid.columns if cost_names is None else cost_names
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
    columns["currency"] = label_column(grid.rates.currency, prod(shape))
    return pd.DataFrame(columns, copy=False)


def _categories(values: np.ndarray):
    """Distinct values in order of first appearance (the order the user gave), and codes."""
    unique, first, codes = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return unique[order], rank[codes]


def _reduced(grid: _Grid, reduce, by, chunk_rows, progress=None):
    """Walk the grid chunk by chunk, keeping only the reduction per group of ``by``.

    The axes are ordered ``by`` first, so each group is a contiguous run of ``block`` flat
    indices; every chunk holds whole groups or lies inside one, and each chunk's groups
    are reduced with ``ufunc.reduceat`` (a loop over chunks, never over scenarios).
    """
    if reduce not in REDUCTIONS:
        raise InvalidParameterError("reduce", "one of " + ", ".join(map(repr, REDUCTIONS)), reduce)
    by = (by,) if isinstance(by, str) else tuple(by or ())
    for name in by:
        if name not in grid.dims:
            raise InvalidParameterError("by", "axis names among " + ", ".join(grid.dims), name)
    if len(set(by)) != len(by):
        raise InvalidParameterError("by", "distinct axis names", list(by))
    chunk_rows = int(check_numeric("chunk_rows", chunk_rows, 1, np.inf, "scenarios", step=1))
    order = by + tuple(d for d in grid.dims if d not in by)
    lens = tuple(len(grid.coords[d]) for d in order)
    groups, block = prod(lens[: len(by)]), prod(lens[len(by) :])
    n_regions = len(grid.coords["region"])
    columns = grid.columns

    def evaluate(flat):
        """Per-axis indices (in ``grid.dims`` order) and the cost columns of flat scenarios."""
        index = dict(zip(order, np.unravel_index(flat, lens)))
        # A one-value axis stays a scalar: no gather, no array.
        value = {
            d: grid.coords[d][index[d]] if len(grid.coords[d]) > 1 else grid.coords[d][0].item()
            for d in grid.dims
            if d not in _STRINGS
        }
        value.update(_duration(grid))
        rates = grid.rates.select(index["arch"] * n_regions + index["region"])
        parts = _evaluate(grid, value, rates)
        # One (arch, region) pair: its rates keep the grid's open-mesh shape (1, ..., 1); flatten them.
        parts = {name: np.reshape(v, -1) if np.ndim(v) > flat.ndim else v for name, v in parts.items()}
        return [index[d] for d in grid.dims], {name: np.broadcast_to(v, flat.shape) for name, v in parts.items()}

    keep_min = reduce == "min"
    if reduce in ("min", "max"):
        best = np.full(groups, np.inf if keep_min else -np.inf)
        best_at = np.zeros(groups, dtype=np.int64)
    else:
        sums = np.zeros((len(columns), groups))
    for start, stop in _chunks(groups, block, chunk_rows):
        flat = np.arange(start, stop, dtype=np.int64)
        _, parts = evaluate(flat)
        first, last = start // block, (stop - 1) // block
        bounds = np.maximum(np.arange(first, last + 1, dtype=np.int64) * block, start) - start
        if reduce in ("min", "max"):
            total = parts["cost"]
            segment = (np.minimum if keep_min else np.maximum).reduceat(total, bounds)
            hits = np.flatnonzero(total == np.repeat(segment, np.diff(np.append(bounds, total.size))))
            _, first_hit = np.unique(np.searchsorted(bounds, hits, side="right") - 1, return_index=True)
            at = hits[first_hit] + start  # the first scenario reaching each segment's extreme
            current = best[first : last + 1]
            better = segment < current if keep_min else segment > current  # ties keep the earlier
            best[first : last + 1] = np.where(better, segment, current)
            best_at[first : last + 1] = np.where(better, at, best_at[first : last + 1])
        else:
            for k, name in enumerate(columns):
                sums[k, first : last + 1] += np.add.reduceat(parts[name], bounds)
        if progress is not None:
            progress(stop, groups * block)
    if reduce in ("min", "max"):
        index, parts = evaluate(best_at)
        return _frame(grid, index, parts)
    group_index = np.unravel_index(np.arange(groups), lens[: len(by)]) if by else ()
    values = sums / block if reduce == "mean" else sums
    costs = dict(zip(columns, values))
    costs["scenarios"] = np.full(groups, block, dtype=np.int64)
    return _frame(grid, group_index, costs, names=by, cost_names=(*columns, "scenarios"))


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
