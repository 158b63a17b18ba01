"""API Gateway front-door costs in the regions added on 2026-12-01, from hand-worked figures.

Every rate is a row of pricing/paas.toml, which names its sources. The default load is the one
of tests/test_compare_regions.py: 10 req/s (26,280,000 requests in a 730-hour month), 512 MB x
120 ms, billed on 2026-11-01, the API Gateway free tier off (the default). Requests below are
counted per month; API Gateway bills a region's requests through its volume tiers.
"""

import json

import pytest
from typer.testing import CliRunner

from lambdacost.capacity import Assumptions
from lambdacost.cli import app
from lambdacost.comparison import compare
from lambdacost.errors import PriceNotAvailableError
from lambdacost.options import Workload, option_cost
from lambdacost.prices.paas import default_paas_prices

runner = CliRunner()
FUNCTION = ["compare", "--memory", "512", "--ms", "120", "--as-of", "2026-11-01"]
ARGS = FUNCTION + ["--rps", "10"]
REQUESTS = 26_280_000

# Lambda x86_64 at that load, the same rates in every region here: (26.28M x 0.5 GB x 0.12 s -
# 400,000 free GB-s) = 1,176,800 GB-s x $0.0000166667, + 25.28M billed requests x $0.20/M.
LAMBDA = 1_176_800 * 0.0000166667 + 25.28 * 0.20  # $24.6693726

#: (region, front door) -> (API Gateway cost of 26.28M requests [USD], Lambda's total as the table shows it)
GOLDEN = {
    # all 26.28M in the first tier: 26.28 x $3.50 = $91.98; $24.6693726 + $91.98 = $116.6493726
    ("us-west-2", "rest-api"): (91.98, "$116.65"),
    # 26.28 x $4.25 = $111.69; + $24.6693726 = $136.3593726
    ("ap-northeast-1", "rest-api"): (111.69, "$136.36"),
    # 26.28 x $1.20 = $31.536; + $24.6693726 = $56.2053726
    ("eu-central-1", "http-api"): (31.536, "$56.21"),
}


#: rows added 2026-12-01: (USD per 1M requests by tier, tier starts, priced below) [requests/month]
ROWS = {
    # AWS pricing page, REST examples for US East, US West (Oregon), Asia Pacific (Mumbai)
    ("us-west-2", "rest"): ((3.50, 2.80, 2.38), (0, 333_000_000, 1_000_000_000), 20_000_000_000),
    # MK9X5G6WSHJT7QGM 0.0000042500, first tier; '最初の3億3300万リクエストまで ... 4.25USD'
    ("ap-northeast-1", "rest"): ((4.25,), (0,), 333_000_000),
    # vStesh/guidepass: 'API Gateway (HTTP API) | $1.20 per million requests' (Frankfurt)
    ("eu-central-1", "http"): ((1.20,), (0,), 300_000_000),
}


@pytest.mark.parametrize("region, kind", sorted(ROWS))
def test_the_new_rows_hold_what_was_read(region, kind):
    api = default_paas_prices().api_gateway(kind, region)
    per_million, starts, below = ROWS[(region, kind)]
    assert tuple(round(r * 1e6, 6) for r in api.usd_per_request) == per_million
    assert api.tier_from_requests == starts and api.priced_below_requests == below
    assert api.free_requests == 1_000_000 and str(api.source.read_on) == "2026-12-01"


@pytest.mark.parametrize("region, front_door", sorted(GOLDEN))
def test_the_default_compare_behind_the_new_api_gateway_rows(region, front_door):
    front_door_cost, shown = GOLDEN[(region, front_door)]
    result = runner.invoke(app, ARGS + ["--region", region, "--front-door", front_door, "--json"])
    assert result.exit_code == 0, result.output
    by_option = {o["option"]: o for o in json.loads(result.output)["options"]}
    for option in ("lambda:x86_64", "lmi:m7g.xlarge"):  # both sit behind the front door
        assert by_option[option]["front_door_cost"] == pytest.approx(front_door_cost, abs=5e-7)
    assert by_option["lambda:x86_64"]["cost"] == pytest.approx(LAMBDA + front_door_cost, abs=5e-7)
    assert by_option["ec2:t4g.small"]["front_door_cost"] == 0  # servers have their load balancer instead
    table = runner.invoke(app, ARGS + ["--region", region, "--front-door", front_door])
    assert table.exit_code == 0, table.output
    # the table row: option, instances ("-" for Lambda), cost/month
    (lambda_row,) = [line.split() for line in table.output.splitlines() if line.startswith("lambda:x86_64  ")]
    assert lambda_row[1:3] == ["-", shown]


def test_us_west_2_rest_reproduces_aws_worked_example_through_its_tiers():
    # AWS's pricing page, REST example for US East, US West (Oregon) and Asia Pacific (Mumbai):
    # 15 billion calls = 333M x $3.50 ($1,165.50) + 667M x $2.80 ($1,867.60) + 14B x $2.38 ($33,320.00)
    # = $36,353.10. Its five-million example: 5M x $3.50 = $17.50.
    w = Workload(512, 120, region="us-west-2", front_door="rest-api", as_of="2026-11-01")
    costs = option_cost("lambda", w, [5e6, 15e9])["front_door_cost"]
    assert [round(c, 2) for c in costs] == [17.50, 36_353.10]
    # One request past each boundary is priced at the next tier: 333,000,001 requests =
    # 333M x $3.50 + 1 x $2.80/M = $1,165.5000028; 1,000,000,001 = $3,033.10 + $0.00000238.
    edges = option_cost("lambda", w, [333_000_001, 1_000_000_001])["front_door_cost"]
    assert list(edges) == pytest.approx([1_165.5000028, 3_033.10000238], abs=1e-9)


def test_the_api_gateway_free_tier_comes_off_the_first_tier_when_asked_for():
    # An account created before 2025-07-15, still in its first 12 months: 1M free calls a month.
    # Tokyo REST: (26.28M - 1M) x $4.25/M = $107.44
    w = Workload(512, 120, region="ap-northeast-1", front_door="rest-api", as_of="2026-11-01")
    free = Workload(
        512,
        120,
        region="ap-northeast-1",
        front_door="rest-api",
        as_of="2026-11-01",
        assumptions=Assumptions(api_gateway_free_tier=True),
    )
    assert option_cost("lambda", w, [REQUESTS])["front_door_cost"][0] == pytest.approx(111.69)
    assert option_cost("lambda", free, [REQUESTS])["front_door_cost"][0] == pytest.approx(107.44)


#: (region, kind, front door) -> (the first load not priced [requests/month], USD per 1M just below it)
PARTIAL = {
    ("us-west-2", "rest", "rest-api"): (20_000_000_000, None),
    ("ap-northeast-1", "rest", "rest-api"): (333_000_000, 4.25),
    ("eu-central-1", "http", "http-api"): (300_000_000, 1.20),
}


@pytest.mark.parametrize("region, kind, front_door", sorted(PARTIAL))
def test_each_new_partial_row_refuses_loads_at_its_limit_in_one_line(region, kind, front_door):
    limit, per_million = PARTIAL[(region, kind, front_door)]
    w = Workload(512, 120, region=region, front_door=front_door, as_of="2026-11-01")
    below = option_cost("lambda", w, [limit - 1])["front_door_cost"][0]
    if per_million is not None:  # first tier only: the whole load at the one rate read
        assert below == pytest.approx((limit - 1) * per_million / 1e6)
    else:  # us-west-2: 333M x $3.50 + 667M x $2.80 + 18,999,999,999 x $2.38/M = $48,253.0999976
        assert below == pytest.approx(1_165.50 + 1_867.60 + 18_999_999_999 * 2.38e-6)
    with pytest.raises(PriceNotAvailableError) as refused:
        option_cost("lambda", w, [1e6, limit])
    assert str(refused.value) == (
        f"paas.toml prices the API Gateway {kind.upper()} API in {region} only below {limit:,} requests/month "
        f"(no source read gives the higher tiers), got {limit:,}"
    )
    assert "\n" not in str(refused.value)


def test_partial_rows_say_where_they_stop_and_what_they_assume():
    book = default_paas_prices()
    assert book.api_gateway("rest", "ap-northeast-1").assumptions == (
        "API Gateway REST API in ap-northeast-1: only the rate below 333,000,000 requests/month was found "
        "(the higher tiers were not); loads at or above it are not priced",
    )  # three sources give $4.25 and the first tier's end: no other assumption
    for kind, region, said in (
        ("rest", "us-west-2", "the third tier taken to end at 20 billion requests/month"),
        ("http", "eu-central-1", "HTTP API first tier ($1.20 per million) taken to end at 300 million"),
        ("rest", "eu-central-1", "REST API first tier ($3.70 per million) taken to end at 333 million"),
    ):
        first, last = book.api_gateway(kind, region).assumptions
        assert said in first and last.endswith("loads at or above it are not priced")
    # compare reports them with its result
    w = Workload(512, 120, region="eu-central-1", front_door="http-api", as_of="2026-11-01")
    shown = compare(w, ["ec2:t4g.small"], requests=[REQUESTS]).assumptions
    assert any(a.startswith("API Gateway HTTP API in eu-central-1: HTTP API first tier ($1.20") for a in shown)


def test_compare_prices_lambda_below_the_new_limits_only():
    # Tokyo REST at 200 req/s = 525.6M requests/month, past the 333M the sheet prices.
    result = runner.invoke(app, FUNCTION + ["--rps", "200", "--region", "ap-northeast-1", "--front-door", "rest-api"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "lambda:x86_64: not priced at this load (see the assumptions)" in lines
    assert (
        "  - API Gateway REST API in ap-northeast-1: only the rate below 333,000,000 requests/month was found "
        "(the higher tiers were not); loads at or above it are not priced"
    ) in lines


@pytest.mark.parametrize("kind", ["http", "rest"])
def test_singapore_is_still_refused_in_one_line(kind):
    # No rate for either API in ap-southeast-1 was found (searched 2026-12-01).
    with pytest.raises(PriceNotAvailableError) as missing:
        default_paas_prices().api_gateway(kind, "ap-southeast-1")
    assert str(missing.value) == (
        f"paas.toml has no API Gateway {kind} prices for ap-southeast-1: use --front-door function-url, or "
        "import AWS's AmazonApiGateway offer for the region (`lambdacost prices import OFFER --into DIR`, "
        "then --pricing-dir DIR)"
    )
