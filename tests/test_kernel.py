"""The compiled kernel is the engine: equal results on random inputs, every tier and free-tier edge."""

import os
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import BOOK, FREE_GB_SECONDS, FREE_REQUESTS, REGIONS, duration_ms, memory_mb, requests, storage_mb

import lambdacost
from lambdacost import engine, kernel, monthly
from lambdacost.errors import LambdaCostError

DAYS = [date(2020, 6, 1), date(2024, 6, 1), date(2026, 11, 1)]  # 100 ms steps; INIT unbilled; billed


def _edges(day):
    """Monthly GB-s on every tier boundary of every pair, as priced after the free GB-s, +- 1."""
    edges = {0.0}
    for region in REGIONS:
        for arch in ("x86_64", "arm64"):
            try:
                starts = BOOK.rates(region, arch, day).tier_from_gb_seconds
            except LambdaCostError:
                continue
            for start in starts:
                for shift in (0.0, FREE_GB_SECONDS):
                    edges.update(start + shift + d for d in (-1.0, 0.0, 1.0))
    return sorted(e for e in edges if e >= 0)


EDGE_GB_SECONDS = sorted(set().union(*(_edges(d) for d in DAYS)))


@st.composite
def scenarios(draw):
    day = draw(st.sampled_from(DAYS))
    n = draw(st.integers(1, 24))
    pairs = draw(st.lists(st.tuples(st.sampled_from(["x86_64", "arm64"]), st.sampled_from(REGIONS)), min_size=1))
    per_element = draw(st.booleans())
    if per_element:
        chosen = [pairs[draw(st.integers(0, len(pairs) - 1))] for _ in range(n)]
        arch, region = np.array([a for a, _ in chosen], dtype=object), np.array([r for _, r in chosen], dtype=object)
    else:
        arch, region = pairs[0]
    memory = np.array([draw(memory_mb) for _ in range(n)], dtype=float)
    duration = np.array([draw(duration_ms) for _ in range(n)])
    monthly_requests = np.array([draw(requests) for _ in range(n)])
    # On an edge of the tiers or the free tier: 1 GB x 1 s a request, so requests are GB-s.
    for i in range(n):
        if draw(st.booleans()):
            memory[i], duration[i] = 1024.0, 1000.0
            monthly_requests[i] = draw(st.sampled_from(EDGE_GB_SECONDS + [FREE_REQUESTS - 1, FREE_REQUESTS + 1]))
    keywords = {}
    if draw(st.booleans()):
        keywords["ephemeral_storage_mb"] = np.array([draw(storage_mb) for _ in range(n)], dtype=float)
    free = draw(st.sampled_from(["scalar", "array"]))
    keywords["free_tier"] = (
        draw(st.booleans()) if free == "scalar" else np.array([draw(st.booleans()) for _ in range(n)])
    )
    if draw(st.booleans()):
        keywords["cold_start_rate"] = draw(
            st.one_of(st.floats(0, 1), st.just(np.array([draw(st.floats(0, 1)) for _ in range(n)])))
        )
        keywords["init_duration_ms"] = draw(
            st.one_of(st.floats(0, 10_000), st.just(np.array([draw(st.floats(0, 10_000)) for _ in range(n)])))
        )
        keywords["package_type"] = draw(st.sampled_from(["Zip", "Image"]))
    if draw(st.booleans()):
        keywords["async_payload_kb"] = np.array([draw(st.floats(0, 1024)) for _ in range(n)])
    return day, arch, region, memory, duration, monthly_requests, keywords


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_kernel_equals_engine(case):
    day, arch, region, memory, duration, monthly_requests, keywords = case
    try:
        table = engine.rate_table(BOOK, arch, region, day)
        scenario, _, _ = engine.check_scenario(BOOK, table, memory, duration, monthly_requests, **keywords)
    except LambdaCostError:
        assume(False)
    expected = np.broadcast_to(engine.price_scenario(BOOK, scenario, table)["cost"], memory.shape)
    fused = kernel.price(BOOK, scenario, table)
    assert fused is not None
    np.testing.assert_allclose(fused, expected, rtol=1e-12, atol=0)
    assert np.array_equal(fused, expected)  # in fact bit for bit: the same operations in the same order


def _inputs(n=monthly.FUSED_MIN_SIZE + 3):
    rng = np.random.default_rng(1)
    return (
        rng.integers(128, 10241, n).astype(float),
        rng.uniform(0, 900_000, n),
        rng.uniform(0, 1e9, n),
    )


def _engine_only(*args, **keywords):
    saved = monthly.FUSED_MIN_SIZE
    monthly.FUSED_MIN_SIZE = sys.maxsize
    try:
        return lambdacost.monthly_cost(*args, **keywords)
    finally:
        monthly.FUSED_MIN_SIZE = saved


@pytest.mark.parametrize(
    "keywords",
    [
        {},
        {"arch": "arm64", "region": "eu-west-1", "ephemeral_storage_mb": 2048},
        {"cold_start_rate": 0.01, "init_duration_ms": 300.0, "async_payload_kb": 300.0},
        {"as_of": "2020-06-01"},
    ],
)
def test_monthly_cost_takes_the_fused_path(keywords, monkeypatch):
    memory, duration, monthly_requests = _inputs()
    keywords = {"as_of": "2026-11-01", **keywords}
    if keywords["as_of"] < "2020-12":  # 64 MB steps up to 3008 MB, billed in 100 ms steps
        memory = np.clip(memory // 64 * 64, 128, 3008)
    calls = []
    price = kernel.price
    monkeypatch.setattr(kernel, "price", lambda *a, **k: calls.append(1) or price(*a, **k))
    fused = lambdacost.monthly_cost(memory, duration, monthly_requests, **keywords)
    assert calls
    assert np.array_equal(fused, _engine_only(memory, duration, monthly_requests, **keywords))


def test_a_bad_element_raises_the_engine_message():
    memory, duration, monthly_requests = _inputs()
    memory[5000] = 100
    with pytest.raises(LambdaCostError) as fused:
        lambdacost.monthly_cost(memory, duration, monthly_requests)
    with pytest.raises(LambdaCostError) as plain:
        _engine_only(memory, duration, monthly_requests)
    assert str(fused.value) == str(plain.value)
    assert "got 100" in str(fused.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", ["memory_mb", "duration_ms", "requests", "ephemeral_storage_mb"])
def test_the_kernel_rejects_every_non_finite_element(name, bad):
    """Its range tests alone (every bound finite) must catch NaN and both infinities."""
    memory, duration, monthly_requests = _inputs()
    values = {"memory_mb": memory, "duration_ms": duration, "requests": monthly_requests}
    values["ephemeral_storage_mb"] = np.full(memory.shape, 512.0)
    table = engine.rate_table(BOOK, "x86_64", "us-east-1", date(2026, 11, 1))
    scenario, _, _ = engine.check_scenario(BOOK, table, **values, unchecked=kernel.CHECKED)
    assert kernel.price(BOOK, scenario, table) is not None
    values[name] = values[name].copy()
    values[name][777] = bad
    scenario, _, _ = engine.check_scenario(BOOK, table, **values, unchecked=kernel.CHECKED)
    assert kernel.price(BOOK, scenario, table) is None  # the caller then raises the engine's message
    with pytest.raises(LambdaCostError, match=name):
        lambdacost.monthly_cost(**values, as_of="2026-11-01")


def test_without_numba_the_numpy_path_gives_the_same_numbers(monkeypatch):
    memory, duration, monthly_requests = _inputs()
    fused = lambdacost.monthly_cost(memory, duration, monthly_requests)
    monkeypatch.setattr(monthly, "_numba_ok", lambda: False)
    assert np.array_equal(lambdacost.monthly_cost(memory, duration, monthly_requests), fused)


def test_a_cold_compile_cache_gives_the_same_numbers(tmp_path):
    script = (
        "import sys, numpy as np, lambdacost; from lambdacost import monthly\n"
        "rng = np.random.default_rng(1); n = monthly.FUSED_MIN_SIZE + 3\n"
        "args = rng.integers(128, 10241, n).astype(float), rng.uniform(0, 9e5, n), rng.uniform(0, 1e9, n)\n"
        "fused = lambdacost.monthly_cost(*args)\n"
        "monthly.FUSED_MIN_SIZE = sys.maxsize\n"
        "print(np.array_equal(fused, lambdacost.monthly_cost(*args)))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
