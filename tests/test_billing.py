"""The numpy core: golden values, broadcasting, and the same functions on dask arrays."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import gb_seconds

from lambdacost import billing

X86_TIERS = ((0.0000166667, 0.0000150000, 0.0000133334), (0, 6e9, 15e9))  # us-east-1, lambda.toml


@pytest.mark.parametrize(
    "duration_ms, granularity_ms, billed_ms",
    [
        (27.55, 1, 28),  # AWS 1 ms blog: "Duration: 27.55 ms Billed Duration: 28 ms"
        (27.40, 100, 100),  # same blog, before Dec 2020: "Duration: 27.40 ms Billed Duration: 100 ms"
        (718.65, 100, 800),  # a 2014-era REPORT line: Duration 718.65 ms, Billed Duration 800 ms
        (120.0, 1, 120),  # whole milliseconds are not rounded up
        (0.0, 1, 0),  # no minimum since 1 ms billing
        (200.0, 100, 200),
    ],
)
def test_billed_duration_golden(duration_ms, granularity_ms, billed_ms):
    assert billing.billed_duration_ms(duration_ms, granularity_ms) == billed_ms


@pytest.mark.parametrize(
    "memory_mb, billed_ms, requests, expected",
    [
        (512, 120, 1_000_000, 60_000),  # 0.5 GB x 0.12 s x 1e6
        (1536, 120, 3_000_000, 540_000),  # 1.5 GB x 0.12 s x 3e6
        (128, 200, 30_000_000, 750_000),  # 0.125 GB x 0.2 s x 3e7
        (10240, 900_000, 1, 9000),  # 10 GB x 900 s
    ],
)
def test_gb_seconds_golden(memory_mb, billed_ms, requests, expected):
    assert billing.gb_seconds(memory_mb, billed_ms, requests) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "total, expected_cost",
    [
        (6e9, 6e9 * 0.0000166667),  # exactly the top of tier 1
        (9e9, 6e9 * 0.0000166667 + 3e9 * 0.0000150000),  # tiered-pricing blog example: 9 B GB-s
        (20e9, 6e9 * 0.0000166667 + 9e9 * 0.0000150000 + 5e9 * 0.0000133334),
    ],
)
def test_tiered_duration_golden(total, expected_cost):
    assert billing.tiered_duration_cost(total, *X86_TIERS) == pytest.approx(expected_cost, rel=1e-12)


def test_tier_quantities_sum_to_total():
    parts = billing.tier_gb_seconds(np.array([0, 7e9, 16e9]), X86_TIERS[1])
    np.testing.assert_allclose(np.sum(parts, axis=0), [0, 7e9, 16e9])
    np.testing.assert_allclose(parts[1], [0, 1e9, 9e9])


@settings(max_examples=200, deadline=None)
@given(gb_seconds)
def test_tiered_cost_is_continuous_and_monotone(total):
    step = max(total * 1e-12, 1e-3)
    low, high = billing.tiered_duration_cost(np.array([total, total + step]), *X86_TIERS)
    assert 0 <= high - low <= step * 0.0000166667 * (1 + 1e-6) + 1e-9


@settings(max_examples=200, deadline=None)
@given(gb_seconds, st.floats(0, 1e6))
def test_free_tier_saves_at_most_allowance_at_tier_one_rate(total, free):
    with_free = billing.tiered_duration_cost(total, *X86_TIERS, free_gb_seconds=free)
    without = billing.tiered_duration_cost(total, *X86_TIERS)
    saving = without - with_free
    assert -1e-9 <= saving <= min(total, free) * 0.0000166667 * (1 + 1e-9) + 1e-9


def test_request_and_storage_golden():
    # AWS example: 3M requests, 1M free, $0.20 per million -> $0.40
    assert billing.request_cost(3e6, 0.2e-6, 1e6) == pytest.approx(0.40)
    assert billing.request_cost(5e5, 0.2e-6, 1e6) == 0  # never negative
    # AWS Example 3: 2048 MB /tmp is 1.5 GB billed beyond the included 512 MB
    assert billing.ephemeral_storage_gb_seconds(2048, 1000, 1) == 1.5
    assert billing.ephemeral_storage_gb_seconds(512, 1000, 10) == 0


def test_broadcasting_and_types():
    import lambdacost

    scalar = lambdacost.monthly_cost(512, 120, 5e6, as_of="2026-11-01")
    assert isinstance(scalar, float)
    grid = lambdacost.monthly_cost(np.array([[128], [512]]), np.array([10, 120, 1000]), 5e6, as_of="2026-11-01")
    assert grid.shape == (2, 3)
    assert grid[1, 1] == pytest.approx(scalar)


def _core_total(memory, duration, requests, storage):
    """A month's total from the core functions alone (us-east-1 x86_64 rates)."""
    billed = billing.billed_duration_ms(duration)
    usage = billing.gb_seconds(memory, billed, requests)
    free = billing.free_gb_seconds_used(usage, 4e5)
    compute = billing.tiered_duration_cost(usage, *X86_TIERS, free)
    storage_cost = billing.ephemeral_storage_gb_seconds(storage, billed, requests) * 3.09e-8
    return compute + billing.request_cost(requests, 2e-7, 1e6) + storage_cost


def test_core_and_engine_run_unchanged_on_dask_arrays():
    da = pytest.importorskip("dask.array")
    from lambdacost import engine

    rng = np.random.default_rng(1)
    memory = rng.integers(128, 10241, 1000).astype(float)
    duration = rng.uniform(0, 900_000, 1000)
    requests = rng.uniform(0, 1e9, 1000)
    storage = rng.integers(512, 10241, 1000).astype(float)
    expected = _core_total(memory, duration, requests, storage)
    lazy = _core_total(*(da.from_array(a, chunks=128) for a in (memory, duration, requests, storage)))
    assert isinstance(lazy, da.Array)  # nothing was computed eagerly
    np.testing.assert_allclose(lazy.compute(), expected, rtol=1e-15)
    # The engine's meters and charges on the same dask arrays: the same totals.
    from lambdacost.prices import default_pricebook

    book = default_pricebook()
    table = engine.rate_table(book, "x86_64", "us-east-1", __import__("datetime").date(2026, 11, 1))

    def total(m, d, r, s):
        scenario = engine.Scenario(memory_mb=m, requests=r, duration_ms=d, ephemeral_storage_mb=s)
        usage = engine.meter(scenario)
        return engine.total_cost(engine.charges(usage, table, engine.free_use(usage, book.free_tier)))

    lazy = total(*(da.from_array(a, chunks=128) for a in (memory, duration, requests, storage)))
    assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(lazy.compute(), total(memory, duration, requests, storage), rtol=1e-15)
    np.testing.assert_allclose(lazy.compute(), expected, rtol=1e-12)
