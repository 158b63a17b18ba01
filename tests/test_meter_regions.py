"""The [meters] tables beyond us-east-1: each regional rate against its source, hand-worked estimates there,
and what a region without a meter's rate is told.

``DUCKBILL``: the Duckbill Group's CloudWatchCashBack ``cloudwatch_pricing.json`` at commit
2ee064bb4fd363b1136026276f4356b78792cf07 (read 2026-12-01), ``logs.vended_logs.to_cloudwatch_logs_standard``
per region: first_10tb, next_20tb, next_20tb_plus, over_50tb (USD per GB), as the file prints them.

``OPENBINDING_*``: isa-group/OpenBinding ``pricings/aws/lambda_variables.yml`` at commit
9495c138575b23a27adcc2768a2f03cf5409af7e (read 2026-12-01), as the file prints them:
``eventSourceMappingProvisionedModePricesPerRegionAndSourceType.<region>.kafka/sqs.epuHour`` (USD per EPU-hour),
``durableFunctionsPricesPerRegion.<region>.operation/dataWrittenGb/dataRetainedGbMonth`` (USD per operation, per GB,
per GB-month) and ``tenantIsolationPricesPerRegionAndArchitecture.<region>.x86/arm.environmentGb`` (USD per new
execution environment per GB). None: the file prints no such rate.
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


OPENBINDING_URL = (
    "https://github.com/isa-group/OpenBinding/blob/9495c138575b23a27adcc2768a2f03cf5409af7e/pricings/aws/"
    "lambda_variables.yml"
)
#: region: (kafka epuHour, sqs epuHour)
OPENBINDING_EPU = {
    "af-south-1": (0.244, 0.0122),
    "ap-east-1": (0.255, 0.01275),
    "ap-east-2": (0.2142, 0.01071),
    "ap-northeast-1": (0.238, 0.0119),
    "ap-northeast-2": (0.226, 0.0113),
    "ap-northeast-3": (0.238, 0.0119),
    "ap-south-1": (0.122, 0.0097),
    "ap-south-2": (0.122, 0.0097),
    "ap-southeast-1": (0.231, 0.01155),
    "ap-southeast-2": (0.231, 0.01155),
    "ap-southeast-3": (0.231, 0.01155),
    "ap-southeast-4": (0.231, 0.01155),
    "ap-southeast-5": (None, 0.0104),
    "ap-southeast-6": (0.243, 0.0122),
    "ap-southeast-7": (None, 0.0104),
    "ca-central-1": (0.206, 0.0103),
    "ca-west-1": (None, 0.0101),
    "eu-central-1": (0.221, 0.01105),
    "eu-central-2": (0.243, 0.01215),
    "eu-north-1": (0.197, 0.00985),
    "eu-south-1": (0.215, 0.01075),
    "eu-south-2": (0.207, 0.01035),
    "eu-west-1": (0.207, 0.01035),
    "eu-west-2": (0.213, 0.01065),
    "eu-west-3": (0.216, 0.0108),
    "il-central-1": (None, 0.01085),
    "me-central-1": (0.227, 0.01135),
    "me-south-1": (0.226, 0.0113),
    "mx-central-1": (0.194, 0.0097),
    "sa-east-1": (0.294, 0.0147),
    "us-east-1": (0.185, 0.00925),
    "us-east-2": (0.185, 0.00925),
    "us-gov-east-1": (0.221, None),
    "us-gov-west-1": (0.221, None),
    "us-west-1": (0.215, 0.01075),
    "us-west-2": (0.185, 0.00925),
}
#: region: (operation, dataWrittenGb, dataRetainedGbMonth)
OPENBINDING_DURABLE = {
    "af-south-1": (0.0000086, 0.28, 0.16),
    "ap-east-1": (0.0000152, 0.46, 0.26),
    "ap-east-2": (0.000012, 0.38, 0.22),
    "ap-northeast-1": (0.0000106, 0.33, 0.2),
    "ap-northeast-2": (0.0000098, 0.3, 0.19),
    "ap-northeast-3": (0.0000119, 0.38, 0.21),
    "ap-south-1": (0.0000086, 0.27, 0.16),
    "ap-south-2": (0.0000082, 0.29, 0.15),
    "ap-southeast-1": (0.0000103, 0.32, 0.2),
    "ap-southeast-2": (0.0000087, 0.28, 0.17),
    "ap-southeast-3": (0.0000086, 0.29, 0.16),
    "ap-southeast-4": (0.0000084, 0.28, 0.17),
    "ap-southeast-5": (0.000008, 0.25, 0.15),
    "ap-southeast-7": (0.0000085, 0.27, 0.16),
    "ca-central-1": (0.000009, 0.28, 0.17),
    "ca-west-1": (0.0000083, 0.26, 0.16),
    "eu-central-1": (0.000011, 0.34, 0.2),
    "eu-central-2": (0.0000122, 0.38, 0.22),
    "eu-north-1": (0.000008, 0.26, 0.15),
    "eu-south-1": (0.0000127, 0.38, 0.23),
    "eu-south-2": (0.000008, 0.27, 0.15),
    "eu-west-1": (0.0000086, 0.26, 0.16),
    "eu-west-2": (0.0000134, 0.41, 0.25),
    "eu-west-3": (0.0000125, 0.39, 0.23),
    "il-central-1": (0.0000097, 0.29, 0.19),
    "mx-central-1": (0.0000095, 0.3, 0.18),
    "sa-east-1": (0.0000112, 0.36, 0.21),
    "us-east-1": (0.000008, 0.25, 0.15),
    "us-east-2": (0.000008, 0.25, 0.15),
    "us-west-1": (0.0000104, 0.32, 0.19),
    "us-west-2": (0.000008, 0.25, 0.15),
}
#: region: (x86 environmentGb, arm environmentGb)
OPENBINDING_TENANT = {
    "af-south-1": (0.000221, 0.0001768),
    "ap-east-1": (0.0002292, 0.000183),
    "ap-east-2": (0.00015, 0.00012),
    "ap-northeast-1": (0.000166667, 0.000133333),
    "ap-northeast-2": (0.000166667, 0.000133333),
    "ap-northeast-3": (0.000166667, 0.000133333),
    "ap-south-1": (0.000166667, 0.000133333),
    "ap-south-2": (0.000166667, 0.000133333),
    "ap-southeast-1": (0.000166667, 0.000133333),
    "ap-southeast-2": (0.000166667, 0.000133333),
    "ap-southeast-3": (0.000166667, 0.000133333),
    "ap-southeast-4": (0.000166667, 0.000133333),
    "ap-southeast-5": (0.00015, 0.00012),
    "ap-southeast-7": (0.00015, 0.00012),
    "ca-central-1": (0.000166667, 0.000133333),
    "ca-west-1": (0.000166667, 0.000133333),
    "eu-central-1": (0.000166667, 0.000133333),
    "eu-central-2": (0.000183333, 0.000146667),
    "eu-north-1": (0.000166667, 0.000133333),
    "eu-south-1": (0.000195172, 0.000156138),
    "eu-south-2": (0.000166667, 0.000133333),
    "eu-west-1": (0.000166667, 0.000133333),
    "eu-west-2": (0.000166667, 0.000133333),
    "eu-west-3": (0.000166667, 0.000133333),
    "il-central-1": (0.000175, 0.000140001),
    "me-central-1": (0.000206667, 0.000165333),
    "me-south-1": (0.000206667, 0.000165333),
    "mx-central-1": (0.000175, 0.00014),
    "sa-east-1": (0.000166667, 0.000133333),
    "us-east-1": (0.000166667, 0.000133333),
    "us-east-2": (0.000166667, 0.000133333),
    "us-west-1": (0.000166667, 0.000133333),
    "us-west-2": (0.000166667, 0.000133333),
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


OPENBINDING_SAYS = "rest on one third-party generated file, isa-group/OpenBinding pricings/aws/lambda_variables.yml at"
OPENBINDING_REGIONS = sorted(set(OPENBINDING_EPU) | set(OPENBINDING_DURABLE) | set(OPENBINDING_TENANT))
METER_KEYS = (
    "esm_kafka_per_epu_hour",
    "esm_sqs_per_epu_hour",
    "durable_operations_per_million",
    "durable_written_per_gb",
    "durable_retained_per_gb_month",
    "x86_64_tenant_isolation_per_gb",
    "arm64_tenant_isolation_per_gb",
)


def _priced_in(key):
    return {code for m in BOOK.meters.values() for code, rates in m.regions.items() if key in rates}


def test_epu_durable_and_tenant_meters_are_priced_where_the_file_prints_them():
    assert _priced_in("esm_kafka_per_epu_hour") == {r for r, (kafka, _) in OPENBINDING_EPU.items() if kafka}
    assert _priced_in("esm_sqs_per_epu_hour") == {r for r, (_, sqs) in OPENBINDING_EPU.items() if sqs}
    for key in METER_KEYS[2:5]:
        assert _priced_in(key) == set(OPENBINDING_DURABLE)
    assert _priced_in("x86_64_tenant_isolation_per_gb") == _priced_in("arm64_tenant_isolation_per_gb")
    assert _priced_in("arm64_tenant_isolation_per_gb") == set(OPENBINDING_TENANT)
    # every region the file prices, lambdacost prices in USD (so none was left out for want of a region row)
    assert set(OPENBINDING_REGIONS) <= set(BOOK.regions(date(2026, 11, 1)))


@pytest.mark.parametrize("region", OPENBINDING_REGIONS)
def test_epu_durable_and_tenant_rates_match_the_openbinding_file(region):
    x86 = BOOK.rates(region, "x86_64", date(2026, 11, 1))
    arm = BOOK.rates(region, "arm64", date(2026, 11, 1))
    assert (x86.esm_kafka_per_epu_hour, x86.esm_sqs_per_epu_hour) == OPENBINDING_EPU.get(region, (None, None))
    # the sheet keeps durable operations per million; divided in decimal they are the file's per-operation rate
    durable = (x86.durable_per_operation, x86.durable_written_per_gb, x86.durable_retained_per_gb_month)
    assert durable == OPENBINDING_DURABLE.get(region, (None, None, None))
    tenant_x86, tenant_arm = OPENBINDING_TENANT.get(region, (None, None))
    if region == "us-east-1":
        tenant_x86 = 0.000167  # the pricing page's example rate stays (the file: 0.000166667)
    assert (x86.tenant_isolation_per_gb, arm.tenant_isolation_per_gb) == (tenant_x86, tenant_arm)
    # each rate from the file names it as its source and, in its assumption, the single source and its fault
    for rates in (x86, arm):
        for key, source in rates.rate_sources.items():
            if key not in METER_KEYS:
                continue
            from_file = region != "us-east-1" or key == "arm64_tenant_isolation_per_gb"
            assert source.url == (OPENBINDING_URL if from_file else "https://aws.amazon.com/lambda/pricing/")
            assert source.read_on == date(2026, 12, 1)
            note = rates.meter_assumptions.get(key, "")
            assert (OPENBINDING_SAYS in note and "$0.00000075" in note) == from_file


def _lines(e):
    return {i.name: i for i in e.line_items}


def test_eu_west_1_kafka_durable_and_tenant_isolation_golden():
    # 1,024 MB x86_64, 10M invocations of 2 s, no free tier:
    #   requests 10M x $0.0000002 = $2.00; duration 20,000,000 GB-s x $0.0000166667 = $333.334
    #   Kafka 720 EPU-hours x $0.207 = $149.04
    #   durable 1M executions x 4 operations = 4M x $0.0000086 = $34.40; 1M x 104 KB = 104 GB x $0.26 = $27.04;
    #   kept 21 days: 104 GB x 21/30 = 72.8 GB-months x $0.16 = $11.648
    #   tenant isolation 200,000 new environments x 1 GB x $0.000166667 = $33.3334
    #   total $590.7954 -> $590.80
    e = estimate(
        1024,
        2000,
        10e6,
        region="eu-west-1",
        esm_type="kafka",
        esm_epu_hours=720,
        durable_executions=1e6,
        durable_operations=4,
        durable_written_kb=104,
        durable_retained_days=21,
        tenant_isolation=True,
        cold_starts=200_000,
        free_tier=False,
        as_of=NOW,
    )
    lines = _lines(e)
    want = {
        "requests": (10e6, 0.0000002, 2.00),
        "duration tier 1": (20e6, 0.0000166667, 333.334),
        "provisioned ESM (Kafka)": (720, 0.207, 149.04),
        "durable operations": (4e6, 0.0000086, 34.40),
        "durable data written": (104, 0.26, 27.04),
        "durable data retained": (72.8, 0.16, 11.648),
        "tenant isolation": (200_000, 0.000166667, 33.3334),
    }
    assert set(lines) == set(want)
    for name, (quantity, rate, cost) in want.items():
        assert lines[name].quantity == pytest.approx(quantity, rel=1e-12)
        assert lines[name].rate == rate
        assert lines[name].cost == pytest.approx(cost, abs=1e-9)
    assert e.total_cost == pytest.approx(590.7954, abs=1e-9)
    assert round(e.total_cost, 2) == 590.80
    assert lines["provisioned ESM (Kafka)"].source_url == OPENBINDING_URL
    assert lines["provisioned ESM (Kafka)"].sku == ""  # the file names no SKU (us-east-1's E9QEPQBP6HKCU5DW is not it)
    assert lines["requests"].source_url != OPENBINDING_URL  # the file's request prices are not used
    assert sum(OPENBINDING_SAYS in a for a in e.assumptions) >= 3  # Kafka, durable, tenant: each says so


def test_ap_northeast_1_sqs_durable_and_tenant_isolation_golden():
    # 2,048 MB x86_64, 30M invocations of 1 s, no free tier (ap-northeast-1 is absent from the file's on-demand
    # table; its request and duration rates are lambdacost's own):
    #   requests 30M x $0.0000002 = $6.00; duration 60,000,000 GB-s x $0.0000166667 = $1,000.002
    #   SQS 8,000 EPU-hours x $0.0119 = $95.20
    #   durable 2M executions x 3 operations = 6M x $0.0000106 = $63.60; 2M x 50 KB = 100 GB x $0.33 = $33.00;
    #   kept 14 days: 100 GB x 14/30 = 46.666... GB-months x $0.2 = $9.3333...
    #   tenant isolation 100,000 new environments x 2 GB x $0.000166667 = $33.3334
    #   total $1,240.4687... -> $1,240.47
    e = estimate(
        2048,
        1000,
        30e6,
        region="ap-northeast-1",
        esm_type="sqs",
        esm_epu_hours=8000,
        durable_executions=2e6,
        durable_operations=3,
        durable_written_kb=50,
        durable_retained_days=14,
        tenant_isolation=True,
        cold_starts=100_000,
        free_tier=False,
        as_of=NOW,
    )
    lines = _lines(e)
    want = {
        "requests": 6.00,
        "duration tier 1": 1000.002,
        "provisioned ESM (SQS)": 95.20,
        "durable operations": 63.60,
        "durable data written": 33.00,
        "durable data retained": 100 * 14 / 30 * 0.2,
        "tenant isolation": 33.3334,
    }
    assert {name: round(item.cost, 2) for name, item in lines.items()} == {k: round(v, 2) for k, v in want.items()}
    assert lines["durable data retained"].cost == pytest.approx(9.333333333333334, abs=1e-9)
    assert lines["tenant isolation"].quantity == pytest.approx(200_000)  # 100,000 environments x 2 GB
    assert e.total_cost == pytest.approx(1240.468733333333, abs=1e-9)
    assert round(e.total_cost, 2) == 1240.47


@pytest.mark.parametrize(
    "esm_type, rate, esm_cost, total",
    [
        # 100 EPU-hours x $0.122 = $12.20; total $0.20 + $0.833335 + $12.20 + $8.60 + $0.54 + $0.32 + $0.833335
        ("kafka", 0.122, 12.20, 23.52667),
        # 100 EPU-hours x $0.0097 = $0.97; total $12.29667
        ("sqs", 0.0097, 0.97, 12.29667),
    ],
)
def test_ap_south_1_golden_and_its_odd_epu_rates_are_said(esm_type, rate, esm_cost, total):
    # 512 MB x86_64, 1M invocations of 100 ms, 1 % cold starts, no free tier:
    #   requests 1M x $0.0000002 = $0.20; duration 50,000 GB-s x $0.0000166667 = $0.833335
    #   durable 100,000 executions x 10 operations = 1M x $0.0000086 = $8.60; 100,000 x 20 KB = 2 GB x $0.27 = $0.54;
    #   kept 30 days: 2 GB-months x $0.16 = $0.32
    #   tenant isolation 10,000 new environments x 0.5 GB x $0.000166667 = $0.833335
    e = estimate(
        512,
        100,
        1e6,
        region="ap-south-1",
        esm_type=esm_type,
        esm_epu_hours=100,
        durable_executions=1e5,
        durable_operations=10,
        durable_written_kb=20,
        durable_retained_days=30,
        tenant_isolation=True,
        cold_start_rate=0.01,
        free_tier=False,
        as_of=NOW,
    )
    lines = _lines(e)
    esm = lines[f"provisioned ESM ({'Kafka' if esm_type == 'kafka' else 'SQS'})"]
    assert (esm.quantity, esm.rate) == (100, rate) and esm.cost == pytest.approx(esm_cost, abs=1e-12)
    assert lines["durable operations"].cost == pytest.approx(8.60, abs=1e-9)
    assert lines["durable data written"].cost == pytest.approx(0.54, abs=1e-12)
    assert lines["durable data retained"].cost == pytest.approx(0.32, abs=1e-12)
    assert lines["tenant isolation"].cost == pytest.approx(0.833335, abs=1e-12)
    assert e.total_cost == pytest.approx(total, abs=1e-9)
    assert round(e.total_cost, 2) == round(total, 2)
    # the ap-south-1/ap-south-2 EPU rates break the file's Kafka = 20 x SQS pattern: every such result says so
    assert any("ap-south-1 and ap-south-2 rate" in a for a in e.assumptions)


@pytest.mark.parametrize(
    "keywords, label, region, priced_in",
    [
        (
            {"esm_type": "kafka", "esm_epu_hours": 10},
            "provisioned-mode Kafka event source mapping",
            "il-central-1",
            sorted(r for r, (kafka, _) in OPENBINDING_EPU.items() if kafka),
        ),
        (
            {"esm_type": "sqs", "esm_epu_hours": 10},
            "provisioned-mode SQS event source mapping",
            "us-gov-west-1",
            sorted(r for r, (_, sqs) in OPENBINDING_EPU.items() if sqs),
        ),
        (
            {"durable_executions": 1, "durable_operations": 2},
            "durable functions",
            "me-central-1",
            sorted(OPENBINDING_DURABLE),
        ),
        (
            {"tenant_isolation": True, "cold_start_rate": 0.01},
            "tenant-isolation",
            "ap-southeast-6",
            sorted(OPENBINDING_TENANT),
        ),
        ({"savings_plan_per_hour": 1.0}, "Compute Savings Plans", "eu-west-1", ["us-east-1"]),
    ],
)
def test_a_region_the_sources_do_not_price_is_refused_in_one_line(keywords, label, region, priced_in):
    # the file prints no such rate there (and Savings Plans discounts are still us-east-1's only)
    with pytest.raises(PriceNotAvailableError) as info:
        estimate(1024, 100, 1e6, region=region, as_of=NOW, **keywords)
    assert str(info.value) == (
        f"no {label} rate for {region} in our sources (priced in: {', '.join(priced_in)}): "
        "leave the meter out, or price it in one of those regions"
    )


def test_a_region_never_priced_is_named_before_the_billing_date():
    # before the meter's start date, il-central-1 is still refused for its region: it is not priced there later either
    with pytest.raises(PriceNotAvailableError, match=r"^no provisioned-mode Kafka .* for il-central-1 in our sources"):
        estimate(1024, 100, 1e6, region="il-central-1", as_of="2024-01-01", esm_type="kafka", esm_epu_hours=10)
    with pytest.raises(PriceNotAvailableError, match=r"^provisioned-mode Kafka .* is priced from 2024-11-22, got"):
        estimate(1024, 100, 1e6, region="eu-west-1", as_of="2024-01-01", esm_type="kafka", esm_epu_hours=10)


def test_cli_prices_logs_and_esm_outside_us_east_1_and_refuses_esm_in_one_line():
    runner = CliRunner()
    ok = runner.invoke(app, ["estimate", "--memory", "128", "--ms", "10", "--requests", "1M", "--region", "eu-west-1",
                             "--logged-kb", "1", "--esm", "kafka", "--epu-hours", "10", "--as-of", NOW, "--json"])  # fmt: skip
    assert ok.exit_code == 0 and '"CloudWatch Logs ingestion tier 1"' in ok.output and '"rate": 0.57' in ok.output
    assert '"provisioned ESM (Kafka)"' in ok.output and '"rate": 0.207' in ok.output and OPENBINDING_URL in ok.output
    bad = runner.invoke(app, ["estimate", "--memory", "128", "--ms", "10", "--requests", "1M", "--region", "il-central-1",
                              "--esm", "kafka", "--epu-hours", "10", "--as-of", NOW])  # fmt: skip
    assert bad.exit_code == 2
    assert bad.output.startswith("Error: no provisioned-mode Kafka event source mapping rate for il-central-1")
    assert bad.output.endswith("us-west-2): leave the meter out, or price it in one of those regions\n")
    assert bad.output.count("\n") == 1 and "Traceback" not in bad.output
