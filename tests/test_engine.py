"""One model of the bill: estimate, monthly_cost, a one-row sweep, a bill of one function and
compare's Lambda row are the same engine, so they agree on every scenario, every meter on."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import memory_mb, requests

import lambdacost
from lambdacost import engine, monthly
from lambdacost.options import Workload, option_cost
from lambdacost.prices import default_pricebook
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
        hours = kw["provisioned_hours"] or 730.0
        work_s = kw["requests"] * np.ceil(kw["duration_ms"]) / 1000
        if work_s >= 1 and draw(st.booleans()):  # below 1 s the bound underflows to subnormal numbers
            # A busy share the workload can fill: at most its concurrency-seconds.
            reachable = min(1.0, work_s / (kw["provisioned_concurrency"] * hours * 3600))
            kw["provisioned_utilization"] = draw(st.floats(0, 1)) * reachable
    return kw


def _agree(a, b):
    assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_entry_point_prices_the_same(kw):
    e = lambdacost.estimate(**kw, as_of=AS_OF)
    _agree(lambdacost.monthly_cost(**kw, as_of=AS_OF), e.total_cost)
    row = sweep(**kw, as_of=AS_OF)
    assert len(row) == 1
    _agree(float(row.cost.iloc[0]), e.total_cost)
    _agree(float(row.gb_seconds.iloc[0]), e.gb_seconds)
    function = {k: v for k, v in kw.items() if k != "free_tier"}  # the free tier is the account's
    b = lambdacost.bill([dict(function, name="f")], free_tier=kw["free_tier"], as_of=AS_OF)
    f = b.function("f")
    for value in (b.total_cost, f.share_cost, f.marginal_cost, f.standalone_cost):
        _agree(value, e.total_cost)
    assert all(np.isfinite(v) for v in (e.total_cost, b.total_cost))
    base = ("memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", "free_tier")
    workload = Workload(
        kw["memory_mb"], kw["duration_ms"], kw["requests"], arch=kw["arch"], region=kw["region"],
        ephemeral_storage_mb=kw["ephemeral_storage_mb"], free_tier=kw["free_tier"], as_of=AS_OF,
        meters={k: v for k, v in kw.items() if k not in base},
    )  # fmt: skip
    _agree(float(option_cost("lambda", workload, [kw["requests"]])["cost"][0]), e.total_cost)


@settings(max_examples=60, deadline=None)
@given(st.lists(scenarios(), min_size=1, max_size=6), st.booleans())
def test_bill_shares_add_up_and_marginals_are_removals(functions, free_tier):
    fleet = [dict({k: v for k, v in kw.items() if k != "free_tier"}, name=f"f{i}") for i, kw in enumerate(functions)]
    b = lambdacost.bill(fleet, free_tier=free_tier, as_of=AS_OF)
    _agree(sum(f.share_cost for f in b.functions), b.total_cost)
    _agree(sum(g.total_cost for g in b.groups), b.total_cost)
    for i, f in enumerate(b.functions):  # marginal = the bill less the bill without it
        rest = fleet[:i] + fleet[i + 1 :]
        without = lambdacost.bill(rest, free_tier=free_tier, as_of=AS_OF).total_cost if rest else 0.0
        assert f.marginal_cost == pytest.approx(b.total_cost - without, rel=1e-9, abs=1e-6)


def test_free_gb_seconds_come_off_before_the_tiers():
    # Source: the AWS Pricing Calculator subtracts the free GB-s, then prices "Tiered price for" the
    # rest (https://calculator.aws/#/addService/Lambda). 1 GB x 1 s x 6e9 = exactly the tier-2 start:
    # billable 5,999,600,000 GB-s, all tier 1: x $0.0000166667 = $99,993.53332; requests
    # (6e9 - 1e6) x $0.0000002 = $1,199.80.
    e = lambdacost.estimate(1024, 1000, 6e9, as_of=AS_OF)
    assert e.total_cost == pytest.approx(5_999_600_000 * 0.0000166667 + 1_199.8, abs=1e-6)
    # 400,000 GB-s more: the free GB-s now come out of tier 2 ($0.000015), not tier 1.
    e = lambdacost.estimate(1024, 1000, 6e9 + 400_000, as_of=AS_OF)
    assert e.total_cost == pytest.approx(6e9 * 0.0000166667 + (6e9 + 400_000 - 1e6) * 2e-7, abs=1e-6)
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
        lam = float(option_cost("lambda", workload, [c.requests_per_month])["cost"][0])
        assert lam == pytest.approx(c.cost, rel=1e-9)
        if c.kind == "continuous":  # both costs are equal there
            assert c.cost == pytest.approx(c.option_cost, rel=1e-6)


# --- one scenario in plain floats: the same operations as on arrays ----------------------------

#: Billing eras: 100 ms steps and 64 MB memory steps; INIT unbilled; INIT billed.
DAYS = ("2020-06-01", "2024-06-01", AS_OF)
BOOK = default_pricebook()


def _tier_edges():
    """Monthly GB-s on every tier start of every pair, as priced after the free GB-s, +- 1."""
    edges = {0.0}
    for day in DAYS:
        for region in FULL_REGIONS + OTHER_REGIONS:
            for arch in ("x86_64", "arm64"):
                try:
                    starts = BOOK.rates(region, arch, date.fromisoformat(day)).tier_from_gb_seconds
                except lambdacost.LambdaCostError:  # not priced on that day
                    continue
                for start in starts:
                    for shift in (0.0, BOOK.free_tier.gb_seconds):
                        edges.update(start + shift + d for d in (-1.0, 0.0, 1.0))
    return sorted(e for e in edges if e >= 0)


@st.composite
def plain_scenarios(draw):
    """One scenario without optional meters, often on a tier or free-tier edge."""
    day = draw(st.sampled_from(DAYS))
    memory = draw(memory_mb)
    if day < "2020-12-01":
        memory = 128 + 64 * draw(st.integers(0, (3008 - 128) // 64))
    duration = draw(st.one_of(st.sampled_from([0.0, 0.5, 1.0, 99.99, 100.0, 100.01]), st.floats(0, 900_000)))
    monthly = draw(requests)
    if draw(st.booleans()):  # 1 GB x 1 s a request: the requests are the GB-s
        memory, duration = 1024, 1000.0
        monthly = draw(st.sampled_from(_tier_edges() + [BOOK.free_tier.requests + d for d in (-1, 0, 1)]))
    storage = 512 if day < "2022-03-24" else draw(st.sampled_from([512, 513, 2048, 10240]))
    place = dict(
        arch=draw(st.sampled_from(["x86_64", "arm64"])), region=draw(st.sampled_from(FULL_REGIONS + OTHER_REGIONS))
    )
    if day < "2020-12-01":  # the 100 ms era prices us-east-1 x86_64 only
        place = dict(arch="x86_64", region="us-east-1")
    return day, memory, duration, monthly, storage, draw(st.booleans()), place


@settings(max_examples=300, deadline=None)
@given(plain_scenarios())
def test_scalar_monthly_cost_is_the_engine_bit_for_bit(case):
    day, memory, duration, requests_a_month, storage, free, place = case
    table = engine.rate_table(BOOK, place["arch"], place["region"], date.fromisoformat(day))
    fast = monthly._one_scenario(
        BOOK, table, float(memory), float(duration), float(requests_a_month), float(storage), free
    )
    assert fast is not None
    assert (
        lambdacost.monthly_cost(
            memory, duration, requests_a_month, ephemeral_storage_mb=storage, free_tier=free, as_of=day, **place
        )
        == fast
    )
    keywords = dict(ephemeral_storage_mb=storage, free_tier=free)
    on_floats = engine.price(BOOK, table, memory, duration, requests_a_month, **keywords)["cost"]
    on_arrays = engine.price(
        BOOK, table, np.array([memory]), np.array([duration]), np.array([requests_a_month]), **keywords
    )
    assert fast == on_floats == on_arrays["cost"][0]


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_engine_on_plain_floats_equals_it_on_arrays(kw):
    """Every meter on: the plain-float operations of one scenario are numpy's on a 1-element array."""
    kw = dict(kw)
    table = engine.rate_table(BOOK, kw.pop("arch"), kw.pop("region"), date.fromisoformat(AS_OF))
    numbers = [kw.pop(k) for k in ("memory_mb", "duration_ms", "requests")]
    on_floats = engine.price(BOOK, table, *numbers, **kw)
    on_arrays = engine.price(BOOK, table, *(np.array([float(v)]) for v in numbers), **kw)
    for name, value in on_floats.items():
        assert type(value) is float, name
        assert value == np.broadcast_to(on_arrays[name], (1,))[0], name  # a skipped meter stays 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (dict(memory_mb=100), "memory_mb must be a whole number in 128..10240 MB, got 100"),
        (dict(requests=float("nan")), "requests must be a finite number in 0..1e+15 requests a month, got nan"),
        (dict(duration_ms=-1.0), "duration_ms must be a finite number in 0..900000 ms, got -1"),
        (dict(memory_mb=1000, as_of="2020-06-01"), "memory_mb must be a multiple of 64 in 128..3008 MB, got 1000"),
        (dict(ephemeral_storage_mb=1024, as_of="2020-06-01"), "ephemeral_storage_mb must be 512 MB on 2020-06-01"),
    ],
)
def test_scalar_monthly_cost_names_a_bad_input_as_the_engine_does(call, message):
    given = {"memory_mb": 1024, "duration_ms": 100.0, "requests": 1e6, "as_of": AS_OF, **call}
    with pytest.raises(lambdacost.InvalidParameterError) as scalar:
        lambdacost.monthly_cost(**given)
    with pytest.raises(lambdacost.InvalidParameterError) as one:
        lambdacost.estimate(**given)
    assert str(scalar.value) == str(one.value)
    assert str(scalar.value).startswith(message)


@settings(max_examples=300, deadline=None)
@given(plain_scenarios())
def test_the_plain_float_meter_path_is_the_general_one_bit_for_bit(case):
    """meter() skips every meter but requests, duration and /tmp on plain floats; the general path agrees."""
    from lambdacost.engine import meters

    day, memory, duration, requests_a_month, storage, free, place = case
    table = engine.rate_table(BOOK, place["arch"], place["region"], date.fromisoformat(day))
    scenario, _, _ = engine.check_scenario(
        BOOK, table, memory, duration, requests_a_month, ephemeral_storage_mb=storage, free_tier=free
    )
    general = engine.Scenario(**{**scenario.__dict__, "provisioned_concurrency": 0})  # an int 0: not plain, still off
    assert meters._plain(scenario) and not meters._plain(general)
    plain_usage, general_usage = engine.meter(scenario), engine.meter(general)
    assert plain_usage.to_dict() == general_usage.to_dict()
    for name, value in plain_usage.__dict__.items():
        assert type(value) is type(general_usage.__dict__[name]), name
    assert engine.charges(plain_usage, table, engine.free_use(plain_usage, BOOK.free_tier, free)) == engine.charges(
        general_usage, table, engine.free_use(general_usage, BOOK.free_tier, free)
    )


def test_the_meter_keywords_reach_the_checker_in_their_order(monkeypatch):
    """estimate() and check_scenario() pass the meter keywords as one tuple: each lands in its own place."""
    from lambdacost.engine import checks

    given = {name: object() for name in engine.METER_KEYWORDS}  # one marker per keyword
    seen = []

    def spy(book, rates, memory_mb, duration_ms, requests, storage, requests_per, free_tier, meters, unchecked=()):
        seen.append(meters)
        raise LookupError("stop")

    monkeypatch.setattr(engine, "check_scenario_ordered", spy)
    monkeypatch.setattr(checks, "check_scenario_ordered", spy)
    with pytest.raises(LookupError):
        lambdacost.estimate(1024, 100, 1e6, as_of=AS_OF, **given)
    table = engine.rate_table(BOOK, "x86_64", "us-east-1", date.fromisoformat(AS_OF))
    with pytest.raises(LookupError):
        engine.check_scenario(BOOK, table, 1024, 100, 1e6, **given)
    assert seen == [tuple(given.values())] * 2


def test_today_is_worked_out_once_a_second_and_is_date_today(monkeypatch):
    """The checker's date.today() kept for a second: the local date of any instant in that second."""
    from datetime import datetime, timedelta

    from lambdacost.engine import checks

    midnight = datetime.combine(date(2026, 12, 2), datetime.min.time()).timestamp()  # local time
    instants = [midnight - 1.5, midnight - 0.25, midnight - 1e-6, midnight, midnight + 0.5, midnight + 1, midnight - 2]
    for instant in instants:
        monkeypatch.setattr(checks.time, "time", lambda instant=instant: instant)
        assert checks._today() == date.fromtimestamp(instant), instant
    assert date.fromtimestamp(midnight - 0.25) + timedelta(days=1) == date.fromtimestamp(midnight)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_the_checked_scenario_and_its_usage_are_the_records_their_init_makes(kw):
    """Scenario and Usage are filled in one dict each (model._filled): the same fields, in order, as __init__'s."""
    import dataclasses

    kw = dict(kw)
    table = engine.rate_table(BOOK, kw.pop("arch"), kw.pop("region"), date.fromisoformat(AS_OF))
    scenario, _, _ = engine.check_scenario(BOOK, table, **kw)
    usage = engine.meter(scenario)
    for record in (scenario, usage):
        kind = type(record)
        assert list(vars(record)) == [f.name for f in dataclasses.fields(kind)]
        again = kind(**vars(record))
        assert again == record and list(vars(again)) == list(vars(record))
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.requests = 0.0


def test_a_rate_table_is_kept_under_the_codes_as_given_and_as_aws_spells_them():
    day = date.fromisoformat(AS_OF)
    spelled = engine.rate_table(BOOK, "arm64", "eu-west-1", day)
    assert engine.rate_table(BOOK, " ARM64", "EU-WEST-1 ", day) is spelled
    assert engine.rate_table(BOOK, " ARM64", "EU-WEST-1 ", day) is spelled  # now found as given
    for _ in range(2):  # a bad code is refused every time, never kept
        with pytest.raises(lambdacost.InvalidParameterError, match="arch must be one of"):
            engine.rate_table(BOOK, "ARM", "eu-west-1", day)
