"""The China regions bill in CNY: every result carries its currency and never adds or sets it beside USD.

Golden numbers are worked by hand from the CNY rates of ``pricing/lambda.toml`` (cn-north-1:
Infracost's AWS China test; cn-northwest-1: catersai's Ningxia cost section; arm64 and
storage: remotion's China entries) and, for Ningxia, from the published cost tables of
awslabs/aws-ai-solution-kit, which print totals to 0.1 yuan.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import lambdacost
from lambdacost import InvalidParameterError, PriceNotAvailableError, default_pricebook, estimate
from lambdacost.calculator import calculate
from lambdacost.cli import app
from lambdacost.options import Workload
from lambdacost.reports import cost_invocations
from lambdacost.tables import money, unit_price

NOW = "2026-12-01"
BOOK = default_pricebook()
runner = CliRunner()


def test_beijing_golden_in_cny():
    # 512 MB x 120 ms x 10M: 600,000 GB-s, 400,000 free -> 200,000 x 0.000113477 = 22.6954;
    # 9M billable requests x 1.36 per million = 12.24; total 34.9354 yuan
    e = estimate(512, 120, 1e7, region="cn-north-1", as_of=NOW)
    assert e.currency == "CNY"
    assert e.total_cost == pytest.approx(34.9354, abs=1e-9)
    assert {i.name: round(i.cost, 6) for i in e.line_items} == {
        "requests": 13.6,
        "requests free tier": -1.36,
        "duration": 68.0862,
        "duration free tier": -45.3908,
    }
    text = str(e)
    assert "CNY 34.94" in text and "CNY 0.000113477" in text and "$" not in text
    assert repr(e).startswith("<Estimate 34.935400 CNY:")
    assert "How CNY 34.94 is made" in e.explain() and "(exact: 34.935400 CNY)" in e.explain()


@pytest.mark.parametrize(
    ("memory_mb", "duration_ms", "printed"),
    [(10240, 1000, 1134.8), (8192, 1000, 907.8), (4096, 4000, 1815.6)],
)
def test_ningxia_reproduces_the_published_cost_tables(memory_mb, duration_ms, printed):
    # aws-ai-solution-kit, cn-northwest-1: "1 million invocations | ¥1.36" and the duration line,
    # both without the free tier
    e = estimate(memory_mb, duration_ms, 1e6, region="cn-northwest-1", free_tier=False, as_of=NOW)
    items = {i.name: i.cost for i in e.line_items}
    assert round(items["duration"], 1) == printed
    assert round(items["requests"], 2) == 1.36
    assert e.currency == "CNY"


def test_arm64_and_storage_in_cny():
    # 2048 MB arm64, 10 GB /tmp, 200 ms x 5M, no free tier: 2,000,000 GB-s x 0.0000908 = 181.6;
    # storage (10240 - 512) / 1024 GB x 0.2 s x 5M = 9,500,000 GB-s x 0.0000002049 = 1.946550;
    # requests 5 x 1.36 = 6.8
    e = estimate(2048, 200, 5e6, arch="arm64", region="cn-northwest-1", ephemeral_storage_mb=10240,
                 free_tier=False, as_of=NOW)  # fmt: skip
    assert e.total_cost == pytest.approx(181.6 + 1.94655 + 6.8, abs=1e-9)


def test_no_volume_tiers_are_derived_for_china():
    rates = BOOK.rates("cn-north-1", "x86_64")
    assert rates.tier_per_gb_second == (0.000113477,) and rates.derived_tiers_assumption is None
    # 10 billion GB-s a month (past the 6 billion where USD regions step down) at the one rate
    e = estimate(10240, 1000, 1e9, region="cn-north-1", free_tier=False, as_of=NOW)
    assert e.gb_seconds == 1e10
    assert e.total_cost == pytest.approx(1e10 * 0.000113477 + 1e9 * 1.36e-6, rel=1e-12)


def test_meters_not_priced_in_china_are_refused_in_one_line():
    with pytest.raises(PriceNotAvailableError, match="Provisioned Concurrency"):
        estimate(512, 120, 1e6, region="cn-north-1", provisioned_concurrency=2, as_of=NOW)
    result = runner.invoke(app, ["estimate", "-m", "512", "--ms", "120", "-r", "1e6", "--region", "cn-north-1",
                                 "--provisioned", "2"])  # fmt: skip
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_json_csv_and_frames_carry_the_currency():
    e = estimate(512, 120, 1e7, region="cn-north-1", as_of=NOW)
    assert json.loads(json.dumps(e.to_dict()))["currency"] == "CNY"
    assert set(e.to_frame()["currency"]) == {"CNY"}
    assert {row[5] for row in e.csv_rows()} == {"CNY"}
    us = estimate(512, 120, 1e7, as_of=NOW)
    assert us.currency == "USD" and us.to_dict()["currency"] == "USD" and "$" in str(us)


def test_bill_sweep_tune_and_reports_in_cny():
    functions = [
        {"name": "a", "memory_mb": 512, "duration_ms": 120, "requests": 1e7, "region": "cn-north-1"},
        {"name": "b", "memory_mb": 1024, "duration_ms": 50, "requests": 2e7, "region": "cn-northwest-1",
         "arch": "arm64"},
    ]  # fmt: skip
    bill = lambdacost.bill(functions, as_of=NOW)
    assert bill.currency == "CNY" and bill.to_dict()["currency"] == "CNY"
    assert "CNY 158.60" in str(bill) and "$" not in str(bill)
    # group totals: a 10M x 1.36e-6 + 600,000 x 0.000113477 = 81.6862; b 27.2 + 1,000,000 x 0.0000908 = 118.0,
    # less the shared pool (1M requests, 400,000 GB-s) credited pro rata at each group's rate
    assert bill.total_cost == pytest.approx(81.6862 + 118.0 - 0.45333333 - 0.90666667 - 17.02155 - 22.7, abs=1e-6)
    frame = lambdacost.sweep([128, 512], 100, 1e7, region=["cn-north-1", "cn-northwest-1"], as_of=NOW)
    assert list(frame["currency"].cat.categories) == ["CNY"] and len(frame) == 4
    grid = lambdacost.cost_grid([128, 512], 100, 1e7, region="cn-north-1", as_of=NOW)
    assert grid.currency == "CNY" and set(grid.to_frame()["currency"]) == {"CNY"}
    tuning = lambdacost.tune(1e6, duration_ms=100, measured_memory_mb=128, region="cn-north-1", memory_mb=[128, 256],
                             as_of=NOW)  # fmt: skip
    assert tuning.currency == "CNY" and tuning.to_dict()["currency"] == "CNY"


def test_mixed_currencies_are_refused_everywhere():
    both = ["us-east-1", "cn-north-1"]
    message = r"region must be all in one currency .*got 'cn-north-1 \(CNY\), us-east-1 \(USD\)'"
    with pytest.raises(InvalidParameterError, match=message):
        lambdacost.monthly_cost(512, 120, 1e6, region=both)
    with pytest.raises(InvalidParameterError, match=message):
        lambdacost.sweep(512, 120, 1e6, region=both)
    with pytest.raises(InvalidParameterError, match="functions' region must be all in one currency"):
        lambdacost.bill(
            [{"name": "a", "memory_mb": 512, "duration_ms": 100, "requests": 1, "region": r} for r in both[:1]]
            + [{"name": "b", "memory_mb": 512, "duration_ms": 100, "requests": 1, "region": both[1]}]
        )
    logs = pd.DataFrame({"function": ["a", "b"], "billed_duration_ms": [100.0, 100.0], "memory_size_mb": [128, 128]})
    with pytest.raises(InvalidParameterError, match=message):
        cost_invocations(logs, region={"a": "us-east-1", "b": "cn-north-1"}, as_of=NOW)


def test_servers_are_never_compared_with_yuan():
    w = Workload(512, 120, region="cn-north-1")
    with pytest.raises(InvalidParameterError, match="region must be a region billed in USD"):
        lambdacost.compare(w, ["lambda:x86_64"], requests=[1e6])
    with pytest.raises(InvalidParameterError, match="cn-north-1 bills Lambda in CNY"):
        lambdacost.breakeven(w, "lambda:arm64")
    result = runner.invoke(app, ["compare", "--memory", "512", "--ms", "120", "--rps", "5", "--region", "cn-north-1"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: Invalid value for '--region': region must be a region billed in USD (servers are priced in USD; "
        "cn-north-1 bills Lambda in CNY: price it with estimate), got 'cn-north-1'"
    ]


def test_cli_shows_cny_in_every_format():
    args = ["estimate", "-m", "512", "--ms", "120", "-r", "1e7", "--region", "cn-northwest-1", "--as-of", NOW]
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "CNY 34.94" in text.output and "$" not in text.output
    as_json = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert as_json["currency"] == "CNY" and as_json["total_cost"] == pytest.approx(34.9354)
    csv = runner.invoke(app, [*args, "--csv"]).output.splitlines()
    assert csv[0] == "item,quantity,unit,rate,cost,currency,source_url" and csv[-1] == "total,,,,34.9354,CNY,"
    sweep = runner.invoke(app, ["sweep", "-m", "128,512", "--ms", "100", "-r", "1e7", "--region", "cn-north-1"])
    assert "(CNY per month)" in sweep.output and "$" not in sweep.output
    listing = runner.invoke(app, ["prices"]).output
    assert "CNY 0.000113477" in listing and "CNY 1.36" in listing
    shown = runner.invoke(app, ["prices", "show", "cn-north-1"]).output
    assert "prices in CNY" in shown and "CNY 0.000113477" in shown
    priced = json.loads(runner.invoke(app, ["prices", "--json"]).output)
    assert {r["region"]: r["currency"] for r in priced if r["region"].startswith("cn-")} == {
        "cn-north-1": "CNY",
        "cn-northwest-1": "CNY",
    }


def test_a_sheet_with_an_unknown_currency_is_refused(tmp_path):
    from lambdacost.prices import PriceBook, packaged_pricing_dir

    text = (packaged_pricing_dir() / "lambda.toml").read_text()
    beijing = '[eras.regions.cn-north-1]\nname = "China (Beijing)"\ncurrency = '
    assert text.count(beijing + '"CNY"') == 1
    (tmp_path / "lambda.toml").write_text(text.replace(beijing + '"CNY"', beijing + '"EUR"'))
    with pytest.raises(lambdacost.PricingDataError, match=r"cn-north-1\.currency: one of 'USD', 'CNY', got 'EUR'"):
        PriceBook.load(tmp_path)


def test_money_is_written_in_its_currency():
    assert money(1.355, "CNY") == "CNY 1.36" or money(1.355, "CNY") == "CNY 1.35"  # float rounding of 1.355
    assert money(-45.3908, "CNY") == "-CNY 45.39" and money(2.5, "USD") == "$2.50"
    assert unit_price(0.0000908, "CNY") == "CNY 0.0000908"


@settings(max_examples=60, deadline=None)
@given(
    region=st.sampled_from(sorted(BOOK.regions())),
    arch=st.sampled_from(["x86_64", "arm64"]),
    memory_mb=st.integers(128, 10240),
    duration_ms=st.floats(1, 900_000),
    requests=st.floats(0, 1e9),
)
def test_every_region_prices_in_its_own_currency(region, arch, memory_mb, duration_ms, requests):
    e = estimate(memory_mb, duration_ms, requests, arch=arch, region=region, as_of=NOW)
    currency = BOOK.region_rates(region).currency
    assert e.currency == currency == ("CNY" if region.startswith("cn-") else "USD")
    assert np.isfinite(e.total_cost)
    text = str(e)
    assert ("$" in text) == (currency == "USD") and ("CNY" in text) == (currency == "CNY")


def test_logs_bill_and_calculator_outputs_in_cny(tmp_path):
    logs = runner.invoke(app, ["logs", "tests/data/logs/orders-text.log", "--region", "cn-north-1",
                               "--what-if", "arm64", "--as-of", NOW])  # fmt: skip
    assert logs.exit_code == 0, logs.output
    assert "Lambda cost from REPORT logs in CNY" in logs.output and "$" not in logs.output
    records = json.loads(runner.invoke(app, ["logs", "tests/data/logs/orders-text.log", "--region", "cn-north-1",
                                             "--json", "--as-of", NOW]).output)  # fmt: skip
    functions = records["functions"] if isinstance(records, dict) else records
    assert {f["currency"] for f in functions} == {"CNY"}
    fleet = tmp_path / "fleet.yml"
    fleet.write_text(
        "functions:\n"
        "  - {name: a, memory_mb: 512, duration_ms: 120, requests: 1e7, region: cn-north-1}\n"
        "  - {name: b, memory_mb: 512, duration_ms: 120, requests: 1e7, region: us-east-1}\n"
    )
    mixed = runner.invoke(app, ["bill", str(fleet)])
    assert mixed.exit_code == 2 and mixed.output.strip().splitlines() == [
        "Error: functions' region must be all in one currency (the China regions bill in CNY, in accounts of their "
        "own: price them apart), got 'cn-north-1 (CNY), us-east-1 (USD)'"
    ]
    fleet.write_text(fleet.read_text().replace("us-east-1", "cn-northwest-1"))
    billed = runner.invoke(app, ["bill", str(fleet), "--as-of", NOW])
    # each group alone: 13.6 + 68.0862 less its half of the pool (0.68 + 22.6954) = 58.3108; twice
    assert billed.exit_code == 0 and "CNY 116.62" in billed.output and "$" not in billed.output
    view = calculate(512, 120, 1e7, region="cn-north-1", as_of=NOW)
    assert view.currency == "CNY" and "CNY 34.94 a month" in view.summary() and "$" not in view.summary()


def test_charts_label_their_currency():
    import matplotlib

    matplotlib.use("Agg")
    from lambdacost import plot

    e = estimate(512, 120, 1e7, region="cn-north-1", as_of=NOW)
    ax = plot.breakdown(e)
    assert ax.get_ylabel() == "Monthly cost [CNY]"
    assert any("CNY 34.94" in t.get_text() for t in ax.get_legend().get_texts())
    frame = lambdacost.sweep([128, 512, 1024], [100, 200], 1e7, region="cn-north-1", as_of=NOW)
    assert plot.cost_surface(frame).get_title().startswith("Monthly cost [CNY]")
    us = lambdacost.sweep([128, 512, 1024], [100, 200], 1e7, as_of=NOW)
    assert plot.cost_surface(us).get_title().startswith("Monthly cost [USD]")


def test_free_tier_lines_cite_the_china_sources_of_the_free_tier(tmp_path):
    sources = {
        "cn-north-1": "https://github.com/jowhee327/aws-china-pricing/blob/a219ae2b",
        "cn-northwest-1": "https://github.com/catersai/AWSCN-PhD-Notification/blob/4c17feda",
    }
    for region, url in sources.items():
        e = estimate(512, 120, 1e7, region=region, as_of=NOW)
        free = [i for i in e.line_items if i.name.endswith("free tier")]
        assert len(free) == 2 and all(i.source_url.startswith(url) for i in free)
        assert e.pricing["free_tier_source_url"].startswith(url)
    assert (
        estimate(512, 120, 1e7, as_of=NOW).pricing["free_tier_source_url"] == "https://aws.amazon.com/lambda/pricing/"
    )
    from lambdacost.prices import PriceBook, packaged_pricing_dir

    text = (packaged_pricing_dir() / "lambda.toml").read_text()
    (tmp_path / "lambda.toml").write_text(
        text.replace(
            'free_tier_source_url = "https://github.com/jowhee327', 'free_tier_source_url = "github.com/jowhee327'
        )
    )
    with pytest.raises(
        lambdacost.PricingDataError, match=r"cn-north-1\.free_tier_source_url: expected an http\(s\) URL"
    ):
        PriceBook.load(tmp_path)


def test_rates_read_from_a_second_source_cite_it(tmp_path):
    remotion = "https://github.com/remotion-dev/remotion/blob/024b341a3f7744d2d082e88c8e7a30f71398b147/"
    for region, apart in (("cn-north-1", {"duration"}), ("cn-northwest-1", {"duration", "ephemeral storage"})):
        e = estimate(1024, 120, 1e7, arch="arm64", region=region, ephemeral_storage_mb=2048, free_tier=False,
                     as_of=NOW)  # fmt: skip
        cited = {i.name: i.source_url for i in e.line_items}
        assert {name for name, url in cited.items() if url.startswith(remotion)} == apart
        assert not cited["requests"].startswith(remotion)
    # x86_64 duration in Beijing is Infracost's, not remotion's
    x86 = estimate(1024, 120, 1e7, region="cn-north-1", free_tier=False, as_of=NOW)
    assert {i.name: i.source_url for i in x86.line_items}["duration"].startswith("https://github.com/infracost/")
    shown = runner.invoke(app, ["prices", "show", "cn-northwest-1", "--arch", "arm64", "--json"]).output
    by_meter = {r["meter"]: r["source_url"] for r in json.loads(shown)["rates"]}
    assert by_meter["duration tier 1 (from 0 GB-s)"].startswith(remotion)
    assert by_meter["requests"].startswith("https://github.com/catersai/")
    from lambdacost.prices import PriceBook, packaged_pricing_dir

    text = (packaged_pricing_dir() / "lambda.toml").read_text()
    bad = text.replace("rate_sources = { arm64_per_gb_second", "rate_sources = { provisioned_arm64_per_gb_second", 1)
    (tmp_path / "lambda.toml").write_text(bad)
    with pytest.raises(
        lambdacost.PricingDataError, match=r"rate_sources\.provisioned_arm64_per_gb_second: names a rate"
    ):
        PriceBook.load(tmp_path)
