"""Every meter beyond on-demand duration: Provisioned Concurrency, INIT, SnapStart,
Lambda@Edge, response streaming, async payload chunks. Golden values are worked by hand
from pricing/lambda.toml (us-east-1 rates) or read from AWS REPORT lines (oracle named
in each test); money is compared to 1e-6 USD unless the oracle itself is rounded.
"""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import lambdacost
from lambdacost import InvalidParameterError, PriceNotAvailableError, default_pricebook, estimate, monthly_cost
from lambdacost.billing import (
    async_payload_extra_requests,
    cold_start_billed_ms,
    provisioned_enabled_s,
    provisioned_served_fraction,
)
from lambdacost.cli import app

NOW = "2026-11-01"
X86, ARM = 0.0000166667, 0.0000133334
PC, PC_DURATION = 0.0000041667, 0.0000097222
REQUEST = 0.2e-6


def items(e):
    return {i.name: i for i in e.line_items}


# --- defaults are today's numbers -------------------------------------------------------


def test_new_keywords_at_their_defaults_change_nothing():
    # Oracle: AWS mobile-backend example, 3M x 120 ms x 1536 MB = $2.73 (pricing page).
    plain = estimate(1536, 120, 3e6, as_of=NOW)
    explicit = estimate(
        1536,
        120,
        3e6,
        as_of=NOW,
        provisioned_concurrency=0,
        cold_start_rate=0,
        init_duration_ms=0,
        snapstart=False,
        edge=False,
        response_mb=0,
        async_payload_kb=0,
    )
    assert round(plain.total_cost, 2) == 2.73
    assert explicit.line_items == plain.line_items and explicit.inputs == plain.inputs
    assert [i.name for i in plain.line_items] == [
        "requests",
        "requests free tier",
        "duration tier 1",
        "duration free tier",
    ]


# --- INIT / cold starts -----------------------------------------------------------------


def test_init_rounding_matches_report_lines():
    # Oracle: published REPORT lines (https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html and
    # lucvandonkersgoed.com, 2022):
    # 3.10 + 542.01 -> 546 (ZIP python3.12 after 2025-08-01); 1049.63 + 1293.83 -> 2344 (container image, 2022);
    # 1028.49 with Init 615.62 -> 1029 in 2024 (ZIP, INIT not billed).
    assert (
        estimate(
            2048, 3.10, 1, cold_starts=1, init_duration_ms=542.01, runtime="python3.12", as_of=NOW
        ).billed_duration_ms
        == 546
    )
    assert (
        estimate(
            1024, 1049.63, 1, cold_starts=1, init_duration_ms=1293.83, package_type="Image", as_of="2022-04-09"
        ).billed_duration_ms
        == 2344
    )
    assert (
        estimate(
            256, 1028.49, 1, cold_starts=1, init_duration_ms=615.62, runtime="python3.12", as_of="2024-05-01"
        ).billed_duration_ms
        == 1029
    )
    assert float(cold_start_billed_ms(1049.63, 1293.83)) == 2344


@pytest.mark.parametrize(
    "as_of, package_type, runtime, billed",
    [
        ("2025-07-31", "Zip", "python3.12", 100.0),  # the day before the change: free
        ("2025-08-01", "Zip", "python3.12", 105.0),  # milestones.init_billing: 1% x 500 ms = +5 ms
        ("2025-07-31", "Image", None, 105.0),  # container images were always billed
        ("2025-07-31", "Zip", "provided.al2023", 105.0),  # custom runtimes too
    ],
)
def test_as_of_decides_whether_init_is_billed(as_of, package_type, runtime, billed):
    e = estimate(
        1024,
        100,
        1e6,
        cold_start_rate=0.01,
        init_duration_ms=500,
        package_type=package_type,
        runtime=runtime,
        as_of=as_of,
        free_tier=False,
    )
    assert e.billed_duration_ms == billed
    # 1 GB x billed ms x 1e6 requests
    assert e.gb_seconds == pytest.approx(billed * 1000)


def test_cold_start_count_equals_the_rate():
    by_rate = estimate(512, 80, 2e6, cold_start_rate=0.005, init_duration_ms=250.5, as_of=NOW)
    by_count = estimate(512, 80, 2e6, cold_starts=10_000, init_duration_ms=250.5, as_of=NOW)
    assert by_rate.total_cost == pytest.approx(by_count.total_cost, rel=1e-12)
    # 10,000 cold starts x 0.5 GB x ceil(80 + 250.5) - 80 = 251 ms -> 1,255 GB-s of INIT
    assert by_count.usage.init_gb_seconds == pytest.approx(10_000 * 0.5 * 0.251)


# --- Provisioned Concurrency -------------------------------------------------------------


def test_provisioned_concurrency_golden():
    # Hand-worked from the us-east-1 row (PC $0.0000041667, PC duration $0.0000097222):
    # 10 x 1 GB x 100 h = 3,600,000 GB-s -> $15.00012; utilization 0.5 -> 1,800,000 GB-s served
    # -> $17.49996; the rest of 3M x 1 s = 1,200,000 GB-s on-demand, no free tier -> $20.00004;
    # requests 3M x $0.0000002 = $0.60. Total $53.10012.
    e = estimate(
        1024, 1000, 3e6, provisioned_concurrency=10, provisioned_hours=100, provisioned_utilization=0.5, as_of=NOW
    )
    got = items(e)
    assert got["provisioned concurrency"].quantity == pytest.approx(3_600_000)
    assert got["provisioned concurrency"].cost == pytest.approx(3_600_000 * PC)
    assert got["provisioned duration"].cost == pytest.approx(1_800_000 * PC_DURATION)
    assert got["duration tier 1"].quantity == pytest.approx(1_200_000)
    assert "duration free tier" not in got and "requests free tier" not in got
    assert e.total_cost == pytest.approx(53.10012, abs=1e-6)
    assert any("free tier" in note for note in e.assumptions)


def test_provisioned_time_is_rounded_up_to_five_minutes():
    # Pricing page: "rounded up to the nearest five minutes": 1.01 h = 3,636 s -> 3,900 s.
    assert float(provisioned_enabled_s(3636)) == 3900
    e = estimate(
        2048, 100, 1e6, provisioned_concurrency=3, provisioned_hours=1.01, provisioned_utilization=0, as_of=NOW
    )
    assert items(e)["provisioned concurrency"].quantity == pytest.approx(3 * 2 * 3900)


def test_traffic_shape_spills_over_to_on_demand():
    # Shape [2, 10, 4] over 3 equal slots of 1 h with 5 environments: min(c, 5) = 2 + 5 + 4 = 11 of 16
    assert float(provisioned_served_fraction([2, 10, 4], 5)) == pytest.approx(11 / 16)
    # Work: 16 concurrency x 3,600 s = 57,600 s = 57,600 requests of 1 s.
    e = estimate(
        1024, 1000, 57_600, provisioned_concurrency=5, provisioned_hours=3, traffic_concurrency=[2, 10, 4], as_of=NOW
    )
    assert e.usage.provisioned_requests == pytest.approx(57_600 * 11 / 16)
    assert items(e)["duration tier 1"].quantity == pytest.approx(57_600 * 5 / 16)


def test_even_traffic_is_the_default():
    # 730 h month; 7.3M requests of 1 s = 7.3M concurrency-s = 2.777... concurrent on average,
    # all inside 5 environments: nothing spills over.
    e = estimate(1024, 1000, 7.3e6, provisioned_concurrency=5, as_of=NOW)
    assert e.usage.provisioned_requests == pytest.approx(7.3e6)
    assert items(e)["duration tier 1"].quantity == pytest.approx(0)
    assert any("spread evenly" in note for note in e.assumptions)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"provisioned_concurrency": 10, "provisioned_utilization": 1.0}, "provisioned_utilization must be at most"),
        ({"provisioned_concurrency": -1}, "provisioned_concurrency must be a whole number"),
        ({"provisioned_concurrency": 1, "provisioned_hours": 800}, "provisioned_hours must be"),
        ({"provisioned_hours": 5}, "provisioned_hours must be given only with provisioned_concurrency"),
        ({"provisioned_concurrency": 1, "traffic_concurrency": [1e9]}, "traffic_concurrency must be a shape"),
        ({"cold_start_rate": -0.1}, "cold_start_rate must be"),
        ({"cold_start_rate": 1.5}, "cold_start_rate must be"),
        ({"cold_starts": 2e6}, "cold_starts must be"),
        ({"init_duration_ms": 10_001}, "init_duration_ms must be"),
        ({"package_type": "Jar"}, "package_type must be one of"),
        ({"async_payload_kb": 2000}, "async_payload_kb must be"),
        ({"response_mb": -1}, "response_mb must be"),
        ({"snapstart": True, "init_duration_ms": 100}, "init_duration_ms must be 0 with SnapStart"),
    ],
)
def test_bad_meter_input_names_the_parameter(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        estimate(1024, 1000, 1e6, as_of=NOW, **kwargs)


def test_meters_before_they_existed_are_errors():
    with pytest.raises(PriceNotAvailableError, match="Provisioned Concurrency did not exist"):
        estimate(1024, 100, 1e6, provisioned_concurrency=1, as_of="2019-06-01")
    with pytest.raises(PriceNotAvailableError, match="SnapStart did not exist"):
        estimate(1024, 100, 1e6, snapstart=True, as_of="2022-06-01")
    with pytest.raises(PriceNotAvailableError, match="SnapStart for python3.12 did not exist"):
        estimate(1024, 100, 1e6, snapstart=True, runtime="python3.12", as_of="2024-06-01")


# --- SnapStart ---------------------------------------------------------------------------


def test_snapstart_golden():
    # Oracle for the rounding: a published SnapStart REPORT line, Duration 127.10 + Billed Restore 26 -> 154 ms
    # (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html).
    e = estimate(
        2048,
        127.10,
        1000,
        cold_starts=1000,
        snapstart=True,
        restore_duration_ms=26,
        runtime="python3.12",
        as_of=NOW,
        free_tier=False,
    )
    assert e.billed_duration_ms == 154
    got = items(e)
    # Cache: 2 GB x 730 h x 3,600 s = 5,256,000 GB-s x $0.0000015046 = $7.9081776
    assert got["SnapStart cache"].cost == pytest.approx(7.9081776)
    # Restore: 1,000 restores x 2 GB = 2,000 GB x $0.0001397998 = $0.2795996
    assert got["SnapStart restore"].cost == pytest.approx(0.2795996)


def test_snapstart_cache_minimum_three_hours_and_java_is_free():
    short = estimate(1024, 10, 1, snapstart=True, snapstart_active_hours=1, as_of=NOW)
    assert items(short)["SnapStart cache"].quantity == pytest.approx(1 * 3 * 3600)  # 1 GB x 3 h minimum
    java = estimate(1024, 10, 1, cold_starts=1, snapstart=True, runtime="java21", as_of=NOW)
    assert "SnapStart cache" not in items(java) and "SnapStart restore" not in items(java)


# --- Lambda@Edge ---------------------------------------------------------------------------


def test_edge_golden():
    # us-east-1 row: $0.60 per 1M requests, $0.00005001 per GB-s (= $0.00000625125 per 128MB-second x 8).
    # 10M x $0.0000006 = $6.00; 128 MB x 5 ms x 10M = 6,250 GB-s x $0.00005001 = $0.3125625.
    e = estimate(128, 5, 10e6, edge=True, as_of=NOW)
    assert e.total_cost == pytest.approx(6.3125625)
    assert [i.name for i in e.line_items] == ["Lambda@Edge requests", "Lambda@Edge duration"]


def test_edge_outside_its_region_or_arch_is_an_error():
    with pytest.raises(InvalidParameterError, match="region must be 'us-east-1' for Lambda@Edge"):
        estimate(128, 5, 1e6, edge=True, region="eu-west-1", as_of=NOW)
    with pytest.raises(InvalidParameterError, match="arch must be 'x86_64' for Lambda@Edge"):
        estimate(128, 5, 1e6, edge=True, arch="arm64", as_of=NOW)
    with pytest.raises(
        InvalidParameterError, match="provisioned_concurrency must be left at its default for Lambda@Edge"
    ):
        estimate(128, 5, 1e6, edge=True, provisioned_concurrency=1, as_of=NOW)


# --- response streaming and async payloads ---------------------------------------------------


def test_streaming_golden():
    # 1M responses of 10 MB: (10 - 6) MB x 1M / 1024 = 3,906.25 GB; 100 GB free; 3,806.25 x $0.008 = $30.45
    e = estimate(128, 1, 1e6, response_mb=10, as_of=NOW)
    got = items(e)
    assert got["response streaming"].quantity == pytest.approx(3906.25)
    assert got["response streaming"].cost + got["response streaming free tier"].cost == pytest.approx(30.45)
    with pytest.raises(PriceNotAvailableError, match="no response-streaming rate for eu-west-1"):
        estimate(128, 1, 1e6, response_mb=10, region="eu-west-1", as_of=NOW)


def test_async_payload_chunks_golden():
    # Pricing page: 1 request per event for the first 256 KB, +1 per 64 KB chunk up to 1 MB.
    assert float(async_payload_extra_requests(256, 1)) == 0 and float(async_payload_extra_requests(257, 1)) == 1
    assert float(async_payload_extra_requests(1024, 1)) == 12
    # 1M events of 300 KB = 2M requests; 1M free -> 1M x $0.0000002 = $0.20 (duration in the free tier)
    e = estimate(128, 1, 1e6, async_payload_kb=300, as_of=NOW)
    assert items(e)["async payload chunks"].quantity == 1e6
    assert e.total_cost == pytest.approx(0.20)


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(rate=st.floats(0, 1), init=st.floats(0, 10_000), duration=st.floats(0, 5_000))
def test_cold_starts_never_cost_less(rate, init, duration):
    base = estimate(1024, duration, 1e6, as_of=NOW, free_tier=False).total_cost
    cold = estimate(
        1024, duration, 1e6, cold_start_rate=rate, init_duration_ms=init, as_of=NOW, free_tier=False
    ).total_cost
    assert cold >= base - 1e-9


@settings(max_examples=50, deadline=None)
@given(utilization=st.floats(0, 1), hours=st.floats(0, 730))
def test_provisioned_work_plus_spill_over_is_all_the_work(utilization, hours):
    # 3M x 1 s on 1 GB = 3M GB-s; with 1 environment at most 2.628M s can be served.
    e = estimate(
        1024,
        1000,
        3e6,
        provisioned_concurrency=1,
        provisioned_hours=hours,
        provisioned_utilization=utilization,
        as_of=NOW,
    )
    assert e.usage.provisioned_duration_gb_seconds + e.gb_seconds == pytest.approx(3e6)


# --- CLI --------------------------------------------------------------------------------------

runner = CliRunner()
BASE = ["estimate", "--memory", "1024", "--ms", "1000", "--requests", "3M", "--as-of", NOW]


def test_cli_new_options_reach_the_model():
    result = runner.invoke(
        app, BASE + ["--provisioned", "10", "--provisioned-hours", "100", "--utilization", "0.5", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total_cost"] == pytest.approx(53.10012, abs=1e-6)
    result = runner.invoke(
        app, ["estimate", "--memory", "128", "--ms", "5", "--requests", "10M", "--edge", "--as-of", NOW, "--json"]
    )
    assert json.loads(result.output)["total_cost"] == pytest.approx(6.3125625)


def test_cli_explain_covers_every_new_meter():
    args = [
        "estimate",
        "--memory",
        "2048",
        "--ms",
        "100",
        "--requests",
        "1M",
        "--as-of",
        NOW,
        "--provisioned",
        "1",
        "--provisioned-hours",
        "10",
        "--cold-start-rate",
        "0.1",
        "--snapstart",
        "--restore-ms",
        "26",
        "--runtime",
        "python3.12",
        "--response-mb",
        "10",
        "--async-kb",
        "300",
        "--p99",
        "400",
        "--explain",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for words in (
        "Provisioned Concurrency:",
        "pay the PC duration rate",
        "SnapStart cache",
        "SnapStart restore",
        "Cold starts:",
        "Response streaming",
        "Async events",
        "Durations vary",
    ):
        assert words in result.output
    edge = runner.invoke(
        app, ["estimate", "--memory", "128", "--ms", "5", "--requests", "1M", "--edge", "--explain", "--as-of", NOW]
    )
    assert "Lambda@Edge duration" in edge.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--edge", "--region", "eu-west-1"], "region must be 'us-east-1' for Lambda@Edge"),
        (["--cold-start-rate", "-1"], "cold_start_rate must be"),
        (["--provisioned", "100", "--utilization", "1"], "provisioned_utilization must be at most"),
        (["--p50", "500", "--p99", "100"], "p99_ms must be at least p50_ms"),
        (["--p50", "500"], "--p50 needs --p99"),
    ],
)
def test_cli_bad_meter_input_exits_2(args, message):
    result = runner.invoke(app, BASE + args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# --- monthly_cost carries the same meters ---------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    memory=st.sampled_from([128, 1024, 3000]),
    duration=st.floats(0, 3000),
    requests=st.sampled_from([0.0, 5e5, 3e6, 1e8]),
    pc=st.sampled_from([0, 1, 50]),
    hours=st.one_of(st.none(), st.floats(0, 730)),
    cold=st.floats(0, 1),
    init=st.floats(0, 10_000),
    response=st.sampled_from([0.0, 5.0, 12.5]),
    payload=st.sampled_from([0.0, 100.0, 700.0]),
    as_of=st.sampled_from(["2024-06-01", NOW]),
)
def test_monthly_cost_equals_estimate_with_every_meter(
    memory, duration, requests, pc, hours, cold, init, response, payload, as_of
):
    kw = {
        "cold_start_rate": cold,
        "init_duration_ms": init,
        "response_mb": response,
        "async_payload_kb": payload,
        "as_of": as_of,
        "ephemeral_storage_mb": 1024,
    }
    if pc:
        kw.update(provisioned_concurrency=pc, provisioned_hours=hours)
    expected = estimate(memory, duration, requests, **kw).total_cost
    assert monthly_cost(memory, duration, requests, **kw) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    arrays = monthly_cost(np.array([memory, memory]), duration, requests, **kw)
    assert arrays.tolist() == pytest.approx([expected, expected], rel=1e-9, abs=1e-9)


def test_monthly_cost_meter_errors():
    with pytest.raises(InvalidParameterError, match="provisioned_utilization must be at most"):
        monthly_cost(
            np.array([1024, 1024]),
            1000,
            np.array([3e6, 1.0]),
            provisioned_concurrency=10,
            provisioned_hours=100,
            provisioned_utilization=0.5,
            as_of=NOW,
        )
    with pytest.raises(InvalidParameterError, match="cold_start_rate must be"):
        monthly_cost(1024, 100, 1e6, cold_start_rate=np.array([0.1, 2.0]), init_duration_ms=100, as_of=NOW)
    with pytest.raises(PriceNotAvailableError, match="no response-streaming rate for eu-west-1"):
        monthly_cost(1024, 100, 1e6, response_mb=10, region=np.array(["us-east-1", "eu-west-1"]), as_of=NOW)


def test_cli_percentiles_need_no_mean():
    # --p50 and --p99 define the lognormal alone; --ms is then not asked for.
    result = runner.invoke(app, ["estimate", "-m", "1024", "--p50", "80", "--p99", "800", "-r", "1e6", "--json"])
    assert result.exit_code == 0, result.output
    expected = estimate(1024, lambdacost.Lognormal.from_median(80, 800), 1e6)
    assert json.loads(result.output)["total_cost"] == pytest.approx(expected.total_cost, rel=1e-12)
    missing = runner.invoke(app, ["estimate", "-m", "1024", "-r", "1e6"])
    assert missing.exit_code == 2 and missing.output.strip() == "Error: Missing option '--ms' (or give --p50 and --p99)"


# --- the sheet's [meters]: AWS's worked examples to the cent ----------------------------------
# Oracle: the worked examples of https://aws.amazon.com/lambda/pricing/ (full-text copy read
# 2026-12-01). AWS rounds each line item to cents half-up and then adds; a line that nets a free-tier
# credit (compute less the free GB-s) is one line there, two items here, so the lines are rebuilt.


def _cents(value):
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), ROUND_HALF_UP))


def aws_lines(e):
    """The estimate's line items as AWS's examples print them: credits netted into their line, each in cents."""
    lines = {}
    for i in e.line_items:
        if i.name.startswith("requests") or i.name == "async payload chunks":
            key = "requests"
        elif i.name.startswith("duration"):
            key = "compute"
        elif i.name.startswith("response streaming"):
            key = "streaming"
        else:
            key = i.name
        lines[key] = lines.get(key, 0.0) + i.cost
    return {k: _cents(v) for k, v in lines.items()}


def test_esm_sqs_example_2_to_the_cent():
    # "1M invocations per day with 1 seconds", 1024 MB x86, 8000 EPU-hours at $0.00925: $500 + $6 + $74 = $580
    # (the example applies no free tier at all).
    e = estimate(1024, 1000, 30e6, esm_type="sqs", esm_epu_hours=8000, free_tier=False, as_of=NOW)
    assert aws_lines(e) == {"requests": 6.00, "compute": 500.00, "provisioned ESM (SQS)": 74.00}
    assert sum(aws_lines(e).values()) == pytest.approx(580.00)
    assert any("SQS Event Poller Unit rate" in a for a in e.assumptions)  # one source: said


def test_esm_kafka_example_3_ten_mappings_in_one_poller_group():
    # 10 ESMs x 1 poller = 1 EPU x 720 h = 720 EPU-hours x $0.185 = $133.2; 300M x 0.2 s x 1 GB = $1,000;
    # 300M requests = $60: $1,193.2 (no free tier in the example).
    e = estimate(1024, 200, 300e6, esm_type="kafka", esm_epu_hours=720, free_tier=False, as_of=NOW)
    assert aws_lines(e) == {"requests": 60.00, "compute": 1000.00, "provisioned ESM (Kafka)": 133.20}
    assert sum(aws_lines(e).values()) == pytest.approx(1193.20)
    assert items(e)["provisioned ESM (Kafka)"].sku == "E9QEPQBP6HKCU5DW"
    assert items(e)["provisioned ESM (Kafka)"].source_url == "https://aws.amazon.com/lambda/pricing/"


def test_esm_kafka_example_1_and_where_the_page_contradicts_itself():
    # Example 1 counts "1,000,000 * 30 * 2 seconds = 60,000,000 seconds" (30M invocations of 2 s) but
    # "60M requests * $0.20 = $12.00" without the free requests. Priced from its compute line: 30M
    # invocations; 59,600,000 GB-s x $0.0000166667 = $993.34 (the page: "$993.3"); 800 EPU-hours = $148.
    e = estimate(1024, 2000, 30e6, esm_type="kafka", esm_epu_hours=800, as_of=NOW)
    lines = aws_lines(e)
    assert lines["provisioned ESM (Kafka)"] == 148.00
    assert lines["compute"] == 993.34
    assert lines["requests"] == 5.80  # 29M billable; the page's $12.00 counts 60M and no free tier


def test_esm_epu_hours_are_billed_per_second_with_a_one_minute_minimum():
    tiny = estimate(128, 1, 1, esm_type="kafka", esm_epu_hours=0.001, free_tier=False, as_of=NOW)  # 3.6 s
    assert items(tiny)["provisioned ESM (Kafka)"].quantity == pytest.approx(1 / 60)
    odd = estimate(128, 1, 1, esm_type="kafka", esm_epu_hours=1 + 0.5 / 3600, free_tier=False, as_of=NOW)
    assert items(odd)["provisioned ESM (Kafka)"].quantity == pytest.approx(1 + 1 / 3600)  # 3600.5 s -> 3601 s


def test_durable_functions_example_to_the_cent():
    # Insurance claims: 1M executions x (30 s + 2 s) over 2 invocations, 1 GB arm64; 4 operations and
    # 8 + 3 x 32 = 104 KB each; kept 7 days running + 14 retained. $421.34 + $0.20 + $32 + $26 + $10.92 = $490.46.
    e = estimate(
        1024,
        16_000,
        2e6,
        arch="arm64",
        durable_executions=1e6,
        durable_operations=4,
        durable_written_kb=104,
        durable_retained_days=7 + 14,
        as_of=NOW,
    )
    assert aws_lines(e) == {
        "requests": 0.20,
        "compute": 421.34,
        "durable operations": 32.00,
        "durable data written": 26.00,
        "durable data retained": 10.92,
    }
    assert sum(aws_lines(e).values()) == pytest.approx(490.46)
    assert items(e)["durable data retained"].quantity == pytest.approx(104 * 21 / 30)  # 72.8 GB-months


def test_tenant_isolation_example():
    # 10M x 2 s x 1 GB x86, 1K tenants x 200 new environments = 200K x $0.000167 x 1 GB = $33.4; no free tier.
    # The page prints the compute line 20M x $0.0000166667 = 333.334 as "$333.34" (so $368.74); half-up
    # cents give $333.33 (so $368.73), the one place its rounding differs (the facts sheet notes it).
    e = estimate(1024, 2000, 10e6, tenant_isolation=True, cold_starts=200_000, free_tier=False, as_of=NOW)
    lines = aws_lines(e)
    assert lines == {"requests": 2.00, "compute": 333.33, "tenant isolation": 33.40}  # the page: 333.34
    assert sum(lines.values()) == pytest.approx(368.74 - 0.01)
    assert any("rests on one source" in a for a in e.assumptions)


def test_tenant_isolation_on_arm64_is_priced_at_its_own_rate():
    # 1M x 100 ms x 1 GB arm64, 2 % cold: 20,000 new environments x 1 GB x $0.000133333 (the generated
    # Price List file's arm64 rate, one source) = $2.66666; no free tier
    e = estimate(1024, 100, 1e6, arch="arm64", tenant_isolation=True, cold_start_rate=0.02, free_tier=False,
                 as_of=NOW)  # fmt: skip
    item = items(e)["tenant isolation"]
    assert (item.quantity, item.rate) == (20_000, 0.000133333) and item.cost == pytest.approx(2.66666)
    assert any("arm64 rate in us-east-1" in a for a in e.assumptions)
    result = CliRunner().invoke(
        app,
        ["estimate", "-m", "1024", "-d", "100", "-r", "1M", "--arch", "arm64", "--region", "us-gov-east-1",
         "--tenant-isolation", "--cold-start-rate", "0.02"],
    )  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        "Error: no tenant-isolation rate for us-gov-east-1 in our sources (priced in: "
        + ", ".join(sorted({r for m in default_pricebook().meters.values() for r in m.regions if "tenant" in m.name}))
        + "): leave the meter out, or price it in one of those regions"
    ]


def test_provisioned_concurrency_example_1_with_two_durations_to_the_cent():
    # 3M requests x 1536 MB; PC 100 for 8 h serves 500,000 at 100 ms; 2.5M on demand at 120 ms; the example
    # takes the free tier off the on-demand part: $18 + $0.40 + $0.73 + $0.83 = $19.96.
    e = estimate(
        1536,
        120,
        3e6,
        provisioned_concurrency=100,
        provisioned_hours=8,
        provisioned_requests=500_000,
        provisioned_duration_ms=100,
        provisioned_free_tier=True,
        as_of=NOW,
    )
    assert aws_lines(e) == {
        "requests": 0.40,
        "compute": 0.83,
        "provisioned concurrency": 18.00,
        "provisioned duration": 0.73,
    }
    assert sum(aws_lines(e).values()) == pytest.approx(19.96)
    assert items(e)["provisioned duration"].quantity == pytest.approx(75_000)
    assert not any("spread evenly" in a for a in e.assumptions)
    # Without the example's free tier the same workload follows the page's text: no free tier.
    text = estimate(
        1536,
        120,
        3e6,
        provisioned_concurrency=100,
        provisioned_hours=8,
        provisioned_requests=500_000,
        provisioned_duration_ms=100,
        as_of=NOW,
    )
    assert aws_lines(text)["compute"] == 7.50 and aws_lines(text)["requests"] == 0.60


def test_provisioned_requests_must_fit_the_environments():
    # 100 environments x 300 s (1 h is not needed: 5 minutes) = 30,000 concurrency-seconds: 300,001 x 100 ms is too many
    with pytest.raises(InvalidParameterError, match="provisioned_requests"):
        estimate(
            1536,
            100,
            1e6,
            provisioned_concurrency=100,
            provisioned_hours=300 / 3600,
            provisioned_requests=300_001,
            as_of=NOW,
        )
    with pytest.raises(InvalidParameterError, match="at most the month's requests"):
        estimate(1536, 100, 1e6, provisioned_concurrency=100, provisioned_requests=2e6, as_of=NOW)
    with pytest.raises(InvalidParameterError, match="provisioned_concurrency above 0"):
        estimate(1536, 100, 1e6, provisioned_requests=10, as_of=NOW)
    with pytest.raises(InvalidParameterError, match="given with provisioned_requests"):
        estimate(1536, 100, 1e6, provisioned_concurrency=2, provisioned_duration_ms=80, as_of=NOW)


def test_response_streaming_example_with_two_sizes():
    # 3M x 500 ms x 1536 MB; 2M responses of 100 KB (free: under 6 MB) and 1M of 7 MB: 1M x 1 MB / 1024 =
    # 976.56 GB x $0.008 = $7.81. The example has already used the 100 GB free elsewhere:
    # $30.83 + $0.40 + $7.81 = $39.04, i.e. this estimate without its own 100 GB credit.
    e = estimate(1536, 500, 3e6, response_mb=100 / 1024, second_response_mb=7, second_response_share=1 / 3, as_of=NOW)
    got = items(e)
    assert got["response streaming"].quantity == pytest.approx(976.5625)
    assert _cents(got["response streaming"].cost) == 7.81
    lines = aws_lines(e)
    assert lines["compute"] == 30.83 and lines["requests"] == 0.40
    used_up = lines["compute"] + lines["requests"] + _cents(got["response streaming"].cost)  # no 100 GB credit
    assert used_up == pytest.approx(39.04)
    assert lines["streaming"] == 7.01  # with this estimate's own 100 GB credit (-$0.80)
    with pytest.raises(InvalidParameterError, match="second_response_share above 0"):
        estimate(1536, 500, 3e6, second_response_mb=7, as_of=NOW)


def test_cloudwatch_logs_tiers_reproduce_the_60_tb_figure():
    # Duckbill Group: 60 TB of Lambda logs a month, $30,000 at the old flat $0.50, $12,500 tiered
    # (10 TB x $0.50 + 20 TB x $0.25 + 20 TB x $0.10 + 10 TB x $0.05, TB = 1,000 GB).
    kb = 60_000 * 1024**2 / 1e9  # KB an invocation for 60,000 GB over 1e9 invocations
    e = estimate(128, 10, 1e9, logged_kb=kb, as_of=NOW)
    logs = {i.name: i for i in e.line_items if i.name.startswith("CloudWatch Logs")}
    assert [round(i.quantity, 6) for i in logs.values()] == [10_000, 20_000, 20_000, 10_000]
    assert sum(i.cost for i in logs.values()) == pytest.approx(12_500)
    small = estimate(128, 10, 1e6, logged_kb=1, as_of=NOW)  # 1e6 KB = 0.9537 GB at $0.50
    assert items(small)["CloudWatch Logs ingestion tier 1"].cost == pytest.approx(1e6 / 1024**2 * 0.50)
    with pytest.raises(PriceNotAvailableError, match="priced from 2025-05-01"):
        estimate(128, 10, 1e6, logged_kb=1, as_of="2025-04-30")


def test_new_meters_before_their_launch_or_outside_us_east_1_are_refused():
    with pytest.raises(PriceNotAvailableError, match="durable functions is priced from 2025-12-01"):
        estimate(1024, 100, 1e6, durable_executions=1, durable_operations=2, as_of="2025-11-30")
    with pytest.raises(PriceNotAvailableError, match="il-central-1"):
        estimate(1024, 100, 1e6, region="il-central-1", esm_type="kafka", esm_epu_hours=10, as_of=NOW)


@pytest.mark.parametrize(
    "keywords, message",
    [
        ({"esm_epu_hours": 10}, "esm_type"),
        ({"esm_type": "kafka"}, "esm_epu_hours"),
        ({"esm_type": "kinesis", "esm_epu_hours": 1}, "'kafka', 'sqs'"),
        ({"durable_executions": 10}, "durable_operations"),
        ({"durable_operations": 3}, "durable_executions above 0"),
        ({"tenant_isolation": True}, "cold_start_rate"),
        ({"logged_kb": -1}, "logged_kb"),
        ({"edge": True, "logged_kb": 1}, "Lambda@Edge"),
        ({"second_response_share": 0.5}, "second_response_mb above 0"),
    ],
)
def test_new_meter_inputs_are_checked(keywords, message):
    with pytest.raises(InvalidParameterError, match=message):
        estimate(1024, 100, 1e6, as_of=NOW, **keywords)


# --- issue 17 item 11: a cold-start rate without INIT time is said, not silent ----------------------


def test_cold_start_rate_without_init_is_a_warning_in_the_result_and_the_cli():
    e = estimate(1024, 100, 1e6, cold_start_rate=0.5, as_of=NOW)
    assert e.usage.init_gb_seconds == 0
    assert len(e.warnings) == 1 and "adds no billed time" in e.warnings[0] and "init_duration_ms is 0" in e.warnings[0]
    assert e.to_dict()["warnings"] == list(e.warnings) and "Warning:" in str(e) and "Warning:" in e.explain()
    assert not estimate(1024, 100, 1e6, cold_start_rate=0.5, init_duration_ms=300, as_of=NOW).warnings
    assert not estimate(1024, 100, 1e6, as_of=NOW).warnings
    out = CliRunner().invoke(app, ["estimate", "-m", "1024", "-d", "100", "-r", "1M", "--cold-start-rate", "0.5"])
    assert out.exit_code == 0 and "Warning: cold_start_rate 0.5 adds no billed time" in out.output


# --- every entry point takes the new keywords --------------------------------------------------------


def test_monthly_cost_with_the_new_meters_takes_the_engine_path_and_agrees(monkeypatch):
    from lambdacost import kernel, monthly
    from lambdacost.engine import meter_keywords

    assert kernel.fusable({"duration_ms": 100, **meter_keywords({})})
    assert not kernel.fusable({"duration_ms": 100, **meter_keywords({"logged_kb": 2.0})})
    assert not kernel.fusable({"duration_ms": 100, **meter_keywords({"durable_operations": np.ones(3)})})

    def compiled(*args, **kwargs):
        raise AssertionError("the compiled kernel does not price these meters")

    monkeypatch.setattr(kernel, "price", compiled)
    rng = np.random.default_rng(7)
    n = monthly.FUSED_MIN_SIZE + 5  # large enough for the compiled kernel, were it fusable
    memory = rng.integers(128, 10241, n).astype(float)
    duration = rng.uniform(1, 3000, n)
    requests = rng.uniform(0, 1e8, n)
    costs = monthly_cost(
        memory,
        duration,
        requests,
        as_of=NOW,
        esm_type="sqs",
        esm_epu_hours=100,
        logged_kb=3.0,
        durable_executions=1e3,
        durable_operations=np.full(n, 5.0),
    )
    for k in (0, 1, n - 1):
        one = estimate(
            memory[k],
            duration[k],
            requests[k],
            as_of=NOW,
            esm_type="sqs",
            esm_epu_hours=100,
            logged_kb=3.0,
            durable_executions=1e3,
            durable_operations=5,
        )
        assert costs[k] == pytest.approx(one.total_cost, rel=1e-12)


def test_bill_and_fleet_keys_take_the_new_meters(tmp_path):
    from lambdacost.readers.fleet import read_fleet

    path = tmp_path / "fleet.toml"
    path.write_text(
        'as_of = "2026-11-01"\nfree_tier = false\n[[functions]]\nname = "poller"\nmemory_mb = 1024\n'
        'duration_ms = 1000\nrequests = 30_000_000\nesm_type = "sqs"\nesm_epu_hours = 8000\n'
        '[[functions]]\nname = "claims"\nmemory_mb = 1024\narch = "arm64"\nduration_ms = 16000\n'
        "requests = 2_000_000\ndurable_executions = 1_000_000\ndurable_operations = 4\n"
        "durable_written_kb = 104\ndurable_retained_days = 21\n"
    )
    fleet = read_fleet(path)
    b = lambdacost.bill(fleet.functions, free_tier=fleet.free_tier, as_of=fleet.as_of)
    poller = estimate(1024, 1000, 30e6, esm_type="sqs", esm_epu_hours=8000, free_tier=False, as_of=NOW)
    claims = estimate(
        1024,
        16000,
        2e6,
        arch="arm64",
        durable_executions=1e6,
        durable_operations=4,
        durable_written_kb=104,
        durable_retained_days=21,
        free_tier=False,
        as_of=NOW,
    )
    assert b.total_cost == pytest.approx(poller.total_cost + claims.total_cost, rel=1e-12)
    shares = {f.name: f.share_cost for f in b.functions}
    assert shares["poller"] == pytest.approx(poller.total_cost, rel=1e-12)
    assert shares["claims"] == pytest.approx(claims.total_cost, rel=1e-12)
    group_items = sum(i.cost for g in b.groups for i in g.line_items)
    assert group_items == pytest.approx(b.total_cost, rel=1e-12)


def test_sweep_cli_takes_the_new_meters_as_axes():
    out = CliRunner().invoke(
        app,
        [
            "sweep",
            "-m",
            "1024",
            "-d",
            "1s",
            "-r",
            "30M",
            "--esm",
            "sqs",
            "--epu-hours",
            "4000,8000",
            "--no-free-tier",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    costs = sorted(r["cost"] for r in rows)
    assert costs == pytest.approx([500.001 + 6 + 37, 500.001 + 6 + 74])


# --- Compute Savings Plans ------------------------------------------------------------------------


def test_savings_plan_pays_its_commitment_and_takes_covered_usage_off_at_on_demand_cost():
    # Hand-worked: 30M x 1 s x 1 GB = 30,000,000 GB-s x $0.0000166667 = $500.001 of duration, no free tier.
    # $0.50/h x 730 h = $365 at 15 % off (1 year) buys $365 / 0.85 = $429.4118 of it; the rest,
    # $70.5892, stays on demand; requests ($6) are not covered. Total 6 + 70.5892 + 365 = $441.5892.
    e = estimate(1024, 1000, 30e6, savings_plan_per_hour=0.5, free_tier=False, as_of=NOW)
    got = items(e)
    assert got["Compute Savings Plan (1-year)"].cost == pytest.approx(365.0)
    assert got["covered by the Savings Plan (1-year)"].cost == pytest.approx(-365 / 0.85)
    assert e.total_cost == pytest.approx(6 + 500.001 - 365 / 0.85 + 365, rel=1e-12)
    assert got["Compute Savings Plan (1-year)"].source_url == "https://cloudwiry.com/lambda-functions/"
    assert any("archera.ai says they are" in a for a in e.assumptions)  # the sources' disagreement on requests
    # 3 years: 17 % off; a commitment above the usage is paid in full and covers all of it.
    three = estimate(1024, 1000, 30e6, savings_plan_per_hour=0.5, savings_plan_term="3yr", free_tier=False, as_of=NOW)
    assert three.total_cost == pytest.approx(6 + 500.001 - 365 / 0.83 + 365, rel=1e-12)
    over = estimate(1024, 1000, 30e6, savings_plan_per_hour=1.0, free_tier=False, as_of=NOW)
    assert over.total_cost == pytest.approx(6 + 730, rel=1e-12)
    assert "goes unused" in over.explain()


def test_savings_plan_covers_provisioned_concurrency_too():
    # 10 x 1 GB x 730 h = 26,280,000 GB-s x $0.0000041667 = $109.5009 of PC, all of it busy: 26,280,000 GB-s
    # x $0.0000097222 = $255.4994 of PC duration; $0.10/h x 730 = $73 buys $73 / 0.85 = $85.88 of them.
    base = dict(provisioned_concurrency=10, provisioned_utilization=1.0, free_tier=False, as_of=NOW)
    plain = estimate(1024, 1000, 26_280_000, **base)
    plan = estimate(1024, 1000, 26_280_000, savings_plan_per_hour=0.1, **base)
    assert plan.total_cost - plain.total_cost == pytest.approx(73 - 73 / 0.85, rel=1e-12)


@pytest.mark.parametrize(
    "keywords, error, message",
    [
        ({"savings_plan_term": "3yr"}, InvalidParameterError, "savings_plan_per_hour above 0"),
        ({"savings_plan_per_hour": 1, "savings_plan_term": "5yr"}, InvalidParameterError, "'1yr', '3yr'"),
        ({"savings_plan_per_hour": 1, "edge": True}, InvalidParameterError, "Lambda@Edge"),
        ({"savings_plan_per_hour": 1, "as_of": "2020-01-15"}, PriceNotAvailableError, "from 2020-03-01"),
    ],
)
def test_savings_plan_inputs_are_checked(keywords, error, message):
    with pytest.raises(error, match=message):
        estimate(1024, 100, 1e6, **{"as_of": NOW, **keywords})


@settings(max_examples=60, deadline=None)
@given(
    kb=st.floats(0, 1e4),
    more=st.floats(0, 1e3),
    requests=st.floats(1, 1e10),
    commitment=st.floats(0, 1e3),
)
def test_new_meters_are_monotone_and_a_savings_plan_saves_at_most_its_discount(kb, more, requests, commitment):
    base = dict(free_tier=False, as_of=NOW)
    low = estimate(512, 200, requests, logged_kb=kb, **base).total_cost
    high = estimate(512, 200, requests, logged_kb=kb + more, **base).total_cost
    assert 0 <= low <= high * (1 + 1e-12)  # the logs tiers are continuous and never negative
    plain = estimate(512, 200, requests, **base)
    duration = sum(i.cost for i in plain.line_items if i.name.startswith("duration"))
    plan = estimate(512, 200, requests, savings_plan_per_hour=commitment, **base).total_cost
    # saves at most 15 % of the covered duration; costs at most the commitment when nothing is covered
    assert plan >= plain.total_cost - 0.15 * duration - 1e-9 * (1 + plain.total_cost)
    assert plan <= plain.total_cost + commitment * 730 * (1 + 1e-12) + 1e-9
    assert np.isfinite(plan) and np.isfinite(high)


@pytest.mark.parametrize("name", lambdacost.engine.ENGINE_ONLY_KEYWORDS)
def test_every_engine_only_keyword_away_from_its_default_runs_its_checks(name):
    # The common case skips these meters' checks; any other value must reach them (a bad value then fails).
    from lambdacost import engine

    default = engine.METER_KEYWORDS[name]
    odd = "odd" if isinstance(default, str) or name == "esm_type" else -1.0
    if isinstance(default, bool):
        odd = 1  # not a flag
    assert engine.engine_only({name: odd})
    with pytest.raises((InvalidParameterError, PriceNotAvailableError)):
        estimate(1024, 100, 1e6, as_of=NOW, **{name: odd})


def test_sqs_provisioned_mode_is_priced_from_its_launch():
    # AWS What's New, 2025-11-14: provisioned mode for SQS ESMs, in every commercial region
    with pytest.raises(PriceNotAvailableError, match=r"is priced from 2025-11-14, got as_of 2025-11-13"):
        estimate(512, 100, 1e6, esm_type="sqs", esm_epu_hours=730, as_of="2025-11-13")
    e = estimate(512, 100, 1e6, esm_type="sqs", esm_epu_hours=730, as_of="2025-11-14")
    assert items(e)["provisioned ESM (SQS)"].cost == pytest.approx(730 * 0.00925)
