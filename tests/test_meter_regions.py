"""The [meters] tables beyond us-east-1: each regional rate against its source, hand-worked estimates there,
and what a region without a meter's rate is told.

``DUCKBILL``: the Duckbill Group's CloudWatchCashBack ``cloudwatch_pricing.json`` at commit
2ee064bb4fd363b1136026276f4356b78792cf07 (read 2026-12-01), ``logs.vended_logs.to_cloudwatch_logs_standard``
per region: first_10tb, next_20tb, next_20tb_plus, over_50tb (USD per GB), as the file prints them.
"""

from datetime import date

import pytest
from typer.testing import CliRunner

from lambdacost import PriceNotAvailableError, default_pricebook, estimate
from lambdacost.cli import app

BOOK = default_pricebook()
NOW = "2026-11-01"
LOGS = BOOK.meters["cloudwatch_logs"]

DUCKBILL = {
    "af-south-1": (0.678, 0.339, 0.136, 0.068),
    "ap-east-1": (0.8, 0.39, 0.15, 0.08),
    "ap-northeast-1": (0.76, 0.38, 0.152, 0.076),
    "ap-northeast-2": (0.76, 0.38, 0.152, 0.076),
    "ap-northeast-3": (0.76, 0.38, 0.152, 0.076),
    "ap-south-1": (0.67, 0.335, 0.134, 0.067),
    "ap-south-2": (0.67, 0.335, 0.134, 0.067),
    "ap-southeast-1": (0.7, 0.35, 0.14, 0.07),
    "ap-southeast-2": (0.67, 0.335, 0.134, 0.067),
    "ap-southeast-3": (0.7, 0.35, 0.14, 0.07),
    "ap-southeast-4": (0.67, 0.335, 0.134, 0.067),
    "ap-southeast-5": (0.5, 0.25, 0.1, 0.05),
    "ap-southeast-7": (0.5, 0.25, 0.1, 0.05),
    "ca-central-1": (0.55, 0.275, 0.11, 0.055),
    "ca-west-1": (0.55, 0.275, 0.11, 0.055),
    "eu-central-1": (0.63, 0.315, 0.126, 0.063),
    "eu-central-2": (0.69, 0.347, 0.139, 0.069),
    "eu-north-1": (0.54, 0.271, 0.108, 0.054),
    "eu-south-1": (0.6, 0.3, 0.12, 0.06),
    "eu-south-2": (0.57, 0.285, 0.114, 0.057),
    "eu-west-1": (0.57, 0.285, 0.114, 0.057),
    "eu-west-2": (0.5985, 0.2993, 0.1197, 0.0599),
    "eu-west-3": (0.5985, 0.2993, 0.1197, 0.0599),
    "il-central-1": (0.5, 0.25, 0.1, 0.05),
    "me-central-1": (0.63, 0.314, 0.125, 0.063),
    "me-south-1": (0.63, 0.314, 0.125, 0.063),
    "mx-central-1": (0.5, 0.25, 0.1, 0.05),
    "sa-east-1": (0.9, 0.45, 0.18, 0.09),
    "us-east-1": (0.5, 0.25, 0.1, 0.05),
    "us-east-2": (0.5, 0.25, 0.1, 0.05),
    "us-west-1": (0.67, 0.335, 0.134, 0.067),
    "us-west-2": (0.5, 0.25, 0.1, 0.05),
}


def test_cloudwatch_logs_is_priced_in_every_region_of_its_source():
    assert set(LOGS.regions) == set(DUCKBILL)
    assert LOGS.source.url.endswith("/blob/2ee064bb4fd363b1136026276f4356b78792cf07/cloudwatch_pricing.json")


@pytest.mark.parametrize("region", sorted(DUCKBILL))
def test_cloudwatch_logs_tiers_match_the_duckbill_file(region):
    rates = BOOK.rates(region, "x86_64", date(2026, 11, 1))
    assert rates.logs_per_gb == DUCKBILL[region]
    assert rates.logs_tier_from_gb == (0, 10_000, 30_000, 50_000)
    # the single source outside us-east-1 is said in every result using it
    assert "outside us-east-1 the four tier rates rest on this one file" in rates.meter_assumptions["logs_per_gb"]


def test_eu_west_1_logs_golden():
    # 1,000,000 invocations x 1 KB = 1,000,000 KB = 1e6 / 1024^2 GB = 0.95367431640625 GB x $0.57 = $0.54359...
    e = estimate(128, 10, 1e6, region="eu-west-1", logged_kb=1, as_of=NOW)
    logs = {i.name: i for i in e.line_items}["CloudWatch Logs ingestion tier 1"]
    assert logs.quantity == pytest.approx(0.95367431640625, abs=1e-12)
    assert logs.rate == 0.57
    assert logs.cost == pytest.approx(0.5435943603515625, abs=1e-12)
    assert round(logs.cost, 2) == 0.54
    assert logs.source_url == LOGS.source.url


def test_sa_east_1_logs_across_all_four_tiers_golden():
    # 60,000 GB of logs a month: 10,000 x $0.90 + 20,000 x $0.45 + 20,000 x $0.18 + 10,000 x $0.09
    # = $9,000 + $9,000 + $3,600 + $900 = $22,500 (us-east-1: $12,500).
    kb = 60_000 * 1024**2 / 1e9  # KB an invocation for 60,000 GB over 1e9 invocations
    e = estimate(128, 10, 1e9, region="sa-east-1", logged_kb=kb, as_of=NOW)
    logs = [i for i in e.line_items if i.name.startswith("CloudWatch Logs")]
    assert [round(i.quantity, 6) for i in logs] == [10_000, 20_000, 20_000, 10_000]
    assert [i.rate for i in logs] == [0.9, 0.45, 0.18, 0.09]
    assert sum(i.cost for i in logs) == pytest.approx(22_500, abs=1e-6)


def test_a_region_without_a_logs_rate_says_where_it_is_priced():
    # GovCloud is not in the Duckbill Group's file
    with pytest.raises(PriceNotAvailableError) as info:
        estimate(128, 10, 1e6, region="us-gov-east-1", logged_kb=1, as_of=NOW)
    message = str(info.value)
    assert message.startswith("no CloudWatch Logs rate for us-gov-east-1 in our sources (priced in: af-south-1,")
    assert "eu-west-1" in message and "us-gov" not in message.split("priced in")[1]
    assert message.endswith("): leave the meter out, or price it in one of those regions")


@pytest.mark.parametrize(
    "keywords, label",
    [
        ({"esm_type": "kafka", "esm_epu_hours": 10}, "provisioned-mode Kafka event source mapping"),
        ({"esm_type": "sqs", "esm_epu_hours": 10}, "provisioned-mode SQS event source mapping"),
        ({"durable_executions": 1, "durable_operations": 2}, "durable functions"),
        ({"savings_plan_per_hour": 1.0}, "Compute Savings Plans"),
    ],
)
def test_meters_priced_in_us_east_1_only_name_it(keywords, label):
    # no source read shows these meters' rates for another region (see the sheet's [meters] comment)
    with pytest.raises(PriceNotAvailableError) as info:
        estimate(1024, 100, 1e6, region="eu-west-1", as_of=NOW, **keywords)
    message = str(info.value)
    assert message == (
        f"no {label} rate for eu-west-1 in our sources (priced in: us-east-1): "
        "leave the meter out, or price it in one of those regions"
    )


def test_a_region_never_priced_is_named_before_the_billing_date():
    # before the meter's start date, eu-west-1 is still refused for its region: it is not priced there later either
    with pytest.raises(PriceNotAvailableError, match=r"^no provisioned-mode Kafka .* for eu-west-1 in our sources"):
        estimate(1024, 100, 1e6, region="eu-west-1", as_of="2024-01-01", esm_type="kafka", esm_epu_hours=10)
    with pytest.raises(PriceNotAvailableError, match=r"^provisioned-mode Kafka .* is priced from 2024-11-22, got"):
        estimate(1024, 100, 1e6, region="us-east-1", as_of="2024-01-01", esm_type="kafka", esm_epu_hours=10)


def test_cli_prices_logs_outside_us_east_1_and_refuses_esm_in_one_line():
    runner = CliRunner()
    ok = runner.invoke(app, ["estimate", "--memory", "128", "--ms", "10", "--requests", "1M", "--region", "eu-west-1",
                             "--logged-kb", "1", "--as-of", NOW, "--json"])  # fmt: skip
    assert ok.exit_code == 0 and '"CloudWatch Logs ingestion tier 1"' in ok.output and '"rate": 0.57' in ok.output
    bad = runner.invoke(app, ["estimate", "--memory", "128", "--ms", "10", "--requests", "1M", "--region", "eu-west-1",
                              "--esm", "kafka", "--epu-hours", "10", "--as-of", NOW])  # fmt: skip
    assert bad.exit_code == 2
    assert bad.output.startswith("Error: no provisioned-mode Kafka event source mapping rate for eu-west-1")
    assert bad.output.endswith("(priced in: us-east-1): leave the meter out, or price it in one of those regions\n")
    assert bad.output.count("\n") == 1
