"""The default `compare` in every region the sheet prices servers in, from hand-worked figures.

The load is 10 req/s (26,280,000 requests in a 730-hour month), 512 MB x 120 ms, billed on
2026-11-01. Every rate below is a row of pricing/paas.toml (which names its sources) or of
pricing/lambda.toml; the arithmetic is written out beside each figure.
"""

import json

import pytest
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.comparison import compare
from lambdacost.errors import PriceNotAvailableError
from lambdacost.option_kinds import DEFAULT_OPTIONS
from lambdacost.options import Workload

runner = CliRunner()
ARGS = ["compare", "--memory", "512", "--ms", "120", "--rps", "10", "--as-of", "2026-11-01"]
REQUESTS = 26_280_000

# Lambda x86_64, the same rates in all six regions: (26.28M x 0.5 GB x 0.12 s - 400,000 free GB-s)
# = 1,176,800 GB-s x $0.0000166667, + (26.28M - 1M free) requests x $0.20/M = $24.6693726.
LAMBDA = 1_176_800 * 0.0000166667 + 25.28 * 0.20
# An Application Load Balancer's LCUs at 10 req/s: 10 new connections/s / 25 = 0.4 LCU (bytes:
# 10 x 10 KB/s = 0.36 GB/h < 0.4) x 730 h x $0.008 = $2.336 in every region here.
LCU = 10 / 25 * 730 * 0.008
# Servers at 10 req/s: 1.2 requests in flight, 512/1769 vCPU each; every option below fits on one
# instance at 70 % utilisation and runs two for high availability.

#: region -> {option: (monthly cost [USD], the figure as the table shows it)}
GOLDEN = {
    "us-east-1": {
        # 2 tasks x (1 vCPU x $0.04048 + 2 GB x $0.004445) x 730 h = $72.0802, + its ALB 730 h x $0.0225
        "express:1vcpu-2gb": 2 * (0.04048 + 2 * 0.004445) * 730 + 730 * 0.0225 + LCU,  # $90.8412
    },
    "eu-west-1": {
        # 2 x (0.5 x $0.04048 + 1 x $0.004445) x 730 = $36.0401, + ALB 730 x $0.0252 = $18.396
        "fargate:0.5vcpu-1gb": 2 * (0.5 * 0.04048 + 0.004445) * 730 + 730 * 0.0252 + LCU,  # $56.7721
    },
    "eu-central-1": {
        # 2 x t4g.small $0.0192 x 730 = $28.032, + ALB 730 x $0.027 = $19.71 (the row added here)
        "ec2:t4g.small": 2 * 0.0192 * 730 + 730 * 0.027 + LCU,  # $50.078
        # 2 x (1 x $0.04656 + 2 x $0.00511) x 730 = $82.8988, + the same ALB
        "express:1vcpu-2gb": 2 * (0.04656 + 2 * 0.00511) * 730 + 730 * 0.027 + LCU,  # $104.9448
    },
    "us-west-2": {
        # 2 x (0.5 x $0.04048 + 1 x $0.004445) x 730 = $36.0401 (the row added here), + 730 x $0.0225
        "fargate:0.5vcpu-1gb": 2 * (0.5 * 0.04048 + 0.004445) * 730 + 730 * 0.0225 + LCU,  # $54.8011
    },
    "ap-southeast-1": {
        # 2 x (1 x $0.05056 + 2 x $0.00553) x 730 = $89.9652, + ALB 730 x $0.0252 = $18.396
        "express:1vcpu-2gb": 2 * (0.05056 + 2 * 0.00553) * 730 + 730 * 0.0252 + LCU,  # $110.6972
    },
    "ap-northeast-1": {
        # 2 x (0.5 x $0.05056 + 1 x $0.00553) x 730 = $44.9826 (the row added here), + 730 x $0.0243
        "fargate:0.5vcpu-1gb": 2 * (0.5 * 0.05056 + 0.00553) * 730 + 730 * 0.0243 + LCU,  # $65.0576
        # 2 x (1 x $0.05056 + 2 x $0.00553) x 730 = $89.9652, + the same ALB
        "express:1vcpu-2gb": 2 * (0.05056 + 2 * 0.00553) * 730 + 730 * 0.0243 + LCU,  # $110.0402
    },
}
SHOWN = {
    "us-east-1": ["$90.84"],
    "eu-west-1": ["$56.77"],
    "eu-central-1": ["$50.08", "$104.94"],
    "us-west-2": ["$54.80"],
    "ap-southeast-1": ["$110.70"],
    "ap-northeast-1": ["$65.06", "$110.04"],
}


@pytest.mark.parametrize("region", sorted(GOLDEN))
def test_the_default_compare_in_each_region(region):
    result = runner.invoke(app, ARGS + ["--region", region, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_option = {o["option"]: o for o in data["options"]}
    assert list(by_option) == ["lambda:x86_64", *DEFAULT_OPTIONS]  # every default priced here
    assert data["not_priced_in_region"] == []
    assert by_option["lambda:x86_64"]["cost"] == pytest.approx(LAMBDA)
    for option, want in GOLDEN[region].items():
        assert by_option[option]["instances"] == 2
        assert by_option[option]["cost"] == pytest.approx(want)
    assert "apprunner" not in " ".join(data["assumptions"])  # App Runner is not a default any more
    table = runner.invoke(app, ARGS + ["--region", region])
    assert table.exit_code == 0, table.output
    rows = [line.split()[0] for line in table.output.splitlines()[4 : 4 + 1 + len(DEFAULT_OPTIONS)]]
    assert rows == ["lambda:x86_64", *DEFAULT_OPTIONS]
    assert all(figure in table.output for figure in ["$24.67", *SHOWN[region]])


#: region -> (front door, USD per million requests in the first tier read for it)
FRONT_DOORS = {
    "us-east-1": ("http-api", 1.00),
    "eu-west-1": ("http-api", 1.11),
    "us-west-2": ("http-api", 1.00),
    "eu-central-1": ("rest-api", 3.70),
    "ap-northeast-1": ("http-api", 1.29),
}


@pytest.mark.parametrize("region", sorted(FRONT_DOORS))
def test_the_default_compare_behind_api_gateway(region):
    front_door, per_million = FRONT_DOORS[region]
    result = runner.invoke(app, ARGS + ["--region", region, "--front-door", front_door, "--json"])
    assert result.exit_code == 0, result.output
    by_option = {o["option"]: o for o in json.loads(result.output)["options"]}
    # 26.28M requests, all in the first tier, no free tier (off by default): 26.28 x the rate,
    # e.g. eu-central-1's REST API 26.28 x $3.70 = $97.236, Tokyo's HTTP API 26.28 x $1.29 = $33.9012.
    for option in ("lambda:x86_64", "lmi:m7g.xlarge"):
        assert by_option[option]["front_door_cost"] == pytest.approx(26.28 * per_million)
    assert by_option["lambda:x86_64"]["cost"] == pytest.approx(LAMBDA + 26.28 * per_million)
    assert by_option["ec2:t4g.small"]["front_door_cost"] == 0  # servers have their load balancer instead


def test_library_and_cli_share_one_default_set():
    from lambdacost import options

    assert options.DEFAULT_OPTIONS is DEFAULT_OPTIONS  # one definition, re-exported
    w = Workload.from_rps(512, 120, 10, as_of="2026-11-01")
    assert compare(w, requests=[REQUESTS]).options == ["lambda:x86_64", *DEFAULT_OPTIONS]
    assert "apprunner:1vcpu-2gb" not in DEFAULT_OPTIONS and "express:1vcpu-2gb" in DEFAULT_OPTIONS
    data = json.loads(runner.invoke(app, ARGS + ["--json"]).output)
    assert [o["option"] for o in data["options"]] == ["lambda:x86_64", *DEFAULT_OPTIONS]
    # App Runner stays available for its existing customers, and says it is closed to new ones.
    closed = json.loads(runner.invoke(app, ARGS + ["--against", "apprunner", "--json"]).output)
    assert [o["option"] for o in closed["options"]] == ["lambda:x86_64", "apprunner:1vcpu-2gb"]
    assert any(
        a.startswith("apprunner:1vcpu-2gb: closed to new customers since 2026-04-30") for a in closed["assumptions"]
    )


def test_cli_help_names_the_default_options():
    shown = " ".join(runner.invoke(app, ["compare", "--help"], terminal_width=200).output.split())
    assert "Default: " + ", ".join(DEFAULT_OPTIONS) + " (what a new customer can buy;" in shown.replace("│ ", "")


def test_defaults_not_priced_in_a_region_are_left_out_and_listed():
    # sa-east-1 has Lambda rates but no server rows: the defaults are listed, each with its reason.
    result = runner.invoke(app, ARGS + ["--region", "sa-east-1"])
    assert result.exit_code == 0, result.output
    assert "Not priced in sa-east-1, left out of the default options (5):" in result.output
    assert (
        "  - ec2:t4g.small, beanstalk:t3.small, lmi:m7g.xlarge: no EC2 prices for region 'sa-east-1' in paas.toml: "
        "leave that option out (--against), or import AWS's AmazonEC2 offer for the region "
        "(`lambdacost prices import OFFER --into DIR`, then --pricing-dir DIR)"
    ) in result.output.splitlines()
    assert "$24.67" in result.output  # Lambda there: the same x86_64 rates
    data = json.loads(runner.invoke(app, ARGS + ["--region", "sa-east-1", "--json"]).output)
    assert [n["option"] for n in data["not_priced_in_region"]] == list(DEFAULT_OPTIONS)
    assert [o["option"] for o in data["options"]] == ["lambda:x86_64"]
    csv = runner.invoke(app, ARGS + ["--region", "sa-east-1", "--csv"])
    assert csv.exit_code == 0 and "fargate:0.5vcpu-1gb: not priced in sa-east-1, left out:" in csv.output
    w = Workload.from_rps(512, 120, 10, region="sa-east-1", as_of="2026-11-01")
    assert [name for name, _ in compare(w, requests=[REQUESTS]).not_priced] == list(DEFAULT_OPTIONS)
    with pytest.raises(PriceNotAvailableError, match="no EC2 prices for region 'sa-east-1'"):
        compare(w, ["ec2:t4g.small"], requests=[REQUESTS])  # a named option is priced or refused


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--region", "sa-east-1", "--against", "fargate"], "no Fargate prices for sa-east-1 x86_64: leave"),
        (
            ["--region", "ap-southeast-1", "--front-door", "rest-api"],
            "no API Gateway rest prices for ap-southeast-1: use",
        ),
        (["--region", "ap-southeast-1", "--against", "apprunner"], "no App Runner prices for ap-southeast-1: leave"),
    ],
)
def test_not_priced_is_one_clean_line_and_exit_2(extra, message):
    result = runner.invoke(app, ARGS + extra)
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: paas.toml has ") and message in line and line.count("import AWS") <= 1


def test_lambda_behind_a_partial_api_gateway_row_is_priced_below_its_limit_only():
    # eu-central-1's REST API: only the first tier's $3.70 was found, priced below 333M requests/month.
    result = runner.invoke(app, ARGS + ["--region", "eu-central-1", "--front-door", "rest-api", "--rps", "200"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "lambda:x86_64: not priced at this load (see the assumptions)" in lines
    assert "lmi:m7g.xlarge: not priced at this load (see the assumptions)" in lines
    assert any(
        line.startswith("lambda:x86_64 and ec2:t4g.small ") and "333,000,000" not in line for line in lines
    )  # servers still break even below the limit, searched up to it
    assert (
        "  - API Gateway REST API in eu-central-1: only the rate below 333,000,000 requests/month was found "
        "(the higher tiers were not); loads at or above it are not priced"
    ) in lines
    w = Workload(512, 120, region="eu-central-1", front_door="rest-api", as_of="2026-11-01")
    c = compare(w, ["ec2:t4g.small"], requests=[1e8, 5e8])
    assert list(c.table[c.table["option"] == "lambda:x86_64"]["requests_per_month"]) == [1e8]
    assert c.breakeven("ec2:t4g.small").high < 333_000_000
