"""One model of the bill: estimate, monthly_cost, a one-row sweep, a bill of one function and
compare's Lambda row are the same engine, so they agree on every scenario, every meter on."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import memory_mb, requests

import lambdacost
from lambdacost import engine
from lambdacost.options import Workload, option_cost
from lambdacost.sweeps import sweep

AS_OF = "2026-11-01"
#: Regions with every meter priced, and some without (their meters then stay off).
FULL_REGIONS = ("us-east-1",)
OTHER_REGIONS = ("eu-west-1", "ap-southeast-2", "eu-south-1")


@st.composite
def scenarios(draw):
    region = draw(st.sampled_from(FULL_REGIONS + OTHER_REGIONS))
    full = region in FULL_REGIONS
    kw = dict(
        memory_mb=draw(memory_mb),
        duration_ms=draw(st.floats(0.5, 60_000)),
        requests=draw(requests),
        arch=draw(st.sampled_from(["x86_64", "arm64"])),
        region=region,
        ephemeral_storage_mb=draw(st.sampled_from([512, 513, 2048, 10240])),
        free_tier=draw(st.booleans()),
        cold_start_rate=draw(st.sampled_from([0.0, 0.01, 0.5, 1.0])),
        init_duration_ms=draw(st.sampled_from([0.0, 250.0, 9_999.5])),
        async_payload_kb=draw(st.sampled_from([0.0, 256.0, 300.0, 1024.0])),
    )
    if full:
        kw["response_mb"] = draw(st.sampled_from([0.0, 6.0, 10.0]))
    if draw(st.booleans()):
        kw["provisioned_concurrency"] = draw(st.integers(1, 50))
        kw["provisioned_hours"] = draw(st.sampled_from([None, 0.1, 100.0, 730.0]))
        if draw(st.booleans()):
            # A busy share the workload can fill: at most its concurrency-seconds.
            hours = kw["provisioned_hours"] or 730.0
            work_s = kw["requests"] * np.ceil(kw["duration_ms"]) / 1000
            reachable = min(1.0, work_s / (kw["provisioned_concurrency"] * hours * 3600))
            kw["provisioned_utilization"] = draw(st.floats(0, 1)) * reachable
    return kw


def _agree(a, b):
    assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_entry_point_prices_the_same(kw):
    e = lambdacost.estimate(**kw, as_of=AS_OF)
    _agree(lambdacost.monthly_cost(**kw, as_of=AS_OF), e.total_usd)
    row = sweep(**kw, as_of=AS_OF)
    assert len(row) == 1
    _agree(float(row.cost_usd.iloc[0]), e.total_usd)
    _agree(float(row.gb_seconds.iloc[0]), e.gb_seconds)
    function = {k: v for k, v in kw.items() if k != "free_tier"}  # the free tier is the account's
    b = lambdacost.bill([dict(function, name="f")], free_tier=kw["free_tier"], as_of=AS_OF)
    f = b.function("f")
    for value in (b.total_usd, f.share_usd, f.marginal_usd, f.standalone_usd):
        _agree(value, e.total_usd)
    assert all(np.isfinite(v) for v in (e.total_usd, b.total_usd))
    base = ("memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", "free_tier")
    workload = Workload(
        kw["memory_mb"], kw["duration_ms"], kw["requests"], arch=kw["arch"], region=kw["region"],
        ephemeral_storage_mb=kw["ephemeral_storage_mb"], free_tier=kw["free_tier"], as_of=AS_OF,
        meters={k: v for k, v in kw.items() if k not in base},
    )  # fmt: skip
    _agree(float(option_cost("lambda", workload, [kw["requests"]])["cost_usd"][0]), e.total_usd)


@settings(max_examples=60, deadline=None)
@given(st.lists(scenarios(), min_size=1, max_size=6), st.booleans())
def test_bill_shares_add_up_and_marginals_are_removals(functions, free_tier):
    fleet = [dict({k: v for k, v in kw.items() if k != "free_tier"}, name=f"f{i}") for i, kw in enumerate(functions)]
    b = lambdacost.bill(fleet, free_tier=free_tier, as_of=AS_OF)
    _agree(sum(f.share_usd for f in b.functions), b.total_usd)
    _agree(sum(g.total_usd for g in b.groups), b.total_usd)
    for i, f in enumerate(b.functions):  # marginal = the bill less the bill without it
        rest = fleet[:i] + fleet[i + 1 :]
        without = lambdacost.bill(rest, free_tier=free_tier, as_of=AS_OF).total_usd if rest else 0.0
        assert f.marginal_usd == pytest.approx(b.total_usd - without, rel=1e-9, abs=1e-6)


def test_free_gb_seconds_come_off_before_the_tiers():
    # Source: the AWS Pricing Calculator subtracts the free GB-s, then prices "Tiered price for" the
    # rest (https://calculator.aws/#/addService/Lambda). 1 GB x 1 s x 6e9 = exactly the tier-2 start:
    # billable 5,999,600,000 GB-s, all tier 1: x $0.0000166667 = $99,993.53332; requests
    # (6e9 - 1e6) x $0.0000002 = $1,199.80.
    e = lambdacost.estimate(1024, 1000, 6e9, as_of=AS_OF)
    assert e.total_usd == pytest.approx(5_999_600_000 * 0.0000166667 + 1_199.8, abs=1e-6)
    # 400,000 GB-s more: the free GB-s now come out of tier 2 ($0.000015), not tier 1.
    e = lambdacost.estimate(1024, 1000, 6e9 + 400_000, as_of=AS_OF)
    assert e.total_usd == pytest.approx(6e9 * 0.0000166667 + (6e9 + 400_000 - 1e6) * 2e-7, abs=1e-6)
    assert engine.FREE_TIER_ORDER in e.assumptions


def test_every_entry_point_takes_every_estimate_keyword():
    import inspect

    base = {"memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", "free_tier", "as_of",
            "requests_per", "pricebook"}  # fmt: skip
    assert set(inspect.signature(lambdacost.estimate).parameters) == base | set(engine.METER_KEYWORDS)
    for function in (lambdacost.monthly_cost, lambdacost.sweep, lambdacost.cost_grid):
        assert base <= set(inspect.signature(function).parameters), function.__name__
        function(1024, 100, 1e6, as_of=AS_OF, **engine.METER_KEYWORDS)  # every keyword, by name
        with pytest.raises(lambdacost.InvalidParameterError, match="provisioned_concurency must be a keyword of"):
            function(1024, 100, 1e6, as_of=AS_OF, provisioned_concurency=2)
    assert set(engine.METER_KEYWORDS) <= set(lambdacost.bills.FUNCTION_KEYS)


@pytest.mark.parametrize(
    "meters",
    [
        {},
        {"cold_start_rate": 0.05, "init_duration_ms": 800.0, "ephemeral_storage_mb": 4096},
        {"provisioned_concurrency": 1, "cold_start_rate": 0.01, "init_duration_ms": 300.0},
        {"response_mb": 12.0, "async_payload_kb": 600.0},
    ],
)
def test_breakeven_with_meters_crosses_where_the_costs_meet(meters):
    storage = meters.pop("ephemeral_storage_mb", 512)
    workload = Workload(1024, 200, ephemeral_storage_mb=storage, as_of=AS_OF, meters=meters)
    result = lambdacost.breakeven(workload, "ec2:t4g.small", high=1e9)
    assert result.crossings
    for c in result.crossings:
        lam = float(option_cost("lambda", workload, [c.requests_per_month])["cost_usd"][0])
        assert lam == pytest.approx(c.cost_usd, rel=1e-9)
        if c.kind == "continuous":  # both costs are equal there
            assert c.cost_usd == pytest.approx(c.option_cost_usd, rel=1e-6)
