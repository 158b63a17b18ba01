"""estimate() and monthly_cost(): golden bills, the scalar/array/Series contract, bad input."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arch, duration_ms, memory_mb, region, requests, storage_mb

import lambdacost
from lambdacost import InvalidParameterError, estimate, monthly_cost

NOW = "2026-11-01"

# (kwargs, expected total USD, oracle). Tolerance: one cent, as AWS rounds each line to cents.
GOLDEN = [
    (
        dict(memory_mb=512, duration_ms=1000, requests=3e6, as_of="2019-06-01"),
        18.74,
        "AWS pricing page before Dec 2020, Example 1: 1,100,000 GB-s x $0.00001667 = $18.34 + 2M x $0.2/M = $0.40",
    ),
    (
        dict(memory_mb=128, duration_ms=200, requests=30e6, as_of="2019-06-01"),
        5.83 + 5.80,
        "hand-worked, the same page's method: 750,000 - 400,000 GB-s = 350,000 x $0.00001667 = $5.83; 29M x $0.2/M = $5.80",
    ),
    (
        dict(memory_mb=512, duration_ms=150, requests=1e6, as_of="2019-06-01"),
        0.0,
        "hand-worked: 150 ms bills as 200 ms in the 100 ms era: 0.5 x 0.2 x 1e6 = 100,000 GB-s, all free",
    ),
    (
        dict(memory_mb=1536, duration_ms=120, requests=3e6, as_of=NOW),
        2.33 + 0.40,
        "hand-worked: 540,000 - 400,000 GB-s = 140,000 x $0.0000166667 = $2.33; 2M x $0.20/M = $0.40",
    ),
    (
        dict(memory_mb=1536, duration_ms=120, requests=3e6, arch="arm64", as_of=NOW),
        1.87 + 0.40,
        "hand-worked: 140,000 GB-s x $0.0000133334 (arm64 tier 1) = $1.87; 2M x $0.20/M = $0.40",
    ),
    (
        dict(memory_mb=512, duration_ms=27.55, requests=10e6, as_of=NOW),
        1.80,
        "hand-worked: billed 28 ms; 0.5 GB x 0.028 s x 1e7 = 140,000 GB-s, inside the free tier; 9M x $0.20/M = $1.80",
    ),
    (
        dict(memory_mb=2048, duration_ms=1000, requests=1e6, ephemeral_storage_mb=2048, free_tier=False, as_of=NOW),
        33.33 + 0.05 + 0.20,
        "hand-worked: 2,000,000 GB-s x $0.0000166667 = $33.33; /tmp 1.5 GB x 1,000,000 s x $0.0000000309 = $0.05; 1M x $0.20/M",
    ),
    (
        dict(memory_mb=2048, duration_ms=60_000, requests=75e6, free_tier=False, as_of=NOW),
        100_000.20 + 45_000.00 + 15.00,
        "tiered-pricing blog example: 2 GB x 60 s x 75M = 9B GB-s; 6B x $0.0000166667 + 3B x $0.000015; 75M x $0.20/M",
    ),
    (
        dict(memory_mb=1024, duration_ms=100, requests=1, requests_per="second", region="ap-east-1", as_of=NOW),
        0.46,
        "hand-worked: 1 rps x 2,628,000 s (730 h); 262,800 GB-s inside free tier; 1,628,000 x $0.28/M = $0.46",
    ),
    (dict(memory_mb=128, duration_ms=1, requests=0, as_of=NOW), 0.0, "no requests, no cost"),
]


@pytest.mark.parametrize("kwargs, expected, oracle", GOLDEN, ids=[g[2][:40] for g in GOLDEN])
def test_golden_bills(kwargs, expected, oracle):
    result = estimate(**kwargs)
    assert result.total_cost == pytest.approx(expected, abs=0.01), oracle
    # the vectorized model gives the same number, as a scalar, an array and a Series
    args = [kwargs.pop(k) for k in ("memory_mb", "duration_ms", "requests")]
    assert monthly_cost(*args, **kwargs) == pytest.approx(result.total_cost, rel=1e-12)
    as_array = monthly_cost(*(np.full(3, a) for a in args), **kwargs)
    np.testing.assert_allclose(as_array, result.total_cost, rtol=1e-12)
    index = pd.Index(["a", "b", "c"], name="function")
    series = monthly_cost(pd.Series(np.full(3, args[0]), index=index), args[1], args[2], **kwargs)
    assert isinstance(series, pd.Series) and series.name == "cost" and series.index.equals(index)


def test_line_items_explain_themselves():
    e = estimate(512, 119.2, 1_000_000, as_of=NOW)
    items = {i.name: i for i in e.line_items}
    assert e.billed_duration_ms == 120 and e.gb_seconds == 60_000
    assert items["duration tier 1"].quantity == 60_000 and items["duration free tier"].quantity == -60_000
    assert items["requests free tier"].cost == pytest.approx(-0.20)
    assert e.total_cost == pytest.approx(0.0, abs=1e-12)
    # the row was re-read on 2026-12-01; the free tier rests on the pricing page read on 2026-11-27
    assert all(i.source_url.startswith("https://") for i in e.line_items)
    assert {i.read_on for i in e.line_items} == {"2026-12-01", "2026-11-27"}
    text = e.explain()
    assert (
        "512 MB = 0.5 GB" in text
        and "0.5 GB x 0.12 s = 0.06 GB-s per request x 1,000,000 requests = 60,000 GB-s" in text
    )
    assert "Free tier: 400,000 GB-s" in text


def test_explain_shows_tiers_storage_and_assumptions():
    e = estimate(2048, 60_000, 75e6, region="eu-south-1", ephemeral_storage_mb=2048, as_of=NOW)
    text = e.explain()
    # The 400,000 free GB-s come off before the tiers: tier 1 ends 400,000 GB-s later.
    assert "duration tier 2: 2,999,600,000 GB-s x $0.0000175655" in text
    assert "Ephemeral storage: (2,048 - 512 included) MB = 1.5 GB" in text
    assert "Assumption: eu-south-1: the tier 2 and 3 duration rates (x86_64 0.0000175655" in text
    assert e.assumptions and e.to_dict()["assumptions"] == list(e.assumptions)


def test_to_dict_is_json_ready_and_complete():
    d = estimate(512, 120, 5e6, as_of=NOW).to_dict()
    again = json.loads(json.dumps(d))
    assert set(again) == {"currency", "total_cost", "line_items", "inputs", "pricing", "assumptions"}
    assert again["pricing"]["stamp"] == "2026-12-01" and again["pricing"]["era"] == "1ms"
    assert again["inputs"]["requests"] == 5e6
    assert sum(i["cost"] for i in again["line_items"]) == pytest.approx(again["total_cost"])


def test_frame_str_and_html():
    e = estimate(512, 120, 5e6, as_of=NOW)
    frame = e.to_frame()
    assert list(frame.columns)[:5] == ["name", "quantity", "unit", "rate", "cost"]
    assert frame["cost"].sum() == pytest.approx(e.total_cost)
    assert "total" in str(e) and "$0.80" in str(e)
    assert e._repr_html_().startswith("<table>") and "$0.80" in e._repr_html_()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(memory_mb=100), "memory_mb must be a whole number in 128..10240 MB, got 100"),
        (dict(memory_mb=512.5), "memory_mb must be a whole number in 128..10240 MB, got 512.5"),
        (dict(memory_mb=10241), "got 10241"),
        (dict(memory_mb=500, as_of="2019-01-01"), "memory_mb must be a multiple of 64 in 128..3008 MB, got 500"),
        (dict(duration_ms=-1), "duration_ms must be a finite number in 0..900000 ms, got -1"),
        (dict(duration_ms=float("nan")), "duration_ms must be a finite number in 0..900000 ms, got nan"),
        (dict(duration_ms=900_001), "got 900001"),
        (dict(requests=float("inf")), "requests must be a finite number in 0..1e\\+15 requests a month, got inf"),
        (dict(requests=-5), "got -5"),
        (dict(arch="arm"), "arch must be one of 'x86_64', 'arm64', got 'arm'"),
        (dict(ephemeral_storage_mb=511), "ephemeral_storage_mb must be a whole number in 512..10240 MB, got 511"),
        (dict(ephemeral_storage_mb=1024, as_of="2021-01-01"), "ephemeral_storage_mb must be 512 MB on 2021-01-01"),
        (dict(as_of="2014-11-12"), "as_of must be on or after 2014-11-13"),
        (dict(as_of="last tuesday"), "as_of must be a date as YYYY-MM-DD, got 'last tuesday'"),
        (
            dict(requests_per="week"),
            "requests_per must be one of 'second', 'minute', 'hour', 'day', 'month', got 'week'",
        ),
    ],
)
def test_bad_input_names_parameter_range_and_value(kwargs, message):
    call = dict(memory_mb=512, duration_ms=120, requests=1e6) | kwargs
    with pytest.raises(
        lambdacost.LambdaCostError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.").replace("$", r"\$"),
    ):
        estimate(**call)
    with pytest.raises(lambdacost.LambdaCostError):
        monthly_cost(**call)


def test_arrays_name_the_first_bad_value():
    with pytest.raises(InvalidParameterError, match="memory_mb .* got 64"):
        monthly_cost(np.array([128, 64, 32]), 100, 1)
    big = np.full(100_000, 512.0)
    big[77_777] = np.nan
    with pytest.raises(InvalidParameterError, match="memory_mb .* got nan"):
        monthly_cost(big, 100, 1)


def test_arch_and_region_arrays_broadcast():
    costs = monthly_cost(
        1024, 100, 50e6, arch=np.array(["x86_64", "arm64"]), region=np.array([["us-east-1"], ["af-south-1"]]), as_of=NOW
    )
    assert costs.shape == (2, 2)
    for i, r in enumerate(["us-east-1", "af-south-1"]):
        for j, a in enumerate(["x86_64", "arm64"]):
            assert costs[i, j] == pytest.approx(
                estimate(1024, 100, 50e6, arch=a, region=r, as_of=NOW).total_cost, rel=1e-12
            )


def test_large_arrays_are_evaluated_in_blocks_with_the_same_result():
    rng = np.random.default_rng(7)
    n = 100_003  # not a multiple of the block size
    memory = rng.integers(128, 10241, n)
    duration = rng.uniform(0, 900_000, n)
    reqs = rng.uniform(0, 1e9, n)
    blocked = monthly_cost(memory, duration, reqs, as_of=NOW)
    small = np.concatenate(
        [
            monthly_cost(memory[i : i + 1000], duration[i : i + 1000], reqs[i : i + 1000], as_of=NOW)
            for i in range(0, n, 1000)
        ]
    )
    np.testing.assert_allclose(blocked, small, rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(memory_mb, duration_ms, requests, arch, region, storage_mb, st.booleans())
def test_monthly_cost_element_equals_estimate(memory, duration, count, a, r, storage, free):
    kwargs = dict(arch=a, region=r, ephemeral_storage_mb=storage, free_tier=free, as_of=NOW)
    single = estimate(memory, duration, count, **kwargs).total_cost
    assert single >= 0
    vector = monthly_cost(np.array([memory, 128]), np.array([duration, 1.0]), count, **kwargs)
    assert vector[0] == pytest.approx(single, rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(memory_mb, memory_mb, duration_ms, duration_ms, requests, requests, arch, region)
def test_cost_is_monotone_in_memory_duration_and_requests(m1, m2, d1, d2, r1, r2, a, r):
    low = monthly_cost(min(m1, m2), min(d1, d2), min(r1, r2), arch=a, region=r, as_of=NOW)
    high = monthly_cost(max(m1, m2), max(d1, d2), max(r1, r2), arch=a, region=r, as_of=NOW)
    assert 0 <= low <= high * (1 + 1e-12) + 1e-12


@settings(max_examples=60, deadline=None)
@given(memory_mb, duration_ms, requests, region)
def test_free_tier_never_raises_cost_and_arm64_never_dearer(memory, duration, count, r):
    with_free = monthly_cost(memory, duration, count, region=r, as_of=NOW)
    without = monthly_cost(memory, duration, count, region=r, free_tier=False, as_of=NOW)
    arm = monthly_cost(memory, duration, count, region=r, arch="arm64", as_of=NOW)
    assert with_free <= without + 1e-12
    assert arm <= with_free + 1e-12


def test_nan_never_reaches_a_result():
    with pytest.raises(InvalidParameterError):
        monthly_cost(512, np.array([1.0, np.nan]), 10)
    with pytest.raises(InvalidParameterError):
        monthly_cost(512, 10, pd.Series([1.0, None]))


def test_text_says_what_the_function_costs_beyond_the_free_tier():
    # README's first command: 512 MB x 120 ms x 1e6 = 60,000 GB-s x $0.0000166667 = $1.00, plus
    # 1e6 requests x $0.0000002 = $0.20; all inside the free tier, so $0.00 with it.
    e = estimate(512, 120, 1e6, as_of=NOW)
    assert e.total_cost == pytest.approx(0.0, abs=1e-12) and e.free_tier_cost == pytest.approx(-1.200002)
    assert "$1.20 a month without the free tier, which is one pool for the whole account" in str(e)
    assert "without the free tier" not in str(estimate(512, 120, 1e6, free_tier=False, as_of=NOW))


def test_derived_tier_rates_are_an_assumption_only_when_usage_reaches_them():
    # ap-southeast-5's tier 2/3 rates are derived; 1M x 100 ms x 512 MB stays far inside tier 1.
    small = estimate(512, 100, 1e6, region="ap-southeast-5", as_of=NOW)
    assert not any("tier 2/3" in a for a in small.assumptions)
    large = estimate(10240, 1000, 1e9, region="ap-southeast-5", as_of=NOW)  # 1e10 GB-s: tier 2
    assert any(a.startswith("tier 2/3 duration rates for ap-southeast-5") for a in large.assumptions)


def test_the_header_names_the_billing_date_it_priced():
    # The header said the sheet's read date where --explain said the billing date.
    e = estimate(512, 120, 1e6, as_of="2019-06-01")
    assert "(prices of 2019-06-01, 100ms billing; sheets read " in str(e)
    assert "prices of 2019-06-01" in e.explain()


def test_explain_keeps_rounding_apart_from_cold_starts():
    # 300 ms rounds to 300 ms; one cold start in 100 with 400 ms of INIT adds 4 ms to the mean.
    text = estimate(1024, 300, 1e6, cold_start_rate=0.01, init_duration_ms=400, as_of=NOW).explain()
    assert (
        "2. Duration: 300 ms is billed as 300 ms (each invocation is rounded up to the next 1 ms); cold starts" in text
    )
    assert "bring the mean billed duration to 304 ms" in text
    dist = estimate(1024, lambdacost.Lognormal(100, 400), 1e6, as_of=NOW).explain()
    assert "each invocation is rounded up on its own to the next 1 ms, 100.5 ms on average" in dist


def test_architecture_and_region_codes_in_any_case():
    assert estimate(512, 100, 1e7, arch="ARM64", region="EU-WEST-1", as_of=NOW).total_cost == pytest.approx(
        estimate(512, 100, 1e7, arch="arm64", region="eu-west-1", as_of=NOW).total_cost, rel=1e-15
    )


def test_json_of_the_new_meters_is_strict_and_names_each_rate_s_own_source():
    from typer.testing import CliRunner

    from lambdacost.cli import app

    args = ["estimate", "-m", "1024", "-d", "16s", "-r", "2M", "--arch", "arm64", "--durable-executions", "1M",
            "--durable-ops", "4", "--durable-kb", "104", "--durable-days", "21", "--logged-kb", "2", "--json",
            "--as-of", NOW]  # fmt: skip
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    sources = {i["name"]: i["source_url"] for i in data["line_items"]}
    assert sources["durable operations"] == "https://aws.amazon.com/lambda/pricing/"
    assert sources["CloudWatch Logs ingestion tier 1"].startswith(
        "https://github.com/DuckbillGroup/CloudWatchCashBack/"
    )
    assert sources["requests"].startswith("https://github.com/remotion-dev/remotion/blob/024b341a")
    assert data["inputs"]["durable_retained_days"] == 21 and data["inputs"]["logged_kb"] == 2
    # 2M x 2 KB / 1024^2 GB at $0.50 on top of the durable example's $490.46 (unrounded: $490.45544)
    assert data["total_cost"] == pytest.approx(490.45544 + 2e6 * 2 / 1024**2 * 0.5, rel=1e-9)
